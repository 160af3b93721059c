"""The training catalogue (dist/index.html): every course, module and download, true to dist/, offline, accessible."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from pimlearn.pipeline import BuildOptions, build
from tests.conftest import REPO, Files, PageWatch
from tests.test_scorm_a11y import axe


def links(page: Path) -> dict[str, Any]:
    doc = lxml_html.parse(str(page)).getroot()
    return {a.get("href"): a for a in doc.iter("a")}


def test_catalogue_lists_every_course_module_and_download(sample_build: Path) -> None:
    page = sample_build / "index.html"
    doc = lxml_html.parse(str(page)).getroot()
    text = " ".join(doc.text_content().split())
    assert doc.get("lang") == "en"
    assert "PIM Foundations" in text
    for title in ("Why PIM? Origins, definition and framework", "The PIM Principles"):
        assert title in text
    hrefs = [a.get("href") for a in doc.iter("a")]
    for locale in ("en", "fr", "es"):
        base = f"pim-foundations/{locale}/"
        for expected in (
            "web/index.html",
            "slides/index.html",
            f"pim-foundations-1.0.0-{locale}-scorm12.zip",
            f"pim-foundations-1.0.0-{locale}-scorm2004.zip",
            f"pim-foundations-1.0.0-{locale}-facilitator-guide.pdf",
            f"questions/pim-foundations-1.0.0-{locale}-moodle.xml",
            f"questions/pim-foundations-1.0.0-{locale}-qti21.zip",
            "slides/pim-intro.pptx",
        ):
            assert base + expected in hrefs
    # Every link of the page leads to a file of dist/ (or to another catalogue page), and the sizes shown are true.
    for href in hrefs:
        assert href and not re.match(r"^[a-z]+:", href), href
        if href.startswith("#"):
            continue
        assert (sample_build / href).is_file(), href
    row = doc.xpath("//a[@href='pim-foundations/fr/pim-foundations-1.0.0-fr-scorm12.zip']/following-sibling::span")[0]
    size = (sample_build / "pim-foundations/fr/pim-foundations-1.0.0-fr-scorm12.zip").stat().st_size
    assert row.text_content() == f"{size / 1000:.0f} KB"


def test_catalogue_in_each_language(sample_build: Path) -> None:
    doc = lxml_html.parse(str(sample_build / "index-fr.html")).getroot()
    text = " ".join(doc.text_content().split())
    assert doc.get("lang") == "fr"
    assert "Catalogue de formation" in text and "Training catalogue" not in text
    assert "Les Principes PIM" in text
    assert "Traduit à 100 %" in text
    assert "index-es.html" in links(sample_build / "index-fr.html")
    assert (sample_build / "index-es.html").is_file()


def test_web_version_and_slides_link_to_each_other_and_the_catalogue(sample_build: Path) -> None:
    web = sample_build / "pim-foundations/fr/web/index.html"
    slides = sample_build / "pim-foundations/fr/slides/index.html"
    for page, other in ((web, "../slides/index.html"), (slides, "../web/index.html")):
        found = links(page)
        assert other in found
        assert "../../../index-fr.html" in found
        assert (page.parent / other).resolve().is_file()
        assert (page.parent / "../../../index-fr.html").resolve().is_file()


def test_catalogue_is_offline_and_escapes_course_text(make_project: Any, minimal_files: Files, tmp_path: Path) -> None:
    files = dict(minimal_files)
    files["courses/c1/course.yml"] = (
        "title: 'Mini \\<img src=x onerror=alert(1)>'\nversion: 1.0.0\nmodules: [m1]\n"
        "description: 'Say \\<script>alert(2)\\</script>'\n"
    )
    root = make_project(files)
    build(root, BuildOptions(out_dir=tmp_path / "dist", formats=("web",)))
    page = (tmp_path / "dist" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_partial_builds_keep_the_catalogue_true(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(REPO, BuildOptions(out_dir=out, formats=("scorm12",)))
    build(REPO, BuildOptions(out_dir=out, formats=("web",), locales=("en",)))
    hrefs = links(out / "index.html")
    # The French SCORM package of the first build is still listed; the web version only in English.
    assert "pim-foundations/fr/pim-foundations-1.0.0-fr-scorm12.zip" in hrefs
    assert "pim-foundations/en/web/index.html" in hrefs
    assert "pim-foundations/fr/web/index.html" not in hrefs
    before = (out / "index.html").read_bytes()
    build(REPO, BuildOptions(out_dir=out, formats=("scorm2004",), courses=("pim-foundations",)))
    assert (out / "index.html").read_bytes() == before  # a build of named courses leaves the catalogue alone


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 900), (390, 844)])
def test_catalogue_passes_axe_and_filters(
    sample_build: Path, page: tuple[Any, PageWatch], js_tools: Path, size: tuple[int, int], tmp_path: Path
) -> None:
    pg, watch = page
    pg.set_viewport_size({"width": size[0], "height": size[1]})
    pg.goto((sample_build / "index.html").as_uri())
    pg.screenshot(path=str(tmp_path / f"catalogue-{size[0]}.png"), full_page=True)
    assert axe(pg, js_tools) == []
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pg.fill("#filter", "zzzz-nothing")
    pg.wait_for_function("document.querySelector('.course-entry').hidden === true")
    assert pg.text_content("#filter-count") == "No course matches."
    pg.fill("#filter", "principles")
    pg.wait_for_function("document.querySelector('.course-entry').hidden === false")
    assert watch.console_errors == [] and watch.external_requests == []
