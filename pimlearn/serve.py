"""``pimlearn serve``: a live preview of one course's web version that rebuilds on save.

The preview is built into a temporary folder (``dist/`` is never touched) and
served on localhost, every locale of the course, so the language links work.
Every HTML page gets a small script that asks the server for the build number
once a second and reloads when it changes; when the sources have errors, the
page shows them instead of stale content, and when there is no page yet (the
first build failed) an error page stands in for it until the sources are fixed.
"""

from __future__ import annotations

import errno
import html
import http.server
import json
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .diagnostics import ContentError, format_diagnostics
from .pipeline import BuildOptions, build

WATCHED = ("courses", "modules", "templates", "locales")
PORT_TRIES = 20
"""How many ports after a busy one ``serve`` tries before giving up."""
STATUS_PATH = "/__pimlearn/status"

RELOAD_SCRIPT = """
<script>
(function () {
  var seen = null;
  function show(errors) {
    var box = document.getElementById("pimlearn-errors");
    if (!errors) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "pimlearn-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;" +
        "padding:1rem;background:#a4262c;color:#fff;font:14px/1.5 monospace;z-index:1000;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = errors;
  }
  function poll() {
    fetch("%(status)s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.build !== seen && !s.errors) { location.reload(); return; }
      seen = s.build;
      show(s.errors);
    }).catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"""


@dataclass
class PreviewState:
    """The latest build of the preview: its number and, when it failed, the diagnostics."""

    build: int = 0
    errors: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        """The status the pages poll."""
        with self.lock:
            return json.dumps({"build": self.build, "errors": self.errors}).encode("utf-8")


def source_signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Path, modification time and size of every source file (a change means: rebuild)."""
    items = []
    for folder in WATCHED:
        base = root / folder
        if base.is_dir():
            for path in base.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    items.append((path.relative_to(root).as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(items))


class Preview:
    """Builds the preview and rebuilds it whenever a source file changes."""

    def __init__(self, root: Path, course: str, out_dir: Path, log: Callable[[str, bool], None]) -> None:
        self.root = root
        # Every locale of the course: the pages' language links lead to the others.
        # One process: the web pages render in a moment, and forking a threaded server is asking for trouble.
        self.options = BuildOptions(courses=(course,), formats=("web",), out_dir=out_dir, jobs=1)
        self.state = PreviewState()
        self.log = log
        self.stopped = threading.Event()

    def rebuild(self) -> None:
        """Build once; record the result for the pages to pick up."""
        try:
            build(self.root, self.options)
        except ContentError as exc:
            text = format_diagnostics(exc.diagnostics)
            with self.state.lock:
                self.state.errors = text
            self.log(text, True)
            return
        with self.state.lock:
            self.state.build += 1
            self.state.errors = ""
        self.log(f"pimlearn: rebuilt the preview ({time.strftime('%H:%M:%S')})", False)

    def watch(self, interval: float = 0.5) -> None:
        """Poll the sources until stopped, rebuilding after each change."""
        signature = source_signature(self.root)
        while not self.stopped.wait(interval):
            current = source_signature(self.root)
            if current != signature:
                signature = current
                self.rebuild()


def error_page(errors: str) -> str:
    """The page that stands in for a page the failed build could not make: every diagnostic, escaped."""
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>pimlearn preview: errors</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><style>"
        "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}"
        "pre{white-space:pre-wrap;background:#fdf3f3;border-inline-start:4px solid #a4262c;padding:1rem}"
        "</style></head><body><main><h1>The preview could not be built</h1>"
        f"<pre id='pimlearn-build-errors'>{html.escape(errors, quote=False)}</pre>"
        "<p>Fix the files named above and save: this page reloads by itself.</p></main></body></html>"
    )


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState

    def __init__(self, *args: Any, state: PreviewState, start: str, **kwargs: Any) -> None:
        self.state = state
        self.start = start
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        route = self.path.split("?", 1)[0]
        if route == STATUS_PATH:
            self._send(200, "application/json", self.state.as_json())
            return
        if route == "/":
            self.send_response(302)
            self.send_header("Location", self.start)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not route.endswith("/"):
            super().do_GET()  # redirects to the folder with a slash, so relative links resolve
            return
        if path.is_dir() or (not path.suffix and not path.exists()):
            path = path / "index.html"
        with self.state.lock:
            errors = self.state.errors
        if path.suffix == ".html" and not path.is_file() and errors:
            # No page yet (the first build failed, or the page is new): show the errors in its place.
            self._send_html(error_page(errors))
            return
        if path.suffix == ".html" and path.is_file():
            self._send_html(path.read_text(encoding="utf-8"))
            return
        super().do_GET()

    def _send_html(self, html: str) -> None:
        script = RELOAD_SCRIPT % {"status": STATUS_PATH}
        html = html.replace("</body>", script + "</body>", 1) if "</body>" in html else html + script
        self._send(200, "text/html; charset=utf-8", html.encode("utf-8"))

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class ServeError(Exception):
    """The preview cannot listen (every port tried is busy, or the port is not allowed)."""


def bind(port: int, handler: Callable[..., Any], log: Callable[[str, bool], None]) -> http.server.ThreadingHTTPServer:
    """A server on ``port``, or on the next free one after it (saying which); 0 picks any free port."""
    candidates = [port] if port == 0 else list(range(port, min(port + PORT_TRIES, 65536)))
    for candidate in candidates:
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", candidate), handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                continue
            raise ServeError(f"cannot listen on port {candidate}: {exc.strerror}") from None
        if candidate != port:
            log(f"pimlearn: port {port} is in use; serving on port {candidate} instead", False)
        return server
    raise ServeError(
        f"ports {candidates[0]} to {candidates[-1]} are all in use: pass a free one with --port (0 picks any)"
    )


def serve(root: Path, course: str, locale: str, port: int, log: Callable[[str, bool], None]) -> None:
    """Serve the preview of every locale of ``course`` until interrupted, opening at ``locale``."""
    with tempfile.TemporaryDirectory(prefix="pimlearn-preview-") as tmp:
        out = Path(tmp)
        preview = Preview(root, course, out, log)
        preview.rebuild()
        start = f"/{locale}/web/"
        handler = partial(_Handler, state=preview.state, start=start, directory=str(out / course))
        server = bind(port, handler, log)
        watcher = threading.Thread(target=preview.watch, daemon=True)
        watcher.start()
        log(
            f"pimlearn: serving {course} ({locale}) at http://127.0.0.1:{server.server_address[1]}{start}"
            " (Ctrl+C to stop)",
            False,
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log("pimlearn: stopped", False)
        finally:
            preview.stopped.set()
            server.server_close()
