"""Validate SCORM packages: the official XSDs (through a driver schema) plus the rules the XSDs miss.

The schemas are the ones pimlearn ships (``pimlearn/static/scorm-schemas``), byte-identical
to ADL's and pipwerks' copies. lxml needs three things the files do not give it:
a driver schema importing every namespace (libxml2 ignores ``xsi:schemaLocation``),
a local copy of the remote ``xml.xsd`` (2004), and two in-memory fixes to the 1.2
files that libxml2 rejects as shipped.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, unquote

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent.parent / "pimlearn" / "static" / "scorm-schemas"

IMPORTS = {
    "1.2": {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
    },
    "2004": {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        "http://ltsc.ieee.org/xsd/LOM": "lom.xsd",
    },
}
FOLDER = {"1.2": "scorm12", "2004": "scorm2004"}
CP = {"1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "2004": "http://www.imsglobal.org/xsd/imscp_v1p1"}
ADLCP = {"1.2": "http://www.adlnet.org/xsd/adlcp_rootv1p2", "2004": "http://www.adlnet.org/xsd/adlcp_v1p3"}
SCHEMAVERSION = {"1.2": "1.2", "2004": "2004 4th Edition"}
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


class _Fixes(etree.Resolver):
    """Serve the remote xml.xsd locally and patch the two 1.2 files libxml2 cannot load."""

    # lxml-stubs 0.5 mistypes Resolver (no context argument, no resolve_filename): checked at run time.
    def resolve(self, system_url: str, public_id: str, context: Any) -> Any:  # type: ignore[override]
        if system_url.endswith("2001/xml.xsd"):
            return self.resolve_filename(str(SCHEMAS / "scorm2004" / "xml.xsd"), context)  # type: ignore[attr-defined]
        name = system_url.rsplit("/", 1)[-1]
        if name == "ims_xml.xsd":
            text = (SCHEMAS / "scorm12" / name).read_text(encoding="utf-8")
            text = text.replace('xmlns="http://www.w3.org/XML/1998/namespace"', "", 1)
            return self.resolve_string(text, context)  # type: ignore[call-arg]
        if name == "imsmd_rootv1p2p1.xsd" and "scorm12" in system_url:
            text = (SCHEMAS / "scorm12" / name).read_text(encoding="utf-8")
            strict_any = 'namespace="##any" processContents="strict"'
            text = text.replace(strict_any, 'namespace="##other" processContents="strict"')
            return self.resolve_string(text, context)  # type: ignore[call-arg]
        return None


@functools.cache
def schema(version: str) -> etree.XMLSchema:
    """The driver schema of ``version`` ("1.2" or "2004")."""
    folder = SCHEMAS / FOLDER[version]
    imports = "\n".join(
        f'  <xs:import namespace="{ns}" schemaLocation="{(folder / href).as_uri()}"/>'
        for ns, href in IMPORTS[version].items()
    )
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="urn:pimlearn:driver" elementFormDefault="qualified">\n'
        f"{imports}\n</xs:schema>"
    )
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Fixes())
    doc = etree.parse(io.BytesIO(driver.encode()), parser, base_url=(folder / "driver.xsd").as_uri())
    return etree.XMLSchema(doc)


def validate_package(data: bytes, version: str) -> list[str]:
    """Every problem of a SCORM zip (XSD and rules); an empty list when the package is valid."""
    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "imsmanifest.xml" not in names:
            return ["imsmanifest.xml is not at the root of the zip"]
        manifest = archive.read("imsmanifest.xml")
    problems += validate_manifest(manifest, version)
    problems += check_files(manifest, version, set(names))
    return problems


def validate_manifest(manifest: bytes, version: str) -> list[str]:
    """XSD validation plus the rules of the SCORM application profile that the XSDs miss."""
    doc = etree.fromstring(manifest, etree.XMLParser(no_network=True))
    xsd = schema(version)
    errors: list[Any] = [] if xsd.validate(doc) else list(xsd.error_log)  # type: ignore[call-overload]
    problems = [f"xsd: line {e.line}: {e.message}" for e in errors]
    cp, adlcp = CP[version], ADLCP[version]
    ns = {"cp": cp}
    if doc.tag != f"{{{cp}}}manifest":
        problems.append(f"root element is {doc.tag}, expected the SCORM {version} manifest")
    if [e.text for e in doc.findall("cp:metadata/cp:schema", ns)] != ["ADL SCORM"]:
        problems.append("metadata/schema must be 'ADL SCORM'")
    if [e.text for e in doc.findall("cp:metadata/cp:schemaversion", ns)] != [SCHEMAVERSION[version]]:
        problems.append(f"metadata/schemaversion must be {SCHEMAVERSION[version]!r}")
    ids: dict[str, str] = {}
    for node in doc.iter():
        ident = node.get("identifier")
        if ident is None:
            continue
        ident = ident.strip()
        if not NCNAME.match(ident):
            problems.append(f"identifier {ident!r} is not an NCName")
        if ident in ids:
            problems.append(f"identifier {ident!r} is used twice")
        ids[ident] = etree.QName(node).localname
    orgs = doc.find("cp:organizations", ns)
    default = (orgs.get("default") or "").strip() if orgs is not None else ""
    if ids.get(default) != "organization":
        problems.append(f"organizations/@default {default!r} names no organization")
    resources = {r.get("identifier", "").strip(): r for r in doc.iterfind("cp:resources/cp:resource", ns)}
    right, wrong = ("scormtype", "scormType") if version == "1.2" else ("scormType", "scormtype")
    for ident, res in resources.items():
        if res.get(f"{{{adlcp}}}{wrong}") is not None:
            problems.append(f"resource {ident}: adlcp:{wrong} is the other SCORM version's spelling")
        if res.get(f"{{{adlcp}}}{right}") not in ("sco", "asset"):
            problems.append(f"resource {ident}: adlcp:{right} must be 'sco' or 'asset'")
        for dep in res.iterfind("cp:dependency", ns):
            if dep.get("identifierref", "").strip() not in resources:
                problems.append(f"resource {ident}: dependency on unknown resource {dep.get('identifierref')!r}")
        href = res.get("href")
        if res.get(f"{{{adlcp}}}{right}") == "sco" and not href:
            problems.append(f"resource {ident}: a SCO needs an href")
    for item in doc.iter(f"{{{cp}}}item"):
        ref = item.get("identifierref")
        leaf = item.find("cp:item", ns) is None
        if leaf and not ref:
            problems.append(f"item {item.get('identifier')}: a leaf item needs an identifierref")
        if not leaf and ref:
            problems.append(f"item {item.get('identifier')}: only leaf items may have an identifierref")
        if ref is not None:
            target = resources.get(ref.strip())
            if target is None:
                problems.append(f"item {item.get('identifier')}: identifierref {ref!r} names no resource")
            elif not target.get("href"):
                problems.append(f"item {item.get('identifier')}: its resource {ref!r} has no href")
        if item.find("cp:title", ns) is None:
            problems.append(f"item {item.get('identifier')}: no title")
    return problems


def check_files(manifest: bytes, version: str, names: set[str]) -> list[str]:
    """Every listed file exists, every file is listed (manifest and schemas excepted), hrefs are sane."""
    doc = etree.fromstring(manifest)
    ns = {"cp": CP[version]}
    problems = []
    listed: set[str] = set()
    for res in doc.iterfind("cp:resources/cp:resource", ns):
        # hrefs are URLs: percent-encoded, naming the zip's members once decoded (and nothing a URL must
        # encode may stay raw: a space or a non-ASCII letter in an href is an error)
        raw_hrefs = [res.get("href") or "", *(f.get("href", "") for f in res.iterfind("cp:file", ns))]
        for raw in raw_hrefs:
            if raw and quote(unquote(raw), safe="/") != raw:
                problems.append(f"href {raw!r} is not percent-encoded")
        href = unquote(res.get("href") or "") or None
        files = [unquote(f.get("href", "")) for f in res.iterfind("cp:file", ns)]
        if href and href not in files:
            problems.append(f"resource {res.get('identifier')}: href {href} is not among its files")
        for path in [*files, *([href] if href else [])]:
            parts = PurePosixPath(path)
            if "\\" in path or path.startswith("/") or ".." in parts.parts or not parts.suffix:
                problems.append(f"bad href {path!r}")
            if path not in names:
                problems.append(f"{path} is listed but not in the zip")
        listed.update(files)
    # Every file but the manifest itself is listed, the schemas (its control documents) included.
    for name in sorted(names - listed - {"imsmanifest.xml"}):
        problems.append(f"{name} is in the zip but listed in no resource")
    for loc in (doc.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") or "").split()[1::2]:
        if loc not in names:
            problems.append(f"schemaLocation names {loc}, which is not in the package")
    return problems
