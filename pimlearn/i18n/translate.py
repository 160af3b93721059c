"""Translation maps the model to the model: every ``Text`` looked up in the locale's catalogs.

Lookups use the keys extraction writes (``Text.source`` and its msgctxt), so a
string is found exactly when it was extracted. A translation is parsed by the
loader's own ``make_text`` (the same Markdown rules as its source) and must keep
the source's structure (``checks.shape_problems``); a translation that breaks it
is an error at its .po line. Text without a usable translation keeps its source
and is marked with the source language, so every output can mark the fallback
for screen readers. A question is translated only as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib

from ..diagnostics import Diagnostic
from ..load.markdown import make_text, plain
from ..load.values import fill_course
from ..model import (
    Block,
    Callout,
    Course,
    Figure,
    ListBlock,
    Module,
    Notes,
    Only,
    Question,
    Quote,
    Section,
    Text,
    map_texts,
    plain_text,
)
from ..package.artifact import Artifact
from .catalogs import Catalog, LocaleCatalogs, load_locale
from .checks import shape_problems
from .extract import answers_msgid, quiz_context
from .layout import UI, course_domain, module_domain
from .locales import catalog_name, language
from .stats import completeness_warnings, project_stats, status_json

STATUS_FILE = "translation-status.json"


@dataclass(frozen=True)
class Translated:
    """A course in one locale, the problems its catalogs have, and the graded questions left in the source."""

    course: Course
    diagnostics: tuple[Diagnostic, ...] = ()
    untranslated_questions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Module id -> ids of its graded questions shown in the source language."""


def localize(course: Course, locale: str, catalogs: LocaleCatalogs | None = None) -> Course:
    """The course as built in ``locale``: translated where its catalogs allow, else falling back to the source."""
    return translate_course(course, locale, catalogs).course


def translate_course(course: Course, locale: str, catalogs: LocaleCatalogs | None) -> Translated:
    """The course in ``locale`` with every problem found in its catalogs."""
    # Placeholders are filled in after translation: msgids and msgstrs keep them, so a value changes no catalog.
    if locale == course.language:
        same = tuple(replace(m, lang=locale) for m in course.modules)
        return Translated(fill_course(replace(course, locale=locale, modules=same)))
    diagnostics: list[Diagnostic] = []
    untranslated: dict[str, tuple[str, ...]] = {}
    get = catalogs.get if catalogs is not None else (lambda _domain: None)
    head = _Translator(get(course_domain(course.id)), course.language, diagnostics)
    modules: list[Module] = []
    # A course's values are in its catalog (a name may have its own form in a language); a module's
    # defaults are names taken as they are.
    values = {name: head.string(value) for name, value in course.values}
    for module in course.modules:
        tr = _Translator(get(module_domain(module.id)), course.language, diagnostics)
        local = _Translator(head.catalog, course.language, diagnostics)
        module = replace(module, values=tuple((n, values.get(n, v)) for n, v in module.values))
        modules.append(replace(tr.module(module, local), lang=locale))
        untranslated[module.id] = tuple(tr.fallback_questions + local.fallback_questions)
    translated = replace(
        course,
        locale=locale,
        title=head.text(course.title),
        description=head.text(course.description) if course.description else None,
        publisher=head.string(course.publisher),
        modules=tuple(modules),
        values=tuple(values.items()),
    )
    return Translated(fill_course(translated), tuple(dict.fromkeys(diagnostics)), untranslated)


class _Translator:
    """Translates one domain's strings, reporting problems at the catalog's lines."""

    def __init__(self, catalog: Catalog | None, source_lang: str, diagnostics: list[Diagnostic]) -> None:
        self.catalog = catalog
        self.source_lang = source_lang
        self.diagnostics = diagnostics
        self.fallback_questions: list[str] = []

    # -- strings -----------------------------------------------------------------------

    def fallback(self, text: Text) -> Text:
        return replace(text, lang=self.source_lang)

    def lookup(self, text: Text, context: str | None = None) -> Text | None:
        """The translation of ``text`` (None when missing, fuzzy or broken)."""
        if self.catalog is None:
            return None
        key = (context if context is not None else text.context, text.source)
        entry = self.catalog.translation(key)
        if entry is None:
            return None
        translated = make_text(entry.msgstr, text.loc, None, text.context)
        problems = shape_problems(text, translated, entry.msgstr)
        for code, message in problems:
            self.diagnostics.append(Diagnostic(self.catalog.loc(entry), "error", message, code))
        return None if problems else translated

    def text(self, text: Text) -> Text:
        """A body or front-matter text, translated or marked as fallback."""
        if not text.source:
            return text
        return self.lookup(text) or self.fallback(text)

    def string(self, value: str) -> str:
        """A plain string (image caption, publisher): its translation, else itself."""
        if not value or self.catalog is None:
            return value
        entry = self.catalog.translation((None, value))
        return entry.msgstr.strip() if entry is not None else value

    # -- model -------------------------------------------------------------------------

    def module(self, module: Module, local: _Translator | None = None) -> Module:
        """The module translated; sections and session steps a course adds are looked up by ``local``
        (the course's catalog)."""
        local = local or self
        front = map_texts(replace(module, intro=(), sections=(), session=()), self.text)
        return replace(
            front,
            session=tuple(map_texts(step, (local if step.domain else self).text) for step in module.session),
            intro=self.blocks(module.intro),
            sections=tuple((local if s.domain else self).section(s) for s in module.sections),
        )

    def section(self, section: Section) -> Section:
        """A section's title and blocks translated."""
        return replace(section, title=self.text(section.title), blocks=self.blocks(section.blocks))

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(self.block(b) for b in blocks)

    def block(self, block: Block) -> Block:
        if isinstance(block, Question):
            return self.question(block)
        if isinstance(block, (Notes, Only, Quote)):
            return replace(block, blocks=self.blocks(block.blocks))
        if isinstance(block, Callout):
            title = self.text(block.title) if block.title is not None else None
            return replace(block, title=title, blocks=self.blocks(block.blocks))
        if isinstance(block, ListBlock):
            return replace(block, items=tuple(replace(i, blocks=self.blocks(i.blocks)) for i in block.items))
        if isinstance(block, Figure):
            return replace(map_texts(block, self.text), title=self.string(block.title))
        return map_texts(block, self.text)

    # -- questions -----------------------------------------------------------------------

    def question(self, q: Question) -> Question:
        """The question fully translated, or wholly in the source language (never mixed)."""
        complete = True
        ctx = quiz_context(q.id)

        def one(text: Text | None, context: str | None = None) -> Text | None:
            nonlocal complete
            if text is None or not text.source:
                return text
            found = self.lookup(text, context)
            if found is None:
                complete = False
                return text
            return found

        def answer_like(text: Text) -> Text:
            return one(text, ctx) or text

        choices = tuple(replace(c, text=answer_like(c.text), feedback=one(c.feedback)) for c in q.choices)
        pairs = tuple(replace(p, left=answer_like(p.left), right=answer_like(p.right)) for p in q.pairs)
        translated = replace(
            q,
            prompt=one(q.prompt) or q.prompt,
            choices=choices,
            pairs=pairs,
            items=tuple(answer_like(i) for i in q.items),
            answers=self.answers(q, ctx),
            feedback_true=one(q.feedback_true),
            feedback_false=one(q.feedback_false),
            correct_feedback=one(q.correct_feedback),
            incorrect_feedback=one(q.incorrect_feedback),
            explanation=one(q.explanation),
        )
        if q.answers and translated.answers is q.answers:
            complete = False
        if complete and not self.distinct(q, translated):
            complete = False
        if not complete:
            if q.graded:
                self.fallback_questions.append(q.id)
            return map_texts(q, self.fallback)
        return translated

    def answers(self, q: Question, ctx: str) -> tuple[Text, ...]:
        """A fill-in question's accepted answers: one per line of the translation."""
        if not q.answers or self.catalog is None:
            return q.answers
        entry = self.catalog.translation((ctx, answers_msgid(q)))
        if entry is None:
            return q.answers
        loc = q.answers[0].loc
        lines = [line.strip() for line in entry.msgstr.splitlines() if line.strip()]
        if not lines:
            self.report(entry, "a fill-in question needs at least one accepted answer", "translation-empty")
            return q.answers
        return tuple(plain(line, loc) for line in dict.fromkeys(lines))

    def distinct(self, source: Question, translated: Question) -> bool:
        """Choices, matching sides and ordering items must stay distinguishable after translation."""
        groups: list[tuple[str, tuple[Text, ...], tuple[Text, ...]]] = [
            ("answer choices", tuple(c.text for c in source.choices), tuple(c.text for c in translated.choices)),
            ("left sides", tuple(p.left for p in source.pairs), tuple(p.left for p in translated.pairs)),
            ("right sides", tuple(p.right for p in source.pairs), tuple(p.right for p in translated.pairs)),
            ("items", source.items, translated.items),
        ]
        ok = True
        for what, before, after in groups:
            seen: dict[str, Text] = {}
            for original, text in zip(before, after, strict=True):
                shown = plain_text(text).strip().casefold()
                if shown in seen and self.catalog is not None:
                    entry = self.catalog.translation((quiz_context(source.id), original.source))
                    if entry is not None:
                        first = plain_text(seen[shown])
                        self.report(
                            entry,
                            f"two {what} of question '{source.id}' read the same in translation ('{first}'): "
                            "learners could not tell them apart",
                            "translation-duplicate",
                        )
                    ok = False
                seen.setdefault(shown, text)
        return ok

    def report(self, entry: polib.POEntry, message: str, code: str) -> None:
        assert self.catalog is not None
        self.diagnostics.append(Diagnostic(self.catalog.loc(entry), "error", message, code))


class Translations:
    """The translation stage of one build: catalogs read once per locale, problems and completeness collected."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.diagnostics: list[Diagnostic] = []
        self.courses: dict[str, Course] = {}
        self.locales: dict[str, list[str]] = {}
        self._reported: set[Diagnostic] = set()
        self._no_ui: set[str] = set()
        self._done: dict[tuple[str, str], tuple[Course, bool, Course]] = {}
        """(course id, locale) -> (the course given, warned, its translation): the catalogue asks again for what
        the build translated, and translating is a parse and a structure check of every string."""

    def _report(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            if diagnostic not in self._reported:
                self._reported.add(diagnostic)
                self.diagnostics.append(diagnostic)

    def course(self, course: Course, locale: str, warn_incomplete: bool = True) -> Course:
        """``course`` in ``locale``; catalog problems and (optionally) completeness warnings are collected."""
        done = self._done.get((course.id, locale))
        if done is not None and done[0] is course and (done[1] or not warn_incomplete):
            return done[2]  # its problems (and warnings) are collected already
        translated = self._translate(course, locale, warn_incomplete)
        self._done[(course.id, locale)] = (course, warn_incomplete, translated)
        return translated

    def _translate(self, course: Course, locale: str, warn_incomplete: bool) -> Course:
        self.courses[course.id] = course
        self.locales.setdefault(course.id, []).append(locale)
        if locale == course.language:
            # The content needs no catalog, but the pages' UI strings may come from a project's ui.po.
            self._report(load_locale(self.root, locale, []).diagnostics)
            return translate_course(course, locale, None).course
        domains = [course_domain(course.id), *(module_domain(m.id) for m in course.modules)]
        catalogs = load_locale(self.root, locale, domains)
        self._report(catalogs.diagnostics)
        self._warn_no_ui(course, locale, catalogs)
        result = translate_course(course, locale, catalogs)
        self._report(result.diagnostics)
        if warn_incomplete:
            rows = project_stats(self.root, [course], only=[locale])
            self._report(completeness_warnings(course, locale, rows, result.untranslated_questions))
        return result.course

    def _warn_no_ui(self, course: Course, locale: str, catalogs: LocaleCatalogs) -> None:
        """Once per locale and build: buttons and labels will show in English (marked ``lang="en"``)."""
        if locale in self._no_ui or language(locale) == "en" or catalogs.get(UI) or catalogs.builtin_ui:
            return
        if any(d.code.startswith("catalog") and d.severity == "error" for d in catalogs.diagnostics):
            return  # a broken ui.po is reported as such
        self._no_ui.add(locale)
        self._report(
            [
                Diagnostic(
                    course.loc,
                    "warning",
                    f"pimlearn has no user-interface catalog for '{locale}': buttons, labels and headings show in "
                    f'English (marked lang="en"). Run `pimlearn i18n update -l {locale}` and translate '
                    f"locales/{catalog_name(locale)}/LC_MESSAGES/ui.po",
                    "ui-catalog-missing",
                )
            ]
        )

    def status(self) -> Artifact:
        """``translation-status.json``: every built course's domains in all its locales and those built."""
        rows = []
        for course_id, course in self.courses.items():
            rows.extend(project_stats(self.root, [course], self.locales.get(course_id, ())))
        unique = {(r.domain, r.locale): r for r in rows}
        ordered = sorted(unique.values(), key=lambda r: (r.locale, r.domain != "ui", r.domain))
        return Artifact(STATUS_FILE, status_json(ordered).encode("utf-8"))
