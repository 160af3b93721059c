"""Shapes of a PPTX slide besides text: the body area, tables, pictures (SVG rasterised) and callouts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ...model import (
    Callout,
    Figure,
    Table,
    plain_text,
)
from ...render.assets import image_path
from ...render.fit import (
    BODY_HEIGHT,
    BODY_SIZE,
    CONTENT_WIDTH,
    PAD_X,
    TABLE_PAD_Y,
    TABLE_SIZE,
    cell_pad,
    image_size,
    px_to_emu,
    px_to_pt,
    table_columns,
    table_row_heights,
)
from ...render.html import CALLOUT_LABELS
from .text import A, Style, add_block, add_run, add_runs, para_props, reset_frame

CALLOUT_COLOURS = {"tip": ("E6F4EA", "1D6B3A"), "warning": ("FFF4E0", "8A5300"), "example": ("F1ECF8", "5B3F8C")}
"""Fill and accent of callouts; ``definition`` (and anything else) uses the theme's accent 1."""


@dataclass(frozen=True)
class Area:
    """The body box in EMU, and how many EMU one design pixel of height is worth there."""

    left: int
    top: int
    width: int
    height: int

    @property
    def ky(self) -> float:
        """EMU per design pixel, vertically."""
        return self.height / px_to_emu(BODY_HEIGHT)

    @property
    def kx(self) -> float:
        """EMU per design pixel, horizontally."""
        return self.width / px_to_emu(CONTENT_WIDTH)


def body_area(body: Any) -> Area:
    """The body placeholder's box, or the design's body box when the layout has none."""
    if body is None:
        from ...render.fit import BODY_TOP

        return Area(px_to_emu(PAD_X), px_to_emu(BODY_TOP), px_to_emu(CONTENT_WIDTH), px_to_emu(BODY_HEIGHT))
    return Area(int(body.left), int(body.top), int(body.width), int(body.height))


def remove_shape(shape: Any) -> None:
    """Take a shape off its slide."""
    element = shape._element
    element.getparent().remove(element)


# --------------------------------------------------------------------------- tables, pictures, callouts


def add_table(out: Any, block: Table, box: Area, fit: float, style: Style) -> None:
    """A table sized by the same column and row estimates as the HTML deck."""
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
            para_props(p, style, bullet=None, level=0, size=size, space=0, line=1.2)  # fit.table_row_heights
            align = block.aligns[c] if c < len(block.aligns) else ""
            if align in ("center", "right"):
                p._p.get_or_add_pPr().set("algn", {"center": "ctr", "right": "r"}[align])
            if c < len(row):
                add_runs(p, row[c], style, size=size, bold=True if r == 0 else None)


def add_picture(out: Any, block: Figure, box: Area, style: Style) -> None:
    """A figure scaled into the box, with its alt text and caption."""
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
    blob = raster(data, path, pw)
    pic = out.shapes.add_picture(io.BytesIO(blob), left, box.top, pw, ph)
    pic.name = plain_text(block.alt)[:60] or "Picture"
    # Alt text for screen readers, as PowerPoint's "Alt Text" pane writes it.
    pic._element.nvPicPr.cNvPr.set("descr", plain_text(block.alt))
    if block.title:
        cap = out.shapes.add_textbox(box.left, box.top + ph, box.width, caption_h)
        cap.name = "Caption"
        reset_frame(cap.text_frame)
        p = cap.text_frame.paragraphs[0]
        para_props(p, style, bullet=None, level=0, size=px_to_pt(BODY_SIZE * 0.6), space=0)
        p._p.get_or_add_pPr().set("algn", "ctr")
        add_run(p, block.title, style, size=px_to_pt(BODY_SIZE * 0.6), colour="tx1")


def raster(data: bytes, path: str, width_emu: int) -> bytes:
    """Image bytes PowerPoint shows: SVG rendered to PNG (at twice the placed size), others as they are."""
    lower = path.lower()
    if lower.endswith(".svg"):
        width_px = max(200, min(2400, int(width_emu / 9525 * 2)))
        # The loader refuses absurd shapes; this cap keeps even a tall image's bitmap small.
        width, height = image_size(data, path)
        if width > 0 and height > 0:
            width_px = max(1, min(width_px, int((16_000_000 * width / height) ** 0.5)))
        return svg_png(data, width_px)
    if lower.endswith((".png", ".jpg", ".jpeg", ".gif")):
        return data
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    with PILImage.open(io.BytesIO(data)) as img:
        img.save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=32)
def svg_png(data: bytes, width_px: int) -> bytes:
    """An SVG rendered to PNG at this width, rendered once per process.

    Every locale of a build places the same figure at the same size (and a course may reuse a figure):
    cairosvg is the costliest step of a deck, so each figure and size is rasterised once.
    """
    import cairosvg  # type: ignore[import-untyped]

    png: bytes = cairosvg.svg2png(bytestring=data, output_width=width_px)
    return png


def add_callout(out: Any, block: Callout, box: Area, fit: float, style: Style) -> None:
    """A callout as a flat filled box with its label and text."""
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
    reset_frame(frame)
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
    para_props(p, style, bullet=None, level=0, size=size * 0.9, space=0.2)
    if block.title:
        add_runs(p, block.title, style, size=size * 0.9, bold=True, colour=colour)
    else:
        add_run(p, style.gettext(CALLOUT_LABELS[block.kind]), style, size=size * 0.9, bold=True, colour=colour)
    first = False
    for child in block.blocks:
        first = add_block(frame, child, fit * 0.9, style, 0, first)
    for para in frame.paragraphs[1:]:
        for run in para.runs:
            if run.font.color.type is None:
                run.font.color.theme_color = 13  # MSO_THEME_COLOR.TEXT_1
