"""``-f scorm12``: SCORM 1.2 packages (see ``pimlearn.formats.scorm``)."""

from __future__ import annotations

from . import RenderContext, Rendered
from .scorm import render_scorm


def render(ctx: RenderContext) -> Rendered:
    """The course's SCORM 1.2 package(s)."""
    return render_scorm(ctx, "1.2")
