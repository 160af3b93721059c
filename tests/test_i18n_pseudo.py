"""The pseudo-locale ``xx``: every string of every output goes through translation.

The sample project is copied, ``i18n update -l xx`` creates its catalogs, every
msgstr is set to its msgid in UPPERCASE (Markdown syntax, link targets, code and
placeholders kept), and the course is built in ``xx`` in every registered format.
Any lowercase word left in what a user sees is a string that bypassed the
catalogs. The text is read per file type (HTML and the HTML inside zips, PPTX
text frames and notes, PDF through pdftotext), so formats added later are covered
without changing this test.
"""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from lxml import html as lxml_html

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.locales import NAMES
from pimlearn.i18n.update import plan_update
from pimlearn.load import load_project
from pimlearn.pipeline import BuildOptions, build

from .conftest import REPO, need

PROTECTED = re.compile(
    r"`[^`]*`"  # inline code
    r"|\]\([^)]*\)"  # link and image targets
    r"|%\([A-Za-z_]\w*\)[sd]|%%"  # Jinja/Python placeholders
    r"|\{\{\s*[a-z][a-z0-9_]*\s*\}\}"  # {{ value }} placeholders (filled in after translation)
    r"|\{[A-Za-z_][\w.]*\}"  # brace placeholders
    r"|&[A-Za-z]+;|&#\d+;"  # entities
    r"|<[^>]*>"  # (no HTML expected, kept intact anyway)
)
VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
LOWERCASE_WORD = re.compile(r"[^\W\d_]*[a-z][^\W\d_]*")
ALLOWED = {word for name in NAMES.values() for word in re.findall(r"[^\W\d_]+", name)}
"""Language names in the switcher are written in their own language on purpose."""


ROMAN = re.compile(r"x{0,3}(ix|iv|v?i{0,3})")
"""Page numbers of the guide's front matter (i, ii, iii: CSS lower-roman), numbers rather than words."""


@functools.cache
def value_words() -> frozenset[str]:
    """Words of the modules' {{ values }}: names and places, filled in after translation and never translated."""
    project = load_project(REPO, Reporter())
    return frozenset(w for m in project.modules for _, value in m.values for w in re.findall(r"[^\W\d_]+", value))


def pseudo(text: str) -> str:
    """UPPERCASE everything but code, link targets, placeholders and entities."""
    out, last = [], 0
    for match in PROTECTED.finditer(text):
        out.append(text[last : match.start()].upper())
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].upper())
    return "".join(out)


def fill_pseudo(po_file: Path) -> None:
    po = polib.pofile(str(po_file), wrapwidth=0)
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: pseudo(entry.msgid), 1: pseudo(entry.msgid_plural)}
        else:
            entry.msgstr = pseudo(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


# --------------------------------------------------------------------------- visible text per file type


def html_text(data: bytes) -> list[str]:
    """Text a user sees in an HTML page: text nodes outside script/style (inert <template>s included: the
    player shows them), visible attributes, and the UI strings scripts show (JSON under a "strings" key)."""
    doc = lxml_html.fromstring(data)
    found: list[str] = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script" and element.get("type") == "application/json" and element.text:
            strings = script_strings(json.loads(element.text), "strings" in element.get("id", ""))
            found.extend(PLACEHOLDER.sub(" ", text) for text in strings)
        if element.tag not in ("script", "style") and element.text:
            found.append(element.text)
        parent = element.getparent()
        if element.tail and (parent is None or parent.tag not in ("script", "style")):
            found.append(element.tail)
        found.extend(element.get(name, "") for name in VISIBLE_ATTRIBUTES)
        if element.tag == "input" and element.get("type") in ("button", "submit", "reset"):
            found.append(element.get("value", ""))
    return found


PLACEHOLDER = re.compile(r"\{\w+\}")
"""Numbers a script fills in at run time ("{num} / {total}")."""


def script_strings(value: object, inside: bool) -> Iterator[str]:
    """The string values under a "strings" key (or everywhere, when ``inside``) of a script's JSON data."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from script_strings(item, inside or key == "strings")
    elif isinstance(value, list):
        for item in value:
            yield from script_strings(item, inside)
    elif isinstance(value, str) and inside:
        yield value


def pptx_text(data: bytes) -> list[str]:
    from pptx import Presentation

    deck = Presentation(io.BytesIO(data))
    found = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                found.append(shape.text_frame.text)
        if slide.has_notes_slide:
            found.append(slide.notes_slide.notes_text_frame.text)
    return found


def pdf_text(path: Path) -> list[str]:
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    return [subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout]


def visible_texts(path: Path) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of user-visible text of an output file."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        yield from ((str(path), t) for t in html_text(path.read_bytes()))
    elif suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.lower().endswith((".html", ".htm")):
                    yield from ((f"{path}!{name}", t) for t in html_text(archive.read(name)))
    elif suffix == ".pptx":
        yield from ((str(path), t) for t in pptx_text(path.read_bytes()))
    elif suffix == ".pdf":
        yield from ((str(path), t) for t in pdf_text(path))


def lowercase_words(text: str) -> list[str]:
    """Words with a lowercase letter, apart from URLs, file names and the allow-list."""
    text = re.sub(r"\b(https?://|www\.)\S+", " ", text)
    text = re.sub(r"\S+\.(svg|png|jpe?g|html|css|js|zip|pdf|pptx)\b", " ", text)
    allowed = ALLOWED | value_words()
    return [w for w in LOWERCASE_WORD.findall(text) if w not in allowed and not ROMAN.fullmatch(w)]


# --------------------------------------------------------------------------- the test


@pytest.fixture(scope="module")
def pseudo_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pseudo") / "project"
    for folder in ("courses", "modules"):
        shutil.copytree(REPO / folder, root / folder)
    reporter = Reporter()
    project = load_project(root, reporter)
    assert not reporter.errors
    plan = plan_update(root, project, ["xx"], epoch=0)
    assert not plan.failed, plan.diagnostics
    plan.apply()
    catalogs = sorted((root / "locales" / "xx" / "LC_MESSAGES").glob("*.po"))
    assert {p.stem for p in catalogs} >= {"ui", "course-pim-foundations", "module-pim-intro"}
    for po_file in catalogs:
        fill_pseudo(po_file)
    out = root / "dist"
    result = build(root, BuildOptions(locales=("xx",), extra_locales=("xx",), out_dir=out))
    # Every catalog is complete: nothing may be reported as untranslated. (Not --strict: UPPERCASE text
    # is wider, so a full slide may rightly warn that it overflows.)
    assert [str(d) for d in result.warnings if d.code.startswith(("translation", "catalog"))] == []
    return out


def test_pseudo_helper_keeps_markdown_syntax() -> None:
    assert pseudo("See [the *guide*](docs/guide.html) and `code` for %(num)s {name}") == (
        "SEE [THE *GUIDE*](docs/guide.html) AND `code` FOR %(num)s {name}"
    )


def test_every_visible_string_of_every_output_is_translated(pseudo_build: Path) -> None:
    files = [p for p in (pseudo_build / "pim-foundations" / "xx").rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files)
    checked = 0
    leaks: dict[str, set[str]] = {}
    for path in files:
        for where, text in visible_texts(path):
            checked += 1
            words = lowercase_words(text)
            if words:
                leaks.setdefault(where.split("/xx/", 1)[-1], set()).update(words)
    assert checked > 100
    assert not leaks, "strings that bypass translation:\n" + "\n".join(
        f"  {where}: {sorted(words)[:12]}" for where, words in sorted(leaks.items())
    )


def test_the_detector_catches_an_untranslated_string(pseudo_build: Path, tmp_path: Path) -> None:
    # Guard against a test that cannot fail: a page with one English word is reported.
    page = next((pseudo_build / "pim-foundations" / "xx").rglob("index.html"))
    leaked = tmp_path / "index.html"
    leaked.write_bytes(page.read_bytes().replace(b"</main>", b"<p>untranslated</p></main>"))
    words = [w for _, text in visible_texts(leaked) for w in lowercase_words(text)]
    assert words == ["untranslated"]
