"""``-f handout``: the participants' handout, a PDF per module with 3 or 6 slides to a page.

The slides are the HTML deck's own markup and stylesheet (one deck model, one slide template),
laid out by WeasyPrint: slides only, never speaker notes, answers or facilitator-only content.
``course.yml``'s ``handout_slides`` (3, with lines for notes beside each slide, or 6) sets the
layout; the paper is the course's ``paper``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from .. import __version__
from ..diagnostics import Diagnostic
from ..i18n.locales import direction, html_lang, is_rtl
from ..model import Loc, plain_text
from ..package.artifact import Artifact
from ..render.assets import data_uri, image_path, static_file
from ..render.deck import Deck, ModuleImages
from ..render.html import HtmlOptions, text_html
from ..render.jinja import Templates, templates
from ..render.pdf import css_content, css_string, layout_job
from . import JobResult, RenderContext, Rendered, Staged
from .guide import document_date
from .slides import choice_counter_css, decks, prepare

SLIDE_WIDTH_MM = 1280 * 25.4 / 96
"""The slide's design width (1280 CSS px) in millimetres."""
THUMB_MM = {3: 106.0, 6: 88.0}
"""How wide each slide is printed: beside its note lines (3 to a page) or two across (6 to a page)."""


BROWSER_ONLY_CSS = ("Ignored `", "Invalid or unsupported selector")
"""WeasyPrint's notes on the deck's stylesheet, written for browsers (``zoom``, ``::backdrop``...):
what it skips there is known and does not change the handout."""


def handout_path(ctx: RenderContext, module_id: str) -> str:
    """Where a module's handout goes, relative to ``dist/``: beside its decks."""
    return f"{ctx.base}/slides/{module_id}-handout.pdf"


def render(ctx: RenderContext) -> Staged:
    """Render one handout PDF per module of the course (each laid out as a job: in parallel, cached)."""
    tpl = templates(ctx.project_root, ctx.course)
    tpl.env.filters.setdefault("css_string", css_string)
    tpl.env.filters.setdefault("css_content", css_content)
    per_page = ctx.course.handout_slides
    css = "\n".join(
        (
            static_file("slides", "deck.css").decode("utf-8"),
            choice_counter_css(ctx.locale),
            handout_css(ctx, tpl, per_page),
        )
    )
    jobs = []
    handouts = []
    for deck, images in decks(ctx, tpl):
        jobs.append(layout_job(handout_html(ctx, tpl, deck, images, per_page), css))
        handouts.append(_Handout(handout_path(ctx, deck.module.id), deck.module.loc, deck.diagnostics))
    return Staged(tuple(jobs), _laid_out, (ctx.base, tuple(handouts)))


@dataclass(frozen=True)
class _Handout:
    """Where a module's handout goes, and what was noticed while making it (waiting for its layout)."""

    path: str
    loc: Loc
    diagnostics: tuple[Diagnostic, ...]


def _laid_out(state: object, results: tuple[JobResult, ...]) -> Rendered:
    """The handouts from their layouts, with WeasyPrint's problems as warnings."""
    base, handouts = cast(tuple[str, tuple[_Handout, ...]], state)
    artifacts: list[Artifact] = []
    diagnostics: list[Diagnostic] = []
    for handout, result in zip(handouts, results, strict=True):
        path, loc = handout.path, handout.loc
        diagnostics.extend(handout.diagnostics)
        diagnostics.extend(
            Diagnostic(loc, "warning", f"handout: {message}", "guide-render")
            for message in result.messages
            if not message.startswith(BROWSER_ONLY_CSS)
        )
        artifacts.append(Artifact(path, result.data))
    return Rendered(tuple(artifacts), tuple(diagnostics), owned=(f"{base}/slides/*-handout.pdf",))


def handout_css(ctx: RenderContext, tpl: Templates, per_page: int) -> str:
    """The handout's page and grid, after the deck's stylesheet."""
    thumb = THUMB_MM[per_page]
    rtl = is_rtl(ctx.locale)
    return tpl.render(
        "slides/handout.css.j2",
        course=ctx.course,
        course_title_text=plain_text(ctx.course.title),
        dir=direction(ctx.locale),
        start_side="right" if rtl else "left",
        end_side="left" if rtl else "right",
        thumb_mm=thumb,
        gap_mm=180 - 2 * thumb,
        scale=f"{thumb / SLIDE_WIDTH_MM:.5f}",
    )


def handout_html(ctx: RenderContext, tpl: Templates, deck: Deck, images: ModuleImages, per_page: int) -> str:
    """A module's handout as HTML: every slide the audience sees, without answers or notes."""
    uris = {src: data_uri(data, src) for src, data in images.data.items()}

    def image_url(src: str) -> str:
        return uris.get(image_path(src), src)

    options = HtmlOptions(target="slides", lang=ctx.locale, image_url=image_url, gettext=tpl.gettext)
    slides = [prepare(tpl, s, s.number, options, None, answers=False) for s in deck.shown(answers=False)]
    module = deck.module
    return tpl.render(
        "slides/handout.html.j2",
        course=ctx.course,
        lang=html_lang(ctx.locale),
        dir=direction(ctx.locale),
        module=module,
        number=deck.number,
        slides=slides,
        per_page=per_page,
        course_title=text_html(ctx.course.title, options),
        module_title=text_html(module.title, options),
        summary=text_html(module.summary, options),
        generator=f"pimlearn {__version__}",
        date=document_date(ctx.date_of(deck.module.id))["w3c"],
    )
