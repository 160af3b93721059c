"""Driving the sample course's SCOs in Chromium, inside a test LMS built on scorm-again."""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HARNESS = Path(__file__).resolve().parent / "scorm_lms" / "lms.html"
VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}


@dataclass(frozen=True)
class Lms:
    """The served test LMS: ``base`` URL, and where each version's package is unpacked under it."""

    base: str
    root: Path

    def url(self, version: str, module: str) -> str:
        """The LMS page launching ``module``'s SCO of the ``version`` package."""
        return f"{self.base}/lms/lms.html?v={version}&sco=pkg-{VERSIONS[version]}/{module}/index.html"

    def sco_file(self, version: str, module: str) -> Path:
        """The unpacked SCO on disk (to open it without an LMS)."""
        return self.root / "lms" / f"pkg-{VERSIONS[version]}" / module / "index.html"


def install_lms(dist: Path, js_tools: Path, http: tuple[str, Path], locale: str = "en") -> Lms:
    """Unpack the course's packages next to the harness page and scorm-again, in the served folder."""
    base, root = http
    folder = root / "lms"
    if not folder.exists():
        (folder / "scorm-again").mkdir(parents=True)
        shutil.copy(HARNESS, folder / "lms.html")
        for name in ("scorm12.min.js", "scorm2004.min.js"):
            shutil.copy(js_tools / "scorm-again" / "dist" / name, folder / "scorm-again" / name)
        for suffix in VERSIONS.values():
            package = dist / f"pim-foundations/{locale}/pim-foundations-1.0.0-{locale}-{suffix}.zip"
            with zipfile.ZipFile(package) as archive:
                archive.extractall(folder / f"pkg-{suffix}")
    return Lms(base, root)


def sco_frame(page: Any) -> Any:
    """The SCO's frame, once the player has shown a page."""
    page.wait_for_selector("iframe")
    frame = page.frame(name="sco")
    frame.wait_for_selector("html.js [data-page]:not([hidden])")
    return frame


def player_data(frame: Any) -> dict[str, Any]:
    """The data the player runs on (pages, questions, answer keys)."""
    data: dict[str, Any] = json.loads(frame.eval_on_selector("#pimlearn-data", "e => e.textContent"))
    return data


def cmi(page: Any) -> dict[str, Any]:
    """Everything the LMS holds for this attempt."""
    data: dict[str, Any] = json.loads(page.evaluate("JSON.stringify(window.lmsApi.cmi)"))
    return data


def interactions(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The attempt's interactions, in order."""
    found = record.get("interactions") or {}
    return [found[k] for k in sorted(found, key=int)]


def current_page(frame: Any) -> int:
    """The page the player shows."""
    return int(frame.eval_on_selector("[data-page]:not([hidden])", "e => e.dataset.page"))


def go_to(frame: Any, number: int) -> None:
    """Open a page from the SCO's list of pages."""
    frame.click(f".module-nav [data-goto='{number}']")
    frame.wait_for_selector(f"[data-page='{number}']:not([hidden])")


def visit_every_page(frame: Any, data: dict[str, Any]) -> None:
    """Walk the SCO with its Next button, from the first page to the result."""
    go_to(frame, 1)
    for number in range(2, data["pages"] + 1):
        frame.click(".pager [data-action='next']")
        frame.wait_for_selector(f"[data-page='{number}']:not([hidden])")


def answer(frame: Any, q: dict[str, Any], right: bool, check: bool = True) -> None:
    """Answer one question through its form controls (right or wrong), then check it."""
    if current_page(frame) != q["page"]:
        go_to(frame, q["page"])
    root = frame.locator(f"[data-page='{q['page']}'] [data-question-id='{q['id']}']")
    kind = q["type"]
    if kind == "single":
        wrong = next(i for i in range(q["n"]) if i not in q["correct"])
        root.locator(f"[data-choice-id='{q['keys'][q['correct'][0] if right else wrong]}']").check()
    elif kind == "multiple":
        picks = q["correct"] if right else [next(i for i in range(q["n"]) if i not in q["correct"])]
        for i in picks:
            root.locator(f"[data-choice-id='{q['keys'][i]}']").check()
    elif kind == "true-false":
        root.locator(f"[data-choice-id='{str(q['answer'] == right).lower()}']").check()
    elif kind == "fill-in":
        root.locator("input[type='text']").fill(q["answers"][0] if right else "not this")
    elif kind == "matching":
        for i in range(q["n"]):
            root.locator(f"[data-left-index='{i}']").select_option(str(i if right else (i + 1) % q["n"]))
    else:
        for i in range(q["n"]):
            root.locator(f"[data-item-index='{i}']").select_option(str(i + 1 if right else q["n"] - i))
    if check:
        root.locator("[data-action='check']").click()
        frame.wait_for_selector(f"[data-page='{q['page']}'] [data-question-id='{q['id']}'][data-answered]")


def answer_wrong_until_locked(frame: Any, q: dict[str, Any]) -> None:
    """Answer wrong, then "Try again" and wrong again while attempts are left (once when unlimited)."""
    answer(frame, q, right=False)
    for _ in range(q.get("attempts", 1) - 1):
        frame.click(f"[data-page='{q['page']}'] [data-question-id='{q['id']}'] [data-action='retry']")
        answer(frame, q, right=False)
