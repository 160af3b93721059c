"""``courses/<id>/course.yml`` into a ``Course`` (modules are resolved by the project loader)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Reporter
from ..i18n.locales import locale_problem
from ..model import COMPLETIONS, PACKAGINGS, PAPERS, REPORTS_12, Course, Loc, ScormOptions, ScormVersion, Text
from .control import report_control_characters
from .markdown import make_text
from .schema import SEMVER, SLUG, MapReader
from .source import read_source
from .tailor import Tailoring, read_tailoring
from .yamlloc import Origin, parse_yaml

TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d\Z")
SCORM_VERSIONS: tuple[ScormVersion, ...] = ("1.2", "2004")


@dataclass(frozen=True)
class CourseFile:
    """A loaded course.yml before its modules are attached."""

    course: Course
    module_refs: tuple[tuple[str, Loc], ...]
    """The ``modules:`` entries with the place each is written."""
    tailoring: Tailoring = field(default_factory=Tailoring)
    """The course's ``values:`` and ``tailor:``, applied once its modules are loaded."""


def load_course(directory: Path, root: Path, reporter: Reporter) -> CourseFile | None:
    """Load ``<directory>/course.yml``; problems go to ``reporter``."""
    file = directory / "course.yml"
    rel_path = file.relative_to(root).as_posix()
    course_id = directory.name
    source = read_source(file, rel_path, reporter)
    if source is None:
        return None
    if report_control_characters(source, rel_path, reporter):
        return None
    node = parse_yaml(source, Origin(rel_path, 1), reporter)
    if node is None:
        return None

    def text(value: str, loc: Loc) -> Text:
        return make_text(value, loc)

    r = MapReader(node, "course.yml", reporter, text)
    if not r.ok:
        return None
    if not SLUG.match(course_id):
        reporter.error(
            Loc(rel_path), f"course folder name '{course_id}' is not a slug (lowercase, digits, hyphens)", "invalid-id"
        )
    declared = r.string("id")
    if declared and declared != course_id:
        r.fail(
            r.value_loc("id"), f"course id '{declared}' does not match its folder 'courses/{course_id}'", "id-mismatch"
        )
    title = r.text("title", required=True)
    version = r.string("version", required=True)
    if version and not SEMVER.match(version):
        r.fail(
            r.value_loc("version"), f"'version' must be a semantic version like 1.0.0, got '{version}'", "invalid-value"
        )
    language = _locale(r, "language", r.string("language", default="en"), r.value_loc("language"))
    locales = tuple(_locale(r, "locales", value, loc) for value, loc in r.strings("locales")) or (language,)
    _no_duplicates(r, "locales", [(v, r.value_loc("locales")) for v in locales])
    refs = r.strings("modules", required=True)
    if r.items.get("modules") is not None and not refs and r.ok:
        r.fail(r.value_loc("modules"), "'modules' must list at least one module", "empty-list")
    for value, loc in refs:
        if not SLUG.match(value):
            r.fail(
                loc, f"module id '{value}' is not a slug (lowercase letters, digits and single hyphens)", "invalid-id"
            )
    _no_duplicates(r, "modules", refs)
    description = r.text("description")
    publisher = r.string("publisher")
    report_bugs_to = r.string("report_bugs_to")
    if report_bugs_to and not re.match(r"^(https?://\S+|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$", report_bugs_to):
        r.fail(
            r.value_loc("report_bugs_to"),
            f"'report_bugs_to' must be an e-mail address or an http(s) address, got '{report_bugs_to}'",
            "invalid-value",
        )
    mastery = r.integer("mastery_score", default=80, minimum=0, maximum=100)
    scorm = _scorm(r)
    allow_html = r.flag("allow_html", False)
    paper = r.enum("paper", PAPERS, default="a4")
    handout_slides = r.integer("handout_slides", default=3, minimum=3, maximum=6)
    if handout_slides not in (None, 3, 6):
        r.fail(
            r.value_loc("handout_slides"),
            f"'handout_slides' must be 3 or 6, got {handout_slides}",
            "invalid-value",
        )
    start_time = r.string("start_time", default="09:00")
    if not TIME.match(start_time):
        r.fail(
            r.value_loc("start_time"),
            f"'start_time' must be a 24-hour time like 09:00, got '{start_time}'",
            "invalid-value",
        )
    min_translated = r.integer("min_translated", default=0, minimum=0, maximum=100)
    attempts = r.attempts()
    completion = r.enum("completion", COMPLETIONS, default="pages-and-questions")
    tailoring = read_tailoring(r)
    r.done()
    if not r.ok or title is None:
        return None
    course = Course(
        id=course_id,
        title=title,
        version=version,
        language=language,
        locales=locales,
        modules=(),
        loc=Loc(rel_path, 1, 1),
        description=description,
        publisher=publisher,
        report_bugs_to=report_bugs_to,
        mastery_score=mastery if mastery is not None else 80,
        scorm=scorm,
        allow_html=allow_html,
        paper=paper or "a4",
        handout_slides=handout_slides if handout_slides in (3, 6) else 3,
        start_time=start_time,
        min_translated=min_translated or 0,
        attempts=attempts,
        completion=completion or "pages-and-questions",
        directory=directory.relative_to(root).as_posix(),
    )
    return CourseFile(course, tuple(refs), tailoring)


def _locale(r: MapReader, key: str, value: str, loc: Loc) -> str:
    problem = locale_problem(value)
    if problem:
        r.fail(loc, f"'{key}': {problem}", "invalid-locale")
    return value


def _no_duplicates(r: MapReader, key: str, values: list[tuple[str, Loc]]) -> None:
    seen: set[str] = set()
    for value, loc in values:
        if value in seen:
            r.fail(loc, f"'{value}' is listed twice in '{key}'", "duplicate-entry")
        seen.add(value)


def _scorm(r: MapReader) -> ScormOptions:
    sr = r.mapping("scorm")
    if sr is None:
        return ScormOptions()
    versions: list[ScormVersion] = []
    for value, loc in sr.strings("versions"):
        for version in SCORM_VERSIONS:
            if value == version:
                versions.append(version)
                break
        else:
            sr.fail(loc, f"SCORM version must be '1.2' or '2004' (4th Edition), got '{value}'", "invalid-value")
    if sr.items.get("versions") is not None and not versions and sr.ok:
        sr.fail(sr.value_loc("versions"), "'versions' must list '1.2', '2004' or both", "empty-list")
    packaging = sr.enum("packaging", PACKAGINGS, default="multi-sco")
    report = sr.enum("report_12", REPORTS_12, default="completed-incomplete")
    sr.done()
    r.ok = r.ok and sr.ok
    return ScormOptions(
        tuple(dict.fromkeys(versions)) or ("1.2", "2004"), packaging or "multi-sco", report or "completed-incomplete"
    )
