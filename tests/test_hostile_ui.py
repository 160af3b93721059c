"""A translator-controlled ``ui`` catalog cannot inject markup or break a build.

A project's ``locales/fr/LC_MESSAGES/ui.po`` overrides pimlearn's French UI
strings. Strings with markup, wrong placeholders, a lone ``%`` or control
characters are located errors in ``check`` and ``build``; strings that are valid
but hostile in HTML (quotes breaking out of attributes, ``&``, ``>``) are shown
as the text they are in every context: element text, attributes and the JSON the
player reads.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pytest

from tests.conftest import Files, PageWatch
from tests.test_hostile import invoke, refused

HEADER = {
    "Project-Id-Version": "ui",
    "Language": "fr",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
}
COURSE = "title: Mini course\nversion: 1.0.0\nmodules: [m1]\nlocales: [en, fr]\n"
MODULE = """\
---
title: Module one
---

Intro.

## Section

Text.

```question
id: sky
type: true-false
prompt: The sky is blue.
answer: true
```
"""
UI_PO = "locales/fr/LC_MESSAGES/ui.po"


def ui_po(entries: list[tuple[str, str] | tuple[str, str, dict[int, str]]]) -> str:
    """A French ui catalog: (msgid, msgstr) or (msgid, msgid_plural, {n: msgstr})."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = HEADER
    for entry in entries:
        if len(entry) == 2:
            po.append(polib.POEntry(msgid=entry[0], msgstr=entry[1]))
        else:
            po.append(polib.POEntry(msgid=entry[0], msgid_plural=entry[1], msgstr_plural=entry[2]))
    return str(po)


def msgstr_line(text: str, msgid: str) -> int:
    """The line of the msgstr of ``msgid`` in a catalog's text."""
    lines = text.splitlines()
    start = lines.index(f'msgid "{msgid}"')
    return next(i + 1 for i in range(start, len(lines)) if lines[i].startswith("msgstr"))


def project(make_project: Callable[[Files], Path], catalog: str, extra: Files | None = None) -> Path:
    files: Files = {"courses/c1/course.yml": COURSE, "modules/m1/module.md": MODULE, UI_PO: catalog}
    files.update(extra or {})
    return make_project(files)


# --------------------------------------------------------------------------- check and build refuse


@pytest.mark.parametrize(
    ("msgid", "msgstr", "code", "words"),
    [
        ("Next", "Suivant <img src=x onerror=alert(1)>", "translation-html", "<img src=x onerror=alert(1)>"),
        ("Next", "<script>alert(1)</script>", "translation-html", "<script>"),
        ("Next", "Suivant<img src=x onerror=alert(1)", "translation-html", "<img…"),
        ("Next", '"><svg onload=alert(1)>', "translation-html", "<svg onload=alert(1)>"),
        ("Next", "</script><script>alert(1)</script>", "translation-html", "</script>"),
        ("Next", "Suivant &lt;b&gt;", "translation-html", "&lt;"),
        ("Module %(num)s", "Module %(nombre)s", "translation-placeholder", "%(nombre)s"),
        ("Module %(num)s", "Module %(num)d", "translation-placeholder", "%(num)d"),
        ("Module %(num)s", "Module", "translation-placeholder", "leaves out %(num)s"),
        ("Module %(num)s", "Module %(num)s à 100 %", "translation-placeholder", "starts no placeholder"),
        ("Module %(num)s", "Module %", "translation-placeholder", "starts no placeholder"),
        ("Module %(num)s", "Module %s", "translation-placeholder", "%s"),
        ("Next", "50 %", "translation-placeholder", "starts no placeholder"),
        ("Next", "Suiv\x01ant", "translation-control", "U+0001"),
        ("Next", "Suiv\x1bant", "translation-control", "U+001B"),
    ],
)
def test_hostile_ui_translations_are_located_errors(
    make_project: Callable[[Files], Path], msgid: str, msgstr: str, code: str, words: str
) -> None:
    catalog = ui_po([(msgid, msgstr)])
    root = project(make_project, catalog)
    output = refused(root, f"{UI_PO}:{msgstr_line(catalog, msgid)}:1", code)
    assert words in output, output


@pytest.mark.parametrize(
    ("plural", "code"),
    [
        ({0: "%(num)s module", 1: "%(num)s modules %(total)s"}, "translation-placeholder"),
        ({0: "%(num)s module", 1: "<b>%(num)s</b> modules"}, "translation-html"),
        ({0: "un module", 1: "%(num)s modules 100%"}, "translation-placeholder"),
    ],
)
def test_hostile_plural_ui_translations_are_located_errors(
    make_project: Callable[[Files], Path], plural: dict[int, str], code: str
) -> None:
    catalog = ui_po([("%(num)s module", "%(num)s modules", plural)])
    root = project(make_project, catalog)
    refused(root, f"{UI_PO}:{msgstr_line(catalog, '%(num)s module')}:1", code)


def test_a_plural_form_may_leave_out_the_number(make_project: Callable[[Files], Path]) -> None:
    catalog = ui_po([("%(num)s module", "%(num)s modules", {0: "un module", 1: "%(num)s modules"})])
    status, output = invoke("check", "--project", str(project(make_project, catalog)))
    assert status == 0, output


def test_control_characters_in_module_catalogs_are_located_errors(make_project: Callable[[Files], Path]) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {**HEADER, "Project-Id-Version": "module-m1"}
    po.append(polib.POEntry(msgid="Intro.", msgstr="Intro\x0b."))
    po.append(polib.POEntry(msgid="Text.", msgstr="Te\x00xte."))
    catalog = str(po)
    root = project(make_project, ui_po([]), {"locales/fr/LC_MESSAGES/module-m1.po": catalog})
    output = refused(
        root, f"locales/fr/LC_MESSAGES/module-m1.po:{msgstr_line(catalog, 'Intro.')}:1", "translation-control"
    )
    assert "U+000B" in output


# --------------------------------------------------------------------------- valid but hostile: escaped everywhere

ATTRIBUTE_BREAKERS = [
    ("Pages", 'Pages" onfocus="alert(1)" autofocus x="'),
    ("Slide controls", "Contrôles' onmouseover='alert(2)"),
    ("Previous and next page", 'Précédente & suivante" onclick="alert(3)'),
    ("Correct.", 'C\'est "juste" & bien > 5'),
    ("Page %(num)s of %(total)s", 'Page %(num)s sur %(total)s " onclick="alert(4)'),
    ("Skip to content", "Aller au contenu ' \" & > <3"),
    ("Facilitator guide", 'Guide" onload="alert(5)'),
    ("Facilitator guide · version %(version)s", 'Guide "v%(version)s" & co'),
]


@pytest.fixture
def hostile_build(make_project: Callable[[Files], Path]) -> Path:
    root = project(make_project, ui_po(list(ATTRIBUTE_BREAKERS)))
    formats = ["-f", "web", "-f", "scorm12", "-f", "scorm2004", "-f", "slides", "-f", "guide"]
    status, output = invoke("build", "-l", "fr", *formats, "--project", str(root))
    assert status == 0, output
    for version in ("scorm12", "scorm2004"):
        with zipfile.ZipFile(root / f"dist/c1/fr/c1-1.0.0-fr-{version}.zip") as zf:
            zf.extractall(root / version)
    return root


def _pages(root: Path) -> list[Path]:
    return [
        root / "dist/c1/fr/web/m1/section.html",
        root / "scorm12/m1/index.html",
        root / "scorm2004/m1/index.html",
        root / "dist/c1/fr/slides/m1.html",
        root / "dist/c1/fr/slides/index.html",
    ]


def test_ui_strings_are_text_in_attributes_elements_and_json(hostile_build: Path) -> None:
    from lxml import html

    sco = html.parse(str(hostile_build / "scorm2004/m1/index.html")).getroot()
    assert sco.xpath("//nav[@class='module-nav']/@aria-label") == ['Pages" onfocus="alert(1)" autofocus x="']
    assert sco.xpath("//nav[@class='pager']/@aria-label") == ['Précédente & suivante" onclick="alert(3)']
    assert sco.xpath("string(//a[@class='skip-link'])") == "Aller au contenu ' \" & > <3"
    strings = json.loads(sco.xpath("string(//script[@id='pimlearn-strings'])"))
    assert strings["correct"] == 'C\'est "juste" & bien > 5'
    assert strings["pageOf"] == 'Page {num} sur {total} " onclick="alert(4)'
    deck = html.parse(str(hostile_build / "dist/c1/fr/slides/m1.html")).getroot()
    assert deck.xpath("//nav[@class='deck-ui']/@aria-label") == ["Contrôles' onmouseover='alert(2)"]
    web = html.parse(str(hostile_build / "dist/c1/fr/web/m1/section.html")).getroot()
    assert web.xpath("string(//span[@class='page-count'])") == 'Page 2 sur 2 " onclick="alert(4)'
    for path in _pages(hostile_build):
        doc = html.parse(str(path)).getroot()
        handlers = [
            (el.tag, name)
            for el in doc.iter()
            if isinstance(el.tag, str)
            for name in el.attrib
            if name.startswith("on")
        ]
        assert handlers == [], path


@pytest.mark.browser
def test_no_ui_string_runs_in_chromium(hostile_build: Path, page: tuple[Any, PageWatch]) -> None:
    pg, watch = page
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    for path in _pages(hostile_build):
        pg.goto(path.as_uri())
        pg.wait_for_load_state("load")
        for selector in ("nav", "button", "a"):
            for index in range(min(pg.locator(selector).count(), 5)):
                element = pg.locator(selector).nth(index)
                element.dispatch_event("mouseover")
                element.focus()
        handlers = pg.evaluate(
            "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on'))"
        )
        assert handlers == [], path
    pg.goto((hostile_build / "scorm12/m1/index.html").as_uri())
    pg.wait_for_selector("html.js [data-page]:not([hidden])")
    pg.click("[data-action='next']")
    pg.check("input[data-choice-id='true']")
    pg.click("[data-action='check']")
    assert 'C\'est "juste" & bien > 5' in pg.inner_text("[data-question-id='sky']")
    assert dialogs == []
    assert watch.external_requests == []


def test_a_source_language_ui_catalog_is_checked_by_build_too(make_project: Callable[[Files], Path]) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {**HEADER, "Language": "en", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.append(polib.POEntry(msgid="Module %(num)s", msgstr="Module 100 %"))
    po.append(polib.POEntry(msgid="Pages", msgstr="<img src=x onerror=alert(1)>"))
    catalog = str(po)
    root = make_project(
        {
            "courses/c1/course.yml": "title: C\nversion: 1.0.0\nmodules: [m1]\n",
            "modules/m1/module.md": MODULE,
            "locales/en/LC_MESSAGES/ui.po": catalog,
        }
    )
    output = refused(root, f"locales/en/LC_MESSAGES/ui.po:{msgstr_line(catalog, 'Pages')}:1", "translation-html")
    assert f"ui.po:{msgstr_line(catalog, 'Module %(num)s')}:1: error:" in output


def test_ui_strings_are_text_in_the_guide_html_and_its_stylesheet(hostile_build: Path) -> None:
    from lxml import html

    from pimlearn.diagnostics import Reporter
    from pimlearn.formats.guide import guide_document
    from pimlearn.load import load_project
    from pimlearn.pipeline import BuildOptions, plan
    from pimlearn.render.jinja import templates
    from tests.pdfutil import need_poppler, pdf_text

    project_ = load_project(hostile_build, Reporter())
    ctx = plan(project_, BuildOptions(locales=("fr",), formats=("guide",)))[0]
    document = guide_document(ctx, templates(ctx.project_root, ctx.course))
    doc = html.fromstring(document.html)
    assert str(doc.xpath("string(//meta[@name='keywords']/@content)")).startswith('Guide" onload="alert(5), ')
    assert [str(a) for el in doc.iter() if isinstance(el.tag, str) for a in el.attrib if str(a).startswith("on")] == []
    for css in (document.front_css, *document.module_css):
        assert "&#34;" not in css and "&amp;" not in css
    need_poppler()
    assert 'Guide "v1.0.0" & co' in pdf_text(hostile_build / "dist/c1/fr/c1-1.0.0-fr-facilitator-guide.pdf")


def test_template_ui_functions_escape_format_and_fall_back() -> None:
    import gettext
    import io

    import jinja2

    from pimlearn.render import uitext

    po = polib.POFile(wrapwidth=0)
    po.metadata = HEADER
    po.append(
        polib.POEntry(msgid="Press <kbd>%(key)s</kbd>", msgstr="Appuyez sur <kbd>%(key)s</kbd> <i>maintenant</i>")
    )
    po.append(polib.POEntry(msgid="%(n)s left", msgstr="%(n)s restant à 100 %"))
    po.append(polib.POEntry(msgid="It's", msgstr="C'est \" & <"))
    translations = gettext.GNUTranslations(io.BytesIO(po.to_binary()))
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    uitext.install(env, translations)
    source = (
        "{{ _('Press <kbd>%(key)s</kbd>', key='<Enter>') }}|{% trans n=3 %}{{ n }} left{% endtrans %}|"
        "{{ {'a': _(\"It's\"), 'b': _(\"It's\")|upper, 'c': _(\"It's\") + '!'}|tojson }}"
    )
    kbd, left, data = env.from_string(source).render().split("|")
    # The msgid's own tags survive, a tag the translator added does not, variables are escaped.
    assert kbd == "Appuyez sur <kbd>&lt;Enter&gt;</kbd> &lt;i&gt;maintenant&lt;/i&gt;"
    assert left == "3 left"  # the translation has a lone %: the source is shown, never a crash
    assert json.loads(data) == {"a": "C'est \" & <", "b": "C'EST \" & <", "c": "C'est \" & <!"}
    assert "<" not in data
