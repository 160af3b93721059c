"""The workshop timetable: a running clock through the course's modules and their session plans.

The clock starts at the course's ``start_time`` and runs through the modules
in order. A module lasts as long as its session plan adds up to, else its
``duration``; a module with neither takes no time (the guide warns about it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Course, Module, SessionStep, Str, Text

MINUTES_PER_DAY = 24 * 60


def parse_clock(value: str) -> int:
    """Minutes after midnight of a 24-hour ``HH:MM`` time (validated by the loader)."""
    hours, minutes = value.strip().split(":")
    return int(hours) * 60 + int(minutes)


def clock(minutes: int) -> str:
    """``HH:MM`` for a number of minutes after midnight (wrapping past midnight)."""
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def module_minutes(module: Module) -> int:
    """How long the module takes in the workshop: its session plan's total, else its ``duration``."""
    if module.session:
        return module.session_minutes
    return module.duration or 0


@dataclass(frozen=True, slots=True)
class StepSlot:
    """A session plan step at its place on the clock."""

    step: SessionStep
    start: int

    @property
    def end(self) -> int:
        """Minutes after midnight when the step ends."""
        return self.start + self.step.minutes


@dataclass(frozen=True, slots=True)
class ModuleSlot:
    """A module at its place on the clock, with its steps."""

    number: int
    module: Module
    start: int
    minutes: int
    steps: tuple[StepSlot, ...]

    @property
    def end(self) -> int:
        """Minutes after midnight when the module ends."""
        return self.start + self.minutes

    @property
    def breaks(self) -> tuple[StepSlot, ...]:
        """The steps that are breaks."""
        return tuple(s for s in self.steps if s.step.is_break)

    @property
    def break_minutes(self) -> int:
        """Minutes of breaks in the module's plan."""
        return sum(s.step.minutes for s in self.breaks)


def course_schedule(course: Course) -> tuple[ModuleSlot, ...]:
    """Every module of the course on the running clock, from ``course.start_time``."""
    now = parse_clock(course.start_time)
    slots = []
    for number, module in enumerate(course.modules, start=1):
        start = now
        steps = []
        for step in module.session:
            steps.append(StepSlot(step, now))
            now += step.minutes
        minutes = module_minutes(module)
        now = start + minutes
        slots.append(ModuleSlot(number, module, start, minutes, tuple(steps)))
    return tuple(slots)


def materials(module: Module) -> tuple[Text, ...]:
    """The module's materials: every material of its session plan once, in first-seen order."""
    seen: dict[str, Text] = {}
    for step in module.session:
        for item in step.materials:
            key = " ".join(item.source.split()).casefold()
            seen.setdefault(key, item)
    return tuple(seen.values())


QUANTITY = re.compile(r"(\d{1,4})\s*(?:[x×]\s*)?(?=\S)")
"""A material's quantity, written first: ``20 sticky notes``, ``3 x flip chart``, ``2× markers``."""


@dataclass(frozen=True)
class CourseMaterial:
    """One material of the whole workshop: what it is, how many, and which modules need it."""

    text: Text
    """The material without its quantity (as first written)."""
    quantity: int | None
    """The largest quantity any step asks for (the same things serve every module); None when none is given."""
    modules: tuple[int, ...]
    """The numbers of the modules that need it."""


def split_quantity(item: Text) -> tuple[int | None, Text]:
    """A material's leading quantity, and the material without it (``20 sticky notes`` → 20, ``sticky notes``)."""
    first = item.inlines[0] if item.inlines else None
    match = QUANTITY.match(item.source)
    if match is None or not isinstance(first, Str) or not first.text.startswith(match.group(0)):
        return None, item
    rest = first.text[match.end() :]
    inlines = ((Str(rest),) if rest else ()) + item.inlines[1:]
    return int(match.group(1)), replace(item, source=item.source[match.end() :], inlines=inlines)


def course_materials(course: Course) -> tuple[CourseMaterial, ...]:
    """Every module's materials once, in first-seen order, with quantities and the modules that use them.

    Materials are the same when their words are (case and spacing aside), with any quantity set apart.
    """
    found: dict[str, tuple[Text, int | None, list[int]]] = {}
    for number, module in enumerate(course.modules, start=1):
        for step in module.session:
            for item in step.materials:
                quantity, text = split_quantity(item)
                key = " ".join(text.source.split()).casefold()
                known, most, modules = found.setdefault(key, (text, None, []))
                if quantity is not None and (most is None or quantity > most):
                    most = quantity
                if number not in modules:
                    modules.append(number)
                found[key] = (known, most, modules)
    return tuple(CourseMaterial(text, most, tuple(modules)) for text, most, modules in found.values())
