"""Templates: Jinja on an ordered search path, strict, with the locale's UI translations."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..i18n.catalogs import ui_translations
from ..model import Course, plain_text
from . import uitext

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def template_dirs(project_root: Path, course: Course | None) -> list[Path]:
    """Where templates are looked up, first match wins: course, project, built-in."""
    dirs = []
    if course is not None and course.directory:
        dirs.append(project_root / course.directory / "templates")
    dirs.append(project_root / "templates")
    dirs.append(BUILTIN_TEMPLATES)
    return [d for d in dirs if d.is_dir()]


@dataclass(frozen=True)
class Templates:
    """A strict Jinja environment for one course in one locale, and its UI translations."""

    env: jinja2.Environment
    translations: gettext.NullTranslations

    def render(self, name: str, **context: Any) -> str:
        """Render the template ``name`` (first found on the search path)."""
        return self.env.get_template(name).render(**context)

    def gettext(self, message: str) -> str:
        """A UI string in the locale (for strings built in Python, such as callout labels)."""
        return self.translations.gettext(message)


def templates(project_root: Path, course: Course) -> Templates:
    """The templates for ``course`` in ``course.locale``.

    Templates override the built-in ones file by file; ``{% extends "!builtin/web/page.html.j2" %}``
    reaches the built-in version from an override.
    """
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader([str(d) for d in template_dirs(project_root, course)]),
            jinja2.PrefixLoader({"!builtin": jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))}, delimiter="/"),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plain"] = lambda text: plain_text(text) if text else ""
    translations = ui_translations(project_root, course.locale or course.language)
    # Translators write the ui catalog: their strings are escaped like any other text (uitext.py).
    uitext.install(env, translations)
    return Templates(env, translations)
