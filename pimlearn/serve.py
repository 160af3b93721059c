"""``pimlearn serve``: a live preview of one course's web version that rebuilds on save.

The preview is built into a temporary folder (``dist/`` is never touched) and
served on localhost. Every HTML page gets a small script that asks the server
for the build number once a second and reloads when it changes; when the
sources have errors, the page shows them instead of stale content.
"""

from __future__ import annotations

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

    def __init__(self, root: Path, course: str, locale: str, out_dir: Path, log: Callable[[str, bool], None]) -> None:
        self.root = root
        self.options = BuildOptions(courses=(course,), locales=(locale,), formats=("web",), out_dir=out_dir)
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


class _Handler(http.server.SimpleHTTPRequestHandler):
    state: PreviewState

    def __init__(self, *args: Any, state: PreviewState, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] == STATUS_PATH:
            self._send(200, "application/json", self.state.as_json())
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and not path.is_file() and self.state.errors:
            # The first build failed: there is no page yet, so show the errors on a page of their own.
            self._send_html(
                "<!DOCTYPE html><html><head><meta charset='utf-8'><title>pimlearn preview</title>"
                "</head><body><h1>The preview could not be built</h1></body></html>"
            )
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


def serve(root: Path, course: str, locale: str, port: int, log: Callable[[str, bool], None]) -> None:
    """Serve the preview until interrupted."""
    with tempfile.TemporaryDirectory(prefix="pimlearn-preview-") as tmp:
        out = Path(tmp)
        preview = Preview(root, course, locale, out, log)
        preview.rebuild()
        handler = partial(_Handler, state=preview.state, directory=str(out / course / locale / "web"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        watcher = threading.Thread(target=preview.watch, daemon=True)
        watcher.start()
        log(
            f"pimlearn: serving {course} ({locale}) at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)",
            False,
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log("pimlearn: stopped", False)
        finally:
            preview.stopped.set()
            server.server_close()
