"""The summary's arithmetic, terms, latest-evaluation rule, duplicates and bad files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.frameworks import load_framework
from compass_cli.core.scoring import score
from compass_cli.core.summarising import (
    FrameworkInfo,
    GroupBy,
    Row,
    Summariser,
    collect,
    figures,
    in_one_order,
    row_of,
    summarise,
)
from compass_cli.core.terms import next_snapshot, term_of
from compass_cli.errors import InputError, UsageError

from ..conftest import MINI
from .conftest import HUB, evaluation, read_yaml, write_yaml

# --------------------------------------------------------------------------- terms


@pytest.mark.parametrize(("day", "snapshot"), [
    ("2026-11-20", "2027-03-31"), ("2026-12-31", "2027-03-31"), ("2027-01-01", "2027-07-31"),
    ("2027-03-31", "2027-07-31"), ("2027-04-01", "2027-12-31"), ("2027-07-31", "2027-12-31"),
    ("2027-08-01", "2028-03-31"),
])
def test_next_snapshot_is_the_one_after_the_evaluations_own(day, snapshot):
    assert next_snapshot(dt.date.fromisoformat(day)) == dt.date.fromisoformat(snapshot)


@pytest.mark.parametrize(
    ("date", "term"),
    [
        (dt.date(2025, 8, 1), "2025/26 autumn"),
        (dt.date(2025, 12, 31), "2025/26 autumn"),  # the 31 December snapshot
        (dt.date(2026, 1, 1), "2025/26 spring"),
        (dt.date(2026, 3, 31), "2025/26 spring"),  # the 31 March snapshot
        (dt.date(2026, 4, 1), "2025/26 summer"),
        (dt.date(2026, 7, 31), "2025/26 summer"),  # the 31 July snapshot
        (dt.date(1999, 9, 1), "1999/00 autumn"),
    ],
)
def test_term_boundaries_follow_the_national_snapshots(date: dt.date, term: str) -> None:
    assert term_of(date) == term


def test_term_labels_sort_in_time_order() -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=d) for d in range(0, 800, 17)]
    assert sorted(term_of(d) for d in days) == [term_of(d) for d in days]


# --------------------------------------------------------------------------- the hub folder


def test_fixture_hub_latest_evaluation_of_each_institution() -> None:
    summariser = collect([HUB])
    s = summariser.summary()
    assert s.files_read == 22  # README.md ignored by its extension; the broken file is read and listed
    assert s.overall.evaluations == 12
    assert s.older_not_counted == 9
    assert {r.term for r in s.rows} == {"2025/26 autumn", "2025/26 spring"}
    minster = next(r for r in s.rows if r.name == "Minster View School")
    assert minster.benchmarks_achieved == 8 and minster.term == "2025/26 autumn"
    aire = next(r for r in s.rows if r.name == "Aire Valley Academy")
    assert aire.date == dt.date(2026, 3, 19)  # the spring evaluation replaces the autumn one
    college = next(r for r in s.rows if r.name == "Harrogate Road College")
    assert college.urn is None and college.ukprn == "10099999"


def test_broken_file_is_listed_with_its_reason_not_skipped() -> None:
    s = collect([HUB]).summary()
    assert [Path(b.file).name for b in s.bad_files] == ["half-saved.yaml"]
    (reason,) = s.bad_files[0].reasons
    assert "not valid YAML" in reason and "line 10" in reason


def test_all_terms_counts_every_evaluation() -> None:
    s = collect([HUB], all_terms=True).summary(GroupBy.term)
    assert s.overall.evaluations == 21
    assert [(g.label, g.evaluations) for g in s.groups] == [("2025/26 autumn", 12), ("2025/26 spring", 9)]


@pytest.mark.parametrize(
    ("by", "labels"),
    [
        (GroupBy.la, ["Leeds", "North Yorkshire", "York"]),
        (GroupBy.type, ["Further education or sixth-form college", "School", "Special school or specialist setting"]),
        (GroupBy.framework, ["gatsby-2025-colleges", "gatsby-2025-schools", "gatsby-2025-special"]),
    ],
)
def test_group_by(by: GroupBy, labels: list[str]) -> None:
    s = collect([HUB]).summary(by)
    assert [g.label for g in s.groups] == labels
    assert sum(g.evaluations for g in s.groups) == s.overall.evaluations


def test_rows_are_the_scored_results() -> None:
    """The summary's numbers are exactly what `compass score` gives for each file."""
    s = collect([HUB]).summary()
    for row in s.rows:
        loaded = load_evaluation(row.file)
        result = score(loaded)
        assert row.benchmarks_achieved == result.benchmarks_achieved
        assert row.scores == tuple(b.score for b in result.benchmarks)
        assert row.average_score == result.average_score


def test_weakest_benchmarks_and_criteria_are_ranked() -> None:
    s = collect([HUB]).summary()
    ranked = sorted(s.overall.benchmarks, key=lambda b: (b.percent_achieving, b.average_score))
    assert list(s.weakest) == ranked[:3]
    shares = [c.percent_not_yet for c in s.criteria]
    assert shares == sorted(shares, reverse=True)
    assert all(c.scored == c.achieved + c.in_progress + c.not_achieved for c in s.criteria)


def test_national_figures_are_labelled_with_year_and_source() -> None:
    n = collect([HUB]).summary().national
    assert n.average_year == "2024/25" and n.average_achieved == 5.96
    assert n.benchmark_year == "2018/19" and n.percent_achieving["B8"] == 57
    assert "Careers & Enterprise Company" in n.average_source and n.benchmark_source


# --------------------------------------------------------------------------- the national identity


def test_identity_on_the_fixture_hub() -> None:
    s = collect([HUB]).summary(GroupBy.la)
    for f in (s.overall, *s.groups):
        assert sum(b.percent_achieving for b in f.benchmarks) / 100 == pytest.approx(f.average_achieved)
        assert sum(f.distribution) == f.evaluations
        assert sum(k * count for k, count in enumerate(f.distribution)) / f.evaluations == pytest.approx(
            f.average_achieved
        )
        # an unscored benchmark counts 0 in both, so the two averages of the score agree too
        assert sum(b.average_score for b in f.benchmarks) / len(f.benchmarks) == pytest.approx(f.average_score)


_INFO = FrameworkInfo.of(load_framework())
_BENCHMARK_SCORES = st.one_of(st.none(), st.floats(min_value=0, max_value=100))


@st.composite
def rows(draw: st.DrawFn) -> Row:
    achieved = tuple(draw(st.lists(st.booleans(), min_size=8, max_size=8)))
    scores = tuple(100.0 if a else draw(_BENCHMARK_SCORES) for a in achieved)
    return Row(
        file="x.yaml", key=f"urn:{draw(st.integers(100000, 999999))}", name="School", urn=None, ukprn=None,
        site=None, local_authority=draw(st.sampled_from(["Leeds", "York", None])), type="school",
        framework=_INFO, date=dt.date(2026, 3, 1), benchmarks_achieved=sum(achieved),
        average_score=sum(s or 0.0 for s in scores) / 8, scores=scores, achieved=achieved,
        not_started=tuple(s == 0 for s in scores),
        areas=tuple((10, 10) if a else (draw(st.integers(0, 9)), 10) for a in achieved),
        criteria="A" * len(_INFO.criteria), unanswered=0,
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=60))
def test_sum_of_percent_fully_achieving_over_100_is_the_average_number_achieved(sample: list[Row]) -> None:
    f = figures("hub", sample, None)
    assert sum(b.percent_achieving for b in f.benchmarks) / 100 == pytest.approx(f.average_achieved)
    assert sum(f.distribution) == len(sample)
    assert sum(b.average_score for b in f.benchmarks) / 8 == pytest.approx(f.average_score)


# --------------------------------------------------------------------------- duplicates, bad input


def test_duplicates_of_the_same_institution_and_date_are_reported(tmp_path: Path) -> None:
    write_yaml(tmp_path / "a.yaml", evaluation("Ash School", "111111", "2026-03-01"))
    write_yaml(tmp_path / "b.yaml", evaluation("Ash School", "111111", "2026-03-01", {"B1.1.1": "no"}))
    write_yaml(tmp_path / "c.yaml", evaluation("Ash School", "111111", "2025-11-01"))
    write_yaml(tmp_path / "d.yaml", evaluation("Birch School", None, "2026-03-01", site="North"))
    write_yaml(tmp_path / "e.yaml", evaluation("birch school ", None, "2026-03-01", site="north"))
    write_yaml(tmp_path / "f.yaml", evaluation("Birch School", None, "2026-03-01", site="South"))
    for all_terms in (False, True):
        s = collect([tmp_path], all_terms=all_terms).summary()
        assert [(d.counted, d.not_counted) for d in s.duplicates] == [
            (str(tmp_path / "a.yaml"), [str(tmp_path / "b.yaml")]),
            (str(tmp_path / "d.yaml"), [str(tmp_path / "e.yaml")]),  # same name and site, spelt differently
        ]
        assert s.overall.evaluations == (4 if all_terms else 3)
        assert "more than one evaluation dated 2026-03-01" in s.duplicates[0].describe()


def test_a_duplicate_with_no_name_is_described_in_words_not_by_its_key(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_yaml(tmp_path / f"{name}.yaml", evaluation("", None, "2026-03-01"))
    described = collect([tmp_path]).summary().duplicates[0].describe()
    assert described.startswith("An institution with no name has more than one evaluation dated 2026-03-01")
    assert "name:" not in described


def test_every_bad_file_is_listed(tmp_path: Path) -> None:
    write_yaml(tmp_path / "good.yaml", evaluation("Ash School", "111111", "2026-03-01"))
    wrong = evaluation("Elm School", "222222", "2026-03-01")
    wrong["framework"] = "gatsby-1999-schools"
    write_yaml(tmp_path / "wrong-framework.yaml", wrong)
    write_yaml(tmp_path / "bad-answer.yaml", evaluation("Oak School", "333333", "2026-03-01", {"B1.1.1": "maybe"}))
    (tmp_path / "empty.yml").write_text("", encoding="utf-8")
    (tmp_path / "no-such-day.yaml").write_text("evaluation: {date: 2026-02-30}\n", encoding="utf-8")
    (tmp_path / "list.json").write_text("[1, 2]", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an answer file", encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text(": :", encoding="utf-8")
    s = collect([tmp_path]).summary()
    reasons = {Path(b.file).name: " ".join(b.reasons) for b in s.bad_files}
    assert set(reasons) == {"wrong-framework.yaml", "bad-answer.yaml", "empty.yml", "list.json", "no-such-day.yaml"}
    assert "a date that does not exist (2026-02-30)" in reasons["no-such-day.yaml"]
    assert "unknown framework 'gatsby-1999-schools'" in reasons["wrong-framework.yaml"]
    assert "expected one of: yes; no; got 'maybe'" in reasons["bad-answer.yaml"]
    assert "answers.B1.1.1" in reasons["bad-answer.yaml"]
    assert s.overall.evaluations == 1


def test_library_entry_point(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        summarise([tmp_path / "missing"])
    with pytest.raises(InputError, match="no answer files"):
        summarise([tmp_path])
    (tmp_path / "bad.yaml").write_text("a: [", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        summarise([tmp_path])
    assert caught.value.problems[0].file == str(tmp_path / "bad.yaml")
    assert summarise([HUB], group_by=GroupBy.la).overall.evaluations == 12


def test_memory_holds_rows_not_results() -> None:
    """What is kept per evaluation is a small Row, not the Result."""
    summariser = Summariser()
    for path in sorted(HUB.rglob("*.yaml")):
        summariser.add(path)
    assert summariser.counted == 12
    assert all(type(r) is Row for r in summariser.rows())
    loaded = load_evaluation(next(HUB.rglob("aire-valley*.yaml")))
    row = row_of(loaded, loaded.sheet(), FrameworkInfo.of(loaded.framework))
    assert not hasattr(row, "__dict__")  # slots: no per-row dictionary
    assert read_yaml(next(HUB.rglob("aire-valley*.yaml")))["institution"]["urn"] == "990101"


def test_institutions_sort_as_a_person_reads_them(tmp_path: Path) -> None:
    """Issue 21: School 1, 10, 11, ... 2 sorted as text; numbers in names now count as numbers."""
    names = ["School 10", "School 2", "school 1", "School 11", "Abbey School", "School 2a", "6th Form College"]
    for n, name in enumerate(names):
        doc = evaluation(name, f"90{n:04d}", "2026-03-01", local_authority=f"Area {10 - n}")
        write_yaml(tmp_path / f"{n}.yaml", doc)
    found = summarise([tmp_path], group_by=GroupBy.la)
    assert [r.name for r in found.rows] == [
        "6th Form College", "Abbey School", "school 1", "School 2", "School 2a", "School 10", "School 11"]
    assert [g.label for g in found.groups] == [f"Area {n}" for n in range(4, 11)]


def test_benchmarks_and_criteria_keep_the_frameworks_own_order(tmp_path: Path) -> None:
    """Not read as numbers: a framework that lists its second benchmark first is summarised in that order, and
    criteria tied on every figure are listed in the framework's order."""
    folder = tmp_path / "frameworks" / "mini-reordered"
    shutil.copytree(MINI, folder)
    meta = read_yaml(folder / "framework.yaml")
    meta.update(id="mini-reordered", benchmarks=["b2.yaml", "b1.yaml"])
    write_yaml(folder / "framework.yaml", meta)
    answers = evaluation("Ash School", "111111", "2026-03-01", {"B1.1.1": "yes"})
    answers["framework"] = str(folder)
    write_yaml(tmp_path / "hub" / "ash.yaml", answers)
    summary = collect([tmp_path / "hub"]).summary()
    assert [b.id for b in summary.overall.benchmarks] == ["B2", "B1"]
    framework_order = [c.id for c in load_framework(folder).criteria()]
    tied = [c.id for c in summary.criteria if not c.scored]  # nothing of theirs answered
    assert tied == [cid for cid in framework_order if cid in tied] and len(tied) == 4


def test_ids_of_several_frameworks_in_one_order() -> None:
    assert in_one_order([["B1", "B2", "B4"], ["B1", "B2", "B3", "B4", "B9"]]) == ["B1", "B2", "B3", "B4", "B9"]
    assert in_one_order([["CL-10", "CL-2"], ["START", "CL-2"]]) == ["START", "CL-10", "CL-2"]
