"""How ``pipeline.render_all`` runs a staged renderer's jobs: in the pool, or here once the pool has ended."""

from __future__ import annotations

import gc
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


def where(*_: object) -> JobResult:
    """Which process ran the job, how many render processes were alive then, how many objects were frozen."""
    return JobResult(f"{os.getpid()} {len(multiprocessing.active_children())} {gc.get_freeze_count()}".encode())


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
    assert local[:2] == [str(os.getpid()), "0"]
    assert set(log.made) == {"pooled", "local"}
    assert "colorsys" in sys.modules
    # The render processes were forked with the long-lived objects (colorsys among them) frozen out
    # of the collector; the build's own process is given them back once the pool has ended.
    assert int(pooled[2]) > 1000 and local[2] == "0" and gc.get_freeze_count() == 0


@pytest.mark.usefixtures("fake_format")
def test_with_one_process_every_job_runs_here() -> None:
    rendered, _, _ = pipeline.render_all([(None, "fake")], 1, pipeline.Timings())  # type: ignore[list-item]
    assert [a.data.split()[0] for a in rendered[0].artifacts] == [str(os.getpid()).encode()] * 2


def with_fresh(ctx: object) -> Staged:
    """Jobs for the pool, and jobs that each want a process of their own."""
    pooled = tuple(Job(f"p{n}", where, (n,)) for n in range(4))
    return Staged(pooled + tuple(Job(f"f{n}", where, (n,), fresh=True) for n in range(2)), done, None)


def test_a_fresh_job_runs_in_a_process_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules[__name__]
    monkeypatch.setattr(pipeline, "formats", lambda: {"fake": Format("fake", "", __name__)})
    monkeypatch.setattr(module, "render", with_fresh)
    rendered, _, _ = pipeline.render_all([(None, "fake")], 2, pipeline.Timings())  # type: ignore[list-item]
    pids = [int(a.data.split()[0]) for a in rendered[0].artifacts]
    pooled, fresh = set(pids[:4]), pids[4:]
    assert len(pooled) <= 2 and os.getpid() not in pooled
    # Each fresh job had a process no other job used, forked with the long-lived objects frozen.
    assert len(set(fresh)) == 2 and not set(fresh) & (pooled | {os.getpid()})
    assert all(int(a.data.split()[2]) > 1000 for a in rendered[0].artifacts[4:])
    rendered, _, _ = pipeline.render_all([(None, "fake")], 1, pipeline.Timings())  # type: ignore[list-item]
    assert {int(a.data.split()[0]) for a in rendered[0].artifacts} == {os.getpid()}  # -j 1: all here


RAN: list[str] = []


def note(name: str) -> JobResult:
    RAN.append(name)
    return JobResult(name.encode())


def two_stages(ctx: object) -> Staged:
    """A target whose first job's result is needed to stage its second (like the guide's front matter)."""
    return Staged((Job("a1", note, ("a1",)),), _second, None)


def _second(state: object, results: tuple[JobResult, ...]) -> Staged:
    return Staged((Job("a2", note, ("a2",)),), done, None)


def many_jobs(ctx: object) -> Staged:
    return Staged(tuple(Job(f"b{n}", note, (f"b{n}",)) for n in range(3)), done, None)


def test_a_later_stage_goes_before_work_that_was_queued_earlier(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules[__name__]
    staged = {"a": Format("a", "", __name__), "b": Format("b", "", __name__)}
    monkeypatch.setattr(pipeline, "formats", lambda: staged)
    monkeypatch.setattr(module, "render", lambda ctx: two_stages(ctx) if ctx == "a" else many_jobs(ctx))
    RAN.clear()
    pipeline.render_all([("a", "a"), ("b", "b")], 1, pipeline.Timings())  # type: ignore[list-item]
    # b's jobs were queued before a's second stage existed; a, nearer its end, still goes first.
    assert RAN == ["a1", "a2", "b0", "b1", "b2"]
