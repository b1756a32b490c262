"""Many evaluations side by side: the figures a Careers Hub needs, computed as a stream.

A hub or a region may hold thousands of answer files, so each file is read, scored by its
compiled framework (compiled.py) and reduced at once to a small :class:`Row` (a few hundred
bytes); no Result is made. The files may be shared out among several processes (``jobs``, core/parallel.py):
what each file came to is kept in the order of the files, so every figure and every list is
the one a single process gives. Only the latest evaluation of each institution is kept (unless every
term is asked for), so memory grows with the number of institutions, not of files. Each
framework is loaded once, whatever the number of files that use it.

The hub figures use the national arithmetic (domain guide, part 8): the share of
evaluations fully achieving each benchmark, summed and divided by 100, equals the average
number of benchmarks achieved. An unscored benchmark counts as 0 in every average, as it
does in an evaluation's own average score, so the hub's average score is both the mean of
the evaluations' averages and the mean of the benchmark averages.

Bad input is never skipped silently: every file that cannot be read, parsed, validated or
matched to a framework is kept with its reasons, and so is every folder that cannot be
searched (or is a link, which is not followed) and every duplicate evaluation (the same
institution on the same date). The tool's own outputs found among the answer files (a
summary written into the hub's folder last time) are skipped and listed as skipped. No I/O
other than reading the answer files; no UI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from compass_cli.core.compiled import Sheet
from compass_cli.core.evaluation import Evaluation, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import Frameworks
from compass_cli.core.grouping import GroupBy
from compass_cli.core.loading import CompassOutput, answer_files, is_compass_output
from compass_cli.core.models import NationalFigures, Status
from compass_cli.core.parallel import in_order
from compass_cli.core.terms import term_of
from compass_cli.errors import CompassError, InputError, Problem, UsageError
from compass_cli.files import same_file
from compass_cli.text import natural_key, quantity

# --------------------------------------------------------------------------- rows


_CODE = {Status.achieved: "A", Status.in_progress: "P", Status.not_achieved: "N", Status.unscored: "U",
         Status.not_applicable: "X"}


@dataclass(frozen=True)
class FrameworkInfo:
    """What the summary needs of a framework: ids, titles and criterion texts, in order."""

    id: str
    title: str
    edition: str
    benchmarks: tuple[str, ...]
    benchmark_titles: tuple[str, ...]
    criteria: tuple[str, ...]
    criterion_texts: tuple[str, ...]
    #: (institution type id, label) of the types this framework evaluates
    type_labels: tuple[tuple[str, str], ...] = ()
    #: the national figures that fit this framework, if any are published
    national: NationalFigures | None = field(default=None, compare=False)

    @classmethod
    def of(cls, fw: Framework) -> FrameworkInfo:
        crits = fw.criteria()
        return cls(
            id=fw.id,
            title=fw.meta.title,
            edition=fw.meta.edition,
            benchmarks=tuple(b.id for b in fw.benchmarks),
            benchmark_titles=tuple(b.title for b in fw.benchmarks),
            criteria=tuple(c.id for c in crits),
            criterion_texts=tuple(" ".join(c.text.split()) for c in crits),
            type_labels=tuple(fw.meta.institution.types.items()),
            national=fw.national,
        )


@dataclass(frozen=True, slots=True)
class Row:
    """One evaluation, reduced to what the summary shows: never the whole Result.

    ``scores`` and ``achieved`` follow the framework's benchmark order; ``criteria`` holds one
    letter per criterion in the framework's order (A achieved, P in progress, N not achieved,
    U unscored, X does not apply), which is the cheapest way to keep what the hub needs to rank criteria.
    """

    file: str
    key: str
    name: str
    urn: str | None
    ukprn: str | None
    site: str | None
    local_authority: str | None
    type: str
    framework: FrameworkInfo
    date: dt.date
    benchmarks_achieved: int
    average_score: float
    scores: tuple[float | None, ...]
    achieved: tuple[bool, ...]
    #: per benchmark: not started (0%, nothing in place: scoring.benchmark_status)
    not_started: tuple[bool, ...]
    #: (assessment areas met, areas that apply) per benchmark, in the framework's order
    areas: tuple[tuple[int, int], ...]
    criteria: str
    unanswered: int

    @property
    def term(self) -> str:
        return term_of(self.date)

    def group(self, by: GroupBy) -> str:
        """The label of this evaluation's group."""
        if by is GroupBy.la:
            return self.local_authority or "Local authority not given"
        if by is GroupBy.type:
            return dict(self.framework.type_labels).get(self.type, self.type.replace("_", " "))
        if by is GroupBy.framework:
            return self.framework.id
        return self.term

    def score_of(self, bid: str) -> float | None:
        ids = self.framework.benchmarks
        return self.scores[ids.index(bid)] if bid in ids else None

    def areas_of(self, bid: str) -> tuple[int, int] | None:
        ids = self.framework.benchmarks
        return self.areas[ids.index(bid)] if bid in ids else None

    def achieved_of(self, bid: str) -> bool:
        ids = self.framework.benchmarks
        return bid in ids and self.achieved[ids.index(bid)]


def row_of(evaluation: Evaluation, sheet: Sheet, info: FrameworkInfo) -> Row:
    """Keep of one evaluation, scored, only what the summary shows (never the Result: none is made)."""
    inst = evaluation.institution
    return Row(
        file=evaluation.source or "",
        key=inst.key,
        name=inst.name,
        urn=inst.urn,
        ukprn=inst.ukprn,
        site=inst.site,
        local_authority=inst.local_authority,
        type=inst.type or evaluation.framework.meta.institution.default_type,
        framework=info,
        date=evaluation.answer_file.evaluation.date,
        benchmarks_achieved=sheet.benchmarks_achieved,
        average_score=sheet.average_score,
        scores=tuple(b.score for b in sheet.benchmarks),
        achieved=tuple(b.achieved for b in sheet.benchmarks),
        not_started=tuple(b.status is Status.not_started for b in sheet.benchmarks),
        areas=tuple((b.areas_met, b.areas) for b in sheet.benchmarks),
        criteria="".join(_CODE[status] for status in sheet.criteria),
        unanswered=sheet.unanswered,
    )


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class BadFile:
    """A file that is not in the summary, and every reason why."""

    file: str
    reasons: tuple[str, ...]
    #: The same problems as every other command prints them: "file:line: key path: message".
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What one answer file came to: its row, or why it is bad, or neither (compass's own output,
    skipped). Small and picklable, so a worker process can send it back (core/parallel.py)."""

    file: str
    row: Row | None = None
    bad: BadFile | None = None


class FileReader:
    """The work of one answer file: read, check and score it, and reduce it to a :class:`FileOutcome`.

    It never raises for a bad file. The same reader does the work in this process or, copied,
    in each worker. It keeps one FrameworkInfo per framework, so the rows a worker sends back
    together share one copy of it (pickle sends an object once per message).
    """

    def __init__(self, frameworks: Frameworks | None = None, partial_credit: float = 0.0) -> None:
        self.frameworks = frameworks
        self.partial_credit = partial_credit
        self._infos: dict[str, FrameworkInfo] = {}

    def __call__(self, path: Path) -> FileOutcome:
        try:
            evaluation = load_evaluation(path, frameworks=self.frameworks)
        except CompassOutput:
            return FileOutcome(str(path))
        except CompassError as exc:
            return FileOutcome(str(path), bad=bad_file(path, exc))
        fw = evaluation.framework
        info = self._infos.get(fw.id)
        if info is None:
            info = self._infos[fw.id] = FrameworkInfo.of(fw)
        return FileOutcome(str(path), row=row_of(evaluation, evaluation.sheet(self.partial_credit), info))


def bad_file(path: Path, exc: CompassError) -> BadFile:
    """A file or folder that is not in the summary, with every reason."""
    return BadFile(str(path), tuple(_reasons(exc, path)), tuple(exc.lines()))


@dataclass
class Duplicate:
    """Two or more evaluations of the same institution on the same date: one is counted."""

    name: str
    key: str
    date: dt.date
    counted: str
    not_counted: list[str] = field(default_factory=list)

    def describe(self) -> str:
        others = ", ".join(self.not_counted)
        return (
            f"{self.name or 'An institution with no name'} has more than one evaluation dated "
            f"{self.date.isoformat()}: "
            f"{self.counted} is counted, {others} not"
        )


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class BenchmarkFigures:
    id: str
    title: str
    percent_achieving: float
    average_score: float
    achieving: int
    national_percent: float | None
    #: assessment areas met and areas that apply, added up over the evaluations
    areas_met: int = 0
    areas: int = 0
    #: evaluations where the benchmark is not started: 0%, nothing of it in place
    not_started: int = 0

    @property
    def percent_areas_met(self) -> float | None:
        return 100 * self.areas_met / self.areas if self.areas else None


@dataclass(frozen=True)
class CriterionFigures:
    """How often a criterion of one framework is not yet achieved among the evaluations where it was scored.

    A criterion is known by its framework and its id together: B6.1 of the colleges' framework
    ("by the end of the programme") is another criterion from B6.1 of the schools' ("by 16"),
    so each has a row of its own, with its own wording.
    """

    framework: str
    framework_title: str
    id: str
    text: str
    scored: int
    achieved: int
    in_progress: int
    not_achieved: int

    @property
    def not_yet(self) -> int:
        return self.in_progress + self.not_achieved

    @property
    def percent_not_yet(self) -> float:
        return 100 * self.not_yet / self.scored if self.scored else 0.0


@dataclass(frozen=True)
class Figures:
    """The headline figures of a set of evaluations (the whole hub, or one group)."""

    label: str
    evaluations: int
    average_achieved: float
    average_score: float
    benchmarks: tuple[BenchmarkFigures, ...]
    distribution: tuple[int, ...]

    def benchmark(self, bid: str) -> BenchmarkFigures | None:
        return next((b for b in self.benchmarks if b.id == bid), None)


@dataclass(frozen=True)
class National:
    """The national figures shown beside the hub's, and the framework whose figures they are (a
    mixed hub shows those of its largest framework).

    Figures of different years are never shown as one set: the headline average is the latest
    year's (``average_year``); the share fully achieving each benchmark is published for fewer
    years, so it comes with its own year (``benchmark_year``) and that year's own average
    (``benchmark_year_average``), which is what its shares add up to. Every output labels each
    figure with its year.
    """

    framework: str
    average_year: str
    institutions: int | None
    average_achieved: float
    average_source: str
    average_note: str | None
    benchmark_year: str
    benchmark_source: str
    percent_achieving: dict[str, float]
    #: the average number of benchmarks achieved nationally in ``benchmark_year`` (None when no year has shares)
    benchmark_year_average: float | None
    edition: str
    note: str
    #: which year each figure is from, in words (models.NationalFigures.years_sentence)
    years_sentence: str

    @classmethod
    def of(cls, figures: NationalFigures, framework: str) -> National:
        latest, by_benchmark = figures.latest, figures.latest_by_benchmark
        return cls(
            framework=framework,
            average_year=latest.year,
            institutions=latest.institutions,
            average_achieved=latest.average_achieved,
            average_source=latest.source,
            average_note=latest.note,
            benchmark_year=by_benchmark.year if by_benchmark else "",
            benchmark_source=by_benchmark.source if by_benchmark else "",
            percent_achieving=dict(by_benchmark.percent_achieving or {}) if by_benchmark else {},
            benchmark_year_average=by_benchmark.average_achieved if by_benchmark else None,
            edition=figures.edition,
            note=" ".join(figures.note.split()),
            years_sentence=figures.years_sentence,
        )

    @property
    def one_year(self) -> bool:
        """The headline average and the shares per benchmark are of the same year."""
        return self.benchmark_year == self.average_year


@dataclass(frozen=True)
class Summary:
    """Everything ``compass summary`` shows; every output format is rendered from this."""

    files_read: int
    rows: tuple[Row, ...]
    overall: Figures
    groups: tuple[Figures, ...]
    group_by: GroupBy | None
    weakest: tuple[BenchmarkFigures, ...]
    criteria: tuple[CriterionFigures, ...]
    #: None when no framework in the summary has national figures published
    national: National | None
    bad_files: tuple[BadFile, ...]
    duplicates: tuple[Duplicate, ...]
    older_not_counted: int
    all_terms: bool
    frameworks: tuple[FrameworkInfo, ...]

    @property
    def problems(self) -> int:
        return len(self.bad_files) + len(self.duplicates)

    @property
    def problem_sentence(self) -> str:
        """E.g. "1 file could not be read and 2 duplicate evaluations were found"."""
        parts = []
        if self.bad_files:
            n = len(self.bad_files)
            parts.append(f"{quantity(n, 'file')} could not be read")
        if self.duplicates:
            n = len(self.duplicates)
            parts.append(f"{quantity(n, 'duplicate evaluation')} {'was' if n == 1 else 'were'} found")
        return " and ".join(parts)

    @property
    def weakest_criteria(self) -> tuple[CriterionFigures, ...]:
        """The criteria most often not yet achieved (where the hub should put its support), any framework."""
        return tuple(c for c in self.criteria if c.not_yet)[:WEAKEST_CRITERIA]

    @property
    def weakest_criteria_by_framework(self) -> tuple[tuple[FrameworkInfo, tuple[CriterionFigures, ...]], ...]:
        """For each framework counted, its criteria most often not yet achieved, each in that framework's words."""
        out = []
        for info in self.frameworks:
            found = tuple(c for c in self.criteria if c.framework == info.id and c.not_yet)[:WEAKEST_CRITERIA]
            if found:
                out.append((info, found))
        return tuple(out)

    @property
    def identity_heading(self) -> str:
        """The heading of the column that identifies each institution: a school by its URN, a college or
        training provider by its UKPRN, "URN or UKPRN" for a hub of both."""
        urn = any(r.urn for r in self.rows)
        ukprn = any(r.ukprn and not r.urn for r in self.rows)
        return "URN or UKPRN" if urn and ukprn else ("UKPRN" if ukprn else "URN")

    def evaluations_of(self, framework: str) -> int:
        """How many of the evaluations counted use this framework."""
        return sum(1 for r in self.rows if r.framework.id == framework)

    @property
    def benchmark_ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.overall.benchmarks)

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(sorted({r.term for r in self.rows}))


#: How many benchmarks and criteria the "where to put support" lists show.
WEAKEST_BENCHMARKS = 3
WEAKEST_CRITERIA = 10


# --------------------------------------------------------------------------- streaming


class Summariser:
    """Reads answer files one at a time and keeps only rows and small tallies.

    ``add`` never raises for a bad file: it is recorded with its reasons, so one broken file
    in a folder of two hundred costs the hub nothing but a line in the list of problems.
    """

    def __init__(self, *, all_terms: bool = False, partial_credit: float = 0.0,
                 frameworks: Frameworks | None = None) -> None:
        self.all_terms = all_terms
        self.files_read = 0
        self.bad_files: list[BadFile] = []
        #: compass's own outputs found among the answer files (a summary written into the hub last time)
        self.skipped: list[str] = []
        self.older_not_counted = 0
        self._rows: list[Row] = []  # every evaluation, with --all-terms
        self._latest: dict[str, Row] = {}  # institution key -> latest evaluation, otherwise
        self._seen: dict[tuple[str, dt.date], str] = {}  # (institution, date) -> file counted
        self._duplicates: dict[tuple[str, dt.date], Duplicate] = {}
        self._frameworks: dict[str, FrameworkInfo] = {}
        #: the work of one file, done here or copied into each worker process
        self.reader = FileReader(frameworks, partial_credit)

    def add(self, path: Path) -> None:
        """Read, check and score one answer file, and keep what the summary needs of it."""
        self.take(self.reader(path))

    def take(self, outcome: FileOutcome) -> None:
        """Keep what one answer file came to (read here or by a worker), in the order the files were found."""
        if outcome.row is None and outcome.bad is None:
            self.skipped.append(outcome.file)
            return
        self.files_read += 1
        if outcome.bad is not None:
            self.bad_files.append(outcome.bad)
            return
        row = outcome.row
        assert row is not None
        info = self._frameworks.setdefault(row.framework.id, row.framework)
        # rows from workers bring their own copies of the framework's info; every row shares one
        self.add_row(row if info is row.framework else replace(row, framework=info))

    def add_problem(self, path: Path, exc: CompassError) -> None:
        """A file or folder that is not in the summary, with every reason."""
        self.bad_files.append(bad_file(path, exc))

    def add_row(self, row: Row) -> None:
        """Count one evaluation: the latest of its institution wins, unless every term is kept."""
        when = (row.key, row.date)
        first = self._seen.get(when)
        if first is not None:
            dup = self._duplicates.get(when)
            if dup is None:
                dup = self._duplicates[when] = Duplicate(row.name, row.key, row.date, first)
            dup.not_counted.append(row.file)
            return
        self._seen[when] = row.file
        if self.all_terms:
            self._rows.append(row)
            return
        current = self._latest.get(row.key)
        if current is None or row.date > current.date:
            self._latest[row.key] = row
        if current is not None:
            self.older_not_counted += 1

    @property
    def duplicates(self) -> list[Duplicate]:
        return list(self._duplicates.values())

    @property
    def counted(self) -> int:
        """How many evaluations the summary counts so far."""
        return len(self._rows) if self.all_terms else len(self._latest)

    def rows(self) -> list[Row]:
        """The evaluations counted, by institution name as a person sorts them (School 2 before
        School 10: text.natural_key), then date."""
        rows = self._rows if self.all_terms else list(self._latest.values())
        return sorted(rows, key=lambda r: (natural_key(r.name), r.key, r.date))

    def summary(self, group_by: GroupBy | None = None) -> Summary:
        """The figures of everything added so far. Needs at least one good evaluation."""
        rows = self.rows()
        if not rows:
            raise ValueError("no evaluation to summarise")
        national = _national(rows)
        overall = figures("All evaluations", rows, national)
        groups: tuple[Figures, ...] = ()
        if group_by is not None:
            by_label: dict[str, list[Row]] = {}
            for r in rows:
                by_label.setdefault(r.group(group_by), []).append(r)
            groups = tuple(figures(label, by_label[label], None) for label in sorted(by_label, key=natural_key))
        weakest = tuple(sorted(overall.benchmarks, key=lambda b: (b.percent_achieving, b.average_score)))
        return Summary(
            files_read=self.files_read,
            rows=tuple(rows),
            overall=overall,
            groups=groups,
            group_by=group_by,
            weakest=weakest[:WEAKEST_BENCHMARKS],
            criteria=criterion_figures(rows),
            national=national,
            bad_files=tuple(self.bad_files),
            duplicates=tuple(self.duplicates),
            older_not_counted=self.older_not_counted,
            all_terms=self.all_terms,
            # only the frameworks of the evaluations counted: an earlier evaluation under the 2014
            # edition, replaced by a 2025 one, names no framework and brings no national figures
            frameworks=tuple(self._frameworks[k] for k in sorted({r.framework.id for r in rows})),
        )


def _national(rows: list[Row]) -> National | None:
    """The national figures of the framework most of the evaluations use, among those that have any."""
    counts: dict[str, int] = {}
    infos: dict[str, FrameworkInfo] = {}
    for r in rows:
        if r.framework.national is not None:
            counts[r.framework.id] = counts.get(r.framework.id, 0) + 1
            infos[r.framework.id] = r.framework
    if not counts:
        return None
    fid = max(sorted(counts), key=lambda k: counts[k])
    info = infos[fid]
    assert info.national is not None
    return National.of(info.national, info.title)


def _reasons(exc: CompassError, path: Path) -> list[str]:
    """Each problem of a bad file, worded without the file name (the list is headed by it)."""
    if not exc.problems:
        return [exc.message]
    out = []
    for p in exc.problems:
        where = [] if p.file == str(path) else [p.file]
        if p.line is not None:
            where.append(f"line {p.line}")
        if p.path:
            where.append(p.path)
        out.append(p.message + (f" ({', '.join(where)})" if where else ""))
    return out


def collect(paths: Iterable[Path], *, all_terms: bool = False, partial_credit: float = 0.0,
            output: Path | None = None, frameworks: Frameworks | None = None, jobs: int = 1) -> Summariser:
    """Read every answer file under ``paths`` (files, or folders searched recursively).

    Raises UsageError when a path does not exist, or when ``output`` (the file the summary
    will be written to) is one of the answer files; InputError when a folder holds no answer
    file at all. A bad answer file, or a folder that cannot be searched, is recorded in the
    Summariser, never raised; so is a summary written by compass found among the files.

    With ``jobs`` above 1 the files are read by that many processes (core/parallel.py); what
    each file came to is kept in the order the files were found, so the Summariser is the same
    as with one. The folders are searched first, before any file is read.
    """
    paths = list(paths)
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")
    summariser = Summariser(all_terms=all_terms, partial_credit=partial_credit, frameworks=frameworks)
    found = list(_answer_files(paths, output))
    files = [item for item in found if isinstance(item, Path)]
    with in_order(summariser.reader, files, jobs) as outcomes:
        for item in found:
            if isinstance(item, Path):
                summariser.take(next(outcomes))
            else:
                summariser.add_problem(Path(item.problems[0].file), item)
    return summariser


def _answer_files(paths: list[Path], output: Path | None) -> Iterator[Path | InputError]:
    """The answer files under ``paths``, and each folder that cannot be searched where the search met it."""
    walk_problems: list[InputError] = []
    for path in answer_files(paths, walk_problems):  # raises InputError for a folder with no answer file in it
        yield from walk_problems
        walk_problems.clear()
        if output is not None and same_file(path, output) and not is_compass_output(path):
            raise UsageError(f"--output {output} is one of the answer files read ({path}); choose another name "
                             "for the summary")
        yield path
    yield from walk_problems


def summarise(
    paths: Iterable[Path], *, group_by: GroupBy | None = None, all_terms: bool = False, partial_credit: float = 0.0,
    frameworks: Frameworks | None = None, jobs: int = 1,
) -> Summary:
    """The summary of every answer file under ``paths``, for use as a library.

    Bad files and duplicates are listed in the Summary; only when no evaluation at all can
    be read is an InputError raised, naming every bad file. ``jobs``: processes to read the
    files with (the same Summary, sooner, on a machine with several cores).
    """
    summariser = collect(paths, all_terms=all_terms, partial_credit=partial_credit, frameworks=frameworks,
                         jobs=jobs)
    if not summariser.counted:
        raise InputError(
            "no evaluation could be read",
            [Problem(b.file, reason) for b in summariser.bad_files for reason in b.reasons],
        )
    return summariser.summary(group_by)


# --------------------------------------------------------------------------- arithmetic


def figures(label: str, rows: list[Row], national: National | None) -> Figures:
    """Count, averages, per-benchmark figures and the distribution of a set of evaluations.

    Per benchmark, "% fully achieving" has every evaluation in its denominator, so the
    percentages of every benchmark summed and divided by 100 give the average number achieved.
    """
    n = len(rows)
    infos = _frameworks(rows)
    ids = in_one_order(info.benchmarks for info in infos)
    titles: dict[str, str] = {}
    for info in infos:
        for bid, title in zip(info.benchmarks, info.benchmark_titles, strict=True):
            titles.setdefault(bid, title)
    achieving = dict.fromkeys(ids, 0)
    not_started = dict.fromkeys(ids, 0)
    totals = dict.fromkeys(ids, 0.0)
    met = dict.fromkeys(ids, 0)
    areas = dict.fromkeys(ids, 0)
    most = max(len(r.framework.benchmarks) for r in rows)
    distribution = [0] * (most + 1)
    for r in rows:
        for bid, got, idle, s, (m, a) in zip(r.framework.benchmarks, r.achieved, r.not_started, r.scores, r.areas,
                                             strict=True):
            achieving[bid] += got
            not_started[bid] += idle
            totals[bid] += s or 0.0
            met[bid] += m
            areas[bid] += a
        distribution[r.benchmarks_achieved] += 1
    national_percent = national.percent_achieving if national else {}
    benchmarks = tuple(
        BenchmarkFigures(
            id=bid,
            title=titles[bid],
            percent_achieving=100 * achieving[bid] / n,
            average_score=totals[bid] / n,
            achieving=achieving[bid],
            national_percent=national_percent.get(bid),
            areas_met=met[bid],
            areas=areas[bid],
            not_started=not_started[bid],
        )
        for bid in ids
    )
    return Figures(
        label=label,
        evaluations=n,
        average_achieved=sum(r.benchmarks_achieved for r in rows) / n,
        average_score=sum(r.average_score for r in rows) / n,
        benchmarks=benchmarks,
        distribution=tuple(distribution),
    )


def criterion_figures(rows: list[Row]) -> tuple[CriterionFigures, ...]:
    """Every criterion of every framework counted, most often not yet achieved first.

    Criteria are tallied by framework and id together, never across frameworks: the same id in
    two frameworks can ask different things (B6.1 "by 16" for schools, "by the end of the
    programme" for colleges).
    """
    tallies: dict[tuple[str, str], list[int]] = {}
    texts: dict[tuple[str, str], str] = {}
    titles: dict[str, str] = {}
    for r in rows:
        info = r.framework
        titles[info.id] = info.title
        for cid, text, code in zip(info.criteria, info.criterion_texts, r.criteria, strict=True):
            key = (info.id, cid)
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = [0, 0, 0]
                texts[key] = text
            if code == "A":
                tally[0] += 1
            elif code == "P":
                tally[1] += 1
            elif code == "N":
                tally[2] += 1
    found = [
        CriterionFigures(framework=fid, framework_title=titles[fid], id=cid, text=texts[fid, cid], scored=sum(t),
                         achieved=t[0], in_progress=t[1], not_achieved=t[2])
        for (fid, cid), t in tallies.items()
    ]
    order = {cid: n for n, cid in enumerate(in_one_order(info.criteria for info in _frameworks(rows)))}
    found.sort(key=lambda c: (-c.percent_not_yet, -c.not_achieved, order[c.id], c.framework))
    return tuple(found)


def _frameworks(rows: list[Row]) -> list[FrameworkInfo]:
    """The frameworks of ``rows``, each once, by id (so the order never depends on the order of the files)."""
    return sorted({r.framework.id: r.framework for r in rows}.values(), key=lambda info: info.id)


def in_one_order(orders: Iterable[Sequence[str]]) -> list[str]:
    """The ids of several frameworks (benchmarks, criteria) in one order: each framework's own.

    The first framework's order is kept; an id another framework adds goes straight after the
    id before it in that framework (a hub's own B9 after B8), or first if none is before it. No id
    is read as a number: a framework's ids are its own (B1 ... B8, or a hub's CL-1 ... CL-6).
    """
    out: list[str] = []
    for order in orders:
        for n, wanted in enumerate(order):
            if wanted in out:
                continue
            before = next((order[k] for k in range(n - 1, -1, -1) if order[k] in out), None)
            out.insert(0 if before is None else out.index(before) + 1, wanted)
    return out
