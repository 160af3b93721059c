"""Located diagnostics: collect every problem, print them all, then fail.

Messages read ``path:line:col: error: message [code]`` (the shape compilers and
Sphinx use), so editors and CI annotate the author's line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .model import Loc

Severity = Literal["error", "warning"]

EXIT_OK = 0
EXIT_CONTENT_ERROR = 1
EXIT_USAGE = 2


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place."""

    loc: Loc
    severity: Severity
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.severity}: {self.message} [{self.code}]"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, then position."""
        return (self.loc.path, self.loc.line, self.loc.col, self.message)


@dataclass
class Reporter:
    """Collects diagnostics during a stage; the stage decides when to fail."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Loc, message: str, code: str) -> None:
        """Record an error."""
        self.diagnostics.append(Diagnostic(loc, "error", message, code))

    def warning(self, loc: Loc, message: str, code: str) -> None:
        """Record a warning."""
        self.diagnostics.append(Diagnostic(loc, "warning", message, code))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Record diagnostics found elsewhere."""
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """The errors recorded so far."""
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings recorded so far."""
        return [d for d in self.diagnostics if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        """True when there are errors (or, in strict mode, warnings)."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def raise_if_failed(self, strict: bool = False) -> None:
        """Raise ``ContentError`` with everything collected if the stage failed."""
        if self.failed(strict):
            raise ContentError(self.diagnostics)


class ContentError(Exception):
    """The content or catalogs have errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics), key=lambda d: d.sort_key)
        super().__init__(format_diagnostics(self.diagnostics))


def format_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """All diagnostics in file order, one per line, with a count at the end."""
    items = sorted(set(diagnostics), key=lambda d: d.sort_key)
    lines = [str(d) for d in items]
    errors = sum(1 for d in items if d.severity == "error")
    warnings = len(items) - errors
    if items:
        lines.append(summary(errors, warnings))
    return "\n".join(lines)


def summary(errors: int, warnings: int) -> str:
    """'2 errors, 1 warning'."""
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) or "no problems"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a candidate is close to ``word``, else ''."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when one candidate is close, else ' (expected 'a', 'b' or 'c')'."""
    options = list(candidates)
    return did_you_mean(word, options) or f" (expected {one_of(options)})"


def one_of(values: Iterable[str]) -> str:
    """'a', 'b' or 'c' — for messages that name the allowed set."""
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
