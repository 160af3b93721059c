"""YAML parsing that keeps the line and column of every key and value.

PyYAML's ``safe_load`` forgets where values came from, and its errors count
lines from the start of the YAML text. Authors write YAML inside Markdown
(front matter, question blocks), so both are shifted here to the real line of
the file: an error in a question's third line is reported at that file line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Reporter
from ..model import Loc

Value = Union[None, bool, int, float, str, "dict[str, YNode]", "list[YNode]"]


@dataclass(frozen=True)
class YNode:
    """A YAML value with its place; mappings also know where each key is."""

    value: Value
    loc: Loc
    key_locs: dict[str, Loc] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """'mapping', 'list', 'text', 'number', 'boolean' or 'null' (for messages)."""
        v = self.value
        if isinstance(v, dict):
            return "mapping"
        if isinstance(v, list):
            return "list"
        if isinstance(v, bool):
            return "boolean"
        if isinstance(v, (int, float)):
            return "number"
        if v is None:
            return "null"
        return "text"


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


class _Constructor(SafeConstructor):
    pass


def parse_yaml(text: str, origin: Origin, reporter: Reporter) -> YNode | None:
    """Parse YAML text into located nodes; report syntax errors at the real file line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        message = f"invalid YAML: {problem}"
        if exc.context and exc.problem:
            message = f"invalid YAML: {problem} ({exc.context})"
        reporter.error(origin.loc(mark), message, "yaml-syntax")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors
        reporter.error(origin.loc(None), f"invalid YAML: {exc}", "yaml-syntax")
        return None
    if node is None:
        return YNode(None, origin.loc(None))
    return _convert(node, origin, reporter)


def _convert(node: Node, origin: Origin, reporter: Reporter) -> YNode:
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
            items[key] = _convert(value_node, origin, reporter)
            key_locs[key] = key_loc
        return YNode(items, loc, key_locs)
    if isinstance(node, SequenceNode):
        return YNode([_convert(child, origin, reporter) for child in node.value], loc)
    assert isinstance(node, ScalarNode)
    try:
        value = _Constructor().construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        reporter.error(loc, f"invalid YAML value: {exc.problem}", "yaml-syntax")
        return YNode(None, loc)
    if not isinstance(value, (bool, int, float, str)) and value is not None:
        # Dates and other tagged scalars: keep the text as written.
        value = str(node.value)
    return YNode(value, loc)
