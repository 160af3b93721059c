"""``-f handout``: a participants' PDF per module and locale, 3 or 6 slides to a page, slides only."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.formats import formats
from pimlearn.i18n.translate import localize
from pimlearn.load import load_project
from pimlearn.render.deck import build_deck, load_images
from tests.conftest import REPO, need


def deck_count(module_id: str) -> int:
    course = localize(load_project(REPO, Reporter()).course("pim-foundations"), "en")
    number, module = next((i, m) for i, m in enumerate(course.modules, 1) if m.id == module_id)
    return build_deck(course, module, number, load_images(REPO, module).size, str).count


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_handout_is_a_registered_format() -> None:
    assert "handout" in formats()


@pytest.mark.parametrize("locale", ["en", "fr", "es"])
@pytest.mark.parametrize("module_id", ["pim-intro", "pim-principles"])
def test_a_handout_per_module_and_locale(sample_build: Path, locale: str, module_id: str) -> None:
    need(shutil.which("pdfinfo") is not None, "poppler-utils is not installed")
    pdf = sample_build / "pim-foundations" / locale / "slides" / f"{module_id}-handout.pdf"
    info = pdf_info(pdf)
    # Three slides to a page by default, on the course's paper (A4).
    assert re.search(rf"Pages:\s+{math.ceil(deck_count(module_id) / 3)}\b", info)
    assert re.search(r"Page size:\s+595(\.\d+)? x 841(\.\d+)? pts \(A4\)", info)
    assert re.search(r"Tagged:\s+yes", info)
    text = pdf_text(pdf)
    assert {"en": "Page 1 of", "fr": "Page 1 sur", "es": "Página 1 de"}[locale] in text


def test_handout_shows_every_slide_title_but_no_answer(sample_build: Path) -> None:
    text = " ".join(pdf_text(sample_build / "pim-foundations/en/slides/pim-principles-handout.pdf").split())
    for title in ("The eight principles", "Why principles come first", "Summary"):
        assert title in text
    assert "Use the wheel to show" not in text  # a speaker note
    assert "correct answer" not in text and "✓" not in text


def test_six_slides_to_a_page(tmp_path: Path) -> None:
    from pimlearn.pipeline import BuildOptions, build

    need(shutil.which("pdfinfo") is not None, "poppler-utils is not installed")
    root = tmp_path / "project"
    for folder in ("courses", "modules"):
        shutil.copytree(REPO / folder, root / folder)
    course = root / "courses/pim-foundations/course.yml"
    text = course.read_text(encoding="utf-8").replace("locales: [en, fr, es]", "locales: [en]")
    course.write_text(text + "handout_slides: 6\n", encoding="utf-8")
    build(root, BuildOptions(formats=("handout",), out_dir=tmp_path / "out"))
    pdf = tmp_path / "out/pim-foundations/en/slides/pim-intro-handout.pdf"
    assert re.search(rf"Pages:\s+{math.ceil(deck_count('pim-intro') / 6)}\b", pdf_info(pdf))


def test_handout_slides_must_be_three_or_six(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL_COURSE, write_project

    root = write_project(
        tmp_path, {"courses/c1/course.yml": MINIMAL_COURSE + "handout_slides: 4\n", "modules/m1/module.md": "x"}
    )
    reporter = Reporter()
    load_project(root, reporter)
    assert any(d.code == "invalid-value" and "handout_slides" in d.message for d in reporter.errors)
