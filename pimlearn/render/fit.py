"""How much room slide content needs: one estimate shared by the HTML deck and the PPTX.

Slides are designed on a 1280 × 720 px canvas (13.333 × 7.5 in at 96 px per inch,
PowerPoint's 16:9 size), so one set of numbers places content in both outputs.
Text is measured with average glyph widths of a sans-serif face and wrapped word
by word: not exact, but close enough to decide how far text must shrink and to
warn the author when even the smallest size does not fit.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from ..model import (
    Block,
    Callout,
    CodeBlock,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Question,
    Quote,
    RawBlock,
    Table,
    Text,
    plain_text,
)

# --------------------------------------------------------------------------- the canvas (px)

WIDTH = 1280
HEIGHT = 720
PAD_X = 64
CONTENT_WIDTH = WIDTH - 2 * PAD_X
KICKER_TOP, KICKER_HEIGHT, KICKER_SIZE = 26, 30, 20
TITLE_TOP, TITLE_HEIGHT, TITLE_SIZE = 58, 116, 44
BODY_TOP = 196
BODY_BOTTOM = 668
BODY_HEIGHT = BODY_BOTTOM - BODY_TOP
FOOTER_TOP = 680
BODY_SIZE = 32
TABLE_SIZE = 24
LINE = 1.3
TITLE_LINE = 1.15
QUESTION_TITLE_SIZE = 36
SPLIT_TEXT = 0.56
"""Share of the width the text takes when a figure stands beside it."""
GAP = 24
MIN_FIT = 0.7
MIN_TITLE_FIT = 0.6
MIN_FIGURE = 180
ANSWER_BUTTON = 64
"""Room the HTML deck's "Show answer" button takes below a question."""


def px_to_emu(px: float) -> int:
    """Canvas pixels to PowerPoint EMU (914400 per inch, 96 px per inch)."""
    return round(px * 9525)


def px_to_pt(px: float) -> float:
    """Canvas pixels to typographic points."""
    return px * 0.75


# --------------------------------------------------------------------------- measuring text

_NARROW = set("iljtfrI.,;:'!|()[]{}  ")
_WIDE = set("mwMW@%")
_CJK = re.compile(r"[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


@lru_cache(maxsize=4096)
def char_width(ch: str) -> float:
    """Approximate advance of a character in em (Arial / Liberation Sans / Noto Sans metrics)."""
    if ch in _NARROW:
        return 0.28
    if ch in _WIDE:
        return 0.86
    if _CJK.match(ch):
        return 1.0
    if ch.isupper() or ch.isdigit():
        return 0.64 if ch.isupper() else 0.556
    return 0.52


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of a string set at ``size`` px."""
    return sum(char_width(c) for c in text) * size * (1.06 if bold else 1.0)


def line_count(text: str, size: float, width: float, bold: bool = False) -> int:
    """Lines the text wraps to in ``width`` px (greedy word wrap, like browsers and PowerPoint).

    Work is linear in the text: a line is never narrower than one em (a column squeezed to
    nothing still holds a character per line), and a long word is broken by division, not by a loop.
    """
    width = max(width, size, 1.0)
    lines = 0
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines += 1
            continue
        space = text_width(" ", size, bold)
        current = 0.0
        lines += 1
        for word in words:
            w = text_width(word, size, bold)
            if current and current + space + w > width:
                lines += 1
                current = 0.0
            # A word longer than the line breaks where it must.
            if w > width:
                breaks = math.ceil(w / width) - 1
                lines += breaks
                w -= breaks * width
            current += (space if current else 0.0) + w
    return lines


def text_height(text: str, size: float, width: float, bold: bool = False, line: float = LINE) -> float:
    """Height of wrapped text."""
    return line_count(text, size, width, bold) * size * line


# --------------------------------------------------------------------------- images


def image_size(data: bytes, path: str) -> tuple[float, float]:
    """Intrinsic (width, height) of an image in px; (4, 3) when it cannot be read."""
    if path.lower().endswith(".svg"):
        return _svg_size(data)
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            return float(width), float(height)
    except Exception:  # an unreadable image still gets a sane box
        return 4.0, 3.0


_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(px|pt|in|cm|mm)?\s*$")
_UNITS = {"px": 1.0, None: 1.0, "pt": 96 / 72, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def _svg_size(data: bytes) -> tuple[float, float]:
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return 4.0, 3.0
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = [float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()) if v] or []
    if width and height:
        return width, height
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width:
            return width, width * box[3] / box[2]
        if height:
            return height * box[2] / box[3], height
        return box[2], box[3]
    return 300.0, 150.0  # the CSS default size of a replaced element


def _length(value: str | None) -> float:
    match = _LENGTH.match(value or "")
    if not match:
        return 0.0
    return float(match.group(1)) * _UNITS[match.group(2)]


# --------------------------------------------------------------------------- measuring blocks

ImageSize = Callable[[str], tuple[float, float]]


def inline_text(text: Text | None) -> str:
    """What a text shows, for measuring."""
    return plain_text(text) if text else ""


def block_height(block: Block, fit: float, width: float, sizes: ImageSize, indent: int = 0) -> float:
    """Estimated height in px of one block at text scale ``fit`` in a column ``width`` px wide.

    Figures count at their smallest useful size; the layout gives them what is left.
    """
    size = BODY_SIZE * fit
    after = size * 0.45
    if isinstance(block, Paragraph):
        return text_height(inline_text(block.text), size, width) + after
    if isinstance(block, Heading):
        return text_height(inline_text(block.text), size * 1.1, width, bold=True) + after
    if isinstance(block, ListBlock):
        total = 0.0
        level_width = width - size * 1.2
        for item in block.items:
            for child in item.blocks:
                if isinstance(child, ListBlock):
                    total += block_height(child, fit * 0.9, level_width, sizes, indent + 1)
                else:
                    total += block_height(child, fit, level_width, sizes, indent) - (after if block.tight else 0)
            total += size * 0.2
        return total + after
    if isinstance(block, Quote):
        return sum(block_height(b, fit, width - size * 1.5, sizes) for b in block.blocks) + after
    if isinstance(block, Callout):
        inner = width - 2 * 20 * fit
        title = size * 0.8 * LINE
        body = sum(block_height(b, fit * 0.9, inner, sizes) for b in block.blocks)
        return title + body + 2 * 14 * fit + after
    if isinstance(block, Table):
        return table_height(block, fit, width)
    if isinstance(block, CodeBlock):
        lines = block.code.rstrip("\n").count("\n") + 1
        return lines * size * 0.8 * LINE + 24 * fit + after
    if isinstance(block, Figure):
        return min_figure_height(block, width, sizes) + after
    if isinstance(block, RawBlock):
        return size * LINE * 2
    return 0.0


def min_figure_height(block: Figure, width: float, sizes: ImageSize) -> float:
    """The smallest height a figure may shrink to and still be read (caption included)."""
    w, h = sizes(block.src)
    natural = width * h / w if w else MIN_FIGURE
    caption = BODY_SIZE * 0.65 * LINE if block.title else 0
    return min(natural, MIN_FIGURE) + caption


def table_columns(block: Table, width: float) -> list[float]:
    """Column widths in px: in proportion to each column's longest cell, none under 12 % of the table."""
    columns = max(len(block.header), *(len(r) for r in block.rows)) if block.rows else len(block.header)
    longest = [1.0] * columns
    for row in (block.header, *block.rows):
        for i, cell in enumerate(row):
            longest[i] = max(longest[i], math.sqrt(len(inline_text(cell)) + 4))
    total = sum(longest)
    floor = width * min(0.12, 1 / max(columns, 1))
    raw = [max(floor, width * n / total) for n in longest]
    scale = width / sum(raw)
    return [w * scale for w in raw]


TABLE_PAD_X, TABLE_PAD_Y = 10, 6
MIN_COLUMN_CHARS = 4
"""A table column narrower than this many characters (at the smallest text size) cannot be read."""


def cell_pad(column: float) -> float:
    """Horizontal padding of a cell: less in narrow columns, so the text keeps some room."""
    return min(TABLE_PAD_X, column / 8)


def table_row_heights(block: Table, fit: float, width: float) -> list[float]:
    """Height of the header row and of each body row."""
    size = TABLE_SIZE * fit
    columns = table_columns(block, width)
    heights = []
    for r, row in enumerate((block.header, *block.rows)):
        lines = max(
            (
                line_count(inline_text(cell), size, columns[i] - 2 * cell_pad(columns[i]), bold=r == 0)
                for i, cell in enumerate(row)
                if i < len(columns)
            ),
            default=1,
        )
        heights.append(lines * size * 1.2 + 2 * TABLE_PAD_Y)
    return heights


def table_too_wide(block: Table, width: float) -> str:
    """Why a table cannot be laid out readably on a slide ('' when it can): too many columns, or a word too long."""
    size = TABLE_SIZE * MIN_FIT
    columns = table_columns(block, width)
    narrowest = min(columns) - 2 * cell_pad(min(columns))
    if narrowest < text_width("n" * MIN_COLUMN_CHARS, size):
        return f"its {len(columns)} columns are too narrow to read"
    for r, row in enumerate((block.header, *block.rows)):
        for i, cell in enumerate(row[: len(columns)]):
            room = columns[i] - 2 * cell_pad(columns[i])
            for word in inline_text(cell).split():
                if text_width(word, size, bold=r == 0) > room:
                    shown = word if len(word) <= 30 else word[:27] + "..."
                    return f"the word '{shown}' is wider than its column and is broken across lines"
    return ""


def table_height(block: Table, fit: float, width: float) -> float:
    """Height of a whole table and the space after it."""
    return sum(table_row_heights(block, fit, width)) + BODY_SIZE * fit * 0.45


# --------------------------------------------------------------------------- questions


def question_lines(q: Question, answer: bool) -> list[tuple[str, int]]:
    """The lines a question (or its answer) shows on a slide, as (text, list level)."""
    if q.type in ("single", "multiple"):
        return [(f"A. {inline_text(c.text)}", 0) for c in q.choices]
    if q.type == "true-false":
        return [("A. True", 0), ("B. False", 0)]
    if q.type == "fill-in":
        return [(", ".join(a.source for a in q.answers), 0)] if answer else [("________________", 0)]
    if q.type == "matching":
        return [(f"1. {inline_text(p.left)}    A. {inline_text(p.right)}", 0) for p in q.pairs]
    return [(f"1. {inline_text(item)}", 0) for item in q.items]


def question_height(q: Question, fit: float, width: float, answer: bool) -> float:
    """Height of a question's body (choices, pairs, items), and of the explanation with the answer."""
    size = BODY_SIZE * fit
    total = 0.0
    if q.type == "matching":
        # Two columns, each half the width less the gap between them and the number or letter.
        column = (width - 2 * GAP) / 2 - 40
        for p in q.pairs:
            left = text_height(inline_text(p.left), size, column)
            right = text_height(inline_text(p.right), size, column)
            total += max(left, right) + size * 0.35
    else:
        for line, _ in question_lines(q, answer):
            total += text_height(line, size, width - size * 1.6) + size * 0.35
    if answer:
        explanation = answer_explanation(q)
        if explanation:
            total += GAP + text_height(inline_text(explanation), size * 0.85, width)
    # The HTML deck shows its Show/Hide answer button below both states.
    return total + ANSWER_BUTTON


def answer_explanation(q: Question) -> Text | None:
    """What the answer shows besides the right answer: the explanation, else the feedback for a right answer."""
    if q.explanation:
        return q.explanation
    if q.correct_feedback:
        return q.correct_feedback
    if q.type == "true-false":
        return q.feedback_true if q.answer else q.feedback_false
    if q.type == "single":
        right = [c for c in q.choices if c.correct]
        return right[0].feedback if right else None
    return None


# --------------------------------------------------------------------------- fitting a slide


@dataclass(frozen=True)
class Fit:
    """How a slide's content fits: text scale, title scale, and where it overflows (if it does)."""

    scale: float
    title_scale: float
    overflow: Block | None = None


def title_fit(title: str, base: float, lines: int = 2) -> float:
    """The title scale (1 down to MIN_TITLE_FIT) at which it fits the title box in ``lines`` lines."""
    for scale in _steps(MIN_TITLE_FIT):
        size = base * scale
        if line_count(title, size, CONTENT_WIDTH, bold=True) * size * TITLE_LINE <= TITLE_HEIGHT:
            return scale
    return MIN_TITLE_FIT


def _steps(minimum: float = MIN_FIT) -> list[float]:
    """The scales tried, from 1 down to ``minimum`` by 0.05: a fixed, finite list."""
    return [round(1.0 - 0.05 * i, 2) for i in range(round((1.0 - minimum) / 0.05) + 1)]


def stack_height(blocks: Sequence[Block], fit: float, width: float, sizes: ImageSize) -> list[float]:
    """Cumulative heights after each block."""
    total, out = 0.0, []
    for block in blocks:
        total += block_height(block, fit, width, sizes)
        out.append(total)
    return out


def is_split(blocks: Sequence[Block], sizes: ImageSize) -> bool:
    """Text beside a figure (rather than above it): one figure that is not much wider than tall, and text."""
    figures = [b for b in blocks if isinstance(b, Figure)]
    others = [b for b in blocks if not isinstance(b, Figure)]
    if len(figures) != 1 or not others or any(isinstance(b, Table) for b in others):
        return False
    w, h = sizes(figures[0].src)
    return h > 0 and w / h < 1.6


def fit_content(blocks: Sequence[Block], sizes: ImageSize, split: bool) -> tuple[float, Block | None]:
    """The largest text scale at which the blocks fit the body box, and the first block that overflows."""
    width = CONTENT_WIDTH * SPLIT_TEXT - GAP / 2 if split else CONTENT_WIDTH
    text_blocks = [b for b in blocks if not isinstance(b, Figure)] if split else list(blocks)
    cumulative: list[float] = []
    for scale in _steps():
        cumulative = stack_height(text_blocks, scale, width, sizes)
        if not cumulative or cumulative[-1] <= BODY_HEIGHT:
            return scale, None
    culprit = next((b for b, h in zip(text_blocks, cumulative, strict=True) if h > BODY_HEIGHT), None)
    return MIN_FIT, culprit


QUESTION_ROOM = 0.85
"""The share of the body a question's estimate may fill: choices, pairs and the revealed answer sit in
boxes and columns whose wrapping the character-width estimate undercounts (measured: by up to 12 % on
a matching answer), so question slides keep that margin rather than be clipped."""


def fit_question(q: Question, answer: bool) -> tuple[float, bool]:
    """The text scale of a question (or answer) slide, and whether it overflows even at the smallest."""
    for scale in _steps():
        if question_height(q, scale, CONTENT_WIDTH, answer) <= BODY_HEIGHT * QUESTION_ROOM:
            return scale, False
    # Smallest text: warn only when even the estimate itself (without the margin) does not fit.
    return MIN_FIT, question_height(q, MIN_FIT, CONTENT_WIDTH, answer) > BODY_HEIGHT
