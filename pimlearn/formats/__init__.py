"""Output formats: one module each, behind a small registry.

Each format module exposes ``render(ctx: RenderContext) -> Rendered | Staged``. Modules
are imported only when their format is built, so heavy libraries (WeasyPrint,
python-pptx) never slow down the other commands.

A renderer whose work splits into independent pieces (the facilitator guide: one layout per
module) returns ``Staged``: the pieces as ``Job``s, which the build runs in parallel and takes
from its cache when their input is unchanged, and the function that finishes the output from
their results. ``finish`` runs that protocol in one process.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Course
from ..package.artifact import Artifact


@dataclass(frozen=True)
class RenderContext:
    """Everything a renderer may read: the localized course and the project it comes from."""

    project_root: Path
    course: Course
    """The course in the locale being built (``course.locale``)."""
    built_locales: tuple[str, ...] = ()
    """Every locale of this course in this build (for language switchers)."""
    per_module: bool = False
    """SCORM: also write one package per module."""
    source_date_epoch: int | None = None
    """Fixed timestamp for reproducible outputs (``SOURCE_DATE_EPOCH``)."""
    content_date: int | None = None
    """When the course's sources in this locale last changed (newest modification time of its course folder,
    module folders and catalogs): the guide's date when ``SOURCE_DATE_EPOCH`` is unset, so an unchanged
    input gives an unchanged file."""
    module_dates: tuple[tuple[str, int | None], ...] = ()
    """Per module id, when its own sources and its course's last changed in this locale (its handout's date:
    an edit of one module leaves the other handouts as they were)."""
    formats: tuple[str, ...] = ()
    """Every format of this build (so an output links only to outputs that exist); empty when unknown."""

    def date_of(self, module_id: str | None = None) -> int | None:
        """An output's date: ``SOURCE_DATE_EPOCH``, else when its sources last changed (the course's, or a module's)."""
        if self.source_date_epoch is not None:
            return self.source_date_epoch
        return dict(self.module_dates).get(module_id, self.content_date) if module_id else self.content_date

    @property
    def locale(self) -> str:
        """The locale being built."""
        return self.course.locale

    def language_links(self) -> list[dict[str, object]]:
        """The built locales for a language switcher: code, own name, ``lang`` value, whether current."""
        from ..i18n.locales import display_name, html_lang

        return [
            {"code": loc, "name": display_name(loc), "lang": html_lang(loc), "current": loc == self.locale}
            for loc in (self.built_locales or (self.locale,))
        ]

    def related_links(self, here: str) -> list[dict[str, str]]:
        """Links from the output folder ``here`` (``web``, ``slides``) to this locale's other outputs and the catalogue.

        The catalogue (``dist/index.html``, ``index-<locale>.html`` in other languages) is written by every
        build of all courses; the web version and the slide decks only when this build makes them.
        """
        from ..i18n import N_

        links = []
        if here != "web" and (not self.formats or "web" in self.formats):
            links.append({"href": "../web/index.html", "label": N_("Web version")})
        if here != "slides" and (not self.formats or "slides" in self.formats):
            links.append({"href": "../slides/index.html", "label": N_("Slides for facilitators")})
        page = "index.html" if self.locale == self.course.language else f"index-{self.locale}.html"
        links.append({"href": f"../../../{page}", "label": N_("Training catalogue")})
        return links

    @property
    def base(self) -> str:
        """``<course-id>/<locale>``: where this course's outputs for this locale go."""
        return f"{self.course.id}/{self.course.locale}"


@dataclass(frozen=True)
class Rendered:
    """What a renderer produced."""

    artifacts: tuple[Artifact, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    owned: tuple[str, ...] = ()
    """Output folders (or glob patterns such as ``c/en/slides/*.pptx``) this format owns: files there that it
    did not write are stale and removed."""


@dataclass(frozen=True)
class JobResult:
    """What a job made: its bytes and the problems it noticed (plain messages, made diagnostics by the format)."""

    data: bytes
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """A piece of a renderer's work that may run in any process: ``fn(*args)``.

    ``key`` is a hash of everything the result depends on (the arguments, pimlearn's and its
    libraries' versions): equal keys give equal results, so the build cache may hand back an
    earlier result instead of running it. ``fn`` is a module-level function (it is pickled by name).
    """

    key: str
    fn: Callable[..., JobResult]
    args: tuple[object, ...]
    local: bool = False
    """Run in the build's own process once the render processes have ended: for work that needs much memory
    at once (joining the guide's parts), so it is not added to the processes' own."""
    fresh: bool = False
    """Run in a render process of its own that ends with the job: for work whose memory grows with the course
    (the guide's front matter), which a render process would otherwise keep until the build ends."""

    def run(self) -> JobResult:
        """Do the work here."""
        return self.fn(*self.args)


@dataclass(frozen=True)
class Staged:
    """A renderer's output still waiting for ``jobs``: ``resume(state, results)`` finishes it (or stages more).

    ``resume`` runs in the build's own process, with the results in the order of ``jobs``;
    it is a module-level function and ``state`` plain data, so a ``Staged`` can be sent back from a worker.
    """

    jobs: tuple[Job, ...]
    resume: Callable[[object, tuple[JobResult, ...]], Rendered | Staged]
    state: object


def finish(result: Rendered | Staged, run: Callable[[Job], JobResult] = Job.run) -> Rendered:
    """Run a staged result's jobs one after another (with ``run``) until the output is complete."""
    while isinstance(result, Staged):
        result = result.resume(result.state, tuple(run(job) for job in result.jobs))
    return result


@dataclass(frozen=True)
class Format:
    """A registered output format."""

    name: str
    summary: str
    module: str = field(repr=False)
    default: bool = True
    """Built when no ``-f`` is given (a lossy export is built only when asked for)."""
    libraries: tuple[str, ...] = ()
    """The heavy libraries its renderer imports: loaded before render processes start, so they share them."""

    def renderer(self) -> Callable[[RenderContext], Rendered | Staged]:
        """The format's ``render`` function (imports its module on first use)."""
        render: Callable[[RenderContext], Rendered | Staged] = importlib.import_module(self.module).render
        return render


_FORMATS: dict[str, Format] = {}


def register(name: str, summary: str, module: str, default: bool = True, libraries: tuple[str, ...] = ()) -> None:
    """Add a format; names are unique."""
    if name in _FORMATS:
        raise ValueError(f"format {name!r} is already registered")
    _FORMATS[name] = Format(name, summary, module, default, libraries)


register("scorm12", "SCORM 1.2 packages for any LMS", "pimlearn.formats.scorm12")
register("scorm2004", "SCORM 2004 4th Edition packages", "pimlearn.formats.scorm2004")
register("web", "the course as plain, responsive HTML pages", "pimlearn.formats.web")
register("slides", "a self-contained HTML slide deck per module, with speaker view", "pimlearn.formats.slides")
register(
    "pptx", "an editable PowerPoint deck per module, with speaker notes", "pimlearn.formats.pptx", libraries=("pptx",)
)
register("guide", "the facilitator guide as a print-ready PDF", "pimlearn.formats.guide", libraries=("weasyprint",))
register(
    "handout",
    "a participants' handout PDF per module, 3 or 6 slides to a page",
    "pimlearn.formats.handout",
    libraries=("weasyprint",),
)
register("moodle-xml", "every question as a Moodle XML question bank", "pimlearn.formats.moodle_xml")
register("qti", "every question as an IMS QTI 2.1 package (Canvas, Blackboard...)", "pimlearn.formats.qti")
register(
    "gift", "the questions GIFT can express, as GIFT text (only with -f gift)", "pimlearn.formats.gift", default=False
)


def formats() -> dict[str, Format]:
    """Every registered format by name, in build order."""
    return dict(_FORMATS)


def default_formats() -> tuple[str, ...]:
    """The formats a build makes when none is named, in build order."""
    return tuple(name for name, f in _FORMATS.items() if f.default)
