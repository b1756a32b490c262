"""The kinds of question, in one table: everything that differs from one kind to another.

A framework's questions come in seven kinds (models.QuestionKind). How a kind reads an
answer typed in a text editor, the credit the answer earns, what falls short of full
credit, how the answer reads in words (in a report, in a condition, in a change since last
time), what the blank answer file and the JSON Schema say about it, whether an answer can be
carried to another edition or filled from activity records, and how the audit asks it (an
:class:`asking.Ask`: the family of prompt and what it shows): all of it is here, one class per
family of kinds, and :data:`KINDS` maps each kind to its rules. Every other module asks the
table (through ``Framework.kind(q)``) instead of testing the kind itself, so a new kind asked
like an existing one is its name in models.QuestionKind and one entry here; a new family of
prompt also needs the audit's prompt, parser and screen for it.

Canonical answers, as the rest of compass uses them: yes_no, choice, agreement -> the option
value (str); share -> {group: band}; checklist -> the list of item ids ticked; number -> int
or float; text -> str. A question not answered is simply absent.

No I/O and no user interface; the audit builds its prompts from :meth:`Kind.ask`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from compass_cli.core.asking import Ask
from compass_cli.core.models import Gap, Question, QuestionKind, Words, yes_no_word
from compass_cli.text import comment_lines, shown_value

if TYPE_CHECKING:
    from compass_cli.core.framework import Framework

#: Credit at or above this is full credit (guards float sums).
FULL = 1 - 1e-9
#: Larger than anything a school counts (pupils, employers, events); a larger number is a slip of the keyboard,
#: and one of hundreds of digits cannot even be turned into a score.
MAX_NUMBER = 1_000_000_000
_EMPTY: list[Any] = [None, ""]  # an empty answer is "not answered yet" (JSON Schema)


class Kind:
    """What one kind of question does with its answers. The defaults suit most kinds."""

    #: keys a question of this kind may have, besides those every question has
    keys: frozenset[str] = frozenset()
    #: the framework scale used when the question names none (None: the kind has no scale)
    default_scale: str | None = None
    #: what an action's ``addresses`` may narrow the question by: "items", "groups", "options" or None
    narrows_by: str | None = None
    #: the condition operators (``when``) that can test an answer of this kind, besides ``answered``
    operators: frozenset[str] = frozenset()
    #: free text: never scored, never "unanswered", shown in the report's evidence log
    free_text: bool = False
    #: an empty answer ("") is an answer: the question left blank on purpose (Enter at the audit's prompt), kept
    #: in the file so that a resumed audit does not ask it again; it says nothing (:func:`said`), as no answer does
    may_be_blank: bool = False
    #: answered with a band for each group, as activity records can fill it (records/rules.py)
    per_group: bool = False

    # ----------------------------------------------------------------- the question itself

    def question_problem(self, q: Question) -> str | None:
        """What is wrong with a question of this kind beyond its keys (too few options, say)."""
        return None

    def earns_credit(self, q: Question) -> bool:
        """Whether an answer earns a credit at all (a number only against a target)."""
        return True

    # ----------------------------------------------------------------- answers

    def canonical(self, fw: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
        """The canonical form of an answer as written, or an error saying what was expected."""
        raise NotImplementedError

    def credit(self, fw: Framework, q: Question, value: Any, sixth_form: bool, partial: bool) -> float | None:
        """The credit (0 to 1) an answer earns; None when it earns none (or is not complete)."""
        return None

    def complete(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> bool:
        """Answered in full, for this institution."""
        return value is not None

    def gaps(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> list[Gap]:
        """What falls short in an answer below full credit, in plain words."""
        return [Gap(question=q.id, text=gap_text(q))]

    def describe(self, fw: Framework, q: Question, value: Any) -> str:
        """An answer (not empty) in the questionnaire's own words."""
        return " ".join(str(value).split())

    def in_words(self, fw: Framework, q: Question, value: Any) -> str:
        """An answer, or its absence, in the questionnaire's own words ("not answered")."""
        if value is None or value == "" or value == {}:
            return "not answered"
        return self.describe(fw, q, value)

    def change_words(self, fw: Framework, q: Question, before: Any, after: Any) -> tuple[str, str]:
        """A changed answer, before and after, in words a careers leader reads ("Most (76-90%)", not ``most``)."""
        return self.in_words(fw, q, before), self.in_words(fw, q, after)

    def some_credit_words(self, fw: Framework, q: Question, words: Words) -> str:
        """``credit_above: 0`` on this question, as a careers leader would say it."""
        return f"your answer to {q.id} earns some credit"

    # ----------------------------------------------------------------- the audit

    def ask(self, fw: Framework, q: Question, sixth_form: bool) -> Ask:
        """How the audit asks the question of this institution: the family of prompt and what it shows."""
        return Ask("text", blank=self.may_be_blank)

    def lacking(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> str | None:
        """What an answer given at the audit's prompt still lacks, in a sentence (None: nothing)."""
        return None

    # ----------------------------------------------------------------- the parts of an answer asked now

    def asked_part(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> Any:
        """The part of an answer that counts for this institution (share: the groups asked)."""
        return value

    def not_counted(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> list[str]:
        """Parts of a counted answer that are kept but not counted, named for the user."""
        return []

    def merged(self, q: Question, before: Any, value: Any) -> Any:
        """A new answer given at the prompt, with what the old one keeps (share: bands of groups not asked now)."""
        return value

    def in_order(self, q: Question, value: Any) -> Any:
        """The answer as it is written to the file (share: the question's groups in order)."""
        return value

    # ----------------------------------------------------------------- outputs and other editions

    def answer_hint(self, fw: Framework, q: Question) -> str:
        """What an answer looks like, in a few words (``compass questions``)."""
        return " / ".join(o.value for o in fw.options(q))

    def short_name(self, fw: Framework, q: Question) -> str:
        """The kind of answer in a word or two, after the question's id in the blank answer file."""
        return q.kind.value.replace("_", " ")

    def blank_lines(self, fw: Framework, q: Question) -> list[str]:
        """The lines of the blank answer file after the question's text: how to answer, then the key."""
        return [f"  {q.id}:"]

    def schema(self, fw: Framework, q: Question) -> dict[str, Any]:
        """The JSON Schema of an answer, as compass checks it."""
        return {"type": ["string", "number", "boolean", "null"]}

    def carried(self, q: Question, value: Any) -> Any:
        """An answer of another edition's question, as far as it fits question ``q`` (None: nothing fits)."""
        return value

    def carry_problem(self, old: Framework, qo: Question, new: Framework, qn: Question) -> str | None:
        """Why an answer to ``qo`` (of the same kind) cannot be carried to ``qn``, or None."""
        return None


def said(value: Any) -> Any:
    """An answer as what it says: a question left blank on purpose (``""``, :attr:`Kind.may_be_blank`) says
    nothing, as no answer does. For comparing answers and testing conditions, where "left blank" and "not
    answered" mean the same; only the audit's walk tells them apart."""
    return None if value == "" else value


def gap_text(q: Question) -> str:
    """A question not met, in plain words: its own ``gap`` line, or "Not yet met: ..." and its text."""
    return " ".join((q.gap or f"Not yet met: {q.text}").split())


# --------------------------------------------------------------------------- the kinds


class Options(Kind):
    """choice and agreement (and yes_no, below): one option of a closed set, each earning its credit."""

    narrows_by = "options"
    operators = frozenset({"equals", "in"})
    #: options keyed by their first letter at the prompt (y, n, p) rather than numbered
    lettered = False

    def __init__(self, keys: set[str], default_scale: str | None = None) -> None:
        self.keys = frozenset(keys)  # three kinds share this class, each with its own keys
        self.default_scale = default_scale

    def question_problem(self, q: Question) -> str | None:
        if "options" not in self.keys:
            return None
        if not q.options or len(q.options) < 2:
            return f"a {q.kind.value} question needs at least two options"
        if max(o.credit for o in q.options) != 1:
            return "at least one option must earn full credit (1)"
        return None

    def canonical(self, fw: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
        """An option by its value or its label, in any case; yes and no in any of YAML's spellings."""
        found = option_value(fw.options(q), raw)
        if found is None:
            listed = "; ".join(o.value if _same(o.value, o.label) else f"{o.value} ({o.label})" for o in fw.options(q))
            return None, f"expected one of: {listed}; got {shown_value(raw)}"
        return found, None

    def credit(self, fw: Framework, q: Question, value: Any, sixth_form: bool, partial: bool) -> float | None:
        return fw.index.credits[q.id][value]

    def gaps(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> list[Gap]:
        return [Gap(question=q.id, text=gap_text(q), option=str(value))]

    def describe(self, fw: Framework, q: Question, value: Any) -> str:
        return next((o.label for o in fw.options(q) if o.value == value), str(value))

    def ask(self, fw: Framework, q: Question, sixth_form: bool) -> Ask:
        return Ask("choice", options=tuple((o.value, o.label) for o in fw.options(q)), lettered=self.lettered)

    def blank_lines(self, fw: Framework, q: Question) -> list[str]:
        values = ", ".join(o.value for o in fw.options(q))
        return comment_lines("Answer one of: " + values, prefix="#   ") + [f"  {q.id}:"]

    def schema(self, fw: Framework, q: Question) -> dict[str, Any]:
        """The option values and, as compass also reads them, their labels."""
        values: list[Any] = list(dict.fromkeys([o.value for o in fw.options(q)] + [o.label for o in fw.options(q)]))
        if {"yes", "no"} <= set(values):  # YAML 1.1 reads an unquoted yes/no as true/false; compass takes both
            values += [True, False]
        return {"enum": values + _EMPTY}

    def carry_problem(self, old: Framework, qo: Question, new: Framework, qn: Question) -> str | None:
        missing = {o.value for o in old.options(qo)} - {o.value for o in new.options(qn)}
        return f"{qn.id} has no option {', '.join(sorted(missing))}" if missing else None


class YesNo(Options):
    """yes_no: yes, no (and perhaps partly), keyed by their first letters and named by them."""

    lettered = True

    def short_name(self, fw: Framework, q: Question) -> str:
        """The question's own options (yes/partly/no)."""
        return "/".join(o.value for o in fw.options(q))


class Share(Kind):
    """The share of learners in each group (year groups or key stages), as a band of a scale."""

    keys = frozenset({"groups", "scale"})
    default_scale = "share"
    narrows_by = "groups"
    per_group = True

    def question_problem(self, q: Question) -> str | None:
        return None if q.groups else "a share question needs groups (year groups or key stages)"

    def canonical(self, fw: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
        """A band per group (or one band for every group); bands by value or label, groups by id or
        label, in any case ("Y7: Most" or "year 7: most (76-90%)")."""
        groups = q.groups or []
        options = fw.options(q)
        bands = ", ".join(o.value for o in options)
        if not isinstance(raw, dict):  # one band for every group
            band = option_value(options, raw) if isinstance(raw, str) else None
            if band is None:
                return None, (f"expected a band for each group ({', '.join(groups)}), or one band for all of them: "
                              f"{bands}; got {shown_value(raw)}")
            return {g: band for g in groups}, None
        out: dict[str, str] = {}
        for key, given in raw.items():
            group = _group(fw, groups, key)
            if group is None:
                return None, f"unknown group '{key}'; this question asks about {', '.join(groups)}"
            if given is None or given == "":
                continue
            band = option_value(options, given)
            if band is None:
                return None, f"{group}: expected one of {bands}; got {shown_value(given)}"
            out[group] = band
        return (out or None), None

    def credit(self, fw: Framework, q: Question, value: Any, sixth_form: bool, partial: bool) -> float | None:
        """The average over the groups asked; every group must be answered, unless ``partial``
        (what a condition on a half-answered question can see)."""
        groups = fw.index.groups_asked[q.id, sixth_form]
        answered = [g for g in groups if g in value]
        if not answered or (len(answered) < len(groups) and not partial):
            return None
        credit = fw.index.credits[q.id]
        return sum(credit[value[g]] for g in answered) / len(answered)

    def complete(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> bool:
        return value is not None and all(g in value for g in fw.index.groups_asked[q.id, sixth_form])

    def gaps(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> list[Gap]:
        """One gap naming the groups below full credit."""
        credit = fw.index.credits[q.id]
        labels = {o.value: o.label for o in fw.index.options[q.id]}
        short = [g for g in fw.index.groups_asked[q.id, sixth_form] if credit[value[g]] < FULL]
        detail = "; ".join(f"{fw.group(g).label}: {labels[value[g]]}" for g in short)
        return [Gap(question=q.id, text=f"{gap_text(q)} ({detail})", groups=short)]

    def describe(self, fw: Framework, q: Question, value: Any) -> str:
        if not isinstance(value, dict):
            return super().describe(fw, q, value)
        labels = {o.value: o.label for o in fw.options(q)}
        return "; ".join(f"{fw.group(g).label}: {labels.get(b, b)}" for g, b in value.items())

    def some_credit_words(self, fw: Framework, q: Question, words: Words) -> str:
        """Some learners had it: above the lowest band, for at least one group."""
        lowest = min(fw.options(q), key=lambda o: o.credit)
        where = " for at least one group" if len(q.groups or []) > 1 else ""
        return f"some {words.learners} had it (your answer to {q.id} is above “{_plain(lowest.label)}”{where})"

    def ask(self, fw: Framework, q: Question, sixth_form: bool) -> Ask:
        """A band for each group asked of this institution."""
        groups = fw.index.groups_asked.get((q.id, sixth_form), ())
        return Ask("share", options=tuple((o.value, o.label) for o in fw.options(q)),
                   groups=tuple((g, fw.group(g).label) for g in groups))

    def lacking(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> str | None:
        if self.complete(fw, q, value, sixth_form):
            return None
        groups = fw.index.groups_asked.get((q.id, sixth_form), ())
        return "Give a band for every group: " + ", ".join(fw.group(g).label for g in groups) + "."

    def asked_part(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> Any:
        return {g: value[g] for g in fw.index.groups_asked[q.id, sixth_form] if g in value}

    def not_counted(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> list[str]:
        groups = fw.index.groups_asked[q.id, sixth_form]  # once per answer, not once per group
        return [f"{q.id} ({g})" for g in value if g not in groups]

    def merged(self, q: Question, before: Any, value: Any) -> Any:
        if not isinstance(before, dict):
            return value
        both = {**before, **value}
        return {g: both[g] for g in q.groups or [] if g in both}

    def in_order(self, q: Question, value: Any) -> Any:
        """The groups in the question's order, so a kept Y12 band always sits in one place."""
        if not isinstance(value, dict):
            return value
        return {**{g: value[g] for g in q.groups or [] if g in value}, **value}

    def answer_hint(self, fw: Framework, q: Question) -> str:
        return "per " + ", ".join(q.groups or []) + ": none … all"

    def blank_lines(self, fw: Framework, q: Question) -> list[str]:
        """How to answer, in the setting's words; each group's key with its label beside it."""
        words = fw.meta.words()
        bands = ", ".join(o.value for o in fw.options(q))
        groups = q.groups or []
        text = f"For each group, one of: {bands}." if len(groups) > 1 else f"One of: {bands}."
        later = [g for g in groups if fw.group(g).sixth_form]
        if later:
            text += f" {_listed(later)} only if the {words.institution} has {words.sixth_form}."
        return (comment_lines(text, prefix="#   ") + [f"  {q.id}:"]
                + [f"    {g}:  # {fw.group(g).label}" for g in groups])

    def schema(self, fw: Framework, q: Question) -> dict[str, Any]:
        bands: list[Any] = [o.value for o in fw.options(q)]
        per_group = {
            "type": "object",
            "properties": {g: {"enum": bands + _EMPTY, "description": fw.group(g).label} for g in q.groups or []},
            "additionalProperties": False,
        }
        return {"anyOf": [{"enum": bands + _EMPTY}, per_group]}

    def carried(self, q: Question, value: Any) -> Any:
        """The groups both editions ask about."""
        if not isinstance(value, dict):
            return value
        return {g: band for g, band in value.items() if g in (q.groups or [])} or None

    def carry_problem(self, old: Framework, qo: Question, new: Framework, qn: Question) -> str | None:
        if not set(qo.groups or []) & set(qn.groups or []):
            return f"{qo.id} and {qn.id} ask about no group in common"
        return None


class Checklist(Kind):
    """Items ticked (in place) or not; the credit is the share ticked."""

    keys = frozenset({"items"})
    narrows_by = "items"
    operators = frozenset({"includes"})

    def question_problem(self, q: Question) -> str | None:
        if not q.items or len(q.items) < 2:
            return "a checklist needs at least two items"
        ids = [i.id for i in q.items]
        return "checklist item ids repeat" if len(set(ids)) != len(ids) else None

    def canonical(self, fw: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
        """The items ticked, as a list or as text separated by commas ("purpose, reflection"), by id in
        any case; "none" or [] for none ticked."""
        items = [i.id for i in q.items or []]
        if isinstance(raw, str):
            raw = [] if raw.strip().lower() == "none" and "none" not in items else [p for p in re.split(r"[,;]", raw)]
        if not isinstance(raw, list):
            return None, (f"expected the ticked items (any of {', '.join(items)}) as a list, or [] for none; "
                          f"got {shown_value(raw)}")
        by_key = {_key(i): i for i in items}
        ticked, unknown = set(), []
        for given in raw:
            found = by_key.get(_key(given)) if isinstance(given, str) else None
            if found is None:
                if str(given).strip():
                    unknown.append(str(given).strip())
                continue
            ticked.add(found)
        if unknown:
            return None, f"unknown item {', '.join(unknown)}; items are {', '.join(items)}"
        return [i for i in items if i in ticked], None

    def credit(self, fw: Framework, q: Question, value: Any, sixth_form: bool, partial: bool) -> float | None:
        items = q.items or []
        return sum(1 for i in items if i.id in value) / len(items)

    def gaps(self, fw: Framework, q: Question, value: Any, sixth_form: bool) -> list[Gap]:
        """One gap per item not ticked."""
        return [
            Gap(question=q.id, text=" ".join((item.gap or f"Not yet in place: {item.text}").split()), items=[item.id])
            for item in q.items or []
            if item.id not in value
        ]

    def describe(self, fw: Framework, q: Question, value: Any) -> str:
        if not isinstance(value, list):
            return super().describe(fw, q, value)
        items = q.items or []
        if not value:
            return f"none of the {len(items)} in place"
        ticked = [i.text for i in items if i.id in value]
        if len(ticked) == len(items):
            return f"all {len(items)} in place"
        return f"{len(ticked)} of {len(items)} in place"

    def change_words(self, fw: Framework, q: Question, before: Any, after: Any) -> tuple[str, str]:
        """The counts, and after them the items now in place and those no longer."""
        old_words, new_words = super().change_words(fw, q, before, after)
        if isinstance(before, list) and isinstance(after, list):
            labels: dict[str, str] = {i.id: i.text for i in q.items or []}
            added = [labels.get(str(i), str(i)) for i in after if i not in before]
            removed = [labels.get(str(i), str(i)) for i in before if i not in after]
            new_words += "".join([f"; now in place: {'; '.join(added)}" if added else "",
                                  f"; no longer: {'; '.join(removed)}" if removed else ""])
        return old_words, new_words

    def some_credit_words(self, fw: Framework, q: Question, words: Words) -> str:
        return f"you ticked anything in {q.id}"

    def ask(self, fw: Framework, q: Question, sixth_form: bool) -> Ask:
        return Ask("checklist", options=tuple((i.id, i.text) for i in q.items or []))

    def answer_hint(self, fw: Framework, q: Question) -> str:
        return "tick: " + ", ".join(i.id for i in q.items or [])

    def blank_lines(self, fw: Framework, q: Question) -> list[str]:
        first_two = ", ".join(i.id for i in (q.items or [])[:2])
        return ([f"  #   Tick items by listing their ids, e.g. [{first_two}]"]
                + [f"  #     {i.id}: {i.text}" for i in q.items or []] + [f"  {q.id}:"])

    def schema(self, fw: Framework, q: Question) -> dict[str, Any]:
        items = {"type": "array", "items": {"enum": [i.id for i in q.items or []]}, "uniqueItems": True}
        return {"anyOf": [items, {"enum": _EMPTY}]}

    def carry_problem(self, old: Framework, qo: Question, new: Framework, qn: Question) -> str | None:
        missing = {i.id for i in qo.items or []} - {i.id for i in qn.items or []}
        return f"{qn.id} has no item {', '.join(sorted(missing))}" if missing else None


class Number(Kind):
    """A count; it earns credit only against a ``target`` (the share of the target reached)."""

    keys = frozenset({"min", "max", "target", "unit", "decimals"})
    operators = frozenset({"at_least"})

    def earns_credit(self, q: Question) -> bool:
        return q.target is not None

    def canonical(self, fw: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
        """A number, also written as text ("12", "1,200", "3.5"); decimals only where the question
        allows them (days of workplace time come in halves)."""
        unit = q.unit or ("days" if q.decimals else "")
        if isinstance(raw, str):
            number = number_from_text(raw)
            if number is None:
                hint = leading_number(raw)
                write = f"; write {hint}" if hint else ""
                return None, f"'{raw.strip()}' is not a number{' of ' + unit if unit else ''}{write}"
            raw = number
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return None, f"expected a number; got {shown_value(raw)}"
        if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer() and abs(raw) <= MAX_NUMBER:
            raw = int(raw)
        if isinstance(raw, float) and math.isfinite(raw) and not q.decimals:
            return None, f"expected a whole number{' of ' + unit if unit else ''}; got {raw:g}"
        if isinstance(raw, float) and not math.isfinite(raw):
            return None, f"expected a number that could be counted, e.g. 12; got {shown_value(raw)}, which is not one"
        if abs(raw) > MAX_NUMBER:
            return None, (f"expected a number of at most {MAX_NUMBER:,}; got a number of {len(str(int(abs(raw)))):,} "
                          "digits. Write the count itself, e.g. 12")
        if raw < 0 or (q.min is not None and raw < q.min) or (q.max is not None and raw > q.max):
            low = q.min if q.min is not None else 0
            high = f" and {q.max:g}" if q.max is not None else " or more"
            return None, f"expected a number between {low:g}{high}; got {raw}"
        return raw, None

    def credit(self, fw: Framework, q: Question, value: Any, sixth_form: bool, partial: bool) -> float | None:
        if q.target is None:
            return None
        return max(0.0, min(float(value) / q.target, 1.0))

    def describe(self, fw: Framework, q: Question, value: Any) -> str:
        number = f"{value:g}" if isinstance(value, float) else str(value)
        unit = f" {q.unit}" if q.unit else ""
        target = f" (target {q.target:g})" if q.target is not None else ""
        return f"{number}{unit}{target}"

    def ask(self, fw: Framework, q: Question, sixth_form: bool) -> Ask:
        return Ask("number", minimum=_whole(q.min), maximum=_whole(q.max), unit=q.unit, decimals=bool(q.decimals))

    def answer_hint(self, fw: Framework, q: Question) -> str:
        return "number" + (f" (target {q.target:g})" if q.target else "")

    def blank_lines(self, fw: Framework, q: Question) -> list[str]:
        unit = f" ({q.unit})" if q.unit else ""
        what = "A number; halves are fine, e.g. 3.5" if q.decimals else "A whole number"
        return [f"  #   {what}{unit}.", f"  {q.id}:"]

    def schema(self, fw: Framework, q: Question) -> dict[str, Any]:
        number: dict[str, Any] = {"type": "number" if q.decimals else "integer",
                                  "minimum": q.min if q.min is not None else 0}
        if q.max is not None:
            number["maximum"] = q.max
        return {"anyOf": [number, {"enum": _EMPTY}]}


class Text(Kind):
    """Free text (where the evidence is, what it shows): never scored, and may be left blank on purpose."""

    free_text = True
    may_be_blank = True

    def earns_credit(self, q: Question) -> bool:
        return False

    def canonical(self, fw: Framework, q: Question, raw: Any) -> tuple[Any, str | None]:
        if isinstance(raw, (dict, list)):
            return None, f"expected text; got {shown_value(raw)}"
        return str(raw), None

    def answer_hint(self, fw: Framework, q: Question) -> str:
        return "free text"

    def blank_lines(self, fw: Framework, q: Question) -> list[str]:
        return ["  #   Free text (evidence: where it is, what it shows).", f"  {q.id}:"]


#: The one table: each kind of question and its rules.
KINDS: Mapping[QuestionKind, Kind] = {
    QuestionKind.yes_no: YesNo({"scale"}, default_scale="yes_no"),
    QuestionKind.choice: Options({"options"}),
    QuestionKind.agreement: Options({"scale"}, default_scale="agreement"),
    QuestionKind.share: Share(),
    QuestionKind.checklist: Checklist(),
    QuestionKind.number: Number(),
    QuestionKind.text: Text(),
}


def _key(text: Any) -> str:
    """A value, label, group or item as people may type it: any case, spaces or hyphens for _, no
    parenthesis ("Almost all (91-99%)" and "almost_all" are the same key)."""
    return _text_key(str(text))


@lru_cache(maxsize=4096)
def _text_key(text: str) -> str:
    """_key, remembered: a hub's thousands of files use the same few hundred values, labels and items."""
    words = _PARENTHESIS.sub("", text).strip().lower()
    return _SEPARATORS.sub("_", words)


_PARENTHESIS = re.compile(r"\([^)]*\)")
_SEPARATORS = re.compile(r"[\s\-]+")


_YES = {"y", "yes", "true", "on"}
_NO = {"n", "no", "false", "off"}


def option_value(options: list[Any], raw: Any) -> str | None:
    """The value of the option ``raw`` names (by value or label, in any case), or None.

    yes and no are also read in any of YAML's spellings (YAML 1.1 reads an unquoted yes as
    true, and a person may write Y or On); a label is read with or without its parenthesis.
    """
    raw = yes_no_word(raw)
    if not isinstance(raw, str) or not raw.strip():
        return None
    values = [o.value for o in options]
    if raw in values:
        return raw
    key = _key(raw)
    if {"yes", "no"} <= set(values):
        if key in _YES:
            return "yes"
        if key in _NO:
            return "no"
    for o in options:
        if key in (_key(o.value), _key(o.label)) or raw.strip().lower() == o.label.strip().lower():
            return str(o.value)
    return None


def _listed(ids: list[str]) -> str:
    """Y12, Y13 and Y14."""
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


def _plain(label: str) -> str:
    """An option's label as a word in a sentence: "None (0%)" -> "none"."""
    return label.split(" (")[0].strip().lower()


def _whole(x: float | None) -> int | None:
    return None if x is None else int(x)


def _same(value: str, label: str) -> bool:
    return _key(value) == _key(label)


def _group(fw: Framework, groups: list[str], key: Any) -> str | None:
    """A group of a share question by its id or its label, in any case ("y7", "Year 7")."""
    if key in groups:
        return str(key)
    wanted = _key(key)
    return next((g for g in groups if wanted in (_key(g), _key(fw.group(g).label))), None)


def number_from_text(text: str) -> int | float | None:
    """A number written as text: "12", "1,200", "3.5", " 40 " (None if it is not only a number)."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if re.fullmatch(r"[+-]?\d+", cleaned):
        return int(cleaned)
    if re.fullmatch(r"[+-]?\d*\.\d+", cleaned):
        return float(cleaned)
    return None


def leading_number(text: str) -> str | None:
    """The number at the start of "180 pupils", to suggest what to write instead."""
    found = re.match(r"\s*(\d[\d,]*(?:\.\d+)?)\b", text)
    return found.group(1).replace(",", "") if found else None
