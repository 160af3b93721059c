"""The facilitator guide (`-f guide`): build the sample course, then read the PDFs back with poppler.

Expected strings come from the model (and the UI catalogs), never from copies of the
sample's text, so the tests hold whatever the sample says and whatever is translated.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from pimlearn.diagnostics import Reporter
from pimlearn.formats import RenderContext
from pimlearn.formats.guide import guide_document, pdf_path
from pimlearn.i18n.catalogs import ui_translations
from pimlearn.i18n.locales import display_name
from pimlearn.i18n.translate import Translations
from pimlearn.load import load_project
from pimlearn.load.values import fill_course
from pimlearn.model import (
    Block,
    Callout,
    Course,
    Figure,
    ListBlock,
    Notes,
    Only,
    Question,
    Quote,
    Text,
    iter_texts,
    plain_text,
    walk_blocks,
)
from pimlearn.pipeline import BuildOptions, BuildResult, build
from pimlearn.render.jinja import templates
from pimlearn.render.pdf import css_content, css_string
from pimlearn.render.schedule import clock, course_schedule
from tests.conftest import REPO, write_project
from tests.pdfutil import (
    Word,
    contains,
    gray_pixels,
    need_poppler,
    page_labels,
    page_texts,
    pdf_fonts,
    pdf_info,
    pdf_objects,
    pdf_outline,
    pdf_text,
    pdf_words,
    squash,
    visual_lines,
)

LOCALES = ("en", "fr", "es")
EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC
MM = 72 / 25.4  # points per millimetre


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def source() -> Course:
    """The sample course as loaded (source language)."""
    reporter = Reporter()
    project = load_project(REPO, reporter, all_modules=False)
    assert not reporter.errors
    return project.course("pim-foundations")


@pytest.fixture(scope="module")
def guides(tmp_path_factory: pytest.TempPathFactory, source: Course) -> dict[str, Path]:
    """The sample's guides, built once with a fixed SOURCE_DATE_EPOCH."""
    need_poppler()
    out = tmp_path_factory.mktemp("guide-dist")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        result = build(REPO, BuildOptions(formats=("guide",), out_dir=out))
    assert [w for w in result.warnings if w.code.startswith("guide")] == []
    paths = {}
    for locale in LOCALES:
        ctx = RenderContext(REPO, in_locale(REPO, source, locale))
        paths[locale] = out / pdf_path(ctx)
    return paths


def in_locale(root: Path, course: Course, locale: str) -> Course:
    """The course as the build shows it in ``locale`` (translated by the project's catalogs)."""
    return Translations(root).course(course, locale, warn_incomplete=False)


def ui(locale: str) -> gettext.NullTranslations:
    """The UI strings of ``locale``, as the guide translates them."""
    return ui_translations(REPO, locale)


def plain(text: Text | None) -> str:
    return squash(plain_text(text)) if text else ""


def guide_only_texts(course: Course) -> tuple[list[str], list[str]]:
    """(texts that must be in the guide, texts that must not): notes and `only` blocks by target."""
    shown: list[str] = []
    hidden: list[str] = []
    for module in course.modules:
        for block in walk_blocks(module.all_blocks()):
            if isinstance(block, Notes):
                shown += [plain(t) for t in _texts(block)]
            elif isinstance(block, Only):
                (shown if "guide" in block.targets else hidden).extend(plain(t) for t in _texts(block))
    # A slide-only list may repeat words the guide shows elsewhere (a principle's name in a table).
    return [t for t in shown if t], [t for t in hidden if t and t not in shown and t not in guide_texts(course)]


def guide_texts(course: Course) -> set[str]:
    """Every text the guide shows outside `only` blocks meant for other outputs."""
    found: set[str] = set()
    for module in course.modules:
        found.update(plain(t) for t in _visible_in_guide(module.all_blocks()))
    return found


def _visible_in_guide(blocks: tuple[Block, ...]) -> Iterator[Text]:
    for block in blocks:
        if isinstance(block, Only) and "guide" not in block.targets:
            continue
        if isinstance(block, (Only, Notes, Quote, Callout, ListBlock)):
            if isinstance(block, Callout) and block.title:
                yield block.title
            children = (
                block.blocks if not isinstance(block, ListBlock) else tuple(b for i in block.items for b in i.blocks)
            )
            yield from _visible_in_guide(children)
        else:
            yield from iter_texts(block)


def _texts(block: Notes | Only) -> Iterator[Text]:
    yield from iter_texts(block)


# --------------------------------------------------------------------------- the files and their metadata


def test_one_guide_per_locale_at_the_documented_path(guides: dict[str, Path], source: Course) -> None:
    for locale, path in guides.items():
        assert path.name == f"{source.id}-{source.version}-{locale}-facilitator-guide.pdf"
        assert path.parent.name == locale
        assert path.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize("locale", LOCALES)
def test_pdf_metadata_title_author_language_a4_and_tags(guides: dict[str, Path], source: Course, locale: str) -> None:
    path = guides[locale]
    info = pdf_info(path)
    course = in_locale(REPO, source, locale)
    title = ui(locale).gettext("%(course)s – Facilitator guide") % {"course": plain(course.title)}
    assert info.fields["Title"] == title
    assert info.fields["Author"] == course.publisher
    assert info.fields["Tagged"] == "yes"
    assert info.fields["PDF version"] == "1.7"
    width, height = info.page_size
    assert (round(width), round(height)) == (595, 842)  # A4, the default
    assert info.pages >= 10
    assert f"/Lang ({locale})".encode() in pdf_objects(path)
    # PDF/UA identification lives in the XMP metadata stream.
    assert b"pdfuaid" in pdf_objects(path)


def test_figures_are_tagged_with_their_alt_text(guides: dict[str, Path], source: Course) -> None:
    objects = pdf_objects(guides["en"])
    figures = [b for m in source.modules for b in walk_blocks(m.all_blocks()) if isinstance(b, Figure)]
    assert figures
    for figure in figures:
        # a PDF literal string escapes backslashes and parentheses
        alt = plain(figure.alt).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        assert f"/Alt ({alt})".encode() in objects


@pytest.mark.parametrize("locale", LOCALES)
def test_every_font_is_embedded(guides: dict[str, Path], locale: str) -> None:
    fonts = pdf_fonts(guides[locale])
    assert fonts, "the guide uses no font at all?"
    assert [f.name for f in fonts if not f.embedded] == []
    assert any("Noto-Sans" in f.name for f in fonts)


FRONT = ("Contents", "How to use this guide", "Agenda", "Materials for the workshop")
"""The guide's front matter, in order, as the outline lists it before the modules."""


def test_the_outline_has_the_front_matter_then_one_entry_per_module(guides: dict[str, Path], source: Course) -> None:
    for locale, path in guides.items():
        course = in_locale(REPO, source, locale)
        tr = ui(locale)
        outline = pdf_outline(path)
        titles = [item.title for item in outline]
        modules = [
            squash(tr.gettext("Module %(num)s: %(title)s") % {"num": n, "title": plain(m.title)})
            for n, m in enumerate(course.modules, start=1)
        ]
        front = [squash(tr.gettext(s)) for s in FRONT]
        assert titles == front + modules
        pages = [item.page for item in outline]
        assert pages == sorted(pages) and len(set(pages)) == len(pages)
        for item, module in zip(outline[len(FRONT) :], course.modules, strict=True):
            parts = [child.title for child in item.children]
            assert parts[:2] == [tr.gettext("Overview"), tr.gettext("Session plan")]
            assert tr.gettext("Answer key") == parts[-1]
            content = next(c for c in item.children if c.title == tr.gettext("Content"))
            sections = [c.title for c in content.children]
            assert sections == [tr.gettext("Introduction")] + [plain(s.title) for s in module.sections]


# --------------------------------------------------------------------------- what a facilitator reads


@pytest.mark.parametrize("locale", LOCALES)
def test_text_holds_headings_session_plans_notes_and_answer_keys(
    guides: dict[str, Path], source: Course, locale: str
) -> None:
    course = in_locale(REPO, source, locale)
    tr = ui(locale)
    text = pdf_text(guides[locale])
    expected = [
        plain(course.title),
        display_name(locale),
        tr.gettext("How to use this guide"),
        tr.gettext("Agenda"),
        tr.gettext("Session plan"),
        tr.gettext("Materials"),
        tr.gettext("Answer key"),
        tr.gettext("Facilitator notes").upper(),
    ]
    for module in course.modules:
        expected += [plain(module.title), plain(module.summary)]
        expected += [plain(o) for o in module.objectives]
        expected += [plain(s.title) for s in module.sections]
        for step in module.session:
            expected += [plain(step.activity), plain(step.method)] + [plain(m) for m in step.materials]
        for q in module.questions:
            expected += answer_key_texts(q, tr)
    shown, hidden = guide_only_texts(course)
    expected += shown
    missing = [e for e in expected if e and not contains(text, e)]
    assert missing == []
    assert [h for h in hidden if h in text] == []


def answer_key_texts(q: Question, tr: gettext.NullTranslations) -> list[str]:
    """Everything the answer key must show for ``q``: prompt, right answers, feedback, explanation."""
    texts = [plain(q.prompt), plain(q.explanation), plain(q.correct_feedback), plain(q.incorrect_feedback)]
    if q.type in ("single", "multiple"):
        texts += [plain(c.text) for c in q.choices] + [plain(c.feedback) for c in q.choices]
    elif q.type == "true-false":
        texts += [tr.gettext("True"), tr.gettext("False"), plain(q.feedback_true), plain(q.feedback_false)]
    elif q.type == "fill-in":
        texts += [a.source for a in q.answers]
    elif q.type == "matching":
        texts += [f"{plain(p.left)} {plain(p.right)}" for p in q.pairs]
    elif q.type == "ordering":
        texts += [plain(item) for item in q.items]
    return texts


def length(minutes: int) -> str:
    """A length as the English guide writes it: "45 min", "2 h", "1 h 40 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def test_session_plans_and_agenda_run_on_the_clock(guides: dict[str, Path], source: Course) -> None:
    text = pdf_text(guides["en"])
    slots = course_schedule(source)
    assert clock(slots[0].start) == source.start_time
    for slot in slots:
        assert f"{clock(slot.start)}–{clock(slot.end)}" in text  # agenda and module overview
        for s in slot.steps:
            assert f"{clock(s.start)} {s.step.minutes} {plain(s.step.activity)}" in text
    agenda = pdf_outline(guides["en"])[2].page
    lines = visual_lines(pdf_words(guides["en"], agenda, agenda), agenda)
    total = sum(slot.minutes for slot in slots)
    assert f"{clock(slots[0].start)}–{clock(slots[-1].end)} Total {length(total)}" in lines
    for slot in slots:
        row = f"{clock(slot.start)}–{clock(slot.end)} Module {slot.number} {length(slot.minutes)}"
        assert any(line.startswith(row) for line in lines), (row, lines)


def test_correct_choices_are_marked_on_their_own_row(guides: dict[str, Path], source: Course) -> None:
    path = guides["en"]
    outline = pdf_outline(path)
    label = ui("en").gettext("Correct")
    checked = 0
    for module, item in zip(source.modules, outline[len(FRONT) :], strict=True):
        first = item.children[-1].page  # the module's answer key, to the end of the module
        words = pdf_words(path, first, first + 4)
        marks = [w for w in words if w.text == label]
        for q in module.questions:
            if q.type not in ("single", "multiple"):
                continue
            prompt = find_phrase(words, plain(q.prompt))
            for choice in q.choices:
                start = find_phrase(words, plain(choice.text), after=prompt)
                row = [m for m in marks if m.page == start.page and abs(m.y_min - start.y_min) < 3]
                on_row = [m for m in row if m.x_max < start.x_min]
                assert len(on_row) == (1 if choice.correct else 0), (q.id, plain(choice.text))
                checked += 1
    assert checked >= 20


def find_phrase(words: list[Word], phrase: str, after: Word | None = None) -> Word:
    """The first word of the first run of ``words`` that spells ``phrase`` (after ``after``)."""
    wanted = phrase.split()
    start = words.index(after) + 1 if after else 0
    for i in range(start, len(words) - len(wanted) + 1):
        if [w.text for w in words[i : i + len(wanted)]] == wanted:
            return words[i]
    raise AssertionError(f"{phrase!r} not found")


def test_ordering_keys_list_the_items_in_the_right_order(guides: dict[str, Path], source: Course) -> None:
    text = pdf_text(guides["en"])
    label = ui("en").gettext("Correct order:")
    for q in (q for m in source.modules for q in m.questions if q.type == "ordering"):
        key = text.index(label, text.index(plain(q.prompt), text.index(ui("en").gettext("Answer key"))))
        numbered = " ".join(f"{n}. {plain(item)}" for n, item in enumerate(q.items, start=1))
        assert text[key:].startswith(f"{label} {numbered}")


@pytest.mark.parametrize("locale", LOCALES)
def test_answer_keys_give_the_attempts_of_limited_questions(
    guides: dict[str, Path], source: Course, locale: str
) -> None:
    tr = ui(locale)

    def spaced(text: str) -> str:  # pdftotext gives no-break spaces (French typography) as spaces
        return text.replace("\u00a0", " ").replace("\u202f", " ")

    lines = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(guides[locale]), "-"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    # Each key opens with its title line: "Question N  Type · Graded · 1 point · 2 attempts"
    number = re.escape(spaced(tr.gettext("Question %(num)s"))).replace("%\\(num\\)s", r"\d+")
    titles = [spaced(line) for line in lines if re.match(number + " .* · ", spaced(line))]
    questions = [q for m in source.modules for q in m.questions]
    assert len(titles) == len(questions)
    for q, line in zip(questions, titles, strict=True):
        limit = source.attempts_for(q)
        label = [spaced(tr.ngettext("%(num)s attempt", "%(num)s attempts", n) % {"num": n}) for n in range(1, 100)]
        shown = [n for n in range(1, 100) if label[n - 1] in line]
        assert shown == ([limit] if limit else []), (q.id, line)
    assert {source.attempts_for(q) for q in questions} == {2, None}  # graded: the course's 2; knowledge checks: none


def test_table_of_contents_gives_the_pages_of_the_bookmarks(guides: dict[str, Path], source: Course) -> None:
    path = guides["en"]
    tr = ui("en")
    outline = pdf_outline(path)
    toc = outline[0].page
    after = max(outline[1].page, toc + 1)  # the contents may run over several pages
    words = pdf_words(path, toc, after - 1)
    lines = iter([line for page in range(toc, after) for line in visual_lines(words, page)])
    entries = [(item.title, item.page) for item in outline[1 : len(FRONT)]]
    for item, module in zip(outline[len(FRONT) :], source.modules, strict=True):
        entries.append((plain(module.title), item.page))
        content = next(c for c in item.children if c.title == tr.gettext("Content"))
        entries += [(part.title, part.page) for part in content.children]
    labels = page_labels(path)
    for title, page in entries:  # in this order, each on its own line, with its page's label at the end
        line = next(line for line in lines if title in line)
        label = labels[page - 1]
        assert re.fullmatch(r".*?" + re.escape(title) + r"[ .]*" + re.escape(label), line), (title, label, line)


def test_pages_are_numbered_per_module_and_labelled_as_printed(guides: dict[str, Path], source: Course) -> None:
    # Front matter i, ii, iii...; each module from <number>-1: the footer, the contents and the viewer agree.
    path = guides["en"]
    labels = page_labels(path)
    outline = pdf_outline(path)
    starts = [item.page for item in outline[len(FRONT) :]]
    assert len(starts) == len(source.modules)
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    assert labels[: starts[0] - 1] == roman[: starts[0] - 1]
    ends = [*(s - 1 for s in starts[1:]), len(labels)]
    for number, (first, last) in enumerate(zip(starts, ends, strict=True), start=1):
        assert labels[first - 1 : last] == [f"{number}-{n}" for n in range(1, last - first + 2)]


def test_questions_in_the_content_name_their_answer_key_entry(guides: dict[str, Path], source: Course) -> None:
    text = pdf_text(guides["en"])
    tr = ui("en")
    key_start = 0
    for module in fill_course(source).modules:  # {{ values }} filled in, as the guide shows them
        # The content shows each question with "Answer key: question N"; the key holds "Question N" and its prompt.
        refs = []
        for number, q in enumerate(module.questions, start=1):
            prompt = plain(q.prompt)
            ref = tr.gettext("Answer key: question %(num)s") % {"num": number}
            refs.append(text.index(ref, text.index(prompt, key_start)))
        key_start = text.index(tr.gettext("Answer key"), refs[-1])
        for number, q in enumerate(module.questions, start=1):
            entry = text.index(tr.gettext("Question %(num)s") % {"num": number}, key_start)
            assert text.index(plain(q.prompt), entry) - entry < 80, q.id
            key_start = entry
        assert refs == sorted(refs)


def test_every_page_has_content_inside_the_margins(guides: dict[str, Path]) -> None:
    path = guides["en"]
    info = pdf_info(path)
    width, height = info.page_size
    texts = page_texts(path)
    assert len(texts) == info.pages
    footer = ui("en").gettext("Page %(num)s")
    labels = page_labels(path)
    for number, text in enumerate(texts, start=1):
        # Besides the running header and footer, every page holds something (no stray blank pages).
        if number > 1:
            assert footer % {"num": labels[number - 1]} in text
        body = text.split(ui("en").gettext("Facilitator guide · version %(version)s").split("%")[0])[0]
        assert len(body.split()) > 10, f"page {number} is nearly empty: {text!r}"
    for word in pdf_words(path):
        assert word.x_min > 12 * MM and word.x_max < width - 12 * MM, word
        assert word.y_min > 8 * MM and word.y_max < height - 8 * MM, word


def test_cover_and_session_plan_pages_are_drawn(guides: dict[str, Path], source: Course) -> None:
    path = guides["en"]
    session_page = pdf_outline(path)[len(FRONT)].children[1].page
    for page in (1, session_page):
        width, height, pixels = gray_pixels(path, page)
        ink = sum(1 for p in pixels if p < 160) / (width * height)
        assert 0.01 < ink < 0.3, (page, ink)


def test_the_cover_is_dated_from_source_date_epoch(guides: dict[str, Path]) -> None:
    when = dt.datetime.fromtimestamp(EPOCH, tz=dt.UTC)
    tr = ui("en")
    cover = pdf_text(guides["en"], 1, 1)
    assert f"{when.day} {tr.gettext(when.strftime('%B'))} {when.year}" in cover
    assert pdf_info(guides["en"]).fields["CreationDate"].endswith(f"{when.year} UTC")


# --------------------------------------------------------------------------- the HTML before layout


def test_internal_links_resolve_and_notes_are_set_apart(source: Course) -> None:
    ctx = RenderContext(REPO, in_locale(REPO, source, "en"))
    document = guide_document(ctx, templates(REPO, ctx.course))
    root: Any = lxml_html.document_fromstring(document.html)
    ids = set(root.xpath("//@id"))
    links: list[str] = root.xpath("//a[starts-with(@href, '#')]/@href")
    assert len(links) > 40
    assert [h for h in links if h[1:] not in ids] == []
    notes = [squash(n.text_content()) for n in root.find_class("notes")]
    only = [squash(n.text_content()) for n in root.find_class("guide-only")]
    for module in ctx.course.modules:
        for block in walk_blocks(module.all_blocks()):
            if isinstance(block, Notes):
                first = plain(next(iter(_texts(block))))
                assert any(first in n for n in notes), first
            if isinstance(block, Only) and block.targets == frozenset({"guide"}):
                first = plain(next(iter(_texts(block))))
                assert any(first in n for n in only), first
    assert root.get("lang") == "en" and root.get("dir") == "ltr"


def test_css_strings_are_escaped() -> None:
    assert css_string('a "b" \\ c\nd </style>') == '"a \\"b\\" \\\\ c\\a d \\3c /style>"'
    assert css_content("Page {num} of {total}", num="counter(page)", total="counter(pages)") == (
        '"Page " counter(page) " of " counter(pages)'
    )
    assert css_content("{num}/{total}", num="counter(page)", total="counter(pages)") == (
        'counter(page) "/" counter(pages)'
    )
    assert css_content("« {num} »", num="counter(page)") == '"« " counter(page) " »"'


# --------------------------------------------------------------------------- a small right-to-left project

AR_COURSE = """\
title: أسس إدارة معلومات الحماية
version: 2.1.0
language: ar
modules: [mabadi, bila-waqt]
publisher: برنامج التدريب
start_time: "08:30"
paper: letter
"""

AR_MODULE = """\
---
title: مبادئ إدارة معلومات الحماية
summary: المبادئ التي توجه كل نشاط.
duration: 75
objectives: [تعداد المبادئ الثمانية.]
session:
  - minutes: 10
    activity: تمهيد ونقاش
    method: نقاش عام
    materials: [بطاقات المبادئ, لوح ورقي]
  - minutes: 15
    activity: استراحة قهوة
    method: Break
  - minutes: 50
    activity: تمرين جماعي
    method: عمل جماعي
    materials: [لوح ورقي, أقلام]
---

تنطبق المبادئ على كل نظام، *مهما كان* غرضه.

## لماذا تأتي المبادئ أولا

بيانات الحماية غالبا ما تكون **حساسة** وشخصية.

::: notes
اذكر في البداية أي نسخة من المبادئ تستخدم.
:::

```question
id: harm
type: single
prompt: أي مبدأ يتطلب تقييم المخاطر؟
choices:
  - text: عدم الإضرار
    correct: true
  - text: الحياد
```
"""

UNTIMED_MODULE = """\
---
title: وحدة بلا وقت
---

نص.
"""


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """A right-to-left course on US Letter, with a break and a module without any time."""
    need_poppler()
    root = write_project(
        tmp_path_factory.mktemp("ar-project"),
        {
            "courses/dalil/course.yml": AR_COURSE,
            "modules/mabadi/module.md": AR_MODULE,
            "modules/bila-waqt/module.md": UNTIMED_MODULE,
        },
    )
    result = build(root, BuildOptions(formats=("guide",), out_dir=root / "dist"))
    return root / "dist" / "dalil" / "ar" / "dalil-2.1.0-ar-facilitator-guide.pdf", result


def _either(word: str) -> set[str]:
    return {word, word[::-1]}


def test_letter_paper_from_course_yml(arabic: tuple[Path, BuildResult]) -> None:
    width, height = pdf_info(arabic[0]).page_size
    assert (round(width), round(height)) == (612, 792)


def test_arabic_fonts_are_embedded_without_fake_italics(arabic: tuple[Path, BuildResult]) -> None:
    fonts = pdf_fonts(arabic[0])
    assert [f.name for f in fonts if not f.embedded] == []
    assert any("Naskh-Arabic" in f.name for f in fonts)
    # The module's *emphasis* must not produce a synthetic oblique Arabic face.
    assert [f.name for f in fonts if "Arabic" in f.name and ("Oblique" in f.name or "Italic" in f.name)] == []


def test_right_to_left_guides_lay_out_from_the_right(arabic: tuple[Path, BuildResult]) -> None:
    path = arabic[0]
    width, _ = pdf_info(path).page_size
    agenda = pdf_outline(path)[2]
    words = pdf_words(path, agenda.page, agenda.page)
    # Headings start at the right margin; the page counter sits on the left.
    # pdftotext gives Arabic words in visual order (reversed): accept both spellings.
    heading = max((w for w in words if w.text in _either(agenda.title.split()[0])), key=lambda w: w.y_max - w.y_min)
    assert heading.x_max > width - 25 * MM
    counter = next(w for w in words if w.text in _either(ui("ar").gettext("Page %(num)s").split()[0]))
    assert counter.x_min < width / 2
    # The document itself is marked right-to-left.
    root = path.parents[3]
    course = load_project(root, Reporter(), all_modules=False).course("dalil")
    ctx = RenderContext(root, in_locale(root, course, "ar"))
    document: Any = lxml_html.document_fromstring(guide_document(ctx, templates(root, ctx.course)).html)
    assert (document.get("lang"), document.get("dir")) == ("ar", "rtl")


def test_breaks_show_in_agenda_and_session_plan(arabic: tuple[Path, BuildResult]) -> None:
    path = arabic[0]
    tr = ui("ar")
    root = path.parents[3]
    course = load_project(root, Reporter(), all_modules=False).course("dalil")
    assert [step.is_break for step in course.modules[0].session] == [False, True, False]  # "method: Break", any case
    ctx = RenderContext(root, in_locale(root, course, "ar"))
    document: Any = lxml_html.document_fromstring(guide_document(ctx, templates(root, ctx.course)).html)
    # 08:30 start, 10 minutes of activity, then the 15-minute break.
    agenda = [squash(row.text_content()) for row in document.find_class("agenda-break")]
    minutes = tr.gettext("%(num)s min") % {"num": 15}
    assert agenda == [f"08:40–08:55 {tr.gettext('Break:')} استراحة قهوة {minutes}"]
    rows = document.xpath("//table[contains(@class, 'session-table')]//tr[@class='break']")
    session = [squash(row.text_content()) for row in rows]
    assert session == [f"08:40 15 {tr.gettext('Break:')} استراحة قهوة"]
    total = tr.gettext("Total: %(length)s, including %(breaks)s of breaks; ends at %(end)s") % {
        "length": tr.gettext("%(hours)s h %(minutes)s min") % {"hours": 1, "minutes": 15},
        "breaks": minutes,
        "end": "09:45",
    }
    # pdftotext cannot give mixed Arabic text back exactly: the sentence is checked in the HTML laid out.
    assert total in squash(document.text_content())
    text = pdf_text(path)
    assert "استراحة قهوة" in text and "08:40" in text and "08:55" in text and "09:45" in text


def test_module_without_time_warns_at_its_file(arabic: tuple[Path, BuildResult]) -> None:
    warnings = [w for w in arabic[1].warnings if w.code == "guide-no-duration"]
    assert [(w.loc.path, w.severity) for w in warnings] == [("modules/bila-waqt/module.md", "warning")]
    assert "bila-waqt" in warnings[0].message


def test_identical_input_gives_identical_bytes(arabic: tuple[Path, BuildResult], tmp_path: Path) -> None:
    root = arabic[0].parents[3]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        first = build(root, BuildOptions(formats=("guide",), out_dir=tmp_path / "a"))
        second = build(root, BuildOptions(formats=("guide",), out_dir=tmp_path / "b"))
    assert first.outputs == second.outputs
    pdf = "dalil/ar/dalil-2.1.0-ar-facilitator-guide.pdf"
    assert (tmp_path / "a" / pdf).read_bytes() == (tmp_path / "b" / pdf).read_bytes()


# --------------------------------------------------------------------------- overrides and what WeasyPrint reports

PLAIN_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="3"/></svg>\n'


def test_course_templates_override_the_stylesheet_and_problems_become_warnings(tmp_path: Path) -> None:
    need_poppler()
    root = write_project(
        tmp_path,
        {
            "courses/c1/course.yml": "title: Mini course\nversion: 1.0.0\nmodules: [m1]\n",
            "courses/c1/templates/guide/guide.css.j2": (
                '{% include "!builtin/guide/guide.css.j2" %}\n'
                '.cover-title::after { content: " (draft)"; }\n'
                ".cover-title { text-shadow: 1px 1px red; }\n"
            ),
            "modules/m1/module.md": "---\ntitle: Module one\nduration: 30\n---\n\nIntro.\n\n"
            "## Section\n\n![A circle](images/circle.svg)\n",
            "modules/m1/images/circle.svg": PLAIN_SVG,
        },
    )
    result = build(root, BuildOptions(formats=("guide",), out_dir=root / "dist"))
    assert "Mini course (draft)" in pdf_text(root / "dist" / "c1" / "en" / "c1-1.0.0-en-facilitator-guide.pdf", 1, 1)
    messages = sorted(w.message for w in result.warnings if w.code == "guide-render")
    # (An SVG referring to the internet never gets this far: the loader refuses it, see test_hostile.py.)
    assert len(messages) == 1, messages
    assert "text-shadow" in messages[0]
    assert {w.loc.path for w in result.warnings} == {"courses/c1/course.yml"}


@pytest.mark.parametrize(("locale", "first"), [("en", "A."), ("ar", "أ.")])
def test_answer_key_letters_choices_as_the_slides_do(locale: str, first: str) -> None:
    source = load_project(REPO, Reporter(), all_modules=False).course("pim-foundations")
    ctx = RenderContext(REPO, in_locale(REPO, source, locale))
    document: Any = lxml_html.document_fromstring(guide_document(ctx, templates(REPO, ctx.course)).html)
    table = document.find_class("key-choices")[0]
    letters = [squash(span.text_content()) for span in table.find_class("key-letter")]
    assert letters[0] == first and len(set(letters)) == len(letters)


def test_each_part_names_its_slides() -> None:
    source = load_project(REPO, Reporter(), all_modules=False).course("pim-foundations")
    ctx = RenderContext(REPO, in_locale(REPO, source, "fr"))
    document: Any = lxml_html.document_fromstring(guide_document(ctx, templates(REPO, ctx.course)).html)
    refs = [squash(p.text_content()) for p in document.find_class("slide-ref")]
    assert refs and all(re.fullmatch(r"Diapositives? \d+(–\d+)?(, \d+(–\d+)?)*", r) for r in refs)


def structure_pairs(pdf_path: Path) -> list[tuple[str, str]]:
    """(parent, child) structure types of the PDF's tag tree, read with pikepdf."""
    import pikepdf

    pairs: list[tuple[str, str]] = []

    def walk(node: Any, parent: str) -> None:
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return  # marked-content references and object references
        kind = str(node.S)
        pairs.append((parent, kind))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, kind)

    with pikepdf.open(pdf_path) as pdf:
        top = pdf.Root.StructTreeRoot.K
        for kid in top if isinstance(top, pikepdf.Array) else [top]:
            walk(kid, "/StructTreeRoot")
    return pairs


@pytest.mark.parametrize("locale", ["en", "fr", "es"])
def test_lists_are_tagged_as_lists(sample_build: Path, locale: str) -> None:
    # PDF/UA-1 (veraPDF rule 7.2-19): an L holds LI (and Caption) only; a dl's div-wrapped items gave Div.
    guide = next((sample_build / "pim-foundations" / locale).glob("*-facilitator-guide.pdf"))
    pairs = structure_pairs(guide)
    lists = [child for parent, child in pairs if parent == "/L"]
    assert len(lists) > 50  # objectives, checklists, facts, parts... every one of them checked
    assert set(lists) <= {"/LI", "/Caption"}
    assert ("/LI", "/LBody") in pairs


def test_workshop_materials_for_the_whole_course() -> None:
    source = load_project(REPO, Reporter(), all_modules=False).course("pim-foundations")
    ctx = RenderContext(REPO, in_locale(REPO, source, "en"))
    document: Any = lxml_html.document_fromstring(guide_document(ctx, templates(REPO, ctx.course)).html)
    rows = document.xpath("//section[@id='workshop-materials']//tbody/tr")
    table = {squash(r[1].text_content()): squash(r[3].text_content()) for r in rows}
    module_lists = [[squash(li.text_content()) for li in ul.findall("li")] for ul in document.find_class("checklist")]
    # Every module's checklist item once, and those both modules need say so.
    assert len(rows) == len(table) == len({i.casefold() for items in module_lists for i in items})
    # A material's row names every module whose checklist has it (by the module's number).
    for material in ("flip chart", "slides", "markers"):
        needing = [str(n) for n, items in enumerate(module_lists, 1) if material in {i.casefold() for i in items}]
        assert table[material] == ", ".join(needing), material
    assert table["flip chart"].startswith("1, 2")
    assert document.xpath("//nav[@class='toc front']//a[@href='#workshop-materials']")
