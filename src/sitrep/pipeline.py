"""The pipeline: readers → cleaning → reprints → parse → claims → events → entities → stories → store.

Like a spaCy ``Language``, it is an ordered list of named components over one model record (the
``Article``), each declaring what it reads and fills, checked when the pipeline is built
(``sitrep.stages``). Document stages (parse, claims, events) take articles in and give articles
out, run by an engine built outside and handed in (``sitrep.engines.make_engine``), so the
pipeline knows nothing of where they run. Corpus stages (line statistics, entity resolution,
story clustering) keep learned state that is saved with each batch. The store is the only I/O
besides the readers.

Each batch is written in one transaction together with the ``sources`` rows of its input
records and the corpus stages' state, so a run killed at any moment resumes where the last
committed batch ended and every article ends up stored exactly once.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .engines import Engine
from .engines.memory import release_free_memory
from .ingest import ReadOptions, count_inputs, iter_documents
from .model import Article, IngestError, RawDocument
from .reprints import ReprintIndex, from_bytes, signature, to_bytes
from .revisions import Snapshot
from .stages import CorpusStage, check_composition
from .store.base import Repository

#: What an article holds when it reaches the first document stage: the cleaning fills these,
#: the reprint index ``reprint_of``.
CLEANED = ("id", "source_path", "text", "original", "offsets", "title", "outlet", "outlet_basis", "url",
           "source_id", "record_key", "format", "published", "captions", "removed", "content_hash",
           "reprint_of")


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    reprints: int = 0
    skipped: int = 0
    errors: list[IngestError] = field(default_factory=list)
    stories_touched: int = 0
    stories_merged: int = 0  # fragments absorbed into an older story (sitrep.stories.fragments)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, summed over batches

    def timed(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @property
    def ok(self) -> bool:
        """Failure only when nothing at all could be ingested."""
        return not self.errors or (self.stored + self.duplicates + self.skipped) > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "reprints": self.reprints,
            "skipped": self.skipped,
            "errors": [e.to_json() for e in self.errors],
            "stories_touched": self.stories_touched,
            "stories_merged": self.stories_merged,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


@dataclass
class _Batch:
    """One batch between the engine and the store: its input records, the articles it will
    store, their MinHash signatures, the source marks and errors to record, and the engine's
    future result."""

    raws: list[RawDocument]
    new: list[Article] = field(default_factory=list)
    signatures: dict[str, Any] = field(default_factory=dict)
    marks: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    future: Any = None
    # pages ``sitrep watch`` fetched (``RawDocument.extra["watch"]``, see ``sitrep.watch.refetch``):
    # by article id, the fetch details of a new version of a stored article, and of a first version
    revisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    first_versions: dict[str, dict[str, Any]] = field(default_factory=dict)


class Pipeline:
    """``engine``: where the document stages run (``make_engine``; default: the standard stages
    on this machine). ``batch_size``: records per committed batch (default: the engine's)."""

    def __init__(
        self,
        repo: Repository,
        *,
        engine: Engine | None = None,
        read_options: ReadOptions | None = None,
        batch_size: int | None = None,
        resolve_entities: bool = True,
        cluster_stories: bool = True,
    ):
        if engine is None:
            from .engines import make_engine

            engine = make_engine()
        self.repo = repo
        self.engine = engine
        self.read_options = read_options or ReadOptions()
        self.batch_size = batch_size or engine.records_per_batch
        self.resolve_entities = resolve_entities
        self.cluster_stories = cluster_stories
        check_composition([*engine.declared_stages, *(kind for kind, _ in self._corpus_stage_kinds())], CLEANED)
        self._in_flight: set[str] = set()  # ids of articles handed to the engine, not yet stored
        self._load_state()

    # -- state of corpus-level stages --------------------------------------------------------
    def _load_state(self) -> None:
        from datetime import date

        from .outlets import OutletRegistry

        self.registry = OutletRegistry.load()
        self.corpus_stages: list[CorpusStage] = [self._load_stage(kind, **kw) for kind, kw in self._corpus_stage_kinds()]
        self.reprints = ReprintIndex()
        # publication day and reprint link come with the signatures, one query for the corpus
        for aid, sig, published, reprint_of in self.repo.iter_minhashes():
            self.reprints.add(aid, from_bytes(sig), date.fromisoformat(published) if published else None, reprint_of)
        self.stale_stories: set[str] = set(self.repo.load_state("stale_stories") or [])
        self._last_refresh = time.monotonic()
        self._refresh_cost = 0.0

    #: Marks a stage's ``state`` row as the header of its items in ``state_items``; any other row
    #: is the whole state as earlier versions saved it.
    STATE_LAYOUT = "items"

    def _corpus_stage_kinds(self) -> list[tuple[Any, dict[str, Any]]]:
        """The corpus stages in order, as (class, arguments to build or load it): the line
        statistics of the cleaning, then the entity resolver and the story clusterer if asked for."""
        from .clean import LineStats

        kinds: list[tuple[Any, dict[str, Any]]] = [(LineStats, {})]
        if self.resolve_entities:
            from .entities import EntityResolver

            # mentions live in the store: the resolver keeps counts only (see entities.resolver)
            kinds.append((EntityResolver, {"keep_mentions": False}))
        if self.cluster_stories:
            from .stories import StoryClusterer

            kinds.append((StoryClusterer, {}))
        return kinds

    def _load_stage(self, kind: Any, **kwargs: Any) -> CorpusStage:
        """A corpus stage from its header and items, else from the whole state an earlier version
        saved (every item then still to be written), else new."""
        data = self.repo.load_state(kind.name)
        if isinstance(data, dict) and data.get("layout") == self.STATE_LAYOUT:
            return kind.from_state(data["header"], self.repo.load_state_items(kind.name), **kwargs)
        return kind.from_json(data, **kwargs) if data else kind(**kwargs)

    # The list holds the corpus stages for loading, saving and the composition check; the driver
    # calls each by name where its own step runs: the line statistics in cleaning, the resolver
    # and the clusterer over each batch's articles.
    def _corpus_stage(self, name: str) -> Any:
        """The corpus stage called ``name``, or None when this pipeline runs without it."""
        return next((stage for stage in self.corpus_stages if stage.name == name), None)

    @property
    def line_stats(self) -> Any:
        return self._corpus_stage("line_stats")

    @property
    def resolver(self) -> Any:
        return self._corpus_stage("entity_resolver")

    @property
    def clusterer(self) -> Any:
        return self._corpus_stage("story_clusterer")

    def _save_state(self) -> None:
        """Write each corpus stage's header and the items it changed since the last commit (in
        the batch's transaction: the state always matches the stored articles). A batch's write
        is proportional to the batch, not to the corpus."""
        for stage in self.corpus_stages:
            items = stage.dirty_items()
            self.repo.save_state(stage.name, {"layout": self.STATE_LAYOUT, "header": stage.state_header()})
            self.repo.save_state_items(stage.name, {k: v for k, v in items.items() if v is not None})
            self.repo.delete_state_items(stage.name, [k for k, v in items.items() if v is None])
        if self.clusterer is not None:
            self.repo.save_state("stale_stories", sorted(self.stale_stories))

    def _state_committed(self) -> None:
        """Called once the transaction that ran ``_save_state`` committed: only then are the items
        saved. A failed commit leaves them dirty, for the next batch to write."""
        for stage in self.corpus_stages:
            stage.mark_saved()

    # -- running -----------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], progress: Callable[[int], None] | None = None) -> IngestReport:
        return self.ingest_records(iter_documents(paths, self.read_options), progress)

    def ingest_records(self, records: Iterable[RawDocument | IngestError],
                       progress: Callable[[int], None] | None = None) -> IngestReport:
        """Run reader output through every stage and store it: what ``ingest`` does for files,
        and ``watch`` for pages it fetched (records built the way the HTML reader builds them)."""
        report = IngestReport()
        run_id = self.repo.start_run()
        batch: list[RawDocument] = []
        pending: _Batch | None = None  # handed to the engine, not yet stored
        try:
            documents = iter(records)
            while True:
                t0 = time.perf_counter()
                item = next(documents, None)
                report.timed("read", time.perf_counter() - t0)
                if item is None:
                    break
                report.read += 1
                if isinstance(item, IngestError):
                    report.errors.append(item)
                    with self.repo.transaction():
                        self.repo.record_error(item, run_id)
                    if progress:
                        progress(1)
                    continue
                if self.repo.has_source(item.source_path, item.record_key):
                    report.skipped += 1
                    if progress:
                        progress(1)
                    continue
                batch.append(item)
                if len(batch) >= self.batch_size:
                    pending = self._advance(pending, batch, report, run_id, progress)
                    batch = []
            if batch:
                pending = self._advance(pending, batch, report, run_id, progress)
            if pending is not None:
                self._finish(pending, report, run_id)
                if progress:
                    progress(len(pending.raws))
        finally:
            self._in_flight.clear()  # whatever was not stored is read again next time
        self.refresh_stories(report, force=True)
        self.repo.finish_run(run_id, {k: v for k, v in report.to_json().items() if k != "errors"})
        return report

    def _advance(self, pending: "_Batch | None", raws: list[RawDocument], report: IngestReport, run_id: int,
                 progress: Callable[[int], None] | None) -> "_Batch | None":
        """Start ``raws`` on the engine, then store the batch before it: with an engine that works
        in other processes, this batch is parsed while the previous one is stored (and returned
        as the new pending batch); with one that works here, it is stored at once.

        Running one batch ahead means the line statistics have seen that batch when the batch
        before it commits them. That is safe: counting a document is idempotent (its fingerprint
        is kept), so a run resumed after a crash counts nothing twice and cleans every record
        with the same statistics as an uninterrupted run."""
        batch = self._prepare(raws, report)
        self._submit(batch)
        if not self.engine.overlaps:
            self._finish(batch, report, run_id)
            if progress:
                progress(len(raws))
            return pending
        if pending is not None:
            self._finish(pending, report, run_id)
            if progress:
                progress(len(pending.raws))
        return batch

    def _clean(self, raws: list[RawDocument], report: IngestReport, run_errors: list[IngestError]) -> list[tuple[RawDocument, Article]]:
        from .clean import clean_document, outlet_key
        from .ingest.options import PARSER_MAX_CHARS

        line_stats = self.line_stats
        for raw in raws:
            if "revision_of" not in raw.extra.get("watch", {}):  # a new version is not a new document
                line_stats.observe(outlet_key(raw), raw.text)
        out = []
        for raw in raws:
            try:
                article = clean_document(raw, line_stats, self.registry)
            except Exception as exc:  # one bad record never stops the others
                run_errors.append(IngestError(raw.source_path, f"cleaning failed: {type(exc).__name__}: {exc}",
                                              record_key=raw.record_key, kind="clean"))
                continue
            if not article.text.strip():
                run_errors.append(IngestError(raw.source_path, "no article text left after removing boilerplate",
                                              record_key=raw.record_key, kind="no_text"))
                continue
            if len(article.text) > PARSER_MAX_CHARS:  # normalisation (NFKC) can lengthen a text
                run_errors.append(IngestError(raw.source_path, f"clean text is {len(article.text):,} characters, over "
                                              f"the parser's {PARSER_MAX_CHARS:,}-character limit (spaCy max_length)",
                                              record_key=raw.record_key, kind="too_large"))
                continue
            out.append((raw, article))
        return out

    def _prepare(self, raws: list[RawDocument], report: IngestReport) -> "_Batch":
        """Clean a batch and sort out duplicates and reprints: the corpus state these need (line
        statistics, the reprint index) is the driver's and is updated in input order."""
        batch = _Batch(raws)
        t0 = time.perf_counter()
        cleaned = self._clean(raws, report, batch.errors)
        report.timed("clean", time.perf_counter() - t0)
        t0 = time.perf_counter()
        seen: set[str] = set()
        for raw, article in cleaned:
            watched = raw.extra.get("watch")
            if watched and watched.get("revision_of"):  # a new version: stored under the article's id
                article.id = watched["revision_of"]
                batch.revisions[article.id] = watched
                batch.marks.append((raw.source_path, raw.record_key, article.id, "revision"))
                batch.new.append(article)
                continue
            if article.id in seen or article.id in self._in_flight or self.repo.has_article(article.id):
                report.duplicates += 1
                batch.marks.append((raw.source_path, raw.record_key, article.id, "duplicate"))
                continue
            seen.add(article.id)
            sig = signature(article.text)
            article.reprint_of = self.reprints.find(sig)
            if article.reprint_of:
                report.reprints += 1
            self.reprints.add(article.id, sig, article.published.start if article.published else None,
                              article.reprint_of)
            batch.signatures[article.id] = sig
            batch.marks.append((raw.source_path, raw.record_key, article.id, "stored"))
            batch.new.append(article)
            if watched:
                batch.first_versions[article.id] = watched
        self._in_flight.update(batch.signatures)
        report.timed("reprints", time.perf_counter() - t0)
        return batch

    def _submit(self, batch: "_Batch") -> None:
        """Hand the batch's articles to the engine (which may work on them in the background)."""
        batch.future = self.engine.submit(batch.new)

    def _finish(self, batch: "_Batch", report: IngestReport, run_id: int) -> None:
        """Wait for the engine's results, then resolve entities, place articles in stories and
        store the batch — its articles, derived records, source marks, errors and the corpus
        stages' changed state — in one transaction."""
        new, failures, seconds = batch.future.result()
        report.timed("nlp+claims+events", seconds)
        run_errors, raws, marks, sigs = batch.errors, batch.raws, batch.marks, batch.signatures
        for stage_name, article, exc in failures:
            run_errors.append(IngestError(article.source_path, f"stage '{stage_name}' failed: {type(exc).__name__}: {exc}",
                                          record_key=article.record_key, kind=f"stage:{stage_name}"))
        t_entities = t_stories = 0.0
        touched_entities: set[str] = set()
        touched_stories: dict[str, list[str]] = {}
        resolver, clusterer = self.resolver, self.clusterer
        t0 = time.perf_counter()
        vectors = _story_vectors([a for a in new if a.id not in batch.revisions]) if clusterer is not None else {}
        t_stories += time.perf_counter() - t0
        for article in new:
            t0 = time.perf_counter()
            if resolver is not None and article.mentions:
                article.mentions = resolver.add(article.mentions, article.text)
                touched_entities.update(m.entity_id for m in article.mentions if m.entity_id)
            t1 = time.perf_counter()
            if article.id in batch.revisions:  # stays in its story, which is rebuilt from the new version
                story_id = self.repo.story_of(article.id)
                if story_id is not None:
                    touched_stories.setdefault(story_id, [])
            elif clusterer is not None:
                touched_stories.setdefault(clusterer.add(article, vectors.get(article.id)), []).append(article.id)
            t_entities += t1 - t0
            t_stories += time.perf_counter() - t1
        report.timed("entities", t_entities)
        merges = list(clusterer.merges) if clusterer is not None else []
        if merges:
            touched_stories = self._after_merges(touched_stories, merges)
        report.timed("stories", t_stories)
        t0 = time.perf_counter()
        with self.repo.transaction():
            for article in new:
                revision = batch.revisions.get(article.id)
                if revision is not None:
                    self.repo.revise_article(article, revision["number"], revision["fetched_at"],
                                             _warc(revision), revision.get("page_title"))
                    self.repo.save_derived(article)
                    continue
                self.repo.add_article(article)
                self.repo.save_derived(article)
                self.repo.add_minhash(article.id, to_bytes(sigs[article.id]))
                first = batch.first_versions.get(article.id)
                if first is not None:
                    self.repo.add_revision(article.id, 1, first["fetched_at"], Snapshot.of(article), None,
                                           _warc(first), first.get("page_title"))
            for mark in marks:
                self.repo.mark_source(*mark)
            for raw in raws:  # records that failed cleaning are done too: their error is recorded
                if not self.repo.has_source(raw.source_path, raw.record_key):
                    self.repo.mark_source(raw.source_path, raw.record_key, None, "error")
            for err in run_errors:
                self.repo.record_error(err, run_id)
            if resolver is not None and touched_entities:
                self.repo.save_entities(resolver.entities(touched_entities))
            for gone, keep, _ in merges:  # before linking: the batch's reports go to the survivors
                self.repo.merge_stories(keep, gone)
            if touched_stories:
                self._place_in_stories(touched_stories, {a.id: a for a in new})
            if merges:
                self._relink_partners(merges, touched_stories)
            self._save_state()
        self._state_committed()
        self._in_flight.difference_update(sigs)
        report.timed("store+story build", time.perf_counter() - t0)
        report.stored += len(new)
        report.errors.extend(run_errors)
        report.stories_touched += len(touched_stories)
        report.stories_merged += len(merges)
        self.refresh_stories(report)
        release_free_memory(min_interval=5.0)

    # -- stories -----------------------------------------------------------------------------
    #: A story this batch touched is rebuilt within the batch when it is new or holds at most
    #: this many articles: cheap, and a new story is readable as soon as its articles are.
    BUILD_NOW_MAX = 24
    #: Bigger stories (whose build costs seconds: coreference and claim matching over up to
    #: ``MAX_STORY_BUILD`` articles) are marked stale and rebuilt together at the end of the run,
    #: and during a long run at most once per this many seconds — and never sooner than
    #: ``REFRESH_SPACING`` times the last refresh took, so refreshing costs at most a ninth of the
    #: run however large the stories grow. Rebuilding each batch instead made cost per article
    #: grow with the corpus.
    STORY_REFRESH_SECONDS = 120.0
    REFRESH_SPACING = 8.0

    def _place_in_stories(self, stories: dict[str, list[str]], fresh: dict[str, Article]) -> None:
        """Record this batch's story membership; build small and new stories now, mark the rest
        stale (in the same transaction, so a killed run rebuilds them when it resumes)."""
        now: dict[str, list[str]] = {}
        for sid, new_ids in stories.items():
            self.repo.link_story_articles(sid, new_ids)
            size = len(self.repo.article_ids_of_story(sid))
            if size <= self.BUILD_NOW_MAX or size == len(new_ids):
                now[sid] = new_ids
                self.stale_stories.discard(sid)
            else:
                self.stale_stories.add(sid)
        self._rebuild_stories(now, fresh)
        if self.clusterer is not None:  # the other side of a link made this batch
            partners = {p for sid in stories for p in self.clusterer.related_of(sid)} - set(now)
            for pid in sorted(partners):
                self.repo.set_story_related(pid, self.clusterer.related_of(pid))

    def _after_merges(self, touched: dict[str, list[str]],
                      merges: list[tuple[str, str, tuple[str, ...]]]) -> dict[str, list[str]]:
        """The batch's stories once the clusterer's fragment merges are made: the reports of an
        absorbed story count for the story that took them (following merges of merges), and
        every survivor is rebuilt, now or as a stale story (its corroboration and dossier come
        from all its articles). An absorbed story is no longer stale: it is gone."""
        into = {gone: keep for gone, keep, _ in merges}

        def survivor(sid: str) -> str:
            while sid in into:
                sid = into[sid]
            return sid

        out: dict[str, list[str]] = {}
        for sid, ids in touched.items():
            out.setdefault(survivor(sid), []).extend(ids)
        for gone, keep, _ in merges:
            out.setdefault(survivor(keep), [])
            if gone in self.stale_stories:
                self.stale_stories.discard(gone)
                self.stale_stories.add(survivor(keep))
        return out

    def _relink_partners(self, merges: list[tuple[str, str, tuple[str, ...]]], rebuilt: dict[str, list[str]]) -> None:
        """The stories an absorbed story was related to now list its survivor (the clusterer's
        lists; the ones rebuilt this batch have theirs already)."""
        assert self.clusterer is not None
        partners = {p for _, _, related in merges for p in related} - set(rebuilt)
        for pid in sorted(partners):
            if pid in self.clusterer.stories:
                self.repo.set_story_related(pid, self.clusterer.related_of(pid))

    def refresh_stories(self, report: IngestReport | None = None, *, force: bool = False) -> int:
        """Rebuild the stale stories when due (or now, with ``force``); returns how many."""
        if not self.stale_stories:
            return 0
        elapsed = time.monotonic() - self._last_refresh
        if not force and elapsed < max(self.STORY_REFRESH_SECONDS, self.REFRESH_SPACING * self._refresh_cost):
            return 0
        t0 = time.perf_counter()
        stale = sorted(self.stale_stories)
        with self.repo.transaction():
            self._rebuild_stories({sid: [] for sid in stale}, {})
            self.stale_stories.clear()
            self.repo.save_state("stale_stories", [])
        self._refresh_cost = time.perf_counter() - t0
        self._last_refresh = time.monotonic()
        if report is not None:
            report.timed("story refresh", self._refresh_cost)
        return len(stale)

    #: A story's events and claim groups are rebuilt from at most this many of its articles (its
    #: first ones and its latest ones), so one long-running story does not make every batch cost
    #: more than the last; its article list always holds every member.
    MAX_STORY_BUILD = 200

    def _rebuild_stories(self, stories: dict[str, list[str]], fresh: dict[str, Article]) -> None:
        """Rebuild each story this batch touched from its articles, old and new."""
        from .stories import build_story

        for sid, new_ids in stories.items():
            members = list(dict.fromkeys(self.repo.article_ids_of_story(sid) + new_ids))
            cap = self.MAX_STORY_BUILD
            chosen = members if len(members) <= cap else members[: cap // 4] + members[-(cap - cap // 4):]
            articles = []
            for aid in chosen:
                article = fresh.get(aid) or self.repo.load_article(aid)
                if article is not None:
                    articles.append(article)
            if articles:
                story = build_story(sid, articles)
                if len(chosen) < len(members):
                    story.article_ids = members
                if self.clusterer is not None:
                    story.related = self.clusterer.related_of(sid)
                self.repo.save_story(story)


def _warc(fetch: dict[str, Any]) -> tuple[str, str] | None:
    """The (WARC file, record id) a watched page's response was archived as, if it was."""
    return (fetch["warc_file"], fetch["warc_record"]) if fetch.get("warc_file") else None


__all__ = ["Pipeline", "IngestReport", "count_inputs"]


def _story_vectors(articles: list[Article]) -> dict[str, Any]:
    """The batch's sentence vectors for the story stage (``sitrep.stories.embedding``, one encode
    per batch), by article id: the static vectors by default, MiniLM's with
    ``SITREP_EMBEDDINGS=1`` (and its extra installed); empty with ``SITREP_EMBEDDINGS=0`` or
    MiniLM chosen without the extra (stories then score by words and names alone)."""
    from .stories.embedding import article_embeddings, enabled

    if not enabled():
        return {}
    found = article_embeddings(articles) if articles else None
    return {} if found is None else {a.id: v for a, v in zip(articles, found)}
