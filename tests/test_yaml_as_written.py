"""Author values are taken as written: YAML 1.1 traps, typed fields, bounded and humane YAML errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.load import load_project
from pimlearn.model import Question, walk_blocks
from pimlearn.pipeline import BuildOptions, build, check
from tests.conftest import Files, write_project

TRAPS = ["Yes", "No", "on", "12:30", "09:00", "1.10", "010", "1_000", "~", "null", "2015-05-01", ".5", "0x1F", "1e3"]
"""Plain scalars that YAML 1.1 turns into booleans, numbers, null or dates."""

C = "courses/c1/course.yml"
M = "modules/m1/module.md"
COURSE = "title: Yes\nversion: 1.0.0\nlanguage: en\nlocales: [en, no]\nstart_time: 09:00\nmodules: [m1]\n"


def _front(extra: str = "") -> str:
    objectives = "".join(f"  - {trap}\n" for trap in TRAPS)
    session = "session:\n  - minutes: 60\n    activity: Yes\n    method: no\n    materials: [1.10, 2015-05-01]\n"
    return f"---\ntitle: 1.10\nsummary: 12:30\nduration: 60\nobjectives:\n{objectives}{session}{extra}---\n\nIntro.\n\n"


QUESTIONS = """\
## Quiz

```question
id: q1
type: single
prompt: 12:30
choices:
  - text: Yes
    correct: true
    feedback: 1.10
  - text: No
```

```question
id: q2
type: ordering
prompt: Order them
items: [09:00, 12:30, 2015-05-01]
```

```question
id: q3
type: matching
prompt: Match them
pairs:
  - [Yes, on]
  - [0x1F, ~]
```

```question
id: q4
type: true-false
prompt: True?
answer: FALSE
```
"""


def _project(tmp_path: Path, course: str = COURSE, front: str = "", body: str = QUESTIONS) -> Path:
    files: Files = {C: course, M: _front(front) + body}
    return write_project(tmp_path / "p", files)


def _errors(root: Path) -> list[str]:
    return [str(d) for d in check(root) if d.severity == "error"]


def test_every_trap_is_kept_as_written_in_front_matter_questions_and_course(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _errors(root) == []
    reporter = Reporter()
    project = load_project(root, reporter)
    course = project.courses[0]
    assert course.title.source == "Yes"
    assert course.locales == ("en", "no")
    assert course.start_time == "09:00"
    module = course.modules[0]
    assert module.title.source == "1.10"
    assert module.summary is not None and module.summary.source == "12:30"
    assert [o.source for o in module.objectives] == TRAPS
    step = module.session[0]
    assert (step.activity.source, step.method and step.method.source) == ("Yes", "no")
    assert [m.source for m in step.materials] == ["1.10", "2015-05-01"]
    questions = {b.id: b for b in walk_blocks(module.sections[0].blocks) if isinstance(b, Question)}
    q1 = questions["q1"]
    assert q1.prompt.source == "12:30"
    assert [c.text.source for c in q1.choices] == ["Yes", "No"]
    assert q1.choices[0].feedback is not None and q1.choices[0].feedback.source == "1.10"
    assert [i.source for i in questions["q2"].items] == ["09:00", "12:30", "2015-05-01"]
    assert [(p.left.source, p.right.source) for p in questions["q3"].pairs] == [("Yes", "on"), ("0x1F", "~")]
    assert questions["q4"].answer is False


def test_the_learner_sees_what_the_author_wrote(tmp_path: Path) -> None:
    root = _project(tmp_path, course=COURSE.replace("[en, no]", "[en]"))
    build(root, BuildOptions(formats=("web", "scorm12")))
    web = (root / "dist/c1/en/web/m1/index.html").read_text(encoding="utf-8")
    pages = "".join(p.read_text(encoding="utf-8") for p in (root / "dist/c1/en/web").rglob("*.html"))
    for shown in (">1.10<", "12:30", ">Yes<", "09:00", "2015-05-01", "0x1F"):
        assert shown in pages, shown
    assert ">1.1<" not in pages and "750" not in web
    with zipfile.ZipFile(next((root / "dist/c1/en").glob("*scorm12.zip"))) as package:
        sco = "".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".html"))
    assert "12:30" in sco and ">Yes<" in sco and "1.10" in sco


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "duration: '60'\n",
            "'duration' must be a whole number of minutes, got '60'; YAML read the string '60' because it is "
            "quoted: write duration: 60 [invalid-type]",
        ),
        ("duration: 1_000\n", "'duration' must be a whole number of minutes, got '1_000' [invalid-type]"),
        ("duration: 'ninety'\n", "'duration' must be a whole number of minutes, got 'ninety' [invalid-type]"),
        ("duration: " + "9x" * 50 + "\n", f"got '{'9x' * 29}9…' [invalid-type]"),
        ("duration: .inf\n", "'duration' must be a whole number of minutes, got '.inf' [invalid-type]"),
        (
            "duration: 99999999999999999999999\n",
            "'duration' must be between 1 and 1000000, got 99999999999999999999999",
        ),
        ("mastery_score: 1e2\n", ""),
        ("mastery_score: 0x50\n", ""),
        ("duration: ~\n", ""),
    ],
)
def test_numeric_front_matter_fields_take_yaml_core_numbers_only(tmp_path: Path, front: str, expected: str) -> None:
    files: Files = {C: COURSE, M: _front().replace("duration: 60\n", front) + QUESTIONS}
    root = write_project(tmp_path / "q", files)
    errors = _errors(root)
    if expected:
        assert len(errors) == 1 and expected in errors[0], errors
    else:
        assert errors == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("points: .inf", "'points' must be a number between 0 and 1000000, got '.inf' [out-of-range]"),
        ("points: .nan", "'points' must be a number between 0 and 1000000, got '.nan' [out-of-range]"),
        ("points: -.Inf", "'points' must be a number between 0 and 1000000, got '-.Inf' [out-of-range]"),
        ("points: 1e400", "'points' must be a number between 0 and 1000000, got '1e400' [out-of-range]"),
        ("points: 1e7", "'points' must be a number between 0 and 1000000, got '1e7' [out-of-range]"),
        (
            'points: "2"',
            "'points' must be a number, got '2'; YAML read the string '2' because it is quoted: write points: 2",
        ),
        (
            "answer: 'false'",
            "'answer' must be true or false, got 'false'; YAML read the string 'false' because it is quoted: "
            "write answer: false [invalid-type]",
        ),
        ("answer: yes", "'answer' must be true or false, got 'yes': write answer: true [invalid-type]"),
        ("answer: Off", "'answer' must be true or false, got 'Off': write answer: false [invalid-type]"),
        ("graded: 1", "'graded' must be true or false, got '1' [invalid-type]"),
        ("answer: ~", "question 'q' (type true-false): 'answer' needs a value [missing-key]"),
    ],
)
def test_typed_question_fields_say_what_yaml_read_and_how_to_write_it(tmp_path: Path, line: str, expected: str) -> None:
    block = f"```question\nid: q\ntype: true-false\nprompt: P\n{line}\n"
    if not line.startswith("answer"):
        block += "answer: true\n"
    files: Files = {C: COURSE, M: _front() + block + "```\n"}
    errors = _errors(write_project(tmp_path / "p", files))
    assert len(errors) == 1 and expected in errors[0], errors
    assert errors[0].startswith(f"{M}:")


def test_course_version_is_checked_as_written(tmp_path: Path) -> None:
    root = _project(tmp_path, course=COURSE.replace("1.0.0", "1.10"))
    assert _errors(root) == [
        f"{C}:2:10: error: 'version' must be a semantic version like 1.0.0, got '1.10' [invalid-value]"
    ]


def test_quoted_and_unquoted_booleans_in_course_yml(tmp_path: Path) -> None:
    root = _project(tmp_path, course=COURSE + "allow_html: 'true'\n")
    assert _errors(root) == [
        f"{C}:7:13: error: 'allow_html' must be true or false, got 'true'; YAML read the string 'true' because "
        "it is quoted: write allow_html: true [invalid-type]"
    ]


# --------------------------------------------------------------------------- bounded work


def test_alias_expansion_bombs_are_refused_at_once(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 12):
        previous = chr(ord("a") + n - 1)
        current = chr(ord("a") + n)
        lines.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    front = "\n".join(lines) + "\n"
    files: Files = {C: COURSE, M: _front().replace("duration: 60\n", front) + "Text.\n"}
    errors = _errors(write_project(tmp_path / "p", files))  # expanding it would take 9**11 nodes
    assert errors == [
        f"{M}:5:8: error: YAML aliases ('*name') are not supported: write the value out in full "
        "(or put text that starts with '*' in quotes) [yaml-alias]"
    ]


@pytest.mark.parametrize("depth", [41, 5000])
def test_deep_nesting_is_a_located_error(tmp_path: Path, depth: int) -> None:
    course = COURSE + "description: " + "[" * depth + "x" + "]" * depth + "\n"
    errors = _errors(_project(tmp_path, course=course))
    assert len(errors) == 1 and "YAML nested more than 40 levels deep" in errors[0], errors
    assert errors[0].startswith(f"{C}:7:") and errors[0].endswith("[yaml-depth]")


def test_deep_block_nesting_is_a_located_error(tmp_path: Path) -> None:
    nested = "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "v\n"
    errors = _errors(
        _project(tmp_path, course=COURSE + "scorm:\n" + "".join(" " + ln for ln in nested.splitlines(True)))
    )
    assert len(errors) == 1 and "[yaml-depth]" in errors[0], errors


# --------------------------------------------------------------------------- humane syntax errors


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "session:\n  - minutes: 10\n    activity: x\n   method: y\n",
            "modules/m1/module.md:4:3: error: inconsistent indentation in the block that starts here "
            "(noticed at line 6: `method: y`): indent every key of a mapping and every '-' of a list by the same "
            "number of spaces [yaml-syntax]",
        ),
        (
            "summary: Note: read this\n",
            "modules/m1/module.md:3:14: error: a colon followed by a space inside a value starts a new key: "
            'put the text in quotes (title: "Note: like this") [yaml-syntax]',
        ),
        (
            "session:\n\t- minutes: 10\n",
            "modules/m1/module.md:4:1: error: a tab indents this line: YAML is indented with spaces only [yaml-syntax]",
        ),
        (
            "summary: 'open\nduration: 5\n",
            "modules/m1/module.md:3:10: error: a quoted value is never closed: add the closing quote "
            "(or remove the opening one) [yaml-syntax]",
        ),
        (
            "summary: @me\n",
            "modules/m1/module.md:3:10: error: a value cannot start with '@': put the text in quotes [yaml-syntax]",
        ),
        (
            'summary: "x" y\n',
            "modules/m1/module.md:3:14: error: unexpected text after a quoted value: when a value starts with a quote, "
            "quote all of it (text: \"'Yes' she said\") [yaml-syntax]",
        ),
        (
            "objectives: [a]]\n",
            "modules/m1/module.md:3:16: error: a closing bracket without its opening one: remove it, or put the "
            "whole value in quotes [yaml-syntax]",
        ),
        (
            "summary: a\x07b\n",
            # Found before YAML parses: control characters are refused anywhere in module.md, one error.
            "modules/m1/module.md:3:11: error: control character U+0007 in the text: outputs cannot store it; "
            "delete it (it often comes from a copy-paste) [control-character]",
        ),
        (
            "summary: !!int 5\n",
            "modules/m1/module.md:3:10: error: YAML tags such as '!!int' are not used: write the value without it "
            "[yaml-tag]",
        ),
    ],
)
def test_yaml_syntax_errors_read_as_sentences_with_a_hint(tmp_path: Path, front: str, expected: str) -> None:
    files: Files = {C: COURSE, M: "---\ntitle: T\n" + front + "---\n\nText.\n"}
    assert _errors(write_project(tmp_path / "p", files)) == [expected]


def test_text_cut_at_a_comment_is_a_warning_and_comments_elsewhere_are_fine(tmp_path: Path) -> None:
    front = (
        "---\ntitle: Principle #3\nduration: 60  # minutes\nobjectives:\n  - 'Keep #1 in quotes'\n"
        "  - Step #2 of the plan\n---\n\nText.\n\n"
        "```question\nid: q1\ntype: ordering\nprompt: Order  # the prompt\nitems: [a, b]\n```\n"
    )
    front += "```question\nid: q2\ntype: ordering\nprompt: P\nitems:\n  - a #1\n  - b\n```\n"
    root = write_project(tmp_path / "p", {C: COURSE.replace("[en, no]", "[en]"), M: front})
    found = [str(d) for d in check(root)]
    assert found == [
        f"{M}:2:8: warning: the text 'Principle' stops before ' #3': YAML reads ' #' as the start of a comment; "
        "put the whole text in quotes to keep it (or move the comment to its own line) [yaml-comment]",
        f"{M}:6:5: warning: the text 'Step' stops before ' #2 of the plan': YAML reads ' #' as the start of a "
        "comment; put the whole text in quotes to keep it (or move the comment to its own line) [yaml-comment]",
        f"{M}:22:5: warning: the text 'a' stops before ' #1': YAML reads ' #' as the start of a "
        "comment; put the whole text in quotes to keep it (or move the comment to its own line) [yaml-comment]",
    ]
