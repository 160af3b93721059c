"""Control characters in source files: XML outputs (SCORM manifests, PPTX) cannot store them."""

from __future__ import annotations

import re

from ..diagnostics import Reporter
from ..model import Loc

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_REPORTED = 10


def report_control_characters(source: str, path: str, reporter: Reporter) -> bool:
    """Report every line of ``source`` holding a control character (at most 10); True when there was one."""
    found = 0
    for number, line in enumerate(source.split("\n"), start=1):
        match = CONTROL.search(line)
        if match is None:
            continue
        found += 1
        if found <= MAX_REPORTED:
            reporter.error(
                Loc(path, number, match.start() + 1),
                f"control character U+{ord(match.group()):04X} in the text: outputs cannot store it; delete it "
                "(it often comes from a copy-paste)",
                "control-character",
            )
    return found > 0
