"""The HTML deck on the screens trainers meet: projectors, laptops at 125 %, phones both ways, LTR and RTL.

Every slide of the sample deck is shown at each size; the whole slide must lie inside the viewport,
centred (letterboxed), and no box that clips (overflow other than visible) may hide any of its content.
Screenshots of each size go to the test's tmp dir (``pytest --basetemp=...`` keeps them for a look).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, PageWatch

pytestmark = pytest.mark.browser

# (CSS width, CSS height, device scale): physical 1366 × 768 at 125 % is 1093 × 614 CSS px.
VIEWPORTS = [
    (1024, 768, 1.0),
    (800, 600, 1.0),
    (1280, 720, 1.0),
    (1093, 614, 1.25),
    (1920, 1080, 1.0),
    (390, 844, 1.0),
    (844, 390, 1.0),
]

# For the current slide: its box, and every box that clips its content and hides some of it.
MEASURE = """() => {
  const slide = document.querySelector('.unit.is-current .slide');
  const r = slide.getBoundingClientRect();
  const clipped = [];
  for (const el of [slide, ...slide.querySelectorAll('*')]) {
    if (!el.getClientRects().length || el.classList.contains('visually-hidden')) continue;
    const cs = getComputedStyle(el);
    const ellipsis = cs.textOverflow === 'ellipsis';
    const x = cs.overflowX !== 'visible' && !ellipsis && el.scrollWidth > el.clientWidth + 1;
    const y = cs.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1;
    if (x || y) {
      clipped.push(`${el.tagName}.${el.className} ${el.scrollWidth}x${el.scrollHeight} in ` +
                   `${el.clientWidth}x${el.clientHeight}: ${el.textContent.trim().slice(0, 40)}`);
    }
  }
  // A title has no clipping box: it must stay inside its header, above the body.
  const header = slide.querySelector('.slide-header');
  const title = slide.querySelector('.slide-title');
  if (header && title) {
    const h = header.getBoundingClientRect(), t = title.getBoundingClientRect();
    if (t.top < h.top - 1 || t.bottom > h.bottom + 1) clipped.push('title outside its header');
  }
  return {x: r.x, y: r.y, width: r.width, height: r.height, clipped};
}"""

GOTO = """async n => {
  location.hash = '#' + n;
  const cur = () => document.querySelector('.unit.is-current .slide').dataset.slide;
  while (cur() !== String(n)) { await new Promise(requestAnimationFrame); }
}"""


@pytest.fixture(scope="module")
def viewport_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course's decks in English and in an Arabic build (content falls back to English)."""
    from pimlearn.pipeline import BuildOptions, build

    root = tmp_path_factory.mktemp("viewport-project")
    for folder in ("courses", "modules", "locales"):
        shutil.copytree(REPO / folder, root / folder)
    course = root / "courses/pim-foundations/course.yml"
    course.write_text(
        course.read_text(encoding="utf-8").replace("locales: [en, fr, es]", "locales: [en, ar]"), encoding="utf-8"
    )
    out = root / "dist"
    build(root, BuildOptions(formats=("slides",), out_dir=out))
    return out


@pytest.fixture
def sized_page(browser: Any) -> Iterator[Any]:
    """A factory of pages at a given viewport size and device scale."""
    contexts: list[Any] = []

    def make(width: int, height: int, scale: float) -> tuple[Any, PageWatch]:
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
        contexts.append(context)
        pg = context.new_page()
        watch = PageWatch()
        pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
        return pg, watch

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("locale", ["en", "ar"])
@pytest.mark.parametrize(("width", "height", "scale"), VIEWPORTS, ids=lambda v: str(v))
def test_every_slide_fits_the_screen(
    sized_page: Any, viewport_build: Path, tmp_path: Path, locale: str, width: int, height: int, scale: float
) -> None:
    pg, watch = sized_page(width, height, scale)
    problems: list[str] = []
    for module_id in ("pim-intro", "pim-principles"):
        pg.goto((viewport_build / "pim-foundations" / locale / "slides" / f"{module_id}.html").as_uri())
        assert pg.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        total = pg.locator(".slide").count()
        for n in range(1, total + 1):
            pg.evaluate(GOTO, n)
            states = ["ask", "answer"] if pg.locator(".unit.is-current .q-answer").count() else ["ask"]
            for state in states:
                if state == "answer":
                    pg.keyboard.press("a")
                    pg.wait_for_function("document.querySelector('.unit.is-current .q-answer').hidden === false")
                box = pg.evaluate(MEASURE)
                where = f"{module_id} slide {n} ({state})"
                # Letterboxed: inside the viewport, touching it on one axis, centred on the other.
                assert box["x"] >= -0.5 and box["y"] >= -0.5, where
                assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, where
                assert min(width - box["width"], height - box["height"]) < 1.5, where
                assert abs(box["x"] - (width - box["width"]) / 2) < 1, where
                assert abs(box["y"] - (height - box["height"]) / 2) < 1, where
                assert abs(box["width"] / box["height"] - 16 / 9) < 0.01, where
                problems += [f"{where}: {c}" for c in box["clipped"]]
                if module_id == "pim-intro" and n in (1, 6) and state == "ask":
                    pg.screenshot(path=str(tmp_path / f"{locale}-{width}x{height}@{scale}-{module_id}-{n}.png"))
    assert problems == [], "\n".join(problems)
    assert watch.console_errors == []
