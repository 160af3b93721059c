"""Reading catalogs for builds: the UI strings of templates (domain ``ui``)."""

from __future__ import annotations

import gettext
from pathlib import Path


def ui_translations(project_root: Path, locale: str) -> gettext.NullTranslations:
    """The ``ui`` domain translations of ``locale`` (English source strings when none exist)."""
    return gettext.NullTranslations()
