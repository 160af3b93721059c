"""PyYAML's parser errors as sentences an author can act on.

PyYAML says what its state machine expected ("expected <block end>, but found
'<block mapping start>'"); authors need to know what to change. Each known
problem becomes a sentence with a hint; the error is placed where the broken
construct starts (the context mark) and names the line where PyYAML noticed it.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

MAX_DEPTH = 40
"""How deeply YAML may nest: far beyond any course file, far below Python's recursion limit."""


class YamlRefused(yaml.MarkedYAMLError):
    """YAML that parses but that pimlearn refuses (aliases, deep nesting, tags), with a code."""

    def __init__(self, mark: yaml.Mark | None, message: str, code: str) -> None:
        super().__init__(problem=message, problem_mark=mark)
        self.code = code


def explain(exc: yaml.MarkedYAMLError, lines: list[str], file_line: Callable[[yaml.Mark], int]) -> str:
    """A humane sentence (with a hint) for a PyYAML error.

    ``lines`` are the YAML text's lines; ``file_line`` turns a mark into the line of the file.
    """
    problem = exc.problem or ""
    context = exc.context or ""
    shown = _noticed(lines, exc, file_line)
    if "mapping values are not allowed" in problem:
        return (
            "a colon followed by a space inside a value starts a new key: "
            'put the text in quotes (title: "Note: like this")'
        )
    if "cannot start any token" in problem and "'\\t'" in problem:
        return "a tab indents this line: YAML is indented with spaces only"
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if problem.count("'") >= 2 else "this character"
        return f"a value cannot start with '{char}': put the text in quotes"
    if "quoted scalar" in context:
        if "unknown escape" in problem:
            return "unknown backslash escape inside double quotes: use single quotes, or write a backslash as \\\\"
        return "a quoted value is never closed: add the closing quote (or remove the opening one)"
    if "simple key" in context:
        return (
            f"a line without 'key: value' inside a mapping{shown}: add ':' after the key, "
            "or indent the line as the continuation of the value above"
        )
    if "flow sequence" in context or "flow mapping" in context or "flow node" in context:
        bracket = "]" if "sequence" in context or "flow node" in context else "}"
        return (
            f"a list or mapping in brackets is not closed or lacks a comma{shown}: close it with "
            f"'{bracket}', and put text that holds commas, colons or brackets in quotes"
        )
    if "block end" in problem and "<scalar>" in problem:
        return (
            "unexpected text after a quoted value: when a value starts with a quote, "
            "quote all of it (text: \"'Yes' she said\")"
        )
    if "block end" in problem and ("']'" in problem or "'}'" in problem):
        return "a closing bracket without its opening one: remove it, or put the whole value in quotes"
    if "block end" in problem and "'-'" in problem:
        return (
            f"a list item where a key was expected{shown}: indent the list under its key, "
            "or start the value on the key's line"
        )
    if "block end" in problem or "expected key" in problem or "'-' indicator" in problem:
        return (
            f"inconsistent indentation in the block that starts here{shown}: indent every key of "
            "a mapping and every '-' of a list by the same number of spaces"
        )
    if "block scalar" in context:
        return f"a '|' or '>' block is not indented consistently{shown}: indent all its lines"
    if "anchor" in context or "alias" in context:
        return "'&' and '*' start YAML anchors and aliases, which pimlearn does not use: put the text in quotes"
    if "directive" in context:
        return "'%' cannot start a line of YAML: put the text in quotes"
    detail = problem or context or "unreadable YAML"
    return f"this YAML cannot be read ({detail}){shown}: check indentation and quotes"


def place(exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where to report: the start of the broken construct when PyYAML knows it, else where it noticed.

    Text after a closed quote, or a stray closing bracket, is its own construct: the enclosing mapping's
    start would hide it.
    """
    problem = exc.problem or ""
    if "block end" in problem and any(found in problem for found in ("<scalar>", "']'", "'}'")):
        return exc.problem_mark or exc.context_mark
    return exc.context_mark or exc.problem_mark


def _noticed(lines: list[str], exc: yaml.MarkedYAMLError, file_line: Callable[[yaml.Mark], int]) -> str:
    """' (noticed at line N: `text`)' when the problem shows on another line than the construct starts."""
    mark, start = exc.problem_mark, exc.context_mark
    if mark is None or start is None or mark.line == start.line or mark.line >= len(lines):
        return ""
    text = lines[mark.line].strip()
    return f" (noticed at line {file_line(mark)}: `{text}`)" if text else f" (noticed at line {file_line(mark)})"
