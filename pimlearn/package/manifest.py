"""``imsmanifest.xml``: a frozen model of a content package, written with lxml for SCORM 1.2 or 2004 4th Edition.

The model says what the package holds (an organization tree of items, the
resources and their files, course metadata); :func:`manifest_xml` spells it in
the namespaces, attribute names and extension elements of each SCORM version.
Identifiers are the caller's: they must be NCNames, and pimlearn derives them
from course and module ids so that they stay the same from one version of a
course to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from .zips import url_path

ScormVersion = Literal["1.2", "2004"]

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

NAMESPACES: dict[ScormVersion, dict[str | None, str]] = {
    "1.2": {
        None: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
        "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
        "xsi": XSI,
    },
    "2004": {
        None: "http://www.imsglobal.org/xsd/imscp_v1p1",
        "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
        "imsss": "http://www.imsglobal.org/xsd/imsss",
        "lom": "http://ltsc.ieee.org/xsd/LOM",
        "xsi": XSI,
    },
}
"""The namespaces each version's manifest declares (prefix -> URI; ``None`` is the default namespace)."""

SCHEMA_FILES: dict[ScormVersion, dict[str, str]] = {
    "1.2": {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    },
    "2004": {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        "http://ltsc.ieee.org/xsd/LOM": "lom.xsd",
    },
}
"""``xsi:schemaLocation``: each namespace's schema, shipped at the package root."""

SCHEMA_VERSION: dict[ScormVersion, str] = {"1.2": "1.2", "2004": "2004 4th Edition"}


@dataclass(frozen=True, slots=True)
class Item:
    """An entry of the organization tree: a leaf launches a resource, a parent groups items.

    ``pass_mark`` (percent) makes the item scored: SCORM 1.2 writes it as
    ``adlcp:masteryscore``, SCORM 2004 as a primary objective satisfied by
    measure. ``weight`` is the item's share (0-1) of its parent's score in
    SCORM 2004 rollup; an item with ``pass_mark=None`` takes no part in the
    parent's pass/fail rollup.
    """

    identifier: str
    title: str
    resource: str | None = None
    children: tuple[Item, ...] = ()
    pass_mark: int | None = None
    weight: float = 1.0
    objective_id: str | None = None
    masteryscore: bool = True
    """SCORM 1.2: write the pass mark as ``adlcp:masteryscore`` (an LMS may then override the reported status)."""

    def walk(self) -> Iterator[Item]:
        """This item and every item below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Organization:
    """The package's one organization: its title and top-level items."""

    identifier: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource: a launchable SCO (``href``) or a set of shared asset files."""

    identifier: str
    files: tuple[str, ...]
    href: str | None = None
    scorm_type: Literal["sco", "asset"] = "sco"
    dependencies: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Metadata:
    """Course metadata for the LMS catalogue (IEEE LOM general and life cycle)."""

    title: str
    language: str
    description: str = ""
    version: str = ""


@dataclass(frozen=True, slots=True)
class Manifest:
    """A whole content package."""

    identifier: str
    version: str
    metadata: Metadata
    organization: Organization
    resources: tuple[Resource, ...]

    def files(self) -> tuple[str, ...]:
        """Every file the resources list, each once, in order."""
        return tuple(dict.fromkeys(f for r in self.resources for f in r.files))


def manifest_xml(manifest: Manifest, version: ScormVersion) -> bytes:
    """The ``imsmanifest.xml`` of ``manifest`` for SCORM ``version``, UTF-8 with an XML declaration."""
    x = _Builder(version)
    root = x.el(None, "manifest")
    root.set("identifier", manifest.identifier)
    root.set("version", manifest.version)
    locations = " ".join(f"{uri} {href}" for uri, href in SCHEMA_FILES[version].items())
    root.set(f"{{{XSI}}}schemaLocation", locations)

    metadata = x.el(root, "metadata")
    x.el(metadata, "schema", "ADL SCORM")
    x.el(metadata, "schemaversion", SCHEMA_VERSION[version])
    if version == "1.2":
        _lom_12(metadata, manifest.metadata, x.ns["imsmd"])
    else:
        _lom_2004(metadata, manifest.metadata, x.ns["lom"])

    organizations = x.el(root, "organizations")
    organizations.set("default", manifest.organization.identifier)
    org = x.el(organizations, "organization")
    org.set("identifier", manifest.organization.identifier)
    x.el(org, "title", manifest.organization.title)
    for item in manifest.organization.items:
        _item(x, org, item)
    if version == "2004":
        # The root activity must allow flow navigation, or an LMS cannot "start" the course
        # (the SCORM 2004 default is flow="false").
        _control_mode(x.el(org, "sequencing", ns="imsss"), x.ns["imsss"])

    resources = x.el(root, "resources")
    for resource in manifest.resources:
        res = x.el(resources, "resource")
        res.set("identifier", resource.identifier)
        res.set("type", "webcontent")
        res.set(f"{{{x.ns['adlcp']}}}{'scormtype' if version == '1.2' else 'scormType'}", resource.scorm_type)
        # Resources list zip member names; an href is a URL naming them (spaces and non-ASCII encoded).
        if resource.href:
            res.set("href", url_path(resource.href))
        for path in resource.files:
            x.el(res, "file").set("href", url_path(path))
        for dependency in resource.dependencies:
            x.el(res, "dependency").set("identifierref", dependency)

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class _Builder:
    """Makes elements in one version's namespaces."""

    def __init__(self, version: ScormVersion) -> None:
        self.version = version
        self.ns = NAMESPACES[version]

    def el(
        self, parent: etree._Element | None, tag: str, text: str | None = None, ns: str | None = None
    ) -> etree._Element:
        """A new element ``tag`` in namespace prefix ``ns`` (default: the content packaging namespace)."""
        name = f"{{{self.ns[ns]}}}{tag}"
        if parent is None:
            # lxml takes None as the default namespace's prefix; its stubs only know str keys.
            return etree.Element(name, nsmap=self.ns)  # type: ignore[arg-type]
        node = etree.SubElement(parent, name)
        if text is not None:
            node.text = text
        return node


def _item(x: _Builder, parent: etree._Element, item: Item) -> None:
    node = x.el(parent, "item")
    node.set("identifier", item.identifier)
    if item.resource:
        node.set("identifierref", item.resource)
    x.el(node, "title", item.title)
    for child in item.children:
        _item(x, node, child)
    if x.version == "1.2":
        if item.pass_mark is not None and item.resource and item.masteryscore:
            x.el(node, "masteryscore", str(item.pass_mark), ns="adlcp")
        return
    _sequencing_2004(node, item, x.ns["imsss"])


def _sequencing_2004(node: etree._Element, item: Item, imsss: str) -> None:
    """``imsss:sequencing`` of an item: flow navigation and rollup for a parent; objective for a scored leaf."""
    seq = etree.SubElement(node, f"{{{imsss}}}sequencing")
    if item.children:
        _control_mode(seq, imsss)
        rules = etree.SubElement(seq, f"{{{imsss}}}rollupRules")
        _rollup_weight(rules, item)
        # The course is passed when every scored module is passed, failed once every scored
        # module has a result and one is not passed; completed when every module is completed.
        # (The SCORM defaults say much the same; spelling them out keeps LMSs that skip defaults right.)
        _rollup_rule(rules, imsss, "all", "objectiveStatusKnown", "notSatisfied")
        _rollup_rule(rules, imsss, "all", "satisfied", "satisfied")
        _rollup_rule(rules, imsss, "any", "attempted", "incomplete")
        _rollup_rule(rules, imsss, "all", "completed", "completed")
        return
    rules = etree.SubElement(seq, f"{{{imsss}}}rollupRules")
    _rollup_weight(rules, item)
    if item.pass_mark is not None:
        objectives = etree.SubElement(seq, f"{{{imsss}}}objectives")
        primary = etree.SubElement(objectives, f"{{{imsss}}}primaryObjective")
        if item.objective_id:
            primary.set("objectiveID", item.objective_id)
        primary.set("satisfiedByMeasure", "true")
        etree.SubElement(primary, f"{{{imsss}}}minNormalizedMeasure").text = _decimal(item.pass_mark / 100)
    delivery = etree.SubElement(seq, f"{{{imsss}}}deliveryControls")
    delivery.set("completionSetByContent", "true")
    delivery.set("objectiveSetByContent", "true")


def _rollup_weight(rules: etree._Element, item: Item) -> None:
    if item.pass_mark is None and not item.children:
        # An unscored module counts for completion only: it can neither pass nor fail the course.
        rules.set("rollupObjectiveSatisfied", "false")
        rules.set("objectiveMeasureWeight", "0")
    else:
        rules.set("objectiveMeasureWeight", _decimal(item.weight))


def _control_mode(seq: etree._Element, imsss: str) -> None:
    mode = etree.SubElement(seq, f"{{{imsss}}}controlMode")
    mode.set("choice", "true")
    mode.set("flow", "true")


def _rollup_rule(rules: etree._Element, imsss: str, children: str, condition: str, action: str) -> None:
    rule = etree.SubElement(rules, f"{{{imsss}}}rollupRule")
    rule.set("childActivitySet", children)
    conditions = etree.SubElement(rule, f"{{{imsss}}}rollupConditions")
    etree.SubElement(conditions, f"{{{imsss}}}rollupCondition").set("condition", condition)
    etree.SubElement(rule, f"{{{imsss}}}rollupAction").set("action", action)


def _decimal(value: float) -> str:
    """A decimal with at most 4 places and no exponent (weights and measures in the imsss schema)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _lom_12(metadata: etree._Element, meta: Metadata, imsmd: str) -> None:
    def sub(parent: etree._Element, tag: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{imsmd}}}{tag}")

    def langstring(parent: etree._Element, text: str) -> None:
        node = sub(parent, "langstring")
        node.set(f"{{{XML_NS}}}lang", meta.language)
        node.text = text

    lom = sub(metadata, "lom")
    general = sub(lom, "general")
    langstring(sub(general, "title"), meta.title)
    sub(general, "language").text = meta.language
    if meta.description:
        langstring(sub(general, "description"), meta.description)
    if meta.version:
        langstring(sub(sub(lom, "lifecycle"), "version"), meta.version)


def _lom_2004(metadata: etree._Element, meta: Metadata, lom_ns: str) -> None:
    def sub(parent: etree._Element, tag: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{lom_ns}}}{tag}")

    def langstring(parent: etree._Element, text: str) -> None:
        node = sub(parent, "string")
        node.set("language", meta.language)
        node.text = text

    lom = sub(metadata, "lom")
    general = sub(lom, "general")
    langstring(sub(general, "title"), meta.title)
    sub(general, "language").text = meta.language
    if meta.description:
        langstring(sub(general, "description"), meta.description)
    if meta.version:
        langstring(sub(sub(lom, "lifeCycle"), "version"), meta.version)
