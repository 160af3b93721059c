"""The structure check: a translation must keep its source's Markdown structure.

Translators move words, emphasis and links where their grammar puts them, but a
translation keeps the same link targets, images, inline code, ``{placeholders}``
and block shape as its source, adds no HTML and leaves no delimiter unpaired.
This is the Markdown analogue of Sphinx's "inconsistent references" warning;
msgfmt and pofilter miss these (research: i18n-workflow.md §10).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from ..load.markdown import block_parser
from ..load.values import PLACEHOLDER as VALUE
from ..model import Code, Emph, Image, Inline, Link, RawInline, Str, Strong, Text

PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w.]*\}")
_LOOSE_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")

PARAGRAPH = ("paragraph_open", "paragraph_close")

Problem = tuple[str, str]
"""(diagnostic code, message)."""


def _walk(inlines: Sequence[Inline]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        if isinstance(node, (Emph, Strong, Link)):
            yield from _walk(node.children)


def _strings(inlines: Sequence[Inline]) -> list[str]:
    return [n.text for n in _walk(inlines) if isinstance(n, Str)]


def block_shape(markdown: str) -> tuple[str, ...]:
    """The block tokens a string parses into on its own (a paragraph: open, close)."""
    if "\n" not in markdown and markdown[:1].isalpha():
        # One line starting with a letter cannot open any other block (those start with a mark, a digit,
        # indentation or need a second line): most translations, so they skip the parser.
        return PARAGRAPH
    return tuple(t.type for t in block_parser().parse(markdown) if t.type != "inline")


def _listed(values: Counter[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values.elements())) or "none"


def shape_problems(source: Text, translation: Text, msgstr: str) -> list[Problem]:
    """Every way ``translation`` (parsed from ``msgstr``) breaks the structure of ``source``."""
    problems: list[Problem] = []
    shape = block_shape(msgstr.strip())
    # Translations are parsed as inline text, so block syntax would show literally: flag it
    # unless the source itself looks the same way (a table cell holding just '#').
    if "\n\n" in msgstr.strip() or (shape != PARAGRAPH and shape != block_shape(source.source)):
        problems.append(
            (
                "translation-block",
                "the translation must stay one block like its source: it has a blank line or starts like a "
                "list item, heading, quote or code block (escape a leading '1.' as '1\\.', '-' as '\\-', "
                "'#' as '\\#')",
            )
        )
    src_nodes, dst_nodes = list(_walk(source.inlines)), list(_walk(translation.inlines))

    src_raw = Counter(n.html for n in src_nodes if isinstance(n, RawInline))
    dst_raw = Counter(n.html for n in dst_nodes if isinstance(n, RawInline))
    if dst_raw - src_raw:
        problems.append(
            (
                "translation-html",
                f"the translation contains HTML ({_listed(dst_raw - src_raw)}): translations cannot add markup "
                "or scripts; use Markdown like the source",
            )
        )

    def compare(kind: str, code: str, src: Counter[str], dst: Counter[str], advice: str) -> None:
        if src != dst:
            problems.append(
                (
                    code,
                    f"{kind} differ from the source: the source has {_listed(src)}, "
                    f"the translation {_listed(dst)}; {advice}",
                )
            )

    compare(
        "link targets",
        "translation-link",
        Counter(n.href for n in src_nodes if isinstance(n, Link)),
        Counter(n.href for n in dst_nodes if isinstance(n, Link)),
        "keep every [text](target) with its target unchanged and translate only the text",
    )
    compare(
        "images",
        "translation-image",
        Counter(n.src for n in src_nodes if isinstance(n, Image)),
        Counter(n.src for n in dst_nodes if isinstance(n, Image)),
        "keep every ![alt](path) with its path unchanged and translate only the alt text",
    )
    compare(
        "inline code",
        "translation-code",
        Counter(n.text for n in src_nodes if isinstance(n, Code)),
        Counter(n.text for n in dst_nodes if isinstance(n, Code)),
        "text between backticks is never translated",
    )
    compare(
        "placeholders",
        "translation-placeholder",
        # {{ value }} placeholders are compared below, by name: '{{x}}' and '{{ x }}' are the same.
        Counter(p for s in _strings(source.inlines) for p in PLACEHOLDER.findall(VALUE.sub("", s))),
        Counter(p for s in _strings(translation.inlines) for p in PLACEHOLDER.findall(VALUE.sub("", s))),
        "keep every {placeholder} exactly as it is",
    )
    compare(
        "value placeholders",
        "translation-placeholder",
        Counter("{{ " + n + " }}" for s in _strings(source.inlines) for n in VALUE.findall(s)),
        Counter("{{ " + n + " }}" for s in _strings(translation.inlines) for n in VALUE.findall(s)),
        "keep every {{ name }} exactly as it is (the course fills in its value): do not translate the name",
    )
    loose_src = Counter(m for s in _strings(source.inlines) for m in _LOOSE_EMPHASIS.findall(s))
    loose_dst = Counter(m for s in _strings(translation.inlines) for m in _LOOSE_EMPHASIS.findall(s))
    ticks_src = sum(s.count("`") for s in _strings(source.inlines))
    ticks_dst = sum(s.count("`") for s in _strings(translation.inlines))
    if loose_dst - loose_src or ticks_dst > ticks_src:
        left = sorted((loose_dst - loose_src).elements()) + (["`"] if ticks_dst > ticks_src else [])
        problems.append(
            (
                "translation-markup",
                f"unbalanced emphasis or code: {', '.join(repr(x) for x in left)} would be shown literally; "
                "close every *emphasis*, **strong** and `code` you open",
            )
        )
    return problems
