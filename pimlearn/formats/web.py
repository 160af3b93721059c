"""``-f web``: the course as plain, responsive HTML pages (``dist/<course>/<locale>/web/``).

One page per module section, a course index, a language switcher. The learner
player (the one SCORM packages use) makes the questions checkable and keeps each
learner's answers and progress in the browser's localStorage; the last page of a
module shows the result. Nothing is reported anywhere: the pages say so.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup

from ..i18n.locales import direction, html_lang
from ..model import Module, Notes, iter_texts, plain_text
from ..package.artifact import Artifact
from ..render.assets import image_path, module_images, read_image, static_file, url_path
from ..render.html import HtmlOptions, blocks_html, text_html
from ..render.jinja import Templates, templates
from ..render.pages import Page, module_pages
from ..render.player import player_context, web_unit
from ..render.questions import learner_options
from . import RenderContext, Rendered


def page_file(page: Page) -> str:
    """The file name of a module page inside the module's folder."""
    return "index.html" if page.number == 1 else f"{page.slug}.html"


def render(ctx: RenderContext) -> Rendered:
    """Render the course index, every module page, images and the stylesheet."""
    course = ctx.course
    tpl = templates(ctx.project_root, course)
    base = f"{ctx.base}/web"
    common: dict[str, Any] = {
        "course": course,
        "lang": html_lang(ctx.locale),
        "dir": direction(ctx.locale),
        "locales": ctx.language_links(),
    }
    artifacts = [
        Artifact(f"{base}/assets/style.css", static_file("learner", "style.css")),
        Artifact(f"{base}/assets/player.css", static_file("player", "player.css")),
        Artifact(f"{base}/assets/player.js", static_file("player", "player.js")),
        Artifact(f"{base}/assets/lms.js", static_file("player", "lms.js")),
    ]

    index_options = HtmlOptions(target="elearning", lang=ctx.locale, gettext=tpl.gettext)
    modules = [
        {
            "module": m,
            "href": f"{m.id}/index.html",
            "questions": len(m.questions),
            "minutes": study_minutes(m),
            "key": web_unit(course, m).key,
            "title": text_html(m.title, index_options),
            "summary": text_html(m.summary, index_options),
            "objectives": [text_html(o, index_options) for o in m.objectives],
        }
        for m in course.modules
    ]
    html = tpl.render(
        "web/index.html.j2",
        **common,
        root="",
        title=text_html(course.title, index_options),
        description=text_html(course.description, index_options),
        modules=modules,
        related=ctx.related_links("web"),
    )
    artifacts.append(Artifact(f"{base}/index.html", html.encode("utf-8")))

    for number, module in enumerate(course.modules, start=1):
        artifacts.extend(_module_pages(ctx, tpl, common, module, number, base))
        for src in module_images(module):
            artifacts.append(
                Artifact(f"{base}/{module.id}/{image_path(src)}", read_image(ctx.project_root, module, src))
            )
    return Rendered(tuple(artifacts), owned=(base,))


def _module_pages(
    ctx: RenderContext, tpl: Templates, common: dict[str, Any], module: Module, number: int, base: str
) -> list[Artifact]:
    options = learner_options(
        ctx.locale,
        tpl,
        lambda src: url_path(image_path(src)),
        attempts=ctx.course.attempts_for,
        questions=module.questions,
    )
    pages = module_pages(module)
    unit = web_unit(ctx.course, module)
    player = player_context(ctx.course, unit, None, "../assets/player.js")
    result = {
        "questions": [
            {
                "index": index,
                "prompt": text_html(uq.question.prompt, options),
                "href": f"{page_file(pages[uq.page - 1])}#q-{uq.question.id}",
                "page": uq.page,
                "goto": False,
            }
            for index, uq in enumerate(unit.questions)
            if uq.question.graded
        ]
        if unit.pass_mark is not None
        else [],
        "scored": unit.pass_mark is not None,
        "finish": False,
        "heading": True,
    }
    nav = [
        {
            "title": Markup.escape(tpl.gettext("Introduction")) if p.is_intro else text_html(p.title, options),
            "href": page_file(p),
            "number": p.number,
        }
        for p in pages
    ]
    out = []
    for index, page in enumerate(pages):
        html = tpl.render(
            "web/page.html.j2",
            **common,
            root="../",
            module=module,
            module_number=number,
            module_title=text_html(module.title, options),
            summary=text_html(module.summary, options) if page.number == 1 else "",
            page=page,
            page_title=text_html(page.title, options),
            nav=nav,
            prev=nav[index - 1] if index > 0 else None,
            next=nav[index + 1] if index + 1 < len(nav) else None,
            content=blocks_html(page.blocks, options),
            objectives=[text_html(o, options) for o in module.objectives] if page.number == 1 else [],
            player=player,
            result=result if index + 1 == len(pages) and result["scored"] else None,
        )
        out.append(Artifact(f"{base}/{module.id}/{page_file(page)}", html.encode("utf-8")))
    return out


WORDS_PER_MINUTE = 200
"""A learner's reading speed on screen, for the e-learning time estimate."""
MINUTES_PER_QUESTION = 1


def study_minutes(module: Module) -> int:
    """An e-learning estimate for the course index: reading time (facilitator notes left out) plus a minute
    per question, rounded up to 5 minutes. The module's ``duration`` is the face-to-face session, not this."""
    words = 0
    for page in module_pages(module):
        for block in page.blocks:
            if isinstance(block, Notes):
                continue
            words += sum(len(plain_text(t).split()) for t in iter_texts(block))
    minutes = words / WORDS_PER_MINUTE + MINUTES_PER_QUESTION * len(module.questions)
    return max(5, 5 * math.ceil(minutes / 5))
