"""Load a project folder (courses/, modules/) into the model, reporting every problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..diagnostics import Reporter, did_you_mean
from ..model import Course, Loc, Module, Project
from .course import CourseFile, load_course
from .module import load_module
from .tailor import tailor_course

__all__ = ["ProjectNotFound", "find_project_root", "load_project"]


class ProjectNotFound(Exception):
    """The folder holds neither courses/ nor modules/."""


def find_project_root(path: Path) -> Path:
    """``path`` if it is a pimlearn project, else ``ProjectNotFound``."""
    path = path.resolve()
    if (path / "courses").is_dir() or (path / "modules").is_dir():
        return path
    raise ProjectNotFound(
        f"{path} is not a pimlearn project: it has no courses/ or modules/ folder "
        "(run pimlearn in the project folder, or pass --project DIR)"
    )


def load_project(root: Path, reporter: Reporter, course_ids: Sequence[str] = (), all_modules: bool = True) -> Project:
    """Load the named courses (all when empty) and their modules.

    With ``all_modules`` every folder in ``modules/`` is loaded, so ``check``
    also validates modules that no course lists yet.
    """
    root = root.resolve()
    course_dirs = sorted(p.parent for p in (root / "courses").glob("*/course.yml"))
    available = [d.name for d in course_dirs]
    if course_ids:
        unknown = [c for c in course_ids if c not in available]
        for course_id in unknown:
            reporter.error(
                Loc("courses"),
                f"no course '{course_id}' (courses/{course_id}/course.yml does not exist)"
                f"{did_you_mean(course_id, available)}",
                "course-missing",
            )
        course_dirs = [d for d in course_dirs if d.name in course_ids]
    course_files = [cf for d in course_dirs if (cf := load_course(d, root, reporter)) is not None]

    module_dirs = {p.parent.name: p.parent for p in (root / "modules").glob("*/module.md")}
    wanted = set(module_dirs) if all_modules else {mid for cf in course_files for mid, _ in cf.module_refs}
    modules: dict[str, Module] = {}
    for module_id in sorted(wanted & set(module_dirs)):
        module = load_module(module_dirs[module_id], root, reporter)
        if module is not None:
            modules[module_id] = module

    courses = tuple(_attach_modules(cf, modules, module_dirs, root, reporter) for cf in course_files)
    return Project(root=str(root), courses=courses, modules=tuple(modules[k] for k in sorted(modules)))


def _attach_modules(
    cf: CourseFile, modules: dict[str, Module], module_dirs: dict[str, Path], root: Path, reporter: Reporter
) -> Course:
    resolved = []
    for module_id, loc in cf.module_refs:
        if module_id in modules:
            resolved.append(replace(modules[module_id], lang=cf.course.language))
        elif module_id not in module_dirs:
            reporter.error(
                loc,
                f"module '{module_id}' is listed but modules/{module_id}/module.md does not exist"
                f"{did_you_mean(module_id, module_dirs)}",
                "module-missing",
            )
    # Tailoring makes new module values: Project.modules keep the modules as written.
    listed = [module_id for module_id, _ in cf.module_refs]
    return tailor_course(cf.course, cf.tailoring, tuple(resolved), root, reporter, listed)
