"""Builds in a translated locale: lookups, fallbacks, whole questions, located catalog errors, --strict."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pimlearn.diagnostics import ContentError, Reporter
from pimlearn.i18n import translate
from pimlearn.i18n.catalogs import LocaleCatalogs, load_locale
from pimlearn.i18n.checks import block_shape
from pimlearn.i18n.translate import translate_course
from pimlearn.i18n.update import plan_update
from pimlearn.load import load_project
from pimlearn.load.markdown import parser
from pimlearn.model import Course, Question, Text, iter_texts, walk_blocks
from pimlearn.pipeline import BuildOptions, build, check

from .conftest import REPO

COURSE = "title: Safety course\nversion: 1.0.0\nlocales: [en, fr]\nmodules: [safety]\nmin_translated: 0\n"
MODULE = """---
title: Site safety
---

Read the [site rules](https://example.org/rules) and check `ppe-list` before {date}.

![A hard hat on a table](images/hat.svg)

## Rules

Report **every** hazard.

```question
id: q-door
type: single
prompt: What do you do with the door?
choices:
  - text: Open
    correct: true
  - text: Close
```

```question
id: q-word
type: fill-in
prompt: One word for a place you must keep clear?
answers: [exit]
```
"""
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for rel, text in {
        "courses/safety-course/course.yml": COURSE,
        "modules/safety/module.md": MODULE,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "modules/safety/images").mkdir()
    (root / "modules/safety/images/hat.svg").write_bytes(SVG)
    reporter = Reporter()
    plan = plan_update(root, load_project(root, reporter), epoch=0)
    plan.apply()
    return root


FRENCH = {
    "Site safety": "Sécurité du site",
    "Read the [site rules](https://example.org/rules) and check `ppe-list` before {date}.": (
        "Lisez les [règles du site](https://example.org/rules) et vérifiez `ppe-list` avant {date}."
    ),
    "A hard hat on a table": "Un casque sur une table",
    "Rules": "Règles",
    "Report **every** hazard.": "Signalez **chaque** danger.",
    "What do you do with the door?": "Que faites-vous de la porte ?",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "One word for a place you must keep clear?": "Un mot pour un endroit à garder dégagé ?",
    "exit": "sortie\nissue de secours",
    "Safety course": "Cours de sécurité",
}


def po_file(root: Path, domain: str = "module-safety") -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / f"{domain}.po"


def set_translations(root: Path, table: dict[str, str], domain: str = "module-safety", fuzzy: bool = False) -> None:
    path = po_file(root, domain)
    po = polib.pofile(str(path), wrapwidth=0)
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if fuzzy:
                entry.flags.append("fuzzy")
    po.save()


def translate_all(root: Path) -> None:
    set_translations(root, FRENCH)
    set_translations(root, FRENCH, "course-safety-course")


def built_course(root: Path) -> tuple[object, list[str]]:
    reporter = Reporter()
    project = load_project(root, reporter)
    course = project.courses[0]
    catalogs = load_locale(root, "fr", ["module-safety", "course-safety-course"])
    result = translate_course(course, "fr", catalogs)
    return result, [str(d) for d in (*catalogs.diagnostics, *result.diagnostics)]


# --------------------------------------------------------------------------- lookups and fallbacks


def test_everything_translated_when_the_catalog_is_complete(project: Path) -> None:
    translate_all(project)
    result, problems = built_course(project)
    assert not problems
    module = result.course.modules[0]  # type: ignore[attr-defined]
    assert [t for t in iter_texts(module) if t.lang] == []
    assert module.title.source == "Sécurité du site"
    fill_in = next(q for q in module.questions if q.type == "fill-in")
    assert [a.source for a in fill_in.answers] == ["sortie", "issue de secours"]


def test_identity_catalog_translates_every_string_of_the_sample(tmp_path: Path) -> None:
    # Extraction and lookup use one normalisation: with msgstr = msgid nothing falls back.
    root = tmp_path / "sample"
    for folder in ("courses", "modules"):
        shutil.copytree(REPO / folder, root / folder)
    reporter = Reporter()
    project = load_project(root, reporter)
    plan_update(root, project, ["fr"], epoch=0).apply()
    for path in (root / "locales" / "fr" / "LC_MESSAGES").glob("*.po"):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = entry.msgid
        po.save()
    domains = [p.stem for p in (root / "locales" / "fr" / "LC_MESSAGES").glob("*.po")]
    result = translate_course(project.courses[0], "fr", load_locale(root, "fr", domains))
    assert not result.diagnostics
    fallbacks = [t.source for t in iter_texts(result.course) if t.lang]
    assert fallbacks == []
    assert sum(1 for _ in iter_texts(result.course)) > 200


@pytest.mark.parametrize("fuzzy", [True, False])
def test_fuzzy_and_untranslated_fall_back_marked_with_the_source_language(project: Path, fuzzy: bool) -> None:
    table = {k: v for k, v in FRENCH.items() if k != "Report **every** hazard."}
    set_translations(project, table)
    if fuzzy:
        set_translations(project, {"Report **every** hazard.": "Signalez **chaque** danger."}, fuzzy=True)
    out = project / "dist"
    build(project, BuildOptions(locales=("fr",), formats=("web",), out_dir=out))
    page = (out / "safety-course/fr/web/safety/rules.html").read_text(encoding="utf-8")
    assert '<p><span lang="en">Report <strong>every</strong> hazard.</span></p>' in page
    assert "Signalez" not in page
    assert "Règles" in page


def test_a_question_is_translated_only_as_a_whole(project: Path) -> None:
    set_translations(project, {k: v for k, v in FRENCH.items() if k != "Close"})
    result, _ = built_course(project)
    module = result.course.modules[0]  # type: ignore[attr-defined]
    door = next(q for q in module.questions if q.id == "q-door")
    assert door.prompt.source == "What do you do with the door?" and door.lang == "en"
    assert {c.text.source for c in door.choices} == {"Open", "Close"}
    assert all(t.lang == "en" for t in iter_texts(door))
    assert result.untranslated_questions == {"safety": ("q-door",)}  # type: ignore[attr-defined]


def test_translation_keeps_question_structure(project: Path) -> None:
    translate_all(project)
    result, _ = built_course(project)
    reporter = Reporter()
    source = load_project(project, reporter).courses[0].modules[0]
    translated = result.course.modules[0]  # type: ignore[attr-defined]

    def shape(q: Question) -> tuple[object, ...]:
        return (q.id, q.type, q.correct_choice_ids, q.answer, len(q.pairs), len(q.items), q.graded, q.points)

    assert [shape(q) for q in translated.questions] == [shape(q) for q in source.questions]
    assert [type(b).__name__ for b in walk_blocks(translated.all_blocks())] == [
        type(b).__name__ for b in walk_blocks(source.all_blocks())
    ]


# --------------------------------------------------------------------------- bad catalogs: located errors


def broken(project: Path, msgid: str, msgstr: str) -> list[str]:
    translate_all(project)
    set_translations(project, {msgid: msgstr})
    return [str(d) for d in check(project) if d.severity == "error"]


def msgstr_line(path: Path, msgid: str) -> int:
    """The line of the msgstr that belongs to ``msgid``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgid "{msgid}"')
    return next(n for n in range(start, len(lines)) if lines[n].startswith("msgstr")) + 1


CASES: list[tuple[str, str, str]] = [
    (
        "Read the [site rules](https://example.org/rules) and check `ppe-list` before {date}.",
        "Lisez les [règles](https://evil.example/rules) et vérifiez `ppe-list` avant {date}.",
        "translation-link",
    ),
    ("Report **every** hazard.", "Signalez **chaque danger.", "translation-markup"),
    ("Report **every** hazard.", "Signalez <script>alert(1)</script> danger.", "translation-html"),
    (
        "Read the [site rules](https://example.org/rules) and check `ppe-list` before {date}.",
        "Lisez les [règles](https://example.org/rules) et vérifiez `liste-epi` avant {date}.",
        "translation-code",
    ),
    (
        "Read the [site rules](https://example.org/rules) and check `ppe-list` before {date}.",
        "Lisez les [règles](https://example.org/rules) et vérifiez `ppe-list` avant {jour}.",
        "translation-placeholder",
    ),
    ("Report **every** hazard.", "- Signalez **chaque** danger.", "translation-block"),
    ("Close", "Ouvrir", "translation-duplicate"),
]


@pytest.mark.parametrize(("msgid", "msgstr", "code"), CASES, ids=[c[2] for c in CASES])
def test_a_translation_that_breaks_the_structure_is_an_error_at_its_line(
    project: Path, msgid: str, msgstr: str, code: str
) -> None:
    errors = broken(project, msgid, msgstr)
    line = msgstr_line(po_file(project), msgid)
    assert any(
        e.startswith(f"locales/fr/LC_MESSAGES/module-safety.po:{line}:") and e.endswith(f"[{code}]") for e in errors
    ), errors


def test_the_build_refuses_a_broken_translation_and_writes_nothing(project: Path) -> None:
    broken(project, "Report **every** hazard.", "Signalez <script>alert(1)</script> danger.")
    with pytest.raises(ContentError) as failure:
        build(project, BuildOptions(locales=("fr",), formats=("web",), out_dir=project / "dist"))
    assert {d.code for d in failure.value.diagnostics} == {"translation-html"}
    assert not (project / "dist").exists()


def edit_file(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "code", "line_of"),
    [
        (lambda s: s.replace('msgstr "Règles"', 'msgstr "Règles'), "catalog-syntax", 'msgstr "Règles'),
        (
            lambda s: s.replace("plural=(n > 1);", "plural=(n != 1);"),
            "catalog-plural-forms",
            '"Plural-Forms:',
        ),
        (lambda s: s.replace('"Language: fr\\n"', '"Language: es\\n"'), "catalog-header", '"Language:'),
        (
            lambda s: s.replace(
                '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
                '"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"',
            ),
            "catalog-plural-forms",
            '"Plural-Forms:',
        ),
    ],
    ids=["syntax", "plural-forms", "language", "cldr-3-forms"],
)
def test_a_bad_catalog_is_a_located_error(project: Path, change: Callable[[str], str], code: str, line_of: str) -> None:
    translate_all(project)
    edit_file(po_file(project), change)
    lines = po_file(project).read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith(line_of))
    errors = [d for d in check(project) if d.severity == "error"]
    assert any(d.code == code and d.loc.path.endswith("module-safety.po") and d.loc.line == line for d in errors), [
        str(d) for d in errors
    ]


def test_ui_translations_cannot_add_html(project: Path) -> None:
    path = project / "locales/fr/LC_MESSAGES/ui.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\nmsgid "Next"\nmsgstr "<img src=x onerror=alert(1)>"\n',
        encoding="utf-8",
    )
    errors = [str(d) for d in check(project) if d.severity == "error"]
    assert "locales/fr/LC_MESSAGES/ui.po:8:1: error" in errors[0] and errors[0].endswith("[translation-html]")


# --------------------------------------------------------------------------- --strict and the status file


def test_strict_fails_when_graded_questions_are_untranslated(project: Path) -> None:
    set_translations(project, {k: v for k, v in FRENCH.items() if k != "Close"})
    result = build(project, BuildOptions(locales=("fr",), formats=("web",), out_dir=project / "dist"))
    warnings = [d for d in result.warnings if d.code == "translation-incomplete"]
    assert len(warnings) == 1
    assert "1 of 2 graded questions" in warnings[0].message and "q-door" in warnings[0].message
    assert warnings[0].loc.path == "locales/fr/LC_MESSAGES/module-safety.po"
    with pytest.raises(ContentError):
        build(project, BuildOptions(locales=("fr",), formats=("web",), out_dir=project / "dist2", strict=True))


def test_strict_fails_below_min_translated(project: Path) -> None:
    questions_only = {k: v for k, v in FRENCH.items() if k not in ("Rules", "Report **every** hazard.")}
    set_translations(project, questions_only)
    options = BuildOptions(locales=("fr",), formats=("web",), out_dir=project / "dist", strict=True)
    build(project, options)  # min_translated: 0
    course = project / "courses/safety-course/course.yml"
    edit_file(course, lambda s: s.replace("min_translated: 0", "min_translated: 95"))
    with pytest.raises(ContentError) as failure:
        build(project, replace(options, out_dir=project / "dist2"))
    [warning] = [d for d in failure.value.diagnostics if d.code == "translation-incomplete"]
    assert "below the course's min_translated of 95 %" in warning.message


def test_the_build_writes_translation_status(project: Path) -> None:
    set_translations(project, {k: v for k, v in FRENCH.items() if k != "Rules"})
    set_translations(project, {"Rules": "Règles"}, fuzzy=True)
    out = project / "dist"
    build(project, BuildOptions(formats=("web",), out_dir=out))
    status = json.loads((out / "translation-status.json").read_text(encoding="utf-8"))
    rows = {(r["domain"], r["locale"]): r for r in status["catalogs"]}
    module = rows[("module-safety", "fr")]
    assert (module["translated"], module["fuzzy"], module["untranslated"]) == (9, 1, 0)
    assert module["questions"]["percent_entries"] == 100.0
    assert module["catalog"] == "locales/fr/LC_MESSAGES/module-safety.po"
    assert rows[("ui", "fr")]["percent_entries"] == 100.0  # pimlearn ships the French UI
    assert ("module-safety", "en") not in rows


def test_a_build_translates_each_course_once_per_locale(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The catalogue lists the courses the build translated: it reuses them, never translates again.
    translate_all(project)
    calls: list[str] = []
    real = translate.translate_course

    def counted(course: Course, locale: str, catalogs: LocaleCatalogs | None) -> translate.Translated:
        calls.append(locale)
        return real(course, locale, catalogs)

    monkeypatch.setattr(translate, "translate_course", counted)
    out = project / "dist"
    build(project, BuildOptions(formats=("web",), out_dir=out))
    assert sorted(calls) == ["en", "fr"]
    assert "Cours de sécurité" in (out / "index-fr.html").read_text(encoding="utf-8")


@given(st.text(alphabet=st.sampled_from("aZé #>*-+_=`~:|[]<!(){}0.1)\\\t\n"), max_size=14))
def test_the_shape_of_a_translation_is_what_the_full_parser_finds(tail: str) -> None:
    # block_shape skips the parser for one line starting with a letter: it must agree with the parser.
    for text in (tail, "a" + tail, "é" + tail.replace("\n", " ")):
        full = tuple(t.type for t in parser().parse(text) if t.type != "inline")
        assert block_shape(text) == full, text


def test_texts_keep_their_source_location(project: Path) -> None:
    translate_all(project)
    result, _ = built_course(project)
    title: Text = result.course.modules[0].title  # type: ignore[attr-defined]
    assert title.loc.path == "modules/safety/module.md" and title.loc.line == 2
