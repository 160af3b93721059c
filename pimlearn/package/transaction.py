"""All-or-nothing file updates: stage every file, then switch with a journal that undoes a half-done switch.

A transaction changes files under a ``base`` folder:

1. every new file is written into a staging folder inside ``base`` (same filesystem, so
   the switch is made of renames, which cannot run out of space);
2. a journal listing every change is written, then each old file is moved into the
   staging folder's backup and the new one renamed into place;
3. deleting the journal is the commit; the staging folder is removed after it.

A failure before the journal exists changes nothing. A failure during the switch is
undone at once; a process killed during it (power cut, SIGKILL) leaves the journal
behind, and the next transaction (or ``recover``) puts every old file back first.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STAGING = ".pimlearn-staging"
"""The staging folder's name, inside the folder a transaction writes to."""
_JOURNAL = "journal.json"
_LEFTOVER_TMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
"""Temporary files of single-file atomic writes (``mkstemp``'s names): left behind only by a killed process."""


class WriteFailed(Exception):
    """A file could not be written; everything the transaction had changed was put back."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class _Op:
    path: str
    old: bool
    """An old file was there (it is backed up before being replaced or removed)."""
    new: bool
    """A new file takes its place (False: the old file is removed)."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def commit(base: Path, files: Mapping[str, bytes], remove: Iterable[str] = (), staging: Path | None = None) -> None:
    """Write ``files`` and delete ``remove`` (paths relative to ``base``) all at once, or change nothing.

    Raises ``WriteFailed`` naming the file that could not be written.
    """
    stage = staging or base / STAGING
    recover(base, stage)
    removals = [p for p in dict.fromkeys(remove) if p not in files]
    if not files and not removals:
        return
    current = base
    try:
        _prepare(base, stage)
        for rel, data in files.items():
            current = base / rel
            _stage_file(stage / "new" / rel, data)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise WriteFailed(current, _reason(exc)) from None
    ops = [_Op(rel, (base / rel).is_file(), True) for rel in files]
    ops += [_Op(rel, True, False) for rel in removals if (base / rel).is_file()]
    created = sorted(_missing_dirs(base, list(files)))
    failed = base
    try:
        _write_journal(base, stage, ops, created)
        for op in ops:
            failed = base / op.path
            _switch(base, stage, op)
    except OSError as exc:
        try:
            _rollback(base, stage)
        except OSError:
            # The journal and the backups stay: the next run puts the old files back.
            raise WriteFailed(failed, f"{_reason(exc)} (the next run restores the old files)") from None
        shutil.rmtree(stage, ignore_errors=True)
        raise WriteFailed(failed, _reason(exc)) from None
    (stage / _JOURNAL).unlink()  # the commit point
    shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def exclusive(stage: Path) -> Iterator[None]:
    """Hold the write lock of the folder ``stage`` is in: one pimlearn process writes it at a time.

    The lock (``flock`` on ``<stage>.lock``) dies with its process, so a killed run never blocks
    the next; while it is held, no other run can take the staging folder for a killed run's.
    """
    folder = stage.parent
    if folder.exists() and not folder.is_dir():
        raise WriteFailed(folder, "it is a file, not a folder")
    lock = stage.with_name(stage.name + ".lock")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WriteFailed(folder, _reason(exc)) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise WriteFailed(folder, "another pimlearn run is writing this folder; wait for it to finish") from None
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()  # the lock is only needed while held: leave no file behind
        os.close(fd)


def recover(base: Path, staging: Path | None = None) -> bool:
    """Undo a switch a killed process left half done, and remove its staging folder; True when there was one."""
    stage = staging or base / STAGING
    if not stage.exists():
        return False
    if (stage / _JOURNAL).is_file():
        _rollback(base, stage)
    shutil.rmtree(stage, ignore_errors=True)
    return True


def remove_leftover_temp_files(folders: Iterable[Path]) -> list[Path]:
    """Delete temporary files (``.name.XXXXXXXX.tmp``) a killed single-file write left in ``folders``."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob(".*.tmp"):
            if _LEFTOVER_TMP.match(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def _prepare(base: Path, stage: Path) -> None:
    if base.exists() and not base.is_dir():
        raise NotADirectoryError(20, "it is a file, not a folder", str(base))
    base.mkdir(parents=True, exist_ok=True)
    stage.mkdir()


def _stage_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())  # a rename must never make an empty file visible after a crash
    os.chmod(path, 0o644)


def _missing_dirs(base: Path, paths: list[str]) -> set[str]:
    missing: set[str] = set()
    for rel in paths:
        parent = Path(rel).parent
        while parent.parts and not (base / parent).is_dir():
            missing.add(parent.as_posix())
            parent = parent.parent
    return missing


def _write_journal(base: Path, stage: Path, ops: list[_Op], created: list[str]) -> None:
    data = {"base": str(base), "ops": [[op.path, op.old, op.new] for op in ops], "created": created}
    tmp = stage / f"{_JOURNAL}.part"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, stage / _JOURNAL)


def _switch(base: Path, stage: Path, op: _Op) -> None:
    target = base / op.path
    if op.old:
        backup = stage / "old" / op.path
        backup.parent.mkdir(parents=True, exist_ok=True)
        os.replace(target, backup)
    if op.new:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(stage / "new" / op.path, target)


def _rollback(base: Path, stage: Path) -> None:
    """Put every old file back: the journal says what each step did, the staging folder what was moved."""
    try:
        journal = json.loads((stage / _JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no journal: the switch had not started, nothing to undo
    base = Path(journal.get("base", base))  # the folder the killed run wrote to
    for path, old, new in reversed(journal["ops"]):
        target = base / path
        if new and not (stage / "new" / path).exists() and target.is_file():
            target.unlink()  # the new file had been moved in
        backup = stage / "old" / path
        if old and backup.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(backup, target)
    for folder in sorted(journal.get("created", []), key=len, reverse=True):
        with contextlib.suppress(OSError):  # not empty (something else lives there now) or already gone
            (base / folder).rmdir()
    (stage / _JOURNAL).unlink(missing_ok=True)
