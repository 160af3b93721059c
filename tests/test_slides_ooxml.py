"""Every generated PPTX against the ECMA-376 transitional schemas, in the build's language, reopened by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from tests import slides_support
from tests.conftest import need

use_rtl_build = slides_support.rtl_build  # the fixture, collected under its own name 'rtl_build'

SCHEMAS = Path(__file__).parent / "ooxml-schemas"
PML = "http://schemas.openxmlformats.org/presentationml/2006/main"
DML = "http://schemas.openxmlformats.org/drawingml/2006/main"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def schema_for(root: etree._Element) -> etree.XMLSchema | None:
    namespace = etree.QName(root).namespace
    if namespace in (PML, DML):  # pml.xsd imports DrawingML: themes and table styles validate too
        return schema("pml.xsd")
    if namespace == CONTENT_TYPES:
        return schema("opc-contentTypes.xsd")
    if namespace == RELATIONSHIPS:
        return schema("opc-relationships.xsd")
    return None  # document properties (Dublin Core, extended): outside PresentationML


def decks(*builds: Path) -> list[Path]:
    return sorted(p for build in builds for p in build.glob("*/*/slides/*.pptx"))


def validate(pptx: Path) -> tuple[list[str], set[str]]:
    """Schema errors of every part, and the kinds of root element that were validated."""
    errors: list[str] = []
    checked: set[str] = set()
    with zipfile.ZipFile(pptx) as z:
        for name in z.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(z.read(name))
            xsd = schema_for(root)
            if xsd is None:
                continue
            checked.add(etree.QName(root).localname)
            if not xsd.validate(root):
                errors += [f"{pptx.name}:{name}:{e.line}: {e.message}" for e in list(xsd.error_log)]  # type: ignore[call-overload]
    return errors, checked


def test_every_deck_is_schema_valid(sample_build: Path, rtl_build: Path) -> None:
    found = decks(sample_build, rtl_build)
    assert len(found) >= 8  # two modules in en, fr, es; one in en and ar
    errors: list[str] = []
    for pptx in found:
        problems, checked = validate(pptx)
        errors += problems
        assert {"presentation", "sld", "sldLayout", "sldMaster", "notes", "theme", "Types", "Relationships"} <= checked
    assert errors == []


def test_the_schemas_catch_what_powerpoint_repairs(sample_build: Path, tmp_path: Path) -> None:
    # Two autofit elements in one bodyPr (the bug PowerPoint offered to repair) must not validate.
    src = decks(sample_build)[0]
    with zipfile.ZipFile(src) as z:
        slide = etree.fromstring(z.read("ppt/slides/slide2.xml"))
    body_pr = slide.find(f".//{{{DML}}}bodyPr")
    assert body_pr is not None
    body_pr.append(etree.Element(f"{{{DML}}}spAutoFit"))
    body_pr.append(etree.Element(f"{{{DML}}}normAutofit"))
    assert not schema("pml.xsd").validate(slide)


@pytest.mark.parametrize(("locale", "lang"), [("fr", "fr"), ("es", "es")])
def test_deck_language_is_the_build_locale(sample_build: Path, locale: str, lang: str) -> None:
    pptx = sample_build / "pim-foundations" / locale / "slides" / "pim-intro.pptx"
    with zipfile.ZipFile(pptx) as z:
        for name in z.namelist():
            if not name.endswith(".xml") or not name.startswith("ppt/"):
                continue
            root = etree.fromstring(z.read(name))
            langs = {el.get("lang") for el in root.iter() if el.get("lang") is not None}
            assert "en-US" not in langs, name
            if name.startswith(("ppt/slideMasters/", "ppt/slideLayouts/", "ppt/notesMasters/")) or name == (
                "ppt/presentation.xml"
            ):
                assert langs == {lang}, name


def test_arabic_deck_language(rtl_build: Path) -> None:
    with zipfile.ZipFile(rtl_build / "c1/ar/slides/m1.pptx") as z:
        master = etree.fromstring(z.read("ppt/slideMasters/slideMaster1.xml"))
        presentation = etree.fromstring(z.read("ppt/presentation.xml"))
    assert {el.get("lang") for el in master.iter() if el.get("lang")} == {"ar"}
    assert {el.get("lang") for el in presentation.iter() if el.get("lang")} == {"ar"}


def test_libreoffice_reopens_every_deck(sample_build: Path, rtl_build: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    need(soffice is not None, "LibreOffice is not installed (Debian package 'libreoffice-impress-nogui')")
    assert soffice is not None
    # One LibreOffice start for every deck (it is slow to start): copies named by locale.
    src = tmp_path / "in"
    src.mkdir()
    copies = []
    for pptx in decks(sample_build, rtl_build):
        copy = src / f"{pptx.parent.parent.name}-{pptx.name}"
        shutil.copyfile(pptx, copy)
        copies.append(copy)
    out = tmp_path / "out"
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    result = subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, copies)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "error" not in (result.stderr + result.stdout).lower(), result.stderr + result.stdout
    for copy in copies:
        pdf = out / f"{copy.stem}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000, copy.name
