"""``-f pptx``: an editable PowerPoint deck per module (``slides/<module-id>.pptx``).

The same deck as the HTML one (``render/deck.py``), as real PowerPoint objects:
titles in title placeholders, bullets as paragraphs with levels, tables as
tables, pictures placed and scaled, notes in the notes pane, and each question
followed by a slide with its answer. Decks start from a template ``.pptx``
(``templates/slides/default.pptx`` on the template search path), so an
organisation brands every deck by editing one file in PowerPoint.
"""

from __future__ import annotations

import io
from pathlib import Path

from ...diagnostics import Diagnostic
from ...i18n.locales import html_lang, is_rtl
from ...package.artifact import Artifact
from ...render.deck import Deck, ModuleImages
from ...render.jinja import Templates, template_dirs, templates
from .. import RenderContext, Rendered
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


def render(ctx: RenderContext) -> Rendered:
    """Render one PPTX per module of the course."""
    tpl = templates(ctx.project_root, ctx.course)
    base = f"{ctx.base}/slides"
    source = template_path(ctx.project_root, ctx).read_bytes()
    artifacts: list[Artifact] = []
    diagnostics: list[Diagnostic] = []
    for deck, images in decks(ctx, tpl):
        diagnostics.extend(deck.diagnostics)
        data = build_pptx(ctx, tpl, deck, images, source)
        artifacts.append(Artifact(f"{base}/{deck.module.id}.pptx", data))
    # The folder is shared with -f slides: each format prunes only its own files.
    return Rendered(tuple(artifacts), tuple(diagnostics), owned=(f"{base}/*.pptx",))


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
