"""`pimlearn serve`: the preview rebuilds on save and shows errors instead of stale pages."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Files


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_preview_rebuilds_on_save_and_reports_errors(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    root = make_project(minimal_files)
    script = Path(sys.executable).parent / "pimlearn"
    proc = subprocess.Popen(
        [str(script), "serve", "--port", "0", "--project", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("pimlearn: rebuilt the preview"), line
        line = proc.stdout.readline()
        assert line.startswith("pimlearn: serving c1 (en) at http://127.0.0.1:"), line
        base = line.split(" at ", 1)[1].split("/ ", 1)[0]
        page = fetch(base + "/m1/section.html")
        assert "Text." in page and "/__pimlearn/status" in page
        status = json.loads(fetch(base + "/__pimlearn/status"))
        assert status == {"build": 1, "errors": ""}

        module = root / "modules/m1/module.md"
        module.write_text(module.read_text(encoding="utf-8").replace("Text.", "Edited text."), encoding="utf-8")
        wait_for(lambda: json.loads(fetch(base + "/__pimlearn/status"))["build"] == 2)
        assert "Edited text." in fetch(base + "/m1/section.html")

        module.write_text("---\ntitle: T\n---\n\n# Oops\n", encoding="utf-8")
        wait_for(lambda: bool(json.loads(fetch(base + "/__pimlearn/status"))["errors"]))
        errors = json.loads(fetch(base + "/__pimlearn/status"))["errors"]
        assert "modules/m1/module.md:5:1: error: level-1 heading in the body" in errors
        assert not (root / "dist").exists()  # the preview never touches dist/
    finally:
        proc.terminate()
        proc.wait(timeout=10)
