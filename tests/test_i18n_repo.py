"""The catalogs committed in the repository: valid, current with the sources, and complete."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.extract import read_pot, same_messages
from pimlearn.i18n.layout import BUILTIN_LOCALES, UI, is_source_checkout
from pimlearn.i18n.locales import PLURAL_FORMS
from pimlearn.i18n.stats import project_stats
from pimlearn.i18n.ui import builtin_template, shipped_template
from pimlearn.i18n.update import plan_update
from pimlearn.load import load_project

from .conftest import REPO

CATALOGS = sorted([*(REPO / "locales").rglob("*.po"), *BUILTIN_LOCALES.rglob("*.po")])
HOW_TO_FIX = "run `pimlearn i18n update` and commit the catalogs"


def test_the_repository_has_catalogs() -> None:
    names = {p.relative_to(REPO).as_posix() for p in CATALOGS}
    assert "locales/fr/LC_MESSAGES/module-pim-intro.po" in names
    assert "pimlearn/locales/es/LC_MESSAGES/ui.po" in names


@pytest.mark.parametrize("path", CATALOGS, ids=[p.relative_to(REPO).as_posix() for p in CATALOGS])
def test_msgfmt_check_passes(path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(path))
    language = path.parent.parent.name
    assert po.metadata["Language"] == language
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[language]


def test_project_catalogs_are_current_with_the_sources(tmp_path: Path) -> None:
    # The drift check: an update in a copy of the project must find nothing to change.
    copy = tmp_path / "project"
    for folder in ("courses", "modules", "locales"):
        shutil.copytree(REPO / folder, copy / folder)
    reporter = Reporter()
    project = load_project(copy, reporter)
    assert not reporter.errors
    plan = plan_update(copy, project)
    assert not plan.failed, [str(d) for d in plan.diagnostics]
    changed = [c.shown for c in plan.changes if c.action != "unchanged" and c.shown.startswith("locales/")]
    assert changed == [], f"catalogs out of date with the sources: {HOW_TO_FIX}"


def test_builds_count_the_ui_strings_the_shipped_pot_lists_exactly_as_extraction_finds_them() -> None:
    # Builds read ui.pot instead of extracting pimlearn's sources: the same messages, words and comments.
    assert shipped_template() == builtin_template()
    assert any(m.plural for m in shipped_template().messages) and any(m.context for m in shipped_template().messages)


def test_builtin_ui_catalogs_are_current_with_templates_and_code(tmp_path: Path) -> None:
    assert is_source_checkout(REPO)
    pot = read_pot(BUILTIN_LOCALES / "templates" / f"{UI}.pot")
    assert pot is not None and same_messages(pot, builtin_template()), f"ui.pot out of date: {HOW_TO_FIX}"
    for path in sorted(BUILTIN_LOCALES.glob(f"*/LC_MESSAGES/{UI}.po")):
        merged = subprocess.run(
            ["msgmerge", "--quiet", "--previous", "--no-wrap", "-o", "-", str(path), str(pot.fpath)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert merged == path.read_text(encoding="utf-8"), f"{path.name} out of date: {HOW_TO_FIX}"


def test_sample_translations_are_complete() -> None:
    reporter = Reporter()
    project = load_project(REPO, reporter)
    rows = project_stats(REPO, project.courses)
    assert {r.locale for r in rows} == {"fr", "es", "ar"}
    # French and Spanish are complete; Arabic has begun: the UI, the course texts and module 1.
    arabic_done = {"ui", "course-pim-foundations", "module-pim-intro"}
    done = [r for r in rows if r.locale != "ar" or r.domain in arabic_done]
    incomplete = [(r.domain, r.locale, r.all.percent_entries) for r in done if r.all.percent_entries < 100]
    assert incomplete == []
    assert all(r.obsolete == 0 and r.all.fuzzy == 0 for r in rows)


def test_glossary_terms_are_used_consistently() -> None:
    # PIM-FACTS glossary: keep "PIM" untranslated; official forms of the principles.
    expected = {
        "fr": {"Do no harm": "Ne pas nuire", "Defined purpose": "Objectif défini"},
        "es": {
            "Do no harm": "No causar daño",
            "Defined purpose": "Propósito definido",
            "People-centred and inclusive": "Centralidad en las personas e inclusión",
        },
    }
    for locale, terms in expected.items():
        po = polib.pofile(str(REPO / f"locales/{locale}/LC_MESSAGES/module-pim-principles.po"))
        for entry in po:
            if entry.msgid in terms:
                assert entry.msgstr == terms[entry.msgid], (locale, entry.msgctxt, entry.msgid)
            if "PIM" in entry.msgid:
                assert "PIM" in entry.msgstr, (locale, entry.msgid)


@pytest.mark.parametrize("locale", sorted(p.parent.parent.name for p in BUILTIN_LOCALES.glob(f"*/LC_MESSAGES/{UI}.po")))
def test_builtin_ui_catalogs_are_complete(locale: str) -> None:
    po = polib.pofile(str(BUILTIN_LOCALES / locale / "LC_MESSAGES" / f"{UI}.po"))
    assert po.percent_translated() == 100 and not po.fuzzy_entries() and not po.obsolete_entries()


# Arabic UI terms, one word for each idea (UN Arabic usage): a string that names the idea uses it.
ARABIC_TERMS = {
    "slide": ("شريح", "شرائح"),
    "module": ("وحد",),
    "question": ("سؤال", "أسئلة", "سؤالين"),
    "facilitator": ("ميسّر", "للميسّر"),
    "participants": ("المشارك",),
    "learning platform": ("منصة التعلّم", "بمنصة تعلّم"),
    "answer": ("إجاب", "أجب"),
    "feedback": ("التعقيب",),
    "speaker": ("المتحدث",),
    "attempt": ("محاول",),
}


def test_arabic_ui_terms_are_consistent() -> None:
    po = polib.pofile(str(BUILTIN_LOCALES / "ar" / "LC_MESSAGES" / f"{UI}.po"))
    for entry in po:
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for english, arabic in ARABIC_TERMS.items():
            words = re.sub(r"%\(\w+\)s", "", entry.msgid).lower()  # placeholders are not words
            if english in words and "keyboard" not in (entry.msgctxt or ""):
                assert any(term in form for form in forms for term in arabic), (english, entry.msgid, forms)
