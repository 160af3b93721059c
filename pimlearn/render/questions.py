"""Questions prepared for templates: HTML of each string and a display order that gives nothing away."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..i18n import N_
from ..model import Question, Text
from .html import HtmlOptions, lang_attrs, text_html
from .jinja import Templates


@dataclass(frozen=True)
class Option:
    """A choice, pair side or item ready for a template; ``index`` is its place in the source."""

    index: int
    id: str
    html: Markup
    feedback: Markup
    correct: bool = False


@dataclass(frozen=True)
class QuestionView:
    """A question with every string as HTML, in the order learners see it."""

    q: Question
    prompt: Markup
    lang_attrs: Markup
    choices: tuple[Option, ...]
    """single, multiple and true-false (ids ``true`` / ``false``), in source order."""
    lefts: tuple[Option, ...]
    """matching: the left items, in source order."""
    rights: tuple[Option, ...]
    """matching: the right items, shuffled (a select's options must not mirror the answer)."""
    items: tuple[Option, ...]
    """ordering: the items, shuffled (never in the correct order)."""
    answers: tuple[str, ...]
    explanation: Markup
    correct_feedback: Markup
    incorrect_feedback: Markup
    attempts: int | None = None
    """The checks the question allows in its course (``None``: unlimited)."""

    @property
    def id(self) -> str:
        """The question id."""
        return self.q.id

    @property
    def type(self) -> str:
        """The question type."""
        return self.q.type


def display_order(question_id: str, salt: str, count: int) -> list[int]:
    """A shuffled order of ``range(count)`` that is the same in every build and never the identity."""
    order = list(range(count))
    random.Random(f"{question_id}:{salt}").shuffle(order)
    if count > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


def question_view(q: Question, options: HtmlOptions, attempts: int | None = None) -> QuestionView:
    """Prepare ``q`` for a template; ``attempts``: the checks it allows in its course (``None``: unlimited).

    A question that fell back to the source language carries ``lang`` on its
    element, so its strings need no spans of their own; the True/False labels,
    which come from the page's language, are marked instead.
    """
    inner = replace(options, lang=q.lang) if q.lang else options

    def html(text: Text | None) -> Markup:
        return text_html(text, inner)

    def label(message: str) -> Markup:
        attrs = lang_attrs(options.lang, inner.lang)
        word = Markup.escape(options.gettext(message))
        return Markup("<span") + attrs + Markup(">") + word + Markup("</span>") if attrs else word

    choices: list[Option] = [
        Option(i, c.id, html(c.text), html(c.feedback), c.correct) for i, c in enumerate(q.choices)
    ]
    if q.type == "true-false":
        choices = [
            Option(0, "true", label(N_("True")), html(q.feedback_true), q.answer is True),
            Option(1, "false", label(N_("False")), html(q.feedback_false), q.answer is False),
        ]
    lefts = tuple(Option(i, str(i), html(p.left), Markup("")) for i, p in enumerate(q.pairs))
    rights = tuple(
        Option(i, str(i), html(q.pairs[i].right), Markup("")) for i in display_order(q.id, "right", len(q.pairs))
    )
    items = tuple(Option(i, str(i), html(q.items[i]), Markup("")) for i in display_order(q.id, "items", len(q.items)))
    return QuestionView(
        q=q,
        prompt=html(q.prompt),
        lang_attrs=lang_attrs(q.lang, options.lang),
        choices=tuple(choices),
        lefts=lefts,
        rights=rights,
        items=items,
        answers=tuple(a.source for a in q.answers),
        explanation=html(q.explanation),
        correct_feedback=html(q.correct_feedback),
        incorrect_feedback=html(q.incorrect_feedback),
        attempts=attempts,
    )


def learner_options(
    locale: str,
    tpl: Templates,
    image_url: Callable[[str], str],
    id_prefix: str = "",
    attempts: Callable[[Question], int | None] | None = None,
    questions: Sequence[Question] = (),
) -> HtmlOptions:
    """How learner outputs (web pages, SCOs) render content: e-learning target, notes dropped,
    questions interactive through ``common/question.html.j2`` (element ids prefixed with ``id_prefix``;
    ``attempts`` gives a question's limit of attempts, normally ``Course.attempts_for``). ``questions``,
    the module's questions in order, numbers each one ("Question 2 of 5") so screen readers can tell
    their regions apart."""
    graded = [q.id for q in questions if q.graded]
    checks = [q.id for q in questions if not q.graded]

    def question(q: Question) -> Markup:
        view = question_view(q, options, attempts(q) if attempts else None)
        series = graded if q.graded else checks
        number = (series.index(q.id) + 1, len(series)) if q.id in series else None
        return Markup(
            tpl.render("common/question.html.j2", q=view, interactive=True, id_prefix=id_prefix, number=number)
        )

    options = HtmlOptions(
        target="elearning",
        lang=locale,
        image_url=image_url,
        question=question,
        gettext=tpl.gettext,
        heading_shift=-1,
    )
    return options
