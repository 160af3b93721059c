"""The build cache: an unchanged input renders nothing, a change renders what reads it, nothing stale is trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pimlearn.package.cache import CACHE_DIR, stable_bytes
from pimlearn.package.transaction import STAGING
from pimlearn.pipeline import BuildOptions, BuildResult, build, content_date

from .conftest import MINIMAL_MODULE, write_project

REPO = Path(__file__).resolve().parent.parent
COURSE = "title: Mini course\nversion: 1.0.0\nlocales: [en, fr]\nmodules: [m1]\n"
UI_PO = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: mini\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n"Language: fr\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
)


def project(root: Path) -> Path:
    """A one-module course in English and French, with a (header-only) French UI catalog."""
    return write_project(
        root,
        {
            "courses/c1/course.yml": COURSE,
            "modules/m1/module.md": MINIMAL_MODULE,
            "locales/fr/LC_MESSAGES/ui.po": UI_PO,
        },
    )


def outputs(root: Path) -> dict[str, bytes]:
    """Every output file (the cache's records, the lock and the writer's record aside)."""
    dist = root / "dist"
    return {
        p.relative_to(dist).as_posix(): p.read_bytes()
        for p in dist.rglob("*")
        if p.is_file() and CACHE_DIR not in p.parts and not p.name.startswith(".pimlearn")
    }


def rendered(result: BuildResult) -> set[tuple[str, str]]:
    """The (locale, format) targets a build rendered rather than took from the cache."""
    return {(o.locale, o.format) for o in result.outputs if not o.cached}


FORMATS = ("web", "scorm12", "moodle-xml")


def test_a_rebuild_renders_nothing_and_changes_no_file(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    first = build(root, BuildOptions(formats=FORMATS, jobs=1))
    assert rendered(first) == {(loc, f) for loc in ("en", "fr") for f in FORMATS}
    before = outputs(root)
    times = {p: (root / "dist" / p).stat().st_mtime_ns for p in before}
    again = build(root, BuildOptions(formats=FORMATS, jobs=1))
    assert rendered(again) == set() and again.report.written == ()
    assert outputs(root) == before
    assert {p: (root / "dist" / p).stat().st_mtime_ns for p in before} == times


def test_an_edit_renders_only_the_targets_that_read_it(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    build(root, BuildOptions(formats=FORMATS, jobs=1))
    po = root / "locales/fr/LC_MESSAGES/ui.po"
    po.write_text("# A translator's note.\n" + UI_PO, encoding="utf-8")
    assert rendered(build(root, BuildOptions(formats=FORMATS, jobs=1))) == {("fr", f) for f in FORMATS}
    module = root / "modules/m1/module.md"
    module.write_text(MINIMAL_MODULE.replace("Text.", "Changed text."), encoding="utf-8")
    result = build(root, BuildOptions(formats=FORMATS, jobs=1))
    assert rendered(result) == {(loc, f) for loc in ("en", "fr") for f in FORMATS}
    assert any(b"Changed text." in data for path, data in outputs(root).items() if path.endswith(".html"))


def test_force_renders_everything_again(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    build(root, BuildOptions(formats=FORMATS, jobs=1))
    before = outputs(root)
    result = build(root, BuildOptions(formats=FORMATS, jobs=1, force=True))
    assert len(rendered(result)) == 2 * len(FORMATS)
    assert outputs(root) == before  # and the rendering is reproducible


def test_a_changed_output_or_a_broken_record_is_never_trusted(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    build(root, BuildOptions(formats=FORMATS, jobs=1))
    before = outputs(root)
    page = next(root / "dist" / p for p in before if p.startswith("c1/fr/web/") and p.endswith(".html"))
    page.write_text("edited by hand", encoding="utf-8")
    (root / "dist" / "c1/en/c1-1.0.0-en-scorm12.zip").unlink()
    result = build(root, BuildOptions(formats=FORMATS, jobs=1))
    assert rendered(result) == {("fr", "web"), ("en", "scorm12")}
    assert outputs(root) == before

    for whole in (root / "dist" / CACHE_DIR).glob("build-*.json"):
        whole.unlink()  # the whole build's record would say "nothing to do": look at the targets' records
    records = sorted((root / "dist" / CACHE_DIR).glob("*.json"))
    assert len(records) == 2 * len(FORMATS)
    records[0].write_bytes(b"\x00not json")  # a torn or corrupted record
    data = json.loads(records[1].read_text(encoding="utf-8"))
    data["files"][0][1] = "0" * 64  # a record whose hash no longer matches the file
    records[1].write_text(json.dumps(data), encoding="utf-8")
    assert len(rendered(build(root, BuildOptions(formats=FORMATS, jobs=1)))) == 2
    assert outputs(root) == before


KILLED_BUILD = textwrap.dedent(
    """
    import os, signal, sys
    from pimlearn.cli import main
    from pimlearn.package.cache import BuildCache

    dist, die_at = sys.argv[1], int(sys.argv[2])
    calls = 0
    real = os.replace

    def replace(src, dst):
        global calls
        if str(dst).startswith(dist):
            calls += 1
            if calls == die_at:
                os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst)

    def store(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if die_at:
        os.replace = replace
    else:
        BuildCache.store = store
    main(["build", "-j", "1", "-f", "web", "-f", "scorm12", "--project", sys.argv[3]])
    """
)


@pytest.mark.parametrize("die_at", [3, 0])
def test_a_killed_build_leaves_no_record_that_claims_its_files(tmp_path: Path, die_at: int) -> None:
    """Killed mid-switch (at the third rename) or after the commit, before the cache is told (0): all is right."""
    root = project(tmp_path / "p")
    options = BuildOptions(formats=("web", "scorm12"), jobs=1)
    build(root, options)
    before = outputs(root)
    module = root / "modules/m1/module.md"
    module.write_text(MINIMAL_MODULE.replace("Text.", "Changed text."), encoding="utf-8")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(root / "dist"), str(die_at), str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert killed.returncode == -9, killed.stderr
    # Back to the old sources: the old records match their key again, but some files may be new.
    module.write_text(MINIMAL_MODULE, encoding="utf-8")
    build(root, options)
    assert outputs(root) == before
    assert not (root / "dist" / STAGING).exists()
    # And forward again: every target shows the change.
    module.write_text(MINIMAL_MODULE.replace("Text.", "Changed text."), encoding="utf-8")
    build(root, options)
    pages = [d for p, d in outputs(root).items() if p.endswith(".html") and "/web/" in p]
    assert any(b"Changed text." in page for page in pages) and not any(b">Text.<" in page for page in pages)


NO_OP = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pimlearn.pipeline import BuildOptions, build

    result = build(Path(sys.argv[1]), BuildOptions(jobs=1))
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("weasyprint", "pptx"))
    print(len([o for o in result.outputs if not o.cached]), len(result.report.written), heavy)
    """
)


def test_a_no_op_rebuild_of_every_format_imports_no_renderer_and_rewrites_no_guide(tmp_path: Path) -> None:
    """Without SOURCE_DATE_EPOCH: the guide's date comes from the sources, so the PDF is the same file."""
    root = project(tmp_path / "p")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", NO_OP, str(root)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
        )
        for _ in range(2)
    ]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    assert runs[0].stdout.split()[0] != "0"
    assert runs[1].stdout.strip() == "0 0 []"
    # A forced render of the guide gives the same bytes: its date is not the build time.
    guide = next((root / "dist").rglob("*-facilitator-guide.pdf"))
    old = guide.read_bytes()
    result = build(root, BuildOptions(formats=("guide",), locales=("en",), jobs=1, force=True))
    assert rendered(result) == {("en", "guide")} and guide.read_bytes() == old


def test_the_guide_date_is_when_the_sources_last_changed(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    from pimlearn.diagnostics import Reporter
    from pimlearn.load import load_project

    course = load_project(root, Reporter()).courses[0]
    for i, path in enumerate(sorted(p for p in root.rglob("*") if p.is_file())):
        os.utime(path, (1_600_000_000 + i, 1_600_000_000 + i))
    newest = 1_600_000_000 + len([p for p in root.rglob("*") if p.is_file()]) - 1
    assert content_date(root, course, "fr") == newest
    os.utime(root / "locales/fr/LC_MESSAGES/ui.po", (1_700_000_000, 1_700_000_000))  # not a course catalog
    assert content_date(root, course, "fr") == newest
    os.utime(root / "modules/m1/module.md", (1_700_000_000, 1_700_000_000))
    assert content_date(root, course, "en") == 1_700_000_000


def test_keys_do_not_depend_on_set_order_or_hash_seed() -> None:
    a = frozenset({"guide", "web", "slides", "pptx"})
    b = frozenset(sorted(a, reverse=True))
    assert stable_bytes(a) == stable_bytes(b)
    assert stable_bytes((a, {"x": 1, "y": 2})) == stable_bytes((b, {"y": 2, "x": 1}))
    assert stable_bytes(frozenset({"a"})) != stable_bytes(frozenset({"b"}))
    with pytest.raises(TypeError):
        stable_bytes(object())


def test_a_build_with_nothing_to_do_still_notices_a_stray_file_or_a_damaged_record(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    build(root, BuildOptions(formats=FORMATS, jobs=1))
    before = outputs(root)
    quick = build(root, BuildOptions(formats=FORMATS, jobs=1))
    assert set(quick.timings) == {"cache"}  # nothing loaded, translated, rendered or written
    assert quick.report.written == () and set(quick.report.unchanged) == set(before)
    stray = root / "dist/c1/en/web/stray.html"
    stray.write_text("left by hand", encoding="utf-8")
    result = build(root, BuildOptions(jobs=1, formats=FORMATS))
    assert "load" in result.timings and not stray.exists() and outputs(root) == before
    for record in (root / "dist" / CACHE_DIR).glob("build-*.json"):
        record.write_text('{"version": 1, "key": "', encoding="utf-8")
    result = build(root, BuildOptions(formats=FORMATS, jobs=1))
    assert "load" in result.timings and rendered(result) == set() and outputs(root) == before
    assert set(build(root, BuildOptions(formats=FORMATS, jobs=1)).timings) == {"cache"}


def test_slides_and_pptx_of_one_context_fit_each_deck_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pimlearn.diagnostics import Reporter
    from pimlearn.formats import finish, pptx, slides
    from pimlearn.load import load_project
    from pimlearn.pipeline import plan

    root = project(tmp_path / "p")
    contexts = plan(load_project(root, Reporter()), BuildOptions(locales=("fr",)))
    from pimlearn.render.deck import build_deck as real

    calls: list[str] = []

    def counted(*args: object, **kwargs: object) -> object:
        calls.append("deck")
        return real(*args, **kwargs)  # type: ignore[arg-type]  # only counted

    monkeypatch.setattr(slides, "build_deck", counted)
    html, deck = slides.render(contexts[0]), finish(pptx.render(contexts[0]))
    assert len(calls) == 1  # one module, one fit for both formats
    assert any(a.path.endswith(".html") for a in html.artifacts) and any(
        a.path.endswith(".pptx") for a in deck.artifacts
    )
    slides.render(plan(load_project(root, Reporter()), BuildOptions(locales=("fr",)))[0])
    assert len(calls) == 2  # another context (another build) fits its own


def test_the_cli_takes_force(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pimlearn.cli import main

    root = project(tmp_path / "p")
    args = ["build", "-q", "-f", "web", "--project", str(root)]
    assert CliRunner().invoke(main, args).exit_code == 0
    stray = root / "dist" / CACHE_DIR / "keep.json"
    stray.write_text("{}", encoding="utf-8")  # a record no target uses: a complete build prunes it, -f web does not
    records = sorted(p.name for p in (root / "dist" / CACHE_DIR).iterdir())
    forced = CliRunner().invoke(main, ["build", "-f", "web", "--project", str(root), "--force", "-v"])
    assert forced.exit_code == 0, forced.output
    assert "load" in forced.output and "render:web" in forced.output  # rendered again, not taken from the cache
    assert sorted(p.name for p in (root / "dist" / CACHE_DIR).iterdir()) == records


def test_a_key_changes_with_every_input_its_target_reads_and_no_other(tmp_path: Path) -> None:
    from pimlearn.package.cache import BuildCache

    root = project(tmp_path / "p")
    write_project(root, {"modules/m1/images/a.svg": "<svg/>", "locales/es/LC_MESSAGES/ui.po": UI_PO})

    def key(locale: str) -> str:
        cache = BuildCache(root, root / "dist")  # a new build: folders are hashed again
        return cache.key(("the context", locale), "web", "courses/c1", ["modules/m1"], locale)

    fr, en = key("fr"), key("en")
    assert key("fr") == fr and fr != en
    (root / "locales/es/LC_MESSAGES/ui.po").write_text(UI_PO + "\n", encoding="utf-8")
    assert (key("fr"), key("en")) == (fr, en)  # another locale's catalog
    for rel in ("locales/fr/LC_MESSAGES/ui.po", "modules/m1/images/a.svg", "courses/c1/course.yml"):
        before = key("fr")
        path = root / rel
        path.write_bytes(path.read_bytes() + b"\n")
        assert key("fr") != before, rel
    before = key("fr")
    write_project(root, {"templates/web/page.html.j2": "{{ x }}"})  # a project template appears
    assert key("fr") != before


def test_the_environment_key_follows_dependency_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from pimlearn.package import cache

    cache.environment_key.cache_clear()
    before = cache.environment_key()
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "weasyprint" else real(name))
    cache.environment_key.cache_clear()
    try:
        assert cache.environment_key() != before
    finally:
        monkeypatch.undo()
        cache.environment_key.cache_clear()
    assert cache.environment_key() == before
