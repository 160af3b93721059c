"""``-f gift``: the course's questions in GIFT, the plain-text question format of Moodle and others.

GIFT has single and multiple choice, true-false, short answer (fill-in) and
matching, but no ordering questions, no case-sensitive short answers and no
embedded images: such a question is left out of the file, with a comment at its
place and a warning naming it, so nobody imports a question that changed
meaning. The Moodle XML and QTI exports carry every question. Not built unless
asked for (``-f gift``), since it loses questions.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..package.artifact import Artifact
from ..render.qbank import BankQuestion, Field, FieldRenderer, bank_questions, moodle_grade
from . import RenderContext, Rendered

_SPECIAL = re.compile(r"([~=#{}:\\])")


def render(ctx: RenderContext) -> Rendered:
    """One GIFT file with every question GIFT can express, per locale."""
    course = ctx.course
    fields = FieldRenderer(ctx.locale)
    lines: list[str] = [
        f"// {course.id} {course.version} ({ctx.locale}): questions exported by pimlearn",
        "",
    ]
    diagnostics: list[Diagnostic] = []
    category: tuple[str, ...] = ()
    for bq in bank_questions(course):
        if bq.category != category:
            category = bq.category
            lines += ["$CATEGORY: $course$/top/" + "/".join(p.replace("/", "//") for p in category), ""]
        problem = _unsupported(bq, fields)
        if problem:
            lines += [f"// {bq.idnumber}: left out: {problem}", ""]
            diagnostics.append(
                Diagnostic(
                    bq.question.loc,
                    "warning",
                    f"GIFT export: question '{bq.question.id}' is left out: {problem}; the Moodle XML and QTI "
                    "exports carry it",
                    "gift-unsupported",
                )
            )
            continue
        lines += [f"// [id:{bq.idnumber}]", _question(bq, fields), ""]
    data = "\n".join(lines).encode("utf-8")
    path = f"{ctx.base}/questions/{course.id}-{course.version}-{ctx.locale}-gift.txt"
    return Rendered((Artifact(path, data),), tuple(diagnostics), owned=(f"{ctx.base}/questions/*-gift.txt",))


def _unsupported(bq: BankQuestion, fields: FieldRenderer) -> str:
    """Why GIFT cannot express the question, or ''."""
    q = bq.question
    if q.type == "ordering":
        return "GIFT has no ordering questions"
    if q.type == "fill-in" and q.case_sensitive:
        return "GIFT short answers are never case-sensitive"
    texts = [q.prompt, q.explanation, q.feedback_true, q.feedback_false, q.correct_feedback, *q.answers]
    texts += [t for c in q.choices for t in (c.text, c.feedback)]
    texts += [t for p in q.pairs for t in (p.left, p.right)]
    if any(fields.field(t).images for t in texts):
        return "GIFT cannot carry images"
    return ""


def escape(text: str) -> str:
    """Text made literal in GIFT: its control characters backslash-escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split("\n")))


def _html(field: Field) -> str:
    return escape(str(field.html))


def _feedback(field: Field) -> str:
    return "" if field.empty else "#" + _html(field)


def _question(bq: BankQuestion, fields: FieldRenderer) -> str:
    q = bq.question
    head = f"::{escape(bq.name)}::[html]{_html(fields.field(q.prompt))}"
    body: list[str] = []
    if q.type in ("single", "multiple"):
        right = sum(1 for c in q.choices if c.correct)
        wrong = len(q.choices) - right
        for c in q.choices:
            text = _html(fields.field(c.text)) + _feedback(fields.field(c.feedback))
            if q.type == "single":
                body.append(("=" if c.correct else "~") + text)
            else:
                weight = (
                    _percent(moodle_grade(100 / max(right, 1)))
                    if c.correct
                    else "-" + _percent(moodle_grade(100 / max(wrong, 1)))
                )
                body.append(f"~%{weight}%{text}")
    elif q.type == "true-false":
        # {T#feedback when answered wrong#feedback when answered right}
        right_fb, wrong_fb = (q.feedback_true, q.feedback_false) if q.answer else (q.feedback_false, q.feedback_true)
        wrong_text, right_text = fields.field(wrong_fb), fields.field(right_fb)
        feedback = ""
        if not (wrong_text.empty and right_text.empty):
            feedback = "#" + _html(wrong_text) + "#" + _html(right_text)
        body.append(("TRUE" if q.answer else "FALSE") + feedback)
    elif q.type == "fill-in":
        body.extend("=" + escape(a.source) + _feedback(fields.field(q.correct_feedback)) for a in q.answers)
    else:  # matching
        body.extend(f"={_html(fields.field(p.left))} -> {escape(p.right.source)}" for p in q.pairs)
    explanation = fields.field(q.explanation)
    if not explanation.empty:
        body.append("####" + _html(explanation))
    return head + "{\n" + "\n".join("\t" + line for line in body) + "\n}"


def _percent(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")
