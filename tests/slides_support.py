"""A small right-to-left project for the deck tests (Arabic, falling back to English text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_project

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300" width="300" height="300">'
    b'<circle cx="150" cy="150" r="120" fill="#0b5cad"/></svg>'
)

RTL_FILES: dict[str, str | bytes] = {
    "courses/c1/course.yml": "title: Data course\nversion: 1.0.0\nlanguage: en\nlocales: [en, ar]\nmodules: [m1]\n",
    "modules/m1/images/dot.svg": SVG,
    "modules/m1/module.md": """\
---
title: Data and people
duration: 20
session:
  - minutes: 20
    activity: Talk
---

## Facts

Data about **people** needs care, see [the guidance](https://example.org/guide).

![A blue dot](images/dot.svg)

::: notes
Ask the room first.
:::

## Table

| Term | Meaning |
|------|---------|
| PIM | Protection Information Management |

```question
id: yes-no
type: true-false
prompt: Data needs care.
answer: true
```
""",
}


@pytest.fixture(scope="module", name="rtl_build")
def rtl_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project built as slides and PPTX, in English and Arabic."""
    from pimlearn.pipeline import BuildOptions, build

    root = write_project(tmp_path_factory.mktemp("rtl-project"), RTL_FILES)
    out = root / "dist"
    build(root, BuildOptions(formats=("slides", "pptx"), out_dir=out))
    return out
