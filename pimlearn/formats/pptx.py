"""``-f pptx``: an editable PowerPoint deck per module (``slides/<module-id>.pptx``).

The same deck as the HTML one (``render/deck.py``), as real PowerPoint objects:
titles in title placeholders, bullets as paragraphs with levels, tables as
tables, pictures placed and scaled, notes in the notes pane, and each question
followed by a slide with its answer. Decks start from a template ``.pptx``
(``templates/slides/default.pptx`` on the template search path), so an
organisation brands every deck by editing one file in PowerPoint.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..diagnostics import Diagnostic
from ..i18n.locales import html_lang, is_rtl
from ..model import (
    Block,
    Callout,
    Code,
    CodeBlock,
    Emph,
    Figure,
    HardBreak,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Question,
    Quote,
    RawBlock,
    RawInline,
    SoftBreak,
    Str,
    Strong,
    Table,
    Text,
    plain_text,
)
from ..package.artifact import Artifact
from ..package.zips import STORED_SUFFIXES
from ..render.assets import image_path
from ..render.deck import Deck, ModuleImages, Slide, answer_key, item_order, letter, right_order, tf_choices
from ..render.fit import (
    BODY_HEIGHT,
    BODY_SIZE,
    CONTENT_WIDTH,
    GAP,
    KICKER_HEIGHT,
    KICKER_SIZE,
    KICKER_TOP,
    PAD_X,
    QUESTION_TITLE_SIZE,
    SPLIT_TEXT,
    TABLE_PAD_Y,
    TABLE_SIZE,
    TITLE_SIZE,
    answer_explanation,
    block_height,
    cell_pad,
    image_size,
    px_to_emu,
    px_to_pt,
    table_columns,
    table_row_heights,
)
from ..render.html import CALLOUT_LABELS
from ..render.jinja import Templates, template_dirs, templates
from ..render.uifallback import UI_SOURCE, is_fallback, plain
from . import RenderContext, Rendered
from .slides import decks

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MONO = "Consolas"
CALLOUT_COLOURS = {"tip": ("E6F4EA", "1D6B3A"), "warning": ("FFF4E0", "8A5300"), "example": ("F1ECF8", "5B3F8C")}
"""Fill and accent of callouts; ``definition`` (and anything else) uses the theme's accent 1."""


def template_path(project_root: Path, ctx: RenderContext) -> Path:
    """The deck template: the course's, else the project's, else the built-in one."""
    for folder in template_dirs(project_root, ctx.course):
        candidate = folder / "slides" / "default.pptx"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("templates/slides/default.pptx")  # pragma: no cover - the built-in one ships


def render(ctx: RenderContext) -> Rendered:
    """Render one PPTX per module of the course."""
    tpl = templates(ctx.project_root, ctx.course)
    base = f"{ctx.base}/slides"
    source = template_path(ctx.project_root, ctx).read_bytes()
    artifacts: list[Artifact] = []
    diagnostics: list[Diagnostic] = []
    for deck, images in decks(ctx, tpl):
        diagnostics.extend(deck.diagnostics)
        data = build_pptx(ctx, tpl, deck, images, source)
        artifacts.append(Artifact(f"{base}/{deck.module.id}.pptx", data))
    # The folder is shared with -f slides: each format prunes only its own files.
    return Rendered(tuple(artifacts), tuple(diagnostics), owned=(f"{base}/*.pptx",))


# --------------------------------------------------------------------------- one deck


@dataclass
class _Style:
    """What every run and paragraph of this deck shares."""

    lang: str
    rtl: bool
    cs_font: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    images: ModuleImages


def build_pptx(ctx: RenderContext, tpl: Templates, deck: Deck, images: ModuleImages, template: bytes) -> bytes:
    """The deck as PPTX bytes (identical bytes for identical input)."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(template))
    style = _Style(
        html_lang(ctx.locale), is_rtl(ctx.locale), _theme_cs_font(prs), tpl.gettext, tpl.translations.ngettext, images
    )
    title_layout, content_layout = _layouts(prs)
    for number, slide in enumerate(deck.shown(answers=True), start=1):
        layout = title_layout if slide.kind == "title" else content_layout
        out = prs.slides.add_slide(layout)
        if slide.kind == "title":
            _title_slide(out, slide, deck, ctx, style)
        else:
            _content_slide(out, slide, style)
        _slide_number(out, layout, number)
        _notes(out, slide, style)
    _properties(prs, ctx, deck)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _deterministic(buffer.getvalue(), ctx.source_date_epoch)


def _theme_cs_font(prs: Any) -> str:
    """The theme's complex-script body font (what Arabic runs are set in)."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    cs = theme.find(f".//{{{A}}}minorFont/{{{A}}}cs")
    return (cs.get("typeface") if cs is not None else "") or "Arial"


def _layouts(prs: Any) -> tuple[Any, Any]:
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


def _title_slide(out: Any, slide: Slide, deck: Deck, ctx: RenderContext, style: _Style) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    title = out.shapes.title
    _fill(title.text_frame, [slide.title], style)
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
        _fill(subtitle.text_frame, lines, style)
    # The course's name above the module's title.
    top = max(0, title.top - px_to_emu(56))
    kicker = out.shapes.add_textbox(title.left, top, title.width, px_to_emu(48))
    kicker.name = "Course"
    _fill(kicker.text_frame, [ctx.course.title], style, size=px_to_pt(26), colour="bg2")


def _content_slide(out: Any, slide: Slide, style: _Style) -> None:
    title = out.shapes.title
    base = QUESTION_TITLE_SIZE if slide.kind in ("question", "answer") else TITLE_SIZE
    if title is not None:
        _fill(title.text_frame, [slide.title], style, size=px_to_pt(base * slide.title_fit), bold=True)
    if slide.kicker is not None:
        x, y, w, h = (px_to_emu(v) for v in (PAD_X, KICKER_TOP, CONTENT_WIDTH, KICKER_HEIGHT))
        box = out.shapes.add_textbox(x, y, w, h)
        box.name = "Kicker"
        _fill(box.text_frame, [slide.kicker], style, size=px_to_pt(KICKER_SIZE), colour="accent1", bold=True)
    body = _body_placeholder(out)
    area = _area(body)
    if slide.question is not None:
        _question(out, body, area, slide, style)
    else:
        _place_blocks(out, body, area, slide, style)


def _body_placeholder(out: Any) -> Any:
    from pptx.enum.shapes import PP_PLACEHOLDER

    for ph in out.placeholders:
        if ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
            return ph
    return None


@dataclass(frozen=True)
class _Area:
    """The body box in EMU, and how many EMU one design pixel of height is worth there."""

    left: int
    top: int
    width: int
    height: int

    @property
    def ky(self) -> float:
        return self.height / px_to_emu(BODY_HEIGHT)

    @property
    def kx(self) -> float:
        return self.width / px_to_emu(CONTENT_WIDTH)


def _area(body: Any) -> _Area:
    if body is None:
        from ..render.fit import BODY_TOP

        return _Area(px_to_emu(PAD_X), px_to_emu(BODY_TOP), px_to_emu(CONTENT_WIDTH), px_to_emu(BODY_HEIGHT))
    return _Area(int(body.left), int(body.top), int(body.width), int(body.height))


def _remove(shape: Any) -> None:
    element = shape._element
    element.getparent().remove(element)


# --------------------------------------------------------------------------- placing content


def _groups(blocks: Sequence[Block]) -> list[list[Block]]:
    """Consecutive text blocks share one text frame; tables, figures and callouts stand alone."""
    groups: list[list[Block]] = []
    for block in blocks:
        alone = isinstance(block, (Table, Figure, Callout))
        if alone or not groups or isinstance(groups[-1][0], (Table, Figure, Callout)):
            groups.append([block])
        else:
            groups[-1].append(block)
    return groups


def _place_blocks(out: Any, body: Any, area: _Area, slide: Slide, style: _Style) -> None:
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
        _stack(out, body, _Area(text_left, area.top, text_w, area.height), text, fit, style, CONTENT_WIDTH * SPLIT_TEXT)
        _picture(out, figure, _Area(fig_left, area.top, fig_w, area.height), style)
        return
    _stack(out, body, area, list(slide.blocks), fit, style, CONTENT_WIDTH)


def _stack(
    out: Any, body: Any, area: _Area, blocks: Sequence[Block], fit: float, style: _Style, width_px: float
) -> None:
    """Blocks top to bottom; figures share the height the rest leaves."""
    groups = _groups(blocks)
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
        box = _Area(area.left, y, area.width, height)
        first = group[0]
        if isinstance(first, Figure):
            _picture(out, first, box, style)
        elif isinstance(first, Table):
            _table(out, first, box, fit, style)
        elif isinstance(first, Callout):
            _callout(out, first, box, fit, style)
        else:
            if body is not None and not used_body:
                frame_shape = body
                body.left, body.top, body.width, body.height = box.left, box.top, box.width, box.height
                used_body = True
            else:
                frame_shape = out.shapes.add_textbox(box.left, box.top, box.width, box.height)
            _text_blocks(frame_shape.text_frame, group, fit, style)
        y += height
    if body is not None and not used_body:
        _remove(body)


def _text_blocks(frame: Any, blocks: Sequence[Block], fit: float, style: _Style) -> None:
    _reset(frame)
    first = True
    for block in blocks:
        first = _block(frame, block, fit, style, level=0, first=first)


def _reset(frame: Any, wrap: bool = True) -> None:
    frame.word_wrap = wrap
    body = frame._txBody
    for p in body.findall(f"{{{A}}}p")[1:]:
        body.remove(p)
    p0 = body.find(f"{{{A}}}p")
    for child in list(p0):
        p0.remove(child)
    body_pr = body.find(f"{{{A}}}bodyPr")
    for child in list(body_pr):
        body_pr.remove(child)
    body_pr.set("lIns", "0")
    body_pr.set("rIns", "0")
    body_pr.set("tIns", "0")
    body_pr.set("bIns", "0")
    # Let PowerPoint shrink text further if a trainer adds more.
    etree.SubElement(body_pr, f"{{{A}}}normAutofit")


def _paragraph(frame: Any, first: bool) -> Any:
    return frame.paragraphs[0] if first else frame.add_paragraph()


def _block(frame: Any, block: Block, fit: float, style: _Style, level: int, first: bool) -> bool:
    """Add one block's paragraphs; returns whether the frame's first paragraph is still unused."""
    size = px_to_pt(BODY_SIZE * fit)
    if isinstance(block, (Paragraph, Heading)):
        p = _paragraph(frame, first)
        heading = isinstance(block, Heading)
        _para(p, style, bullet=None, level=level, size=size * (1.1 if heading else 1.0))
        _runs(p, block.text, style, size=size * (1.1 if heading else 1.0), bold=heading or None)
        return False
    if isinstance(block, ListBlock):
        for n, item in enumerate(block.items):
            lead = True
            for child in item.blocks:
                if isinstance(child, ListBlock):
                    first = _block(frame, child, fit * 0.9, style, level + 1, first)
                    continue
                if isinstance(child, (Paragraph, Heading)) and lead:
                    p = _paragraph(frame, first)
                    first = False
                    bullet = ("num", block.start + n) if block.ordered else ("char", 0)
                    _para(p, style, bullet=bullet, level=level + 1, size=size)
                    _runs(p, child.text, style, size=size)
                    lead = False
                else:
                    first = _block(frame, child, fit, style, level + 1, first)
        return first
    if isinstance(block, Quote):
        for child in block.blocks:
            if isinstance(child, Paragraph):
                p = _paragraph(frame, first)
                first = False
                _para(p, style, bullet=None, level=level + 1, size=size)
                _runs(p, child.text, style, size=size, italic=True)
            else:
                first = _block(frame, child, fit, style, level + 1, first)
        return first
    if isinstance(block, CodeBlock):
        for line in block.code.rstrip("\n").split("\n"):
            p = _paragraph(frame, first)
            first = False
            _para(p, style, bullet=None, level=level, size=size * 0.8, space=0)
            _run(p, line, style, size=size * 0.8, font=MONO, lang="en")
        return first
    if isinstance(block, RawBlock):
        p = _paragraph(frame, first)
        _para(p, style, bullet=None, level=level, size=size)
        _run(p, _strip_tags(block.html), style, size=size)
        return False
    if isinstance(block, (Table, Figure, Callout)):
        # Inside a list or quote (rare): keep the words, as text.
        text = plain_text(block.alt) if isinstance(block, Figure) else " ".join(_words(block))
        p = _paragraph(frame, first)
        _para(p, style, bullet=None, level=level, size=size)
        _run(p, text, style, size=size)
        return False
    return first


def _words(block: Block) -> list[str]:
    from ..model import iter_texts

    return [plain_text(t) for t in iter_texts(block)]


def _strip_tags(html: str) -> str:
    try:
        return str(etree.fromstring(f"<x>{html}</x>").xpath("string()"))
    except etree.XMLSyntaxError:
        return html


def _para(p: Any, style: _Style, bullet: tuple[str, int] | None, level: int, size: float, space: float = 0.35) -> None:
    """Paragraph properties: indent per level, bullet or none, direction, spacing (all explicit)."""
    ppr = p._p.get_or_add_pPr()
    for child in list(ppr):
        ppr.remove(child)
    step = px_to_emu(BODY_SIZE * 1.1)
    if bullet is None:
        ppr.set("marL", str(step * max(0, level - 1) if level else 0))
        ppr.set("indent", "0")
    elif bullet[0] == "char":
        ppr.set("marL", str(step * level))
        ppr.set("indent", str(-int(step * 0.9)))
    else:  # "A." and "12." need a wider hanging indent than a bullet
        ppr.set("marL", str(int(step * 1.5 * level)))
        ppr.set("indent", str(-int(step * 1.5)))
    ppr.set("lvl", str(min(level, 8)))
    if style.rtl:
        ppr.set("rtl", "1")
        ppr.set("algn", "r")
    else:
        ppr.set("algn", "l")
    spc = etree.SubElement(ppr, f"{{{A}}}spcAft")
    etree.SubElement(spc, f"{{{A}}}spcPts", val=str(int(size * space * 100)))
    before = etree.Element(f"{{{A}}}spcBef")
    etree.SubElement(before, f"{{{A}}}spcPts", val="0")
    spc.addprevious(before)
    if bullet is None:
        etree.SubElement(ppr, f"{{{A}}}buNone")
        return
    clr = etree.SubElement(ppr, f"{{{A}}}buClr")
    etree.SubElement(clr, f"{{{A}}}schemeClr", val="accent1")
    kind, start = bullet
    if kind == "char":
        etree.SubElement(ppr, f"{{{A}}}buFont", typeface="Arial")
        etree.SubElement(ppr, f"{{{A}}}buChar", char="•")
    elif kind == "alpha":
        etree.SubElement(ppr, f"{{{A}}}buFont", typeface="+mj-lt")
        etree.SubElement(ppr, f"{{{A}}}buAutoNum", type="alphaUcPeriod", startAt=str(max(1, start)))
    else:
        etree.SubElement(ppr, f"{{{A}}}buFont", typeface="+mj-lt")
        etree.SubElement(ppr, f"{{{A}}}buAutoNum", type="arabicPeriod", startAt=str(max(1, start)))


def _runs(
    p: Any,
    text: Text,
    style: _Style,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: str | None = None,
) -> None:
    lang = text.lang or None
    _inlines(p, text.inlines, style, size, bold, italic, colour, lang, None)


def _inlines(
    p: Any,
    inlines: Sequence[Inline],
    style: _Style,
    size: float | None,
    bold: bool | None,
    italic: bool | None,
    colour: str | None,
    lang: str | None,
    href: str | None,
) -> None:
    for node in inlines:
        if isinstance(node, Str):
            _run(p, node.text, style, size, bold, italic, colour, lang=lang, href=href)
        elif isinstance(node, Code):
            _run(p, node.text, style, size, bold, italic, colour, font=MONO, lang=lang, href=href)
        elif isinstance(node, Emph):
            _inlines(p, node.children, style, size, bold, True, colour, lang, href)
        elif isinstance(node, Strong):
            _inlines(p, node.children, style, size, True, italic, colour, lang, href)
        elif isinstance(node, Link):
            _inlines(p, node.children, style, size, bold, italic, colour, lang, node.href)
        elif isinstance(node, Image):
            _run(p, node.alt, style, size, bold, italic, colour, lang=lang, href=href)
        elif isinstance(node, SoftBreak):
            _run(p, " ", style, size, bold, italic, colour, lang=lang)
        elif isinstance(node, HardBreak):
            p.add_line_break()
        elif isinstance(node, RawInline):
            _run(p, _strip_tags(node.html), style, size, bold, italic, colour, lang=lang)


def _run(
    p: Any,
    text: str,
    style: _Style,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: str | None = None,
    font: str | None = None,
    lang: str | None = None,
    href: str | None = None,
) -> Any:
    from pptx.util import Pt

    if is_fallback(text):  # a UI string pimlearn has no translation for: tagged English
        text, lang = plain(text), lang or UI_SOURCE
    run = p.add_run()
    run.text = text
    if size:
        run.font.size = Pt(round(size * 2) / 2)
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    if font:
        run.font.name = font
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", html_lang(lang) if lang else style.lang)
    if colour:
        fill = etree.Element(f"{{{A}}}solidFill")
        if colour.startswith("#"):
            etree.SubElement(fill, f"{{{A}}}srgbClr", val=colour[1:])
        else:
            etree.SubElement(fill, f"{{{A}}}schemeClr", val=colour)
        # solidFill comes first among rPr's children (before latin, cs...).
        rpr.insert(0, fill)
    if style.rtl:
        # python-pptx has no API for complex-script fonts: a:cs after a:latin/a:ea, before a:sym.
        cs = etree.SubElement(rpr, f"{{{A}}}cs", typeface=style.cs_font)
        sym = rpr.find(f"{{{A}}}sym")
        if sym is not None:
            sym.addprevious(cs)
    if href and href.startswith(("http://", "https://", "mailto:")):
        run.hyperlink.address = href
    return run


def _fill(
    frame: Any,
    lines: Sequence[Text | None],
    style: _Style,
    size: float | None = None,
    colour: str | None = None,
    bold: bool | None = None,
) -> None:
    """Replace a frame's text with one paragraph per line (placeholders keep their own formatting)."""
    body = frame._txBody
    for p in body.findall(f"{{{A}}}p")[1:]:
        body.remove(p)
    p0 = body.find(f"{{{A}}}p")
    for child in list(p0):
        p0.remove(child)
    first = True
    for line in lines:
        if line is None:
            continue
        p = _paragraph(frame, first)
        first = False
        if style.rtl:
            ppr = p._p.get_or_add_pPr()
            ppr.set("rtl", "1")
            ppr.set("algn", "r")
        _runs(p, line, style, size=size, bold=bold, colour=colour)
    if size:
        body_pr = body.find(f"{{{A}}}bodyPr")
        if body_pr.find(f"{{{A}}}normAutofit") is None:
            etree.SubElement(body_pr, f"{{{A}}}normAutofit")


# --------------------------------------------------------------------------- tables, pictures, callouts


def _table(out: Any, block: Table, box: _Area, fit: float, style: _Style) -> None:
    columns = table_columns(block, CONTENT_WIDTH)
    rows_px = table_row_heights(block, fit, CONTENT_WIDTH)
    total_px = sum(rows_px)
    height = min(box.height, int(px_to_emu(total_px) * box.ky))
    shape = out.shapes.add_table(len(rows_px), len(columns), box.left, box.top, box.width, height)
    table = shape.table
    scale = box.width / px_to_emu(sum(columns))
    for i, w in enumerate(columns):
        table.columns[i].width = int(px_to_emu(w) * scale)
    for r, h in enumerate(rows_px):
        table.rows[r].height = int(px_to_emu(h) * box.ky)
    if style.rtl:
        shape._element.graphic.graphicData.tbl.tblPr.set("rtl", "1")
    size = px_to_pt(TABLE_SIZE * fit)
    for r, row in enumerate((block.header, *block.rows)):
        for c in range(len(columns)):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = px_to_emu(cell_pad(columns[c]))
            cell.margin_top = cell.margin_bottom = px_to_emu(TABLE_PAD_Y)
            frame = cell.text_frame
            p = frame.paragraphs[0]
            _para(p, style, bullet=None, level=0, size=size, space=0)
            align = block.aligns[c] if c < len(block.aligns) else ""
            if align in ("center", "right"):
                p._p.get_or_add_pPr().set("algn", {"center": "ctr", "right": "r"}[align])
            if c < len(row):
                _runs(p, row[c], style, size=size, bold=True if r == 0 else None)


def _picture(out: Any, block: Figure, box: _Area, style: _Style) -> None:
    path = image_path(block.src)
    data = style.images.data.get(path)
    if data is None:
        return
    w, h = style.images.size(block.src)
    caption_h = px_to_emu(BODY_SIZE * 0.65 * 1.3) if block.title else 0
    avail_h = max(1, box.height - caption_h)
    k = min(box.width / w, avail_h / h) if w and h else 1.0
    pw, ph = int(w * k), int(h * k)
    left = box.left + (box.width - pw) // 2
    blob = _raster(data, path, pw)
    pic = out.shapes.add_picture(io.BytesIO(blob), left, box.top, pw, ph)
    pic.name = plain_text(block.alt)[:60] or "Picture"
    # Alt text for screen readers, as PowerPoint's "Alt Text" pane writes it.
    pic._element.nvPicPr.cNvPr.set("descr", plain_text(block.alt))
    if block.title:
        cap = out.shapes.add_textbox(box.left, box.top + ph, box.width, caption_h)
        cap.name = "Caption"
        _reset(cap.text_frame)
        p = cap.text_frame.paragraphs[0]
        _para(p, style, bullet=None, level=0, size=px_to_pt(BODY_SIZE * 0.6), space=0)
        p._p.get_or_add_pPr().set("algn", "ctr")
        _run(p, block.title, style, size=px_to_pt(BODY_SIZE * 0.6), colour="tx1")


def _raster(data: bytes, path: str, width_emu: int) -> bytes:
    """Image bytes PowerPoint shows: SVG rendered to PNG (at twice the placed size), others as they are."""
    lower = path.lower()
    if lower.endswith(".svg"):
        import cairosvg  # type: ignore[import-untyped]

        width_px = max(200, min(2400, int(width_emu / 9525 * 2)))
        # The loader refuses absurd shapes; this cap keeps even a tall image's bitmap small.
        width, height = image_size(data, path)
        if width > 0 and height > 0:
            width_px = max(1, min(width_px, int((16_000_000 * width / height) ** 0.5)))
        png: bytes = cairosvg.svg2png(bytestring=data, output_width=width_px)
        return png
    if lower.endswith((".png", ".jpg", ".jpeg", ".gif")):
        return data
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    with PILImage.open(io.BytesIO(data)) as img:
        img.save(buffer, format="PNG")
    return buffer.getvalue()


def _callout(out: Any, block: Callout, box: _Area, fit: float, style: _Style) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE

    fill, accent = CALLOUT_COLOURS.get(block.kind, ("E7F0FA", ""))
    height = box.height - int(px_to_emu(BODY_SIZE * fit * 0.45) * box.ky)
    shape = out.shapes.add_shape(MSO_SHAPE.RECTANGLE, box.left, box.top, box.width, max(height, 1))
    shape.name = f"Callout ({block.kind})"
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor(int(fill[0:2], 16), int(fill[2:4], 16), int(fill[4:6], 16))  # type: ignore[no-untyped-call]
    shape.line.fill.background()
    # No theme effects (shadow, outline) from the shape style: a flat box, as in the HTML deck.
    shape_style = shape._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}style")
    if shape_style is not None:
        shape._element.remove(shape_style)
    frame = shape.text_frame
    _reset(frame)
    body_pr = frame._txBody.find(f"{{{A}}}bodyPr")
    pad = str(px_to_emu(20 * fit))
    body_pr.set("lIns", pad)
    body_pr.set("rIns", pad)
    body_pr.set("tIns", str(px_to_emu(14 * fit)))
    body_pr.set("bIns", str(px_to_emu(14 * fit)))
    body_pr.set("anchor", "t")
    colour = f"#{accent}" if accent else "accent1"
    p = frame.paragraphs[0]
    size = px_to_pt(BODY_SIZE * fit * 0.9)
    _para(p, style, bullet=None, level=0, size=size * 0.9, space=0.2)
    if block.title:
        _runs(p, block.title, style, size=size * 0.9, bold=True, colour=colour)
    else:
        _run(p, style.gettext(CALLOUT_LABELS[block.kind]), style, size=size * 0.9, bold=True, colour=colour)
    first = False
    for child in block.blocks:
        first = _block(frame, child, fit * 0.9, style, 0, first)
    for para in frame.paragraphs[1:]:
        for run in para.runs:
            if run.font.color.type is None:
                run.font.color.theme_color = 13  # MSO_THEME_COLOR.TEXT_1


# --------------------------------------------------------------------------- questions


def _question(out: Any, body: Any, area: _Area, slide: Slide, style: _Style) -> None:
    q = slide.question
    assert q is not None
    answer = slide.kind == "answer"
    size = px_to_pt(BODY_SIZE * slide.fit)
    if q.type == "matching":
        _remove_or(body)
        _matching_table(out, q, area, slide.fit, style, answer)
        if answer:
            _explanation_box(out, q, area, slide.fit, style)
        return
    if body is None:
        body = out.shapes.add_textbox(area.left, area.top, area.width, area.height)
    frame = body.text_frame
    _reset(frame)
    first = True
    if q.type in ("single", "multiple", "true-false"):
        choices = tf_choices(q, style.gettext) if q.type == "true-false" else [(c.text, c.correct) for c in q.choices]
        if q.type == "multiple" and not answer:
            p = _paragraph(frame, first)
            first = False
            _para(p, style, bullet=None, level=0, size=size * 0.8)
            _run(p, style.gettext("Select all that apply."), style, size=size * 0.8, colour="tx2")
        for i, (text, right) in enumerate(choices):
            p = _paragraph(frame, first)
            first = False
            _para(p, style, bullet=("alpha", i + 1), level=1, size=size)
            if answer and right:
                _runs(p, text, style, size=size, bold=True, colour="accent2")
                _run(p, " ✓", style, size=size, bold=True, colour="accent2")
            elif answer:
                _runs(p, text, style, size=size, colour="#4A5466")
            else:
                _runs(p, text, style, size=size)
    elif q.type == "fill-in":
        p = _paragraph(frame, first)
        first = False
        _para(p, style, bullet=None, level=0, size=size)
        if answer:
            for n, accepted in enumerate(q.answers):
                if n:
                    _run(p, " · ", style, size=size)
                _runs(p, accepted, style, size=size, bold=True, colour="accent2")
        else:
            _run(p, "________________", style, size=size)
    else:  # ordering
        if not answer:
            p = _paragraph(frame, first)
            first = False
            _para(p, style, bullet=None, level=0, size=size * 0.8)
            _run(p, style.gettext("Put these in the right order."), style, size=size * 0.8, colour="tx2")
        order = range(len(q.items)) if answer else item_order(q)
        for n, i in enumerate(order):
            p = _paragraph(frame, first)
            first = False
            _para(p, style, bullet=("num" if answer else "alpha", n + 1), level=1, size=size)
            _runs(p, q.items[i], style, size=size)
    explanation = answer_explanation(q) if answer else None
    if explanation:
        p = _paragraph(frame, first)
        _para(p, style, bullet=None, level=0, size=size * 0.85)
        p._p.get_or_add_pPr().find(f"{{{A}}}spcBef").find(f"{{{A}}}spcPts").set("val", str(int(size * 100)))
        _runs(p, explanation, style, size=size * 0.85)


def _remove_or(body: Any) -> None:
    if body is not None:
        _remove(body)


def _matching_table(out: Any, q: Question, area: _Area, fit: float, style: _Style, answer: bool) -> None:
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
        _para(left, style, bullet=None, level=0, size=size, space=0)
        _run(left, f"{r + 1}. ", style, size=size, bold=True, colour="accent1")
        _runs(left, q.pairs[r].left, style, size=size)
        right = table.cell(r, 1).text_frame.paragraphs[0]
        _para(right, style, bullet=None, level=0, size=size, space=0)
        if answer:
            _run(right, f"{letter(order.index(r))}. ", style, size=size, bold=True, colour="accent2")
            _runs(right, q.pairs[r].right, style, size=size, bold=True, colour="accent2")
        else:
            _run(right, f"{letter(r)}. ", style, size=size, bold=True, colour="accent1")
            _runs(right, q.pairs[order[r]].right, style, size=size)


def _explanation_box(out: Any, q: Question, area: _Area, fit: float, style: _Style) -> None:
    explanation = answer_explanation(q)
    if not explanation:
        return
    rows = len(q.pairs)
    row_h = int(min(area.height * 0.8 / max(rows, 1), px_to_emu(BODY_SIZE * fit * 2.8) * area.ky))
    top = area.top + row_h * rows + px_to_emu(GAP)
    box = out.shapes.add_textbox(area.left, top, area.width, max(1, area.top + area.height - top))
    box.name = "Explanation"
    _reset(box.text_frame)
    p = box.text_frame.paragraphs[0]
    size = px_to_pt(BODY_SIZE * fit * 0.85)
    _para(p, style, bullet=None, level=0, size=size)
    _runs(p, explanation, style, size=size)


# --------------------------------------------------------------------------- notes, numbers, properties


def _notes(out: Any, slide: Slide, style: _Style) -> None:
    lines: list[tuple[int, str, list[tuple[str, Text | None]] | Text]] = []
    q = slide.question
    if q is not None and slide.kind == "question":
        lines.append((0, style.gettext("Answer:"), answer_key(q, style.gettext)))
    _note_blocks(slide.notes, lines, 0)
    if not lines:
        return
    frame = out.notes_slide.notes_text_frame
    frame.text = ""
    first = True
    for level, lead, content in lines:
        p = _paragraph(frame, first)
        first = False
        if style.rtl:
            ppr = p._p.get_or_add_pPr()
            ppr.set("rtl", "1")
            ppr.set("algn", "r")
        if level:
            p.level = min(level, 8)
        if lead:
            _run(p, lead + " ", style, bold=lead == style.gettext("Answer:") or None)
        if isinstance(content, Text):
            _runs(p, content, style)
        else:
            for n, (marker, text) in enumerate(content):
                if n:
                    _run(p, "; ", style)
                _run(p, marker + (" " if marker and text is not None else ""), style)
                if text is not None:
                    _runs(p, text, style)


def _note_blocks(
    blocks: Sequence[Block], lines: list[tuple[int, str, list[tuple[str, Text | None]] | Text]], level: int
) -> None:
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
                        _note_blocks((child,), lines, level + 1)
        elif isinstance(block, (Quote, Callout)):
            if isinstance(block, Callout) and block.title:
                lines.append((level, "", block.title))
            _note_blocks(block.blocks, lines, level)
        elif isinstance(block, CodeBlock):
            lines.append((level, "", Text(block.code, (Str(block.code),))))
        elif isinstance(block, Figure):
            lines.append((level, "", block.alt))
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                joined = " | ".join(plain_text(c) for c in row)
                lines.append((level, "", Text(joined, (Str(joined),))))


def _slide_number(out: Any, layout: Any, number: int) -> None:
    """Copy the layout's slide-number placeholder onto the slide (python-pptx leaves footers out)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    for ph in layout.placeholders:
        if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            sp = deepcopy(ph._element)
            for t in sp.iter(f"{{{A}}}t"):
                t.text = str(number)
            fields = list(sp.iter(f"{{{A}}}fld"))
            if not fields:
                return
            out.shapes._spTree.append(sp)
            return


def _properties(prs: Any, ctx: RenderContext, deck: Deck) -> None:
    props = prs.core_properties
    props.title = plain_text(deck.module.title)[:255]
    props.subject = plain_text(ctx.course.title)[:255]
    props.author = ctx.course.publisher or "pimlearn"
    props.last_modified_by = "pimlearn"
    props.language = html_lang(ctx.locale)
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    when = _timestamp(ctx.source_date_epoch)
    props.created = when
    props.modified = when
    props.last_printed = when


def _timestamp(epoch: int | None) -> dt.datetime:
    # Without SOURCE_DATE_EPOCH a fixed date keeps builds reproducible all the same.
    return dt.datetime.fromtimestamp(epoch if epoch is not None else 315532800, tz=dt.UTC).replace(tzinfo=None)


def _deterministic(data: bytes, epoch: int | None) -> bytes:
    """Re-pack the zip with fixed timestamps: the same input gives the same bytes."""
    stamp = _timestamp(epoch)
    date_time = (max(1980, stamp.year), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            stored = info.filename.lower().endswith(STORED_SUFFIXES)  # images: deflating again gains nothing
            fixed.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
