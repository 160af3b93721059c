"""Translation maps the model to the model: every ``Text`` looked up in the locale's catalogs.

Text without a usable translation keeps its source and is marked with the
source language, so every output can mark the fallback for screen readers.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Course, Text, map_texts


def localize(course: Course, locale: str) -> Course:
    """The course as built in ``locale``: in the source language, or falling back to it."""
    source = course.language

    def fallback(text: Text) -> Text:
        return text if locale == source else replace(text, lang=source)

    modules = tuple(replace(map_texts(m, fallback), lang=locale) for m in course.modules)
    return replace(
        course,
        locale=locale,
        title=fallback(course.title),
        description=fallback(course.description) if course.description else None,
        modules=modules,
    )
