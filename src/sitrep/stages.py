"""What a pipeline stage is, the standard composition, and the start-up check of a composition.

A stage declares which attributes of the ``Article`` it reads (``requires``) and which it fills
(``assigns``), as spaCy's component factories do. The pipeline checks the whole composition when
it is built, before any model loads: a stage that reads what no earlier stage fills (a parse that
never ran, claims never extracted) would otherwise run on empty defaults and store articles
without results, silently. The declarations are class attributes, so a composition can be checked
from the stage classes alone (the Ray engine builds its stages in other processes).

Two kinds of stage:

* document stages (parse, claims, events) take articles in and give them back, each article on
  its own; an engine runs them, here or on other machines (``sitrep.engines``);
* corpus stages (line statistics, entity resolution, story clustering) learn from every article
  in input order and keep state that the store saves with each batch (``CorpusStage``).
"""
from __future__ import annotations

from dataclasses import fields
from typing import Any, Iterable, Iterator, Protocol, Sequence

from .model import Article


class Declared(Protocol):
    """A stage, or a stage class, as the composition check sees it."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


class DocumentStage(Declared, Protocol):
    """Articles in, the same articles out, in order, with the ``assigns`` attributes filled."""

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]: ...


class CorpusStage(Declared, Protocol):
    """A stage whose learned state outlives the batch, saved in the batch's transaction.

    The store keeps the state as one header row and many item rows under the stage's ``name``:
    after each batch only the items that batch changed are written (``dirty_items``, an item
    whose value is None is deleted), so a batch's write is proportional to the batch, not to
    the corpus. ``mark_saved`` is called once that transaction committed.
    """

    def state_header(self) -> dict[str, Any]: ...

    def dirty_items(self) -> dict[str, Any]: ...

    def mark_saved(self) -> None: ...

    @classmethod
    def from_state(cls, header: dict[str, Any], items: dict[str, Any]) -> "CorpusStage": ...

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CorpusStage": ...


class CompositionError(ValueError):
    """A stage reads an attribute that no earlier stage fills, or names one an article lacks."""


#: Article attributes a stage may declare (the transient parse ``doc`` included).
ARTICLE_ATTRIBUTES: frozenset[str] = frozenset(f.name for f in fields(Article))


def check_composition(stages: Sequence[Declared], given: Iterable[str]) -> None:
    """Raise ``CompositionError`` unless every stage's requirements are in ``given`` (what the
    article holds before the first stage) or assigned by a stage before it."""
    available = set(given)
    order = ", ".join(s.name for s in stages)
    for stage in stages:
        unknown = [a for a in (*stage.requires, *stage.assigns) if a not in ARTICLE_ATTRIBUTES]
        if unknown:
            raise CompositionError(f"stage {stage.name!r} declares {', '.join(unknown)}, "
                                   f"which an Article does not have")
        missing = [a for a in stage.requires if a not in available]
        if missing:
            needed = ", ".join(f"article.{a}" for a in missing)
            raise CompositionError(f"stage {stage.name!r} requires {needed}, which no stage before it "
                                   f"assigns (stages in order: {order})")
        available.update(stage.assigns)


def default_stage_types() -> list[type]:
    """The standard document stages, in order: the spaCy parse, then claims (with mentions),
    then events."""
    from .claims import ClaimStage
    from .events.stage import EventStage
    from .nlp.stage import ParseStage

    return [ParseStage, ClaimStage, EventStage]


def default_document_stages(n_process: int = 1) -> list[DocumentStage]:
    """The standard document stages, built; the parse runs in ``n_process`` processes."""
    parse, claims, events = default_stage_types()
    return [parse(n_process=n_process), claims(), events()]


class GivenStages:
    """Stages built by the caller, run as they are, in this process (tests, benches)."""

    def __init__(self, stages: Sequence[DocumentStage]) -> None:
        self.stages = list(stages)

    def __call__(self) -> list[DocumentStage]:
        return self.stages

