"""The institution section, in one table: every field an answer file can hold about who is evaluated and by whom.

A framework's ``institution.fields`` (framework.yaml) chooses which fields the audit asks, in
which order and in the setting's own words; what each field *is* lives here, one entry per
field in :data:`FIELDS`: its key in the answer file (under ``institution``, or under
``evaluation.completed_by``), how the audit asks it, how an answer given at the prompt is
taken and how it is cleared, how the answer file writes it, how the blank answer file shows it
and when a framework must ask it. The audit (audit/interview.py), the blank answer file
(output/blank.py), the writer (writing.py) and the framework's cross-checks (checks.py) read
this table and name no field themselves. A new field is its name in models.InstitutionFieldName
and an entry here; a framework that names a field with no entry is refused when it is loaded.

The answer file itself is read by its model (models.Institution), which checks a URN and a
UKPRN with the same rules the audit's prompt uses (models.urn_problem, models.ukprn_problem).
No I/O and no user interface.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from compass_cli.core.asking import Ask
from compass_cli.core.models import (
    MAX_LEARNERS,
    EvaluationDetails,
    Institution,
    Words,
    email_problem,
    phone_problem,
    ukprn_problem,
    url_problem,
    urn_problem,
)
from compass_cli.core.models import InstitutionFieldName as Name
from compass_cli.text import comment_lines

if TYPE_CHECKING:
    from compass_cli.core.framework import Framework

#: The institution and who completes the evaluation, as the audit keeps them while it asks
#: (the answer file's ``institution`` and ``evaluation`` sections).
About = tuple[Institution, EvaluationDetails]

Rule = Callable[[str], str | None]


class Field:
    """One field of the institution section. The defaults suit free text (a name, a local authority)."""

    #: one answer for each year group asked (learner numbers), rather than one answer
    per_group = False
    #: asked afresh in every evaluation (learner numbers change every term): not copied forward; last time's offered
    afresh = False
    #: what a new answer file holds (no sixth form) is only the model's default, so a new evaluation offers nothing
    guessed = False

    def __init__(self, name: Name, ref: str, *, key: str | None = None, in_evaluation: bool = False,
                 required: bool = False, rule: Rule | None = None, suggested: str | None = None,
                 shown_as: str = "text") -> None:
        self.name = name
        #: how the audit names it on screen ("URN", "local authority")
        self.ref = ref
        #: its key in the answer file: under ``institution``, or under ``evaluation.completed_by`` if ``in_evaluation``
        self.key = key or name.value
        self.in_evaluation = in_evaluation
        #: never left empty (the name): the audit asks until it has one, and the file always holds the key
        self.required = required
        #: the rule an answer must meet (a URN is six digits), saying what is wrong
        self.rule = rule
        #: offered at the prompt while nothing is given ("Careers leader")
        self.suggested = suggested
        #: how a published page shows it: "text", "email" (a mailto: link), "phone" (a tel: link) or "link"
        self.shown_as = shown_as

    # ----------------------------------------------------------------- the audit

    def given(self, about: About, group: str | None = None) -> Any:
        """What the answer file holds now (None or empty when nothing is given)."""
        inst, details = about
        return getattr(details.completed_by if self.in_evaluation else inst, self.key)

    def offered(self, about: About, group: str | None = None) -> Any:
        """What the prompt offers, kept with Enter: what is given, else what is suggested."""
        return self.given(about, group) or self.suggested

    def ask(self, fw: Framework, words: Words) -> Ask:
        """How the audit asks it."""
        return Ask("text", required=self.required, check=_sentence(self.rule) if self.rule else None)

    def take(self, fw: Framework, words: Words, about: About, value: Any,
             group: str | None = None) -> tuple[About, str | None]:
        """The institution with an answer given at the prompt, or as it was and what is wrong, in a sentence."""
        typed = str(value).strip()
        problem = _sentence(self.rule)(typed) if self.rule else None
        if problem:
            return about, problem
        return self._with(about, typed if self.required else typed or None), None

    def cleared(self, about: About) -> About | None:
        """The institution with this field left empty (``x`` at the prompt); None when it cannot be."""
        return None if self.required else self._with(about, None)

    def complete(self, about: About, groups: list[str]) -> bool:
        """Given as the questions need it: a name; the learner numbers of every year group asked (``groups``)."""
        return not self.required or bool(str(self.given(about) or "").strip())

    def reset(self, inst: Institution) -> Institution:
        """The institution copied forward to a new evaluation, without this field if it is asked afresh."""
        return inst

    # ----------------------------------------------------------------- the files

    def in_file(self, inst: Institution) -> dict[str, Any]:
        """What the answer file's ``institution`` section holds of it: the key and value, or nothing when empty."""
        value = getattr(inst, self.key)
        return {self.key: value} if value or self.required else {}

    def blank_lines(self, fw: Framework, kind: str | None) -> list[str]:
        """Its lines in the blank answer file, after its question (``kind``: the institution type it is for)."""
        return [f'  {self.key}: ""'] if self.required else [f"  {self.key}:"]

    # ----------------------------------------------------------------- the framework

    def need(self, fw: Framework) -> str | None:
        """Why a framework must ask it, or None when it may leave it out."""
        return "every evaluation names its institution" if self.required else None

    def unused(self, fw: Framework) -> str | None:
        """Why asking it would be pointless in this framework, or None."""
        return None

    def _with(self, about: About, value: Any) -> About:
        inst, details = about
        if self.in_evaluation:
            return inst, details.model_copy(update={"completed_by": details.completed_by.model_copy(
                update={self.key: value})})
        return inst.model_copy(update={self.key: value}), details


class InstitutionType(Field):
    """One of the framework's institution types (a college or an independent training provider)."""

    def ask(self, fw: Framework, words: Words) -> Ask:
        return Ask("choice", options=tuple(fw.meta.institution.types.items()))

    def take(self, fw: Framework, words: Words, about: About, value: Any,
             group: str | None = None) -> tuple[About, str | None]:
        if value not in fw.meta.institution.types:
            return about, "Choose one of the numbers shown."
        return self._with(about, value), None

    def cleared(self, about: About) -> About | None:
        return None

    def blank_lines(self, fw: Framework, kind: str | None) -> list[str]:
        section = fw.meta.institution
        return (comment_lines("One of: " + "; ".join(f"{k} ({v})" for k, v in section.types.items()), prefix="#   ")
                + [f"  {self.key}: {kind or section.default_type}"])

    def need(self, fw: Framework) -> str | None:
        return "the framework is for more than one type of institution" if len(fw.meta.institution.types) > 1 else None

    def unused(self, fw: Framework) -> str | None:
        return "there is one type" if len(fw.meta.institution.types) == 1 else None


class SixthForm(Field):
    """Yes or no: whether the institution has the groups asked only with a sixth form (or post-16 provision)."""

    guessed = True

    def offered(self, about: About, group: str | None = None) -> Any:
        return "yes" if self.given(about) else "no"

    def ask(self, fw: Framework, words: Words) -> Ask:
        return Ask("choice", options=(("yes", "Yes"), ("no", "No")), lettered=True)

    def take(self, fw: Framework, words: Words, about: About, value: Any,
             group: str | None = None) -> tuple[About, str | None]:
        if value not in ("yes", "no"):
            return about, "Answer y or n."
        return self._with(about, value == "yes"), None

    def cleared(self, about: About) -> About | None:
        return None

    def in_file(self, inst: Institution) -> dict[str, Any]:
        return {self.key: getattr(inst, self.key)}

    def blank_lines(self, fw: Framework, kind: str | None) -> list[str]:
        return [f"  {self.key}: false"]

    def need(self, fw: Framework) -> str | None:
        return "some groups are asked only with a sixth form" if any(g.sixth_form for g in fw.meta.groups) else None

    def unused(self, fw: Framework) -> str | None:
        return None if any(g.sixth_form for g in fw.meta.groups) else "no group is sixth-form only"


class LearnerNumbers(Field):
    """How many learners are in each year group asked: a whole number each, asked afresh every evaluation."""

    per_group = True
    afresh = True

    def given(self, about: About, group: str | None = None) -> Any:
        return about[0].learners.get(group or "")

    def offered(self, about: About, group: str | None = None) -> Any:
        return self.given(about, group)  # 0 is a number given

    def ask(self, fw: Framework, words: Words) -> Ask:
        return Ask("number", minimum=0, maximum=MAX_LEARNERS, unit=words.learners)

    def take(self, fw: Framework, words: Words, about: About, value: Any,
             group: str | None = None) -> tuple[About, str | None]:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or group is None:
            return about, f"Type a whole number of {words.learners}."
        inst, details = about
        return (inst.model_copy(update={"learners": {**inst.learners, group: value}}), details), None

    def cleared(self, about: About) -> About | None:
        return None

    def complete(self, about: About, groups: list[str]) -> bool:
        return all(self.given(about, g) is not None for g in groups)

    def reset(self, inst: Institution) -> Institution:
        return inst.model_copy(update={self.key: {}})

    def in_file(self, inst: Institution) -> dict[str, Any]:
        return {self.key: {g: n for g, n in inst.learners.items() if n is not None}}

    def blank_lines(self, fw: Framework, kind: str | None) -> list[str]:
        return [f"  {self.key}:"] + [f"    {g}:  # {fw.group(g).label}" for g in fw.meta.year_groups]

    def need(self, fw: Framework) -> str | None:
        return "year_groups lists the groups whose learner numbers are asked" if fw.meta.year_groups else None


class Published(Field):
    """A field the institution's website shows (the careers leader, the links): asked only where the framework's
    ``publish`` section shows it, and never needed."""

    def unused(self, fw: Framework) -> str | None:
        publish = fw.meta.publish
        shown = {f.field for item in publish.items for f in item.fields} if publish else set()
        return None if self.name in shown else "no item of the framework's publish section shows it"


#: The one table: every field of the institution section and its rules, in the order the answer file writes them.
FIELDS: Mapping[Name, Field] = {
    Name.name: Field(Name.name, "name", required=True),
    Name.urn: Field(Name.urn, "URN", rule=urn_problem),
    Name.ukprn: Field(Name.ukprn, "UKPRN", rule=ukprn_problem),
    Name.type: InstitutionType(Name.type, "type"),
    Name.site: Field(Name.site, "site"),
    Name.local_authority: Field(Name.local_authority, "local authority"),
    Name.sixth_form: SixthForm(Name.sixth_form, "sixth form"),
    Name.learners: LearnerNumbers(Name.learners, "learners"),
    Name.careers_leader_name: Published(Name.careers_leader_name, "careers leader's name"),
    Name.careers_leader_role: Published(Name.careers_leader_role, "careers leader's role"),
    Name.careers_leader_email: Published(Name.careers_leader_email, "careers leader's email", rule=email_problem,
                                         shown_as="email"),
    Name.careers_leader_phone: Published(Name.careers_leader_phone, "careers leader's phone", rule=phone_problem,
                                         shown_as="phone"),
    Name.careers_programme_url: Published(Name.careers_programme_url, "careers programme link", rule=url_problem,
                                          shown_as="link"),
    Name.provider_access_url: Published(Name.provider_access_url, "provider access link", rule=url_problem,
                                        shown_as="link"),
    Name.completed_by: Field(Name.completed_by, "completed by", key="name", in_evaluation=True),
    Name.role: Field(Name.role, "role", in_evaluation=True, suggested="Careers leader"),
}


def _sentence(rule: Rule) -> Rule:
    """A rule of the answer file (models.urn_problem) worded as a sentence for the prompt: "A URN is ... 'x'."."""

    def check(text: str) -> str | None:
        problem = rule(text.strip())
        return problem[0].upper() + problem[1:] + "." if problem else None

    return check
