"""The deck model: which slides a module becomes, what each shows, and how it is fitted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.translate import localize
from pimlearn.load import load_project
from pimlearn.model import Figure, ListBlock, Notes, Only, Paragraph, Table, plain_text, walk_blocks
from pimlearn.render.deck import Deck, answer_key, build_deck, item_order, load_images, right_order
from pimlearn.render.fit import MIN_FIT, image_size, line_count
from tests.conftest import REPO, Files

COURSE = """\
title: Deck course
version: 1.0.0
modules: [m1]
"""

MODULE = """\
---
title: Working with data
summary: How we handle data.
duration: 30
objectives:
  - Name one risk.
  - Name one safeguard.
session:
  - minutes: 20
    activity: Talk
  - minutes: 10
    activity: Quiz
---

Opening words.

::: notes
Welcome everyone.
:::

## First section

Shown everywhere.

::: only slides
- Slide-only bullet
:::

::: only elearning guide
Prose for learners only.
:::

::: notes
Say this aloud.
:::

---

### A titled break

After the break.

## Quiz

Before the question.

```question
id: q1
type: single
prompt: Pick one.
choices:
  - text: Right
    correct: true
  - text: Wrong
explanation: Because.
```

::: notes
Talk about the question.
:::

```question
id: q2
type: matching
prompt: Match them.
pairs:
  - [a, 1]
  - [b, 2]
  - [c, 3]
```

## Empty
"""


def deck_of(root: Path, module_id: str = "m1", locale: str = "en") -> Deck:
    reporter = Reporter()
    project = load_project(root, reporter)
    assert not reporter.errors, reporter.errors
    course = localize(project.courses[0], locale)
    number, module = next((i, m) for i, m in enumerate(course.modules, 1) if m.id == module_id)
    images = load_images(root, module)
    return build_deck(course, module, number, images.size, lambda s: s)


@pytest.fixture
def deck(make_project: Callable[[Files], Path]) -> Deck:
    return deck_of(make_project({"courses/c1/course.yml": COURSE, "modules/m1/module.md": MODULE}))


def test_slide_sequence(deck: Deck) -> None:
    kinds = [(s.kind, s.plain_title) for s in deck.slides]
    assert kinds == [
        ("title", "Working with data"),
        ("objectives", "Learning objectives"),
        ("content", "Introduction"),
        ("content", "First section"),
        ("content", "A titled break"),
        ("content", "Quiz"),
        ("question", "Pick one."),
        ("answer", "Pick one."),
        ("question", "Match them."),
        ("answer", "Match them."),
        ("content", "Empty"),
        ("summary", "Summary"),
    ]
    # The HTML deck reveals answers in place: no answer slides there.
    assert [s.kind for s in deck.shown(answers=False)].count("answer") == 0
    assert len(deck.shown(answers=True)) == len(deck.slides)


def test_only_targets_and_notes(deck: Deck) -> None:
    first = deck.slides[3]
    texts = [plain_text(t) for b in walk_blocks(first.blocks) for t in _texts(b)]
    assert "Shown everywhere." in texts
    assert "Slide-only bullet" in texts
    assert "Prose for learners only." not in texts
    assert not any(isinstance(b, (Notes, Only)) for b in walk_blocks(first.blocks))
    assert [plain_text(b.text) for b in first.notes if isinstance(b, Paragraph)] == ["Say this aloud."]
    # Intro notes go with the introduction slide.
    assert [plain_text(b.text) for b in deck.slides[2].notes if isinstance(b, Paragraph)] == ["Welcome everyone."]


def test_break_with_heading_takes_its_title(deck: Deck) -> None:
    broken = deck.slides[4]
    assert broken.plain_title == "A titled break"
    assert broken.kicker is not None and plain_text(broken.kicker) == "First section"
    assert broken.loc.line > deck.slides[3].loc.line


def test_notes_after_a_question_go_with_it(deck: Deck) -> None:
    question = deck.slides[6]
    assert question.question is not None and question.question.id == "q1"
    assert [plain_text(b.text) for b in question.notes if isinstance(b, Paragraph)] == ["Talk about the question."]
    assert deck.slides[7].notes == ()


def test_summary_lists_sections_and_objectives_in_notes(deck: Deck) -> None:
    summary = deck.slides[-1]
    lists = [b for b in summary.blocks if isinstance(b, ListBlock)]
    assert [plain_text(i.blocks[0].text) for i in lists[0].items] == ["First section", "Quiz", "Empty"]  # type: ignore[union-attr]
    note_lists = [b for b in summary.notes if isinstance(b, ListBlock)]
    assert len(note_lists[0].items) == 2


def test_answer_keys(deck: Deck) -> None:
    q1 = deck.slides[6].question
    q2 = deck.slides[8].question
    assert q1 is not None and q2 is not None
    assert [(m, plain_text(t) if t else None) for m, t in answer_key(q1, str)] == [("A.", "Right")]
    order = right_order(q2)
    assert order != sorted(order)  # the question never shows the answer's order
    key = answer_key(q2, str)
    assert [m for m, _ in key] == [f"{i + 1} – {chr(65 + order.index(i))}" for i in range(3)]


def test_overflow_shrinks_then_warns_at_the_block(make_project: Callable[[Files], Path]) -> None:
    words = "Protection information management needs careful thought about every single risk. " * 3
    medium = "\n\n".join(f"Paragraph {i}. {words}" for i in range(4))
    huge = "\n\n".join(f"Paragraph {i}. {words}" for i in range(12))
    module = f"---\ntitle: Long\n---\n\n## Medium\n\n{medium}\n\n## Huge\n\n{huge}\n\n## Short\n\nOne line.\n"
    root = make_project({"courses/c1/course.yml": COURSE, "modules/m1/module.md": module})
    deck = deck_of(root)
    by_title = {s.plain_title: s for s in deck.slides}
    assert by_title["Short"].fit == 1.0
    assert MIN_FIT < by_title["Medium"].fit < 1.0
    assert by_title["Huge"].fit == MIN_FIT
    [warning] = deck.diagnostics
    assert warning.code == "slide-overflow" and warning.severity == "warning"
    assert warning.loc.path == "modules/m1/module.md"
    text = (root / "modules/m1/module.md").read_text().splitlines()
    # Located at the first paragraph that does not fit, not at the heading.
    assert text[warning.loc.line - 1].startswith("Paragraph ")
    assert "Huge" in warning.message and "---" in warning.message


def test_sample_course_fits_without_warnings() -> None:
    tables = []
    for module_id in ("pim-intro", "pim-principles"):
        deck = deck_of(REPO, module_id)
        assert deck.diagnostics == ()
        tables += [s for s in deck.slides if any(isinstance(b, Table) for b in s.blocks)]
    assert tables and all(s.fit <= 1.0 for s in tables)  # tables are shrunk when dense, and still fit


def test_square_figure_stands_beside_text() -> None:
    deck = deck_of(REPO, "pim-principles")
    [slide] = [s for s in deck.slides if any(isinstance(b, Figure) for b in s.blocks)]
    assert slide.split
    wide = deck_of(REPO, "pim-intro")
    [stacked] = [s for s in wide.slides if any(isinstance(b, Figure) for b in s.blocks)]
    assert not stacked.split


def test_ordering_display_is_never_the_answer() -> None:
    deck = deck_of(REPO, "pim-intro")
    [q] = [s.question for s in deck.slides if s.question is not None and s.question.type == "ordering"][:1]
    assert q is not None
    assert item_order(q) != list(range(len(q.items)))


def test_image_size_reads_svg_and_png() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 240"/>'
    assert image_size(svg, "a.svg") == (720.0, 240.0)
    assert image_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="1in"/>', "a.svg") == (192, 96)
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30)).save(buffer, format="PNG")
    assert image_size(buffer.getvalue(), "a.png") == (40.0, 30.0)
    assert image_size(b"not an image", "a.png") == (4.0, 3.0)


def test_line_count_wraps_words() -> None:
    assert line_count("short", 32, 1000) == 1
    assert line_count("word " * 100, 32, 500) > line_count("word " * 100, 32, 1000) > 1


def _texts(block: object) -> list:  # type: ignore[type-arg]
    from pimlearn.model import iter_texts

    if isinstance(block, (ListBlock,)):
        return []
    return list(iter_texts(block))
