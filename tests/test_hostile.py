"""Hostile and broken content: located errors through the CLI, no traceback, dist/ untouched, nothing active shipped.

Every class of the threat model has several examples: images that are not what
they claim (by content), raster bombs and damaged files, SVGs with active content
or entities, symbolic links out of the module, ids that are not slugs, and
course.yml texts carrying HTML.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pimlearn.cli import main
from pimlearn.load.images import check_image_data
from tests.conftest import MINIMAL_COURSE, Files, PageWatch

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'


def png(width: int = 2, height: int = 2, *, bad_crc: bool = False, truncate: int = 0) -> bytes:
    """A PNG built chunk by chunk (its header may declare any size: nothing decodes it)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) ^ (1 if bad_crc and kind == b"IDAT" else 0)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 8)) + chunk(b"IEND", b"")
    return data[: len(data) - truncate] if truncate else data


GIF = b"GIF89a\x02\x00\x02\x00\x00\x00\x00,\x00\x00\x00\x00\x02\x00\x02\x00\x00\x02\x02D\x01\x00;"
SAFE_SVG = (
    f'<svg {SVG_NS} {XLINK} viewBox="0 0 20 10" width="200" height="100">'
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#0b5cad"/></linearGradient></defs>'
    '<rect id="r" width="10" height="10" fill="url(#g)"/><use xlink:href="#r" x="10"/>'
    '<image width="2" height="2" href="data:image/png;base64,iVBORw0KGgo="/></svg>'
)

MODULE = "---\ntitle: Module one\n---\n\nIntro.\n\n## Section\n\n![A picture](images/{name})\n"


def invoke(*args: str) -> tuple[int, str]:
    """Run the CLI; a Python exception escaping it fails the test."""
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback from {args}: {result.exception!r}") from result.exception
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    return result.exit_code, output


def refused(root: Path, where: str, code: str) -> str:
    """``check`` and ``build`` both fail with a located error; a failed build leaves dist/ as it was."""
    dist = root / "dist"
    dist.mkdir(exist_ok=True)
    (dist / "keep.txt").write_text("previous build", encoding="utf-8")
    before = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*"))
    status, output = invoke("check", "--project", str(root))
    assert status == 1, output
    assert f"{where}: error: " in output and f"[{code}]" in output, output
    status, built = invoke("build", "--project", str(root))
    assert status == 1, built
    assert f"{where}: error: " in built and f"[{code}]" in built, built
    assert sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*")) == before
    assert (dist / "keep.txt").read_text(encoding="utf-8") == "previous build"
    return output


def image_project(make_project: Callable[[Files], Path], name: str, data: bytes | str) -> Path:
    files: Files = {
        "courses/c1/course.yml": MINIMAL_COURSE,
        "modules/m1/module.md": MODULE.format(name=name),
        f"modules/m1/images/{name}": data,
    }
    return make_project(files)


# --------------------------------------------------------------------------- raster images, by content


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("notes.png", b"Facilitator notes, not a picture\n", "image-type", "not an image"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "image-type", "not an image"),
        ("empty.png", b"", "image-type", "not an image"),
        ("real.svg", png(), "image-type", "holds a PNG image"),
        ("bomb.png", png(100_000, 100_000), "image-size", "too large"),
        ("tall.png", png(1, 100_000), "image-size", "too large"),
        ("strip.png", png(1, 5000), "image-size", "unusable shape"),
        ("zero.png", png(0, 10), "image-size", "no usable size"),
        ("crc.png", png(bad_crc=True), "image-corrupt", "checksum"),
        ("cut.png", png(truncate=20), "image-corrupt", "damaged"),
        ("header.png", b"\x89PNG\r\n\x1a\nnothing else", "image-corrupt", "damaged"),
        ("wide.gif", GIF[:6] + struct.pack("<HH", 60000, 60000) + GIF[10:], "image-size", "too large"),
        ("frame.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image-corrupt", "damaged"),
    ],
)
def test_raster_images_are_judged_by_content_and_header(
    make_project: Callable[[Files], Path], name: str, data: bytes, code: str, words: str
) -> None:
    root = image_project(make_project, name, data)
    output = refused(root, "modules/m1/module.md:9:1", code)
    assert f"image 'images/{name}'" in output and words in output


@pytest.mark.parametrize(
    ("target", "code"),
    [("module.md", "image-type"), ("locales/fr.po", "image-type"), ("images/readme.txt", "image-type")],
)
def test_an_image_path_naming_another_file_of_the_module_is_refused(
    make_project: Callable[[Files], Path], target: str, code: str
) -> None:
    files: Files = {
        "courses/c1/course.yml": MINIMAL_COURSE,
        "modules/m1/module.md": f"---\ntitle: M\n---\n\nIntro.\n\n![The notes]({target})\n",
        "modules/m1/locales/fr.po": 'msgid ""\nmsgstr ""\n',
        "modules/m1/images/readme.txt": "secret facilitator notes",
    }
    root = make_project(files)
    output = refused(root, "modules/m1/module.md:7:1", code)
    assert "judged by its content" in output


def test_valid_images_of_every_type_pass() -> None:
    assert check_image_data(png(), "a.png") is None
    assert check_image_data(GIF, "a.gif") is None
    assert check_image_data(SAFE_SVG.encode(), "a.svg") is None
    fonts = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!-- Created with a drawing tool -->\n<svg {SVG_NS} width="10mm" '
        'height="5mm"><style>@font-face { font-family: F; src: url("data:font/woff2;base64,AAAA") }</style>'
        '<text style="font-family: F">Hi</text></svg>'
    )
    assert check_image_data(fonts.encode(), "text.svg") is None


@pytest.mark.parametrize(
    ("name", "fmt", "mode", "options"),
    [
        ("a.png", "PNG", "RGBA", {}),
        ("a.jpg", "JPEG", "RGB", {}),
        ("a.jpeg", "JPEG", "RGB", {"progressive": True}),
        ("a.gif", "GIF", "P", {}),
        ("a.webp", "WEBP", "RGB", {"quality": 80}),
        ("b.webp", "WEBP", "RGBA", {"lossless": True}),
    ],
)
def test_images_from_a_real_encoder_pass_with_their_size(
    name: str, fmt: str, mode: str, options: dict[str, Any]
) -> None:
    import io

    from PIL import Image

    from pimlearn.load.images import raster_size, sniff

    buffer = io.BytesIO()
    Image.new(mode, (123, 45)).save(buffer, format=fmt, **options)
    data = buffer.getvalue()
    kind = sniff(data)
    assert kind is not None and check_image_data(data, name) is None
    assert raster_size(kind, data) == (123, 45)
    assert check_image_data(data, "renamed.svg") is not None


# --------------------------------------------------------------------------- SVG


@pytest.mark.parametrize(
    ("svg", "code", "words"),
    [
        (f"<svg {SVG_NS}><script>alert(1)</script></svg>", "svg-unsafe", "<script> element"),
        (f'<svg {SVG_NS} onload="alert(1)"/>', "svg-unsafe", "event handler onload="),
        (f'<svg {SVG_NS}><rect width="1" height="1" onmouseover="alert(1)"/></svg>', "svg-unsafe", "onmouseover"),
        (f'<svg {SVG_NS} {XLINK}><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "svg-unsafe", "href"),
        (f'<svg {SVG_NS}><image href="http://evil.example/t.png"/></svg>', "svg-unsafe", "http://evil.example"),
        (f'<svg {SVG_NS} {XLINK}><use xlink:href="other.svg#x"/></svg>', "svg-unsafe", "other.svg"),
        (f"<svg {SVG_NS}><foreignObject><p>x</p></foreignObject></svg>", "svg-unsafe", "<foreignObject>"),
        (f'<svg {SVG_NS}><style>@import url("http://evil.example/a.css");</style></svg>', "svg-unsafe", "stylesheet"),
        (f'<svg {SVG_NS}><rect style="fill:url(http://evil.example/x)"/></svg>', "svg-unsafe", "style="),
        (f'<svg {SVG_NS}><rect fill="url(other.svg#g)"/></svg>', "svg-unsafe", "fill="),
        (f"<svg {SVG_NS}><style>rect {{ fill: url('data:image/svg+xml,x') }}</style></svg>", "svg-unsafe", "style"),
        (
            f'<svg {SVG_NS}><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>',
            "svg-unsafe",
            "changing a link",
        ),
        (f'<?xml-stylesheet href="http://evil.example/s.css"?><svg {SVG_NS}/>', "svg-unsafe", "processing"),
        (
            f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg {SVG_NS}>'
            "<text>&x;</text></svg>",
            "svg-unsafe",
            "DOCTYPE",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            f'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><svg {SVG_NS}><text>&c;</text></svg>',
            "svg-unsafe",
            "DOCTYPE",
        ),
        ("<svg", "image-corrupt", "not well-formed"),
        (f"<svg {SVG_NS}><g></svg>", "image-corrupt", "not well-formed"),
        ('<?xml version="1.0"?><html><svg/></html>', "image-type", "root element is <html>"),
        (f'<svg {SVG_NS} width="0" height="10"/>', "image-size", "no usable size"),
        (f'<svg {SVG_NS} width="-5" height="10"/>', "image-size", "no usable size"),
        (f'<svg {SVG_NS} width="NaN" height="10"/>', "image-size", "no usable size"),
        (f'<svg {SVG_NS} viewBox="0 0 1 100000"/>', "image-size", "too large"),
        (f'<svg {SVG_NS} width="1" height="1000"/>', "image-size", "unusable shape"),
    ],
)
def test_svgs_with_active_content_entities_or_no_sane_size_are_refused(
    make_project: Callable[[Files], Path], svg: str, code: str, words: str
) -> None:
    root = image_project(make_project, "drawing.svg", svg)
    output = refused(root, "modules/m1/module.md:9:1", code)
    assert words in output, output


def test_an_empty_svg_is_refused(make_project: Callable[[Files], Path]) -> None:
    root = image_project(make_project, "drawing.svg", "")
    refused(root, "modules/m1/module.md:9:1", "image-type")


def test_safe_svgs_ship_unchanged_and_hold_nothing_active(make_project: Callable[[Files], Path]) -> None:
    root = image_project(make_project, "drawing.svg", SAFE_SVG)
    status, output = invoke("build", "-f", "scorm12", "-f", "scorm2004", "-f", "web", "--project", str(root))
    assert status == 0, output
    shipped = [root / "dist/c1/en/web/m1/images/drawing.svg"]
    assert shipped[0].read_text(encoding="utf-8") == SAFE_SVG
    for package in sorted((root / "dist/c1/en").glob("*.zip")):
        with zipfile.ZipFile(package) as zf:
            svg = zf.read("m1/images/drawing.svg").decode("utf-8")
        assert svg == SAFE_SVG
        for active in ("<script", "onload", "javascript:", "http://evil", "foreignObject"):
            assert active not in svg


# --------------------------------------------------------------------------- symbolic links


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
@pytest.mark.parametrize("how", ["file", "folder", "chain"])
def test_symlinks_out_of_a_module_are_refused(make_project: Callable[[Files], Path], tmp_path: Path, how: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png())
    root = make_project({"courses/c1/course.yml": MINIMAL_COURSE, "modules/m1/module.md": MODULE.format(name="a.png")})
    images = root / "modules/m1/images"
    if how == "file":
        images.mkdir()
        (images / "a.png").symlink_to(outside / "secret.png")
    elif how == "folder":
        images.symlink_to(outside, target_is_directory=True)
        (outside / "a.png").write_bytes(png())
    else:
        images.mkdir()
        (images / "b.png").symlink_to(outside / "secret.png")
        (images / "a.png").symlink_to(images / "b.png")
    output = refused(root, "modules/m1/module.md:9:1", "image-path")
    assert "outside the module folder" in output


def test_a_symlink_inside_the_module_is_followed(make_project: Callable[[Files], Path]) -> None:
    root = make_project(
        {
            "courses/c1/course.yml": MINIMAL_COURSE,
            "modules/m1/module.md": MODULE.format(name="a.png"),
            "modules/m1/art/real.png": png(),
        }
    )
    (root / "modules/m1/images").mkdir()
    (root / "modules/m1/images/a.png").symlink_to(root / "modules/m1/art/real.png")
    status, output = invoke("check", "--project", str(root))
    assert status == 0, output


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("folder", ["données", "acc.basics v2", "Intro", "-lead", "a--b", "x_y"])
def test_module_folders_that_are_not_ids_are_refused(make_project: Callable[[Files], Path], folder: str) -> None:
    root = make_project(
        {
            "courses/c1/course.yml": MINIMAL_COURSE,
            "modules/m1/module.md": MODULE.format(name="a.gif"),
            "modules/m1/images/a.gif": GIF,
            f"modules/{folder}/module.md": "---\ntitle: T\n---\n\nText.\n",
        }
    )
    status, output = invoke("check", "--project", str(root))
    assert status == 1
    assert f"modules/{folder}/module.md:1:1: error: module folder name '{folder}' is not an id" in output


@pytest.mark.parametrize("entry", ["données", "acc.basics v2", "../m1", "M1"])
def test_course_module_entries_that_are_not_ids_are_refused(make_project: Callable[[Files], Path], entry: str) -> None:
    root = make_project(
        {
            "courses/c1/course.yml": f'title: C\nversion: 1.0.0\nmodules: ["{entry}"]\n',
            "modules/m1/module.md": "---\ntitle: T\n---\n\nText.\n",
        }
    )
    refused(root, "courses/c1/course.yml:3:11", "invalid-id")


@pytest.mark.parametrize("folder", ["cours de base", "Données", "c.1"])
def test_course_folders_that_are_not_ids_are_refused(make_project: Callable[[Files], Path], folder: str) -> None:
    root = make_project(
        {
            f"courses/{folder}/course.yml": MINIMAL_COURSE,
            "modules/m1/module.md": "---\ntitle: T\n---\n\nText.\n",
        }
    )
    refused(root, f"courses/{folder}/course.yml", "invalid-id")


@pytest.mark.parametrize("new_id", ["données", "a b", "../x", "Intro"])
def test_new_refuses_ids_that_are_not_slugs(make_project: Callable[[Files], Path], new_id: str) -> None:
    root = make_project({"courses/c1/course.yml": MINIMAL_COURSE})
    for kind in ("module", "course"):
        status, output = invoke("new", kind, new_id, "--project", str(root))
        assert status != 0 and "not a slug" in output
    assert not (root / "modules").exists()


# --------------------------------------------------------------------------- course.yml texts


PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("key", ["title", "description"])
def test_course_texts_never_carry_html(make_project: Callable[[Files], Path], key: str, payload: str) -> None:
    texts = {"title": "Mini course", "description": "A course."}
    texts[key] = "Course " + payload
    quoted = {k: "'" + v.replace("'", "''") + "'" for k, v in texts.items()}
    course = f"title: {quoted['title']}\nversion: 1.0.0\nmodules: [m1]\ndescription: {quoted['description']}\n"
    course += "allow_html: true\n"
    root = make_project({"courses/c1/course.yml": course, "modules/m1/module.md": "---\ntitle: T\n---\n\nText.\n"})
    where = "courses/c1/course.yml:1:8" if key == "title" else "courses/c1/course.yml:4:14"
    output = refused(root, where, "raw-html")
    assert "raw HTML is not allowed in course.yml" in output


PUBLISHER = '<img src=x onerror=alert(1)> </script><script>alert(2)</script> "><svg onload=alert(3)>'
TITLE = 'Tom & Jerry\'s "best" <3 course <!-- x'
DESCRIPTION = "a < b && c > d, 'quoted' \"twice\""
MODULE_TITLE = "Module </scrip <!-- one"


@pytest.fixture
def course_strings_build(make_project: Callable[[Files], Path]) -> Path:
    """Course-level strings that are valid but hostile in HTML, built in every format."""

    def quoted(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    course = (
        f"title: {quoted(TITLE)}\nversion: 1.0.0\nmodules: [m1]\ndescription: {quoted(DESCRIPTION)}\n"
        f"publisher: {quoted(PUBLISHER)}\n"
    )
    module = f"---\ntitle: {quoted(MODULE_TITLE)}\nduration: 10\n---\n\nIntro.\n\n## Section\n\nText.\n"
    root = make_project({"courses/c1/course.yml": course, "modules/m1/module.md": module})
    status, output = invoke("build", "--project", str(root))
    assert status == 0, output
    for package in (root / "dist/c1/en").glob("*.zip"):
        with zipfile.ZipFile(package) as zf:
            zf.extractall(root / "unzipped" / package.stem)
    return root


def learner_html(root: Path) -> list[Path]:
    """Every HTML page of the build: web, both SCORM packages, the deck and the slides index."""
    pages = sorted((root / "dist/c1/en/web").rglob("*.html")) + sorted((root / "unzipped").rglob("*.html"))
    pages += sorted((root / "dist/c1/en/slides").glob("*.html"))
    assert len(pages) == 7  # 3 web pages, one SCO per package, the deck and the slides index
    return pages


def test_course_strings_are_text_in_every_html_output(course_strings_build: Path) -> None:
    from lxml import html

    for path in learner_html(course_strings_build):
        doc = html.parse(str(path)).getroot()
        handlers = [name for el in doc.iter() if isinstance(el.tag, str) for name in el.attrib if name.startswith("on")]
        assert handlers == [], path
        assert doc.xpath("//img[@src='x'] | //svg[@onload]") == [], path
        for script in doc.xpath("//script[@type='application/json']"):
            json.loads(script.text)  # every data script is whole: no string closed it early
        assert "alert(2)" not in "".join(doc.xpath("//script[not(@type='application/json')]/text()")), path
        assert TITLE in doc.text_content() or TITLE in "".join(doc.xpath("//@data-course-title")), path
    index = html.parse(str(course_strings_build / "dist/c1/en/web/index.html")).getroot()
    assert PUBLISHER in index.text_content() and DESCRIPTION in index.text_content()
    assert index.xpath("string(//h1)") == TITLE
    deck = html.parse(str(course_strings_build / "dist/c1/en/slides/m1.html")).getroot()
    data = json.loads(deck.xpath("string(//script[@id='deck-data'])"))
    assert data["strings"]["speakerTitle"].endswith(MODULE_TITLE)
    assert "<" not in deck.xpath("string(//script[@id='deck-data'])")


def test_course_strings_are_text_in_the_guide(course_strings_build: Path) -> None:
    from tests.pdfutil import need_poppler, pdf_text

    need_poppler()
    text = pdf_text(course_strings_build / "dist/c1/en/c1-1.0.0-en-facilitator-guide.pdf")
    assert " ".join(PUBLISHER.split()) in text and " ".join(TITLE.split()) in text


@pytest.mark.browser
def test_course_strings_run_nothing_in_chromium(course_strings_build: Path, page: tuple[Any, PageWatch]) -> None:
    pg, watch = page
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    for path in learner_html(course_strings_build):
        pg.goto(path.as_uri())
        pg.wait_for_load_state("load")
        assert pg.evaluate("() => document.querySelectorAll('img[src=\"x\"], svg[onload]').length") == 0
    assert dialogs == []
    assert watch.external_requests == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_translated_course_texts_never_carry_html(make_project: Callable[[Files], Path], payload: str) -> None:
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "course-c1",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    po.append(polib.POEntry(msgid="Mini course", msgstr=f"Mini cours {payload}"))
    catalog = str(po)
    line = catalog.splitlines().index('msgid "Mini course"') + 2
    root = make_project(
        {
            "courses/c1/course.yml": MINIMAL_COURSE + "locales: [en, fr]\n",
            "modules/m1/module.md": "---\ntitle: T\n---\n\nText.\n",
            "locales/fr/LC_MESSAGES/course-c1.po": catalog,
        }
    )
    refused(root, f"locales/fr/LC_MESSAGES/course-c1.po:{line}:1", "translation-html")


# --------------------------------------------------------------------------- no command shows a traceback

HOSTILE_PROJECTS: dict[str, Files] = {
    "svg-script": {"modules/m1/images/a.svg": f"<svg {SVG_NS}><script>alert(1)</script></svg>"},
    "svg-xxe": {
        "modules/m1/images/a.svg": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<svg {SVG_NS}><text>&x;</text></svg>"
    },
    "svg-empty": {"modules/m1/images/a.svg": ""},
    "png-bomb": {"modules/m1/module.md": MODULE.format(name="a.png"), "modules/m1/images/a.png": png(100_000, 100_000)},
    "png-text": {"modules/m1/module.md": MODULE.format(name="a.png"), "modules/m1/images/a.png": "text"},
    "module-md-image": {"modules/m1/module.md": "---\ntitle: M\n---\n\n![notes](module.md)\n"},
    "module-id": {"modules/données/module.md": "---\ntitle: T\n---\n\nText.\n"},
    "course-html": {"courses/c1/course.yml": "title: <script>alert(1)</script>\nversion: 1.0.0\nmodules: [m1]\n"},
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PROJECTS))
def test_no_command_shows_a_traceback_on_hostile_content(make_project: Callable[[Files], Path], name: str) -> None:
    files: Files = {
        "courses/c1/course.yml": MINIMAL_COURSE + "locales: [en, fr]\n",
        "modules/m1/module.md": MODULE.format(name="a.svg"),
    }
    files.update(HOSTILE_PROJECTS[name])
    root = make_project(files)
    for command in (["check"], ["build"], ["i18n", "update", "-l", "fr"], ["i18n", "stats"]):
        status, output = invoke(*command, "--project", str(root))
        assert status in (0, 1), (command, output)
    status, output = invoke("check", "--project", str(root))
    assert status == 1 and ": error: " in output


# --------------------------------------------------------------------------- control characters in sources


@pytest.mark.parametrize(
    ("path", "content", "where"),
    [
        ("modules/m1/module.md", "---\ntitle: T\n---\n\nHi\x01 there.\n", "modules/m1/module.md:5:3"),
        ("modules/m1/module.md", "---\ntitle: T\n---\n\n## S\n\nA\x0bB\n", "modules/m1/module.md:7:2"),
        ("modules/m1/module.md", "---\ntitle: T\x1f\n---\n\nText.\n", "modules/m1/module.md:2:9"),
        (
            "modules/m1/module.md",
            "---\ntitle: T\n---\n\n```question\nid: q\ntype: true-false\nprompt: Yes\x00?\nanswer: true\n```\n",
            "modules/m1/module.md:8:12",
        ),
        (
            "courses/c1/course.yml",
            "title: Mini\x08 course\nversion: 1.0.0\nmodules: [m1]\n",
            "courses/c1/course.yml:1:12",
        ),
    ],
)
def test_control_characters_in_sources_are_located_errors(
    make_project: Callable[[Files], Path], path: str, content: str, where: str
) -> None:
    files: Files = {"courses/c1/course.yml": MINIMAL_COURSE, "modules/m1/module.md": "---\ntitle: T\n---\n\nText.\n"}
    files[path] = content
    root = make_project(files)
    output = refused(root, where, "control-character")
    assert "control character U+00" in output
