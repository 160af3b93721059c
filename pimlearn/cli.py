"""The ``pimlearn`` command line: parse options, call the pipeline, map errors to exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .diagnostics import EXIT_CONTENT_ERROR, ContentError, Diagnostic, did_you_mean, format_diagnostics, summary
from .formats import formats
from .load import ProjectNotFound, find_project_root
from .model import Loc, Project
from .package.transaction import WriteFailed

F = TypeVar("F", bound=Callable[..., Any])


def project_option(func: F) -> F:
    """``--project DIR``, accepted by every command."""
    return click.option(
        "--project",
        "project_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The project folder (holding courses/ and modules/).",
    )(func)


def project_root(project_dir: Path) -> Path:
    """The project folder, or a usage error (exit status 2)."""
    try:
        return find_project_root(project_dir)
    except ProjectNotFound as exc:
        raise click.UsageError(str(exc)) from None


def locale_codes(ctx: click.Context, param: click.Parameter, values: Any) -> Any:
    """Refuse a ``-l`` value that is not a locale code (``../../x`` would name a folder outside the project)."""
    from .i18n.locales import locale_problem

    for value in (values,) if isinstance(values, str) else values or ():
        if problem := locale_problem(value):
            raise click.BadParameter(problem)
    return values


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """All diagnostics on stderr, errors and warnings alike."""
    if diagnostics:
        click.echo(format_diagnostics(diagnostics), err=True)


def fail(exc: ContentError, what: str) -> None:
    """Report a failed stage and exit with status 1."""
    print_diagnostics(exc.diagnostics)
    click.echo(f"pimlearn: {what}", err=True)
    sys.exit(EXIT_CONTENT_ERROR)


EXIT_INTERNAL = 3
"""An unexpected exception: a bug in pimlearn, never the user's content."""


class _Main(click.Group):
    """The top-level group: an unexpected exception becomes one line and exit status 3, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report a bug in pimlearn as one line (``PIMLEARN_DEBUG=1`` shows the traceback)."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("PIMLEARN_DEBUG"):
                raise
            detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            click.echo(
                f"pimlearn: internal error ({detail}); this is a bug in pimlearn, not in your content: please "
                "report it with the command you ran (PIMLEARN_DEBUG=1 shows the details)",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="pimlearn")
def main() -> None:
    """Build SCORM packages, slide decks and facilitator guides from Markdown training modules."""


@main.command()
@click.argument("courses", nargs=-1)
@click.option(
    "-l", "--locale", "locales", multiple=True, callback=locale_codes, help="Build only this locale (repeatable)."
)
@click.option(
    "--extra-locale",
    "extra_locales",
    multiple=True,
    callback=locale_codes,
    help="Also build this locale although the course does not list it (a preview; repeatable).",
)
@click.option(
    "-f",
    "--format",
    "format_names",
    multiple=True,
    type=click.Choice(list(formats())),
    help="Build only this format (repeatable). Default: all.",
)
@click.option(
    "-j",
    "--jobs",
    default=0,
    type=click.IntRange(min=0),
    help="Parallel render processes. Default (0): one per CPU.",
)
@click.option("--force", is_flag=True, help="Render every output again, ignoring the build cache.")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder. Default: <project>/dist.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--per-module", is_flag=True, help="SCORM: also write one package per module.")
@click.option("-v", "--verbose", is_flag=True, help="Print per-stage times and every file written.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems (no progress, no summary).")
@project_option
def build(
    courses: tuple[str, ...],
    locales: tuple[str, ...],
    extra_locales: tuple[str, ...],
    format_names: tuple[str, ...],
    jobs: int,
    force: bool,
    out_dir: Path | None,
    strict: bool,
    per_module: bool,
    verbose: bool,
    quiet: bool,
    project_dir: Path,
) -> None:
    """Build COURSES (default: every course) in every locale and format."""
    from .console import BuildProgress, summary
    from .pipeline import BuildOptions
    from .pipeline import build as run_build

    root = project_root(project_dir)
    _check_course_names(root, courses)
    options = BuildOptions(
        courses=courses,
        locales=locales,
        formats=format_names,
        out_dir=out_dir.resolve() if out_dir else None,
        jobs=jobs,
        force=force,
        strict=strict,
        per_module=per_module,
        extra_locales=extra_locales,
    )
    out = out_dir or root / "dist"
    progress = BuildProgress()
    progress.enabled = progress.enabled and not quiet
    try:
        result = run_build(root, options, progress)
    except ContentError as exc:
        progress.close()
        fail(exc, f"build failed; nothing was written to {_shown(out)}")
        return
    except WriteFailed as exc:
        progress.close()
        problem = Diagnostic(Loc(_shown(exc.path).rstrip("/")), "error", write_advice(exc), "output-write")
        fail(ContentError([problem]), f"build failed; {_shown(out)} was left as it was")
        return
    progress.close()
    print_diagnostics(list(result.warnings))
    if quiet:
        return
    shown = _shown(result.out_dir)
    for line in summary(result.outputs):
        click.echo(line)
    report = result.report
    click.echo(
        f"pimlearn: wrote {len(report.written)} file{'s' if len(report.written) != 1 else ''} to {shown}"
        f" ({len(report.unchanged)} unchanged, {len(report.removed)} removed)"
    )
    if verbose:
        for path in report.written:
            click.echo(f"  wrote {path}")
        for stage, seconds in result.timings.items():
            click.echo(f"  {stage:<20} {seconds:8.3f} s")


def write_advice(exc: WriteFailed, elsewhere: str = ", or build into another folder with -o DIR") -> str:
    """What went wrong writing a file, and what the user can do about it."""
    reason = exc.reason.rstrip(".")
    low = reason.lower()
    if "space" in low or "quota" in low:
        hint = f"free some space{elsewhere}"
    elif "read-only" in low or "permission" in low or "not permitted" in low:
        hint = f"make the folder writable{elsewhere}"
    elif "not a folder" in low or "not a directory" in low or "is a directory" in low:
        hint = f"move that file or folder out of the way{elsewhere}"
    else:
        hint = f"check the folder{elsewhere}"
    return f"cannot write the output: {reason}; {hint}"


def _check_course_names(root: Path, courses: tuple[str, ...]) -> None:
    available = sorted(p.parent.name for p in (root / "courses").glob("*/course.yml"))
    for name in courses:
        if name not in available:
            hint = did_you_mean(name, available) or f" (courses: {', '.join(available) or 'none'})"
            raise click.BadParameter(f"no course '{name}'{hint}", param_hint="COURSES")


def _shown(path: Path) -> str:
    """A folder as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) + "/"
    except ValueError:
        return str(path) + "/"


@main.command()
@project_option
def check(project_dir: Path) -> None:
    """Validate every course, module and catalog; write nothing."""
    from .pipeline import check as run_check

    root = project_root(project_dir)
    diagnostics = run_check(root)
    print_diagnostics(diagnostics)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    if errors:
        click.echo("pimlearn: check failed", err=True)
        sys.exit(EXIT_CONTENT_ERROR)
    warnings = len(diagnostics) - errors
    click.echo(f"pimlearn: check passed ({summary(0, warnings)})")


@main.command()
@click.argument("course", required=False)
@click.option(
    "-l", "--locale", callback=locale_codes, help="Locale to open first (default: the course's source language)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@project_option
def serve(course: str | None, locale: str | None, port: int, project_dir: Path) -> None:
    """Preview COURSE's web version on localhost; rebuilds and reloads on save."""
    from .serve import ServeError
    from .serve import serve as run_serve

    root = project_root(project_dir)
    available = sorted(p.parent.name for p in (root / "courses").glob("*/course.yml"))
    if course is None:
        if not available:
            raise click.UsageError("the project has no course to preview (courses/<id>/course.yml)")
        course = available[0]
    _check_course_names(root, (course,))
    language, listed = _course_locales(root, course)
    if locale is None:
        locale = language
    elif listed and locale not in listed:
        from .i18n.locales import close_locales

        raise click.BadParameter(
            f"course '{course}' does not list the locale '{locale}' (its locales: {', '.join(listed)})"
            f"{close_locales(locale, listed)}",
            param_hint="'-l'",
        )
    try:
        run_serve(root, course, locale, port, lambda message, error: click.echo(message, err=error))
    except ServeError as exc:
        click.echo(f"pimlearn: {exc}", err=True)
        sys.exit(EXIT_CONTENT_ERROR)


def _course_locales(root: Path, course: str) -> tuple[str, tuple[str, ...]]:
    """The course's source language and locales (``en`` and none when course.yml cannot be read yet)."""
    from .diagnostics import Reporter
    from .load.course import load_course

    loaded = load_course(root / "courses" / course, root, Reporter())
    return (loaded.course.language, loaded.course.locales) if loaded else ("en", ())


@main.group()
def new() -> None:
    """Create a module or a course from a starter file."""


@new.command("module")
@click.argument("module_id")
@click.option("--course", "course_id", help="Also add the module to this course's 'modules:' list.")
@project_option
def new_module(module_id: str, course_id: str | None, project_dir: Path) -> None:
    """Create modules/MODULE_ID/module.md (and add it to a course with --course)."""
    from .scaffold import create_module

    root = project_dir.resolve()
    _scaffold(lambda: create_module(root, module_id, course_id))
    if course_id is not None:
        click.echo(f"pimlearn: added '{module_id}' to the modules of courses/{course_id}/course.yml")
        return
    courses = sorted(p.parent.name for p in (root / "courses").glob("*/course.yml"))
    if courses:
        click.echo(
            f"Next: no course lists '{module_id}' yet, so no build includes it: add it to the 'modules:' list "
            f"of courses/{courses[0]}/course.yml (next time, 'pimlearn new module ID --course {courses[0]}' does it)"
        )
    else:
        click.echo("Next: create a course that lists it: pimlearn new course ID")


@new.command("course")
@click.argument("course_id")
@project_option
def new_course(course_id: str, project_dir: Path) -> None:
    """Create courses/COURSE_ID/course.yml."""
    from .scaffold import create_course

    _scaffold(lambda: create_course(project_dir.resolve(), course_id))


def _scaffold(create: Callable[[], Path]) -> None:
    try:
        path = create()
    except (ValueError, FileExistsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"pimlearn: created {path}")


@main.group()
def i18n() -> None:
    """Translations: extract strings, update catalogs, report completeness."""


def _load_for_i18n(root: Path) -> Project:
    """The whole project, or exit 1 when its content has errors (extracting from broken sources loses strings)."""
    from .diagnostics import Reporter
    from .load import load_project

    reporter = Reporter()
    project = load_project(root, reporter, all_modules=True)
    if reporter.errors:
        from .i18n.validate import check_catalogs

        check_catalogs(root, project, reporter)  # the catalogs' own errors too: everything to fix, at once
        print_diagnostics(reporter.diagnostics)
        click.echo("pimlearn: fix the content first: catalogs are not updated from sources with errors", err=True)
        sys.exit(EXIT_CONTENT_ERROR)
    return project


def _run_update(project_dir: Path, locales: tuple[str, ...], force: bool, catalogs: bool) -> None:
    from .i18n.tools import ToolMissing
    from .i18n.update import plan_update
    from .pipeline import source_date_epoch

    root = project_root(project_dir)
    project = _load_for_i18n(root)
    try:
        plan = plan_update(root, project, locales, force=force, epoch=source_date_epoch(), catalogs=catalogs)
    except ToolMissing as exc:
        click.echo(f"pimlearn: {exc}", err=True)
        sys.exit(EXIT_CONTENT_ERROR)
    print_diagnostics(plan.diagnostics)
    if plan.failed:
        click.echo("pimlearn: update refused; no file was written", err=True)
        sys.exit(EXIT_CONTENT_ERROR)
    try:
        written = plan.apply()
    except WriteFailed as exc:
        problem = Diagnostic(Loc(_shown(exc.path).rstrip("/")), "error", write_advice(exc, ""), "output-write")
        fail(ContentError([problem]), "update failed; the templates and catalogs were left as they were")
        return
    for change in written:
        detail = f" ({change.summary})" if change.summary else ""
        click.echo(f"  {change.action:<9} {change.shown}{detail}")
    kinds = [c for c in plan.changes]
    created = sum(1 for c in written if c.action == "created")
    updated = sum(1 for c in written if c.action == "updated")
    unchanged = len(kinds) - len(written)
    click.echo(f"pimlearn: {created} created, {updated} updated, {unchanged} unchanged")


@i18n.command("extract")
@project_option
def i18n_extract(project_dir: Path) -> None:
    """Write locales/templates/*.pot from the sources (only templates whose messages changed)."""
    _run_update(project_dir, (), force=False, catalogs=False)


@i18n.command("update")
@click.option(
    "-l",
    "--locale",
    "locales",
    multiple=True,
    callback=locale_codes,
    help="Only this locale (repeatable); may add a locale not yet built.",
)
@click.option(
    "--force", is_flag=True, help="Accept an update that makes over 30 % of translations obsolete (never a lost one)."
)
@project_option
def i18n_update(locales: tuple[str, ...], force: bool, project_dir: Path) -> None:
    """Extract, then create or merge every catalog; never loses a translation."""
    _run_update(project_dir, locales, force=force, catalogs=True)


@i18n.command("stats")
@click.option("-l", "--locale", "locales", multiple=True, callback=locale_codes, help="Only this locale (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--min",
    "minimum",
    type=click.FloatRange(0, 100),
    help="Exit with status 1 when a catalog has less than PERCENT of its source words translated.",
)
@click.option(
    "--course",
    "course_ids",
    multiple=True,
    help="Only this course (repeatable): its modules count only what the course uses after tailoring.",
)
@project_option
def i18n_stats(
    locales: tuple[str, ...], as_json: bool, minimum: float | None, course_ids: tuple[str, ...], project_dir: Path
) -> None:
    """Translated, fuzzy, untranslated and obsolete entries per module and locale."""
    from .i18n.stats import project_stats, status_json, table

    root = project_root(project_dir)
    project = _load_for_i18n(root)
    unknown = [c for c in course_ids if c not in {course.id for course in project.courses}]
    if unknown:
        raise click.BadParameter(f"no course '{unknown[0]}'", param_hint="--course")
    courses = [c for c in project.courses if not course_ids or c.id in course_ids]
    problems: list[Diagnostic] = []
    rows = project_stats(root, courses, only=locales, problems=problems)
    click.echo(status_json(rows).rstrip() if as_json else table(rows) if rows else "pimlearn: no translated locales")
    if problems:
        print_diagnostics(problems)
        click.echo("pimlearn: catalogs with errors are counted as untranslated; fix them (see above)", err=True)
        sys.exit(EXIT_CONTENT_ERROR)
    if minimum is not None:
        below = [r for r in rows if r.all.percent_words < minimum]
        for row in below:
            click.echo(
                f"{row.catalog or row.domain}: {row.locale} has {row.all.percent_words:.1f} % of its words "
                f"translated, below --min {minimum:g}",
                err=True,
            )
        if below:
            sys.exit(EXIT_CONTENT_ERROR)
