"""Right-to-left locales: an Arabic build lays out right to left and isolates English fallbacks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import polib
import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.update import plan_update
from pimlearn.load import load_project
from pimlearn.pipeline import BuildOptions, build
from pimlearn.render.assets import STATIC

COURSE = "title: Safety course\nversion: 1.0.0\nlocales: [en, ar]\nmodules: [safety]\n"
MODULE = """---
title: Site safety
objectives:
  - Name the main hazards on site.
---

Welcome to the safety module.

## Rules

Report every hazard to your supervisor.

Keep the exits free.

::: tip
Walk the route to the exit on your first day.
:::
"""
ARABIC = {
    "Site safety": "السلامة في الموقع",
    "Name the main hazards on site.": "تسمية المخاطر الرئيسية في الموقع.",
    "Welcome to the safety module.": "مرحبًا بك في وحدة السلامة.",
    "Rules": "القواعد",
    "Report every hazard to your supervisor.": "أبلغ مشرفك عن كل خطر.",
    "Walk the route to the exit on your first day.": "امشِ في طريق المخرج في يومك الأول.",
    "Safety course": "دورة السلامة",
    # ui strings are pimlearn's own Arabic catalog now
    "Next": "التالي",
    "Previous": "السابق",
    "Tip": "نصيحة",
    "Introduction": "مقدمة",
    "Learning objectives": "أهداف التعلم",
}
UNTRANSLATED = "Keep the exits free."


@pytest.fixture(scope="module")
def arabic_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rtl") / "project"
    (root / "courses/safety-course").mkdir(parents=True)
    (root / "courses/safety-course/course.yml").write_text(COURSE, encoding="utf-8")
    (root / "modules/safety").mkdir(parents=True)
    (root / "modules/safety/module.md").write_text(MODULE, encoding="utf-8")
    plan = plan_update(root, load_project(root, Reporter()), epoch=0)
    assert not plan.failed
    plan.apply()
    assert not (root / "locales/ar/LC_MESSAGES/ui.po").exists()  # pimlearn ships Arabic: no project copy needed
    for path in (root / "locales/ar/LC_MESSAGES").glob("*.po"):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = ARABIC.get(entry.msgid, entry.msgstr)
        po.save()
    out = root / "dist"
    build(root, BuildOptions(locales=("ar",), formats=("web", "scorm12", "scorm2004"), out_dir=out))
    return out / "safety-course/ar/web"


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_scorm_packages_are_right_to_left_in_arabic(arabic_build: Path, version: str) -> None:
    package = arabic_build.parent / f"safety-course-1.0.0-ar-{version}.zip"
    with zipfile.ZipFile(package) as archive:
        sco = archive.read("safety/index.html").decode("utf-8")
    assert '<html lang="ar" dir="rtl">' in sco
    assert "القواعد" in sco
    assert f'<span lang="en" dir="ltr">{UNTRANSLATED}</span>' in sco


def test_pages_are_right_to_left_in_arabic(arabic_build: Path) -> None:
    page = (arabic_build / "safety/rules.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "القواعد" in page and "السابق" in page


def test_english_fallbacks_are_isolated_left_to_right(arabic_build: Path) -> None:
    page = (arabic_build / "safety/rules.html").read_text(encoding="utf-8")
    assert f'<p><span lang="en" dir="ltr">{UNTRANSLATED}</span></p>' in page
    # The marker is inline: a dir on the paragraph itself would move it to the left edge.
    assert '<p lang="en"' not in page and '<p dir="ltr"' not in page


@pytest.mark.parametrize("stylesheet", ["learner/style.css", "player/player.css"])
def test_learner_css_uses_logical_properties_only(stylesheet: str) -> None:
    css = re.sub(r"/\*.*?\*/", "", (STATIC / stylesheet).read_text(encoding="utf-8"), flags=re.S)
    physical = re.findall(
        r"[\w-]*-(?:left|right)\b\s*:|(?<![\w-])(?:left|right)\s*:|:\s*[^;{}]*\b(?:left|right)\b", css
    )
    assert physical == []


@pytest.mark.browser
def test_arabic_page_lays_out_right_to_left(arabic_build: Path, page: tuple[Any, Any], tmp_path: Path) -> None:
    pg, watch = page
    pg.goto((arabic_build / "safety/rules.html").as_uri())
    assert pg.evaluate("getComputedStyle(document.body).direction") == "rtl"
    nav = pg.locator(".module-nav").bounding_box()
    main = pg.locator("main").bounding_box()
    assert nav["x"] > main["x"], "the module navigation should sit on the right in Arabic"
    fallback = pg.locator('span[lang="en"]').first
    assert fallback.evaluate("e => getComputedStyle(e).direction") == "ltr"
    pg.screenshot(path=str(tmp_path / "ar.png"), full_page=True)
    assert not watch.console_errors and not watch.external_requests
