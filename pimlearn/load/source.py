"""Reading a source file as text: a BOM is dropped, bad bytes and unreadable files are located errors."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Reporter
from ..model import Loc


def read_source(file: Path, rel_path: str, reporter: Reporter) -> str | None:
    """The UTF-8 text of ``file`` (a leading BOM removed), or None after reporting why it cannot be read."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        what = "it is a folder, not a file" if file.is_dir() else (exc.strerror or str(exc)).lower()
        reporter.error(Loc(rel_path), f"cannot read {file.name}: {what}; make it a readable file", "file-unreadable")
        return None
    return decode_source(data, rel_path, reporter)


def decode_source(data: bytes, rel_path: str, reporter: Reporter) -> str | None:
    """``data`` decoded as UTF-8 (BOM dropped), or None after an error at the line and column of the first bad byte."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        reporter.error(bad_byte_loc(data, exc.start, rel_path), encoding_message(data, exc.start), "encoding")
        return None


def bad_byte_loc(data: bytes, offset: int, rel_path: str) -> Loc:
    """Line and column (in characters) of the byte at ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Loc(rel_path, data.count(b"\n", 0, offset) + 1, column)


def encoding_message(data: bytes, offset: int) -> str:
    """What the bad byte is, and how to fix the file."""
    return (
        f"not valid UTF-8: byte 0x{data[offset]:02X} here (the file looks saved as Latin-1 or Windows-1252); "
        "save it as UTF-8"
    )
