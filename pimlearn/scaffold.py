"""``pimlearn new``: starter files that pass ``pimlearn check`` as written."""

from __future__ import annotations

from pathlib import Path

from .load.schema import SLUG

MODULE_TEMPLATE = """\
---
title: {title}
summary: One sentence that says what learners get from this module.
duration: 60
objectives:
  - Explain the first key idea in your own words.
  - Apply it to a short case.
session:
  - minutes: 10
    activity: Welcome and objectives
    method: plenary
    materials: [slides]
  - minutes: 40
    activity: Main exercise
    method: group work
    materials: [handout, flipchart]
  - minutes: 10
    activity: Quiz and wrap-up
    method: plenary
    materials: [slides]
---

Opening paragraphs before the first `##` heading form the module's first page.

## First section

Each `##` heading starts a page of the e-learning, a slide of the deck and a
part of the facilitator guide.

::: notes
Notes for the facilitator: they appear in the speaker notes and the guide,
never in the learner's e-learning.
:::

```question
id: first-check
type: true-false
prompt: Each `##` heading starts a new section.
answer: true
explanation: Sections are the pages of the module.
```
"""

COURSE_TEMPLATE = """\
title: {title}
version: 0.1.0
language: en
locales: [en]
modules: [{modules}]
description: A short description for the LMS catalogue.
publisher: Your organisation
mastery_score: 80
"""


def _check_id(kind: str, value: str) -> None:
    if not SLUG.match(value):
        raise ValueError(f"{kind} id '{value}' is not a slug: use lowercase letters, digits and single hyphens")


def create_module(root: Path, module_id: str) -> Path:
    """Create ``modules/<id>/module.md`` (and its images/ folder); refuse to overwrite."""
    _check_id("module", module_id)
    folder = root / "modules" / module_id
    target = folder / "module.md"
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    (folder / "images").mkdir(parents=True, exist_ok=True)
    target.write_text(MODULE_TEMPLATE.format(title=module_id.replace("-", " ").capitalize()), encoding="utf-8")
    return target


def create_course(root: Path, course_id: str) -> Path:
    """Create ``courses/<id>/course.yml`` listing the project's modules; refuse to overwrite."""
    _check_id("course", course_id)
    target = root / "courses" / course_id / "course.yml"
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    modules = sorted(p.parent.name for p in (root / "modules").glob("*/module.md"))
    if not modules:
        raise ValueError("a course lists modules: create one first with 'pimlearn new module ID'")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        COURSE_TEMPLATE.format(title=course_id.replace("-", " ").capitalize(), modules=", ".join(modules)),
        encoding="utf-8",
    )
    return target
