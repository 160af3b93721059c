"""Valid fixture projects load into exactly the expected model (snapshots in tests/fixtures/loader/*.json).

Set UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change, then review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.load import load_project
from pimlearn.load.markdown import make_text, normalize_inline
from pimlearn.model import (
    Code,
    Emph,
    HardBreak,
    Image,
    Link,
    Loc,
    Str,
    Strong,
    Text,
    iter_texts,
    map_texts,
    plain_text,
)
from pimlearn.validate import validate

FIXTURES = Path(__file__).parent / "fixtures" / "loader"


def to_data(node: Any) -> Any:
    """A model object as plain JSON data: dataclasses become {'_': type, fields...}; places 'line:col'."""
    if isinstance(node, Loc):
        return f"{node.line}:{node.col}"
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        data: dict[str, Any] = {"_": type(node).__name__}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if value in (None, (), "") and f.name not in ("source",):
                continue
            data[f.name] = to_data(value)
        return data
    if isinstance(node, (tuple, list)):
        return [to_data(item) for item in node]
    if isinstance(node, frozenset):
        return sorted(node)
    return node


def load_fixture() -> Any:
    reporter = Reporter()
    project = load_project(FIXTURES, reporter)
    validate(project, reporter)
    assert [str(d) for d in reporter.diagnostics] == []
    return project


@pytest.mark.parametrize("name", ["blocks", "questions"])
def test_module_matches_snapshot(name: str) -> None:
    project = load_fixture()
    module = next(m for m in project.modules if m.id == name)
    data = to_data(module)
    snapshot = FIXTURES / f"{name}.json"
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    assert json.loads(snapshot.read_text(encoding="utf-8")) == data


def test_course_settings() -> None:
    course = load_fixture().course("fixture")
    assert course.title.source == "Fixture *course*"
    assert plain_text(course.title) == "Fixture course"
    assert course.version == "2.1.0-beta.1"
    assert course.locales == ("en", "fr")
    assert [m.id for m in course.modules] == ["blocks", "questions"]
    assert course.mastery_score == 70
    assert course.scorm.versions == ("2004",)
    assert course.scorm.packaging == "single-sco"
    # unset: the defaults Moodle's default completion counts
    assert (course.scorm.report_12, course.completion) == ("completed-incomplete", "pages-and-questions")
    assert (course.paper, course.start_time, course.min_translated) == ("letter", "08:30", 50)
    blocks, questions = course.modules
    assert course.pass_mark(blocks) == 70
    assert course.pass_mark(questions) == 90
    # attempts: a question's own, else the course's for graded questions; knowledge checks are unlimited
    assert course.attempts == 2
    assert [(q.id, q.attempts, course.attempts_for(q)) for q in questions.questions] == [
        ("single", 3, 3),
        ("multiple", None, 2),
        ("tf", None, None),
        ("fill", None, 2),
        ("match", None, 2),
        ("order", 1, 1),
    ]
    assert dataclasses.replace(course, attempts=None).attempts_for(questions.questions[1]) is None


def test_defaults() -> None:
    project = load_fixture()
    questions = next(m for m in project.modules if m.id == "questions")
    single, multiple, tf, fill, _match, order = questions.questions
    assert [c.id for c in single.choices] == ["a", "custom"]
    assert single.correct_choice_ids == ("a",)
    assert (single.points, single.graded, single.shuffle) == (2.0, True, True)
    assert multiple.shuffle is False
    assert tf.graded is False and tf.answer is True
    assert [a.source for a in fill.answers] == ["PIM", "Protection Information Management"]
    assert fill.case_sensitive is True
    assert order.points == 0.5


def test_sections_and_slugs() -> None:
    blocks = next(m for m in load_fixture().modules if m.id == "blocks")
    assert [s.slug for s in blocks.sections] == ["first-section", "first-section-2"]
    assert blocks.session_minutes == 30


def test_i18n_context_applies_to_the_next_block_only() -> None:
    blocks = next(m for m in load_fixture().modules if m.id == "blocks")
    contexts = {t.source: t.context for t in iter_texts(blocks)}
    assert contexts["Open"] == "verb"
    assert {source for source, ctx in contexts.items() if ctx} == {"Open"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("one\ntwo", "one two"),
        ("one  \n   two", "one\\\ntwo"),
        ("one\\\ntwo", "one\\\ntwo"),
        ("  lead and trail  ", "lead and trail"),
        ("*a*\n  **b**\n`c`", "*a* **b** `c`"),
        ("a \\\\\nb", "a \\\\ b"),
    ],
)
def test_normalize_inline(source: str, expected: str) -> None:
    assert normalize_inline(source) == expected


def test_rewrapping_a_paragraph_does_not_change_its_msgid() -> None:
    a = make_text("The quick brown fox\njumps over the lazy dog.", Loc("x"))
    b = make_text("The quick brown\nfox jumps over\nthe lazy dog.", Loc("x"))
    assert a.source == b.source == "The quick brown fox jumps over the lazy dog."
    assert a.inlines == b.inlines


def test_inline_conversion() -> None:
    text = make_text('**b** *i* `c` [l](u "t") ![a](i.svg)\\\nend', Loc("x"))
    assert text.inlines == (
        Strong((Str("b"),)),
        Str(" "),
        Emph((Str("i"),)),
        Str(" "),
        Code("c"),
        Str(" "),
        Link("u", "t", (Str("l"),)),
        Str(" "),
        Image("i.svg", "a", ""),
        HardBreak(),
        Str("end"),
    )


def test_map_texts_reaches_every_text_and_keeps_the_rest() -> None:
    project = load_fixture()
    questions = next(m for m in project.modules if m.id == "questions")
    upper = map_texts(questions, lambda t: dataclasses.replace(t, source=t.source.upper()))
    assert all(t.source == t.source.upper() for t in iter_texts(upper))
    assert [q.id for q in upper.questions] == [q.id for q in questions.questions]
    assert upper.questions[0].correct_choice_ids == questions.questions[0].correct_choice_ids
    assert isinstance(upper.title, Text)
