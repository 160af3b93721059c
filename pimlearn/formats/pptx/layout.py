"""Placing a slide's content in PPTX: the layouts, the title slide, and content stacked in the body area."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...model import (
    Block,
    Callout,
    Figure,
    Str,
    Table,
    Text,
)
from ...render.deck import Deck, Slide
from ...render.fit import (
    BODY_HEIGHT,
    CONTENT_WIDTH,
    GAP,
    KICKER_HEIGHT,
    KICKER_SIZE,
    KICKER_TOP,
    PAD_X,
    QUESTION_TITLE_SIZE,
    SPLIT_TEXT,
    TITLE_SIZE,
    block_height,
    px_to_emu,
    px_to_pt,
)
from .. import RenderContext
from .questions import question_body
from .shapes import Area, add_callout, add_picture, add_table, body_area, remove_shape
from .text import Style, fill_frame, text_blocks


def pick_layouts(prs: Any) -> tuple[Any, Any]:
    """The title layout and the title-and-content layout, by name, else by their placeholders."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    layouts = list(prs.slide_layouts)
    by_name = {layout.name: layout for layout in layouts}

    def kinds(layout: Any) -> set[Any]:
        return {ph.placeholder_format.type for ph in layout.placeholders}

    title = by_name.get("Title Slide") or next(
        (lay for lay in layouts if PP_PLACEHOLDER.CENTER_TITLE in kinds(lay)), layouts[0]
    )
    content = by_name.get("Title and Content") or next(
        (
            lay
            for lay in layouts
            if PP_PLACEHOLDER.TITLE in kinds(lay) and kinds(lay) & {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
        ),
        layouts[min(1, len(layouts) - 1)],
    )
    return title, content


def title_slide(out: Any, slide: Slide, deck: Deck, ctx: RenderContext, style: Style) -> None:
    """Fill the title slide: module title, summary and meta line, the course's name above."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    title = out.shapes.title
    fill_frame(title.text_frame, [slide.title], style)
    module = deck.module
    meta = style.gettext("Module %(num)s") % {"num": deck.number}
    if module.duration:
        minutes = style.ngettext("%(num)s minute", "%(num)s minutes", module.duration)
        meta += " · " + minutes % {"num": module.duration}
    lines: list[Text] = [module.summary] if module.summary else []
    lines.append(Text(meta, (Str(meta),)))
    subtitle = next(
        (ph for ph in out.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE),
        None,
    )
    if subtitle is not None:
        fill_frame(subtitle.text_frame, lines, style)
    # The course's name above the module's title.
    top = max(0, title.top - px_to_emu(56))
    kicker = out.shapes.add_textbox(title.left, top, title.width, px_to_emu(48))
    kicker.name = "Course"
    fill_frame(kicker.text_frame, [ctx.course.title], style, size=px_to_pt(26), colour="bg2")


def content_slide(out: Any, slide: Slide, style: Style, area: Area) -> None:
    """Fill a content, question or answer slide: kicker, title and body (``area``: its layout's body box)."""
    title = out.shapes.title
    base = QUESTION_TITLE_SIZE if slide.kind in ("question", "answer") else TITLE_SIZE
    if title is not None:
        fill_frame(title.text_frame, [slide.title], style, size=px_to_pt(base * slide.title_fit), bold=True)
    if slide.kicker is not None:
        x, y, w, h = (px_to_emu(v) for v in (PAD_X, KICKER_TOP, CONTENT_WIDTH, KICKER_HEIGHT))
        box = out.shapes.add_textbox(x, y, w, h)
        box.name = "Kicker"
        fill_frame(box.text_frame, [slide.kicker], style, size=px_to_pt(KICKER_SIZE), colour="accent1", bold=True)
    body = body_placeholder(out)
    if slide.question is not None:
        question_body(out, body, area, slide, style)
    else:
        place_blocks(out, body, area, slide, style)


def layout_body_area(layout: Any) -> Area:
    """The body box of a layout's slides, found once per deck.

    A slide's placeholder has no position of its own, so python-pptx looks it up through the layout
    on every read; the layout's own placeholder gives the same box once.
    """
    return body_area(body_placeholder(layout))


def body_placeholder(out: Any) -> Any:
    """The slide's (or layout's) body or object placeholder, if there is one."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    for ph in out.placeholders:
        if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
            return ph
    return None


# --------------------------------------------------------------------------- placing content


def group_blocks(blocks: Sequence[Block]) -> list[list[Block]]:
    """Consecutive text blocks share one text frame; tables, figures and callouts stand alone."""
    groups: list[list[Block]] = []
    for block in blocks:
        alone = isinstance(block, (Table, Figure, Callout))
        if alone or not groups or isinstance(groups[-1][0], (Table, Figure, Callout)):
            groups.append([block])
        else:
            groups[-1].append(block)
    return groups


def place_blocks(out: Any, body: Any, area: Area, slide: Slide, style: Style) -> None:
    """Lay the slide's blocks out in the body area (text beside a figure when split)."""
    fit = slide.fit
    if slide.split:
        text = [b for b in slide.blocks if not isinstance(b, Figure)]
        figure = next(b for b in slide.blocks if isinstance(b, Figure))
        text_w = int(area.width * SPLIT_TEXT - px_to_emu(GAP) / 2)
        fig_w = area.width - text_w - px_to_emu(GAP)
        fig_left = area.left + text_w + px_to_emu(GAP)
        text_left = area.left
        if style.rtl:  # the figure goes to the left of right-to-left text
            text_left, fig_left = area.left + fig_w + px_to_emu(GAP), area.left
        stack_blocks(
            out, body, Area(text_left, area.top, text_w, area.height), text, fit, style, CONTENT_WIDTH * SPLIT_TEXT
        )
        add_picture(out, figure, Area(fig_left, area.top, fig_w, area.height), style)
        return
    stack_blocks(out, body, area, list(slide.blocks), fit, style, CONTENT_WIDTH)


def stack_blocks(
    out: Any, body: Any, area: Area, blocks: Sequence[Block], fit: float, style: Style, width_px: float
) -> None:
    """Blocks top to bottom; figures share the height the rest leaves."""
    groups = group_blocks(blocks)
    heights = [
        sum(block_height(b, fit, width_px, style.images.size) for b in g) if not isinstance(g[0], Figure) else 0.0
        for g in groups
    ]
    figures = sum(1 for g in groups if isinstance(g[0], Figure))
    spare = max(0.0, BODY_HEIGHT - sum(heights))
    y = area.top
    used_body = False
    for group, h in zip(groups, heights, strict=True):
        if isinstance(group[0], Figure):
            h = spare / figures
        height = int(px_to_emu(h) * area.ky)
        box = Area(area.left, y, area.width, height)
        first = group[0]
        if isinstance(first, Figure):
            add_picture(out, first, box, style)
        elif isinstance(first, Table):
            add_table(out, first, box, fit, style)
        elif isinstance(first, Callout):
            add_callout(out, first, box, fit, style)
        else:
            if body is not None and not used_body:
                frame_shape = body
                body.left, body.top, body.width, body.height = box.left, box.top, box.width, box.height
                used_body = True
            else:
                frame_shape = out.shapes.add_textbox(box.left, box.top, box.width, box.height)
            text_blocks(frame_shape.text_frame, group, fit, style)
        y += height
    if body is not None and not used_body:
        remove_shape(body)
