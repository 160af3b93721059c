"""``pimlearn new module``: says what to do next, or adds the module to a course with ``--course``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pimlearn.cli import main
from pimlearn.scaffold import add_module_to_course
from tests.conftest import write_project

COURSE_PATH = Path("courses/c1/course.yml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("title: C\nmodules: [m1]\n", "title: C\nmodules: [m1, new]\n"),
        (
            "modules: [m1, m2]  # order matters\nversion: 1.0.0\n",
            "modules: [m1, m2, new]  # order matters\nversion: 1.0.0\n",
        ),
        ("modules: []\n", "modules: [new]\n"),
        ("modules: [m1,\n  m2]\n", "modules: [m1,\n  m2, new]\n"),
        ("modules:\n  - m1\n  - m2\nversion: 1.0.0\n", "modules:\n  - m1\n  - m2\n  - new\nversion: 1.0.0\n"),
        ("modules:  # the order\n- m1\n# - old\n- m2", "modules:  # the order\n- m1\n# - old\n- m2\n- new\n"),
    ],
)
def test_the_module_is_appended_and_everything_else_stays_as_written(before: str, after: str) -> None:
    assert add_module_to_course(before, "new", COURSE_PATH) == after


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("modules: [m1, new]\n", "courses/c1/course.yml already lists 'new' in 'modules'"),
        ("modules:\n  - new\n", "courses/c1/course.yml already lists 'new' in 'modules'"),
        ("title: C\n", "cannot find the 'modules:' list in courses/c1/course.yml: add 'new' to it by hand"),
    ],
)
def test_what_cannot_be_added_is_said(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(") + "$"):
        add_module_to_course(text, "new", COURSE_PATH)


def test_new_module_with_course_passes_check_and_builds(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "p",
        {
            "courses/c1/course.yml": "title: C\nversion: 1.0.0\nmodules:\n  - m1\n",
            "modules/m1/module.md": "---\ntitle: One\n---\n\nText.\n",
        },
    )
    code, out, err = invoke("new", "module", "data-sharing", "--course", "c1", "--project", str(root))
    assert code == 0, err
    assert out.splitlines() == [
        f"pimlearn: created {root / 'modules/data-sharing/module.md'}",
        "pimlearn: added 'data-sharing' to the modules of courses/c1/course.yml",
    ]
    assert (root / "courses/c1/course.yml").read_text(encoding="utf-8").endswith("  - m1\n  - data-sharing\n")
    assert invoke("check", "--project", str(root))[0] == 0
    assert invoke("build", "-f", "web", "--project", str(root))[0] == 0
    assert (root / "dist/c1/en/web/data-sharing/index.html").is_file()


def test_new_module_without_course_says_what_to_do_next(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"courses/c1/course.yml": "title: C\nversion: 1.0.0\nmodules: [m1]\n"})
    code, out, _ = invoke("new", "module", "extra", "--project", str(root))
    assert code == 0
    assert out.splitlines()[1] == (
        "Next: no course lists 'extra' yet, so no build includes it: add it to the 'modules:' list of "
        "courses/c1/course.yml (next time, 'pimlearn new module ID --course c1' does it)"
    )


def test_an_unknown_course_creates_nothing(tmp_path: Path) -> None:
    root = write_project(tmp_path / "p", {"courses/c1/course.yml": "title: C\nversion: 1.0.0\nmodules: [m1]\n"})
    code, _, err = invoke("new", "module", "extra", "--course", "c2", "--project", str(root))
    assert code == 2 and "no course 'c2' (courses: c1)" in err
    assert not (root / "modules/extra").exists()
    code, _, err = invoke("new", "module", "m1", "--course", "c1", "--project", str(root))
    assert code == 2 and "already lists 'm1'" in err
    assert not (root / "modules/m1").exists()
