"""The build, in one place: load → validate → translate → render → write.

Each stage lives in its own module; this file only wires them together and
times them. Nothing touches the output folder until every artifact of every
course, locale and format has been rendered without error.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import importlib
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Reporter
from .formats import Job, JobResult, RenderContext, Rendered, Staged, default_formats, formats
from .formats.scorm import check_course as check_scorm
from .i18n.locales import close_locales, is_locale_code, locale_problem
from .i18n.translate import Translations
from .i18n.validate import check_catalogs
from .load import load_project
from .model import Course, Loc, Project
from .package.artifact import Artifact
from .package.cache import BuildCache, diagnostic_from_json, diagnostic_json
from .package.writer import WriteReport, planned_files, write_artifacts
from .validate import validate


@dataclass(frozen=True)
class BuildOptions:
    """What to build; empty tuples mean everything."""

    courses: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    out_dir: Path | None = None
    """Output folder (default: ``<project>/dist``)."""
    jobs: int = 0
    """Parallel render processes (0: one per CPU)."""
    force: bool = False
    """Render every target again, ignoring the build cache."""
    strict: bool = False
    """Fail on warnings too."""
    per_module: bool = False
    """SCORM: also write one package per module."""
    extra_locales: tuple[str, ...] = ()
    """Locales to build although the course does not list them (a preview of a translation in progress)."""


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
class Output:
    """One rendered target of a build: a course in a locale in a format."""

    course: str
    locale: str
    format: str
    files: int
    size: int
    """Bytes of every file it rendered."""
    seconds: float = field(compare=False)
    """Time spent rendering it."""
    cached: bool = field(default=False, compare=False)
    """Taken from the build cache (its files were already in the output folder): not rendered."""


Progress = Callable[[int, int, Output], None]
"""Called as each target is rendered: (targets done, targets in all, the target)."""


@dataclass(frozen=True)
class BuildResult:
    """What a successful build did."""

    out_dir: Path
    outputs: tuple[Output, ...]
    """Every rendered target, in build order."""
    report: WriteReport
    warnings: tuple[Diagnostic, ...]
    timings: dict[str, float]


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int, when set (reproducible builds)."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def build(root: Path, options: BuildOptions = BuildOptions(), progress: Progress | None = None) -> BuildResult:
    """Build the project's courses; raises ``ContentError`` with every problem found.

    ``progress`` is told of each target as soon as it is rendered (the CLI's progress bar).
    """
    timings = Timings()
    out_dir = options.out_dir or Path(root) / "dist"
    cache = BuildCache(Path(root), out_dir, enabled=not options.force)
    with timings.stage("cache"):
        # Nothing the build reads has changed and its outputs are intact: there is nothing to do.
        # The output folder is not part of the key: the record lives in it and is checked against its files.
        build_key = cache.build_key(replace(options, jobs=0, force=False, out_dir=None))
        record = cache.load_build(build_key)
        done = _from_record(record, out_dir, timings) if record is not None else None
    if done is not None:
        return done
    reporter = Reporter()
    with timings.stage("load"):
        project = load_project(root, reporter, options.courses, all_modules=False)
    with timings.stage("validate"):
        validate(project, reporter)
        check_locales(project, options, reporter)
    reporter.raise_if_failed(options.strict)
    with timings.stage("translate"):
        translations = Translations(Path(project.root))
        contexts = plan(project, options, translations)
    reporter.extend(translations.diagnostics)
    reporter.raise_if_failed(options.strict)
    tasks = [(ctx, name) for ctx in contexts for name in ctx.formats]
    with timings.stage("cache"):
        keys = [_task_key(cache, ctx, name) for ctx, name in tasks]
        hits = [cache.load(key) for key in keys]
    todo = [index for index, hit in enumerate(hits) if hit is None]
    fresh, fresh_seconds, job_log = render_all([tasks[i] for i in todo], options.jobs, timings, progress, cache)
    made = dict(zip(todo, zip(fresh, fresh_seconds, strict=True), strict=True))
    rendered = [Rendered(*hit) if hit is not None else made[i][0] for i, hit in enumerate(hits)]
    seconds = [made[i][1] if i in made else 0.0 for i in range(len(tasks))]
    for result in rendered:
        reporter.extend(result.diagnostics)
    reporter.raise_if_failed(options.strict)
    artifacts = [a for r in rendered for a in r.artifacts]
    artifacts.append(translations.status())
    owned = [d for r in rendered for d in r.owned]
    # A course built in all its locales and formats owns its whole folder: outputs of removed
    # locales, modules and options go; a build of every course also removes courses that are gone.
    partial = bool(options.locales or options.formats)
    owned += [] if partial else [course.id for course in project.courses]
    complete = not partial and not options.courses
    if not options.courses:  # the catalogue lists every course: a build of some courses leaves it as it is
        with timings.stage("catalogue"):
            artifacts.extend(catalogue(project, translations, out_dir, artifacts, owned))
    with timings.stage("write"):
        report = write_artifacts(artifacts, out_dir, owned, complete=complete)
    with timings.stage("cache"):
        # Only now that the writer has committed: a record never claims a file that is not there.
        for index in todo:
            result = rendered[index]
            cache.store(keys[index], result.artifacts, result.diagnostics, result.owned)
        for key, job_result in job_log.made.items():
            cache.store_job(key, job_result)
        if complete:
            cache.prune(keys, job_log.used)
    outputs = tuple(
        _output(task, result, t, hit is not None)
        for task, result, t, hit in zip(tasks, rendered, seconds, hits, strict=True)
    )
    # Two formats may report the same problem (slides and pptx share the fit estimate): report it once.
    warnings = tuple(sorted(set(reporter.warnings), key=lambda d: d.sort_key))
    with timings.stage("cache"):
        _record_build(cache, build_key, artifacts, [c.id for c in project.courses], outputs, warnings)
    return BuildResult(out_dir, outputs, report, warnings, timings.stages)


def plan(project: Project, options: BuildOptions, translations: Translations | None = None) -> list[RenderContext]:
    """One render context per course and locale, with the course translated into that locale."""
    translations = translations or Translations(Path(project.root))
    contexts = []
    epoch = source_date_epoch()
    names = options.formats or default_formats()
    for course in project.courses:
        locales = tuple(dict.fromkeys((*(options.locales or course.locales), *options.extra_locales)))
        for locale in locales:
            dates = (None, ()) if epoch is not None else source_dates(Path(project.root), course, locale)
            contexts.append(
                RenderContext(
                    project_root=Path(project.root),
                    course=translations.course(course, locale),
                    built_locales=tuple(dict.fromkeys((*course.locales, *locales))),
                    per_module=options.per_module,
                    source_date_epoch=epoch,
                    content_date=dates[0],
                    module_dates=dates[1],
                    formats=names,
                )
            )
    return contexts


def check_locales(project: Project, options: BuildOptions, reporter: Reporter) -> None:
    """Every locale asked for is a locale code, and one the course lists unless it is an explicit extra."""
    for code in (*options.locales, *options.extra_locales):
        if problem := locale_problem(code):
            reporter.error(Loc("courses"), problem, "invalid-locale")
    for course in project.courses:
        for code in options.locales:
            if code in course.locales or code in options.extra_locales or not is_locale_code(code):
                continue
            listed = ", ".join(course.locales)
            reporter.error(
                course.loc,
                f"course '{course.id}' does not list the locale '{code}' (its locales: {listed})"
                f"{close_locales(code, course.locales)}: add it to 'locales', "
                f"or preview it with --extra-locale {code}",
                "locale-unknown",
            )


def _record_build(
    cache: BuildCache,
    key: str,
    artifacts: Sequence[Artifact],
    folders: Sequence[str],
    outputs: Sequence[Output],
    warnings: Sequence[Diagnostic],
) -> None:
    """Record a committed build: every file it wrote and every other file now in its course folders, by hash."""
    files = {a.path: hashlib.sha256(a.data).hexdigest() for a in artifacts}
    for folder in folders:
        for path in (cache.out_dir / folder).rglob("*"):
            rel = path.relative_to(cache.out_dir).as_posix()
            if rel not in files and path.is_file():
                files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    payload: dict[str, object] = {
        "artifacts": [a.path for a in artifacts],
        "outputs": [[o.course, o.locale, o.format, o.files, o.size] for o in outputs],
        "warnings": [diagnostic_json(d) for d in warnings],
    }
    cache.store_build(key, files, folders, payload)


def _from_record(record: dict[str, object], out_dir: Path, timings: Timings) -> BuildResult | None:
    """The result of a build that has nothing to do, from its record (None when the record is damaged)."""
    try:
        outputs = tuple(
            Output(str(c), str(loc), str(f), int(n), int(size), 0.0, True)
            for c, loc, f, n, size in record["outputs"]  # type: ignore[attr-defined]
        )
        warnings = tuple(diagnostic_from_json(d) for d in record["warnings"])  # type: ignore[attr-defined]
        unchanged = tuple(str(p) for p in record["artifacts"])  # type: ignore[attr-defined]
    except (KeyError, TypeError, ValueError):
        return None
    return BuildResult(out_dir, outputs, WriteReport((), unchanged, ()), warnings, timings.stages)


def _task_key(cache: BuildCache, ctx: RenderContext, name: str) -> str:
    course = ctx.course
    return cache.key(ctx, name, course.directory, [m.directory for m in course.modules], ctx.locale)


def content_date(root: Path, course: Course, locale: str) -> int | None:
    """The newest modification time of the course's sources in ``locale``: its folder, modules and catalogs."""
    return source_dates(root, course, locale)[0]


def source_dates(root: Path, course: Course, locale: str) -> tuple[int | None, tuple[tuple[str, int | None], ...]]:
    """When the course's sources in ``locale`` last changed, and per module when its own or its course's did.

    The course's folder and catalog are read once, each module's folder and catalog once: the course's
    date is the newest of them all, a module's (its handout's date) the newer of its own and the course's.
    """
    from .i18n.catalogs import catalog_file

    def newest(folder: str, domain: str) -> float | None:
        files = list((root / folder).rglob("*")) if folder else []
        if (catalog := catalog_file(root / "locales", locale, domain)) is not None:
            files.append(catalog)
        times = []
        for path in files:
            try:
                if path.is_file():
                    times.append(path.stat().st_mtime)
            except OSError:
                continue
        return max(times, default=None)

    def later(*times: float | None) -> int | None:
        known = [t for t in times if t is not None]
        return int(max(known)) if known else None

    own = newest(course.directory, f"course-{course.id}")
    modules = [(m.id, newest(m.directory, f"module-{m.id}")) for m in course.modules]
    return later(own, *(t for _, t in modules)), tuple((name, later(own, t)) for name, t in modules)


def _render_one(task: tuple[RenderContext, str]) -> tuple[Rendered | Staged, float]:
    ctx, name = task
    start = time.perf_counter()
    result = formats()[name].renderer()(ctx)
    return result, time.perf_counter() - start


def _run_job(job: Job) -> tuple[JobResult, float]:
    """Run one job of a staged task and measure it (in a render process)."""
    start = time.perf_counter()
    return job.run(), time.perf_counter() - start


def _fresh(job: Job) -> Future[tuple[JobResult, float]]:
    """``job`` run in a process forked for it alone, which ends once the job is done."""
    pool = ProcessPoolExecutor(max_workers=1)
    future = pool.submit(_run_job, job)
    pool.shutdown(wait=False)  # the job still runs; then the process exits
    return future


def _output(task: tuple[RenderContext, str], result: Rendered, seconds: float, cached: bool = False) -> Output:
    ctx, name = task
    size = sum(len(a.data) for a in result.artifacts)
    return Output(ctx.course.id, ctx.locale, name, len(result.artifacts), size, seconds, cached)


_WEIGHT = {"guide": 2, "pptx": 1}
"""How long a format takes to render, roughly (the order parallel tasks start in)."""


@dataclass
class JobLog:
    """The jobs of a build: results made now (stored in the cache once the build is written), every key used."""

    made: dict[str, JobResult] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)


class _Inline(Executor):
    """An executor that runs each call at once, in this process (``-j 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed over like a worker's error: raised by result()
            future.set_exception(error)
        return future


@contextmanager
def _long_lived(libraries: Iterable[str]) -> Iterator[None]:
    """Import ``libraries``, then keep every object made so far out of the garbage collector's way.

    Imported here, before the render processes are forked, the libraries' code is shared by them,
    not loaded by each. Frozen (``gc.freeze``), the objects that live for the whole build (modules,
    the loaded project) are no longer scanned by each collection: in a forked process the collector
    would write to them and copy their memory pages, and with WeasyPrint's many short-lived objects
    it collects often (about a tenth of a render's time went to scanning them).
    """
    for library in sorted(set(libraries)):
        importlib.import_module(library)
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def render_all(
    tasks: Sequence[tuple[RenderContext, str]],
    jobs: int,
    timings: Timings,
    progress: Progress | None = None,
    cache: BuildCache | None = None,
) -> tuple[list[Rendered], list[float], JobLog]:
    """Render every (context, format) task, in parallel processes when ``jobs`` != 1; results in task order.

    A task that returns ``Staged`` has its jobs run in the same pool as the other tasks (or taken from
    ``cache``), then is resumed here; its time is that of the task, its jobs and its resumptions.
    A ``local`` job runs here once the pool is done and its processes have ended (it needs much memory);
    a ``fresh`` job runs in a process of its own, which ends with it (its memory grows with the course).

    Work waits in a queue here and goes to the pool as a process frees up: a later stage of a task first
    (the guide's front matter, which the whole guide waits for), then longer formats, then in order.
    """
    workers = (os.cpu_count() or 1) if jobs == 0 else jobs
    results: list[Rendered | None] = [None] * len(tasks)
    seconds = [0.0] * len(tasks)
    stages = [0] * len(tasks)
    log = JobLog()
    order = itertools.count()
    queue: list[tuple[int, int, int, int, int]] = []
    """(-stage, -weight, order, task, job position or -1 for the task itself), smallest first."""
    running: dict[Future[Any], tuple[int, int]] = {}
    """A future's task, and its job's position (-1 for the task itself)."""
    waiting: dict[int, tuple[Staged, list[JobResult | None]]] = {}
    later: list[tuple[int, int]] = []
    """Local jobs waiting for the pool to end."""

    def enqueue(index: int, position: int) -> None:
        weight = _WEIGHT.get(tasks[index][1], 0)
        heapq.heappush(queue, (-stages[index], -weight, next(order), index, position))

    def settle(index: int, result: Rendered | Staged) -> None:
        while isinstance(result, Staged):
            found = [cache.load_job(job.key) if cache else None for job in result.jobs]
            log.used.update(job.key for job in result.jobs)
            if any(r is None for r in found):
                waiting[index] = (result, found)
                for position, made in enumerate(found):
                    if made is None and result.jobs[position].local and forked:
                        later.append((index, position))
                    elif made is None:
                        enqueue(index, position)
                return
            result = resume(index, result, found)
        results[index] = result
        if progress:
            count = sum(r is not None for r in results)
            progress(count, len(tasks), _output(tasks[index], result, seconds[index]))

    def resume(index: int, staged: Staged, found: Sequence[JobResult | None]) -> Rendered | Staged:
        start = time.perf_counter()
        result = staged.resume(staged.state, tuple(r for r in found if r is not None))
        seconds[index] += time.perf_counter() - start
        stages[index] += 1
        return result

    def pump(pool: Executor, capacity: int) -> None:
        while queue and len(running) < capacity:
            *_, index, position = heapq.heappop(queue)
            if position < 0:
                running[pool.submit(_render_one, tasks[index])] = (index, -1)
                continue
            job = waiting[index][0].jobs[position]
            running[_fresh(job) if job.fresh and forked else pool.submit(_run_job, job)] = (index, position)

    def drain(pool: Executor, capacity: int) -> None:
        pump(pool, capacity)
        while running:
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in done:
                index, position = running.pop(future)
                made, took = future.result()
                seconds[index] += took
                if position < 0:
                    settle(index, made)
                    continue
                staged, found = waiting[index]
                found[position] = made
                log.made[staged.jobs[position].key] = made
                if all(r is not None for r in found):
                    del waiting[index]
                    settle(index, resume(index, staged, found))
            pump(pool, capacity)

    forked = workers > 1 and bool(tasks)
    for index in range(len(tasks)):
        enqueue(index, -1)
    libraries = {lib for _, name in tasks for lib in formats()[name].libraries}
    # One task may still be many jobs (the guide of a course in one locale): a pool even then.
    with _long_lived(libraries), ProcessPoolExecutor(max_workers=workers) if forked else _Inline() as pool:
        drain(pool, workers)
    forked = False  # the pool has ended: the local jobs it left run here
    for index, position in later:
        enqueue(index, position)
    drain(_Inline(), 1)
    for (_, name), took in zip(tasks, seconds, strict=True):
        timings.stages[f"render:{name}"] = timings.stages.get(f"render:{name}", 0.0) + took
    return [r for r in results if r is not None], seconds, log


def catalogue(
    project: Project, translations: Translations, out_dir: Path, artifacts: Sequence[Artifact], owned: Sequence[str]
) -> list[Artifact]:
    """``index.html``: the training catalogue of every course and every output as they will be after this build."""
    from .i18n.stats import project_stats
    from .render.catalogue import catalogue_pages

    root = Path(project.root)
    files = planned_files(out_dir, artifacts, owned, [c.id for c in project.courses])
    completeness: dict[tuple[str, str], float] = {}
    for course in project.courses:
        words: dict[str, list[int]] = {}
        for row in project_stats(root, [course]):
            if row.domain != "ui":
                counts = words.setdefault(row.locale, [0, 0])
                counts[0] += row.all.words_translated
                counts[1] += row.all.words
        for locale, (done, total) in words.items():
            completeness[(course.id, locale)] = 100.0 * done / total if total else 100.0
    return catalogue_pages(root, project.courses, translations.course, files, completeness)


def check(root: Path) -> list[Diagnostic]:
    """Validate every course and module of the project; write nothing."""
    reporter = Reporter()
    project = load_project(root, reporter, all_modules=True)
    validate(project, reporter)
    check_catalogs(root, project, reporter)
    for course in project.courses:
        reporter.extend(check_scorm(course))
    return sorted(set(reporter.diagnostics), key=lambda d: d.sort_key)
