"""Text frames for PPTX decks: paragraphs, bullets, runs with language, direction and complex-script font."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ...i18n.locales import html_lang
from ...model import (
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
from ...render.deck import ModuleImages
from ...render.fit import (
    BODY_SIZE,
    LINE,
    px_to_emu,
    px_to_pt,
)
from ...render.uifallback import UI_SOURCE, is_fallback, plain

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MONO = "Consolas"

# --------------------------------------------------------------------------- one deck


@dataclass
class Style:
    """What every run and paragraph of this deck shares."""

    lang: str
    rtl: bool
    cs_font: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    images: ModuleImages


def text_blocks(frame: Any, blocks: Sequence[Block], fit: float, style: Style) -> None:
    """Replace a frame's text with the blocks' paragraphs."""
    reset_frame(frame)
    first = True
    for block in blocks:
        first = add_block(frame, block, fit, style, level=0, first=first)


def reset_frame(frame: Any, wrap: bool = True) -> None:
    """Empty a text frame and give it zero insets and shrink-on-overflow."""
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
    shrink_on_overflow(body_pr)


def shrink_on_overflow(body_pr: Any) -> None:
    """Let PowerPoint shrink the text if a trainer adds more: one ``normAutofit``, the only autofit child.

    The schema allows one of noAutofit, normAutofit and spAutoFit (python-pptx's text boxes carry
    spAutoFit): with two, PowerPoint offers to repair the file.
    """
    for child in list(body_pr):
        if etree.QName(child).localname in ("noAutofit", "normAutofit", "spAutoFit"):
            body_pr.remove(child)
    auto = etree.Element(f"{{{A}}}normAutofit")
    warp = body_pr.find(f"{{{A}}}prstTxWarp")  # the one child that comes before it
    if warp is not None:
        warp.addnext(auto)
    else:
        body_pr.insert(0, auto)


def paragraph(frame: Any, first: bool) -> Any:
    """The frame's first paragraph while unused, else a new one."""
    return frame.paragraphs[0] if first else frame.add_paragraph()


def add_block(frame: Any, block: Block, fit: float, style: Style, level: int, first: bool) -> bool:
    """Add one block's paragraphs; returns whether the frame's first paragraph is still unused."""
    size = px_to_pt(BODY_SIZE * fit)
    if isinstance(block, (Paragraph, Heading)):
        p = paragraph(frame, first)
        heading = isinstance(block, Heading)
        para_props(p, style, bullet=None, level=level, size=size * (1.1 if heading else 1.0))
        add_runs(p, block.text, style, size=size * (1.1 if heading else 1.0), bold=heading or None)
        return False
    if isinstance(block, ListBlock):
        for n, item in enumerate(block.items):
            lead = True
            for child in item.blocks:
                if isinstance(child, ListBlock):
                    first = add_block(frame, child, fit * 0.9, style, level + 1, first)
                    continue
                if isinstance(child, (Paragraph, Heading)) and lead:
                    p = paragraph(frame, first)
                    first = False
                    bullet = ("num", block.start + n) if block.ordered else ("char", 0)
                    para_props(p, style, bullet=bullet, level=level + 1, size=size)
                    add_runs(p, child.text, style, size=size)
                    lead = False
                else:
                    first = add_block(frame, child, fit, style, level + 1, first)
        return first
    if isinstance(block, Quote):
        for child in block.blocks:
            if isinstance(child, Paragraph):
                p = paragraph(frame, first)
                first = False
                para_props(p, style, bullet=None, level=level + 1, size=size)
                add_runs(p, child.text, style, size=size, italic=True)
            else:
                first = add_block(frame, child, fit, style, level + 1, first)
        return first
    if isinstance(block, CodeBlock):
        for line in block.code.rstrip("\n").split("\n"):
            p = paragraph(frame, first)
            first = False
            para_props(p, style, bullet=None, level=level, size=size * 0.8, space=0)
            add_run(p, line, style, size=size * 0.8, font=MONO, lang="en")
        return first
    if isinstance(block, RawBlock):
        p = paragraph(frame, first)
        para_props(p, style, bullet=None, level=level, size=size)
        add_run(p, strip_tags(block.html), style, size=size)
        return False
    if isinstance(block, (Table, Figure, Callout)):
        # Inside a list or quote (rare): keep the words, as text.
        text = plain_text(block.alt) if isinstance(block, Figure) else " ".join(words_of(block))
        p = paragraph(frame, first)
        para_props(p, style, bullet=None, level=level, size=size)
        add_run(p, text, style, size=size)
        return False
    return first


def words_of(block: Block) -> list[str]:
    """Every text of a block, as plain strings."""
    from ...model import iter_texts

    return [plain_text(t) for t in iter_texts(block)]


def strip_tags(html: str) -> str:
    """Raw HTML's text content."""
    try:
        return str(etree.fromstring(f"<x>{html}</x>").xpath("string()"))
    except etree.XMLSyntaxError:
        return html


def para_props(
    p: Any,
    style: Style,
    bullet: tuple[str, int] | None,
    level: int,
    size: float,
    space: float = 0.35,
    line: float = LINE,
) -> None:
    """Paragraph properties: indent per level, bullet or none, direction, spacing (all explicit).

    Lines are spaced exactly (``line`` × the size, as in the HTML deck and the fit estimate): a
    percentage would follow the fonts' own line gaps, and Arabic fonts' tall ones made tables
    outgrow their estimate and run over the text below them.
    """
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
    ln_spc = etree.SubElement(ppr, f"{{{A}}}lnSpc")
    etree.SubElement(ln_spc, f"{{{A}}}spcPts", val=str(int(size * line * 100)))
    spc = etree.SubElement(ppr, f"{{{A}}}spcAft")
    etree.SubElement(spc, f"{{{A}}}spcPts", val=str(int(size * space * 100)))
    before = etree.Element(f"{{{A}}}spcBef")
    etree.SubElement(before, f"{{{A}}}spcPts", val="0")
    spc.addprevious(before)
    if bullet is None or bullet[0] == "text":  # "text": the marker is written as a run
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


def right_to_left(p: Any) -> None:
    """Lay a paragraph out right to left, aligned to the right (Arabic, Farsi, Hebrew, Urdu decks)."""
    ppr = p._p.get_or_add_pPr()
    ppr.set("rtl", "1")
    ppr.set("algn", "r")


def add_runs(
    p: Any,
    text: Text,
    style: Style,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: str | None = None,
) -> None:
    """Add a ``Text``'s inlines as runs (in its language when it has its own)."""
    lang = text.lang or None
    add_inlines(p, text.inlines, style, size, bold, italic, colour, lang, None)


def add_inlines(
    p: Any,
    inlines: Sequence[Inline],
    style: Style,
    size: float | None,
    bold: bool | None,
    italic: bool | None,
    colour: str | None,
    lang: str | None,
    href: str | None,
) -> None:
    """Add inlines as runs, carrying emphasis, links and language down."""
    for node in inlines:
        if isinstance(node, Str):
            add_run(p, node.text, style, size, bold, italic, colour, lang=lang, href=href)
        elif isinstance(node, Code):
            add_run(p, node.text, style, size, bold, italic, colour, font=MONO, lang=lang, href=href)
        elif isinstance(node, Emph):
            add_inlines(p, node.children, style, size, bold, True, colour, lang, href)
        elif isinstance(node, Strong):
            add_inlines(p, node.children, style, size, True, italic, colour, lang, href)
        elif isinstance(node, Link):
            add_inlines(p, node.children, style, size, bold, italic, colour, lang, node.href)
        elif isinstance(node, Image):
            add_run(p, node.alt, style, size, bold, italic, colour, lang=lang, href=href)
        elif isinstance(node, SoftBreak):
            add_run(p, " ", style, size, bold, italic, colour, lang=lang)
        elif isinstance(node, HardBreak):
            p.add_line_break()
        elif isinstance(node, RawInline):
            add_run(p, strip_tags(node.html), style, size, bold, italic, colour, lang=lang)


def add_run(
    p: Any,
    text: str,
    style: Style,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: str | None = None,
    font: str | None = None,
    lang: str | None = None,
    href: str | None = None,
) -> Any:
    """Add one run: size, weight, colour, font, language and complex-script font."""
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


def fill_frame(
    frame: Any,
    lines: Sequence[Text | None],
    style: Style,
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
        p = paragraph(frame, first)
        first = False
        if style.rtl:
            right_to_left(p)
        add_runs(p, line, style, size=size, bold=bold, colour=colour)
    if size:
        shrink_on_overflow(body.find(f"{{{A}}}bodyPr"))
