"""Reproducible zip archives: the same files give the same bytes, on any machine, at any time."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import quote

DEFAULT_EPOCH = 315532800
"""1980-01-01T00:00:00Z, the earliest time a zip entry can hold: used when SOURCE_DATE_EPOCH is unset."""

_ZIP_MAX_EPOCH = 4354819199
"""2107-12-31T23:59:59Z, the latest time a zip entry can hold."""

STORED_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".zip")
"""Files already compressed: deflating them again costs time and saves nothing, so they are stored."""

_FILE_MODE = 0o100644
"""A regular file readable by everyone: unzip on any LMS server gives the same permissions."""


def zip_timestamp(epoch: int | None) -> tuple[int, int, int, int, int, int]:
    """The entries' date and time (UTC) for ``SOURCE_DATE_EPOCH``, clamped to what zip can store.

    Zip stores times in 2-second steps, so odd seconds are rounded down.
    """
    seconds = DEFAULT_EPOCH if epoch is None else min(max(epoch, DEFAULT_EPOCH), _ZIP_MAX_EPOCH)
    t = time.gmtime(seconds)
    return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)


def deterministic_zip(files: Mapping[str, bytes], epoch: int | None = None) -> bytes:
    """A zip of ``files`` (POSIX path -> bytes): sorted entries, fixed time and permissions.

    Text is deflated; already compressed files (``STORED_SUFFIXES``) are stored as they are.
    """
    stamp = zip_timestamp(epoch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            parts = PurePosixPath(path).parts
            if not parts or path.startswith("/") or ".." in parts or "\\" in path:
                raise ValueError(f"zip entry must be a relative POSIX path: {path!r}")
            info = zipfile.ZipInfo(path, date_time=stamp)
            stored = path.lower().endswith(STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that external_attr holds the permissions below
            info.external_attr = _FILE_MODE << 16
            archive.writestr(info, files[path], compresslevel=None if stored else 9)
    return buffer.getvalue()


def url_path(member: str) -> str:
    """A zip member's name as a relative URL: percent-encoded (UTF-8), ``/`` kept. Members and files keep
    their raw names; the manifest and the pages name them by this URL, which a server decodes back."""
    return quote(member, safe="/")
