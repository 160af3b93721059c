"""The HTML deck, opened from file:// in headless Chromium as a trainer's offline laptop would."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.translate import localize
from pimlearn.load import load_project
from pimlearn.render.deck import build_deck, load_images
from tests import slides_support
from tests.conftest import REPO, PageWatch, need

use_rtl_build = slides_support.rtl_build  # the fixture, collected under its own name 'rtl_build'

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def expected_count(module_id: str) -> int:
    """Slides the HTML deck should have: the deck model's, without separate answer slides."""
    reporter = Reporter()
    project = load_project(REPO, reporter)
    course = localize(project.course("pim-foundations"), "en")
    number, module = next((i, m) for i, m in enumerate(course.modules, 1) if m.id == module_id)
    deck = build_deck(course, module, number, load_images(REPO, module).size, str)
    return len(deck.shown(answers=False))


def deck_url(sample_build: Path, module_id: str, locale: str = "en") -> str:
    return (sample_build / "pim-foundations" / locale / "slides" / f"{module_id}.html").as_uri()


def current(pg: Any) -> int:
    return int(pg.locator(".unit.is-current .slide").get_attribute("data-slide"))


@pytest.fixture
def deck_page(page: tuple[Any, PageWatch], sample_build: Path) -> Iterator[tuple[Any, PageWatch]]:
    pg, watch = page
    pg.goto(deck_url(sample_build, "pim-intro"))
    yield pg, watch
    assert watch.console_errors == []
    assert watch.external_requests == []


def test_deck_is_self_contained(sample_build: Path) -> None:
    html = (sample_build / "pim-foundations/en/slides/pim-principles.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "<link" not in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "@import" not in html and "url(http" not in html


def test_slide_count_and_keyboard(deck_page: tuple[Any, PageWatch]) -> None:
    pg, _ = deck_page
    total = expected_count("pim-intro")
    assert pg.locator(".slide").count() == total
    assert current(pg) == 1
    for key in ("ArrowRight", "PageDown", " ", "ArrowDown"):
        before = current(pg)
        pg.keyboard.press(key)
        assert current(pg) == before + 1, key
    pg.keyboard.press("PageUp")
    pg.keyboard.press("ArrowLeft")
    assert current(pg) == 3
    pg.keyboard.press("End")
    assert current(pg) == total
    pg.keyboard.press("Home")
    assert current(pg) == 1
    pg.keyboard.type("12")
    pg.keyboard.press("Enter")
    assert current(pg) == 12
    # Only the current slide is shown.
    assert pg.locator(".slide:visible").count() == 1
    pg.wait_for_function("document.getElementById('announcer').textContent.startsWith('Slide 12 of')")


def test_fragment_keeps_the_place_on_reload(deck_page: tuple[Any, PageWatch]) -> None:
    pg, _ = deck_page
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")
    # replaceState is seen by Playwright's pg.url only later: wait for the page's own address.
    pg.wait_for_function("location.hash === '#3'")
    pg.reload()
    assert current(pg) == 3


def test_click_and_swipe(deck_page: tuple[Any, PageWatch]) -> None:
    pg, _ = deck_page
    pg.mouse.click(640, 400)
    assert current(pg) == 2
    pg.click("[data-deck=prev]", force=True)
    assert current(pg) == 1


def test_notes_hidden_from_the_audience(deck_page: tuple[Any, PageWatch]) -> None:
    pg, _ = deck_page
    pg.keyboard.press("ArrowRight")
    pg.keyboard.press("ArrowRight")  # the introduction slide has notes
    notes = pg.locator(".unit.is-current .notes")
    assert "Start from what participants already do" in notes.text_content()
    assert not notes.is_visible()
    assert "Start from what participants" not in pg.locator("body").inner_text()


def test_question_reveals_answer_on_request(deck_page: tuple[Any, PageWatch]) -> None:
    pg, _ = deck_page
    slide = pg.locator(".slide[data-question-id=launch-year]")
    number = int(slide.get_attribute("data-slide"))
    pg.keyboard.type(str(number))
    pg.keyboard.press("Enter")
    answer = slide.locator(".q-answer")
    assert slide.locator(".q-ask").is_visible() and not answer.is_visible()
    pg.keyboard.press("PageDown")  # a clicker's "next" shows the answer first
    assert current(pg) == number and answer.is_visible()
    assert answer.locator("li.is-correct").inner_text().startswith("2015")
    pg.keyboard.press("a")
    assert not answer.is_visible()
    pg.click(".unit.is-current .reveal-button")
    assert answer.is_visible()
    pg.keyboard.press("PageDown")
    assert current(pg) == number + 1


def test_speaker_view_follows_and_leads(deck_page: tuple[Any, PageWatch]) -> None:
    pg, _ = deck_page
    pg.keyboard.press("ArrowRight")
    with pg.context.expect_page() as popup:
        pg.keyboard.press("s")
    speaker = popup.value
    errors: list[str] = []
    speaker.on("pageerror", lambda e: errors.append(str(e)))
    speaker.wait_for_selector(".speaker-view")
    assert "#speaker/2" in speaker.url
    speaker.wait_for_function("document.querySelector('.sv-count').textContent.startsWith('2 /')")
    # The audience moves: the speaker view follows, with the notes of the slide and the next slide.
    pg.keyboard.press("ArrowRight")
    speaker.wait_for_function("document.querySelector('.sv-count').textContent.startsWith('3 /')")
    assert "Start from what participants already do" in speaker.locator(".sv-notes").inner_text()
    # the notes panel scrolls when long: the keyboard reaches it, and its scrolling keys stay its own
    side = speaker.locator(".sv-side")
    assert side.get_attribute("tabindex") == "0" and side.get_attribute("aria-label") == "Notes and session plan"
    side.focus()
    speaker.keyboard.press("ArrowDown")
    assert speaker.locator(".sv-count").inner_text().startswith("3 /")
    assert speaker.locator(".sv-next .slide").count() == 1
    plan = speaker.locator(".sv-plan li")
    assert plan.count() == 7 and "0:00–0:10" in plan.first.inner_text()
    assert re.match(r"^\d+:\d\d$", speaker.locator(".sv-elapsed").inner_text())
    # The presenter moves in the speaker view: the audience follows.
    speaker.keyboard.press("ArrowRight")
    pg.wait_for_function("document.querySelector('.unit.is-current .slide').dataset.slide === '4'")
    assert errors == []


def test_every_slide_passes_axe(page: tuple[Any, PageWatch], sample_build: Path, js_tools: Path) -> None:
    pg, watch = page
    axe = (js_tools / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    for module_id in ("pim-intro", "pim-principles"):
        pg.goto(deck_url(sample_build, module_id))
        pg.add_script_tag(content=axe)
        total = pg.locator(".slide").count()
        for n in range(1, total + 1):
            pg.evaluate(f"location.hash = '#{n}'")
            pg.wait_for_function(f"document.querySelector('.unit.is-current .slide').dataset.slide === '{n}'")
            for state in ("ask", "answer") if pg.locator(".unit.is-current .q-answer").count() else ("ask",):
                if state == "answer":
                    pg.keyboard.press("a")
                result = pg.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                    ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
                    AXE_TAGS,
                )
                assert result == [], f"{module_id} slide {n} ({state}): {result}"
    assert watch.console_errors == [] and watch.external_requests == []


def test_index_links_every_deck(page: tuple[Any, PageWatch], sample_build: Path, js_tools: Path) -> None:
    pg, watch = page
    pg.goto((sample_build / "pim-foundations/fr/slides/index.html").as_uri())
    links = pg.locator(".deck-card h2 a")
    modules = load_project(REPO, Reporter()).course("pim-foundations").modules
    assert links.count() == len(modules) >= 2
    for href in [links.nth(i).get_attribute("href") for i in range(links.count())]:
        assert (sample_build / "pim-foundations/fr/slides" / href).is_file()
    for href in pg.locator("a[download]").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert (sample_build / "pim-foundations/fr/slides" / href).is_file()
    assert pg.locator("a[hreflang=en]").get_attribute("href") == "../../en/slides/index.html"
    pg.add_script_tag(path=str(js_tools / "axe-core" / "axe.min.js"))
    violations = pg.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(v => v.id))",
        AXE_TAGS,
    )
    assert violations == []
    assert watch.console_errors == [] and watch.external_requests == []


def test_print_one_slide_per_page_and_handout(page: tuple[Any, PageWatch], sample_build: Path, tmp_path: Path) -> None:
    need(bool(subprocess.run(["which", "pdfinfo"], capture_output=True).returncode == 0), "poppler-utils missing")
    pg, _ = page
    pg.goto(deck_url(sample_build, "pim-principles"))
    total = pg.locator(".slide").count()
    slides_pdf = tmp_path / "slides.pdf"
    pg.emulate_media(media="print")
    pg.pdf(path=str(slides_pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(slides_pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(rf"Pages:\s+{total}\b", info)
    assert re.search(r"Page size:\s+960 x 540 pts", info)
    text = subprocess.run(["pdftotext", str(slides_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "The eight principles" in text
    assert "Use the wheel to show" not in text  # notes stay out of printed slides
    pg.evaluate("document.documentElement.classList.add('handout')")
    handout_pdf = tmp_path / "handout.pdf"
    pg.pdf(path=str(handout_pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(handout_pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 1 < pages < total  # slides share a page when their notes are short: no page per slide
    assert re.search(r"Page size:\s+59[45](\.\d+)? x 841(\.\d+)? pts \(A4\)", info)
    text = subprocess.run(["pdftotext", str(handout_pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Use the wheel to show" in text
    # "Notes for slide N" only where slide N has notes (or an answer to give).
    with_notes = pg.evaluate(
        "[...document.querySelectorAll('.unit')].filter(u => u.querySelector('.notes')).map(u => u.dataset.index)"
    )
    headed = [int(n) for n in re.findall(r"Notes for slide (\d+)", text)]
    assert headed == [int(i) + 1 for i in with_notes] and 0 < len(headed) < total


def test_right_to_left_deck_mirrors(page: tuple[Any, PageWatch], rtl_build: Path) -> None:
    pg, watch = page
    pg.goto((rtl_build / "c1/ar/slides/m1.html").as_uri())
    assert pg.locator("html").get_attribute("dir") == "rtl"
    # English fallback text is marked for screen readers inside the Arabic deck.
    assert pg.locator(".slide [lang=en]").count() > 0
    pg.keyboard.press("ArrowLeft")  # forward in a right-to-left deck
    assert current(pg) == 2
    pg.keyboard.press("ArrowRight")
    assert current(pg) == 1
    title = pg.locator(".unit.is-current .slide-title").bounding_box()
    pg.keyboard.press("End")
    pg.keyboard.press("ArrowRight")
    title = pg.locator(".unit.is-current .slide-title").bounding_box()
    number = pg.locator(".unit.is-current .slide-number").bounding_box()
    assert title is not None and number is not None
    assert number["x"] < 300  # the slide number sits at the inline end: the left in Arabic
    assert watch.console_errors == []
