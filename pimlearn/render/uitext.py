"""Translated UI strings in templates: escaped for HTML, plain for JSON and CSS, never a crash.

The ``ui`` catalog is written by translators, so its strings are untrusted: a
msgstr is HTML-escaped (only tags that its msgid itself has survive) before
variables are put in, and a msgstr that cannot be formatted (a lone ``%``, an
unknown ``%(name)s``; ``pimlearn check`` reports both) falls back to the source.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape

TAG = re.compile(r"<[^<>]*>")


class UiText(Markup):
    """A translated UI string as HTML; ``text`` is the same string as plain text (for JSON and CSS)."""

    text: str


def ui_html(msgid: str, translated: str) -> Markup:
    """``translated`` escaped, keeping only the tags its ``msgid`` has (templates may mark up their own text)."""
    out = str(escape(translated))
    for tag in set(TAG.findall(msgid)):
        out = out.replace(str(escape(tag)), tag)
    return Markup(out)


def format_ui(msgid: str, translated: str, fallback: str, variables: Mapping[str, Any]) -> UiText:
    """The translation with ``variables`` put in (escaped); the source when the translation does not format."""
    for source in (translated, fallback):
        try:
            html = ui_html(msgid, source) % dict(variables)
            text = source % dict(variables)
        except (KeyError, ValueError, TypeError, IndexError):
            continue
        result = UiText(html)
        result.text = str(text)
        return result
    raise ValueError(f"the UI string {fallback!r} does not format with {sorted(variables)}")


def plain(value: Any) -> Any:
    """``value`` with every ``UiText`` (also inside lists and dicts) replaced by its plain text."""
    if isinstance(value, UiText):
        # Markup operations (``+``, ``|upper``) keep the class but not ``text``: undo the escaping then.
        text = getattr(value, "text", None)
        return text if text is not None else value.unescape()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def to_json(value: Any, indent: int | None = None) -> Markup:
    """Jinja's ``tojson`` for data holding UI strings: JSON carries their text, escaped for ``<script>``."""
    return htmlsafe_json_dumps(plain(value), sort_keys=True, indent=indent)


def install(env: jinja2.Environment, translations: gettext.NullTranslations) -> None:
    """Give ``env`` (which has ``jinja2.ext.i18n``) escaping ``_``, ``gettext``, ``ngettext`` and ``pgettext``."""

    # Positional-only: a template may pass its own ``num=`` (points shown as 1.5 while the plural uses 2).
    def _gettext(message: str, /, **variables: Any) -> UiText:
        return format_ui(message, translations.gettext(message), message, variables)

    def _ngettext(singular: str, plural: str, num: int, /, **variables: Any) -> UiText:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        return format_ui(singular + plural, translations.ngettext(singular, plural, num), source, variables)

    def _pgettext(context: str, message: str, /, **variables: Any) -> UiText:
        return format_ui(message, translations.pgettext(context, message), message, variables)

    def _npgettext(context: str, singular: str, plural: str, num: int, /, **variables: Any) -> UiText:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        translated = translations.npgettext(context, singular, plural, num)
        return format_ui(singular + plural, translated, source, variables)

    functions: dict[str, Callable[..., UiText]] = {
        "gettext": _gettext,
        "ngettext": _ngettext,
        "pgettext": _pgettext,
        "npgettext": _npgettext,
    }
    # New-style: {% trans %} blocks call these functions with keywords; nothing formats twice.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(functions)
    env.filters["tojson"] = to_json
