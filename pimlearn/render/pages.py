"""A module as learner pages: the opening page (intro) and one page per section."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Block, Module, Question, Text, walk_blocks


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a module; ``number`` counts from 1 (the ``data-page`` hook)."""

    number: int
    title: Text
    blocks: tuple[Block, ...]
    slug: str
    is_intro: bool

    @property
    def questions(self) -> tuple[Question, ...]:
        """The questions on this page, in order."""
        return tuple(b for b in walk_blocks(self.blocks) if isinstance(b, Question))


def module_pages(module: Module) -> tuple[Page, ...]:
    """The module's pages: the intro (when it has content), then each section."""
    pages: list[Page] = []
    if module.intro or not module.sections:
        pages.append(Page(1, module.title, module.intro, "index", True))
    for section in module.sections:
        pages.append(Page(len(pages) + 1, section.title, section.blocks, section.slug, False))
    return tuple(pages)
