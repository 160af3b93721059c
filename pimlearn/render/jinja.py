"""Templates: Jinja on an ordered search path, strict, with the locale's UI translations."""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from ..i18n.catalogs import ui_translations
from ..i18n.locales import html_lang
from ..model import Course, plain_text
from . import uitext
from .uifallback import MarkFallback, mark_html, marks_fallbacks, plain

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
    lang: str = "en"
    """The page language: untranslated UI strings are marked as English in it."""

    def render(self, name: str, **context: Any) -> str:
        """Render the template ``name`` (first found on the search path); English fallbacks marked."""
        text = self.env.get_template(name).render(**context)
        if name.endswith((".css.j2", ".css", ".js.j2", ".json.j2")):
            return plain(text)
        return mark_html(text, self.lang)

    def gettext(self, message: str) -> str:
        """A UI string in the locale (strings built in Python); a fallback is marked for ``render``/``plain``."""
        return self.translations.gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        """A UI string with a context (one English word, two uses), marked like ``gettext``."""
        return self.translations.pgettext(context, message)

    def plain_gettext(self, message: str) -> str:
        """A UI string in the locale without fallback marks (text that cannot hold markup)."""
        return plain(self.translations.gettext(message))

    def plain_ngettext(self, singular: str, plural: str, n: int) -> str:
        """A plural UI string in the locale without fallback marks."""
        return plain(self.translations.ngettext(singular, plural, n))


class SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory for every environment ``templates()`` makes in this process.

    Each course, locale and format gets its own environment (its own UI translations), but they are
    configured alike, so a template compiles once per process, not once per locale and format. Jinja
    checks each entry against its file's current source, so an edited template compiles again.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` with the code compiled earlier, if any."""
        data = self.code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code Jinja just compiled."""
        self.code[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = SharedBytecode()


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
        bytecode_cache=_BYTECODE,
    )
    env.filters["plain"] = lambda text: plain_text(text) if text else ""
    locale = course.locale or course.language
    translations = ui_translations(project_root, locale)
    if marks_fallbacks(locale):
        translations.add_fallback(MarkFallback())
    # Translators write the ui catalog: their strings are escaped like any other text (uitext.py);
    # the fallback marks (private-use characters) pass the escaping and become lang spans in render().
    uitext.install(env, translations)
    return Templates(env, translations, html_lang(locale))
