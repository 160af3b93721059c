"""The ``ui`` domain: strings of Jinja templates and of the Python code that renders outputs.

Templates are read with Jinja's own extractor (``_()``, ``gettext``, ``ngettext``,
``pgettext``, ``{% trans %}``; ``{# Translators: ... #}`` comments become extracted
comments). Python files are scanned for string literals passed to ``gettext`` /
``ngettext`` / ``pgettext`` (``tpl.gettext("Next")``, ``options.gettext(...)``) or
marked with ``N_("...")`` where a table holds them. New templates and calls are
found without any registration: the next ``pimlearn i18n update`` picks them up.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.ext import babel_extract

from .. import __version__
from ..diagnostics import Reporter
from ..model import Loc
from .extract import Message, Template, count_words, merge_templates, read_pot
from .layout import BUILTIN_LOCALES, PACKAGE_ROOT, UI

KEYWORDS = ("_", "gettext", "ngettext", "pgettext", "npgettext")
PY_KEYWORDS = frozenset({*KEYWORDS, "N_"})
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".xml", ".txt", ".svg")
COMMENT_TAGS = ("Translators:",)
_MAYBE_CALL = re.compile(r"\b(?:" + "|".join(sorted(PY_KEYWORDS)) + r")\s*\(")
"""A keyword followed by ``(``: a file without one has no call to extract, so it is not parsed (``ast`` is slow)."""
_FORMAT = re.compile(r"%(\([A-Za-z_]\w*\))?[-#0 +]*\d*(\.\d+)?[sdifr%]")

BUILTIN_TEMPLATES = PACKAGE_ROOT / "templates"


@lru_cache(maxsize=1)
def builtin_template() -> Template:
    """Every ``ui`` string of pimlearn itself: built-in templates and Python code."""
    base = PACKAGE_ROOT.parent
    parts = [_template_file(path, path.relative_to(base).as_posix()) for path in _files(BUILTIN_TEMPLATES)]
    parts.append(_python_strings(PACKAGE_ROOT, base))
    merged = merge_templates(UI, "pimlearn's user interface", parts)
    return replace(merged, project=f"pimlearn {__version__}", bugs="")


@lru_cache(maxsize=1)
def shipped_template() -> Template:
    """pimlearn's ``ui`` strings as its shipped ``ui.pot`` lists them: what its catalogs translate.

    Builds count completeness against this file instead of extracting every template and Python file of
    pimlearn again (a third of a second per build); tests keep it equal to ``builtin_template()``.
    """
    pot = read_pot(BUILTIN_LOCALES / "templates" / f"{UI}.pot")
    if pot is None:  # pragma: no cover - the file ships with pimlearn
        return builtin_template()
    messages = tuple(
        Message(
            id=entry.msgid,
            context=entry.msgctxt,
            plural=entry.msgid_plural or None,
            comments=tuple(entry.comment.split("\n")) if entry.comment else (),
            references=tuple(reference for reference, _ in entry.occurrences),
            flags=tuple(entry.flags),
            words=count_words(entry.msgid),
        )
        for entry in pot
        if not entry.obsolete
    )
    return Template(UI, messages, "pimlearn's user interface", f"pimlearn {__version__}", "")


def project_template_dirs(root: Path) -> list[Path]:
    """A project's template folders: ``templates/`` and every ``courses/<id>/templates/``."""
    dirs = [root / "templates", *sorted(p for p in (root / "courses").glob("*/templates"))]
    return [d for d in dirs if d.is_dir()]


def project_template(root: Path, reporter: Reporter) -> Template:
    """The ``ui`` strings of a project's own templates (empty when it has none)."""
    parts = []
    for folder in project_template_dirs(root):
        for path in _files(folder):
            rel = path.relative_to(root).as_posix()
            try:
                parts.append(_template_file(path, rel))
            except jinja2.TemplateSyntaxError as exc:
                reporter.error(Loc(rel, exc.lineno or 1), f"template syntax error: {exc.message}", "template-syntax")
    return merge_templates(UI, "the project's templates", parts)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith(TEMPLATE_SUFFIXES))


def format_flags(*messages: str | None) -> tuple[str, ...]:
    """``python-format`` when a string holds %-directives (Jinja formats every ``_()`` result with %)."""
    return ("python-format",) if any(m and _FORMAT.search(m) for m in messages) else ()


def _template_file(path: Path, reference: str) -> Template:
    options = {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
        "newstyle_gettext": "true",
        "silent": "false",
    }
    found: list[Message] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    seen: dict[tuple[int, str], int] = {}
    with path.open("rb") as handle:
        for line, func, message, comments in babel_extract(handle, KEYWORDS, COMMENT_TAGS, options):
            built = _message(func, message, tuple(c.strip() for c in comments), reference)
            if built is not None:
                occurrence = seen.get((line, built.id), 0)
                seen[(line, built.id)] = occurrence + 1
                where = where_shown(reference, lines, line, built.id, occurrence)
                found.append(replace(built, comments=(*built.comments, where)))
    return merge_templates(UI, reference, [Template(UI, tuple(found))])


OUTPUTS = {
    "catalogue": "training catalogue page (dist/index.html)",
    "common": "e-learning question (SCORM and web version)",
    "guide": "facilitator guide (PDF)",
    "player": "e-learning player (SCORM and web version)",
    "scorm": "SCORM e-learning page",
    "slides": "HTML slide deck",
    "web": "web version",
}
"""The output a built-in template folder makes: the first half of a translator comment."""

ATTRIBUTE_ROLES = {
    "aria-label": "screen reader label (not shown)",
    "aria-roledescription": "screen reader role name (not shown)",
    "data-running": "running header at the top of guide pages",
    "content": "document keywords (PDF metadata)",
    "title": "tooltip",
    "alt": "image description for screen readers",
    "placeholder": "placeholder in an empty field",
}
ELEMENT_ROLES = {
    "button": "button",
    "kbd": "name of a keyboard key",
    "th": "table column header",
    "dt": "label",
    "h1": "page heading",
    "h2": "section heading",
    "h3": "heading",
    "h4": "heading",
    "caption": "table caption",
    "option": "choice in a drop-down list",
    "label": "form label",
    "a": "link",
    "title": "window title",
    "legend": "group label",
    "summary": "heading of a box that opens",
}
_OPEN = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^<>]*?(/?)>|<(/?)([a-zA-Z][\w-]*)\b[^<>]*$")
_ATTRIBUTE = re.compile(r'([\w-]+)="[^"]*$')


def where_shown(reference: str, lines: list[str], line: int, message: str, occurrence: int = 0) -> str:
    """A translator comment saying where a template string appears ("HTML slide deck: button")."""
    parts = reference.split("/")
    folder = parts[-2] if len(parts) > 1 else ""
    output = OUTPUTS.get(folder, f"template {parts[-1]}")
    start = max(0, line - 1)
    text = lines[start] if start < len(lines) else ""
    column = -1
    for _ in range(occurrence + 1):  # the n-th call of this string on its line
        found = text.find(message[:20], column + 1)
        if found < 0:
            break
        column = found
    if column < 0:
        column = max(text.find("_("), text.find("gettext("))
    before = "\n".join([*lines[max(0, start - 3) : start], text[: max(column, 0)]])
    if "<script" in "\n".join([*lines[:start], text[: max(column, 0)]]).rsplit("</script>", 1)[-1]:
        return f"{output}: message the page's script shows or announces"
    tag_open = before.rsplit("<", 1)[-1]
    if ">" not in tag_open:
        attribute = _ATTRIBUTE.search(tag_open)
        if attribute:
            return f"{output}: {ATTRIBUTE_ROLES.get(attribute.group(1), attribute.group(1) + ' attribute')}"
    stack: list[str] = []
    for match in _OPEN.finditer(before):
        closing, name, self_closing = match.group(1), (match.group(2) or "").lower(), match.group(3)
        if not name or self_closing:
            continue
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
        else:
            stack.append(name)
    for name in reversed(stack):
        if name in ELEMENT_ROLES:
            return f"{output}: {ELEMENT_ROLES[name]}"
    return f"{output}: text"


def _message(func: str, message: object, comments: tuple[str, ...], reference: str) -> Message | None:
    """A Message from an extractor hit; ``None`` for calls without literal strings."""
    values = message if isinstance(message, tuple) else (message,)
    context: str | None = None
    if func in ("pgettext", "npgettext"):
        context, values = values[0], values[1:]
    singular = values[0] if values else None
    plural = values[1] if func in ("ngettext", "npgettext") and len(values) > 1 else None
    if not isinstance(singular, str) or not singular or (context is not None and not isinstance(context, str)):
        return None
    if func in ("ngettext", "npgettext") and not isinstance(plural, str):
        return None
    return Message(
        id=singular,
        context=context,
        plural=plural,
        comments=tuple(c for c in comments if c),
        references=(reference,),
        flags=format_flags(singular, plural),
        words=count_words(singular),
    )


def _python_strings(package: Path, base: Path) -> Template:
    found: list[Message] = []
    for path in sorted(package.rglob("*.py")):
        reference = path.relative_to(base).as_posix()
        source = path.read_text(encoding="utf-8")
        if not _MAYBE_CALL.search(source):
            continue
        lines = source.splitlines()
        for func, args, line in _calls(ast.parse(source, str(path))):
            strings = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in args]
            comment = _translator_comment(lines, line) or PYTHON_WHERE.get(reference, "")
            if func == "N_":
                func = "gettext"
            message: object = tuple(strings) if func != "gettext" and func != "_" else (strings[0] if strings else None)
            built = _message(func, message, (comment,) if comment else (), reference)
            if built is not None:
                # Python strings are used as they are (no % formatting): no python-format flag.
                found.append(replace(built, flags=()))
    return Template(UI, tuple(found))


PYTHON_WHERE = {
    "pimlearn/formats/pptx.py": "PowerPoint slides: label on a slide",
    "pimlearn/formats/slides.py": "HTML slide deck: message its script shows or announces to screen readers",
    "pimlearn/formats/scorm.py": "SCORM e-learning page: page title in the list of pages",
    "pimlearn/formats/web.py": "web version: page title in the list of pages",
    "pimlearn/render/deck.py": "slides (HTML and PowerPoint): slide title or label",
    "pimlearn/render/html.py": "every output: label at the top of a highlighted box",
    "pimlearn/render/catalogue.py": "training catalogue page (dist/index.html): kind of download, or a file size",
    "pimlearn/formats/__init__.py": "web version and slide decks: link to another output of the course",
    "pimlearn/formats/qti.py": "QTI question bank: answer of a true-or-false question",
    "pimlearn/render/questions.py": "question: answer choice of a true-or-false question",
}
"""Where the strings of each Python file appear, for those without a ``# Translators:`` comment."""


def _calls(tree: ast.AST) -> Iterator[tuple[str, list[ast.expr], int]]:
    """Calls of the gettext keywords, in source order (``ast.walk`` is breadth first)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in PY_KEYWORDS and node.args:
            found.append((node.lineno, node.col_offset, name, list(node.args)))
    for line, _col, name, args in sorted(found, key=lambda f: (f[0], f[1])):
        yield name, args, line


def _translator_comment(lines: list[str], line: int) -> str:
    """A ``# Translators: ...`` comment on the line above a call."""
    index = line - 2
    if 0 <= index < len(lines):
        text = lines[index].strip()
        if text.startswith("# Translators:"):
            return text.removeprefix("# Translators:").strip()  # as Jinja's extractor gives it
    return ""
