"""``modules/<id>/module.md``: front matter and Markdown body into a ``Module``."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from ..diagnostics import Reporter, one_of, suggestion
from ..model import (
    CALLOUT_KINDS,
    TARGETS,
    Align,
    Block,
    Callout,
    CodeBlock,
    Figure,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Loc,
    Module,
    Notes,
    Only,
    Paragraph,
    Question,
    Quote,
    RawBlock,
    Section,
    SessionStep,
    SlideBreak,
    Table,
    Target,
    Text,
    child_blocks,
    map_texts,
    walk_blocks,
)
from .containers import read_opener
from .control import report_control_characters
from .images import ImageProblem, check_image_data
from .markdown import CONTAINER, iter_images, make_text, parser
from .questions import load_question
from .schema import SLUG, MapReader
from .source import read_source
from .values import read_values
from .yamlloc import Origin, parse_yaml

I18N_CONTEXT = re.compile(r"<!--\s*i18n-context:\s*(?P<name>[^\s>][^>]*?)\s*-->\s*\Z")


@dataclass
class _Context:
    """What converting one module's tokens needs to know."""

    path: str
    """Project-relative path of module.md."""
    directory: Path
    """Absolute folder of the module (images resolve against it)."""
    lines: list[str]
    reporter: Reporter
    env: dict[str, Any] = field(default_factory=dict)
    image_problems: dict[str, ImageProblem | None] = field(default_factory=dict)
    """Each image file is checked once, however often the module shows it."""

    def loc(self, line0: int, col: int | None = None) -> Loc:
        """The place of a 0-based token line (column: the line's indentation + 1)."""
        if col is None:
            text = self.lines[line0] if line0 < len(self.lines) else ""
            col = len(text) - len(text.lstrip(" \t")) + 1
        return Loc(self.path, line0 + 1, col)

    def text(self, source: str, loc: Loc, context: str | None = None) -> Text:
        """A body or YAML text, with its images checked."""
        text = make_text(source, loc, self.env, context)
        for image in iter_images(text.inlines):
            self.check_image(image.src, image.alt, self._image_loc(image, loc))
        return text

    def _image_loc(self, image: Image, loc: Loc) -> Loc:
        for offset in range(0, 50):
            index = loc.line - 1 + offset
            if index >= len(self.lines):
                break
            col = self.lines[index].find(f"]({image.src}")
            if col >= 0:
                start = self.lines[index].rfind("![", 0, col)
                return Loc(loc.path, index + 1, (start if start >= 0 else col) + 1)
        return loc

    def check_image(self, src: str, alt: str, loc: Loc) -> None:
        """Images need alt text and a file inside the module folder."""
        if not alt.strip():
            self.reporter.error(
                loc,
                f"image '{src}' has no alt text: describe it for learners who cannot see it (![description]({src}))",
                "image-alt",
            )
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            self.reporter.error(
                loc,
                f"image '{src}' is not a file of the module: outputs never load from the internet; "
                "save it under images/ and link it relatively",
                "image-external",
            )
            return
        rel = unquote(parts.path)
        normalized = posixpath.normpath(rel) if rel else ""
        if not rel or rel.startswith("/") or normalized == ".." or normalized.startswith("../"):
            self.reporter.error(
                loc,
                f"image path '{src}' leaves the module folder: keep images inside it (e.g. images/name.svg)",
                "image-path",
            )
            return
        if not (self.directory / normalized).is_file():
            self.reporter.error(
                loc,
                f"image '{src}' not found (looked for {posixpath.join(self.path.rsplit('/', 1)[0], normalized)})",
                "image-missing",
            )
            return
        if normalized not in self.image_problems:
            self.image_problems[normalized] = self._image_file_problem(normalized)
        problem = self.image_problems[normalized]
        if problem is not None:
            self.reporter.error(loc, f"image '{src}' {problem.message}", problem.code)

    def _image_file_problem(self, normalized: str) -> ImageProblem | None:
        """Symlinks resolved, the file must stay in the module folder and be an image of an accepted type."""
        path = self.directory / normalized
        real, base = path.resolve(), self.directory.resolve()
        if not real.is_relative_to(base):
            return ImageProblem(
                "leads outside the module folder (through a symbolic link): copy the image into the module",
                "image-path",
            )
        try:
            data = real.read_bytes()
        except OSError as exc:
            return ImageProblem(f"cannot be read ({exc.strerror})", "image-missing")
        return check_image_data(data, path.name)


# --------------------------------------------------------------------------- front matter


def load_module(directory: Path, root: Path, reporter: Reporter) -> Module | None:
    """Load ``<directory>/module.md``; problems go to ``reporter``."""
    file = directory / "module.md"
    rel_path = file.relative_to(root).as_posix()
    module_id = directory.name
    source = read_source(file, rel_path, reporter)
    if source is None:
        return None
    if report_control_characters(source, rel_path, reporter):
        return None
    if not SLUG.match(module_id):
        reporter.error(
            Loc(rel_path, 1, 1),
            f"module folder name '{module_id}' is not an id: use lowercase ASCII letters, digits and single "
            "hyphens (e.g. 'donnees-de-base'); the id names catalogs, files and URLs",
            "invalid-id",
        )
        return None
    ctx = _Context(rel_path, directory, source.splitlines(), reporter)
    tokens = parser().parse(source, ctx.env)
    if not tokens or tokens[0].type != "front_matter":
        reporter.error(
            Loc(rel_path, 1, 1),
            "module.md must start with YAML front matter between '---' lines (with at least 'title:')",
            "front-matter",
        )
        return None
    front = tokens[0]
    node = parse_yaml(front.content, Origin(rel_path, 2), reporter)
    if node is None:
        return None
    r = MapReader(node, "front matter", reporter, ctx.text)
    if not r.ok:
        return None
    declared = r.string("id")
    if declared and declared != module_id:
        r.fail(
            r.value_loc("id"),
            f"module id '{declared}' does not match its folder 'modules/{module_id}' (ids equal folder names)",
            "id-mismatch",
        )
    title = r.text("title", required=True)
    summary = r.text("summary")
    duration = r.integer("duration", minimum=1, unit="minutes")
    objectives = r.texts("objectives")
    mastery = r.integer("mastery_score", minimum=0, maximum=100)
    session = read_session(r)
    values = read_values(r)
    r.done()

    body = _BodyBuilder(ctx).blocks(tokens, 1, len(tokens))
    intro, sections = _split_sections(body, ctx)
    _check_question_ids(sections, intro, reporter)
    if title is None:
        return None
    return Module(
        id=module_id,
        title=title,
        summary=summary,
        duration=duration,
        objectives=objectives,
        mastery_score=mastery,
        session=session,
        intro=tuple(intro),
        sections=tuple(sections),
        loc=Loc(rel_path, 1, 1),
        directory=directory.relative_to(root).as_posix(),
        values=tuple((name, value) for name, value, _ in values),
    )


def load_sections(file: Path, rel_path: str, module_directory: Path, reporter: Reporter) -> list[Section] | None:
    """The ``##`` sections of a Markdown file a course adds to a module (no front matter, no intro).

    Its images resolve against the module's folder, like the module's own.
    """
    source = read_source(file, rel_path, reporter)
    if source is None or report_control_characters(source, rel_path, reporter):
        return None
    ctx = _Context(rel_path, module_directory, source.splitlines(), reporter)
    tokens = parser().parse(source, ctx.env)
    if tokens and tokens[0].type == "front_matter":
        reporter.error(
            Loc(rel_path, 1, 1), "a section file has no front matter: start with a '##' heading", "tailor-file"
        )
        return None
    body = _BodyBuilder(ctx).blocks(tokens, 0, len(tokens))
    intro, sections = _split_sections(body, ctx)
    if intro or not sections:
        where = intro[0].loc if intro else Loc(rel_path, 1, 1)
        reporter.error(where, "a section file must start with a '##' heading (one or more sections)", "tailor-file")
        return None
    return sections


def read_session(r: MapReader) -> tuple[SessionStep, ...]:
    """The ``session:`` plan of a module's front matter (or of a course's tailoring of it)."""
    return _session(r)


def _session(r: MapReader) -> tuple[SessionStep, ...]:
    steps = []
    for index, entry in enumerate(r.sequence("session")):
        sr = MapReader(entry, f"session step {index + 1}", r.reporter, r.make_text)
        if not sr.ok:
            r.ok = False
            continue
        if not sr.has("minutes"):
            sr.fail(
                entry.loc,
                f"session step {index + 1} has no 'minutes': every step of the plan needs its length",
                "session-minutes",
            )
        minutes = sr.integer("minutes", minimum=1, unit="minutes")
        activity = sr.text("activity", required=True)
        method = sr.text("method")
        materials = sr.texts("materials")
        sr.done()
        r.ok = r.ok and sr.ok
        if minutes is not None and activity is not None:
            # Decided on the source text: once translated, "break" may read "pause" or "descanso".
            is_break = method is not None and method.source.strip().lower() == "break"
            steps.append(SessionStep(minutes, activity, method, materials, entry.loc, is_break=is_break))
    return tuple(steps)


# --------------------------------------------------------------------------- body


class _BodyBuilder:
    """markdown-it block tokens into model blocks, reporting what authors got wrong."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.pending_context: str | None = None

    def blocks(self, tokens: Sequence[Token], start: int, end: int) -> list[Block]:
        """Convert ``tokens[start:end]`` (a balanced run of block tokens)."""
        out: list[Block] = []
        i = start
        while i < end:
            tok = tokens[i]
            close = _matching_close(tokens, i) if tok.nesting == 1 else i
            block = self.block(tokens, i, close)
            if block is not None:
                if self.pending_context:
                    block = _with_context(block, self.pending_context)
                    self.pending_context = None
                out.append(block)
            i = close + 1
        return out

    def block(self, tokens: Sequence[Token], i: int, close: int) -> Block | None:
        tok = tokens[i]
        loc = self.ctx.loc(_line0(tok))
        kind = tok.type
        if kind == "heading_open":
            level = int(tok.tag[1])
            text = self.inline(tokens[i + 1], loc)
            if level == 1:
                self.ctx.reporter.error(
                    loc,
                    "level-1 heading in the body: the module title comes from the front matter; "
                    "use '##' to start a section",
                    "heading-level",
                )
            return Heading(level, text, loc)
        if kind == "paragraph_open":
            return self.paragraph(tokens[i + 1], loc)
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self.list_block(tokens, i, close, loc)
        if kind == "blockquote_open":
            return Quote(tuple(self.blocks(tokens, i + 1, close)), loc)
        if kind == "table_open":
            return self.table(tokens, i, close, loc)
        if kind == "fence":
            return self.fence(tok, loc)
        if kind == "code_block":
            return CodeBlock("", tok.content, loc)
        if kind == "hr":
            return SlideBreak(loc)
        if kind == "html_block":
            return self.html_block(tok, loc)
        if kind == f"container_{CONTAINER}_open":
            return self.container(tokens, i, close, loc)
        return None  # pragma: no cover - every CommonMark block type is handled above

    def inline(self, tok: Token, loc: Loc) -> Text:
        return self.ctx.text(tok.content, loc)

    def paragraph(self, tok: Token, loc: Loc) -> Block:
        stray = [n for n, line in enumerate(tok.content.splitlines()) if line.strip().startswith(":::")]
        if stray:
            self.ctx.reporter.error(
                replace(loc, line=loc.line + stray[0]),
                "a ':::' line that closes no container: remove it, or name the container it opens (::: notes)",
                "container-stray",
            )
        children = [c for c in tok.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            image = children[0]
            src = str(image.attrs.get("src", ""))
            alt_source = _image_alt_source(tok.content)
            alt = self.ctx.text(alt_source, loc) if alt_source.strip() else Text("", (), loc)
            self.ctx.check_image(src, image.content, self.ctx._image_loc(Image(src, "", ""), loc))
            return Figure(src, alt, str(image.attrs.get("title", "")), loc)
        return Paragraph(self.inline(tok, loc), loc)

    def list_block(self, tokens: Sequence[Token], i: int, close: int, loc: Loc) -> ListBlock:
        tok = tokens[i]
        items: list[ListItem] = []
        tight = True
        j = i + 1
        while j < close:
            item_close = _matching_close(tokens, j)
            item_loc = self.ctx.loc(_line0(tokens[j]))
            for k in range(j + 1, item_close):
                if tokens[k].type == "paragraph_open" and tokens[k].level == tokens[j].level + 1:
                    tight = tight and tokens[k].hidden
            items.append(ListItem(tuple(self.blocks(tokens, j + 1, item_close)), item_loc))
            j = item_close + 1
        ordered = tok.type == "ordered_list_open"
        start = int(tok.attrs.get("start", 1)) if ordered else 1
        return ListBlock(ordered, start, tight, tuple(items), loc)

    def table(self, tokens: Sequence[Token], i: int, close: int, loc: Loc) -> Table:
        aligns: list[Align] = []
        header: list[Text] = []
        rows: list[tuple[Text, ...]] = []
        row: list[Text] = []
        in_head = False
        for j in range(i + 1, close):
            tok = tokens[j]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
                row_loc = self.ctx.loc(_line0(tok))
            elif tok.type in ("th_open", "td_open") and in_head:
                style = str(tok.attrs.get("style", ""))
                aligns.append(_align(style))
            elif tok.type == "inline":
                row.append(self.inline(tok, row_loc))
            elif tok.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
        return Table(tuple(aligns), tuple(header), tuple(rows), loc)

    def fence(self, tok: Token, loc: Loc) -> Block | None:
        info = tok.info.strip()
        if info.split(" ", 1)[0] == "question":
            origin = Origin(self.ctx.path, loc.line + 1, loc.col - 1)
            return load_question(tok.content, origin, loc, self.ctx.reporter, self.ctx.text)
        return CodeBlock(info, tok.content, loc)

    def html_block(self, tok: Token, loc: Loc) -> Block | None:
        content = tok.content.strip()
        match = I18N_CONTEXT.match(content)
        if match:
            self.pending_context = match.group("name")
            return None
        if content.startswith("<!--") and content.endswith("-->"):
            return None  # comments are for authors; they appear in no output
        return RawBlock(tok.content, loc)

    def container(self, tokens: Sequence[Token], i: int, close: int, loc: Loc) -> Block | None:
        tok = tokens[i]
        opener = read_opener(tok.info)
        self._check_closed(tok, loc, tok.info.strip())
        inner = tuple(self.blocks(tokens, i + 1, close))
        name, args = opener.name, opener.args
        if opener.error:
            self.ctx.reporter.error(loc, opener.error, "container-unknown")
            return Quote(inner, loc)
        if name == "notes":
            if args:
                self.ctx.reporter.error(loc, f"'::: notes' takes no arguments, got '{args}'", "container-args")
            return Notes(inner, loc)
        if name == "only":
            return self.only(args, inner, loc)
        for kind in CALLOUT_KINDS:
            if name == kind:
                title = self.ctx.text(args, loc) if args else None
                return Callout(kind, title, inner, loc)
        return None  # pragma: no cover - read_opener only names the containers above

    def only(self, args: str, inner: tuple[Block, ...], loc: Loc) -> Block:
        targets: set[Target] = set()
        if not args:
            self.ctx.reporter.error(loc, f"'::: only' needs one or more targets: {one_of(TARGETS)}", "only-target")
        for word in args.replace(",", " ").split():
            for target in TARGETS:
                if word == target:
                    targets.add(target)
                    break
            else:
                self.ctx.reporter.error(
                    loc,
                    f"unknown 'only' target '{word}'{suggestion(word, TARGETS)}",
                    "only-target",
                )
        return Only(frozenset(targets), inner, loc)

    def _check_closed(self, tok: Token, loc: Loc, name: str) -> None:
        end = tok.map[1] if tok.map else 0
        line = self.ctx.lines[end].strip() if end < len(self.ctx.lines) else ""
        if len(line) < len(tok.markup) or line.strip(tok.markup[0]) != "" or not line:
            self.ctx.reporter.error(
                loc,
                f"'{tok.markup} {name}' is never closed: add a line with '{tok.markup}' after its content",
                "container-unclosed",
            )


def _image_alt_source(content: str) -> str:
    """The Markdown inside ``![...]`` of a paragraph that is only an image."""
    content = content.strip()
    if not content.startswith("!["):
        return ""
    depth = 0
    for index, char in enumerate(content[1:], start=1):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return content[2:index]
    return ""


def _with_context(block: Block, name: str) -> Block:
    """The block with msgctxt ``name`` on all its texts (``<!-- i18n-context: name -->``)."""
    return map_texts(block, lambda t: replace(t, context=name))


ALIGNS: tuple[Align, ...] = ("left", "center", "right")


def _align(style: str) -> Align:
    for value in ALIGNS:
        if style.endswith(value):
            return value
    return ""


def _line0(tok: Token) -> int:
    """The 0-based first line of a block token."""
    return tok.map[0] if tok.map else 0


def _matching_close(tokens: Sequence[Token], i: int) -> int:
    """Index of the token that closes the one opened at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


# --------------------------------------------------------------------------- sections


def _split_sections(blocks: list[Block], ctx: _Context) -> tuple[list[Block], list[Section]]:
    intro: list[Block] = []
    sections: list[Section] = []
    current: tuple[Heading, list[Block]] | None = None
    slugs: set[str] = set()
    for block in blocks:
        if isinstance(block, Heading) and block.level <= 2:
            if current is not None:
                sections.append(_section(current, slugs))
            current = (block, [])
            continue
        (current[1] if current is not None else intro).append(block)
    if current is not None:
        sections.append(_section(current, slugs))
    for block in _nested_sections(sections, intro):
        ctx.reporter.error(
            block.loc,
            "a '##' section heading cannot be inside a container or list: close the container first",
            "heading-level",
        )
    return intro, sections


def _section(current: tuple[Heading, list[Block]], slugs: set[str]) -> Section:
    heading, blocks = current
    base = slugify(heading.text.source) or "section"
    slug, n = base, 2
    while slug in slugs:
        slug, n = f"{base}-{n}", n + 1
    slugs.add(slug)
    return Section(heading.text, tuple(blocks), heading.loc, slug)


def _nested_sections(sections: list[Section], intro: list[Block]) -> list[Heading]:
    found = []
    everything = tuple(intro) + tuple(b for s in sections for b in s.blocks)
    for top in everything:
        for block in walk_blocks(child_blocks(top)):
            if isinstance(block, Heading) and block.level == 2:
                found.append(block)
    return found


def slugify(value: str) -> str:
    """An ASCII slug for anchors and file names ('Do no harm' -> 'do-no-harm')."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def _check_question_ids(sections: list[Section], intro: list[Block], reporter: Reporter) -> None:
    seen: dict[str, Loc] = {}
    everything = tuple(intro) + tuple(b for s in sections for b in s.blocks)
    for block in walk_blocks(everything):
        if isinstance(block, Question):
            if block.id in seen:
                reporter.error(
                    block.loc,
                    f"duplicate question id '{block.id}' (first at line {seen[block.id].line}): "
                    "ids must be unique in a module",
                    "duplicate-id",
                )
            else:
                seen[block.id] = block.loc
