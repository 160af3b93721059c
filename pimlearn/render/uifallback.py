"""UI strings shown in English because the locale has no translation for them, marked ``lang``/``dir``.

The ``ui`` translations of a page end with ``MarkFallback``: a message no catalog
translates comes back between two private-use characters. Rendering then turns
each marked run in text content into ``<span lang="en" dir="ltr">`` (screen
readers switch voice; bidi isolates it on right-to-left pages) and drops the
marks where markup cannot go (attribute values, ``<script>``, ``<style>``,
``<title>``, CSS, PowerPoint text). Translated strings are never marked.
"""

from __future__ import annotations

import gettext
import re

from markupsafe import Markup

from ..i18n.locales import language
from .html import lang_attrs

START = "\ue000"
END = "\ue001"
UI_SOURCE = "en"
"""The language pimlearn's templates are written in."""

_RAW = re.compile(r"<(script|style|title|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)


class MarkFallback(gettext.NullTranslations):
    """The end of a ``ui`` translation chain: untranslated messages come back marked."""

    def gettext(self, message: str) -> str:
        """The message, marked as a fallback."""
        return f"{START}{message}{END}"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """The English singular or plural, marked as a fallback."""
        return f"{START}{msgid1 if n == 1 else msgid2}{END}"

    def pgettext(self, context: str, message: str) -> str:
        """The message, marked as a fallback."""
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        """The English singular or plural, marked as a fallback."""
        return self.ngettext(msgid1, msgid2, n)


def marks_fallbacks(locale: str) -> bool:
    """True when untranslated UI strings are in another language than the page (not an English page)."""
    return language(locale) != UI_SOURCE


def is_fallback(value: str) -> bool:
    """True when the string (or part of it) is an untranslated UI string."""
    return START in value


def plain(value: str) -> str:
    """The string without fallback marks (for attributes, scripts, PowerPoint)."""
    return value.replace(START, "").replace(END, "")


_ESCAPED = re.compile(r"\\u[eE]00[01]")
"""The marks as JSON writes them (``tojson`` escapes non-ASCII) inside ``<script>``."""


def mark_html(html: str, page_lang: str) -> str:
    """Marked runs in text content become ``lang`` spans; marks elsewhere are dropped."""
    if START not in html:
        return html
    opening = f"<span{lang_attrs(UI_SOURCE, page_lang)}>"
    out: list[str] = []
    position = 0
    for match in _RAW.finditer(html):
        out.append(html[position : match.start()].replace(START, opening).replace(END, "</span>"))
        out.append(_ESCAPED.sub("", plain(match.group(0))))
        position = match.end()
    out.append(html[position:].replace(START, opening).replace(END, "</span>"))
    return Markup("".join(out)) if isinstance(html, Markup) else "".join(out)
