"""The Arabic facilitator guide: English fallback blocks are tagged English in the PDF and laid out left to right."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import polib
import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.update import plan_update
from pimlearn.load import load_project
from pimlearn.pipeline import BuildOptions, build

from .conftest import write_project
from .pdfutil import need_poppler, pdf_words
from .test_i18n_rtl import ARABIC, COURSE, MODULE, UNTRANSLATED


@pytest.fixture(scope="module")
def arabic_guide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_poppler()
    root = write_project(
        tmp_path_factory.mktemp("guide-lang") / "project",
        {"courses/safety-course/course.yml": COURSE, "modules/safety/module.md": MODULE},
    )
    plan_update(root, load_project(root, Reporter()), epoch=0).apply()
    for path in (root / "locales/ar/LC_MESSAGES").glob("module-*.po"):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = ARABIC.get(entry.msgid, entry.msgstr)
        po.save()
    build(root, BuildOptions(locales=("ar",), formats=("guide",), out_dir=root / "dist"))
    return next((root / "dist/safety-course/ar").glob("*.pdf"))


def structure_languages(pdf: pikepdf.Pdf) -> Counter[tuple[str, str]]:
    """(structure type, /Lang) of every structure element that names its language."""
    found: Counter[tuple[str, str]] = Counter()

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if "/Lang" in node:
                found[(str(node.S), str(node.Lang))] += 1
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    for top in pdf.Root.StructTreeRoot.K:
        walk(top)
    return found


def test_fallback_blocks_are_tagged_english_in_the_structure_tree(arabic_guide: Path) -> None:
    with pikepdf.open(arabic_guide) as pdf:
        assert str(pdf.Root.Lang) == "ar"
        languages = structure_languages(pdf)
    # The untranslated paragraph is a /P in English; untranslated UI labels are English spans.
    assert languages[("/P", "en")] >= 1
    assert languages[("/Span", "en")] >= 1
    assert not [key for key in languages if key[1] not in ("en", "ar")]


def test_an_english_paragraph_in_the_arabic_guide_reads_left_to_right(arabic_guide: Path) -> None:
    words = pdf_words(arabic_guide)
    first, *_, last = UNTRANSLATED.split()

    def line_of(start: Any) -> list[Any]:
        same = (w for w in words if w.page == start.page and abs(w.y_min - start.y_min) < 2)
        return sorted(same, key=lambda w: w.x_min)

    start = next(w for w in words if w.text == first and "exits" in {x.text for x in line_of(w)})
    line = line_of(start)
    # Left to right, from the left margin, and the full stop at the end of the sentence, not at its left.
    assert " ".join(w.text for w in line) == UNTRANSLATED
    assert line[-1].text == last and last.endswith(".")
    translated = next(w for w in words if w.text in ("أبلغ", "أبلغ"[::-1]))  # pdftotext gives visual order
    assert start.x_min < translated.x_min  # Arabic paragraphs still start at the right
