"""Every kind of bad answer file: one clear message naming the file, exit code 2, no traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from compass_cli.cli import app
from compass_cli.core.loading import MAX_ANSWER_BYTES

from ..conftest import answer_doc, write_yaml

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def make(tmp_path: Path, case: str) -> Path:
    path = tmp_path / "answers.yaml"
    if case == "malformed YAML":
        path.write_text("framework: gatsby-2025-schools\ninstitution: {name: [unclosed\n")
    elif case == "not a mapping":
        path.write_text("- just\n- a list\n")
    elif case == "unknown framework":
        write_yaml(path, answer_doc("gatsby-1999-nowhere"))
    elif case == "unknown question id":
        write_yaml(path, answer_doc(answers={"B1.1.1": "yes", "B9.9.9": "yes"}))
    elif case == "value not an option":
        write_yaml(path, answer_doc(answers={"B1.1.1": "maybe"}))
    elif case == "wrong type":
        write_yaml(path, answer_doc(answers={"B1.2.2": "yes please"}))  # a checklist wants a list
    elif case == "missing file":
        pass
    elif case == "directory given as a file":
        path.mkdir()
    elif case == "empty file":
        path.write_text("   \n")
    elif case == "file over the size limit":
        path.write_text("# " + "x" * (MAX_ANSWER_BYTES + 10) + "\n")
    elif case == "billion laughs":
        path.write_text(BILLION_LAUGHS)
    elif case == "bad date":
        doc = answer_doc()
        doc["evaluation"]["date"] = "next Tuesday"
        write_yaml(path, doc)
    elif case == "unknown top-level key":
        write_yaml(path, answer_doc(colour="blue"))
    elif case == "malformed JSON":
        path = tmp_path / "answers.json"
        path.write_text('{"framework": "gatsby-2025-schools",\n "answers": {,}}')
    return path


EXPECTED = {
    "malformed YAML": "not valid YAML",
    "not a mapping": "holds a list, not a mapping",
    "unknown framework": "unknown framework 'gatsby-1999-nowhere'",
    "unknown question id": "unknown question id 'B9.9.9'",
    "value not an option": "expected one of: yes; no; got 'maybe'",
    "wrong type": "unknown item yes please; items are tailored",
    "missing file": "no such file",
    "directory given as a file": "is a folder with no answer files in it",
    "empty file": "is empty",
    "file over the size limit": "too large",
    "billion laughs": "anchors and aliases",
    "bad date": "evaluation.date",
    "unknown top-level key": "colour: unknown key",
    "malformed JSON": "not valid JSON",
}


@pytest.mark.parametrize("case", list(EXPECTED))
def test_bad_answer_file(runner, tmp_path, case):
    path = make(tmp_path, case)
    started = time.perf_counter()
    result = runner.invoke(app, ["score", str(path)])
    assert time.perf_counter() - started < 10  # refused, not hung (generous: shared machines)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert str(path) in result.stderr
    assert EXPECTED[case] in result.stderr, result.stderr
    assert result.stdout.strip() == ""


def test_line_and_question_id_are_named(runner, tmp_path):
    path = write_yaml(tmp_path / "a.yaml", answer_doc(answers={"B1.1.1": "yes", "B1.1.3": "perhaps"}))
    result = runner.invoke(app, ["score", str(path)])
    line_no = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "B1.1.3" in line)
    expected = "answers.B1.1.3: expected one of: yes; partly (Partly, or being put in place); no"
    assert f"{path}:{line_no}: {expected}" in result.stderr


def test_every_bad_answer_is_reported_not_only_the_first(runner, tmp_path):
    path = write_yaml(tmp_path / "a.yaml", answer_doc(answers={"B1.1.1": "maybe", "B9.1.1": "yes", "B1.1.3": 7}))
    result = runner.invoke(app, ["score", str(path)])
    assert result.stderr.count("error:") == 3


def test_batch_scores_good_files_and_reports_every_bad_one(runner, tmp_path):
    good = write_yaml(tmp_path / "good.yaml", answer_doc(answers={"B1.1.1": "yes"}))
    bad1 = make(tmp_path / "x", "malformed YAML") if (tmp_path / "x").mkdir() is None else None
    bad2 = tmp_path / "missing.yaml"
    result = runner.invoke(app, ["score", str(good), str(bad1), str(bad2), "--format", "json"])
    assert result.exit_code == 2
    scored = json.loads(result.stdout)
    assert [r["source"] for r in scored] == [str(good)]
    assert str(bad1) in result.stderr and str(bad2) in result.stderr
    assert "2 files could not be scored; 1 scored." in result.stderr


def test_json_answer_file_scores_as_the_yaml_one(runner, tmp_path):
    doc = answer_doc(answers={"B1.1.1": "yes", "B5.1.1": {"Y7": "all", "Y8": "most"}})
    y = write_yaml(tmp_path / "a.yaml", doc)
    j = tmp_path / "a.json"
    j.write_text(json.dumps(doc))
    out = [json.loads(runner.invoke(app, ["score", str(p), "--format", "json"]).stdout)[0] for p in (y, j)]
    for o in out:
        o.pop("source")
    assert out[0] == out[1]


def test_unquoted_yes_and_no_are_read_as_words(runner, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(
        "format: 1\nframework: gatsby-2025-schools\ninstitution: {name: X}\nevaluation: {date: 2026-11-20}\n"
        "answers:\n  B1.1.1: yes\n  B1.2.1: no\n"
    )
    result = runner.invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr


def test_unknown_framework_flag(runner):
    result = runner.invoke(app, ["questions", "--framework", "nope"])
    assert result.exit_code == 2
    assert "unknown framework 'nope'" in result.stderr


def test_unknown_benchmark_flag(runner):
    result = runner.invoke(app, ["questions", "--benchmark", "B9"])
    assert result.exit_code == 2
    assert "no benchmark 'B9'" in result.stderr


def test_template_will_not_overwrite(runner, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("keep me")
    result = runner.invoke(app, ["template", "-o", str(path)])
    assert result.exit_code == 2 and "--force" in result.stderr
    assert path.read_text() == "keep me"


def test_a_folder_where_one_answer_file_is_expected(tmp_path):
    from compass_cli.core.evaluation import load_evaluation
    from compass_cli.errors import InputError

    with pytest.raises(InputError, match="is a folder, not a file"):
        load_evaluation(tmp_path)


def test_unknown_learner_year_group(runner, tmp_path):
    doc = answer_doc()
    doc["institution"]["learners"] = {"Y7": 200, "Y14": 3}
    path = write_yaml(tmp_path / "a.yaml", doc)
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 2 and "institution.learners.Y14: unknown year group 'Y14'" in result.stderr


def test_ignored_answers_are_pointed_out(runner, tmp_path):
    path = write_yaml(tmp_path / "a.yaml", answer_doc(answers={"B1.1.1": "no", "B1.1.2": "trained"}))
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 0 and "1 answer not counted" in result.stdout and "B1.1.2" in result.stdout


def test_a_read_only_output_is_not_replaced(runner, tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("keep me")
    path.chmod(0o444)
    result = runner.invoke(app, ["template", "-o", str(path), "--force"])
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert path.read_text() == "keep me"


def test_a_long_wrong_value_is_cut_short_with_its_quotes_kept(runner, tmp_path):
    """One rule for a value in a message (text.shown_value), for answers and identifiers alike."""
    doc = answer_doc(answers={"B1.1.1": "y" * 60})
    doc["institution"]["urn"] = "1" * 60
    path = write_yaml(tmp_path / "a.yaml", doc)
    said = " ".join(runner.invoke(app, ["score", str(path)]).stderr.split())
    assert f"got '{'y' * 37}'..." in said
    assert f"got '{'1' * 37}'..." in said
