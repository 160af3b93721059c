"""``:::`` containers: Pandoc/Quarto spellings as aliases, every other opener an error, ``---`` never a rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.formats.guide import guide_document
from pimlearn.load import load_project
from pimlearn.load.containers import Opener, read_opener
from pimlearn.model import Callout, Notes, Only
from pimlearn.pipeline import BuildOptions, build, check, plan
from pimlearn.render.jinja import templates
from tests.conftest import Files, write_project

C = "courses/c1/course.yml"
M = "modules/m1/module.md"
COURSE = "title: C\nversion: 1.0.0\nmodules: [m1]\n"
FRONT = "---\ntitle: T\n---\n\nIntro.\n\n## Section\n\n"


def _project(tmp_path: Path, body: str) -> Path:
    files: Files = {C: COURSE, M: FRONT + body}
    return write_project(tmp_path / "p", files)


def _errors(root: Path) -> list[str]:
    return [str(d) for d in check(root) if d.severity == "error"]


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ("notes", Opener("notes")),
        ("{.notes}", Opener("notes")),
        ("{#n1 .notes}", Opener("notes")),
        ("{.callout-tip}", Opener("tip")),
        ("{.callout-note}", Opener("tip")),
        ('{.callout-tip title="Try this"}', Opener("tip", "Try this")),
        ("{.callout-warning} Careful", Opener("warning", "Careful")),
        ("{.callout-caution}", Opener("warning")),
        ("{.callout-important}", Opener("warning")),
        ("{.example}", Opener("example")),
        ("only slides guide", Opener("only", "slides guide")),
        ('{.content-visible when-format="html"}', Opener("only", "elearning")),
        ('{.content-visible when-format="revealjs"}', Opener("only", "slides")),
        ('{.content-visible when-format="pdf"}', Opener("only", "guide")),
        ('{.content-hidden when-format="html"}', Opener("only", "slides guide")),
        ('{.content-visible unless-format="pptx"}', Opener("only", "elearning guide")),
    ],
)
def test_pandoc_and_quarto_spellings_are_aliases(info: str, expected: Opener) -> None:
    assert read_opener(info) == expected


def test_aliases_build_the_same_blocks_and_notes_never_reach_learners(tmp_path: Path) -> None:
    body = (
        "::: {.notes}\nSecret one.\n:::\n\n:::notes\nSecret two.\n:::\n\n"
        '::: {.callout-tip title="Try this"}\nA tip.\n:::\n\n'
        '::: {.content-visible when-format="revealjs"}\nSlide only.\n:::\n'
    )
    root = _project(tmp_path, body)
    assert _errors(root) == []
    blocks = load_project(root, Reporter()).modules[0].sections[0].blocks
    assert [type(b) for b in blocks] == [Notes, Notes, Callout, Only]
    tip = blocks[2]
    assert isinstance(tip, Callout) and tip.kind == "tip" and tip.title is not None
    assert tip.title.source == "Try this"
    build(root, BuildOptions(formats=("web",)))
    pages = "".join(p.read_text(encoding="utf-8") for p in (root / "dist").rglob("*.html"))
    assert "A tip." in pages and "Try this" in pages
    for hidden in ("Secret one.", "Secret two.", "Slide only.", ":::", "{.notes}"):
        assert hidden not in pages, hidden


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "::: {.columns}\nx\n:::\n",
            f"{M}:9:1: error: unknown container '::: {{.columns}}' (expected 'notes', 'only', 'tip', 'warning', "
            "'example' or 'definition', or a Pandoc/Quarto spelling of one: {.notes}, {.callout-tip}, "
            '{.content-visible when-format="html"}…) [container-unknown]',
        ),
        (
            "::: {.note}\nx\n:::\n",
            f"{M}:9:1: error: unknown container '::: {{.note}}' (did you mean 'notes'?) [container-unknown]",
        ),
        (
            "::: {.callout-tipp}\nx\n:::\n",
            f"{M}:9:1: error: unknown container '::: {{.callout-tipp}}' (did you mean 'callout-tip'?) "
            "[container-unknown]",
        ),
        (
            ":::nots\nx\n:::\n",
            f"{M}:9:1: error: unknown container '::: nots' (did you mean 'notes'?) [container-unknown]",
        ),
        (
            '::: {.content-visible when-format="epub"}\nx\n:::\n',
            f"{M}:9:1: error: unknown format 'epub' in '::: {{.content-visible when-format=\"epub\"}}' "
            "(expected 'html', 'html5', 'revealjs', 'pptx', 'beamer', 'pdf', 'latex', 'typst' or 'docx') "
            "[container-unknown]",
        ),
        (
            "::: {.content-visible}\nx\n:::\n",
            f'{M}:9:1: error: \'::: {{.content-visible}}\' needs one of when-format="..." or unless-format="..." '
            "[container-unknown]",
        ),
        (
            "::: {.notes\nx\n:::\n",
            f"{M}:9:1: error: unknown container '::: {{.notes' (did you mean 'notes'?) [container-unknown]",
        ),
        (
            "Text.\n:::\n",
            f"{M}:10:1: error: a ':::' line that closes no container: remove it, or name the container it opens "
            "(::: notes) [container-stray]",
        ),
        (
            "::: {.notes}\nFacilitator only.\n\nMore.\n",
            f"{M}:9:1: error: '::: {{.notes}}' is never closed: add a line with ':::' after its content "
            "[container-unclosed]",
        ),
    ],
)
def test_every_other_opener_is_a_located_error(tmp_path: Path, body: str, expected: str) -> None:
    assert _errors(_project(tmp_path, body)) == [expected]


def test_slide_breaks_are_no_rule_on_pages_or_in_the_guide(tmp_path: Path) -> None:
    root = _project(tmp_path, "Before the break.\n\n---\n\nAfter the break.\n")
    build(root, BuildOptions(formats=("web",)))
    page = (root / "dist/c1/en/web/m1/section.html").read_text(encoding="utf-8")
    assert "Before the break." in page and "After the break." in page
    assert "<hr" not in page
    project = load_project(root, Reporter())
    ctx = plan(project, BuildOptions(formats=("guide",)))[0]
    html = guide_document(ctx, templates(ctx.project_root, ctx.course)).html
    assert "After the break." in html and "<hr" not in html
