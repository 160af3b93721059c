"""The command line, through click's runner and as installed console scripts."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pimlearn import __version__
from pimlearn.cli import main
from tests.conftest import MINIMAL_COURSE, REPO, Files


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.strip() == f"pimlearn, version {__version__}"
    code, out, _ = invoke("--help")
    assert code == 0
    for command in ("build", "check", "new"):
        assert command in out


def test_check_passes_on_a_valid_project(make_project: Callable[[Files], Path], minimal_files: Files) -> None:
    root = make_project(minimal_files)
    code, out, err = invoke("check", "--project", str(root))
    assert (code, out, err) == (0, "pimlearn: check passed (no problems)\n", "")
    assert not (root / "dist").exists()


def test_build_writes_web_pages_and_reports_them(make_project: Callable[[Files], Path], minimal_files: Files) -> None:
    root = make_project(minimal_files)
    code, out, err = invoke("build", "-f", "web", "--project", str(root))
    assert code == 0, err
    # 2 pages, the course index, the stylesheet and the player's 3 files; dist/translation-status.json
    # and the catalogue, dist/index.html.
    assert [line.split()[:4] for line in out.splitlines() if line.startswith("  c1 ")] == [["c1", "en", "web", "7"]]
    assert "pimlearn: wrote 9 files to" in out
    assert (root / "dist/translation-status.json").is_file()
    assert (root / "dist/c1/en/web/index.html").is_file()
    assert (root / "dist/c1/en/web/m1/index.html").is_file()
    assert (root / "dist/c1/en/web/m1/section.html").is_file()
    again = CliRunner().invoke(main, ["build", "-f", "web", "--project", str(root)])
    assert "wrote 0 files" in again.stdout and "(9 unchanged, 0 removed)" in again.stdout


def test_build_selected_locale_course_and_output_folder(
    make_project: Callable[[Files], Path], minimal_files: Files, tmp_path: Path
) -> None:
    minimal_files["courses/c1/course.yml"] = MINIMAL_COURSE + "locales: [en, fr]\n"
    root = make_project(minimal_files)
    out_dir = tmp_path / "elsewhere"
    code, _, err = invoke("build", "c1", "-l", "fr", "-o", str(out_dir), "--project", str(root))
    assert code == 0, err
    assert (out_dir / "c1/fr/web/index.html").is_file()
    assert not (out_dir / "c1/en").exists()
    html = (out_dir / "c1/fr/web/m1/section.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in html
    assert '<span lang="en">Text.</span>' in html  # untranslated text is marked for screen readers


def test_unknown_course_is_a_usage_error(make_project: Callable[[Files], Path], minimal_files: Files) -> None:
    root = make_project(minimal_files)
    code, _, err = invoke("build", "c1x", "--project", str(root))
    assert code == 2
    assert "Invalid value for COURSES: no course 'c1x' (did you mean 'c1'?)" in err
    code, _, err = invoke("build", "zzz", "--project", str(root))
    assert code == 2
    assert "no course 'zzz' (courses: c1)" in err


def test_usage_errors_exit_2(tmp_path: Path, make_project: Callable[[Files], Path], minimal_files: Files) -> None:
    code, _, err = invoke("check", "--project", str(tmp_path))
    assert code == 2 and "is not a pimlearn project" in err
    root = make_project(minimal_files)
    code, _, err = invoke("build", "-f", "nope", "--project", str(root))
    assert code == 2 and "Invalid value for '-f'" in err


def test_new_module_and_course_pass_check(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    (root / "modules").mkdir(parents=True)
    code, out, err = invoke("new", "module", "data-sharing", "--project", str(root))
    assert code == 0, err
    assert out == (
        f"pimlearn: created {root / 'modules/data-sharing/module.md'}\n"
        "Next: create a course that lists it: pimlearn new course ID\n"
    )
    code, out, err = invoke("new", "course", "starter", "--project", str(root))
    assert code == 0, err
    assert "modules: [data-sharing]" in (root / "courses/starter/course.yml").read_text(encoding="utf-8")
    assert invoke("check", "--project", str(root))[0] == 0
    assert invoke("build", "--project", str(root))[0] == 0
    code, _, err = invoke("new", "module", "data-sharing", "--project", str(root))
    assert code == 2 and "already exists" in err
    code, _, err = invoke("new", "module", "Bad_Id", "--project", str(root))
    assert code == 2 and "is not a slug" in err


def test_entry_points_are_the_same_command() -> None:
    for argv in (
        [sys.executable, "-m", "pimlearn", "--version"],
        [sys.executable, str(REPO / "build.py"), "--version"],
    ):
        result = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=REPO)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"pimlearn, version {__version__}"


def test_parallel_build_gives_the_same_files(
    make_project: Callable[[Files], Path], minimal_files: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the guide's date and PDF metadata
    minimal_files["courses/c1/course.yml"] = MINIMAL_COURSE + "locales: [en, fr, es]\n"
    root = make_project(minimal_files)
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        assert invoke("build", "-j", jobs, "-o", str(out), "--project", str(root))[0] == 0
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert trees[0] == trees[1]
    assert {"c1/fr/web/m1/index.html", "c1/es/web/index.html"} <= set(trees[0])
