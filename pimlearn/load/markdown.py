"""Markdown parsing: one markdown-it-py parser, inline text normalisation, inline conversion.

The same ``normalize_inline`` and ``parse_inline`` serve the loader, catalog
extraction and translation, so a msgid always matches the text it came from.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..model import (
    Code,
    Emph,
    HardBreak,
    Image,
    Inline,
    Link,
    Loc,
    RawInline,
    SoftBreak,
    Str,
    Strong,
    Text,
)

CONTAINER = "block"
"""All ``:::`` containers parse as one token type; the loader reads the name from ``info``."""


def _any_container(params: str, *args: Any) -> bool:
    # Every named opener is a container, so an unknown one ('::: {.columns}') is an error, never text.
    return bool(params.strip())


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The project's Markdown parser: CommonMark, tables, front matter, ``:::`` containers."""
    return _new_parser()


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The project's parser without its inline pass: the block structure of a string, for less work."""
    return _new_parser().disable("inline")


def _new_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    md.use(front_matter_plugin)
    md.use(container_plugin, CONTAINER, validate=_any_container)
    return md


_HARD_BREAK_SPACES = re.compile(r" {2,}$")


def normalize_inline(content: str) -> str:
    """The msgid form of inline Markdown: soft breaks folded to one space, ends trimmed.

    Hard breaks (two trailing spaces or a backslash) become ``\\`` + newline, so
    they survive and re-wrapping a paragraph changes nothing for translators.
    """
    lines = content.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        line = line if index == 0 else line.lstrip(" \t")
        if last:
            out.append(line.rstrip(" \t"))
        elif _HARD_BREAK_SPACES.search(line) or _ends_with_backslash(line):
            out.append(line.rstrip(" \t").removesuffix("\\") + "\\\n")
        else:
            out.append(line.rstrip(" \t") + " ")
    return "".join(out).strip(" \t")


def _ends_with_backslash(line: str) -> bool:
    stripped = line.rstrip(" \t")
    trailing = len(stripped) - len(stripped.rstrip("\\"))
    return trailing % 2 == 1 and stripped == line


def parse_inline(source: str, env: MutableMapping[str, Any] | None = None) -> tuple[Inline, ...]:
    """Parse normalised inline Markdown into model inlines."""
    tokens = parser().parseInline(source, dict(env or {}))
    children = tokens[0].children if tokens and tokens[0].children else []
    return convert_inlines(children)


def make_text(
    source: str,
    loc: Loc,
    env: MutableMapping[str, Any] | None = None,
    context: str | None = None,
) -> Text:
    """A ``Text`` from inline Markdown source (normalised first)."""
    normalized = normalize_inline(source)
    return Text(normalized, parse_inline(normalized, env), loc, None, context)


def plain(value: str, loc: Loc) -> Text:
    """A ``Text`` that is never parsed as Markdown (fill-in answers)."""
    return Text(value, (Str(value),), loc)


def convert_inlines(tokens: Sequence[Token]) -> tuple[Inline, ...]:
    """markdown-it inline tokens to model inlines (adjacent text merged)."""
    stack: list[tuple[str, dict[str, str], list[Inline]]] = [("root", {}, [])]
    for tok in tokens:
        out = stack[-1][2]
        kind = tok.type
        if kind == "text":
            if tok.content:
                _append_str(out, tok.content)
        elif kind == "code_inline":
            out.append(Code(tok.content))
        elif kind == "softbreak":
            out.append(SoftBreak())
        elif kind == "hardbreak":
            out.append(HardBreak())
        elif kind == "html_inline":
            if not tok.content.startswith("<!--"):
                out.append(RawInline(tok.content))
        elif kind == "image":
            out.append(Image(str(tok.attrs.get("src", "")), tok.content, str(tok.attrs.get("title", ""))))
        elif kind in ("em_open", "strong_open", "link_open"):
            stack.append((kind, {k: str(v) for k, v in tok.attrs.items()}, []))
        elif kind in ("em_close", "strong_close", "link_close") and len(stack) > 1:
            opener, attrs, children = stack.pop()
            parent = stack[-1][2]
            if opener == "em_open":
                parent.append(Emph(tuple(children)))
            elif opener == "strong_open":
                parent.append(Strong(tuple(children)))
            else:
                parent.append(Link(attrs.get("href", ""), attrs.get("title", ""), tuple(children)))
        else:  # entities and other rules produce text-like tokens
            if tok.content:
                _append_str(out, tok.content)
    while len(stack) > 1:  # unbalanced (cannot happen with markdown-it, kept safe)
        _, _, children = stack.pop()
        stack[-1][2].extend(children)
    return tuple(stack[0][2])


def _append_str(out: list[Inline], text: str) -> None:
    if out and isinstance(out[-1], Str):
        out[-1] = Str(out[-1].text + text)
    else:
        out.append(Str(text))


def iter_images(inlines: Sequence[Inline]) -> list[Image]:
    """Every image in inline content, nested ones included."""
    found: list[Image] = []
    for node in inlines:
        if isinstance(node, Image):
            found.append(node)
        elif isinstance(node, (Emph, Strong, Link)):
            found.extend(iter_images(node.children))
    return found


def iter_raw(inlines: Sequence[Inline]) -> list[RawInline]:
    """Every inline HTML fragment, nested ones included."""
    found: list[RawInline] = []
    for node in inlines:
        if isinstance(node, RawInline):
            found.append(node)
        elif isinstance(node, (Emph, Strong, Link)):
            found.extend(iter_raw(node.children))
    return found
