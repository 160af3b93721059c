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
    "am": "nplurals=2; plural=(n > 1);",
    "bn": "nplurals=2; plural=(n != 1);",
    "ckb": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "fa": "nplurals=2; plural=(n > 1);",
    "ha": "nplurals=2; plural=(n != 1);",
    "he": "nplurals=2; plural=(n != 1);",
    "hi": "nplurals=2; plural=(n != 1);",
    "id": "nplurals=1; plural=0;",
    "it": "nplurals=2; plural=(n != 1);",
    "ja": "nplurals=1; plural=0;",
    "ko": "nplurals=1; plural=0;",
    "my": "nplurals=1; plural=0;",
    "ne": "nplurals=2; plural=(n != 1);",
    "nl": "nplurals=2; plural=(n != 1);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ps": "nplurals=2; plural=(n != 1);",
    "pt_BR": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "so": "nplurals=2; plural=(n != 1);",
    "sw": "nplurals=2; plural=(n != 1);",
    "th": "nplurals=1; plural=0;",
    "ti": "nplurals=2; plural=(n > 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ur": "nplurals=2; plural=(n != 1);",
    "vi": "nplurals=1; plural=0;",
    "zh": "nplurals=1; plural=0;",
}
"""Plural-Forms headers, from the gettext/CLDR order (never Babel's Arabic order).

Every catalog of a locale must carry exactly this header: ``i18n update`` writes it
and catalog checks compare it, so a CLDR-style 3-form header from another tool
cannot silently shift plural translations.
"""

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


def catalog_name(locale: str) -> str:
    """The folder name of a locale under ``locales/`` and its ``Language`` header ('pt-BR' -> 'pt_BR')."""
    return locale.replace("-", "_")


def plural_forms(locale: str) -> str | None:
    """The project's Plural-Forms header for ``locale`` (regional entry first), or None when unknown."""
    name = catalog_name(locale)
    return PLURAL_FORMS.get(name) or PLURAL_FORMS.get(language(name))


LATIN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHOICE_LETTERS = {"ar": "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"}
"""Letters that mark choices where the Latin ones would be foreign: Arabic lists letter in abjad order."""


def choice_letters(locale: str) -> str:
    """The letters that mark a question's choices in ``locale``, in order: A B C…, or أ ب ج… in Arabic."""
    return CHOICE_LETTERS.get(locale.replace("-", "_").split("_")[0], LATIN_LETTERS)
