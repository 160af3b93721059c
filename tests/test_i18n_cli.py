"""The translator's full cycle through the command line, and ``i18n stats`` as a CI gate."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from pimlearn.cli import main

COURSE = "title: Safety course\nversion: 1.0.0\nlocales: [en, fr]\nmodules: [safety]\n"
MODULE = """---
title: Site safety
---

Report every hazard to your supervisor.

## Exits

Keep the exits free.

```question
id: q-door
type: true-false
prompt: Fire doors may be locked at night.
answer: false
```
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "courses/safety-course").mkdir(parents=True)
    (root / "courses/safety-course/course.yml").write_text(COURSE, encoding="utf-8")
    (root / "modules/safety").mkdir(parents=True)
    (root / "modules/safety/module.md").write_text(MODULE, encoding="utf-8")
    return root


def translate(po_path: Path, table: dict[str, str]) -> None:
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()


def test_the_translators_full_cycle(project: Path) -> None:
    root = str(project)
    code, out = run("i18n", "update", "--project", root)
    assert code == 0, out
    assert "created   locales/fr/LC_MESSAGES/module-safety.po" in out
    po_path = project / "locales/fr/LC_MESSAGES/module-safety.po"
    translate(
        po_path,
        {
            "Site safety": "Sécurité du site",
            "Report every hazard to your supervisor.": "Signalez chaque danger à votre responsable.",
            "Exits": "Sorties",
            "Keep the exits free.": "Gardez les sorties dégagées.",
            "Fire doors may be locked at night.": "Les portes coupe-feu peuvent être verrouillées la nuit.",
        },
    )
    # The author rewords a sentence: the translation is kept, marked fuzzy, and falls back in builds.
    module = project / "modules/safety/module.md"
    module.write_text(module.read_text(encoding="utf-8").replace("exits free.", "exits free at all times."))
    code, out = run("i18n", "update", "--project", root)
    assert code == 0 and "updated   locales/fr/LC_MESSAGES/module-safety.po (1 fuzzy)" in out, out
    fuzzy = [e for e in polib.pofile(str(po_path)) if e.fuzzy]
    assert [(e.msgid, e.previous_msgid, e.msgstr) for e in fuzzy] == [
        ("Keep the exits free at all times.", "Keep the exits free.", "Gardez les sorties dégagées.")
    ]
    code, out = run("i18n", "update", "--project", root)
    assert code == 0 and "0 created, 0 updated" in out
    # The translator reviews it, and the French build shows French.
    translate(po_path, {"Keep the exits free at all times.": "Gardez toujours les sorties dégagées."})
    code, out = run("build", "-l", "fr", "-f", "web", "--strict", "--project", root)
    assert code == 0, out
    page = (project / "dist/safety-course/fr/web/safety/exits.html").read_text(encoding="utf-8")
    assert "Gardez toujours les sorties dégagées." in page
    assert "Sorties" in page and 'lang="en"' not in page.replace('hreflang="en" lang="en"', "")
    assert "Vrai" in page  # pimlearn's own French UI strings


def test_stats_report_and_gate(project: Path) -> None:
    root = str(project)
    assert run("i18n", "update", "--project", root)[0] == 0
    po_path = project / "locales/fr/LC_MESSAGES/module-safety.po"
    translate(po_path, {"Site safety": "Sécurité du site", "Exits": "Sorties"})
    translate(project / "locales/fr/LC_MESSAGES/course-safety-course.po", {"Safety course": "Cours de sécurité"})
    code, out = run("i18n", "stats", "--project", root)
    assert code == 0
    line = next(row for row in out.splitlines() if row.startswith("module-safety"))
    assert line.split()[:6] == ["module-safety", "fr", "2", "0", "3", "0"]

    code, out = run("i18n", "stats", "-l", "es", "--project", root)
    assert code == 0 and "module-safety" in out and " fr " not in out

    code, out = run("i18n", "stats", "--json", "--project", root)
    rows = {(r["domain"], r["locale"]): r for r in json.loads(out)["catalogs"]}
    module = rows[("module-safety", "fr")]
    assert module["words"] == 2 + 1 + 6 + 4 + 7  # title, heading, paragraphs, question
    assert module["words_translated"] == 3
    assert module["questions"] == {
        "translated": 0,
        "fuzzy": 0,
        "untranslated": 1,
        "words": 7,
        "words_translated": 0,
        "total": 1,
        "percent_entries": 0.0,
        "percent_words": 0.0,
    }

    code, out = run("i18n", "stats", "--min", "15", "--project", root)
    assert code == 0, out
    code, out = run("i18n", "stats", "--min", "50", "--project", root)
    assert code == 1
    assert "locales/fr/LC_MESSAGES/module-safety.po: fr has 15.0 % of its words translated, below --min 50" in out


def test_extract_writes_only_templates(project: Path) -> None:
    code, out = run("i18n", "extract", "--project", str(project))
    assert code == 0, out
    assert (project / "locales/templates/module-safety.pot").is_file()
    assert not (project / "locales/fr").exists()
    code, out = run("i18n", "extract", "--project", str(project))
    assert "0 created, 0 updated" in out


def test_a_renamed_module_leaves_its_catalog_alone(project: Path) -> None:
    root = str(project)
    assert run("i18n", "update", "--project", root)[0] == 0
    (project / "modules/safety").rename(project / "modules/site-safety")
    course = project / "courses/safety-course/course.yml"
    course.write_text(course.read_text().replace("[safety]", "[site-safety]"))
    old = project / "locales/fr/LC_MESSAGES/module-safety.po"
    before = old.read_bytes()
    code, out = run("i18n", "update", "--project", root)
    assert code == 0
    assert "no module or course has the domain 'module-safety'" in out and "[catalog-orphan]" in out
    assert old.read_bytes() == before
