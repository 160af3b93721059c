"""How ``pipeline.render_all`` runs a staged renderer's jobs: in the pool, or here once the pool has ended."""

from __future__ import annotations

import multiprocessing
import os
import sys

import pytest

from pimlearn import pipeline
from pimlearn.formats import Format, Job, JobResult, Rendered, Staged
from pimlearn.package.artifact import Artifact


def render(ctx: object) -> Staged:
    """A renderer with one job for the pool and one that must wait for it to end."""
    return Staged((Job("pooled", where, ()), Job("local", where, (), local=True)), done, None)


def where() -> JobResult:
    """Which process ran the job, and how many render processes were alive then."""
    return JobResult(f"{os.getpid()} {len(multiprocessing.active_children())}".encode())


def done(state: object, results: tuple[JobResult, ...]) -> Rendered:
    return Rendered(tuple(Artifact(f"r{n}", r.data) for n, r in enumerate(results)), ())


@pytest.fixture
def fake_format(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Format("fake", "a staged renderer", __name__, libraries=("colorsys",))
    monkeypatch.setattr(pipeline, "formats", lambda: {"fake": fake})


@pytest.mark.usefixtures("fake_format")
def test_a_local_job_runs_here_after_the_render_processes_end() -> None:
    sys.modules.pop("colorsys", None)  # the format's libraries are loaded before the processes start
    rendered, _, log = pipeline.render_all([(None, "fake")], 2, pipeline.Timings())  # type: ignore[list-item]
    pooled, local = (a.data.decode().split() for a in rendered[0].artifacts)
    assert pooled[0] != str(os.getpid())
    assert local == [str(os.getpid()), "0"]
    assert set(log.made) == {"pooled", "local"}
    assert "colorsys" in sys.modules


@pytest.mark.usefixtures("fake_format")
def test_with_one_process_every_job_runs_here() -> None:
    rendered, _, _ = pipeline.render_all([(None, "fake")], 1, pipeline.Timings())  # type: ignore[list-item]
    assert [a.data.split()[0] for a in rendered[0].artifacts] == [str(os.getpid()).encode()] * 2
