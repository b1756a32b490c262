"""Pydantic models of questionnaires, answer files and results.

No I/O and no user interface here: loading.py and frameworks.py turn files into these
models (a whole framework is framework.Framework), scoring.py turns an evaluation into a
Result. What differs between kinds of question is in kinds.py. Every model is strict
(``extra="forbid"``) so that a typo in a questionnaire or an answer file is an error,
not a silently ignored key.

Unlike the other modules, this one does not postpone its annotations (``from __future__
import annotations``): pydantic would read each back from text as its class is made, some
2 ms of every command. A class that names itself does so in quotes.
"""

import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from compass_cli.text import shown_percent, shown_value

# --------------------------------------------------------------------------- questionnaire


def yes_no_word(value: Any) -> Any:
    """YAML 1.1 reads an unquoted yes/no as true/false; take it back as the word people typed."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


Word = Annotated[str, BeforeValidator(yes_no_word)]

#: An id in a questionnaire (criterion, question, checklist item, group): letters, digits, dots,
#: dashes and underscores only, so an id is never markup in any output (reports, tables, CSV).
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=40)]


class Model(BaseModel):
    """Every model of compass. Its validators are built when first used rather than when the
    module is imported, so a command pays only for the models it uses: with the framework
    cache (framework_cache.py) ``compass score`` never validates a questionnaire model."""

    model_config = ConfigDict(defer_build=True)


class Strict(Model):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    value: Word
    label: str
    credit: float = Field(ge=0, le=1)


class Scale(Strict):
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _unique_values(self) -> "Scale":
        values = [o.value for o in self.options]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise ValueError(f"option values repeat: {', '.join(dupes)}")
        if max(o.credit for o in self.options) != 1:
            raise ValueError("at least one option must earn full credit (1)")
        return self


class Group(Strict):
    id: Id
    label: str
    sixth_form: bool = False


class QuestionKind(str, Enum):
    yes_no = "yes_no"
    choice = "choice"
    agreement = "agreement"
    share = "share"
    checklist = "checklist"
    number = "number"
    text = "text"


class Effort(str, Enum):
    quick_win = "quick_win"
    moderate = "moderate"
    major = "major"

    @property
    def label(self) -> str:
        return {"quick_win": "Quick win", "moderate": "Moderate", "major": "Major"}[self.value]


# Conditions: a closed set of operators, one per condition. Resolved by scoring.condition_state.
CONDITION_OPERATORS = ("equals", "in", "includes", "at_least", "credit_above", "answered")


class IfNotAsked(str, Enum):
    """What a question (or criterion) counts as when an earlier *answer* means it is not asked.

    ``not_met``: the answer rules it out, so the assessment area is not met (no careers leader,
    so the training question fails too; no pupil met an employer, so the quality of encounters
    cannot earn credit). ``does_not_apply``: it only matters after a given answer (how
    part-time jobs are checked, asked only if they are counted), so it is left out. A question
    not asked because of the *institution* (no sixth form) never counts, whichever is set.
    """

    not_met = "not_met"
    does_not_apply = "does_not_apply"


class Condition(Strict):
    question: str | None = None
    equals: Word | None = None
    in_: list[Word] | None = Field(default=None, alias="in")
    includes: str | None = None
    at_least: float | None = None
    credit_above: float | None = Field(default=None, ge=0, lt=1)
    answered: bool | None = None
    sixth_form: bool | None = None
    all: "list[Condition] | None" = None
    any: "list[Condition] | None" = None
    not_: "Condition | None" = Field(default=None, alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _one_operator(self) -> "Condition":
        answer_ops = [op for op in CONDITION_OPERATORS if getattr(self, _attr(op)) is not None]
        other_ops = [op for op in ("sixth_form", "all", "any", "not") if getattr(self, _attr(op)) is not None]
        if self.question is not None:
            if len(answer_ops) != 1 or other_ops:
                raise ValueError(
                    "a condition on a question needs exactly one of: " + ", ".join(CONDITION_OPERATORS)
                )
        elif answer_ops or len(other_ops) != 1:
            raise ValueError(
                "a condition needs exactly one operator: question (with "
                + "/".join(CONDITION_OPERATORS)
                + "), sixth_form, all, any or not"
            )
        return self

    def questions(self) -> list[str]:
        """Every question id this condition reads."""
        found = [self.question] if self.question else []
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found += sub.questions()
        return found


def _attr(op: str) -> str:
    return {"in": "in_", "not": "not_"}.get(op, op)


class Item(Strict):
    id: Id
    text: str
    gap: str | None = None


class Question(Strict):
    id: Id
    kind: QuestionKind
    text: str
    help: str | None = None
    gap: str | None = None
    scored: bool = True
    #: A supplementary question (e.g. the work experience guarantee): asked and reported as
    #: readiness for what it names, and scored only if ``scored`` says so (domain guide, 9.6).
    supplementary: str | None = None
    when: Condition | None = None
    if_not_asked: IfNotAsked = IfNotAsked.not_met
    scale: str | None = None
    options: list[Option] | None = None
    groups: list[str] | None = None
    items: list[Item] | None = None
    min: float | None = None
    max: float | None = None
    target: float | None = Field(default=None, gt=0)
    unit: str | None = None
    #: A number question whose answer may have decimals (days of workplace time come in halves).
    decimals: bool | None = None

    #: set when the question is checked, from its kind's rules (kinds.KINDS)
    _scored: bool = PrivateAttr(default=False)
    _scale: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _fits_kind(self) -> "Question":
        """The keys and rules of the question's kind (kinds.py), and what every question must be."""
        from compass_cli.core.kinds import KINDS  # kinds builds on these models, so it comes in here

        rules = KINDS[self.kind]
        extra = sorted(
            key
            for key in ("scale", "options", "groups", "items", "min", "max", "target", "unit", "decimals")
            if getattr(self, key) is not None and key not in rules.keys
        )
        if extra:
            raise ValueError(f"a {self.kind.value} question cannot have: {', '.join(extra)}")
        problem = rules.question_problem(self)
        if problem:
            raise ValueError(problem)
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is above max")
        self._scored = self.scored and rules.earns_credit(self)
        self._scale = None if rules.default_scale is None else (self.scale or rules.default_scale)
        return self

    @property
    def is_scored(self) -> bool:
        """An assessment area: scored (the default) and of a kind that earns credit."""
        return self._scored

    def scale_name(self) -> str | None:
        """The framework scale its answers come from (its own, or its kind's default), if its kind has one."""
        return self._scale


class AtLeast(Strict):
    at_least: int = Field(ge=1)


Rule = Literal["all", "any"] | AtLeast


class Addresses(Strict):
    """The gap an action closes: a question, narrowed to some of its answers.

    ``items``: the action is for these checklist items, when all of them are unticked (it asks
    for each; planning.py proposes the actions for single items when some are ticked); ``groups``: for
    these groups of a share question, when any is below full credit; ``options``: for these
    answers of a question with options (those that fall short). With none of them, the
    action is for the question whenever it is not met.
    """

    question: str
    items: list[str] | None = Field(default=None, min_length=1)
    groups: list[str] | None = Field(default=None, min_length=1)
    options: list[Word] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_narrowing(self) -> "Addresses":
        given = [k for k in ("items", "groups", "options") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"addresses narrows by one of items, groups or options, not {' and '.join(given)}")
        return self


class Action(Strict):
    text: str
    effort: Effort
    evidence: str
    addresses: Addresses


class Criterion(Strict):
    id: Id
    source: str
    text: str
    rule: Rule = "all"
    when: Condition | None = None
    if_not_asked: IfNotAsked = IfNotAsked.not_met
    actions: list[Action] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)


class Benchmark(Strict):
    #: Any id a framework chooses (B1 ... B8 for the Gatsby Benchmarks; a hub's own may differ).
    id: Id
    title: str
    summary: str
    source: str
    criteria: list[Criterion] = Field(min_length=1)

    def questions(self) -> list[Question]:
        return [q for c in self.criteria for q in c.questions]


class InstitutionFieldName(str, Enum):
    """What the institution section can ask: each is a key of the answer file's ``institution``
    (or ``evaluation.completed_by``), with a rule of its own in code (a URN is six digits)."""

    name = "name"
    urn = "urn"
    ukprn = "ukprn"
    type = "type"
    site = "site"
    local_authority = "local_authority"
    sixth_form = "sixth_form"
    learners = "learners"
    completed_by = "completed_by"
    role = "role"
    careers_leader_name = "careers_leader_name"
    careers_leader_role = "careers_leader_role"
    careers_leader_email = "careers_leader_email"
    careers_leader_phone = "careers_leader_phone"
    careers_programme_url = "careers_programme_url"
    provider_access_url = "provider_access_url"


class InstitutionField(Strict):
    """One question of the institution section, in the framework's own words."""

    field: InstitutionFieldName
    text: str
    help: str | None = None


#: A word or a short phrase of a setting's own: letters, spaces and a few marks, never markup.
Phrase = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9 ,'()/-]*$", max_length=60)]


class Words(Strict):
    """The words compass's own sentences use for one setting, so that a college leader never
    reads "pupils" or "the school's" (and a school never reads "learners on their programme").

    Every template and every message takes these words from the framework (its
    ``institution.words``, then ``institution.wording`` for the institution's type), never from a
    test on the framework's id or type in code.
    """

    #: the institution, after "the" or "your": "school", "college", "training provider"
    institution: Phrase = "institution"
    #: one of the people it serves: "pupil", "learner", "apprentice or trainee"
    learner: Phrase = "learner"
    #: the people it serves: "pupils", "learners", "apprentices and trainees"
    learners: Phrase = "learners"
    #: what one of its groups is called, after "each": "year group", "year of their programme"
    group: Phrase = "group"
    #: what the ``sixth_form`` answer stands for, after "has" or "with": "a sixth form", "post-16 provision"
    sixth_form: Phrase = "a sixth form"

    def fill(self, text: str, group: str | None = None) -> str:
        """Text of the framework with its placeholders filled: ``{learners}``, ``{learner}``,
        ``{institution}`` and, for the learner numbers of one group, ``{group}`` (its label). A
        sentence that starts with a placeholder starts with a capital."""
        out = " ".join(text.split())
        starts = out.startswith("{")
        for key, value in (("learners", self.learners), ("learner", self.learner),
                           ("institution", self.institution), ("group", group)):
            if value is not None:
                out = out.replace("{" + key + "}", value)
        return out[:1].upper() + out[1:] if starts else out


class WordsForType(Strict):
    """The words of one institution type that differ from the framework's (an ITP's learners are
    apprentices and trainees); any word left out is the framework's."""

    institution: Phrase | None = None
    learner: Phrase | None = None
    learners: Phrase | None = None
    group: Phrase | None = None
    sixth_form: Phrase | None = None


class InstitutionSection(Strict):
    """What the audit asks about the institution before the benchmarks, and what kinds of
    institution the framework is for. Everything setting-specific (a school's URN and sixth
    form, a college's UKPRN and site, the words for its learners) is here, not in code."""

    title: str
    summary: str
    #: The kinds of institution this framework evaluates, id -> label; the first is the default.
    types: dict[Id, str] = Field(min_length=1)
    #: The setting's own words, as every prompt, message and report uses them.
    words: Words = Field(default_factory=Words)
    #: Institution type -> the words that differ for it (``itp: {learners: apprentices and trainees}``).
    wording: dict[Id, WordsForType] = Field(default_factory=dict)
    fields: list[InstitutionField] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _learners_word(cls, data: Any) -> Any:
        """``learners: pupils`` beside ``title``, as frameworks written before ``words`` say it."""
        if isinstance(data, dict) and "learners" in data:
            data = dict(data)
            word = data.pop("learners")
            words = data.get("words")
            if isinstance(words, dict) and "learners" in words and words["learners"] != word:
                raise ValueError("the learners word is given twice, as learners and as words.learners; keep "
                                 "words.learners")
            data["words"] = {**(words if isinstance(words, dict) else {}), "learners": word}
        return data

    def field(self, name: InstitutionFieldName) -> InstitutionField | None:
        return next((f for f in self.fields if f.field is name), None)

    @property
    def default_type(self) -> str:
        return next(iter(self.types))

    def words_for(self, kind: str | None = None) -> Words:
        """The words for an institution of type ``kind`` (the default type when None or empty)."""
        override = self.wording.get(kind or self.default_type)
        if override is None:
            return self.words
        return self.words.model_copy(update=override.model_dump(exclude_none=True))


class Duty(str, Enum):
    """How firmly an institution of one type is asked to publish an item on its website."""

    #: the law, or the funding agreement, requires it
    must = "must"
    #: the DfE's guidance expects it
    should = "should"
    #: nothing requires it; publishing it is good practice
    good_practice = "good_practice"

    @property
    def label(self) -> str:
        return {"must": "Required", "should": "Expected", "good_practice": "Good practice"}[self.value]


class EvaluationPart(str, Enum):
    """What an item of the published page takes from the evaluation itself, not from the institution section."""

    #: each benchmark's score now, last time and nationally, and the number fully achieved
    results = "results"
    #: the date of the next review: the national snapshot after this evaluation's, when the next is due
    next_review = "next_review"


class WebsiteShows(Strict):
    """The answer that says whether the website shows an item already: a checklist item ticked, or (without
    ``item``) a question answered with full credit."""

    question: Id
    item: Id | None = None


#: What an item needs from the institution section: a field, or a list of fields any one of which will do.
Need = InstitutionFieldName | list[InstitutionFieldName]


class ShownField(Strict):
    """An institution field as the published page shows it: ``label`` before it ("Email"), or as the text of
    its link; none for a name or a role, shown as they are."""

    field: InstitutionFieldName
    label: str | None = None


class PublishItem(Strict):
    """One thing an institution publishes about its careers programme, who must publish it, and where its
    value comes from (the institution section, the evaluation), in the framework's words."""

    id: Id
    #: what is to be published, as the guidance asks it, in our words ("The careers leader's name, ...")
    label: str
    #: its heading on the published page ("Our careers leader"); may hold the setting's placeholders
    heading: str
    #: a sentence under the heading (placeholders allowed), shown when the item is given
    text: str | None = None
    #: who must publish it, and how firmly, in words ("Maintained schools must; academies ...")
    who: str
    #: institution type -> how firmly an institution of that type is asked; a type not listed is not asked
    duty: dict[Id, Duty] = Field(min_length=1)
    #: where the requirement is written down, with its section
    source: str
    #: the institution fields it shows, in order
    fields: list[ShownField] = Field(default_factory=list)
    #: what it cannot go without: each a field, or a list of fields any one of which will do
    needs: list[Need] = Field(default_factory=list)
    #: what it takes from the evaluation itself
    evaluation: EvaluationPart | None = None
    #: the answer that says whether the website shows it already
    website: WebsiteShows | None = None
    #: asked only when this holds (the provider access duty applies to the school); unanswered, it is asked
    when: Condition | None = None

    @model_validator(mode="after")
    def _has_something_to_show(self) -> "PublishItem":
        if not self.fields and self.evaluation is None and self.text is None:
            raise ValueError("an item shows institution fields, a part of the evaluation (evaluation:) or a text")
        return self

    def needed(self) -> list[list[InstitutionFieldName]]:
        """Each need as a list of fields, any one of which will do."""
        return [need if isinstance(need, list) else [need] for need in self.needs]


class NotPublished(Strict):
    """Something one might expect on the page that this framework's institutions are not asked to publish, and why."""

    label: str
    why: str


class PublishSection(Strict):
    """What ``compass publish`` puts on the careers page of the institution's website (framework.yaml ``publish``)."""

    #: the page's heading (placeholders allowed)
    title: str
    #: a sentence under it (placeholders allowed)
    summary: str | None = None
    items: list[PublishItem] = Field(min_length=1)
    not_required: list[NotPublished] = Field(default_factory=list)


class FrameworkFile(Strict):
    """What framework.yaml holds; the benchmark files (and national.yaml) are loaded beside it."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    title: str
    edition: str
    #: One line that tells a careers leader whether this framework is the one for them.
    audience: str
    #: The last day an evaluation may use this framework (an edition that has been replaced),
    #: so that ``compass audit`` does not offer it for a new evaluation.
    applies_until: dt.date | None = None
    source: str
    institution: InstitutionSection
    benchmarks: list[str] = Field(min_length=1)
    groups: list[Group]
    year_groups: list[str]
    scales: dict[str, Scale]
    #: Question ids this edition no longer asks (moved, reworded, dropped), each with why.
    #: Old answer files that answer them still load: the answers are kept, not counted.
    retired: dict[str, str] = Field(default_factory=dict)
    #: What the institution publishes about its careers programme on its website (``compass publish``).
    publish: PublishSection | None = None

    @field_validator("edition", mode="before")
    @classmethod
    def _edition_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    def words(self, kind: str | None = None) -> Words:
        """The setting's words for an institution of type ``kind`` (see :class:`Words`)."""
        return self.institution.words_for(kind)

    def type_label(self, kind: str | None) -> str:
        """The label of an institution type ("Special school or specialist setting")."""
        types = self.institution.types
        return types.get(kind or self.institution.default_type, kind or "")


class NationalYear(Strict):
    """One year of national figures, with where they come from (domain guide, part 8)."""

    year: str
    institutions: int | None = None
    #: True when the source gives only a lower bound ("over 3,000 schools and colleges").
    institutions_more_than: bool = False
    average_achieved: float
    note: str | None = None
    source: str
    percent_achieving: dict[str, float] | None = None

    @property
    def institutions_text(self) -> str | None:
        """The number of institutions as the source gives it: "4,863", or "more than 3,000"."""
        if self.institutions is None:
            return None
        return ("more than " if self.institutions_more_than else "") + f"{self.institutions:,}"


class NationalFigures(Strict):
    """What a framework's national.yaml holds: the national figures that fit it, each labelled."""

    edition: str
    note: str
    years: list[NationalYear] = Field(min_length=1)

    @property
    def latest(self) -> NationalYear:
        """The most recent year (the headline comparison)."""
        return self.years[-1]

    @property
    def latest_by_benchmark(self) -> NationalYear | None:
        """The most recent year that gives "% fully achieving" for each benchmark, if any does."""
        found = [y for y in self.years if y.percent_achieving]
        return found[-1] if found else None

    @property
    def years_sentence(self) -> str:
        """Which year each figure shown is from, in words, so that no reader sets the shares of one
        year beside the average of another ("... from 2018/19, when 3 benchmarks were fully achieved
        on average; the national average of 5.96 is from 2024/25 ..."). Reports and summaries show
        the latest average and the latest shares per benchmark; these may be of different years."""
        latest, shares = self.latest, self.latest_by_benchmark
        if shares is None:
            return (f"The national average ({latest.average_achieved:g}) is from {latest.year}; no shares per "
                    "benchmark are published.")
        if shares.year == latest.year:
            return f"Every national figure is from {latest.year}."
        return (f"The national shares per benchmark are from {shares.year}, when {shares.average_achieved:g} "
                f"benchmarks were fully achieved on average; the national average of {latest.average_achieved:g} "
                f"is from {latest.year}, a year with no shares per benchmark published.")


# --------------------------------------------------------------------------- migrations


class Migration(Strict):
    """What ``migrations/<from-id>.yaml`` holds."""

    from_: str = Field(alias="from")
    carry: dict[Id, Id] = Field(min_length=1)

    model_config = Strict.model_config | {"populate_by_name": True}


# --------------------------------------------------------------------------- answer files

ANSWER_FORMAT = 1


class Person(Strict):
    name: str | None = None
    role: str | None = None
    email: str | None = None


URN = re.compile(r"[0-9]{6}")
UKPRN = re.compile(r"1[0-9]{7}")
#: More learners than any year group of any school or college has.
MAX_LEARNERS = 100_000


def urn_problem(text: str) -> str | None:
    """What is wrong with a URN, or None. The one rule, used by answer files and the audit's prompt alike."""
    return None if URN.fullmatch(text) else f"a URN is six digits, e.g. 137245; got {shown_value(text)}"


def ukprn_problem(text: str) -> str | None:
    """What is wrong with a UKPRN, or None."""
    if UKPRN.fullmatch(text):
        return None
    return f"a UKPRN is eight digits starting with 1, e.g. 10012345; got {shown_value(text)}"


#: An email address as people give one for a school or college: no spaces, quotes or markup.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
EMAIL = re.compile(rf"[A-Za-z0-9._%+-]+@{_LABEL}(?:\.{_LABEL})+")
#: Longest web address taken (a careers page's address is far shorter).
MAX_URL = 2000


def email_problem(text: str) -> str | None:
    """What is wrong with an email address, or None."""
    if len(text) <= 254 and EMAIL.fullmatch(text):
        return None
    return f"an email address looks like careers@school.example.sch.uk; got {shown_value(text)}"


def phone_digits(text: str) -> str | None:
    """A UK phone number as its digits from the 0 ("01632 960123", "+44 (0)1632 960123" -> "01632960123"),
    or None when it is not shaped like one: 10 or 11 digits starting with 0, or +44 and the rest."""
    if not re.fullmatch(r"\+?[0-9 ()-]+", text):
        return None
    digits = re.sub(r"[ ()-]", "", text)
    if digits.startswith("+44"):
        digits = "0" + digits[3:].removeprefix("0")
    return digits if re.fullmatch(r"0[1-9][0-9]{8,9}", digits) else None


def phone_problem(text: str) -> str | None:
    """What is wrong with a UK phone number, or None."""
    if phone_digits(text) is not None:
        return None
    return ("a UK phone number is 10 or 11 digits starting with 0 (or +44), spaces allowed, e.g. 01632 960123; "
            f"got {shown_value(text)}")


def url_problem(text: str) -> str | None:
    """What is wrong with a web address for a public page, or None: http or https only (never javascript: or
    data:, which a browser would run or open as a page), with a host, and nothing that could end the link early."""
    from urllib.parse import urlsplit

    example = "e.g. https://www.school.example.sch.uk/careers"
    scheme = text.split(":", 1)[0].strip().lower() if ":" in text else ""
    if scheme in ("javascript", "data", "vbscript", "file"):
        return (f"a {scheme}: address cannot be linked from a public page; give a web address starting https://, "
                f"{example}")
    if len(text) > MAX_URL:
        return f"a web address is at most {MAX_URL:,} characters; got {len(text):,}"
    if re.search(r"[\s<>\"'`\\\x00-\x1f\x7f]", text):
        return f"a web address has no spaces, quotes, backslashes or < >; got {shown_value(text)}"
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"a web address starts https:// (or http://) and names a site, {example}; got {shown_value(text)}"
    return None


def count_from_text(value: Any) -> Any:
    """A number of learners as people type it in a text editor: "180" or "1,200" (as text) is
    the number; anything else is left for the check to refuse with a message."""
    if isinstance(value, str):
        cleaned = value.strip().replace(",", "").replace("_", "")
        if cleaned.isdigit():
            return int(cleaned)
    return value


#: The rule each institution field with one must meet, saying what is wrong (institution.FIELDS asks with the same).
_INSTITUTION_RULES = {
    "urn": urn_problem,
    "ukprn": ukprn_problem,
    "careers_leader_email": email_problem,
    "careers_leader_phone": phone_problem,
    "careers_programme_url": url_problem,
    "provider_access_url": url_problem,
}


class Institution(Strict):
    name: str = ""
    urn: str | None = None
    ukprn: str | None = None
    #: One of the framework's institution types (checked against it when the answers are);
    #: empty for the framework's default type.
    type: str = ""
    site: str | None = None
    local_authority: str | None = None
    sixth_form: bool = False
    learners: dict[str, Annotated[int, BeforeValidator(count_from_text), Field(ge=0, le=MAX_LEARNERS)] | None] = Field(
        default_factory=dict)
    #: Who leads the careers programme, and how to reach them and it: what the website must show (``compass publish``).
    careers_leader_name: str | None = None
    careers_leader_role: str | None = None
    careers_leader_email: str | None = None
    careers_leader_phone: str | None = None
    careers_programme_url: str | None = None
    provider_access_url: str | None = None

    @field_validator("careers_leader_name", "careers_leader_role", *_INSTITUTION_RULES, mode="before")
    @classmethod
    def _trimmed(cls, v: Any) -> Any:
        """Spaces around a value are not part of it, and an empty one is not given."""
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)  # a number written without quotes: a URN, a phone number
        return (v.strip() or None) if isinstance(v, str) else v

    @field_validator(*_INSTITUTION_RULES)
    @classmethod
    def _meets_its_rule(cls, v: str | None, info: ValidationInfo) -> str | None:
        """A URN or UKPRN as the audit's prompt takes it (digits only, so it can never be a path, markup or
        a formula); an email address, a phone number, a link the published page will carry (never one a
        browser would run)."""
        problem = None if v is None else _INSTITUTION_RULES[info.field_name or ""](v)
        if problem:
            raise ValueError(problem)
        return v

    @property
    def key(self) -> str:
        """What identifies the institution across evaluations: URN, else UKPRN, else name, with
        the site where one is given (a college may evaluate each site; they share a UKPRN)."""
        return institution_key(self.urn, self.ukprn, self.name, self.site)


def institution_key(urn: str | None, ukprn: str | None, name: str, site: str | None) -> str:
    """The one rule for "the same institution": used by the summary, compare and the report."""
    site_part = f"|{site.strip().lower()}" if site and site.strip() else ""
    if urn:
        return f"urn:{urn}{site_part}"
    if ukprn:
        return f"ukprn:{ukprn}{site_part}"
    return f"name:{name.strip().lower()}{site_part or '|'}"


def uk_date(value: Any) -> Any:
    """A date as people in England write it, 20/11/2026 (day first, never month first), read as
    the date; ISO dates (2026-11-20) are read by the model as they are."""
    if isinstance(value, str):
        found = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value)
        if found:
            day, month, year = (int(x) for x in found.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return value  # 31/02/2026: left for the check to refuse as not a date
    return value


#: A date written ISO or day first.
Date = Annotated[dt.date, BeforeValidator(uk_date)]


class EvaluationDetails(Strict):
    """The answer file's ``evaluation`` section: when the evaluation was made, and by whom."""

    date: Date
    completed_by: Person = Field(default_factory=Person)

    @field_validator("date")
    @classmethod
    def _not_in_future(cls, v: dt.date) -> dt.date:
        """A hub's "latest evaluation" is the one with the latest date, so a typo such as 2999
        would hide every real evaluation of that school."""
        today = dt.date.today()
        if v > today:
            raise ValueError(f"{v.isoformat()} is in the future (today is {today.isoformat()}); evaluations cannot "
                             "be dated in the future: give the date the evaluation was done")
        return v

    @field_validator("completed_by", mode="before")
    @classmethod
    def _name_only(cls, v: Any) -> Any:
        return {"name": v} if isinstance(v, str) else ({} if v is None else v)


class Note(Strict):
    """A note against a question or a criterion: free text, evidence, and plan presets."""

    note: str | None = None
    evidence: str | None = None
    owner: str | None = None
    due: Date | None = None
    changed: bool | None = None


#: Longest framework reference: an id (gatsby-2025-schools) or the path of a folder.
MAX_FRAMEWORK_REF = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AnswerFile(Strict):
    format: int = ANSWER_FORMAT
    framework: str
    institution: Institution
    evaluation: EvaluationDetails
    answers: dict[str, Any] = Field(default_factory=dict)
    notes: dict[str, Note] = Field(default_factory=dict)

    @field_validator("answers", "notes", mode="before")
    @classmethod
    def _empty_section(cls, v: Any) -> Any:
        return {} if v is None else v

    @field_validator("framework")
    @classmethod
    def _plausible_framework(cls, v: str) -> str:
        """An id or a folder name; anything else (300 characters, control characters) cannot be either."""
        if not v.strip() or len(v) > MAX_FRAMEWORK_REF or _CONTROL.search(v):
            length = f" ({len(v):,} characters)" if len(v) > 40 else ""
            raise ValueError("expected a framework id such as gatsby-2025-schools, or the path of a folder holding "
                             f"framework.yaml; got {shown_value(v)}{length}")
        return v

    @field_validator("format")
    @classmethod
    def _known_format(cls, v: int) -> int:
        if v != ANSWER_FORMAT:
            raise ValueError(f"this version of compass reads answer file format {ANSWER_FORMAT}, not {v}")
        return v


# --------------------------------------------------------------------------- results

# A list left out is [] (pydantic gives each instance a copy of a default). Not default_factory=list:
# pydantic reads a factory's signature, and reading a builtin's costs a one-file command about 2 ms.


class Status(str, Enum):
    """How far a criterion or a benchmark has got (docs/scoring.md says when each applies)."""

    achieved = "achieved"
    in_progress = "in_progress"
    not_achieved = "not_achieved"
    #: A benchmark at 0% where no area earns any credit: nothing of it is in place yet.
    #: (A criterion with no credit is "not achieved"; only benchmarks are "not started".)
    not_started = "not_started"
    #: Applies to this institution, but nothing is answered yet.
    unscored = "unscored"
    #: Not asked of this institution at all (a "by 18" criterion without a sixth form).
    not_applicable = "not_applicable"

    @property
    def label(self) -> str:
        """The one vocabulary of every output: score, report, summary and compare."""
        return {
            "achieved": "Achieved",
            "in_progress": "In progress",
            "not_achieved": "Not achieved",
            "not_started": "Not started",
            "unscored": "Unscored",
            "not_applicable": "Does not apply",
        }[self.value]

    @property
    def counts(self) -> bool:
        """Answered (or ruled out) and scored: achieved, in progress, not achieved or not started."""
        return self in (Status.achieved, Status.in_progress, Status.not_achieved, Status.not_started)


class AreaStatus(str, Enum):
    """Where one assessment area (one scored question) stands."""

    met = "met"
    in_progress = "in_progress"
    not_met = "not_met"
    unanswered = "unanswered"

    @property
    def label(self) -> str:
        return {"met": "Met", "in_progress": "In progress", "not_met": "Not met", "unanswered": "Not answered yet"}[
            self.value
        ]


class Gap(Model):
    """One unmet assessment area, or part of one, in plain words.

    ``items``, ``groups`` and ``option`` say which answers fall short (unticked checklist
    items, share groups below full credit, the option chosen), so that an action can be
    matched to exactly the gap it closes; ``ruled_out_by`` names the answers that mean the
    question was not asked (and so is not met).
    """

    question: str
    text: str
    items: list[str] = []
    groups: list[str] = []
    option: str | None = None
    ruled_out_by: list[str] = []


class AreaResult(Model):
    """One assessment area: a scored question that applies to this institution."""

    question: str
    status: AreaStatus
    credit: float
    ruled_out_by: list[str] = []

    @property
    def met(self) -> bool:
        return self.status is AreaStatus.met


class CriterionResult(Model):
    id: str
    text: str
    source: str
    status: Status
    areas: list[AreaResult] = []
    unanswered: list[str] = []
    gaps: list[Gap] = []

    @property
    def applies(self) -> bool:
        """Counts towards its benchmark: it has assessment areas for this institution.

        Only a criterion that does not apply at all (a "by 18" criterion without a sixth
        form, say) is left out of its benchmark's score.
        """
        return self.status is not Status.not_applicable

    @property
    def areas_met(self) -> int:
        return sum(1 for a in self.areas if a.status is AreaStatus.met)


class BenchmarkResult(Model):
    id: str
    title: str
    score: float | None
    achieved: bool
    status: Status
    #: Assessment areas that apply (scored questions asked of this institution, or ruled out
    #: by an earlier answer), how many are met and how many are in progress.
    areas: int = 0
    areas_met: int = 0
    areas_in_progress: int = 0
    criteria: list[CriterionResult]

    @property
    def applies(self) -> bool:
        """Something in this benchmark is asked of this institution."""
        return self.status is not Status.not_applicable

    @property
    def rounded(self) -> int | None:
        return None if self.score is None else shown_percent(self.score)


class Result(Model):
    """The one result object every output form is rendered from."""

    source: str | None = None
    framework: str
    framework_title: str
    edition: str
    #: the answer file's institution, its type given (the framework's default type where the file has none)
    institution: Institution
    #: the framework's label for the institution's type ("Special school or specialist setting")
    type_label: str = ""
    date: dt.date
    completed_by: str | None = None
    partial_credit: float
    benchmarks: list[BenchmarkResult]
    benchmarks_achieved: int
    average_score: float
    unanswered: list[str]
    complete: bool
    ignored: list[str] = []
    #: Answers to questions this edition of the framework no longer asks: kept, not counted.
    no_longer_asked: list[str] = []

    def benchmark(self, bid: str) -> BenchmarkResult:
        return next(b for b in self.benchmarks if b.id == bid)
