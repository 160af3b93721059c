"""``-f qti``: the course's questions as an IMS QTI 2.1 content package, per locale.

Canvas, Blackboard, OpenOLAT, TAO and Moodle (with the QTI plugin) import it.
One ``assessmentItem`` per question under ``items/``, one ``assessmentTest`` per
module under ``tests/`` (so a module's questions arrive together), images under
``images/``, and an ``imsmanifest.xml`` listing every file. Each item scores 1
when the whole answer is right (as the learner pages do) and carries the
per-choice feedback and the explanation as modal feedback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import lxml.html
from lxml import etree

from ..model import Question, Text
from ..package.artifact import Artifact
from ..package.zips import deterministic_zip
from ..render.jinja import templates
from ..render.qbank import TRUE_FALSE, BankQuestion, Field, FieldRenderer, bank_questions, image_bytes, image_file_name
from . import RenderContext, Rendered

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

INLINE = frozenset({"a", "abbr", "b", "br", "cite", "code", "dfn", "em", "i", "img", "kbd", "q", "samp", "small",
                    "span", "strong", "sub", "sup", "var"})  # fmt: skip
"""The XHTML inline elements QTI 2.1 allows in a prompt or choice; others become ``span``."""

ATTRIBUTES = {"a": ("href",), "img": ("src", "alt", "width", "height"), "abbr": (), "q": ()}
"""Attributes kept per element (besides ``lang``, which becomes ``xml:lang``); ``dir`` has no place in 2.1."""


def render(ctx: RenderContext) -> Rendered:
    """The QTI 2.1 package of the course in this locale."""
    course = ctx.course
    gettext = templates(ctx.project_root, course).gettext
    fields = FieldRenderer(ctx.locale, "../images/{name}")
    files: dict[str, bytes] = {}
    items_by_module: dict[str, list[tuple[BankQuestion, str]]] = {}
    for bq in bank_questions(course):
        ident = _ident("item", bq.idnumber)
        href = f"items/{ident}.xml"
        item, images = _item(bq, ident, fields, gettext, ctx.locale)
        files[href] = _xml(item)
        for path in images:
            files[f"images/{image_file_name(path)}"] = image_bytes(ctx.project_root, bq.module, path)
        items_by_module.setdefault(bq.module.id, []).append((bq, href))
    tests = {}
    for module_id, items in items_by_module.items():
        ident = _ident("test", module_id)
        href = f"tests/{ident}.xml"
        files[href] = _xml(_test(ident, items))
        tests[href] = [h for _, h in items]
    files["imsmanifest.xml"] = _xml(_manifest(course.id, course.version, ctx.locale, files, tests))
    path = f"{ctx.base}/questions/{course.id}-{course.version}-{ctx.locale}-qti21.zip"
    artifact = Artifact(path, deterministic_zip(files, ctx.source_date_epoch))
    return Rendered((artifact,), owned=(f"{ctx.base}/questions/*-qti21.zip",))


def _ident(kind: str, value: str) -> str:
    """An identifier QTI accepts (an NCName): ids are slugs, so only the prefix is needed."""
    return f"{kind}-{value}"


def _xml(el: etree._Element) -> bytes:
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, _q(tag), attrs)


# --------------------------------------------------------------------------- items


def _item(
    bq: BankQuestion, ident: str, fields: FieldRenderer, gettext: Callable[[str], str], locale: str
) -> tuple[etree._Element, list[str]]:
    q = bq.question
    images: list[str] = []

    def content(parent: etree._Element, text: Text | None) -> None:
        field = fields.field(text)
        images.extend(field.images)
        _append_xhtml(parent, field)

    item = etree.Element(_q("assessmentItem"), nsmap={None: QTI, "xsi": XSI})  # type: ignore[dict-item]
    item.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    item.set("identifier", ident)
    item.set("title", bq.name)
    item.set("adaptive", "false")
    item.set("timeDependent", "false")
    item.set(XML_LANG, q.lang or locale)

    cardinality, base_type, correct = _response(q)
    decl = _sub(item, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType=base_type)
    values = _sub(decl, "correctResponse")
    for value in correct:
        _sub(values, "value").text = value
    if q.type == "fill-in":
        mapping = _sub(decl, "mapping", defaultValue="0")
        for accepted in q.answers:
            _sub(
                mapping,
                "mapEntry",
                mapKey=accepted.source,
                mappedValue="1",
                caseSensitive="true" if q.case_sensitive else "false",
            )
    _sub(item, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
    feedback_card = "multiple" if q.type == "multiple" else "single"
    _sub(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality=feedback_card, baseType="identifier")
    _sub(item, "outcomeDeclaration", identifier="SOLUTION", cardinality="single", baseType="identifier")

    body = _sub(item, "itemBody")
    if q.type in ("single", "multiple", "true-false"):
        inter = _sub(
            body,
            "choiceInteraction",
            responseIdentifier="RESPONSE",
            shuffle="true" if q.shuffle and q.type != "true-false" else "false",
            maxChoices="1" if q.type != "multiple" else "0",
        )
        content(_sub(inter, "prompt"), q.prompt)
        if q.type == "true-false":
            for ident_value, label in zip(("TRUE", "FALSE"), TRUE_FALSE, strict=True):
                choice = _sub(inter, "simpleChoice", identifier=ident_value)
                choice.text = gettext(label)
        else:
            for n, c in enumerate(q.choices, start=1):
                content(_sub(inter, "simpleChoice", identifier=f"C{n}"), c.text)
    elif q.type == "fill-in":
        block = _sub(body, "div")
        content(_sub(block, "p"), q.prompt)
        para = _sub(block, "p")
        _sub(para, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="30")
    elif q.type == "matching":
        n = len(q.pairs)
        inter = _sub(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="true", maxAssociations=str(n))
        content(_sub(inter, "prompt"), q.prompt)
        lefts, rights = _sub(inter, "simpleMatchSet"), _sub(inter, "simpleMatchSet")
        for i, pair in enumerate(q.pairs, start=1):
            content(_sub(lefts, "simpleAssociableChoice", identifier=f"L{i}", matchMax="1"), pair.left)
            content(_sub(rights, "simpleAssociableChoice", identifier=f"R{i}", matchMax="1"), pair.right)
    else:  # ordering
        inter = _sub(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
        content(_sub(inter, "prompt"), q.prompt)
        for i, text in enumerate(q.items, start=1):
            content(_sub(inter, "simpleChoice", identifier=f"I{i}"), text)

    _response_processing(item, q)
    for ident_value, feedback in _choice_feedback(q):
        if feedback is not None:
            modal = _sub(item, "modalFeedback", outcomeIdentifier="FEEDBACK", showHide="show", identifier=ident_value)
            content(modal, feedback)
    if q.explanation is not None:
        modal = _sub(item, "modalFeedback", outcomeIdentifier="SOLUTION", showHide="show", identifier="EXPLANATION")
        content(modal, q.explanation)
    return item, list(dict.fromkeys(images))


def _response(q: Question) -> tuple[str, str, list[str]]:
    """The response's cardinality, base type and correct value(s)."""
    if q.type == "single":
        return "single", "identifier", [f"C{i}" for i, c in enumerate(q.choices, start=1) if c.correct]
    if q.type == "multiple":
        return "multiple", "identifier", [f"C{i}" for i, c in enumerate(q.choices, start=1) if c.correct]
    if q.type == "true-false":
        return "single", "identifier", ["TRUE" if q.answer else "FALSE"]
    if q.type == "fill-in":
        return "single", "string", [q.answers[0].source]
    if q.type == "matching":
        return "multiple", "directedPair", [f"L{i} R{i}" for i in range(1, len(q.pairs) + 1)]
    return "ordered", "identifier", [f"I{i}" for i in range(1, len(q.items) + 1)]


def _choice_feedback(q: Question) -> Iterable[tuple[str, Text | None]]:
    """The feedback of each chosen answer (choices, true/false), or of a right or wrong whole answer."""
    if q.type in ("single", "multiple"):
        yield from ((f"C{i}", c.feedback) for i, c in enumerate(q.choices, start=1))
    elif q.type == "true-false":
        yield from (("TRUE", q.feedback_true), ("FALSE", q.feedback_false))
    else:
        yield from (("CORRECT", q.correct_feedback), ("INCORRECT", q.incorrect_feedback))


def _response_processing(item: etree._Element, q: Question) -> None:
    """SCORE 1 for a wholly right answer, else 0; FEEDBACK names what to show; SOLUTION shows the explanation."""
    rp = _sub(item, "responseProcessing")
    condition = _sub(rp, "responseCondition")
    test = _sub(condition, "responseIf")
    if q.type == "fill-in":
        gt = _sub(test, "gt")
        _sub(gt, "mapResponse", identifier="RESPONSE")
        _sub(gt, "baseValue", baseType="float").text = "0"
    else:
        match = _sub(test, "match")
        _sub(match, "variable", identifier="RESPONSE")
        _sub(match, "correct", identifier="RESPONSE")
    whole = q.type in ("fill-in", "matching", "ordering")
    _set(test, "SCORE", "float", "1")
    if whole:
        _set(test, "FEEDBACK", "identifier", "CORRECT")
    otherwise = _sub(condition, "responseElse")
    _set(otherwise, "SCORE", "float", "0")
    if whole:
        _set(otherwise, "FEEDBACK", "identifier", "INCORRECT")
    else:
        # Each chosen answer shows its own feedback.
        chosen = _sub(rp, "responseCondition")
        has_answer = _sub(chosen, "responseIf")
        not_null = _sub(has_answer, "not")
        _sub(_sub(not_null, "isNull"), "variable", identifier="RESPONSE")
        out = _sub(has_answer, "setOutcomeValue", identifier="FEEDBACK")
        _sub(out, "variable", identifier="RESPONSE")
    _set(rp, "SOLUTION", "identifier", "EXPLANATION")


def _set(parent: etree._Element, outcome: str, base_type: str, value: str) -> None:
    out = _sub(parent, "setOutcomeValue", identifier=outcome)
    _sub(out, "baseValue", baseType=base_type).text = value


def _append_xhtml(parent: etree._Element, field: Field) -> None:
    """Append ``field``'s HTML to a QTI element as QTI's XHTML subset, in the QTI namespace."""
    if field.empty:
        return
    fragment = lxml.html.fragment_fromstring(str(field.html), create_parent="div")
    parent.text = (parent.text or "") + (fragment.text or "")
    for child in fragment:
        parent.append(_convert(child))


def _convert(node: etree._Element) -> etree._Element:
    tag = node.tag if isinstance(node.tag, str) and node.tag in INLINE else "span"
    el = etree.Element(_q(tag))
    for name in ATTRIBUTES.get(tag, ()):
        value = node.get(name)
        if value is not None:
            el.set(name, value)
    if tag == "img" and el.get("alt") is None:
        el.set("alt", "")
    if node.get("lang"):
        el.set(XML_LANG, node.get("lang", ""))
    el.text = node.text
    for child in node:
        el.append(_convert(child))
    el.tail = node.tail
    return el


# --------------------------------------------------------------------------- tests and manifest


def _test(ident: str, items: list[tuple[BankQuestion, str]]) -> etree._Element:
    test = etree.Element(_q("assessmentTest"), nsmap={None: QTI, "xsi": XSI})  # type: ignore[dict-item]
    test.set(f"{{{XSI}}}schemaLocation", f"{QTI} {QTI_XSD}")
    test.set("identifier", ident)
    test.set("title", items[0][0].category[-1])
    part = _sub(test, "testPart", identifier="part-1", navigationMode="nonlinear", submissionMode="individual")
    section = _sub(part, "assessmentSection", identifier="section-1", title=items[0][0].category[-1], visible="true")
    for bq, href in items:
        _sub(section, "assessmentItemRef", identifier=_ident("ref", bq.idnumber), href=f"../{href}")
    return test


def _manifest(
    course_id: str, version: str, locale: str, files: dict[str, bytes], tests: dict[str, list[str]]
) -> etree._Element:
    def cp(tag: str) -> str:
        return f"{{{CP}}}{tag}"

    manifest = etree.Element(cp("manifest"), nsmap={None: CP, "xsi": XSI})  # type: ignore[dict-item]
    manifest.set("identifier", f"qti-{course_id}-{locale}".replace("_", "-"))
    manifest.set("version", version)
    manifest.set(f"{{{XSI}}}schemaLocation", f"{CP} {CP_XSD}")
    metadata = etree.SubElement(manifest, cp("metadata"))
    etree.SubElement(metadata, cp("schema")).text = "QTIv2.1 Package"
    etree.SubElement(metadata, cp("schemaversion")).text = "1.0.0"
    etree.SubElement(manifest, cp("organizations"))
    resources = etree.SubElement(manifest, cp("resources"))
    images = sorted(p for p in files if p.startswith("images/"))
    for href in sorted(p for p in files if p.startswith("items/")):
        res = etree.SubElement(resources, cp("resource"), identifier=href[6:-4], type="imsqti_item_xmlv2p1", href=href)
        etree.SubElement(res, cp("file"), href=href)
        for image in images:
            if f'src="../{image}"'.encode() in files[href]:
                etree.SubElement(res, cp("file"), href=image)
    for href, item_hrefs in sorted(tests.items()):
        res = etree.SubElement(resources, cp("resource"), identifier=href[6:-4], type="imsqti_test_xmlv2p1", href=href)
        etree.SubElement(res, cp("file"), href=href)
        for item_href in item_hrefs:
            etree.SubElement(res, cp("dependency"), identifierref=item_href[6:-4])
    return manifest
