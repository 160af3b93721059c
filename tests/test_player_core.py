"""The player's pure parts (scoring, saved-state encoding, SCORM formats), run in Node, against the Python mirror.

``pimlearn/static/player/player.js`` exports its core when ``require()``d. One Node process
evaluates every case of this module; each test then checks its own results.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pimlearn.model import Choice, Loc, Pair, Question, Str, Text
from pimlearn.render.player import question_data
from pimlearn.render.suspend import (
    LIMITS,
    MAX_ATTEMPTS,
    Attempt,
    base36,
    encode_state,
    escape,
    fill_in_max_length,
    max_answer_length,
    stored_attempts,
    worst_case_size,
)
from tests.conftest import REPO, need

PLAYER = REPO / "pimlearn" / "static" / "player" / "player.js"
HERE = Loc("test.md", 1)


def text(source: str) -> Text:
    return Text(source, (Str(source),))


def make_questions() -> list[Question]:
    return [
        Question(
            "one",
            "single",
            text("One?"),
            HERE,
            choices=tuple(Choice(c, text(c), c == "b", None, HERE) for c in "abcd"),
        ),
        Question(
            "many",
            "multiple",
            text("Many?"),
            HERE,
            choices=tuple(Choice(c, text(c), c in "ace", None, HERE) for c in "abcdefghijklmnopqrstuvwxyz"),
        ),
        Question("tf", "true-false", text("True?"), HERE, answer=False),
        Question("fill", "fill-in", text("Fill?"), HERE, answers=(text("Management"), text("Gestion"))),
        Question(
            "match",
            "matching",
            text("Match?"),
            HERE,
            pairs=tuple(Pair(text(f"l{i}"), text(f"r{i}"), HERE) for i in range(4)),
        ),
        Question("order", "ordering", text("Order?"), HERE, items=tuple(text(f"i{i}") for i in range(5))),
        Question("fillcase", "fill-in", text("Case?"), HERE, answers=(text("PIM"),), case_sensitive=True),
    ]


TRIES: list[int | None] = [2, None, 1, 3, 2, None, None]
"""Each question's limit of attempts (as ``Course.attempts_for`` gives it): one, tf, fill, match are limited."""


def js_question(q: Question, limit: int | None) -> dict[str, Any]:
    """The question as the player's data holds it."""
    return question_data(q, 1, 0, limit)


# --------------------------------------------------------------------------- running the core in Node

NODE_SCRIPT = r"""
const core = require(process.argv[1]);
// What each question allows in a state: attempts left, final (locked).
const allows = (data, st) =>
  data.questions.map((q, i) => ({ left: core.attemptsLeft(q, st.answers[i]), final: core.isFinal(q, st.answers[i]) }));
// Steps the player takes one after the other, as one call.
const helpers = {
  // A resumed learner: the saved state decoded, then what each question allows.
  resumed: (data, text) => allows(data, core.decodeState(data, text)),
  // "Try the questions again": the questions cleared, the state saved next, what each question allows then.
  newTry(data, st) {
    const cleared = core.newTry(data, st);
    return { cleared, saved: core.encodeState(data, st), after: allows(data, st) };
  },
};
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const cases = JSON.parse(input);
  const out = cases.map(([fn, args]) => {
    try {
      if (fn === "timestamp2004" || fn === "time12") args = [new Date(args[0])];
      return { ok: (helpers[fn] || core[fn])(...args) };
    } catch (e) {
      return { error: String(e) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


class Node:
    """Collects calls, runs them in one Node process, hands back each result."""

    def __init__(self) -> None:
        self.cases: list[tuple[str, list[Any]]] = []
        self.results: list[dict[str, Any]] = []
        self.calls: dict[str, Any] = {}
        """Indexes of the cases, by what they test."""

    def call(self, fn: str, *args: Any) -> int:
        self.cases.append((fn, list(args)))
        return len(self.cases) - 1

    def run(self) -> None:
        node = shutil.which("node")
        need(node is not None, "Node.js is not installed")
        assert node is not None
        done = subprocess.run(
            [node, "-e", NODE_SCRIPT, str(PLAYER)],
            input=json.dumps(self.cases),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        self.results = json.loads(done.stdout)

    def __getitem__(self, index: int) -> Any:
        result = self.results[index]
        assert "error" not in result, result["error"]
        return result.get("ok")


QUESTIONS = make_questions()
JSQ = [js_question(q, limit) for q, limit in zip(QUESTIONS, TRIES, strict=True)]
Q = {q.id: (q, j) for q, j in zip(QUESTIONS, JSQ, strict=True)}

# answer given -> expected correctness, per question id
SCORING: list[tuple[str, Any, bool]] = [
    ("one", 1, True),
    ("one", 0, False),
    ("many", [0, 2, 4], True),
    ("many", [4, 2, 0], True),
    ("many", [0, 2], False),
    ("many", [0, 2, 4, 5], False),
    ("tf", False, True),
    ("tf", True, False),
    ("fill", "  management ", True),
    ("fill", "GESTION", True),
    ("fill", "Manage ment", False),
    ("fill", "Mangement", False),
    ("fillcase", "PIM", True),
    ("fillcase", "pim", False),
    ("fill", "Manage\u0301ment", False),
    ("match", [0, 1, 2, 3], True),
    ("match", [1, 0, 2, 3], False),
    ("match", [0, 1, 2, -1], False),
    ("order", [1, 2, 3, 4, 5], True),
    ("order", [2, 1, 3, 4, 5], False),
    ("order", [1, 1, 3, 4, 5], False),
]

ANSWERED: list[tuple[str, Any, bool]] = [
    ("one", None, False),
    ("one", 0, True),
    ("many", [], False),
    ("tf", None, False),
    ("tf", False, True),
    ("fill", "   ", False),
    ("match", [0, -1, 2, 3], False),
    ("order", [1, 2, 0, 4, 5], False),
    ("order", [1, 1, 1, 1, 1], True),
]

# SCORM formats of interactions, from the facts file (research/scorm-facts.md §4), not from scorm-again.
FORMAT_12 = {
    "choice": re.compile(r"^[0-9a-z](,[0-9a-z])*$"),
    "true-false": re.compile(r"^[01tf]$"),
    "fill-in": re.compile(r"^.{0,255}$"),
    "matching": re.compile(r"^[0-9a-z]\.[0-9a-z](,[0-9a-z]\.[0-9a-z])*$"),
    "sequencing": re.compile(r"^[0-9a-z](,[0-9a-z])*$"),
}
SHORT_ID = r"[\w\-()+.:=@;$!*'%/#]{1,250}"
FORMAT_2004 = {
    "choice": re.compile(rf"^{SHORT_ID}(\[,\]{SHORT_ID})*$"),
    "true-false": re.compile(r"^(true|false)$"),
    "fill-in": re.compile(r"^(\{case_matters=(true|false)\})?(?!\{)[^\n]{0,250}$"),
    "matching": re.compile(rf"^{SHORT_ID}\[\.\]{SHORT_ID}(\[,\]{SHORT_ID}\[\.\]{SHORT_ID})*$"),
    "sequencing": re.compile(rf"^{SHORT_ID}(\[,\]{SHORT_ID})*$"),
}
RIGHT_ANSWERS = {"one": 1, "many": [0, 2, 4], "tf": False, "fill": "Management", "fillcase": "PIM"}
RIGHT_ANSWERS |= {"match": [0, 1, 2, 3], "order": [1, 2, 3, 4, 5]}
WRONG_ANSWERS = {"one": 3, "many": [1], "tf": True, "fill": "{x} [,] y", "fillcase": "pim"}
WRONG_ANSWERS |= {"match": [3, -1, 1, 0], "order": [5, 4, 3, 2, 1]}

DATA = {"fp": "ab12", "pages": 9, "questions": JSQ, "passMark": 80}
STATES: list[tuple[int, set[int], dict[int, Attempt]]] = [
    (1, set(), {}),
    (9, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {0: Attempt(1, 1), 2: Attempt(3, True)}),
    (
        4,
        {1, 4},
        {
            0: Attempt(2, 3),
            1: Attempt(1, (0, 25)),
            2: Attempt(1, False),
            3: Attempt(5, 'Gestión | x = ~ é 😀 "quoted"'),  # more than its limit (3): saved as 3
            4: Attempt(1, (3, -1, 0, 2)),
            5: Attempt(MAX_ATTEMPTS + 10, (5, 0, 1, 2, 3)),
            6: Attempt(1, ""),
        },
    ),
]


def js_answer(answer: Any) -> Any:
    return list(answer) if isinstance(answer, tuple) else answer


def js_state(page: int, visited: set[int], attempts: dict[int, Attempt]) -> dict[str, Any]:
    return {
        "page": page,
        "visited": {str(v): True for v in visited},
        "answers": {str(i): {"n": a.attempts, "a": js_answer(a.answer)} for i, a in attempts.items()},
    }


@pytest.fixture(scope="module")
def node() -> Node:
    n = Node()
    n.calls = {
        "scoring": [n.call("isCorrect", Q[qid][1], answer) for qid, answer, _ in SCORING],
        "answered": [n.call("isAnswered", Q[qid][1], answer) for qid, answer, _ in ANSWERED],
        "encode": [n.call("encodeState", DATA, js_state(*s)) for s in STATES],
        "roundtrip": [
            n.call("decodeState", DATA, encode_state("ab12", 9, s[0], s[1], QUESTIONS, s[2], TRIES)) for s in STATES
        ],
        "other_fp": n.call("decodeState", DATA, encode_state("zz99", 9, 2, {1, 2}, QUESTIONS, {})),
        "garbage": [n.call("decodeState", DATA, g) for g in GARBAGE],
        "worst": n.call("encodeState", DATA, worst_state()),
        "worst_unlimited": n.call(
            "encodeState", {**DATA, "questions": [js_question(q, None) for q in QUESTIONS]}, worst_state()
        ),
        "final": [n.call("isFinal", Q[qid][1], at) for qid, at, _, _ in FINAL],
        "left": [n.call("attemptsLeft", Q[qid][1], at) for qid, at, _, _ in FINAL],
        "resumed": n.call("resumed", DATA, encode_state("ab12", 9, 4, {4}, QUESTIONS, LOCKED, TRIES)),
        "new_try": n.call("newTry", KC_DATA, js_state(7, {7}, LOCKED)),
        "formats": {
            (version, qid, kind): n.call("responses", Q[qid][1], js_answer(answers[qid]), version)
            for version in ("1.2", "2004")
            for qid in Q
            for kind, answers in (("right", RIGHT_ANSWERS), ("wrong", WRONG_ANSWERS))
        },
        "summary": n.call(
            "summarize",
            KC_DATA,
            js_state(1, set(), {0: Attempt(1, 1), 1: Attempt(1, (0,)), 2: Attempt(1, False), 6: Attempt(1, "x")}),
        ),
        "status12": {
            (report, result, complete): n.call("status12", report, RESULTS[result], complete)
            for report, result, complete, _ in STATUS_12
        },
        "complete": {
            (rule, pages, questions): n.call(
                "isComplete",
                {"pages": 3, "resultPage": 3, "completion": rule},
                {"visited": {"1": True, "2": True} if pages else {"1": True}},
                {"complete": questions},
            )
            for rule, pages, questions, _ in COMPLETION
        },
        "rank": [n.call("rank12", s) for s in ("not attempted", "incomplete", "failed", "completed", "passed")],
        "times": [
            n.call("timespan12", 0),
            n.call("timespan12", 5_500),
            n.call("timespan12", 3_723_450),
            n.call("timespan12", 10_000 * 3_600_000),
            n.call("duration2004", 0),
            n.call("duration2004", 5_250),
            n.call("duration2004", 3_723_450),
            n.call("timestamp2004", 1_700_000_000_123),
        ],
    }
    n.run()
    return n


RESULTS: dict[str, dict[str, Any]] = {
    "passed": {"scored": True, "complete": True, "passed": True},
    "failed": {"scored": True, "complete": True, "passed": False},
    "unanswered": {"scored": True, "complete": False, "passed": None},
    "unscored": {"scored": False, "complete": True, "passed": None},
}

# report_12 choice, result, complete under the course's rule -> cmi.core.lesson_status
STATUS_12: list[tuple[str, str, bool, str]] = [
    ("completed-incomplete", "passed", True, "completed"),
    ("completed-incomplete", "failed", True, "completed"),  # the score carries the failure
    ("completed-incomplete", "passed", False, "incomplete"),  # pages left unseen
    ("completed-incomplete", "unscored", True, "completed"),
    ("completed-incomplete", "unanswered", True, "completed"),  # completion by pages alone
    ("completed-failed", "passed", True, "completed"),
    ("completed-failed", "failed", True, "failed"),
    ("passed-incomplete", "passed", True, "passed"),
    ("passed-incomplete", "failed", True, "incomplete"),
    ("passed-incomplete", "unscored", True, "passed"),
    ("passed-incomplete", "unanswered", True, "incomplete"),
    ("passed-failed", "passed", True, "passed"),
    ("passed-failed", "failed", True, "failed"),
    ("passed-failed", "failed", False, "incomplete"),
]

# completion rule, every page seen, every graded question answered -> complete
COMPLETION: list[tuple[str, bool, bool, bool]] = [
    ("pages-and-questions", True, True, True),
    ("pages-and-questions", True, False, False),
    ("pages-and-questions", False, True, False),
    ("pages", True, False, True),
    ("pages", False, True, False),
    ("questions", False, True, True),
    ("questions", True, False, False),
]


@pytest.mark.parametrize("case", STATUS_12, ids=lambda c: "-".join(map(str, c)))
def test_scorm12_status_for_each_report_choice(node: Node, case: tuple[str, str, bool, str]) -> None:
    report, result, complete, expected = case
    assert node[node.calls["status12"][(report, result, complete)]] == expected


@pytest.mark.parametrize("case", COMPLETION, ids=lambda c: "-".join(map(str, c)))
def test_one_completion_rule(node: Node, case: tuple[str, bool, bool, bool]) -> None:
    rule, pages, questions, expected = case
    assert node[node.calls["complete"][(rule, pages, questions)]] is expected


def test_a_status_only_rises(node: Node) -> None:
    ranks = [node[i] for i in node.calls["rank"]]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


# question id, its saved answer ({n: attempts, a: answer} or None) -> attempts left, final (locked)
FINAL: list[tuple[str, dict[str, Any] | None, int | None, bool]] = [
    ("one", None, 2, False),  # limit 2, never checked
    ("one", {"n": 1, "a": 0}, 1, False),  # wrong once: one attempt left
    ("one", {"n": 1, "a": 1}, 1, True),  # right: final, whatever is left
    ("one", {"n": 2, "a": 0}, 0, True),  # wrong twice: locked
    ("one", {"n": 7, "a": 0}, 0, True),  # a count from a build that allowed more
    ("tf", {"n": 1, "a": True}, 0, True),  # limit 1: the first check is the last
    ("many", None, None, False),  # unlimited
    ("many", {"n": 40, "a": [1]}, None, False),  # unlimited: wrong never locks
    ("many", {"n": 1, "a": [0, 2, 4]}, None, True),  # unlimited: right locks, as before limits existed
]

LOCKED = {
    0: Attempt(2, 3),
    2: Attempt(1, False),
    3: Attempt(1, "Gestion"),
    4: Attempt(1, (1, 0, 2, 3)),
    6: Attempt(3, "x"),
}
"""one: wrong twice (locked); tf: right; fill: right; match: wrong once (one left); fillcase: unlimited."""

KC_DATA = {**DATA, "questions": [{**j, "graded": j["id"] != "fillcase"} for j in JSQ]}
"""The same questions, "fillcase" a knowledge check."""

GARBAGE = ("", "2|ab12|1|0||||||", "1|ab12|1|0|1=z||||||", "1|ab12|1|0|=1||||||", "1|ab")
"""Saved states the player must ignore: empty, another format version, a choice out of range,
no attempt count, cut short."""


def worst_state() -> dict[str, Any]:
    """The longest state this unit can have: every question answered in its longest form, checked more
    often than anything can count (the player stops each count at the question's limit)."""
    attempts = {}
    for i, q in enumerate(QUESTIONS):
        if q.type == "single":
            answer: Any = len(q.choices) - 1
        elif q.type == "multiple":
            answer = list(range(len(q.choices)))
        elif q.type == "true-false":
            answer = True
        elif q.type == "fill-in":
            answer = "😀" * fill_in_max_length(q)
        elif q.type == "matching":
            answer = [len(q.pairs) - 1] * len(q.pairs)
        else:
            answer = [len(q.items)] * len(q.items)
        attempts[str(i)] = {"n": MAX_ATTEMPTS, "a": answer}
    return {"page": 9, "visited": {str(p): True for p in range(1, 10)}, "answers": attempts}


@pytest.mark.parametrize("case", range(len(SCORING)))
def test_scoring_of_each_question_type(node: Node, case: int) -> None:
    qid, answer, expected = SCORING[case]
    assert node[node.calls["scoring"][case]] is expected, (qid, answer)


@pytest.mark.parametrize("case", range(len(ANSWERED)))
def test_incomplete_answers_are_not_checked(node: Node, case: int) -> None:
    qid, answer, expected = ANSWERED[case]
    assert node[node.calls["answered"][case]] is expected, (qid, answer)


@pytest.mark.parametrize("case", range(len(STATES)))
def test_javascript_encodes_the_state_as_the_python_reference_does(node: Node, case: int) -> None:
    page, visited, attempts = STATES[case]
    expected = encode_state("ab12", 9, page, visited, QUESTIONS, attempts, TRIES)
    assert node[node.calls["encode"][case]] == expected
    assert expected.isascii() and len(expected) <= worst_case_size(9, QUESTIONS, TRIES)


@pytest.mark.parametrize("case", range(len(STATES)))
def test_state_survives_a_round_trip(node: Node, case: int) -> None:
    page, visited, attempts = STATES[case]
    decoded = node[node.calls["roundtrip"][case]]
    assert decoded["page"] == page
    assert {int(k) for k in decoded["visited"]} == visited
    expected = {
        str(i): {
            "n": stored_attempts(a.attempts, TRIES[i]),
            "a": sorted(a.answer) if i == 1 else js_answer(a.answer),  # type: ignore[arg-type]
        }
        for i, a in attempts.items()
    }
    assert decoded["answers"] == expected
    if 3 in attempts and 5 in attempts:
        assert decoded["answers"]["3"]["n"] == 3 and decoded["answers"]["5"]["n"] == MAX_ATTEMPTS


@pytest.mark.parametrize("case", range(len(FINAL)))
def test_attempts_left_and_final_state(node: Node, case: int) -> None:
    qid, at, left, final = FINAL[case]
    assert node[node.calls["left"][case]] == left, (qid, at)
    assert node[node.calls["final"][case]] is final, (qid, at)


def test_a_resumed_learner_finds_locked_questions_locked(node: Node) -> None:
    resumed = node[node.calls["resumed"]]
    assert resumed == [
        {"left": 0, "final": True},  # one: wrong twice, its limit
        {"left": None, "final": False},  # many: never checked, unlimited
        {"left": 0, "final": True},  # tf: right on its only attempt
        {"left": 2, "final": True},  # fill: right on the first of 3
        {"left": 1, "final": False},  # match: wrong once of 2: "Try again"
        {"left": None, "final": False},
        {"left": None, "final": False},  # fillcase: unlimited, wrong 3 times, still open
    ]


def test_a_new_try_of_the_quiz_resets_answers_and_attempts_of_graded_questions(node: Node) -> None:
    out = node[node.calls["new_try"]]
    assert out["cleared"] == [0, 2, 3, 4]  # every graded question answered; not the knowledge check
    fields = out["saved"].split("|")[4:]
    assert fields == ["", "", "", "", "", "", "3=x"]
    assert [a["left"] for a in out["after"]] == [2, None, 1, 3, 2, None, None]  # every limit whole again
    assert not any(a["final"] for a in out["after"])


def test_state_of_another_build_or_garbage_is_not_restored(node: Node) -> None:
    assert node[node.calls["other_fp"]] is None
    assert all(node[c] is None for c in node.calls["garbage"])


def test_worst_case_size_is_exact(node: Node) -> None:
    longest = node[node.calls["worst"]]
    assert len(longest) == worst_case_size(9, QUESTIONS, TRIES)
    # a limit under 36 keeps the count to one digit: four limited questions save four characters
    assert len(node[node.calls["worst_unlimited"]]) == worst_case_size(9, QUESTIONS) == len(longest) + 4
    # 26-choice multiple: all chosen is 2**26 - 1 in base 36
    assert max_answer_length(QUESTIONS[1]) == len(base36(2**26 - 1)) == 6


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("qid", sorted(Q))
@pytest.mark.parametrize("kind", ["right", "wrong"])
def test_interaction_formats_follow_the_scorm_version(node: Node, version: str, qid: str, kind: str) -> None:
    out = node[node.calls["formats"][(version, qid, kind)]]
    formats = FORMAT_12 if version == "1.2" else FORMAT_2004
    assert out["patterns"], out
    for pattern in out["patterns"]:
        assert formats[out["type"]].match(pattern), (out["type"], pattern)
    assert formats[out["type"]].match(out["response"]), (out["type"], out["response"])
    if kind == "right":
        if Q[qid][0].type != "fill-in":
            assert out["response"] in out["patterns"]
        else:
            assert any(p.endswith(out["response"]) for p in out["patterns"])
    if version == "1.2" and qid == "tf":
        assert out["patterns"] == ["f"]
    if version == "2004" and qid == "fillcase":
        assert out["patterns"] == ["{case_matters=true}PIM"]


def test_summary_counts_graded_questions_only(node: Node) -> None:
    summary = node[node.calls["summary"]]
    # graded: one (right), many (wrong), tf (right), fill (unanswered), match, order (unanswered)
    assert summary["graded"] == 6 and summary["answered"] == 3 and not summary["complete"]
    assert summary["pct"] == pytest.approx(100 * 2 / 6, abs=0.01)
    assert summary["passed"] is False


def test_time_formats(node: Node) -> None:
    values = [node[c] for c in node.calls["times"]]
    assert values[:4] == ["00:00:00.00", "00:00:05.50", "01:02:03.45", "9999:00:00.00"]
    assert values[4:7] == ["PT0H0M0S", "PT0H0M5.25S", "PT1H2M3.45S"]
    timespan = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")  # CMITimespan
    assert all(timespan.match(v) for v in values[:4])
    # SCORM 2004 time(second,10,0): a time zone only after fractional seconds
    assert values[7] == "2023-11-14T22:13:20.1Z"


def test_python_escape_keeps_the_state_ascii_and_free_of_separators() -> None:
    escaped = escape("a|b=c~d é😀")
    assert escaped == "a~007cb~003dc~007ed ~00e9~d83d~de00"
    assert "|" not in escaped and "=" not in escaped and escaped.isascii()


def test_limits_are_the_scorm_ones() -> None:
    assert LIMITS == {"1.2": 4096, "2004": 64000}


def test_player_has_no_external_url() -> None:
    source = Path(PLAYER).read_text(encoding="utf-8")
    assert not re.search(r"https?://", source)
