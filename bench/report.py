"""How long an HTML report takes to render for one evaluation.

Prints the median time of each step (load and score; build the plan and context; render
the templates) and of the whole `compass report` command run as a user would. Run with
the project installed:

    python bench/report.py [answer-file] [--previous last-term.yaml] [runs]

Defaults: examples/riverside-high.yaml against examples/riverside-high-last-term.yaml, 20 runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compass_cli.core.evaluation import ScoredEvaluation, evaluate
from compass_cli.core.reporting import build_report
from compass_cli.output.report import build_context, render

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def median_ms(step: Callable[[], Any], runs: int) -> tuple[float, Any]:
    value = step()  # warm caches (the framework is loaded once per process, as in real use)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        value = step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", nargs="?", type=Path, default=EXAMPLES / "riverside-high.yaml")
    parser.add_argument("--previous", type=Path, default=None)
    parser.add_argument("runs", nargs="?", type=int, default=20)
    args = parser.parse_args()
    previous_path = args.previous
    if previous_path is None and args.answers == EXAMPLES / "riverside-high.yaml":
        previous_path = EXAMPLES / "riverside-high-last-term.yaml"

    def load() -> tuple[ScoredEvaluation, ScoredEvaluation | None]:
        return evaluate(args.answers), evaluate(previous_path) if previous_path else None

    load_ms, (current, previous) = median_ms(load, args.runs)
    context_ms, context = median_ms(lambda: build_context(build_report(current, previous)), args.runs)
    render_ms, html = median_ms(lambda: render(context, "html"), args.runs)

    compass = shutil.which("compass")
    base = [compass] if compass else [sys.executable, "-m", "compass_cli"]
    with tempfile.TemporaryDirectory() as folder:
        cmd = base + ["report", str(args.answers), "-o", str(Path(folder) / "plan.html")]
        if previous_path:
            cmd += ["--previous", str(previous_path)]
        command_ms, _ = median_ms(lambda: subprocess.run(cmd, capture_output=True, check=True), max(5, args.runs // 4))

    label = args.answers.name + (f" (previous: {previous_path.name})" if previous_path else "")
    print(f"HTML report of {label}: {len(html):,} characters, {len(context['plan']['actions'])} actions")
    print(f"median of {args.runs} runs, Python {sys.version.split()[0]}")
    print(f"  load and score answer files   {load_ms:7.1f} ms")
    print(f"  plan, chart and context       {context_ms:7.1f} ms")
    print(f"  render HTML templates         {render_ms:7.1f} ms")
    print(f"  in-process total              {load_ms + context_ms + render_ms:7.1f} ms")
    print(f"  'compass report' command      {command_ms:7.1f} ms   (new process, as a user runs it)")


if __name__ == "__main__":
    main()
