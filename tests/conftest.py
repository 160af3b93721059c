"""Shared fixtures: throwaway projects, the sample course built once, a local HTTP server, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
JS_TOOLS = REPO / "tests" / "js" / "node_modules"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Property-based tests: the same fixed examples on every run (CI never fails by chance);
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz) hunts for new failures with many random ones.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("ci" if IN_CI else os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def need(condition: bool, reason: str) -> None:
    """Skip when a tool is missing on a laptop; fail in CI, where everything must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: missing test tools are failures, not skips)")
    pytest.skip(reason)


# --------------------------------------------------------------------------- projects


Files = dict[str, str | bytes]


def write_project(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[Files], Path]:
    """A factory for small projects in a temporary folder."""

    def make(files: Files) -> Path:
        return write_project(tmp_path / "project", files)

    return make


MINIMAL_COURSE = """\
title: Mini course
version: 1.0.0
modules: [m1]
"""

MINIMAL_MODULE = """\
---
title: Module one
---

Intro.

## Section

Text.
"""


@pytest.fixture
def minimal_files() -> Files:
    """A valid one-module project."""
    return {"courses/c1/course.yml": MINIMAL_COURSE, "modules/m1/module.md": MINIMAL_MODULE}


# --------------------------------------------------------------------------- the sample course, built once


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample project built in every format and locale, into a temporary dist/."""
    from pimlearn.pipeline import BuildOptions, build

    out = tmp_path_factory.mktemp("sample-dist")
    build(REPO, BuildOptions(out_dir=out))
    return out


# --------------------------------------------------------------------------- HTTP and browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def http_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A local HTTP server (base URL, served folder); tests copy what they serve into the folder."""
    root = tmp_path_factory.mktemp("www")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium through Playwright (skips on laptops without it, fails in CI)."""
    need(Path(CHROMIUM).exists(), "Chromium is not installed (Debian package 'chromium')")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        need(False, "the Python package 'playwright' is not installed")
        raise
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class PageWatch:
    """What a page did that tests must check: console errors and requests that left localhost."""

    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, PageWatch]]:
    """A fresh browser page that records console errors and blocks every request leaving localhost."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = PageWatch()
    pg.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "file://", "data:", "blob:", "about:")):
            route.continue_()
        else:
            watch.external_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    yield pg, watch
    context.close()


@pytest.fixture(scope="session")
def js_tools() -> Path:
    """The npm test tools (scorm-again, axe-core), installed by `make setup-test`."""
    need((JS_TOOLS / "axe-core" / "axe.min.js").exists(), "npm test tools missing: run `make setup-test`")
    return JS_TOOLS
