"""The compiled framework (core/compiled.py) checks and scores exactly as the kinds and scoring.py do.

The rule stated step by step (reference_scoring.py) is the reference; the compiled form is what
the library, a summary and every command use. For random answer files of every bundled
framework (and the hand-checkable mini one), as a person might write them (labels, odd spellings,
shares half-answered, questions not asked, answers that are wrong), each answer checks to the same
canonical answer or the same error, and every answer file scores to the same Result, with and
without gaps and partial credit, and to the same summary row.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compass_cli.core.answers import check
from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import bundled_frameworks, load_framework
from compass_cli.core.models import AnswerFile, Question, QuestionKind
from compass_cli.core.scoring import question_states, score
from compass_cli.core.summarising import FrameworkInfo, row_of

from ..conftest import MINI, answer_doc
from . import reference_scoring

FRAMEWORKS = [*bundled_frameworks(), MINI]


@pytest.fixture(scope="module", params=FRAMEWORKS, ids=lambda p: p.name)
def framework(request: pytest.FixtureRequest) -> Framework:
    return load_framework(request.param)


def _written(draw: Any, fw: Framework, q: Question) -> Any:
    """An answer to ``q`` as a person might write it: mostly right, sometimes spelt otherwise, sometimes wrong."""
    options = fw.options(q)
    words = [o.value for o in options] + [o.label for o in options] + [o.label.upper() for o in options]
    if q.kind in (QuestionKind.yes_no, QuestionKind.choice, QuestionKind.agreement):
        return draw(st.sampled_from([*words, True, False, "Y", "nope", 3]))
    if q.kind is QuestionKind.share:
        groups = list(q.groups or []) + [fw.group(g).label for g in q.groups or []]
        per_group = st.dictionaries(st.sampled_from([*groups, "Y99"]), st.sampled_from([*words, "", None, "lots"]),
                                    max_size=len(groups))
        return draw(st.one_of(per_group, st.sampled_from([*words, "lots"])))
    if q.kind is QuestionKind.checklist:
        items = [i.id for i in q.items or []]
        listed = st.lists(st.sampled_from([*items, *(i.upper() for i in items), "nothing-like-it", 7]),
                          max_size=len(items) + 2)
        return draw(st.one_of(listed, st.just(", ".join(items[:2])), st.just("none")))
    if q.kind is QuestionKind.number:
        return draw(st.one_of(st.integers(-2, int(q.target or 10) * 2), st.sampled_from([2.5, 3.0, "12", "1,200",
                                                                                         "ten", True])))
    return draw(st.sampled_from(["In the careers folder", "", 12, ["a list"]]))


@st.composite
def answer_files(draw: Any, fw: Framework) -> tuple[bool, dict[str, Any]]:
    """A sixth-form flag and answers as written: some questions left out, some answered that are not asked,
    in any order."""
    answers = {q.id: _written(draw, fw, q) for q in fw.questions() if draw(st.integers(0, 9))}
    return draw(st.booleans()), dict(draw(st.permutations(list(answers.items()))))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_each_answer_checks_as_its_kind_reads_it(framework: Framework, data: st.DataObject) -> None:
    _, written = data.draw(answer_files(framework))
    for qid, raw in written.items():
        q = framework.question(qid)
        expected = framework.kind(q).canonical(framework, q, raw)
        first = framework.compiled.canonical(q, raw)
        assert first == expected, (qid, raw)
        if isinstance(first[0], (list, dict)):
            first[0].clear()  # changing one evaluation's answer changes no other's
        assert framework.compiled.canonical(q, raw) == expected, (qid, raw)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.function_scoped_fixture])
@given(data=st.data(), partial_credit=st.sampled_from([0.0, 0.5]), gaps=st.booleans())
def test_the_compiled_scorer_gives_the_reference_result(framework: Framework, data: st.DataObject,
                                                        partial_credit: float, gaps: bool) -> None:
    sixth_form, written = data.draw(answer_files(framework))
    model = AnswerFile.model_validate(answer_doc(framework.id, {}, sixth_form))
    answers, problems = check(framework, written, None, None, None)
    assert all(p.path_parts[0] == "answers" for p in problems)
    evaluation = Evaluation(framework, model, answers)
    assert question_states(framework, answers, sixth_form) == reference_scoring.question_states(
        framework, answers, sixth_form)
    expected = reference_scoring.score(evaluation, partial_credit=partial_credit, gaps=gaps)
    sheet = evaluation.sheet(partial_credit)
    found = sheet.result(evaluation, gaps)
    assert found == expected
    assert found.model_dump() == expected.model_dump()
    assert score(evaluation, partial_credit=partial_credit, gaps=gaps) == expected  # the library's, the same
    row = row_of(evaluation, sheet, FrameworkInfo.of(framework))
    assert row.scores == tuple(b.score for b in expected.benchmarks)
    assert row.achieved == tuple(b.achieved for b in expected.benchmarks)
    assert row.areas == tuple((b.areas_met, b.areas) for b in expected.benchmarks)
    letters = {"achieved": "A", "in_progress": "P", "not_achieved": "N", "unscored": "U", "not_applicable": "X"}
    assert row.criteria == "".join(letters[c.status.value] for b in expected.benchmarks for c in b.criteria)
    assert (row.benchmarks_achieved, row.average_score, row.unanswered) == (
        expected.benchmarks_achieved, expected.average_score, len(expected.unanswered))
    assert row.type == expected.institution.type


def test_the_compiled_form_is_kept_with_the_framework_without_the_answers_remembered(schools: Framework) -> None:
    """The cache between commands pickles the framework, its compiled form with it; what one process
    remembered of its answer files is not kept."""
    q = schools.question("B1.1.1")
    schools.compiled.canonical(q, "Yes")
    assert schools.compiled._remembered
    copy = pickle.loads(pickle.dumps(schools))
    assert copy.compiled.framework is copy and copy.compiled._remembered == {}
    assert copy.compiled.canonical(q, "Yes") == ("yes", None)
