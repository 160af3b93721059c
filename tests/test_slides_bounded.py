"""Fitting always finishes: tables wider than a slide and unbreakable words get a warning and a best-effort layout.

Every test runs under a wall-clock alarm: before the fix, these inputs made fitting loop forever.
"""

from __future__ import annotations

import io
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.translate import localize
from pimlearn.load import load_project
from pimlearn.model import Table
from pimlearn.render.deck import Deck, build_deck, load_images
from pimlearn.render.fit import TABLE_SIZE, line_count, table_columns, table_row_heights, title_fit
from tests.conftest import Files, PageWatch

COURSE = "title: C\nversion: 1.0.0\nmodules: [m1]\n"
SECONDS = 20


@contextmanager
def deadline(seconds: int = SECONDS) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than ``seconds``."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"did not finish within {seconds} s: a fitting loop does not terminate")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def table(columns: int, cell: str = "cell", rows: int = 2) -> str:
    """A Markdown table of ``columns`` columns."""
    head = "|" + "|".join(f"H{i}" for i in range(columns)) + "|\n"
    rule = "|" + "|".join("---" for _ in range(columns)) + "|\n"
    return head + rule + ("|" + "|".join(cell for _ in range(columns)) + "|\n") * rows


WIDE_TABLES = {
    "30 columns": table(30),
    "60 columns": table(60, "c"),
    "200 columns": table(200, "x", rows=1),
    "a 5000-character word": "| a | b |\n|---|---|\n| " + "x" * 5000 + " | y |\n",
    "a long word in a 10-column table": table(10, "y") + "|" + "w" * 5000 + "|y" * 9 + "|\n",
}


def deck_of(root: Path) -> Deck:
    """The deck of module m1 of course c1 (source language)."""
    reporter = Reporter()
    project = load_project(root, reporter)
    assert not reporter.errors, reporter.errors
    course = localize(project.courses[0], "en")
    module = course.modules[0]
    return build_deck(course, module, 1, load_images(root, module).size, lambda s: s)


@pytest.mark.parametrize("width", [0.0, -50.0, 1e-9, 3.0])
def test_line_count_never_loops_on_a_narrow_column(width: float) -> None:
    with deadline():
        lines = line_count("x" * 5000, 24, width)
    assert 5000 * 0.52 * 24 / max(width, 24) <= lines <= 5000 * 0.52 * 24 / max(width, 24) + 1


def test_line_count_of_a_long_word_matches_its_width() -> None:
    # 100 characters of 0.52 em at 10 px = 520 px: 6 lines of 100 px (5 full, one of 20 px).
    assert line_count("x" * 100, 10, 100) == 6
    assert line_count("short " + "x" * 100, 10, 100) == 7


@pytest.mark.parametrize("name", list(WIDE_TABLES))
def test_wide_tables_are_measured_in_bounded_time(name: str, make_project: Callable[[Files], Path]) -> None:
    module = f"---\ntitle: Tables\n---\n\n## Wide one\n\n{WIDE_TABLES[name]}\n## After\n\nText.\n"
    root = make_project({"courses/c1/course.yml": COURSE, "modules/m1/module.md": module})
    with deadline():
        deck = deck_of(root)
    warnings = [d for d in deck.diagnostics if d.code == "slide-table"]
    assert len(warnings) == 1, deck.diagnostics
    [warning] = warnings
    assert warning.severity == "warning" and warning.loc.path == "modules/m1/module.md"
    assert warning.loc.line == 7  # the table's first line, under "## Wide one"
    assert "slide 'Wide one'" in warning.message and "split it" in warning.message
    assert any(s.plain_title == "After" for s in deck.slides)  # the rest of the deck is laid out


def test_an_ordinary_table_gets_no_warning(make_project: Callable[[Files], Path]) -> None:
    body = "| Principle | Meaning |\n|---|---|\n| Do no harm | Assess risks, then reduce them |\n"
    root = make_project(
        {"courses/c1/course.yml": COURSE, "modules/m1/module.md": f"---\ntitle: T\n---\n\n## S\n\n{body}"}
    )
    assert not [d for d in deck_of(root).diagnostics if d.code == "slide-table"]


def test_column_widths_stay_positive_and_fill_the_table(make_project: Callable[[Files], Path]) -> None:
    root = make_project(
        {"courses/c1/course.yml": COURSE, "modules/m1/module.md": f"---\ntitle: T\n---\n\n## S\n\n{table(200, 'x', 1)}"}
    )
    deck = deck_of(root)
    [block] = [b for s in deck.slides for b in s.blocks if isinstance(b, Table)]
    with deadline():
        columns = table_columns(block, 1152)
        heights = table_row_heights(block, 0.7, 1152)
    assert all(w > 0 for w in columns) and abs(sum(columns) - 1152) < 1e-6
    assert all(h >= TABLE_SIZE * 0.7 for h in heights)


def test_title_fit_finishes_on_an_endless_title() -> None:
    with deadline():
        assert title_fit("w" * 20_000, 44) == 0.6


def test_pptx_of_an_unfittable_table_opens(make_project: Callable[[Files], Path]) -> None:
    from pptx import Presentation

    from pimlearn.formats import finish, formats
    from pimlearn.pipeline import BuildOptions, plan

    body = f"## Wide\n\n{WIDE_TABLES['60 columns']}\n## Long\n\n{WIDE_TABLES['a 5000-character word']}"
    root = make_project({"courses/c1/course.yml": COURSE, "modules/m1/module.md": f"---\ntitle: T\n---\n\n{body}"})
    reporter = Reporter()
    project = load_project(root, reporter)
    [ctx] = plan(project, BuildOptions(formats=("pptx",)))
    with deadline(60):
        rendered = finish(formats()["pptx"].renderer()(ctx))
    [deck] = [a for a in rendered.artifacts if a.path.endswith(".pptx")]
    shapes = [s for slide in Presentation(io.BytesIO(deck.data)).slides for s in slide.shapes if s.has_table]
    assert [len(s.table.columns) for s in shapes] == [60, 2]
    assert sum(1 for d in rendered.diagnostics if d.code == "slide-table") == 2


@pytest.mark.browser
def test_html_deck_keeps_unfittable_tables_inside_the_slide(
    page: tuple[Any, PageWatch], make_project: Callable[[Files], Path]
) -> None:
    from pimlearn.pipeline import BuildOptions, build

    body = f"## Wide\n\n{WIDE_TABLES['60 columns']}\n## Long\n\n{WIDE_TABLES['a 5000-character word']}"
    root = make_project({"courses/c1/course.yml": COURSE, "modules/m1/module.md": f"---\ntitle: T\n---\n\n{body}"})
    with deadline(120):
        result = build(root, BuildOptions(formats=("slides",)))
    assert sum(1 for d in result.warnings if d.code == "slide-table") == 2
    pg, watch = page
    pg.set_viewport_size({"width": 1280, "height": 720})
    pg.goto((root / "dist/c1/en/slides/m1.html").as_uri())
    numbers = pg.evaluate(
        "() => [...document.querySelectorAll('.slide .table-wrap')].map(w => w.closest('.slide').dataset.slide)"
    )
    assert len(numbers) == 2
    url = (root / "dist/c1/en/slides/m1.html").as_uri()
    for number in numbers:
        pg.goto(f"{url}#{number}")
        pg.wait_for_function(f"() => document.querySelector('[data-slide=\"{number}\"] .table-wrap').clientWidth > 0")
        table_width, room, dense = pg.evaluate(
            f"""() => {{
                const slide = document.querySelector('[data-slide="{number}"]');
                const wrap = slide.querySelector('.table-wrap');
                return [wrap.querySelector('table').scrollWidth, wrap.clientWidth, slide.dataset.table || ''];
            }}"""
        )
        assert room > 1000  # the slide is shown, at its design width
        assert table_width <= room + 1  # every column visible: nothing hidden behind a scroll bar
        assert dense == "dense"
    assert watch.console_errors == []
