"""How long `compass` takes to start, beside the floor of starting Python and importing yaml.

Prints the median wall time of several runs of each command. Run from anywhere with the
project installed:  python bench/startup.py [runs]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time


def median_ms(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    compass = shutil.which("compass")
    base = [compass] if compass else [sys.executable, "-m", "compass_cli"]
    rows = [
        ("python -c 'import yaml'", [sys.executable, "-c", "import yaml"]),
        ("compass --version", base + ["--version"]),
        ("compass --help", base + ["--help"]),
        ("compass frameworks", base + ["frameworks"]),
    ]
    print(f"median of {runs} runs, {sys.version.split()[0]}")
    floor = None
    for label, cmd in rows:
        ms = median_ms(cmd, runs)
        floor = floor or ms
        print(f"  {label:<26} {ms:7.1f} ms   ({ms / floor:4.1f}x)")


if __name__ == "__main__":
    main()
