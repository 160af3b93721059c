"""Extraction: one message per block, contexts, comments, references, and the ``ui`` domain."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.extract import module_template
from pimlearn.i18n.ui import _python_strings, builtin_template, project_template
from pimlearn.i18n.update import plan_update
from pimlearn.load import load_project

MODULE = """---
title: Site safety
summary: What to do *before* work starts.
session:
  - minutes: 10
    activity: Welcome
    method: plenary
    materials: [slides]
---

Report every hazard
to your supervisor.

Report every hazard
  to your supervisor.

- First item
- Second item

| Where | What |
|-------|------|
| Exit  | Keep free |

![A hard hat](images/hat.svg "Hard hats are mandatory")

::: tip Before you start
Check the route.
:::

<!-- i18n-context: verb -->
Open

```question
id: q-door
type: single
prompt: What do you do with the door?
choices:
  - text: Open
    correct: true
    feedback: Yes.
  - text: Close
```

```question
id: q-order
type: ordering
prompt: Put the steps in order.
items: [Stop, Look, Go]
```

```question
id: q-pair
type: matching
prompt: Match them.
pairs:
  - [Red, Stop]
  - [Green, Go]
```

```question
id: q-word
type: fill-in
prompt: How many exits?
answers: ["2", two]
```
"""


@pytest.fixture
def pot(tmp_path: Path) -> polib.POFile:
    root = tmp_path / "project"
    (root / "modules/safety/images").mkdir(parents=True)
    (root / "modules/safety/images/hat.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "modules/safety/module.md").write_text(MODULE, encoding="utf-8")
    reporter = Reporter()
    project = load_project(root, reporter)
    assert not reporter.errors, [str(d) for d in reporter.diagnostics]
    plan_update(root, project, epoch=0, catalogs=False).apply()
    return polib.pofile(str(root / "locales/templates/module-safety.pot"))


def find(pot: polib.POFile, msgid: str, msgctxt: str | None = None) -> polib.POEntry:
    found = [e for e in pot if e.msgid == msgid and e.msgctxt == msgctxt]
    assert len(found) == 1, (msgid, msgctxt, [(e.msgctxt, e.msgid) for e in pot if e.msgid == msgid])
    return found[0]


def test_one_message_per_block_with_soft_breaks_folded(pot: polib.POFile) -> None:
    paragraph = find(pot, "Report every hazard to your supervisor.")
    assert paragraph.comment == "paragraph"  # the same block written twice is one message
    assert find(pot, "First item").comment == "list item"
    assert find(pot, "Keep free").comment == "table cell, column 'What'"
    assert find(pot, "What to do *before* work starts.").comment == "module summary (front matter)"


def test_references_name_the_file_without_line_numbers(pot: polib.POFile) -> None:
    assert {tuple(e.occurrences) for e in pot} == {(("modules/safety/module.md", ""),)}


def test_figures_callouts_and_session_plans_are_extracted(pot: polib.POFile) -> None:
    assert "alt text" in find(pot, "A hard hat").comment
    assert "caption" in find(pot, "Hard hats are mandatory").comment
    assert find(pot, "Before you start").comment == "tip box: title"
    assert find(pot, "Check the route.").comment == "tip box: paragraph"
    assert "session plan, step 1: activity" in find(pot, "Welcome").comment


def test_quiz_contexts_and_comments(pot: polib.POFile) -> None:
    open_choice = find(pot, "Open", "quiz:q-door")
    assert open_choice.comment == (
        "quiz q-door: answer choice 'a' (a correct answer) for the question: What do you do with the door?"
    )
    assert find(pot, "What do you do with the door?").msgctxt is None
    assert "feedback for answer choice 'a' (Open)" in find(pot, "Yes.").comment
    assert find(pot, "Look", "quiz:q-order").comment.startswith("quiz q-order: ordering item 2 of 3")
    assert "matches 'Stop'" in find(pot, "Red", "quiz:q-pair").comment
    # A fill-in question's accepted answers are one message, one answer per line.
    answers = find(pot, "2\ntwo", "quiz:q-word")
    assert "one per line" in answers.comment


def test_author_context_escape_hatch(pot: polib.POFile) -> None:
    assert find(pot, "Open", "verb").comment == "paragraph"


def test_no_empty_or_code_messages(pot: polib.POFile) -> None:
    assert all(e.msgid.strip() for e in pot)
    assert not [e for e in pot if "id:" in e.msgid or "correct" in e.msgid]


def test_module_template_order_follows_the_document(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "modules/m").mkdir(parents=True)
    (root / "modules/m/module.md").write_text("---\ntitle: T\n---\n\nB.\n\n## S\n\nC.\n", encoding="utf-8")
    project = load_project(root, Reporter())
    assert [m.id for m in module_template(project.modules[0]).messages] == ["T", "B.", "S", "C."]


# --------------------------------------------------------------------------- ui


def test_builtin_ui_strings_come_from_templates_and_python() -> None:
    messages = {m.id: m for m in builtin_template().messages}
    assert "pimlearn/templates/web/page.html.j2" in messages["Next"].references
    assert messages["%(num)s module"].plural == "%(num)s modules"
    assert messages["%(num)s module"].flags == ("python-format",)
    assert messages["Tip"].references == ("pimlearn/render/html.py",)  # N_() in a table
    assert "pimlearn/render/questions.py" in messages["True"].references
    assert "pimlearn/formats/web.py" in messages["Introduction"].references  # tpl.gettext("...")


def test_new_python_calls_are_found_without_registration(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "fmt.py").write_text(
        "from pimlearn.i18n import N_\n"
        "LABELS = {'x': N_('Marked label')}\n"
        "def render(tpl, options, name):\n"
        "    # Translators: the button that ends the deck\n"
        "    a = tpl.gettext('End of the deck')\n"
        "    b = options.gettext(name)  # not a literal: translated where the literal is marked\n"
        "    return a, b\n",
        encoding="utf-8",
    )
    found = {m.id: m for m in _python_strings(package, tmp_path).messages}
    assert set(found) == {"Marked label", "End of the deck"}
    assert found["End of the deck"].comments == ("the button that ends the deck",)
    assert found["End of the deck"].references == ("pkg/fmt.py",)


def test_every_builtin_ui_string_says_where_it_appears() -> None:
    from pimlearn.i18n.ui import builtin_template

    messages = builtin_template().messages
    assert all(m.comments for m in messages), [m.id for m in messages if not m.comments]
    where = {m.key: " / ".join(m.comments) for m in messages}
    assert "HTML slide deck: button" in where[(None, "Print slides")]
    assert "screen reader label" in where[(None, "Slide controls")]
    assert "facilitator guide (PDF): section heading" in where[(None, "Session plan")]
    assert "name of a keyboard key" in where[("keyboard key", "Home")]
    # One English word, two uses: two contexts.
    assert {("result page", "Summary"), ("slide title", "Summary")} <= set(where)


def test_project_templates_add_their_strings(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "templates/web").mkdir(parents=True)
    (root / "templates/web/extra.html.j2").write_text(
        "{# Translators: shown under the course title #}\n<p>{{ _('Offline edition') }}</p>\n", encoding="utf-8"
    )
    (root / "templates/web/broken.html.j2").write_text("{{ _('x') ", encoding="utf-8")
    reporter = Reporter()
    messages = {m.id: m for m in project_template(root, reporter).messages}
    # The author's note, then where the string appears (found from the template).
    assert messages["Offline edition"].comments == ("shown under the course title", "web version: text")
    assert messages["Offline edition"].references == ("templates/web/extra.html.j2",)
    assert [d.code for d in reporter.diagnostics] == ["template-syntax"]
    assert reporter.diagnostics[0].loc.path == "templates/web/broken.html.j2"
