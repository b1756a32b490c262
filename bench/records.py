"""How fast `compass records coverage` reads a large trust's records, and that its memory stays flat.

Writes 50,000 pupils (Years 7 to 13) and 1,000,000 activity rows into a temporary folder, with
SEN Status as a SIMS export gives it (N, K, E) and a Delivery column ("In person", "Virtual"),
read with a mapping whose ``values:`` translate those words (as docs/records.md shows), then
prints:

- at 250,000, 500,000 and 1,000,000 rows: a bare ``csv.reader`` pass over the same two files
  (the floor: reading the CSV at all) and coverage in process (read, count, and render the
  JSON), and the ratio of the two (target: 3x or less) in CPU time (user + system: the time
  this process ran, leaving out its waits for a shared machine's other work) and in wall
  time. The two are timed in turn, ``--runs`` times each, and the best of each is kept; the
  spread of the ratios of the pairs is printed beside it. On a busy machine the ratio still
  wanders (coverage looks up 50,000 pupils at random, and other work empties the caches it
  relies on; the bare pass only streams), so compare figures taken side by side;
- the whole command as a subprocess (Python start-up and imports included);
- the peak memory traced while measuring each number of rows (target: flat, as only
  per-pupil tallies are kept, never rows).

Figures only; nothing is asserted.
Run: .venv/bin/python bench/records.py [--pupils N] [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from compass_cli.core.records.coverage import measure
from compass_cli.core.records.rules import Rules, load_rules
from compass_cli.core.records.spreadsheets import Mapping, load_mapping
from compass_cli.output.records import to_json

AS_OF = dt.date(2026, 11, 20)
ACTIVITIES = ["employer_encounter", "workplace_experience", "provider_encounter", "he_visit", "guidance_meeting",
              "lmi_session"]
KINDS = ["sixth_form", "college", "university", "training_provider"]
#: SEN Status feeds two flags, and Delivery says whether an activity was virtual: a values map in use.
MAPPING_YAML = """\
pupils:
  columns: {send: SEN Status, ehcp: SEN Status}
  values: {send: {N: no, K: yes, E: yes}, ehcp: {N: no, K: no, E: yes}}
activities:
  columns: {virtual: Delivery}
  values: {virtual: {In person: no, Virtual: yes}}
"""


def write_files(folder: Path, pupils: int, rows: int, seed: int = 13) -> tuple[Path, Path]:
    rng = random.Random(seed)
    pupils_csv = folder / "pupils.csv"
    with open(pupils_csv, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["pupil_id", "year_group", "SEN Status", "disadvantaged", "looked_after", "considering_he",
                      "left_on", "joined_on"])
        for n in range(pupils):
            year = 7 + n % 7
            sen = rng.random()
            out.writerow([f"P{n:06d}", f"Y{year}", "E" if sen < 0.03 else ("K" if sen < 0.14 else "N"),
                          "yes" if rng.random() < 0.25 else "",
                          "yes" if rng.random() < 0.01 else "", "yes" if year >= 12 and rng.random() < 0.6 else "",
                          "2026-10-15" if rng.random() < 0.01 else "", ""])
    activities_csv = folder / "activities.csv"
    first = AS_OF - dt.timedelta(days=6 * 365)
    span = (AS_OF - first).days
    dates = [(first + dt.timedelta(days=d)).strftime("%d/%m/%Y") for d in range(span + 1)]
    with open(activities_csv, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["pupil_id", "date", "activity", "days", "meaningful", "provider", "Delivery"])
        for _ in range(rows):
            activity = rng.choice(ACTIVITIES)
            days = rng.choice(["1", "0.5", "5", "2"]) if activity == "workplace_experience" else ""
            provider = rng.choice(KINDS) if activity == "provider_encounter" else ""
            out.writerow([f"P{rng.randrange(pupils):06d}", rng.choice(dates), activity, days,
                          "yes" if rng.random() < 0.8 else "no", provider,
                          "Virtual" if rng.random() < 0.1 else "In person"])
    return pupils_csv, activities_csv


def head(path: Path, rows: int, folder: Path) -> Path:
    """The header and the first ``rows`` rows of a CSV file."""
    target = folder / f"{path.stem}-{rows}.csv"
    with open(path, encoding="utf-8") as source, open(target, "w", encoding="utf-8") as out:
        for n, line in enumerate(source):
            if n > rows:
                break
            out.write(line)
    return target


@dataclass
class Timing:
    """The CPU time (user + system) and wall time of one run, in seconds."""

    cpu: float
    wall: float


def timed(work: Callable[[], object]) -> Timing:
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return Timing(time.process_time() - cpu, time.perf_counter() - wall)


def bare_pass(*paths: Path) -> None:
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for _row in csv.reader(handle):
                pass


def in_process(rules: Rules, pupils: Path, activities: Path, mapping: Mapping) -> None:
    coverage, _ = measure(rules, pupils, [activities], mapping, AS_OF)
    to_json(coverage)


def compare(rules: Rules, pupils: Path, activities: Path, mapping: Mapping, runs: int) -> str:
    """One line of figures: the floor and coverage timed in turn, ``runs`` times, the best of each."""
    floors, ours = [], []
    for _ in range(runs):
        floors.append(timed(lambda: bare_pass(pupils, activities)))
        ours.append(timed(lambda: in_process(rules, pupils, activities, mapping)))
    floor_cpu, our_cpu = min(t.cpu for t in floors), min(t.cpu for t in ours)
    floor_wall, our_wall = min(t.wall for t in floors), min(t.wall for t in ours)
    pairs = [o.cpu / f.cpu for f, o in zip(floors, ours, strict=True)]
    spread = f"({min(pairs):.2f}-{max(pairs):.2f})"
    return (f"{floor_cpu:8.2f} s{our_cpu:8.2f} s{our_cpu / floor_cpu:7.2f}x {spread:<13}"
            f"{floor_wall:8.2f} s{our_wall:8.2f} s{our_wall / floor_wall:7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=50_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each, the best kept (default 5)")
    args = parser.parse_args()
    rules = load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        pupils, activities = write_files(folder, args.pupils, args.rows)
        size = activities.stat().st_size / 1e6
        print(f"wrote {args.pupils:,} pupils and {args.rows:,} activity rows ({size:.0f} MB) "
              f"in {time.perf_counter() - t:.1f} s")

        mapping_file = folder / "mapping.yaml"
        mapping_file.write_text(MAPPING_YAML)
        mapping = load_mapping(mapping_file, rules)
        sizes = sorted({args.rows // 4, args.rows // 2, args.rows})
        parts = {rows: activities if rows == args.rows else head(activities, rows, folder) for rows in sizes}
        print(f"coverage in process against a bare csv.reader pass, best of {args.runs} (target: 3x or less)")
        print(f"{'':9}  {'CPU time (user + system)':<45}wall time")
        print(f"{'rows':>9}  {'bare pass':>10}{'coverage':>10}{'ratio':>8} {'(of pairs)':<13}"
              f"{'bare pass':>10}{'coverage':>10}{'ratio':>8}")
        for rows in sizes:
            print(f"{rows:>9,}  {compare(rules, pupils, parts[rows], mapping, args.runs)}")

        command = [sys.executable, "-m", "compass_cli", "records", "coverage", str(pupils), str(activities),
                   "--as-of", AS_OF.isoformat(), "--format", "json", "--mapping", str(mapping_file)]
        floor = timed(lambda: bare_pass(pupils, activities))
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        took = time.perf_counter() - start
        print(f"coverage at {args.rows:,} rows as a subprocess: {took:.2f} s wall ({took / floor.wall:.1f}x a bare "
              f"pass just before it; exit {done.returncode})")

        print("peak memory traced while measuring (tracemalloc; the pupils' tallies are the same each time):")
        for rows in sizes:
            tracemalloc.start()
            measure(rules, pupils, [parts[rows]], mapping, AS_OF)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"  {rows:>9,} rows: {peak / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
