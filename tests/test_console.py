"""What a build shows: a progress bar on terminals only, a summary table, -q, and colour rules (NO_COLOR)."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pimlearn.cli import main
from pimlearn.console import BuildProgress, human_size, summary, use_color
from pimlearn.pipeline import Output
from tests.conftest import Files

ANSI = re.compile(r"\x1b\[")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


OUTPUTS = (Output("c1", "en", "web", 19, 188_000, 0.4), Output("c1", "en", "guide", 1, 1_250_000, 12.3))


def test_summary_lists_each_output_with_size_and_time() -> None:
    lines = summary(OUTPUTS, io.StringIO())
    assert lines[0].split() == ["course", "locale", "format", "files", "size", "time"]
    assert lines[1].split() == ["c1", "en", "web", "19", "188", "kB", "0.4s"]
    assert lines[2].split() == ["c1", "en", "guide", "1", "1.2", "MB", "12.3s"]
    assert lines[3].split() == ["total", "20", "1.4", "MB", "12.7s"]
    assert not any(ANSI.search(line) for line in lines)
    assert human_size(999) == "999 B"


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(Terminal()) and not use_color(io.StringIO())
    assert ANSI.search(summary(OUTPUTS, Terminal())[0])
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Terminal())
    assert not ANSI.search(summary(OUTPUTS, Terminal())[0])


def test_progress_bar_draws_on_a_terminal_only() -> None:
    tty = Terminal()
    bar = BuildProgress(tty)
    for done, output in enumerate(OUTPUTS, start=1):
        bar(done, len(OUTPUTS), output)
    bar.close()
    assert "pimlearn: building" in tty.getvalue() and "c1 en guide" in tty.getvalue()
    pipe = io.StringIO()
    quiet = BuildProgress(pipe)
    quiet(1, 1, OUTPUTS[0])
    quiet.close()
    assert pipe.getvalue() == ""


def test_build_output_in_a_log_and_with_quiet(make_project: Callable[[Files], Path], minimal_files: Files) -> None:
    root = make_project(minimal_files)
    result = CliRunner().invoke(main, ["build", "--project", str(root), "-f", "web", "-f", "scorm12"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["course", "locale", "format", "files", "size", "time"]
    assert [line.split()[:4] for line in lines[1:3]] == [["c1", "en", "web", "7"], ["c1", "en", "scorm12", "1"]]
    assert "\r" not in result.output and not ANSI.search(result.output)
    assert lines[-1].startswith("pimlearn: wrote ")
    quiet = CliRunner().invoke(main, ["build", "--project", str(root), "-f", "web", "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_on_a_real_terminal(make_project: Callable[[Files], Path], minimal_files: Files) -> None:
    root = make_project(minimal_files)
    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.run(
        [sys.executable, "-m", "pimlearn", "build", "--project", str(root), "-f", "web", "-f", "scorm12"],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        timeout=120,
        check=False,
    )
    os.close(child_fd)
    chunks = []
    while True:
        try:
            data = os.read(main_fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(main_fd)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0, shown
    assert "pimlearn: building" in shown and "c1 en web" in shown
    assert "\x1b[1m" not in shown  # NO_COLOR: no bold header
