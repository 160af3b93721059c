"""Completeness: per domain × locale, what a build would show translated.

Counts are taken against the current sources (the messages extraction finds now),
so a catalog that was not updated after the sources changed reports the truth:
what learners would see. Translated = a usable entry (not fuzzy, not empty);
fuzzy counts as not done; obsolete entries are counted but excluded from totals.
Question strings are also reported on their own: a half-translated quiz is
shown in the source language.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Course, Loc
from .catalogs import Catalog, load_locale, usable
from .extract import Message, Template, course_template, merge_templates, module_template
from .layout import LOCALES, UI, module_domain, po_path
from .ui import project_template, shipped_template


@dataclass(frozen=True)
class Counts:
    """Entries and source words by state."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: int = 0
    words_translated: int = 0

    @property
    def total(self) -> int:
        """Entries counted (obsolete ones excluded)."""
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent_entries(self) -> float:
        """Translated entries in percent (100 when there is nothing to translate)."""
        return _percent(self.translated, self.total)

    @property
    def percent_words(self) -> float:
        """Translated source words in percent: a long paragraph weighs more than 'Next'."""
        return _percent(self.words_translated, self.words)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            **asdict(self),
            "total": self.total,
            "percent_entries": self.percent_entries,
            "percent_words": self.percent_words,
        }


def _percent(part: int, whole: int) -> float:
    # Rounded down: 99.96 % must not read as 100 % in a CI gate.
    return 100.0 if whole == 0 else math.floor(1000 * part / whole) / 10


@dataclass(frozen=True)
class DomainStats:
    """The completeness of one domain in one locale."""

    domain: str
    locale: str
    catalog: str
    """Project-relative path of the catalog ('' when it does not exist yet)."""
    all: Counts
    questions: Counts
    obsolete: int = 0

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready row."""
        return {
            "domain": self.domain,
            "locale": self.locale,
            "catalog": self.catalog,
            **self.all.as_dict(),
            "obsolete": self.obsolete,
            "questions": self.questions.as_dict(),
        }


def _state(message: Message, catalogs: Iterable[Catalog | None]) -> str:
    state = "untranslated"
    for catalog in catalogs:
        if catalog is None:
            continue
        entry = catalog.get(message.key)
        if entry is None:
            continue
        if usable(entry):
            return "translated"
        if entry.fuzzy and (entry.msgstr.strip() or any(v.strip() for v in entry.msgstr_plural.values())):
            state = "fuzzy"
    return state


def domain_stats(template: Template, locale: str, catalog: Catalog | None, *fallbacks: Catalog | None) -> DomainStats:
    """Counts of ``template``'s messages in ``catalog`` (entries missing there may come from ``fallbacks``)."""
    totals = {"all": [0, 0, 0, 0, 0], "questions": [0, 0, 0, 0, 0]}
    index = {"translated": 0, "fuzzy": 1, "untranslated": 2}
    for message in template.messages:
        state = _state(message, (catalog, *fallbacks))
        for group in ("all", "questions") if message.question else ("all",):
            totals[group][index[state]] += 1
            totals[group][3] += message.words
            if state == "translated":
                totals[group][4] += message.words
    obsolete = len(catalog.po.obsolete_entries()) if catalog is not None else 0
    shown = next((c.shown for c in (catalog, *fallbacks) if c is not None), "")
    return DomainStats(
        template.domain,
        locale,
        shown,
        Counts(*totals["all"]),
        Counts(*totals["questions"]),
        obsolete,
    )


def ui_template(root: Path, diagnostics: list[Diagnostic] | None = None) -> Template:
    """Every ``ui`` string a project's builds use: pimlearn's and those of the project's own templates."""
    from ..diagnostics import Reporter

    reporter = Reporter()
    merged = merge_templates(UI, "the user interface", [shipped_template(), project_template(root, reporter)])
    if diagnostics is not None:
        diagnostics.extend(reporter.diagnostics)
    return merged


def translated_locales(course: Course, extra: Iterable[str] = ()) -> list[str]:
    """The locales of a course that are translations (its source language excluded)."""
    return [loc for loc in dict.fromkeys((*course.locales, *extra)) if loc != course.language]


def project_stats(
    root: Path,
    courses: Iterable[Course],
    extra_locales: Iterable[str] = (),
    only: Iterable[str] = (),
    problems: list[Diagnostic] | None = None,
) -> list[DomainStats]:
    """Completeness of every domain of ``courses`` in each translated locale (``only``: just these locales).

    A catalog with errors counts as untranslated (a build would not use it); its errors go to ``problems``.
    """
    only_locales = list(only)
    extra = list(extra_locales)
    rows: dict[tuple[str, str], DomainStats] = {}
    ui = ui_template(root)
    courses = list(courses)
    # ``-l LOCALE`` counts the courses that are translated into it; a locale no course lists yet
    # (a team about to start) is counted for every course.
    listed = {loc for course in courses for loc in translated_locales(course, extra)}
    for course in courses:
        templates = [course_template(course), *(module_template(m) for m in course.modules)]
        own = translated_locales(course, extra)
        chosen = [loc for loc in only_locales if loc in own or loc not in listed] if only_locales else own
        for locale in chosen:
            if locale == course.language:
                continue
            found = load_locale(root, locale, [t.domain for t in templates])
            if problems is not None:
                problems.extend(d for d in found.diagnostics if d.severity == "error" and d not in problems)
            for template in templates:
                if (template.domain, locale) not in rows:
                    rows[(template.domain, locale)] = domain_stats(template, locale, found.get(template.domain))
            if (UI, locale) not in rows:
                rows[(UI, locale)] = domain_stats(ui, locale, found.get(UI), found.builtin_ui)
    return sorted(rows.values(), key=_order)


def _order(row: DomainStats) -> tuple[str, int, str]:
    kind = 0 if row.domain == UI else 1 if row.domain.startswith("course-") else 2
    return (row.locale, kind, row.domain)


def status_json(rows: list[DomainStats]) -> str:
    """``translation-status.json``: one row per domain × locale (no timestamp: builds are reproducible)."""
    return json.dumps({"version": 1, "catalogs": [r.as_dict() for r in rows]}, indent=2, ensure_ascii=False) + "\n"


def table(rows: list[DomainStats]) -> str:
    """A plain-text table for terminals and pull requests."""
    head = ("domain", "locale", "translated", "fuzzy", "untranslated", "obsolete", "% entries", "% words", "% quiz")
    body = [
        (
            r.domain,
            r.locale,
            str(r.all.translated),
            str(r.all.fuzzy),
            str(r.all.untranslated),
            str(r.obsolete),
            f"{r.all.percent_entries:.1f}",
            f"{r.all.percent_words:.1f}",
            f"{r.questions.percent_entries:.1f}" if r.questions.total else "-",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in (head, *body)) for i in range(len(head))]
    lines = []
    for row in (head, *body):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [value.rjust(widths[i]) for i, value in enumerate(row) if i >= 2]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def completeness_warnings(
    course: Course, locale: str, rows: list[DomainStats], untranslated_questions: dict[str, tuple[str, ...]]
) -> list[Diagnostic]:
    """One warning per module × locale whose graded questions are not all translated or below ``min_translated``."""
    by_domain = {r.domain: r for r in rows if r.locale == locale}
    found = []
    for module in course.modules:
        reasons = []
        pending = untranslated_questions.get(module.id, ())
        graded = sum(1 for q in module.questions if q.graded)
        if pending:
            reasons.append(
                f"{len(pending)} of {graded} graded question{'s' if graded != 1 else ''} "
                f"shown in the source language ({', '.join(pending)})"
            )
        row = by_domain.get(module_domain(module.id))
        if row is not None and row.all.percent_words < course.min_translated:
            reasons.append(
                f"{row.all.percent_words:.1f} % of its words translated, below the course's "
                f"min_translated of {course.min_translated} %"
            )
        if reasons:
            catalog = row.catalog if row is not None and row.catalog else ""
            where = catalog or po_path(Path(LOCALES), locale, module_domain(module.id)).as_posix()
            hint = "" if catalog else f" (no catalog yet: run `pimlearn i18n update -l {locale}`)"
            found.append(
                Diagnostic(
                    Loc(where),
                    "warning",
                    f"module '{module.id}' is not fully translated into '{locale}': {'; '.join(reasons)}{hint}",
                    "translation-incomplete",
                )
            )
    return found
