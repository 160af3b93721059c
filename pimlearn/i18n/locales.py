"""Facts about locales the project needs: script direction, plural forms, names."""

from __future__ import annotations

import re
from collections.abc import Iterable

LOCALE_CODE = re.compile(r"[a-z]{2,3}([_-][A-Z][a-z]{3})?([_-]([A-Z]{2}|[0-9]{3}))?\Z")
"""A locale code: a language (``fr``), optionally a script (``sr_Latn``) and a region (``pt_BR``, ``pt-BR``,
``es_419``). The shape is BCP 47's language-script-region, with gettext's ``_`` accepted, so it is safe as a
folder name; POSIX modifiers (``sr@latin``) are written as a script (``sr_Latn``)."""

LOCALE_EXAMPLES = "language codes like en, fr, pt_BR, pt-BR, es_419 or sr_Latn"

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

PLURAL_VARIANTS = {
    # Weblate's CLDR-based rule: zero takes the singular. Same two forms, same order.
    "pt": ("nplurals=2; plural=n > 1;",),
    "bn": ("nplurals=2; plural=n > 1;",),
    "hi": ("nplurals=2; plural=n > 1;",),
    # Weblate's Hebrew rules (one, two, [many,] other); msgfmt --check makes every entry have that many forms.
    "he": (
        "nplurals=4; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n > 10 && n % 10 == 0) ? 2 : 3));",
        "nplurals=3; plural=(n == 1) ? 0 : ((n == 2) ? 1 : 2);",
    ),
}
"""Other tools' Plural-Forms a catalog may keep, besides rules that mean the same as ``PLURAL_FORMS``.

Only rules whose forms come in the same order are listed. Babel's Arabic rule
(``n%100>=0 && n%100<=2 ? 4 : 5``) is not: it swaps the last two forms.
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


def is_locale_code(code: str) -> bool:
    """True when ``code`` has the shape of a locale code (and so is safe as a folder name)."""
    return bool(LOCALE_CODE.match(code))


def locale_problem(code: str) -> str:
    """Why ``code`` is not a locale code, with the accepted shape ('' when it is one)."""
    if is_locale_code(code):
        return ""
    hint = ""
    if "@" in code:
        hint = "; write a script as a subtag, not as a POSIX modifier (sr@latin is sr_Latn)"
    elif is_locale_code(canonical := _canonical_case(code)):
        hint = f" (did you mean '{canonical}'?)"
    return f"'{code}' is not a locale code: use {LOCALE_EXAMPLES}{hint}"


def close_locales(code: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'en' or 'es'?)' for locale codes one typo away (short codes defeat difflib's ratio)."""
    wanted = code.replace("-", "_").lower()
    close = [c for c in candidates if _one_typo(wanted, c.replace("-", "_").lower()) or language(c) == language(code)]
    if not close:
        return ""
    quoted = [f"'{c}'" for c in close[:3]]
    return f" (did you mean {' or '.join(quoted)}?)"


def _one_typo(a: str, b: str) -> bool:
    """One letter changed, added, removed, or two neighbours swapped."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
        )
    short, long_ = sorted((a, b), key=len)
    return len(long_) - len(short) == 1 and any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _canonical_case(code: str) -> str:
    """'PT_br' -> 'pt_BR', 'sr-latn' -> 'sr-Latn': BCP 47's customary case for each subtag."""
    parts = re.split(r"([_-])", code)
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper() if len(part) == 2 else part)
    return "".join(out)


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


def accepted_plural_forms(locale: str) -> tuple[str, ...]:
    """The Plural-Forms a catalog of ``locale`` may carry (compared by meaning): pimlearn's, then other tools'."""
    own = plural_forms(locale)
    if own is None:
        return ()
    name = catalog_name(locale)
    return (own, *PLURAL_VARIANTS.get(name, PLURAL_VARIANTS.get(language(name), ())))


LATIN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHOICE_LETTERS = {"ar": "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"}
"""Letters that mark choices where the Latin ones would be foreign: Arabic lists letter in abjad order."""


def choice_letters(locale: str) -> str:
    """The letters that mark a question's choices in ``locale``, in order: A B C…, or أ ب ج… in Arabic."""
    return CHOICE_LETTERS.get(locale.replace("-", "_").split("_")[0], LATIN_LETTERS)
