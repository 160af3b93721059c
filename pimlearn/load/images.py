"""What an image file of a module must be: a real image of an accepted type, safe to ship to learners.

The type is decided by the file's content (magic bytes), never by its name; the
name's extension must agree, so every output serves the file with the right type.
Raster sizes come from the file header (nothing is decoded, so a decompression
bomb costs nothing to refuse). SVGs are parsed without entities, DTDs or network
and refused when they hold anything active (scripts, event handlers, foreign
objects, links or references outside the document): as MediaWiki does with
uploads, pimlearn refuses rather than silently rewriting the author's file.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from lxml import etree

ACCEPTED = {"png": (".png",), "jpeg": (".jpg", ".jpeg"), "gif": (".gif",), "webp": (".webp",), "svg": (".svg",)}
"""Accepted image types and the file name extensions each may carry."""

MAX_PIXELS = 40_000_000
"""Largest raster image (width × height): a 4 K photo is 8.3 million; beyond this decoding is a risk."""
MAX_SIDE = 20_000
"""Largest width or height of an image, in pixels (SVG: user units)."""
MAX_ASPECT = 100.0
"""Widest ratio between an image's long and short side (1 × 100000 cannot be laid out on a page)."""
MAX_SVG_BYTES = 5_000_000


@dataclass(frozen=True)
class ImageProblem:
    """Why an image file is refused, with its diagnostic code."""

    message: str
    code: str


def sniff(data: bytes) -> str | None:
    """The accepted type of an image from its first bytes (None when it is none of them)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE", b"<!doctype")) and b"<svg" in data[:65536]:
        return "svg"
    return None


def check_image_data(data: bytes, name: str) -> ImageProblem | None:
    """The problem with an image file's content (None when it may be shipped)."""
    kind = sniff(data)
    if kind is None:
        return ImageProblem(
            "is not an image pimlearn accepts (PNG, JPEG, GIF, WebP or SVG, judged by its content, not its name)",
            "image-type",
        )
    if not name.lower().endswith(ACCEPTED[kind]):
        return ImageProblem(
            f"holds a {kind.upper()} image but its name does not end in {' or '.join(ACCEPTED[kind])}: "
            "rename it so every output serves it with the right type",
            "image-type",
        )
    if kind == "svg":
        return check_svg(data)
    try:
        size = raster_size(kind, data)
    except (ValueError, struct.error) as exc:
        return ImageProblem(f"is a damaged {kind.upper()} file ({exc})", "image-corrupt")
    return check_size(*size)


def check_size(width: float, height: float) -> ImageProblem | None:
    """Dimensions that outputs can lay out and decode safely."""
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        return ImageProblem(f"has no usable size ({_num(width)} × {_num(height)})", "image-size")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        return ImageProblem(
            f"is too large ({_num(width)} × {_num(height)}; at most {MAX_SIDE} on a side and "
            f"{MAX_PIXELS // 1_000_000} million pixels): scale it down",
            "image-size",
        )
    if max(width / height, height / width) > MAX_ASPECT:
        return ImageProblem(
            f"has an unusable shape ({_num(width)} × {_num(height)}; at most {MAX_ASPECT:g}:1)", "image-size"
        )
    return None


def _num(value: float) -> str:
    return f"{value:g}"


# --------------------------------------------------------------------------- raster headers


def raster_size(kind: str, data: bytes) -> tuple[int, int]:
    """(width, height) read from a raster image's header; ``ValueError`` when the header is damaged."""
    if kind == "png":
        return _png_size(data)
    if kind == "gif":
        if len(data) < 13:
            raise ValueError("truncated header")
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if kind == "jpeg":
        return _jpeg_size(data)
    return _webp_size(data)


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 33 or data[12:16] != b"IHDR" or struct.unpack(">I", data[8:12])[0] != 13:
        raise ValueError("no IHDR header")
    if zlib.crc32(data[12:29]) != struct.unpack(">I", data[29:33])[0]:
        raise ValueError("IHDR checksum mismatch")
    pos, seen_data = 8, False
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise ValueError(f"truncated {kind.decode('latin-1')} chunk")
        if zlib.crc32(data[pos + 4 : pos + 8 + length]) != struct.unpack(">I", data[pos + 8 + length : end])[0]:
            raise ValueError(f"{kind.decode('latin-1')} chunk checksum mismatch")
        seen_data = seen_data or kind == b"IDAT"
        if kind == b"IEND":
            break
        pos = end
    else:
        raise ValueError("no IEND chunk")
    if not seen_data:
        raise ValueError("no image data")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise ValueError("bad marker")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if marker in _SOF:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        if marker == 0xD9 or length < 2:
            break
        pos += 2 + length
    raise ValueError("no frame header")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    raise ValueError("no VP8 header")


# --------------------------------------------------------------------------- SVG

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"})
_ANIMATIONS = frozenset({"set", "animate", "animateMotion", "animateTransform", "animateColor"})
_SAFE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]", re.IGNORECASE)
_FONT_DATA = re.compile(r"data:(font/|application/(x-)?font-)", re.IGNORECASE)
"""Fonts embedded by drawing tools (``@font-face { src: url(data:font/woff2;...) }``) run nothing."""
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px|pt|in|cm|mm|pc|em|ex|%)?\s*$")
_UNITS = {None: 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}


def svg_parser() -> etree.XMLParser:
    """An XML parser that resolves no entity, loads no DTD, reaches no network and refuses huge trees."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
    )


def check_svg(data: bytes) -> ImageProblem | None:
    """Refuse an SVG that is malformed, declares a DTD or entities, holds active content or has no sane size."""
    if len(data) > MAX_SVG_BYTES:
        return ImageProblem(f"is larger than {MAX_SVG_BYTES // 1_000_000} MB", "image-size")
    try:
        root = etree.fromstring(data, svg_parser())
    except etree.XMLSyntaxError as exc:
        return ImageProblem(f"is not well-formed SVG ({exc.msg or 'empty file'})", "image-corrupt")
    if root is None:
        return ImageProblem("is not well-formed SVG (empty file)", "image-corrupt")
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return ImageProblem(
            "declares a DOCTYPE (entities can read files or expand without end): remove the <!DOCTYPE ...> line",
            "svg-unsafe",
        )
    if root.tag != f"{{{SVG_NS}}}svg":
        return ImageProblem(f"is not an SVG image (its root element is <{etree.QName(root).localname}>)", "image-type")
    active = _active_content(root)
    if active:
        return ImageProblem(
            f"holds active content ({'; '.join(active[:3])}): scripts, event handlers and references outside "
            "the image run in the learner's page; remove them (e.g. export as plain SVG)",
            "svg-unsafe",
        )
    return check_size(*svg_size(root))


def _active_content(root: etree._Element) -> list[str]:
    found: list[str] = []
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]  # <?xml-stylesheet?> before the root
    for node in [*outside, *root.iter()]:
        if not isinstance(node.tag, str):
            if isinstance(node, etree._ProcessingInstruction):
                found.append(f"processing instruction <?{node.target}?>")
            continue
        name = etree.QName(node).localname
        if name in _ACTIVE_ELEMENTS:
            found.append(f"<{name}> element")
        if name in _ANIMATIONS and (node.get("attributeName") or "").split(":")[-1] == "href":
            found.append(f"<{name}> changing a link")
        if name == "style" and _unsafe_css(node.text or ""):
            found.append("a stylesheet that loads another file")
        for attr_name, attr_value in node.attrib.items():
            attr, value = str(attr_name), str(attr_value)
            local = etree.QName(attr).localname
            if local.lower().startswith("on"):
                found.append(f"event handler {local}= on <{name}>")
            elif local == "href" or attr == XLINK_HREF:
                target = value.strip()
                if target and not (target.startswith("#") or _SAFE_DATA.match(target)):
                    found.append(f'{local}="{target[:40]}" on <{name}>')
            elif (local == "style" or "url(" in value.lower()) and _unsafe_css(value):
                found.append(f"{local}= on <{name}> refers to another file")
    return found


def _unsafe_css(css: str) -> bool:
    lowered = css.lower()
    if "@import" in lowered or "javascript:" in lowered or "expression(" in lowered:
        return True
    return any(
        not (url.startswith("#") or _SAFE_DATA.match(url) or _FONT_DATA.match(url) or not url)
        for url in _URL.findall(css)
    )


def svg_size(root: etree._Element) -> tuple[float, float]:
    """The (width, height) an SVG asks for, from ``width``/``height`` and ``viewBox`` (NaN when unusable)."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    box_text = (root.get("viewBox") or "").strip()
    if box_text:
        try:
            box = [float(v) for v in re.split(r"[\s,]+", box_text) if v]
        except ValueError:
            return math.nan, math.nan
        if len(box) != 4:
            return math.nan, math.nan
        bw, bh = box[2], box[3]
        if width is None and height is None:
            return bw, bh
        if width is not None and height is None:
            return width, width * bh / bw if bw else math.nan
        if height is not None and width is None:
            return height * bw / bh if bh else math.nan, height
        if not (bw > 0 and bh > 0):
            return bw, bh
    if width is None and height is None:
        return 300.0, 150.0  # the CSS default size of a replaced element
    return (width if width is not None else 300.0), (height if height is not None else 150.0)


def _length(value: str | None) -> float | None:
    """A length in px; None when absent or relative (%, em), NaN when not a number."""
    if value is None or not value.strip():
        return None
    match = _LENGTH.match(value)
    if not match:
        return math.nan
    unit = match.group(2)
    if unit in ("%", "em", "ex"):
        return None
    return float(match.group(1)) * _UNITS[unit]
