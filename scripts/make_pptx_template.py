"""Build pimlearn/templates/slides/default.pptx, the PowerPoint template decks are made from.

Run it after changing the design (`.venv/bin/python scripts/make_pptx_template.py`) and
commit the result. It starts from python-pptx's own template, makes it 16:9, keeps four
layouts (Title Slide, Title and Content, Title Only, Blank), places their placeholders on
the same 1280 × 720 px grid as the HTML deck (pimlearn/render/fit.py), and sets the theme's
colours and fonts. Organisations brand the result in PowerPoint (see docs/slides.md).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pimlearn.render.fit import (  # noqa: E402
    BODY_BOTTOM,
    BODY_TOP,
    CONTENT_WIDTH,
    FOOTER_TOP,
    HEIGHT,
    PAD_X,
    TITLE_HEIGHT,
    TITLE_TOP,
    WIDTH,
    px_to_emu,
)

OUT = ROOT / "pimlearn" / "templates" / "slides" / "default.pptx"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"

COLOURS = {
    "dk1": "1D2430",  # text
    "lt1": "FFFFFF",  # background
    "dk2": "1D2430",  # title slide background
    "lt2": "F4F6F9",
    "accent1": "0B5CAD",
    "accent2": "1D6B3A",
    "accent3": "8A5300",
    "accent4": "5B3F8C",
    "accent5": "A4262C",
    "accent6": "00707A",
    "hlink": "0B5CAD",
    "folHlink": "5B3F8C",
}
LATIN = "Arial"
COMPLEX = "Noto Naskh Arabic"
"""Complex-script font (Arabic): Debian's fonts-noto-core; PowerPoint substitutes when it is missing."""

KEEP = ("Title Slide", "Title and Content", "Title Only", "Blank")


def box(shape: object, x: float, y: float, w: float, h: float) -> None:
    """Place a shape at canvas pixels."""
    shape.left, shape.top, shape.width, shape.height = (px_to_emu(v) for v in (x, y, w, h))  # type: ignore[attr-defined]


def theme(prs: object) -> None:
    """Colours and fonts of the theme."""
    part = prs.slide_master.part.part_related_by(RT.THEME)  # type: ignore[attr-defined]
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{{{A}}}clrScheme")
    scheme.set("name", "pimlearn")
    for name, value in COLOURS.items():
        slot = scheme.find(f"{{{A}}}{name}")
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{A}}}srgbClr", val=value)
    fonts = root.find(f".//{{{A}}}fontScheme")
    fonts.set("name", "pimlearn")
    for kind in ("majorFont", "minorFont"):
        group = fonts.find(f"{{{A}}}{kind}")
        group.find(f"{{{A}}}latin").set("typeface", LATIN)
        group.find(f"{{{A}}}cs").set("typeface", COMPLEX)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def text_styles(master: object) -> None:
    """Sizes of the master's title and body levels (in hundredths of a point) on the deck's grid."""
    styles = master._element.find(qn("p:txStyles"))  # type: ignore[attr-defined]
    title = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
    title.set("algn", "l")
    rpr = title.find(qn("a:defRPr"))
    rpr.set("sz", "3300")
    rpr.set("b", "1")
    body = styles.find(qn("p:bodyStyle"))
    sizes = {1: 2400, 2: 2100, 3: 1800, 4: 1800, 5: 1800, 6: 1800, 7: 1800, 8: 1800, 9: 1800}
    for level, size in sizes.items():
        ppr = body.find(qn(f"a:lvl{level}pPr"))
        ppr.find(qn("a:defRPr")).set("sz", str(size))
        pts = ppr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}")
        if pts is not None:
            pts.set("val", "600")
        bu = ppr.find(qn("a:buFont"))
        if bu is not None and ppr.find(qn("a:buClr")) is None:
            clr = etree.Element(qn("a:buClr"))
            etree.SubElement(clr, qn("a:schemeClr"), val="accent1")
            bu.addprevious(clr)


def place_master(master: object) -> None:
    """Master placeholders on the grid, and the accent bar along the top."""
    for ph in master.placeholders:  # type: ignore[attr-defined]
        kind = ph.placeholder_format.type
        if kind == PP_PLACEHOLDER.TITLE:
            box(ph, PAD_X, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT)
            ph.text_frame._bodyPr.set("anchor", "b")
        elif kind == PP_PLACEHOLDER.BODY:
            box(ph, PAD_X, BODY_TOP, CONTENT_WIDTH, BODY_BOTTOM - BODY_TOP)
        elif kind == PP_PLACEHOLDER.DATE:
            box(ph, PAD_X, FOOTER_TOP, 240, 28)
        elif kind == PP_PLACEHOLDER.FOOTER:
            box(ph, PAD_X + 260, FOOTER_TOP, CONTENT_WIDTH - 520, 28)
        elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            box(ph, WIDTH - PAD_X - 240, FOOTER_TOP, 240, 28)
    # MasterShapes has no add_shape: write the rectangle's XML (behind everything else).
    tree = master.shapes._spTree  # type: ignore[attr-defined]
    bar = etree.fromstring(
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}">'
        '<p:nvSpPr><p:cNvPr id="90" name="Accent bar"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{px_to_emu(WIDTH)}" cy="{px_to_emu(10)}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="accent1"/></a:solidFill>'
        "<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )
    tree.insert(2, bar)


def place_layouts(prs: object) -> None:
    """Keep the four layouts decks use and trainers need; put their placeholders on the grid."""
    layouts = prs.slide_layouts  # type: ignore[attr-defined]
    for layout in list(layouts):
        if layout.name not in KEEP:
            layouts.remove(layout)
    for layout in layouts:
        for ph in layout.placeholders:
            kind = ph.placeholder_format.type
            if kind == PP_PLACEHOLDER.CENTER_TITLE:
                box(ph, 96, 240, WIDTH - 192, 180)
                ph.text_frame._bodyPr.set("anchor", "b")
                _lst_style(ph, size=4400, colour="bg1", bold=True)
            elif kind == PP_PLACEHOLDER.SUBTITLE:
                box(ph, 96, 440, WIDTH - 192, 180)
                _lst_style(ph, size=2000, colour="bg2", bold=False)
            elif kind == PP_PLACEHOLDER.TITLE:
                box(ph, PAD_X, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT)
            elif kind in (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY):
                box(ph, PAD_X, BODY_TOP, CONTENT_WIDTH, BODY_BOTTOM - BODY_TOP)
            elif kind == PP_PLACEHOLDER.DATE:
                box(ph, PAD_X, FOOTER_TOP, 240, 28)
            elif kind == PP_PLACEHOLDER.FOOTER:
                box(ph, PAD_X + 260, FOOTER_TOP, CONTENT_WIDTH - 520, 28)
            elif kind == PP_PLACEHOLDER.SLIDE_NUMBER:
                box(ph, WIDTH - PAD_X - 240, FOOTER_TOP, 240, 28)
        if layout.name == "Title Slide":
            fill = layout.background.fill
            fill.solid()
            fill.fore_color.theme_color = 15  # MSO_THEME_COLOR.TEXT_2 (dk2)


def _lst_style(ph: object, size: int, colour: str, bold: bool) -> None:
    body = ph.text_frame._txBody  # type: ignore[attr-defined]
    lst = body.find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    ppr = etree.SubElement(lst, qn("a:lvl1pPr"), algn="l", marL="0", indent="0")
    etree.SubElement(ppr, qn("a:buNone"))
    rpr = etree.SubElement(ppr, qn("a:defRPr"), sz=str(size), b="1" if bold else "0")
    fill = etree.SubElement(rpr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val=colour)


def core(prs: object) -> None:
    """Neutral document properties (decks set their own title and dates)."""
    props = prs.core_properties  # type: ignore[attr-defined]
    props.title = "pimlearn"
    props.author = "pimlearn"
    props.last_modified_by = "pimlearn"
    props.revision = 1
    props.comments = "Template for pimlearn slide decks: brand it with your colours, fonts and logo."


def deterministic(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so the committed file changes only when the design does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    """Write the template."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = px_to_emu(WIDTH), px_to_emu(HEIGHT)
    theme(prs)
    master = prs.slide_master
    text_styles(master)
    place_master(master)
    place_layouts(prs)
    core(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(deterministic(buffer.getvalue()))
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
