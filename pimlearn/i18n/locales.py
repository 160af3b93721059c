"""Facts about locales the project needs: script direction, plural forms, names."""

from __future__ import annotations

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})

PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "ar": ("nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"),
    "xx": "nplurals=2; plural=(n != 1);",
}
"""Plural-Forms headers, from the gettext/CLDR order (never Babel's Arabic order)."""

NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "pt": "Português",
    "ru": "Русский",
    "uk": "Українська",
    "fa": "فارسی",
    "ur": "اردو",
    "sw": "Kiswahili",
    "xx": "Pseudo-locale (xx)",
}
"""Each language's name in itself, for language switchers."""


def language(locale: str) -> str:
    """The language part of a locale code ('pt_BR' -> 'pt')."""
    return locale.replace("-", "_").split("_", 1)[0].lower()


def is_rtl(locale: str) -> bool:
    """True for locales written right to left (ar, fa, he, ur...)."""
    return language(locale) in RTL_LANGUAGES


def direction(locale: str) -> str:
    """'rtl' or 'ltr'."""
    return "rtl" if is_rtl(locale) else "ltr"


def html_lang(locale: str) -> str:
    """The BCP 47 form of a locale for ``lang`` attributes ('pt_BR' -> 'pt-BR')."""
    return locale.replace("_", "-")


def display_name(locale: str) -> str:
    """The locale's name in its own language (falls back to the code)."""
    return NAMES.get(locale) or NAMES.get(language(locale)) or locale
