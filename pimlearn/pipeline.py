"""The build, in one place: load → validate → translate → render → write.

Each stage lives in its own module; this file only wires them together and
times them. Nothing touches the output folder until every artifact of every
course, locale and format has been rendered without error.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Reporter
from .formats import RenderContext, Rendered, formats
from .formats.scorm import check_course as check_scorm
from .i18n.translate import Translations
from .i18n.validate import check_catalogs
from .load import load_project
from .model import Project
from .package.writer import WriteReport, write_artifacts
from .validate import validate


@dataclass(frozen=True)
class BuildOptions:
    """What to build; empty tuples mean everything."""

    courses: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    out_dir: Path | None = None
    """Output folder (default: ``<project>/dist``)."""
    jobs: int = 1
    """Parallel render processes (0: one per CPU)."""
    strict: bool = False
    """Fail on warnings too."""
    per_module: bool = False
    """SCORM: also write one package per module."""


@dataclass
class Timings:
    """Seconds spent per stage (for ``make bench`` and ``--verbose``)."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a block of work under ``name`` (accumulating)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


@dataclass(frozen=True)
class BuildResult:
    """What a successful build did."""

    out_dir: Path
    outputs: tuple[tuple[str, str, str, int], ...]
    """(course, locale, format, number of files) for every rendered output."""
    report: WriteReport
    warnings: tuple[Diagnostic, ...]
    timings: dict[str, float]


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int, when set (reproducible builds)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def build(root: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Build the project's courses; raises ``ContentError`` with every problem found."""
    timings = Timings()
    reporter = Reporter()
    with timings.stage("load"):
        project = load_project(root, reporter, options.courses, all_modules=False)
    with timings.stage("validate"):
        validate(project, reporter)
    reporter.raise_if_failed(options.strict)
    with timings.stage("translate"):
        translations = Translations(Path(project.root))
        contexts = plan(project, options, translations)
    reporter.extend(translations.diagnostics)
    reporter.raise_if_failed(options.strict)
    tasks = [(ctx, name) for ctx in contexts for name in ctx.formats]
    rendered = render_all(tasks, options.jobs, timings)
    for result in rendered:
        reporter.extend(result.diagnostics)
    reporter.raise_if_failed(options.strict)
    out_dir = options.out_dir or Path(project.root) / "dist"
    artifacts = [a for r in rendered for a in r.artifacts]
    artifacts.append(translations.status())
    owned = [d for r in rendered for d in r.owned]
    # A course built in all its locales and formats owns its whole folder: outputs of removed
    # locales, modules and options go; a build of every course also removes courses that are gone.
    partial = bool(options.locales or options.formats)
    owned += [] if partial else [course.id for course in project.courses]
    complete = not partial and not options.courses
    with timings.stage("write"):
        report = write_artifacts(artifacts, out_dir, owned, complete=complete)
    outputs = tuple(
        (ctx.course.id, ctx.locale, name, len(result.artifacts))
        for (ctx, name), result in zip(tasks, rendered, strict=True)
    )
    # Two formats may report the same problem (slides and pptx share the fit estimate): report it once.
    warnings = tuple(sorted(set(reporter.warnings), key=lambda d: d.sort_key))
    return BuildResult(out_dir, outputs, report, warnings, timings.stages)


def plan(project: Project, options: BuildOptions, translations: Translations | None = None) -> list[RenderContext]:
    """One render context per course and locale, with the course translated into that locale."""
    translations = translations or Translations(Path(project.root))
    contexts = []
    epoch = source_date_epoch()
    names = options.formats or tuple(formats())
    for course in project.courses:
        locales = options.locales or course.locales
        for locale in locales:
            contexts.append(
                RenderContext(
                    project_root=Path(project.root),
                    course=translations.course(course, locale),
                    built_locales=tuple(dict.fromkeys((*course.locales, *locales))),
                    per_module=options.per_module,
                    source_date_epoch=epoch,
                    formats=names,
                )
            )
    return contexts


def _render_one(task: tuple[RenderContext, str]) -> tuple[Rendered, float]:
    ctx, name = task
    start = time.perf_counter()
    result = formats()[name].renderer()(ctx)
    return result, time.perf_counter() - start


def render_all(tasks: Sequence[tuple[RenderContext, str]], jobs: int, timings: Timings) -> list[Rendered]:
    """Render every (context, format) task, in parallel processes when ``jobs`` != 1."""
    workers = (os.cpu_count() or 1) if jobs == 0 else jobs
    if workers <= 1 or len(tasks) <= 1:
        results = [_render_one(task) for task in tasks]
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
            results = list(pool.map(_render_one, tasks))
    for (_, name), (_, seconds) in zip(tasks, results, strict=True):
        timings.stages[f"render:{name}"] = timings.stages.get(f"render:{name}", 0.0) + seconds
    return [result for result, _ in results]


def check(root: Path) -> list[Diagnostic]:
    """Validate every course and module of the project; write nothing."""
    reporter = Reporter()
    project = load_project(root, reporter, all_modules=True)
    validate(project, reporter)
    check_catalogs(root, project, reporter)
    for course in project.courses:
        reporter.extend(check_scorm(course))
    return sorted(set(reporter.diagnostics), key=lambda d: d.sort_key)
