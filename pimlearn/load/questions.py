"""Question blocks: a fenced ```question block of YAML into a ``Question``."""

from __future__ import annotations

import string

from ..diagnostics import Reporter, suggestion
from ..model import QUESTION_TYPES, Choice, Loc, Pair, Question, QuestionType, Text
from .markdown import plain
from .schema import SLUG, MapReader, TextFactory, scalar_text
from .yamlloc import Origin, YNode, parse_yaml

CHOICE_LETTERS = string.ascii_lowercase


def load_question(
    source: str, origin: Origin, fence_loc: Loc, reporter: Reporter, make_text: TextFactory
) -> Question | None:
    """Parse and validate one question block; ``None`` (with errors reported) if unusable."""
    node = parse_yaml(source, origin, reporter)
    if node is None:
        return None
    if node.value is None:
        reporter.error(fence_loc, "empty question block", "question-empty")
        return None
    r = MapReader(node, "question", reporter, make_text)
    if not r.ok:
        return None
    qid = r.slug("id", required=True)
    if qid:
        r.what = f"question '{qid}'"
    qtype = _question_type(r)
    prompt = r.text("prompt", required=True)
    common = dict(
        explanation=r.text("explanation"),
        correct_feedback=r.text("correct_feedback"),
        incorrect_feedback=r.text("incorrect_feedback"),
        points=r.number("points", 1.0),
        graded=r.flag("graded", True),
        shuffle=r.flag("shuffle", True),
        attempts=r.attempts(),
    )
    if qtype is None:
        return None  # type-specific keys cannot be checked without a type
    r.what = f"question '{qid or '?'}' (type {qtype})"
    specific = _SPECIFIC[qtype](r)
    r.done()
    if not r.ok or prompt is None or not qid:
        return None
    return Question(id=qid, type=qtype, prompt=prompt, loc=node.loc, **common, **specific)  # type: ignore[arg-type]


def _question_type(r: MapReader) -> QuestionType | None:
    item = r.get("type", required=True)
    if item is None:
        return None
    value = scalar_text(item) or item.kind
    for qtype in QUESTION_TYPES:
        if value == qtype:
            return qtype
    r.fail(
        item.loc,
        f"unknown question type '{value}'{suggestion(value, QUESTION_TYPES)}",
        "question-type",
    )
    return None


def _choices(r: MapReader, single: bool) -> dict[str, object]:
    entries = r.sequence("choices", required=True)
    loc = r.value_loc("choices")
    choices: list[Choice] = []
    seen: dict[str, Loc] = {}
    for index, entry in enumerate(entries):
        cr = MapReader(entry, f"choice {index + 1}", r.reporter, r.make_text)
        if not cr.ok:
            r.ok = False
            continue
        default_id = CHOICE_LETTERS[index] if index < len(CHOICE_LETTERS) else f"c{index + 1}"
        cid = cr.string("id") or default_id
        if cr.has("id") and not SLUG.match(cid):
            cr.fail(cr.value_loc("id"), f"choice id must be a slug, got '{cid}'", "invalid-id")
        if cid in seen:
            cr.fail(cr.value_loc("id"), f"duplicate choice id '{cid}' (first at line {seen[cid].line})", "duplicate-id")
        seen[cid] = cr.value_loc("id") if cr.has("id") else entry.loc
        text = cr.text("text", required=True)
        correct = cr.flag("correct", False)
        feedback = cr.text("feedback")
        cr.done()
        r.ok = r.ok and cr.ok
        if text is not None:
            choices.append(Choice(cid, text, correct, feedback, entry.loc))
    _need_two(r, "choices", entries, loc)
    if len(entries) > len(CHOICE_LETTERS):
        r.fail(loc, f"a question can have at most {len(CHOICE_LETTERS)} choices, found {len(entries)}", "too-many")
    correct_count = sum(1 for c in choices if c.correct)
    if choices and len(choices) == len(entries):
        if single and correct_count != 1:
            r.fail(
                loc,
                f"a single-choice question needs exactly one choice with 'correct: true', found {correct_count}",
                "correct-count",
            )
        if not single and correct_count == 0:
            r.fail(
                loc,
                "a multiple-choice question needs at least one choice with 'correct: true', found none",
                "correct-count",
            )
    return {"choices": tuple(choices)}


def _single(r: MapReader) -> dict[str, object]:
    return _choices(r, single=True)


def _multiple(r: MapReader) -> dict[str, object]:
    return _choices(r, single=False)


def _true_false(r: MapReader) -> dict[str, object]:
    answer = r.boolean("answer", required=True)
    return {
        "answer": answer,
        "feedback_true": r.text("feedback_true"),
        "feedback_false": r.text("feedback_false"),
    }


def _fill_in(r: MapReader) -> dict[str, object]:
    entries = r.strings("answers")
    if not r.has("answers") or (not entries and r.ok):
        r.fail(
            r.value_loc("answers") if r.has("answers") else r.node.loc,
            "a fill-in question needs 'answers': a list of accepted answers",
            "fill-in-answers",
        )
    answers: list[Text] = []
    for value, loc in entries:
        if not value:
            r.fail(loc, "accepted answers must not be empty", "empty-value")
        else:
            answers.append(plain(value, loc))
    return {"answers": tuple(answers), "case_sensitive": r.flag("case_sensitive", False)}


def _matching(r: MapReader) -> dict[str, object]:
    entries = r.sequence("pairs", required=True)
    loc = r.value_loc("pairs")
    pairs: list[Pair] = []
    for entry in entries:
        if not isinstance(entry.value, list) or len(entry.value) != 2:
            r.fail(entry.loc, "each pair must be a list of two texts: [left, right]", "invalid-pair")
            continue
        texts: list[Text] = []
        for side in entry.value:
            r.warn_comment(side)
            value = (scalar_text(side) or "").strip()
            if not value:
                r.fail(side.loc, "both sides of a pair must be non-empty text", "invalid-pair")
                continue
            texts.append(r.make_text(value, side.loc))
        if len(texts) == 2:
            pairs.append(Pair(texts[0], texts[1], entry.loc))
    _need_two(r, "pairs", entries, loc)
    _no_duplicates(r, "left side", [p.left for p in pairs])
    _no_duplicates(r, "right side", [p.right for p in pairs])
    return {"pairs": tuple(pairs)}


def _ordering(r: MapReader) -> dict[str, object]:
    entries = r.sequence("items", required=True)
    items: list[Text] = []
    for entry in entries:
        r.warn_comment(entry)
        value = (scalar_text(entry) or "").strip()
        if not value:
            r.fail(entry.loc, "each item must be non-empty text", "invalid-type")
            continue
        items.append(r.make_text(value, entry.loc))
    _need_two(r, "items", entries, r.value_loc("items"))
    _no_duplicates(r, "item", items)
    return {"items": tuple(items)}


def _need_two(r: MapReader, key: str, entries: list[YNode], loc: Loc) -> None:
    if r.items.get(key) is None:
        return
    if not entries:
        r.fail(loc, f"'{key}' must not be empty", "empty-list")
    elif len(entries) < 2:
        r.fail(loc, f"'{key}' needs at least 2 entries, found {len(entries)}", "too-few")


def _no_duplicates(r: MapReader, what: str, texts: list[Text]) -> None:
    seen: dict[str, Text] = {}
    for text in texts:
        if text.source in seen:
            r.fail(
                text.loc,
                f"duplicate {what} '{text.source}' (first at line {seen[text.source].loc.line}): "
                "learners could not tell them apart",
                "duplicate-entry",
            )
        seen.setdefault(text.source, text)


_SPECIFIC = {
    "single": _single,
    "multiple": _multiple,
    "true-false": _true_false,
    "fill-in": _fill_in,
    "matching": _matching,
    "ordering": _ordering,
}
