"""Outputs made module by module (the guide, handouts, PPTX decks): whole when joined, only what changed made again."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import pimlearn.render.pdf as pdf_module
from pimlearn.formats import JobResult
from pimlearn.package.cache import CACHE_DIR, JOBS
from pimlearn.pipeline import BuildOptions, build
from pimlearn.render.pdf import borrow_anchors
from tests.conftest import write_project
from tests.pdfutil import need_poppler, page_labels, pdf_text

GUIDE = "dist/c1/en/c1-1.0.0-en-facilitator-guide.pdf"


def module(title: str, extra: str = "") -> str:
    """A module long enough for a few pages, with notes and a question."""
    sections = "\n".join(
        f"## Part {n}\n\n" + "A paragraph that a facilitator reads before the session starts. " * 30 + "\n"
        for n in range(1, 4)
    )
    question = "```question\nid: q1\ntype: true-false\nprompt: It matters.\nanswer: true\n```\n"
    return f"---\ntitle: {title}\nduration: 30\n---\n\nIntro. {extra}\n\n{sections}\n{question}"


def project(root: Path) -> Path:
    """Three modules; the first links to the second, and to an anchor nobody holds."""
    return write_project(
        root,
        {
            "courses/c1/course.yml": "title: Parts course\nversion: 1.0.0\nmodules: [m1, m2, m3]\n",
            "modules/m1/module.md": module(
                "One", "See [module two](#m-m2), [the agenda](#agenda) and [nowhere](#m-nowhere)."
            ),
            "modules/m2/module.md": module("Two"),
            "modules/m3/module.md": module("Three"),
        },
    )


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What was laid out in this process (builds with ``jobs=1`` lay out here): module titles, "cover", "front"."""
    seen: list[str] = []
    real = pdf_module.layout
    marker = 'class="module-name">'

    def counting(html: str, css: str) -> JobResult:
        if marker in html:
            seen.append(html.split(marker, 1)[1].split("<", 1)[0])
        else:
            seen.append("cover" if 'class="cover"' in html else "front")
        return real(html, css)

    monkeypatch.setattr("pimlearn.render.pdf.layout", counting)
    yield seen


def build_guide(root: Path, jobs: int = 1, force: bool = False) -> bytes:
    build(root, BuildOptions(formats=("guide",), jobs=jobs, force=force))
    return (root / GUIDE).read_bytes()


@pytest.fixture(scope="module", autouse=True)
def fixed_date() -> Iterator[None]:
    """A fixed date (the guide's date is otherwise when its sources last changed): equal sources, equal files."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project(tmp_path_factory.mktemp("parts"))
    build_guide(root, jobs=2)
    return root / GUIDE


def test_parallel_and_serial_layouts_give_the_same_file(built: Path, tmp_path: Path) -> None:
    root = project(tmp_path)
    assert build_guide(root, jobs=1) == built.read_bytes()


def test_the_joined_pdf_has_one_whole_tag_tree(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        pages = {page.obj.objgen for page in pdf.pages}
        tree = pdf.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert len(parents) == len(nums) // 2 and int(tree.ParentTreeNextKey) == max(parents) + 1
        # Every page and link annotation finds its entry, and the entries point back at that page.
        for page in pdf.pages:
            for element in parents[int(page.obj.StructParents)]:
                assert page.obj.objgen in _pages_of(element)
            for annot in page.obj.get("/Annots", ()):
                entry = parents[int(annot.StructParent)].K
                refs = [k.Obj.objgen for k in entry if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
                assert annot.objgen in refs
        [document] = list(tree.K)
        kids = list(document.K)
        assert document.S == "/Document" and all(kid.P.objgen == document.objgen for kid in kids)
        seen: list[Any] = []

        def walk(node: Any) -> None:
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                seen.append(node)
                for kid in node.get("/K", ()) if isinstance(node.get("/K"), pikepdf.Array) else [node.get("/K")]:
                    walk(kid)

        walk(document)
        assert all(e.Pg.objgen in pages for e in seen if "/Pg" in e)
        # Every module's heading is in the one tree (the modules' trees were joined, not dropped).
        headings = [e for e in seen if e.S == "/H1"]
        assert len(headings) >= 3 + 3  # contents, how to use, agenda + one per module


def _pages_of(element: Any) -> set[tuple[int, int]]:
    """The pages a structure element's content is on: its own ``/Pg`` and its marked-content references'."""
    kids = element.get("/K")
    found = {k.Pg.objgen for k in (kids if isinstance(kids, pikepdf.Array) else [kids]) if _has_page(k)}
    return found | ({element.Pg.objgen} if "/Pg" in element else set())


def _has_page(kid: Any) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and "/Pg" in kid


def test_links_and_bookmarks_land_on_their_pages(built: Path) -> None:
    labels = page_labels(built)
    with pikepdf.open(built) as pdf:
        index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        names = pdf.Root.Names.Dests.Names
        dests = {str(names[i]): index[names[i + 1][0].objgen] for i in range(0, len(names), 2)}
        # Each module starts on its page 1, and the front matter's links go there (not to a borrowed name).
        for number, anchor in enumerate(("m-m1", "m-m2", "m-m3"), start=1):
            assert labels[dests[anchor]] == f"{number}-1"
        links = [
            (n, str(a.Dest)) for n, page in enumerate(pdf.pages) for a in page.obj.get("/Annots", ()) if "/Dest" in a
        ]
        assert {name for _, name in links} <= set(dests)
        # The contents and agenda link to every module; module one links to module two.
        assert {"m-m1", "m-m2", "m-m3"} <= {name for n, name in links if labels[n].isalpha()}
        assert any(labels[n].startswith("1-") and name == "m-m2" for n, name in links)
        assert any(labels[n].startswith("1-") and name == "agenda" for n, name in links)
        assert labels[dests["agenda"]].isalpha()  # module one's link lands in the front matter
        with pdf.open_outline() as outline:
            tops = [(str(item.title), labels[index[_page(item.destination)]]) for item in outline.root]
    assert [label for _, label in tops][-3:] == ["1-1", "2-1", "3-1"]
    assert all(label.isalpha() for _, label in tops[:-3])  # the front matter's, numbered i, ii, iii


def _page(destination: Any) -> tuple[int, int]:
    """The page object a bookmark's explicit destination points at."""
    return destination[0].objgen  # type: ignore[no-any-return]


def test_contents_and_agenda_print_the_labels(built: Path) -> None:
    need_poppler()
    front = pdf_text(built, 2, 3)
    for number in (1, 2, 3):
        assert f"{number}-1" in front


def test_a_link_to_no_anchor_is_reported(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = build(root, BuildOptions(formats=("guide",)))
    messages = [w.message for w in result.warnings if w.code == "guide-render"]
    assert messages == ["facilitator guide: No anchor #m-nowhere for internal URI reference"]


def test_an_edit_lays_out_its_module_and_the_front_matter_only(tmp_path: Path, layouts: list[str]) -> None:
    root = project(tmp_path)
    build_guide(root)
    assert sorted(layouts) == ["One", "Three", "Two", "cover", "front"]
    layouts.clear()
    # A word of the same length: module two's pages stay where they were, so the contents need no new layout.
    text = (root / "modules/m2/module.md").read_text(encoding="utf-8")
    (root / "modules/m2/module.md").write_text(text.replace("Intro.", "Intro:"), encoding="utf-8")
    incremental = build_guide(root)
    assert layouts == ["Two"]
    # A new module title shows in the contents: the front matter is laid out again, no other module.
    layouts.clear()
    (root / "modules/m3/module.md").write_text(module("Three, revised"), encoding="utf-8")
    build_guide(root)
    assert sorted(layouts) == ["Three, revised", "front"]
    (root / "modules/m3/module.md").write_text(module("Three"), encoding="utf-8")
    incremental = build_guide(root)
    # What the cache gave back is what a clean build makes.
    layouts.clear()
    assert build_guide(root, force=True) == incremental
    assert len(layouts) == 5


def test_a_new_date_lays_out_the_cover_only(
    tmp_path: Path, layouts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``SOURCE_DATE_EPOCH`` the guide is dated by its sources' newest change: on the cover alone."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = project(tmp_path)
    source = root / "modules/m2/module.md"
    os.utime(source, (1_700_000_000, 1_700_000_000))
    build_guide(root)
    layouts.clear()
    os.utime(source, (1_800_000_000, 1_800_000_000))  # a later day: the cover's date and the PDF's change
    guide = build_guide(root)
    assert layouts == ["cover"]  # not the module (its text is the same), nor the contents
    with pikepdf.open(io.BytesIO(guide)) as pdf:
        assert str(pdf.open_metadata().get("xmp:ModifyDate", "")).startswith("2027-01-15")


def test_a_damaged_cached_layout_is_made_again(tmp_path: Path, layouts: list[str]) -> None:
    root = project(tmp_path)
    clean = build_guide(root)
    jobs = root / "dist" / CACHE_DIR / JOBS
    results = sorted(jobs.glob("*.bin"))
    assert len(results) == 6  # five layouts (cover, front matter, three modules), and the parts joined
    for path in results:  # one flipped byte in every stored result
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    shutil.copy(root / "modules/m3/module.md", tmp_path / "m3.md")
    (root / "modules/m3/module.md").write_text(module("Three") + "\n", encoding="utf-8")
    layouts.clear()
    build_guide(root)
    assert len(layouts) == 5  # none of the damaged results was trusted
    shutil.copy(tmp_path / "m3.md", root / "modules/m3/module.md")
    assert build_guide(root) == clean


def test_borrowed_anchors_are_names_of_links_only() -> None:
    html = '<p id="x"><a href="#x">a</a><a class="c" href="#y">b</a><a href="#y">c</a><a href="#z&amp;w">d</a></p>'
    lent, names = borrow_anchors(html)
    assert names == {"y", "z&w"}
    assert lent.count('id="y"') == 1 and '<a id="y" class="c" href="#y">' in lent
    assert borrow_anchors(lent) == (lent, frozenset())  # nothing left to borrow


def test_right_to_left_footers_keep_the_page_label_in_order(tmp_path: Path) -> None:
    # Arabic: "1-2" must not come out as "2-1" (prefix and counter are separate boxes in WeasyPrint).
    need_poppler()
    root = project(tmp_path)
    course = root / "courses/c1/course.yml"
    course.write_text(course.read_text(encoding="utf-8") + "locales: [en, ar]\n", encoding="utf-8")
    build(root, BuildOptions(formats=("guide",), locales=("ar",)))
    path = root / "dist/c1/ar/c1-1.0.0-ar-facilitator-guide.pdf"
    labels = page_labels(path)
    page = labels.index("1-2") + 1
    text = pdf_text(path, page, page)
    assert "1-2" in text and "2-1" not in text


def test_an_edit_lays_out_that_modules_handout_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without SOURCE_DATE_EPOCH a handout is dated by its module's sources: the others stay as they were.
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    root = project(tmp_path)
    build(root, BuildOptions(formats=("handout",), jobs=1))
    jobs = root / "dist" / CACHE_DIR / JOBS
    before = set(jobs.glob("*.bin"))
    assert len(before) == 3
    edited = root / "modules/m2/module.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Intro.", "Intro:"), encoding="utf-8")
    later = edited.stat().st_mtime + 100
    os.utime(edited, (later, later))
    build(root, BuildOptions(formats=("handout",), jobs=1))
    assert len(set(jobs.glob("*.bin")) - before) == 1


def test_an_edit_makes_that_modules_pptx_deck_only(tmp_path: Path) -> None:
    root = project(tmp_path)
    build(root, BuildOptions(formats=("pptx",), jobs=1))
    jobs = root / "dist" / CACHE_DIR / JOBS
    before = {p.name: p.read_bytes() for p in jobs.glob("*.bin")}
    decks = {p.name: p.read_bytes() for p in (root / "dist/c1/en/slides").glob("*.pptx")}
    assert len(before) == len(decks) == 3
    edited = root / "modules/m2/module.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Intro.", "Intro:"), encoding="utf-8")
    build(root, BuildOptions(formats=("pptx",), jobs=1))
    assert len({p.name for p in jobs.glob("*.bin")} - set(before)) == 1
    after = {p.name: p.read_bytes() for p in (root / "dist/c1/en/slides").glob("*.pptx")}
    assert [name for name in sorted(after) if after[name] != decks[name]] == ["m2.pptx"]
    # A new course title is on every deck's title slide: every deck is made again.
    course = root / "courses/c1/course.yml"
    course.write_text(course.read_text(encoding="utf-8").replace("Parts course", "Parts course, revised"), "utf-8")
    build(root, BuildOptions(formats=("pptx",), jobs=1))
    assert len({p.name for p in jobs.glob("*.bin")} - set(before)) == 1 + 3
