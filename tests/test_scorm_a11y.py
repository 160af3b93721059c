"""Accessibility of the e-learning: axe-core (WCAG 2.1 A/AA) on every page; a module done with the keyboard alone."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PageWatch
from tests.scorm_harness import Lms, answer, answer_wrong_until_locked, cmi, go_to, install_lms, player_data, sco_frame

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def lms(sample_build: Path, js_tools: Path, http_root: tuple[str, Path]) -> Lms:
    return install_lms(sample_build, js_tools, http_root)


def axe(target: Any, js_tools: Path) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on what the page shows now, one line each."""
    if not target.evaluate("typeof window.axe !== 'undefined'"):
        target.add_script_tag(path=str(js_tools / "axe-core" / "axe.min.js"))
    result = target.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
        WCAG,
    )
    return list(result)


@pytest.mark.parametrize("module", ["pim-intro", "pim-principles"])
def test_every_sco_page_passes_axe(lms: Lms, js_tools: Path, page: tuple[Any, PageWatch], module: str) -> None:
    pg, watch = page
    pg.goto(f"{lms.base}/lms/pkg-scorm12/{module}/index.html")  # no LMS: the notice shows too
    pg.wait_for_selector("html.js [data-page]:not([hidden])")
    frame = pg.main_frame
    data = player_data(frame)
    problems = {}
    for number in range(1, data["pages"] + 1):
        go_to(frame, number)
        problems[f"page {number}"] = axe(frame, js_tools)
    # again with feedback showing: some answers right; some wrong on every attempt, so that the question
    # is locked and shows its correct answer (marks beside the choices or items, the answer in the feedback).
    # The two modules lock different questions: together, every type.
    wrong = [i % 2 == (1 if module == "pim-intro" else 0) for i in range(len(data["questions"]))]
    for i, q in enumerate(data["questions"]):
        if wrong[i]:
            answer_wrong_until_locked(frame, q)
        else:
            answer(frame, q, right=True)
    locked = frame.locator("[data-locked][data-answered='incorrect']")
    assert locked.count() == sum(1 for i, q in enumerate(data["questions"]) if wrong[i] and "attempts" in q) >= 3
    assert frame.locator("[data-answer-key]:not([hidden])").count() >= 2
    for number in sorted({q["page"] for q in data["questions"]}):
        go_to(frame, number)
        problems[f"page {number} answered"] = axe(frame, js_tools)
    go_to(frame, data["resultPage"])
    problems["result"] = axe(frame, js_tools)
    frame.click("[data-result-panel] [data-action='finish']")
    problems["finished"] = axe(frame, js_tools)
    assert {k: v for k, v in problems.items() if v} == {}
    assert watch.console_errors == [] and watch.external_requests == []


def test_every_web_page_passes_axe(
    sample_build: Path, js_tools: Path, http_root: tuple[str, Path], page: tuple[Any, PageWatch]
) -> None:
    base, root = http_root
    target = root / "web-a11y"
    if not target.exists():
        shutil.copytree(sample_build / "pim-foundations/en/web", target)
    pg, watch = page
    problems = {}
    for path in sorted(target.rglob("*.html")):
        rel = path.relative_to(target).as_posix()
        pg.goto(f"{base}/web-a11y/{rel}")
        problems[rel] = axe(pg, js_tools)
    assert {k: v for k, v in problems.items() if v} == {}
    assert len(problems) >= 13
    # the check can fail: a planted image without alt text is reported
    pg.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in axe(pg, js_tools))
    assert watch.console_errors == [] and watch.external_requests == []


# --------------------------------------------------------------------------- keyboard only


class Keyboard:
    """A learner with a keyboard and nothing else."""

    def __init__(self, page: Any, frame: Any) -> None:
        self.page = page
        self.frame = frame

    def focused(self, selector: str) -> bool:
        script = "(s) => !!document.activeElement && document.activeElement.matches(s)"
        return bool(self.frame.evaluate(script, selector))

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until the focus is on an element matching ``selector``."""
        for _ in range(limit):
            if self.focused(selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def choose_radio(self, question: str, choice: str) -> None:
        """Tab into a radio group, then move with the arrow keys (which select) to ``choice``."""
        self.tab_to(f"[data-question-id='{question}'] input[type='radio']")
        for _ in range(30):
            if self.focused(f"[data-choice-id='{choice}']"):
                break
            self.press("ArrowDown")
        if not self.frame.is_checked(f"[data-question-id='{question}'] [data-choice-id='{choice}']"):
            self.press("Space")  # Tab lands on the first radio without choosing it
        assert self.frame.is_checked(f"[data-question-id='{question}'] [data-choice-id='{choice}']")

    def choose_option(self, select: str, value: str) -> None:
        """Tab to a select, then move through its options with the arrow keys."""
        self.tab_to(select)
        values = self.frame.eval_on_selector(select, "s => [...s.options].map(o => o.value)")
        self.press("Home")
        for _ in range(values.index(value)):
            self.press("ArrowDown")
        assert self.frame.eval_on_selector(select, "s => s.value") == value

    def check(self, question: str) -> None:
        self.tab_to(f"[data-question-id='{question}'] [data-action='check']")
        self.press("Enter")
        self.frame.wait_for_selector(f"[data-question-id='{question}'][data-answered='correct']")

    def next_page(self) -> int:
        self.tab_to(".pager [data-action='next']")
        self.press("Enter")
        # the new page's heading takes the focus, so a screen reader starts reading there
        assert self.frame.evaluate("document.activeElement.tagName") == "H1"
        return int(self.frame.eval_on_selector("[data-page]:not([hidden])", "e => e.dataset.page"))


@pytest.mark.parametrize("version", ["2004"])
def test_a_learner_completes_a_module_with_the_keyboard_alone(
    lms: Lms, page: tuple[Any, PageWatch], version: str
) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    questions = {q["type"]: q for q in data["questions"]}
    assert set(questions) == {"single", "multiple", "true-false", "fill-in", "matching", "ordering"}
    kb = Keyboard(pg, frame)
    kb.press("Tab")  # into the course frame: the skip link comes first
    assert kb.focused(".skip-link")
    number = 1
    while number < data["pages"]:
        number = kb.next_page()
        for q in [q for q in data["questions"] if q["page"] == number]:
            qid, kind = q["id"], q["type"]
            if kind == "fill-in":
                kb.tab_to(f"[data-question-id='{qid}'] input[type='text']")
                kb.page.keyboard.type(q["answers"][0])
                kb.press("Enter")  # Enter in the text box checks the answer
                frame.wait_for_selector(f"[data-question-id='{qid}'][data-answered='correct']")
                continue
            if kind == "single":
                kb.choose_radio(qid, q["keys"][q["correct"][0]])
            elif kind == "true-false":
                kb.choose_radio(qid, str(q["answer"]).lower())
            elif kind == "multiple":
                for key in q["keys"]:
                    kb.tab_to(f"[data-question-id='{qid}'] [data-choice-id='{key}']")
                    if q["keys"].index(key) in q["correct"]:
                        kb.press("Space")
            elif kind == "matching":
                for i in range(q["n"]):
                    kb.choose_option(f"[data-question-id='{qid}'] [data-left-index='{i}']", str(i))
            else:
                for i in range(q["n"]):
                    kb.choose_option(f"[data-question-id='{qid}'] [data-item-index='{i}']", str(i + 1))
            kb.check(qid)
            # the focus stays on the check button, which now says it is done; the feedback is announced
            assert kb.focused("[data-action='check'][aria-disabled='true']")
            assert frame.get_attribute(f"[data-question-id='{qid}'] .question-feedback", "role") == "status"
    assert frame.get_attribute("[data-result-panel]", "data-result") == "passed"
    kb.tab_to("[data-result-panel] [data-action='finish']")
    outline = frame.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    kb.press("Enter")
    frame.wait_for_selector("[data-finished]:not([hidden])")
    assert frame.evaluate("document.activeElement.id") == "finished-title"
    record = cmi(pg)
    assert record["success_status"] == "passed" and record["completion_status"] == "completed"
    assert watch.console_errors == [] and watch.external_requests == []
