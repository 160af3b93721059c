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
from typing import Any

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.translate import Translations
from pimlearn.load import load_project
from pimlearn.model import Block, Callout, Module, Notes, Only, Question, Quote, iter_texts, plain_text, walk_blocks
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
    assert {"pim-foundations/en", "pim-foundations/fr", "pim-foundations-riverland/fr"} <= set(found)
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


# --------------------------------------------------------------------------- participants' handouts


def project_course(course_id: str) -> Any:
    """A sample course as loaded (its module list)."""
    return load_project(REPO, Reporter(), all_modules=False).course(course_id)


def handout_secrets() -> dict[str, list[str]]:
    """Per '<course>/<locale>': notes, facilitator-only text and answers, none of which a handout may show.

    Unlike the e-learning, a handout shows ``only slides`` content: the needles are the notes, the
    blocks no slide shows, and every question's explanation and feedback (the answers), less any text
    the slides also show.
    """
    from pimlearn.render.deck import build_deck

    reporter = Reporter()
    project = load_project(REPO, reporter, all_modules=False)
    translations = Translations(REPO)
    found: dict[str, list[str]] = {}
    for source in project.courses:
        for locale in source.locales:
            course = translations.course(source, locale, warn_incomplete=False)
            hidden: set[str] = set()
            shown: set[str] = set()
            for number, module in enumerate(course.modules, start=1):
                for block in walk_blocks(module.all_blocks()):
                    if isinstance(block, Notes) or (isinstance(block, Only) and "slides" not in block.targets):
                        hidden.update(normalise(plain_text(t)) for t in iter_texts(block))
                    if isinstance(block, Question):
                        answers = [block.explanation, block.correct_feedback, block.incorrect_feedback]
                        answers += [block.feedback_true, block.feedback_false, *(c.feedback for c in block.choices)]
                        hidden.update(normalise(plain_text(t)) for t in answers if t is not None)
                deck = build_deck(course, module, number, lambda _src: (4.0, 3.0), str)
                for slide in deck.shown(answers=False):
                    texts = [slide.title, *(t for b in slide.blocks for t in iter_texts(b))]
                    if slide.question is not None:
                        q = slide.question
                        texts += [q.prompt, *(c.text for c in q.choices), *q.items]
                        texts += [p.left for p in q.pairs] + [p.right for p in q.pairs]
                    shown.update(normalise(plain_text(t)) for t in texts)
            # A hidden text that a slide also shows (also inside a longer slide text, such as a table header
            # "What it is for" inside the title "What the Matrix is for" in Spanish) is not a secret.
            slide_text = "\n".join(shown)
            found[f"{course.id}/{locale}"] = sorted(
                t for t in hidden - shown if len(t) >= MIN_LENGTH and t not in slide_text
            )
    return found


def handout_texts(dist: Path, prefix: str) -> Iterator[tuple[str, bytes]]:
    """(name, text) of every handout PDF under ``dist/<prefix>``, as pdftotext reads it."""
    import subprocess

    for path in sorted(dist.glob(f"{prefix}/slides/*-handout.pdf")):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
        yield path.relative_to(dist).as_posix(), text


def test_handouts_show_no_notes_answers_or_facilitator_text(sample_build: Path) -> None:
    secrets = handout_secrets()
    for prefix, texts in secrets.items():
        assert len(texts) >= 10, prefix  # notes in most sections, guide-only blocks, explanations
        files = list(handout_texts(sample_build, prefix))
        course_id = prefix.split("/")[0]
        assert len(files) == len(project_course(course_id).modules), prefix  # one per module
        # pdftotext breaks lines where the slide does: compare with whitespace collapsed.
        assert leaks(iter(files), texts) == []
        for name, data in files:
            assert "Notes for slide" not in data.decode("utf-8"), name


def test_the_handout_scan_finds_a_planted_answer(sample_build: Path) -> None:
    secrets = handout_secrets()["pim-foundations/en"]
    explanation = next(t for t in secrets if "2015" in t or len(t) > 40)
    found = leaks(iter([("planted.pdf", f"Slide 3\n{explanation}\n".encode())]), [explanation])
    assert found == [("planted.pdf", explanation)]
