"""pimlearn: one Markdown source, every training output (SCORM, web, slides, guide) in every language."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build", "check"]


def __getattr__(name: str) -> object:
    # The pipeline imports every stage; keep `import pimlearn` itself cheap.
    if name in ("build", "check"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
