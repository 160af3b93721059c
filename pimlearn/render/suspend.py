"""The player's saved state (``cmi.suspend_data`` and localStorage): its encoding and worst-case size.

The player (``pimlearn/static/player/player.js``) writes this encoding; this module
mirrors it so that the build can compute, before anything is packaged, the longest
string a SCO could ever store, and refuse a SCORM 1.2 package whose state might not
fit in the 4096 characters SCORM 1.2 guarantees. Tests check that both sides agree.

Format (version 1), ASCII only::

    1|<fingerprint>|<page>|<visited>|<q1>|<q2>|...

- ``fingerprint``: 4 base-36 characters identifying the SCO's question structure; a
  state saved by another build of a changed module is not restored into the wrong questions.
- ``page``: the current page, base 36. ``visited``: the visited pages as a bit set,
  4 pages per hexadecimal digit (page 1 is the low bit of the first digit).
- each question, in document order: empty when never answered, else
  ``<attempts in base 36>=<answer>``: the count stops at the question's limit of attempts
  (``Course.attempts_for``), or at ``MAX_ATTEMPTS`` (2 digits) when it has none; the answer is
  single: the choice's index (base 36); multiple: a bit mask of the chosen indexes (base 36);
  true-false: ``t`` or ``f``; fill-in: the text, escaped (see :func:`escape`);
  matching: for each left item, the chosen right index + 1; ordering: for each item,
  the chosen position (both fixed-width base 36, ``0`` for no choice).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Question, plain_text

FORMAT_VERSION = "1"
MAX_ATTEMPTS = 36 * 36 - 1
"""Attempts are stored in two base-36 digits; the count stops there (1295 tries of one question)."""
FILL_IN_MIN_LENGTH = 100
"""The player caps a fill-in answer at this many characters (or the longest accepted answer, if longer)."""
ESCAPE_WIDTH = 5
"""An escaped character takes ``~`` and four hexadecimal digits."""
LIMITS = {"1.2": 4096, "2004": 64000}
"""The longest ``cmi.suspend_data`` an LMS must keep: SCORM 1.2's CMIString4096, SCORM 2004 4th Edition's SPM."""

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ,.'?!()-_")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(number: int) -> str:
    """``number`` (>= 0) in base 36, lower case, as JavaScript's ``Number.toString(36)`` writes it."""
    if number < 0:
        raise ValueError("base36 takes non-negative numbers")
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
        if not number:
            return out


def escape(text: str) -> str:
    """Free text made safe for the state string: letters, digits, space and ``,.'?!()-_`` stay; every other
    UTF-16 code unit becomes ``~`` + 4 hex digits (so the result is ASCII and never holds ``|`` or ``=``)."""
    out = []
    for char in text:
        if char in _SAFE:
            out.append(char)
            continue
        data = char.encode("utf-16-be")
        for i in range(0, len(data), 2):
            out.append(f"~{data[i] << 8 | data[i + 1]:04x}")
    return "".join(out)


def fill_in_max_length(question: Question) -> int:
    """The most characters the player accepts (and stores) for a fill-in answer."""
    longest = max((len(plain_text(a)) for a in question.answers), default=0)
    return max(FILL_IN_MIN_LENGTH, longest)


def option_count(question: Question) -> int:
    """Choices, pairs or items of a question (2 for true-false, 0 for fill-in)."""
    if question.type in ("single", "multiple"):
        return len(question.choices)
    if question.type == "matching":
        return len(question.pairs)
    if question.type == "ordering":
        return len(question.items)
    return 2 if question.type == "true-false" else 0


def slot_width(count: int) -> int:
    """Digits of one matching or ordering slot: enough for ``count`` in base 36."""
    return len(base36(count))


def max_answer_length(question: Question) -> int:
    """The longest encoded answer ``question`` can have."""
    n = option_count(question)
    if question.type == "single":
        return len(base36(n - 1))
    if question.type == "multiple":
        return len(base36(2**n - 1))
    if question.type == "true-false":
        return 1
    if question.type == "fill-in":
        return ESCAPE_WIDTH * fill_in_max_length(question)
    return n * slot_width(n)


def attempts_width(limit: int | None) -> int:
    """Digits of a question's attempt count: the count never goes past its ``limit`` (or ``MAX_ATTEMPTS``)."""
    return len(base36(min(limit or MAX_ATTEMPTS, MAX_ATTEMPTS)))


def stored_attempts(attempts: int, limit: int | None) -> int:
    """The attempt count as saved: capped at the question's limit (a count restored from a build that allowed
    more stays final) and at ``MAX_ATTEMPTS``."""
    return min(attempts, limit or MAX_ATTEMPTS, MAX_ATTEMPTS)


def fingerprint(pages: int, questions: Sequence[Question], extra: str = "") -> str:
    """4 base-36 characters that change when the SCO's pages or questions change shape."""
    shape = "/".join(f"{q.id}:{q.type}:{option_count(q)}" for q in questions)
    digest = hashlib.sha1(f"{FORMAT_VERSION}|{pages}|{extra}|{shape}".encode()).digest()
    return base36(int.from_bytes(digest[:4], "big") % 36**4).rjust(4, "0")


def worst_case_size(pages: int, questions: Sequence[Question], limits: Sequence[int | None] = ()) -> int:
    """The most characters the state of a SCO with ``pages`` pages and these questions can take;
    ``limits``: each question's limit of attempts (``None`` or missing: unlimited)."""
    header = len(FORMAT_VERSION) + 1 + 4 + 1 + len(base36(pages)) + 1 + math.ceil(pages / 4)
    return header + sum(
        1 + attempts_width(_limit(limits, i)) + 1 + max_answer_length(q) for i, q in enumerate(questions)
    )


def _limit(limits: Sequence[int | None], index: int) -> int | None:
    return limits[index] if index < len(limits) else None


Answer = int | bool | str | tuple[int, ...]


@dataclass(frozen=True)
class Attempt:
    """A question's last checked answer and how many times it was checked.

    ``answer`` is what the player keeps: single: the choice index; multiple: the
    chosen indexes; true-false: a bool; fill-in: the text; matching: for each left
    item the chosen right index (-1: none); ordering: for each item its position (0: none).
    """

    attempts: int
    answer: Answer


def encode_answer(question: Question, answer: Answer) -> str:
    """One answer in the state string."""
    if question.type == "single" and isinstance(answer, int):
        return base36(answer)
    if question.type == "multiple" and isinstance(answer, tuple):
        return base36(sum(1 << i for i in set(answer)))
    if question.type == "true-false" and isinstance(answer, bool):
        return "t" if answer else "f"
    if question.type == "fill-in" and isinstance(answer, str):
        return escape(answer[: fill_in_max_length(question)])
    if question.type in ("matching", "ordering") and isinstance(answer, tuple):
        width = slot_width(option_count(question))
        offset = 1 if question.type == "matching" else 0
        return "".join(base36(max(0, v + offset)).rjust(width, "0") for v in answer)
    raise TypeError(f"answer {answer!r} does not fit a {question.type} question")


def encode_state(
    fp: str,
    pages: int,
    page: int,
    visited: set[int],
    questions: Sequence[Question],
    attempts: Mapping[int, Attempt],
    limits: Sequence[int | None] = (),
) -> str:
    """The state string the player writes for a SCO of ``pages`` pages (the reference the tests hold
    the JavaScript to); ``attempts`` maps a question's index to its last checked answer, ``limits``
    gives each question's limit of attempts (``None`` or missing: unlimited)."""
    bits = ""
    for start in range(1, pages + 1, 4):
        bits += f"{sum(1 << i for i in range(4) if start + i in visited):x}"
    fields = [FORMAT_VERSION, fp, base36(page), bits]
    for index, question in enumerate(questions):
        attempt = attempts.get(index)
        if attempt is None:
            fields.append("")
        else:
            count = stored_attempts(attempt.attempts, _limit(limits, index))
            fields.append(f"{base36(count)}={encode_answer(question, attempt.answer)}")
    return "|".join(fields)
