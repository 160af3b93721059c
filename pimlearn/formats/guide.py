"""``-f guide``: the facilitator guide, one print-ready PDF per course and locale (WeasyPrint).

The guide is rendered from ``templates/guide/`` and laid out by WeasyPrint with a print
stylesheet that is itself a template (``guide/guide.css.j2``, so the page-counter text is
translated): cover, contents, how to use the guide, the agenda on a running clock, then per
module an overview, the session plan, a materials checklist, the content with facilitator
notes, and the answer key.

Each module is a document of its own, laid out as a separate job: the build runs the jobs in
parallel and reuses the layout of a module whose document has not changed. Its pages are
numbered within the module (``3-1``, ``3-2``), so no module waits for the others. The front
matter is laid out last, with the page labels the modules' layouts gave (contents, agenda),
and the parts are joined into one tagged PDF (``render/pdfmerge.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, cast

from markupsafe import Markup

from .. import __version__
from ..diagnostics import Diagnostic
from ..i18n.locales import direction, display_name, html_lang, is_rtl
from ..model import Block, Loc, Notes, Only, Question, plain_text, walk_blocks
from ..package.artifact import Artifact
from ..render.assets import data_uri, image_path, read_image
from ..render.deck import build_deck, letter, load_images
from ..render.html import HtmlOptions, block_html, blocks_html, text_html
from ..render.jinja import Templates, templates
from ..render.pages import module_pages
from ..render.pdf import borrow_anchors, css_content, css_string, layout_job
from ..render.questions import QuestionView, question_view
from ..render.schedule import ModuleSlot, clock, course_materials, course_schedule, materials
from . import JobResult, RenderContext, Rendered, Staged


def pdf_path(ctx: RenderContext) -> str:
    """Where the guide goes, relative to ``dist/`` (FORMAT.md, "Outputs")."""
    course = ctx.course
    return f"{ctx.base}/{course.id}-{course.version}-{ctx.locale}-facilitator-guide.pdf"


def render(ctx: RenderContext) -> Staged:
    """Render the facilitator guide of ``ctx.course`` in ``ctx.locale``: its cover's and modules' layouts, then
    the front matter's (which shows the modules' pages), then the whole PDF."""
    document = guide_document(ctx, templates(ctx.project_root, ctx.course))
    cover, cover_stubs = borrow_anchors(document.cover)
    parts = tuple(borrow_anchors(html) for html in document.modules)
    state = _Plan(
        path=pdf_path(ctx),
        loc=ctx.course.loc,
        front=document.front,
        front_css=document.front_css,
        numbers=document.numbers,
        cover_stubs=cover_stubs,
        stubs=tuple(stubs for _, stubs in parts),
        diagnostics=document.diagnostics,
    )
    modules = (layout_job(html, css) for (html, _), css in zip(parts, document.module_css, strict=True))
    jobs = (layout_job(cover, document.cover_css), *modules)
    return Staged(jobs, _modules_laid_out, state)


@dataclass(frozen=True)
class _Plan:
    """What finishing the guide needs once its modules are laid out (plain data: it travels between processes)."""

    path: str
    loc: Loc
    front: str
    front_css: str
    numbers: tuple[int, ...]
    cover_stubs: frozenset[str]
    stubs: tuple[frozenset[str], ...]
    """Per module, the anchors of other parts its links point at."""
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class _Laid:
    """The plan with its cover and modules laid out: what the front matter's layout is waiting for."""

    plan: _Plan
    cover: JobResult
    modules: tuple[JobResult, ...]
    first_page: int
    """The front matter's first page number (after the cover's pages)."""
    stubs: frozenset[str]
    """The front matter's links to the modules."""
    held: frozenset[str]
    """The anchors the cover and the modules hold."""


_DATA_PAGE = re.compile(r'data-page="([^"]*)"')


def _modules_laid_out(state: object, results: tuple[JobResult, ...]) -> Staged:
    """The front matter, with the page labels of the laid out modules in its contents and agenda."""
    from ..render.pdfmerge import named_pages, page_count

    assert isinstance(state, _Plan)
    cover, *modules = results
    labels: dict[str, str] = {}
    for number, stubs, result in zip(state.numbers, state.stubs, modules, strict=True):
        labels.update(
            (name, f"{number}-{page + 1}") for name, page in named_pages(result.data).items() if name not in stubs
        )
    front = _DATA_PAGE.sub(lambda m: f'data-page="{labels.get(m.group(1), "?")}"', state.front)
    front, front_stubs = borrow_anchors(front)
    held = frozenset(labels) | (named_pages(cover.data).keys() - state.cover_stubs)
    first = page_count(cover.data) + 1
    laid = _Laid(state, cover, tuple(modules), first, front_stubs, held)
    # The front matter's pages are numbered on from the cover's (its footers, and its own contents entries).
    css = state.front_css + f"\n@page :first {{ counter-reset: page {first} }}\n"
    # Its contents list every module: laid out in a process of its own, whose memory goes when it ends.
    return Staged((layout_job(front, css, fresh=True),), _assemble, laid)


def _assemble(state: object, results: tuple[JobResult, ...]) -> Staged:
    """The cover, the front matter and every module, to be joined into one PDF (``_joined``)."""
    from ..render.pdfmerge import Part, merge_job, named_pages

    assert isinstance(state, _Laid)
    plan = state.plan
    (front,) = results
    held = state.held | (named_pages(front.data).keys() - state.stubs)
    missing = sorted(state.stubs.union(plan.cover_stubs, *plan.stubs) - held)
    parts = [
        Part(state.cover.data, roman=True, stubs=plan.cover_stubs),
        Part(front.data, roman=True, start=state.first_page, stubs=state.stubs),
    ]
    parts += [
        Part(result.data, label_prefix=f"{number}-", stubs=stubs)
        for number, stubs, result in zip(plan.numbers, plan.stubs, state.modules, strict=True)
    ]
    problems = sorted({m for r in (state.cover, front, *state.modules) for m in r.messages})
    problems += [f"No anchor #{name} for internal URI reference" for name in missing]
    warnings = tuple(
        Diagnostic(plan.loc, "warning", f"facilitator guide: {message}", "guide-render") for message in problems
    )
    return Staged((merge_job(parts),), _joined, (plan.path, plan.diagnostics + warnings))


def _joined(state: object, results: tuple[JobResult, ...]) -> Rendered:
    """The guide, joined."""
    path, diagnostics = cast(tuple[str, tuple[Diagnostic, ...]], state)
    return Rendered((Artifact(path, results[0].data),), diagnostics)


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class GuideDocument:
    """The guide before layout: the cover, the front matter and one document per module, their stylesheets, what
    was noticed."""

    cover: str
    cover_css: str
    front: str
    """Contents, how to use the guide, agenda, materials (page labels not yet written: see ``render``)."""
    front_css: str
    modules: tuple[str, ...]
    module_css: tuple[str, ...]
    numbers: tuple[int, ...]
    """The number of each module in the course (its pages are labelled ``<number>-<page>``)."""
    diagnostics: tuple[Diagnostic, ...]

    @property
    def html(self) -> str:
        """The whole guide as one HTML document (cover, front matter, then every module), to read or check."""
        bodies = [html.split("<body>", 1)[1].rsplit("</body>", 1)[0] for html in (self.front, *self.modules)]
        head, _, tail = self.cover.rpartition("</body>")
        return head + "".join(bodies) + "</body>" + tail


@dataclass(frozen=True)
class StepView:
    """A session plan step on the clock, ready for a template."""

    start: str
    end: str
    minutes: int
    activity: Markup
    method: Markup
    materials: tuple[Markup, ...]
    is_break: bool


@dataclass(frozen=True)
class SectionView:
    """A part of the module's content: the introduction or a ``##`` section."""

    anchor: str
    title: Markup
    """Empty for the introduction (templates label it)."""
    content: Markup
    is_intro: bool
    slides: tuple[int, ...] = ()
    """The numbers of the deck's slides made from this part (the same in the HTML deck and the PPTX)."""

    @property
    def slide_numbers(self) -> str:
        """The slide numbers with runs joined: ``4–6, 9``."""
        return slide_ranges(self.slides)


def slide_ranges(numbers: tuple[int, ...]) -> str:
    """Numbers as ranges: (4, 5, 6, 9) gives ``4–6, 9``."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


@dataclass(frozen=True)
class KeyEntry:
    """A question in the answer key."""

    number: int
    anchor: str
    view: QuestionView
    section_anchor: str
    section_title: Markup
    """Empty when the question stands in the introduction."""
    points: str
    points_count: int


@dataclass(frozen=True)
class ModuleView:
    """Everything the guide shows about one module."""

    slot: ModuleSlot
    anchor: str
    title: Markup
    running: str
    summary: Markup
    objectives: tuple[Markup, ...]
    steps: tuple[StepView, ...]
    materials: tuple[Markup, ...]
    sections: tuple[SectionView, ...]
    questions: tuple[KeyEntry, ...]
    pass_mark: int

    @property
    def number(self) -> int:
        """The module's number in the course, from 1."""
        return self.slot.number

    @property
    def start(self) -> str:
        """When the module starts on the workshop clock (``HH:MM``)."""
        return clock(self.slot.start)

    @property
    def end(self) -> str:
        """When the module ends on the workshop clock (``HH:MM``)."""
        return clock(self.slot.end)

    @property
    def graded(self) -> int:
        """How many of its questions count towards the pass mark."""
        return sum(1 for k in self.questions if k.view.q.graded)


def guide_document(ctx: RenderContext, tpl: Templates) -> GuideDocument:
    """The guide as HTML and CSS (pure: no WeasyPrint), with the problems found on the way."""
    course = ctx.course
    # The print stylesheet is a template too: these filters turn its values into CSS strings.
    tpl.env.filters.setdefault("css_string", css_string)
    tpl.env.filters.setdefault("css_content", css_content)
    diagnostics = []
    options = HtmlOptions(target="guide", lang=ctx.locale, gettext=tpl.gettext)
    modules = []
    for slot in course_schedule(course):
        if not slot.minutes:
            diagnostics.append(
                Diagnostic(
                    slot.module.loc,
                    "warning",
                    f"module '{slot.module.id}' has no session plan and no 'duration': "
                    "the facilitator guide's agenda gives it no time",
                    "guide-no-duration",
                )
            )
        modules.append(_module_view(ctx, tpl, slot))
    when = document_date(ctx.date_of())
    title = text_html(course.title, options)
    context: dict[str, Any] = {
        "course": course,
        "title": title,
        "title_text": plain_text(course.title),
        "description": text_html(course.description, options),
        "description_text": plain_text(course.description) if course.description else "",
        "lang": html_lang(ctx.locale),
        "dir": direction(ctx.locale),
        "rtl": is_rtl(ctx.locale),
        "language_name": display_name(ctx.locale),
        "date": when,
        "generator": f"pimlearn {__version__}",
        "modules": modules,
        "materials": [
            {"text": text_html(item.text, options), "quantity": item.quantity, "modules": item.modules}
            for item in course_materials(course)
        ],
        # Choices are lettered as on the slides, so the key reads like the deck.
        "choice_letter": lambda index: letter(index, ctx.locale),
        "start": clock(modules[0].slot.start) if modules else course.start_time,
        "end": clock(modules[-1].slot.end) if modules else course.start_time,
        "total_minutes": sum(m.slot.minutes for m in modules),
        "break_minutes": sum(m.slot.break_minutes for m in modules),
    }

    def stylesheet(module: int | None, cover: bool = False) -> str:
        page_number = page_counter(module, ctx.locale)
        return tpl.render("guide/guide.css.j2", module=module, page_number=page_number, cover=cover, **context)

    return GuideDocument(
        cover=tpl.render("guide/cover-part.html.j2", **context),
        cover_css=stylesheet(None, cover=True),
        front=tpl.render("guide/front.html.j2", **context),
        front_css=stylesheet(None),
        modules=tuple(tpl.render("guide/part.html.j2", mod=mod, **context) for mod in modules),
        module_css=tuple(stylesheet(mod.number) for mod in modules),
        numbers=tuple(mod.number for mod in modules),
        diagnostics=tuple(diagnostics),
    )


def page_counter(module: int | None, locale: str) -> Markup:
    """The page number as CSS content: ``3-`` and the page counter in a module, lower-roman in the front matter.

    Right to left, WeasyPrint orders the prefix and the counter (two boxes) right to left ("5-3"):
    a left-to-right isolate (LRI ... PDI) keeps "3-5" one number.
    """
    if module is None:
        return Markup("counter(page, lower-roman)")
    number = css_string(f"{module}-") + Markup(" counter(page)")
    return (
        css_string("\u2066") + Markup(" ") + number + Markup(" ") + css_string("\u2069") if is_rtl(locale) else number
    )


def document_date(epoch: int | None) -> dict[str, Any]:
    """The guide's date in UTC: ``SOURCE_DATE_EPOCH`` when set, else when the sources last changed (else now)."""
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC) if epoch is not None else dt.datetime.now(dt.UTC)
    moment = moment.replace(microsecond=0)
    return {
        "day": moment.day,
        "month": moment.month,
        "year": moment.year,
        "iso": moment.date().isoformat(),
        "w3c": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _module_view(ctx: RenderContext, tpl: Templates, slot: ModuleSlot) -> ModuleView:
    module = slot.module
    anchor = f"m-{module.id}"
    images: dict[str, str] = {}

    def image_url(src: str) -> str:
        # Images are embedded: the PDF is one file and rendering never fetches anything.
        if src not in images:
            images[src] = data_uri(read_image(ctx.project_root, module, src), image_path(src))
        return images[src]

    def notes(block: Notes) -> Markup:
        return Markup(tpl.render("guide/notes.html.j2", content=blocks_html(block.blocks, options)))

    def question(q: Question) -> Markup:
        entry = keys[q.id]
        return Markup(tpl.render("guide/question-ref.html.j2", key=entry))

    options = HtmlOptions(
        target="guide",
        lang=ctx.locale,
        image_url=image_url,
        question=question,
        notes=notes,
        gettext=tpl.gettext,
        heading_shift=1,
    )

    # Number the questions before rendering the content, which refers to the answer key.
    parts = []
    keys: dict[str, KeyEntry] = {}
    for page in module_pages(module):
        part_anchor = f"{anchor}-intro" if page.is_intro else f"{anchor}-s-{page.slug}"
        # The introduction's title is the template's ("Introduction"), so every UI string stays in templates.
        title = Markup("") if page.is_intro else text_html(page.title, options)
        parts.append((page, part_anchor, title))
        for block in walk_blocks(page.blocks):
            if isinstance(block, Question) and block.id not in keys:
                attempts = ctx.course.attempts_for(block)
                keys[block.id] = _key_entry(len(keys) + 1, anchor, block, options, part_anchor, title, attempts)
    # The deck the facilitator projects, so each part can name its slides.
    deck = build_deck(ctx.course, module, slot.number, load_images(ctx.project_root, module).size, tpl.gettext)
    offset = 1 if parts and parts[0][0].is_intro else 0
    sections = tuple(
        SectionView(
            part_anchor,
            title,
            _content(page.blocks, options, tpl),
            page.is_intro,
            tuple(deck.section_slides(-1 if page.is_intro else i - offset)),
        )
        for i, (page, part_anchor, title) in enumerate(parts)
    )

    steps = tuple(
        StepView(
            start=clock(s.start),
            end=clock(s.end),
            minutes=s.step.minutes,
            activity=text_html(s.step.activity, options),
            method=text_html(s.step.method, options),
            materials=tuple(text_html(m, options) for m in s.step.materials),
            is_break=s.step.is_break,
        )
        for s in slot.steps
    )
    return ModuleView(
        slot=slot,
        anchor=anchor,
        title=text_html(module.title, options),
        running=plain_text(module.title),
        summary=text_html(module.summary, options),
        objectives=tuple(text_html(o, options) for o in module.objectives),
        steps=steps,
        materials=tuple(text_html(m, options) for m in materials(module)),
        sections=sections,
        questions=tuple(keys.values()),
        pass_mark=ctx.course.pass_mark(module),
    )


def _key_entry(
    number: int,
    module_anchor: str,
    q: Question,
    options: HtmlOptions,
    section_anchor: str,
    section_title: Markup,
    attempts: int | None,
) -> KeyEntry:
    # ngettext needs a whole number: 1.5 points read as plural, like 2.
    count = int(q.points) if q.points.is_integer() else 2
    view = question_view(q, options, attempts)
    return KeyEntry(number, f"{module_anchor}-q-{q.id}", view, section_anchor, section_title, f"{q.points:g}", count)


def _content(blocks: tuple[Block, ...], options: HtmlOptions, tpl: Templates) -> Markup:
    """A section's blocks for the guide; content only facilitators see is labelled as such."""
    parts = []
    for block in blocks:
        if isinstance(block, Only) and block.targets == frozenset({"guide"}):
            inner = blocks_html(block.blocks, options)
            parts.append(Markup(tpl.render("guide/guide-only.html.j2", content=inner)))
        else:
            parts.append(block_html(block, options))
    return Markup("\n").join(parts)
