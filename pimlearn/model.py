"""The course model: frozen dataclasses that every stage reads and none mutates.

Loading builds these from the authoring files (see ``pimlearn.load``); translation
returns new instances with translated ``Text`` (see ``pimlearn.i18n``); renderers
read them. Every node carries the place it came from, so later stages can report
errors at the author's line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, TypeVar

# --------------------------------------------------------------------------- places


@dataclass(frozen=True, slots=True)
class Loc:
    """A place in a source file: project-relative POSIX path, 1-based line and column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.col:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.col}"


NOWHERE = Loc("<unknown>")

# --------------------------------------------------------------------------- inline content


@dataclass(frozen=True, slots=True)
class Str:
    """Plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """Inline code."""

    text: str


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasis (``*text*``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    """Strong emphasis (``**text**``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink."""

    href: str
    title: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Image:
    """An image inside running text; ``src`` is relative to the module folder."""

    src: str
    alt: str
    title: str


@dataclass(frozen=True, slots=True)
class SoftBreak:
    """A line break in the source that renders as a space."""


@dataclass(frozen=True, slots=True)
class HardBreak:
    """A forced line break (two trailing spaces or a backslash)."""


@dataclass(frozen=True, slots=True)
class RawInline:
    """Inline HTML, only present when the course sets ``allow_html: true``."""

    html: str


Inline = Str | Code | Emph | Strong | Link | Image | SoftBreak | HardBreak | RawInline


@dataclass(frozen=True, slots=True)
class Text:
    """A translatable run of inline Markdown.

    ``source`` is the normalised inline Markdown (soft breaks folded to one space):
    the exact msgid used for translation. ``inlines`` is its parsed form, which
    renderers read. ``lang`` is set when the text is not in the language of the
    output it appears in (an untranslated fallback), so renderers can mark it.
    ``context`` is the msgctxt an author asked for with ``<!-- i18n-context: -->``.
    """

    source: str
    inlines: tuple[Inline, ...]
    loc: Loc = field(default=NOWHERE, compare=False)
    lang: str | None = None
    context: str | None = None

    def __bool__(self) -> bool:
        return bool(self.source)


def plain_text(items: Text | tuple[Inline, ...]) -> str:
    """The text of inline content without markup (for titles, alt text, manifests)."""
    inlines = items.inlines if isinstance(items, Text) else items
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Str, Code)):
            out.append(node.text)
        elif isinstance(node, (Emph, Strong, Link)):
            out.append(plain_text(node.children))
        elif isinstance(node, Image):
            out.append(node.alt)
        elif isinstance(node, (SoftBreak, HardBreak)):
            out.append(" ")
    return "".join(out)


# --------------------------------------------------------------------------- blocks

Target = Literal["elearning", "slides", "guide"]
TARGETS: tuple[Target, ...] = ("elearning", "slides", "guide")
CalloutKind = Literal["tip", "warning", "example", "definition"]
CALLOUT_KINDS: tuple[CalloutKind, ...] = ("tip", "warning", "example", "definition")


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (level 3 to 6)."""

    level: int
    text: Text
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inline content."""

    text: Text
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Figure:
    """A paragraph that holds only an image: rendered as a figure. ``alt`` is translatable."""

    src: str
    alt: Text
    title: str
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a list: a sequence of blocks."""

    blocks: tuple[Block, ...]
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bullet or ordered list. ``tight`` lists render their paragraphs without ``<p>``."""

    ordered: bool
    start: int
    tight: bool
    items: tuple[ListItem, ...]
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quote."""

    blocks: tuple[Block, ...]
    loc: Loc = field(compare=False)


Align = Literal["", "left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Table:
    """A GFM table; each cell is a translatable ``Text``."""

    aligns: tuple[Align, ...]
    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Fenced or indented code; never translated."""

    info: str
    code: str
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class RawBlock:
    """An HTML block, only present when the course sets ``allow_html: true``."""

    html: str
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class SlideBreak:
    """A thematic break (``---``): starts a new slide in the deck, a rule elsewhere."""

    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Notes:
    """``::: notes``: speaker and facilitator notes, never shown to learners."""

    blocks: tuple[Block, ...]
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Only:
    """``::: only <targets>``: content for some outputs only."""

    targets: frozenset[Target]
    blocks: tuple[Block, ...]
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Callout:
    """``::: tip|warning|example|definition [title]``: a highlighted box in every output."""

    kind: CalloutKind
    title: Text | None
    blocks: tuple[Block, ...]
    loc: Loc = field(compare=False)


# --------------------------------------------------------------------------- questions

QuestionType = Literal["single", "multiple", "true-false", "fill-in", "matching", "ordering"]
QUESTION_TYPES: tuple[QuestionType, ...] = (
    "single",
    "multiple",
    "true-false",
    "fill-in",
    "matching",
    "ordering",
)


@dataclass(frozen=True, slots=True)
class Choice:
    """An answer choice of a single or multiple question; ``id`` defaults to a, b, c..."""

    id: str
    text: Text
    correct: bool
    feedback: Text | None
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Pair:
    """A matching pair: learners match ``left`` to ``right``."""

    left: Text
    right: Text
    loc: Loc = field(compare=False)


@dataclass(frozen=True, slots=True)
class Question:
    """A question block. Type-specific fields are empty for the other types.

    - single / multiple: ``choices``
    - true-false: ``answer``, ``feedback_true``, ``feedback_false``
    - fill-in: ``answers`` (accepted forms), ``case_sensitive``
    - matching: ``pairs``
    - ordering: ``items`` in the correct order
    """

    id: str
    type: QuestionType
    prompt: Text
    loc: Loc = field(compare=False)
    choices: tuple[Choice, ...] = ()
    answer: bool | None = None
    feedback_true: Text | None = None
    feedback_false: Text | None = None
    answers: tuple[Text, ...] = ()
    case_sensitive: bool = False
    pairs: tuple[Pair, ...] = ()
    items: tuple[Text, ...] = ()
    correct_feedback: Text | None = None
    incorrect_feedback: Text | None = None
    explanation: Text | None = None
    points: float = 1.0
    graded: bool = True
    shuffle: bool = True
    attempts: int | None = None
    """Checks the question allows before it locks; ``None``: the course's default (see ``Course.attempts_for``)."""

    @property
    def correct_choice_ids(self) -> tuple[str, ...]:
        """Ids of the correct choices (single, multiple)."""
        return tuple(c.id for c in self.choices if c.correct)

    @property
    def lang(self) -> str | None:
        """The language the question is shown in when it fell back to the source."""
        return self.prompt.lang


Block = (
    Heading
    | Paragraph
    | Figure
    | ListBlock
    | Quote
    | Table
    | CodeBlock
    | RawBlock
    | SlideBreak
    | Notes
    | Only
    | Callout
    | Question
)

# --------------------------------------------------------------------------- module and course


@dataclass(frozen=True, slots=True)
class Section:
    """A ``##`` section: a page of the e-learning, one or more slides, a part of the guide."""

    title: Text
    blocks: tuple[Block, ...]
    loc: Loc = field(compare=False)
    slug: str = ""
    domain: str = ""
    """Catalog domain of the section's text: '' for its module's, ``course-<id>`` for a section a course adds."""


@dataclass(frozen=True, slots=True)
class SessionStep:
    """One step of the facilitator session plan."""

    minutes: int
    activity: Text
    method: Text | None
    materials: tuple[Text, ...]
    loc: Loc = field(compare=False)
    is_break: bool = False
    """A pause in the plan (``method: break``): shown as a break in the agenda and session tables."""
    domain: str = ""
    """Catalog domain of the step's text: '' for its module's, ``course-<id>`` for a course's own plan."""


@dataclass(frozen=True, slots=True)
class Module:
    """A training module, loaded from ``modules/<id>/module.md``."""

    id: str
    title: Text
    summary: Text | None
    duration: int | None
    objectives: tuple[Text, ...]
    mastery_score: int | None
    session: tuple[SessionStep, ...]
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]
    loc: Loc = field(compare=False)
    directory: str = ""
    """Project-relative folder of the module (images are relative to it)."""
    lang: str = "en"
    """Language the module's text is in (after translation: the output locale)."""
    values: tuple[tuple[str, str], ...] = ()
    """``{{ name }}`` values: the module's defaults, then (once a course tailors it) the course's."""

    @property
    def questions(self) -> tuple[Question, ...]:
        """All questions of the module in document order, including those in containers."""
        found: list[Question] = []
        for block in walk_blocks(self.all_blocks()):
            if isinstance(block, Question):
                found.append(block)
        return tuple(found)

    def all_blocks(self) -> tuple[Block, ...]:
        """The intro's blocks followed by every section's blocks (top level only)."""
        return self.intro + tuple(b for s in self.sections for b in s.blocks)

    @property
    def session_minutes(self) -> int:
        """Total minutes of the session plan."""
        return sum(step.minutes for step in self.session)


ScormVersion = Literal["1.2", "2004"]
Packaging = Literal["multi-sco", "single-sco"]
Paper = Literal["a4", "letter"]
PACKAGINGS: tuple[Packaging, ...] = ("multi-sco", "single-sco")
Report12 = Literal["completed-incomplete", "completed-failed", "passed-incomplete", "passed-failed"]
REPORTS_12: tuple[Report12, ...] = ("completed-incomplete", "completed-failed", "passed-incomplete", "passed-failed")
Completion = Literal["pages-and-questions", "pages", "questions"]
COMPLETIONS: tuple[Completion, ...] = ("pages-and-questions", "pages", "questions")
PAPERS: tuple[Paper, ...] = ("a4", "letter")


@dataclass(frozen=True, slots=True)
class ScormOptions:
    """The ``scorm:`` settings of a course."""

    versions: tuple[ScormVersion, ...] = ("1.2", "2004")
    packaging: Packaging = "multi-sco"
    report_12: Report12 = "completed-incomplete"
    """What a SCORM 1.2 module reports in ``lesson_status``: the word for done, then the word for not done
    (or failed). The default completes under Moodle's default activity completion ("Require status:
    Completed"); the score still carries pass or fail."""

    @property
    def mastery_in_manifest(self) -> bool:
        """SCORM 1.2: write ``adlcp:masteryscore``? Only when the module reports passed: with a mastery
        score, Moodle's default "Mastery score overrides status" turns a reported 'completed' into
        passed/failed when the session ends."""
        return self.report_12.startswith("passed")


@dataclass(frozen=True, slots=True)
class Course:
    """A course, loaded from ``courses/<id>/course.yml``, with its modules resolved."""

    id: str
    title: Text
    version: str
    language: str
    locales: tuple[str, ...]
    modules: tuple[Module, ...]
    loc: Loc = field(compare=False)
    description: Text | None = None
    publisher: str = ""
    report_bugs_to: str = ""
    """Where translators report problems with the source text (Report-Msgid-Bugs-To of its templates)."""
    mastery_score: int = 80
    scorm: ScormOptions = ScormOptions()
    allow_html: bool = False
    paper: Paper = "a4"
    handout_slides: int = 3
    """Slides per page of the participants' handout: 3 (with lines for notes) or 6."""
    start_time: str = "09:00"
    min_translated: int = 0
    directory: str = ""
    """Project-relative folder of the course."""
    attempts: int | None = None
    """Default attempts of the course's graded questions; ``None``: unlimited."""
    completion: Completion = "pages-and-questions"
    """When a module counts as complete, in every output (SCORM 1.2, 2004, web): every page seen, every
    graded question answered, or both."""
    locale: str = ""
    """The locale this instance is built in ('' until a locale is chosen)."""
    values: tuple[tuple[str, str], ...] = ()
    """The course's ``values:`` for ``{{ name }}`` placeholders (they override the modules' defaults)."""

    def pass_mark(self, module: Module) -> int:
        """The module's pass mark in percent: its own, else the course's."""
        return module.mastery_score if module.mastery_score is not None else self.mastery_score

    def attempts_for(self, question: Question) -> int | None:
        """How many checks ``question`` allows in this course (``None``: unlimited): its own ``attempts``,
        else the course's for a graded question; knowledge checks are unlimited unless they set their own."""
        if question.attempts is not None:
            return question.attempts
        return self.attempts if question.graded else None


@dataclass(frozen=True, slots=True)
class Project:
    """Everything loaded from a project folder."""

    root: str
    courses: tuple[Course, ...]
    modules: tuple[Module, ...]
    """Every module found in ``modules/`` (those in no course too)."""

    def course(self, course_id: str) -> Course:
        """The course with this id."""
        for course in self.courses:
            if course.id == course_id:
                return course
        raise KeyError(course_id)


# --------------------------------------------------------------------------- walking


def child_blocks(block: Block) -> tuple[Block, ...]:
    """The blocks directly inside a container block (empty for leaf blocks)."""
    if isinstance(block, (Notes, Only, Callout, Quote)):
        return block.blocks
    if isinstance(block, ListBlock):
        return tuple(b for item in block.items for b in item.blocks)
    return ()


def walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, depth first, in document order."""
    for block in blocks:
        yield block
        yield from walk_blocks(child_blocks(block))


T = TypeVar("T")


def map_texts(node: T, fn: Callable[[Text], Text]) -> T:
    """A copy of ``node`` with ``fn`` applied to every ``Text`` inside it.

    Works on any model object (course, module, block, question); used by
    translation so that no translatable string can be missed.
    """
    return _map(node, fn)  # type: ignore[return-value]


def iter_texts(node: object) -> Iterator[Text]:
    """Every ``Text`` inside a model object, in field order."""
    if isinstance(node, Text):
        yield node
    elif isinstance(node, (tuple, frozenset)):
        for item in node:
            yield from iter_texts(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type) and not isinstance(node, Loc):
        for f in dataclasses.fields(node):
            yield from iter_texts(getattr(node, f.name))


def _map(node: object, fn: Callable[[Text], Text]) -> object:
    if isinstance(node, Text):
        return fn(node)
    if isinstance(node, tuple):
        return tuple(_map(item, fn) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, (Text, tuple)) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
                new = _map(value, fn)
                if new is not value:
                    changes[f.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    return node
