"""No input in the test suite makes pimlearn print a Python traceback.

Every bad-input project runs through ``check``, ``build``, ``i18n update`` and ``i18n stats``: each
must exit 0 (success), 1 (content errors) or 2 (usage), never 3 (a bug: the CLI's internal-error
line) and never print a traceback. Projects come from two places:

- every folder under ``tests/fixtures/bad/`` (one broken project each: add yours there and it is
  picked up; a folder holding ``courses/`` or ``modules/`` is a project);
- every case of ``tests/test_errors.py``'s ``CASES`` table.

The fixtures of this file's own classes (files and disks) also have their exact first error checked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pimlearn.cli import main
from tests.conftest import write_project
from tests.test_errors import CASES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad"
COMMANDS = (["check"], ["build"], ["i18n", "update"], ["i18n", "stats"])


def fixture_projects() -> list[Path]:
    """Every bad-input project under ``tests/fixtures/bad/`` (sorted)."""
    return sorted(p for p in FIXTURES.iterdir() if (p / "courses").is_dir() or (p / "modules").is_dir())


def run(root: Path, args: list[str]) -> tuple[int, str]:
    """Run one pimlearn command on ``root``; its exit code and everything it printed."""
    result = CliRunner().invoke(main, [*args, "--project", str(root)], catch_exceptions=True)
    text = result.output  # stdout and stderr, as a terminal shows them
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += f"\nTraceback: an exception escaped: {result.exception!r}"
    return result.exit_code, text


def assert_clean(root: Path, name: str) -> None:
    """Every command on ``root`` exits 0, 1 or 2 without a traceback or an internal error."""
    for args in COMMANDS:
        code, text = run(root, args)
        where = f"{name}: pimlearn {' '.join(args)} (exit {code})\n{text}"
        assert "Traceback" not in text, where
        assert "internal error" not in text, where
        assert code in (0, 1, 2), where


@pytest.mark.parametrize("fixture", fixture_projects(), ids=lambda p: p.name)
def test_fixture_projects_never_print_a_traceback(fixture: Path, tmp_path: Path) -> None:
    root = tmp_path / fixture.name
    shutil.copytree(fixture, root, symlinks=True)
    assert_clean(root, fixture.name)


@pytest.mark.parametrize("name", list(CASES))
def test_error_cases_never_print_a_traceback(name: str, tmp_path: Path) -> None:
    files, _ = CASES[name]
    root = write_project(tmp_path / "project", files)
    assert_clean(root, name)


FIRST_ERROR = {
    "course-yml-is-a-folder": (
        "check",
        "courses/c1/course.yml: error: cannot read course.yml: it is a folder, not a file; make it a readable file "
        "[file-unreadable]",
    ),
    "catalog-is-a-folder": (
        "check",
        "locales/fr/LC_MESSAGES/module-m1.po: error: cannot read the catalog: it is a folder, not a file; "
        "make it a readable .po file [file-unreadable]",
    ),
    "latin1-course-yml": (
        "check",
        "courses/c1/course.yml:3:17: error: not valid UTF-8: byte 0xE9 here (the file looks saved as Latin-1 or "
        "Windows-1252); save it as UTF-8 [encoding]",
    ),
    "latin1-module": ("check", "modules/m1/module.md:9:7: error: not valid UTF-8: byte 0xE9 here"),
    "latin1-catalog": ("i18n stats", "locales/fr/LC_MESSAGES/module-m1.po:24:13: error: not valid UTF-8: byte 0xE9"),
    "truncated-catalog": (
        "i18n update",
        "locales/fr/LC_MESSAGES/module-m1.po:11: error: msgfmt: end-of-file within string; fix the catalog "
        "(or restore it from version control), then run the update again [catalog-syntax]",
    ),
    "empty-catalog": (
        "i18n update",
        "locales/fr/LC_MESSAGES/module-m1.po: error: the catalog is empty: restore it from version control, or "
        "delete it and run `pimlearn i18n update` to create it again [catalog-syntax]",
    ),
    "template-is-a-folder": ("i18n update", "error: cannot write the output: Is a directory; move that file"),
    "duplicate-msgid-catalog": ("i18n update", "error: msgfmt: duplicate message definition"),
    "broken-course-and-catalog": (
        "check",
        "courses/c1/course.yml:4:10: error: a list or mapping in brackets is not closed",
    ),
    "dist-is-a-file": (
        "build",
        "dist: error: cannot write the output: it is a file, not a folder; move that file or folder out of the way, "
        "or build into another folder with -o DIR [output-write]",
    ),
}


@pytest.mark.parametrize("name", list(FIRST_ERROR))
def test_files_and_disks_get_one_clear_located_line(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    monkeypatch.chdir(root)
    command, expected = FIRST_ERROR[name]
    code, text = run(root, command.split())
    assert code == 1, text
    assert expected in text, text
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    run(root, command.split())
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert after == before  # a failed command changes nothing


def test_a_broken_course_yml_does_not_hide_catalog_errors(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "broken-course-and-catalog", root)
    code, text = run(root, ["check"])
    assert code == 1
    assert "courses/c1/course.yml:4:10: error: a list or mapping in brackets is not closed" in text
    assert "locales/fr/LC_MESSAGES/module-m1.po:24:1: error: unbalanced emphasis" in text
    assert "2 errors" in text


def test_a_bom_is_dropped_silently(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "bom-prefixed-files", root)
    code, text = run(root, ["check"])
    assert code == 0 and "error" not in text, text
    code, text = run(root, ["build", "-f", "web", "-l", "en"])
    assert code == 0, text
    assert "\ufeff" not in (root / "dist/c1/en/web/index.html").read_text(encoding="utf-8")


def test_i18n_stats_on_a_broken_catalog_exits_1(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "truncated-catalog", root)
    code, text = run(root, ["i18n", "stats"])
    assert code == 1
    assert "module-m1  fr               0" in text  # still counted, as untranslated
    assert "locales/fr/LC_MESSAGES/module-m1.po:11: error: msgfmt: end-of-file within string" in text


def test_a_full_disk_is_one_line_and_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from pimlearn.package import transaction

    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "bom-prefixed-files", root)
    monkeypatch.chdir(root)

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transaction, "_stage_file", full)
    code, text = run(root, ["build", "-f", "web", "-l", "en"])
    assert code == 1
    assert ": error: cannot write the output: No space left on device; free some space" in text
    assert "pimlearn: build failed; dist/ was left as it was" in text
    assert not (root / "dist").exists() or not any((root / "dist").rglob("*.html"))


def test_a_bug_is_one_line_with_exit_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pimlearn import pipeline

    def broken(root: Path) -> None:
        raise KeyError("unexpected")

    monkeypatch.setattr(pipeline, "check", broken)
    root = write_project(tmp_path / "p", {"modules/m1/module.md": "---\ntitle: T\n---\n"})
    code, text = run(root, ["check"])
    assert code == 3
    assert text.strip().startswith("pimlearn: internal error (KeyError: 'unexpected'); this is a bug in pimlearn")
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1


def test_i18n_update_on_a_full_disk_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from pimlearn.package import transaction

    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "bom-prefixed-files", root)
    module = root / "modules/m1/module.md"
    module.write_text(module.read_text(encoding="utf-8-sig").replace("Text.", "New text."), encoding="utf-8")
    before = {p: p.read_bytes() for p in (root / "locales").rglob("*") if p.is_file()}
    calls = {"n": 0}
    real = transaction._stage_file

    def full_after_one(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, data)

    monkeypatch.setattr(transaction, "_stage_file", full_after_one)
    code, text = run(root, ["i18n", "update"])
    assert code == 1, text
    assert "error: cannot write the output: No space left on device; free some space [output-write]" in text
    assert "the templates and catalogs were left as they were" in text
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*") if p.is_file()} == before


def test_a_duplicate_msgid_is_one_line_naming_both_places(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "duplicate-msgid-catalog", root)
    code, text = run(root, ["check"])
    assert code == 1
    [line] = [x for x in text.splitlines() if "duplicate" in x]
    assert line.startswith("locales/fr/LC_MESSAGES/module-m1.po:36: error: msgfmt: duplicate message definition")
    assert "(first defined at line 24): remove one of them" in line
    assert "first definition" not in text


@pytest.mark.parametrize("command", [["i18n", "update"], ["i18n", "stats"]])
def test_i18n_commands_report_course_and_catalog_errors_at_once(command: list[str], tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "broken-course-and-catalog", root)
    code, text = run(root, command)
    assert code == 1
    assert "courses/c1/course.yml:4:10: error: a list or mapping in brackets is not closed" in text
    assert "locales/fr/LC_MESSAGES/module-m1.po:24:1: error: unbalanced emphasis" in text


def test_an_unreadable_template_is_written_again(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(FIXTURES / "unreadable-template", root)
    code, text = run(root, ["check"])
    assert code == 0
    assert (
        "locales/templates/module-m1.pot: warning: the template of 'module-m1' cannot be read: run "
        "`pimlearn i18n update` to write it again from the sources [catalog-outdated]"
    ) in text
    code, text = run(root, ["i18n", "update"])
    assert code == 0, text
    assert 'msgid "Intro."' in (root / "locales/templates/module-m1.pot").read_text(encoding="utf-8")
    assert run(root, ["check"]) == (0, "pimlearn: check passed (no problems)\n")
