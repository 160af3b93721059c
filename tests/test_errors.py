"""Every bad input the loader handles: the exact message, at the exact place, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pimlearn.cli import main
from pimlearn.pipeline import check
from tests.conftest import Files, write_project

COURSE = """\
title: Test course
version: 1.0.0
modules: [m1]
"""

FRONT = """\
---
title: Module one
---

"""

M = "modules/m1/module.md"
C = "courses/c1/course.yml"


def module(body: str, front: str = FRONT) -> Files:
    """A project whose only module is ``front`` + ``body`` (the body starts at line 5)."""
    return {C: COURSE, M: front + body, "modules/m1/images/ok.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}


def question(yaml_text: str) -> Files:
    """A project whose module holds one question block (its YAML starts at line 6)."""
    return module("```question\n" + yaml_text + "```\n")


CASES: dict[str, tuple[Files, list[str]]] = {
    # ------------------------------------------------------------ required fields, types, unknown keys
    "module title missing": (
        module("Text.\n", front="---\nsummary: no title\n---\n\n"),
        [f"{M}:2:1: error: front matter: missing required key 'title' [missing-key]"],
    ),
    "module front matter missing": (
        {C: COURSE, M: "Just text.\n"},
        [
            f"{M}:1:1: error: module.md must start with YAML front matter between '---' lines "
            "(with at least 'title:') [front-matter]"
        ],
    ),
    "unknown front-matter key with suggestion": (
        module("Text.\n", front="---\ntitle: T\nduraton: 60\n---\n\n"),
        [f"{M}:3:1: error: unknown key 'duraton' in front matter (did you mean 'duration'?) [unknown-key]"],
    ),
    "duration not a number": (
        module("Text.\n", front="---\ntitle: T\nduration: ninety\n---\n\n"),
        [f"{M}:3:11: error: 'duration' must be a whole number of minutes, got 'ninety' [invalid-type]"],
    ),
    "course version not semver": (
        {C: COURSE.replace("1.0.0", "v1"), M: FRONT + "Text.\n"},
        [f"{C}:2:10: error: 'version' must be a semantic version like 1.0.0, got 'v1' [invalid-value]"],
    ),
    "course title missing": (
        {C: "version: 1.0.0\nmodules: [m1]\n", M: FRONT + "Text.\n"},
        [f"{C}:1:1: error: course.yml: missing required key 'title' [missing-key]"],
    ),
    "unknown course key": (
        {C: COURSE + "mastery: 80\n", M: FRONT + "Text.\n"},
        [f"{C}:4:1: error: unknown key 'mastery' in course.yml (did you mean 'mastery_score'?) [unknown-key]"],
    ),
    "invalid packaging": (
        {C: COURSE + "scorm:\n  packaging: multisco\n", M: FRONT + "Text.\n"},
        [
            f"{C}:5:14: error: 'packaging' must be 'multi-sco' or 'single-sco', got 'multisco' "
            "(did you mean 'multi-sco'?) [invalid-value]"
        ],
    ),
    "invalid report_12 and completion": (
        {C: COURSE + "completion: pages-only\nscorm:\n  report_12: passed\n", M: FRONT + "Text.\n"},
        [
            f"{C}:4:13: error: 'completion' must be 'pages-and-questions', 'pages' or 'questions', got 'pages-only' "
            "(did you mean 'pages'?) [invalid-value]",
            f"{C}:6:14: error: 'report_12' must be 'completed-incomplete', 'completed-failed', 'passed-incomplete' "
            "or 'passed-failed', got 'passed' (did you mean 'passed-failed'?) [invalid-value]",
        ],
    ),
    # ------------------------------------------------------------ YAML syntax mapped to the file line
    "yaml syntax error in front matter": (
        module("Text.\n", front="---\ntitle: T\nobjectives: [a, b\nduration: 5\n---\n\n"),
        [
            f"{M}:3:13: error: a list or mapping in brackets is not closed or lacks a comma "
            "(noticed at line 4: `duration: 5`): close it with ']', and put text that holds commas, "
            "colons or brackets in quotes [yaml-syntax]"
        ],
    ),
    "yaml syntax error in a question": (
        question("id: q1\ntype: single\nprompt: Which: one?\n"),
        [
            f"{M}:8:14: error: a colon followed by a space inside a value starts a new key: put the text in quotes "
            '(title: "Note: like this") [yaml-syntax]',
        ],
    ),
    "yaml syntax error in course.yml": (
        {C: "title: T\nversion: 1.0.0\nmodules: [m1\n", M: FRONT + "Text.\n"},
        [
            f"{C}:3:10: error: a list or mapping in brackets is not closed or lacks a comma: close it with ']', "
            "and put text that holds commas, colons or brackets in quotes [yaml-syntax]"
        ],
    ),
    # ------------------------------------------------------------ questions
    "unknown question type": (
        question("id: q1\ntype: singel\nprompt: P?\n"),
        [f"{M}:7:7: error: unknown question type 'singel' (did you mean 'single'?) [question-type]"],
    ),
    "single with no correct choice": (
        question("id: q1\ntype: single\nprompt: P?\nchoices:\n  - text: A\n  - text: B\n"),
        [
            f"{M}:10:3: error: a single-choice question needs exactly one choice with 'correct: true', "
            "found 0 [correct-count]"
        ],
    ),
    "single with two correct choices": (
        question(
            "id: q1\ntype: single\nprompt: P?\nchoices:\n  - {text: A, correct: true}\n  - {text: B, correct: true}\n"
        ),
        [
            f"{M}:10:3: error: a single-choice question needs exactly one choice with 'correct: true', "
            "found 2 [correct-count]"
        ],
    ),
    "multiple with none correct": (
        question("id: q1\ntype: multiple\nprompt: P?\nchoices:\n  - text: A\n  - text: B\n"),
        [
            f"{M}:10:3: error: a multiple-choice question needs at least one choice with 'correct: true', "
            "found none [correct-count]"
        ],
    ),
    "duplicate question ids": (
        module(
            "```question\nid: q1\ntype: true-false\nprompt: A?\nanswer: true\n```\n\n"
            "```question\nid: q1\ntype: true-false\nprompt: B?\nanswer: false\n```\n"
        ),
        [
            f"{M}:13:1: error: duplicate question id 'q1' (first at line 6): ids must be unique in a module "
            "[duplicate-id]"
        ],
    ),
    "empty choices": (
        question("id: q1\ntype: single\nprompt: P?\nchoices: []\n"),
        [f"{M}:9:10: error: 'choices' must not be empty [empty-list]"],
    ),
    "empty pairs": (
        question("id: q1\ntype: matching\nprompt: P?\npairs: []\n"),
        [f"{M}:9:8: error: 'pairs' must not be empty [empty-list]"],
    ),
    "empty items": (
        question("id: q1\ntype: ordering\nprompt: P?\nitems: []\n"),
        [f"{M}:9:8: error: 'items' must not be empty [empty-list]"],
    ),
    "fill-in without answers": (
        question("id: q1\ntype: fill-in\nprompt: P?\n"),
        [f"{M}:6:1: error: a fill-in question needs 'answers': a list of accepted answers [fill-in-answers]"],
    ),
    "key of another question type": (
        question("id: q1\ntype: true-false\nprompt: P?\nanswer: true\nchoices: []\n"),
        [
            f"{M}:10:1: error: unknown key 'choices' in question 'q1' (type true-false) (expected 'answer', "
            "'attempts', 'correct_feedback', 'explanation', 'feedback_false', 'feedback_true', 'graded', 'id', "
            "'incorrect_feedback', 'points', 'prompt', 'shuffle' or 'type') [unknown-key]"
        ],
    ),
    "matching pair of one item": (
        question("id: q1\ntype: matching\nprompt: P?\npairs:\n  - [a, b]\n  - [c]\n"),
        [f"{M}:11:5: error: each pair must be a list of two texts: [left, right] [invalid-pair]"],
    ),
    # ------------------------------------------------------------ scores and plans
    "mastery_score above 100 in a module": (
        module("Text.\n", front="---\ntitle: T\nmastery_score: 120\n---\n\n"),
        [f"{M}:3:16: error: 'mastery_score' must be between 0 and 100, got 120 [out-of-range]"],
    ),
    "mastery_score below 0 in a course": (
        {C: COURSE + "mastery_score: -5\n", M: FRONT + "Text.\n"},
        [f"{C}:4:16: error: 'mastery_score' must be between 0 and 100, got -5 [out-of-range]"],
    ),
    "attempts zero on a question": (
        question("id: q1\ntype: true-false\nprompt: P?\nanswer: true\nattempts: 0\n"),
        [
            f"{M}:10:11: error: 'attempts' must be between 1 and 99 (leave it out for unlimited attempts), "
            "got 0 [out-of-range]"
        ],
    ),
    "attempts not a whole number on a question": (
        question("id: q1\ntype: true-false\nprompt: P?\nanswer: true\nattempts: 1.5\n"),
        [
            f"{M}:10:11: error: 'attempts' must be a whole number (leave it out for unlimited attempts), "
            "got '1.5' [invalid-type]"
        ],
    ),
    "attempts unlimited in a course": (
        {C: COURSE + "attempts: unlimited\n", M: FRONT + "Text.\n"},
        [
            f"{C}:4:11: error: 'attempts' must be a whole number (leave it out for unlimited attempts), "
            "got 'unlimited' [invalid-type]"
        ],
    ),
    "attempts above 99 in a course": (
        {C: COURSE + "attempts: 100\n", M: FRONT + "Text.\n"},
        [
            f"{C}:4:11: error: 'attempts' must be between 1 and 99 (leave it out for unlimited attempts), "
            "got 100 [out-of-range]"
        ],
    ),
    "session step without minutes": (
        module("Text.\n", front="---\ntitle: T\nsession:\n  - activity: Welcome\n---\n\n"),
        [f"{M}:4:5: error: session step 1 has no 'minutes': every step of the plan needs its length [session-minutes]"],
    ),
    # ------------------------------------------------------------ course ↔ modules
    "module listed but missing": (
        {C: COURSE.replace("[m1]", "[m1, m2]"), M: FRONT + "Text.\n"},
        [f"{C}:3:15: error: module 'm2' is listed but modules/m2/module.md does not exist [module-missing]"],
    ),
    "module id differs from folder": (
        module("Text.\n", front="---\nid: other\ntitle: T\n---\n\n"),
        [
            f"{M}:2:5: error: module id 'other' does not match its folder 'modules/m1' (ids equal folder names) "
            "[id-mismatch]"
        ],
    ),
    # ------------------------------------------------------------ images
    "image missing": (
        module("![A chart](images/chart.png)\n"),
        [
            f"{M}:5:1: error: image 'images/chart.png' not found "
            "(looked for modules/m1/images/chart.png) [image-missing]"
        ],
    ),
    "image escaping the module folder": (
        module("Look: ![A logo](../shared/logo.png)\n"),
        [
            f"{M}:5:7: error: image path '../shared/logo.png' leaves the module folder: keep images inside it "
            "(e.g. images/name.svg) [image-path]"
        ],
    ),
    "image without alt text": (
        module("![](images/ok.svg)\n"),
        [
            f"{M}:5:1: error: image 'images/ok.svg' has no alt text: describe it for learners who cannot see it "
            "(![description](images/ok.svg)) [image-alt]"
        ],
    ),
    "image from the internet": (
        module("![A map](https://example.org/map.png)\n"),
        [
            f"{M}:5:1: error: image 'https://example.org/map.png' is not a file of the module: outputs never "
            "load from the internet; save it under images/ and link it relatively [image-external]"
        ],
    ),
    # ------------------------------------------------------------ containers, HTML, headings
    "unclosed container": (
        module("Text.\n\n::: notes\nNever closed.\n"),
        [f"{M}:7:1: error: '::: notes' is never closed: add a line with ':::' after its content [container-unclosed]"],
    ),
    "unknown only target": (
        module("::: only slide\nText.\n:::\n"),
        [f"{M}:5:1: error: unknown 'only' target 'slide' (did you mean 'slides'?) [only-target]"],
    ),
    "unknown container": (
        module("::: nots\nText.\n:::\n"),
        [f"{M}:5:1: error: unknown container '::: nots' (did you mean 'notes'?) [container-unknown]"],
    ),
    "raw html block not allowed": (
        module("<div class='box'>Hello</div>\n"),
        [
            f"{M}:5:1: error: raw HTML is not allowed ('<div class='box'>Hello</div>'): courses/c1/course.yml "
            "does not set 'allow_html: true'; use Markdown instead [raw-html]"
        ],
    ),
    "raw inline html not allowed": (
        module("Some <b>bold</b> text.\n"),
        [
            f"{M}:5:1: error: raw HTML is not allowed ('<b>', '</b>'): courses/c1/course.yml does not set "
            "'allow_html: true'; use Markdown instead [raw-html]",
        ],
    ),
    "level-1 heading in the body": (
        module("# Title again\n\nText.\n"),
        [
            f"{M}:5:1: error: level-1 heading in the body: the module title comes from the front matter; "
            "use '##' to start a section [heading-level]"
        ],
    ),
}


def run_check(root: Path) -> list[str]:
    return [str(d) for d in check(root)]


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_reported_exactly(case: str, tmp_path: Path) -> None:
    files, expected = CASES[case]
    root = write_project(tmp_path, files)
    assert run_check(root) == expected


@pytest.mark.parametrize("case", list(CASES))
def test_cli_check_prints_located_error_exits_1_and_leaves_dist_alone(case: str, tmp_path: Path) -> None:
    files, expected = CASES[case]
    root = write_project(tmp_path, files)
    dist = root / "dist"
    (dist / "c1").mkdir(parents=True)
    (dist / "c1" / "old.html").write_text("previous build", encoding="utf-8")
    before = sorted((p.relative_to(dist).as_posix(), p.read_bytes()) for p in dist.rglob("*") if p.is_file())

    for args in (["check"], ["build"]):
        result = CliRunner().invoke(main, [*args, "--project", str(root)])
        assert result.exit_code == 1, result.output
        for line in expected:
            assert line in result.stderr
        after = sorted((p.relative_to(dist).as_posix(), p.read_bytes()) for p in dist.rglob("*") if p.is_file())
        assert after == before


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    files = {
        C: COURSE.replace("[m1]", "[m1, missing]"),
        M: "---\ntitle: T\nmastery_score: 101\n---\n\n# Big\n\n![](images/x.png)\n\n"
        "```question\nid: q\ntype: nope\nprompt: P\n```\n",
    }
    root = write_project(tmp_path, files)
    codes = [line.rsplit("[", 1)[1].rstrip("]") for line in run_check(root)]
    assert codes == [
        "module-missing",
        "out-of-range",
        "heading-level",
        "image-alt",
        "image-missing",
        "question-type",
    ]


def test_html_allowed_when_the_course_says_so(tmp_path: Path) -> None:
    files = module("Some <b>bold</b> text.\n\n<div>box</div>\n")
    files[C] = COURSE + "allow_html: true\n"
    root = write_project(tmp_path, files)
    assert run_check(root) == []


def test_a_warning_does_not_fail_check_but_strict_build_does(tmp_path: Path) -> None:
    front = "---\ntitle: T\nduration: 60\nsession:\n  - {minutes: 10, activity: Talk}\n---\n\n"
    root = write_project(tmp_path, module("Text.\n", front=front))
    assert run_check(root) == [
        f"{M}:5:5: warning: the session plan adds up to 10 minutes but 'duration' is 60 [session-duration]"
    ]
    runner = CliRunner()
    ok = runner.invoke(main, ["check", "--project", str(root)])
    assert ok.exit_code == 0
    assert "check passed (1 warning)" in ok.output
    assert runner.invoke(main, ["build", "--project", str(root)]).exit_code == 0
    strict = runner.invoke(main, ["build", "--strict", "--project", str(root)])
    assert strict.exit_code == 1
    assert "[session-duration]" in strict.stderr
