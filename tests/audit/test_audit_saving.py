"""The answer-file writer: what it writes loads back to the same evaluation."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass_cli.audit.saving import answer_file_text, check_writable
from compass_cli.core.evaluation import Evaluation, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import AnswerFile, EvaluationDetails, Institution, Note, Person, Question, QuestionKind
from compass_cli.errors import SaveError
from compass_cli.files import write_atomic

FW = load_framework("gatsby-2025-schools")
typed_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"), min_size=1, max_size=60
).map(str.strip).filter(bool)


def answer_for(fw: Framework, q: Question) -> st.SearchStrategy[Any]:
    if q.kind in (QuestionKind.yes_no, QuestionKind.choice, QuestionKind.agreement):
        return st.sampled_from([o.value for o in fw.options(q)])
    if q.kind is QuestionKind.checklist:
        ids = [i.id for i in q.items or []]
        return st.lists(st.sampled_from(ids), unique=True).map(lambda xs: [i for i in ids if i in xs])
    if q.kind is QuestionKind.share:
        bands = st.sampled_from([o.value for o in fw.options(q)])
        return st.fixed_dictionaries({g: bands for g in q.groups or []})
    if q.kind is QuestionKind.number:
        return st.integers(int(q.min or 0), int(q.max if q.max is not None else 10_000))
    return typed_text


@st.composite
def evaluations(draw: st.DrawFn) -> tuple[AnswerFile, dict[str, Any]]:
    chosen = draw(st.lists(st.sampled_from(FW.questions()), unique_by=lambda q: q.id))
    answers = {q.id: draw(answer_for(FW, q)) for q in chosen}
    notes = {q.id: Note(note=draw(st.none() | typed_text), evidence=draw(typed_text),
                        changed=draw(st.none() | st.just(True)))
             for q in draw(st.lists(st.sampled_from(FW.questions()), unique_by=lambda q: q.id, max_size=4))}
    inst = Institution(name=draw(typed_text), urn=draw(st.none() | st.from_regex(r"\A[0-9]{6}\Z")),
                       sixth_form=draw(st.booleans()),
                       learners={g: draw(st.integers(0, 400)) for g in FW.meta.year_groups})
    evaluation = EvaluationDetails(date=draw(st.dates(dt.date(2015, 1, 1), dt.date.today())),
                            completed_by=Person(name=draw(st.none() | typed_text), role=draw(st.none() | typed_text)))
    return AnswerFile(framework=FW.id, institution=inst, evaluation=evaluation, notes=notes), answers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(evaluation=evaluations())
def test_what_is_written_loads_back_the_same(tmp_path: Path, evaluation: tuple[AnswerFile, dict[str, Any]]) -> None:
    model, answers = evaluation
    path = tmp_path / "answers.yaml"
    text = answer_file_text(Evaluation(FW, model, answers))
    write_atomic(path, text)
    loaded = load_evaluation(path, FW)
    assert loaded.answers == answers
    assert loaded.answer_file.institution == model.institution
    assert loaded.answer_file.evaluation == model.evaluation
    assert loaded.answer_file.notes == model.notes
    assert answer_file_text(loaded) == text  # stable: same bytes again


def test_keys_come_in_a_stable_order(fw: Framework) -> None:
    answers = {"B2.1.1": "all", "B1.1.3": "partly", "B1.1.1": "yes"}
    answers["B2.1.1"] = {"KS3": "all", "KS4": "most"}
    model = AnswerFile(framework=fw.id, institution=Institution(name="Hilltop"),
                       evaluation=EvaluationDetails(date=dt.date(2025, 11, 25)),
                       notes={"B1.1": Note(note="criterion note"), "B1.1.3": Note(evidence="minutes")})
    text = answer_file_text(Evaluation(fw, model, answers))
    data = yaml.safe_load(text)
    assert list(data) == ["format", "framework", "institution", "evaluation", "answers", "notes"]
    assert list(data["answers"]) == ["B1.1.1", "B1.1.3", "B2.1.1"]
    assert list(data["notes"]) == ["B1.1.3", "B1.1"]
    assert "  # B1 A stable careers programme\n  B1.1.1: 'yes'\n" in text
    assert "  B2.1.1: {KS3: all, KS4: most}\n" in text


def test_a_read_only_file_is_refused_before_anything_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("x")
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    with pytest.raises(SaveError, match="read-only"):
        check_writable(path)
    path.chmod(0o644)
    check_writable(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="an administrator can write to a read-only folder")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "answers.yaml").write_text("x")
    folder.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="read-only"):
            check_writable(folder / "answers.yaml")
    finally:
        folder.chmod(0o755)
