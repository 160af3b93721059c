"""``-f pptx``: an editable PowerPoint deck per module (``slides/<module-id>.pptx``).

The same deck as the HTML one (``render/deck.py``), as real PowerPoint objects:
titles in title placeholders, bullets as paragraphs with levels, tables as
tables, pictures placed and scaled, notes in the notes pane, and each question
followed by a slide with its answer. Decks start from a template ``.pptx``
(``templates/slides/default.pptx`` on the template search path), so an
organisation brands every deck by editing one file in PowerPoint.

Each deck is made by a job of its own (in parallel, and taken from the build cache while
nothing it shows changes): the job is given everything it reads, the deck model, the
module's images, the template and the course in the locale with that module only, and
is keyed by them and by the project's ``ui`` catalog of the locale (its words).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from pathlib import Path
from typing import cast

from ...diagnostics import Diagnostic
from ...i18n.catalogs import catalog_file
from ...i18n.layout import LOCALES, UI
from ...i18n.locales import html_lang, is_rtl
from ...package.artifact import Artifact
from ...package.cache import stable_bytes
from ...render.deck import Deck, ModuleImages
from ...render.jinja import Templates, template_dirs, templates
from .. import Job, JobResult, RenderContext, Rendered, Staged
from ..slides import decks
from .layout import content_slide, layout_body_area, pick_layouts, title_slide
from .notes import write_notes
from .ooxml import number_placeholder, save, set_language, set_properties, slide_number, theme_cs_font
from .text import Style


def template_path(project_root: Path, ctx: RenderContext) -> Path:
    """The deck template: the course's, else the project's, else the built-in one."""
    for folder in template_dirs(project_root, ctx.course):
        candidate = folder / "slides" / "default.pptx"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("templates/slides/default.pptx")  # pragma: no cover - the built-in one ships


def render(ctx: RenderContext) -> Staged:
    """Render one PPTX per module of the course, each as a job."""
    tpl = templates(ctx.project_root, ctx.course)
    base = f"{ctx.base}/slides"
    source = template_path(ctx.project_root, ctx).read_bytes()
    ui = catalog_file(ctx.project_root / LOCALES, ctx.locale, UI)
    words = hashlib.sha256(source + b"\0" + (ui.read_bytes() if ui is not None else b"")).digest()
    jobs = []
    made = []
    for deck, images in decks(ctx, tpl):
        # The course with this module only: another module's edit leaves this deck's key as it was.
        alone = replace(ctx, course=replace(ctx.course, modules=(deck.module,)), content_date=None, module_dates=())
        digest = hashlib.sha256(b"pptx\0" + words + stable_bytes((alone, deck)))
        for path in sorted(images.data):
            digest.update(path.encode("utf-8", "surrogateescape") + hashlib.sha256(images.data[path]).digest())
        jobs.append(Job(digest.hexdigest(), deck_job, (alone, deck, images, source)))
        made.append((f"{base}/{deck.module.id}.pptx", deck.diagnostics))
    return Staged(tuple(jobs), _decks_made, (base, tuple(made)))


def deck_job(ctx: RenderContext, deck: Deck, images: ModuleImages, template: bytes) -> JobResult:
    """One deck as a job's work (a module-level function: it is sent to a render process by name)."""
    return JobResult(build_pptx(ctx, templates(ctx.project_root, ctx.course), deck, images, template))


def _decks_made(state: object, results: tuple[JobResult, ...]) -> Rendered:
    base, made = cast(tuple[str, tuple[tuple[str, tuple[Diagnostic, ...]], ...]], state)
    artifacts = tuple(Artifact(path, result.data) for (path, _), result in zip(made, results, strict=True))
    diagnostics = tuple(d for _, found in made for d in found)
    # The folder is shared with -f slides: each format prunes only its own files.
    return Rendered(artifacts, diagnostics, owned=(f"{base}/*.pptx",))


def build_pptx(ctx: RenderContext, tpl: Templates, deck: Deck, images: ModuleImages, template: bytes) -> bytes:
    """The deck as PPTX bytes (identical bytes for identical input)."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(template))
    style = Style(
        html_lang(ctx.locale), is_rtl(ctx.locale), theme_cs_font(prs), tpl.gettext, tpl.translations.ngettext, images
    )
    title_layout, content_layout = pick_layouts(prs)
    numbers = {id(layout): number_placeholder(layout) for layout in (title_layout, content_layout)}
    body = layout_body_area(content_layout)
    for slide in deck.shown(answers=True):
        layout = title_layout if slide.kind == "title" else content_layout
        out = prs.slides.add_slide(layout)
        if slide.kind == "title":
            title_slide(out, slide, deck, ctx, style)
        else:
            content_slide(out, slide, style, body)
        slide_number(out, numbers[id(layout)], slide.number, style)
        write_notes(out, slide, style)
    set_properties(prs, ctx, deck)
    set_language(prs, style.lang)
    return save(prs, ctx.source_date_epoch)
