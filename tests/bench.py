"""``make bench``: build a large generated course and print per-stage times and peak memory.

Timing budgets live here, never in unit tests: a stage over budget makes the
benchmark exit with status 1.

    python -m tests.bench [--modules N] [--sections N] [--locales en,fr] [-f FORMAT]... [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pimlearn.pipeline import BuildOptions, build

# Seconds per stage for the default size (40 modules x 8 sections, 2 locales) on a 2-core CI machine.
BUDGETS = {
    "load": 2.0,
    "validate": 1.0,
    "translate": 2.0,
    "render:scorm12": 2.0,
    "render:scorm2004": 2.0,
    "render:web": 2.5,
    "render:slides": 3.0,
    "render:pptx": 30.0,
    "render:guide": 90.0,
    "write": 2.0,
}

# The facilitator guide is the slowest stage (WeasyPrint): its speed is also checked in pages per second.
MIN_GUIDE_PAGES_PER_SECOND = 10.0

QUESTION_TYPES = [
    """```question
id: q{n}-single
type: single
prompt: Which statement about **topic {n}** is right?
choices:
  - text: The first one
    correct: true
    feedback: Yes.
  - text: The second one
    feedback: No.
  - text: The third one
    feedback: No.
```""",
    """```question
id: q{n}-multiple
type: multiple
prompt: Which apply to topic {n}?
choices:
  - text: Alpha
    correct: true
  - text: Beta
    correct: true
  - text: Gamma
```""",
    """```question
id: q{n}-tf
type: true-false
prompt: Topic {n} matters.
answer: true
```""",
    """```question
id: q{n}-fill
type: fill-in
prompt: Name topic {n}.
answers: [topic, subject]
```""",
    """```question
id: q{n}-match
type: matching
prompt: Match the pairs of topic {n}.
pairs:
  - [one, first]
  - [two, second]
  - [three, third]
```""",
    """```question
id: q{n}-order
type: ordering
prompt: Order the steps of topic {n}.
items: [Assess, Design, Implement, Evaluate]
```""",
]


def generate(root: Path, modules: int, sections: int, locales: list[str]) -> None:
    """Write a project with ``modules`` modules of ``sections`` sections each."""
    ids = [f"module-{i:03d}" for i in range(1, modules + 1)]
    course = root / "courses" / "bench"
    course.mkdir(parents=True)
    (course / "course.yml").write_text(
        f"title: Benchmark course\nversion: 1.0.0\nlocales: [{', '.join(locales)}]\nmodules: [{', '.join(ids)}]\n",
        encoding="utf-8",
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>\n'
    for index, module_id in enumerate(ids):
        folder = root / "modules" / module_id
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "dot.svg").write_text(svg, encoding="utf-8")
        parts = [
            "---",
            f"title: Module {index + 1}",
            "summary: A generated module for the benchmark.",
            "duration: 60",
            "objectives: [Understand the topic., Apply it to a case.]",
            "session:",
            "  - {minutes: 20, activity: Talk, method: plenary, materials: [slides]}",
            "  - {minutes: 40, activity: Exercise, method: group work, materials: [handout]}",
            "---",
            "",
            "An opening paragraph with *emphasis* and a [link](https://example.org).",
        ]
        for s in range(sections):
            n = index * sections + s
            parts += [
                "",
                f"## Section {s + 1}",
                "",
                "A paragraph of body text that explains the section in a few sentences. " * 3,
                "",
                "- a first point",
                "- a second point with `code`",
                "",
                "| A | B |",
                "|---|---|",
                "| one | two |",
                "",
                "::: notes",
                "Facilitator notes for this section.",
                ":::",
                "",
                "![A dot](images/dot.svg)",
                "",
                QUESTION_TYPES[n % len(QUESTION_TYPES)].format(n=n),
            ]
        (folder / "module.md").write_text("\n".join(parts) + "\n", encoding="utf-8")


def guide_pages(dist: Path) -> int | None:
    """Total pages of the facilitator guides under ``dist`` (None without ``pdfinfo``)."""
    if shutil.which("pdfinfo") is None:
        return None
    total = 0
    for pdf in sorted(dist.rglob("*-facilitator-guide.pdf")):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        total += int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return total


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a stage is over budget."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=40)
    parser.add_argument("--sections", type=int, default=8)
    parser.add_argument("--locales", default="en,fr")
    parser.add_argument("-f", "--format", dest="formats", action="append", default=[])
    parser.add_argument("-j", "--jobs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    args = parser.parse_args(argv)

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="pimlearn-bench-"))
    try:
        start = time.perf_counter()
        generate(workdir, args.modules, args.sections, args.locales.split(","))
        print(f"generated {args.modules} modules x {args.sections} sections in {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        result = build(workdir, BuildOptions(formats=tuple(args.formats), jobs=args.jobs))
        total = time.perf_counter() - start
        # Memory first: forking pdfinfo would count this process's pages as a child's.
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = guide_pages(result.out_dir)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)

    files = len(result.report.written) + len(result.report.unchanged)
    print(f"{'stage':<22}{'seconds':>10}{'budget':>10}")
    over = []
    for stage, seconds in result.timings.items():
        budget = BUDGETS.get(stage)
        flag = ""
        if budget is not None and seconds > budget:
            over.append(stage)
            flag = "  OVER BUDGET"
        shown = f"{budget:.1f}" if budget is not None else "-"
        print(f"{stage:<22}{seconds:>10.3f}{shown:>10}{flag}")
    print(f"{'total':<22}{total:>10.3f}")
    print(f"files: {files}   peak memory: {peak_self:.0f} MiB (render workers: {peak_children:.0f} MiB)")
    guide_seconds = result.timings.get("render:guide")
    if guide_seconds and pages is not None:
        speed = pages / guide_seconds
        flag = "  TOO SLOW" if speed < MIN_GUIDE_PAGES_PER_SECOND else ""
        print(f"guide: {pages} pages, {speed:.1f} pages/s (minimum {MIN_GUIDE_PAGES_PER_SECOND:.0f}){flag}")
        if flag:
            over.append("guide pages/s")
    elif seconds:
        print("guide: pages/s not measured (pdfinfo from poppler-utils is missing)")
    if over:
        print(f"over budget: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
