"""``pimlearn i18n extract`` and ``update``: templates from the sources, catalogs merged without losing work.

Every file is prepared in a temporary folder first; nothing is written unless
every catalog passes the guards (research: i18n-workflow.md §3.2):

1. a template (POT) is rewritten only when its messages changed (no date churn);
2. a new catalog is created from its template with the project's headers
   (Language, Plural-Forms from pimlearn's table, UTF-8), then normalised by msgmerge;
3. an existing catalog is merged with ``msgmerge --previous --no-wrap``: changed
   strings keep their old translation marked fuzzy with ``#|`` previous text,
   removed strings become obsolete ``#~`` entries (never purged here);
4. guards: no translation lost, no more than 30 % of translations made obsolete
   at once (unless forced), ``msgfmt --check`` passes;
5. files are replaced atomically, unchanged files are not touched: a second
   run changes nothing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import polib

from ..diagnostics import Diagnostic, Reporter
from ..model import Loc, Project
from ..package.transaction import STAGING
from ..package.writer import write_files
from . import tools
from .catalogs import catalog_file, readable_catalog, usable
from .extract import (
    Template,
    course_template,
    course_version,
    merge_templates,
    module_template,
    po_date,
    pot_file,
    read_pot,
    same_messages,
)
from .layout import BUILTIN_LOCALES, LOCALES, UI, catalog_locales, is_source_checkout, po_path, pot_path, shown_path
from .locales import catalog_name, display_name, is_locale_code, locale_problem, plural_forms
from .stats import translated_locales
from .tools import msgfmt_check
from .ui import builtin_template, project_template

MAX_OBSOLETE = 0.30
"""Refuse an update that would make more than this share of a catalog's translations obsolete."""

Action = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Change:
    """What an update does to one file."""

    path: Path
    shown: str
    action: Action
    text: str | None = None
    """The new content (None when unchanged)."""
    summary: str = ""


@dataclass
class UpdatePlan:
    """Every file an update would write, and every reason it refuses to."""

    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when a guard refused: nothing may be written."""
        return any(d.severity == "error" for d in self.diagnostics)

    root: Path | None = None
    """The project folder (its ``locales/`` holds the staging folder of ``apply``)."""

    def apply(self) -> list[Change]:
        """Write every changed file in one transaction (all or none); the changes written."""
        if self.failed:
            raise RuntimeError("refusing to write an update that failed its guards")
        texts = {change.path: change.text for change in self.changes if change.text is not None}
        if not self.changes:
            return []
        root = self.root or Path(os.path.commonpath([c.path for c in self.changes]))
        # Unchanged catalogs' folders too: a killed earlier run may have left temporary files there.
        folders = {change.path.parent for change in self.changes}
        written = set(write_files(texts, root / LOCALES / STAGING, folders))
        return [change for change in self.changes if change.path in written]


@dataclass(frozen=True)
class Domain:
    """A template and the catalogs it feeds."""

    template: Template
    pot: Path
    base: Path
    """The ``locales`` folder its catalogs live in."""
    locales: tuple[str, ...]
    prefill: Path | None = None
    """A folder whose catalogs pre-fill newly created ones (pimlearn's own ``ui`` translations)."""


def project_domains(root: Path, project: Project, locales: Iterable[str], reporter: Reporter) -> list[Domain]:
    """Every domain of the project with the locales its catalogs are kept for."""
    wanted = tuple(dict.fromkeys(locales))
    for code in wanted:
        if problem := locale_problem(code):
            # A code like '../../x' would put catalogs outside the project.
            reporter.error(Loc(LOCALES), problem, "invalid-locale")
    wanted = tuple(code for code in wanted if is_locale_code(code))
    base = root / LOCALES
    per_module: dict[str, list[str]] = {}
    union: list[str] = []
    domains: list[Domain] = []
    for course in project.courses:
        course_locales = [loc for loc in (wanted or translated_locales(course)) if loc != course.language]
        union.extend(course_locales)
        for module in course.modules:
            per_module.setdefault(module.id, []).extend(course_locales)
        template = course_template(course)
        domains.append(Domain(template, pot_path(base, template.domain), base, tuple(dict.fromkeys(course_locales))))
    owner = {m.id: c for c in reversed(project.courses) for m in c.modules}
    for module in project.modules:
        template = module_template(module)
        if module.id in owner:  # a module shared by courses names the first that lists it
            course = owner[module.id]
            template = replace(template, project=course_version(course), bugs=course.report_bugs_to)
        module_locales = per_module.get(module.id) or list(wanted)
        domains.append(Domain(template, pot_path(base, template.domain), base, tuple(dict.fromkeys(module_locales))))
    union_locales = tuple(dict.fromkeys(union or wanted))

    builtin = builtin_template()
    own = project_template(root, reporter)
    shipped = set(catalog_locales(BUILTIN_LOCALES))
    checkout = is_source_checkout(root)
    if checkout:
        keep = union_locales if wanted else tuple(dict.fromkeys((*union_locales, *sorted(shipped))))
        domains.append(Domain(builtin, pot_path(BUILTIN_LOCALES, UI), BUILTIN_LOCALES, keep))
    needs = [loc for loc in union_locales if own.messages or (not checkout and catalog_name(loc) not in shipped)]
    existing = [loc for loc in catalog_locales(base) if (po_path(base, loc, UI)).is_file()]
    if needs or existing or pot_path(base, UI).is_file():
        merged = merge_templates(UI, "the user interface", [builtin, own])
        if project.courses:
            first = project.courses[0]
            merged = replace(merged, project=course_version(first), bugs=first.report_bugs_to)
        ui_locales = tuple(dict.fromkeys((*needs, *(e for e in existing if not wanted or e in wanted))))
        domains.append(Domain(merged, pot_path(base, UI), base, ui_locales, BUILTIN_LOCALES))
    return domains


def plan_update(
    root: Path,
    project: Project,
    locales: Iterable[str] = (),
    force: bool = False,
    epoch: int | None = None,
    catalogs: bool = True,
) -> UpdatePlan:
    """Prepare the templates (and, with ``catalogs``, every catalog) without writing anything."""
    reporter = Reporter()
    plan = UpdatePlan(root=root)
    domains = project_domains(root, project, locales, reporter)
    plan.diagnostics.extend(reporter.diagnostics)
    with tempfile.TemporaryDirectory(prefix="pimlearn-i18n-") as tmp:
        work = Path(tmp)
        for number, domain in enumerate(domains):
            pot_text = _template_change(plan, domain, root, epoch)
            if not catalogs:
                continue
            pot_file_path = work / f"{number}-{domain.template.domain}.pot"
            pot_file_path.write_text(pot_text, encoding="utf-8")
            for locale in domain.locales:
                _catalog_change(plan, domain, locale, pot_file_path, root, work, force, epoch)
    if catalogs:
        plan.diagnostics.extend(orphans(root, domains))
    return plan


def _template_change(plan: UpdatePlan, domain: Domain, root: Path, epoch: int | None) -> str:
    """Record the POT's change; return the POT text the catalogs merge with."""
    shown = shown_path(domain.pot, root)
    existing = read_pot(domain.pot)
    if existing is not None and same_messages(existing, domain.template):
        plan.changes.append(Change(domain.pot, shown, "unchanged"))
        return domain.pot.read_text(encoding="utf-8")
    text = _po_text(pot_file(domain.template, epoch))
    count = len(domain.template.messages)
    action: Action = "updated" if existing is not None else "created"
    plan.changes.append(Change(domain.pot, shown, action, text, f"{count} message{'s' if count != 1 else ''}"))
    return text


def _po_text(po: polib.POFile) -> str:
    return str(po) + "\n"


def new_catalog(pot_text: str, locale: str, epoch: int | None, prefill: Path | None) -> str:
    """A new catalog of a template for ``locale``, with the project's headers."""
    po = polib.pofile(pot_text, wrapwidth=0)
    name = catalog_name(locale)
    po.header = f"{display_name(locale)} ({name}) translation of {po.metadata.get('Project-Id-Version', '')}."
    meta = {
        "Project-Id-Version": po.metadata.get("Project-Id-Version", ""),
        "Report-Msgid-Bugs-To": po.metadata.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": po.metadata.get("POT-Creation-Date", ""),
        "PO-Revision-Date": po_date(epoch),
        "Last-Translator": "",
        "Language-Team": "",  # the team's name and address: Poedit and Weblate fill it in
        "Language": name,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    forms = plural_forms(locale)
    if forms:
        meta["Plural-Forms"] = forms
    po.metadata = meta
    source = catalog_file(prefill, locale, UI) if prefill is not None else None
    if source is not None:
        shipped = polib.pofile(str(source), wrapwidth=0)
        translated = {(e.msgctxt, e.msgid): e for e in shipped if usable(e)}
        for entry in po:
            found = translated.get((entry.msgctxt, entry.msgid))
            if found is not None:
                entry.msgstr = found.msgstr
                entry.msgstr_plural = dict(found.msgstr_plural)
    return _po_text(po)


def _catalog_change(
    plan: UpdatePlan,
    domain: Domain,
    locale: str,
    pot: Path,
    root: Path,
    work: Path,
    force: bool,
    epoch: int | None,
) -> None:
    target = po_path(domain.base, locale, domain.template.domain)
    shown = shown_path(target, root)
    stem = f"{catalog_name(locale)}-{pot.stem}"
    merged = work / f"{stem}.merged.po"
    if target.exists():
        broken = readable_catalog(target, shown) or [d for d in msgfmt_check(target, shown) if d.severity == "error"]
        if broken:
            # A catalog msgmerge cannot read would be replaced by a fresh one: every translation lost.
            hint = "; fix the catalog (or restore it from version control), then run the update again"
            plan.diagnostics.extend(
                d if "restore it" in d.message else replace(d, message=d.message + hint) for d in broken
            )
            plan.changes.append(Change(target, shown, "unchanged"))
            return
        old_text = target.read_text(encoding="utf-8").removeprefix("\ufeff")
        tools.msgmerge(target, pot, merged)
    else:
        old_text = None
        created = work / f"{stem}.new.po"
        fresh = new_catalog(pot.read_text(encoding="utf-8"), locale, epoch, domain.prefill)
        created.write_text(fresh, encoding="utf-8")
        if not plural_forms(locale):
            plan.diagnostics.append(
                Diagnostic(
                    Loc(shown, 1),
                    "warning",
                    f"pimlearn does not know the plural rule of '{locale}': set Plural-Forms in the new catalog",
                    "catalog-plural-forms",
                )
            )
        # msgmerge writes the canonical layout, so the next update finds nothing to change.
        tools.msgmerge(created, pot, merged)
    new_text = merged.read_text(encoding="utf-8")
    summary = ""
    problems: list[Diagnostic] = []
    if old_text is not None:
        old = polib.pofile(old_text, wrapwidth=0)
        new_text = keep_dropped(old, new_text)
        merged.write_text(new_text, encoding="utf-8")
        new = polib.pofile(new_text, wrapwidth=0)
        problems += [d for d in msgfmt_check(merged, shown) if d.severity == "error"]
        problems += guard_lost(old, new, shown)
        problems += guard_obsolete(old, new, shown, force)
        summary = describe(old, new)
    else:
        problems += [d for d in msgfmt_check(merged, shown) if d.severity == "error"]
        new = polib.pofile(new_text, wrapwidth=0)
        summary = f"{len([e for e in new if not e.obsolete])} entries, {len(new.translated_entries())} translated"
    plan.diagnostics.extend(problems)
    if old_text == new_text:
        plan.changes.append(Change(target, shown, "unchanged"))
    else:
        plan.changes.append(Change(target, shown, "updated" if old_text is not None else "created", new_text, summary))


def _translation(entry: polib.POEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _has_translation(entry: polib.POEntry) -> bool:
    return any(value.strip() for value in _translation(entry))


def _keys(entry: polib.POEntry) -> set[tuple[str | None, str]]:
    keys: set[tuple[str | None, str]] = {(entry.msgctxt, entry.msgid)}
    if entry.previous_msgid:
        keys.add((entry.previous_msgctxt, entry.previous_msgid))
        keys.add((entry.msgctxt, entry.previous_msgid))
    elif entry.previous_msgctxt:
        keys.add((entry.previous_msgctxt, entry.msgid))
    return keys


KEPT = "earlier translation, kept by pimlearn: "
"""Translator-comment prefix of a translation msgmerge dropped (a plural form of a string that lost its plural)."""


def _kept_strings(po: polib.POFile) -> set[str]:
    """Every translation the catalog holds: msgstrs, plural forms, and those kept in translator comments."""
    held: set[str] = set()
    for entry in po:
        held.update(value for value in _translation(entry) if value.strip())
        for line in (entry.tcomment or "").splitlines():
            quoted = line.removeprefix(KEPT).strip()
            if line.startswith(KEPT) and len(quoted) >= 2:
                held.add(polib.unescape(quoted[1:-1]))
    return held


def lost_translations(old: polib.POFile, new: polib.POFile) -> list[polib.POEntry]:
    """Old entries with a translation that the new catalog holds nowhere (active, fuzzy or obsolete).

    A translation may legitimately move: msgmerge carries a fuzzy entry to a reworded
    string without ``#|`` previous text when the entry had none (an editor that
    dropped ``#~|`` lines), so translations are compared as text, not by msgid.
    """
    held = _kept_strings(new)
    return [e for e in old if any(v.strip() and v not in held for v in _translation(e))]


def keep_dropped(old: polib.POFile, merged_text: str) -> str:
    """Keep in translator comments the plural forms msgmerge drops when a string loses its plural."""
    new = polib.pofile(merged_text, wrapwidth=0)
    held = _kept_strings(new)
    by_key: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in new:
        if not entry.obsolete:
            for key in _keys(entry):
                by_key.setdefault(key, entry)
    inserts: dict[int, list[str]] = {}
    for entry in old:
        dropped = [v for v in _translation(entry) if v.strip() and v not in held]
        target = by_key.get((entry.msgctxt, entry.msgid)) if dropped else None
        if target is None:
            continue
        lines = [f'# {KEPT}"{polib.escape(value)}"' for value in dropped]
        inserts.setdefault(int(target.linenum or 1), []).extend(lines)
        held.update(dropped)
    if not inserts:
        return merged_text
    text = merged_text.split("\n")
    for linenum in sorted(inserts, reverse=True):
        start = linenum - 1
        while start > 0 and text[start - 1].strip():
            start -= 1  # the entry's first line: comments go before everything else
        text[start:start] = inserts[linenum]
    return "\n".join(text)


def guard_lost(old: polib.POFile, new: polib.POFile, shown: str) -> list[Diagnostic]:
    """Guard 1: refuse when any translation would disappear, and say how to get out."""
    lost = lost_translations(old, new)
    if not lost:
        return []
    sample = "; ".join(f"'{e.msgid[:50]}'" for e in lost[:3])
    return [
        Diagnostic(
            Loc(shown, int(lost[0].linenum or 1)),
            "error",
            f"refusing to update: {len(lost)} translation{'s' if len(lost) != 1 else ''} would be lost ({sample}); "
            "the catalog was left untouched. An author's edit never causes this (it is a bug: please report it with "
            "the catalog and its template); to go on, merge by hand with `msgmerge --previous --no-wrap -U "
            f"{shown} <its .pot>`, check with `git diff` what it dropped and restore it, then run the update again",
            "update-lost",
        )
    ]


def obsoleted(old: polib.POFile, new: polib.POFile) -> tuple[list[polib.POEntry], int]:
    """Translated active entries of ``old`` that ``new`` only keeps as obsolete, and how many there were."""
    active = [e for e in new if not e.obsolete]
    reused = {key for e in active if e.previous_msgid for key in _keys(e)}
    active_new = {(e.msgctxt, e.msgid) for e in active}
    shown = {value for e in active for value in _translation(e) if value.strip()}
    translated = [e for e in old if not e.obsolete and _has_translation(e)]
    gone = [
        e
        for e in translated
        if (e.msgctxt, e.msgid) not in active_new
        and (e.msgctxt, e.msgid) not in reused
        and not any(value in shown for value in _translation(e) if value.strip())
    ]
    return gone, len(translated)


def guard_obsolete(old: polib.POFile, new: polib.POFile, shown: str, force: bool) -> list[Diagnostic]:
    """Guard 2: refuse when more than 30 % of the translations would become obsolete at once."""
    gone, total = obsoleted(old, new)
    if force or not total or len(gone) / total <= MAX_OBSOLETE:
        return []
    return [
        Diagnostic(
            Loc(shown, 1),
            "error",
            f"refusing to update: {len(gone)} of {total} translations ({100 * len(gone) // total} %) would become "
            "obsolete at once. A renamed module or question id, or a mistake in the source, looks like this: "
            "rename the catalog with `git mv` (or restore the id) instead. If the removal is intended, run "
            "`pimlearn i18n update --force` (obsolete entries stay in the catalog)",
            "update-obsolete",
        )
    ]


def describe(old: polib.POFile, new: polib.POFile) -> str:
    """'2 new, 1 fuzzy, 1 obsolete': what an update changes in a catalog."""
    old_active = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    added = sum(1 for e in new if not e.obsolete and (e.msgctxt, e.msgid) not in old_active and not e.fuzzy)
    was_fuzzy = {key for key, e in old_active.items() if e.fuzzy}
    fuzzy = sum(1 for e in new if not e.obsolete and e.fuzzy and (e.msgctxt, e.msgid) not in was_fuzzy)
    old_obsolete = {(e.msgctxt, e.msgid) for e in old if e.obsolete}
    obsolete = sum(1 for e in new if e.obsolete and (e.msgctxt, e.msgid) not in old_obsolete)
    revived = sum(1 for e in new if not e.obsolete and (e.msgctxt, e.msgid) in old_obsolete)
    counts = {"new": added, "fuzzy": fuzzy, "obsolete": obsolete, "revived": revived}
    return ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "references or comments"


def orphans(root: Path, domains: list[Domain]) -> list[Diagnostic]:
    """Catalogs whose domain no longer exists: kept untouched (translations are never dropped automatically)."""
    base = root / LOCALES
    known = {d.template.domain for d in domains if d.base == base}
    found = []
    for locale in catalog_locales(base):
        for path in sorted((base / locale / "LC_MESSAGES").glob("*.po")):
            if path.stem not in known:
                found.append(
                    Diagnostic(
                        Loc(shown_path(path, root)),
                        "warning",
                        f"no module or course has the domain '{path.stem}' any more; the catalog is kept as it is. "
                        "If the module was renamed, `git mv` its catalogs to the new name and run the update again",
                        "catalog-orphan",
                    )
                )
    return found
