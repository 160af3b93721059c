"""Reading YAML mappings against a schema, with messages that help.

A ``MapReader`` hands out typed values key by key and remembers which keys
were asked for; ``done()`` then reports every other key as unknown, with a
"did you mean" suggestion. A typo never silently falls back to a default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..diagnostics import Reporter, did_you_mean, one_of
from ..model import Loc, Text
from .yamlloc import YNode

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\Z"
)

MAX_ATTEMPTS = 99
"""The most ``attempts`` a question may allow: beyond that a limit means nothing to a learner."""
ATTEMPTS_HINT = "(leave it out for unlimited attempts)"

S = TypeVar("S", bound=str)
TextFactory = Callable[[str, Loc], Text]


class MapReader:
    """Typed access to one YAML mapping; reports problems, never raises."""

    def __init__(
        self,
        node: YNode,
        what: str,
        reporter: Reporter,
        make_text: TextFactory,
    ) -> None:
        self.node = node
        self.what = what
        self.reporter = reporter
        self.make_text = make_text
        self.items: dict[str, YNode] = node.value if isinstance(node.value, dict) else {}
        self.known: list[str] = []
        self.ok = True
        if not isinstance(node.value, dict):
            self.fail(node.loc, f"{what} must be a mapping of keys to values, got {node.kind}", "invalid-type")

    # -- helpers ---------------------------------------------------------------------

    def fail(self, loc: Loc, message: str, code: str) -> None:
        """Report an error and remember that this mapping is not usable as is."""
        self.ok = False
        self.reporter.error(loc, message, code)

    def key_loc(self, key: str) -> Loc:
        """Where ``key`` is written (or the mapping itself when absent)."""
        return self.node.key_locs.get(key, self.node.loc)

    def value_loc(self, key: str) -> Loc:
        """Where the value of ``key`` is written (or the mapping itself when absent)."""
        item = self.items.get(key)
        return item.loc if item is not None else self.node.loc

    def has(self, key: str) -> bool:
        """True if the key is present (and marks it as known)."""
        self._know(key)
        return key in self.items

    def _know(self, key: str) -> None:
        if key not in self.known:
            self.known.append(key)

    def get(self, key: str, required: bool = False) -> YNode | None:
        """The raw node of ``key``; reports a missing required key."""
        self._know(key)
        item = self.items.get(key)
        if (item is None or item.value is None) and required:
            if isinstance(self.node.value, dict):
                self.fail(self.node.loc, f"{self.what}: missing required key '{key}'", "missing-key")
            return None
        if item is not None and item.value is None:
            return None
        return item

    def _type_error(self, key: str, item: YNode, expected: str) -> None:
        shown = repr(item.value) if item.kind != "mapping" and item.kind != "list" else item.kind
        self.fail(item.loc, f"'{key}' must be {expected}, got {shown}", "invalid-type")

    # -- typed values ----------------------------------------------------------------

    def string(self, key: str, required: bool = False, default: str = "") -> str:
        """A plain string value (numbers are accepted and turned into text)."""
        item = self.get(key, required)
        if item is None:
            return default
        if isinstance(item.value, bool) or not isinstance(item.value, (str, int, float)):
            self._type_error(key, item, "text")
            return default
        value = str(item.value).strip()
        if not value and required:
            self.fail(item.loc, f"'{key}' must not be empty", "empty-value")
        return value

    def text(self, key: str, required: bool = False) -> Text | None:
        """A translatable inline-Markdown value."""
        item = self.get(key, required)
        if item is None:
            return None
        if isinstance(item.value, bool) or not isinstance(item.value, (str, int, float)):
            self._type_error(key, item, "text")
            return None
        value = str(item.value).strip()
        if not value:
            if required:
                self.fail(item.loc, f"'{key}' must not be empty", "empty-value")
            return None
        return self.make_text(value, item.loc)

    def slug(self, key: str, required: bool = False) -> str:
        """An id: lowercase letters and digits in words joined by hyphens."""
        value = self.string(key, required)
        if value and not SLUG.match(value):
            self.fail(
                self.value_loc(key),
                f"'{key}' must be a slug (lowercase letters, digits and single hyphens), got '{value}'",
                "invalid-id",
            )
        return value

    def integer(
        self,
        key: str,
        required: bool = False,
        default: int | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
        unit: str = "",
        hint: str = "",
    ) -> int | None:
        """A whole number, optionally within bounds; ``hint`` (e.g. "(leave it out for ...)") follows the
        expectation in messages."""
        item = self.get(key, required)
        if item is None:
            return default
        value = item.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self._type_error(
                key, item, "a whole number" + (f" of {unit}" if unit else "") + (f" {hint}" if hint else "")
            )
            return default
        low_ok = minimum is None or value >= minimum
        high_ok = maximum is None or value <= maximum
        if not (low_ok and high_ok):
            if minimum is not None and maximum is not None:
                bound = f"between {minimum} and {maximum}"
            elif minimum is not None:
                bound = f"at least {minimum}"
            else:
                bound = f"at most {maximum}"
            self.fail(item.loc, f"'{key}' must be {bound}{f' {hint}' if hint else ''}, got {value}", "out-of-range")
            return default
        return value

    def attempts(self) -> int | None:
        """``attempts``: how many checks a question allows, 1 to ``MAX_ATTEMPTS``; ``None`` when absent."""
        return self.integer("attempts", minimum=1, maximum=MAX_ATTEMPTS, hint=ATTEMPTS_HINT)

    def number(self, key: str, default: float, minimum: float = 0.0) -> float:
        """A number (whole or decimal) not below ``minimum``."""
        item = self.get(key)
        if item is None:
            return default
        if isinstance(item.value, bool) or not isinstance(item.value, (int, float)):
            self._type_error(key, item, "a number")
            return default
        if item.value < minimum:
            self.fail(item.loc, f"'{key}' must be at least {minimum:g}, got {item.value}", "out-of-range")
            return default
        return float(item.value)

    def flag(self, key: str, default: bool) -> bool:
        """``true`` or ``false``."""
        item = self.get(key)
        if item is None:
            return default
        if not isinstance(item.value, bool):
            self._type_error(key, item, "true or false")
            return default
        return item.value

    def enum(self, key: str, choices: Sequence[S], default: S | None = None, required: bool = False) -> S | None:
        """One value of an allowed set; the message names the set and the closest value."""
        item = self.get(key, required)
        if item is None:
            return default
        value = str(item.value) if not isinstance(item.value, (dict, list)) else None
        for choice in choices:
            if value == choice:
                return choice
        hint = did_you_mean(value, choices) if value is not None else ""
        shown = f"'{value}'" if value is not None else item.kind
        self.fail(item.loc, f"'{key}' must be {one_of(choices)}, got {shown}{hint}", "invalid-value")
        return default

    def sequence(self, key: str, required: bool = False) -> list[YNode]:
        """A YAML list (a missing optional key is an empty list)."""
        item = self.get(key, required)
        if item is None:
            return []
        if not isinstance(item.value, list):
            self._type_error(key, item, "a list")
            return []
        return item.value

    def strings(self, key: str, required: bool = False) -> list[tuple[str, Loc]]:
        """A list of plain strings, each with its place."""
        out: list[tuple[str, Loc]] = []
        for entry in self.sequence(key, required):
            if isinstance(entry.value, bool) or not isinstance(entry.value, (str, int, float)):
                self.fail(entry.loc, f"each entry of '{key}' must be text, got {entry.kind}", "invalid-type")
                continue
            out.append((str(entry.value).strip(), entry.loc))
        return out

    def texts(self, key: str, required: bool = False) -> tuple[Text, ...]:
        """A list of translatable inline-Markdown strings."""
        texts = []
        for value, loc in self.strings(key, required):
            if not value:
                self.fail(loc, f"entries of '{key}' must not be empty", "empty-value")
                continue
            texts.append(self.make_text(value, loc))
        return tuple(texts)

    def mapping(self, key: str) -> MapReader | None:
        """A nested mapping, read with its own reader."""
        item = self.get(key)
        if item is None:
            return None
        return MapReader(item, f"'{key}'", self.reporter, self.make_text)

    # -- finishing -------------------------------------------------------------------

    def done(self, allowed_hint: str = "") -> None:
        """Report every key that no accessor asked for, with a suggestion when close."""
        for key, loc in self.node.key_locs.items():
            if key in self.known:
                continue
            hint = did_you_mean(key, self.known)
            expected = "" if hint else f" (expected {allowed_hint or one_of(sorted(self.known))})"
            self.fail(loc, f"unknown key '{key}' in {self.what}{hint}{expected}", "unknown-key")
