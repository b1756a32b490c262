"""The whole audit driven through the prompter interface, without a terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from compass_cli.audit.interview import Interview
from compass_cli.audit.prompts import ChecklistPrompt, ChoicePrompt, NumberPrompt, SharePrompt, TextPrompt
from compass_cli.core.evaluation import load_evaluation
from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework
from compass_cli.core.models import QuestionKind
from compass_cli.core.scoring import applicable_answers, score
from compass_cli.errors import SaveError
from compass_cli.files import write_atomic

from .audit_helpers import (
    INSTITUTION_LINES,
    INSTITUTION_PLAN,
    INSTITUTION_STEPS,
    TODAY,
    Scripted,
    by_plan,
    expected,
    full_plan,
)


def run(fw: Framework, path: Path, script: Any, **kwargs: Any) -> tuple[Interview, Scripted, bool]:
    prompter = Scripted(script)
    interview = Interview(fw, path, prompter, today=TODAY, **kwargs)
    finished = interview.run()
    return interview, prompter, finished


def resume(fw: Framework, path: Path, script: Any, **kwargs: Any) -> tuple[Interview, Scripted, bool]:
    loaded = load_evaluation(path, fw)
    return run(fw, path, script, evaluation=loaded, **kwargs)


def test_a_full_audit_from_blank_saves_every_answer_and_scores(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    plan = full_plan(fw)
    interview, prompter, finished = run(fw, path, by_plan(plan))
    assert finished
    loaded = load_evaluation(path, fw)
    assert loaded.answers == expected(fw, plan)
    inst = loaded.answer_file.institution
    assert (inst.name, inst.urn, inst.sixth_form) == ("Hilltop Academy", "137245", True)
    assert inst.learners == {g: INSTITUTION_PLAN[g] for g in fw.meta.year_groups}
    assert loaded.answer_file.evaluation.completed_by.name == "Jo Bloggs"
    assert (inst.careers_leader_name, inst.careers_leader_phone, inst.provider_access_url) == (
        "Ms J. Patel", "01632 960123", "https://h.example/access")
    assert loaded.answer_file.evaluation.date == TODAY
    # every kind of question was asked, every section was introduced, in order
    kinds = {type(p) for p in prompter.prompts}
    assert kinds == {ChoicePrompt, ChecklistPrompt, SharePrompt, NumberPrompt, TextPrompt}
    assert prompter.sections == ["institution"] + [b.id for b in fw.benchmarks]
    assert not prompter.hints and not prompter.confirms
    # one save per answer, plus the file created at the start
    assert interview.saves == len(prompter.asked) + 1
    result = interview.result()
    assert result == score(loaded)
    assert result.complete


def test_invalid_keys_re_ask_with_a_hint(fw: Framework, tmp_path: Path) -> None:
    lines = ["", "Hilltop", "12", "s", "", "maybe", "n", "-3", "lots", "180", "180", "180", "180", "180", "Jo", "",
             *[""] * 6, "5", "y", "q"]  # Enter leaves out the six fields of the website (careers leader ...)
    interview, prompter, finished = run(fw, tmp_path / "a.yaml", lines)
    assert not finished
    assert len(prompter.hints) == 6
    assert prompter.hints[0] == "This one is needed: type it, then Enter."
    assert "six digits" in prompter.hints[1]
    assert "y or n" in prompter.hints[2]
    assert "whole number" in prompter.hints[3] and "whole number" in prompter.hints[4]
    assert "y or n" in prompter.hints[5]
    loaded = load_evaluation(tmp_path / "a.yaml", fw)
    assert loaded.answers == {"B1.1.1": "yes"}
    assert loaded.answer_file.institution.urn is None


def test_back_skip_jump_clear_help_progress_and_note(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    plan = full_plan(fw)
    extra = {
        "B1.1.1": ["?", "o", "e"],
        "B1.1.1 note": ["Appointed in September."],
        "B1.1.1 evidence": ["Job description, HR folder"],
        "B1.1.3": ["b"],                  # back to B1.1.2 (answered), then on
        "B1.1.4": ["s"],                  # skipped: stays unanswered
        "B1.2.1": ["j5"],                 # jump to B5
        "B5.1.1": ["j2"],                 # and back to B2; from there the walk carries on
        "B2.1.2": ["x", "b", "j9"],       # clear (nothing there), back to B2.1.1, a jump nowhere
    }
    interview, prompter, finished = run(fw, path, by_plan(plan, extra))
    assert prompter.helped == ["B1.1.1"]
    assert prompter.progress and prompter.progress[0][1].id == "B1"
    assert any("no section 9" in m for m in prompter.messages)
    # the walk: B1.1.3 asked twice around B1.1.2, B1.2.1 left for B5 then B2
    asked = prompter.asked
    assert asked[asked.index("B1.1.3") + 1] == "B1.1.2"
    assert asked[asked.index("B1.2.1") + 1] == "B5.1.1"
    assert asked[asked.index("B5.1.1") + 1] == "B2.1.1"
    # at the end, the skipped and jumped-over questions are offered again; the script says no
    assert prompter.confirms and "still unanswered" in prompter.confirms[0]
    assert finished
    loaded = load_evaluation(path, fw)
    assert "B1.1.4" not in loaded.answers
    assert "B1.2.1" not in loaded.answers and "B1.3.1" not in loaded.answers
    assert loaded.answers["B5.1.1"] == plan["B5.1.1"]
    assert loaded.answers["B2.1.2"] == plan["B2.1.2"]  # answered after coming back to it
    note = loaded.answer_file.notes["B1.1.1"]
    assert (note.note, note.evidence) == ("Appointed in September.", "Job description, HR folder")


def test_the_unanswered_pass_at_the_end_visits_only_those(fw: Framework, tmp_path: Path) -> None:
    plan = full_plan(fw)
    skipped = {"B1.3.4": ["s"], "B3.1.2": ["s"]}
    prompter = Scripted(by_plan(plan, skipped))
    answers_at_confirm: list[int] = []

    def confirm(text: str, default: bool) -> bool:
        answers_at_confirm.append(len(prompter.asked))
        return len(answers_at_confirm) == 1  # yes the first time

    prompter.confirm = confirm  # type: ignore[method-assign]
    interview = Interview(fw, tmp_path / "a.yaml", prompter, today=TODAY)
    assert interview.run()
    assert prompter.asked[answers_at_confirm[0]:] == ["B1.3.4", "B3.1.2"]
    assert interview.result().complete


def test_conditional_questions_appear_and_disappear(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    # B1.1.1 yes: B1.1.2 appears; at B1.1.3 go back twice and stop
    _, prompter, finished = run(fw, path, INSTITUTION_LINES + ["y", "2", "b", "b", "q"])
    assert prompter.asked[-5:] == ["B1.1.1", "B1.1.2", "B1.1.3", "B1.1.2", "B1.1.1"] and not finished
    loaded = load_evaluation(path, fw)
    assert loaded.answers == {"B1.1.1": "yes", "B1.1.2": "in_training"}
    # in review: B1.1.1 no, and B1.1.2 is no longer asked; back, yes, and it is asked again
    prompter = Scripted([""] * len(INSTITUTION_LINES) + ["n", "b", "y", "", "q"])
    interview = Interview(fw, path, prompter, evaluation=loaded, review=True)
    assert not interview.run()
    assert [r for r in prompter.asked if r.startswith("B")] == ["B1.1.1", "B1.1.3", "B1.1.1", "B1.1.2", "B1.1.3"]
    b112 = [p for p in prompter.prompts if p.heading.ref == "B1.1.2"][0]
    assert b112.default == "in_training"  # its earlier answer comes back as the default
    loaded = load_evaluation(path, fw)
    assert loaded.answers == {"B1.1.1": "yes", "B1.1.2": "in_training"}


def test_a_hidden_answer_is_kept_not_counted(fw: Framework, tmp_path: Path) -> None:
    """Issue 9.3: answering B1.1.1 = no hides B1.1.2; its answer stays in the file, not counted."""
    path = tmp_path / "answers.yaml"
    interview, prompter, _ = run(fw, path, INSTITUTION_LINES + ["y", "2", "b", "b", "n", "o", "q"])
    assert prompter.asked[-1] == "B1.1.3"
    loaded = load_evaluation(path, fw)
    assert loaded.answers == {"B1.1.1": "no", "B1.1.2": "in_training"}
    assert score(loaded).ignored == ["B1.1.2"]
    assert interview.kept() == ["B1.1.2"]
    assert any(m.startswith("Kept, not counted (1): B1.1.2") for m in prompter.messages)


def test_sixth_form_changes_the_groups_asked(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    plan = full_plan(fw) | {"sixth form": "no"}
    interview, prompter, finished = run(fw, path, by_plan(plan))
    assert finished
    assert "Y12" not in prompter.asked and "B6.2.4" not in prompter.asked
    b416 = [p for p in prompter.prompts if p.heading.ref == "B4.1.6"][0]
    assert [g.value for g in b416.groups] == ["Y7", "Y8", "Y9", "Y10", "Y11"]
    loaded = load_evaluation(path, fw)
    assert loaded.answers == expected(fw, plan, sixth_form=False)
    assert set(loaded.answer_file.institution.learners) == {"Y7", "Y8", "Y9", "Y10", "Y11"}
    assert loaded.answer_file.institution.sixth_form is False
    assert interview.result().complete


def test_resume_starts_at_the_first_unanswered_question(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    plan = full_plan(fw)
    stop = {"B3.1.1": ["q"]}
    _, first, finished = run(fw, path, by_plan(plan, stop))
    assert not finished
    _, second, finished = resume(fw, path, by_plan(plan))
    assert finished
    assert second.asked[0] == "B3.1.1"
    assert second.sections[0] == "B3"
    assert not set(first.asked[:-1]) & set(second.asked)
    loaded = load_evaluation(path, fw)
    assert loaded.answers == expected(fw, plan)


def test_resume_of_a_finished_file_says_so(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    run(fw, path, by_plan(full_plan(fw)))
    before = path.read_text()
    _, prompter, finished = resume(fw, path, [])
    assert finished and prompter.asked == []
    assert "--review" in prompter.messages[0]
    assert path.read_text() == before


def test_review_walks_everything_with_current_answers_as_defaults(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    plan = full_plan(fw)
    first, _, _ = run(fw, path, by_plan(plan))
    before = path.read_text()
    interview, prompter, finished = resume(fw, path, lambda prompt: "", review=True)
    assert finished
    assert len(prompter.asked) == len(first.steps())
    assert all(p.default is not None for p in prompter.prompts if p.heading.ref != "URN")
    assert path.read_text() == before  # Enter, Enter, Enter changes nothing
    assert interview.saves == 0


def test_copy_forward_prefills_re_asks_learners_and_marks_changes(fw: Framework, tmp_path: Path) -> None:
    last = tmp_path / "summer.yaml"
    plan = full_plan(fw)
    run(fw, last, by_plan(plan, {"B2.1.2": ["e"], "B2.1.2 note": ["Careers page"]}))
    previous = load_evaluation(last, fw)
    changes = {"B1.1.3": "no", "B2.1.2": ["all_routes"], "B4.1.6": {g: "all" for g in plan["B4.1.6"]},
               "B5.1.9": 12, "B8.2.3": "no" if plan["B8.2.3"] == "yes" else "yes"}
    new_plan = plan | changes | {"Y7": 190}
    this = tmp_path / "autumn.yaml"
    interview, prompter, finished = run(fw, this, by_plan(new_plan), previous=previous)
    assert finished
    # every default came from last time; learner numbers were asked again, with last term's shown
    for p in prompter.prompts:
        if p.heading.ref.startswith("B"):
            assert p.default is not None, p.heading.ref
    y7 = [p for p in prompter.prompts if p.heading.ref == "Y7"][0]
    assert y7.default == 180 and y7.heading.previous == "180"
    loaded = load_evaluation(this, fw)
    assert loaded.answer_file.institution.learners["Y7"] == 190
    assert loaded.answer_file.evaluation.date == TODAY
    changed = sorted(k for k, n in loaded.answer_file.notes.items() if n.changed)
    assert changed == sorted(changes)
    assert loaded.answer_file.notes["B2.1.2"].note == "Careers page"  # notes come forward
    comparison = interview.comparison()
    assert comparison is not None
    assert sorted(c.question for c in comparison.answers_changed) == sorted(changes)
    # changing an answer back removes its mark
    _, _, _ = resume(fw, this, by_plan(plan | {"Y7": 190}, {"B1.1.4": ["q"]}), previous=previous, review=True)
    loaded = load_evaluation(this, fw)
    assert "B1.1.3" not in loaded.answer_file.notes
    assert loaded.answer_file.notes["B2.1.2"].changed is True


def test_copy_forward_stopped_half_way_resumes_at_the_first_unconfirmed(fw: Framework, tmp_path: Path) -> None:
    last = tmp_path / "summer.yaml"
    plan = full_plan(fw)
    run(fw, last, by_plan(plan))
    previous = load_evaluation(last, fw)
    this = tmp_path / "autumn.yaml"
    _, _, finished = run(fw, this, by_plan(plan, {"B4.1.6": ["q"]}), previous=previous)
    assert not finished
    half = load_evaluation(this, fw)
    assert "B3.4.3" in half.answers and "B4.1.6" not in half.answers  # not claimed until confirmed
    _, prompter, finished = resume(fw, this, lambda prompt: "", previous=previous)
    assert finished and prompter.asked[0] == "B4.1.6"
    done = load_evaluation(this, fw)
    assert done.answers == previous.answers
    assert not any(n.changed for n in done.answer_file.notes.values())


def test_a_failed_save_stops_the_audit_and_keeps_what_was_saved(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    calls = []

    def flaky(target: Path, text: str) -> None:
        calls.append(text)
        if len(calls) > INSTITUTION_STEPS + 2:  # the first save, every institution answer, then a question
            raise SaveError(f"cannot write {target}: the disk is full; the previous copy is unchanged")
        write_atomic(target, text)

    prompter = Scripted(by_plan(full_plan(fw)))
    interview = Interview(fw, path, prompter, today=TODAY, writer=flaky)
    with pytest.raises(SaveError):
        interview.run()
    assert path.read_text() == calls[INSTITUTION_STEPS + 1]
    loaded = load_evaluation(path, fw)
    assert len(loaded.answers) == 1


def test_the_date_of_a_new_evaluation_is_today(fw: Framework, tmp_path: Path) -> None:
    prompter = Scripted(["q"])
    interview = Interview(fw, tmp_path / "a.yaml", prompter)
    assert not interview.run()
    loaded = load_evaluation(tmp_path / "a.yaml", fw)
    assert loaded.answer_file.evaluation.date == dt.date.today()


def sixth_form_parts(fw: Framework, answers: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The questions asked only of a school with a sixth form, and the share questions with Y12/Y13 groups."""
    with_sixth, without = applicable_answers(fw, answers, True), applicable_answers(fw, answers, False)
    only = [q.id for q in fw.questions() if with_sixth[q.id] and not without[q.id]]
    shares = [q.id for q in fw.questions() if q.kind is QuestionKind.share and with_sixth[q.id] and without[q.id]
              and any(fw.group(g).sixth_form for g in q.groups or [])]
    return only, shares


def test_a_mistaken_no_at_sixth_form_then_ctrl_c_loses_nothing(fw: Framework, tmp_path: Path) -> None:
    """Issue 9.3: sixth-form answers, Y12/Y13 bands and learner numbers survive a mistaken n, and count again at y."""
    path = tmp_path / "answers.yaml"
    run(fw, path, by_plan(full_plan(fw)))
    before = load_evaluation(path, fw)
    only, shares = sixth_form_parts(fw, before.answers)
    assert before.answer_file.institution.sixth_form and only and shares and set(only) <= set(before.answers)
    first_question = fw.questions()[0].id

    def mistaken(prompt: Any) -> str:
        if prompt.heading.ref == "sixth form":
            return "n"
        if prompt.heading.ref == first_question:
            raise KeyboardInterrupt
        return ""

    with pytest.raises(KeyboardInterrupt):
        resume(fw, path, mistaken, review=True)
    after = load_evaluation(path, fw)
    assert after.answer_file.institution.sixth_form is False
    assert after.answers == before.answers  # the sixth-form questions and the Y12/Y13 bands included
    assert after.answer_file.institution.learners == before.answer_file.institution.learners
    ignored = score(after).ignored
    assert set(only) <= set(ignored) and any(i.startswith(f"{shares[0]} (") for i in ignored)

    back = {"sixth form": "y", first_question: "q"}
    resume(fw, path, lambda prompt: back.get(prompt.heading.ref, ""), review=True)
    again = load_evaluation(path, fw)
    assert again.answers == before.answers
    assert score(again) == score(before)


def test_an_answer_given_without_a_sixth_form_keeps_the_y12_and_y13_bands(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    run(fw, path, by_plan(full_plan(fw)))
    before = load_evaluation(path, fw)
    share = sixth_form_parts(fw, before.answers)[1][0]
    seen: list[str] = []

    def script(prompt: Any) -> str:
        seen.append(prompt.heading.ref)
        if prompt.heading.ref == "sixth form":
            return "n"
        if prompt.heading.ref == share:
            return "1"
        return "q" if share in seen else ""

    resume(fw, path, script, review=True)
    after = load_evaluation(path, fw)
    q = fw.question(share)
    first_band = fw.options(q)[0].value
    bands, old = after.answers[share], before.answers[share]
    assert list(bands) == q.groups  # every group, in the question's order
    for g in q.groups or []:
        assert bands[g] == (old[g] if fw.group(g).sixth_form else first_band)


def test_only_clear_removes_a_kept_answer(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    run(fw, path, INSTITUTION_LINES + ["y", "2", "b", "b", "n", "q"])
    script = {"B1.1.1": ["y"], "B1.1.2": ["x", "q"]}
    resume(fw, path, lambda prompt: script.get(prompt.heading.ref, [""]).pop(0), review=True)
    loaded = load_evaluation(path, fw)
    assert loaded.answers == {"B1.1.1": "yes"}


def test_an_answer_to_a_question_no_longer_asked_survives_an_audit(fw: Framework, tmp_path: Path) -> None:
    """The report tells the owner of an older file to run compass audit; that must not delete the old answers."""
    if not fw.meta.retired:
        pytest.skip("this edition retires no question")
    retired = next(iter(fw.meta.retired))
    path = tmp_path / "answers.yaml"
    run(fw, path, INSTITUTION_LINES + ["y", "q"])
    text = path.read_text().replace("answers:\n", f"answers:\n  {retired}: 3\n", 1)
    path.write_text(text)
    interview, prompter, _ = resume(fw, path, ["o", "b", "n", "q"])  # progress, back to B1.1.1, a change, quit
    again = load_evaluation(path, fw)
    assert again.answer_file.answers[retired] == 3 and again.answers["B1.1.1"] == "no"
    assert score(again).no_longer_asked == [retired]
    assert retired in interview.kept() and any(m.startswith("Kept, not counted") for m in prompter.messages)


# --------------------------------------------------------------------------- issue 12: the audit's last gaps


def test_the_institution_section_asks_for_the_local_authority(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    _, prompter, _ = run(fw, path, by_plan(full_plan(fw)))
    assert "local authority" in prompter.asked
    assert load_evaluation(path, fw).answer_file.institution.local_authority == "Leeds"


def test_e_records_note_evidence_owner_and_achieve_by_date(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    extra = {
        "B1.1.1": ["e"],
        "B1.1.1 note": ["Appointed in September."],
        "B1.1.1 evidence": ["Job description, HR folder"],
        "B1.1.1 owner": ["Deputy head"],
        "B1.1.1 due": ["next summer", "31/02/2027", "31/07/2027"],  # two tries re-asked, then a date
    }
    _, prompter, _ = run(fw, path, by_plan(full_plan(fw), extra))
    assert [h for h in prompter.hints if "date" in h] == ["Type a date, day first (31/07/2027) or as 2027-07-31."] * 2
    note = load_evaluation(path, fw).answer_file.notes["B1.1.1"]
    assert (note.note, note.evidence, note.owner, note.due) == (
        "Appointed in September.", "Job description, HR folder", "Deputy head", dt.date(2027, 7, 31))
    assert "due: 2027-07-31" in path.read_text()
    # again: Enter keeps each, x clears the owner, an ISO date replaces the date
    again = {"B1.1.1": ["e", ""], "B1.1.1 note": [""], "B1.1.1 evidence": [""], "B1.1.1 owner": ["x"],
             "B1.1.1 due": ["2027-03-31"]}
    _, prompter, _ = resume(fw, path, by_plan(full_plan(fw), again), start_at="B1.1.1")
    due_prompt = next(p for p in prompter.prompts if p.heading.ref == "B1.1.1 due")
    assert due_prompt.default == "31/07/2027"  # shown day first, as it is typed
    note = load_evaluation(path, fw).answer_file.notes["B1.1.1"]
    assert (note.note, note.owner, note.due) == ("Appointed in September.", None, dt.date(2027, 3, 31))


def test_the_plan_puts_the_owner_and_date_against_the_question(fw: Framework, tmp_path: Path) -> None:
    from compass_cli.core.planning import plan as make_plan

    path = tmp_path / "a.yaml"
    plan = full_plan(fw) | {"B2.1.4": "no"}
    extra = {"B2.1.4": ["e"], "B2.1.4 note": [""], "B2.1.4 evidence": [""], "B2.1.4 owner": ["Mr Patel"],
             "B2.1.4 due": ["1/4/2026"]}
    run(fw, path, by_plan(plan, extra))
    loaded = load_evaluation(path, fw)
    actions = [a for a in make_plan(score(loaded), fw, loaded.answer_file.notes).actions if a.question == "B2.1.4"]
    assert actions and all((a.owner, a.due) == ("Mr Patel", dt.date(2026, 4, 1)) for a in actions)


def test_each_benchmark_ends_with_its_score_and_areas_met(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    interview, prompter, _ = run(fw, path, by_plan(full_plan(fw)))
    result = interview.result()
    assert prompter.scores == [(b.id, b.rounded, b.areas_met, b.areas) for b in result.benchmarks]
    # each shown as the walk leaves the benchmark: after its last question, before the next one's first
    for (bench, *_), after in zip(prompter.scores, prompter.scored_after, strict=True):
        assert prompter.asked[after - 1].startswith(bench + ".")
        assert after == len(prompter.asked) or not prompter.asked[after].startswith(bench + ".")
    # going back within a benchmark shows nothing; a benchmark with nothing answered shows nothing
    _, prompter, _ = resume(fw, path, ["b", "q"], review=True, start_at="B2.1.2")
    assert prompter.scores == []
    _, prompter, _ = run(fw, tmp_path / "blank.yaml", by_plan(INSTITUTION_PLAN, {"B1.1.1": ["j2"]}))
    assert prompter.scores == []


def test_a_stopped_review_carries_on_from_where_it_stopped(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first, _, _ = run(fw, path, by_plan(full_plan(fw)))
    stopped, prompter, finished = resume(fw, path, iter_until_quit(first, "B3.2.1"), review=True)
    assert not finished and prompter.asked[-1] == "B3.2.1"
    assert stopped.resume_at() == "B3.2.1"
    # carrying on with --review --at B3.2.1 starts there and walks every step after it
    _, prompter, finished = resume(fw, path, lambda prompt: "", review=True, start_at="B3.2.1")
    assert finished
    keys = [s.key for s in first.steps()]
    assert prompter.asked == keys[keys.index("B3.2.1"):]


def iter_until_quit(interview: Interview, at: str) -> Any:
    def line(prompt: Any) -> str:
        return "q" if prompt.heading.ref == at else ""
    return line


@pytest.mark.parametrize(("ref", "first"), [("B3", "B3.1.1"), ("b3.2.1", "B3.2.1"), ("institution", "name")])
def test_at_takes_a_question_a_benchmark_or_the_institution(fw: Framework, tmp_path: Path, ref: str,
                                                             first: str) -> None:
    path = tmp_path / "a.yaml"
    run(fw, path, by_plan(full_plan(fw)))
    _, prompter, _ = resume(fw, path, ["q"], start_at=ref)
    assert prompter.asked == [first]


def test_at_a_question_not_asked_now_starts_at_the_next_one(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    interview, _, _ = run(fw, path, by_plan(full_plan(fw)))
    hidden = next(q.id for q in fw.questions() if q.id not in {s.key for s in interview.steps()})
    _, prompter, _ = resume(fw, path, ["q"], start_at=hidden)
    assert prompter.asked[0] != hidden
    assert f"{hidden} is not asked of this school now" in prompter.messages[0]


def test_at_something_that_is_not_there(fw: Framework, tmp_path: Path) -> None:
    interview = Interview(fw, tmp_path / "a.yaml", Scripted([]), today=TODAY)
    with pytest.raises(ValueError, match="B9.9.9 is not a question or benchmark"):
        interview.find("B9.9.9")


@pytest.mark.parametrize(("fid", "title"), [
    ("gatsby-2025-schools", "About your school"),
    ("gatsby-2025-colleges", "About your college or training provider"),
])
def test_progress_names_the_institution_section_as_the_framework_does(tmp_path: Path, fid: str, title: str) -> None:
    from compass_cli.core.frameworks import load_framework

    framework = load_framework(fid)
    interview = Interview(framework, tmp_path / "new.yaml", Scripted([]), today=TODAY)
    assert interview.progress()[0].title == title == framework.meta.institution.title


def test_each_institution_field_is_asked_taken_and_cleared_by_its_rules(tmp_path: Path) -> None:
    """The college section, every kind of field: text that must be given, an identifier with its rule, the type,
    text that may be cleared, learner numbers per year group, who completes it with a suggested role."""
    colleges = load_framework("gatsby-2025-colleges")
    path = tmp_path / "answers.yaml"
    lines = ["x", "Kelderbeck College", "137245", "10012345", "3", "2", "Town Centre", "b", "x", "", "Leeds",
             "-3", "120", "110", "0", "Jo", "", *[""] * 5, "q"]
    interview, prompter, finished = run(colleges, path, lines)
    assert not finished
    assert prompter.asked == ["name", "name", "UKPRN", "type", "site", "local authority", "site", "site",
                              "local authority", "P1", "P2", "P3", "completed by", "role", "careers leader's name",
                              "careers leader's role", "careers leader's email", "careers leader's phone",
                              "careers programme link", "B1.1.1"]
    assert prompter.messages[:2] == ["This one cannot be left empty; type a new value instead.", "Cleared."]
    assert "A UKPRN is eight digits starting with 1, e.g. 10012345; got '137245'." in prompter.hints
    role = prompter.prompts[prompter.asked.index("role")]
    assert isinstance(role, TextPrompt) and role.default == "Careers leader"  # suggested while nothing is given
    saved = load_evaluation(path, colleges).answer_file
    inst = saved.institution
    assert (inst.name, inst.ukprn, inst.type, inst.site, inst.local_authority) == (
        "Kelderbeck College", "10012345", "itp", None, "Leeds")
    assert inst.learners == {"P1": 120, "P2": 110, "P3": 0}
    assert (saved.evaluation.completed_by.name, saved.evaluation.completed_by.role) == ("Jo", "Careers leader")
    assert "  type: itp\n  local_authority: Leeds\n  sixth_form: false\n" in path.read_text()


def test_a_new_evaluation_offers_no_sixth_form_answer_until_one_is_given(fw: Framework, tmp_path: Path) -> None:
    """The model's "no sixth form" is a default, not an answer: Enter alone must not give it."""
    path = tmp_path / "answers.yaml"
    _, prompter, _ = run(fw, path, ["Hilltop", "", "", "", "n", "q"])
    asked = [p for p in prompter.prompts if p.heading.ref == "sixth form"]
    assert [p.default for p in asked] == [None]  # Enter re-asked (a hint), then n
    assert prompter.hints and load_evaluation(path, fw).answer_file.institution.sixth_form is False
    _, prompter, _ = resume(fw, path, ["", "", "", "", "q"], review=True)
    assert next(p.default for p in prompter.prompts if p.heading.ref == "sixth form") == "no"


# --------------------------------------------------------------------------- issue 21: nothing asked twice


def text_questions(fw: Framework) -> list[str]:
    return [q.id for q in fw.questions() if q.kind is QuestionKind.text]


def blank_texts(plan: dict[str, Any], fw: Framework, stop_at: str) -> Any:
    """Answer from ``plan``, Enter at every question that may be left blank, quit at ``stop_at``."""
    answer = by_plan(plan, {stop_at: ["q"]})

    def line(prompt: Any) -> str:
        return "" if prompt.heading.ref in text_questions(fw) else answer(prompt)

    return line


def test_a_text_question_left_blank_with_enter_is_not_asked_again_on_resume(fw: Framework, tmp_path: Path) -> None:
    """Quit at B5.1.5 after leaving B2.1.5, B2.2.4 ... blank with Enter: the resumed audit starts at B5.1.5."""
    path = tmp_path / "answers.yaml"
    plan = full_plan(fw)
    _, first, finished = run(fw, path, blank_texts(plan, fw, "B5.1.5"))
    blanks = [q for q in text_questions(fw) if q in first.asked]
    assert not finished and len(blanks) >= 3
    text = path.read_text()
    assert all(f"  {q}: ''\n" in text for q in blanks)  # remembered in the file, the only state there is
    loaded = load_evaluation(path, fw)
    assert all(loaded.answers[q] == "" for q in blanks)
    _, second, _ = resume(fw, path, ["q"])
    assert second.asked == ["B5.1.5"]
    # scoring counts none of them: B5.1.5 is the first question `compass score` lists as unanswered
    assert score(loaded).unanswered[0] == "B5.1.5"
    # a file edited by hand without them (or written before they were kept) asks the first one again
    path.write_text("".join(line for line in text.splitlines(keepends=True) if not line.endswith(": ''\n")))
    _, third, _ = resume(fw, path, ["q"])
    assert third.asked == [blanks[0]]


def test_s_at_a_text_question_leaves_it_for_later(fw: Framework, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    first_text = text_questions(fw)[0]
    run(fw, path, by_plan(full_plan(fw), {first_text: ["s"], "B3.1.1": ["q"]}))
    assert first_text not in load_evaluation(path, fw).answers
    _, prompter, _ = resume(fw, path, ["q"])
    assert prompter.asked == [first_text]


def test_a_text_left_blank_is_no_change_from_none_last_time(fw: Framework, tmp_path: Path) -> None:
    """Copied forward, a text question left blank this term and not answered last term is not a change."""
    last = tmp_path / "summer.yaml"
    plan = full_plan(fw)
    first_text = text_questions(fw)[0]
    run(fw, last, by_plan({k: v for k, v in plan.items() if k != first_text}, {first_text: ["s"]}))
    previous = load_evaluation(last, fw)
    assert first_text not in previous.answers
    this = tmp_path / "autumn.yaml"
    interview, prompter, finished = run(fw, this, lambda p: "" if p.heading.ref.startswith("B") else
                                        by_plan(plan)(p), previous=previous)
    assert finished
    loaded = load_evaluation(this, fw)
    assert loaded.answers[first_text] == ""
    assert first_text not in loaded.answer_file.notes  # no "changed: true"
    comparison = interview.comparison()
    assert comparison is not None and comparison.answers_changed == []
