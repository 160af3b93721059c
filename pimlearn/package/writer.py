"""The one writer: every output file goes through here, in one transaction.

Nothing is written until every artifact of the build exists in memory, and then
every new or changed file is staged and switched in at once (``transaction.py``):
a build that fails, runs out of space or is killed leaves the output folder as
it was. Unchanged files are not touched (their modification time stays, so sync
tools and LMS uploads see no change); stale files inside folders the build owns
are removed. The writer owns ``<out>/<course>/``; anything else a user puts in
the output folder is left alone.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .artifact import Artifact
from .transaction import STAGING, WriteFailed, commit, exclusive, recover, remove_leftover_temp_files

__all__ = ["RECORD", "DuplicateOutput", "WriteFailed", "WriteReport", "check_paths", "write_artifacts", "write_files"]

RECORD = ".pimlearn-folders.json"
"""The course folders pimlearn has written in an output folder (a complete build removes stale ones)."""


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


def write_artifacts(
    artifacts: Sequence[Artifact], out_dir: Path, owned: Iterable[str] = (), complete: bool = False
) -> WriteReport:
    """Write every artifact under ``out_dir`` in one transaction; prune the ``owned`` files no artifact wrote.

    An ``owned`` entry is a folder (everything under it) or a glob pattern
    (``c/en/slides/*.pptx``), so formats sharing a folder each prune only their own files.
    A ``complete`` build (every course, locale and format) also removes the course folders
    of earlier builds that it no longer writes; other files in ``out_dir`` are never touched.
    Raises ``WriteFailed`` (and changes nothing) when a file cannot be written.
    """
    check_paths(artifacts)
    with exclusive(out_dir / STAGING):
        return _write_locked(artifacts, out_dir, list(owned), complete)


def _write_locked(artifacts: Sequence[Artifact], out_dir: Path, owned: list[str], complete: bool) -> WriteReport:
    # Undo a killed run's half switch first: "unchanged" must be judged against the old files.
    recover(out_dir)
    folders = {PurePosixPath(a.path).parts[0] for a in artifacts if len(PurePosixPath(a.path).parts) > 1}
    remove_leftover_temp_files(out_dir / f for f in sorted(folders))
    recorded = _recorded_folders(out_dir)
    if complete:
        owned += sorted(recorded - folders)
    record = sorted(folders if complete else folders | recorded)
    written: list[str] = []
    unchanged: list[str] = []
    files: dict[str, bytes] = {}
    for artifact in artifacts:
        if _same_file(out_dir / artifact.path, artifact.data):
            unchanged.append(artifact.path)
        else:
            files[artifact.path] = artifact.data
            written.append(artifact.path)
    record_data = (json.dumps({"version": 1, "folders": record}, indent=1) + "\n").encode("utf-8")
    if not _same_file(out_dir / RECORD, record_data):
        files[RECORD] = record_data
    removed = _stale(out_dir, owned, {a.path for a in artifacts})
    commit(out_dir, files, removed)
    _remove_empty_dirs(out_dir, owned)
    return WriteReport(tuple(written), tuple(unchanged), tuple(removed))


def _same_file(target: Path, data: bytes) -> bool:
    try:
        return target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False  # unreadable: rewrite it (the write says why when that fails too)


def _recorded_folders(out_dir: Path) -> set[str]:
    """The course folders earlier builds wrote (``RECORD``): a complete build removes those it no longer writes."""
    try:
        data = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
        return {f for f in data["folders"] if isinstance(f, str) and f and "/" not in f and f not in (".", "..")}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def _owned_files(out_dir: Path, owned: Iterable[str]) -> Iterator[tuple[Path, str]]:
    for entry in owned:
        folder, pattern = (entry, "*") if not any(c in entry for c in "*?[") else (entry.rsplit("/", 1)[0], entry)
        base = out_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*"), reverse=True):
            rel = path.relative_to(out_dir).as_posix()
            if pattern == "*" or fnmatch.fnmatchcase(rel, pattern):
                yield path, rel


def _stale(out_dir: Path, owned: Iterable[str], keep: set[str]) -> list[str]:
    stale = {rel for path, rel in _owned_files(out_dir, owned) if rel not in keep and not path.is_dir()}
    return sorted(stale, reverse=True)


def _remove_empty_dirs(out_dir: Path, owned: Iterable[str]) -> None:
    for entry in owned:
        folder = entry if not any(c in entry for c in "*?[") else entry.rsplit("/", 1)[0]
        base = out_dir / folder
        if not base.is_dir():
            continue
        for path in [*sorted(base.rglob("*"), reverse=True), base]:
            if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
                path.rmdir()


def write_files(files: Mapping[Path, str], staging: Path, folders: Iterable[Path] = ()) -> list[Path]:
    """Write the text files whose content changed, all at once (one transaction staged in ``staging``).

    Returns the files written. A switch a killed earlier run left half done is undone first,
    and its temporary files beside ``files`` and in ``folders`` are removed.
    """
    root = Path(os.path.commonpath([staging.parent, *files]))
    with exclusive(staging):
        recover(root, staging)
        remove_leftover_temp_files({*folders, *(path.parent for path in files)})
        encoded = {path: text.encode("utf-8") for path, text in files.items()}
        changed = {path: data for path, data in encoded.items() if not _same_file(path, data)}
        commit(root, {path.relative_to(root).as_posix(): data for path, data in changed.items()}, staging=staging)
    return list(changed)


def planned_files(
    out_dir: Path, artifacts: Sequence[Artifact], owned: Iterable[str], folders: Iterable[str]
) -> dict[str, int]:
    """Every file under ``folders`` of ``out_dir`` once ``write_artifacts`` has run (path -> size), read-only.

    Files there now, less those the write would prune, plus the artifacts: what an index of
    the output folder (the catalogue) lists, computed before anything is written.
    """
    keep = {a.path: len(a.data) for a in artifacts}
    stale = set(_stale(out_dir, owned, set(keep)))
    files: dict[str, int] = {}
    for folder in folders:
        base = out_dir / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            rel = path.relative_to(out_dir).as_posix()
            if path.is_file() and not path.name.startswith(".") and rel not in stale:
                files[rel] = path.stat().st_size
    files.update(keep)
    return files
