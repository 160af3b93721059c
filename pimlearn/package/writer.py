"""The one writer: every output file goes through here, atomically.

Nothing is written until every artifact of the build exists in memory, so a
failed build leaves the output folder exactly as it was. Each file is written
to a temporary file beside it and renamed into place; unchanged files are not
touched (their modification time stays, so sync tools and LMS uploads see no
change); stale files inside folders the build owns are removed.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .artifact import Artifact


class DuplicateOutput(Exception):
    """Two artifacts claim the same output path."""


@dataclass(frozen=True)
class WriteReport:
    """What the writer did."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def check_paths(artifacts: Iterable[Artifact]) -> None:
    """Refuse duplicate or escaping output paths before anything is written."""
    seen: set[str] = set()
    for artifact in artifacts:
        path = PurePosixPath(artifact.path)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"artifact path must stay inside the output folder: {artifact.path!r}")
        if artifact.path in seen:
            raise DuplicateOutput(f"two outputs would be written to {artifact.path}")
        seen.add(artifact.path)


def write_artifacts(artifacts: Sequence[Artifact], out_dir: Path, owned: Iterable[str] = ()) -> WriteReport:
    """Write every artifact under ``out_dir``; prune the ``owned`` files that no artifact wrote.

    An ``owned`` entry is a folder (everything under it) or a glob pattern
    (``c/en/slides/*.pptx``), so formats sharing a folder each prune only their own files.
    """
    check_paths(artifacts)
    written: list[str] = []
    unchanged: list[str] = []
    for artifact in artifacts:
        target = out_dir / artifact.path
        if target.is_file() and target.stat().st_size == len(artifact.data) and target.read_bytes() == artifact.data:
            unchanged.append(artifact.path)
            continue
        _atomic_write(target, artifact.data)
        written.append(artifact.path)
    removed = _prune(out_dir, owned, {a.path for a in artifacts})
    return WriteReport(tuple(written), tuple(unchanged), tuple(removed))


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _owned_entries(owned: Iterable[str]) -> list[tuple[str, str]]:
    """(folder, pattern) per owned entry: a folder owns everything under it, a glob only what it matches."""
    return [(e, "*") if not any(c in e for c in "*?[") else (e.rsplit("/", 1)[0], e) for e in owned]


def _prune(out_dir: Path, owned: Iterable[str], keep: set[str]) -> list[str]:
    removed: list[str] = []
    for folder, pattern in _owned_entries(owned):
        base = out_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            rel = path.relative_to(out_dir).as_posix()
            matches = pattern == "*" or fnmatch.fnmatchcase(rel, pattern)
            if path.is_file() and matches and rel not in keep:
                path.unlink()
                removed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return removed


def planned_files(
    out_dir: Path, artifacts: Sequence[Artifact], owned: Iterable[str], folders: Iterable[str]
) -> dict[str, int]:
    """Every file under ``folders`` of ``out_dir`` once ``write_artifacts`` has run (path -> size), read-only.

    Files there now, less those the write would prune, plus the artifacts: what an index of
    the output folder (the catalogue) lists, computed before anything is written.
    """
    entries = _owned_entries(owned)
    keep = {a.path: len(a.data) for a in artifacts}
    files: dict[str, int] = {}
    for folder in folders:
        base = out_dir / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            rel = path.relative_to(out_dir).as_posix()
            if not path.is_file() or path.name.startswith("."):
                continue
            pruned = any(rel.startswith(f"{f}/") and (p == "*" or fnmatch.fnmatchcase(rel, p)) for f, p in entries)
            if not pruned:
                files[rel] = path.stat().st_size
    files.update(keep)
    return files


def write_text_atomic(target: Path, text: str) -> bool:
    """Write a text file atomically if its content changed; True when written."""
    data = text.encode("utf-8")
    if target.is_file() and target.read_bytes() == data:
        return False
    _atomic_write(target, data)
    return True
