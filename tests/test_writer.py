"""The one writer: atomic, skips unchanged files, refuses duplicates, prunes stale outputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pimlearn.package.artifact import Artifact
from pimlearn.package.writer import DuplicateOutput, write_artifacts


def test_writes_then_skips_unchanged_files(tmp_path: Path) -> None:
    arts = [Artifact("c/en/web/index.html", b"<p>one</p>"), Artifact("c/en/web/a/b.css", b"x")]
    first = write_artifacts(arts, tmp_path)
    assert sorted(first.written) == ["c/en/web/a/b.css", "c/en/web/index.html"]
    index = tmp_path / "c/en/web/index.html"
    os.utime(index, (1_000_000, 1_000_000))
    second = write_artifacts(arts, tmp_path)
    assert second.written == () and len(second.unchanged) == 2
    assert index.stat().st_mtime == 1_000_000  # untouched: sync tools see no change
    changed = write_artifacts([Artifact("c/en/web/index.html", b"<p>two</p>"), arts[1]], tmp_path)
    assert changed.written == ("c/en/web/index.html",)
    assert index.read_bytes() == b"<p>two</p>"
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_refuses_duplicate_and_escaping_paths_before_writing(tmp_path: Path) -> None:
    with pytest.raises(DuplicateOutput, match=r"two outputs would be written to x/a\.html"):
        write_artifacts([Artifact("x/a.html", b"1"), Artifact("x/b.html", b"2"), Artifact("x/a.html", b"3")], tmp_path)
    assert list(tmp_path.iterdir()) == []
    for bad in ("../evil", "/abs/path", ""):
        with pytest.raises(ValueError, match="inside the output folder"):
            write_artifacts([Artifact(bad, b"1")], tmp_path)


def test_prunes_stale_files_only_inside_owned_folders(tmp_path: Path) -> None:
    write_artifacts(
        [Artifact("c/en/web/old.html", b"1"), Artifact("c/en/web/keep.html", b"2"), Artifact("c/en/other.zip", b"z")],
        tmp_path,
    )
    report = write_artifacts([Artifact("c/en/web/keep.html", b"2")], tmp_path, owned=["c/en/web"])
    assert report.removed == ("c/en/web/old.html",)
    assert (tmp_path / "c/en/other.zip").exists()
    assert not (tmp_path / "c/en/web/old.html").exists()


def test_formats_sharing_a_folder_prune_only_their_own_files(tmp_path: Path) -> None:
    write_artifacts([Artifact("c/en/slides/m.html", b"h"), Artifact("c/en/slides/m.pptx", b"p")], tmp_path)
    report = write_artifacts([Artifact("c/en/slides/n.html", b"h")], tmp_path, owned=["c/en/slides/*.html"])
    assert report.removed == ("c/en/slides/m.html",)
    assert (tmp_path / "c/en/slides/m.pptx").exists()
