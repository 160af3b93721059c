"""``make bench``'s own code on a tiny generated course, so it cannot rot between benchmark runs.

Nothing here times anything against a budget: the numbers are checked for being measured and
reported consistently, never for being fast.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests import bench_compare, bench_minimal
from tests.bench import generate
from tests.scorm_validate import validate_package

needs_pdfinfo = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is missing")


@needs_pdfinfo
def test_minimal_pipeline_writes_valid_packages_decks_and_guides(tmp_path: Path) -> None:
    generate(tmp_path / "project", 2, 2, ["en", "fr"])
    out = tmp_path / "out"
    written = bench_minimal.build(tmp_path / "project", out)
    assert written == 2 * 2 * 3  # locales x modules x (package, deck, guide)
    for locale in ("en", "fr"):
        for module in ("module-001", "module-002"):
            data = (out / locale / f"{module}-scorm12.zip").read_bytes()
            assert validate_package(data, "1.2") == []
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                page = archive.read("index.html").decode("utf-8")
                assert "images/dot.svg" in archive.namelist()
            assert f'lang="{locale}"' in page and 'src="images/dot.svg"' in page
            assert "<form" in page and "Facilitator notes" not in page  # learners get questions, not notes
            deck = (out / locale / f"{module}-deck.html").read_text(encoding="utf-8")
            assert deck.count("<section") == 4  # a title slide, the opening paragraph, one per section
            assert "data:image/svg+xml;base64," in deck and "Facilitator notes" in deck
    guide = out / "en" / "module-001-facilitator-guide.pdf"
    text = subprocess.run(["pdftotext", str(guide), "-"], capture_output=True, text=True, check=True).stdout
    assert "Session plan" in text and "Facilitator notes for this section." in text and "Answer key" in text
    pages = [bench_compare.pdf_pages(out / locale) or 0 for locale in ("en", "fr")]
    assert pages[0] >= 2 and bench_compare.pdf_pages(out) == sum(pages)


@needs_pdfinfo
def test_compare_measures_both_pipelines_and_reports_the_targets(tmp_path: Path) -> None:
    generate(tmp_path / "project", 1, 1, ["en"])
    stages = [s for s in bench_compare.STAGES if s.name in ("SCORM 1.2", "guide (own)", "guide (same)")]
    rows = bench_compare.compare(tmp_path / "project", tmp_path / "scratch", pairs=1, stages=stages)
    assert [r.stage for r in rows] == ["SCORM 1.2", "guide (own)", "guide (same)"]
    for row in rows:
        assert row.pimlearn > 0 and row.minimal > 0
        assert row.ratio == pytest.approx(row.pimlearn / row.minimal)  # one pair: the ratio of its two runs
    scorm, own, same = rows
    assert scorm.pages is None and own.pages is not None and own.page_ratio is not None
    assert own.page_ratio == pytest.approx(own.ratio * own.pages[1] / own.pages[0])
    assert same.pages is not None and same.page_ratio is not None
    assert same.pages[0] == same.pages[1] > own.pages[1]  # the same documents: pimlearn's pages
    assert not any((tmp_path / "scratch").iterdir())  # every run's output, and the saved documents, are removed

    text = bench_compare.table(rows)
    assert "medians of 1 paired runs" in text.splitlines()[0]
    assert text.splitlines()[1].split() == ["stage", "(CPU", "s)", "pimlearn", "raw", "ratio"]
    assert f"{scorm.ratio:.2f}x" in text and f"{own.ratio:.2f}x" in text and f"{same.ratio:.2f}x" in text
    assert f"({own.pages[0]} pages)" in text and f"ratio {same.page_ratio:.2f}x" in text

    cold, per_page = bench_compare.compare_targets(rows)
    assert cold[1] == "not measured"  # no whole build in this comparison
    assert per_page[1] == ("MET" if same.page_ratio <= bench_compare.GUIDE_PAGE_LIMIT else "NOT MET")
    assert f"{same.page_ratio:.2f} x" in per_page[2] and f"own untagged guide: {own.page_ratio:.2f} x" in per_page[2]
    assert [state for _, state, _ in bench_compare.compare_targets(None)] == ["not measured"] * 2


def test_raw_guide_lays_out_saved_documents(tmp_path: Path) -> None:
    """``--documents``: every saved document of a locale laid out, tagged, and joined into one PDF."""
    import pikepdf

    html = '<!DOCTYPE html><html lang="{0}"><head><title>t</title></head><body><h1>{1}</h1></body></html>'
    for locale in ("en", "fr"):
        folder = tmp_path / "documents" / locale
        folder.mkdir(parents=True)
        for number in range(3):
            (folder / f"{number:04d}.html").write_text(html.format(locale, f"Part {number}"), encoding="utf-8")
            (folder / f"{number:04d}.css").write_text("@page { size: A5 }", encoding="utf-8")
    assert bench_minimal.lay_out(tmp_path / "documents", tmp_path / "out") == 2
    for locale in ("en", "fr"):
        with pikepdf.open(tmp_path / "out" / f"{locale}-facilitator-guide.pdf") as pdf:
            assert len(pdf.pages) == 3
    with pikepdf.open(tmp_path / "out" / "en-facilitator-guide.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root  # tagged, as pimlearn's parts are (the part's tree is not joined)


def test_memory_samples_a_process_tree(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in bench_compare._tree(os.getpid())
        smaps = Path(f"/proc/{os.getpid()}/smaps_rollup").is_file()
        assert (bench_compare._kib(child.pid, smaps) or 0) > 0
    finally:
        child.kill()
        child.wait()
    assert bench_compare._kib(child.pid, False) is None  # gone: no longer counted


def test_target_rows_follow_the_measurements() -> None:
    def mem(size: str, tree: float) -> bench_compare.Memory:
        return bench_compare.Memory(size, tree, tree / 2, tree / 3, True)

    limit, flat = bench_compare.memory_targets([mem("20", 300.0), mem("40", 390.0)], at_size=True)
    assert (limit[1], flat[1]) == ("MET", "NOT MET") and "+30 %" in flat[2]
    limit, flat = bench_compare.memory_targets([mem("20", 300.0), mem("40", 480.0)], at_size=False)
    assert (limit[1], flat[1]) == ("not measured", "NOT MET")
    limit, _ = bench_compare.memory_targets([mem("20", 470.0), mem("40", 480.0)], at_size=True)
    assert limit[1] == "NOT MET"  # 500 MB is 476.8 MiB
    assert bench_compare.speedup_target(None)[1] == "not measured"
    fast, slow = bench_compare.Speedup("a", 10.0, 5.0, 2.0, 2), bench_compare.Speedup("b", 10.0, 8.0, 1.25, 2)
    assert bench_compare.speedup_target([fast])[1] == "MET"
    assert bench_compare.speedup_target([fast, slow])[1] == "NOT MET"  # also the one-locale course
