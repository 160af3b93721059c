"""``pimlearn check`` for translations: every catalog parses and is consistent, every translation fits its source."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, Reporter
from ..load.markdown import make_text
from ..model import Course, Loc, Project
from .catalogs import load_catalog
from .extract import course_template, module_template, read_pot, same_messages
from .layout import LOCALES, catalog_locales, misnamed_catalog_folders, pot_path, shown_path
from .locales import locale_problem
from .stats import translated_locales
from .translate import Translations


def check_catalogs(root: Path, project: Project, reporter: Reporter) -> None:
    """Check every catalog of the project and every translation its courses use; report problems to ``reporter``."""
    if not (root / LOCALES).is_dir():
        return
    translations = Translations(root)
    for course in project.courses:
        for locale in translated_locales(course):
            translations.course(course, locale, warn_incomplete=False)
    unlisted = unlisted_modules(project)
    if unlisted is not None:
        # Modules no loaded course holds (unlisted, or their course.yml has errors): their catalogs
        # are checked too, so one broken course.yml does not hide every translation error behind it.
        for locale in catalog_locales(root / LOCALES):
            if locale != unlisted.language:
                translations.course(unlisted, locale, warn_incomplete=False)
    seen = set(translations.diagnostics)
    reporter.extend(translations.diagnostics)
    base = root / LOCALES
    for name in misnamed_catalog_folders(base):
        reporter.error(
            Loc(f"{LOCALES}/{name}"),
            f"catalog folder {locale_problem(name)}; rename the folder (its catalogs are not used)",
            "invalid-locale",
        )
    for locale in catalog_locales(base):
        for path in sorted((base / locale / "LC_MESSAGES").glob("*.po")):
            for diagnostic in load_catalog(path, root, path.stem, locale).diagnostics:
                if diagnostic not in seen:
                    seen.add(diagnostic)
                    reporter.extend([diagnostic])
    reporter.extend(outdated_templates(root, project))


def unlisted_modules(project: Project) -> Course | None:
    """A stand-in course (source language English) holding the modules no loaded course lists."""
    listed = {m.id for course in project.courses for m in course.modules}
    modules = tuple(m for m in project.modules if m.id not in listed)
    if not modules:
        return None
    loc = Loc(modules[0].loc.path)
    return Course(
        id="", title=make_text("", loc), version="0.0.0", language="en", locales=("en",), modules=modules, loc=loc
    )


def outdated_templates(root: Path, project: Project) -> list[Diagnostic]:
    """Templates that no longer match the sources: translators would work on old text."""
    templates = [course_template(c) for c in project.courses] + [module_template(m) for m in project.modules]
    found = []
    for template in templates:
        path = pot_path(root / LOCALES, template.domain)
        existing = read_pot(path)
        if existing is None and path.exists():
            found.append(
                Diagnostic(
                    Loc(shown_path(path, root)),
                    "warning",
                    f"the template of '{template.domain}' cannot be read: run `pimlearn i18n update` to "
                    "write it again from the sources",
                    "catalog-outdated",
                )
            )
        elif existing is not None and not same_messages(existing, template):
            found.append(
                Diagnostic(
                    Loc(shown_path(path, root)),
                    "warning",
                    f"the template of '{template.domain}' is out of date with its source: run "
                    "`pimlearn i18n update` so translators see the current text",
                    "catalog-outdated",
                )
            )
    return found
