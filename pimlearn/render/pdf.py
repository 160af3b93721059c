"""HTML and CSS to PDF with WeasyPrint, for the print outputs (the facilitator guide).

WeasyPrint is imported only when a PDF is made. One font configuration serves
every document of a process: building it scans the system's fonts.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from typing import Any

from markupsafe import Markup

from ..formats import Job, JobResult
from .uitext import plain

PDF_UA = "pdf/ua-1"
"""Tagged PDF with a structure tree, language and title: what screen readers need."""

_FONT_CONFIG: Any = None
"""One WeasyPrint font configuration per process, created on first use."""


def css_string(value: str) -> Markup:
    """``value`` as a quoted CSS string (safe inside ``content:``)."""
    value = str(plain(value))  # CSS holds a translated string's text, not its HTML escapes
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return Markup(f'"{escaped}"')


def css_content(value: str, **placeholders: str) -> Markup:
    """A translated label as CSS ``content``, its ``{name}`` placeholders replaced by CSS values.

    ``css_content("Page {num} of {total}", num="counter(page)", total="counter(pages)")``
    gives ``"Page " counter(page) " of " counter(pages)``.
    """
    parts: list[str] = []
    rest = str(plain(value))
    while rest:
        positions = [(rest.find("{" + name + "}"), name) for name in placeholders if "{" + name + "}" in rest]
        if not positions:
            parts.append(css_string(rest))
            break
        index, name = min(positions)
        if index:
            parts.append(css_string(rest[:index]))
        parts.append(placeholders[name])
        rest = rest[index + len(name) + 2 :]
    return Markup(" ".join(parts) or '""')


def font_config() -> Any:
    """The process's WeasyPrint font configuration, created once and reused by every document."""
    global _FONT_CONFIG
    if _FONT_CONFIG is None:
        from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

        _FONT_CONFIG = FontConfiguration()
    return _FONT_CONFIG


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    """WeasyPrint's warnings and errors (unknown CSS, unreadable images) while a document is laid out."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def _tag_languages() -> None:
    """Give structure elements of ``lang`` elements a ``/Lang`` (WeasyPrint only sets the document's).

    PDF/UA wants every change of language in the structure tree, so screen readers read an
    English fallback with an English voice. WeasyPrint builds the tree in
    ``weasyprint.pdf.tags._build_box_tree`` (recursively, through the module's name):
    wrapping it adds ``/Lang`` to the element made for a box whose HTML element has a
    ``lang`` attribute. Without that function (another WeasyPrint), the PDF is untouched.
    """
    import pydyf  # type: ignore[import-untyped]
    from weasyprint.pdf import tags  # type: ignore[import-untyped]

    build = getattr(tags, "_build_box_tree", None)
    if build is None or getattr(build, "pimlearn_lang", False):
        return

    def with_lang(box: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and getattr(box, "element_tag", None) != "html" else None
        for made in build(box, *args):
            if lang and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made

    with_lang.pimlearn_lang = True  # type: ignore[attr-defined]
    tags._build_box_tree = with_lang


def write_pdf(html: str, css: str, variant: str | None = PDF_UA) -> tuple[bytes, list[str]]:
    """Lay out ``html`` with the stylesheet ``css``: the PDF bytes and the problems WeasyPrint reported.

    Nothing is fetched: resources must be embedded as ``data:`` URIs. Identical input gives
    an identical file (fixed PDF identifier; dates come from ``dcterms`` meta elements).
    """
    import weasyprint  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    fonts = font_config()
    _tag_languages()
    # Refusing every scheme but data: keeps the build off the network and out of the
    # file system, whatever an SVG image refers to.
    fetcher = URLFetcher(allowed_protocols={"data"})
    # WeasyPrint leaves the PDF identifier out or makes it random: a hash of the input is stable.
    identifier = hashlib.sha256((html + css).encode("utf-8")).hexdigest()[:32].encode("ascii")
    with _captured_warnings() as problems:
        stylesheet = weasyprint.CSS(string=css, font_config=fonts, url_fetcher=fetcher)
        document = weasyprint.HTML(string=html, url_fetcher=fetcher)
        pdf = document.write_pdf(
            stylesheets=[stylesheet],
            font_config=fonts,
            pdf_variant=variant,
            pdf_identifier=identifier,
        )
    assert isinstance(pdf, bytes)
    return pdf, sorted(set(problems))


def layout(html: str, css: str) -> JobResult:
    """``write_pdf`` as a job's work: the tagged PDF and WeasyPrint's problems (a module-level function, picklable)."""
    pdf, problems = write_pdf(html, css)
    return JobResult(pdf, tuple(problems))


def layout_job(html: str, css: str, fresh: bool = False) -> Job:
    """Laying out one HTML document with its stylesheet as a job, keyed by both (and ``layout``'s name);
    ``fresh`` for a document that grows with the course (see ``Job.fresh``)."""
    digest = hashlib.sha256(b"pdf-layout\0" + html.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(css.encode("utf-8", "surrogatepass"))
    return Job(digest.hexdigest(), layout, (html, css), fresh=fresh)


_A_TAG = re.compile(r"<a\s[^>]*>")
_HREF = re.compile(r'\shref="#([^"]+)"')
_ID = re.compile(r'\sid="([^"]+)"')


def borrow_anchors(html: str) -> tuple[str, frozenset[str]]:
    """``html`` whose links to anchors it does not hold keep their link, and the names of those anchors.

    WeasyPrint drops a link to an anchor that is not in the document. A document laid out
    apart from the one holding the anchor (a module of the guide, its front matter) gives the
    name to the first link pointing there instead (``id`` on the ``a`` itself: no element is
    added), and the merge makes the name point at the real anchor. Our templates write every
    attribute value quoted and escaped, so the patterns below see only whole attributes.
    """
    ids = set(_ID.findall(html))  # as written (escaped), like the hrefs they are compared with
    borrowed: set[str] = set()

    def lend(match: re.Match[str]) -> str:
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None or href.group(1) in ids or _ID.search(tag):
            return tag
        name = href.group(1)
        ids.add(name)
        borrowed.add(unescape(name))  # the name WeasyPrint reads from the attribute
        return tag[:2] + f' id="{name}"' + tag[2:]

    return _A_TAG.sub(lend, html), frozenset(borrowed)
