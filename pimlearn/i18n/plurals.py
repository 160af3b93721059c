"""Plural-Forms headers compared by meaning: a tiny, safe evaluator for gettext's C expressions.

Weblate writes ``nplurals=2; plural=n > 1;``, msginit ``nplurals=2; plural=(n > 1);``:
the same rule. Two headers agree when they have the same ``nplurals`` and give the
same form index for every n from 0 to 1000. The expression is parsed by a small
recursive-descent parser for the C subset gettext allows (``n``, integers,
``?:``, ``|| && == != < > <= >= + - * / %``, ``!``, parentheses); nothing is ever
passed to ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

Rule = Callable[[int], int]

_HEADER = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$", re.S)
_TOKEN = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
CHECKED = range(1001)
"""The numbers two rules must agree on."""


class PluralError(ValueError):
    """A Plural-Forms header that is not a valid gettext rule."""


@dataclass(frozen=True)
class PluralRule:
    """A parsed Plural-Forms header: how many forms, and the form index of each n."""

    nplurals: int
    indexes: tuple[int, ...]
    """The form index of n for every n in ``CHECKED``."""

    def same_as(self, other: PluralRule) -> bool:
        """True when both rules pick the same form for every checked n."""
        return self.nplurals == other.nplurals and self.indexes == other.indexes


@lru_cache(maxsize=64)
def parse_plural_forms(header: str) -> PluralRule:
    """Parse ``nplurals=N; plural=EXPR;`` and evaluate it on 0…1000; ``PluralError`` when invalid."""
    # Cached: every catalog of a locale carries the same header, and evaluating 1,001 numbers is not free.
    match = _HEADER.match(header)
    if not match:
        raise PluralError("expected 'nplurals=N; plural=EXPRESSION;'")
    nplurals = int(match.group(1))
    if not 1 <= nplurals <= 10:
        raise PluralError(f"nplurals={nplurals} is not between 1 and 10")
    rule = _Parser(match.group(2)).parse()
    indexes = []
    for n in CHECKED:
        try:
            index = rule(n)
        except ZeroDivisionError:
            raise PluralError(f"the expression divides by zero for n={n}") from None
        if not 0 <= index < nplurals:
            raise PluralError(f"the expression gives form {index} for n={n}, but nplurals={nplurals}")
        indexes.append(index)
    return PluralRule(nplurals, tuple(indexes))


def same_plural_rule(a: str, b: str) -> bool:
    """True when two Plural-Forms headers mean the same (False when either is invalid)."""
    try:
        return parse_plural_forms(a).same_as(parse_plural_forms(b))
    except PluralError:
        return False


def _c_div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def _c_mod(a: int, b: int) -> int:
    return a - b * _c_div(a, b)


_BINARY: dict[str, Callable[[int, int], int]] = {
    "||": lambda a, b: int(bool(a) or bool(b)),
    "&&": lambda a, b: int(bool(a) and bool(b)),
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b),
    ">=": lambda a, b: int(a >= b),
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _c_div,
    "%": _c_mod,
}
_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))
"""Binary operators from the loosest to the tightest binding, as in C."""


class _Parser:
    """Recursive descent over the tokens of one expression; builds closures, never code."""

    def __init__(self, text: str) -> None:
        self.tokens: list[str] = []
        position = 0
        text = text.rstrip()
        while position < len(text):
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                raise PluralError(f"unexpected {text[position:].strip()[:10]!r} in the plural expression")
            self.tokens.append(match.group(match.lastindex or 0))
            position = match.end()
        self.at = 0

    def parse(self) -> Rule:
        rule = self._ternary()
        if self.at != len(self.tokens):
            raise PluralError(f"unexpected {self.tokens[self.at]!r} in the plural expression")
        return rule

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None or (expected is not None and token != expected):
            raise PluralError(f"expected {expected or 'more'} in the plural expression")
        self.at += 1
        return token

    def _ternary(self) -> Rule:
        condition = self._binary(0)
        if self._peek() != "?":
            return condition
        self._take("?")
        then = self._ternary()
        self._take(":")
        otherwise = self._ternary()
        return lambda n: then(n) if condition(n) else otherwise(n)

    def _binary(self, level: int) -> Rule:
        if level == len(_LEVELS):
            return self._unary()
        left = self._binary(level + 1)
        while self._peek() in _LEVELS[level]:
            operate = _BINARY[self._take()]
            right = self._binary(level + 1)
            left = _combine(operate, left, right)
        return left

    def _unary(self) -> Rule:
        token = self._peek()
        if token == "!":
            self._take()
            inner = self._unary()
            return lambda n: int(not inner(n))
        if token == "-":
            self._take()
            negated = self._unary()
            return lambda n: -negated(n)
        if token == "(":
            self._take()
            inner = self._ternary()
            self._take(")")
            return inner
        if token == "n":
            self._take()
            return lambda n: n
        if token is not None and token.isdigit():
            value = int(self._take())
            return lambda n: value
        raise PluralError(f"expected a number, 'n' or '(' in the plural expression, found {token!r}")


def _combine(operate: Callable[[int, int], int], left: Rule, right: Rule) -> Rule:
    return lambda n: operate(left(n), right(n))
