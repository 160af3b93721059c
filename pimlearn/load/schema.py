"""Reading YAML mappings against a schema, with messages that help.

A ``MapReader`` hands out typed values key by key and remembers which keys
were asked for; ``done()`` then reports every other key as unknown, with a
"did you mean" suggestion. A typo never silently falls back to a default.
"""

from __future__ import annotations

import math
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

MAX_NUMBER = 1_000_000
"""No count, duration or score in a course comes near this; larger values are typos or attacks."""

TRUE_SPELLINGS = ("true", "True", "TRUE")
FALSE_SPELLINGS = ("false", "False", "FALSE")
YAML11_BOOLEANS = {"yes": "true", "no": "false", "on": "true", "off": "false", "y": "true", "n": "false"}
"""YAML 1.1 booleans: read as text everywhere (a choice 'Yes'); in a boolean field, a hint."""

# YAML 1.2 core schema numbers (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_FLOAT_SPECIAL = re.compile(r"[-+]?\.(inf|Inf|INF)\Z|\.(nan|NaN|NAN)\Z")

S = TypeVar("S", bound=str)
TextFactory = Callable[[str, Loc], Text]


def core_number(value: str) -> int | float | None:
    """A plain scalar read as a YAML 1.2 core-schema number (``.inf`` included), else ``None``."""
    if _INT.match(value):
        # Past 18 digits the value is out of every range; float() also avoids int()'s 4300-digit limit.
        return int(value) if len(value) <= 19 else float(value)
    if _INT_OCT.match(value):
        return int(value[2:], 8)
    if _INT_HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value) or _FLOAT_SPECIAL.match(value):
        return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return None


def _shown(number: float) -> str:
    """A bound as people write it: 1000000, 0.5."""
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def _clip(value: str, limit: int = 60) -> str:
    """A value short enough to quote in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def scalar_text(node: YNode) -> str | None:
    """The characters of a scalar exactly as written (``None`` for a mapping, a list or an empty value)."""
    return node.value if isinstance(node.value, str) else None


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

    def _type_error(self, key: str, item: YNode, expected: str, hint: str = "") -> None:
        shown = f"'{_clip(item.value)}'" if isinstance(item.value, str) else item.kind
        self.fail(item.loc, f"'{key}' must be {expected}, got {shown}{hint}", "invalid-type")

    def _scalar(self, key: str, item: YNode) -> str | None:
        """The text of a scalar value, or an error for a mapping or a list."""
        value = scalar_text(item)
        if value is None:
            self._type_error(key, item, "text")
        return value

    def warn_comment(self, item: YNode) -> None:
        """Warn when a text value was cut at ' #': YAML reads the rest as a comment, not as the author's text."""
        if item.comment.strip() and isinstance(item.value, str):
            self.reporter.warning(
                item.loc,
                f"the text '{_clip(item.value)}' stops before ' #{_clip(item.comment, 30)}': YAML reads ' #' as the "
                "start of a comment; put the whole text in quotes to keep it (or move the comment to its own line)",
                "yaml-comment",
            )

    def _typed(self, key: str, required: bool) -> YNode | None:
        """The node of a boolean or numeric field: the null spellings (``~``, ``null``) mean absent."""
        item = self.get(key, required)
        if item is not None and item.is_null:
            if required:
                self.fail(item.loc, f"{self.what}: '{key}' needs a value", "missing-key")
            return None
        return item

    def _quoted_hint(self, key: str, item: YNode, number: bool = False) -> str:
        """How to write a value that YAML read as text because it is quoted (a number, or true/false)."""
        value = item.value.strip() if isinstance(item.value, str) else ""
        if item.plain or not value or (number and core_number(value) is None):
            return ""
        return f"; YAML read the string '{value}' because it is quoted: write {key}: {value}"

    # -- typed values ----------------------------------------------------------------

    def string(self, key: str, required: bool = False, default: str = "") -> str:
        """A plain string value (numbers are accepted and turned into text)."""
        item = self.get(key, required)
        if item is None:
            return default
        text = self._scalar(key, item)
        if text is None:
            return default
        value = text.strip()
        if not value and required:
            self.fail(item.loc, f"'{key}' must not be empty", "empty-value")
        return value

    def text(self, key: str, required: bool = False) -> Text | None:
        """A translatable inline-Markdown value."""
        item = self.get(key, required)
        if item is None:
            return None
        text = self._scalar(key, item)
        if text is None:
            return None
        self.warn_comment(item)
        value = text.strip()
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
        item = self._typed(key, required)
        if item is None:
            return default
        number = core_number(item.value) if item.plain and isinstance(item.value, str) else None
        if isinstance(number, float) and math.isfinite(number) and number.is_integer():
            number = int(number)
        if not isinstance(number, int):
            self._type_error(
                key,
                item,
                "a whole number" + (f" of {unit}" if unit else "") + (f" {hint}" if hint else ""),
                self._quoted_hint(key, item, number=True),
            )
            return default
        value = number
        if maximum is None and abs(value) > MAX_NUMBER:
            maximum = MAX_NUMBER
        low_ok = minimum is None or value >= minimum
        high_ok = maximum is None or value <= maximum
        if not (low_ok and high_ok):
            if minimum is not None and maximum is not None:
                bound = f"between {minimum} and {maximum}"
            elif minimum is not None:
                bound = f"at least {minimum}"
            else:
                bound = f"at most {maximum}"
            self.fail(
                item.loc, f"'{key}' must be {bound}{f' {hint}' if hint else ''}, got {item.value}", "out-of-range"
            )
            return default
        return value

    def attempts(self) -> int | None:
        """``attempts``: how many checks a question allows, 1 to ``MAX_ATTEMPTS``; ``None`` when absent."""
        return self.integer("attempts", minimum=1, maximum=MAX_ATTEMPTS, hint=ATTEMPTS_HINT)

    def number(self, key: str, default: float, minimum: float = 0.0, maximum: float = MAX_NUMBER) -> float:
        """A finite number (whole or decimal) between ``minimum`` and ``maximum``."""
        item = self._typed(key, False)
        if item is None:
            return default
        number = core_number(item.value) if item.plain and isinstance(item.value, str) else None
        if number is None:
            self._type_error(key, item, "a number", self._quoted_hint(key, item, number=True))
            return default
        if not math.isfinite(number) or not minimum <= number <= maximum:
            self.fail(
                item.loc,
                f"'{key}' must be a number between {_shown(minimum)} and {_shown(maximum)}, got '{item.value}'",
                "out-of-range",
            )
            return default
        return float(number)

    def flag(self, key: str, default: bool) -> bool:
        """``true`` or ``false``."""
        value = self.boolean(key)
        return default if value is None else value

    def boolean(self, key: str, required: bool = False) -> bool | None:
        """``true`` or ``false`` (YAML 1.2 spellings); ``None`` when absent or wrong."""
        item = self._typed(key, required)
        if item is None:
            return None
        value = item.value if isinstance(item.value, str) else None
        if item.plain and value in TRUE_SPELLINGS:
            return True
        if item.plain and value in FALSE_SPELLINGS:
            return False
        hint = self._quoted_hint(key, item) if value in TRUE_SPELLINGS + FALSE_SPELLINGS else ""
        if value is not None and value.lower() in YAML11_BOOLEANS and not hint:
            hint = f": write {key}: {YAML11_BOOLEANS[value.lower()]}"
        self._type_error(key, item, "true or false", hint)
        return None

    def enum(self, key: str, choices: Sequence[S], default: S | None = None, required: bool = False) -> S | None:
        """One value of an allowed set; the message names the set and the closest value."""
        item = self.get(key, required)
        if item is None:
            return default
        value = scalar_text(item)
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
        if item is None or (item.is_null and not required):
            return []
        if not isinstance(item.value, list):
            self._type_error(key, item, "a list")
            return []
        return item.value

    def strings(self, key: str, required: bool = False) -> list[tuple[str, Loc]]:
        """A list of plain strings, each with its place."""
        out: list[tuple[str, Loc]] = []
        for entry in self.sequence(key, required):
            if isinstance(entry.value, (dict, list)):
                self.fail(entry.loc, f"each entry of '{key}' must be text, got {entry.kind}", "invalid-type")
                continue
            out.append(((scalar_text(entry) or "").strip(), entry.loc))
        return out

    def texts(self, key: str, required: bool = False) -> tuple[Text, ...]:
        """A list of translatable inline-Markdown strings."""
        listed = self.items.get(key)
        for entry in listed.value if listed is not None and isinstance(listed.value, list) else []:
            self.warn_comment(entry)
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
        if item is None or item.is_null:
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
