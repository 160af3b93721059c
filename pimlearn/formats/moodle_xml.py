"""``-f moodle-xml``: the course's questions as a Moodle XML question bank, per locale.

Moodle imports the file under *Question bank → Import → Moodle XML format*, with
*Get category from file* on: each module becomes a category under the course's.
Every type maps onto a core Moodle question type: single and multiple choice →
``multichoice``, true-false → ``truefalse``, fill-in → ``shortanswer``, matching →
``matching``, ordering → ``ordering`` (core since Moodle 4.4). Per-choice feedback,
the explanation (general feedback) and images (embedded as base64 files that
the HTML names ``@@PLUGINFILE@@/…``) travel with each question.
"""

from __future__ import annotations

import base64

from lxml import etree

from ..package.artifact import Artifact
from ..render.qbank import (
    BankQuestion,
    Field,
    FieldRenderer,
    bank_questions,
    image_bytes,
    image_file_name,
    moodle_grade,
)
from . import RenderContext, Rendered


def render(ctx: RenderContext) -> Rendered:
    """One Moodle XML file with every question of the course in this locale."""
    course = ctx.course
    fields = FieldRenderer(ctx.locale, "@@PLUGINFILE@@/{name}")
    quiz = etree.Element("quiz")
    category: tuple[str, ...] = ()
    for bq in bank_questions(course):
        if bq.category != category:
            category = bq.category
            quiz.append(_category(category))
        quiz.append(_question(ctx, bq, fields))
    data = etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    path = f"{ctx.base}/questions/{course.id}-{course.version}-{ctx.locale}-moodle.xml"
    return Rendered((Artifact(path, data),), owned=(f"{ctx.base}/questions/*-moodle.xml",))


def _category(path: tuple[str, ...]) -> etree._Element:
    q = etree.Element("question", type="category")
    # Moodle splits category paths on "/": a title with a slash is written "//".
    _text(etree.SubElement(q, "category"), "$course$/top/" + "/".join(p.replace("/", "//") for p in path))
    return q


def _question(ctx: RenderContext, bq: BankQuestion, fields: FieldRenderer) -> etree._Element:
    q = bq.question
    moodle_type = {
        "single": "multichoice",
        "multiple": "multichoice",
        "true-false": "truefalse",
        "fill-in": "shortanswer",
        "matching": "matching",
        "ordering": "ordering",
    }[q.type]
    el = etree.Element("question", type=moodle_type)
    _text(etree.SubElement(el, "name"), bq.name)
    _html(ctx, bq, el, "questiontext", fields.field(q.prompt))
    _html(ctx, bq, el, "generalfeedback", fields.field(q.explanation))
    etree.SubElement(el, "defaultgrade").text = _number(q.points)
    etree.SubElement(el, "penalty").text = "0.3333333"
    etree.SubElement(el, "hidden").text = "0"
    etree.SubElement(el, "idnumber").text = bq.idnumber

    if q.type in ("single", "multiple"):
        etree.SubElement(el, "single").text = "true" if q.type == "single" else "false"
        etree.SubElement(el, "shuffleanswers").text = "true" if q.shuffle else "false"
        etree.SubElement(el, "answernumbering").text = "abc"
        etree.SubElement(el, "showstandardinstruction").text = "0"
        _combined_feedback(ctx, bq, el, fields)
        right = sum(1 for c in q.choices if c.correct)
        wrong = len(q.choices) - right
        for choice in q.choices:
            if q.type == "single":
                fraction = 100.0 if choice.correct else 0.0
            else:
                fraction = moodle_grade(100 / max(right, 1)) if choice.correct else -moodle_grade(100 / max(wrong, 1))
            _answer(ctx, bq, el, fraction, fields.field(choice.text), fields.field(choice.feedback))
    elif q.type == "true-false":
        for value in (True, False):
            feedback = q.feedback_true if value else q.feedback_false
            answer = etree.SubElement(
                el, "answer", fraction="100" if q.answer is value else "0", format="moodle_auto_format"
            )
            # Moodle reads "true"/"false" here and shows its own labels in the learner's language.
            _text(answer, "true" if value else "false")
            _html(ctx, bq, answer, "feedback", fields.field(feedback))
    elif q.type == "fill-in":
        etree.SubElement(el, "usecase").text = "1" if q.case_sensitive else "0"
        _combined_feedback(ctx, bq, el, fields, partial=False)
        for accepted in q.answers:
            # In short answers "*" is a wildcard: an author's asterisk is literal.
            answer = etree.SubElement(el, "answer", fraction="100", format="moodle_auto_format")
            _text(answer, accepted.source.replace("*", "\\*"))
            _html(ctx, bq, answer, "feedback", fields.field(q.correct_feedback))
    elif q.type == "matching":
        etree.SubElement(el, "shuffleanswers").text = "true"
        _combined_feedback(ctx, bq, el, fields)
        for pair in q.pairs:
            sub = etree.SubElement(el, "subquestion", format="html")
            left = fields.field(pair.left)
            _text(sub, str(left.html))
            _files(ctx, bq, sub, left)
            # Moodle shows a matching answer as plain text in a menu.
            _text(etree.SubElement(sub, "answer"), pair.right.source)
    else:  # ordering
        etree.SubElement(el, "layouttype").text = "VERTICAL"
        etree.SubElement(el, "selecttype").text = "ALL"
        etree.SubElement(el, "selectcount").text = str(len(q.items))
        etree.SubElement(el, "gradingtype").text = "ALL_OR_NOTHING"
        etree.SubElement(el, "showgrading").text = "SHOW"
        etree.SubElement(el, "numberingstyle").text = "none"
        _combined_feedback(ctx, bq, el, fields)
        for position, item in enumerate(q.items, start=1):
            _answer(ctx, bq, el, float(position), fields.field(item), None)
    return el


def _number(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".") or "0"


def _text(parent: etree._Element, value: str) -> etree._Element:
    el = etree.SubElement(parent, "text")
    el.text = value
    return el


def _html(ctx: RenderContext, bq: BankQuestion, parent: etree._Element, tag: str, field: Field) -> None:
    el = etree.SubElement(parent, tag, format="html")
    _text(el, str(field.html))
    _files(ctx, bq, el, field)


def _files(ctx: RenderContext, bq: BankQuestion, el: etree._Element, field: Field) -> None:
    for path in field.images:
        data = image_bytes(ctx.project_root, bq.module, path)
        f = etree.SubElement(el, "file", name=image_file_name(path), path="/", encoding="base64")
        f.text = base64.b64encode(data).decode("ascii")


def _answer(
    ctx: RenderContext, bq: BankQuestion, el: etree._Element, fraction: float, text: Field, feedback: Field | None
) -> None:
    answer = etree.SubElement(el, "answer", fraction=_number(fraction), format="html")
    _text(answer, str(text.html))
    _files(ctx, bq, answer, text)
    if feedback is not None:
        _html(ctx, bq, answer, "feedback", feedback)


def _combined_feedback(
    ctx: RenderContext, bq: BankQuestion, el: etree._Element, fields: FieldRenderer, partial: bool = True
) -> None:
    q = bq.question
    _html(ctx, bq, el, "correctfeedback", fields.field(q.correct_feedback))
    if partial:
        _html(ctx, bq, el, "partiallycorrectfeedback", fields.field(q.incorrect_feedback))
    _html(ctx, bq, el, "incorrectfeedback", fields.field(q.incorrect_feedback))
