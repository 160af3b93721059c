"""Extraction: every translatable string of a module or course as a gettext message.

One message per Markdown block (heading, paragraph, list item, table cell, image
alt text, callout title), per front-matter string and per question string. The
msgid is the ``Text.source`` the loader built (normalised inline Markdown), so a
msgid always equals what translation looks up. Rules (docs/i18n.md):

- msgctxt ``quiz:<question-id>`` on answer-like strings (choices, matching sides,
  ordering items, fill-in answers); the author's ``<!-- i18n-context: -->`` on the
  rest; nothing else.
- file-only references (``#: modules/<id>/module.md``) and an extracted comment
  saying what the string is (for question strings, the question it belongs to).
- identical (msgctxt, msgid) pairs are one message with every comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import polib

from ..model import (
    Block,
    Callout,
    Course,
    Figure,
    Heading,
    ListBlock,
    Module,
    Notes,
    Only,
    Paragraph,
    Question,
    Quote,
    Section,
    SessionStep,
    Table,
    Text,
    plain_text,
)
from .layout import course_domain, module_domain

QUIZ_CONTEXT = "quiz:{}"
"""msgctxt of a question's answer-like strings: short answers differ by question."""

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def quiz_context(question_id: str) -> str:
    """The msgctxt of a question's choices, matching sides, ordering items and fill-in answers."""
    return QUIZ_CONTEXT.format(question_id)


def answers_msgid(question: Question) -> str:
    """The one message holding a fill-in question's accepted answers, one per line."""
    return "\n".join(a.source for a in question.answers)


def count_words(text: str) -> int:
    """Words of a source string (Markdown punctuation and URLs of links do not count)."""
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Message:
    """One gettext message of a template (POT)."""

    id: str
    context: str | None = None
    plural: str | None = None
    comments: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    question: str | None = None
    """Id of the question this string belongs to (question strings are reported separately)."""
    words: int = 0
    """Source words, for completeness weighted by length."""

    @property
    def key(self) -> tuple[str | None, str]:
        """(msgctxt, msgid): what a catalog entry is looked up by."""
        return (self.context, self.id)


@dataclass(frozen=True)
class Template:
    """The messages of one domain, in document order."""

    domain: str
    messages: tuple[Message, ...]
    title: str = ""
    """What the domain holds, for the POT's header comment."""
    project: str = ""
    """``Project-Id-Version``: the course and its version (the domain when unknown)."""
    bugs: str = ""
    """``Report-Msgid-Bugs-To``: the course's ``report_bugs_to``."""


@dataclass
class _Collector:
    """Messages in first-seen order; a repeated (msgctxt, msgid) gains comments and references."""

    reference: str
    messages: dict[tuple[str | None, str], Message] = field(default_factory=dict)

    def add(self, source: str, comment: str, context: str | None = None, question: str | None = None) -> None:
        if not source.strip():
            return
        key = (context, source)
        found = self.messages.get(key)
        if found is None:
            self.messages[key] = Message(
                id=source,
                context=context,
                comments=(comment,),
                references=(self.reference,),
                question=question,
                words=count_words(plain_words(source)),
            )
        elif comment not in found.comments:
            self.messages[key] = replace(found, comments=(*found.comments, comment))

    def text(self, text: Text | None, comment: str) -> None:
        if text is not None:
            self.add(text.source, comment, text.context)


def plain_words(source: str) -> str:
    """The words of inline Markdown, without link targets (which translators do not translate)."""
    return re.sub(r"\]\([^)]*\)", "]", source)


# --------------------------------------------------------------------------- modules


def module_template(module: Module) -> Template:
    """Every translatable string of a module, in document order."""
    out = _Collector(module.loc.path)
    out.text(module.title, "module title (front matter)")
    out.text(module.summary, "module summary (front matter)")
    for objective in module.objectives:
        out.text(objective, "learning objective (front matter)")
    # A course's own plan and sections are in the course's catalog (course_template), never the module's.
    _session(out, tuple(s for s in module.session if not s.domain), "")
    _blocks(out, module.intro, "")
    _sections(out, tuple(s for s in module.sections if not s.domain), "")
    return Template(module_domain(module.id), tuple(out.messages.values()), f"module {module.id} ({module.loc.path})")


def course_template(course: Course) -> Template:
    """The course's own strings: title, description and publisher."""
    out = _Collector(course.loc.path)
    out.text(course.title, "course title (course.yml)")
    out.text(course.description, "course description for the LMS catalogue (course.yml)")
    out.add(course.publisher, "publisher (course.yml): translate only an official name in the language")
    for name, value in course.values:
        out.add(
            value,
            f"value {{{{ {name} }}}} (course.yml values:), filled into the modules' text: a name, place or contact; "
            "translate it only where the language has its own name for it (plain text)",
        )
    domain = course_domain(course.id)
    for module in course.modules:
        where = f"module {module.id}, tailored by the course"
        _session(out, tuple(s for s in module.session if s.domain == domain), where)
        _sections(out, tuple(s for s in module.sections if s.domain == domain), where)
    return Template(
        course_domain(course.id),
        tuple(out.messages.values()),
        f"course {course.id} ({course.loc.path})",
        course_version(course),
        course.report_bugs_to,
    )


def _session(out: _Collector, steps: Sequence[SessionStep], prefix: str) -> None:
    for number, step in enumerate(steps, start=1):
        out.text(step.activity, _where(prefix, f"session plan, step {number}: activity (facilitator guide)"))
        out.text(step.method, _where(prefix, f"session plan, step {number}: method (facilitator guide)"))
        for material in step.materials:
            out.text(material, _where(prefix, f"session plan, step {number}: material needed (facilitator guide)"))


def _sections(out: _Collector, sections: Sequence[Section], prefix: str) -> None:
    for section in sections:
        out.text(
            section.title,
            _where(prefix, "section heading (a page of the e-learning, a slide title, a part of the guide)"),
        )
        _blocks(out, section.blocks, prefix)


def course_version(course: Course) -> str:
    """``Project-Id-Version`` of a course's templates: its id and version."""
    return f"{course.id} {course.version}".strip()


def _where(prefix: str, kind: str) -> str:
    return f"{prefix}: {kind}" if prefix else kind


def _blocks(out: _Collector, blocks: Sequence[Block], prefix: str, paragraph: str = "paragraph") -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            out.text(block.text, _where(prefix, paragraph))
        elif isinstance(block, Heading):
            out.text(block.text, _where(prefix, "heading"))
        elif isinstance(block, Figure):
            out.text(block.alt, _where(prefix, "image alt text: describe the image for learners who cannot see it"))
            out.add(block.title, _where(prefix, "image caption (plain text, not Markdown)"))
        elif isinstance(block, ListBlock):
            for item in block.items:
                _blocks(out, item.blocks, prefix, "list item")
        elif isinstance(block, Quote):
            _blocks(out, block.blocks, prefix, "block quote")
        elif isinstance(block, Table):
            for cell in block.header:
                out.text(cell, _where(prefix, "table header cell"))
            for row in block.rows:
                for index, cell in enumerate(row):
                    column = plain_text(block.header[index]) if index < len(block.header) else str(index + 1)
                    out.text(cell, _where(prefix, f"table cell, column '{column}'"))
        elif isinstance(block, Notes):
            _blocks(out, block.blocks, _where(prefix, "facilitator notes (slides and guide, never learners)"))
        elif isinstance(block, Only):
            _blocks(out, block.blocks, _where(prefix, f"only in {', '.join(sorted(block.targets))}"))
        elif isinstance(block, Callout):
            out.text(block.title, _where(prefix, f"{block.kind} box: title"))
            _blocks(out, block.blocks, _where(prefix, f"{block.kind} box"))
        elif isinstance(block, Question):
            _question(out, block)


def _question(out: _Collector, q: Question) -> None:
    qid = q.id
    ctx = quiz_context(qid)
    about = plain_text(q.prompt)
    graded = "graded question" if q.graded else "knowledge check (not graded)"

    def add(text: Text | None, comment: str, context: str | None = None) -> None:
        if text is not None:
            out.add(text.source, f"quiz {qid}: {comment}", context if context else text.context, qid)

    add(q.prompt, f"{graded}, type {q.type}: the question")
    for choice in q.choices:
        correct = " (a correct answer)" if choice.correct else ""
        add(choice.text, f"answer choice '{choice.id}'{correct} for the question: {about}", ctx)
        add(choice.feedback, f"feedback for answer choice '{choice.id}' ({plain_text(choice.text)}) of: {about}")
    add(q.feedback_true, f"feedback when the learner answers True to: {about}")
    add(q.feedback_false, f"feedback when the learner answers False to: {about}")
    for number, pair in enumerate(q.pairs, start=1):
        add(pair.left, f"matching pair {number}, left side (matches '{plain_text(pair.right)}') in: {about}", ctx)
        add(pair.right, f"matching pair {number}, right side (matches '{plain_text(pair.left)}') in: {about}", ctx)
    for number, item in enumerate(q.items, start=1):
        add(item, f"ordering item {number} of {len(q.items)} (in the correct order) for: {about}", ctx)
    if q.answers:
        out.add(
            answers_msgid(q),
            f"quiz {qid}: accepted answers of a fill-in question, one per line (plain text, not Markdown); "
            f"add a line for every other form learners may type. The question: {about}",
            ctx,
            qid,
        )
    add(q.correct_feedback, f"feedback for a right answer to: {about}")
    add(q.incorrect_feedback, f"feedback for a wrong answer to: {about}")
    add(q.explanation, f"explanation shown after answering: {about}")


# --------------------------------------------------------------------------- POT files


def merge_templates(domain: str, title: str, parts: Iterable[Template]) -> Template:
    """One template from several (a course's modules listed twice, ui strings from many files)."""
    merged: dict[tuple[str | None, str], Message] = {}
    for part in parts:
        for message in part.messages:
            found = merged.get(message.key)
            if found is None:
                merged[message.key] = message
                continue
            merged[message.key] = replace(
                found,
                comments=found.comments + tuple(c for c in message.comments if c not in found.comments),
                references=found.references + tuple(r for r in message.references if r not in found.references),
                flags=found.flags + tuple(f for f in message.flags if f not in found.flags),
                plural=found.plural or message.plural,
            )
    return Template(domain, tuple(merged.values()), title)


def po_date(epoch: int | None) -> str:
    """A gettext header date ('2025-01-31 12:00+0000'), from ``SOURCE_DATE_EPOCH`` when set."""
    moment = datetime.fromtimestamp(epoch, tz=UTC) if epoch is not None else datetime.now(tz=UTC)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def to_entry(message: Message) -> polib.POEntry:
    """A POT entry for a message."""
    entry = polib.POEntry(
        msgid=message.id,
        msgctxt=message.context,
        msgstr="",
        comment="\n".join(message.comments),
        occurrences=[(ref, "") for ref in message.references],
        flags=list(message.flags),
    )
    if message.plural is not None:
        entry.msgid_plural = message.plural
        entry.msgstr_plural = {0: "", 1: ""}
    return entry


def pot_file(template: Template, epoch: int | None) -> polib.POFile:
    """The POT of a template, unwrapped like ``msgmerge --no-wrap`` writes it."""
    pot = polib.POFile(wrapwidth=0)
    pot.header = (
        f"Translation template of {template.title or template.domain}.\n"
        "Generated by pimlearn from the sources: edit them, then run `pimlearn i18n update`."
    )
    pot.metadata = {
        "Project-Id-Version": template.project or template.domain,
        "Report-Msgid-Bugs-To": template.bugs,
        "POT-Creation-Date": po_date(epoch),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for message in template.messages:
        pot.append(to_entry(message))
    return pot


def entry_signature(entry: polib.POEntry) -> tuple[object, ...]:
    """What makes two template entries the same, ignoring translations and line numbers."""
    return (
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural or None,
        entry.comment or "",
        tuple(ref for ref, _ in entry.occurrences),
        tuple(sorted(entry.flags)),
    )


def same_messages(existing: polib.POFile, template: Template) -> bool:
    """True when a POT on disk holds exactly the template's messages (headers ignored: no date churn)."""
    active = [e for e in existing if not e.obsolete]
    wanted = [to_entry(m) for m in template.messages]
    return [entry_signature(e) for e in active] == [entry_signature(e) for e in wanted]


def read_pot(path: Path) -> polib.POFile | None:
    """A POT on disk, or None when it does not exist or cannot be read (it is regenerated from the sources)."""
    if not path.is_file():
        return None
    try:
        return polib.pofile(str(path), wrapwidth=0)
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # polib reports syntax errors as OSError; a template holds no one's work
