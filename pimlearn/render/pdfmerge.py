"""One tagged PDF from several laid out apart (pikepdf): the facilitator guide's cover, front matter and modules.

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

Parts are opened one at a time: once a part is copied, the streams it gave (page contents,
fonts, images) are given their bytes in the merged file and the part is closed, so a
40-module guide holds one part in memory beside the merged file, not all of them (pikepdf
copies a stream's data lazily, from its source, when the merged file is saved).
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..formats import Job, JobResult


@dataclass(frozen=True)
class Part:
    """One laid out part: its PDF, how its pages are labelled, the names it only borrowed."""

    pdf: bytes
    label_prefix: str = ""
    """Printed before the page number in the part's labels (``3-``); empty for the part numbered in roman."""
    roman: bool = False
    """Pages labelled i, ii, iii (front matter)."""
    start: int = 1
    """The number of the part's first page."""
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


def merge_job(parts: Sequence[Part]) -> Job:
    """Joining ``parts`` as a job, keyed by them. It runs in the build's own process after the render
    processes: pikepdf holds every object of the joined file at once (about 100 MB for a 40-module guide)."""
    from ..package.cache import stable_bytes

    digest = hashlib.sha256(b"pdf-merge\0")
    for part in parts:
        labels = (part.label_prefix, part.roman, part.start, part.stubs)
        digest.update(hashlib.sha256(part.pdf).digest() + stable_bytes(labels))
    return Job(digest.hexdigest(), _merged, (tuple(parts),), local=True)


def _merged(parts: tuple[Part, ...]) -> JobResult:
    return JobResult(merge(parts))


def merge(parts: Sequence[Part]) -> bytes:
    """The parts as one PDF, in order (the first gives the document's catalog and metadata)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(parts[0].pdf)) as out:
        joined = _Joined.start(out, parts[0])
        for part in parts[1:]:
            with pikepdf.open(io.BytesIO(part.pdf)) as src:
                joined.add(src, part)
        return joined.save()


@dataclass
class _Joined:
    """The merged file while parts are added to it: what its catalog will point at."""

    out: Any
    document: Any
    """The structure tree's ``Document`` element, which every part's elements join."""
    kids: list[Any]
    nums: list[tuple[int, Any]]
    """The parent tree's pairs."""
    next_key: int
    dests: dict[str, Any]
    stubs: dict[str, Any]
    labels: list[Any]
    bookmarks: list[Bookmark]

    @classmethod
    def start(cls, out: Any, part: Part) -> _Joined:
        """The first part, which gives the merged file its catalog."""
        tree = out.Root.StructTreeRoot
        document = _document(tree)
        nums = list(_numbers(tree.ParentTree))
        found = list(_dests(out))
        return cls(
            out,
            document,
            _as_list(document.get("/K")),
            nums,
            max((key for key, _ in nums), default=-1) + 1,
            {name: dest for name, dest in found if name not in part.stubs},
            # A stub nobody else holds keeps its own destination (its link points at itself; the guide warns of it).
            {name: dest for name, dest in found if name in part.stubs},
            [0, _label(part)],
            _outline(out),
        )

    def add(self, src: Any, part: Part) -> None:
        """Copy ``src``'s pages and everything pointing at them; then ``src`` may be closed."""
        import pikepdf

        out = self.out
        first = len(out.pages)
        self.labels += [first, _label(part)]
        src_tree = src.Root.StructTreeRoot
        src_nums = list(_numbers(src_tree.ParentTree))
        offset = self.next_key
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
        src_dests = list(_dests(src))
        # Copied in one call: pikepdf maps what points at a copied page to its copy, the rest is copied.
        values = [value for _, value in src_nums] + src_kids + [dest for _, dest in src_dests]
        copied = iter(out.copy_foreign(src.make_indirect(pikepdf.Array(values))))
        for key, _ in src_nums:
            self.nums.append((key + offset, next(copied)))
        self.next_key = offset + max((key for key, _ in src_nums), default=-1) + 1
        for _ in src_kids:
            kid = next(copied)
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = self.document
            self.kids.append(kid)
        for name, _ in src_dests:
            dest = next(copied)
            if name not in part.stubs:
                self.dests[name] = dest
            elif name not in self.stubs:
                self.stubs[name] = dest
        self.bookmarks += [_shift(item, first) for item in _outline(src)]
        # WeasyPrint's streams are all on the pages (contents, resources, annotations' appearances).
        _own_streams([page.obj for page in out.pages[first:]])

    def save(self) -> bytes:
        """The merged file, its structure tree, destinations, labels and bookmarks made whole."""
        import pikepdf

        out = self.out
        tree = out.Root.StructTreeRoot
        self.document.K = pikepdf.Array(self.kids)
        pairs = [x for key, value in sorted(self.nums, key=_first) for x in (key, value)]
        tree.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(pairs)))
        tree.ParentTreeNextKey = self.next_key
        dests = {**self.stubs, **self.dests}
        names = pikepdf.Array([x for name in sorted(dests) for x in (pikepdf.String(name), dests[name])])
        out.Root.Names = pikepdf.Dictionary(Dests=out.make_indirect(pikepdf.Dictionary(Names=names)))
        out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(self.labels))
        with out.open_outline() as outline:
            outline.root[:] = [_item(out, bookmark) for bookmark in self.bookmarks]
        buffer = io.BytesIO()
        # A content hash for the identifier: the same parts give the same file.
        out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()


def _own_streams(roots: Sequence[Any]) -> None:
    """Give every stream reachable from ``roots`` (copied from another file) its raw bytes, encoded as they were.

    pikepdf reads a copied stream's data from its source file only when the merged file is
    saved; written here, it no longer needs the source. ``/P`` and ``/Parent`` lead back up
    the trees (to other parts' objects): they are not followed.
    """
    import pikepdf

    seen: set[tuple[int, int]] = set()
    todo = list(roots)
    while todo:
        obj = todo.pop()
        if isinstance(obj, pikepdf.Array):
            todo.extend(obj)
            continue
        if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            encoding: Any = (obj.get("/Filter"), obj.get("/DecodeParms"))
            obj.write(obj.read_raw_bytes(), filter=encoding[0], decode_parms=encoding[1])
        todo.extend(value for key, value in obj.items() if key not in ("/P", "/Parent"))


# --------------------------------------------------------------------------- helpers

Bookmark = tuple[str, int, tuple[Any, ...], list[Any]]
"""Title, page index, the rest of the destination (``/XYZ left top zoom``), children."""


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


def _label(part: Part) -> Any:
    import pikepdf

    if part.roman:
        return pikepdf.Dictionary(S=pikepdf.Name.r, St=part.start)
    return pikepdf.Dictionary(S=pikepdf.Name.D, P=pikepdf.String(part.label_prefix), St=part.start)


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
