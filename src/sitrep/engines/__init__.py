"""Where the document stages run: in this process (``local``) or on a Ray cluster (``ray``).

An engine takes a list of articles and a recipe for the document stages and gives the articles
back, in order, with the stages applied. Corpus-level stages (reprints, entities, stories) and
the store stay in the driver, so both engines give identical results.
"""
from __future__ import annotations

from typing import Callable, Protocol

from ..model import Article

StageFactory = Callable[[], list]


class Engine(Protocol):
    name: str

    def run(self, articles: list[Article]) -> list[Article]: ...

    def close(self) -> None: ...


def make_engine(name: str, stage_factory: StageFactory, *, address: str | None = None,
                num_cpus: int | None = None, workers: int | None = None) -> Engine:
    """``workers``: parsing processes of the local engine (default: every core)."""
    if name == "local":
        from .local import LocalEngine

        return LocalEngine(stage_factory, workers=workers)
    if name == "ray":
        from .ray_engine import RayEngine

        return RayEngine(stage_factory, address=address, num_cpus=num_cpus or workers)
    raise ValueError(f"unknown engine {name!r}: use 'local' or 'ray'")
