"""Files pimlearn may not read or write: one located line each, exit 1, nothing changed.

Root reads every file whatever its mode, so the real checks run the CLI as ``nobody``
(``setpriv``, root only: skipped elsewhere); the in-process variants make the read fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pimlearn.cli import main
from pimlearn.diagnostics import Reporter
from pimlearn.load.source import read_source

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "bad" / "bom-prefixed-files"
"""A valid project with a French catalog (its BOMs are accepted)."""
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def shared_project() -> Iterator[Path]:
    """A copy of the project that user ``nobody`` can read (pytest's own temp folders are private to root)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run a command as another user")
    folder = Path(tempfile.mkdtemp(prefix="pimlearn-perm-"))
    folder.chmod(0o755)
    root = folder / "project"
    shutil.copytree(FIXTURE, root)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    try:
        yield root
    finally:
        shutil.rmtree(folder)


def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    """Run pimlearn as user ``nobody``."""
    return subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", sys.executable, "-m", "pimlearn", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def test_unreadable_course_yml_and_catalog(shared_project: Path) -> None:
    (shared_project / "courses/c1/course.yml").chmod(0)
    (shared_project / "locales/fr/LC_MESSAGES/module-m1.po").chmod(0)
    done = as_nobody("check", "--project", str(shared_project))
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[:3] == [
        "courses/c1/course.yml: error: cannot read course.yml: permission denied; make it a readable file "
        "[file-unreadable]",
        "locales/fr/LC_MESSAGES/module-m1.po: error: cannot read the catalog: permission denied; "
        "make it a readable .po file [file-unreadable]",
        "2 errors",
    ]
    assert "Traceback" not in done.stderr


def test_unreadable_catalog_in_stats_and_update(shared_project: Path) -> None:
    (shared_project / "locales/fr/LC_MESSAGES/module-m1.po").chmod(0)
    for command in (["i18n", "stats"], ["i18n", "update"]):
        done = as_nobody(*command, "--project", str(shared_project))
        assert done.returncode == 1, done.stderr
        assert "locales/fr/LC_MESSAGES/module-m1.po: error: cannot read the catalog: permission denied" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_dist_it_may_not_write_is_left_as_it_was(shared_project: Path) -> None:
    # The old build is made by root, so nobody may not replace it.
    dist = shared_project / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pimlearn", "build", "-f", "web", "--project", str(shared_project)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    before = {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    (shared_project / "modules/m1/module.md").write_text(
        (shared_project / "modules/m1/module.md").read_text(encoding="utf-8-sig").replace("Text.", "Changed."),
        encoding="utf-8",
    )
    done = as_nobody("build", "-f", "web", "--project", str(shared_project))
    assert done.returncode == 1, done.stderr
    assert ": error: cannot write the output: Permission denied; make the folder writable" in done.stderr
    assert "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()} == before


def test_read_errors_are_located_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "course.yml"
    target.write_text("title: T\n")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    reporter = Reporter()
    assert read_source(target, "courses/c1/course.yml", reporter) is None
    assert [str(d) for d in reporter.diagnostics] == [
        "courses/c1/course.yml: error: cannot read course.yml: permission denied; make it a readable file "
        "[file-unreadable]"
    ]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"caf\xe9\n", "x:1:4"),
        (b"line one\nline two\nab\xff\n", "x:3:3"),
        ("d\u00e9j\u00e0 vu\nthen \u00e9t\u00e9 ".encode() + b"\x80", "x:2:10"),
        (b"\xef\xbb\xbfok\n\xc3", "x:2:1"),
    ],
)
def test_invalid_utf8_is_located_at_its_byte(data: bytes, where: str, tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(data)
    reporter = Reporter()
    assert read_source(path, "x", reporter) is None
    [problem] = reporter.diagnostics
    assert str(problem.loc) == where and problem.code == "encoding"


def test_a_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"\xef\xbb\xbftitle: T\n")
    assert read_source(path, "x", Reporter()) == "title: T\n"


def test_i18n_update_cleans_up_after_a_killed_update(tmp_path: Path) -> None:
    from pimlearn.package.transaction import STAGING

    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    messages = root / "locales/fr/LC_MESSAGES"
    leftover = messages / ".module-m1.po.k1ll3d_x.tmp"
    leftover.write_text("half a catalog")
    (root / "locales" / STAGING / "new").mkdir(parents=True)
    result = CliRunner().invoke(main, ["i18n", "update", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert not leftover.exists() and not (root / "locales" / STAGING).exists()
