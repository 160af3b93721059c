"""Question and answer slides in PPTX: choices with letters, blanks, matching tables, explanations."""

from __future__ import annotations

from typing import Any

from ...i18n.locales import LATIN_LETTERS, choice_letters
from ...model import (
    Question,
)
from ...render.deck import Slide, item_order, letter, right_order, tf_choices
from ...render.fit import (
    BODY_SIZE,
    GAP,
    answer_explanation,
    px_to_emu,
    px_to_pt,
)
from .shapes import Area, remove_shape
from .text import A, Style, add_run, add_runs, para_props, paragraph, reset_frame

# --------------------------------------------------------------------------- questions


def question_body(out: Any, body: Any, area: Area, slide: Slide, style: Style) -> None:
    """Fill a question (or answer) slide's body: choices, blank, items or matching table."""
    q = slide.question
    assert q is not None
    answer = slide.kind == "answer"
    size = px_to_pt(BODY_SIZE * slide.fit)
    if q.type == "matching":
        remove_if(body)
        matching_table(out, q, area, slide.fit, style, answer)
        if answer:
            explanation_box(out, q, area, slide.fit, style)
        return
    if body is None:
        body = out.shapes.add_textbox(area.left, area.top, area.width, area.height)
    frame = body.text_frame
    reset_frame(frame)
    first = True
    if q.type in ("single", "multiple", "true-false"):
        choices = tf_choices(q, style.gettext) if q.type == "true-false" else [(c.text, c.correct) for c in q.choices]
        if q.type == "multiple" and not answer:
            p = paragraph(frame, first)
            first = False
            para_props(p, style, bullet=None, level=0, size=size * 0.8)
            add_run(p, style.gettext("Select all that apply."), style, size=size * 0.8, colour="tx2")
        for i, (text, right) in enumerate(choices):
            p = paragraph(frame, first)
            first = False
            lettered(p, style, i, size)
            if answer and right:
                add_runs(p, text, style, size=size, bold=True, colour="accent2")
                add_run(p, " ✓", style, size=size, bold=True, colour="accent2")
            elif answer:
                add_runs(p, text, style, size=size, colour="#4A5466")
            else:
                add_runs(p, text, style, size=size)
    elif q.type == "fill-in":
        p = paragraph(frame, first)
        first = False
        para_props(p, style, bullet=None, level=0, size=size)
        if answer:
            for n, accepted in enumerate(q.answers):
                if n:
                    add_run(p, " · ", style, size=size)
                add_runs(p, accepted, style, size=size, bold=True, colour="accent2")
        else:
            add_run(p, "________________", style, size=size)
    else:  # ordering
        if not answer:
            p = paragraph(frame, first)
            first = False
            para_props(p, style, bullet=None, level=0, size=size * 0.8)
            add_run(p, style.gettext("Put these in the right order."), style, size=size * 0.8, colour="tx2")
        order = range(len(q.items)) if answer else item_order(q)
        for n, i in enumerate(order):
            p = paragraph(frame, first)
            first = False
            if answer:
                para_props(p, style, bullet=("num", n + 1), level=1, size=size)
            else:
                lettered(p, style, n, size)
            add_runs(p, q.items[i], style, size=size)
    explanation = answer_explanation(q) if answer else None
    if explanation:
        p = paragraph(frame, first)
        para_props(p, style, bullet=None, level=0, size=size * 0.85)
        p._p.get_or_add_pPr().find(f"{{{A}}}spcBef").find(f"{{{A}}}spcPts").set("val", str(int(size * 100)))
        add_runs(p, explanation, style, size=size * 0.85)


def remove_if(body: Any) -> None:
    """Remove the shape when there is one."""
    if body is not None:
        remove_shape(body)


def matching_table(out: Any, q: Question, area: Area, fit: float, style: Style, answer: bool) -> None:
    """A matching question as a two-column table (right-hand sides lettered, or paired on the answer)."""
    rows = len(q.pairs)
    size = px_to_pt(BODY_SIZE * fit * 0.85)
    row_h = int(min(area.height * 0.8 / max(rows, 1), px_to_emu(BODY_SIZE * fit * 2.8) * area.ky))
    shape = out.shapes.add_table(rows, 2, area.left, area.top, area.width, row_h * rows)
    shape.name = "Matching"
    table = shape.table
    # A plain grid, not a data table: no header row, no banding.
    tbl_pr = shape._element.graphic.graphicData.tbl.tblPr
    tbl_pr.set("firstRow", "0")
    tbl_pr.set("bandRow", "0")
    if style.rtl:
        tbl_pr.set("rtl", "1")
    order = right_order(q)
    for r in range(rows):
        left = table.cell(r, 0).text_frame.paragraphs[0]
        para_props(left, style, bullet=None, level=0, size=size, space=0)
        add_run(left, f"{r + 1}. ", style, size=size, bold=True, colour="accent1")
        add_runs(left, q.pairs[r].left, style, size=size)
        right = table.cell(r, 1).text_frame.paragraphs[0]
        para_props(right, style, bullet=None, level=0, size=size, space=0)
        if answer:
            add_run(right, f"{letter(order.index(r), style.lang)}. ", style, size=size, bold=True, colour="accent2")
            add_runs(right, q.pairs[r].right, style, size=size, bold=True, colour="accent2")
        else:
            add_run(right, f"{letter(r, style.lang)}. ", style, size=size, bold=True, colour="accent1")
            add_runs(right, q.pairs[order[r]].right, style, size=size)


def explanation_box(out: Any, q: Question, area: Area, fit: float, style: Style) -> None:
    """The explanation under an answer's matching table."""
    explanation = answer_explanation(q)
    if not explanation:
        return
    rows = len(q.pairs)
    row_h = int(min(area.height * 0.8 / max(rows, 1), px_to_emu(BODY_SIZE * fit * 2.8) * area.ky))
    top = area.top + row_h * rows + px_to_emu(GAP)
    box = out.shapes.add_textbox(area.left, top, area.width, max(1, area.top + area.height - top))
    box.name = "Explanation"
    reset_frame(box.text_frame)
    p = box.text_frame.paragraphs[0]
    size = px_to_pt(BODY_SIZE * fit * 0.85)
    para_props(p, style, bullet=None, level=0, size=size)
    add_runs(p, explanation, style, size=size)


def lettered(p: Any, style: Style, index: int, size: float) -> None:
    """A choice's paragraph, lettered as in the HTML deck and the guide (``deck.letter``).

    Latin letters are PowerPoint's own numbering (it re-letters choices a trainer adds); other
    alphabets, which its numbering schemes do not write the same way, get the letter as text.
    """
    if choice_letters(style.lang) == LATIN_LETTERS:
        para_props(p, style, bullet=("alpha", index + 1), level=1, size=size)
        return
    para_props(p, style, bullet=("text", index + 1), level=1, size=size)
    add_run(p, f"{letter(index, style.lang)}. ", style, size=size, bold=True, colour="accent1")
