"""The PPTX decks: reopened with python-pptx, converted by LibreOffice, right-to-left for Arabic."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from pimlearn.diagnostics import Reporter
from pimlearn.formats.pptx import ooxml, shapes
from pimlearn.i18n.translate import localize
from pimlearn.load import load_project
from pimlearn.pipeline import BuildOptions, build
from pimlearn.render.deck import Deck, build_deck, load_images
from tests import slides_support
from tests.conftest import REPO, Files, need

use_rtl_build = slides_support.rtl_build  # the fixture, collected under its own name 'rtl_build'

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def sample_deck(module_id: str) -> Deck:
    reporter = Reporter()
    course = localize(load_project(REPO, reporter).course("pim-foundations"), "en")
    number, module = next((i, m) for i, m in enumerate(course.modules, 1) if m.id == module_id)
    return build_deck(course, module, number, load_images(REPO, module).size, str)


def pptx_path(sample_build: Path, module_id: str, locale: str = "en") -> Path:
    return sample_build / "pim-foundations" / locale / "slides" / f"{module_id}.pptx"


@pytest.mark.parametrize("module_id", ["pim-intro", "pim-principles"])
def test_reopens_with_titles_notes_and_no_empty_placeholders(sample_build: Path, module_id: str) -> None:
    deck = sample_deck(module_id)
    prs = Presentation(str(pptx_path(sample_build, module_id)))
    slides = list(prs.slides)
    assert len(slides) == len(deck.slides)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    for slide, expected in zip(slides, deck.slides, strict=True):
        title = slide.shapes.title
        assert title is not None and title.text_frame.text == expected.plain_title
        for ph in slide.placeholders:
            assert ph.has_text_frame and ph.text_frame.text.strip(), (expected.plain_title, ph.name)
    notes = {s.shapes.title.text_frame.text: s.notes_slide.notes_text_frame.text for s in slides if s.has_notes_slide}
    if module_id == "pim-principles":
        assert "Use the wheel to show" in notes["Why principles come first"]
        assert notes["Which of these are PIM principles?"].startswith("Answer: A. Do no harm; B. Defined purpose")
    else:
        assert "Start from what participants already do" in notes["Introduction"]
    # Speaker notes and learner-only prose never reach the slides themselves.
    on_slides = " ".join(sh.text_frame.text for s in slides for sh in s.shapes if sh.has_text_frame)
    assert "Use the wheel to show" not in on_slides and "Start from what participants" not in on_slides
    assert "Each of these words opens a later part" not in on_slides  # ::: only elearning guide


def test_real_objects_not_pictures(sample_build: Path) -> None:
    prs = Presentation(str(pptx_path(sample_build, "pim-principles")))
    by_title = {s.shapes.title.text_frame.text: s for s in prs.slides}
    # Tables as tables, with every row (the milestones table of pim-intro's "Origins").
    intro = Presentation(str(pptx_path(sample_build, "pim-intro")))
    origins = next(s for s in intro.slides if s.shapes.title.text_frame.text == "Origins")
    [table] = [sh for sh in origins.shapes if sh.has_table]
    assert len(table.table.rows) == 6 and table.table.cell(2, 0).text_frame.text == "2016"
    # A numbered list is numbered paragraphs (the eight principles, in the slide-only list).
    principles = by_title["The eight principles"]
    listing = next(ph for ph in principles.placeholders if ph.placeholder_format.type != PP_PLACEHOLDER.TITLE)
    assert [p.text for p in listing.text_frame.paragraphs][:2] == ["People-centred and inclusive", "Do no harm"]
    # Pictures placed within the slide, with their alt text.
    [picture] = [sh for sh in by_title["Why principles come first"].shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert picture.left + picture.width <= prs.slide_width and picture.top + picture.height <= prs.slide_height
    assert picture.width > picture.height * 0.9  # square image kept square
    assert "eight numbered segments" in picture._element.nvPicPr.cNvPr.get("descr")
    assert picture.image.content_type == "image/png"
    # Bullets as paragraphs with levels, in the body placeholder.
    riverland = by_title["The principles in Riverland"]
    body = next(ph for ph in riverland.placeholders if ph.placeholder_format.type != PP_PLACEHOLDER.TITLE)
    assert len(body.text_frame.paragraphs) == 3
    assert all(p.level == 1 for p in body.text_frame.paragraphs)
    assert body.text_frame.paragraphs[0].runs[0].font.bold is True  # **Do no harm**


def test_question_then_answer_slide(sample_build: Path) -> None:
    prs = Presentation(str(pptx_path(sample_build, "pim-intro")))
    slides = list(prs.slides)
    index = next(i for i, s in enumerate(slides) if s.shapes.title.text_frame.text.startswith("In which year"))
    question, answer = slides[index], slides[index + 1]
    assert answer.shapes.title.text_frame.text == question.shapes.title.text_frame.text
    texts = [sh.text_frame.text for sh in question.shapes if sh.has_text_frame]
    assert "Question" in texts and "Answer" not in texts
    assert "Answer" in [sh.text_frame.text for sh in answer.shapes if sh.has_text_frame]
    body = "\n".join(sh.text_frame.text for sh in answer.shapes if sh.has_text_frame)
    assert "2015 ✓" in body and "first working meeting followed in May" in body
    assert "✓" not in "\n".join(sh.text_frame.text for sh in question.shapes if sh.has_text_frame)


def test_reproducible_bytes(sample_build: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(REPO, BuildOptions(formats=("pptx",), locales=("en",), out_dir=again))
    assert (again / "pim-foundations/en/slides/pim-intro.pptx").read_bytes() == pptx_path(
        sample_build, "pim-intro"
    ).read_bytes()


def test_saved_once_with_fixed_dates_stored_images_and_the_parts_python_pptx_writes() -> None:
    # The deck is zipped once by our writer; it must hold exactly what python-pptx's own save writes.
    prs = Presentation(str(REPO / "pimlearn/templates/slides/default.pptx"))
    slide = prs.slides.add_slide(prs.slide_layouts[-1])
    png = io.BytesIO()
    PILImage.new("RGB", (4, 3), "teal").save(png, format="PNG")
    slide.shapes.add_picture(png, 0, 0)
    ours = ooxml.save(prs, 1_700_000_000)
    theirs = io.BytesIO()
    prs.save(theirs)
    with zipfile.ZipFile(io.BytesIO(ours)) as a, zipfile.ZipFile(theirs) as b:
        assert a.testzip() is None
        assert a.namelist() == b.namelist() and a.namelist()[0] == "[Content_Types].xml"
        assert all(a.read(name) == b.read(name) for name in b.namelist())
        infos = a.infolist()
    assert {info.date_time for info in infos} == {(2023, 11, 14, 22, 13, 20)}
    kinds = {info.filename.rsplit(".", 1)[-1]: info.compress_type for info in infos}
    assert kinds["png"] == zipfile.ZIP_STORED
    assert kinds["xml"] == kinds["rels"] == zipfile.ZIP_DEFLATED
    assert ooxml.save(prs, 1_700_000_000) == ours and ooxml.save(prs, None) != ours


def test_an_svg_is_rasterised_once_per_size() -> None:
    # Every locale (and every slide reusing a figure) places it at the same size: cairosvg runs once.
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
    shapes.svg_png.cache_clear()
    first = shapes.raster(svg, "images/box.svg", 9525 * 300)
    again = shapes.raster(svg, "images/box.svg", 9525 * 300)
    wider = shapes.raster(svg, "images/box.svg", 9525 * 400)
    assert first is again and first != wider
    assert PILImage.open(io.BytesIO(first)).size == (600, 300)
    assert PILImage.open(io.BytesIO(wider)).size == (800, 400)
    assert shapes.svg_png.cache_info().misses == 2


def test_right_to_left_paragraphs_and_complex_script_font(rtl_build: Path) -> None:
    prs = Presentation(str(rtl_build / "c1/ar/slides/m1.pptx"))
    paragraphs = [p for s in prs.slides for sh in s.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
    assert paragraphs and all(p._p.pPr is not None and p._p.pPr.get("rtl") == "1" for p in paragraphs if p.runs)
    runs = [r for p in paragraphs for r in p.runs]
    assert all(r._r.rPr.find(f"{A}cs") is not None for r in runs)
    assert {r._r.rPr.find(f"{A}cs").get("typeface") for r in runs} == {"Noto Naskh Arabic"}
    # The untranslated text falls back to English and says so; the deck's own labels are Arabic-page text.
    assert {r._r.rPr.get("lang") for r in runs} >= {"en"}
    tables = [sh for s in prs.slides for sh in s.shapes if sh.has_table]
    assert tables and all(t._element.graphic.graphicData.tbl.tblPr.get("rtl") == "1" for t in tables)
    english = Presentation(str(rtl_build / "c1/en/slides/m1.pptx"))
    assert not any(
        p._p.pPr is not None and p._p.pPr.get("rtl") == "1"
        for s in english.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
    )


def test_course_template_overrides_the_builtin(make_project: Callable[[Files], Path], tmp_path: Path) -> None:
    from pptx.util import Emu

    from pimlearn.render.jinja import BUILTIN_TEMPLATES

    branded = Presentation(str(BUILTIN_TEMPLATES / "slides" / "default.pptx"))
    layout = branded.slide_layouts.get_by_name("Title and Content")
    assert layout is not None
    layout.name = "Branded content"
    branded.slide_width = Emu(12192000)
    files: Files = {
        "courses/c1/course.yml": "title: C\nversion: 1.0.0\nmodules: [m1]\n",
        "modules/m1/module.md": "---\ntitle: M\n---\n\n## One\n\nText.\n",
    }
    root = make_project(files)
    target = root / "courses/c1/templates/slides/default.pptx"
    target.parent.mkdir(parents=True)
    branded.save(str(target))
    build(root, BuildOptions(formats=("pptx",), out_dir=tmp_path / "out"))
    prs = Presentation(str(tmp_path / "out/c1/en/slides/m1.pptx"))
    assert [s.slide_layout.name for s in prs.slides][1] == "Branded content"


@pytest.fixture(scope="module")
def libreoffice_pdf(tmp_path_factory: pytest.TempPathFactory, sample_build: Path) -> Path:
    """The sample deck converted by LibreOffice headless, once (it is slow to start)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    need(soffice is not None, "LibreOffice is not installed (Debian package 'libreoffice-impress-nogui')")
    assert soffice is not None
    out = tmp_path_factory.mktemp("lo")
    profile = out / "profile"
    src = pptx_path(sample_build, "pim-principles")
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    result = subprocess.run(
        [*command, "--outdir", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = out / "pim-principles.pdf"
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    return pdf


def test_libreoffice_converts_the_deck(libreoffice_pdf: Path) -> None:
    need(shutil.which("pdfinfo") is not None, "poppler-utils is not installed")
    info = subprocess.run(["pdfinfo", str(libreoffice_pdf)], capture_output=True, text=True, check=True).stdout
    deck = sample_deck("pim-principles")
    assert re.search(rf"Pages:\s+{len(deck.slides)}\b", info)
    assert re.search(r"Page size:\s+960(\.\d+)? x 540(\.\d+)? pts", info)
    text = subprocess.run(["pdftotext", str(libreoffice_pdf), "-"], capture_output=True, text=True, check=True).stdout
    for title in ("The eight principles", "Why principles come first", "Coordination and collaboration"):
        assert title in text
    assert "Use the wheel to show" not in text


def slide_number_texts(prs: object) -> list[str]:
    out = []
    for slide in prs.slides:  # type: ignore[attr-defined]
        numbers = [
            sh.text_frame.text for sh in slide.placeholders if sh.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER
        ]
        out.append(numbers[0] if numbers else "")
    return out


@pytest.mark.parametrize("module_id", ["pim-intro", "pim-principles"])
def test_one_numbering_in_both_decks_the_index_and_the_guide(sample_build: Path, module_id: str) -> None:
    deck = sample_deck(module_id)
    prs = Presentation(str(pptx_path(sample_build, module_id)))
    kinds = [s.kind for s in deck.slides]
    numbers = slide_number_texts(prs)
    assert len(numbers) == len(deck.slides) > deck.count
    # An answer slide carries its question's number; every other slide counts one more.
    expected, n = [], 0
    for kind in kinds:
        n += kind != "answer"
        expected.append(str(n))
    assert numbers == expected
    html = (sample_build / "pim-foundations/en/slides" / f"{module_id}.html").read_text(encoding="utf-8")
    assert re.findall(r'<span class="slide-number">(\d+)</span>', html) == [str(i) for i in range(1, deck.count + 1)]
    index = (sample_build / "pim-foundations/en/slides/index.html").read_text(encoding="utf-8")
    assert f"{deck.count} slides" in index
    # The guide names, for each part of the module, the slides made from it.
    guide = next((sample_build / "pim-foundations/en").glob("*-facilitator-guide.pdf"))
    text = subprocess.run(["pdftotext", str(guide), "-"], capture_output=True, text=True, check=True).stdout
    for section in range(len(deck.module.sections)):
        found = deck.section_slides(section)
        if found:
            label = f"Slide {found[0]}" if len(found) == 1 else f"Slides {found[0]}–{found[-1]}"
            assert label in text, (section, label)


def test_arabic_choices_carry_arabic_letters_everywhere(rtl_build: Path) -> None:
    from pimlearn.i18n.locales import choice_letters
    from pimlearn.render.deck import letter

    assert [letter(i, "ar") for i in range(4)] == ["أ", "ب", "ج", "د"]
    assert letter(1, "fr") == "B" and letter(30, "ar") == "31"
    assert choice_letters("ar_EG") == choice_letters("ar")
    prs = Presentation(str(rtl_build / "c1/ar/slides/m1.pptx"))
    question = next(s for s in prs.slides if "Data needs care." in s.shapes.title.text_frame.text)
    body = [p.text for sh in question.shapes if sh.has_text_frame for p in sh.text_frame.paragraphs]
    assert any(t.startswith("أ. ") for t in body) and any(t.startswith("ب. ") for t in body)
    notes = question.notes_slide.notes_text_frame.text
    assert "أ." in notes and "A." not in notes
    html = (rtl_build / "c1/ar/slides/m1.html").read_text(encoding="utf-8")
    assert '@counter-style choice-letter { system: fixed; symbols: "أ" "ب" "ج"' in html
    english = (rtl_build / "c1/en/slides/m1.html").read_text(encoding="utf-8")
    assert '@counter-style choice-letter { system: fixed; symbols: "A" "B" "C"' in english


TITLES_AND_NUMBERS = (
    PP_PLACEHOLDER.TITLE,
    PP_PLACEHOLDER.CENTER_TITLE,
    PP_PLACEHOLDER.SUBTITLE,
    PP_PLACEHOLDER.SLIDE_NUMBER,
)


def test_lines_are_spaced_exactly_so_tables_keep_their_height(rtl_build: Path) -> None:
    # With spacing relative to the font, Arabic fonts' tall lines made LibreOffice grow the table over
    # the text below it: every paragraph pimlearn writes has an exact line spacing, 1.2 × size in tables.
    prs = Presentation(str(rtl_build / "c1/ar/slides/m1.pptx"))
    checked = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [c.text_frame for r in shape.table.rows for c in r.cells] if shape.has_table else []
            own = not shape.is_placeholder or shape.placeholder_format.type not in TITLES_AND_NUMBERS
            if shape.has_text_frame and shape.name not in ("Kicker", "Course") and own:
                frames.append(shape.text_frame)
            for frame in frames:
                for p in frame.paragraphs:
                    if not p.runs:
                        continue
                    spacing = p._p.pPr.find(f"{A}lnSpc/{A}spcPts")
                    size = p.runs[0].font.size.pt
                    factor = 1.2 if shape.has_table else 1.3
                    assert spacing is not None and abs(int(spacing.get("val")) - size * factor * 100) <= 100
                    checked += 1
    assert checked > 5
