"""Question-bank exports (Moodle XML, GIFT, QTI 2.1): valid, complete, and read back to the same questions."""

from __future__ import annotations

import base64
import functools
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.translate import Translations
from pimlearn.load import load_project
from pimlearn.model import Course, Question, plain_text
from pimlearn.pipeline import BuildOptions, BuildResult, build
from tests.conftest import REPO, Files
from tests.scorm_validate import schema as scorm_schema

QTI_XSD = REPO / "tests" / "schemas" / "qti21" / "qtiv2p1" / "imsqti_v2p1.xsd"
QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
BANKS = ("moodle-xml", "gift", "qti")
LOCALES = ("en", "fr", "es")
MOODLE_TYPES = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true-false": "truefalse",
    "fill-in": "shortanswer",
    "matching": "matching",
    "ordering": "ordering",
}


@functools.cache
def qti_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(QTI_XSD), etree.XMLParser(no_network=True)))


def localized(root: Path, locale: str, course_id: str = "pim-foundations") -> Course:
    project = load_project(root, Reporter())
    return Translations(root).course(project.course(course_id), locale)


def out_file(out: Path, course: Course, locale: str, suffix: str) -> Path:
    return out / course.id / locale / "questions" / f"{course.id}-{course.version}-{locale}-{suffix}"


def text_of(html: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    if not html.strip():
        return ""
    fragment = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser())
    return " ".join(itext(fragment).split())


def itext(el: etree._Element) -> str:
    return "".join(str(t) for t in el.itertext())


def squash(text: str) -> str:
    """Whitespace collapsed (no-break spaces too), as ``plain`` gives the model's text."""
    return " ".join(text.split())


def plain(text: Any) -> str:
    return " ".join(plain_text(text).split()) if text is not None else ""


@pytest.fixture(scope="module")
def banks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    out = tmp_path_factory.mktemp("qbank")
    return out, build(REPO, BuildOptions(formats=BANKS, out_dir=out))


# --------------------------------------------------------------------------- Moodle XML


def moodle_questions(path: Path) -> list[tuple[str, etree._Element]]:
    """(category path, question element) for every question of a Moodle XML file, as Moodle's importer reads it."""
    doc = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    assert doc.getroot().tag == "quiz"
    category = ""
    found = []
    for q in doc.getroot().iterfind("question"):
        if q.get("type") == "category":
            category = q.findtext("category/text") or ""
            continue
        found.append((category, q))
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_moodle_xml_round_trips_every_question(banks: tuple[Path, BuildResult], locale: str) -> None:
    out, _ = banks
    course = localized(REPO, locale)
    read = moodle_questions(out_file(out, course, locale, "moodle.xml"))
    expected = [(m, q) for m in course.modules for q in m.questions]
    assert len(read) == len(expected)
    for (category, el), (module, q) in zip(read, expected, strict=True):
        assert category == f"$course$/top/{plain_text(course.title).strip()}/{plain_text(module.title).strip()}"
        assert el.get("type") == MOODLE_TYPES[q.type]
        assert el.findtext("idnumber") == f"{module.id}-{q.id}"
        assert el.findtext("name/text")
        assert el.find("questiontext[@format='html']") is not None
        assert text_of(el.findtext("questiontext/text") or "") == plain(q.prompt)
        assert text_of(el.findtext("generalfeedback/text") or "") == plain(q.explanation)
        assert float(el.findtext("defaultgrade") or "nan") == q.points
        check_moodle_answers(el, q)


def check_moodle_answers(el: etree._Element, q: Question) -> None:
    answers = el.findall("answer")
    fractions = [float(a.get("fraction", "nan")) for a in answers]
    texts = [a.findtext("text") or "" for a in answers]
    if q.type in ("single", "multiple"):
        assert el.findtext("single") == ("true" if q.type == "single" else "false")
        assert el.findtext("shuffleanswers") in ("true", "false")
        assert [text_of(t) for t in texts] == [plain(c.text) for c in q.choices]
        assert [text_of(a.findtext("feedback/text") or "") for a in answers] == [plain(c.feedback) for c in q.choices]
        right = [f > 0 for f in fractions]
        assert right == [c.correct for c in q.choices]
        # Choosing exactly the right answers earns the whole grade.
        assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=0.01)
        assert all(abs(f) in MOODLE_GRADES for f in fractions)
    elif q.type == "true-false":
        assert texts == ["true", "false"]
        assert fractions == ([100, 0] if q.answer else [0, 100])
        fb = [text_of(a.findtext("feedback/text") or "") for a in answers]
        assert fb == [plain(q.feedback_true), plain(q.feedback_false)]
    elif q.type == "fill-in":
        assert el.findtext("usecase") == ("1" if q.case_sensitive else "0")
        assert [t.replace("\\*", "*") for t in texts] == [a.source for a in q.answers]
        assert set(fractions) == {100}
    elif q.type == "matching":
        subs = el.findall("subquestion")
        assert [text_of(s.findtext("text") or "") for s in subs] == [plain(p.left) for p in q.pairs]
        assert [s.findtext("answer/text") for s in subs] == [p.right.source for p in q.pairs]
        assert el.findtext("shuffleanswers") == "true"
    else:
        assert el.findtext("selecttype") == "ALL"
        assert el.findtext("gradingtype") == "ALL_OR_NOTHING"
        assert el.findtext("selectcount") == str(len(q.items))
        assert [text_of(t) for t in texts] == [plain(i) for i in q.items]
        assert fractions == list(range(1, len(q.items) + 1))


MOODLE_GRADES = {100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,
                 12.5, 11.11111, 10, 5, 0}  # fmt: skip


# --------------------------------------------------------------------------- GIFT


def gift_parse(text: str) -> list[dict[str, Any]]:
    """A reader for what Moodle's GIFT importer reads (the subset the export writes)."""
    found: list[dict[str, Any]] = []
    category = ""
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            category = lines[0].removeprefix("$CATEGORY:").strip()
            continue
        source = "\n".join(lines)
        m = re.match(r"^::((?:\\.|[^:\\])*)::\[html\]((?:\\.|[^{\\])*)\{(.*)\}$", source, re.S)
        assert m, f"not a GIFT question: {source!r}"
        answers = [a.strip() for a in m.group(3).strip().split("\n") if a.strip()]
        found.append(
            {"category": category, "name": unescape(m.group(1)), "text": unescape(m.group(2)), "body": answers}
        )
    return found


def unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def split_feedback(s: str) -> list[str]:
    return [unescape(p) for p in re.split(r"(?<!\\)#", s)]


@pytest.mark.parametrize("locale", LOCALES)
def test_gift_round_trips_what_gift_can_express(banks: tuple[Path, BuildResult], locale: str) -> None:
    out, result = banks
    course = localized(REPO, locale)
    read = gift_parse(out_file(out, course, locale, "gift.txt").read_text(encoding="utf-8"))
    expected = [(m, q) for m in course.modules for q in m.questions if q.type != "ordering"]
    assert len(read) == len(expected)
    for got, (module, q) in zip(read, expected, strict=True):
        assert got["category"] == f"$course$/top/{plain_text(course.title).strip()}/{plain_text(module.title).strip()}"
        assert text_of(got["text"]) == plain(q.prompt)
        body = got["body"]
        if q.explanation is not None:
            assert text_of(unescape(body.pop().removeprefix("####"))) == plain(q.explanation)
        if q.type == "single":
            assert [b[0] for b in body] == ["=" if c.correct else "~" for c in q.choices]
            assert [text_of(split_feedback(b[1:])[0]) for b in body] == [plain(c.text) for c in q.choices]
        elif q.type == "multiple":
            weights = [float(re.match(r"~%(-?[\d.]+)%", b).group(1)) for b in body]  # type: ignore[union-attr]
            assert [w > 0 for w in weights] == [c.correct for c in q.choices]
            assert sum(w for w in weights if w > 0) == pytest.approx(100, abs=0.01)
        elif q.type == "true-false":
            assert split_feedback(body[0])[0] == ("TRUE" if q.answer else "FALSE")
        elif q.type == "fill-in":
            assert [split_feedback(b[1:])[0] for b in body] == [a.source for a in q.answers]
        elif q.type == "matching":
            pairs = [tuple(unescape(x).strip() for x in b[1:].split(" -> ")) for b in body]
            assert [(text_of(left), right) for left, right in pairs] == [
                (plain(p.left), p.right.source) for p in q.pairs
            ]
    # Every question GIFT cannot express is named in a warning (every course's modules are exported).
    project = load_project(REPO, Reporter())
    ordering = [q.id for c in project.courses for m in c.modules for q in m.questions if q.type == "ordering"]
    warned = [d for d in result.warnings if d.code == "gift-unsupported"]
    assert {d.message.split("'")[1] for d in warned} == set(ordering)


def test_gift_escapes_its_control_characters() -> None:
    from pimlearn.formats.gift import escape

    assert escape("a=b~c#d{e}f:g\\h") == "a\\=b\\~c\\#d\\{e\\}f\\:g\\\\h"
    assert unescape(escape("2 = 1 + 1 {x}")) == "2 = 1 + 1 {x}"


def test_gift_is_built_only_when_asked_for(tmp_path: Path) -> None:
    result = build(REPO, BuildOptions(out_dir=tmp_path, locales=("en",), formats=()))
    questions = tmp_path / "pim-foundations" / "en" / "questions"
    assert sorted(p.name.rsplit("-", 1)[-1] for p in questions.iterdir()) == ["moodle.xml", "qti21.zip"]
    assert not [d for d in result.warnings if d.code == "gift-unsupported"]


# --------------------------------------------------------------------------- QTI 2.1


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("locale", LOCALES)
def test_qti_package_validates_and_round_trips(banks: tuple[Path, BuildResult], locale: str) -> None:
    out, _ = banks
    course = localized(REPO, locale)
    files = read_zip(out_file(out, course, locale, "qti21.zip"))
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    manifest = etree.fromstring(files["imsmanifest.xml"], parser)
    xsd = scorm_schema("2004")  # its driver holds imscp_v1p1, the content-package schema QTI 2.1 uses
    assert xsd.validate(manifest), list(xsd.error_log)  # type: ignore[call-overload]
    listed = {f.get("href") for f in manifest.iter(f"{{{CP}}}file")}
    assert listed == set(files) - {"imsmanifest.xml"}
    ns = {"q": QTI}
    expected = [(m, q) for m in course.modules for q in m.questions]
    items = [r for r in manifest.iter(f"{{{CP}}}resource") if r.get("type") == "imsqti_item_xmlv2p1"]
    assert len(items) == len(expected)
    for module, q in expected:
        href = f"items/item-{module.id}-{q.id}.xml"
        doc = etree.fromstring(files[href], parser)
        assert qti_schema().validate(doc), f"{href}: {list(qti_schema().error_log)}"  # type: ignore[call-overload]
        values = [v.text for v in doc.iterfind("q:responseDeclaration/q:correctResponse/q:value", ns)]
        prompt = doc.find(".//q:prompt", ns)
        if prompt is None:
            prompt = doc.find("q:itemBody/q:div/q:p", ns)
        assert prompt is not None
        assert " ".join(itext(prompt).split()) == plain(q.prompt)
        if q.type in ("single", "multiple"):
            choices = doc.findall(".//q:simpleChoice", ns)
            right = [c.get("identifier") for c, src in zip(choices, q.choices, strict=True) if src.correct]
            assert values == right
            assert int(doc.find(".//q:choiceInteraction", ns).get("maxChoices")) == (1 if q.type == "single" else 0)  # type: ignore[union-attr,arg-type]
        elif q.type == "true-false":
            assert values == ["TRUE" if q.answer else "FALSE"]
        elif q.type == "fill-in":
            keys = [e.get("mapKey") for e in doc.iterfind(".//q:mapEntry", ns)]
            assert keys == [a.source for a in q.answers]
        elif q.type == "matching":
            sets = doc.findall(".//q:simpleMatchSet", ns)
            lefts = {c.get("identifier"): itext(c) for c in sets[0]}
            rights = {c.get("identifier"): itext(c) for c in sets[1]}
            got = sorted((squash(lefts[v.split()[0]]), squash(rights[v.split()[1]])) for v in values if v)
            assert got == sorted((plain(p.left), plain(p.right)) for p in q.pairs)
        else:
            items_by_id = {c.get("identifier"): itext(c) for c in doc.iterfind(".//q:simpleChoice", ns)}
            assert [squash(items_by_id[v]) for v in values] == [plain(i) for i in q.items]
    for href, data in files.items():
        if href.startswith("tests/"):
            test = etree.fromstring(data, parser)
            assert qti_schema().validate(test), list(qti_schema().error_log)  # type: ignore[call-overload]
            for ref in test.iterfind(".//q:assessmentItemRef", ns):
                assert ref.get("href", "").removeprefix("../") in files


# --------------------------------------------------------------------------- images and hostile text

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

IMAGE_MODULE = """\
---
title: Images & \\<b>tags\\</b>
---

Intro.

## Section

```question
id: pick
type: single
prompt: 'Which sign is this? ![a red dot](images/dot.png) \\<script>alert(1)\\</script> a {b} = c'
choices:
  - text: "A dot # ~ ="
    correct: true
    feedback: "Yes ![the dot again](images/dot.png)"
  - text: A square
explanation: It is round.
```
"""


@pytest.fixture
def image_project(make_project: Callable[[Files], Path]) -> Path:
    return make_project(
        {
            "courses/c1/course.yml": "title: Mini course\nversion: 1.0.0\nmodules: [m1]\n",
            "modules/m1/module.md": IMAGE_MODULE,
            "modules/m1/images/dot.png": PNG,
        }
    )


def test_images_travel_with_each_question(image_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = build(image_project, BuildOptions(formats=BANKS, out_dir=out))
    base = out / "c1" / "en" / "questions"
    # Moodle XML: the image is a base64 file in the field whose HTML names it.
    [(_, q)] = moodle_questions(base / "c1-1.0.0-en-moodle.xml")
    text = q.find("questiontext")
    assert '<img src="@@PLUGINFILE@@/images-dot.png" alt="a red dot"' in (text.findtext("text") or "")  # type: ignore[union-attr]
    files = text.findall("file")  # type: ignore[union-attr]
    assert [(f.get("name"), f.get("encoding")) for f in files] == [("images-dot.png", "base64")]
    assert base64.b64decode(files[0].text or "") == PNG
    feedback = q.find("answer/feedback")
    assert [f.get("name") for f in feedback.findall("file")] == ["images-dot.png"]  # type: ignore[union-attr]
    # Script from the author's text is text, never markup, in every export.
    assert "<script>" not in (text.findtext("text") or "")  # type: ignore[union-attr]
    assert "&lt;script&gt;" in (text.findtext("text") or "")  # type: ignore[union-attr]
    # QTI: the image is in the package, listed in the manifest next to the item that shows it.
    files_qti = read_zip(base / "c1-1.0.0-en-qti21.zip")
    assert files_qti["images/images-dot.png"] == PNG
    assert b'src="../images/images-dot.png"' in files_qti["items/item-m1-pick.xml"]
    assert b"<script>" not in files_qti["items/item-m1-pick.xml"]
    assert qti_schema().validate(etree.fromstring(files_qti["items/item-m1-pick.xml"]))
    # GIFT cannot embed the image: the question is left out, with a warning at the question.
    gift = (base / "c1-1.0.0-en-gift.txt").read_text(encoding="utf-8")
    assert "// m1-pick: left out: GIFT cannot carry images" in gift
    [warning] = [d for d in result.warnings if d.code == "gift-unsupported"]
    assert warning.loc.path.endswith("module.md")


def test_exports_are_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        build(REPO, BuildOptions(formats=BANKS, out_dir=out, locales=("fr",)))
    for path in sorted((first / "pim-foundations" / "fr" / "questions").iterdir()):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path.name


def test_moodle_xml_reads_back_into_moodles_structures(banks: tuple[Path, BuildResult]) -> None:
    """The elements Moodle's importer (question/format/xml/format.php) reads for each type are present."""
    out, _ = banks
    course = localized(REPO, "en")
    needed = {
        "multichoice": ["single", "shuffleanswers", "answernumbering", "answer/text", "answer/feedback/text"],
        "truefalse": ["answer/text", "answer/feedback/text"],
        "shortanswer": ["usecase", "answer/text"],
        "matching": ["shuffleanswers", "subquestion/text", "subquestion/answer/text"],
        "ordering": ["layouttype", "selecttype", "selectcount", "gradingtype", "answer/text"],
    }
    seen = set()
    for _, q in moodle_questions(out_file(out, course, "en", "moodle.xml")):
        seen.add(q.get("type"))
        for path in needed[q.get("type", "")]:
            assert q.find(path) is not None, (q.get("type"), path)
        assert io.StringIO(etree.tostring(q, encoding="unicode"))
    assert seen == set(needed)
