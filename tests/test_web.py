"""End to end: `pimlearn build -f web` on the sample course, then open what it wrote."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from pimlearn.diagnostics import Reporter
from pimlearn.load import load_project
from tests.conftest import REPO, PageWatch

LOCALES = ("en", "fr", "es")


@pytest.fixture(scope="module")
def web_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course built by the installed console script, as `make build` runs it."""
    out = tmp_path_factory.mktemp("web-dist")
    script = Path(sys.executable).parent / "pimlearn"
    result = subprocess.run(
        [str(script), "build", "-f", "web", "-o", str(out)], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "pimlearn: wrote" in result.stdout
    return out


def pages(web_dist: Path, locale: str) -> list[Path]:
    return sorted((web_dist / "pim-foundations" / locale / "web").rglob("*.html"))


def test_every_locale_has_the_course_index_and_one_page_per_section(web_dist: Path) -> None:
    course = load_project(REPO, Reporter()).course("pim-foundations")
    for locale in LOCALES:
        web = web_dist / "pim-foundations" / locale / "web"
        names = {p.relative_to(web).as_posix() for p in pages(web_dist, locale)}
        assert "index.html" in names
        assert {"pim-intro/index.html", "pim-intro/origins.html", "pim-intro/check-your-understanding.html"} <= names
        assert {"pim-principles/index.html", "pim-principles/the-eight-principles.html"} <= names
        # index + pages of each module (intro + sections)
        assert len(names) == 1 + sum(1 + len(m.sections) for m in course.modules)
        assert len(names) >= 1 + 7 + 6


def test_every_local_link_and_image_resolves(web_dist: Path) -> None:
    checked = 0
    for locale in LOCALES:
        for page in pages(web_dist, locale):
            doc = lxml_html.parse(str(page)).getroot()
            for element, attribute, link, _ in doc.iterlinks():
                parts = urlsplit(link)
                if parts.scheme or link.startswith("#"):
                    continue
                target = (page.parent / unquote(parts.path)).resolve()
                assert target.is_file(), f"{page}: <{element.tag} {attribute}={link!r}> points nowhere"
                checked += 1
    assert checked > 300


def test_pages_carry_language_direction_and_stable_hooks(web_dist: Path) -> None:
    quiz = web_dist / "pim-foundations/en/web/pim-intro/check-your-understanding.html"
    doc = lxml_html.parse(str(quiz)).getroot()
    assert (doc.get("lang"), doc.get("dir")) == ("en", "ltr")
    assert doc.xpath("//main/@data-page") == ["7"]
    types = {q.get("data-question-id"): q.get("data-question-type") for q in doc.xpath("//*[@data-question-id]")}
    assert types == {
        "launch-year": "single",
        "flyer-products": "multiple",
        "replace-systems": "true-false",
        "actors-roles": "matching",
        "milestones": "ordering",
    }
    single = doc.xpath("//*[@data-question-id='launch-year']//input")
    assert [(i.get("type"), i.get("data-choice-id")) for i in single] == [("radio", c) for c in "abcd"]
    tf = doc.xpath("//*[@data-question-id='replace-systems']//input/@data-choice-id")
    assert tf == ["true", "false"]
    lefts = doc.xpath("//*[@data-question-id='actors-roles']//select/@data-left-index")
    assert lefts == ["0", "1", "2", "3"]
    # The options of a matching select are shuffled: never the answer key in order.
    values = doc.xpath("(//*[@data-question-id='actors-roles']//select)[1]/option/@value")[1:]
    assert sorted(values) == ["0", "1", "2", "3"] and values != ["0", "1", "2", "3"]
    items = doc.xpath("//*[@data-question-id='milestones']//select/@data-item-index")
    assert sorted(items) == ["0", "1", "2", "3", "4"] and items != sorted(items)
    fill = lxml_html.parse(str(quiz.with_name("the-definition-unpacked.html"))).getroot()
    assert fill.xpath("//*[@data-question-type='fill-in']//input[@type='text']")
    assert doc.xpath("//a[@data-action='prev']") and not doc.xpath("//a[@data-action='next']")


def test_learner_pages_never_show_notes_or_guide_only_text(web_dist: Path) -> None:
    secrets = [
        "Start from what participants already do",  # ::: notes in pim-intro
        "Expected answers for the dilemma card",  # ::: only guide in pim-principles
        "Terse bullet points",
    ]
    shown = ["Each of these words opens a later part of the course"]  # ::: only elearning guide
    text = " ".join(p.read_text(encoding="utf-8") for p in pages(web_dist, "en"))
    for secret in secrets:
        assert secret not in text
    for visible in shown:
        assert visible in text


def test_translated_locales_are_wholly_in_their_language(web_dist: Path) -> None:
    for locale, heading in (("fr", "Origines"), ("es", "Orígenes")):
        page = web_dist / f"pim-foundations/{locale}/web/pim-intro/origins.html"
        doc = lxml_html.parse(str(page)).getroot()
        assert doc.get("lang") == locale
        assert doc.xpath("//main//h1")[0].text_content() == heading
        # The sample catalogs are complete: nothing falls back to English.
        assert doc.xpath("//main//*[@lang='en']") == []


@pytest.mark.browser
def test_a_learner_can_read_the_whole_course_in_chromium(web_dist: Path, page: tuple[Any, PageWatch]) -> None:
    pg, watch = page
    index = web_dist / "pim-foundations/en/web/index.html"
    pg.goto(index.as_uri())
    assert pg.title() == "PIM Foundations"
    pg.click("text=Why PIM? Origins, definition and framework")
    visited = [pg.get_attribute("main", "data-page")]
    while pg.locator("a[data-action='next']").count():
        pg.click("a[data-action='next']")
        visited.append(pg.get_attribute("main", "data-page"))
    assert visited == [str(n) for n in range(1, 8)]
    pg.click("text=Back to the course")
    assert pg.url == index.as_uri()
    assert watch.console_errors == []
    assert watch.external_requests == []


@pytest.mark.browser
def test_pages_fit_a_phone_screen(web_dist: Path, page: tuple[Any, PageWatch]) -> None:
    pg, _ = page
    pg.set_viewport_size({"width": 360, "height": 740})
    for name in ("index.html", "pim-intro/origins.html", "pim-intro/check-your-understanding.html"):
        pg.goto((web_dist / "pim-foundations/en/web" / name).as_uri())
        overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways on a phone ({overflow}px)"


def test_links_to_questions_land_on_them_and_every_page_has_its_own_title(web_dist: Path) -> None:
    for locale in LOCALES:
        titles: list[str] = []
        for page in pages(web_dist, locale):
            doc = lxml_html.parse(str(page)).getroot()
            titles.append(doc.findtext(".//title"))
            for link in doc.iterfind(".//a[@href]"):
                path, _, fragment = link.get("href").partition("#")
                if not fragment.startswith("q-"):
                    continue
                target = lxml_html.parse(str(page.parent / path)).getroot()
                assert target.get_element_by_id(fragment).get("class") == "question", f"{page}: #{fragment}"
        assert len(titles) == len(set(titles)), sorted(titles)


def test_question_regions_have_distinct_names(web_dist: Path) -> None:
    doc = lxml_html.parse(str(web_dist / "pim-foundations/en/web/pim-intro/check-your-understanding.html")).getroot()
    names = []
    for region in doc.iterfind(".//section[@class='question']"):
        parts = [doc.get_element_by_id(i).text_content().strip() for i in region.get("aria-labelledby").split()]
        names.append(" ".join(parts))
    assert len(names) == 5 and len(set(names)) == 5
    assert names[0].startswith("Question 1 of 5: ") and names[4].startswith("Question 5 of 5: ")


def test_the_index_shows_an_e_learning_time_not_the_session(web_dist: Path) -> None:
    text = (web_dist / "pim-foundations/en/web/index.html").read_text()
    assert "min session" not in text and "About 15 min" in text


def test_without_javascript_learners_are_told_questions_need_it(web_dist: Path) -> None:
    page = (web_dist / "pim-foundations/en/web/pim-intro/check-your-understanding.html").read_text()
    assert "<noscript>" in page and "needs JavaScript" in page


@pytest.mark.browser
def test_the_course_index_shows_each_modules_progress(
    web_dist: Path, http_root: tuple[str, Path], page: tuple[Any, PageWatch]
) -> None:
    import shutil

    base, root = http_root
    target = root / "web-progress"
    if not target.exists():
        shutil.copytree(web_dist / "pim-foundations/en/web", target)
    pg, watch = page
    pg.goto(f"{base}/web-progress/index.html")
    states = pg.locator("[data-progress-key]")
    assert [states.nth(i).inner_text() for i in range(2)] == ["Not started", "Not started"]
    pg.goto(f"{base}/web-progress/pim-intro/origins.html")
    pg.wait_for_selector("html.js")
    pg.goto(f"{base}/web-progress/index.html")
    assert [states.nth(i).inner_text() for i in range(2)] == ["In progress", "Not started"]
    assert states.nth(0).get_attribute("data-progress") == "started"
    # the module's page list marks the pages seen
    pg.goto(f"{base}/web-progress/pim-intro/index.html")
    pg.wait_for_selector("html.js")
    seen = pg.locator(".module-nav a.is-visited")
    assert seen.count() == 2 and seen.nth(1).get_attribute("data-nav-page") == "3"
    assert watch.console_errors == [] and watch.external_requests == []
