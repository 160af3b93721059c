"""The workshop clock (agenda and session plans) and the materials checklist."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.load import load_project
from pimlearn.model import Course, plain_text
from pimlearn.render.schedule import (
    clock,
    course_materials,
    course_schedule,
    materials,
    module_minutes,
    parse_clock,
)
from tests.conftest import Files

COURSE = """\
title: Clock
version: 1.0.0
modules: [planned, timed, untimed, late]
start_time: "{start}"
"""

PLANNED = """\
---
title: Planned
duration: 90
session:
  - {minutes: 30, activity: Talk, method: plenary, materials: [slides, Flip chart]}
  - {minutes: 15, activity: Coffee, method: BREAK}
  - {minutes: 40, activity: Exercise, method: breakout groups, materials: [flip chart, markers, slides]}
---

Text.
"""

TIMED = "---\ntitle: Timed\nduration: 45\n---\n\nText.\n"
UNTIMED = "---\ntitle: Untimed\n---\n\nText.\n"
LATE = (
    "---\ntitle: Late\nsession:\n  - {minutes: 60, activity: Evening session, "
    'materials: [20 sticky notes, 2 x Flip Chart, markers, 12 sticky notes, "**3** *name tags*"]}'
    "\n---\n\nText.\n"
)


@pytest.fixture
def course(make_project: Callable[[Files], Path]) -> Callable[[str], Course]:
    def load(start: str) -> Course:
        root = make_project(
            {
                "courses/clock/course.yml": COURSE.format(start=start),
                "modules/planned/module.md": PLANNED,
                "modules/timed/module.md": TIMED,
                "modules/untimed/module.md": UNTIMED,
                "modules/late/module.md": LATE,
            }
        )
        reporter = Reporter()
        project = load_project(root, reporter, all_modules=False)
        assert not reporter.errors, reporter.errors
        return project.course("clock")

    return load


def test_clock_round_trip() -> None:
    assert parse_clock("09:00") == 540
    assert parse_clock("23:59") == 23 * 60 + 59
    assert clock(540) == "09:00"
    assert clock(24 * 60 + 5) == "00:05"  # a course that runs past midnight wraps


def test_break_steps_come_from_method_break_in_any_case(course: Callable[[str], Course]) -> None:
    planned = course("09:00").modules[0]
    assert [s.is_break for s in planned.session] == [False, True, False]  # "breakout groups" is no break


def test_modules_take_their_session_plan_else_their_duration_else_nothing(course: Callable[[str], Course]) -> None:
    c = course("09:00")
    # The planned module says 90 minutes but its plan adds up to 85: the plan wins (validate warns).
    assert [module_minutes(m) for m in c.modules] == [85, 45, 0, 60]


def test_the_clock_runs_through_modules_and_steps(course: Callable[[str], Course]) -> None:
    slots = course_schedule(course("08:45"))
    assert [(clock(s.start), clock(s.end)) for s in slots] == [
        ("08:45", "10:10"),
        ("10:10", "10:55"),
        ("10:55", "10:55"),
        ("10:55", "11:55"),
    ]
    planned = slots[0]
    assert [clock(s.start) for s in planned.steps] == ["08:45", "09:15", "09:30"]
    assert [clock(s.end) for s in planned.breaks] == ["09:30"]
    assert planned.break_minutes == 15
    assert [s.number for s in slots] == [1, 2, 3, 4]


def test_materials_are_unique_in_first_seen_order(course: Callable[[str], Course]) -> None:
    planned = course("09:00").modules[0]
    # "Flip chart" and "flip chart" are one item, shown as first written.
    assert [plain_text(m) for m in materials(planned)] == ["slides", "Flip chart", "markers"]


def test_course_materials_once_with_quantities_and_modules(course: Callable[[str], Course]) -> None:
    found = [(plain_text(m.text), m.quantity, m.modules) for m in course_materials(course("09:00"))]
    assert found == [
        ("slides", None, (1,)),
        ("Flip chart", 2, (1, 4)),  # "2 x Flip Chart" in module 4 is the same thing, counted
        ("markers", None, (1, 4)),
        ("sticky notes", 20, (4,)),  # the largest quantity any step asks for
        ("3 name tags", None, (4,)),  # a quantity only when written as plain leading digits
    ]
