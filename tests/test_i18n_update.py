"""``i18n update`` never loses a translator's work: scripted edits, guards, and a property-based test."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pimlearn.diagnostics import Reporter
from pimlearn.i18n import tools
from pimlearn.i18n.locales import PLURAL_FORMS
from pimlearn.i18n.update import UpdatePlan, keep_dropped, lost_translations, plan_update
from pimlearn.load import load_project

COURSE = (
    "title: Safety course\nversion: 1.0.0\nlocales: [en, fr]\nmodules: [safety]\n"
    "report_bugs_to: https://example.org/safety/issues\n"
)

PARAGRAPHS = [
    "Report every hazard to your supervisor before the end of the shift.",
    "The cat sat on the mat today and watched the rain.",
    "Delete me later please, this sentence is only here for a while.",
    "Keep the emergency exits free of boxes and equipment at all times.",
]


def module_source(paragraphs: list[str], question_id: str = "q-door") -> str:
    body = "\n\n".join(paragraphs)
    return f"""---
title: Site safety
---

Welcome to the safety module.

## Rules

{body}

```question
id: {question_id}
type: single
prompt: What do you do with the door when the alarm rings?
choices:
  - text: Open
    correct: true
    feedback: Yes, open it and leave.
  - text: Close
```
"""


def write(root: Path, paragraphs: list[str], question_id: str = "q-door") -> None:
    (root / "courses" / "safety-course").mkdir(parents=True, exist_ok=True)
    (root / "courses" / "safety-course" / "course.yml").write_text(COURSE, encoding="utf-8")
    (root / "modules" / "safety").mkdir(parents=True, exist_ok=True)
    (root / "modules" / "safety" / "module.md").write_text(module_source(paragraphs, question_id), encoding="utf-8")


def prepare(root: Path, locales: tuple[str, ...] = (), force: bool = False) -> UpdatePlan:
    reporter = Reporter()
    project = load_project(root, reporter)
    assert not reporter.errors, reporter.diagnostics
    return plan_update(root, project, locales, force=force, epoch=1_700_000_000)


def update(root: Path, locales: tuple[str, ...] = (), force: bool = False) -> UpdatePlan:
    plan = prepare(root, locales, force)
    assert not plan.failed, [str(d) for d in plan.diagnostics]
    plan.apply()
    return plan


def catalog(root: Path, locale: str = "fr") -> Path:
    return root / "locales" / locale / "LC_MESSAGES" / "module-safety.po"


def pot(root: Path) -> Path:
    return root / "locales" / "templates" / "module-safety.pot"


def translate_empty(path: Path, make: Callable[[polib.POEntry], str]) -> list[str]:
    """A translator fills every empty entry (fuzzy ones are left for review); returns what was written."""
    po = polib.pofile(str(path), wrapwidth=0)
    written = []
    for entry in po:
        if not entry.obsolete and not entry.msgstr and not entry.msgid_plural:
            entry.msgstr = make(entry)
            written.append(entry.msgstr)
    po.save()
    return written


def every_msgstr(path: Path) -> set[str]:
    return {e.msgstr for e in polib.pofile(str(path), wrapwidth=0) if e.msgstr}


def entry(path: Path, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    po = polib.pofile(str(path), wrapwidth=0)
    found = [e for e in po if e.msgid == msgid and e.msgctxt == msgctxt]
    assert len(found) == 1, f"{msgid!r} {msgctxt!r} not found once"
    return found[0]


def msgmerge_directly(old: Path, template: Path) -> str:
    result = subprocess.run(
        ["msgmerge", "--quiet", "--previous", "--no-wrap", "-o", "-", str(old), str(template)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture
def translated(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write(root, PARAGRAPHS)
    update(root)
    translate_empty(catalog(root), lambda e: f"FR {e.msgid}")
    return root


# --------------------------------------------------------------------------- creation


@pytest.mark.parametrize("locale", ["fr", "es", "ar"])
def test_new_catalogs_get_the_projects_headers(tmp_path: Path, locale: str) -> None:
    root = tmp_path / "project"
    write(root, PARAGRAPHS)
    update(root, (locale,))
    po = polib.pofile(str(catalog(root, locale)), wrapwidth=0)
    assert po.metadata["Language"] == locale
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[locale]
    assert po.metadata["Project-Id-Version"] == "safety-course 1.0.0"
    assert po.metadata["Report-Msgid-Bugs-To"] == "https://example.org/safety/issues"
    assert po.metadata["Language-Team"] == ""  # the team fills it in, not pimlearn
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["POT-Creation-Date"] == polib.pofile(str(pot(root))).metadata["POT-Creation-Date"]
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalog(root, locale))]).returncode == 0


def test_report_bugs_to_must_be_an_address(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root, PARAGRAPHS)
    course = root / "courses" / "safety-course" / "course.yml"
    course.write_text(COURSE.replace("https://example.org/safety/issues", "the safety team"), encoding="utf-8")
    reporter = Reporter()
    load_project(root, reporter)
    assert [(d.code, d.loc.line) for d in reporter.errors] == [("invalid-value", 5)]


def test_a_second_run_changes_nothing(translated: Path) -> None:
    before = {p: p.read_bytes() for p in (translated / "locales").rglob("*.po*")}
    plan = update(translated)
    assert {c.action for c in plan.changes} == {"unchanged"}
    assert {p: p.read_bytes() for p in before} == before


def test_the_template_is_rewritten_only_when_messages_change(translated: Path) -> None:
    first = pot(translated).read_bytes()
    # Re-wrapping a paragraph changes no msgid: soft breaks are folded.
    wrapped = [PARAGRAPHS[0].replace(" to your", "\nto your"), *PARAGRAPHS[1:]]
    write(translated, wrapped)
    update(translated)
    assert pot(translated).read_bytes() == first
    write(translated, [*PARAGRAPHS, "A brand new paragraph about ladders."])
    update(translated)
    assert b"A brand new paragraph about ladders." in pot(translated).read_bytes()


# --------------------------------------------------------------------------- scripted edit sequences


def step(root: Path, paragraphs: list[str], question_id: str = "q-door") -> None:
    """One author edit and update, checked against running msgmerge directly on the same files."""
    old = root / "old.po"
    shutil.copy(catalog(root), old)
    write(root, paragraphs, question_id)
    update(root)
    assert catalog(root).read_text(encoding="utf-8") == msgmerge_directly(old, pot(root))
    assert not lost_translations(polib.pofile(str(old)), polib.pofile(str(catalog(root))))


def test_reword_keeps_the_translation_as_fuzzy_with_the_previous_text(translated: Path) -> None:
    reworded = PARAGRAPHS[1].replace("today", "yesterday")
    step(translated, [PARAGRAPHS[0], reworded, *PARAGRAPHS[2:]])
    found = entry(catalog(translated), reworded)
    assert found.fuzzy
    assert found.previous_msgid == PARAGRAPHS[1]
    assert found.msgstr == f"FR {PARAGRAPHS[1]}"


def test_delete_keeps_the_translation_as_obsolete(translated: Path) -> None:
    step(translated, [p for p in PARAGRAPHS if not p.startswith("Delete")])
    obsolete = {e.msgid: e.msgstr for e in polib.pofile(str(catalog(translated))).obsolete_entries()}
    assert obsolete[PARAGRAPHS[2]] == f"FR {PARAGRAPHS[2]}"


def test_reorder_changes_no_translation_state(translated: Path) -> None:
    step(translated, list(reversed(PARAGRAPHS)))
    po = polib.pofile(str(catalog(translated)))
    assert not po.fuzzy_entries() and not po.obsolete_entries() and po.percent_translated() == 100


def test_renamed_question_id_offers_the_old_translation_as_fuzzy(translated: Path) -> None:
    step(translated, PARAGRAPHS, "q-gate")
    found = entry(catalog(translated), "Open", "quiz:q-gate")
    assert found.fuzzy and found.previous_msgctxt == "quiz:q-door" and found.msgstr == "FR Open"


def test_restored_block_is_revived_translated(translated: Path) -> None:
    without = [p for p in PARAGRAPHS if not p.startswith("Delete")]
    step(translated, without)
    step(translated, PARAGRAPHS)
    revived = entry(catalog(translated), PARAGRAPHS[2])
    assert not revived.fuzzy and revived.msgstr == f"FR {PARAGRAPHS[2]}"
    assert not polib.pofile(str(catalog(translated))).obsolete_entries()


def test_reword_delete_restore_reword_keeps_the_translation(translated: Path) -> None:
    # The sequence from the bug report: the editor that saves the catalog (polib here, like many
    # tools) drops the `#~|` line of the obsolete entry, so the revived entry is fuzzy without `#|`.
    from pimlearn.pipeline import check

    cat = PARAGRAPHS[1]
    reworded = cat.replace("today", "yesterday")
    step(translated, [PARAGRAPHS[0], reworded, *PARAGRAPHS[2:]])
    step(translated, [PARAGRAPHS[0], *PARAGRAPHS[2:]])
    polib.pofile(str(catalog(translated)), wrapwidth=0).save()  # a translator saves the catalog
    step(translated, [PARAGRAPHS[0], *PARAGRAPHS[2:], reworded])
    assert entry(catalog(translated), reworded).previous_msgid is None
    again = reworded.replace("rain", "snow")
    step(translated, [PARAGRAPHS[0], *PARAGRAPHS[2:], again])
    found = entry(catalog(translated), again)
    assert found.fuzzy and found.msgstr == f"FR {cat}"
    assert [d for d in check(translated) if d.code in ("catalog-outdated", "update-lost")] == []


# --------------------------------------------------------------------------- guards


def test_mass_obsoletion_is_refused_unless_forced(translated: Path) -> None:
    before = catalog(translated).read_bytes()
    write(translated, [])  # most of the module gone at once: an id rename or an accident
    plan = prepare(translated)
    assert plan.failed
    assert [d.code for d in plan.diagnostics if d.severity == "error"] == ["update-obsolete"]
    assert str(plan.diagnostics[0].loc).startswith("locales/fr/LC_MESSAGES/module-safety.po")
    with pytest.raises(RuntimeError):
        plan.apply()
    assert catalog(translated).read_bytes() == before
    update(translated, force=True)
    obsolete = {e.msgid for e in polib.pofile(str(catalog(translated))).obsolete_entries()}
    assert set(PARAGRAPHS) <= obsolete


def test_a_merge_that_loses_translations_is_refused(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tools.msgmerge

    def purging(old: Path, template: Path, out: Path) -> None:
        real(old, template, out)
        subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", "-o", str(out), str(out)], check=True)

    monkeypatch.setattr(tools, "msgmerge", purging)
    before = catalog(translated).read_bytes()
    write(translated, [p for p in PARAGRAPHS if not p.startswith("Delete")])
    plan = prepare(translated)
    assert [d.code for d in plan.diagnostics if d.severity == "error"] == ["update-lost"]
    assert "1 translation would be lost" in plan.diagnostics[0].message
    assert catalog(translated).read_bytes() == before


def test_the_refusal_says_how_to_go_on(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tools.msgmerge

    def purging(old: Path, template: Path, out: Path) -> None:
        real(old, template, out)
        subprocess.run(["msgattrib", "--no-obsolete", "--no-wrap", "-o", str(out), str(out)], check=True)

    monkeypatch.setattr(tools, "msgmerge", purging)
    write(translated, [p for p in PARAGRAPHS if not p.startswith("Delete")])
    message = prepare(translated, force=True).diagnostics[0].message  # --force never accepts a loss
    assert "msgmerge --previous --no-wrap -U locales/fr/LC_MESSAGES/module-safety.po" in message
    assert "run the update again" in message


PLURAL_PO = """msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

# a translator's note
msgid "%(n)s question"
msgid_plural "%(n)s questions"
msgstr[0] "%(n)s question FR"
msgstr[1] "%(n)s questions \\"FR\\""
"""


def test_a_plural_form_msgmerge_drops_is_kept_in_a_comment(tmp_path: Path) -> None:
    old, template, merged = tmp_path / "old.po", tmp_path / "ui.pot", tmp_path / "merged.po"
    old.write_text(PLURAL_PO, encoding="utf-8")
    template.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "%(n)s question"\nmsgstr ""\n',
        encoding="utf-8",
    )
    tools.msgmerge(old, template, merged)
    before = polib.pofile(str(old))
    assert lost_translations(before, polib.pofile(str(merged)))  # msgmerge alone drops msgstr[1]
    text = keep_dropped(before, merged.read_text(encoding="utf-8"))
    merged.write_text(text, encoding="utf-8")
    assert not lost_translations(before, polib.pofile(text))
    assert '# earlier translation, kept by pimlearn: "%(n)s questions \\"FR\\""' in text.splitlines()
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(merged)]).returncode == 0
    assert msgmerge_directly(merged, template) == text  # stable: the next update changes nothing


def test_a_merge_result_that_fails_msgfmt_is_refused(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tools.msgmerge

    def broken(old: Path, template: Path, out: Path) -> None:
        real(old, template, out)
        out.write_text(out.read_text(encoding="utf-8") + '\nmsgid "unterminated\nmsgstr ""\n', encoding="utf-8")

    monkeypatch.setattr(tools, "msgmerge", broken)
    write(translated, [*PARAGRAPHS, "One more paragraph."])
    plan = prepare(translated)
    assert plan.failed and "catalog-syntax" in {d.code for d in plan.diagnostics}


def test_content_errors_stop_the_update(translated: Path) -> None:
    from click.testing import CliRunner

    from pimlearn.cli import main

    module = translated / "modules" / "safety" / "module.md"
    module.write_text(module.read_text(encoding="utf-8").replace("type: single", "type: singel"), encoding="utf-8")
    before = catalog(translated).read_bytes()
    result = CliRunner().invoke(main, ["i18n", "update", "--project", str(translated)])
    assert result.exit_code == 1
    assert "question-type" in result.output
    assert catalog(translated).read_bytes() == before


# --------------------------------------------------------------------------- property: nothing is ever lost

EDITS = st.lists(
    st.tuples(st.sampled_from(["reword", "delete", "insert", "reorder", "rename", "restore"]), st.integers(0, 9)),
    min_size=1,
    max_size=6,
)


@pytest.mark.fuzz
@given(edits=EDITS)
# Found by a random run: a revived fuzzy entry without `#|` (an editor dropped the `#~|` line)
# is reworded again; msgmerge carries its translation without previous text.
@example(edits=[("reword", 0), ("delete", 0), ("restore", 0), ("reword", 3)])
def test_no_msgstr_ever_written_is_lost(tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int]]) -> None:
    root = tmp_path_factory.mktemp("prop") / "project"
    paragraphs = list(PARAGRAPHS)
    deleted: list[str] = []
    question_id = "q-door"
    write(root, paragraphs, question_id)
    update(root)
    counter = iter(range(10_000))
    written = set(translate_empty(catalog(root), lambda e: f"T{next(counter)}"))
    for number, (kind, n) in enumerate(edits):
        if kind == "reword" and paragraphs:
            i = n % len(paragraphs)
            paragraphs[i] = paragraphs[i].rstrip(".") + f" again {number}."
        elif kind == "delete" and paragraphs:
            deleted.append(paragraphs.pop(n % len(paragraphs)))
        elif kind == "insert":
            paragraphs.insert(n % (len(paragraphs) + 1), f"New guidance number {number} about safe ladders.")
        elif kind == "reorder":
            paragraphs.reverse()
        elif kind == "rename":
            question_id = "q-gate" if question_id == "q-door" else "q-door"
        elif kind == "restore" and deleted:
            paragraphs.append(deleted.pop())
        old = root / "old.po"
        shutil.copy(catalog(root), old)
        write(root, paragraphs, question_id)
        update(root, force=True)  # the mass-obsoletion guard is about mistakes, not about loss
        assert catalog(root).read_text(encoding="utf-8") == msgmerge_directly(old, pot(root))
        assert written <= every_msgstr(catalog(root))
        written |= set(translate_empty(catalog(root), lambda e: f"T{next(counter)}"))
    assert written <= every_msgstr(catalog(root))
