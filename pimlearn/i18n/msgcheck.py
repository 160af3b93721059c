"""Rules for a single msgstr: what a translator may write without breaking a build or a learner page.

UI strings are inserted into HTML (escaped) and formatted with Python's ``%``
operator: a translation may not add markup its source lacks, and its
placeholders must be the source's. No catalog may hold control characters,
which XML (SCORM manifests, PPTX) refuses.
"""

from __future__ import annotations

import re
from collections import Counter

TAG = re.compile(r"<[^<>]*>")
OPENING = re.compile(r"<[A-Za-z/!?][\w:-]*")
"""What would start a tag in HTML once the allowed tags are removed (``< 5`` is plain text)."""
ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
PERCENT = re.compile(r"%(?:%|(\([^()]*\))?[-#0 +]*(\d+|\*)?(\.(\d+|\*))?[hlL]?[diouxXeEfFgGcrsa])")
BRACES = re.compile(r"\{([A-Za-z_]\w*)\}")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def control_problem(value: str) -> str | None:
    """A message about control characters in ``value`` (None when it has none)."""
    found = CONTROL.search(value)
    if found is None:
        return None
    return (
        f"the translation holds the control character U+{ord(found.group()):04X}, which outputs cannot store: "
        "delete it (it often comes from a copy-paste)"
    )


def markup_problem(msgid: str, value: str) -> str | None:
    """A message when ``value`` has markup (tags, unclosed tags, entities) that ``msgid`` does not."""
    allowed_tags = Counter(TAG.findall(msgid))
    extra = sorted((Counter(TAG.findall(value)) - allowed_tags).elements())
    rest = TAG.sub("", value)
    unclosed = [m.group() + "…" for m in OPENING.finditer(rest)]
    entities = sorted(set(ENTITY.findall(value)) - set(ENTITY.findall(msgid)))
    found = extra + unclosed + [f"&{e};" for e in entities]
    if not found:
        return None
    return (
        f"the translation adds HTML ({', '.join(dict.fromkeys(found))}), which its source does not have: "
        "UI translations are plain text (write the character itself, not an entity)"
    )


def placeholders(value: str) -> set[str] | None:
    """The ``%`` placeholders of ``value`` (with ``{name}`` ones), or None when a ``%`` starts none."""
    found: set[str] = set()
    index = 0
    while (index := value.find("%", index)) >= 0:
        match = PERCENT.match(value, index)
        if match is None:
            return None
        if match.group() != "%%":
            found.add(match.group())
        index = match.end()
    found.update("{" + name + "}" for name in BRACES.findall(value))
    return found


def placeholder_problem(msgid: str, msgid_plural: str, value: str, plural_form: bool) -> str | None:
    """A message when ``value``'s placeholders differ from its source's (or a lone ``%`` would break formatting)."""
    mine = placeholders(value)
    if mine is None:
        return (
            "the translation has a '%' that starts no placeholder: write '%%' for a percent sign "
            "(UI strings are Python format strings)"
        )
    want = (placeholders(msgid) or set()) | (placeholders(msgid_plural) or set())
    have = mine
    unknown = sorted(have - want)
    missing = sorted(want - have)
    if unknown:
        return (
            f"the translation uses {', '.join(unknown)}, which its source does not have "
            f"(the source has {', '.join(sorted(want)) or 'none'}): keep the source's placeholders exactly"
        )
    # A plural form may leave out the number ("une tentative"); a single message must keep every placeholder.
    if missing and not plural_form:
        return f"the translation leaves out {', '.join(missing)}: keep every placeholder of the source"
    return None
