"""How fast is ``compass summary`` next to merely parsing the same files, with one process and with several?

Generates N synthetic but valid answer files (default N = 500 and 5,000) in a temporary
folder, nested by local authority, with up to three termly evaluations per institution, and
prints in one run, for each N:

(a) the time to list the files and merely parse them all with
    ``yaml.load(text, Loader=CSafeLoader)`` (in this process, on one core);
(b) the time of the real ``compass summary DIR --format json --jobs J`` command, run in a
    subprocess (``python -m compass_cli``), start-up and all, for J = 1, 2 and every core;
the ratio (b)/(a), the speed-up over ``--jobs 1``, and the peak memory: of the largest
single process (its maximum resident set size), and of the command's processes together
(sampled every 20 ms from /proc, as proportional set sizes so that the pages the workers
share with the parent count once; Linux only).

Beside each wall time is the CPU time (user + system) it took: of (a), this process's; of (b),
the command's and its workers' together. A shared machine slows the wall time of whatever
runs beside other work, but hardly its CPU time, so ``cpu/J`` (the CPU time of (b) over J
processes, divided by that of (a)) is what (b)/(a) would be on J idle cores were the work
shared out perfectly; start-up, which runs on one core, makes the real figure a little
higher. Each (b) is timed ``--repeat`` times (default 3), each time beside a fresh (a), and
the pair with the best ratio is shown, so that a shared machine whose speed wanders is as
fast or as slow for both sides of the ratio. The files are compact YAML without
the template's comments: comments cost the parser little and the summary nothing, so this
is the harder case for the ratio. Targets at N = 5,000: (b)/(a) <= 1.5 with one process,
below 0.8 with two (on a machine with two cores or more).

    python bench/summary.py                 # N = 500 and 5,000
    python bench/summary.py --sizes 200 --repeat 1 --jobs 1 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.loading import ANSWER_SUFFIXES
from compass_cli.core.models import Question, QuestionKind

try:
    from yaml import CSafeDumper as Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - the bench says so rather than failing
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

LOCAL_AUTHORITIES = ["Leeds", "York", "Bradford", "Calderdale", "Kirklees", "Wakefield", "North Yorkshire", "Hull"]
TERM_DATES = [dt.date(2025, 11, 20), dt.date(2026, 3, 12), dt.date(2026, 6, 30)]


def _answer(fw: Framework, q: Question, rng: random.Random, maturity: float, sixth_form: bool) -> Any:
    """A valid answer: the best one with probability ``maturity``, otherwise any."""
    good = rng.random() < maturity
    kind = q.kind
    if kind in (QuestionKind.yes_no, QuestionKind.choice, QuestionKind.agreement):
        options = fw.options(q)
        return max(options, key=lambda o: o.credit).value if good else rng.choice(options).value
    if kind is QuestionKind.share:
        groups = [g for g in q.groups or [] if sixth_form or not fw.group(g).sixth_form]
        bands = [o.value for o in fw.options(q)]
        return {g: "all" if good else rng.choice(bands) for g in groups} or None
    if kind is QuestionKind.checklist:
        items = [i.id for i in q.items or []]
        return items if good else [i for i in items if rng.random() < 0.5]
    if kind is QuestionKind.number:
        if good:
            return int(q.target or 3) + rng.randint(0, 2)
        return rng.randint(0, int(q.max or 10) // 2)
    return "Evidence in the careers folder on the shared drive."


def generate(folder: Path, n: int, fw: Framework, seed: int = 2025) -> None:
    """Write ``n`` answer files: institutions with one to three termly evaluations each."""
    rng = random.Random(seed)
    questions = fw.questions()
    written = 0
    institution = 0
    while written < n:
        institution += 1
        la = rng.choice(LOCAL_AUTHORITIES)
        sixth_form = rng.random() < 0.5
        maturity = rng.uniform(0.55, 0.99)
        terms = min(rng.randint(1, 3), n - written)
        for date in TERM_DATES[:terms]:
            maturity = min(0.99, maturity + 0.03)
            answers = {}
            for q in questions:
                value = _answer(fw, q, rng, maturity, sixth_form)
                if value is not None:
                    answers[q.id] = value
            doc = {
                "format": 1,
                "framework": fw.id,
                "institution": {
                    "name": f"Synthetic School {institution}",
                    "urn": str(900000 + institution),
                    "type": "school",
                    "local_authority": la,
                    "sixth_form": sixth_form,
                },
                "evaluation": {"date": date, "completed_by": {"name": "A. Leader", "role": "Careers leader"}},
                "answers": answers,
            }
            target = folder / la.lower().replace(" ", "-") / f"{900000 + institution}-{date.isoformat()}.yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(yaml.dump(doc, Dumper=Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
            written += 1


def parse_only(folder: Path) -> tuple[float, float]:
    """(a): list the answer files and parse each with the C loader; nothing else. Wall and CPU time, in seconds."""
    start, cpu = time.perf_counter(), time.process_time()
    files = sorted(p for p in folder.rglob("*") if p.suffix in ANSWER_SUFFIXES)
    for path in files:
        yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 - a safe loader
    return time.perf_counter() - start, time.process_time() - cpu


def cores() -> int:
    """The cores this process may use, as compass counts them for its default --jobs."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux: /proc/PID/task/TID/children)."""
    found, stack = [], [pid]
    while stack:
        p = stack.pop()
        found.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss(pid: int) -> int:
    """The proportional set size of one process, in bytes (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the memory of a process and its descendants together until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()
        self.works = Path(f"/proc/{pid}/smaps_rollup").exists()

    def run(self) -> None:
        while self.works and not self.done.wait(0.02):
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid)))


def summary_run(folder: Path, jobs: int) -> tuple[float, float, int, int | None]:
    """(b): the real command in a subprocess; its wall time, the CPU time of it and its workers (seconds), the peak
    memory of its largest process and that of all its processes together (bytes; None where /proc cannot tell)."""
    command = [sys.executable, "-m", "compass_cli", "summary", str(folder), "--format", "json", "--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)  # its rusage covers the workers it waited for: the largest of them
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"compass summary failed (exit {proc.returncode}):\n{err}")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    cpu = usage.ru_utime + usage.ru_stime  # the workers' too: each was waited for (joined) before the command ended
    return elapsed, cpu, usage.ru_maxrss * scale, sampler.peak if sampler.works else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000], help="numbers of files (default 500 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is shown (default 3)")
    parser.add_argument("--jobs", type=int, nargs="+", help="--jobs values to time (default: 1, 2 and every core)")
    args = parser.parse_args()
    jobs = args.jobs or sorted({1, 2, cores()})

    fw = load_framework()
    print(f"{cpu_model()}, {cores()} cores; Python {platform.python_version()} on {platform.system()}; "
          f"PyYAML {yaml.__version__} with the {'C (libyaml)' if Loader.__name__.startswith('C') else 'pure-Python'} "
          f"loader")
    print(f"{'files':>6} {'(a) parse':>10} {'cpu':>7} {'jobs':>5} {'(b) summary':>12} {'cpu':>7} {'(b)/(a)':>8} "
          f"{'cpu/J':>6} {'speed-up':>9} {'peak memory (b): largest process':>33} {'all processes':>14}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="compass-bench-") as tmp:
            folder = Path(tmp)
            generate(folder, n, fw)
            parse_only(folder)  # warm the file cache, so both sides read from memory
            one: float | None = None
            for j in jobs:
                # (a) is timed again beside each run of (b), so a machine whose speed wanders (a shared one)
                # is as fast or as slow for both sides of each ratio; the best pair is shown
                pairs = [(parse_only(folder), summary_run(folder, j)) for _ in range(args.repeat)]
                (parsed, parsed_cpu), (summarised, summarised_cpu, _, _) = min(pairs, key=lambda p: p[1][0] / p[0][0])
                # in CPU terms: the best of the runs, as for the wall time
                per_core = min(s_cpu / (min(j, cores()) * p_cpu) for (_, p_cpu), (_, s_cpu, _, _) in pairs)
                one = summarised if j == 1 else one
                speed_up = f"{one / summarised:.2f}x" if one else "-"
                largest = max(m for _, (_, _, m, _) in pairs)
                totals = [t for _, (_, _, _, t) in pairs if t is not None]
                total = f"{max(totals) / 2**20:.0f} MB" if totals else "n/a"
                first = f"{n:>6}" if j == jobs[0] else " " * 6
                print(f"{first} {parsed:>9.2f}s {parsed_cpu:>6.2f}s {j:>5} {summarised:>11.2f}s "
                      f"{summarised_cpu:>6.2f}s {summarised / parsed:>8.2f} {per_core:>6.2f} {speed_up:>9} "
                      f"{largest / 2**20:>30.0f} MB {total:>14}", flush=True)


if __name__ == "__main__":
    main()
