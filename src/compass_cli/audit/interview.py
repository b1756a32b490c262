"""The interactive audit: walks a careers leader through an evaluation, saving every answer.

The loop talks to the person only through a ``Prompter`` (show this, ask that), so tests
and the keystroke benchmark drive it without a terminal; terminal.py is the rich-based
prompter people use. No rich and no typer here.

How the walk goes:

* Steps are the institution section (name, URN, sixth form, learner numbers, who completes
  it) and then every question, in questionnaire order. Which steps are asked is worked out
  again after every answer (``scoring.applicable_answers``), so follow-up questions appear
  and disappear as answers change.
* How a step is asked, and how its answer is taken, comes from the core: a question's from its
  kind (kinds.Kind.ask), an institution field's from its entry in institution.FIELDS, each as
  an asking.Ask naming its family of prompt. This module turns each family into a prompt in one
  place (``_FAMILIES``) and names no kind of question and no field.
* By default the walk goes to the next *unanswered* step, so a resumed audit carries on
  where it stopped; ``review`` walks every step. The institution section is walked as a
  block whenever it is incomplete. ``start_at`` (``--at``) starts the walk at a question or
  benchmark, which is how a stopped review carries on: ``position`` is the step on screen.
* Leaving a benchmark's last question shows that benchmark's score and areas met.
* Every answer is saved at once (files.write_atomic), so Ctrl-C, a closed lid or a power cut
  loses at most the question on screen.
* An answer is kept until the user clears it (``x``). An answer whose question is not asked
  now (a changed answer hid it, the school has no sixth form now, the Y12 and Y13 bands of
  a share answer) stays in the file, "kept, not counted": scoring ignores it, and it comes
  back into play when the answer that hid it changes back. Learner numbers of sixth-form
  years are kept the same way. One mistaken key never deletes answers.
* Copy-forward: the previous evaluation's answers are offered as defaults but are written
  to the new file only when confirmed (Enter), so a half-finished re-evaluation never claims
  last term's answers as this term's, and resuming it finds the first unconfirmed question.
  Confirmed answers that differ from last time are marked ``changed: true`` in the notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from compass_cli.audit.prompts import (
    Answer,
    ChecklistPrompt,
    Choice,
    ChoicePrompt,
    Heading,
    NumberPrompt,
    Progress,
    Reply,
    SharePrompt,
    TextPrompt,
    lettered_options,
    numbered,
)
from compass_cli.core.answers import canonical
from compass_cli.core.asking import Ask, Family
from compass_cli.core.comparing import Comparison, compare
from compass_cli.core.evaluation import Evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.institution import FIELDS, About, Field
from compass_cli.core.kinds import said
from compass_cli.core.models import (
    AnswerFile,
    BenchmarkResult,
    EvaluationDetails,
    Institution,
    InstitutionFieldName,
    Note,
    Question,
    Result,
    Words,
    uk_date,
)
from compass_cli.core.scoring import applicable_answers, score
from compass_cli.core.writing import answer_file_text
from compass_cli.files import check_writable, write_atomic

INSTITUTION = "Institution"


# --------------------------------------------------------------------------- what the prompter sees


@dataclass(frozen=True)
class Section:
    """The start of a section: the institution, or a benchmark with its summary."""

    id: str
    number: int
    sections: int
    title: str
    summary: str


@dataclass(frozen=True)
class SectionProgress:
    id: str
    title: str
    answered: int
    count: int


class Prompter(Protocol):
    """Everything the interview needs from a user interface."""

    def show_section(self, section: Section) -> None:
        """A new section starts: show its title and summary."""

    def show_help(self, heading: Heading) -> None:
        """Show the help of the question on screen and the commands."""

    def show_progress(self, sections: list[SectionProgress]) -> None:
        """Show how far each section has got."""

    def show_benchmark_score(self, benchmark: BenchmarkResult) -> None:
        """A benchmark's score and areas met, as its last question is left."""

    def show_message(self, text: str) -> None:
        """A short message: a problem with an answer, the end of the list, a saved note."""

    def ask_choice(self, prompt: ChoicePrompt) -> Reply:
        """One of several options (yes/no questions take letters)."""

    def ask_checklist(self, prompt: ChecklistPrompt) -> Reply:
        """Any number of items ticked."""

    def ask_share(self, prompt: SharePrompt) -> Reply:
        """A share-of-learners band for each group."""

    def ask_number(self, prompt: NumberPrompt) -> Reply:
        """A whole number."""

    def ask_text(self, prompt: TextPrompt) -> Reply:
        """Free text."""

    def confirm(self, text: str, default: bool) -> bool:
        """A yes/no decision about the audit itself (not an answer)."""


# --------------------------------------------------------------------------- steps


@dataclass(frozen=True)
class Step:
    """One thing asked: a question, or an institution field (for one year group, if it is asked for each)."""

    section: int
    question: Question | None = None
    field: Field | None = None
    group: str | None = None

    @property
    def key(self) -> str:
        if self.question is not None:
            return self.question.id
        name = self.field.name.value if self.field is not None else ""
        return f"institution.{name}" + (f".{self.group}" if self.group else "")


class Interview:
    """One audit of one answer file."""

    def __init__(
        self,
        framework: Framework,
        path: Path,
        prompter: Prompter,
        *,
        evaluation: Evaluation | None = None,
        previous: Evaluation | None = None,
        review: bool = False,
        start_at: str | None = None,
        today: dt.date | None = None,
        writer: Callable[[Path, str], object] = write_atomic,
    ) -> None:
        self.framework = framework
        self.path = path
        self.prompter = prompter
        self.previous = previous
        self.review = review
        self.start_at = start_at
        self.writer = writer
        today = today or dt.date.today()
        #: a new evaluation offers no answer the model only guessed (no sixth form) until it is given
        self._guesses_known = evaluation is not None or previous is not None
        self._given: set[InstitutionFieldName] = set()
        if evaluation is not None:
            model, answers = evaluation.answer_file, evaluation.answers
        else:
            answers = {}
            if previous is not None:  # copy forward who we are; what is asked afresh (learner numbers) is asked again
                before = previous.answer_file
                inst = before.institution
                for field in FIELDS.values():
                    inst = field.reset(inst)
                details = EvaluationDetails(date=today, completed_by=before.evaluation.completed_by)
                notes = {k: n.model_copy(update={"changed": None}) for k, n in before.notes.items()}
            else:
                inst = Institution(type=framework.meta.institution.default_type)
                details = EvaluationDetails(date=today)
                notes = {}
            model = AnswerFile(framework=framework.id, institution=inst, evaluation=details, notes=notes)
        self.institution: Institution = model.institution
        #: when the evaluation is made and by whom (the answer file's ``evaluation`` section)
        self.details: EvaluationDetails = model.evaluation
        self.answers: dict[str, Any] = dict(answers)
        #: answers to questions this edition no longer asks, as the file has them: kept, never asked
        self.retired: dict[str, Any] = {k: v for k, v in model.answers.items() if k in framework.meta.retired}
        self.notes: dict[str, Note] = {k: v for k, v in model.notes.items() if _has_content(v)}
        self.saves = 0
        #: whether anything has been asked yet (a save that fails before that has lost nothing)
        self.asked = False
        self._shown_section: int | None = None
        #: the step on screen (or last on screen): where a stopped review carries on
        self.position: Step | None = None

    # ----------------------------------------------------------------- state

    @property
    def sixth_form(self) -> bool:
        return self.institution.sixth_form

    @property
    def about(self) -> About:
        """The institution and who completes the evaluation, as they stand."""
        return self.institution, self.details

    @property
    def setting_words(self) -> Words:
        """The setting's words for this institution's type (an ITP's learners are apprentices and trainees)."""
        return self.framework.meta.words(self.institution.type)

    def year_groups(self) -> list[str]:
        fw = self.framework
        return [g for g in fw.meta.year_groups if self.sixth_form or not fw.group(g).sixth_form]

    def institution_complete(self) -> bool:
        """Everything the questions need is given: the name, the learner numbers of every year group asked."""
        groups = self.year_groups()
        return all(FIELDS[f.field].complete(self.about, groups) for f in self.framework.meta.institution.fields)

    def institution_steps(self) -> list[Step]:
        """The institution steps, as the framework's institution section asks them (a field asked for each
        year group, such as learner numbers, once per year group asked)."""
        out: list[Step] = []
        for asked in self.framework.meta.institution.fields:
            field = FIELDS[asked.field]
            out += [Step(0, field=field, group=g) for g in (self.year_groups() if field.per_group else [None])]
        return out

    def steps(self) -> list[Step]:
        """Every step asked of this institution now, in order."""
        out = self.institution_steps()
        shown = applicable_answers(self.framework, self.answers, self.sixth_form)
        for number, bench in enumerate(self.framework.benchmarks, start=1):
            out += [Step(number, question=q) for q in bench.questions() if shown[q.id]]
        return out

    def find(self, ref: str) -> Step:
        """The step ``--at`` names: a question id (B3.2.1), a benchmark id (B3) or ``institution``.

        A question not asked of this institution now gives the next step that is. Raises
        ValueError, worded for the user, when nothing of that name is in the questionnaire.
        """
        fw, want = self.framework, ref.strip().casefold()
        steps = self.steps()
        if want == "institution":
            return steps[0]
        for number, bench in enumerate(fw.benchmarks, start=1):
            if bench.id.casefold() == want:
                first = next((s for s in steps if s.section == number), None)
                if first is None:
                    raise ValueError(f"nothing in {bench.id} is asked of this {self.setting_words.institution}")
                return first
        order = [q.id for q in fw.questions()]
        found = next((i for i, qid in enumerate(order) if qid.casefold() == want), None)
        if found is None:
            raise ValueError(f"{ref} is not a question or benchmark of {fw.meta.title}; give a question id such "
                             f"as {order[0]}, a benchmark id such as {fw.benchmarks[0].id}, or institution")
        asked = {s.key: s for s in steps}
        for qid in order[found:]:
            if qid in asked:
                return asked[qid]
        where = self.setting_words.institution
        raise ValueError(f"{ref} is not asked of this {where} now, nor is any question after it")

    def applicable(self) -> dict[str, Any]:
        """The answers that count: those of questions asked, share answers cut to asked groups."""
        shown = applicable_answers(self.framework, self.answers, self.sixth_form)
        out: dict[str, Any] = {}
        fw = self.framework
        for q in fw.questions():
            if shown[q.id] and q.id in self.answers:
                out[q.id] = fw.kind(q).asked_part(fw, q, self.answers[q.id], self.sixth_form)
        return out

    def kept(self) -> list[str]:
        """Answers kept in the file but not counted now: their question (or group) is not asked now, or no longer."""
        result = self.result()
        return result.ignored + result.no_longer_asked

    def answered(self, step: Step) -> bool:
        if step.question is None:
            return self.institution_complete()
        q = step.question  # kept bands of groups not asked now do not count
        return self.framework.kind(q).complete(self.framework, q, self.answers.get(q.id), self.sixth_form)

    def answer_file(self) -> AnswerFile:
        """Who, when and the notes, as saved: every learner number is kept, asked now or not."""
        return AnswerFile(
            framework=self.framework.id,
            institution=self.institution,
            evaluation=self.details,
            answers=self.retired,
            notes=self._notes_to_save(),
        )

    def evaluation(self) -> Evaluation:
        """The evaluation as saved, with every answer given (kept ones too)."""
        return Evaluation(self.framework, self.answer_file(), self.answers, self.path)

    def result(self) -> Result:
        """The score of the file as saved (kept answers are listed as not counted, as ``compass score`` does)."""
        return score(self.evaluation())

    def comparison(self) -> Comparison | None:
        """What changed since the evaluation copied forward, if there was one."""
        if self.previous is None:
            return None
        prev = self.previous
        return compare(score(prev), self.result(), prev.answers, self.applicable(), self.framework)

    def progress(self) -> list[SectionProgress]:
        steps = self.steps()
        title = self.framework.meta.institution.title  # "About your college or training provider" for colleges
        out = [SectionProgress("institution", title, int(self.institution_complete()), 1)]
        for number, bench in enumerate(self.framework.benchmarks, start=1):
            asked = [s for s in steps if s.section == number]
            out.append(SectionProgress(bench.id, bench.title, sum(self.answered(s) for s in asked), len(asked)))
        return out

    def counts(self, steps: list[Step] | None = None) -> tuple[int, int]:
        """(questions answered, questions asked) over the whole questionnaire (``steps``: if worked out already)."""
        questions = [s for s in (self.steps() if steps is None else steps) if s.question is not None]
        return sum(self.answered(s) for s in questions), len(questions)

    # ----------------------------------------------------------------- saving

    def _notes_to_save(self) -> dict[str, Note]:
        notes = dict(self.notes)
        if self.previous is not None:
            now = self.applicable()
            before = self.previous.answers
            for q in self.framework.questions():
                changed = True if q.id in now and _differs(now[q.id], before.get(q.id)) else None
                note = notes.get(q.id, Note())
                if note.changed != changed:
                    note = note.model_copy(update={"changed": changed})
                    if _has_content(note):
                        notes[q.id] = note
                    else:
                        notes.pop(q.id, None)
        return notes

    def save(self) -> None:
        """Write the whole file again, atomically, with every answer kept. SaveError leaves the previous copy intact."""
        text = answer_file_text(self.evaluation())
        self.writer(self.path, text)
        self.saves += 1

    # ----------------------------------------------------------------- the walk

    def run(self) -> bool:
        """Walk the audit; True when the user reached the end, False when they chose to quit.

        KeyboardInterrupt passes through: everything answered is already saved.
        """
        # a read-only file or folder, or a full disk, shows up before anything is typed
        if self.path.exists():
            check_writable(self.path)
        else:
            self.save()
        steps = self.steps()
        current: Step | None
        if self.start_at is not None:
            current = self.find(self.start_at)
            if current.key.casefold() != self.start_at.strip().casefold() and current.question is not None \
                    and "." in self.start_at:
                where = self.setting_words.institution
                self.prompter.show_message(f"{self.start_at} is not asked of this {where} now; "
                                           f"starting at {current.key}.")
        elif self.review:
            current = steps[0]
        else:
            current = next((s for s in steps if not self.answered(s)), None)
            if current is None:
                self.prompter.show_message("Every question is answered. To go through them again, add --review.")
                return True
        while True:
            while current is not None:
                outcome = self._ask(current)
                if outcome == "quit":
                    return False
                left = current
                current = self._move(current, outcome)
                if outcome == "next" and left.section and (current is None or current.section != left.section):
                    self._show_score(left.section)
            unanswered = [s for s in self.steps() if s.question is not None and not self.answered(s)]
            if not unanswered:
                return True
            ids = ", ".join(s.key for s in unanswered[:6]) + (" …" if len(unanswered) > 6 else "")
            noun = "question is" if len(unanswered) == 1 else "questions are"
            if not self.prompter.confirm(f"{len(unanswered)} {noun} still unanswered ({ids}). Answer them now?", False):
                return True
            self.review = False  # this pass visits only the unanswered questions
            current = unanswered[0]

    def _move(self, current: Step, outcome: str | tuple[str, int]) -> Step | None:
        steps = self.steps()
        keys = [s.key for s in steps]
        if isinstance(outcome, tuple):  # jump
            target = next((s for s in steps if s.section == outcome[1]), None)
            if target is None:
                self.prompter.show_message(f"There is no section {outcome[1]}; benchmarks are 1 to "
                                           f"{len(self.framework.benchmarks)}, 0 is the institution.")
                return current
            return target
        index = keys.index(current.key)  # a step's own answer never hides it, so it is still asked
        if outcome == "back":
            if index == 0:
                self.prompter.show_message("This is the first question.")
                return steps[0]
            return steps[index - 1]
        if outcome == "stay":
            return current
        # forward: the next step (review) or the next unanswered one
        for step in steps[index + 1:]:
            if self.review or not self.answered(step) or (step.section == 0 and current.section == 0):
                return step
        return None

    def _ask(self, step: Step) -> str | tuple[str, int]:
        """Ask one step until it is answered or left; returns where to go next."""
        self.position = step
        if step.section != self._shown_section:
            self._shown_section = step.section
            self.prompter.show_section(self._section(step.section))
        while True:
            self.asked = True
            reply = self._prompt(step)
            if isinstance(reply, Answer):
                problem = self._apply(step, reply.value)
                if problem:
                    self.prompter.show_message(problem)
                    continue
                return "next"
            name = reply.name
            if name in ("back", "skip", "quit"):
                return name if name != "skip" else "next"
            if name == "jump":
                return ("jump", reply.target or 0)
            if name == "clear":
                self._clear(step)
                return "stay"
            if name == "help":
                self.prompter.show_help(self._help(step))
            elif name == "progress":
                self.prompter.show_progress(self.progress())
                kept = self.kept()
                if kept:
                    shown = ", ".join(kept[:8]) + (" …" if len(kept) > 8 else "")
                    where = self.setting_words.institution
                    self.prompter.show_message(f"Kept, not counted ({len(kept)}): {shown}. Their questions are not "
                                               f"asked of this {where} now; the answers stay in the file.")
            elif name == "note":
                self._note(step)

    def _show_score(self, number: int) -> None:
        """The score of benchmark ``number`` as it now stands (left alone until something in it is answered)."""
        bench = self.result().benchmarks[number - 1]
        if bench.score is not None:
            self.prompter.show_benchmark_score(bench)

    def resume_at(self) -> str | None:
        """Where ``--at`` carries on a stopped review: the step on screen (None when not reviewing)."""
        if not self.review or self.position is None:
            return None
        return self.position.key if self.position.question is not None else "institution"

    def _section(self, number: int) -> Section:
        total = len(self.framework.benchmarks)
        if number == 0:
            section = self.framework.meta.institution
            words = self.setting_words
            return Section("institution", 0, total, words.fill(section.title), words.fill(section.summary))
        bench = self.framework.benchmarks[number - 1]
        return Section(bench.id, number, total, bench.title, " ".join(bench.summary.split()))

    # ----------------------------------------------------------------- prompts

    def _heading(self, step: Step) -> Heading:
        steps = self.steps()
        in_section = [s.key for s in steps if s.section == step.section]
        section_id = INSTITUTION if step.section == 0 else self.framework.benchmarks[step.section - 1].id
        position = in_section.index(step.key) + 1 if step.key in in_section else 0
        progress = Progress(section_id, step.section, len(self.framework.benchmarks), position, len(in_section))
        if step.field is not None:
            field = step.field
            asked = self.framework.meta.institution.field(field.name)
            assert asked is not None  # steps come from the section's fields
            label = self.framework.group(step.group).label if step.group else None
            text = self.setting_words.fill(asked.text, group=label)
            help_text = self.setting_words.fill(asked.help, group=label) if asked.help else None
            before = self._last_time(step)
            return Heading(step.group or field.ref, text, progress, help_text, None if before is None else str(before),
                           False)
        q = step.question
        assert q is not None  # a step is a field or a question
        prev = None  # last time's answer, worth showing only when it is not the default already
        before = said(self.previous.answers.get(q.id)) if self.previous is not None else None
        if self.previous is not None and q.id in self.answers and before != said(self.answers[q.id]):
            prev = self.words(q, before) if before is not None else "not answered"
        return Heading(q.id, " ".join(q.text.split()), progress, " ".join((q.help or "").split()) or None,
                       prev, q.id in self.notes)

    def _last_time(self, step: Step) -> Any:
        """Last time's answer to a field asked afresh (a year group's learner number); None: not copied forward,
        not asked afresh, or not given last time."""
        if step.field is None or not step.field.afresh or self.previous is None:
            return None
        before = self.previous.answer_file
        return step.field.given((before.institution, before.evaluation), step.group)

    def _prompt(self, step: Step) -> Reply:
        """Ask one step: how comes from its kind of question or its institution field, the family of prompt
        from that (the audit's one table of families, below), and the default is what is given, else last time's."""
        heading = self._heading(step)
        ask = self._asked(step)
        if step.field is not None:
            field = step.field
            default = field.offered(self.about, step.group)
            if default is None:
                default = self._last_time(step)
            if field.guessed and not self._guesses_known and field.name not in self._given:
                default = None
        else:
            q = step.question
            assert q is not None
            default = self.answers.get(q.id)
            if default is None and self.previous is not None:
                default = self.previous.answers.get(q.id)
        return _FAMILIES[ask.family].ask(self.prompter, heading, ask, default)

    def _asked(self, step: Step) -> Ask:
        """How a step is asked: its institution field's way, or its question's."""
        if step.field is not None:
            return step.field.ask(self.framework, self.setting_words)
        assert step.question is not None  # a step is a field or a question
        return self.asked_as(step.question)

    def _help(self, step: Step) -> Heading:
        """What ``?`` shows: the step's help, and how its family of prompt takes an answer (a share's bands)."""
        ask = self._asked(step)
        return replace(self._heading(step), explained=_FAMILIES[ask.family].explained(ask))

    def asked_as(self, q: Question) -> Ask:
        """How the question is asked of this institution now (its kind says: kinds.Kind.ask)."""
        return self.framework.kind(q).ask(self.framework, q, self.sixth_form)

    # ----------------------------------------------------------------- changes

    def _apply(self, step: Step, value: Any) -> str | None:
        """Record one answer and save; a problem message instead when the value does not fit."""
        if step.question is not None:
            q, fw = step.question, self.framework
            value, problem = canonical(fw, q, value)
            if problem:
                return problem
            rules = fw.kind(q)
            lacking = rules.lacking(fw, q, value, self.sixth_form)  # a share answer without every group asked
            if lacking:
                return lacking
            before = self.answers.get(q.id)
            value = rules.merged(q, before, value)  # a share answer keeps the bands of groups not asked now
            if before == value:
                return None
            self.answers[q.id] = value
        elif step.field is not None:
            about, problem = step.field.take(self.framework, self.setting_words, self.about, value, step.group)
            if problem:
                return problem
            self._given.add(step.field.name)
            if about == self.about:
                return None
            self.institution, self.details = about
        self.save()
        return None

    def _clear(self, step: Step) -> None:
        if step.question is not None:
            if self.answers.pop(step.question.id, None) is not None:
                self.save()
            self.prompter.show_message(f"{step.question.id} is now unanswered.")
            return
        cleared = step.field.cleared(self.about) if step.field is not None else None
        if cleared is None:
            self.prompter.show_message("This one cannot be left empty; type a new value instead.")
            return
        self.institution, self.details = cleared
        self.save()
        self.prompter.show_message("Cleared.")

    def _note(self, step: Step) -> None:
        """Note, evidence, owner and achieve-by date for the question on screen (the institution has none).

        Owner and date are what the action plan puts against this question's actions; a date
        is typed day first (31/07/2027) or ISO, and asked again until it is one.
        """
        if step.question is None:
            self.prompter.show_message("Notes go with questions; add one when a question is on screen.")
            return
        qid = step.question.id
        note = self.notes.get(qid, Note())
        progress = self._heading(step).progress
        keep = "(Enter keeps it, x clears it)"
        values: dict[str, Any] = {}
        for what, text, check in (
            ("note", "Note", None),
            ("evidence", "Evidence: where it is and what it shows", None),
            ("owner", "Owner: who will take the actions on this question", None),
            ("due", "Achieve by: a date, e.g. 31/07/2027", _date_problem),
        ):
            current = getattr(note, what)
            shown = current.strftime("%d/%m/%Y") if isinstance(current, dt.date) else current
            reply = self.prompter.ask_text(TextPrompt(Heading(f"{qid} {what}", f"{text} {keep}", progress), shown,
                                                      check=check))
            if isinstance(reply, Answer):
                typed = str(reply.value).strip() or None
                values[what] = current if typed == shown else _date(typed) if what == "due" else typed
            else:
                values[what] = None if reply.name == "clear" else current
        updated = note.model_copy(update=values)
        if updated != note:
            if _has_content(updated):
                self.notes[qid] = updated
            else:
                self.notes.pop(qid, None)
            self.save()
            self.prompter.show_message(f"Note saved with {qid}.")

    # ----------------------------------------------------------------- words

    def words(self, q: Question, value: Any) -> str:
        """An answer in words, for 'last time' hints, as the prompt shows it: an option's label, the numbers of the
        items ticked, each group's band number; a number or text as it is."""
        ask = self.asked_as(q)
        return _FAMILIES[ask.family].shown(ask, value)


# --------------------------------------------------------------------------- the families of prompt


def _ask_choice(prompter: Prompter, heading: Heading, ask: Ask, default: Any) -> Reply:
    options = lettered_options(list(ask.options)) if ask.lettered else numbered(list(ask.options))
    return prompter.ask_choice(ChoicePrompt(heading, options, default))


def _ask_checklist(prompter: Prompter, heading: Heading, ask: Ask, default: Any) -> Reply:
    return prompter.ask_checklist(ChecklistPrompt(heading, numbered(list(ask.options)),
                                                  tuple(default) if default is not None else None))


def _ask_share(prompter: Prompter, heading: Heading, ask: Ask, default: Any) -> Reply:
    groups = tuple(Choice(g, g, label) for g, label in ask.groups)
    return prompter.ask_share(SharePrompt(heading, groups, numbered(list(ask.options)), default))


def _ask_number(prompter: Prompter, heading: Heading, ask: Ask, default: Any) -> Reply:
    return prompter.ask_number(NumberPrompt(heading, ask.minimum, ask.maximum, ask.unit, default,
                                            decimals=ask.decimals))


def _ask_text(prompter: Prompter, heading: Heading, ask: Ask, default: Any) -> Reply:
    return prompter.ask_text(TextPrompt(heading, default, required=ask.required, check=ask.check, blank=ask.blank))


def _label(ask: Ask, value: Any) -> str:
    return dict(ask.options).get(value, str(value))


def _ticked(ask: Ask, value: Any) -> str:
    keys = [str(n) for n, (item, _) in enumerate(ask.options, start=1) if item in value]
    return "ticked " + (" ".join(keys) if keys else "none")


def _bands(ask: Ask, value: Any) -> str:
    keys = {band: str(n) for n, (band, _) in enumerate(ask.options, start=1)}
    return " ".join(f"{g}={keys.get(b, b)}" for g, b in value.items())


def _bands_explained(ask: Ask) -> tuple[str, ...]:
    """A share question's bands, each with its number and its percentages (in its label), and how to type them."""
    typed = ("Type a band for each group, in the order shown (e.g. " + "7" * max(len(ask.groups) - 1, 1) + "5), or one "
             "band for all of them (e.g. 7)." if len(ask.groups) > 1 else "Type the number of its band (e.g. 7).")
    return ("The bands, each a share of the group:",
            *(f"  {n} {label}" for n, (_, label) in enumerate(ask.options, start=1)), typed)


@dataclass(frozen=True)
class _Prompting:
    """One family of prompt: how it is asked, an earlier answer as it shows it, and what ``?`` adds about typing
    an answer (lines; none where the prompt itself says enough)."""

    ask: Callable[[Prompter, Heading, Ask, Any], Reply]
    shown: Callable[[Ask, Any], str]
    explained: Callable[[Ask], tuple[str, ...]] = lambda ask: ()


#: Every family of prompt (asking.Family), each asked in one way: the only place the audit tells them apart.
_FAMILIES: dict[Family, _Prompting] = {
    "choice": _Prompting(_ask_choice, _label),
    "checklist": _Prompting(_ask_checklist, _ticked),
    "share": _Prompting(_ask_share, _bands, _bands_explained),
    "number": _Prompting(_ask_number, lambda ask, value: str(value)),
    "text": _Prompting(_ask_text, lambda ask, value: str(value)),
}


def _date_problem(text: str) -> str | None:
    return None if _date(text) is not None else "Type a date, day first (31/07/2027) or as 2027-07-31."


def _date(text: str | None) -> dt.date | None:
    """A typed date, day first or ISO; None when it is not one."""
    if not text:
        return None
    value = uk_date(text.strip())
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _has_content(note: Note) -> bool:
    return any(v is not None for v in note.model_dump().values())


def _differs(new: Any, old: Any) -> bool:
    """Whether an answer given now differs from last time's: a share answer by the groups given now; a question left
    blank is the same as one not answered (kinds.said)."""
    new, old = said(new), said(old)
    if isinstance(new, dict) and isinstance(old, dict):
        return any(old.get(g) != b for g, b in new.items())
    return new != old
