"""OOXML that python-pptx has no API for: theme fonts, slide numbers, languages, autofit, properties, zip."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from copy import deepcopy
from typing import Any

from lxml import etree

from ...i18n.locales import html_lang
from ...model import (
    plain_text,
)
from ...package.zips import STORED_SUFFIXES
from ...render.deck import Deck
from .. import RenderContext
from .text import A, Style


def theme_cs_font(prs: Any) -> str:
    """The theme's complex-script body font (what Arabic runs are set in)."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    cs = theme.find(f".//{{{A}}}minorFont/{{{A}}}cs")
    return (cs.get("typeface") if cs is not None else "") or "Arial"


TEMPLATE_PARTS = ("slideMaster", "slideLayout", "notesMaster", "presentation")
"""Parts that come from the template: their default text properties carry its language."""


def set_language(prs: Any, lang: str) -> None:
    """Make the build's language the deck's: defaults of the presentation, master, layouts and notes master.

    Text a trainer types then gets this language (spell-checking, fonts); the runs pimlearn writes carry
    their own (the build's, or the source language of untranslated text).
    """
    for part in prs.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        name = str(part.partname).rsplit("/", 1)[-1]
        kinds: tuple[str, ...]
        if name.startswith(TEMPLATE_PARTS):
            kinds = ("defRPr", "rPr", "endParaRPr")
        elif name.startswith(("slide", "notesSlide")):
            kinds = ("endParaRPr",)  # every run of a slide was written with its language already
        else:
            continue
        for node in element.iter(*(f"{{{A}}}{k}" for k in kinds)):
            node.set("lang", lang)


def number_placeholder(layout: Any) -> Any:
    """The layout's slide-number placeholder element (None when it has none): looked up once per layout."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    for ph in layout.placeholders:
        if ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:
            return ph._element
    return None


def slide_number(out: Any, placeholder: Any, number: int, style: Style) -> None:
    """Put the deck model's slide number where the layout's slide-number ``placeholder`` is.

    As plain text, not PowerPoint's slide-number field: an answer slide shows its question's number,
    so the PPTX, the HTML deck and the guide count slides the same way (python-pptx leaves footers out).
    """
    if placeholder is None:
        return
    sp = deepcopy(placeholder)
    fields = list(sp.iter(f"{{{A}}}fld"))
    if not fields:
        return
    for field in fields:
        run = etree.Element(f"{{{A}}}r")
        rpr = field.find(f"{{{A}}}rPr")
        if rpr is None:
            rpr = etree.Element(f"{{{A}}}rPr")
        rpr.set("lang", style.lang)
        if style.rtl:
            etree.SubElement(rpr, f"{{{A}}}cs", typeface=style.cs_font)
            paragraph = field.getparent()
            ppr = paragraph.find(f"{{{A}}}pPr")
            if ppr is None:
                ppr = etree.Element(f"{{{A}}}pPr")
                paragraph.insert(0, ppr)
            ppr.set("rtl", "1")
        run.append(rpr)
        etree.SubElement(run, f"{{{A}}}t").text = str(number)
        field.addprevious(run)
        field.getparent().remove(field)
    out.shapes._spTree.append(sp)


def set_properties(prs: Any, ctx: RenderContext, deck: Deck) -> None:
    """Set the deck's core properties (title, subject, author, language, fixed dates)."""
    props = prs.core_properties
    props.title = plain_text(deck.module.title)[:255]
    props.subject = plain_text(ctx.course.title)[:255]
    props.author = ctx.course.publisher or "pimlearn"
    props.last_modified_by = "pimlearn"
    props.language = html_lang(ctx.locale)
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    when = timestamp(ctx.source_date_epoch)
    props.created = when
    props.modified = when
    props.last_printed = when


def timestamp(epoch: int | None) -> dt.datetime:
    """The build's timestamp: ``SOURCE_DATE_EPOCH``, else a fixed date."""
    # Without SOURCE_DATE_EPOCH a fixed date keeps builds reproducible all the same.
    return dt.datetime.fromtimestamp(epoch if epoch is not None else 315532800, tz=dt.UTC).replace(tzinfo=None)


def save(prs: Any, epoch: int | None) -> bytes:
    """The deck as zip bytes, compressed once: fixed dates, images stored, XML deflated.

    python-pptx's own ``save`` stamps each entry with the clock; writing its parts through our own zip
    writer (instead of saving, then unzipping and compressing everything again) gives the same bytes
    every time for half the zip work.
    """
    from pptx.opc.serialized import PackageWriter, _ZipPkgWriter

    stamp = timestamp(epoch)
    date_time = (max(1980, stamp.year), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

    class Members(_ZipPkgWriter):
        """python-pptx's zip writer, with our entries' dates, modes and compression."""

        def write(self, pack_uri: Any, blob: bytes) -> None:
            info = zipfile.ZipInfo(pack_uri.membername, date_time=date_time)
            stored = info.filename.lower().endswith(STORED_SUFFIXES)  # images: deflating again gains nothing
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            self._zipf.writestr(info, blob)

    class Writer(PackageWriter):
        """python-pptx's package writer (parts, relationships, content types) into ``Members``."""

        def _write(self) -> None:
            with Members(self._pkg_file) as members:
                self._write_content_types_stream(members)
                self._write_pkg_rels(members)
                self._write_parts(members)

    package = prs.part.package
    buffer = io.BytesIO()
    Writer.write(buffer, package._rels, tuple(package.iter_parts()))
    return buffer.getvalue()
