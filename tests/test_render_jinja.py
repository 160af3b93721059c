"""Templates: one compilation per process shared by every course, locale and format; edits still seen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.load import load_project
from pimlearn.render.jinja import templates
from tests.conftest import Files


def test_a_template_compiles_once_for_every_locale_and_again_when_edited(
    make_project: Callable[[Files], Path], minimal_files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = "templates/hello.html.j2"
    root = make_project({**minimal_files, page: "<p>{{ _('Next') }} {{ who }}</p>\n"})
    course = load_project(root, Reporter()).courses[0]
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kw: Any) -> Any:
        compiled.append(name)
        return real(self, source, name, *args, **kw)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    english = templates(root, replace(course, locale="en")).render("hello.html.j2", who="<b>")
    french = templates(root, replace(course, locale="fr")).render("hello.html.j2", who="<b>")
    assert english == "<p>Next &lt;b&gt;</p>\n"
    assert french == "<p>Suivant &lt;b&gt;</p>\n"  # pimlearn's French UI: each environment its own translations
    assert compiled == ["hello.html.j2"]
    (root / page).write_text("<p>{{ who }}!</p>\n", encoding="utf-8")
    assert templates(root, replace(course, locale="fr")).render("hello.html.j2", who="x") == "<p>x!</p>\n"
    assert compiled == ["hello.html.j2", "hello.html.j2"]
