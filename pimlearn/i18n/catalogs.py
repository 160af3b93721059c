"""Reading catalogs for builds and checks: parsed once, checked, fuzzy entries never used.

A catalog is checked with ``msgfmt --check`` (syntax, duplicates, plural and
format consistency) and against the project's rules (``Language`` equals its
folder, ``Plural-Forms`` equals pimlearn's table, UTF-8). Problems are
diagnostics at the catalog's line; a catalog with errors is not used.
"""

from __future__ import annotations

import gettext
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polib

from ..diagnostics import Diagnostic, Reporter
from ..load.source import decode_source
from ..model import Loc
from .layout import BUILTIN_LOCALES, LOCALES, UI, po_path, shown_path
from .locales import accepted_plural_forms, catalog_name, language, plural_forms
from .msgcheck import control_problem, markup_problem, placeholder_problem
from .plurals import PluralError, parse_plural_forms, same_plural_rule
from .tools import msgfmt_check

Key = tuple[str | None, str]


def usable(entry: polib.POEntry) -> bool:
    """Translated, not fuzzy, not obsolete: the entries a build shows."""
    if entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(v.strip() for v in entry.msgstr_plural.values())
    return bool(entry.msgstr.strip())


@dataclass
class Catalog:
    """One parsed catalog (domain × locale) and where each entry's msgstr is written."""

    domain: str
    locale: str
    path: Path
    shown: str
    po: polib.POFile
    lines: list[str]
    entries: dict[Key, polib.POEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = {(e.msgctxt, e.msgid): e for e in self.po if not e.obsolete}

    def get(self, key: Key) -> polib.POEntry | None:
        """The active entry of (msgctxt, msgid), whatever its state."""
        return self.entries.get(key)

    def translation(self, key: Key) -> polib.POEntry | None:
        """The entry of (msgctxt, msgid) when a build may show it (translated and not fuzzy)."""
        entry = self.entries.get(key)
        return entry if entry is not None and usable(entry) else None

    def loc(self, entry: polib.POEntry) -> Loc:
        """Where the entry's msgstr is written (what a translator must fix)."""
        start = max(0, int(entry.linenum or 1) - 1)
        for index in range(start, min(len(self.lines), start + 400)):
            if self.lines[index].startswith("msgstr"):
                return Loc(self.shown, index + 1, 1)
        return Loc(self.shown, int(entry.linenum or 1), 1)

    def header_loc(self, name: str) -> Loc:
        """Where a header field is written (the header's msgstr line when it is missing)."""
        for index, line in enumerate(self.lines[:60]):
            if line.startswith(f'"{name}:'):
                return Loc(self.shown, index + 1, 1)
        for index, line in enumerate(self.lines[:60]):
            if line.startswith("msgstr"):
                return Loc(self.shown, index + 1, 1)
        return Loc(self.shown, 1, 1)

    def to_translations(self) -> gettext.GNUTranslations:
        """The usable entries as stdlib translations (plural forms and contexts included)."""
        return gettext.GNUTranslations(io.BytesIO(self.po.to_binary()))


@dataclass(frozen=True)
class Loaded:
    """A catalog and the problems found in it (``catalog`` is None when it cannot be used)."""

    catalog: Catalog | None
    diagnostics: tuple[Diagnostic, ...]


def load_catalog(path: Path, root: Path, domain: str, locale: str) -> Loaded:
    """Parse and check one catalog (cached while the file is unchanged)."""
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (0, 0)  # _load reports why it cannot be read
    return _load(str(path.resolve()), str(root.resolve()), domain, locale, *key)


def readable_catalog(path: Path, shown: str) -> list[Diagnostic]:
    """Errors that stop a catalog from being read at all: not a file, unreadable, not UTF-8 (at the bad byte)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        what = "it is a folder, not a file" if path.is_dir() else (exc.strerror or str(exc)).lower()
        return [
            Diagnostic(
                Loc(shown), "error", f"cannot read the catalog: {what}; make it a readable .po file", "file-unreadable"
            )
        ]
    if not data.strip():
        return [
            Diagnostic(
                Loc(shown),
                "error",
                "the catalog is empty: restore it from version control, or delete it and run "
                "`pimlearn i18n update` to create it again",
                "catalog-syntax",
            )
        ]
    reporter = Reporter()
    decode_source(data, shown, reporter)
    return reporter.diagnostics


@lru_cache(maxsize=512)
def _load(path_str: str, root_str: str, domain: str, locale: str, _mtime: int, _size: int) -> Loaded:
    path, root = Path(path_str), Path(root_str)
    shown = shown_path(path, root)
    unreadable = readable_catalog(path, shown)
    if unreadable:
        return Loaded(None, tuple(unreadable))
    found = msgfmt_check(path, shown)
    if any(d.severity == "error" for d in found):
        return Loaded(None, tuple(found))
    try:
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        po = polib.pofile(text, wrapwidth=0)
    except (UnicodeDecodeError, OSError, ValueError) as exc:
        problem = Diagnostic(Loc(shown, 1), "error", f"cannot read catalog: {exc}", "catalog-syntax")
        return Loaded(None, (*found, problem))
    catalog = Catalog(domain, locale, path, shown, po, text.splitlines())
    found.extend(check_header(catalog))
    found.extend(check_control_characters(catalog))
    if domain == UI:
        found.extend(check_ui_entries(catalog))
    usable_catalog = None if any(d.severity == "error" for d in found) else catalog
    return Loaded(usable_catalog, tuple(found))


def check_header(catalog: Catalog) -> list[Diagnostic]:
    """``Language`` equals the catalog's folder, ``Plural-Forms`` equals the project's table, charset UTF-8."""
    found: list[Diagnostic] = []
    meta = catalog.po.metadata
    expected_lang = catalog_name(catalog.locale)
    lang = meta.get("Language", "").strip()
    if lang.replace("-", "_") != expected_lang:
        found.append(
            Diagnostic(
                catalog.header_loc("Language"),
                "error",
                f"the header says Language '{lang}' but the catalog is in the '{expected_lang}' folder: "
                f'set "Language: {expected_lang}\\n"',
                "catalog-header",
            )
        )
    charset = re.search(r"charset=([\w-]+)", meta.get("Content-Type", ""))
    if not charset or charset.group(1).lower().replace("_", "-") != "utf-8":
        found.append(
            Diagnostic(
                catalog.header_loc("Content-Type"),
                "error",
                'catalogs must be UTF-8: set "Content-Type: text/plain; charset=UTF-8\\n"',
                "catalog-header",
            )
        )
    expected = plural_forms(catalog.locale)
    actual = meta.get("Plural-Forms", "").strip()
    if expected and not any(same_plural_rule(actual, known) for known in accepted_plural_forms(catalog.locale)):
        try:
            what = f"is '{actual}', which means something else" if actual else "is missing"
            if actual:
                parse_plural_forms(actual)
        except PluralError as exc:
            what = f"is '{actual}', which is not a valid rule ({exc})"
        found.append(
            Diagnostic(
                catalog.header_loc("Plural-Forms"),
                "error",
                f"Plural-Forms {what}; set it to '{expected}' for '{language(catalog.locale)}' "
                "(a rule that orders the plural forms differently would swap translations)",
                "catalog-plural-forms",
            )
        )
    elif not expected and not actual:
        found.append(
            Diagnostic(
                catalog.header_loc("Plural-Forms"),
                "warning",
                f"no Plural-Forms header, and pimlearn does not know the plural rule of '{catalog.locale}': "
                "add the header from the gettext manual",
                "catalog-plural-forms",
            )
        )
    return found


def check_ui_entries(catalog: Catalog) -> list[Diagnostic]:
    """UI translations: no markup their source lacks, the same placeholders, no lone ``%`` (msgcheck.py)."""
    found = []
    for entry in catalog.po:
        if entry.obsolete or not usable(entry):
            continue
        msgid = entry.msgid + (entry.msgid_plural or "")
        values = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for value in values:
            markup = markup_problem(msgid, value)
            if markup:
                found.append(Diagnostic(catalog.loc(entry), "error", markup, "translation-html"))
                break
            wrong = placeholder_problem(entry.msgid, entry.msgid_plural or "", value, bool(entry.msgid_plural))
            if wrong:
                found.append(Diagnostic(catalog.loc(entry), "error", wrong, "translation-placeholder"))
                break
    return found


def check_control_characters(catalog: Catalog) -> list[Diagnostic]:
    """No msgstr of any catalog holds control characters (XML outputs cannot store them)."""
    found = []
    for entry in catalog.po:
        if entry.obsolete:
            continue
        values = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for value in values:
            problem = control_problem(value)
            if problem:
                found.append(Diagnostic(catalog.loc(entry), "error", problem, "translation-control"))
                break
    return found


def catalog_file(base: Path, locale: str, domain: str) -> Path | None:
    """The catalog of ``domain`` for ``locale`` under ``base``: the regional one, else the language's."""
    for name in dict.fromkeys((catalog_name(locale), language(locale))):
        path = po_path(base, name, domain)
        if path.exists():  # a folder or unreadable file in its place is reported, not skipped
            return path
    return None


@dataclass
class LocaleCatalogs:
    """Every catalog one locale of a build reads, loaded once, with the problems found in them."""

    locale: str
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    builtin_ui: Catalog | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def get(self, domain: str) -> Catalog | None:
        """The project's catalog of a domain (None when missing or unusable)."""
        return self.catalogs.get(domain)


def load_locale(root: Path, locale: str, domains: list[str]) -> LocaleCatalogs:
    """The project's catalogs of ``domains`` for ``locale`` and the built-in ``ui`` catalog."""
    result = LocaleCatalogs(locale)
    for domain in dict.fromkeys([*domains, UI]):
        path = catalog_file(root / LOCALES, locale, domain)
        if path is None:
            continue
        loaded = load_catalog(path, root, domain, locale)
        result.diagnostics.extend(loaded.diagnostics)
        if loaded.catalog is not None:
            result.catalogs[domain] = loaded.catalog
    builtin = catalog_file(BUILTIN_LOCALES, locale, UI)
    if builtin is not None:
        loaded = load_catalog(builtin, root, UI, locale)
        result.diagnostics.extend(loaded.diagnostics)
        result.builtin_ui = loaded.catalog
    return result


def ui_translations(project_root: Path, locale: str) -> gettext.NullTranslations:
    """The ``ui`` domain in ``locale``: the project's catalog, then pimlearn's, then the English source."""
    chain: list[Path] = []
    for base in (project_root / LOCALES, BUILTIN_LOCALES):
        path = catalog_file(base, locale, UI)
        if path is not None:
            chain.append(path)
    translations: gettext.NullTranslations | None = None
    for path in chain:
        loaded = load_catalog(path, project_root, UI, locale)
        if loaded.catalog is None:
            continue  # the build reports its errors before rendering
        found = loaded.catalog.to_translations()
        if translations is None:
            translations = found
        else:
            translations.add_fallback(found)
    return translations or gettext.NullTranslations()
