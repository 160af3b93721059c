"""Tailoring (course.yml ``values:`` and ``tailor:``): each kind of change, each error, and translation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from pimlearn.diagnostics import Diagnostic, Reporter
from pimlearn.i18n.catalogs import load_locale
from pimlearn.i18n.extract import course_template, module_template
from pimlearn.i18n.translate import translate_course
from pimlearn.load import load_project
from pimlearn.model import Project, Question, iter_texts, plain_text
from pimlearn.pipeline import BuildOptions, build

Make = Callable[[dict[str, str | bytes]], Path]

MODULE = """\
---
title: Module one
duration: 30
mastery_score: 75
session:
  - minutes: 30
    activity: Talk
values:
  country: Riverland
  desk: the protection desk
---

Intro about {{ country }}.

## First part

Work in {{country}} with *{{ desk }}*.

```question
id: q-one
type: true-false
prompt: "{{ country }} is fictional."
answer: true
```

## Second part

More text.

```question
id: q-two
type: true-false
prompt: Second is here.
answer: true
```

## Third part

Last text.
"""

COURSE = """\
title: Local course
version: 1.0.0
locales: [en, fr]
modules: [m1]
"""


def project(make: Make, course_extra: str = "", files: dict[str, str | bytes] | None = None) -> Path:
    return make({"courses/c1/course.yml": COURSE + course_extra, "modules/m1/module.md": MODULE, **(files or {})})


def load(root: Path) -> tuple[Project, list[Diagnostic]]:
    reporter = Reporter()
    loaded = load_project(root, reporter)
    return loaded, reporter.diagnostics


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def shown(root: Path, locale: str = "en") -> str:
    """Every text of the course's first module as built in ``locale``, placeholders filled in."""
    loaded, _ = load(root)
    course = loaded.courses[0]
    catalogs = load_locale(root, locale, ["course-c1", "module-m1"]) if locale != "en" else None
    module = translate_course(course, locale, catalogs).course.modules[0]
    return "\n".join(plain_text(t) for t in iter_texts(module))


def french_catalog() -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "c1 1.0.0",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    return po


# --------------------------------------------------------------------------- values


def test_module_defaults_fill_placeholders(make_project: Make) -> None:
    root = project(make_project)
    _, diagnostics = load(root)
    assert not diagnostics
    text = shown(root)
    assert "Intro about Riverland." in text and "Work in Riverland with the protection desk." in text
    assert "{{" not in text


def test_course_values_override_module_defaults(make_project: Make) -> None:
    root = project(make_project, "values:\n  country: Lakeland\n")
    loaded, diagnostics = load(root)
    assert not diagnostics
    text = shown(root)
    assert "Intro about Lakeland." in text and "Lakeland is fictional." in text and "Riverland" not in text
    # The module as written is untouched: its msgids keep the placeholder.
    assert loaded.modules[0].intro[0].text.source == "Intro about {{ country }}."  # type: ignore[union-attr]


def test_value_is_plain_text_escaped_in_pages(make_project: Make, tmp_path: Path) -> None:
    root = project(make_project, 'values:\n  country: "<b>Lake</b> & *land*"\n')
    build(root, BuildOptions(formats=("web",), locales=("en",), out_dir=tmp_path / "out"))
    page = (tmp_path / "out/c1/en/web/m1/first-part.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;Lake&lt;/b&gt; &amp; *land*" in page and "<b>Lake</b>" not in page


def test_placeholder_without_value_is_a_located_error(make_project: Make) -> None:
    module = MODULE.replace("## Second part\n\nMore text.", "## Second part\n\nCall {{ hotline }} now.")
    root = make_project({"courses/c1/course.yml": COURSE, "modules/m1/module.md": module})
    _, diagnostics = load(root)
    errors = [d for d in diagnostics if d.code == "value-missing"]
    assert len(errors) == 1
    assert str(errors[0].loc).startswith("modules/m1/module.md:28")
    assert "{{ hotline }}" in errors[0].message and "courses/c1/course.yml" in errors[0].message


def test_a_lookalike_placeholder_is_a_warning(make_project: Make) -> None:
    module = MODULE.replace("More text.", "More {{ Country }} and {{country}}.")
    _, diagnostics = load(make_project({"courses/c1/course.yml": COURSE, "modules/m1/module.md": module}))
    assert [(d.code, d.severity, str(d.loc)) for d in diagnostics] == [
        ("value-syntax", "warning", "modules/m1/module.md:28:1")
    ]
    assert "'{{ Country }}'" in diagnostics[0].message


def test_unused_course_value_is_a_warning(make_project: Make) -> None:
    _, diagnostics = load(project(make_project, "values:\n  country: X\n  contry: Y\n"))
    (warning,) = [d for d in diagnostics if d.code == "value-unused"]
    assert warning.severity == "warning" and str(warning.loc) == "courses/c1/course.yml:7:3"


@pytest.mark.parametrize(
    ("values", "where"),
    [
        ("  Country: X\n", "courses/c1/course.yml:6:3"),
        ("  country: [a, b]\n", "courses/c1/course.yml:6:12"),
        ("  country: a {{ b }}\n", "courses/c1/course.yml:6:12"),
    ],
)
def test_bad_values_are_located_errors(make_project: Make, values: str, where: str) -> None:
    _, diagnostics = load(project(make_project, "values:\n" + values))
    assert [str(d.loc) for d in diagnostics if d.code in ("invalid-value", "invalid-type")] == [where]


def test_translation_must_keep_placeholders(make_project: Make) -> None:
    po = french_catalog()
    po.append(polib.POEntry(msgid="Intro about {{ country }}.", msgstr="Introduction sur {{country}}."))
    po.append(polib.POEntry(msgid="More text.", msgstr="Plus de texte à {{ pays }}."))
    root = project(make_project, "values:\n  country: Lakeland\n", {"locales/fr/LC_MESSAGES/module-m1.po": str(po)})
    loaded, _ = load(root)
    catalogs = load_locale(root, "fr", ["module-m1"])
    assert not catalogs.diagnostics
    result = translate_course(loaded.courses[0], "fr", catalogs)
    assert [d.code for d in result.diagnostics] == ["translation-placeholder"]
    assert "{{ pays }}" in result.diagnostics[0].message
    text = "\n".join(plain_text(t) for t in iter_texts(result.course.modules[0]))
    assert "Introduction sur Lakeland." in text and "More text." in text  # the broken one falls back


# --------------------------------------------------------------------------- leave out and add

SECTION = """\
## Local contacts

Call the {{ desk }} in {{ country }}.

```question
id: q-local
type: true-false
prompt: The desk is local.
answer: true
```
"""


def test_leave_out_sections_and_questions(make_project: Make) -> None:
    root = project(make_project, "tailor:\n  m1:\n    leave_out: [second-part, q-one]\n")
    loaded, diagnostics = load(root)
    assert not diagnostics
    module = loaded.courses[0].modules[0]
    assert [s.slug for s in module.sections] == ["first-part", "third-part"]
    assert [q.id for q in module.questions] == []
    upstream = loaded.modules[0]
    assert [s.slug for s in upstream.sections] == ["first-part", "second-part", "third-part"]
    assert [q.id for q in upstream.questions] == ["q-one", "q-two"]


def test_leave_out_unknown_id_is_located(make_project: Make) -> None:
    _, diagnostics = load(project(make_project, "tailor:\n  m1:\n    leave_out: [secnd-part]\n"))
    (error,) = diagnostics
    assert error.code == "tailor-unknown" and str(error.loc) == "courses/c1/course.yml:7:17"
    assert "did you mean 'second-part'" in error.message


def test_tailor_names_a_module_the_course_does_not_list(make_project: Make) -> None:
    _, diagnostics = load(project(make_project, "tailor:\n  m2:\n    duration: 10\n"))
    assert [(d.code, str(d.loc)) for d in diagnostics] == [("tailor-unknown", "courses/c1/course.yml:6:3")]


@pytest.mark.parametrize(
    ("place", "order"),
    [
        ("        after: first-part\n", ["first-part", "local-contacts", "second-part", "third-part"]),
        ("        before: first-part\n", ["local-contacts", "first-part", "second-part", "third-part"]),
        ("", ["first-part", "second-part", "third-part", "local-contacts"]),
    ],
)
def test_add_a_section_from_the_course(make_project: Make, place: str, order: list[str]) -> None:
    extra = "tailor:\n  m1:\n    add:\n      - file: sections/local.md\n" + place
    root = project(make_project, extra, {"courses/c1/sections/local.md": SECTION})
    loaded, diagnostics = load(root)
    assert not diagnostics
    module = loaded.courses[0].modules[0]
    assert [s.slug for s in module.sections] == order
    added = next(s for s in module.sections if s.slug == "local-contacts")
    assert added.domain == "course-c1" and added.loc.path == "courses/c1/sections/local.md"
    assert "q-local" in [q.id for q in module.questions]
    assert "Call the the protection desk in Riverland." in shown(root)


@pytest.mark.parametrize(
    ("entry", "files", "code", "where"),
    [
        ("      - file: sections/local.md\n        after: second-prt\n", True, "tailor-unknown", ":9:16"),
        ("      - file: sections/nope.md\n", True, "tailor-file", ":8:15"),
        ("      - file: ../../modules/m1/module.md\n", True, "tailor-file", ":8:15"),
        ("      - file: sections/local.md\n        after: a\n        before: b\n", True, "tailor-place", ":8:9"),
    ],
)
def test_add_errors_are_located(make_project: Make, entry: str, files: bool, code: str, where: str) -> None:
    extra = "tailor:\n  m1:\n    add:\n" + entry
    root = project(make_project, extra, {"courses/c1/sections/local.md": SECTION} if files else {})
    _, diagnostics = load(root)
    assert (code, "courses/c1/course.yml" + where) in [(d.code, str(d.loc)) for d in diagnostics]


def test_added_question_needs_its_own_id(make_project: Make) -> None:
    extra = "tailor:\n  m1:\n    add:\n      - file: sections/local.md\n"
    section = SECTION.replace("id: q-local", "id: q-two")
    _, diagnostics = load(project(make_project, extra, {"courses/c1/sections/local.md": section}))
    assert [(d.code, str(d.loc)) for d in diagnostics] == [("duplicate-id", "courses/c1/sections/local.md:6:1")]


def test_anchor_that_is_left_out_says_so(make_project: Make) -> None:
    extra = "tailor:\n  m1:\n    leave_out: [second-part]\n    add:\n      - file: sections/local.md\n"
    extra += "        after: second-part\n"
    _, diagnostics = load(project(make_project, extra, {"courses/c1/sections/local.md": SECTION}))
    (error,) = diagnostics
    assert error.code == "tailor-unknown" and "is left out" in error.message


def test_added_section_must_start_with_a_heading_and_not_clash(make_project: Make) -> None:
    extra = "tailor:\n  m1:\n    add:\n      - file: sections/a.md\n      - file: sections/b.md\n"
    files: dict[str, str | bytes] = {
        "courses/c1/sections/a.md": "No heading.\n",
        "courses/c1/sections/b.md": "## First part\n\nAgain.\n",
    }
    _, diagnostics = load(project(make_project, extra, files))
    assert sorted((d.code, str(d.loc)) for d in diagnostics) == [
        ("tailor-clash", "courses/c1/sections/b.md:1:1"),
        ("tailor-file", "courses/c1/sections/a.md:1:1"),
    ]


# --------------------------------------------------------------------------- session plan and settings


def test_session_duration_and_pass_mark_per_module(make_project: Make) -> None:
    extra = (
        "start_time: '13:30'\ntailor:\n  m1:\n    duration: 20\n    mastery_score: 60\n    session:\n"
        "      - minutes: 15\n        activity: Short talk\n      - minutes: 5\n        activity: Tea\n"
        "        method: break\n"
    )
    loaded, diagnostics = load(project(make_project, extra))
    assert not diagnostics
    course = loaded.courses[0]
    module = course.modules[0]
    assert [s.minutes for s in module.session] == [15, 5] and module.session[1].is_break
    assert module.duration == 20 and course.pass_mark(module) == 60 and course.start_time == "13:30"
    assert loaded.modules[0].session_minutes == 30 and course.pass_mark(loaded.modules[0]) == 75


def test_unknown_tailor_key_is_an_error(make_project: Make) -> None:
    _, diagnostics = load(project(make_project, "tailor:\n  m1:\n    leaveout: [x]\n"))
    (error,) = diagnostics
    assert error.code == "unknown-key" and "did you mean 'leave_out'" in error.message


# --------------------------------------------------------------------------- translations


def test_added_text_lives_in_the_course_catalog(make_project: Make) -> None:
    extra = (
        "tailor:\n  m1:\n    add:\n      - file: sections/local.md\n    session:\n"
        "      - minutes: 30\n        activity: Local talk\n"
    )
    root = project(make_project, extra, {"courses/c1/sections/local.md": SECTION})
    loaded, _ = load(root)
    course = loaded.courses[0]
    course_ids = {m.id for m in course_template(course).messages}
    tailored_ids = {m.id for m in module_template(course.modules[0]).messages}
    assert {"Local contacts", "Call the {{ desk }} in {{ country }}.", "The desk is local.", "Local talk"} <= course_ids
    assert "Local contacts" not in tailored_ids and "Local talk" not in tailored_ids and "Talk" not in tailored_ids
    assert "Talk" in {m.id for m in module_template(loaded.modules[0]).messages}

    po = french_catalog()
    po.append(polib.POEntry(msgid="Local contacts", msgstr="Contacts locaux"))
    call = "Call the {{ desk }} in {{ country }}."
    po.append(polib.POEntry(msgid=call, msgstr="Appelez {{ desk }} à {{ country }}."))
    po.append(polib.POEntry(msgid="Local talk", msgstr="Exposé local"))
    (root / "locales/fr/LC_MESSAGES").mkdir(parents=True)
    (root / "locales/fr/LC_MESSAGES/course-c1.po").write_text(str(po), encoding="utf-8")
    catalogs = load_locale(root, "fr", ["course-c1", "module-m1"])
    assert not catalogs.diagnostics
    module = translate_course(course, "fr", catalogs).course.modules[0]
    local = next(s for s in module.sections if s.slug == "local-contacts")
    assert plain_text(local.title) == "Contacts locaux" and local.title.lang is None
    assert "Appelez the protection desk à Riverland." in [plain_text(t) for t in iter_texts(local)]
    assert plain_text(module.session[0].activity) == "Exposé local"
    assert module.sections[0].title.lang == "en"  # no module catalog: the module's own text falls back
    question = next(q for q in module.questions if q.id == "q-local")
    assert isinstance(question, Question) and question.prompt.lang == "en"


def test_course_values_are_translated_in_the_course_catalog(make_project: Make) -> None:
    po = french_catalog()
    po.append(polib.POEntry(msgid="Lakeland", msgstr="Pays-des-Lacs"))
    po.append(polib.POEntry(msgid="Intro about {{ country }}.", msgstr="À propos de {{ country }}."))
    root = project(make_project, "values:\n  country: Lakeland\n", {"locales/fr/LC_MESSAGES/module-m1.po": str(po)})
    (root / "locales/fr/LC_MESSAGES/course-c1.po").write_text(str(po), encoding="utf-8")
    loaded, _ = load(root)
    course = loaded.courses[0]
    assert "Lakeland" in {m.id for m in course_template(course).messages}
    assert "Riverland" not in {m.id for m in module_template(loaded.modules[0]).messages}  # defaults are names
    text = shown(root, "fr")
    assert "À propos de Pays-des-Lacs." in text and "Lakeland" not in text
    assert "Intro about Lakeland." in shown(root, "en")


def test_course_title_takes_the_course_values(make_project: Make) -> None:
    root = project(make_project, "values:\n  country: Lakeland\n")
    yml = root / "courses/c1/course.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("title: Local course", "title: Course for {{ country }}"))
    loaded, diagnostics = load(root)
    assert not diagnostics
    assert plain_text(translate_course(loaded.courses[0], "en", None).course.title) == "Course for Lakeland"
    yml.write_text(yml.read_text(encoding="utf-8").replace("{{ country }}", "{{ desk }}"))
    _, diagnostics = load(root)
    assert [(d.code, str(d.loc)) for d in diagnostics] == [("value-missing", "courses/c1/course.yml:1:8")]
