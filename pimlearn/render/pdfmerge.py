"""One tagged PDF from several laid out apart (pikepdf): the facilitator guide's front matter and modules.

Each part is a whole tagged PDF from WeasyPrint. The merged file keeps the first part's
catalog (title, language, XMP metadata, PDF/UA identification) and adds the pages of the
others with everything that points at them:

- the structure tree: each part's top-level elements join the first part's ``Document``
  element, and the keys of the parent tree (``StructParents`` of pages, ``StructParent`` of
  link annotations) are shifted past those already used, so every marked content still
  finds its element;
- named destinations (what internal links point at), one name tree for the whole file. A part
  may hold *stubs*, names it only borrowed so that its links to another part were kept:
  the destination of the part that really holds the name wins;
- bookmarks, in part order, each pointing at its page;
- page labels, so a viewer shows the page numbers printed in the footers (``ii``, ``3-5``).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Part:
    """One laid out part: its PDF, how its pages are labelled, the names it only borrowed."""

    pdf: bytes
    label_prefix: str = ""
    """Printed before the page number in the part's labels (``3-``); empty for the part numbered in roman."""
    roman: bool = False
    """Pages labelled i, ii, iii (front matter)."""
    stubs: frozenset[str] = frozenset()


def named_pages(pdf: bytes) -> dict[str, int]:
    """The page (from 0) of every named destination of ``pdf``."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        index = {page.obj.objgen: number for number, page in enumerate(doc.pages)}
        return {
            name: index[dest[0].objgen]
            for name, dest in _dests(doc)
            if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in index
        }


def page_count(pdf: bytes) -> int:
    """How many pages ``pdf`` has."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def merge(parts: Sequence[Part]) -> bytes:
    """The parts as one PDF, in order (the first gives the document's catalog and metadata)."""
    import pikepdf

    out = pikepdf.open(io.BytesIO(parts[0].pdf))
    sources = [out]
    try:
        tree = out.Root.StructTreeRoot
        document = _document(tree)
        kids = _as_list(document.get("/K"))
        nums = list(_numbers(tree.ParentTree))
        next_key = max((key for key, _ in nums), default=-1) + 1
        dests = {name: dest for name, dest in _dests(out) if name not in parts[0].stubs}
        # A stub nobody else holds keeps its own destination (its link points at itself; the guide warns of it).
        stubs = {name: dest for name, dest in _dests(out) if name in parts[0].stubs}
        labels: list[Any] = [0, _label(parts[0])]
        bookmarks = _outline(out)
        for part in parts[1:]:
            src = pikepdf.open(io.BytesIO(part.pdf))
            sources.append(src)
            first = len(out.pages)
            labels += [first, _label(part)]
            src_tree = src.Root.StructTreeRoot
            src_nums = list(_numbers(src_tree.ParentTree))
            offset = next_key
            # Shift the part's parent-tree keys before its pages are copied, so the copies carry the new ones.
            for page in src.pages:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + offset
                for annot in page.obj.get("/Annots", ()):
                    if "/StructParent" in annot:
                        annot.StructParent = int(annot.StructParent) + offset
            src_kids = _as_list(_document(src_tree).get("/K"))
            for kid in src_kids:
                if isinstance(kid, pikepdf.Dictionary) and "/P" in kid:
                    del kid["/P"]  # else copying it would drag the part's whole tree along
            with warnings.catch_warnings():
                # pikepdf warns that named destinations are not copied with pages: they are, below.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                out.pages.extend(src.pages)
            pages = {page.obj.objgen: out.pages[first + n].obj for n, page in enumerate(src.pages)}
            for key, value in src_nums:
                nums.append((key + offset, _copy(out, value, pages)))
            next_key = offset + max((key for key, _ in src_nums), default=-1) + 1
            for kid in src_kids:
                copied = _copy(out, kid, pages)
                if isinstance(copied, pikepdf.Dictionary):
                    copied.P = document
                kids.append(copied)
            for name, dest in _dests(src):
                if name not in part.stubs:
                    dests[name] = _copy(out, dest, pages)
                elif name not in stubs:
                    stubs[name] = _copy(out, dest, pages)
            bookmarks += [_shift(item, first) for item in _outline(src)]
        document.K = pikepdf.Array(kids)
        tree.ParentTree = out.make_indirect(
            pikepdf.Dictionary(Nums=pikepdf.Array([x for key, value in sorted(nums, key=_first) for x in (key, value)]))
        )
        tree.ParentTreeNextKey = next_key
        dests = {**stubs, **dests}
        names = pikepdf.Array([x for name in sorted(dests) for x in (pikepdf.String(name), dests[name])])
        out.Root.Names = pikepdf.Dictionary(Dests=out.make_indirect(pikepdf.Dictionary(Names=names)))
        out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
        with out.open_outline() as outline:
            outline.root[:] = [_item(out, bookmark) for bookmark in bookmarks]
        buffer = io.BytesIO()
        # A content hash for the identifier: the same parts give the same file.
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
    finally:
        for doc in sources:
            doc.close()


# --------------------------------------------------------------------------- helpers

Bookmark = tuple[str, int, tuple[Any, ...], list[Any]]
"""Title, page index, the rest of the destination (``/XYZ left top zoom``), children."""


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _label(part: Part) -> Any:
    import pikepdf

    if part.roman:
        return pikepdf.Dictionary(S=pikepdf.Name.r)
    return pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String(part.label_prefix), St=1)


def _document(tree: Any) -> Any:
    """The structure tree's ``Document`` element (WeasyPrint makes one, the root's only kid)."""
    import pikepdf

    kid = tree.K
    return kid[0] if isinstance(kid, pikepdf.Array) else kid


def _as_list(value: Any) -> list[Any]:
    import pikepdf

    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return list(value)
    return [value]


def _pairs(tree: Any, leaves: str) -> Iterator[tuple[Any, Any]]:
    """The (key, value) pairs of a number tree (``leaves="/Nums"``) or a name tree (``"/Names"``), kids too."""
    flat = tree.get(leaves)
    if flat is not None:
        for i in range(0, len(flat) - 1, 2):
            yield flat[i], flat[i + 1]
    for kid in tree.get("/Kids", ()):
        yield from _pairs(kid, leaves)


def _numbers(tree: Any) -> Iterator[tuple[int, Any]]:
    """The (key, value) pairs of a number tree."""
    return ((int(key), value) for key, value in _pairs(tree, "/Nums"))


def _dests(doc: Any) -> Iterator[tuple[str, Any]]:
    """The named destinations of ``doc`` (its ``/Names /Dests`` tree)."""
    names = doc.Root.get("/Names")
    tree = names.get("/Dests") if names is not None else None
    if tree is not None:
        for name, dest in _pairs(tree, "/Names"):
            yield str(name), dest.get("/D", dest) if hasattr(dest, "keys") else dest


def _copy(out: Any, value: Any, pages: dict[Any, Any]) -> Any:
    """``value`` (from another PDF) made part of ``out``: pages map to their copies, other objects are copied."""
    import pikepdf

    if isinstance(value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and value.is_indirect:
        if value.objgen in pages:
            return pages[value.objgen]
        return out.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(out, item, pages) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, item, pages) for key, item in value.items()})
    return value


def _outline(doc: Any) -> list[Bookmark]:
    """The bookmarks of ``doc`` with the page index each points at."""
    index = {page.obj.objgen: number for number, page in enumerate(doc.pages)}

    def walk(items: Any) -> list[Bookmark]:
        found = []
        for item in items:
            dest = item.destination
            if dest is not None and len(dest) and dest[0].objgen in index:
                found.append((str(item.title), index[dest[0].objgen], tuple(dest[1:]), walk(item.children)))
        return found

    with doc.open_outline() as outline:
        return walk(outline.root)


def _shift(bookmark: Bookmark, first: int) -> Bookmark:
    """A part's bookmark pointing at the same page in the merged file, where the part starts at ``first``."""
    title, page, location, children = bookmark
    return title, first + page, location, [_shift(child, first) for child in children]


def _item(out: Any, bookmark: Bookmark) -> Any:
    import pikepdf

    title, page, location, children = bookmark
    item = pikepdf.OutlineItem(title, pikepdf.Array([out.pages[page].obj, *location]))
    item.children[:] = [_item(out, child) for child in children]
    return item
