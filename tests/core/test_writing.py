"""The answer-file writer: what it writes loads back to the same evaluation, and libyaml writes PyYAML's bytes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from compass_cli.cli import app
from compass_cli.core import writing
from compass_cli.core.evaluation import Evaluation, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import AnswerFile, EvaluationDetails, Institution, Note, Person, Question, QuestionKind
from compass_cli.files import write_atomic

from ..conftest import EXAMPLES

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
    return typed_text | st.just("")  # "": left blank on purpose at the audit's Enter (issue 21), kept as such


def pure_python(monkeypatch: pytest.MonkeyPatch, write: Callable[[], str]) -> str:
    """What ``write`` gives with PyYAML's pure-Python emitter, as on a machine without libyaml."""
    with monkeypatch.context() as m:
        m.setattr(writing, "_FastDumper", None)
        return write()


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
def test_what_is_written_loads_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             evaluation: tuple[AnswerFile, dict[str, Any]]) -> None:
    model, answers = evaluation
    path = tmp_path / "answers.yaml"
    text = writing.answer_file_text(Evaluation(FW, model, answers))
    assert text == pure_python(monkeypatch, lambda: writing.answer_file_text(Evaluation(FW, model, answers)))
    write_atomic(path, text)
    loaded = load_evaluation(path, FW)
    assert loaded.answers == answers
    assert loaded.answer_file.institution == model.institution
    assert loaded.answer_file.evaluation == model.evaluation
    assert loaded.answer_file.notes == model.notes
    assert writing.answer_file_text(loaded) == text  # stable: same bytes again


def test_keys_come_in_a_stable_order(schools: Framework) -> None:
    fw = schools
    answers = {"B2.1.1": "all", "B1.1.3": "partly", "B1.1.1": "yes"}
    answers["B2.1.1"] = {"KS3": "all", "KS4": "most"}
    model = AnswerFile(framework=fw.id, institution=Institution(name="Hilltop"),
                       evaluation=EvaluationDetails(date=dt.date(2025, 11, 25)),
                       notes={"B1.1": Note(note="criterion note"), "B1.1.3": Note(evidence="minutes")})
    text = writing.answer_file_text(Evaluation(fw, model, answers))
    data = yaml.safe_load(text)
    assert list(data) == ["format", "framework", "institution", "evaluation", "answers", "notes"]
    assert list(data["answers"]) == ["B1.1.1", "B1.1.3", "B2.1.1"]
    assert list(data["notes"]) == ["B1.1.3", "B1.1"]
    assert "  # B1 A stable careers programme\n  B1.1.1: 'yes'\n" in text
    assert "  B2.1.1: {KS3: all, KS4: most}\n" in text


# --------------------------------------------------------------------------- libyaml's emitter and PyYAML's

needs_libyaml = pytest.mark.skipif(writing._FastDumper is None, reason="PyYAML was built without libyaml")


@needs_libyaml
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_is_written_to_the_same_bytes_by_either_emitter(path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    evaluation = load_evaluation(path)
    used: list[type[Any]] = []
    choose = writing.dumper_for
    monkeypatch.setattr(writing, "dumper_for", lambda data: used.append(choose(data)) or used[-1])
    fast = writing.answer_file_text(evaluation)
    assert set(used) == {writing._FastDumper}  # these were libyaml's bytes
    assert fast == pure_python(monkeypatch, lambda: writing.answer_file_text(evaluation))


#: Words YAML may read as something else, or that need quoting.
TRICKY = ["010", "0x1F", "1e3", "12:30", "2025-01-01", "yes", "no", "on", "off", "y", "n", "true", "null", "~",
          ".inf", "", " ", "- a", "a: b", "#x", " #x", "'", '"', "\\", "=1+2", "@x", "!x", "&a", "*a", "|", ">",
          "{", "[", "?", ",", "---", "...", "%"]
#: Text as people type it, with letters from everywhere (but nothing written as an escape).
PLAIN = st.text(st.characters(codec="utf-8", max_codepoint=0xFFFD, exclude_categories=("Cc", "Cs"),
                              exclude_characters="\u2028\u2029\ufeff"), max_size=30)
#: Anything at all: control characters, line breaks, characters beyond U+FFFF.
ANY = st.text(st.characters(codec="utf-8"), max_size=30)


def _long(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A long note: many pieces with spaces, so the emitters have to fold it across lines."""
    return st.lists(pieces, min_size=10, max_size=60).map(" ".join)


WORDS = st.one_of(st.sampled_from(TRICKY), PLAIN, ANY, _long(st.sampled_from(TRICKY) | PLAIN), _long(ANY))
LEAF = WORDS | st.integers(-10, 10**9) | st.floats(allow_nan=False) | st.booleans() | st.dates()
ID = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,12}\Z")


@needs_libyaml
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(ID | WORDS, LEAF | st.lists(WORDS, max_size=4) | st.dictionaries(ID, WORDS, max_size=4)
                            | st.dictionaries(ID, LEAF, max_size=3).map(writing._Block), max_size=6))
def test_either_emitter_gives_the_same_bytes(monkeypatch: pytest.MonkeyPatch, data: dict[Any, Any]) -> None:
    """Whatever an answer file holds, the writer gives PyYAML's own bytes: libyaml's where they are the same."""
    assert writing.dumped(data) == pure_python(monkeypatch, lambda: writing.dumped(data))


@needs_libyaml
def test_libyaml_writes_what_it_writes_as_pyyaml_does() -> None:
    """It is used for text people type (not only for ids), and left to PyYAML only where the two differ."""
    assert writing.dumper_for({"B1.1.1": {"note": "Governors' minutes, 12 October: “approved” – café 010 yes"}}) \
        is writing._FastDumper
    for escaped in ("a\nb", "tab\there", "\x1b[2J", "\u2028", "\ufeff", "emoji \U0001F600"):
        assert writing.dumper_for({"notes": [escaped]}) is writing._Dumper, escaped


def test_without_libyaml_the_file_is_written_the_same(tmp_path: Path) -> None:
    """A Python whose PyYAML has no C emitter writes the same file, through PyYAML's own."""
    example = EXAMPLES / "st-marys-catholic-college.yaml"
    code = ("import sys, yaml\n"
            "del yaml.CSafeDumper\n"
            "from pathlib import Path\n"
            "from compass_cli.core import writing\n"
            "from compass_cli.core.evaluation import load_evaluation\n"
            "assert writing._FastDumper is None\n"
            f"sys.stdout.write(writing.answer_file_text(load_evaluation(Path({str(example)!r}))))\n")
    written = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert written == writing.answer_file_text(load_evaluation(example))


@pytest.mark.parametrize(("command", "first"), [
    ("audit", "# compass answer file, written by 'compass audit' after every answer."),
    ("migrate", "# compass answer file, written by 'compass migrate'."),
])
def test_the_first_line_names_the_command_that_wrote_the_file(command: str, first: str, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    if command == "audit":
        text = writing.answer_file_text(load_evaluation(EXAMPLES / "riverside-high.yaml"))
    else:
        result = CliRunner().invoke(app, ["migrate", str(EXAMPLES / "riverside-high-2025-spring-2014-edition.yaml"),
                                          "--to", "gatsby-2025-schools", "-o", "new.yaml"])
        assert result.exit_code == 0, result.output
        text = Path("new.yaml").read_text(encoding="utf-8")
    assert first in text.splitlines()
    assert "compass audit'" not in text.replace(first, "") or command == "audit"
