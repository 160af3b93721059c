"""Facilitator-only content never reaches learners.

The text of every ``::: notes`` block and of every ``::: only`` block that the
e-learning does not show (``only guide``, ``only slides``) is collected from the
model, then searched for in every learner output of the sample build: every file
under ``dist/<course>/<locale>/web/`` and every file inside every ``.zip`` under
``dist/`` (SCORM packages, whichever formats exist). Files are searched as text,
with HTML tags, entities and JavaScript/JSON string escapes undone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.translate import Translations
from pimlearn.load import load_project
from pimlearn.model import Block, Callout, Module, Notes, Only, Quote, iter_texts, plain_text, walk_blocks
from tests.conftest import REPO

MIN_LENGTH = 12
"""Shorter texts ("Yes.", a table cell "2") could appear in learner content by chance."""

TAG = re.compile(r"<[^>]*>")
JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([nrt\"'/\\])")


def normalise(text: str) -> str:
    """Whitespace collapsed to single spaces, case kept."""
    return " ".join(text.split())


def _unescape_js(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match[1] or match[2]:
            return chr(int(match[1] or match[2], 16))
        return {"n": "\n", "r": "\n", "t": "\t"}.get(match[3], match[3])

    return JS_ESCAPE.sub(replace, text)


def readable_forms(data: bytes) -> list[str]:
    """The ways a learner file can hold text: as written, without tags, with escapes undone."""
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        return []  # images, fonts: no text to leak
    forms = [raw, _unescape_js(raw)]
    with contextlib.suppress(ValueError):
        forms.append(" ".join(_json_strings(json.loads(raw))))
    out = []
    for form in forms:
        unescaped = html.unescape(form)
        # Tags removed both ways: "a<em>b</em>" must read "ab", "</li><li>" must not glue words.
        out += [unescaped, html.unescape(TAG.sub("", form)), html.unescape(TAG.sub(" ", form))]
    return [normalise(form) for form in out]


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def learner_files(dist: Path, prefix: str = "*/*") -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every learner output under ``dist/<prefix>``: web/ files and every member of every zip."""
    for path in sorted(dist.glob(f"{prefix}/web/**/*")):
        if path.is_file():
            yield path.relative_to(dist).as_posix(), path.read_bytes()
    for archive in sorted(dist.glob(f"{prefix}/**/*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if not info.is_dir():
                    yield f"{archive.relative_to(dist).as_posix()}!{info.filename}", zf.read(info)


def facilitator_only_texts() -> dict[str, list[str]]:
    """Per '<course>/<locale>': the text of every notes block and every block the e-learning does not show.

    Taken from the model translated into each locale. Text that the e-learning also shows elsewhere
    (a principle's name in a slide-only list and in a table) is not a secret.
    """
    reporter = Reporter()
    project = load_project(REPO, reporter, all_modules=False)
    translations = Translations(REPO)
    found: dict[str, list[str]] = {}
    for source in project.courses:
        for locale in source.locales:
            course = translations.course(source, locale, warn_incomplete=False)
            hidden: set[str] = set()
            for module in course.modules:
                for block in walk_blocks(module.all_blocks()):
                    if isinstance(block, Notes) or (isinstance(block, Only) and "elearning" not in block.targets):
                        hidden.update(normalise(plain_text(t)) for t in iter_texts(block))
            shown = {normalise(plain_text(t)) for m in course.modules for t in iter_texts(learner_view(m))}
            found[f"{course.id}/{locale}"] = sorted(t for t in hidden - shown if len(t) >= MIN_LENGTH)
    return found


def learner_view(module: Module) -> Module:
    """The module as the e-learning shows it: without notes and other targets' blocks (nested ones too)."""

    def keep(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, Notes) or (isinstance(block, Only) and "elearning" not in block.targets):
                continue
            if isinstance(block, (Only, Callout, Quote)):
                block = dataclasses.replace(block, blocks=keep(block.blocks))
            out.append(block)
        return tuple(out)

    sections = tuple(dataclasses.replace(s, blocks=keep(s.blocks)) for s in module.sections)
    return dataclasses.replace(module, intro=keep(module.intro), sections=sections)


def leaks(files: Iterator[tuple[str, bytes]], needles: list[str]) -> list[tuple[str, str]]:
    """(file, text) for every needle found in a file."""
    found = []
    for name, data in files:
        forms = readable_forms(data)
        found += [(name, needle) for needle in needles if any(needle in form for form in forms)]
    return found


@pytest.fixture(scope="module")
def needles_by_build() -> dict[str, list[str]]:
    found = facilitator_only_texts()
    assert set(found) == {
        "pim-foundations/en",
        "pim-foundations/fr",
        "pim-foundations/es",
        "pim-foundations-riverland/en",
        "pim-foundations-riverland/fr",
    }
    for texts in found.values():
        assert len(texts) >= 10  # the sample has notes in most sections, and guide-only and slide-only blocks
    return found


@pytest.fixture(scope="module")
def needles(needles_by_build: dict[str, list[str]]) -> list[str]:
    return needles_by_build["pim-foundations/en"]


def test_no_notes_or_guide_only_text_in_learner_outputs(
    sample_build: Path, needles_by_build: dict[str, list[str]]
) -> None:
    for prefix, texts in needles_by_build.items():
        files = list(learner_files(sample_build, prefix))
        assert sum(1 for name, _ in files if name.endswith(".html")) >= 14  # every web page at least
        assert leaks(iter(files), texts) == []


def test_the_scan_finds_a_planted_leak(sample_build: Path, needles: list[str], tmp_path: Path) -> None:
    # A copy of one learner page with a note slipped in (as HTML, escaped and split by a tag),
    # and a zip holding it as a JavaScript string: the scan must catch all three.
    page = next(sample_build.glob("*/*/web/index.html")).read_bytes().decode("utf-8")
    note = max(needles, key=len)
    first, _, rest = note.partition(" ")
    planted_html = page.replace("</body>", f"<p>{html.escape(first)} <strong>{html.escape(rest)}</strong></p></body>")
    planted_js = "var notes = " + json.dumps(note, ensure_ascii=True) + ";"
    dist = tmp_path / "dist"
    web = dist / "c" / "en" / "web"
    web.mkdir(parents=True)
    (web / "index.html").write_text(planted_html, encoding="utf-8")
    with zipfile.ZipFile(dist / "c" / "en" / "package.zip", "w") as zf:
        zf.writestr("player/data.js", planted_js)
        zf.writestr("attribute.html", f'<div title="{html.escape(note)}"></div>')
    found = leaks(learner_files(dist), [note])
    assert sorted(name for name, _ in found) == [
        "c/en/package.zip!attribute.html",
        "c/en/package.zip!player/data.js",
        "c/en/web/index.html",
    ]
