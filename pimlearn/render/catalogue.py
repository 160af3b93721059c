"""The training catalogue (``dist/index.html``): every course, its modules and every download, per language.

What a programme publishes for trainers and LMS admins: each course with its
description and modules (objectives, duration, question count) and, per locale,
every file the build made, with its size, and how complete the translation is.
One page per language of the courses' locales (``index.html`` in the first
course's source language, ``index-<locale>.html`` for the others); the page is
self-contained (inline CSS and a small filter script), so it works offline and
from a USB stick.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..i18n import N_
from ..i18n.locales import direction, display_name, html_lang
from ..model import Course, plain_text
from ..package.artifact import Artifact
from .assets import static_file
from .html import HtmlOptions, text_html
from .jinja import templates


@dataclass(frozen=True)
class Download:
    """One file (or a folder shown by its index page) a learner, trainer or admin can take."""

    label: str
    """A UI string naming the kind of output (translated when shown)."""
    href: str
    """Relative to ``dist/``."""
    size: int
    module: str = ""
    """The module it belongs to, for per-module files ('' for the course)."""


# Kinds of output, in the order a page lists them: (pattern relative to <course>/<locale>/, label, module group).
KINDS: tuple[tuple[str, str], ...] = (
    (r"web/index\.html", N_("Web version")),
    (r"[^/]+-scorm12\.zip", N_("SCORM 1.2 package")),
    (r"[^/]+-scorm2004\.zip", N_("SCORM 2004 package")),
    (r"slides/index\.html", N_("Slide decks (HTML)")),
    (r"[^/]+-facilitator-guide\.pdf", N_("Facilitator guide (PDF)")),
    (r"questions/[^/]+-moodle\.xml", N_("Question bank: Moodle XML")),
    (r"questions/[^/]+-qti21\.zip", N_("Question bank: QTI 2.1")),
    (r"questions/[^/]+-gift\.txt", N_("Question bank: GIFT")),
)
MODULE_KINDS: tuple[tuple[str, str], ...] = (
    (r"slides/(?P<m>[^/]+)\.pptx", N_("PowerPoint deck")),
    (r"slides/(?P<m>[^/]+)-handout\.pdf", N_("Handout (PDF)")),
    (r"modules/[^/]+-(?P<m>[^/]+)-scorm12\.zip", N_("SCORM 1.2 package")),
    (r"modules/[^/]+-(?P<m>[^/]+)-scorm2004\.zip", N_("SCORM 2004 package")),
)


def downloads(course: Course, locale: str, files: Mapping[str, int]) -> list[Download]:
    """The downloads of ``course`` in ``locale`` among ``files`` (path -> size), in the order pages show them."""
    base = f"{course.id}/{locale}/"
    mine = {p[len(base) :]: s for p, s in files.items() if p.startswith(base)}
    found: list[Download] = []
    for pattern, label in KINDS:
        for rel in sorted(r for r in mine if re.fullmatch(pattern, r)):
            size = mine[rel]
            if rel.endswith("index.html"):  # a folder: its size is every file in it
                folder = posixpath.dirname(rel) + "/"
                size = sum(s for r, s in mine.items() if r.startswith(folder))
            found.append(Download(label, base + rel, size))
    module_ids = {m.id for m in course.modules}
    for pattern, label in MODULE_KINDS:
        for rel in sorted(mine):
            match = re.fullmatch(pattern, rel)
            if match and match.group("m") in module_ids:
                found.append(Download(label, base + rel, mine[rel], match.group("m")))
    return found


def human_size(size: int, gettext: Callable[[str], str]) -> str:
    """A file size people read: 830 KB, 2.4 MB (decimal units, as file managers show)."""
    if size < 1000:
        return gettext("%(num)s bytes") % {"num": size}
    if size < 1_000_000:
        return gettext("%(num)s KB") % {"num": f"{size / 1000:.0f}"}
    return gettext("%(num)s MB") % {"num": f"{size / 1_000_000:.1f}"}


def catalogue_pages(
    project_root: Path,
    courses: Sequence[Course],
    localize: Callable[[Course, str], Course],
    files: Mapping[str, int],
    completeness: Mapping[tuple[str, str], float],
) -> list[Artifact]:
    """``index.html`` (and ``index-<locale>.html`` per other locale) listing every course and download.

    ``courses`` are in their source language; ``localize(course, locale)`` translates one;
    ``files`` is every output file (path relative to ``dist/`` -> size) after this build;
    ``completeness`` gives the percent of a course's words translated per (course id, locale).
    """
    if not courses:
        return []
    page_locales = list(dict.fromkeys([courses[0].language, *(loc for c in courses for loc in c.locales)]))
    pages = []
    for index, locale in enumerate(page_locales):
        name = "index.html" if index == 0 else f"index-{locale}.html"
        html = _page(project_root, courses, localize, files, completeness, locale, page_locales)
        pages.append(Artifact(name, html.encode("utf-8")))
    return pages


def _page(
    project_root: Path,
    courses: Sequence[Course],
    localize: Callable[[Course, str], Course],
    files: Mapping[str, int],
    completeness: Mapping[tuple[str, str], float],
    locale: str,
    page_locales: list[str],
) -> str:
    shown = [localize(c, locale) if locale in c.locales else localize(c, c.language) for c in courses]
    # The page's UI strings are in its locale even where the first course is not translated into it.
    tpl = templates(project_root, replace(shown[0], locale=locale))
    options = HtmlOptions(target="elearning", lang=locale, gettext=tpl.gettext)

    def size(n: int) -> str:
        return human_size(n, tpl.gettext)

    cards: list[dict[str, Any]] = []
    for source, course in zip(courses, shown, strict=True):
        modules = [
            {
                "id": m.id,
                "title": text_html(m.title, options),
                "summary": text_html(m.summary, options),
                "objectives": [text_html(o, options) for o in m.objectives],
                "duration": m.duration,
                "questions": len(m.questions),
                "search": " ".join([plain_text(m.title), *(plain_text(o) for o in m.objectives)]).lower(),
            }
            for m in course.modules
        ]
        titles = {m.id: plain_text(m.title) for m in course.modules}
        languages = [
            {
                "code": loc,
                "name": display_name(loc),
                "lang": html_lang(loc),
                "dir": direction(loc),
                "percent": 100.0 if loc == source.language else completeness.get((source.id, loc)),
            }
            for loc in source.locales
        ]
        found = {loc: downloads(source, loc, files) for loc in source.locales}
        # One row per kind of output (and module), one cell per language: what a table of downloads shows.
        rows: dict[tuple[str, str], dict[str, Download]] = {}
        for loc, items in found.items():
            for d in items:
                rows.setdefault((d.module, d.label), {})[loc] = d
        course_rows = [(label, cells) for (mid, label), cells in rows.items() if not mid]
        module_rows = [
            (titles.get(mid, mid), label, cells)
            for m in course.modules
            for (mid, label), cells in rows.items()
            if mid == m.id
        ]
        cards.append(
            {
                "course": course,
                "title": text_html(course.title, options),
                "description": text_html(course.description, options),
                "modules": modules,
                "minutes": sum(m.duration or 0 for m in course.modules),
                "questions": sum(m["questions"] for m in modules),
                "languages": languages,
                "course_rows": course_rows,
                "module_rows": module_rows,
                "search": " ".join(plain_text(t) for t in (course.title, course.description) if t).lower(),
            }
        )
    links = [
        {
            "href": "index.html" if i == 0 else f"index-{loc}.html",
            "name": display_name(loc),
            "lang": html_lang(loc),
            "current": loc == locale,
        }
        for i, loc in enumerate(page_locales)
    ]
    return tpl.render(
        "catalogue/index.html.j2",
        lang=html_lang(locale),
        dir=direction(locale),
        cards=cards,
        locales=links,
        size=size,
        css=Markup(
            static_file("learner", "style.css").decode("utf-8")
            + static_file("catalogue", "catalogue.css").decode("utf-8")
        ),
        script=Markup(static_file("catalogue", "filter.js").decode("utf-8")),
    )
