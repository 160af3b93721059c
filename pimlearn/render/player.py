"""What the learner player needs to know about the content it runs, prepared at build time.

A *unit* is what one instance of the player runs: a SCORM SCO (one module, or the whole
course in a single-SCO package) or one module of the web version. The player reads the
unit's data from a ``<script type="application/json">`` in the page: the pages, the
questions with their answer keys and weights, the pass mark. Facilitator notes never
reach it: only question data and page numbers do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..i18n.locales import html_lang
from ..model import Course, Module, Question, plain_text
from .pages import Page, module_pages
from .suspend import fill_in_max_length, fingerprint, option_count, worst_case_size

DESCRIPTION_MAX = 250
"""SCORM 2004 ``cmi.interactions.n.description`` holds at least 250 characters."""


@dataclass(frozen=True)
class UnitPage:
    """A page of a unit: ``number`` counts from 1 across the unit (the ``data-page`` hook)."""

    number: int
    module: Module
    page: Page


@dataclass(frozen=True)
class UnitQuestion:
    """A question of a unit, with the page it is on and the checks it allows (``None``: unlimited)."""

    question: Question
    module: Module
    page: int
    attempts: int | None = None


@dataclass(frozen=True)
class Unit:
    """The content one player instance runs."""

    key: str
    """Where the state is kept in localStorage: ``<course>/<locale>/<unit id>``."""
    modules: tuple[Module, ...]
    pages: tuple[UnitPage, ...]
    result_page: int | None
    """The number of the result page (SCORM: the last page), ``None`` when there is none (web)."""
    pass_mark: int | None
    """Percent needed to pass; ``None`` when nothing is scored (no graded question with points)."""
    limits: tuple[int | None, ...] = ()
    """Each question's limit of attempts in this course, in document order (``None``: unlimited)."""

    @property
    def questions(self) -> tuple[UnitQuestion, ...]:
        """Every question of the unit, in document order."""
        found = [(q, p) for p in self.pages for q in p.page.questions]
        return tuple(
            UnitQuestion(q, p.module, p.number, self.limits[i] if i < len(self.limits) else None)
            for i, (q, p) in enumerate(found)
        )

    @property
    def page_count(self) -> int:
        """Pages including the result page."""
        return len(self.pages) + (1 if self.result_page else 0)

    @property
    def fingerprint(self) -> str:
        """Identifies the unit's shape in the saved state (see ``pimlearn.render.suspend``)."""
        return fingerprint(self.page_count, [q.question for q in self.questions], self.key)

    def worst_case_state(self) -> int:
        """The most characters the player's saved state for this unit can take."""
        questions = self.questions
        return worst_case_size(self.page_count, [q.question for q in questions], [q.attempts for q in questions])


def is_scored(questions: tuple[Question, ...]) -> bool:
    """True when some graded question carries points: the module has a score and a pass mark."""
    return sum(q.points for q in questions if q.graded) > 0


def sco_unit(course: Course, modules: tuple[Module, ...], key: str) -> Unit:
    """A SCO: the modules' pages in order, then the result page.

    A single-module SCO passes at the module's pass mark; a SCO holding several
    modules (single-SCO packaging) at the course's.
    """
    pages: list[UnitPage] = []
    for module in modules:
        for page in module_pages(module):
            pages.append(UnitPage(len(pages) + 1, module, page))
    questions = tuple(q for m in modules for q in m.questions)
    pass_mark = None
    if is_scored(questions):
        pass_mark = course.pass_mark(modules[0]) if len(modules) == 1 else course.mastery_score
    limits = tuple(course.attempts_for(q) for p in pages for q in p.page.questions)
    return Unit(key, modules, tuple(pages), len(pages) + 1, pass_mark, limits)


def web_unit(course: Course, module: Module) -> Unit:
    """A module of the web version: its pages, one HTML file each, with no result page of their own."""
    pages = tuple(UnitPage(p.number, module, p) for p in module_pages(module))
    pass_mark = course.pass_mark(module) if is_scored(module.questions) else None
    limits = tuple(course.attempts_for(q) for p in pages for q in p.page.questions)
    return Unit(f"{course.id}/{course.locale}/{module.id}", (module,), pages, None, pass_mark, limits)


def unit_data(course: Course, unit: Unit, scorm: str | None) -> dict[str, Any]:
    """The JSON the player reads: ``scorm`` is "1.2", "2004" or ``None`` (no LMS: localStorage only)."""
    questions = [
        question_data(uq.question, uq.page, unit.modules.index(uq.module), uq.attempts) for uq in unit.questions
    ]
    return {
        "v": 1,
        "key": unit.key,
        "course": course.id,
        "scorm": scorm,
        "fp": unit.fingerprint,
        "pages": unit.page_count,
        "resultPage": unit.result_page,
        "passMark": unit.pass_mark,
        "completion": course.completion,
        "report12": course.scorm.report_12,
        "modules": [m.id for m in unit.modules],
        "questions": questions,
    }


def question_data(q: Question, page: int, module_index: int, attempts: int | None = None) -> dict[str, Any]:
    """One question as the player reads it: where it is, how it is scored, how it is reported, and
    the checks it allows (``attempts``, left out when unlimited)."""
    entry: dict[str, Any] = {
        "id": q.id,
        "type": q.type,
        "page": page,
        "m": module_index,
        "graded": q.graded,
        "points": q.points,
        "n": option_count(q),
        "text": plain_text(q.prompt)[:DESCRIPTION_MAX],
    }
    if q.lang:
        entry["lang"] = html_lang(q.lang)
    if attempts is not None:
        entry["attempts"] = attempts
    if q.type in ("single", "multiple"):
        entry["keys"] = [c.id for c in q.choices]
        entry["correct"] = [i for i, c in enumerate(q.choices) if c.correct]
        entry["shuffle"] = q.shuffle
    elif q.type == "true-false":
        entry["answer"] = bool(q.answer)
    elif q.type == "fill-in":
        entry["answers"] = [plain_text(a) for a in q.answers]
        entry["case"] = q.case_sensitive
        entry["max"] = fill_in_max_length(q)
    return entry


def script_json(data: object, element_id: str) -> Markup:
    """``data`` in a ``<script type="application/json">``, escaped so that no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/json" id="{element_id}">{text}</script>')


def player_context(course: Course, unit: Unit, scorm: str | None, js: str) -> dict[str, Any]:
    """What ``player/scripts.html.j2`` needs: the data script, the script URL, counts for plural forms."""
    questions = unit.questions
    most = max((q.attempts or 0 for q in questions), default=0)
    return {
        "data": script_json(unit_data(course, unit, scorm), "pimlearn-data"),
        "js": js,
        "lms_js": js.rsplit("/", 1)[0] + "/lms.js" if "/" in js else "lms.js",
        "graded": sum(1 for q in questions if q.question.graded),
        "content_pages": len(unit.pages),
        "partial": [
            (index, q.question.type, len(q.question.pairs) or len(q.question.items))
            for index, q in enumerate(questions)
            if q.question.type in ("matching", "ordering")
        ],
        "attempts_left": list(range(1, most)),
    }
