"""``-f scorm2004``: SCORM 2004 4th Edition packages (see ``pimlearn.formats.scorm``)."""

from __future__ import annotations

from . import RenderContext, Rendered
from .scorm import render_scorm


def render(ctx: RenderContext) -> Rendered:
    """The course's SCORM 2004 4th Edition package(s)."""
    return render_scorm(ctx, "2004")
