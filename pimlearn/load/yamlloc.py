"""YAML parsing that keeps every value as written, with the line and column of every key and value.

PyYAML's ``safe_load`` resolves plain scalars by YAML 1.1 rules: ``Yes`` becomes
``True``, ``12:30`` becomes ``750``, ``1.10`` becomes ``1.1``. An author who
writes a choice label or a version means the characters they typed, so every
scalar is kept as its source text, with a flag saying whether it was plain
(unquoted); ``MapReader`` turns it into a boolean or a number only for fields
whose schema type is boolean or number.

Authors write YAML inside Markdown (front matter, question blocks), so marks
are shifted to the real line of the file. Aliases are refused (they are the
"billion laughs" expansion bomb and nothing in a course needs them) and
nesting is bounded, so no input can make loading run forever or overflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Reporter
from ..model import Loc
from .yamlerrors import MAX_DEPTH, YamlRefused, explain, place

Value = Union[None, str, "dict[str, YNode]", "list[YNode]"]

STR_TAG = "tag:yaml.org,2002:str"
_TRAILING_COMMENT = re.compile(r"[ \t]#(?P<comment>.*)\Z")
"""One space then '#': most likely part of the text ("Principle #3"); comments are set apart by two or more."""
NULL_SPELLINGS = frozenset({"", "~", "null", "Null", "NULL"})
"""Plain scalars YAML 1.2 (core schema) reads as null: an empty value for every field, the rest only
for fields that are not text (a title written ``~`` is the text "~")."""


@dataclass(frozen=True)
class YNode:
    """A YAML value with its place; mappings also know where each key is.

    Scalars are the text exactly as written (``value`` is a ``str``); ``plain`` says it was not quoted,
    so a schema may read it as a boolean or a number. An empty plain value is ``None``.
    """

    value: Value
    loc: Loc
    key_locs: dict[str, Loc] = field(default_factory=dict)
    plain: bool = False
    comment: str = ""
    """A ``# comment`` after a plain scalar on the same line: YAML drops it from the value."""

    @property
    def kind(self) -> str:
        """'mapping', 'list', 'text' or 'null' (for messages)."""
        v = self.value
        if isinstance(v, dict):
            return "mapping"
        if isinstance(v, list):
            return "list"
        if v is None:
            return "null"
        return "text"

    @property
    def is_null(self) -> bool:
        """True for an empty value and for the plain null spellings ``~`` and ``null``."""
        return self.value is None or (self.plain and isinstance(self.value, str) and self.value in NULL_SPELLINGS)


@dataclass(frozen=True)
class Origin:
    """Where the YAML text starts in its file (1-based line of its first line, column shift)."""

    path: str
    line: int
    col: int = 0

    def loc(self, mark: yaml.Mark | None) -> Loc:
        """The file place of a PyYAML mark (0-based line and column within the text)."""
        if mark is None:
            return Loc(self.path, self.line, 1)
        return Loc(self.path, self.line + mark.line, self.col + mark.column + 1)


class _Resolver(yaml.resolver.BaseResolver):
    """No implicit types: every untagged scalar is a string (the schema decides what it means)."""


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    """A composing-only loader that refuses aliases and bounds nesting."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one node; aliases and nesting past ``MAX_DEPTH`` are refused."""
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlRefused(
                event.start_mark,
                "YAML aliases ('*name') are not supported: write the value out in full "
                "(or put text that starts with '*' in quotes)",
                "yaml-alias",
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise YamlRefused(
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                    f"YAML nested more than {MAX_DEPTH} levels deep: course files never need that many",
                    "yaml-depth",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def parse_yaml(text: str, origin: Origin, reporter: Reporter) -> YNode | None:
    """Parse YAML text into located nodes; report syntax errors at the real file line."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
    except YamlRefused as exc:
        reporter.error(origin.loc(exc.problem_mark), exc.problem or "", exc.code)
        return None
    except yaml.MarkedYAMLError as exc:
        message = explain(exc, text.splitlines(), lambda mark: origin.loc(mark).line)
        reporter.error(origin.loc(place(exc)), message, "yaml-syntax")
        return None
    except yaml.reader.ReaderError as exc:
        # Control characters are refused before parsing starts; place them at their own line.
        before = text[: max(exc.position, 0)]
        mark = yaml.Mark("", exc.position, before.count("\n"), len(before) - before.rfind("\n") - 1, None, 0)
        reporter.error(
            origin.loc(mark),
            f"the character U+{exc.character:04X} cannot appear in YAML: remove it",
            "yaml-syntax",
        )
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked or reader errors
        reporter.error(origin.loc(None), f"this YAML cannot be read: {exc}", "yaml-syntax")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return YNode(None, origin.loc(None))
    return _convert(node, origin, reporter, text.splitlines())


def _convert(node: Node, origin: Origin, reporter: Reporter, lines: list[str]) -> YNode:
    loc = origin.loc(node.start_mark)
    if isinstance(node, MappingNode):
        items: dict[str, YNode] = {}
        key_locs: dict[str, Loc] = {}
        for key_node, value_node in node.value:
            key_loc = origin.loc(key_node.start_mark)
            if not isinstance(key_node, ScalarNode):
                reporter.error(key_loc, "keys must be plain text", "yaml-key")
                continue
            key = str(key_node.value)
            if key in items:
                reporter.error(
                    key_loc,
                    f"duplicate key '{key}' (first at line {key_locs[key].line})",
                    "duplicate-key",
                )
                continue
            items[key] = _convert(value_node, origin, reporter, lines)
            key_locs[key] = key_loc
        return YNode(items, loc, key_locs)
    if isinstance(node, SequenceNode):
        return YNode([_convert(child, origin, reporter, lines) for child in node.value], loc)
    assert isinstance(node, ScalarNode)
    if node.tag != STR_TAG:
        reporter.error(
            loc,
            f"YAML tags such as '{node.tag.replace('tag:yaml.org,2002:', '!!')}' are not used: "
            "write the value without it",
            "yaml-tag",
        )
        return YNode(None, loc)
    plain = node.style is None
    if plain and node.value == "":
        return YNode(None, loc, plain=True)
    return YNode(str(node.value), loc, plain=plain, comment=_comment_after(node, lines) if plain else "")


def _comment_after(node: ScalarNode, lines: list[str]) -> str:
    """The comment that follows a plain scalar on its line (``Principle #3`` is ``Principle`` + a comment)."""
    end = node.end_mark
    if end is None or end.line >= len(lines):
        return ""
    match = _TRAILING_COMMENT.match(lines[end.line][end.column :])
    return match.group("comment") if match else ""
