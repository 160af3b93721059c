"""``-f slides``: one self-contained HTML deck per module, and an index of the course's decks.

``dist/<course>/<locale>/slides/<module-id>.html`` carries its CSS, script and
images inline and loads nothing from the network, so a facilitator can present
from a USB stick on an offline laptop. Press S for the speaker view (a second
window of the same file, kept in step), ? for every shortcut.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..diagnostics import Diagnostic
from ..i18n.locales import choice_letters, direction, html_lang
from ..model import Figure, Module, Question, Text, plain_text
from ..package.artifact import Artifact
from ..render.assets import data_uri, image_path, static_file
from ..render.deck import Deck, ModuleImages, Slide, answer_key, build_deck, letter, load_images
from ..render.fit import answer_explanation
from ..render.html import HtmlOptions, blocks_html, text_html
from ..render.jinja import Templates, templates
from ..render.questions import question_view
from . import RenderContext, Rendered

_LAST: tuple[RenderContext, tuple[tuple[Deck, ModuleImages], ...]] | None = None
"""The decks of the last context (``slides`` and ``pptx`` render the same context one after the other)."""


def decks(ctx: RenderContext, tpl: Templates) -> list[tuple[Deck, ModuleImages]]:
    """Every module of the course as a deck, with its images: built once per context for both deck formats.

    The decks depend only on the context (``tpl`` is made from it), and they are frozen, so the
    second format of a build reuses the first's instead of fitting every slide again.
    """
    global _LAST
    if _LAST is not None and _LAST[0] is ctx:
        return list(_LAST[1])
    out = []
    for number, module in enumerate(ctx.course.modules, start=1):
        images = load_images(ctx.project_root, module)
        out.append((build_deck(ctx.course, module, number, images.size, tpl.gettext, tpl.pgettext), images))
    _LAST = (ctx, tuple(out))
    return out


def render(ctx: RenderContext) -> Rendered:
    """Render a deck per module and the index of decks."""
    tpl = templates(ctx.project_root, ctx.course)
    base = f"{ctx.base}/slides"
    artifacts: list[Artifact] = []
    diagnostics: list[Diagnostic] = []
    css = static_file("slides", "deck.css").decode("utf-8")
    js = static_file("slides", "deck.js").decode("utf-8")
    listing = []
    for deck, images in decks(ctx, tpl):
        diagnostics.extend(deck.diagnostics)
        html, count = render_deck(ctx, tpl, deck, images, css, js)
        artifacts.append(Artifact(f"{base}/{deck.module.id}.html", html.encode("utf-8")))
        listing.append((deck.module, count))
    artifacts.append(Artifact(f"{base}/index.html", render_index(ctx, tpl, listing).encode("utf-8")))
    # The folder is shared with -f pptx: each format prunes only its own files.
    return Rendered(tuple(artifacts), tuple(diagnostics), owned=(f"{base}/*.html",))


def _common(ctx: RenderContext) -> dict[str, Any]:
    return {"course": ctx.course, "lang": html_lang(ctx.locale), "dir": direction(ctx.locale)}


def render_deck(
    ctx: RenderContext, tpl: Templates, deck: Deck, images: ModuleImages, css: str, js: str
) -> tuple[str, int]:
    """One module's deck as a self-contained HTML page, and its number of slides."""
    module = deck.module
    uris = {src: data_uri(data, src) for src, data in images.data.items()}

    def image_url(src: str) -> str:
        return uris.get(image_path(src), src)

    options = HtmlOptions(target="slides", lang=ctx.locale, image_url=image_url, gettext=tpl.gettext)
    slides = deck.shown(answers=False)
    answers = {s.question.id: s for s in deck.slides if s.kind == "answer" and s.question}
    prepared = [
        prepare(tpl, slide, slide.number, options, answers.get(slide.question.id) if slide.question else None)
        for slide in slides
    ]
    html = tpl.render(
        "slides/deck.html.j2",
        **_common(ctx),
        module=module,
        number=deck.number,
        slides=prepared,
        course_title=text_html(ctx.course.title, options),
        module_title=text_html(module.title, options),
        summary=text_html(module.summary, options),
        session=session_plan(module, options),
        css=Markup(css + "\n" + choice_counter_css(ctx.locale)),
        js=Markup(js),
        data=Markup(_script_json(deck_data(ctx, tpl, module))),
    )
    return html, len(prepared)


def choice_counter_css(locale: str) -> str:
    """The list markers of choices (``choice-letter``), from the one source of choice letters."""
    symbols = " ".join(f'"{letter(i, locale)}"' for i in range(len(choice_letters(locale))))
    return f'@counter-style choice-letter {{ system: fixed; symbols: {symbols}; suffix: ". "; }}'


def _script_json(value: object) -> str:
    # Inside <script>, no "<" may appear: "</script>" would close the element and "<!--<script>" would
    # swallow the rest of the page. JSON reads \u003c as "<".
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def deck_data(ctx: RenderContext, tpl: Templates, module: Module) -> dict[str, Any]:
    """What the script reads: the deck's identity, the session plan's minutes and the UI strings."""
    gettext = tpl.gettext
    return {
        "id": module.id,
        "key": f"{ctx.course.id}/{ctx.locale}/{module.id}",
        "duration": module.duration or module.session_minutes or 0,
        "session": [{"minutes": step.minutes} for step in module.session],
        "strings": {
            "count": gettext("%(num)s / %(total)s") % {"num": "{num}", "total": "{total}"},
            "announce": gettext("Slide %(num)s of %(total)s: %(title)s")
            % {"num": "{num}", "total": "{total}", "title": "{title}"},
            "goTo": gettext("Go to slide %(num)s") % {"num": "{num}"},
            "showAnswer": gettext("Show answer"),
            "hideAnswer": gettext("Hide answer"),
            "answerShown": gettext("Answer shown."),
            "answerHidden": gettext("Answer hidden."),
            "noNotes": gettext("No notes for this slide."),
            "pause": gettext("Pause"),
            "resume": gettext("Resume"),
            "speakerTitle": gettext("Speaker view: %(title)s") % {"title": plain_text(module.title)},
        },
    }


def session_plan(module: Module, options: HtmlOptions) -> list[dict[str, Any]]:
    """The module's session plan with each step's start and end, in minutes from the start."""
    out, start = [], 0
    for step in module.session:
        end = start + step.minutes
        out.append(
            {
                "start": _clock(start),
                "end": _clock(end),
                "activity": text_html(step.activity, options),
                "method": text_html(step.method, options) if step.method else "",
            }
        )
        start = end
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def prepare(
    tpl: Templates, slide: Slide, number: int, options: HtmlOptions, answer: Slide | None, answers: bool = True
) -> dict[str, Any]:
    """A slide as the template wants it: HTML of each part (``answers=False``: no answer, key or notes)."""
    body = Markup("")
    figure = Markup("")
    if slide.split:
        body = blocks_html([b for b in slide.blocks if not isinstance(b, Figure)], options)
        figure = blocks_html([b for b in slide.blocks if isinstance(b, Figure)], options)
    else:
        body = blocks_html(slide.blocks, options)
    question = Markup("")
    key = Markup("")
    if slide.question is not None:
        fit = answer.fit if answer else slide.fit
        question = question_html(tpl, slide.question, number, options, fit, answers)
        key = answer_key_html(tpl, slide.question, options) if answers else Markup("")
    return {
        "kind": slide.kind,
        "number": number,
        "title": text_html(slide.title, options),
        "kicker": text_html(slide.kicker, options) if slide.kicker else "",
        "fit": slide.fit,
        "title_fit": slide.title_fit,
        "split": slide.split,
        "dense_table": slide.dense_table,
        "body": body,
        "figure": figure,
        "question": question,
        "question_id": slide.question.id if slide.question else "",
        "notes": blocks_html(slide.notes, options) if answers else Markup(""),
        "answer_key": key,
    }


def question_html(
    tpl: Templates, q: Question, number: int, options: HtmlOptions, answer_fit: float, answers: bool = True
) -> Markup:
    """A question slide's body: the question, and its answer (hidden until revealed; left out without answers)."""
    view = question_view(q, options)
    inner = HtmlOptions(target="slides", lang=q.lang or options.lang, image_url=options.image_url)

    def html(text: Text | None) -> Markup:
        return text_html(text, inner)

    return Markup(
        tpl.render(
            "slides/question.html.j2",
            q=view,
            n=number,
            answers=answers,
            answer_fit=answer_fit,
            pairs_right={i: html(p.right) for i, p in enumerate(q.pairs)},
            ordered=[html(item) for item in q.items],
            explanation=html(answer_explanation(q)),
        )
    )


def answer_key_html(tpl: Templates, q: Question, options: HtmlOptions) -> Markup:
    """The right answer in one line, for the speaker notes."""
    parts = []
    for marker, text in answer_key(q, tpl.gettext, options.lang):
        piece = Markup.escape(marker)
        if text is not None:
            piece = piece + Markup(" ") + text_html(text, options) if marker else text_html(text, options)
        parts.append(piece)
    return Markup(tpl.render("slides/answer-key.html.j2", key=Markup("; ").join(parts)))


def render_index(ctx: RenderContext, tpl: Templates, listing: list[tuple[Module, int]]) -> str:
    """The page linking every deck of the course in this locale."""
    options = HtmlOptions(target="slides", lang=ctx.locale, gettext=tpl.gettext)
    with_pptx = "pptx" in ctx.formats
    decks_ = [
        {
            "module": module,
            "href": f"{module.id}.html",
            "pptx": f"{module.id}.pptx" if with_pptx else "",
            "handout": f"{module.id}-handout.pdf" if "handout" in ctx.formats else "",
            "title": text_html(module.title, options),
            "summary": text_html(module.summary, options),
            "count": count,
        }
        for module, count in listing
    ]
    return tpl.render(
        "slides/index.html.j2",
        **_common(ctx),
        css=Markup(static_file("slides", "index.css").decode("utf-8")),
        decks=decks_,
        locales=ctx.language_links(),
        related=ctx.related_links("slides"),
    )
