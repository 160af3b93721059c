"""Locale codes are checked wherever they enter: course.yml, ``-l``, catalog folders, ``i18n`` commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pimlearn.cli import main
from pimlearn.diagnostics import Reporter
from pimlearn.i18n.locales import close_locales, is_locale_code, locale_problem
from pimlearn.i18n.update import project_domains
from pimlearn.load import load_project
from pimlearn.pipeline import check
from tests.conftest import MINIMAL_COURSE, Files

C = "courses/c1/course.yml"
EXAMPLES = "use language codes like en, fr, pt_BR, pt-BR, es_419 or sr_Latn"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("code", ["en", "fr", "no", "ckb", "pt_BR", "pt-BR", "es_419", "sr_Latn", "zh-Hant-TW", "xx"])
def test_locale_codes_that_are_accepted(code: str) -> None:
    assert is_locale_code(code) and locale_problem(code) == ""


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("../../x", ""),
        ("fr/../..", ""),
        ("", ""),
        ("en ", ""),
        ("français", ""),
        ("pt_br", " (did you mean 'pt_BR'?)"),
        ("EN", " (did you mean 'en'?)"),
        ("sr@latin", "; write a script as a subtag, not as a POSIX modifier (sr@latin is sr_Latn)"),
    ],
)
def test_locale_codes_that_are_refused_say_why(code: str, hint: str) -> None:
    assert locale_problem(code) == f"'{code}' is not a locale code: {EXAMPLES}{hint}"


def test_typos_of_short_codes_find_their_neighbours() -> None:
    assert close_locales("ed", ["en", "fr", "es"]) == " (did you mean 'en' or 'es'?)"
    assert close_locales("rf", ["en", "fr"]) == " (did you mean 'fr'?)"
    assert close_locales("pt", ["en", "pt_BR"]) == " (did you mean 'pt_BR'?)"
    assert close_locales("de", ["en", "fr", "es"]) == ""


def test_course_yml_locales_and_language_are_checked_at_their_line(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    minimal_files[C] = MINIMAL_COURSE + "language: EN\nlocales: [en, ../../x, sr@latin]\n"
    root = make_project(minimal_files)
    errors = [str(d) for d in check(root) if d.severity == "error"]
    assert errors == [
        f"{C}:4:11: error: 'language': 'EN' is not a locale code: {EXAMPLES} (did you mean 'en'?) [invalid-locale]",
        f"{C}:5:15: error: 'locales': '../../x' is not a locale code: {EXAMPLES} [invalid-locale]",
        f"{C}:5:24: error: 'locales': 'sr@latin' is not a locale code: {EXAMPLES}; write a script as a subtag, "
        "not as a POSIX modifier (sr@latin is sr_Latn) [invalid-locale]",
    ]


def test_catalog_folders_not_named_by_a_locale_code_are_reported_and_not_used(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    minimal_files["locales/pt br/LC_MESSAGES/module-m1.po"] = 'msgid ""\nmsgstr ""\n'
    root = make_project(minimal_files)
    errors = [str(d) for d in check(root) if d.severity == "error"]
    assert errors == [
        f"locales/pt br: error: catalog folder 'pt br' is not a locale code: {EXAMPLES}; "
        "rename the folder (its catalogs are not used) [invalid-locale]"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("build", "-l", "../../x"),
        ("build", "--extra-locale", "../x"),
        ("i18n", "update", "-l", "../../x"),
        ("i18n", "stats", "-l", "../../x"),
        ("serve", "-l", "../../x"),
    ],
)
def test_a_locale_option_that_is_no_locale_code_is_a_usage_error(
    make_project: Callable[[Files], Path], minimal_files: Files, args: tuple[str, ...]
) -> None:
    root = make_project(minimal_files)
    before = sorted(p.name for p in root.parent.iterdir())
    code, _, err = invoke(*args, "--project", str(root))
    assert code == 2
    assert f"is not a locale code: {EXAMPLES}" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in root.parent.iterdir()) == before
    assert not (root / "dist").exists() and not (root / "locales").exists()


def test_i18n_update_refuses_unsafe_codes_given_through_the_api(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    root = make_project(minimal_files)
    reporter = Reporter()
    domains = project_domains(root, load_project(root, reporter), ["../../x", "fr"], reporter)
    assert [str(d) for d in reporter.errors] == [
        f"locales: error: '../../x' is not a locale code: {EXAMPLES} [invalid-locale]"
    ]
    assert all(locale == "fr" for d in domains for locale in d.locales)


def test_a_locale_the_course_does_not_list_is_an_error_unless_asked_for_as_extra(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    minimal_files[C] = MINIMAL_COURSE + "locales: [en, fr, es]\n"
    root = make_project(minimal_files)
    code, _, err = invoke("build", "-l", "ed", "-f", "web", "--project", str(root))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{C}:1:1: error: course 'c1' does not list the locale 'ed' (its locales: en, fr, es) "
        "(did you mean 'en' or 'es'?): add it to 'locales', or preview it with --extra-locale ed [locale-unknown]"
    )
    assert not (root / "dist").exists()
    code, _, err = invoke("build", "-l", "de", "-f", "web", "--project", str(root))
    assert code == 1 and "does not list the locale 'de'" in err and "did you mean" not in err
    code, _, err = invoke("build", "--extra-locale", "de", "-f", "web", "--project", str(root))
    assert code == 0, err
    built = sorted(p.name for p in (root / "dist/c1").iterdir() if p.is_dir())
    assert built == ["de", "en", "es", "fr"]
    assert '<html lang="de"' in (root / "dist/c1/de/web/index.html").read_text(encoding="utf-8")
