"""What renderers return: files in memory, written later by the one writer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Artifact:
    """One output file: a POSIX path relative to the output folder, and its bytes."""

    path: str
    data: bytes

    def __repr__(self) -> str:
        return f"Artifact({self.path!r}, {len(self.data)} bytes)"
