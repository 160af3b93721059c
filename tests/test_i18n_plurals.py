"""Plural-Forms compared by meaning: the safe C-subset evaluator and the headers real tools write."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import pytest

from pimlearn.diagnostics import Reporter
from pimlearn.i18n.locales import PLURAL_FORMS, accepted_plural_forms
from pimlearn.i18n.plurals import PluralError, parse_plural_forms, same_plural_rule
from pimlearn.i18n.update import plan_update
from pimlearn.load import load_project
from pimlearn.pipeline import BuildOptions, build, check

from .test_i18n_translate import FRENCH, po_file, set_translations

# Headers as each tool writes them (Weblate: WeblateOrg/language-data languages.csv and cldr.csv;
# msginit: GNU gettext 0.21; Babel: babel.messages.plurals.PLURALS).
WRITTEN = [
    ("fr", "Weblate", "nplurals=2; plural=n > 1;"),
    ("fr", "msginit", "nplurals=2; plural=(n > 1);"),
    ("fr", "Babel", "nplurals=2; plural=(n > 1);"),
    ("pt", "Weblate", "nplurals=2; plural=n > 1;"),
    ("pt", "msginit", "nplurals=2; plural=(n != 1);"),
    ("pt", "Babel", "nplurals=2; plural=(n != 1);"),
    ("he", "Weblate", "nplurals=4; plural=(n == 1) ? 0 : ((n == 2) ? 1 : ((n > 10 && n % 10 == 0) ? 2 : 3));"),
    ("he", "Weblate (CLDR)", "nplurals=3; plural=(n == 1) ? 0 : ((n == 2) ? 1 : 2);"),
    ("he", "msginit", "nplurals=2; plural=(n != 1);"),
    ("he", "Babel", "nplurals=2; plural=(n != 1);"),
    ("bn", "Weblate", "nplurals=2; plural=n > 1;"),
    ("bn", "Babel", "nplurals=2; plural=(n != 1);"),
    ("hi", "Weblate", "nplurals=2; plural=n > 1;"),
    ("hi", "Babel", "nplurals=2; plural=(n != 1);"),
    (
        "ar",
        "Weblate",
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
    ),
    (
        "ar",
        "Weblate (CLDR)",
        "nplurals=6; plural=(n == 0) ? 0 : ((n == 1) ? 1 : ((n == 2) ? 2 : ((n % 100 >= 3 && n % 100 <= 10) ? 3 : "
        "((n % 100 >= 11 && n % 100 <= 99) ? 4 : 5))));",
    ),
    ("es", "msginit", "nplurals=2; plural=(n != 1);"),
]

REJECTED = [
    # Babel's Arabic: "other" (n%100 in 0-2) at 4 and "many" at 5, the reverse of gettext's order.
    (
        "ar",
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=0 && n%100<=2 ? 4 : 5);",
    ),
    # CLDR-style three forms (Transifex): a "many" form for millions.
    ("fr", "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"),
    ("es", "nplurals=2; plural=(n > 1);"),
    ("fr", "nplurals=2; plural=(n != 1);"),
    ("he", "nplurals=3; plural=n==1 ? 0 : n==2 ? 2 : 1;"),
]


def accepted(locale: str, header: str) -> bool:
    return any(same_plural_rule(header, known) for known in accepted_plural_forms(locale))


@pytest.mark.parametrize(("locale", "tool", "header"), WRITTEN, ids=[f"{w[0]}-{w[1]}" for w in WRITTEN])
def test_headers_real_tools_write_are_accepted(locale: str, tool: str, header: str) -> None:
    assert accepted(locale, header)


@pytest.mark.parametrize(("locale", "header"), REJECTED, ids=[r[0] for r in REJECTED])
def test_rules_that_order_forms_differently_are_refused(locale: str, header: str) -> None:
    assert not accepted(locale, header)


@pytest.mark.parametrize("header", sorted(set(PLURAL_FORMS.values()) | {w[2] for w in WRITTEN}))
def test_the_evaluator_agrees_with_pythons_gettext(header: str) -> None:
    reference = gettext.c2py(header.split("plural=", 1)[1].rstrip().rstrip(";"))
    rule = parse_plural_forms(header)
    assert list(rule.indexes) == [reference(n) for n in range(1001)]


def test_c_semantics_precedence_and_ternary() -> None:
    # Right-associative ?:, && before ||, integer / and % truncating like C, ! on integers.
    assert parse_plural_forms("nplurals=3; plural=n==1 ? 0 : n==2 ? 1 : 2;").indexes[:4] == (2, 0, 1, 2)
    assert parse_plural_forms("nplurals=2; plural=n==0 || n>5 && n<8;").indexes[:9] == (1, 0, 0, 0, 0, 0, 1, 1, 0)
    assert parse_plural_forms("nplurals=4; plural=n/3%4;").indexes[:13] == (0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0)
    assert parse_plural_forms("nplurals=2; plural=!(n-1);").indexes[:3] == (0, 1, 0)
    assert parse_plural_forms("nplurals=1; plural=0").nplurals == 1


@pytest.mark.parametrize(
    ("header", "why"),
    [
        ("nplurals=2; plural=__import__('os').system('true');", "unexpected"),
        ("nplurals=2; plural=n.bit_length();", "unexpected"),
        ("nplurals=2; plural=(n > 1;", "expected )"),
        ("nplurals=2; plural=n + ;", "expected a number"),
        ("nplurals=2; plural=n;", "gives form 2 for n=2"),
        ("nplurals=2; plural=1/(n-3) > 0;", "divides by zero"),
        ("plural=(n != 1);", "nplurals=N"),
        ("nplurals=INTEGER; plural=EXPRESSION;", "nplurals=N"),
    ],
)
def test_invalid_rules_are_errors_never_evaluated(header: str, why: str) -> None:
    with pytest.raises(PluralError, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse_plural_forms(header)


def test_a_catalog_saved_by_weblate_checks_and_builds(tmp_path: Path) -> None:
    root = tmp_path / "project"
    files = {
        "courses/safety-course/course.yml": "title: Safety\nversion: 1.0.0\nlocales: [en, fr]\nmodules: [safety]\n",
        "modules/safety/module.md": "---\ntitle: Site safety\n---\n\n## Rules\n\nReport **every** hazard.\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    plan_update(root, load_project(root, Reporter()), epoch=0).apply()
    set_translations(root, FRENCH)
    path = po_file(root)
    text = path.read_text(encoding="utf-8").replace("plural=(n > 1);", "plural=n > 1;")
    path.write_text(text.replace('"Last-Translator: \\n"', '"Last-Translator: Anne <anne@example.org>\\n"'))
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)]).returncode == 0
    assert [d for d in check(root) if d.code == "catalog-plural-forms"] == []
    build(root, BuildOptions(locales=("fr",), formats=("web",), out_dir=tmp_path / "dist"))
    page = next((tmp_path / "dist").rglob("fr/web/*/index.html")).read_text(encoding="utf-8")
    assert "Règles" in page
