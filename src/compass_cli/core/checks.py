"""Cross-checks on a loaded questionnaire: what one file's model cannot see on its own.

Ids are unique, references resolve, a ``when`` names an earlier question with an operator
that fits that question's kind, scales and groups exist. Every problem is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compass_cli.core.framework import Framework
from compass_cli.core.institution import FIELDS
from compass_cli.core.loading import Document, pretty_path
from compass_cli.core.models import Addresses, Condition, Question
from compass_cli.errors import Problem


def check_framework(fw: Framework, folder: Path, docs: dict[str, Document]) -> list[Problem]:
    """Every cross-check; ``docs`` holds each file's document by benchmark id, plus
    "framework.yaml" and "national.yaml", so each problem names its file and line."""

    def meta_problem(loc: tuple[Any, ...], message: str, file: str = "framework.yaml") -> Problem:
        doc = docs.get(file)
        return Problem(str(folder / file), message, doc.line_of(loc) if doc else None,
                       pretty_path(doc.data, loc) if doc else ".".join(map(str, loc)))

    problems: list[Problem] = []
    group_ids = [g.id for g in fw.meta.groups]
    if len(set(group_ids)) != len(group_ids):
        problems.append(meta_problem(("groups",), "group ids repeat"))
    for gid in fw.meta.year_groups:
        if gid not in group_ids:
            problems.append(meta_problem(("year_groups",), f"year group '{gid}' is not in groups"))
    for qid in fw.meta.retired:
        if fw.has_question(qid):
            problems.append(meta_problem(("retired", qid), f"'{qid}' is retired but still asked; give the new "
                                         "question a new id"))
    problems += _institution_problems(fw, meta_problem)
    problems += _publish_problems(fw, meta_problem)
    if fw.national is not None:
        bench_ids = {b.id for b in fw.benchmarks}
        for i, year in enumerate(fw.national.years):
            for bid in year.percent_achieving or {}:
                if bid not in bench_ids:
                    problems.append(meta_problem(("years", i, "percent_achieving", bid), f"'{bid}' is not a "
                                                 f"benchmark of {fw.id}", file="national.yaml"))

    seen_benchmarks: set[str] = set()
    seen_criteria: set[str] = set()
    earlier: dict[str, Question] = {}
    for bench in fw.benchmarks:
        doc = docs.get(bench.id)
        file = str(doc.path) if doc else str(folder)

        def report(loc: tuple[Any, ...], message: str, doc: Document | None = doc, file: str = file) -> None:
            line = doc.line_of(loc) if doc else None
            problems.append(Problem(file, message, line, pretty_path(doc.data, loc) if doc else None))

        if bench.id in seen_benchmarks:
            report(("id",), f"benchmark {bench.id} appears twice")
        seen_benchmarks.add(bench.id)
        for ci, crit in enumerate(bench.criteria):
            cloc = ("criteria", ci)
            if not crit.id.startswith(bench.id + "."):
                report(cloc + ("id",), f"criterion id '{crit.id}' should start with '{bench.id}.'")
            if crit.id in seen_criteria:
                report(cloc + ("id",), f"criterion id '{crit.id}' is used twice")
            seen_criteria.add(crit.id)
            if crit.when:
                for msg in _condition_problems(crit.when, earlier, fw):
                    report(cloc + ("when",), msg)
            if crit.when is None and crit.if_not_asked.value != "not_met":
                report(cloc + ("if_not_asked",), "'if_not_asked' is for a criterion with a 'when' condition")
            scored = [q for q in crit.questions if q.is_scored]
            if not scored:
                report(cloc + ("questions",), f"criterion {crit.id} has no scored question, so it can never be scored")
            rule = crit.rule
            if not isinstance(rule, str) and rule.at_least > len(scored):
                report(cloc + ("rule",), f"rule asks for {rule.at_least} met questions; only {len(scored)} are scored")
            for qi, q in enumerate(crit.questions):
                qloc = cloc + ("questions", qi)
                if not q.id.startswith(crit.id + "."):
                    report(qloc + ("id",), f"question id '{q.id}' should start with '{crit.id}.'")
                if q.id in earlier:
                    report(qloc + ("id",), f"question id '{q.id}' is used twice")
                name = q.scale_name()
                if name and name not in fw.meta.scales:
                    report(qloc + ("scale",), f"unknown scale '{name}' (framework scales: {', '.join(fw.meta.scales)})")
                for g in q.groups or []:
                    if g not in group_ids:
                        report(qloc + ("groups",), f"unknown group '{g}' (framework groups: {', '.join(group_ids)})")
                if q.when:
                    for msg in _condition_problems(q.when, earlier, fw):
                        report(qloc + ("when",), msg)
                elif q.if_not_asked.value != "not_met":
                    report(qloc + ("if_not_asked",), "'if_not_asked' is for a question with a 'when' condition")
                earlier[q.id] = q
            own = {q.id: q for q in crit.questions}
            for ai, action in enumerate(crit.actions):
                for msg in _addresses_problems(action.addresses, own, fw):
                    report(cloc + ("actions", ai, "addresses"), msg)
    return problems


def _addresses_problems(addr: Addresses, own: dict[str, Question], fw: Framework) -> list[str]:
    """An action must close a gap that its own criterion can show: a scored question of it,
    narrowed (if at all) to answers of that question that fall short."""
    q = own.get(addr.question)
    if q is None:
        return [f"addresses {addr.question}, which is not a question of this criterion"]
    if not q.is_scored:
        return [f"addresses {q.id}, which is not scored, so it never shows a gap"]
    out: list[str] = []
    narrows_by = fw.kind(q).narrows_by
    if addr.items is not None:
        if narrows_by != "items":
            return [f"'items' narrows a checklist; {q.id} is a {q.kind.value} question"]
        known = [i.id for i in q.items or []]
        out += [f"{q.id} has no item '{i}' (items: {', '.join(known)})" for i in addr.items if i not in known]
    if addr.groups is not None:
        if narrows_by != "groups":
            return [f"'groups' narrows a share question; {q.id} is a {q.kind.value} question"]
        out += [f"{q.id} does not ask about group '{g}' (groups: {', '.join(q.groups or [])})"
                for g in addr.groups if g not in (q.groups or [])]
    if addr.options is not None:
        if narrows_by != "options":
            return [f"'options' narrows a question with options; {q.id} is a {q.kind.value} question"]
        credits = fw.credits(q)
        for value in addr.options:
            if value not in credits:
                out.append(f"{q.id} has no option '{value}' (options: {', '.join(credits)})")
            elif credits[value] >= 1:
                out.append(f"option '{value}' of {q.id} earns full credit, so it is never a gap")
    return out


def _condition_problems(cond: Condition, earlier: dict[str, Question], fw: Framework) -> list[str]:
    """Every way a condition fails to make sense, given the questions asked before it."""
    out: list[str] = []
    if cond.question is not None:
        target = earlier.get(cond.question)
        if target is None:
            where = "a later question" if fw.has_question(cond.question) else "no question"
            return [f"'when' names {cond.question}, which is {where}; it must name an earlier question"]
        options = [o.value for o in fw.options(target)]  # [] for an unknown scale (reported on its own)
        kind = fw.kind(target)
        if cond.equals is not None or cond.in_ is not None:
            values = [cond.equals] if cond.equals is not None else list(cond.in_ or [])
            if "equals" not in kind.operators:
                out.append(f"'equals'/'in' need a question with options; {target.id} is a {target.kind.value} question")
            else:
                out += [f"{target.id} has no option '{v}'" for v in values if v not in options]
        if cond.includes is not None:
            if "includes" not in kind.operators:
                out.append(f"'includes' needs a checklist; {target.id} is a {target.kind.value} question")
            elif cond.includes not in [i.id for i in target.items or []]:
                out.append(f"{target.id} has no item '{cond.includes}'")
        if cond.at_least is not None and "at_least" not in kind.operators:
            out.append(f"'at_least' needs a number question; {target.id} is a {target.kind.value} question")
        if cond.credit_above is not None and not kind.earns_credit(target):
            out.append(f"'credit_above' needs a question that earns credit; {target.id} has no credit to compare")
    for sub in (cond.all or []) + (cond.any or []) + ([cond.not_] if cond.not_ else []):
        out += _condition_problems(sub, earlier, fw)
    return out


def _institution_problems(fw: Framework, problem: Any) -> list[Problem]:
    """The institution section must ask what the framework needs, and nothing it never uses (each field says
    which, in institution.FIELDS): a name; learner numbers when there are year groups; the sixth-form question
    when, and only when, some groups are sixth-form only; the type when, and only when, there is more than one."""
    section = fw.meta.institution
    asked = [f.field.value for f in section.fields]
    out = [problem(("institution", "fields"), f"'{name}' is asked twice") for name in sorted(set(asked))
           if asked.count(name) > 1]
    for kind in section.wording:
        if kind not in section.types:
            out.append(problem(("institution", "wording", kind), f"'{kind}' is not one of the institution types "
                               f"({', '.join(section.types)}), so its words would never be used"))
    for name, field in FIELDS.items():
        needed, unused = field.need(fw), field.unused(fw)
        if needed and name.value not in asked:
            out.append(problem(("institution", "fields"),
                               f"the institution section must ask '{name.value}': {needed}"))
        if unused and name.value in asked:
            out.append(problem(("institution", "fields"), f"'{name.value}' is asked but never used: {unused}"))
    return out


def _publish_problems(fw: Framework, problem: Any) -> list[Problem]:
    """The publish section (what the website shows) must refer to what the framework has: item ids once each, the
    institution's types, fields the institution section asks, and a question (and checklist item) that can say
    whether the website shows the item already."""
    publish = fw.meta.publish
    if publish is None:
        return []
    asked = {f.field for f in fw.meta.institution.fields}
    types = fw.meta.institution.types
    out: list[Problem] = []
    seen: set[str] = set()
    for i, item in enumerate(publish.items):
        loc = ("publish", "items", i)
        if item.id in seen:
            out.append(problem(loc + ("id",), f"item '{item.id}' appears twice"))
        seen.add(item.id)
        for kind in item.duty:
            if kind not in types:
                out.append(problem(loc + ("duty", kind), f"'{kind}' is not one of the institution types "
                                   f"({', '.join(types)})"))
        for j, shown in enumerate(item.fields):
            if shown.field not in asked:
                out.append(problem(loc + ("fields", j), f"'{shown.field.value}' is not asked by the institution "
                                   "section, so no answer file could give it; add it to institution.fields"))
            elif FIELDS[shown.field].in_evaluation:
                out.append(problem(loc + ("fields", j), f"'{shown.field.value}' is about who completes the "
                                   "evaluation, not something the website shows"))
        for need in item.needed():
            for name in need:
                if name not in asked:
                    out.append(problem(loc + ("needs",), f"'{name.value}' is not asked by the institution section, "
                                       "so the item could never be given; add it to institution.fields"))
        if item.website is not None:
            out += [problem(loc + ("website",), msg) for msg in _website_problems(item.website.question,
                                                                                   item.website.item, fw)]
        if item.when is not None:
            every = dict(fw.questions_by_id())
            out += [problem(loc + ("when",), msg) for msg in _condition_problems(item.when, every, fw)]
    return out


def _website_problems(qid: str, item: str | None, fw: Framework) -> list[str]:
    """``website`` names a question whose answer says whether the website shows the item: a checklist and one of
    its items, or, without an item, a question that earns credit."""
    if not fw.has_question(qid):
        return [f"{qid} is not a question of {fw.id}"]
    q = fw.question(qid)
    if item is not None:
        known = [i.id for i in q.items or []]
        if not known:
            return [f"'item' names a checklist item; {qid} is a {q.kind.value} question"]
        return [] if item in known else [f"{qid} has no item '{item}' (items: {', '.join(known)})"]
    return [] if fw.kind(q).earns_credit(q) else [f"{qid} earns no credit, so it cannot say the website shows it"]
