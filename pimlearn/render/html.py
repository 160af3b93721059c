"""Model blocks and inlines to HTML, shared by every HTML-based output.

Formats decide what happens to questions and notes by passing callbacks in
``HtmlOptions``; everything else (paragraphs, lists, tables, callouts, figures,
untranslated fallbacks) renders the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from ..i18n import N_
from ..i18n.locales import is_rtl
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
    Notes,
    Only,
    Paragraph,
    Question,
    Quote,
    RawBlock,
    RawInline,
    SlideBreak,
    SoftBreak,
    Str,
    Strong,
    Table,
    Target,
    Text,
    plain_text,
)


def _identity(src: str) -> str:
    return src


def _no_translation(message: str) -> str:
    return message


@dataclass(frozen=True)
class HtmlOptions:
    """How one output renders blocks."""

    target: Target
    lang: str
    """Language of the page: texts marked with another language get a ``lang`` span."""
    image_url: Callable[[str], str] = _identity
    """Maps a module-relative image path to the URL used in the output."""
    question: Callable[[Question], Markup] | None = None
    """Renders a question; ``None`` leaves questions out."""
    notes: Callable[[Notes], Markup] | None = None
    """Renders notes; ``None`` leaves them out (learner outputs)."""
    gettext: Callable[[str], str] = _no_translation
    heading_shift: int = 0
    """Added to heading levels (a section page whose title is h1 shifts ### to h2)."""
    slide_break: Markup = field(default_factory=Markup)
    """What ``---`` becomes: nothing on pages and in the guide (it only splits slides), never a rule."""


CALLOUT_LABELS = {
    "tip": N_("Tip"),
    "warning": N_("Warning"),
    "example": N_("Example"),
    "definition": N_("Definition"),
}


def text_html(text: Text | None, options: HtmlOptions) -> Markup:
    """A ``Text`` as inline HTML, wrapped in a ``lang`` span when it fell back to another language."""
    if text is None:
        return Markup("")
    inner = inlines_html(text.inlines, options)
    attrs = lang_attrs(text.lang, options.lang)
    return Markup("<span") + attrs + Markup(">") + inner + Markup("</span>") if attrs else inner


def lang_attrs(lang: str | None, page_lang: str) -> Markup:
    """`` lang="en" dir="ltr"`` for an element whose content is in another language, else ''."""
    if not lang or lang == page_lang:
        return Markup("")
    direction = ""
    if is_rtl(page_lang) != is_rtl(lang):
        direction = f' dir="{"rtl" if is_rtl(lang) else "ltr"}"'
    return Markup(f' lang="{escape(lang)}"{direction}')


def inlines_html(inlines: Sequence[Inline], options: HtmlOptions) -> Markup:
    """Inline nodes as HTML."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Str):
            parts.append(escape(node.text, quote=False))
        elif isinstance(node, Code):
            parts.append(f"<code>{escape(node.text, quote=False)}</code>")
        elif isinstance(node, Emph):
            parts.append(f"<em>{inlines_html(node.children, options)}</em>")
        elif isinstance(node, Strong):
            parts.append(f"<strong>{inlines_html(node.children, options)}</strong>")
        elif isinstance(node, Link):
            parts.append(_link(node, options))
        elif isinstance(node, Image):
            title = f' title="{escape(node.title)}"' if node.title else ""
            parts.append(f'<img src="{escape(options.image_url(node.src))}" alt="{escape(node.alt)}"{title}>')
        elif isinstance(node, SoftBreak):
            parts.append("\n")
        elif isinstance(node, HardBreak):
            parts.append("<br>\n")
        elif isinstance(node, RawInline):
            parts.append(node.html)
    return Markup("".join(parts))


def _link(node: Link, options: HtmlOptions) -> str:
    title = f' title="{escape(node.title)}"' if node.title else ""
    external = node.href.startswith(("http://", "https://", "//"))
    # A learner following an external link must not lose the SCORM session:
    # external pages always open in a new tab.
    target = ' target="_blank" rel="noopener noreferrer"' if external else ""
    return f'<a href="{escape(node.href)}"{title}{target}>{inlines_html(node.children, options)}</a>'


def blocks_html(blocks: Sequence[Block], options: HtmlOptions) -> Markup:
    """Blocks as HTML, filtered for the output's target."""
    return Markup("\n".join(block_html(b, options) for b in blocks))


def block_html(block: Block, options: HtmlOptions, tight: bool = False) -> Markup:
    """One block as HTML (``tight``: a paragraph inside a tight list renders bare)."""
    if isinstance(block, Paragraph):
        if _block_lang(block.text, options):
            return _lang_block("div" if tight else "p", block.text, options)
        inner = text_html(block.text, options)
        return inner if tight else Markup("<p>") + inner + Markup("</p>")
    if isinstance(block, Heading):
        level = min(6, max(1, block.level + options.heading_shift))
        if _block_lang(block.text, options):
            return _lang_block(f"h{level}", block.text, options)
        return Markup(f"<h{level}>") + text_html(block.text, options) + Markup(f"</h{level}>")
    if isinstance(block, Figure):
        return figure_html(block, options)
    if isinstance(block, ListBlock):
        return _list(block, options)
    if isinstance(block, Quote):
        return Markup("<blockquote>\n") + blocks_html(block.blocks, options) + Markup("\n</blockquote>")
    if isinstance(block, Table):
        return table_html(block, options)
    if isinstance(block, CodeBlock):
        lang = f' class="language-{escape(block.info.split()[0])}"' if block.info else ""
        return Markup(f"<pre><code{lang}>{escape(block.code, quote=False)}</code></pre>")
    if isinstance(block, RawBlock):
        return Markup(block.html)
    if isinstance(block, SlideBreak):
        return options.slide_break
    if isinstance(block, Notes):
        return options.notes(block) if options.notes else Markup("")
    if isinstance(block, Only):
        return blocks_html(block.blocks, options) if options.target in block.targets else Markup("")
    if isinstance(block, Callout):
        return callout_html(block, options)
    if isinstance(block, Question):
        return options.question(block) if options.question else Markup("")
    raise TypeError(f"unknown block {block!r}")  # pragma: no cover


def _block_lang(text: Text, options: HtmlOptions) -> bool:
    """True when a whole block fell back and the output is the PDF guide.

    WeasyPrint neither isolates a ``dir`` span nor tags an inline language well: the
    fallback block itself carries ``lang`` and ``dir``, so an English paragraph in an
    Arabic guide is laid out left to right (its full stop at its end) and tagged English.
    """
    return options.target == "guide" and bool(lang_attrs(text.lang, options.lang))


def _lang_block(tag: str, text: Text, options: HtmlOptions) -> Markup:
    # A tight list item's paragraph becomes a div: dir on the <li> would move its marker.
    attrs = lang_attrs(text.lang, options.lang)
    return Markup(f"<{tag}") + attrs + Markup(">") + inlines_html(text.inlines, options) + Markup(f"</{tag}>")


def figure_html(block: Figure, options: HtmlOptions) -> Markup:
    """A figure with its alt text (and the image title as caption)."""
    alt = escape(plain_text(block.alt))
    alt_lang = lang_attrs(block.alt.lang, options.lang)
    img = f'<img src="{escape(options.image_url(block.src))}" alt="{alt}"{alt_lang}>'
    caption = f"<figcaption>{escape(block.title)}</figcaption>" if block.title else ""
    return Markup(f'<figure class="figure">{img}{caption}</figure>')


def callout_html(block: Callout, options: HtmlOptions) -> Markup:
    """A callout box labelled with its kind (and title)."""
    label = options.gettext(CALLOUT_LABELS[block.kind])
    title = text_html(block.title, options) if block.title else Markup(escape(label))
    return (
        Markup(f'<aside class="callout callout-{block.kind}" role="note" aria-label="{escape(label)}">')
        + Markup('<p class="callout-title">')
        + title
        + Markup("</p>\n")
        + blocks_html(block.blocks, options)
        + Markup("</aside>")
    )


def _list(block: ListBlock, options: HtmlOptions) -> Markup:
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
    items = []
    for item in block.items:
        inner = Markup("\n").join(block_html(b, options, tight=block.tight) for b in item.blocks)
        items.append(Markup("<li>") + inner + Markup("</li>"))
    return Markup(f"<{tag}{start}>\n") + Markup("\n").join(items) + Markup(f"\n</{tag}>")


def table_html(block: Table, options: HtmlOptions) -> Markup:
    """A table with header cells as column headers."""

    def cell(tag: str, text: Text, index: int) -> str:
        align = block.aligns[index] if index < len(block.aligns) else ""
        style = f' style="text-align:{align}"' if align else ""
        scope = ' scope="col"' if tag == "th" else ""
        if _block_lang(text, options):
            attrs = lang_attrs(text.lang, options.lang)
            return f"<{tag}{scope}{style}{attrs}>{inlines_html(text.inlines, options)}</{tag}>"
        return f"<{tag}{scope}{style}>{text_html(text, options)}</{tag}>"

    head = "".join(cell("th", t, i) for i, t in enumerate(block.header))
    body = "\n".join("<tr>" + "".join(cell("td", t, i) for i, t in enumerate(row)) + "</tr>" for row in block.rows)
    return Markup(
        f'<div class="table-wrap"><table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>'
    )
