"""A minimal pipeline for ``make bench --compare``: the raw library calls doing pimlearn's core work.

It builds the generated bench course with the libraries pimlearn uses (markdown-it-py and its
plugins, PyYAML, Jinja2, lxml, zipfile, WeasyPrint) and nothing of pimlearn, so pimlearn's own
overhead shows as a ratio. For every locale of the course and every module it writes:

- ``scorm``: a SCORM 1.2 package per module (``imsmanifest.xml`` built with lxml, the module as one
  HTML page with its questions as a form, its images as files, the SCORM 1.2 schemas);
- ``decks``: a self-contained HTML deck per module (one slide per ``##`` section, images as
  ``data:`` URIs, facilitator notes in the slides);
- ``guide``: an untagged facilitator guide PDF per module (WeasyPrint, ``pdf_variant=None``):
  overview, session plan, the content with notes and each question's answer, the answer key;
  images as ``data:`` URIs; running heads and page numbers.

It does less than pimlearn on purpose (no validation, diagnostics, translation catalogs, player,
web pages, PowerPoint, build cache, contents or cover in the guide): the bench compares stage by
stage, and the guide per page. It understands only what ``tests.bench.generate`` writes.

With ``--documents DIR`` the guide is the same work as pimlearn's instead: ``DIR/<locale>/*.html``
and their ``.css`` are the documents pimlearn laid out for its guide (saved by the bench), laid
out here with WeasyPrint alone (tagged PDF/UA, as pimlearn's) and joined per locale with
pikepdf's page copy. What pimlearn spends beyond that is its own overhead.

    python -m tests.bench_minimal PROJECT OUT [--stage scorm|decks|guide|all] [--documents DIR]
"""

from __future__ import annotations

import argparse
import base64
import io
import mimetypes
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

STAGES = ("scorm", "decks", "guide")
SCHEMAS = Path(__file__).resolve().parent.parent / "pimlearn" / "static" / "scorm-schemas" / "scorm12"
"""The SCORM 1.2 control documents (a conformant package carries the schemas its manifest names)."""

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:42em;margin:auto;padding:1em;line-height:1.5}
table{border-collapse:collapse}td,th{border:1px solid #888;padding:.2em .5em}img{max-width:100%;max-height:12em}
fieldset{margin:1em 0}</style>
<script>
var api = null;
for (var w = window; w && !api; w = w === w.parent ? w.opener : w.parent) {
  try { api = w.API || null; } catch (e) { break; }
}
function done(form) {
  var right = form.querySelectorAll("[data-correct]:checked").length;
  if (api) {
    api.LMSSetValue("cmi.core.score.raw", String(right));
    api.LMSSetValue("cmi.core.lesson_status", "completed");
    api.LMSCommit("");
  }
  return false;
}
window.addEventListener("load", function () { if (api) api.LMSInitialize(""); });
window.addEventListener("unload", function () { if (api) api.LMSFinish(""); });
</script></head>
<body><main><h1>{{ title }}</h1>{{ body }}</main></body></html>
"""

QUESTION = """<form class="question" id="{{ q.id }}" onsubmit="return done(this)"><fieldset>
<legend>{{ prompt }}</legend>
{%- if q.type in ("single", "multiple") %}
{%- for c in q.choices %}
<label><input type="{{ 'radio' if q.type == 'single' else 'checkbox' }}" name="{{ q.id }}"
{%- if c.get("correct") %} data-correct{% endif %}> {{ c.text }}</label><br>
{%- endfor %}
{%- elif q.type == "true-false" %}
<label><input type="radio" name="{{ q.id }}"{% if q.answer %} data-correct{% endif %}> True</label>
<label><input type="radio" name="{{ q.id }}"{% if not q.answer %} data-correct{% endif %}> False</label>
{%- elif q.type == "fill-in" %}
<input type="text" name="{{ q.id }}">
{%- elif q.type == "matching" %}
{%- for left, right in q.pairs %}
<label>{{ left }} <select name="{{ q.id }}-{{ loop.index }}">
{%- for _, r in q.pairs %}<option>{{ r }}</option>{% endfor %}</select></label><br>
{%- endfor %}
{%- elif q.type == "ordering" %}
<ol>{% for item in q["items"] %}
<li><input type="number" min="1" name="{{ q.id }}-{{ loop.index }}"> {{ item }}</li>{% endfor %}</ol>
{%- endif %}
<button>Check</button></fieldset></form>
"""

ANSWER = """<div class="answer"><p><strong>{{ q.id }}</strong> {{ prompt }}</p><p>Answer:
{%- if q.type in ("single", "multiple") %}
{%- for c in q.choices if c.get("correct") %} {{ c.text }}{% if not loop.last %},{% endif %}{% endfor %}
{%- elif q.type == "true-false" %} {{ "True" if q.answer else "False" }}
{%- elif q.type == "fill-in" %} {{ q.answers | join(" / ") }}
{%- elif q.type == "matching" %}
{%- for left, right in q.pairs %} {{ left }} → {{ right }}{% if not loop.last %};{% endif %}{% endfor %}
{%- elif q.type == "ordering" %} {{ q["items"] | join(" → ") }}
{%- endif %}</p></div>
"""

DECK = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>html,body{margin:0;height:100%;font-family:sans-serif}section{display:none;box-sizing:border-box;
width:100vw;height:100vh;padding:4vh 6vw;font-size:3vh}section.on{display:block}img{max-height:30vh}
aside.notes{display:none}table{border-collapse:collapse}td,th{border:1px solid #888;padding:.2em .5em}</style>
</head><body>
{%- for slide in slides %}
<section{% if loop.first %} class="on"{% endif %}>{{ slide }}</section>
{%- endfor %}
<script>
var slides = document.querySelectorAll("section"), at = 0;
function go(n) {
  slides[at].className = "";
  at = Math.max(0, Math.min(slides.length - 1, n));
  slides[at].className = "on";
}
document.addEventListener("keydown", function (e) {
  if (e.key === "ArrowRight" || e.key === " ") go(at + 1);
  if (e.key === "ArrowLeft") go(at - 1);
});
</script></body></html>
"""

GUIDE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }} – facilitator guide</title></head>
<body><h1>{{ title }}</h1>
<p class="summary">{{ meta.summary }}</p>
<h2>Objectives</h2><ul>{% for o in meta.objectives %}<li>{{ o }}</li>{% endfor %}</ul>
<h2>Session plan ({{ meta.duration }} minutes)</h2>
<table class="plan"><thead><tr><th>Minutes</th><th>Activity</th><th>Method</th><th>Materials</th></tr></thead><tbody>
{%- for row in meta.session %}
<tr><td>{{ row.minutes }}</td><td>{{ row.activity }}</td><td>{{ row.method }}</td>
<td>{{ row.materials | join(", ") }}</td></tr>
{%- endfor %}</tbody></table>
<h2>Materials</h2><ul>{% for m in materials %}<li>☐ {{ m }}</li>{% endfor %}</ul>
<div class="content">{{ body }}</div>
<h2 class="key">Answer key</h2>{{ answers }}
</body></html>
"""

GUIDE_CSS = """@page { size: A4; margin: 2cm 2cm 2.5cm;
  @top-left { content: "Benchmark course"; font-size: 8pt; color: #555; }
  @top-right { content: string(module); font-size: 8pt; color: #555; }
  @bottom-left { content: "Facilitator guide"; font-size: 8pt; color: #555; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; } }
h1 { string-set: module content(); }
@page { font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
body { font-family: "Noto Sans", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; color: #111; }
h1 { font-size: 20pt; margin: 0 0 .5em; } h2 { font-size: 14pt; margin: 1.2em 0 .4em; break-after: avoid; }
h2.key { break-before: page; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; } td, th { border: .5pt solid #888; padding: 3pt 6pt; }
th { background: #eee; text-align: left; } tr { break-inside: avoid; }
aside.notes { border-left: 3pt solid #2a6; background: #eef7f1; padding: 4pt 8pt; margin: .6em 0; break-inside: avoid; }
img { display: block; max-width: 40%; margin: .5em auto; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
.question, .answer { border: .5pt solid #bbb; padding: 4pt 8pt; margin: .6em 0; break-inside: avoid; }
"""


@dataclass(frozen=True)
class Module:
    """One module of the generated course: its id, front matter and Markdown tokens."""

    id: str
    folder: Path
    meta: dict[str, Any]
    tokens: list[Token]
    images: dict[str, bytes]


def markdown() -> MarkdownIt:
    """CommonMark with tables, front matter and ``:::`` containers (what pimlearn's loader enables)."""
    md = MarkdownIt("commonmark").enable("table")
    md.use(front_matter_plugin)
    md.use(container_plugin, "notes")
    return md


def load(md: MarkdownIt, folder: Path) -> Module:
    """Parse ``folder/module.md`` and read the images it names."""
    tokens = md.parse((folder / "module.md").read_text(encoding="utf-8"))
    meta = yaml.safe_load(next(t.content for t in tokens if t.type == "front_matter"))
    images = {}
    for token in tokens:
        for child in token.children or ():
            if child.type == "image":
                src = str(child.attrGet("src"))
                images[src] = (folder / src).read_bytes()
    return Module(folder.name, folder, meta, tokens, images)


def data_uri(data: bytes, path: str) -> str:
    """A ``data:`` URI of an image."""
    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class Renderer:
    """Token streams to HTML for each output: learner pages, slides, the guide."""

    def __init__(self, md: MarkdownIt, env: Environment) -> None:
        self.md = md
        self.question = env.from_string(QUESTION)
        self.answer = env.from_string(ANSWER)
        self.inline = MarkdownIt("commonmark")

    def html(self, tokens: Sequence[Token], module: Module, mode: str, uris: dict[str, str] | None = None) -> str:
        """``tokens`` as HTML: ``mode`` is ``learner`` (no notes), ``slides`` or ``guide`` (notes shown)."""
        kept: list[Token] = []
        skipping = False
        for token in tokens:
            if token.type == "front_matter":
                continue
            if token.type == "container_notes_open":
                skipping = mode == "learner"
                if not skipping:
                    kept.append(Token("html_block", "", 0, content='<aside class="notes">'))
                continue
            if token.type == "container_notes_close":
                if not skipping:
                    kept.append(Token("html_block", "", 0, content="</aside>"))
                skipping = False
                continue
            if skipping:
                continue
            if token.type == "fence" and token.info.strip() == "question":
                q = yaml.safe_load(token.content)
                prompt = Markup(self.inline.renderInline(str(q["prompt"])))
                # The guide shows each question with its answer where it is asked (as pimlearn's does).
                template = self.answer if mode == "guide" else self.question
                kept.append(Token("html_block", "", 0, content=template.render(q=q, prompt=prompt)))
                continue
            if uris is not None:
                for child in token.children or ():
                    if child.type == "image":  # the decks set it first, then the guide finds a data: URI
                        src = str(child.attrGet("src"))
                        child.attrSet("src", uris.get(src, src))
            kept.append(token)
        return str(self.md.renderer.render(kept, self.md.options, {}))

    def answers(self, module: Module) -> str:
        """The answer key of ``module``'s questions."""
        out = []
        for token in module.tokens:
            if token.type == "fence" and token.info.strip() == "question":
                q = yaml.safe_load(token.content)
                out.append(self.answer.render(q=q, prompt=Markup(self.inline.renderInline(str(q["prompt"])))))
        return "".join(out)


def manifest(module: Module, title: str, files: Sequence[str], schemas: Sequence[str]) -> bytes:
    """``imsmanifest.xml`` of a one-SCO SCORM 1.2 package."""
    nsmap = {None: IMSCP, "adlcp": ADLCP, "xsi": XSI}
    root = etree.Element(f"{{{IMSCP}}}manifest", nsmap=nsmap, identifier=f"m-{module.id}", version="1")  # type: ignore[arg-type]
    root.set(
        f"{{{XSI}}}schemaLocation",
        f"{IMSCP} imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
        f"{ADLCP} adlcp_rootv1p2.xsd",
    )
    metadata = etree.SubElement(root, f"{{{IMSCP}}}metadata")
    etree.SubElement(metadata, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    etree.SubElement(metadata, f"{{{IMSCP}}}schemaversion").text = "1.2"
    orgs = etree.SubElement(root, f"{{{IMSCP}}}organizations", default="org")
    org = etree.SubElement(orgs, f"{{{IMSCP}}}organization", identifier="org")
    etree.SubElement(org, f"{{{IMSCP}}}title").text = title
    item = etree.SubElement(org, f"{{{IMSCP}}}item", identifier="item", identifierref="sco")
    etree.SubElement(item, f"{{{IMSCP}}}title").text = title
    resources = etree.SubElement(root, f"{{{IMSCP}}}resources")
    resource = etree.SubElement(
        resources, f"{{{IMSCP}}}resource", identifier="sco", type="webcontent", href="index.html"
    )
    resource.set(f"{{{ADLCP}}}scormtype", "sco")
    for name in files:
        etree.SubElement(resource, f"{{{IMSCP}}}file", href=name)
    # Every file of a package is listed, its control documents included (as an asset).
    control = etree.SubElement(resources, f"{{{IMSCP}}}resource", identifier="control", type="webcontent")
    control.set(f"{{{ADLCP}}}scormtype", "asset")
    for name in schemas:
        etree.SubElement(control, f"{{{IMSCP}}}file", href=name)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def build(project: Path, out: Path, stages: Sequence[str] = STAGES, documents: Path | None = None) -> int:
    """Build the generated course of ``project`` into ``out``; the number of files written.

    With ``documents``, the guide is laid out from those documents (``lay_out``), not made here.
    """
    if documents is not None and "guide" in stages:
        rest = [s for s in stages if s != "guide"]
        return lay_out(documents, out) + (build(project, out, rest) if rest else 0)
    course = yaml.safe_load((project / "courses" / "bench" / "course.yml").read_text(encoding="utf-8"))
    md = markdown()
    env = Environment(autoescape=True, undefined=StrictUndefined)
    page, deck, guide = env.from_string(PAGE), env.from_string(DECK), env.from_string(GUIDE)
    schemas = {p.name: p.read_bytes() for p in sorted(SCHEMAS.glob("*.xsd"))}
    renderer = Renderer(md, env)
    fonts = stylesheet = None
    if "guide" in stages:
        import weasyprint  # type: ignore[import-untyped]
        from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

        fonts = FontConfiguration()
        stylesheet = weasyprint.CSS(string=GUIDE_CSS, font_config=fonts)
    written = 0
    for locale in course["locales"]:
        # Each locale is rendered from its own parse, as a pipeline translating the source would.
        modules = [load(md, project / "modules" / module_id) for module_id in course["modules"]]
        folder = out / locale
        folder.mkdir(parents=True, exist_ok=True)
        for module in modules:
            title = str(module.meta["title"])
            uris = {src: data_uri(data, src) for src, data in module.images.items()}
            if "scorm" in stages:
                body = renderer.html(module.tokens, module, "learner")
                files = {"index.html": page.render(lang=locale, title=title, body=Markup(body)).encode("utf-8")}
                files.update({f"{src}": data for src, data in module.images.items()})
                content = sorted(files)
                files.update(schemas)
                files["imsmanifest.xml"] = manifest(module, title, content, sorted(schemas))
                with zipfile.ZipFile(folder / f"{module.id}-scorm12.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                    for name in sorted(files):
                        archive.writestr(name, files[name])
                written += 1
            if "decks" in stages:
                slides = [Markup(f"<h1>{title}</h1><p>{module.meta['summary']}</p>")]
                chunk: list[Token] = []
                for token in module.tokens:
                    if token.type == "heading_open" and token.tag == "h2" and chunk:
                        slides.append(Markup(renderer.html(chunk, module, "slides", uris)))
                        chunk = []
                    chunk.append(token)
                slides.append(Markup(renderer.html(chunk, module, "slides", uris)))
                html = deck.render(lang=locale, title=title, slides=slides)
                (folder / f"{module.id}-deck.html").write_text(html, encoding="utf-8")
                written += 1
            if "guide" in stages:
                import weasyprint

                materials = sorted({m for row in module.meta["session"] for m in row["materials"]})
                html = guide.render(
                    lang=locale,
                    title=title,
                    meta=module.meta,
                    materials=materials,
                    body=Markup(renderer.html(module.tokens, module, "guide", uris)),
                    answers=Markup(renderer.answers(module)),
                )
                document = weasyprint.HTML(string=html)
                pdf = document.write_pdf(stylesheets=[stylesheet], font_config=fonts, pdf_variant=None)
                (folder / f"{module.id}-facilitator-guide.pdf").write_bytes(pdf)
                written += 1
    return written


def lay_out(documents: Path, out: Path) -> int:
    """Lay out every ``documents/<locale>/*.html`` with its ``.css`` (WeasyPrint, PDF/UA) and join each
    locale's in name order into ``out/<locale>-facilitator-guide.pdf``; the number of files written."""
    import pikepdf
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    written = 0
    for folder in sorted(p for p in documents.iterdir() if p.is_dir()):
        parts = []
        for page in sorted(folder.glob("*.html")):
            css = weasyprint.CSS(string=page.with_suffix(".css").read_text(encoding="utf-8"), font_config=fonts)
            document = weasyprint.HTML(string=page.read_text(encoding="utf-8"))
            pdf = document.write_pdf(stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1")
            parts.append(pikepdf.open(io.BytesIO(pdf)))  # open until the save, which reads their streams
            if len(parts) > 1:  # the first part gives the joined file its catalog
                parts[0].pages.extend(parts[-1].pages)
        out.mkdir(parents=True, exist_ok=True)
        parts[0].save(out / f"{folder.name}-facilitator-guide.pdf")
        for part in parts:
            part.close()
        written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    """Build one stage (or all) of the minimal pipeline."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--stage", choices=[*STAGES, "all"], default="all")
    parser.add_argument("--documents", type=Path, help="lay out pimlearn's guide documents saved here instead")
    args = parser.parse_args(argv)
    build(args.project, args.out, STAGES if args.stage == "all" else (args.stage,), args.documents)
    return 0


if __name__ == "__main__":
    sys.exit(main())
