"""The Ray engine: document stages as a Ray Data ``map_batches`` over an actor pool.

Each actor builds the stages (and so loads the spaCy model) once and keeps them for every batch
it is given. Articles travel pickled in one column; order is preserved so the driver's
corpus-level stages see the same sequence as with the local engine, and the results are
identical. ``address`` joins an existing cluster; without it a local Ray starts on all cores.
"""
from __future__ import annotations

import os
import pickle

from ..model import Article
from .local import run_stages


class _StageActor:
    def __init__(self, stage_factory):
        self.stages = stage_factory()

    def __call__(self, batch: dict) -> dict:
        articles = [pickle.loads(b) for b in batch["article"]]
        errors: list[tuple[str, str, str]] = []

        def on_error(stage_name, article, exc):
            errors.append((article.id, stage_name, f"{type(exc).__name__}: {exc}"))

        done = run_stages(self.stages, articles, on_error)
        failed = {aid: f"{stage}: {msg}" for aid, stage, msg in errors}
        return {
            "article": [pickle.dumps(a) for a in done],
            "error": [failed.get(a.id, "") for a in done],
        }


class RayEngine:
    name = "ray"

    def __init__(self, stage_factory, address: str | None = None, num_cpus: int | None = None,
                 batch_size: int = 16):
        import ray

        self._factory = stage_factory
        self.batch_size = batch_size
        if not ray.is_initialized():
            if address:
                ray.init(address=address, include_dashboard=False, log_to_driver=False)
            else:
                # Ray starts its workers at niceness 15, so on a machine doing anything else the
                # stages (all of the work) lose the CPU to it; a local run is the user's own job.
                os.environ.setdefault("RAY_worker_niceness", "0")
                ray.init(num_cpus=num_cpus or os.cpu_count(), include_dashboard=False, log_to_driver=False)
        resources = ray.cluster_resources()
        self.workers = max(1, int(num_cpus or resources.get("CPU", 1)))
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False

    def run(self, articles: list[Article], on_error=None) -> list[Article]:
        import ray

        if not articles:
            return []
        # Ray Data hands whole blocks to actors: a batch in one block would keep one worker busy
        # and the others idle, so cut it into a few blocks per worker.
        blocks = max(1, min(len(articles) // self.batch_size, self.workers * 4))
        ds = ray.data.from_items([{"article": pickle.dumps(a)} for a in articles], override_num_blocks=blocks)
        ds = ds.map_batches(
            _StageActor,
            fn_constructor_args=(self._factory,),
            batch_size=self.batch_size,
            compute=ray.data.ActorPoolStrategy(size=min(self.workers, max(1, len(articles) // self.batch_size))),
            batch_format="default",
        )
        out = []
        for row in ds.iter_rows():
            article = pickle.loads(row["article"])
            if row["error"] and on_error:
                stage, _, msg = row["error"].partition(": ")
                on_error(stage, article, RuntimeError(msg))
            out.append(article)
        return out

    def close(self) -> None:
        import ray

        if ray.is_initialized():
            ray.shutdown()
