"""The sample course's SCOs reporting to an LMS runtime (scorm-again) in headless Chromium, for both versions.

Every test also checks that the page logged no error and asked nothing of the internet.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.load import load_project
from pimlearn.render.suspend import base36
from tests.conftest import REPO, PageWatch
from tests.scorm_harness import (
    Lms,
    answer,
    answer_wrong_until_locked,
    cmi,
    current_page,
    go_to,
    install_lms,
    interactions,
    player_data,
    sco_frame,
    visit_every_page,
)

pytestmark = pytest.mark.browser

TYPES = {
    "single": "choice",
    "multiple": "choice",
    "true-false": "true-false",
    "fill-in": "fill-in",
    "matching": "matching",
    "ordering": "sequencing",
}


@pytest.fixture(scope="module")
def lms(sample_build: Path, js_tools: Path, http_root: tuple[str, Path]) -> Lms:
    return install_lms(sample_build, js_tools, http_root)


def clean(watch: PageWatch) -> None:
    assert watch.console_errors == []
    assert watch.external_requests == []


def finish(frame: Any, page: Any) -> None:
    """Open the result page and press Finish; wait until the LMS heard the session end."""
    go_to(frame, player_data(frame)["resultPage"])
    frame.click("[data-result-panel] [data-action='finish']")
    frame.wait_for_selector("[data-finished]:not([hidden])")
    page.wait_for_function("window.lmsCalls.includes('LMSFinish') || window.lmsCalls.includes('Terminate')")


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("module", ["pim-intro", "pim-principles"])
def test_all_right_passes_with_full_score(lms: Lms, page: tuple[Any, PageWatch], version: str, module: str) -> None:
    pg, watch = page
    pg.goto(lms.url(version, module))
    frame = sco_frame(pg)
    data = player_data(frame)
    visit_every_page(frame, data)
    for q in data["questions"]:
        answer(frame, q, right=True)
    frame.click(f".module-nav [data-goto='{data['resultPage']}']")
    assert frame.get_attribute("[data-result-panel]", "data-result") == "passed"
    finish(frame, pg)
    record = cmi(pg)
    if version == "1.2":
        core = record["core"]
        assert core["lesson_status"] == "passed"
        assert (core["score"]["raw"], core["score"]["min"], core["score"]["max"]) == ("100", "0", "100")
        assert core["exit"] == ""  # the attempt is over: no resume
        assert core["session_time"] != "00:00:00"
    else:
        assert record["completion_status"] == "completed"
        assert record["success_status"] == "passed"
        assert float(record["score"]["scaled"]) == 1.0 and record["score"]["raw"] == "100"
        assert record["progress_measure"] == "1"
        assert record["exit"] == "normal"
    found = interactions(record)
    assert len(found) == len(data["questions"])  # one per answered question
    for q, item in zip(data["questions"], found, strict=True):
        assert item["type"] == TYPES[q["type"]]
        assert item["result"] == "correct"
        assert item["weighting"] == "1"
        assert item["correct_responses"]["0"]["pattern"]
        response = item["student_response" if version == "1.2" else "learner_response"]
        if q["type"] != "fill-in":
            assert response == item["correct_responses"]["0"]["pattern"]
        assert item["latency"] and item["time" if version == "1.2" else "timestamp"]
        if version == "1.2":
            assert item["id"] == f"{module}_{q['id']}"
        else:
            assert item["id"] == f"urn:pimlearn:pim-foundations:{module}:{q['id']}"
            assert item["description"] == q["text"]
    clean(watch)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_wrong_answers_fail(lms: Lms, page: tuple[Any, PageWatch], version: str) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    visit_every_page(frame, data)
    for q in data["questions"]:
        answer_wrong_until_locked(frame, q)
    frame.click(f".module-nav [data-goto='{data['resultPage']}']")
    panel = frame.locator("[data-result-panel]")
    assert panel.get_attribute("data-result") == "failed"
    assert panel.locator("[data-action='retry']").is_visible()
    record = cmi(pg)
    results = [i["result"] for i in interactions(record)]
    if version == "1.2":
        assert record["core"]["lesson_status"] == "failed"
        assert record["core"]["score"]["raw"] == "0"
        assert set(results) == {"wrong"}
    else:
        assert record["success_status"] == "failed"
        assert record["completion_status"] == "completed"
        assert record["score"]["scaled"] == "0"
        assert set(results) == {"incorrect"}
    graded = [q for q in data["questions"] if q["graded"]]
    assert all(q["attempts"] == 2 for q in graded)  # the course's default
    # Retrying the quiz after a failure is a new try: answers and attempts of graded questions start afresh
    panel.locator("[data-action='retry']").click()
    for q in graded:
        el = frame.locator(f"[data-question-id='{q['id']}']")
        assert el.get_attribute("data-locked") is None and el.get_attribute("data-answered") is None
        assert el.locator("[data-attempts-note]").is_visible()
        assert el.locator("[data-answer-key]:visible").count() == 0
        answer(frame, q, right=True)
    record = cmi(pg)
    assert (record["core"]["lesson_status"] if version == "1.2" else record["success_status"]) == "passed"
    # each check journaled: two wrong attempts per graded question, then the new try; the knowledge check once
    assert len(interactions(record)) == 1 + 2 * len(graded) + len(graded)
    fields = record["suspend_data"].split("|")[4:]
    assert [fields[data["questions"].index(q)][:2] for q in graded] == ["1="] * len(graded)
    clean(watch)


def feedback_text(frame: Any, q: dict[str, Any]) -> str:
    """What the question's feedback region says now."""
    return str(frame.inner_text(f"[data-question-id='{q['id']}'] .question-feedback"))


def template_text(frame: Any, q: dict[str, Any], kind: str) -> str:
    """The text of one of the question's feedback templates (what the player may show)."""
    script = "t => t.content.textContent.replace(/\\s+/g, ' ').trim()"
    return str(frame.eval_on_selector(f"[data-question-id='{q['id']}'] template[data-feedback='{kind}']", script))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_last_wrong_attempt_locks_the_question_and_shows_the_answer(
    lms: Lms, browser: Any, page: tuple[Any, PageWatch], version: str
) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    graded = [q for q in data["questions"] if q["graded"]]
    single = next(q for q in graded if q["type"] == "single")
    order = next(q for q in graded if q["type"] == "ordering")
    el = frame.locator(f"[data-question-id='{single['id']}']")
    retry = el.locator("[data-action='retry']")
    explanation = template_text(frame, single, "explanation")
    right_choice = frame.inner_text(f"label[for='q-{single['id']}-{single['keys'][single['correct'][0]]}']")
    assert el.locator("[data-attempts-note]").inner_text() == "You have 2 attempts at this question."

    # First wrong answer: the verdict and how many attempts are left; the explanation waits
    answer(frame, single, right=False)
    said = feedback_text(frame, single)
    assert "Not quite." in said and "1 attempt left." in said and explanation not in said
    assert retry.is_visible() and el.get_attribute("data-locked") is None
    retry.click()
    # Second wrong answer: locked, with the correct answer marked and the explanation
    answer(frame, single, right=False)
    said = feedback_text(frame, single)
    assert "No attempts left." in said and f"Correct answer: {right_choice}" in said and explanation in said
    assert el.get_attribute("data-locked") == "true" and el.get_attribute("data-answered") == "incorrect"
    assert not retry.is_visible() and not el.locator("[data-attempts-note]").is_visible()
    assert el.locator("[data-action='check']").get_attribute("aria-disabled") == "true"
    assert el.locator("input:enabled").count() == 0
    assert el.locator(".choice.is-answer").count() == 1
    assert el.locator("[data-answer-key]:visible").count() == 1
    # the locked state holds: checking again changes nothing and reports nothing
    journal = len(interactions(cmi(pg)))
    el.evaluate("e => e.querySelector(\"[data-action='check']\").removeAttribute('aria-disabled')")
    el.locator("[data-action='check']").click()
    assert len(interactions(cmi(pg))) == journal

    # Wrong once, then right: the explanation appears only with the right answer
    order_explanation = template_text(frame, order, "explanation")
    answer(frame, order, right=False)
    assert order_explanation not in feedback_text(frame, order)
    frame.click(f"[data-question-id='{order['id']}'] [data-action='retry']")
    answer(frame, order, right=True)
    said = feedback_text(frame, order)
    assert "Correct." in said and order_explanation in said and "No attempts left." not in said
    assert frame.get_attribute(f"[data-question-id='{order['id']}']", "data-locked") == "true"
    assert frame.locator(f"[data-question-id='{order['id']}'] [data-answer-key]:visible").count() == 0

    for q in graded:
        if q not in (single, order):
            answer(frame, q, right=True)
    record = cmi(pg)
    # the score counts the locked question wrong: 4 of 5 points
    if version == "1.2":
        assert record["core"]["score"]["raw"] == "80" and record["core"]["lesson_status"] == "passed"
    else:
        assert record["score"]["scaled"] == "0.8" and record["success_status"] == "passed"
    mine = [i for i in interactions(record) if i["id"].endswith(single["id"])]
    assert [i["result"] for i in mine] == (["wrong"] * 2 if version == "1.2" else ["incorrect"] * 2)
    go_to(frame, data["resultPage"])
    index = data["questions"].index(single)
    assert frame.get_attribute(f"[data-result-for='{index}']", "data-state") == "wrong"
    assert record["suspend_data"].split("|")[4 + index].startswith("2=")
    clean(watch)

    # Relaunched, the learner finds the question still locked, with its answer and explanation
    pg.evaluate("document.querySelector('iframe').remove()")
    pg.wait_for_function("window.lmsCalls.includes('LMSFinish') || window.lmsCalls.includes('Terminate')")
    context = browser.new_context()
    context.add_init_script(f"window.lmsSaved = {json.dumps(saved_attempt(version, cmi(pg)))};")
    again = context.new_page()
    errors: list[str] = []
    again.on("pageerror", lambda exc: errors.append(str(exc)))
    again.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(again)
    go_to(frame, single["page"])
    el = frame.locator(f"[data-question-id='{single['id']}']")
    assert el.get_attribute("data-locked") == "true"
    assert not el.locator("[data-action='retry']").is_visible()
    assert el.locator("input:enabled").count() == 0
    assert el.locator("[data-answer-key]:visible").count() == 1
    said = feedback_text(frame, single)
    assert f"Correct answer: {right_choice}" in said and explanation in said
    assert errors == []
    context.close()


def saved_attempt(version: str, record: dict[str, Any]) -> dict[str, Any]:
    """What an LMS gives the SCO when the learner comes back to a suspended attempt."""
    if version == "1.2":
        core = record["core"]
        return {
            "core": {
                "entry": "resume",
                "lesson_location": core["lesson_location"],
                "lesson_status": core["lesson_status"],
            },
            "suspend_data": record["suspend_data"],
        }
    return {
        "entry": "resume",
        "location": record["location"],
        "suspend_data": record["suspend_data"],
        "completion_status": record["completion_status"],
    }


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_leaving_half_way_then_relaunching_resumes(
    lms: Lms, browser: Any, page: tuple[Any, PageWatch], version: str
) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    questions = data["questions"]
    graded = [q for q in questions if q["graded"]]
    answer(frame, questions[0], right=True)  # the fill-in knowledge check, page 4
    for q in graded[:3]:
        answer(frame, q, right=True)
    answer(frame, graded[3], right=False)  # the first of its two attempts
    frame.click(".module-nav [data-goto='5']")
    assert current_page(frame) == 5
    # The learner closes the course: the frame goes away, the player suspends the attempt.
    pg.evaluate("document.querySelector('iframe').remove()")
    pg.wait_for_function("window.lmsCalls.includes('LMSFinish') || window.lmsCalls.includes('Terminate')")
    record = cmi(pg)
    exit_value = record["core"]["exit"] if version == "1.2" else record["exit"]
    assert exit_value == "suspend"
    assert (record["core"]["lesson_location"] if version == "1.2" else record["location"]) == "5"
    assert len(record["suspend_data"]) < 4096
    clean(watch)

    # Relaunch in a new LMS page holding the saved attempt.
    context = browser.new_context()
    context.add_init_script(f"window.lmsSaved = {json.dumps(saved_attempt(version, record))};")
    again = context.new_page()
    errors: list[str] = []
    again.on("pageerror", lambda exc: errors.append(str(exc)))
    again.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    again.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(again)
    assert current_page(frame) == 5  # the same page
    fill = frame.locator(f"[data-question-id='{questions[0]['id']}']")
    assert fill.locator("input[type='text']").input_value() == questions[0]["answers"][0]
    assert fill.get_attribute("data-answered") == "correct"
    for q in graded[:3]:
        assert frame.get_attribute(f"[data-question-id='{q['id']}']", "data-answered") == "correct"
    assert frame.get_attribute(f"[data-question-id='{graded[3]['id']}']", "data-answered") == "incorrect"
    assert frame.get_attribute(f"[data-question-id='{graded[3]['id']}']", "data-locked") is None  # one left
    assert frame.get_attribute(f"[data-question-id='{graded[4]['id']}']", "data-answered") is None
    # the restored answers count: finishing the rest gives the full result
    go_to(frame, graded[3]["page"])
    frame.locator(f"[data-question-id='{graded[3]['id']}'] [data-action='retry']").click()
    answer(frame, graded[3], right=True)
    answer(frame, graded[4], right=True)
    record = cmi(again)
    if version == "1.2":
        assert record["core"]["lesson_status"] == "passed" and record["core"]["score"]["raw"] == "100"
    else:
        assert record["success_status"] == "passed"
    # attempts survived the relaunch: 1 wrong before, 1 right now
    assert record["suspend_data"].split("|")[4 + questions.index(graded[3])].startswith("2=")
    assert errors == []
    context.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_lms_errors_never_lose_answers(lms: Lms, browser: Any, version: str) -> None:
    context = browser.new_context()
    # The LMS refuses every commit until further notice: the player keeps the answers, retries
    # and tells the learner; once the LMS accepts again, a retry stores everything.
    context.add_init_script("window.lmsFailures = {Commit: 1000};")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    q = next(q for q in data["questions"] if q["type"] == "single")
    answer(frame, q, right=True)
    frame.wait_for_selector("[data-notice].player-notice-warning", timeout=5000)
    # the page still works while the LMS refuses
    assert frame.get_attribute(f"[data-question-id='{q['id']}']", "data-answered") == "correct"
    # the LMS accepts again: the learner's next step saves everything, and the notice says so
    pg.evaluate("window.lmsFailures.Commit = 0")
    go_to(frame, 1)
    frame.wait_for_selector("[data-notice].player-notice-info", timeout=5000)
    record = cmi(pg)
    assert record["suspend_data"].split("|")[4 + data["questions"].index(q)] == "1=" + base36(q["correct"][0])
    # a single refused commit is retried by itself a moment later, with no action from the learner
    pg.evaluate("window.lmsFailures.Commit = 1; window.lmsCalls = []")
    go_to(frame, 2)
    pg.wait_for_function(
        "(c => c.includes('Commit:refused') && "
        "Math.max(c.lastIndexOf('LMSCommit'), c.lastIndexOf('Commit')) > c.indexOf('Commit:refused'))"
        "(window.lmsCalls)",
        timeout=5000,
    )
    assert cmi(pg)["suspend_data"].split("|")[2] == "2"
    assert errors == []
    context.close()


def test_an_api_that_throws_does_not_break_the_page(lms: Lms, browser: Any) -> None:
    context = browser.new_context()
    context.add_init_script(
        "window.addEventListener('DOMContentLoaded', () => {"
        "  const wait = setInterval(() => { if (window.API) { clearInterval(wait);"
        "    window.API.LMSCommit = () => { throw new Error('network down'); }; } }, 1); });"
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(lms.url("1.2", "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    q = data["questions"][0]
    answer(frame, q, right=True)
    assert frame.get_attribute(f"[data-question-id='{q['id']}']", "data-answered") == "correct"
    assert errors == []
    context.close()


def test_without_an_lms_progress_stays_in_the_browser(lms: Lms, page: tuple[Any, PageWatch]) -> None:
    pg, watch = page
    pg.goto(lms.sco_file("1.2", "pim-intro").as_uri())
    pg.wait_for_selector("html.js [data-page]:not([hidden])")
    notice = pg.locator("[data-notice]")
    assert notice.is_visible() and "player-notice-info" in (notice.get_attribute("class") or "")
    data = player_data(pg.main_frame)
    q = data["questions"][0]
    answer(pg.main_frame, q, right=True)
    pg.reload()
    pg.wait_for_selector("html.js [data-page]:not([hidden])")
    assert current_page(pg.main_frame) == q["page"]
    assert pg.get_attribute(f"[data-question-id='{q['id']}']", "data-answered") == "correct"
    clean(watch)


def test_web_version_checks_answers_and_keeps_progress(
    sample_build: Path, http_root: tuple[str, Path], page: tuple[Any, PageWatch]
) -> None:
    import shutil

    base, root = http_root
    target = root / "web-en"
    if not target.exists():
        shutil.copytree(sample_build / "pim-foundations/en/web", target)
    pg, watch = page
    pg.goto(f"{base}/web-en/pim-intro/check-your-understanding.html")
    pg.wait_for_selector("html.js")
    assert pg.locator("[data-notice]").is_visible()
    data = player_data(pg.main_frame)
    here = [q for q in data["questions"] if q["page"] == 7]
    for q in here:
        answer(pg.main_frame, q, right=True)
    panel = pg.locator("[data-result-panel]")
    # the knowledge check on another page is not graded: the result is complete already
    assert panel.get_attribute("data-result") == "passed"
    pg.reload()
    pg.wait_for_selector("html.js")
    assert pg.get_attribute(f"[data-question-id='{here[0]['id']}']", "data-answered") == "correct"
    assert pg.locator("[data-result-panel]").get_attribute("data-result") == "passed"
    clean(watch)


@pytest.mark.parametrize("module", ["pim-intro", "pim-principles"])
def test_web_version_locks_every_question_type_after_its_last_attempt(
    sample_build: Path, http_root: tuple[str, Path], page: tuple[Any, PageWatch], module: str
) -> None:
    base, root = http_root
    target = root / "web-attempts"
    if not target.exists():
        shutil.copytree(sample_build / "pim-foundations/en/web", target)
    pg, watch = page
    files = sorted((target / module).glob("*.html"))
    seen: list[str] = []
    for path in files:
        pg.goto(f"{base}/web-attempts/{module}/{path.name}")
        pg.wait_for_selector("html.js")
        here = int(pg.get_attribute("main[data-page]", "data-page") or 0)
        data = player_data(pg.main_frame)
        for q in [q for q in data["questions"] if q["page"] == here]:
            answer_wrong_until_locked(pg.main_frame, q)
            assert_final_state(pg.main_frame, q)
            seen.append(q["type"])
        pg.reload()  # kept in localStorage: still locked, answer still shown
        pg.wait_for_selector("html.js")
        for q in [q for q in data["questions"] if q["page"] == here]:
            assert_final_state(pg.main_frame, q)
    assert len(seen) >= 5 and "fill-in" in seen
    clean(watch)


def assert_final_state(frame: Any, q: dict[str, Any]) -> None:
    """After its last wrong attempt: a limited question is locked and shows its correct answer beside the
    choices or items and in the feedback; a knowledge check without a limit behaves as before limits."""
    el = frame.locator(f"[data-question-id='{q['id']}']")
    said = feedback_text(frame, q)
    keys = el.locator("[data-answer-key]:visible")
    explanation = el.locator("template[data-feedback='explanation']")
    if explanation.count():
        assert template_text(frame, q, "explanation") in said  # shown once final (and always when unlimited)
    if "attempts" not in q:
        assert not q["graded"]
        assert el.locator("[data-attempts-note]").count() == 0 and el.locator("[data-answer-key]").count() == 0
        assert el.get_attribute("data-locked") is None and el.locator("[data-action='retry']").is_visible()
        assert "attempt" not in said
        return
    assert el.get_attribute("data-locked") == "true" and el.get_attribute("data-answered") == "incorrect"
    assert not el.locator("[data-action='retry']").is_visible()
    assert "No attempts left." in said
    kind = q["type"]
    if kind in ("single", "true-false"):
        right = q["keys"][q["correct"][0]] if kind == "single" else str(q["answer"]).lower()
        assert el.locator(".choice.is-answer [data-answer-key]:visible").count() == 1
        assert el.locator(f".choice:has([data-choice-id='{right}']) [data-answer-key]:visible").count() == 1
        label = el.locator(f".choice:has([data-choice-id='{right}']) label").inner_text()
        assert f"Correct answer: {label}" in said
    elif kind == "multiple":
        assert keys.count() == len(q["correct"])
        assert "Correct answers:" in said
        for i in q["correct"]:
            assert el.locator(f".choice:has([data-choice-id='{q['keys'][i]}']) [data-answer-key]").is_visible()
    elif kind == "fill-in":
        assert f"Correct answer: {q['answers'][0]}" in said and keys.count() == 0
    elif kind == "matching":
        assert "The right match is shown beside each item." in said
        for i in range(q["n"]):
            pair = el.locator(f".pair:has([data-left-index='{i}'])")
            right = pair.locator(f"option[value='{i}']").inner_text()
            assert pair.locator("[data-answer-key]").inner_text() == f"Right match: {right}"
        assert keys.count() == q["n"]
    else:
        assert "The right position is shown beside each item." in said
        for i in range(q["n"]):
            item = el.locator(f".order-item:has([data-item-index='{i}'])")
            assert item.locator("[data-answer-key]").inner_text() == f"Right position: {i + 1}"
        assert keys.count() == q["n"]


# --------------------------------------------------------------------------- other shapes of course

UNSCORED_MODULE = """\
---
title: Reading only
---

An opening page.

## Second page

Some text.

```question
id: warm-up
type: true-false
prompt: This is a knowledge check.
answer: true
graded: false
```

## Third page

The end.
"""


@pytest.fixture(scope="module")
def shapes(lms: Lms, tmp_path_factory: pytest.TempPathFactory, http_root: tuple[str, Path]) -> Lms:
    """Packages of other shapes, unpacked beside the harness: an unscored module, a single-SCO course."""
    from pimlearn.pipeline import BuildOptions, build
    from tests.conftest import REPO, write_project

    base, www = http_root
    root = write_project(
        tmp_path_factory.mktemp("unscored"),
        {
            "courses/c1/course.yml": "title: Reading\nversion: 2.0.0\nmodules: [reading]\n",
            "modules/reading/module.md": UNSCORED_MODULE,
        },
    )
    build(root, BuildOptions(formats=("scorm12", "scorm2004"), out_dir=root / "dist"))
    single = tmp_path_factory.mktemp("single")
    shutil.copytree(REPO / "modules", single / "modules")
    shutil.copytree(REPO / "courses", single / "courses")
    course = single / "courses/pim-foundations/course.yml"
    course.write_text(course.read_text().replace("packaging: multi-sco", "packaging: single-sco"))
    build(single, BuildOptions(formats=("scorm12", "scorm2004"), out_dir=single / "dist", locales=("en",)))
    lms = Lms(base, www)
    for suffix in ("scorm12", "scorm2004"):
        for name, package in (
            ("unscored", root / f"dist/c1/en/c1-2.0.0-en-{suffix}.zip"),
            ("single", single / f"dist/pim-foundations/en/pim-foundations-1.0.0-en-{suffix}.zip"),
        ):
            with zipfile.ZipFile(package) as archive:
                archive.extractall(www / "lms" / f"{name}-{suffix}")
    return lms


def shape_url(lms: Lms, version: str, name: str, sco: str) -> str:
    suffix = "scorm12" if version == "1.2" else "scorm2004"
    return f"{lms.base}/lms/lms.html?v={version}&sco={name}-{suffix}/{sco}"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_unscored_module_completes_when_every_page_is_seen(
    shapes: Lms, page: tuple[Any, PageWatch], version: str
) -> None:
    pg, watch = page
    pg.goto(shape_url(shapes, version, "unscored", "reading/index.html"))
    frame = sco_frame(pg)
    data = player_data(frame)
    assert data["passMark"] is None
    record = cmi(pg)
    assert (record["core"]["lesson_status"] if version == "1.2" else record["completion_status"]) == "incomplete"
    visit_every_page(frame, data)
    record = cmi(pg)
    if version == "1.2":
        assert record["core"]["lesson_status"] == "completed" and record["core"]["score"]["raw"] == ""
    else:
        assert record["completion_status"] == "completed" and record["success_status"] == "unknown"
    assert frame.get_attribute("[data-result-panel]", "data-result") is None
    clean(watch)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_single_sco_course_reports_one_result(shapes: Lms, page: tuple[Any, PageWatch], version: str) -> None:
    pg, watch = page
    pg.goto(shape_url(shapes, version, "single", "index.html"))
    frame = sco_frame(pg)
    data = player_data(frame)
    modules = [m.id for m in load_project(REPO, Reporter()).course("pim-foundations").modules]
    assert data["modules"] == modules and modules[:2] == ["pim-intro", "pim-principles"] and data["passMark"] == 80
    visit_every_page(frame, data)
    for q in data["questions"]:
        answer(frame, q, right=True)
    finish(frame, pg)
    record = cmi(pg)
    status = record["core"]["lesson_status"] if version == "1.2" else record["success_status"]
    assert status == "passed"
    ids = [i["id"] for i in interactions(record)]
    assert len(ids) == len(data["questions"])
    assert any("pim-principles" in i for i in ids) and any("pim-intro" in i for i in ids)
    clean(watch)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_review_mode_changes_nothing_in_the_lms(lms: Lms, browser: Any, version: str) -> None:
    """An LMS launching a finished attempt for review: the learner may look, the record stays as it was."""
    saved = {"core": {"lesson_mode": "review", "lesson_status": "passed"}} if version == "1.2" else {"mode": "review"}
    context = browser.new_context()
    context.add_init_script(f"window.lmsSaved = {json.dumps(saved)};")
    pg = context.new_page()
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    answer(frame, data["questions"][1], right=False)
    record = cmi(pg)
    assert interactions(record) == []
    assert record["suspend_data"] == ""
    if version == "1.2":
        assert record["core"]["lesson_status"] == "passed"
    else:
        assert record["completion_status"] == "unknown"
    context.close()
