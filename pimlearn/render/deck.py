"""A module as a deck of slides: one model that the HTML deck and the PPTX both render.

Title slide, objectives, the introduction, one slide per ``##`` section and per
``---`` break, a slide per question (with its answer), and a closing summary.
Content is filtered for the ``slides`` target here, so both outputs show the
same thing, and each slide's text scale comes from one estimate (``fit.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from ..diagnostics import Diagnostic
from ..i18n.locales import choice_letters
from ..model import (
    Block,
    Course,
    Figure,
    Heading,
    ListBlock,
    ListItem,
    Loc,
    Module,
    Notes,
    Only,
    Paragraph,
    Question,
    SlideBreak,
    Str,
    Table,
    Text,
    plain_text,
)
from .assets import image_path, module_images, read_image
from .fit import (
    CONTENT_WIDTH,
    MIN_FIT,
    QUESTION_TITLE_SIZE,
    TITLE_SIZE,
    ImageSize,
    fit_content,
    fit_question,
    image_size,
    is_split,
    table_too_wide,
    title_fit,
)
from .questions import display_order
from .uifallback import UI_SOURCE, is_fallback, plain

SlideKind = Literal["title", "objectives", "content", "question", "answer", "summary"]


@dataclass(frozen=True, slots=True)
class Slide:
    """One slide: what it shows, its speaker notes, and how its text is scaled to fit."""

    kind: SlideKind
    title: Text
    blocks: tuple[Block, ...]
    """Visible content, already filtered for slides: no notes, ``only`` containers, breaks or questions."""
    notes: tuple[Block, ...]
    loc: Loc = field(compare=False)
    kicker: Text | None = None
    """The small line above the title (the section a ``###`` or question slide belongs to)."""
    question: Question | None = None
    split: bool = False
    """A figure stands beside the text instead of below it."""
    fit: float = 1.0
    """Text scale, from 1 down to ``fit.MIN_FIT``."""
    title_fit: float = 1.0
    dense_table: bool = False
    """A table on the slide is too wide for it: cells get less padding (best effort, with a warning)."""
    number: int = 0
    """The slide's number, the same in the HTML deck, the PPTX and the guide: an answer slide (PPTX only)
    carries its question's number, as it is that slide with the answer shown."""
    section: int | None = None
    """Where the slide comes from: -1 the introduction, 0… the module's ``##`` sections, None the deck's own."""

    @property
    def plain_title(self) -> str:
        """The title without markup."""
        return plain_text(self.title)


@dataclass(frozen=True)
class Deck:
    """A module's slides in order, and the warnings found while fitting them."""

    module: Module
    number: int
    """The module's position in the course, from 1."""
    slides: tuple[Slide, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def count(self) -> int:
        """How many numbered slides the deck has (answer slides share their question's number)."""
        return sum(1 for s in self.slides if s.kind != "answer")

    def section_slides(self, section: int) -> list[int]:
        """The numbers of the slides made from one part of the module (-1: the introduction)."""
        return sorted({s.number for s in self.slides if s.section == section})

    def shown(self, answers: bool) -> tuple[Slide, ...]:
        """The slides one output shows: with separate answer slides (PPTX) or without (HTML reveals in place)."""
        return self.slides if answers else tuple(s for s in self.slides if s.kind != "answer")


def label(message: str, loc: Loc) -> Text:
    """A UI string (already translated) as a ``Text``: in the page's language, or English when it fell back."""
    text = plain(message)
    return Text(text, (Str(text),), loc, lang=UI_SOURCE if is_fallback(message) else None)


def for_slides(blocks: Sequence[Block]) -> list[Block]:
    """Blocks as the deck sees them: ``only`` containers for slides opened, those for other outputs dropped."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Only):
            if "slides" in block.targets:
                out.extend(for_slides(block.blocks))
        else:
            out.append(block)
    return out


def _chunks(blocks: Sequence[Block]) -> list[list[Block]]:
    """Split at every ``---``; empty chunks (a break at the start or end) are dropped."""
    chunks: list[list[Block]] = [[]]
    for block in blocks:
        if isinstance(block, SlideBreak):
            chunks.append([])
        else:
            chunks[-1].append(block)
    return [c for c in chunks if c]


@dataclass
class _Builder:
    sizes: ImageSize
    gettext: Callable[[str], str]
    slides: list[Slide] = field(default_factory=list)
    section: int | None = None
    """The part of the module being turned into slides (see ``Slide.section``)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def content(
        self, title: Text, blocks: list[Block], notes: list[Block], loc: Loc, kicker: Text | None = None
    ) -> None:
        split = is_split(blocks, self.sizes)
        scale, culprit = fit_content(blocks, self.sizes, split)
        if culprit is not None:
            self.warn(culprit.loc, title)
        dense = False
        for block in blocks:
            why = table_too_wide(block, CONTENT_WIDTH) if isinstance(block, Table) else ""
            dense = dense or bool(why)
            if why:
                self.diagnostics.append(
                    Diagnostic(
                        block.loc,
                        "warning",
                        f"the table on slide '{plain_text(title)}' does not fit the slide's width: {why}; "
                        "split it, shorten its cells, or show it only in the other outputs with "
                        "'::: only elearning guide'",
                        "slide-table",
                    )
                )
        self.slides.append(
            Slide(
                "content",
                title,
                tuple(blocks),
                tuple(notes),
                loc,
                kicker=kicker,
                split=split,
                fit=scale,
                title_fit=title_fit(plain_text(title), TITLE_SIZE),
                dense_table=dense,
                section=self.section,
            )
        )

    def question(self, q: Question, notes: list[Block], kicker: Text | None) -> None:
        # The HTML deck reveals the answer on the question slide itself: that slide must fit both states,
        # and the answer slide (PPTX) keeps the same text size.
        asked, shown = fit_question(q, answer=False), fit_question(q, answer=True)
        scale, overflow = min(asked[0], shown[0]), asked[1] or shown[1]
        for kind in ("question", "answer"):
            if overflow and kind == "question":
                self.warn(q.loc, q.prompt)
            if kind == "answer":
                label_text = self.gettext("Answer")
            else:
                label_text = self.gettext("Question") if q.graded else self.gettext("Knowledge check")
            self.slides.append(
                Slide(
                    "question" if kind == "question" else "answer",
                    q.prompt,
                    (),
                    tuple(notes) if kind == "question" else (),
                    q.loc,
                    kicker=label(label_text, q.loc) if kicker is None else kicker,
                    question=q,
                    fit=scale,
                    title_fit=title_fit(plain_text(q.prompt), QUESTION_TITLE_SIZE, lines=3),
                    section=self.section,
                )
            )

    def warn(self, loc: Loc, title: Text) -> None:
        self.diagnostics.append(
            Diagnostic(
                loc,
                "warning",
                f"slide '{plain_text(title)}' is too full to fit, even with its text shrunk to "
                f"{round(MIN_FIT * 100)} %: split it with '---', or move detail into '::: notes' "
                "or '::: only elearning guide'",
                "slide-overflow",
            )
        )

    def chunk(self, title: Text, blocks: list[Block], loc: Loc, kicker: Text | None) -> None:
        """Slides for one stretch of content between breaks (questions get slides of their own)."""
        if blocks and isinstance(blocks[0], Heading):
            # A chunk that starts with ### takes that heading as its title; the section becomes the kicker.
            kicker, title, loc, blocks = title, blocks[0].text, blocks[0].loc, blocks[1:]
        visible: list[Block] = []
        notes: list[Block] = []
        last_question: int | None = None
        for block in blocks:
            if isinstance(block, Notes):
                notes.extend(block.blocks)
            elif isinstance(block, Question):
                if visible:
                    self.content(title, visible, notes, loc, kicker)
                    visible, notes = [], []
                elif notes and last_question is not None:
                    # Notes written after a question belong to it, as notes follow what they annotate.
                    self.slides[last_question] = _with_notes(self.slides[last_question], notes)
                    notes = []
                self.question(block, notes, kicker=None)
                notes = []
                last_question = len(self.slides) - 2
            else:
                if not visible and last_question is not None:
                    loc = block.loc
                visible.append(block)
        if visible or last_question is None:
            self.content(title, visible, notes, loc, kicker)
        elif notes:
            q = self.slides[last_question]
            self.slides[last_question] = _with_notes(q, notes)


def _with_notes(slide: Slide, notes: Sequence[Block]) -> Slide:
    return replace(slide, notes=slide.notes + tuple(notes))


@dataclass(frozen=True)
class ModuleImages:
    """A module's images: bytes by normalised path, with their sizes (shared by both deck formats)."""

    data: dict[str, bytes]

    def size(self, src: str) -> tuple[float, float]:
        """Intrinsic size of an image the module uses."""
        path = image_path(src)
        return image_size(self.data[path], path) if path in self.data else (4.0, 3.0)


def load_images(project_root: Path, module: Module) -> ModuleImages:
    """Every image of the module, read once."""
    return ModuleImages({src: read_image(project_root, module, src) for src in module_images(module)})


def build_deck(
    course: Course,
    module: Module,
    number: int,
    sizes: ImageSize,
    gettext: Callable[[str], str],
    pgettext: Callable[[str, str], str] | None = None,
) -> Deck:
    """The module's deck, in the course's locale (``gettext``/``pgettext`` translate the deck's own labels)."""
    if pgettext is None:
        pgettext = _without_context(gettext)
    b = _Builder(sizes, gettext)
    loc = module.loc
    b.slides.append(Slide("title", module.title, (), (), loc))

    if module.objectives:
        items = tuple(ListItem((Paragraph(o, o.loc),), o.loc) for o in module.objectives)
        blocks: list[Block] = [ListBlock(False, 1, True, items, loc)]
        b.content(label(gettext("Learning objectives"), loc), blocks, [], loc)
        b.slides[-1] = _kind(b.slides[-1], "objectives")

    intro = for_slides(module.intro)
    shown = [x for x in intro if not isinstance(x, (Notes, SlideBreak))]
    intro_notes = [n for x in intro if isinstance(x, Notes) for n in x.blocks]
    if shown:
        b.section = -1
        for i, chunk in enumerate(_chunks(intro)):
            b.chunk(label(gettext("Introduction"), loc), chunk, chunk[0].loc if i else loc, None)
    elif intro_notes:
        b.slides[0] = _with_notes(b.slides[0], intro_notes)

    for index, section in enumerate(module.sections):
        b.section = index
        chunks = _chunks(for_slides(section.blocks)) or [[]]
        for i, chunk in enumerate(chunks):
            b.chunk(section.title, chunk, section.loc if i == 0 else chunk[0].loc, None)

    b.section = None
    summary: list[Block] = []
    if module.summary:
        summary.append(Paragraph(module.summary, module.summary.loc))
    titles = [s.title for s in module.sections]
    if titles:
        summary.append(ListBlock(False, 1, True, tuple(ListItem((Paragraph(t, t.loc),), t.loc) for t in titles), loc))
    summary_notes: list[Block] = []
    if module.objectives:
        summary_notes.append(Paragraph(label(gettext("Check each objective with the group:"), loc), loc))
        summary_notes.append(
            ListBlock(False, 1, True, tuple(ListItem((Paragraph(o, o.loc),), o.loc) for o in module.objectives), loc)
        )
    b.content(label(pgettext("slide title", "Summary"), loc), summary, summary_notes, loc)
    b.slides[-1] = _kind(b.slides[-1], "summary")
    return Deck(module, number, _numbered(b.slides), tuple(b.diagnostics))


def _numbered(slides: Sequence[Slide]) -> tuple[Slide, ...]:
    """Number the slides as the audience counts them: an answer slide keeps its question's number."""
    out: list[Slide] = []
    n = 0
    for slide in slides:
        if slide.kind != "answer":
            n += 1
        out.append(replace(slide, number=n))
    return tuple(out)


def _kind(slide: Slide, kind: SlideKind) -> Slide:
    return replace(slide, kind=kind)


def figures(slide: Slide) -> list[Figure]:
    """The slide's figures."""
    return [b for b in slide.blocks if isinstance(b, Figure)]


# --------------------------------------------------------------------------- questions on slides


def letter(index: int, locale: str = "en") -> str:
    """The letter of the ``index``-th choice in ``locale``: A, B, C… (أ, ب, ج… in Arabic); past the last, a number.

    The one source of choice letters: the HTML deck's list markers, the PPTX and the guide all use it.
    """
    letters = choice_letters(locale)
    return letters[index] if index < len(letters) else str(index + 1)


def right_order(q: Question) -> list[int]:
    """Matching: the order the right-hand sides are shown in (the e-learning's, never the answer)."""
    return display_order(q.id, "right", len(q.pairs))


def item_order(q: Question) -> list[int]:
    """Ordering: the order the items are shown in (the e-learning's, never the answer)."""
    return display_order(q.id, "items", len(q.items))


def _without_context(gettext: Callable[[str], str]) -> Callable[[str, str], str]:
    return lambda _context, message: gettext(message)


def tf_choices(q: Question, gettext: Callable[[str], str]) -> list[tuple[Text, bool]]:
    """True / false as two choices (label, correct)."""
    return [(label(gettext("True"), q.loc), q.answer is True), (label(gettext("False"), q.loc), q.answer is False)]


def answer_key(q: Question, gettext: Callable[[str], str], locale: str = "en") -> list[tuple[str, Text | None]]:
    """The right answer in short, for the presenter: (marker, text) pairs such as ("B.", "2015")."""
    if q.type in ("single", "multiple"):
        return [(f"{letter(i, locale)}.", c.text) for i, c in enumerate(q.choices) if c.correct]
    if q.type == "true-false":
        return [(f"{letter(i, locale)}.", text) for i, (text, right) in enumerate(tf_choices(q, gettext)) if right]
    if q.type == "fill-in":
        return [("", a) for a in q.answers]
    if q.type == "matching":
        shown = right_order(q)
        return [(f"{i + 1} – {letter(shown.index(i), locale)}", None) for i in range(len(q.pairs))]
    shown = item_order(q)
    return [(letter(shown.index(i), locale), None) for i in range(len(q.items))]
