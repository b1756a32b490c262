"""One evaluation: an answer file, the framework it answers, and its answers checked.

Every command that reads an answer file starts here. :func:`load_evaluation` reads one
file, finds its framework (on the search path, or the one given) and checks every answer
against it, reporting every problem at once; :func:`evaluate` does that and scores it.
An :class:`Evaluation` carries the answer file and the framework together, so no caller
passes them side by side, and its answers are already in canonical form (kinds.py).

No user interface here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from compass_cli.core import loading
from compass_cli.core.answers import check, normalise
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import Frameworks, load_framework
from compass_cli.core.models import AnswerFile, Institution, Note, Result
from compass_cli.core.scoring import check_partial_credit
from compass_cli.errors import InputError, Problem, UsageError

if TYPE_CHECKING:
    from compass_cli.core.compiled import Sheet


@dataclass(frozen=True)
class Evaluation:
    """An evaluation of one institution, as its answer file has it.

    ``answers`` are the canonical answers (checked against ``framework``); the answer file
    keeps the rest (who and when, the institution, notes, and answers to questions this
    edition no longer asks, as written). ``path`` is where it was read from, if anywhere.
    """

    framework: Framework
    answer_file: AnswerFile
    answers: Mapping[str, Any]
    path: Path | None = None

    @property
    def institution(self) -> Institution:
        return self.answer_file.institution

    @property
    def notes(self) -> Mapping[str, Note]:
        return self.answer_file.notes

    @property
    def source(self) -> str | None:
        """The file it was read from, as every output names it."""
        return None if self.path is None else str(self.path)

    def sheet(self, partial_credit: float = 0.0) -> Sheet:
        """The evaluation scored by its compiled framework (compiled.py): the figures of scoring.score, as
        plain tuples; ``sheet.result(evaluation)`` is the Result."""
        check_partial_credit(partial_credit)
        return self.framework.compiled.sheet(self.answers, self.institution.sixth_form, partial_credit)


@dataclass(frozen=True)
class ScoredEvaluation:
    """An evaluation and its result: what a report, a comparison or a summary row is made from."""

    evaluation: Evaluation
    result: Result

    @property
    def framework(self) -> Framework:
        return self.evaluation.framework

    @property
    def answer_file(self) -> AnswerFile:
        return self.evaluation.answer_file

    @property
    def answers(self) -> Mapping[str, Any]:
        return self.evaluation.answers


def load_evaluation(path: str | Path, framework: Framework | None = None,
                    frameworks: Frameworks | None = None) -> Evaluation:
    """Read one answer file and check every answer against its framework.

    ``framework`` is used when given (and must match the file's framework id); otherwise
    the framework the file names is found on the search path (``frameworks``; by default
    COMPASS_FRAMEWORKS, then the bundled ones) and loaded. InputError lists every problem.
    """
    path = Path(path)
    doc = loading.read_document(path, max_bytes=loading.MAX_ANSWER_BYTES)
    if doc.data and AnswerFile.model_fields.keys().isdisjoint(doc.data):
        raise InputError.one(path, "is not an answer file: it has no framework, institution, evaluation or "
                             "answers (a records mapping, or another YAML file?)", 1)
    problems: list[Problem] = []
    answer_file: AnswerFile | None = None
    try:
        answer_file = loading.validate(AnswerFile, doc)
    except InputError as exc:  # keep going: the answers are checked too, so every problem shows at once
        problems += exc.problems
    named = answer_file.framework if answer_file is not None else doc.data.get("framework")
    if framework is not None and framework.id != named:
        raise InputError.one(path, f"is an evaluation for framework '{named}', not '{framework.id}'",
                             doc.line_of(("framework",)), "framework")
    if framework is None and isinstance(named, str) and not any(p.path == "framework" for p in problems):
        try:
            framework = load_framework(named, frameworks)
        except UsageError as exc:
            problems.append(Problem(str(path), exc.message, doc.line_of(("framework",)), "framework"))
    answers: dict[str, Any] = {}
    if framework is not None:
        if answer_file is not None:
            answers, found = normalise(framework, answer_file)
        else:
            data = doc.data
            inst = data.get("institution") if isinstance(data.get("institution"), dict) else {}
            answers, found = check(framework, data.get("answers"), inst.get("type"), inst.get("learners"),
                                   data.get("notes"))
        seen = {(p.path, p.message) for p in problems}
        problems += [Problem(str(path), p.message, doc.line_of(p.path_parts), p.where) for p in found
                     if (p.where, p.message) not in seen]
    if problems or answer_file is None or framework is None:
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise InputError(f"{path}: invalid", problems)
    return Evaluation(framework, answer_file, answers, path)


def evaluate(path: str | Path, *, frameworks: Frameworks | None = None, partial_credit: float = 0.0,
             gaps: bool = True) -> ScoredEvaluation:
    """Read, check and score one answer file: what ``score``, ``report`` and ``compare`` do with
    every file they are given (see scoring.score for ``partial_credit`` and ``gaps``; the
    scoring is the compiled framework's, which gives the same Result)."""
    evaluation = load_evaluation(path, frameworks=frameworks)
    return ScoredEvaluation(evaluation, evaluation.sheet(partial_credit).result(evaluation, gaps))
