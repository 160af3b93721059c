"""Where catalogs live: domains, template and catalog paths, the built-in ``ui`` catalogs.

```
locales/templates/<domain>.pot            extracted source strings
locales/<lang>/LC_MESSAGES/<domain>.po    one catalog per locale and domain
```

Domains: ``ui`` (template strings), ``course-<id>`` (course.yml), ``module-<id>``.
pimlearn ships the ``ui`` domain for its built-in templates in ``pimlearn/locales/``;
a project's own ``locales/<lang>/LC_MESSAGES/ui.po`` overrides it entry by entry.
"""

from __future__ import annotations

from pathlib import Path

from .locales import catalog_name, is_locale_code

UI = "ui"
LOCALES = "locales"
BUILTIN_LOCALES = Path(__file__).resolve().parent.parent / "locales"
"""pimlearn's own catalogs of the ``ui`` domain (package data)."""
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
"""The ``pimlearn`` package folder; built-in references are written relative to its parent."""


def module_domain(module_id: str) -> str:
    """The gettext domain of a module."""
    return f"module-{module_id}"


def course_domain(course_id: str) -> str:
    """The gettext domain of a course's own strings (title, description)."""
    return f"course-{course_id}"


def pot_path(base: Path, domain: str) -> Path:
    """``<base>/templates/<domain>.pot``."""
    return base / "templates" / f"{domain}.pot"


def po_path(base: Path, locale: str, domain: str) -> Path:
    """``<base>/<lang>/LC_MESSAGES/<domain>.po``."""
    return base / catalog_name(locale) / "LC_MESSAGES" / f"{domain}.po"


def catalog_locales(base: Path) -> list[str]:
    """The locales that have a catalog folder under ``base`` (sorted; folders not named by a locale code are not)."""
    return [name for name in _catalog_folders(base) if is_locale_code(name)]


def misnamed_catalog_folders(base: Path) -> list[str]:
    """Catalog folders under ``base`` whose name is not a locale code (``check`` reports them)."""
    return [name for name in _catalog_folders(base) if not is_locale_code(name)]


def _catalog_folders(base: Path) -> list[str]:
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.name != "templates" and (p / "LC_MESSAGES").is_dir())


def is_source_checkout(root: Path) -> bool:
    """True when ``root`` is pimlearn's own repository: its ``i18n update`` also maintains the built-in catalogs."""
    return (root.resolve() / "pimlearn").resolve() == PACKAGE_ROOT


def shown_path(path: Path, root: Path) -> str:
    """A path as diagnostics show it: project-relative, else relative to pimlearn's installation."""
    resolved = path.resolve() if path.exists() else path.absolute()
    for base in (root.resolve(), PACKAGE_ROOT.parent):
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return resolved.as_posix()
