"""The tailored sample course (courses/pim-foundations-riverland) builds in every format with its local
values, without what it leaves out, and with the upstream modules and their course untouched."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.stats import project_stats
from pimlearn.load import load_project
from pimlearn.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
COURSE = "pim-foundations-riverland"


@pytest.fixture(scope="module")
def riverland(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tailored course built in every format and locale."""
    out = tmp_path_factory.mktemp("riverland")
    result = build(REPO, BuildOptions(courses=(COURSE,), out_dir=out))
    assert not result.warnings, [str(w) for w in result.warnings]
    return out / COURSE


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def web_text(folder: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.html")))


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_every_output_shows_local_values_and_omits_what_was_left_out(riverland: Path, locale: str) -> None:
    root = riverland / locale
    web = web_text(root / "web")
    guide = pdf_text(root / f"{COURSE}-1.0.0-{locale}-facilitator-guide.pdf")
    slides = web_text(root / "slides")
    with zipfile.ZipFile(root / f"{COURSE}-1.0.0-{locale}-scorm2004.zip") as package:
        scorm = "\n".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".html"))
    deck = Presentation(str(root / "slides/pim-process.pptx"))
    pptx = "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    for text in (web, guide, slides, scorm, pptx):
        assert "River Aid" in text and "Westbank" in text
        assert "Open Roads" not in text and "{{" not in text
    evolved = {"en": "How the principles evolved", "fr": "Comment les principes ont évolué"}[locale]
    for text in (web, slides, scorm):
        assert evolved not in text and 'data-question-id="broadened-principle"' not in text
    local = {"en": "Referral in Westbank", "fr": "Le référencement à Westbank"}[locale]
    assert local in web and local in " ".join(guide.split()) and local in pptx


def test_the_guide_agenda_runs_on_the_local_clock(riverland: Path) -> None:
    guide = " ".join(pdf_text(riverland / f"en/{COURSE}-1.0.0-en-facilitator-guide.pdf").split())
    assert "starts at 13:30 and ends at 17:50" in guide
    assert "Coffee break" in guide and "Westbank referral pathway" in guide


def test_upstream_modules_and_course_are_untouched(tmp_path: Path) -> None:
    result = build(
        REPO, BuildOptions(courses=("pim-foundations",), formats=("web",), locales=("en",), out_dir=tmp_path)
    )
    assert not result.warnings
    web = web_text(tmp_path / "pim-foundations/en/web")
    assert "Open Roads completed every planned monitoring interview in Eastbank" in web
    assert "How the principles evolved" in web and "River Aid" not in web and "{{" not in web
    assert (REPO / "modules/pim-process/module.md").read_text(encoding="utf-8").count("{{ organisation }}") == 3


def test_stats_count_what_the_tailored_course_uses() -> None:
    reporter = Reporter()
    project = load_project(REPO, reporter)
    assert not reporter.errors
    rows = {r.domain: r for r in project_stats(REPO, [project.course(COURSE)], only=["fr"])}
    upstream = {r.domain: r for r in project_stats(REPO, [project.course("pim-foundations")], only=["fr"])}
    assert rows[f"course-{COURSE}"].all.percent_entries == 100.0
    assert rows["module-pim-principles"].all.total < upstream["module-pim-principles"].all.total
    assert rows["module-pim-principles"].all.percent_entries == 100.0


def test_stats_command_takes_a_course() -> None:
    from click.testing import CliRunner

    from pimlearn.cli import main

    result = CliRunner().invoke(main, ["i18n", "stats", "--course", COURSE, "--json", "--project", str(REPO)])
    assert result.exit_code == 0, result.output
    domains = {row["domain"] for row in json.loads(result.output)["catalogs"]}
    assert f"course-{COURSE}" in domains and "course-pim-foundations" not in domains
    wrong = CliRunner().invoke(main, ["i18n", "stats", "--course", "nope", "--project", str(REPO)])
    assert wrong.exit_code == 2 and "no course 'nope'" in wrong.output
