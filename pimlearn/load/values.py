"""``{{ name }}`` values: the placeholder syntax, reading ``values:`` mappings, and filling texts in.

Placeholders are plain text to Markdown and to gettext, so a msgid keeps them and translators keep
them too (``checks.shape_problems``). They are filled in on the model after translation, with plain
text only: no template language runs, and renderers escape a value like every other text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace

from ..model import Code, Course, Emph, Inline, Link, Loc, Module, Str, Strong, Text, iter_texts, map_texts
from .schema import MapReader, scalar_text

PLACEHOLDER = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
"""``{{ name }}`` (spaces optional): a lowercase name of letters, digits and underscores."""
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
LOOKALIKE = re.compile(r"\{\{[^{}\n]{0,60}\}\}")
"""Anything written in double braces: what is not a ``PLACEHOLDER`` would show as written."""
MAX_VALUE = 200
"""A value is a name, a place or a contact: longer text belongs in a section the course adds."""


def read_values(r: MapReader, key: str = "values") -> tuple[tuple[str, str, Loc], ...]:
    """The ``values:`` mapping of ``r``: (name, text, where the value is written), each checked."""
    sub = r.mapping(key)
    if sub is None:
        return ()
    out: list[tuple[str, str, Loc]] = []
    for name, node in sub.items.items():
        sub.has(name)
        loc = sub.key_loc(name)
        if not NAME.match(name):
            sub.fail(
                loc,
                f"value name '{name}' must be lowercase letters, digits and underscores, starting with a letter "
                "(it is written {{ name }} in the text)",
                "invalid-value",
            )
            continue
        text = scalar_text(node)
        if text is None or not text.strip():
            sub.fail(node.loc, f"value '{name}' must be a non-empty text, got {node.kind}", "invalid-type")
            continue
        sub.warn_comment(node)
        value = text.strip()
        if "\n" in value or len(value) > MAX_VALUE or PLACEHOLDER.search(value):
            sub.fail(
                node.loc,
                f"value '{name}' must be one line of at most {MAX_VALUE} characters without {{{{ }}}}: "
                "add longer text as a section of the course",
                "invalid-value",
            )
            continue
        out.append((name, value, loc))
    r.ok = r.ok and sub.ok
    return tuple(out)


def placeholders(text: Text) -> Iterator[str]:
    """The names of the ``{{ name }}`` placeholders a text's plain runs hold."""
    for node in _walk(text.inlines):
        if isinstance(node, (Str, Code)):
            yield from PLACEHOLDER.findall(node.text)


def malformed(text: Text) -> Iterator[str]:
    """Double-brace runs of a text that are not placeholders (``{{ Country }}``, ``{{ a b }}``)."""
    for node in _walk(text.inlines):
        if isinstance(node, (Str, Code)):
            yield from (m for m in LOOKALIKE.findall(node.text) if not PLACEHOLDER.fullmatch(m))


def used_names(node: object) -> Iterator[tuple[str, Text]]:
    """Every placeholder name used in a model object, with the text that uses it."""
    for text in iter_texts(node):
        for name in placeholders(text):
            yield name, text


def fill_text(text: Text, values: Mapping[str, str]) -> Text:
    """``text`` with each known placeholder replaced by its value (unknown ones stay, already reported)."""
    if "{{" not in text.source:
        return text

    def sub(value: str) -> str:
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), value)

    return replace(text, source=sub(text.source), inlines=_fill(text.inlines, sub))


def fill_course(course: Course) -> Course:
    """The course with every placeholder filled in: course texts from the course's values, each module's
    from its own (its defaults overridden by the course's)."""
    course_values = dict(course.values)
    head = map_texts(replace(course, modules=()), lambda t: fill_text(t, course_values))
    return replace(head, modules=tuple(fill_module(m) for m in course.modules))


def fill_module(module: Module) -> Module:
    """The module with its placeholders filled in from ``module.values``."""
    values = dict(module.values)
    return map_texts(module, lambda t: fill_text(t, values)) if values else module


def _fill(inlines: tuple[Inline, ...], sub: Callable[[str], str]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Str):
            out.append(Str(sub(node.text)))
        elif isinstance(node, Code):
            out.append(Code(sub(node.text)))
        elif isinstance(node, (Emph, Strong, Link)):
            out.append(replace(node, children=_fill(node.children, sub)))
        else:
            out.append(node)
    return tuple(out)


def _walk(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        if isinstance(node, (Emph, Strong, Link)):
            yield from _walk(node.children)
