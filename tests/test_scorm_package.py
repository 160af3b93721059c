"""SCORM packages of the sample course: valid manifests (official XSDs + rules), reproducible zips, sizes, paths."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pimlearn.diagnostics import ContentError, Reporter
from pimlearn.load import load_project
from pimlearn.model import Course, plain_text
from pimlearn.package.zips import DEFAULT_EPOCH, STORED_SUFFIXES, deterministic_zip, zip_timestamp
from pimlearn.pipeline import BuildOptions, BuildResult, build, check
from tests.conftest import REPO, Files, PageWatch
from tests.scorm_validate import CP, validate_manifest, validate_package

SCORM_FORMATS = ("scorm12", "scorm2004")
IMSSS = "http://www.imsglobal.org/xsd/imsss"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"


def sample_courses() -> tuple[Course, ...]:
    """The sample project's courses as loaded, so that the tests follow the sample's modules and settings."""
    reporter = Reporter()
    project = load_project(REPO, reporter, all_modules=False)
    assert not reporter.errors
    return tuple(project.courses)


def foundations() -> Course:
    return next(c for c in sample_courses() if c.id == "pim-foundations")


def copy_sample(dest: Path, course_yml: Callable[[str], str] = lambda s: s) -> Path:
    """The repository's sample project, copied so that a test may change it."""
    shutil.copytree(REPO / "modules", dest / "modules")
    shutil.copytree(REPO / "courses" / "pim-foundations", dest / "courses" / "pim-foundations")
    path = dest / "courses" / "pim-foundations" / "course.yml"
    path.write_text(course_yml(path.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


def build_scorm(root: Path, out: Path, per_module: bool = False) -> BuildResult:
    # The tests below follow the sample course's module list (the tailored sample has its own tests).
    options = BuildOptions(courses=("pim-foundations",), formats=SCORM_FORMATS, out_dir=out, per_module=per_module)
    return build(root, options)


def version_of(path: Path | str) -> str:
    return "1.2" if str(path).endswith("scorm12.zip") else "2004"


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample course's SCORM packages, with --per-module."""
    out = tmp_path_factory.mktemp("scorm-dist")
    build_scorm(REPO, out, per_module=True)
    return out


@pytest.fixture(scope="module")
def single_sco(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The sample course packaged as one SCO."""
    root = copy_sample(
        tmp_path_factory.mktemp("single-sco"), lambda s: s.replace("packaging: multi-sco", "packaging: single-sco")
    )
    out = root / "dist"
    return out, build_scorm(root, out)


def all_packages(dist: Path) -> list[Path]:
    return sorted(dist.rglob("*.zip"))


# --------------------------------------------------------------------------- validity


def test_sample_builds_every_package_at_its_documented_path(dist: Path) -> None:
    assert [m.id for m in foundations().modules][:2] == ["pim-intro", "pim-principles"]
    names = {p.relative_to(dist).as_posix() for p in all_packages(dist)}
    expected = set()
    for course in (foundations(),):  # build_scorm builds the sample course (the others have their own tests)
        stem = f"{course.id}-{course.version}"
        for locale in course.locales:
            for suffix in SCORM_FORMATS:
                expected.add(f"{course.id}/{locale}/{stem}-{locale}-{suffix}.zip")
                for module in course.modules:
                    expected.add(f"{course.id}/{locale}/modules/{stem}-{locale}-{module.id}-{suffix}.zip")
    assert "pim-foundations/fr/modules/pim-foundations-1.0.0-fr-pim-intro-scorm12.zip" in expected
    assert names == expected


def test_every_package_is_valid(dist: Path, single_sco: tuple[Path, BuildResult]) -> None:
    packages = all_packages(dist) + all_packages(single_sco[0])
    # without --per-module, each course gives one package per locale and version
    assert len(all_packages(single_sco[0])) == 2 * len(foundations().locales)
    for path in packages:
        assert validate_package(path.read_bytes(), version_of(path)) == [], path.name


def test_validation_catches_what_an_lms_would_refuse(dist: Path) -> None:
    """The checks can fail: each broken manifest is reported."""
    for suffix, version in (("scorm12", "1.2"), ("scorm2004", "2004")):
        files = read_zip(dist / f"pim-foundations/en/pim-foundations-1.0.0-en-{suffix}.zip")
        good = files["imsmanifest.xml"].decode()
        spelling = "scormtype" if version == "1.2" else "scormType"
        other = "scormType" if version == "1.2" else "scormtype"
        broken = {
            "schemaversion": good.replace("<schemaversion>", "<schemaversion>x"),
            "spelling": good.replace(f"adlcp:{spelling}=", f"adlcp:{other}="),
            "dangling": good.replace('identifierref="res-m-pim-intro"', 'identifierref="res-nothing"'),
            "ncname": good.replace('identifier="item-m-pim-intro"', 'identifier="1 item"'),
            "xsd": good.replace("<organizations ", "<unknown/><organizations "),
            "default": good.replace('default="org-pim-foundations"', 'default="org-x"'),
        }
        for name, text in broken.items():
            assert validate_manifest(text.encode(), version), (version, name)
        missing = {n: d for n, d in files.items() if n != "pim-intro/index.html"}
        extra = {**files, "pim-intro/notes.txt": b"x"}
        for name, content in (("missing", missing), ("extra", extra)):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for path, data in content.items():
                    archive.writestr(path, data)
            assert validate_package(buffer.getvalue(), version), (version, name)


def manifest_of(path: Path) -> etree._Element:
    return etree.fromstring(read_zip(path)["imsmanifest.xml"])


def test_scorm12_manifest(dist: Path) -> None:
    doc = manifest_of(dist / "pim-foundations/en/pim-foundations-1.0.0-en-scorm12.zip")
    ns = {"cp": CP["1.2"], "adlcp": ADLCP12, "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}
    assert doc.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.2"
    org = doc.find("cp:organizations/cp:organization", ns)
    assert org is not None
    # Moodle: one non-launchable item wraps the modules, so its navigation works between them
    (root,) = org.findall("cp:item", ns)
    assert root.get("identifierref") is None
    modules = root.findall("cp:item", ns)
    course = foundations()
    assert [m.get("identifier") for m in modules] == [f"item-m-{m.id}" for m in course.modules]
    # the default report (completed/incomplete) leaves masteryscore out: with it, Moodle's default
    # "Mastery score overrides status" would turn the reported 'completed' into passed/failed
    assert [m.findtext("adlcp:masteryscore", namespaces=ns) for m in modules] == [None] * len(course.modules)
    for res in doc.iterfind("cp:resources/cp:resource", ns):
        assert res.get(f"{{{ADLCP12}}}scormtype") in ("sco", "asset")
    assert doc.findtext("cp:metadata/imsmd:lom/imsmd:general/imsmd:title/imsmd:langstring", namespaces=ns) == (
        "PIM Foundations"
    )
    assert doc.findtext("cp:metadata/imsmd:lom/imsmd:lifecycle/imsmd:version/imsmd:langstring", namespaces=ns) == (
        "1.0.0"
    )
    assert doc.get("version") == "1.0.0"


def test_scorm2004_manifest_sequencing(dist: Path) -> None:
    doc = manifest_of(dist / "pim-foundations/fr/pim-foundations-1.0.0-fr-scorm2004.zip")
    ns = {"cp": CP["2004"], "ss": IMSSS, "lom": "http://ltsc.ieee.org/xsd/LOM"}
    assert doc.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "2004 4th Edition"
    assert doc.findtext("cp:metadata/lom:lom/lom:general/lom:language", namespaces=ns) == "fr"
    assert doc.find("cp:metadata/lom:lom/lom:general/lom:title/lom:string", ns).get("language") == "fr"  # type: ignore[union-attr]
    org = doc.find("cp:organizations/cp:organization", ns)
    assert org is not None
    # flow navigation on the root activity and on the course cluster
    assert org.find("ss:sequencing/ss:controlMode", ns).get("flow") == "true"  # type: ignore[union-attr]
    (root,) = org.findall("cp:item", ns)
    assert root.find("ss:sequencing/ss:controlMode", ns).get("flow") == "true"  # type: ignore[union-attr]
    rules = [
        (
            r.get("childActivitySet"),
            r.xpath("string(ss:rollupConditions/ss:rollupCondition/@condition)", namespaces=ns),
            r.xpath("string(ss:rollupAction/@action)", namespaces=ns),
        )
        for r in root.iterfind("ss:sequencing/ss:rollupRules/ss:rollupRule", ns)
    ]
    assert ("all", "satisfied", "satisfied") in rules and ("all", "completed", "completed") in rules
    course = foundations()
    pass_marks = [f"{course.pass_mark(m) / 100:g}" for m in course.modules]
    assert pass_marks[:2] == ["0.8", "0.75"]
    weights = []
    for item, pass_mark in zip(root.findall("cp:item", ns), pass_marks, strict=True):
        primary = item.find("ss:sequencing/ss:objectives/ss:primaryObjective", ns)
        assert primary is not None and primary.get("satisfiedByMeasure") == "true"
        assert primary.findtext("ss:minNormalizedMeasure", namespaces=ns) == pass_mark
        delivery = item.find("ss:sequencing/ss:deliveryControls", ns)
        assert delivery is not None and delivery.get("objectiveSetByContent") == "true"
        weights.append(float(item.find("ss:sequencing/ss:rollupRules", ns).get("objectiveMeasureWeight")))  # type: ignore[union-attr, arg-type]
    # the course score is the modules' points-weighted average of their graded points (pim-intro has 5)
    points = [sum(q.points for q in m.questions if q.graded) for m in course.modules]
    assert points[0] == 5
    assert weights == pytest.approx([p / sum(points) for p in points], abs=1e-4)
    for res in doc.iterfind("cp:resources/cp:resource", ns):
        assert res.get("{http://www.adlnet.org/xsd/adlcp_v1p3}scormType") in ("sco", "asset")


def test_identifiers_are_stable_across_course_versions(tmp_path: Path) -> None:
    def identifiers(version: str) -> dict[str, list[str]]:
        root = copy_sample(tmp_path / version, lambda s: s.replace("version: 1.0.0", f"version: {version}"))
        build(root, BuildOptions(formats=SCORM_FORMATS, out_dir=root / "dist", locales=("en",)))
        found = {}
        for suffix in SCORM_FORMATS:
            doc = manifest_of(root / f"dist/pim-foundations/en/pim-foundations-{version}-en-{suffix}.zip")
            found[suffix] = [e.get("identifier") or "" for e in doc.iter() if e.get("identifier")]
        return found

    first, second = identifiers("1.0.0"), identifiers("1.1.0")
    assert first == second
    assert "pimlearn-pim-foundations-en" in first["scorm12"]


# --------------------------------------------------------------------------- the zip itself


def test_packages_are_reproducible(tmp_path: Path, dist: Path) -> None:
    again = tmp_path / "again"
    build_scorm(REPO, again, per_module=True)
    for path in all_packages(dist):
        assert (again / path.relative_to(dist)).read_bytes() == path.read_bytes(), path.name


def test_zip_entries_are_sorted_dated_and_readable_by_all(dist: Path) -> None:
    for path in all_packages(dist):
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = [i.filename for i in infos]
            assert names == sorted(names)
            assert "imsmanifest.xml" in names
            assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
            assert all(i.external_attr >> 16 == 0o100644 for i in infos)
            # Text is deflated; images and fonts, already compressed, are stored (deflating them gains nothing).
            stored = [i.filename for i in infos if i.compress_type == zipfile.ZIP_STORED]
            assert stored == [n for n in names if n.lower().endswith(STORED_SUFFIXES)]
            assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos if i.filename not in stored)
            assert not any(n.endswith("/") or "\\" in n for n in names)


def test_source_date_epoch_sets_every_timestamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(REPO, BuildOptions(formats=("scorm12",), out_dir=tmp_path, locales=("en",)))
    with zipfile.ZipFile(tmp_path / "pim-foundations/en/pim-foundations-1.0.0-en-scorm12.zip") as archive:
        assert {i.date_time for i in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_deterministic_zip_unit() -> None:
    files = {"b.txt": b"b", "a/x.html": b"x", "imsmanifest.xml": b"<m/>"}
    assert deterministic_zip(files) == deterministic_zip(dict(reversed(files.items())))
    assert zip_timestamp(None) == zip_timestamp(DEFAULT_EPOCH) == (1980, 1, 1, 0, 0, 0)
    assert zip_timestamp(0) == (1980, 1, 1, 0, 0, 0)  # zip cannot hold dates before 1980
    assert zip_timestamp(1700000001) == (2023, 11, 14, 22, 13, 20)  # 2-second steps
    for bad in ("/abs.txt", "../up.txt", "a\\b.txt"):
        with pytest.raises(ValueError):
            deterministic_zip({bad: b""})


def test_packages_load_nothing_from_the_internet(dist: Path) -> None:
    attribute = r"""(?:src|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//"""
    css = r"""url\(\s*["']?\s*(?:https?:)?//|@import"""
    loads = re.compile(f"{attribute}|{css}")
    for path in all_packages(dist):
        for name, data in read_zip(path).items():
            if name.endswith((".html", ".css", ".js", ".svg")):
                text = data.decode("utf-8")
                assert not loads.search(text), (path.name, name)
                assert "<link" not in text or not re.search(r"<link[^>]+href=[\"']https?:", text)


def test_sample_packages_stay_small(dist: Path) -> None:
    for locale in ("en", "fr", "es"):
        course = [dist / f"pim-foundations/{locale}/pim-foundations-1.0.0-{locale}-{s}.zip" for s in SCORM_FORMATS]
        assert sum(p.stat().st_size for p in course) < 300_000, locale
    assert max(p.stat().st_size for p in all_packages(dist)) < 1_500_000


def test_facilitator_notes_never_reach_a_package(dist: Path) -> None:
    notes = ["Hand out the A3 flyers now", "Keep the history short", "Start from what participants already do"]
    for path in all_packages(dist):
        for name, data in read_zip(path).items():
            if name.endswith(".html"):
                text = data.decode("utf-8")
                assert not any(n in text for n in notes), (path.name, name)


def test_each_module_package_holds_one_sco(dist: Path) -> None:
    path = dist / "pim-foundations/en/modules/pim-foundations-1.0.0-en-pim-principles-scorm2004.zip"
    files = read_zip(path)
    assert "pim-principles/index.html" in files and not any(n.startswith("pim-intro/") for n in files)
    doc = etree.fromstring(files["imsmanifest.xml"])
    assert doc.get("identifier") == "pimlearn-pim-foundations-en-pim-principles"
    items = list(doc.iter(f"{{{CP['2004']}}}item"))
    assert [i.get("identifierref") for i in items] == ["res-m-pim-principles"]


# --------------------------------------------------------------------------- settings and errors


def test_single_sco_packaging(single_sco: tuple[Path, BuildResult]) -> None:
    out, result = single_sco
    files = read_zip(out / "pim-foundations/en/pim-foundations-1.0.0-en-scorm12.zip")
    assert "index.html" in files and "pim-intro/images/pim-framework.svg" in files
    html = files["index.html"].decode()
    # both modules' questions, with ids that stay unique in one document
    assert 'id="pim-intro-q-launch-year-a"' in html and 'id="pim-principles-q-risk-assessment-a"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    doc = etree.fromstring(files["imsmanifest.xml"])
    items = list(doc.iter(f"{{{CP['1.2']}}}item"))
    assert len(items) == 1 and items[0].findtext(f"{{{ADLCP12}}}masteryscore") is None
    # pim-principles sets its own pass mark (75), which a single SCO cannot honour: the author is told
    codes = {(d.code, d.loc.path) for d in result.warnings}
    assert ("single-sco-pass-mark", "modules/pim-principles/module.md") in codes


def test_versions_setting_limits_the_packages(tmp_path: Path) -> None:
    root = copy_sample(tmp_path, lambda s: s.replace('versions: ["1.2", "2004"]', 'versions: ["2004"]'))
    build(root, BuildOptions(formats=SCORM_FORMATS, out_dir=root / "dist", locales=("en",)))
    names = [p.name for p in (root / "dist" / "pim-foundations").rglob("*.zip")]
    assert names == ["pim-foundations-1.0.0-en-scorm2004.zip"]


MANY_FILL_INS = "\n".join(
    f"""
```question
id: q{i}
type: fill-in
prompt: Word {i}?
answers: [word]
```
"""
    for i in range(9)
)


def test_suspend_data_that_may_not_fit_scorm12_fails_the_build(make_project: Callable[[Files], Path]) -> None:
    root = make_project(
        {
            "courses/c1/course.yml": "title: C\nversion: 1.0.0\nmodules: [m1]\n",
            "modules/m1/module.md": f"---\ntitle: Many answers\n---\n\nIntro.\n\n## Quiz\n{MANY_FILL_INS}",
        }
    )
    with pytest.raises(ContentError) as failure:
        build(root, BuildOptions(formats=("scorm12",), out_dir=root / "dist"))
    (error,) = failure.value.diagnostics
    assert error.code == "suspend-data-size" and error.severity == "error"
    assert str(error).startswith("modules/m1/module.md:1")
    assert "4096" in error.message and "9 fill-in questions" in error.message
    assert not (root / "dist").exists()
    # `pimlearn check` finds it too, without building anything.
    assert [d for d in check(root) if d.code == "suspend-data-size"] == [error]
    # SCORM 2004 keeps 64000 characters: the same module builds
    build(root, BuildOptions(formats=("scorm2004",), out_dir=root / "dist"))
    assert (root / "dist/c1/en/c1-1.0.0-en-scorm2004.zip").is_file()


def test_sample_fits_scorm12_suspend_data() -> None:
    from pimlearn.diagnostics import Reporter
    from pimlearn.load import load_project
    from pimlearn.render.player import sco_unit

    project = load_project(REPO, Reporter())
    course = project.course("pim-foundations")
    for module in course.modules:
        assert sco_unit(course, (module,), "k").worst_case_state() < 4096
    assert sco_unit(course, course.modules, "k").worst_case_state() < 4096


def test_a_passed_report_carries_the_mastery_score(tmp_path: Path) -> None:
    """``scorm: report_12: passed-failed``: the LMS learns each module's pass mark."""
    root = copy_sample(
        tmp_path, lambda s: s.replace("packaging: multi-sco", "packaging: multi-sco\n  report_12: passed-failed")
    )
    out = root / "dist"
    build(root, BuildOptions(formats=("scorm12",), out_dir=out, locales=("en",)))
    doc = manifest_of(out / "pim-foundations/en/pim-foundations-1.0.0-en-scorm12.zip")
    items = [i for i in doc.iter(f"{{{CP['1.2']}}}item") if i.get("identifierref")]
    course = foundations()
    marks = [i.findtext(f"{{{ADLCP12}}}masteryscore") for i in items]
    assert marks == [str(course.pass_mark(m)) for m in course.modules]
    assert marks[:2] == ["80", "75"]  # pim-principles sets its own pass mark


@pytest.mark.parametrize("version", ["scorm12", "scorm2004"])
def test_per_module_packages_describe_their_module(dist: Path, version: str) -> None:
    reporter = Reporter()
    course = load_project(REPO, reporter).course("pim-foundations")
    for module in course.modules:
        doc = manifest_of(dist / f"pim-foundations/en/modules/pim-foundations-1.0.0-en-{module.id}-{version}.zip")
        texts = [(e.text or "").strip() for e in doc.iter() if isinstance(e.tag, str)]
        title = plain_text(module.title)
        assert doc.findtext(f"{{{CP['1.2' if version == 'scorm12' else '2004']}}}organizations/*/*") == title
        assert title in texts and plain_text(course.title) not in texts
        assert module.summary is not None and plain_text(module.summary) in " ".join(texts)


@pytest.mark.browser
def test_file_names_with_spaces_and_accents_are_percent_encoded_hrefs(
    tmp_path: Path, http_root: tuple[str, Path], page: tuple[Any, PageWatch]
) -> None:
    """An image named ``cadre PIM é.svg``: the zip member keeps its name, the manifest and the page name it by
    its percent-encoded URL, and the LMS (any static server) serves it."""
    root = copy_sample(tmp_path / "src")
    images = root / "modules/pim-intro/images"
    (images / "pim-framework.svg").rename(images / "cadre PIM é.svg")
    module = root / "modules/pim-intro/module.md"
    module.write_text(module.read_text().replace("images/pim-framework.svg", "images/cadre%20PIM%20%C3%A9.svg"))
    out = tmp_path / "dist"
    build(root, BuildOptions(formats=SCORM_FORMATS, out_dir=out, locales=("en",)))
    for suffix in ("scorm12", "scorm2004"):
        package = out / f"pim-foundations/en/pim-foundations-1.0.0-en-{suffix}.zip"
        assert validate_package(package.read_bytes(), version_of(package)) == []
        files = read_zip(package)
        assert "pim-intro/images/cadre PIM é.svg" in files
        manifest = files["imsmanifest.xml"].decode()
        assert 'href="pim-intro/images/cadre%20PIM%20%C3%A9.svg"' in manifest and "cadre PIM" not in manifest
        html = files["pim-intro/index.html"].decode()
        assert 'src="images/cadre%20PIM%20%C3%A9.svg"' in html
    base, www = http_root
    with zipfile.ZipFile(out / "pim-foundations/en/pim-foundations-1.0.0-en-scorm12.zip") as archive:
        archive.extractall(www / "encoded")
    pg, watch = page
    pg.goto(f"{base}/encoded/pim-intro/index.html")
    pg.wait_for_selector("html.js")
    pg.wait_for_function(
        "(img => img && img.complete && img.naturalWidth > 0)(document.querySelector(\"img[src*='cadre']\"))"
    )
    assert watch.external_requests == []
