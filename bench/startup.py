"""How long one-file commands take to start, against the floor of Python + PyYAML + one parse.

For each command this prints its median wall time and its ratio to the floor: a bare
interpreter importing PyYAML and parsing the same answer file with ``CSafeLoader``. The two
sides run in turn (floor, command, floor, command, ...) so a busy moment on a shared machine
falls on both. Each figure is the median of ``--runs`` (default 10) after one warm-up run,
of the wall time (what a user waits) and of the CPU time (user + system). Each ratio is the
median of the ratios of the runs taken side by side, so a machine whose speed wanders (a
shared one) disturbs it less than it does the times.
Target (issues 14 and 24): every one-file command within 5x the floor.

    python bench/startup.py                  # every command, 10 runs each
    python bench/startup.py --runs 20 score-json report-md
    python bench/startup.py --no-cache       # as if the framework cache could not be used

Run with the project installed (``pip install -e .``); it uses the ``compass`` next to this
Python if there is one, otherwise ``python -m compass_cli``. compass's own modules are compiled
to bytecode first, as pip does when it installs a package: an editable install run with
PYTHONDONTWRITEBYTECODE set (as some shells and containers do) would otherwise compile every
module from source on every run, some 40-60 ms that no installed copy pays.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
ANSWERS = EXAMPLES / "riverside-high.yaml"
PREVIOUS = EXAMPLES / "riverside-high-last-term.yaml"

FLOOR = ("import yaml, sys\n"
         "yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)")

LIBRARIES = ("import yaml, sys, typer, typer._adapters\nfrom pydantic import BaseModel\n"
             "yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)")

#: The libraries, and the validator typer 0.29 builds (through pydantic) for a command's first option: the first
#: validator pydantic builds imports importlib.metadata, to look for plugins, whatever the command.
OPTION = LIBRARIES + "\nfrom pydantic import TypeAdapter\nTypeAdapter(int | None)"


def commands(out: Path) -> dict[str, list[str]]:
    """The one-file commands the issue names, each the way a script would run it."""
    return {
        "score-json": ["score", str(ANSWERS), "--format", "json"],
        "score": ["score", str(ANSWERS)],
        "report-md": ["report", str(ANSWERS), "-o", str(out / "plan.md")],
        "report-html": ["report", str(ANSWERS), "--previous", str(PREVIOUS), "-o", str(out / "plan.html")],
        "compare": ["compare", str(PREVIOUS), str(ANSWERS)],
        "template": ["template", "-o", str(out / "blank.yaml"), "--force"],
        "questions": ["questions"],
        "questions-json": ["questions", "--format", "json"],
        "version": ["--version"],
        # not compass: what importing its libraries alone costs (typer 0.29 coerces options with pydantic),
        # and with the validator typer builds for a first option
        "libraries": ["-c", LIBRARIES, str(ANSWERS)],
        "libraries+option": ["-c", OPTION, str(ANSWERS)],
        "help": ["--help"],
    }


def compass() -> list[str]:
    beside = Path(sys.executable).with_name("compass")
    found = str(beside) if beside.exists() else shutil.which("compass")
    return [found] if found else [sys.executable, "-m", "compass_cli"]


def compile_compass() -> None:
    """compass's modules compiled to bytecode, as an installed copy has them (see the module docstring)."""
    spec = importlib.util.find_spec("compass_cli")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=env)
    took = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: the example's report lists problems; still a full run
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return took, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="commands to time (default: all)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-cache", action="store_true", help="point the framework cache at an unwritable folder")
    args = parser.parse_args()
    compile_compass()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        env = dict(os.environ, COLUMNS="100")
        if args.no_cache:
            locked = out / "locked"
            locked.mkdir(mode=0o500)
            env["XDG_CACHE_HOME"] = str(locked)
            env["COMPASS_CACHE"] = str(locked / "compass")
        table = commands(out)
        names = args.names or list(table)
        floor_cmd = [sys.executable, "-c", FLOOR, str(ANSWERS)]
        base = compass()
        print(f"Python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} cores, "
              f"median of {args.runs} runs, floor and command in turn")
        print(f"floor: python -c 'import yaml; yaml.load(<{ANSWERS.name}>, CSafeLoader)'")
        print(f"{'command':<16} {'wall':>9} {'floor':>9} {'ratio':>7}   {'cpu':>9} {'floor':>9} {'ratio':>7}")
        for name in names:
            cmd = [sys.executable, *table[name]] if name.startswith("libraries") else base + table[name]
            run(floor_cmd, env)
            run(cmd, env)  # warm the file cache (and the framework cache)
            floors, times = [], []
            for _ in range(args.runs):
                floors.append(run(floor_cmd, env))
                times.append(run(cmd, env))
            f, t = (statistics.median(r[0] for r in floors), statistics.median(r[0] for r in times))
            fc, tc = (statistics.median(r[1] for r in floors), statistics.median(r[1] for r in times))
            ratio = statistics.median(c[0] / fl[0] for fl, c in zip(floors, times, strict=True))
            cpu_ratio = statistics.median(c[1] / fl[1] for fl, c in zip(floors, times, strict=True))
            print(f"{name:<16} {t:7.0f}ms {f:7.0f}ms {ratio:6.1f}x   {tc:7.0f}ms {fc:7.0f}ms {cpu_ratio:6.1f}x")


if __name__ == "__main__":
    main()
