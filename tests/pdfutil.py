"""Reading PDFs in tests with poppler's command-line tools (pdftotext, pdfinfo, pdffonts, pdftohtml)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tests.conftest import need

POPPLER = ("pdftotext", "pdfinfo", "pdffonts", "pdftohtml", "pdftoppm")


def need_poppler() -> None:
    """Skip (fail in CI) when poppler-utils is missing."""
    need(all(shutil.which(tool) for tool in POPPLER), "poppler-utils is not installed (pdftotext, pdfinfo...)")


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces (text wraps differently in a PDF than in the source).

    Bidi controls go too: pdftotext wraps right-to-left runs in embedding marks.
    """
    return " ".join(BIDI_CONTROLS.sub("", text).split())


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The text of the PDF (or of pages ``first``..``last``), whitespace collapsed."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return squash(_run("pdftotext", "-enc", "UTF-8", *pages, str(path), "-"))


def contains(text: str, phrase: str) -> bool:
    """``phrase`` is in ``text``, allowing for pdftotext joining a word wrapped at its hyphen ("au-dessus")."""
    return phrase in text or phrase.replace("-", "") in text.replace("-", "")


def page_texts(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed."""
    raw = _run("pdftotext", "-enc", "UTF-8", str(path), "-")
    return [squash(page) for page in raw.split("\f")][: pdf_info(path).pages]


@dataclass(frozen=True)
class PdfInfo:
    """What ``pdfinfo`` says about a PDF."""

    fields: dict[str, str]

    @property
    def pages(self) -> int:
        """Number of pages."""
        return int(self.fields["Pages"])

    @property
    def page_size(self) -> tuple[float, float]:
        """Width and height of the first page, in points."""
        match = re.match(r"([\d.]+) x ([\d.]+) pts", self.fields["Page size"])
        assert match, self.fields["Page size"]
        return float(match[1]), float(match[2])


def pdf_info(path: Path) -> PdfInfo:
    """``pdfinfo`` fields by name."""
    fields = {}
    for line in _run("pdfinfo", "-enc", "UTF-8", str(path)).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return PdfInfo(fields)


def page_labels(path: Path) -> list[str]:
    """The label a viewer shows for each page (``/PageLabels``, read with pikepdf)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [str(page.label) for page in pdf.pages]


FONT_LINE = re.compile(
    r"(.+?)\s+(Type 1C?|Type 3|TrueType|CID Type 0C?|CID TrueType)\s.*?\s(yes|no)\s+(yes|no)\s+(yes|no)\s"
)
"""A ``pdffonts`` row: name, type, encoding, then embedded / subset / unicode."""


@dataclass(frozen=True)
class PdfFont:
    """One row of ``pdffonts``."""

    name: str
    embedded: bool


def pdf_fonts(path: Path) -> list[PdfFont]:
    """Every font the PDF uses, with whether it is embedded."""
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    fonts = []
    for line in lines:
        # The name may hold spaces in broken PDFs; the columns after it are fixed words.
        match = FONT_LINE.match(line)
        assert match, f"unexpected pdffonts line: {line!r}"
        fonts.append(PdfFont(match[1], match[3] == "yes"))
    return fonts


@dataclass(frozen=True)
class OutlineItem:
    """A PDF bookmark with its target page and children."""

    title: str
    page: int
    children: tuple[OutlineItem, ...]


def pdf_outline(path: Path) -> tuple[OutlineItem, ...]:
    """The PDF's bookmarks (document outline), read through ``pdftohtml -xml``."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-q", "-stdout", "-enc", "UTF-8", str(path)], capture_output=True, check=True
    ).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, huge_tree=True))
    outline = root.find("outline")
    return _items(outline) if outline is not None else ()


def _items(outline: etree._Element) -> tuple[OutlineItem, ...]:
    items: list[OutlineItem] = []
    for child in outline:
        if child.tag == "item":
            items.append(
                OutlineItem(squash("".join(str(t) for t in child.itertext())), int(child.get("page", "0")), ())
            )
        elif child.tag == "outline" and items:
            last = items.pop()
            items.append(OutlineItem(last.title, last.page, _items(child)))
    return tuple(items)


@dataclass(frozen=True)
class Word:
    """A word on a page, with its box in points."""

    page: int
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def pdf_words(path: Path, first: int | None = None, last: int | None = None) -> list[Word]:
    """Every word with its position (``pdftotext -bbox``)."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    html = _run("pdftotext", "-bbox", "-enc", "UTF-8", *pages, str(path), "-")
    root = etree.fromstring(html.encode("utf-8"), etree.XMLParser(recover=True, huge_tree=True))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    words = []
    for number, page in enumerate(root.iterfind(".//x:page", ns), start=first or 1):
        for word in page.iterfind("x:word", ns):
            words.append(
                Word(
                    number,
                    word.text or "",
                    float(word.get("xMin", 0)),
                    float(word.get("yMin", 0)),
                    float(word.get("xMax", 0)),
                    float(word.get("yMax", 0)),
                )
            )
    return words


def page_png(path: Path, page: int, out: Path, dpi: int = 60) -> Path:
    """Render one page to PNG with ``pdftoppm`` (to look at, and to check it is not blank)."""
    prefix = out / f"{path.stem}-p{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(path), str(prefix)],
        check=True,
    )
    return prefix.with_suffix(".png")


def pdf_objects(path: Path) -> bytes:
    """The PDF's bytes with every Flate stream (object streams included) inflated, for searching."""
    data = path.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def gray_pixels(path: Path, page: int, dpi: int = 30) -> tuple[int, int, bytes]:
    """One page as 8-bit grey pixels (width, height, bytes), through ``pdftoppm -gray`` (PGM)."""
    pgm = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
        capture_output=True,
        check=True,
    ).stdout
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", pgm)
    assert match, pgm[:20]
    return int(match[1]), int(match[2]), pgm[match.end() :]


def visual_lines(words: list[Word], page: int, rtl: bool = False, tolerance: float = 2.5) -> list[str]:
    """The words of one page grouped into lines by position, read left to right (right to left for ``rtl``)."""
    lines: list[list[Word]] = []
    for word in sorted((w for w in words if w.page == page), key=lambda w: w.y_min):
        if lines and abs(lines[-1][0].y_min - word.y_min) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(w.text for w in sorted(line, key=lambda w: w.x_min, reverse=rtl)) for line in lines]
