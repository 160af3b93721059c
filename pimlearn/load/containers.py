"""``:::`` container openers: pimlearn's names and the Pandoc/Quarto spellings that mean the same.

Authors arrive with Pandoc and Quarto habits (``::: {.notes}``,
``::: {.callout-tip}``, ``::: {.content-visible when-format="html"}``). Each
spelling that has a pimlearn equivalent is read as that container; every other
opener is an error, so nothing unknown (facilitator notes least of all) reaches
a learner as literal text.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from ..diagnostics import did_you_mean, one_of, suggestion
from ..model import CALLOUT_KINDS, TARGETS, Target

CONTAINER_NAMES = ("notes", "only", *CALLOUT_KINDS)

CLASS_ALIASES: dict[str, str] = {
    "notes": "notes",
    "callout-tip": "tip",
    "callout-note": "tip",
    "callout-warning": "warning",
    "callout-caution": "warning",
    "callout-important": "warning",
    **{kind: kind for kind in CALLOUT_KINDS},
}
"""Pandoc/Quarto classes (``{.name}``) and the pimlearn container each one is."""

FORMAT_TARGETS: dict[str, tuple[Target, ...]] = {
    "html": ("elearning",),
    "html5": ("elearning",),
    "revealjs": ("slides",),
    "pptx": ("slides",),
    "beamer": ("slides",),
    "pdf": ("guide",),
    "latex": ("guide",),
    "typst": ("guide",),
    "docx": ("guide",),
}
"""Quarto output formats (``when-format``/``unless-format``) and the pimlearn targets they match."""

VISIBILITY = ("content-visible", "content-hidden")
_EXPECTED = (
    f" (expected {one_of(CONTAINER_NAMES)}, or a Pandoc/Quarto spelling of one: "
    '{.notes}, {.callout-tip}, {.content-visible when-format="html"}…)'
)
_ATTRIBUTES = re.compile(r"\{(?P<body>.*)\}\s*(?P<rest>.*)\Z")


@dataclass(frozen=True)
class Opener:
    """What a ``:::`` line opens: a pimlearn container name and its arguments, or a problem."""

    name: str
    args: str = ""
    error: str = ""
    """When not empty: the message for an opener that maps to nothing (code ``container-unknown``)."""


def read_opener(info: str) -> Opener:
    """The container a ``:::`` opener names, reading Pandoc/Quarto attribute spellings as aliases."""
    info = info.strip()
    match = _ATTRIBUTES.match(info)
    if match is None:
        name, _, args = info.partition(" ")
        if name in CONTAINER_NAMES:
            return Opener(name, args.strip())
        return Opener(name, error=f"unknown container '::: {name}'{did_you_mean(name, CONTAINER_NAMES) or _EXPECTED}")
    return _attributes(info, match.group("body"), match.group("rest").strip())


def _attributes(info: str, body: str, rest: str) -> Opener:
    try:
        words = shlex.split(body)
    except ValueError:
        return Opener(info, error=f"unreadable container attributes '{info}': close every quote")
    classes = [w[1:] for w in words if w.startswith(".")]
    pairs = dict(w.split("=", 1) for w in words if "=" in w)
    others = [w for w in words if not w.startswith((".", "#")) and "=" not in w]
    known = [c for c in classes if c in CLASS_ALIASES or c in VISIBILITY]
    if len(known) != 1 or others or (rest and known[0] in VISIBILITY):
        shown = classes[0] if classes else info
        hint = did_you_mean(shown, sorted({*CLASS_ALIASES, *VISIBILITY}))
        return Opener(info, error=f"unknown container '::: {info}'{hint or _EXPECTED}")
    kind = known[0]
    if kind in VISIBILITY:
        return _visibility(info, kind, pairs)
    name = CLASS_ALIASES[kind]
    return Opener(name, pairs.get("title", rest))


def _visibility(info: str, kind: str, pairs: dict[str, str]) -> Opener:
    when, unless = pairs.get("when-format"), pairs.get("unless-format")
    spec = when if when is not None else unless
    if spec is None or (when is not None and unless is not None):
        return Opener(info, error=f'\'::: {{.{kind}}}\' needs one of when-format="..." or unless-format="..."')
    targets: list[Target] = []
    for fmt in spec.replace(",", " ").split():
        if fmt not in FORMAT_TARGETS:
            return Opener(
                info,
                error=f"unknown format '{fmt}' in '::: {info}'{suggestion(fmt, FORMAT_TARGETS)}",
            )
        targets.extend(FORMAT_TARGETS[fmt])
    shown = (kind == "content-visible") == (when is not None)
    chosen = [t for t in TARGETS if (t in targets) == shown]
    if not chosen:
        return Opener(info, error=f"'::: {info}' shows its content in no output")
    return Opener("only", " ".join(chosen))
