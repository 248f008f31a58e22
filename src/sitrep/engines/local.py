"""The local engine: the document stages run on this machine, models loaded once.

With more than one core, every document stage (the spaCy parse, then claims and events) runs in
a pool of worker processes forked once, when the engine starts, from the process that loaded the
stages: each worker inherits the model, the gazetteer and the attribution weights (shared pages,
loaded once), takes small chunks of a batch's articles, runs all the stages on them and sends the
articles back without their parse. The driver keeps only what must see every article in input
order (cleaning, reprints, entities, stories, the store), and stores one batch while the workers
analyse the next.

Why not spaCy's own ``nlp.pipe(n_process=...)``, used before: it forks its parsers anew for every
call and sends each parsed ``Doc`` back, so the driver spent ≈ 21 ms per report rebuilding docs
(``Doc.from_bytes``) and then read claims and events off them in one thread, serially: over 300
GVA reports the driver's engine thread was busy 24.8 s while the two parsers used 39.4 s between
them, and the run took 1.9× a bare two-process parse (bench/RESULTS.md, "Pipeline cost").

``workers=1`` keeps everything in this process. Ray is the engine for more than one machine. The
forked workers die with this process, even when it is killed outright (``parent_watch``).
"""
from __future__ import annotations

import gc
import logging
import math
import multiprocessing
import os
import pickle
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..model import Article
from ..stages import GivenStages
from . import StageFailure, Submitting, parent_watch
from .memory import release_free_memory

log = logging.getLogger(__name__)


def run_stages(stages: list, articles: list[Article], on_error=None,
               cpu: dict[str, float] | None = None) -> list[Article]:
    """Apply each stage to the batch; if a stage fails on the batch, retry article by article so
    one bad article loses only its own results. ``cpu``: adds each stage's CPU seconds to it."""
    for stage in stages:
        c0 = time.process_time()
        try:
            articles = list(stage.pipe(articles))
        except Exception:
            kept = []
            for article in articles:
                try:
                    kept.extend(stage.pipe([article]))
                except Exception as exc:
                    log.exception("stage %s failed on %s", stage.name, article.source_path)
                    if on_error:
                        on_error(stage.name, article, exc)
                    kept.append(article)
            articles = kept
        if cpu is not None:
            cpu[stage.name] = cpu.get(stage.name, 0.0) + time.process_time() - c0
    for article in articles:
        article.doc = None  # a spaCy Doc never leaves the engine
    return articles


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# -- the worker side --------------------------------------------------------------------------
#: The stages a forked worker runs: set in the parent just before it forks, inherited.
_WORKER_STAGES: list | None = None


class StageError(Exception):
    """A stage's exception that could not travel back from a worker as itself."""


def _portable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return StageError(f"{type(exc).__name__}: {exc}")


def _run_chunk(articles: list[Article]) -> tuple[list[Article], list[tuple[str, int, BaseException]], dict[str, Any]]:
    """In a worker: the stages over one chunk; the articles, the failures (stage name, position
    in the chunk, exception) and what the chunk cost (pid, wall seconds, CPU per stage)."""
    assert _WORKER_STAGES is not None, "the worker's stages are set before the pool forks"
    t0 = time.perf_counter()
    position = {id(a): i for i, a in enumerate(articles)}
    failures: list[tuple[str, int, BaseException]] = []
    cpu: dict[str, float] = {}

    def on_error(stage_name: str, article: Article, exc: BaseException) -> None:
        failures.append((stage_name, position[id(article)], _portable(exc)))

    done = run_stages(_WORKER_STAGES, articles, on_error, cpu)
    c0 = time.process_time()
    release_free_memory(min_interval=5.0)  # a worker lives for the whole run: keep it at its working size
    cpu["release memory"] = time.process_time() - c0
    return done, failures, {"pid": os.getpid(), "seconds": time.perf_counter() - t0, "cpu": cpu}


def _started(_: int = 0) -> int:
    return os.getpid()


#: A short report that reaches every document stage's tables: places, a source, an attack, and a
#: misspelt town ("Quamishli") that only the gazetteer's fuzzy search finds, so its index (0.36 s)
#: is built once here too.
WARM_UP_TEXT = ("Two rockets struck Camp Taji, north of Baghdad, on Monday, the Iraqi military said. "
                "Police in Kirkuk said three soldiers were wounded and that the attack may have been "
                "launched by Islamic State militants. A market in Quamishli was shelled on Sunday.")


def warm_up(stages: list) -> None:
    """Run ``stages`` once over ``WARM_UP_TEXT``, so that what they load on first use (the
    attribution weights, the gazetteer's name and country indexes, the timex and place tables)
    is loaded here, once, before the workers fork, rather than in every worker's first chunk
    (≈ 1.2 s of CPU per process, measured over 2 vs 58 GVA reports). Results are discarded;
    what stays behind is caches of pure functions, so no later result depends on it."""
    from ..model import OffsetMap

    text = WARM_UP_TEXT
    article = Article(id="sitrep-warm-up", source_path="<warm-up>", text=text, original=text,
                      offsets=OffsetMap([(0, 0, len(text))]))
    try:
        run_stages(stages, [article])
    except Exception:  # a warm-up that fails costs only time: the real run reports the failure
        log.exception("warming up the document stages failed")


# -- the engine -------------------------------------------------------------------------------
class LocalEngine(Submitting):
    name = "local"
    #: Records per pipeline batch (one transaction). The workers take a batch in chunks of at most
    #: ``CHUNK`` articles, so they stay busy across batches: the next batch is queued before the
    #: last chunks of this one end.
    records_per_batch = 128
    #: Articles per task sent to a worker, parsed as one spaCy batch: the parse costs less per
    #: report in bigger batches (GVA reports, one process: 88.7–92.8 ms at 8, 85.5–87.7 at 16,
    #: 81.7–82.7 at 32), and a batch of 128 records still makes two tasks per worker. Batches
    #: queue in the pool, so the workers only wait for each other at the end of a run.
    CHUNK = 32

    def __init__(self, stage_factory, workers: int | None = None, declared: list | None = None):
        """``declared``: the stages ``stage_factory`` builds, as classes or instances (their
        ``name``/``requires``/``assigns``), for the pipeline's composition check. Stages built
        by the caller (``GivenStages``) always run in this process."""
        self.workers = max(1, workers or default_workers())
        self.pooled = self.workers > 1 and not isinstance(stage_factory, GivenStages)
        self.overlaps = self.pooled  # the work is in the workers: the driver stores meanwhile
        self._factory = stage_factory
        self._stages: list[Any] | None = None
        self._pool: ProcessPoolExecutor | None = None
        self.declared_stages = list(declared or [])
        self.model_loads = 0  # stage builds: one, in this process, inherited by every worker
        self.worker_pids: set[int] = set()
        self.stage_cpu: dict[str, float] = {}  # CPU seconds per stage, summed over the workers

    @property
    def stages(self) -> list:
        if self._stages is None:
            self._stages = self._factory()
            self.model_loads += 1
        return self._stages

    def _start_pool(self) -> ProcessPoolExecutor:
        """Build the stages here and run them once over a short report (``warm_up``), then fork
        the workers (from the calling thread), which inherit all of it. ``gc.freeze`` first: the
        loaded models are then never scanned by a collection, neither in the workers (which
        would otherwise copy every page a scan touches) nor here."""
        if self._pool is None:
            global _WORKER_STAGES
            _WORKER_STAGES = self.stages
            warm_up(_WORKER_STAGES)
            parent_watch.install()  # the workers must not outlive a killed ingest
            gc.collect()
            gc.freeze()
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
            # with "fork" every worker starts at the first task, here, not in a background thread
            self.worker_pids.update(self._pool.map(_started, range(self.workers)))
        return self._pool

    def run(self, articles: list[Article], on_error=None) -> list[Article]:
        if not self.pooled:
            return run_stages(self.stages, articles, on_error)
        if not articles:  # starting the engine: load the stages, fork the workers
            self._start_pool()
            return []
        done, failures, _ = self.submit(articles).result()
        if on_error:
            for stage_name, article, exc in failures:
                on_error(stage_name, article, exc)
        return done

    def submit(self, articles: list[Article]) -> "Future[tuple[list[Article], list[StageFailure], float]]":
        """The batch's articles analysed in the workers, chunk by chunk; the seconds are the
        workers' time on the batch over the number of workers (the chunks of two batches may
        overlap, so wall time would count the same seconds twice)."""
        if not self.pooled:
            return super().submit(articles)
        pool = self._start_pool()
        size = max(1, min(self.CHUNK, math.ceil(len(articles) / (2 * self.workers))))
        chunks = [articles[i:i + size] for i in range(0, len(articles), size)]
        out: Future = Future()
        if not chunks:
            out.set_result(([], [], 0.0))
            return out
        futures = [pool.submit(_run_chunk, chunk) for chunk in chunks]
        lock = threading.Lock()
        left = [len(futures)]

        def collect(_: Future) -> None:
            with lock:
                left[0] -= 1
                if left[0]:
                    return
            try:
                done: list[Article] = []
                failures: list[StageFailure] = []
                seconds = 0.0
                for future in futures:
                    chunk_done, chunk_failures, cost = future.result()
                    failures.extend((name, chunk_done[i], exc) for name, i, exc in chunk_failures)
                    done.extend(chunk_done)
                    seconds += cost["seconds"]
                    self.worker_pids.add(cost["pid"])
                    for stage, secs in cost["cpu"].items():
                        self.stage_cpu[stage] = self.stage_cpu.get(stage, 0.0) + secs
                out.set_result((done, failures, seconds / self.workers))
            except BaseException as exc:  # a worker died (BrokenProcessPool) or a result did not unpickle
                out.set_exception(exc)

        for future in futures:
            future.add_done_callback(collect)
        return out

    def close(self) -> None:
        self.close_background()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
