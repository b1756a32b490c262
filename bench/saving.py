"""How long one save of an answer file takes: libyaml's emitter and PyYAML's own.

The audit writes the whole answer file after every answer, so a save is paid for on every
keystroke that changes something (and in every audit test). Prints the median time of one
save of each example, written as core/writing.py writes it, and as it is written where
libyaml is missing. Run with the project installed:

    python bench/saving.py [runs]

Default: 50 runs.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from compass_cli.core import writing
from compass_cli.core.evaluation import Evaluation, load_evaluation

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def median_ms(evaluation: Evaluation, runs: int) -> float:
    writing.answer_file_text(evaluation)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        writing.answer_file_text(evaluation)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    fast = writing._FastDumper
    print(f"{'example':<48} {'libyaml':>9} {'PyYAML':>9}")
    totals = [0.0, 0.0]
    for path in sorted(EXAMPLES.glob("*.yaml")):
        evaluation = load_evaluation(path)
        writing._FastDumper = fast
        with_c = median_ms(evaluation, runs) if fast is not None else float("nan")
        writing._FastDumper = None
        pure = median_ms(evaluation, runs)
        writing._FastDumper = fast
        totals[0] += with_c
        totals[1] += pure
        print(f"{path.name:<48} {with_c:>7.2f}ms {pure:>7.2f}ms")
    count = len(list(EXAMPLES.glob("*.yaml")))
    print(f"{'mean of the examples':<48} {totals[0] / count:>7.2f}ms {totals[1] / count:>7.2f}ms")


if __name__ == "__main__":
    main()
