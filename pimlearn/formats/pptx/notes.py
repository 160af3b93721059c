"""Speaker notes of a PPTX slide: the answer first, then the author's notes as plain paragraphs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...model import (
    Block,
    Callout,
    CodeBlock,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Str,
    Table,
    Text,
    plain_text,
)
from ...render.deck import Slide, answer_key
from .text import Style, add_run, add_runs, paragraph, right_to_left

# --------------------------------------------------------------------------- notes, numbers, properties


def write_notes(out: Any, slide: Slide, style: Style) -> None:
    """Write the slide's speaker notes (a question's answer first); nothing when there are none."""
    lines: list[tuple[int, str, list[tuple[str, Text | None]] | Text]] = []
    q = slide.question
    if q is not None and slide.kind == "question":
        lines.append((0, style.gettext("Answer:"), answer_key(q, style.gettext, style.lang)))
    note_lines(slide.notes, lines, 0)
    if not lines:
        return
    frame = out.notes_slide.notes_text_frame
    frame.text = ""
    first = True
    for level, lead, content in lines:
        p = paragraph(frame, first)
        first = False
        if style.rtl:
            right_to_left(p)
        if level:
            p.level = min(level, 8)
        if lead:
            add_run(p, lead + " ", style, bold=lead == style.gettext("Answer:") or None)
        if isinstance(content, Text):
            add_runs(p, content, style)
        else:
            for n, (marker, text) in enumerate(content):
                if n:
                    add_run(p, "; ", style)
                add_run(p, marker + (" " if marker and text is not None else ""), style)
                if text is not None:
                    add_runs(p, text, style)


def note_lines(
    blocks: Sequence[Block], lines: list[tuple[int, str, list[tuple[str, Text | None]] | Text]], level: int
) -> None:
    """Flatten note blocks into (level, lead, text) lines for the notes pane."""
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            lines.append((level, "", block.text))
        elif isinstance(block, ListBlock):
            for n, item in enumerate(block.items):
                marker = f"{block.start + n}." if block.ordered else "•"
                for i, child in enumerate(item.blocks):
                    if isinstance(child, Paragraph) and i == 0:
                        lines.append((level, marker, child.text))
                    else:
                        note_lines((child,), lines, level + 1)
        elif isinstance(block, (Quote, Callout)):
            if isinstance(block, Callout) and block.title:
                lines.append((level, "", block.title))
            note_lines(block.blocks, lines, level)
        elif isinstance(block, CodeBlock):
            lines.append((level, "", Text(block.code, (Str(block.code),))))
        elif isinstance(block, Figure):
            lines.append((level, "", block.alt))
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                joined = " | ".join(plain_text(c) for c in row)
                lines.append((level, "", Text(joined, (Str(joined),))))
