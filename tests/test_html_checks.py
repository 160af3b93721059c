"""The learner's and the trainer's HTML checked by two more tools besides axe-core: the Nu Html Checker
(the W3C validator, ``vnu.jar``) on every page as built, and HTML_CodeSniffer (pa11y's default runner,
WCAG 2 AA) in Chromium on every page as the player shows it. Zero errors from either."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PageWatch, need
from tests.scorm_harness import answer, go_to, player_data

LOCALES = ("en", "fr", "es")


@pytest.fixture(scope="module")
def html_root(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every HTML output of the sample course: the catalogue, web pages, slide decks, and the SCO pages of both
    packages."""
    root = tmp_path_factory.mktemp("html")
    for page in sample_build.glob("index*.html"):  # the training catalogue, in each language
        shutil.copy(page, root / page.name)
    for locale in LOCALES:
        base = sample_build / "pim-foundations" / locale
        shutil.copytree(base / "web", root / locale / "web")
        shutil.copytree(base / "slides", root / locale / "slides", ignore=shutil.ignore_patterns("*.pptx"))
        for suffix in ("scorm12", "scorm2004"):
            with zipfile.ZipFile(base / f"pim-foundations-1.0.0-{locale}-{suffix}.zip") as archive:
                for name in archive.namelist():
                    if not name.endswith(".xsd") and "/" in name:
                        archive.extract(name, root / locale / suffix)
    return root


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_the_nu_html_checker_finds_no_error(html_root: Path, js_tools: Path) -> None:
    java = shutil.which("java")
    need(java is not None, "Java is not installed (Debian package 'default-jre-headless')")
    jar = js_tools / "vnu-jar" / "build" / "dist" / "vnu.jar"
    need(jar.exists(), "vnu-jar missing: run `make setup-test`")
    files = html_files(html_root)
    assert len(files) >= 3 * (14 + 3 + 4)  # web pages, decks, SCOs of both versions, in each locale
    run = subprocess.run(
        [str(java), "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m['message']}" for m in messages]
    assert errors == []


CODESNIFFER = """() => new Promise(done => HTMLCS.process("WCAG2AA", document, () => done(
  HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR)
    .map(m => m.code + ": " + (m.element.outerHTML || "").slice(0, 100)))))"""


def codesniffer(target: Any, js_tools: Path) -> list[str]:
    """HTML_CodeSniffer's WCAG 2 AA errors on what the page holds now."""
    if not target.evaluate("typeof window.HTMLCS !== 'undefined'"):
        target.add_script_tag(path=str(js_tools / "html_codesniffer" / "build" / "HTMLCS.js"))
    return list(target.evaluate(CODESNIFFER))


@pytest.mark.browser
def test_html_codesniffer_finds_no_error(
    html_root: Path, js_tools: Path, http_root: tuple[str, Path], page: tuple[Any, PageWatch]
) -> None:
    base, www = http_root
    target = www / "html-checks"
    if not target.exists():
        shutil.copytree(html_root, target)
    pg, watch = page
    problems: dict[str, list[str]] = {}
    for path in html_files(target):
        rel = path.relative_to(target).as_posix()
        pg.goto(f"{base}/html-checks/{rel}")
        pg.wait_for_load_state("load")
        problems[rel] = codesniffer(pg, js_tools)
    # a SCO as the learner goes through it: answers checked, the result, the end screen
    pg.goto(f"{base}/html-checks/en/scorm12/pim-intro/index.html")
    pg.wait_for_selector("html.js [data-page]:not([hidden])")
    frame = pg.main_frame
    data = player_data(frame)
    for i, q in enumerate(data["questions"]):
        answer(frame, q, right=i % 2 == 0)
    go_to(frame, data["resultPage"])
    problems["sco result"] = codesniffer(frame, js_tools)
    frame.click("[data-result-panel] [data-action='finish']")
    frame.click("[data-result-panel] [data-action='finish']")
    frame.wait_for_selector("[data-finished]:not([hidden])")
    problems["sco finished"] = codesniffer(frame, js_tools)
    assert {k: v for k, v in problems.items() if v} == {}
    assert watch.external_requests == []
