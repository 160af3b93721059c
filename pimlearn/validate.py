"""Rules that need more than one file: course settings applied to the modules they list."""

from __future__ import annotations

from .diagnostics import Reporter
from .load.markdown import iter_raw
from .model import Course, Loc, Module, Project, RawBlock, iter_texts, walk_blocks


def validate(project: Project, reporter: Reporter) -> None:
    """Check every course against its modules; problems go to ``reporter``."""
    reported: set[Loc] = set()
    in_a_course: set[str] = set()
    for course in project.courses:
        _refuse_course_html(course, reporter)
        for module in course.modules:
            in_a_course.add(module.id)
            if not course.allow_html:
                hint = f"{course.directory}/course.yml does not set 'allow_html: true'"
                _refuse_html(module, hint, reporter, reported)
    for module in project.modules:
        if module.id not in in_a_course:
            _refuse_html(module, "no course lists this module, so HTML is refused", reporter, reported)
        if module.duration and module.session and module.session_minutes != module.duration:
            reporter.warning(
                module.session[0].loc,
                f"the session plan adds up to {module.session_minutes} minutes but 'duration' is {module.duration}",
                "session-duration",
            )


def _refuse_html(module: Module, hint: str, reporter: Reporter, reported: set[Loc]) -> None:
    places = [(b.loc, [b.html]) for b in walk_blocks(module.all_blocks()) if isinstance(b, RawBlock)]
    places += [(t.loc, [raw.html for raw in iter_raw(t.inlines)]) for t in iter_texts(module)]
    for loc, fragments in places:
        if not fragments or loc in reported:
            continue
        reported.add(loc)
        shown = ", ".join(f"'{html.strip().splitlines()[0][:40]}'" for html in fragments[:3])
        reporter.error(loc, f"raw HTML is not allowed ({shown}): {hint}; use Markdown instead", "raw-html")


def _refuse_course_html(course: Course, reporter: Reporter) -> None:
    """course.yml texts are shown on every page and in attributes: they never carry HTML, whatever allow_html says."""
    for text in (course.title, course.description):
        fragments = [raw.html for raw in iter_raw(text.inlines)] if text is not None else []
        if text is not None and fragments:
            shown = ", ".join(f"'{html.strip()[:40]}'" for html in fragments[:3])
            reporter.error(
                text.loc,
                f"raw HTML is not allowed in course.yml ({shown}): course texts are plain text with inline Markdown "
                "('allow_html' applies to modules only)",
                "raw-html",
            )
