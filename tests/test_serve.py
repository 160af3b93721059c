"""`pimlearn serve`: the preview rebuilds on save and shows errors instead of stale pages."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import MINIMAL_COURSE, Files


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
        assert base.endswith("/en/web")
        origin = base.removesuffix("/en/web")
        page = fetch(base + "/m1/section.html")
        assert "Text." in page and "/__pimlearn/status" in page
        status = json.loads(fetch(origin + "/__pimlearn/status"))
        assert status == {"build": 1, "errors": ""}

        module = root / "modules/m1/module.md"
        module.write_text(module.read_text(encoding="utf-8").replace("Text.", "Edited text."), encoding="utf-8")
        wait_for(lambda: json.loads(fetch(origin + "/__pimlearn/status"))["build"] == 2)
        assert "Edited text." in fetch(base + "/m1/section.html")

        module.write_text("---\ntitle: T\n---\n\n# Oops\n", encoding="utf-8")
        wait_for(lambda: bool(json.loads(fetch(origin + "/__pimlearn/status"))["errors"]))
        errors = json.loads(fetch(origin + "/__pimlearn/status"))["errors"]
        assert "modules/m1/module.md:5:1: error: level-1 heading in the body" in errors
        assert not (root / "dist").exists()  # the preview never touches dist/
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def serving(root: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``pimlearn serve`` on ``root``; yields the process and the server's origin (http://127.0.0.1:PORT)."""
    script = Path(sys.executable).parent / "pimlearn"
    proc = subprocess.Popen(
        [str(script), "serve", *args, "--project", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = ""
        while " at http://" not in line:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        yield proc, url.split("/", 3)[0] + "//" + url.split("/", 3)[2]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_failed_first_build_shows_the_error_page_and_recovers(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    module = str(minimal_files["modules/m1/module.md"])
    minimal_files["modules/m1/module.md"] = module.replace("Text.", "# Oops\n\n::: <img src=x>\nx\n:::\n")
    root = make_project(minimal_files)
    with serving(root, "--port", "0") as (_, origin):
        page = fetch(origin + "/")
        assert "The preview could not be built" in page
        assert "modules/m1/module.md:" in page and "level-1 heading in the body" in page
        assert "unknown container '::: &lt;img'" in page and "<img" not in page  # diagnostics are escaped
        assert "/__pimlearn/status" in page  # the page reloads itself once the build works
        (root / "modules/m1/module.md").write_text(module, encoding="utf-8")
        wait_for(lambda: json.loads(fetch(origin + "/__pimlearn/status")) == {"build": 1, "errors": ""})
        page = fetch(origin + "/")
        assert "The preview could not be built" not in page and "Module one" in page


def test_every_locale_of_the_course_is_served(make_project: Callable[[Files], Path], minimal_files: Files) -> None:
    minimal_files["courses/c1/course.yml"] = MINIMAL_COURSE + "locales: [en, fr, es]\n"
    root = make_project(minimal_files)
    with serving(root, "--port", "0", "-l", "fr") as (_, origin):
        start = fetch(origin + "/")
        assert '<html lang="fr"' in start
        links = [part.split('"', 1)[0] for part in start.split('href="')[1:]]
        switch = [link for link in links if link.endswith("/web/index.html") and "/es/" in link]
        assert switch, links
        target = urllib.parse.urljoin(origin + "/fr/web/index.html", switch[0])
        assert '<html lang="es"' in fetch(target)
        assert '<html lang="en"' in fetch(origin + "/en/web/m1/section.html")


def test_a_busy_port_gives_one_line_and_the_next_free_port(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    root = make_project(minimal_files)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        script = Path(sys.executable).parent / "pimlearn"
        proc = subprocess.Popen(
            [str(script), "serve", "--port", str(port), "--project", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None
            lines = [proc.stdout.readline() for _ in range(3)]
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=10)
    assert lines[1].startswith(f"pimlearn: port {port} is in use; serving on port ")
    chosen = int(lines[1].split("serving on port ", 1)[1].split()[0])
    assert chosen != port
    assert lines[2].startswith(f"pimlearn: serving c1 (en) at http://127.0.0.1:{chosen}/en/web/")
    assert "Traceback" not in err


def test_serving_a_locale_the_course_does_not_list_is_a_usage_error(
    make_project: Callable[[Files], Path], minimal_files: Files
) -> None:
    minimal_files["courses/c1/course.yml"] = MINIMAL_COURSE + "locales: [en, fr]\n"
    root = make_project(minimal_files)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "pimlearn"), "serve", "-l", "rf", "--project", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "course 'c1' does not list the locale 'rf' (its locales: en, fr) (did you mean 'fr'?)" in result.stderr
