"""What Moodle does to SCOs, reproduced against scorm-again in headless Chromium, for both SCORM versions.

- A finished module relaunched in the same attempt (``entry=ab-initio`` with the stored record) opens
  for review and never lowers what the LMS holds.
- Moodle keeps one SCORM 2004 API object per player page: moving to the next module with its own
  controls must still record every module.
- Completion is one rule, applied alike in both versions, and the end screen says where the learner stands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PageWatch
from tests.scorm_harness import (
    VERSIONS,
    Lms,
    answer,
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


@pytest.fixture(scope="module")
def lms(sample_build: Path, js_tools: Path, http_root: tuple[str, Path]) -> Lms:
    return install_lms(sample_build, js_tools, http_root)


def status(version: str, record: dict[str, Any]) -> tuple[str, ...]:
    """The statuses the LMS holds: (lesson_status,) in 1.2, (completion, success) in 2004."""
    if version == "1.2":
        return (record["core"]["lesson_status"],)
    return (record["completion_status"], record["success_status"])


def score(version: str, record: dict[str, Any]) -> str:
    """The raw score the LMS holds."""
    return str(record["core"]["score"]["raw"] if version == "1.2" else record["score"]["raw"])


def pass_module(frame: Any) -> dict[str, Any]:
    """See every page, answer every question right, press Finish; the module's data."""
    data = player_data(frame)
    visit_every_page(frame, data)
    for q in data["questions"]:
        answer(frame, q, right=True)
    go_to(frame, data["resultPage"])
    frame.click("[data-result-panel] [data-action='finish']")
    frame.wait_for_selector("[data-finished]:not([hidden])")
    return data


def stored_for_relaunch(version: str, record: dict[str, Any]) -> dict[str, Any]:
    """What Moodle hands a SCO it relaunches in the same attempt after a normal exit: ``entry=ab-initio``
    and every value the attempt stored."""
    if version == "1.2":
        core = record["core"]
        return {
            "core": {
                "entry": "ab-initio",
                "lesson_location": core["lesson_location"],
                "lesson_status": core["lesson_status"],
                "score": core["score"],
            },
            "suspend_data": record["suspend_data"],
        }
    return {
        "entry": "ab-initio",
        "location": record["location"],
        "suspend_data": record["suspend_data"],
        "completion_status": record["completion_status"],
        "success_status": record["success_status"],
        "progress_measure": record["progress_measure"],
        "score": record["score"],
    }


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_finished_module_relaunched_opens_for_review_and_changes_nothing(
    lms: Lms, browser: Any, page: tuple[Any, PageWatch], version: str, tmp_path: Path
) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    data = pass_module(sco_frame(pg))
    assert watch.console_errors == []
    before = cmi(pg)
    assert status(version, before) == (("completed",) if version == "1.2" else ("completed", "passed"))

    context = browser.new_context()
    context.add_init_script(f"window.lmsSaved = {json.dumps(stored_for_relaunch(version, before))};")
    again = context.new_page()
    errors: list[str] = []
    again.on("pageerror", lambda exc: errors.append(str(exc)))
    again.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(again)
    # it opens on the result: passed, every answer marked right, and says it is a review
    assert current_page(frame) == data["resultPage"]
    assert frame.get_attribute("[data-result-panel]", "data-result") == "passed"
    graded = [i for i, q in enumerate(data["questions"]) if q["graded"]]
    for index in graded:
        assert frame.get_attribute(f"[data-result-for='{index}']", "data-state") == "right"
    assert "here are your answers" in frame.inner_text("[data-notice]")
    again.screenshot(path=str(tmp_path / f"review-{version}.png"))
    # the learner looks around: answers are there, locked
    q = data["questions"][1]
    go_to(frame, q["page"])
    el = frame.locator(f"[data-question-id='{q['id']}']")
    assert el.get_attribute("data-answered") == "correct"
    assert el.locator("input:enabled, select:enabled").count() == 0
    go_to(frame, 1)
    again.evaluate("document.querySelector('iframe').remove()")
    after = cmi(again)
    assert status(version, after) == status(version, before)
    assert score(version, after) == score(version, before) == "100"
    assert after["suspend_data"] == before["suspend_data"]
    if version == "2004":
        assert after["progress_measure"] == "1" and after["location"] == before["location"]
    else:
        assert after["core"]["lesson_location"] == before["core"]["lesson_location"]
    assert interactions(after) == []
    assert errors == []
    context.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_resumed_module_never_lowers_what_the_lms_holds(lms: Lms, browser: Any, version: str) -> None:
    """A learner who passed comes back to a suspended attempt and fails on a new try: the LMS keeps the pass."""
    held = (
        {"core": {"entry": "resume", "lesson_status": "passed", "score": {"raw": "100", "min": "0", "max": "100"}}}
        if version == "1.2"
        else {
            "entry": "resume",
            "completion_status": "completed",
            "success_status": "passed",
            "progress_measure": "1",
            "score": {"scaled": "1", "raw": "100", "min": "0", "max": "100"},
        }
    )
    context = browser.new_context()
    context.add_init_script(f"window.lmsSaved = {json.dumps(held)};")
    pg = context.new_page()
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    for q in data["questions"]:
        if q["graded"]:
            for _ in range(q.get("attempts", 1)):
                answer(frame, q, right=False)
                retry = frame.locator(f"[data-question-id='{q['id']}'] [data-action='retry']")
                if retry.is_visible():
                    retry.click()
    record = cmi(pg)
    assert status(version, record) == (("passed",) if version == "1.2" else ("completed", "passed"))
    assert score(version, record) == "100"
    if version == "2004":
        assert record["progress_measure"] == "1"
    assert interactions(record)  # the new checks are journaled all the same
    context.close()


def moodle_next(pg: Any, lms: Lms, version: str, module: str, stored: dict[str, Any] | None = None) -> Any:
    """Moodle's ">" button or its table of contents: another SCO under the same API object of the player
    page, with what the LMS stored for it (``stored``)."""
    url = lms.url(version, module).split("sco=", 1)[1]
    pg.evaluate(f"window.lmsOpen({json.dumps(url)}, {json.dumps(stored)})")
    pg.wait_for_function("document.querySelector('iframe[name=sco]')")
    for _ in range(50):
        frame = pg.frame(name="sco")
        if frame is not None:
            break
        pg.wait_for_timeout(50)
    frame.wait_for_selector("html.js [data-page]:not([hidden])")
    return frame


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_moodle_player_records_every_module(lms: Lms, page: tuple[Any, PageWatch], version: str) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    first = pass_module(frame)
    # the learner moves on with Moodle's own control, not with anything of the SCO
    frame = moodle_next(pg, lms, version, "pim-principles")
    assert frame.locator("[data-notice]:visible").count() == 0  # no "did not respond" notice
    second = pass_module(frame)
    # back to the first module through Moodle's table of contents: finished, it opens for review
    suffix = VERSIONS[version]
    intro = pg.evaluate("window.lmsRecords")[f"pkg-{suffix}/pim-intro/index.html"]
    frame = moodle_next(pg, lms, version, "pim-intro", stored_for_relaunch(version, intro))
    assert current_page(frame) == first["resultPage"]
    records = pg.evaluate("window.lmsRecords")
    principles = records[f"pkg-{suffix}/pim-principles/index.html"]
    for record, data in ((intro, first), (principles, second)):
        assert status(version, record) == (("completed",) if version == "1.2" else ("completed", "passed"))
        assert score(version, record) == "100"
        assert len(interactions(record)) == len(data["questions"])
    assert watch.console_errors == [] and watch.external_requests == []


def test_the_emulated_moodle_api_refuses_a_sco_after_terminate(lms: Lms, page: tuple[Any, PageWatch]) -> None:
    """The harness is faithful to Moodle: once a SCO terminated the shared 2004 API, the next Initialize
    fails with 104, the failure the player avoids by leaving Terminate to the LMS."""
    pg, _ = page
    pg.goto(lms.url("2004", "pim-intro"))
    sco_frame(pg)
    assert pg.evaluate("window.API_1484_11.Terminate('')") == "true"
    moodle_next(pg, lms, "2004", "pim-principles")
    assert pg.evaluate("[window.API_1484_11.Initialize(''), window.API_1484_11.GetLastError()]") == ["false", "104"]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_jumping_to_the_questions_is_not_completion(
    lms: Lms, page: tuple[Any, PageWatch], version: str, tmp_path: Path
) -> None:
    """The issue's path: page list → questions, pass, Finish. Both versions record incomplete, the learner is
    warned, then told the module is not complete and what is missing."""
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    for q in data["questions"]:
        if q["graded"]:
            answer(frame, q, right=True)
    go_to(frame, data["resultPage"])
    seen = frame.locator(".module-nav a.is-visited").count()
    assert 0 < seen < data["pages"]
    assert frame.text_content(".module-nav a.is-visited >> nth=0 >> .visually-hidden") == " (seen)"
    summary = frame.inner_text("[data-result-summary]")
    assert "You passed." in summary and "Not complete yet:" in summary and "pages not seen" in summary
    frame.click("[data-result-panel] [data-action='finish']")
    warning = frame.locator("[data-finish-warning]")
    assert warning.is_visible() and "press Finish again" in warning.inner_text()
    pg.screenshot(path=str(tmp_path / f"finish-warning-{version}.png"))
    frame.click("[data-result-panel] [data-action='finish']")
    frame.wait_for_selector("[data-finished='incomplete']:not([hidden])")
    said = frame.inner_text("[data-finished]")
    assert "This module is not complete" in said and "You have finished" not in said
    pg.screenshot(path=str(tmp_path / f"end-incomplete-{version}.png"))
    record = cmi(pg)
    if version == "1.2":
        assert record["core"]["lesson_status"] == "incomplete" and record["core"]["exit"] == "suspend"
    else:
        assert record["completion_status"] == "incomplete" and record["success_status"] == "passed"
        assert record["exit"] == "suspend"
    assert watch.console_errors == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_failed_module_says_so_and_stays_open(lms: Lms, page: tuple[Any, PageWatch], version: str) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    visit_every_page(frame, data)
    for q in data["questions"]:
        for _ in range(q.get("attempts", 1)):
            answer(frame, q, right=False)
            retry = frame.locator(f"[data-question-id='{q['id']}'] [data-action='retry']")
            if q.get("attempts") and retry.is_visible():
                retry.click()
    go_to(frame, data["resultPage"])
    frame.click("[data-result-panel] [data-action='finish']")
    frame.wait_for_selector("[data-finished='failed']:not([hidden])")
    assert "You have not passed this module yet" in frame.inner_text("[data-finished] h1")
    record = cmi(pg)
    exit_value = record["core"]["exit"] if version == "1.2" else record["exit"]
    assert exit_value == "suspend"  # the attempt stays open: the learner can come back and try again
    assert watch.console_errors == []


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_ordering_needs_distinct_positions_before_an_attempt_counts(
    lms: Lms, page: tuple[Any, PageWatch], version: str
) -> None:
    pg, watch = page
    pg.goto(lms.url(version, "pim-intro"))
    frame = sco_frame(pg)
    data = player_data(frame)
    q = next(q for q in data["questions"] if q["type"] == "ordering")
    go_to(frame, q["page"])
    root = frame.locator(f"[data-question-id='{q['id']}']")
    for i in range(q["n"]):
        root.locator(f"[data-item-index='{i}']").select_option("1")
    root.locator("[data-action='check']").click()
    assert "Use each position once." in root.locator(".question-feedback").inner_text()
    assert root.get_attribute("data-answered") is None
    assert interactions(cmi(pg)) == []
    answer(frame, q, right=True)
    assert root.get_attribute("data-answered") == "correct"
    assert watch.console_errors == []


@pytest.fixture(scope="module")
def passed_failed(lms: Lms, tmp_path_factory: pytest.TempPathFactory) -> Lms:
    """The sample course with ``scorm: report_12: passed-failed``, unpacked beside the harness."""
    import shutil
    import zipfile

    from pimlearn.pipeline import BuildOptions, build
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("passed-failed")
    shutil.copytree(REPO / "modules", root / "modules")
    shutil.copytree(REPO / "courses", root / "courses")
    course = root / "courses/pim-foundations/course.yml"
    course.write_text(
        course.read_text().replace("packaging: multi-sco", "packaging: multi-sco\n  report_12: passed-failed")
    )
    build(root, BuildOptions(formats=("scorm12",), out_dir=root / "dist", locales=("en",)))
    with zipfile.ZipFile(root / "dist/pim-foundations/en/pim-foundations-1.0.0-en-scorm12.zip") as archive:
        archive.extractall(lms.root / "lms" / "pf-scorm12")
    return lms


@pytest.mark.parametrize("right", [True, False])
def test_a_passed_failed_report_says_passed_or_failed(
    passed_failed: Lms, page: tuple[Any, PageWatch], right: bool
) -> None:
    pg, watch = page
    pg.goto(f"{passed_failed.base}/lms/lms.html?v=1.2&sco=pf-scorm12/pim-intro/index.html")
    frame = sco_frame(pg)
    data = player_data(frame)
    visit_every_page(frame, data)
    for q in data["questions"]:
        for _ in range(1 if right else q.get("attempts", 1)):
            answer(frame, q, right=right)
            retry = frame.locator(f"[data-question-id='{q['id']}'] [data-action='retry']")
            if not right and q.get("attempts") and retry.is_visible():
                retry.click()
    record = cmi(pg)
    assert record["core"]["lesson_status"] == ("passed" if right else "failed")
    assert record["core"]["score"]["raw"] == ("100" if right else "0")
    assert watch.console_errors == []
