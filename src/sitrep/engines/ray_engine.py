"""The Ray engine: document stages as a Ray Data ``map_batches`` over Ray's worker processes.

The stages (the spaCy model, the gazetteer) are built once per worker *process* and kept there:
``map_batches`` runs a plain function as Ray tasks, and Ray reuses its worker processes from task
to task, so the module-level cache below survives every batch of a run — and, on a long-lived
cluster joined with ``address``, the runs after it. (An actor pool would load the model once per
actor, but Ray Data makes a new pool for every dataset, i.e. for every pipeline batch.) Each
block reports which process ran it and whether it had to build the stages, so the engine can
say how many model loads a run cost (``RayEngine.model_loads``).

Articles travel pickled in one column; order is preserved so the driver's corpus-level stages
see the same sequence as with the local engine, and the results are identical. Without
``address`` a local Ray starts on all cores.
"""
from __future__ import annotations

import os
import pickle
from typing import Any, Callable

from .. import extras
from ..model import Article
from . import Submitting
from .local import run_stages
from .memory import release_free_memory

#: Per worker process: the stages each factory built, kept for every later block.
_BUILT: dict[Callable, list] = {}


def _stages(factory: Callable) -> tuple[list, bool]:
    """The stages ``factory`` makes, built in this process on first use; (stages, built now)."""
    stages = _BUILT.get(factory)
    if stages is not None:
        return stages, False
    stages = _BUILT[factory] = factory()
    return stages, True


def run_block(batch: dict, factory: Callable) -> dict:
    """One Ray Data batch: unpickle its articles, run the stages, pickle them back."""
    stages, built = _stages(factory)
    articles = [pickle.loads(b) for b in batch["article"]]
    errors: dict[str, str] = {}

    def on_error(stage_name, article, exc):
        errors[article.id] = f"{stage_name}: {type(exc).__name__}: {exc}"

    done = run_stages(stages, articles, on_error)
    del articles
    release_free_memory(min_interval=5.0)  # a worker lives for the whole run: keep it at its working size
    n = len(done)
    return {
        "article": [pickle.dumps(a) for a in done],
        "error": [errors.get(a.id, "") for a in done],
        "pid": [os.getpid()] * n,
        "built": [built] + [False] * (n - 1),
    }


class RayEngine(Submitting):
    name = "ray"
    overlaps = True  # the work is in Ray's workers: the driver stores the previous batch meanwhile
    records_per_batch = 1000  # Ray pays a start-up cost per dataset: fewer, bigger batches

    def __init__(self, stage_factory, address: str | None = None, num_cpus: int | None = None,
                 batch_size: int = 16, declared: list | None = None):
        extras.require(extras.RAY)  # without it: MissingExtra naming `pip install 'sitrep[ray]'`
        import ray

        self._factory = stage_factory
        self.declared_stages = list(declared or [])  # see LocalEngine
        self.batch_size = batch_size
        self.model_loads = 0  # stage builds seen in this run's blocks (one per worker process)
        self.worker_pids: set[int] = set()
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
        # A block is one task: cut the batch into a few blocks per worker so none idles.
        blocks = max(1, min(len(articles) // self.batch_size, self.workers * 4))
        # Any: Ray's stubs type map_batches' function narrower than its documented dict batches.
        ds: Any = ray.data.from_items([{"article": pickle.dumps(a)} for a in articles], override_num_blocks=blocks)
        ds = ds.map_batches(
            run_block,
            fn_kwargs={"factory": self._factory},
            batch_size=self.batch_size,
            compute=ray.data.TaskPoolStrategy(size=min(self.workers, blocks)),
            num_cpus=1,
            batch_format="default",
        )
        out = []
        for row in ds.iter_rows():
            article = pickle.loads(row["article"])
            if row["error"] and on_error:
                stage, _, msg = row["error"].partition(": ")
                on_error(stage, article, RuntimeError(msg))
            self.worker_pids.add(int(row["pid"]))
            self.model_loads += bool(row["built"])
            out.append(article)
        return out

    def close(self) -> None:
        import ray

        self.close_background()
        if ray.is_initialized():
            ray.shutdown()
