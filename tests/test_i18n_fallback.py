"""UI strings a locale has no catalog for: shown in English, marked lang/dir, warned about once per build."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from pimlearn.package.cache import CACHE_DIR
from pimlearn.pipeline import BuildOptions, BuildResult, build

COURSE = "title: Safety course\nversion: 1.0.0\nlocales: [en, fa, sw]\nmodules: [safety, exits]\n"
OTHER_COURSE = "title: Second course\nversion: 1.0.0\nlocales: [en, fa]\nmodules: [exits]\n"
MODULE = """---
title: Site safety
---

Welcome.

## Rules

Report every hazard.

::: tip
Walk the route to the exit.
:::

```question
id: q-door
type: single
prompt: What do you do with the door?
choices:
  - text: Open
    correct: true
  - text: Close
```
"""
EXITS = "---\ntitle: Exits\n---\n\nKeep them free.\n\n## Doors\n\nNever lock them.\n"
MARKS = re.compile("[\ue000\ue001]")


@pytest.fixture(scope="module")
def no_catalog_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("fallback") / "project"
    files = {
        "courses/safety-course/course.yml": COURSE,
        "courses/second-course/course.yml": OTHER_COURSE,
        "modules/safety/module.md": MODULE,
        "modules/exits/module.md": EXITS,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    result = build(root, BuildOptions(out_dir=root / "dist"))  # every course in each locale it lists
    return root / "dist", result


def test_a_missing_ui_catalog_is_warned_once_per_locale(no_catalog_build: tuple[Path, BuildResult]) -> None:
    _, result = no_catalog_build
    warned = [d for d in result.warnings if d.code == "ui-catalog-missing"]
    assert sorted(re.search(r"for '(\w+)'", d.message).group(1) for d in warned) == ["fa", "sw"]  # type: ignore[union-attr]
    assert all("pimlearn i18n update -l" in d.message for d in warned)


@pytest.mark.parametrize(("locale", "attrs"), [("fa", ' lang="en" dir="ltr"'), ("sw", ' lang="en"')])
def test_fallback_ui_strings_are_marked_in_every_html_output(
    no_catalog_build: tuple[Path, BuildResult], locale: str, attrs: str
) -> None:
    dist, _ = no_catalog_build
    base = dist / "safety-course" / locale
    web = (base / "web" / "safety" / "rules.html").read_text(encoding="utf-8")
    assert f"<span{attrs}>Tip</span>" in web and f"<span{attrs}>Previous</span>" in web
    with zipfile.ZipFile(next(base.glob("*-scorm12.zip"))) as package:
        sco = next(package.read(n).decode() for n in package.namelist() if n == "safety/index.html")
    assert f"<span{attrs}>Tip</span>" in sco and f"<span{attrs}>Check answer</span>" in sco
    deck = next((base / "slides").glob("*safety*.html")).read_text(encoding="utf-8")
    assert f"<span{attrs}>Tip</span>" in deck and f"<span{attrs}>Summary</span>" in deck
    # Attributes and scripts cannot hold markup: the English text is there, unmarked.
    assert 'aria-label="Previous slide"' in deck
    assert not re.search(r'="[^"]*<span', web + sco + deck)


def test_no_mark_leaks_into_any_file(no_catalog_build: tuple[Path, BuildResult]) -> None:
    dist, _ = no_catalog_build
    for path in dist.rglob("*"):
        if not path.is_file() or CACHE_DIR in path.relative_to(dist).parts:  # the build cache is no output
            continue
        if path.suffix in (".zip", ".pptx"):
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    assert not MARKS.search(archive.read(name).decode("utf-8", "replace")), f"{path}:{name}"
        elif path.suffix != ".pdf":
            assert not MARKS.search(path.read_text(encoding="utf-8", errors="replace")), path


def test_pptx_fallback_runs_are_tagged_english(no_catalog_build: tuple[Path, BuildResult]) -> None:
    dist, _ = no_catalog_build
    pptx = next((dist / "safety-course" / "sw").rglob("*safety*.pptx"))
    with zipfile.ZipFile(pptx) as archive:
        slides = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/slides/slide"))
    assert re.search(r'<a:rPr[^>]*lang="en"[^>]*>(?:(?!</a:r>).)*<a:t>Summary</a:t>', slides, re.S)


def test_an_english_build_marks_nothing(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "courses/safety-course").mkdir(parents=True)
    (root / "courses/safety-course/course.yml").write_text(COURSE.replace(", fa, sw", ""), encoding="utf-8")
    for module, text in (("safety", MODULE), ("exits", EXITS)):
        (root / "modules" / module).mkdir(parents=True)
        (root / "modules" / module / "module.md").write_text(text, encoding="utf-8")
    result = build(root, BuildOptions(formats=("web",), out_dir=root / "dist"))
    assert not [d for d in result.warnings if d.code == "ui-catalog-missing"]
    page = (root / "dist/safety-course/en/web/safety/rules.html").read_text(encoding="utf-8")
    assert 'lang="en">Tip' not in page and "Tip" in page
