"""Every setting in its own words: no college leader reads "pupils", no school reads "learners on
their programme", nobody reads "None" or an id such as FINAL.

Each setting (a school, a special school, a college, a training provider, a school under the
2014 edition) goes the whole way a careers leader goes: the blank answer file, the audit of the
institution section and the first two benchmarks (driven through the terminal prompter, help
and a wrong key included), the score on the screen, the report (Markdown and HTML, with a plan
and with everything achieved), the hub summary of its evaluations (screen, Markdown, HTML) and,
where the framework has entitlements, the blank records files. Every text a person reads is then
searched for the words of the other settings. The words a setting uses come from its framework's
``institution.words`` (and ``wording`` for a type), so the expected words below are the data's.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from compass_cli.audit.interview import Interview
from compass_cli.audit.prompts import Prompt, SharePrompt, shortest_line
from compass_cli.audit.terminal import TerminalPrompter
from compass_cli.cli import app
from compass_cli.core.answers import condition_words
from compass_cli.core.evaluation import evaluate, load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.output.terminal.results import print_result

from .audit.audit_helpers import planned_answers
from .best_answers import best_answers
from .conftest import EXAMPLES

TODAY = dt.date(2026, 11, 20)


@dataclass(frozen=True)
class Setting:
    name: str
    framework: str
    #: the --type of `compass template` (None: -f framework)
    kind: str | None
    #: words no text of this setting may hold (regular expressions, any case unless marked)
    wrong: tuple[str, ...]
    #: words the setting's own texts must hold (its framework's words, where code writes them)
    own: tuple[str, ...]


#: Words of a school (pupils, year groups, key stages, the school's, a sixth form) a college must never read.
SCHOOL_WORDS = (r"\bpupils?\b", r"\bthe school's\b", r"\bschool website\b", r"(?-i:\bYear \d)", r"\bheadteacher",
                r"\bkey stage", r"\ba sixth form\b", r"(?-i:\bUPN\b)", r"pupil premium", r"sixth-form groups",
                r"(?-i:\bURN\b)")
#: Words of a college or training provider a school must never read.
COLLEGE_WORDS = (r"\bcollege or training provider\b", r"\btraining provider's\b", r"\bapprentices and trainees\b",
                 r"\byears? of their programme\b", r"\bthe college's\b", r"(?-i:\bUKPRN\b)", r"\blearners? counted\b")

SETTINGS = [
    Setting("school", "gatsby-2025-schools", "school", COLLEGE_WORDS,
            ("the school's own", "feedback from pupils")),
    Setting("special school", "gatsby-2025-special", "special", (*COLLEGE_WORDS, r"\bhas a sixth form\b",
                                                                r"\bwith a sixth form\b"),
            ("the school's own", "has post-16 provision")),
    Setting("college", "gatsby-2025-colleges", "college", SCHOOL_WORDS,
            ("the college's own", "feedback from learners", "some learners had it")),
    Setting("training provider", "gatsby-2025-colleges", "itp", (*SCHOOL_WORDS, r"\bthe college's\b"),
            ("the training provider's own", "feedback from apprentices and trainees",
             "some apprentices and trainees had it", "how many apprentices and trainees")),
    Setting("2014 edition", "gatsby-2014-schools", None, COLLEGE_WORDS, ("the school's own",)),
]


# --------------------------------------------------------------------------- what a person reads


def _plain(text: str) -> str:
    """Text as read: HTML tags and entities gone, typographic apostrophes straight, on one line."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("’", "'")
    return " ".join(text.split())


def _raw_ids(fw: Framework) -> set[str]:
    """Ids a person should never read in a sentence: answer values and items written with "_", and
    groups that are not a year group (FINAL, PL, KS3) or whose id is not their label's short form."""
    found = {o.value for q in fw.questions() for o in fw.options(q) if "_" in o.value}
    found |= {i.id for q in fw.questions() for i in q.items or [] if "_" in i.id}
    found |= {g.id for g in fw.meta.groups if g.id not in fw.meta.year_groups}
    return found


def _without_labels(fw: Framework, text: str) -> str:
    """The text with the framework's own option labels taken out ("None (0%)" and "None yet" are labels)."""
    for label in sorted({o.label for q in fw.questions() for o in fw.options(q)}, key=len, reverse=True):
        text = text.replace(label, " ")
    return text


def _audit_screen(fw: Framework, path: Path, kind: str | None) -> str:
    """The audit of the institution section and the first two benchmarks, as the terminal shows it:
    each question's help asked for, a wrong key at every share question, the progress once."""
    console = Console(record=True, width=100, force_terminal=False, color_system=None)
    prompter: TerminalPrompter
    plan: dict[str, Any] = {**planned_answers(fw), "name": "Test Institution", "URN": "137245",
                            "UKPRN": "10012345", "type": kind, "site": "Main site", "local authority": "Leeds",
                            "sixth form": "yes", "completed by": "Jo Bloggs", "role": "Careers leader",
                            "careers leader's name": "Jo Bloggs", "careers leader's role": "Careers leader",
                            "careers leader's email": "careers@test.example", "careers leader's phone": "01632 960123",
                            "careers programme link": "https://test.example/careers",
                            "provider access link": "https://test.example/access",
                            **dict.fromkeys(fw.meta.year_groups, 120)}
    seen: set[str] = set()
    said: list[str] = []

    def line(_: str) -> str:
        prompt: Prompt = prompter.on_screen  # type: ignore[assignment]
        ref = prompt.heading.ref
        if prompt.heading.progress.section_number > 2:
            return "q"
        if ref not in seen:
            seen.add(ref)
            said.append(ref)
            return "?" if len(said) > 1 else "o"  # the progress once, then each question's help
        if isinstance(prompt, SharePrompt) and ref + "!" not in seen:
            seen.add(ref + "!")
            return "9"  # not a band: the hint names the groups
        value = plan[ref]
        if isinstance(prompt, SharePrompt):
            value = {g.value: value[g.value] for g in prompt.groups}
        return shortest_line(prompt, value)

    prompter = TerminalPrompter(console, read_line=line)
    interview = Interview(fw, path, prompter, evaluation=load_evaluation(path, fw), today=TODAY)
    assert interview.run() is False  # stopped with q at the third benchmark
    assert len(said) > 20
    return console.export_text()


@dataclass
class Texts:
    """Everything read in one setting, by where it came from."""

    framework: Framework
    parts: dict[str, str]


def _texts(setting: Setting, tmp_path: Path) -> Texts:
    runner = CliRunner()
    fw = load_framework(setting.framework)
    words = fw.meta.words(setting.kind and next(t for t in fw.meta.institution.types if t.startswith(setting.kind)))
    parts: dict[str, str] = {}

    # the blank answer file, as `compass template` writes it
    path = tmp_path / "hub" / "ours.yaml"
    path.parent.mkdir()
    args = ["template", "-o", str(path)] + (["--type", setting.kind] if setting.kind else ["-f", fw.id])
    assert runner.invoke(app, args).exit_code == 0
    parts["template"] = path.read_text()
    parts["conditions"] = "\n".join("Asked only if " + condition_words(fw, q.when, words) + "."
                                    for q in fw.questions() if q.when is not None)

    # the audit, then the score on the screen
    parts["audit"] = _audit_screen(fw, path, yaml.safe_load(path.read_text())["institution"].get("type"))
    scored = evaluate(path)
    console = Console(record=True, width=100, color_system=None)
    print_result(scored.result, console)
    parts["score"] = console.export_text()

    # the report, with a plan, and with everything achieved (the plan's "to keep it that way")
    best = tmp_path / "hub" / "best.yaml"
    doc = yaml.safe_load(path.read_text())
    inst = doc["institution"]
    inst["name"] = "Best Institution"  # another institution of the same setting, for the summary
    inst.update({key: value for key, value in (("urn", "137246"), ("ukprn", "10012346")) if inst.get(key)})
    doc["evaluation"]["date"] = "2026-11-19"
    doc["answers"] = best_answers(fw, True)
    best.write_text(yaml.safe_dump(doc, sort_keys=False))
    for name, file in (("plan", path), ("achieved", best)):
        for fmt in ("md", "html"):
            result = runner.invoke(app, ["report", str(file), "--format", fmt])
            assert result.exit_code == 0, result.output
            parts[f"report {name} {fmt}"] = result.stdout
    assert "Nothing is left to plan" in parts["report achieved md"]

    # the careers page for the website, beside the best evaluation, and with nothing for the website given
    bare = tmp_path / "bare.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["institution"] = {k: v for k, v in doc["institution"].items() if not k.startswith(("careers_", "provider_"))}
    bare.write_text(yaml.safe_dump(doc, sort_keys=False))
    for name, args in (("given", [str(path), "--previous", str(best)]), ("bare", [str(bare)])):
        for fmt in ("md", "html"):
            result = runner.invoke(app, ["publish", *args, "--format", fmt])
            assert result.exit_code == 0, result.output
            parts[f"publish {name} {fmt}"] = result.stdout + result.stderr

    # the hub summary of this setting's evaluations
    for fmt in ("table", "md", "html"):
        result = runner.invoke(app, ["summary", str(path.parent), "--format", fmt], env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.output
        parts[f"summary {fmt}"] = result.stdout

    # the blank records files, where the framework counts entitlements
    if fw.folder is not None and (fw.folder / "entitlements.yaml").is_file():
        folder = tmp_path / "records"
        result = runner.invoke(app, ["records", "template", "-o", str(folder), "-f", fw.id])
        assert result.exit_code == 0, result.output
        parts["records hint"] = result.stderr
        for f in sorted(folder.iterdir()):  # the format's own keys (pupils:, pupil_id) are the same for every setting
            text = f.read_text()
            parts[f"records {f.name}"] = "\n".join(x for x in text.splitlines() if "#" in x) if f.suffix == ".yaml" \
                else text
    return Texts(fw, {where: _plain(text) for where, text in parts.items()})


@pytest.fixture(scope="module", params=SETTINGS, ids=[s.name for s in SETTINGS])
def setting(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Setting, Texts]:
    s: Setting = request.param
    return s, _texts(s, tmp_path_factory.mktemp(s.name.replace(" ", "-")))


# --------------------------------------------------------------------------- the checks


def _found(pattern: str, texts: dict[str, str], keep: Callable[[str], bool] = lambda where: True) -> list[str]:
    out = []
    for where, text in texts.items():
        if not keep(where):
            continue
        for m in re.finditer(pattern, text, re.I):
            out.append(f"{where}: …{text[max(0, m.start() - 60):m.end() + 60]}…")
    return out


def test_no_word_from_another_setting(setting: tuple[Setting, Texts]) -> None:
    s, texts = setting
    found = [hit for pattern in s.wrong for hit in _found(pattern, texts.parts)]
    assert not found, "\n".join(found[:20])


def test_the_setting_s_own_words_are_used(setting: tuple[Setting, Texts]) -> None:
    s, texts = setting
    everything = " ".join(texts.parts.values())
    missing = [word for word in s.own if word.lower() not in everything.lower()]
    assert not missing, missing


def test_no_none_no_placeholder_and_no_raw_id(setting: tuple[Setting, Texts]) -> None:
    s, texts = setting
    fw = texts.framework
    prose = {where: _without_labels(fw, text) for where, text in texts.parts.items()
             if not where.startswith(("template", "records"))}  # an answer file and a CSV use ids as keys
    found = _found(r"(?-i:\bNone\b)", prose) + _found(r"\{(group|learners?|institution)\}", texts.parts)
    found += [hit for rid in sorted(_raw_ids(fw)) for hit in _found(rf"(?-i:\b{re.escape(rid)}\b)", prose)]
    assert not found, "\n".join(found[:20])


def test_the_type_changes_the_words_not_the_questions(tmp_path: Path) -> None:
    """--type itp and --type college give the same questions in different words (the ITP wording map)."""
    runner = CliRunner()
    college = runner.invoke(app, ["template", "--type", "college"]).stdout
    itp = runner.invoke(app, ["template", "--type", "itp"]).stdout
    assert college != itp
    assert "how many learners are there this term" in college and "apprentices and trainees" not in college
    assert "how many apprentices and trainees are there this term" in itp
    questions = re.compile(r"^  (B[\d.]+):", re.M)
    assert questions.findall(college) == questions.findall(itp)


def test_an_own_framework_without_words_still_reads(tmp_path: Path) -> None:
    """A framework written before `words` (only `learners:`) loads, with neutral words for the rest."""
    folder = tmp_path / "old"
    shutil.copytree(EXAMPLES.parent / "tests" / "fixtures" / "mini", folder)
    fw = load_framework(folder)
    assert fw.meta.words().learners == "pupils"
    assert fw.meta.words().institution == "institution"
