"""What a build shows on the terminal: a progress bar while it renders, a summary table at the end.

On a terminal the bar redraws one line on stderr; piped into a file or a CI log, the
build prints no bar, only the table (one line per target, so logs stay readable).
Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import click

from .pipeline import Output


def use_color(stream: TextIO) -> bool:
    """Whether to colour what goes to ``stream``: a terminal, and ``NO_COLOR`` unset or empty."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def human_size(size: int) -> str:
    """Bytes as people read them in a build log (decimal units)."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"


class BuildProgress:
    """A progress bar on stderr while targets render (only on a terminal; silent otherwise)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._bar: Any = None

    def __call__(self, done: int, total: int, output: Output) -> None:
        """Advance the bar: ``output`` was just rendered (``done`` of ``total``)."""
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=total,
                label="pimlearn: building",
                file=self.stream,
                color=use_color(self.stream),
                show_eta=False,
                item_show_func=lambda o: f"{o.course} {o.locale} {o.format}" if o else None,
            )
            self._bar.__enter__()
        self._bar.update(1, output)

    def close(self) -> None:
        """Clear the bar (the summary replaces it)."""
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


def summary(outputs: Sequence[Output], stream: TextIO | None = None) -> list[str]:
    """The summary table: each target with its files, size and render time, then the totals."""
    color = use_color(stream or sys.stdout)
    width = max([20, *(len(o.course) for o in outputs)])
    head = f"  {'course':<{width}} {'locale':<6} {'format':<10} {'files':>5} {'size':>8} {'time':>8}"
    lines = [click.style(head, bold=True) if color else head]
    for o in outputs:
        lines.append(
            f"  {o.course:<{width}} {o.locale:<6} {o.format:<10} {o.files:>5} {human_size(o.size):>8}"
            f" {o.seconds:>7.1f}s"
        )
    total = sum(o.size for o in outputs)
    seconds = sum(o.seconds for o in outputs)
    files = sum(o.files for o in outputs)
    lines.append(f"  {'':<{width}} {'':<6} {'total':<10} {files:>5} {human_size(total):>8} {seconds:>7.1f}s")
    return lines
