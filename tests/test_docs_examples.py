"""The README and the guides show real things: commands and options the CLI has, codes it reports, files that exist.

Every command a reader copies from a shell block (```` ```sh ````, or a ``$ pimlearn …`` line of an
output example) must parse with the real click commands; every ``pimlearn …`` in inline code must name
a real command and real options; every diagnostic code shown (``[code]`` at the end of a message,
``(`code`)`` in prose, a "code" column) must be listed in docs/diagnostics.md; every relative link
must lead to a file (and heading); and the README's build summary must list exactly the formats a
default build makes. No build runs: this stays fast.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from pimlearn.cli import main
from pimlearn.console import summary
from pimlearn.formats import default_formats, formats
from tests.conftest import REPO

GUIDES = ("docs/authoring.md", "docs/translating.md", "docs/facilitators.md", "docs/lms.md")
"""The guides for every role, linked from the README."""
CHECKED = ("README.md", *GUIDES, "docs/question-banks.md", "docs/i18n.md", "docs/slides.md", "docs/guide.md")
"""Documents whose commands and codes are checked."""
LINKED = ("README.md", "CHANGELOG.md", *sorted(str(p.relative_to(REPO)) for p in (REPO / "docs").glob("*.md")))
"""Documents whose relative links are checked."""

SHELL_INFOS = {"sh", "bash", "shell", "console"}
FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")


@dataclass(frozen=True)
class Block:
    """A fenced code block: its info string, first line number (1-based) and lines."""

    info: str
    line: int
    lines: tuple[str, ...]


def read(doc: str) -> str:
    """The text of a document of the repository."""
    return (REPO / doc).read_text(encoding="utf-8")


def split_blocks(text: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced blocks of a Markdown text, and its other lines (numbered)."""
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opened = FENCE.match(lines[i].strip())
        if not opened:
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        fence, start, body = opened["fence"], i + 1, []
        i += 1
        # A block closes at a line of the same fence character, at least as long (CommonMark).
        closing = re.compile(re.escape(fence[0]) + "{" + str(len(fence)) + ",}")
        while i < len(lines) and not closing.fullmatch(lines[i].strip()):
            body.append(lines[i])
            i += 1
        blocks.append(Block(opened["info"].strip().split(" ")[0], start, tuple(body)))
        i += 1
    return blocks, prose


def shown_commands(doc: str) -> list[tuple[int, str]]:
    """Every command line a reader could copy: lines of shell blocks and ``$ `` lines of output examples."""
    found = []
    blocks, _ = split_blocks(read(doc))
    for block in blocks:
        for offset, line in enumerate(block.lines, start=block.line + 1):
            stripped = line.strip()
            if stripped.startswith("$ "):
                found.append((offset, stripped[2:]))
            elif block.info in SHELL_INFOS and stripped and not stripped.startswith("#"):
                found.append((offset, stripped))
    return found


def inline_commands(doc: str) -> list[tuple[int, str]]:
    """Every ``pimlearn …`` written as inline code in the prose (synopses included)."""
    _, prose = split_blocks(read(doc))
    found = []
    for number, line in prose:
        for span in re.findall(r"(?<!`)`([^`]+)`(?!`)", line):
            for part in span.split(" | "):
                if part.startswith(("pimlearn ", ".venv/bin/pimlearn ")):
                    found.append((number, part))
    return found


def words(command: str) -> list[str]:
    """A command line as the shell would split it, without a trailing comment."""
    return shlex.split(command, comments=True)


def cli_args(argv: list[str]) -> list[str] | None:
    """The arguments given to pimlearn by a command line, or None when it runs something else."""
    if argv and argv[0] in ("pimlearn", ".venv/bin/pimlearn"):
        return argv[1:]
    if argv[:2] == ["python", "build.py"] or argv[:3] == ["python", "-m", "pimlearn"]:
        return argv[2:] if argv[1] == "build.py" else argv[3:]
    return None


def leaf_command(args: list[str]) -> tuple[click.Command, list[str], str]:
    """The (sub)command ``args`` run, the arguments left for it and its full name; fails on an unknown one."""
    command: click.Command = main
    name = "pimlearn"
    while isinstance(command, click.Group) and args and not args[0].startswith("-"):
        sub = command.commands.get(args[0])
        assert sub is not None, f"'{name} {args[0]}' is not a command (commands: {', '.join(command.commands)})"
        command, name, args = sub, f"{name} {args[0]}", args[1:]
    return command, args, name


def check_options(command: click.Command, name: str, args: list[str]) -> None:
    """Every option in ``args`` is one of ``command``'s, and a choice value is one of its choices."""
    options = {opt: param for param in command.get_params(click.Context(command)) for opt in param.opts}
    options.update({opt: param for param in command.get_params(click.Context(command)) for opt in param.secondary_opts})
    pending: click.Parameter | None = None
    for raw in args:
        token = raw.strip("[]").rstrip(".…")
        if pending is not None:
            is_metavar = token.isupper() or not token
            if isinstance(pending.type, click.Choice) and not is_metavar:
                assert token in pending.type.choices, f"{name} {pending.opts[-1]}: '{token}' is not one of its choices"
            pending = None
            continue
        if not token.startswith("-") or token == "-":
            continue
        option, _, value = token.partition("=")
        assert option in options, f"'{name}' has no option '{option}' (options: {', '.join(sorted(options))})"
        param = options[option]
        if isinstance(param, click.Option) and not param.is_flag and not value:
            pending = param


def test_the_guides_exist_and_the_readme_links_them() -> None:
    """Each role has its guide, and the README's guides section links all four."""
    readme = read("README.md")
    section = readme.split("## Guides for every role", 1)
    assert len(section) == 2, "the README lost its 'Guides for every role' section"
    for guide in GUIDES:
        assert (REPO / guide).is_file()
        assert f"]({guide})" in section[1].split("\n## ", 1)[0], f"the README's guides section does not link {guide}"


@pytest.mark.parametrize("doc", CHECKED)
def test_every_command_shown_parses(doc: str) -> None:
    """Each shell command of the document is a real pimlearn command line (or a real make target)."""
    targets = set(re.findall(r"^([a-z][a-z-]*):", read("Makefile"), re.M))
    seen = 0
    for line, command in shown_commands(doc):
        argv = words(command)
        if argv[:1] == ["make"]:
            assert set(argv[1:]) <= targets, f"{doc}:{line}: no make target {set(argv[1:]) - targets}"
            continue
        args = cli_args(argv)
        if args is None:
            continue
        seen += 1
        leaf, rest, name = leaf_command(args)
        check_options(leaf, name, rest)
        try:
            leaf.make_context(name, list(rest))
        except click.ClickException as exc:  # pragma: no cover - the assertion message is the point
            pytest.fail(f"{doc}:{line}: '{command}' does not parse: {exc.format_message()}")
    if doc in ("README.md", *GUIDES[:3]):
        assert seen, f"{doc} shows no pimlearn command"


@pytest.mark.parametrize("doc", CHECKED)
def test_every_inline_command_names_real_options(doc: str) -> None:
    """``pimlearn …`` in inline code (usage lines too) names a real command and only its options."""
    for line, command in inline_commands(doc):
        argv = [w.strip("[]") for w in command.replace("...", "").replace("…", "").split()]
        args = cli_args([w for w in argv if w])
        assert args is not None
        try:
            leaf, rest, name = leaf_command([a for a in args if a])
            check_options(leaf, name, rest)
        except AssertionError as exc:
            raise AssertionError(f"{doc}:{line}: `{command}`: {exc}") from None


def diagnostic_codes() -> set[str]:
    """The codes listed in docs/diagnostics.md's table."""
    codes: set[str] = set()
    for row in re.findall(r"^\| (`[^|]+) \|", read("docs/diagnostics.md"), re.M):
        codes.update(re.findall(r"`([a-z0-9-]+)`", row))
    return codes


CODE = r"[a-z0-9]+(?:-[a-z0-9]+)+"


def mentioned_codes(doc: str) -> list[tuple[int, str]]:
    """Codes a document names: ending a diagnostic line, as `` `[code]` ``, as ``(`code`)``, in a "code" column."""
    found = []
    code_table = False
    for number, line in enumerate(read(doc).splitlines(), start=1):
        diagnostic = re.search(r": (?:error|warning): .*\[([a-z0-9-]+)\]\s*$", line)
        if diagnostic:
            found.append((number, diagnostic[1]))
        found += [(number, code) for code in re.findall(r"`\[([a-z0-9-]+)\]`", line)]
        found += [(number, code) for code in re.findall(rf"\(`({CODE})`[,)]", line)]
        code_table = line.startswith("| code |") or (code_table and line.startswith("|"))
        if code_table:
            found += [(number, code) for code in re.findall(rf"^\| `({CODE})` \|", line)]
    return found


def test_the_diagnostics_table_is_read() -> None:
    """The parser of docs/diagnostics.md finds its codes (else the next test would prove nothing)."""
    codes = diagnostic_codes()
    assert {"yaml-syntax", "correct-count", "translation-markup", "empty-value", "empty-list"} <= codes
    shown = {code for _, code in mentioned_codes("docs/translating.md")}
    assert {"translation-markup", "translation-link", "update-obsolete", "ui-catalog-missing"} <= shown


@pytest.mark.parametrize("doc", CHECKED)
def test_every_code_shown_is_documented(doc: str) -> None:
    """Each ``[code]`` the document shows is one docs/diagnostics.md explains."""
    codes = diagnostic_codes()
    missing = [f"{doc}:{line}: [{code}]" for line, code in mentioned_codes(doc) if code not in codes]
    assert not missing, "codes not in docs/diagnostics.md: " + ", ".join(missing)


def heading_anchors(doc: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    anchors: set[str] = set()
    _, prose = split_blocks(doc.read_text(encoding="utf-8"))
    for _, line in prose:
        heading = re.match(r"#{1,6} (.+?)\s*#*$", line)
        if heading:
            slug = re.sub(r"[^\w\- ]", "", heading[1].lower()).replace(" ", "-")
            anchor, n = slug, 1
            while anchor in anchors:
                anchor, n = f"{slug}-{n}", n + 1
            anchors.add(anchor)
    return anchors


@pytest.mark.parametrize("doc", LINKED)
def test_every_relative_link_resolves(doc: str) -> None:
    """Each relative link leads to a file of the repository, and to a heading of it when it names one."""
    _, prose = split_blocks(read(doc))
    broken = []
    for number, line in prose:
        line = re.sub(r"`[^`]*`", "", line)  # inline code shows Markdown, it links nowhere
        for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", line):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue
            path, _, anchor = target.partition("#")
            file = (REPO / doc).parent / path if path else REPO / doc
            if not file.exists():
                broken.append(f"{doc}:{number}: {target} (no such file)")
            elif anchor and file.suffix == ".md" and anchor not in heading_anchors(file):
                broken.append(f"{doc}:{number}: {target} (no such heading)")
    assert not broken, "broken links: " + "; ".join(broken)


def test_heading_anchors_follow_github() -> None:
    """The anchor rule matches GitHub's for the headings the docs link to."""
    anchors = heading_anchors(REPO / "docs/i18n.md")
    assert {"plural-forms", "how-updates-keep-every-translation"} <= anchors


SUMMARY_ROW = re.compile(r"^  (?P<course>\S+) +(?P<locale>\S+) +(?P<format>\S+) +\d+ +[\d.]+ [kMG]?B +[\d.]+s$")


def readme_build_summary() -> list[str]:
    """The lines of the README's ``$ pimlearn build`` summary."""
    blocks, _ = split_blocks(read("README.md"))
    for block in blocks:
        if block.lines and block.lines[0] == "$ pimlearn build":
            return list(block.lines[1:])
    raise AssertionError("the README lost its '$ pimlearn build' example")


def test_the_readme_build_summary_lists_the_default_formats() -> None:
    """The README's build output shows one row per default format, in build order, under the real header."""
    lines = readme_build_summary()
    # Warnings may come first; the table starts at its header (its width follows the longest course id).
    lines = lines[next(i for i, line in enumerate(lines) if line.split()[:1] == ["course"]) :]
    assert lines[0].split() == summary([])[0].split(), "the README's summary header is not the one pimlearn prints"
    rows = [row for line in lines[1:] if (row := SUMMARY_ROW.match(line)) and row["course"] != "total"]
    assert rows, "the README's build summary shows no target"
    first_locale = rows[0]["locale"]
    shown = [row["format"] for row in rows if row["locale"] == first_locale]
    assert shown == list(default_formats())


def test_the_readme_format_option_lists_every_format() -> None:
    """The README's ``-f, --format`` row names every format, and says which one a default build leaves out."""
    row = next(line for line in read("README.md").splitlines() if line.startswith("| `-f, --format`"))
    assert re.findall(r"`([a-z0-9-]+)`", row.split("|")[2].split("(")[0]) == list(formats())
    left_out = [name for name in formats() if name not in default_formats()]
    assert all(f"all but `{name}`" in row for name in left_out)


def test_a_wrong_command_is_caught() -> None:
    """The checks above can fail: a misspelt command, an unknown option and a wrong format are refused."""
    with pytest.raises(AssertionError, match="not a command"):
        leaf_command(["biuld"])
    leaf, rest, name = leaf_command(["build", "--formats", "web"])
    with pytest.raises(AssertionError, match="no option '--formats'"):
        check_options(leaf, name, rest)
    leaf, rest, name = leaf_command(["build", "-f", "pdf"])
    with pytest.raises(AssertionError, match="not one of its choices"):
        check_options(leaf, name, rest)
    leaf, rest, name = leaf_command(["i18n", "stats", "--min", "100"])
    check_options(leaf, name, rest)


@pytest.mark.parametrize("doc", ("README.md", "docs/translating.md"))
def test_the_stats_tables_shown_have_the_real_columns(doc: str) -> None:
    """An ``i18n stats`` table shown has the columns pimlearn prints (compared word by word)."""
    from pimlearn.i18n.stats import table

    columns = table([]).split()
    blocks, _ = split_blocks(read(doc))
    shown = [b.lines[i + 1] for b in blocks for i, line in enumerate(b.lines[:-1]) if "$ pimlearn i18n stats" in line]
    headers = [line.split() for line in shown if not line.startswith(("…", "locales/"))]
    assert headers, f"{doc} shows no i18n stats table"
    assert all(header == columns for header in headers)
