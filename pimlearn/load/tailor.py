"""Tailoring: a course adapts the modules it reuses without forking them.

``read_tailoring`` reads course.yml's ``values:`` and ``tailor:``; ``tailor_course`` applies them to
the loaded modules and returns new frozen values (the modules on disk and in ``Project.modules``
stay as written). Every problem is an error at the place in course.yml that names it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import Reporter, did_you_mean
from ..i18n.layout import course_domain
from ..model import (
    Block,
    Callout,
    Course,
    Loc,
    Module,
    Notes,
    Only,
    Question,
    Quote,
    Section,
    SessionStep,
    iter_texts,
    walk_blocks,
)
from .module import load_sections, read_session
from .schema import MapReader
from .values import malformed, read_values, used_names

SECTIONS = "sections"
"""The folder of a course that holds the sections it adds to modules."""


@dataclass(frozen=True)
class Added:
    """A section file a course adds to a module, and where."""

    file: str
    loc: Loc
    anchor: str = ""
    """The section it goes before or after ('' : at the end)."""
    before: bool = False
    anchor_loc: Loc | None = None


@dataclass(frozen=True)
class ModuleTailoring:
    """What a course changes in one module."""

    module_id: str
    loc: Loc
    leave_out: tuple[tuple[str, Loc], ...] = ()
    add: tuple[Added, ...] = ()
    session: tuple[SessionStep, ...] | None = None
    duration: int | None = None
    mastery_score: int | None = None


@dataclass(frozen=True)
class Tailoring:
    """A course's ``values:`` and ``tailor:``."""

    values: tuple[tuple[str, str, Loc], ...] = ()
    modules: tuple[ModuleTailoring, ...] = ()


def read_tailoring(r: MapReader) -> Tailoring:
    """course.yml's ``values:`` and ``tailor:`` (a mapping of module id to its changes)."""
    values = read_values(r)
    sub = r.mapping("tailor")
    if sub is None:
        return Tailoring(values)
    modules: list[ModuleTailoring] = []
    for module_id in list(sub.items):
        mr = sub.mapping(module_id)
        if mr is None:
            continue
        modules.append(_module_tailoring(module_id, sub.key_loc(module_id), mr))
        sub.ok = sub.ok and mr.ok
    r.ok = r.ok and sub.ok
    return Tailoring(values, tuple(modules))


def _module_tailoring(module_id: str, loc: Loc, mr: MapReader) -> ModuleTailoring:
    leave_out = tuple(mr.strings("leave_out"))
    added: list[Added] = []
    for index, entry in enumerate(mr.sequence("add")):
        ar = MapReader(entry, f"'add' entry {index + 1}", mr.reporter, mr.make_text)
        file = ar.string("file", required=True)
        after, before = ar.string("after"), ar.string("before")
        if after and before:
            ar.fail(entry.loc, "an added section goes 'before' or 'after' a section, not both", "tailor-place")
        anchor_key = "before" if before else "after"
        ar.done()
        mr.ok = mr.ok and ar.ok
        if file:
            added.append(Added(file, ar.value_loc("file"), before or after, bool(before), ar.value_loc(anchor_key)))
    session = read_session(mr) if mr.has("session") else None
    duration = mr.integer("duration", minimum=1, unit="minutes")
    mastery = mr.integer("mastery_score", minimum=0, maximum=100)
    mr.done()
    return ModuleTailoring(module_id, loc, leave_out, tuple(added), session, duration, mastery)


def tailor_course(
    course: Course,
    tailoring: Tailoring,
    modules: tuple[Module, ...],
    root: Path,
    reporter: Reporter,
    listed: Sequence[str] = (),
) -> Course:
    """The course with its tailoring applied to its modules; unknown ids and missing values are errors.

    ``listed``: every module id course.yml lists (a module that failed to load is not unknown to it).
    """
    by_id = {t.module_id: t for t in tailoring.modules}
    listed = list(listed) or [m.id for m in modules]
    for t in tailoring.modules:
        if t.module_id not in listed:
            reporter.error(
                t.loc,
                f"'tailor' names module '{t.module_id}', which the course does not list"
                f"{did_you_mean(t.module_id, listed)}",
                "tailor-unknown",
            )
    course_values = {name: value for name, value, _ in tailoring.values}
    out: list[Module] = []
    for module in modules:
        change = by_id.get(module.id)
        tailored = _tailor_module(course, module, change, root, reporter) if change is not None else module
        merged = {**dict(module.values), **course_values}
        out.append(replace(tailored, values=tuple(sorted(merged.items()))))
    result = replace(course, modules=tuple(out), values=tuple(sorted(course_values.items())))
    _check_values(result, tailoring, reporter)
    return result


def _tailor_module(course: Course, module: Module, t: ModuleTailoring, root: Path, reporter: Reporter) -> Module:
    domain = course_domain(course.id)
    slugs = [s.slug for s in module.sections]
    question_ids = [q.id for q in module.questions]
    dropped_sections: set[str] = set()
    dropped_questions: set[str] = set()
    for value, loc in t.leave_out:
        if value in slugs:
            dropped_sections.add(value)
        elif value in question_ids:
            dropped_questions.add(value)
        else:
            reporter.error(
                loc,
                f"module '{module.id}' has no section or question '{value}'"
                f"{did_you_mean(value, slugs + question_ids)} (sections: {', '.join(slugs) or 'none'})",
                "tailor-unknown",
            )
    sections = [
        replace(s, blocks=_without_questions(s.blocks, dropped_questions))
        for s in module.sections
        if s.slug not in dropped_sections
    ]
    for added in t.add:
        new = _added_sections(course, module, added, root, reporter)
        if new is None:
            continue
        new = [replace(s, domain=domain) for s in new]
        taken = {s.slug for s in sections}
        clash = [s for s in new if s.slug in taken]
        for s in clash:
            reporter.error(
                s.loc,
                f"module '{module.id}' already has a section '{s.slug}': give this one another heading",
                "tailor-clash",
            )
        if clash:
            continue
        sections = _place(sections, new, added, module, dropped_sections, reporter)
    _check_added_questions(module, sections, reporter)
    session = module.session
    if t.session is not None:
        session = tuple(replace(step, domain=domain) for step in t.session)
    return replace(
        module,
        intro=_without_questions(module.intro, dropped_questions),
        sections=tuple(sections),
        session=session,
        duration=t.duration if t.duration is not None else module.duration,
        mastery_score=t.mastery_score if t.mastery_score is not None else module.mastery_score,
    )


def _check_added_questions(module: Module, sections: list[Section], reporter: Reporter) -> None:
    """A question a course adds needs an id of its own in the module (answers and scores are kept by id)."""
    seen = {q.id for q in module.questions}
    for section in sections:
        if not section.domain:
            continue
        for block in walk_blocks(section.blocks):
            if isinstance(block, Question):
                if block.id in seen:
                    reporter.error(
                        block.loc,
                        f"module '{module.id}' already has a question '{block.id}': give this one another id",
                        "duplicate-id",
                    )
                seen.add(block.id)


def _added_sections(
    course: Course, module: Module, added: Added, root: Path, reporter: Reporter
) -> list[Section] | None:
    rel = posixpath.normpath(added.file)
    if not rel.startswith(f"{SECTIONS}/") or not rel.endswith(".md") or added.file.startswith("/"):
        reporter.error(
            added.loc,
            f"an added section is a Markdown file in the course's '{SECTIONS}/' folder "
            f"(e.g. {SECTIONS}/local-referral.md), got '{added.file}'",
            "tailor-file",
        )
        return None
    path = root / course.directory / rel
    if not path.is_file():
        reporter.error(added.loc, f"section file not found: {course.directory}/{rel}", "tailor-file")
        return None
    return load_sections(path, f"{course.directory}/{rel}", root / module.directory, reporter)


def _place(
    sections: list[Section],
    new: list[Section],
    added: Added,
    module: Module,
    dropped: set[str],
    reporter: Reporter,
) -> list[Section]:
    if not added.anchor:
        return sections + new
    slugs = [s.slug for s in sections]
    if added.anchor not in slugs:
        why = "is left out" if added.anchor in dropped else "does not exist"
        reporter.error(
            added.anchor_loc or added.loc,
            f"section '{added.anchor}' of module '{module.id}' {why}{did_you_mean(added.anchor, slugs)}",
            "tailor-unknown",
        )
        return sections
    at = slugs.index(added.anchor) + (0 if added.before else 1)
    return sections[:at] + new + sections[at:]


def _without_questions(blocks: tuple[Block, ...], ids: set[str]) -> tuple[Block, ...]:
    """The blocks without the questions ``ids`` (wherever they are nested)."""
    if not ids:
        return blocks
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Question):
            if block.id not in ids:
                out.append(block)
        elif isinstance(block, (Notes, Only, Callout, Quote)):
            out.append(replace(block, blocks=_without_questions(block.blocks, ids)))
        else:
            out.append(block)
    return tuple(out)


def _check_values(course: Course, tailoring: Tailoring, reporter: Reporter) -> None:
    """Every placeholder has a value; every course value is used by some module."""
    used: set[str] = set()
    reported: set[tuple[str, str]] = set()
    targets: list[tuple[object, dict[str, str]]] = [(replace(course, modules=()), dict(course.values))]
    targets += [(m, dict(m.values)) for m in course.modules]
    for node, values in targets:
        for name, text in used_names(node):
            used.add(name)
            if name not in values and (name, str(text.loc)) not in reported:
                reported.add((name, str(text.loc)))
                reporter.error(
                    text.loc,
                    f"placeholder {{{{ {name} }}}} has no value in course '{course.id}': give it a default in the "
                    f"module's front matter (values: {{{name}: ...}}) or a value in {course.loc.path} 'values:'"
                    f"{did_you_mean(name, values)}",
                    "value-missing",
                )
    for node, _ in targets:
        for text in iter_texts(node):
            for written in malformed(text):
                reporter.warning(
                    text.loc,
                    f"'{written}' is not a value placeholder and shows as written: a placeholder is "
                    "{{ name }} with a lowercase name of letters, digits and '_'",
                    "value-syntax",
                )
    for name, _, loc in tailoring.values:
        if name not in used:
            reporter.warning(
                loc, f"value '{name}' is used by no module of the course: remove it or check its name", "value-unused"
            )
