"""The README's authoring example is a real project: it passes `check` and builds."""

from __future__ import annotations

import re
from pathlib import Path

from pimlearn.pipeline import BuildOptions, build, check
from tests.conftest import REPO, write_project


def readme_example() -> dict[str, str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    course = re.search(r"```yaml\n# courses/pim-foundations/course.yml\n(.*?)```", readme, re.S)
    module = re.search(r"````markdown\n(.*?)````", readme, re.S)
    assert course and module, "the README lost its authoring example"
    yml = course.group(1).replace("modules: [pim-intro, pim-principles]", "modules: [pim-principles]")
    return {"courses/pim-foundations/course.yml": yml, "modules/pim-principles/module.md": module.group(1)}


def test_the_authoring_example_checks_and_builds(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(readme_example())
    files["modules/pim-principles/images/principles-wheel.svg"] = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    root = write_project(tmp_path, files)
    assert [str(d) for d in check(root) if d.code != "catalog-outdated"] == []
    result = build(root, BuildOptions(formats=("web",), locales=("en",), out_dir=tmp_path / "dist"))
    assert result.warnings == ()
    page = (tmp_path / "dist/pim-foundations/en/web/pim-principles/do-no-harm.html").read_text(encoding="utf-8")
    assert 'data-question-id="risk-assessment"' in page
    assert "Facilitator notes" not in page
