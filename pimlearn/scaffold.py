"""``pimlearn new``: starter files that pass ``pimlearn check`` as written."""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import did_you_mean
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


def create_module(root: Path, module_id: str, course_id: str | None = None) -> Path:
    """Create ``modules/<id>/module.md`` (and its images/ folder); refuse to overwrite.

    With ``course_id`` the module is also appended to that course's ``modules:`` list; the course file
    is checked first, so nothing is created when it cannot be updated.
    """
    _check_id("module", module_id)
    folder = root / "modules" / module_id
    target = folder / "module.md"
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    course_file, course_text = None, ""
    if course_id is not None:
        course_file = _course_file(root, course_id)
        course_text = add_module_to_course(course_file.read_text(encoding="utf-8"), module_id, course_file)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    target.write_text(MODULE_TEMPLATE.format(title=module_id.replace("-", " ").capitalize()), encoding="utf-8")
    if course_file is not None:
        course_file.write_text(course_text, encoding="utf-8")
    return target


def _course_file(root: Path, course_id: str) -> Path:
    course_file = root / "courses" / course_id / "course.yml"
    if not course_file.is_file():
        available = sorted(p.parent.name for p in (root / "courses").glob("*/course.yml"))
        hint = did_you_mean(course_id, available) or f" (courses: {', '.join(available) or 'none'})"
        raise ValueError(f"no course '{course_id}'{hint}")
    return course_file


_FLOW_MODULES = re.compile(r"^(?P<head>modules:\s*\[)(?P<items>[^\]#]*)\](?P<tail>.*)$", re.MULTILINE)
_BLOCK_KEY = re.compile(r"modules:[ \t]*(#.*)?\Z")


def add_module_to_course(text: str, module_id: str, path: Path) -> str:
    """course.yml text with ``module_id`` appended to its ``modules:`` list, everything else as written."""
    flow = _FLOW_MODULES.search(text)
    if flow:
        items = [item.strip() for item in flow.group("items").split(",") if item.strip()]
        if module_id in items:
            raise ValueError(f"{path} already lists '{module_id}' in 'modules'")
        inner = flow.group("items").rstrip()
        joined = f"{inner}, {module_id}" if inner.strip() else module_id
        return text[: flow.start()] + f"{flow.group('head')}{joined}]{flow.group('tail')}" + text[flow.end() :]
    lines = text.splitlines(keepends=True)
    for start, line in enumerate(lines):
        if not _BLOCK_KEY.match(line.rstrip("\r\n")):
            continue
        entries = []
        for index in range(start + 1, len(lines)):
            stripped = lines[index].strip()
            if stripped.startswith("-"):
                entries.append(index)
            elif stripped and not stripped.startswith("#"):
                break
        if not entries:
            break
        listed = [lines[i].strip()[1:].split("#", 1)[0].strip() for i in entries]
        if module_id in listed:
            raise ValueError(f"{path} already lists '{module_id}' in 'modules'")
        last = lines[entries[-1]]
        indent = last[: len(last) - len(last.lstrip())]
        if not last.endswith("\n"):
            lines[entries[-1]] = last + "\n"
        lines.insert(entries[-1] + 1, f"{indent}- {module_id}\n")
        return "".join(lines)
    raise ValueError(f"cannot find the 'modules:' list in {path}: add '{module_id}' to it by hand")


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
