"""GNU gettext tools: ``msgfmt --check`` and ``msgmerge``, with their output turned into diagnostics.

msgmerge is the merge engine (polib's merge does not mark changed strings fuzzy);
msgfmt is the reference parser and checker of catalogs (Debian package ``gettext``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Loc

_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<msg>.+)$")
_NOISE = re.compile(
    r"header field '(PO-Revision-Date|Last-Translator|Language-Team)' "
    r"(still has the initial default value|missing in header)"
)
"""Editor-maintained header fields: Poedit and Weblate fill them in; their absence is not a problem."""


class ToolMissing(Exception):
    """A GNU gettext program is not installed."""


def tool(name: str) -> str:
    """The path of a gettext program, or ``ToolMissing`` with the install hint."""
    found = shutil.which(name)
    if not found:
        raise ToolMissing(
            f"'{name}' (GNU gettext) is needed for translations: install it (Debian/Ubuntu: apt install gettext)"
        )
    return found


BOM = b"\xef\xbb\xbf"


@contextmanager
def without_bom(path: Path) -> Iterator[Path]:
    """``path``, or a copy without its UTF-8 byte-order mark (editors add one; gettext's tools refuse it)."""
    try:
        with open(path, "rb") as handle:
            has_bom = handle.read(3) == BOM
    except OSError:
        has_bom = False
    if not has_bom:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="pimlearn-bom-") as tmp:
        copy = Path(tmp) / path.name
        copy.write_bytes(path.read_bytes().removeprefix(BOM))
        yield copy


def msgfmt_check(path: Path, shown: str) -> list[Diagnostic]:
    """``msgfmt --check`` on a catalog: syntax, header, plural and format problems located at its lines."""
    with without_bom(path) as readable:
        return _msgfmt_check(readable, shown)


def _msgfmt_check(path: Path, shown: str) -> list[Diagnostic]:
    result = subprocess.run(
        [tool("msgfmt"), "--check", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    found: list[Diagnostic] = []
    for raw in result.stderr.splitlines():
        match = _LINE.match(raw)
        if not match or _NOISE.search(raw):
            continue
        message = match.group("msg").strip()
        if message.startswith("...this is the location of the first definition") and found:
            # The second line of a duplicate: say where the first one is, on the duplicate's own line.
            first = f" (first defined at line {match.group('line')}): remove one of them"
            found[-1] = Diagnostic(found[-1].loc, found[-1].severity, found[-1].message + first, found[-1].code)
            continue
        severity = "error"
        if message.startswith("warning: "):
            severity, message = "warning", message.removeprefix("warning: ")
        code = "catalog-syntax" if severity == "error" else "catalog-warning"
        line = int(match.group("line"))
        if "end-of-line within string" in message:
            line -= 1  # msgfmt counts the line after the unterminated string
        loc = Loc(shown, max(1, line), int(match.group("col") or 0))
        found.append(Diagnostic(loc, severity, f"msgfmt: {message}", code))  # type: ignore[arg-type]
    if result.returncode != 0 and not any(d.severity == "error" for d in found):
        detail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"
        found.append(Diagnostic(Loc(shown, 1), "error", f"msgfmt --check: {detail}", "catalog-syntax"))
    return found


def msgmerge(old: Path, template: Path, out: Path) -> None:
    """``msgmerge --previous --no-wrap``: keep translations, mark changed strings fuzzy with ``#|`` previous text."""
    with without_bom(old) as readable:
        result = subprocess.run(
            [tool("msgmerge"), "--quiet", "--previous", "--no-wrap", "-o", str(out), str(readable), str(template)],
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"msgmerge failed on {old}: {result.stderr.strip()}")
