"""Question banks: a course's questions as LMS question-bank exports read them.

The exports (``moodle-xml``, ``gift``, ``qti``) share this view of a course: each
module's questions in document order, with a stable name, a category path and
every string as HTML, with the images each string uses, so an export can attach
them where its format wants them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..i18n import N_
from ..load.markdown import iter_images
from ..model import Course, Module, Question, Text, plain_text
from .assets import image_path, read_image
from .html import HtmlOptions, text_html


@dataclass(frozen=True)
class Field:
    """One string of a question as HTML, and the module-relative images it shows."""

    html: Markup
    images: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the string is absent."""
        return not str(self.html)


@dataclass(frozen=True)
class BankQuestion:
    """A question with what every export needs: its module, a stable name and id, its category."""

    module: Module
    question: Question
    number: int
    """1-based position of the question in its module."""
    category: tuple[str, ...]
    """Course title, then module title: the category path an LMS files the question under."""

    @property
    def idnumber(self) -> str:
        """An id unique in the course and stable across versions: ``<module>-<question>``."""
        return f"{self.module.id}-{self.question.id}"

    @property
    def name(self) -> str:
        """The question's name in a bank: its module-wide number and a short prompt."""
        prompt = plain_text(self.question.prompt).strip()
        short = prompt if len(prompt) <= 60 else prompt[:57].rstrip() + "…"
        return f"{self.question.id} · {short}" if short else self.question.id


GRADE_PERCENTS = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,
                  12.5, 11.11111, 10, 5, 0)  # fmt: skip
"""The answer grades (percent) Moodle's importer accepts; it refuses others unless the admin picks "nearest"."""


def moodle_grade(percent: float) -> float:
    """The grade Moodle accepts nearest to ``percent`` (100 / 7 correct choices -> 14.28571)."""
    return min(GRADE_PERCENTS, key=lambda g: abs(g - percent))


TRUE_FALSE = (N_("True"), N_("False"))
"""The labels of a true-false question's two answers (the learner pages' own)."""


def bank_questions(course: Course) -> Iterator[BankQuestion]:
    """Every question of the course in document order, module by module."""
    course_title = plain_text(course.title).strip()
    for module in course.modules:
        category = (course_title, plain_text(module.title).strip())
        for number, question in enumerate(module.questions, start=1):
            yield BankQuestion(module, question, number, category)


class FieldRenderer:
    """Renders a question's strings as HTML for one export, recording the images each string shows."""

    def __init__(self, locale: str, image_url: str = "{name}") -> None:
        self.locale = locale
        self.image_url = image_url
        """How an image appears in the HTML: ``{name}`` is replaced by the image's file name."""

    def field(self, text: Text | None) -> Field:
        """``text`` as HTML (marked with ``lang`` when it fell back) and the images it shows."""
        if text is None:
            return Field(Markup(""))
        images = tuple(dict.fromkeys(image_path(img.src) for img in iter_images(text.inlines)))
        options = HtmlOptions(target="elearning", lang=self.locale, image_url=self._url)
        return Field(text_html(text, options), images)

    def _url(self, src: str) -> str:
        return self.image_url.format(name=image_file_name(image_path(src)))


def image_file_name(path: str) -> str:
    """The flat file name an export stores a module image under (folders joined with ``-``)."""
    return path.replace("/", "-")


def image_bytes(project_root: Path, module: Module, path: str) -> bytes:
    """The bytes of one of the module's images."""
    return read_image(project_root, module, path)
