"""The measurements ``make bench`` makes only when asked: pimlearn beside a minimal pipeline, ``-j`` speed-up, memory.

Every build runs in a fresh interpreter (so imports count) into a fresh output folder (so the
build cache is cold). CPU seconds are those of the whole process and the processes it waited
for (user + system). Comparisons run in pairs, the order alternating from pair to pair, and
report the median of the per-pair ratios: on a shared machine load drifts, and a pair sees
the same load on both sides.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BUILD = """
import resource, sys
from pathlib import Path
from pimlearn.pipeline import BuildOptions, build
formats = tuple(f for f in sys.argv[3].split(",") if f)
build(Path(sys.argv[1]), BuildOptions(out_dir=Path(sys.argv[2]), formats=formats, jobs=int(sys.argv[4])))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
"""A cold pimlearn build in a new interpreter; prints its own peak RSS and its largest worker's (KiB)."""

DOCUMENTS = """
import itertools, re, sys
from pathlib import Path
import pimlearn.render.pdf as pdf
from pimlearn.pipeline import BuildOptions, build
folder, count, lay_out = Path(sys.argv[3]), itertools.count(), pdf.write_pdf
def write_pdf(html, css, variant=pdf.PDF_UA):
    saved = folder / re.search(r'<html lang="([^"]+)"', html).group(1) / f"{next(count):04d}.html"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(html, encoding="utf-8")
    saved.with_suffix(".css").write_text(css, encoding="utf-8")
    return lay_out(html, css, variant)
pdf.write_pdf = write_pdf
build(Path(sys.argv[1]), BuildOptions(out_dir=Path(sys.argv[2]), formats=("guide",), jobs=1))
"""
"""A pimlearn build of the guide that also saves every document it lays out, by locale (for ``--documents``)."""


@dataclass(frozen=True)
class Stage:
    """A stage both pipelines have: pimlearn's formats and the minimal pipeline's stage doing the same work."""

    name: str
    formats: tuple[str, ...]
    minimal: str
    same_guide: bool = False
    """The minimal side lays out pimlearn's own guide documents (equal work), not its plainer guide."""


STAGES = (
    Stage("SCORM 1.2", ("scorm12",), "scorm"),
    Stage("HTML decks", ("slides",), "decks"),
    Stage("guide (own)", ("guide",), "guide"),
    Stage("guide (same)", ("guide",), "guide", same_guide=True),
    Stage("whole build", ("scorm12", "slides", "guide"), "all", same_guide=True),
)
"""pimlearn writes one SCORM package per course and locale (a SCO per module), the minimal pipeline one per
module. "guide (own)" is the minimal pipeline's plainer, untagged guide (compared per page); "guide (same)"
lays out the very documents pimlearn laid out, with WeasyPrint alone, tagged as pimlearn's, and joins them
with pikepdf: equal work, so the ratio is pimlearn's own overhead. "whole build" is the formats both make
(pimlearn's default build also makes web pages, PowerPoint decks and SCORM 2004), the guide as in "guide
(same)"."""


@dataclass(frozen=True)
class Run:
    """One build in a fresh process."""

    cpu: float
    wall: float


@dataclass(frozen=True)
class Row:
    """One stage measured side by side: medians over the pairs, and the median of the per-pair ratios."""

    stage: str
    pimlearn: float
    minimal: float
    ratio: float
    pages: tuple[int, int] | None = None
    """Guide pages (pimlearn, minimal) when the stage makes only the guide and ``pdfinfo`` is there."""
    page_ratio: float | None = None
    """Median per-pair ratio of CPU seconds per guide page."""
    pairs: int = 1


def children_cpu() -> float:
    """User + system CPU of every child process this one has waited for."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def run(command: Sequence[str]) -> Run:
    """Run ``command`` to completion and measure it (its own children count once it has waited for them)."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    return Run(children_cpu() - cpu, time.perf_counter() - start)


def pimlearn_command(project: Path, out: Path, formats: Sequence[str], jobs: int) -> list[str]:
    """A cold pimlearn build of ``formats`` (all default formats when empty) with ``jobs`` render processes."""
    return [sys.executable, "-c", BUILD, str(project), str(out), ",".join(formats), str(jobs)]


def minimal_command(project: Path, out: Path, stage: str, documents: Path | None = None) -> list[str]:
    """The minimal pipeline's ``stage`` (or ``all``); its guide laid out from ``documents`` when given."""
    command = [sys.executable, "-m", "tests.bench_minimal", str(project), str(out), "--stage", stage]
    return command + (["--documents", str(documents)] if documents else [])


def guide_documents(project: Path, scratch: Path) -> Path:
    """Every document pimlearn lays out for the guides of ``project``, saved by locale under ``scratch``."""
    documents = scratch / "documents"
    command = [sys.executable, "-c", DOCUMENTS, str(project), str(scratch / "documents-out"), str(documents)]
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    shutil.rmtree(scratch / "documents-out")
    return documents


def pdf_pages(folder: Path, pattern: str = "*.pdf") -> int | None:
    """Pages of the PDFs under ``folder`` matching ``pattern`` (None without ``pdfinfo``, from poppler-utils)."""
    if shutil.which("pdfinfo") is None:
        return None
    total = 0
    for pdf in sorted(folder.rglob(pattern)):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        total += int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return total


def compare(project: Path, scratch: Path, pairs: int = 3, stages: Sequence[Stage] = STAGES) -> list[Row]:
    """Each stage built by pimlearn (one process: ``-j 1``) and by the minimal pipeline, ``pairs`` times each."""
    rows = []
    documents = guide_documents(project, scratch) if any(stage.same_guide for stage in stages) else None
    for stage in stages:
        ours: list[Run] = []
        theirs: list[Run] = []
        pages: tuple[int, int] | None = None
        page_ratios: list[float] = []
        for index in range(pairs):
            out_ours, out_theirs = scratch / f"pimlearn-{index}", scratch / f"minimal-{index}"
            sides: list[tuple[list[Run], list[str]]] = [
                (ours, pimlearn_command(project, out_ours, stage.formats, 1)),
                (theirs, minimal_command(project, out_theirs, stage.minimal, documents if stage.same_guide else None)),
            ]
            for runs, command in sides if index % 2 == 0 else sides[::-1]:
                runs.append(run(command))
            if stage.formats == ("guide",):  # per page only where the guide is all the stage makes
                counted = pdf_pages(out_ours), pdf_pages(out_theirs)
                if counted[0] and counted[1]:
                    pages = (counted[0], counted[1])
                    page_ratios.append((ours[-1].cpu / pages[0]) / (theirs[-1].cpu / pages[1]))
            shutil.rmtree(out_ours, ignore_errors=True)
            shutil.rmtree(out_theirs, ignore_errors=True)
        rows.append(
            Row(
                stage.name,
                statistics.median(r.cpu for r in ours),
                statistics.median(r.cpu for r in theirs),
                statistics.median(a.cpu / b.cpu for a, b in zip(ours, theirs, strict=True)),
                pages,
                statistics.median(page_ratios) if page_ratios else None,
                pairs,
            )
        )
    if documents is not None:
        shutil.rmtree(documents)
    return rows


def table(rows: Sequence[Row]) -> str:
    """The comparison as a text table: stage | pimlearn | minimal | ratio (CPU seconds), then guide CPU per page."""
    pairs = max((row.pairs for row in rows), default=0)
    lines = [
        f"pimlearn (-j 1) beside the raw library calls (tests/bench_minimal.py): fresh processes, cold;"
        f" CPU medians of {pairs} paired runs, ratio = median of per-pair ratios",
        f"{'stage (CPU s)':<16}{'pimlearn':>10}{'raw':>10}{'ratio':>8}",
    ]
    for row in rows:
        lines.append(f"{row.stage:<16}{row.pimlearn:>10.2f}{row.minimal:>10.2f}{row.ratio:>7.2f}x")
    for row in rows:
        if row.pages is not None and row.page_ratio is not None:
            ours, theirs = row.pimlearn / row.pages[0], row.minimal / row.pages[1]
            lines.append(
                f"{row.stage} per page: pimlearn {1000 * ours:.0f} ms ({row.pages[0]} pages), "
                f"raw {1000 * theirs:.0f} ms ({row.pages[1]} pages), ratio {row.page_ratio:.2f}x"
            )
    return "\n".join(lines)


COLD_BUILD_LIMIT = 1.25
GUIDE_PAGE_LIMIT = 1.15


def compare_targets(rows: Sequence[Row] | None) -> list[tuple[str, str, str]]:
    """The two targets the comparison measures, as (target, MET / NOT MET / not measured, detail).

    Both are for equal work: the guide's raw side lays out pimlearn's own documents. The minimal
    pipeline's plainer guide is reported beside it, per page, as it does less.
    """
    cold = f"cold build <= {COLD_BUILD_LIMIT} x the raw library calls"
    guide = f"guide <= {GUIDE_PAGE_LIMIT} x per page (same documents)"
    if rows is None:
        return [(cold, "not measured", "run --compare"), (guide, "not measured", "run --compare")]
    found: list[tuple[str, str, str]] = []
    whole = next((r for r in rows if r.stage == "whole build"), None)
    if whole is None:
        found.append((cold, "not measured", "the whole build was not compared"))
    else:
        found.append(
            (
                cold,
                "MET" if whole.ratio <= COLD_BUILD_LIMIT else "NOT MET",
                f"{whole.ratio:.2f} x CPU ({whole.pimlearn:.1f} s vs {whole.minimal:.1f} s; scorm12 + slides + guide "
                "beside the minimal SCORM and decks, which do less, and pimlearn's guide documents laid out raw)",
            )
        )
    paged = {r.stage: r for r in rows if r.page_ratio is not None and r.pages is not None}
    same, own = paged.get("guide (same)"), paged.get("guide (own)")
    if same is None or same.page_ratio is None or same.pages is None:
        found.append((guide, "not measured", "no guide compared, or pdfinfo (poppler-utils) missing"))
    else:
        beside = (
            f"; the minimal pipeline's own untagged guide: {own.page_ratio:.2f} x per page"
            if own is not None and own.page_ratio is not None
            else ""
        )
        found.append(
            (
                guide,
                "MET" if same.page_ratio <= GUIDE_PAGE_LIMIT else "NOT MET",
                f"{same.page_ratio:.2f} x CPU per page ({same.pages[0]} pages vs {same.pages[1]}; the same "
                f"documents through WeasyPrint, tagged PDF/UA, joined with pikepdf{beside})",
            )
        )
    return found


# --------------------------------------------------------------------------- -j speed-up


@dataclass(frozen=True)
class Speedup:
    """Cold default builds with ``-j 1`` and ``-j N``: median wall seconds, and the median per-pair speed-up."""

    course: str
    serial: float
    parallel: float
    ratio: float
    jobs: int
    load: float = 0.0
    """The highest one-minute load average seen after a run: wall time means little on a busy machine."""


def jobs_speedup(project: Path, scratch: Path, course: str, pairs: int = 3, jobs: int = 2) -> Speedup:
    """Wall time of cold builds of every default format with ``-j 1`` and ``-j jobs``, ``pairs`` times."""
    serial: list[float] = []
    parallel: list[float] = []
    load = 0.0
    for index in range(pairs):
        sides = [(serial, 1), (parallel, jobs)]
        for times, j in sides if index % 2 == 0 else sides[::-1]:
            out = scratch / f"jobs-{j}-{index}"
            times.append(run(pimlearn_command(project, out, (), j)).wall)
            load = max(load, os.getloadavg()[0])
            shutil.rmtree(out, ignore_errors=True)
    ratio = statistics.median(s / p for s, p in zip(serial, parallel, strict=True))
    return Speedup(course, statistics.median(serial), statistics.median(parallel), ratio, jobs, load)


SPEEDUP_TARGET = 1.8


def speedup_target(results: Sequence[Speedup] | None) -> tuple[str, str, str]:
    """The ``-j`` target row: met when every course measured reaches it."""
    target = f"-j speed-up >= {SPEEDUP_TARGET} x on 2 cores"
    if not results:
        return (target, "not measured", "run --jobs-speedup (cold default builds, -j 1 and -j 2)")
    met = all(r.ratio >= SPEEDUP_TARGET for r in results)
    detail = "; ".join(
        f"{r.course}: {r.ratio:.2f} x ({r.serial:.1f} s -> {r.parallel:.1f} s wall, -j {r.jobs}, "
        f"load up to {r.load:.1f})"
        for r in results
    )
    cores = os.cpu_count() or 1
    return (target, "MET" if met else "NOT MET", detail + ("" if cores == 2 else f" [this machine: {cores} cores]"))


# --------------------------------------------------------------------------- memory


@dataclass(frozen=True)
class Memory:
    """Peak memory of one cold default build (MiB): the whole process tree, the main process, its largest worker."""

    size: str
    tree: float
    main: float
    worker: float
    shared_counted_once: bool
    """True when the tree's total is a sum of proportional set sizes (pages shared by forked workers counted once);
    False when ``smaps_rollup`` is unreadable and resident sizes were summed (shared pages counted per process)."""


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from ``/proc/<pid>/task/<tid>/children``)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _kib(pid: int, smaps: bool) -> int | None:
    """The process's proportional set size (``smaps``) or resident set size in KiB; None once it is gone."""
    try:
        if smaps:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
            return int(next(line.split()[1] for line in text.splitlines() if line.startswith("Pss:")))
        text = Path(f"/proc/{pid}/status").read_text()
        return int(next(line.split()[1] for line in text.splitlines() if line.startswith("VmRSS:")))
    except (OSError, StopIteration, ValueError):
        return None


def peak_memory(project: Path, out: Path, size: str, jobs: int = 0, interval: float = 0.05) -> Memory:
    """Build ``project`` cold in a new process, sampling the memory of its process tree every ``interval`` seconds.

    The build's own report gives the main process's peak and the largest worker's (``RUSAGE_CHILDREN`` keeps only
    the largest child); the samples give the peak of all of them together, which is what the machine must hold.
    """
    smaps = Path(f"/proc/{os.getpid()}/smaps_rollup").is_file()
    process = subprocess.Popen(
        pimlearn_command(project, out, (), jobs), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO
    )
    peak = 0
    while process.poll() is None:
        sizes = [_kib(pid, smaps) for pid in _tree(process.pid)]
        peak = max(peak, sum(s for s in sizes if s is not None))
        time.sleep(interval)
    stdout, stderr = process.communicate()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args, stdout, stderr)
    main, worker = (int(v) for v in stdout.split()[-2:])
    shutil.rmtree(out, ignore_errors=True)
    # A sample may miss the very top; the main process's own peak is a floor for the tree's.
    return Memory(size, max(peak, main) / 1024, main / 1024, worker / 1024, smaps)


MEMORY_LIMIT_MB = 500
FLAT_GROWTH = 0.25


def memory_targets(results: Sequence[Memory] | None, at_size: bool) -> list[tuple[str, str, str]]:
    """The memory target rows from builds at two course sizes (smaller first)."""
    limit = f"peak memory <= {MEMORY_LIMIT_MB} MB (40 modules x 3 locales)"
    flat = f"memory flat in course size (growth < {100 * FLAT_GROWTH:.0f} %)"
    if not results:
        return [(limit, "not measured", "run --memory"), (flat, "not measured", "run --memory")]
    large = results[-1]
    mib = MEMORY_LIMIT_MB * 1e6 / 2**20
    detail = "; ".join(
        f"{m.size}: {m.tree:.0f} MiB in all (main {m.main:.0f}, largest worker {m.worker:.0f})" for m in results
    )
    if not large.shared_counted_once:
        detail += " [resident sizes summed: shared pages counted per process]"
    rows = [
        (
            limit,
            ("MET" if large.tree <= mib else "NOT MET") if at_size else "not measured",
            detail + ("" if at_size else " (the target's size: --modules 40 --locales en,fr,es)"),
        )
    ]
    if len(results) < 2:
        rows.append((flat, "not measured", "one size only"))
    else:
        growth = results[-1].tree / results[0].tree - 1
        rows.append(
            (
                flat,
                "MET" if growth < FLAT_GROWTH else "NOT MET",
                f"{100 * growth:+.0f} % from {results[0].size} to {results[-1].size}",
            )
        )
    return rows
