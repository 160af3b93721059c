"""Files a module refers to (images) and the package's static assets."""

from __future__ import annotations

import base64
import mimetypes
import posixpath
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from ..load.markdown import iter_images
from ..model import Figure, Module, iter_texts, walk_blocks
from ..package.zips import url_path as url_path  # image URLs, spelled as the manifest's hrefs

STATIC = Path(__file__).resolve().parent.parent / "static"


def image_path(src: str) -> str:
    """The normalised module-relative path of an image ``src`` (as validated by the loader)."""
    return posixpath.normpath(unquote(src.split("#", 1)[0].split("?", 1)[0]))


def module_images(module: Module) -> list[str]:
    """Every image path the module uses (figures and inline images), sorted, without duplicates."""
    found = {image_path(b.src) for b in walk_blocks(module.all_blocks()) if isinstance(b, Figure)}
    for text in iter_texts(module):
        found.update(image_path(img.src) for img in iter_images(text.inlines))
    return sorted(found)


def read_image(project_root: Path, module: Module, src: str) -> bytes:
    """The bytes of one of the module's images (the loader checked it; never a file outside the module)."""
    folder = (project_root / module.directory).resolve()
    path = (folder / image_path(src)).resolve()
    if not path.is_relative_to(folder):
        raise ValueError(f"image {src!r} leads outside modules/{module.id}")
    return path.read_bytes()


def data_uri(data: bytes, path: str) -> str:
    """A ``data:`` URI for embedding a file in a self-contained document."""
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def static_file(*parts: str) -> bytes:
    """A file shipped in ``pimlearn/static``."""
    return STATIC.joinpath(*parts).read_bytes()


def static_files(folder: str) -> Iterable[tuple[str, bytes]]:
    """Every file under ``pimlearn/static/<folder>`` as (relative POSIX path, bytes), sorted."""
    base = STATIC / folder
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        yield path.relative_to(base).as_posix(), path.read_bytes()
