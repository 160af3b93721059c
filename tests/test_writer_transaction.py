"""The writer is all-or-nothing: a failed, full or killed write leaves the output folder as it was.

Kill tests run the writer in a child process that dies (``os._exit``, like SIGKILL: no cleanup
runs) at chosen points of the switch; the next write must find the output all old, never mixed.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from pimlearn.package import transaction
from pimlearn.package.artifact import Artifact
from pimlearn.package.transaction import STAGING, WriteFailed, commit, recover
from pimlearn.package.writer import RECORD, write_artifacts

OLD = {f"c/en/web/page{i}.html": f"old {i}".encode() for i in range(8)}
NEW = {**{f"c/en/web/page{i}.html": f"new {i}".encode() for i in range(6)}, "c/en/web/added.html": b"added"}
"""The new build changes six pages, drops two (stale, removed) and adds one."""


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path (the writer's record and a killed run's empty lock file excluded)."""
    skip = (RECORD, f"{STAGING}.lock")
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name not in skip
    }


def old_build(out: Path) -> dict[str, bytes]:
    """``out`` holding the old build plus a file of the user's; returns its snapshot."""
    write_artifacts([Artifact(p, d) for p, d in OLD.items()], out, owned=["c/en/web"])
    (out / "notes.txt").write_text("the user's own file")
    return snapshot(out)


def new_build(out: Path) -> None:
    """The new build, owning the web folder."""
    write_artifacts([Artifact(p, d) for p, d in NEW.items()], out, owned=["c/en/web"])


def expected_new(before: dict[str, bytes]) -> dict[str, bytes]:
    """What a successful new build leaves."""
    return {**{k: v for k, v in before.items() if not k.startswith("c/")}, **NEW}


# --------------------------------------------------------------------------- failures inside the process


def test_a_failure_while_staging_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    before = old_build(out)
    calls = {"n": 0}
    real = transaction._stage_file

    def disk_full_after_three(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(transaction, "_stage_file", disk_full_after_three)
    with pytest.raises(WriteFailed, match="No space left on device") as caught:
        new_build(out)
    assert caught.value.path.is_relative_to(out)
    assert snapshot(out) == before
    assert not (out / STAGING).exists()


@pytest.mark.parametrize("fail_at", [1, 4, 7, 9])
def test_a_failure_during_the_switch_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int
) -> None:
    out = tmp_path / "dist"
    before = old_build(out)
    calls = {"n": 0}
    real = os.replace

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(WriteFailed, match="Input/output error"):
        new_build(out)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert not (out / STAGING).exists()


def test_recovers_a_leftover_without_journal_and_stale_temp_files(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    before = old_build(out)
    (out / STAGING / "new" / "c").mkdir(parents=True)
    (out / STAGING / "new" / "c" / "half.html").write_bytes(b"half")
    leftover = out / "c/en/web/.page1.html.ab_cd123.tmp"  # an older writer's temp file, killed mid-write
    leftover.write_bytes(b"partial")
    new_build(out)
    assert not (out / STAGING).exists() and not leftover.exists()
    assert snapshot(out) == expected_new(before)


# --------------------------------------------------------------------------- killed processes

CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from pimlearn.package import transaction
    from tests.test_writer_transaction import new_build

    die_at = int(sys.argv[2])
    calls = 0
    real = os.replace

    def replace(src, dst):
        global calls
        calls += 1
        if calls == die_at:
            os._exit(137)  # no cleanup, no finally: what SIGKILL does
        real(src, dst)

    transaction.os.replace = replace
    new_build(Path(sys.argv[1]))
    """
)


def run_child(out: Path, die_at: int) -> int:
    """Run the new build in a child process that dies at the ``die_at``-th rename; its exit status."""
    repo = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), str(die_at)], cwd=repo, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode


@pytest.mark.parametrize("die_at", [1, 2, 3, 8, 13, 15, 16])
def test_a_build_killed_mid_switch_is_undone_by_the_next_run(tmp_path: Path, die_at: int) -> None:
    out = tmp_path / "dist"
    before = old_build(out)
    assert run_child(out, die_at) == 137
    assert (out / STAGING).exists()  # the killed run left its journal and backups
    assert recover(out)
    assert snapshot(out) == before  # all old
    assert not (out / STAGING).exists()
    new_build(out)
    assert snapshot(out) == expected_new(before)  # and the next build completes
    assert not (out / f"{STAGING}.lock").exists()


def test_a_build_killed_after_the_commit_is_all_new(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    before = old_build(out)
    # 1 journal rename + (6 changed: 2 renames each) + 1 added + (2 removed: 1 each) = 16 renames, then the commit.
    assert run_child(out, 99) == 0
    assert snapshot(out) == expected_new(before)
    assert not (out / STAGING).exists()


def test_commit_of_nothing_touches_nothing(tmp_path: Path) -> None:
    commit(tmp_path / "dist", {})
    assert not (tmp_path / "dist").exists()


# --------------------------------------------------------------------------- real disks


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs (root only: skipped where mounting is not permitted)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_leaves_the_old_build(small_tmpfs: Path) -> None:
    before = old_build(small_tmpfs)
    big = [Artifact(f"c/en/web/page{i}.html", bytes([65 + i]) * 60_000) for i in range(8)]
    with pytest.raises(WriteFailed, match="No space left on device"):
        write_artifacts(big, small_tmpfs, owned=["c/en/web"])
    assert snapshot(small_tmpfs) == before
    assert not (small_tmpfs / STAGING).exists()


def test_a_read_only_output_is_refused_without_change(small_tmpfs: Path) -> None:
    before = old_build(small_tmpfs)
    subprocess.run(["mount", "-o", "remount,ro", str(small_tmpfs)], check=True)
    with pytest.raises(WriteFailed, match="Read-only file system"):
        new_build(small_tmpfs)
    assert snapshot(small_tmpfs) == before


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.write_text("not a folder")
    with pytest.raises(WriteFailed, match="it is a file, not a folder") as caught:
        new_build(out)
    assert caught.value.path == out
    assert out.read_text() == "not a folder"


# --------------------------------------------------------------------------- what the writer owns in dist/


def test_a_full_build_removes_outputs_of_removed_locales_and_courses(tmp_path: Path) -> None:
    from pimlearn.pipeline import BuildOptions, build
    from tests.conftest import MINIMAL_MODULE, write_project

    course = "title: C{n}\nversion: 1.0.0\nlocales: [en, fr]\nmodules: [m1]\n"
    root = write_project(
        tmp_path / "p",
        {
            "courses/c1/course.yml": course.format(n=1),
            "courses/c2/course.yml": course.format(n=2),
            "modules/m1/module.md": MINIMAL_MODULE,
        },
    )
    dist = root / "dist"
    build(root)
    (dist / "mine").mkdir()
    (dist / "mine/keep.txt").write_text("the user's")
    (dist / "readme.txt").write_text("the user's")
    assert (dist / "c1/fr/web/index.html").is_file() and (dist / "c2/en/web/index.html").is_file()

    (root / "courses/c1/course.yml").write_text(course.format(n=1).replace("[en, fr]", "[en]"))
    (root / "courses/c2/course.yml").unlink()
    (root / "courses/c2").rmdir()
    build(root, BuildOptions(formats=("web",)))  # partial: removes nothing of other locales or courses
    assert (dist / "c1/fr/web/index.html").is_file() and (dist / "c2/en/web/index.html").is_file()
    build(root, BuildOptions(locales=("en",)))
    assert (dist / "c1/fr/web/index.html").is_file() and (dist / "c2/en/web/index.html").is_file()

    report = build(root).report  # full: the writer owns dist/<course>/
    assert not (dist / "c1/fr").exists() and not (dist / "c2").exists()
    assert any(p.startswith("c2/en/") for p in report.removed)
    assert (dist / "c1/en/web/index.html").is_file()
    assert (dist / "mine/keep.txt").read_text() == "the user's" and (dist / "readme.txt").is_file()


# --------------------------------------------------------------------------- the real command, killed with SIGKILL

KILLED_BUILD = textwrap.dedent(
    """
    import os, signal, sys
    from pimlearn.cli import main

    dist, die_at = sys.argv[1], int(sys.argv[2])
    calls = 0
    real = os.replace

    def replace(src, dst):
        global calls
        if str(dst).startswith(dist):
            calls += 1
            if calls == die_at:
                os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst)

    os.replace = replace
    main(["build", "-f", "web", "--project", sys.argv[3]])
    """
)


@pytest.mark.parametrize("die_at", [2, 4, 7])
def test_a_real_build_killed_with_sigkill_is_all_old_then_all_new(tmp_path: Path, die_at: int) -> None:
    import shutil

    from click.testing import CliRunner

    from pimlearn.cli import main

    root = tmp_path / "p"
    shutil.copytree(Path(__file__).parent / "fixtures/bad/bom-prefixed-files", root)
    dist = root / "dist"
    assert CliRunner().invoke(main, ["build", "-f", "web", "--project", str(root)]).exit_code == 0
    before = snapshot(dist)
    module = root / "modules/m1/module.md"
    module.write_text(module.read_text(encoding="utf-8-sig").replace("Text.", "Changed text."), encoding="utf-8")

    repo = Path(__file__).resolve().parent.parent
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(dist), str(die_at), str(root)],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    assert snapshot(dist) != before  # killed mid-switch: some files were already replaced

    CliRunner().invoke(main, ["check", "--project", str(root)])  # check never touches dist/
    assert snapshot(dist) != before
    assert recover(dist) and snapshot(dist) == before  # what the next build does first: all old

    result = CliRunner().invoke(main, ["build", "-f", "web", "--project", str(root)])
    assert result.exit_code == 0, result.output
    after = snapshot(dist)
    assert not (dist / STAGING).exists() and not (dist / f"{STAGING}.lock").exists()
    pages = [text.decode() for path, text in after.items() if path.endswith(".html")]
    assert any("Changed text." in page for page in pages) and not any(">Text.<" in page for page in pages)


def test_one_run_writes_a_folder_at_a_time(tmp_path: Path) -> None:
    from pimlearn.package.transaction import exclusive

    out = tmp_path / "dist"
    before = old_build(out)
    with exclusive(out / STAGING), pytest.raises(WriteFailed, match="another pimlearn run is writing this folder"):
        new_build(out)  # e.g. a second `pimlearn build` started while the first one writes
    assert snapshot(out) == before
    new_build(out)
    assert snapshot(out) == expected_new(before)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [RECORD]  # no lock file left
