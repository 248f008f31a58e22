"""Corpus stages saved item by item: each batch writes only what it changed, and a stage rebuilt
from its header and items is the stage that was saved (same state, same later decisions).

Unit tests replay rounds of changes into a dict that stands in for ``state_items`` (an item of
None is a deletion); pipeline tests ingest into a real store, stop after some batches as a killed
run would, resume in a new ``Pipeline`` and compare with one uninterrupted ingest.
"""
from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator

import pytest

from support import repository_snapshot, resolve_names

from sitrep.clean import LineStats
from sitrep.engines import make_engine
from sitrep.entities import EntityResolver
from sitrep.entities.aliases import AliasTable
from sitrep.model import Article, DateRange, Mention, OffsetMap
from sitrep.pipeline import Pipeline
from sitrep.store.sqlite import SQLiteRepository
from sitrep.stories import StoryClusterer

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "src" / "sitrep" / "samples" / "corpus"


def apply(store: dict[str, Any], items: dict[str, Any]) -> None:
    """What the repository does with a stage's dirty items: upsert, or delete an item of None."""
    for key, value in items.items():
        if value is None:
            store.pop(key, None)
        else:
            store[key] = value


def save(stage: Any, store: dict[str, Any]) -> dict[str, Any]:
    """One batch's save: the dirty items through JSON (as the store keeps them), then saved."""
    items = json.loads(json.dumps(stage.dirty_items()))
    apply(store, items)
    stage.mark_saved()
    return items


def roundtrip(data: Any) -> Any:
    return json.loads(json.dumps(data))


# ------------------------------------------------------------------------------ recurring lines

def outlet_doc(outlet: int, i: int) -> str:
    return (f"Footer of outlet {outlet}: read us daily\n"
            f"Paragraph {i} about event number {i * 7 + outlet} in the region.\n"
            f"Unique line {'x' * (i % 5 + 1)} of report {i}\n")


def test_line_stats_rebuilt_from_items_equals_the_original():
    stats, store = LineStats(window=3), {}  # small window: outlets are halved along the way
    for round_ in range(4):
        for i in range(5):
            stats.observe(f"outlet:{i % 3}", outlet_doc(i % 3, round_ * 5 + i))
        stats.observe("outlet:0", outlet_doc(0, 0))  # a repeat is ignored
        save(stats, store)
    rebuilt = LineStats.from_state(roundtrip(stats.state_header()), store)
    assert rebuilt.to_json() == stats.to_json()
    assert rebuilt.dirty_items() == {}
    # and both go on alike
    for s in (stats, rebuilt):
        s.observe("outlet:1", outlet_doc(1, 99))
        s.observe("outlet:0", outlet_doc(0, 0))
    assert rebuilt.to_json() == stats.to_json()
    assert rebuilt.is_recurring("outlet:1", "Footer of outlet 1: read us daily")


def test_line_stats_halving_deletes_the_dropped_lines():
    stats, store = LineStats(window=2), {}
    for i in range(3):
        stats.observe("k", f"Footer\nOne-off line {'y' * (i + 1)}")
    save(stats, store)
    assert any("one-off line y" in k for k in store)
    stats.observe("k", "Footer\nAnother one-off line")  # the fourth document halves the counts
    items = save(stats, store)
    assert [k for k, v in items.items() if v is None], "lines that fell out must be deleted"
    assert not any("one-off line" in k for k in store)
    assert LineStats.from_state(stats.state_header(), store).to_json() == stats.to_json()


def test_line_stats_dirty_items_hold_only_what_a_batch_touched():
    stats, store = LineStats(), {}
    stats.observe("outlet:a", "Alpha footer\nAlpha story one")
    save(stats, store)
    stats.observe("outlet:b", "Beta footer\nBeta story one")
    save(stats, store)
    stats.observe("outlet:b", "Beta footer\nBeta story two")
    third = stats.dirty_items()
    assert "o:outlet:b" in third and "o:outlet:a" not in third
    assert not any("lpha" in k for k in third)
    assert sum(k.startswith("s:") for k in third) == 1  # one new fingerprint, not every one


def test_line_stats_from_whole_state_is_all_dirty():
    stats = LineStats()
    stats.observe("outlet:a", "Alpha footer\nAlpha story one")
    stats.mark_saved()
    again = LineStats.from_json(roundtrip(stats.to_json()))
    store: dict[str, Any] = {}
    save(again, store)
    assert LineStats.from_state(again.state_header(), store).to_json() == stats.to_json()


# ------------------------------------------------------------------------------ entities

ROUNDS = [
    [("d1", ("Qassem Soleimani", "PERSON"), ("Hashd al-Shaabi", "GROUP"), ("Mosul", "PLACE"))],
    [("d2", ("Kassem Suleimani", "PERSON"), ("Mosul", "PLACE")),
     ("d3", ("Popular Mobilization Units", "GROUP"), ("Baghdad", "PLACE"))],
    [("d4", ("PMF", "ORG"), ("Gen. Qasem Soleimani", "PERSON")), ("d5", ("Erbil", "PLACE"), ("Iraqi", "NORP"))],
    [("d6", ("Erbil", "PLACE"), ("Daesh", "ORG"), ("Abu Mahdi al-Muhandis", "PERSON"))],
]
LATER = [("d7", ("Kassem Soleimani", "PERSON"), ("ISIS", "GROUP"), ("Muhandis", "PERSON"), ("Arbil", "PLACE"))]


def test_entity_resolver_rebuilt_from_items_equals_the_original():
    resolver, store = EntityResolver(AliasTable.load(), keep_mentions=False), {}
    text = "The Popular Mobilization Units (PMU) denied it."
    start = text.index("Popular")
    resolver.add([Mention("d0", start, start + 26, "Popular Mobilization Units", "GROUP")], text)
    for round_ in ROUNDS:
        for doc_id, *names in round_:
            resolve_names(resolver, doc_id, *names)
        save(resolver, store)
    rebuilt = EntityResolver.from_state(roundtrip(resolver.state_header()), store, keep_mentions=False)
    assert rebuilt.to_json() == resolver.to_json()
    assert rebuilt._exact == resolver._exact
    assert rebuilt.dirty_items() == {}
    for doc_id, *names in LATER:
        a, b = resolve_names(resolver, doc_id, *names), resolve_names(rebuilt, doc_id, *names)
        assert [m.entity_id for m in a] == [m.entity_id for m in b]
    assert rebuilt.to_json() == resolver.to_json()


def test_entity_key_keeps_its_first_owner_across_a_rebuild():
    """Two entities can hold one key: here the older entity registers the acronym "pmu" after a
    newer one took it. The entity that registered the key first owns it, so a rebuilt resolver
    must register keys in that order, not entity by entity in the order they were made."""
    resolver, store = EntityResolver(AliasTable(), keep_mentions=False), {}
    resolve_names(resolver, "d1", ("Popular Mobilization Units", "ORG"))  # made first, no acronym yet
    resolve_names(resolver, "d2", ("PMU", "ORG"))  # a bare acronym: an entity of its own owns "pmu"
    text = "The Popular Mobilization Units (PMU) denied it."
    start = text.index("Popular")
    expansion = Mention("d3", start, start + 26, "Popular Mobilization Units", "ORG")
    acronym = Mention("d3", text.index("PMU"), text.index("PMU") + 3, "PMU", "ORG")
    resolved = resolver.add([expansion, acronym], text)  # the older entity registers "pmu" too
    assert resolved[0].entity_id == resolved[1].entity_id != resolver._exact[("ORG", "pmu")]
    save(resolver, store)
    rebuilt = EntityResolver.from_state(resolver.state_header(), store, AliasTable(), keep_mentions=False)
    assert rebuilt._exact == resolver._exact
    again = EntityResolver.from_json(roundtrip(resolver.to_json()), AliasTable(), keep_mentions=False)
    assert again._exact == resolver._exact
    later = resolve_names(resolver, "d4", ("PMU", "ORG")), resolve_names(rebuilt, "d4", ("PMU", "ORG"))
    assert later[0][0].entity_id == later[1][0].entity_id


def test_entity_dirty_items_hold_only_the_entities_a_batch_touched():
    resolver = EntityResolver(AliasTable(), keep_mentions=False)
    first = resolve_names(resolver, "d1", ("Mosul", "PLACE"), ("Ahmed Hassan", "PERSON"))
    resolver.mark_saved()
    resolve_names(resolver, "d2", ("Basra", "PLACE"))
    resolver.mark_saved()
    third = resolve_names(resolver, "d3", ("Basra", "PLACE"), ("Samir Aziz", "PERSON"))
    dirty = resolver.dirty_items()
    assert set(dirty) == {m.entity_id for m in third}
    assert not {m.entity_id for m in first} & set(dirty)


def test_entity_state_written_before_key_sequence_numbers_still_loads():
    resolver = EntityResolver(AliasTable(), keep_mentions=False)
    resolve_names(resolver, "d1", ("Mosul", "PLACE"), ("Ahmed Hassan", "PERSON"))
    old = roundtrip(resolver.to_json())
    for e in old["entities"]:  # the layout of earlier versions: sorted keys, no numbers
        e["keys"] = sorted(k for k, _ in e["keys"])
        e["joined_keys"] = sorted(k for k, _ in e["joined_keys"])
    del old["order"], old["key_seq"]
    loaded = EntityResolver.from_json(old, AliasTable())
    assert set(loaded.dirty_items()) == {e.id for e in resolver.entities()}
    a, b = resolve_names(resolver, "d2", ("Mosul", "PLACE")), resolve_names(loaded, "d2", ("Mosul", "PLACE"))
    assert a[0].entity_id == b[0].entity_id


# ------------------------------------------------------------------------------ stories

TOPICS = [
    ("warehouse fire Harbourview Marlow firefighters blaze wiring owner Delia Mortensen", "Marlow"),
    ("council budget school buses teacher pay Elmford vote tax", "Elmford"),
    ("flood river Saxby bridge evacuation rain levee residents", "Saxby"),
    ("election ballots Corvin count turnout candidates polling", "Corvin"),
    ("strike dockworkers Portwell harbour wages union shipping", "Portwell"),
    ("drought wells Ardent farmers crops water rationing", "Ardent"),
]


def story_article(i: int, rng: random.Random, day: date | None, aid: str | None = None,
                  topic: int | None = None, **kw: Any) -> Article:
    words, place = TOPICS[(i if topic is None else topic) % len(TOPICS)]
    vocab = words.split()
    body = " ".join(rng.choice(vocab) for _ in range(30)) + f". Officials in {place} said on day {i}."
    title = f"{place}: {' '.join(rng.sample(vocab, 3))}"
    aid = aid or f"a{i}"
    return Article(id=aid, source_path=f"{aid}.txt", text=body, original=body, offsets=OffsetMap(),
                   title=title, outlet=f"Outlet {i % 4}", published=DateRange(day, day) if day else None, **kw)


def stream(n: int, seed: int = 5) -> list[Article]:
    """A topic a day, each back after six days (its story closed by then: a new one opens), a few
    undated reports, and undated reprints of reports some weeks old (which reopen closed stories)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = date(2021, 1, 1) + timedelta(days=i // 3)
        out.append(story_article(i, rng, None if i % 11 == 5 else day, topic=i // 3))
        if i % 9 == 4:
            old = max(0, i - 30)
            out.append(story_article(old, rng, None, aid=f"r{i}", topic=old // 3, reprint_of=f"a{old}"))
    return out


def postings(c: StoryClusterer) -> tuple[dict, dict]:
    """The inverted indexes with their order (most recent last), which decides candidates."""
    return ({k: list(v) for k, v in c._term_index.items()}, {k: list(v) for k, v in c._entity_index.items()})


def expiry(c: StoryClusterer) -> set:
    """The expiry entries that can still close a story."""
    return {(last, sid) for last, sid in c._expiry if c.stories[sid].active and c.stories[sid].last == last}


def test_story_clusterer_rebuilt_from_items_equals_the_original():
    # a small posting cap: full postings push stories out, and that must survive the rebuild
    clusterer, store = StoryClusterer(window_days=4, index_days=4, posting_cap=3), {}
    articles = stream(72)
    for start in range(0, 60, 12):
        for a in articles[start:start + 12]:
            clusterer.add(a)
        save(clusterer, store)
    assert any(not s.active for s in clusterer.stories.values())
    assert any(s.unposted_terms or s.unposted_entities for s in clusterer.stories.values())
    rebuilt = StoryClusterer.from_state(roundtrip(clusterer.state_header()), store)
    assert rebuilt.to_json() == clusterer.to_json()
    assert postings(rebuilt) == postings(clusterer)
    assert expiry(rebuilt) == expiry(clusterer)
    assert rebuilt.story_of == clusterer.story_of
    assert clusterer._late_index and rebuilt._late_index == clusterer._late_index  # names of people, for late reports
    assert rebuilt.dirty_items() == {}
    for a in articles[60:]:
        assert rebuilt.add(a) == clusterer.add(a)
    assert rebuilt.to_json() == clusterer.to_json()
    assert postings(rebuilt) == postings(clusterer)


def test_whole_story_state_resumes_with_the_same_postings():
    clusterer = StoryClusterer(window_days=4, index_days=4, posting_cap=3)
    articles = stream(48)
    for a in articles[:36]:
        clusterer.add(a)
    again = StoryClusterer.from_json(roundtrip(clusterer.to_json()))
    assert postings(again) == postings(clusterer)
    store: dict[str, Any] = {}
    save(again, store)  # loaded whole, it is all dirty: the first save writes every item
    assert StoryClusterer.from_state(again.state_header(), store).to_json() == clusterer.to_json()
    for a in articles[36:]:
        assert again.add(a) == clusterer.add(a)


def test_story_pushed_out_of_a_full_posting_stays_out_after_a_rebuild():
    """With room for two stories per posting, a third pushes the oldest out; when a newer one
    then leaves (it closes), the posting has room, yet the pushed-out story must not come back:
    a rebuilt index must hold exactly what the running one holds."""
    rng = random.Random(2)
    c, store = StoryClusterer(window_days=3, index_days=3, posting_cap=2, index_min_idf=0.0), {}  # every term posted
    pushed = c.add(story_article(0, rng, date(2021, 1, 5), topic=0))
    closing = c.add(story_article(1, rng, date(2021, 1, 1), topic=1))  # late report of an old day
    staying = c.add(story_article(2, rng, None, topic=2))  # undated: the clock stays; pushes out the first
    assert c.stories[pushed].unposted_terms
    c.add(story_article(2, rng, date(2021, 1, 5), aid="again", topic=2, reprint_of="a2"))  # old one closes
    assert closing not in c.active_story_ids() and pushed in c.active_story_ids()
    shared = next(t for t in c.stories[pushed].unposted_terms if t in c._term_index)
    assert list(c._term_index[shared]) == [staying]
    save(c, store)
    for rebuilt in (StoryClusterer.from_state(roundtrip(c.state_header()), store),
                    StoryClusterer.from_json(roundtrip(c.to_json()))):
        assert postings(rebuilt) == postings(c)


def test_undated_reprint_reopens_a_story_that_closes_again():
    c = StoryClusterer(window_days=2, index_days=2)
    rng = random.Random(1)
    first = c.add(story_article(0, rng, date(2021, 1, 1)))
    c.add(story_article(1, rng, date(2021, 1, 10)))  # the clock moves on: the first story closes
    assert first not in c.active_story_ids()
    reprint = story_article(2, rng, None, reprint_of="a0")
    assert c.add(reprint) == first and first in c.active_story_ids()
    c.add(story_article(3, rng, date(2021, 1, 10)))
    assert first not in c.active_story_ids()  # it closes again, as a rebuilt clusterer's would


def test_story_dirty_items_hold_only_what_a_batch_touched():
    clusterer = StoryClusterer()
    articles = stream(60)
    batches = [articles[0:6], articles[30:36], articles[54:60]]  # days far apart
    touched = []
    for batch in batches:
        touched.append({clusterer.add(a) for a in batch})
        if batch is not batches[-1]:
            clusterer.mark_saved()
    dirty = clusterer.dirty_items()
    stories = {k[2:] for k in dirty if k.startswith("s:")}
    assert touched[2] <= stories
    assert all(not clusterer.stories[sid].active for sid in stories - touched[2])  # closed by this batch
    assert not (touched[0] - touched[2]) & stories  # closed long ago: not written again
    assert {k[2:] for k in dirty if k.startswith("m:")} == {a.id for a in batches[2]}
    assert not [k for k in dirty if k.startswith(("t:", "e:"))]  # fixed idf: no frequencies to save


def test_learned_frequencies_of_an_earlier_state_are_deleted_once():
    clusterer, store = StoryClusterer(), {}
    for a in stream(12):
        clusterer.add(a)
    save(clusterer, store)
    store.update({"t:123": 4, "e:n:marlow": 2})  # what the learned weighting used to save
    rebuilt = StoryClusterer.from_state(roundtrip(clusterer.state_header()), store)
    assert rebuilt.to_json() == clusterer.to_json()
    assert rebuilt.dirty_items() == {"t:123": None, "e:n:marlow": None}
    old_header = {**clusterer.state_header(), "config": {"threshold": 0.15, "posting_cap": 300}}
    upgraded = StoryClusterer.from_state(roundtrip(old_header), store)  # saved by the learned weighting
    assert upgraded.threshold == StoryClusterer().threshold and upgraded.posting_cap is None
    rebuilt.mark_saved()
    assert rebuilt.dirty_items() == {}


# ------------------------------------------------------------------------------ the store

def test_state_items_upsert_load_delete(any_repo):
    with any_repo.transaction():
        any_repo.save_state_items("a", {"x": 1, "y": {"z": [1, "é"]}, "l:[\"o\",\"line\"]": 3})
        any_repo.save_state_items("b", {"x": "other"})
    assert any_repo.load_state_items("a") == {"x": 1, "y": {"z": [1, "é"]}, "l:[\"o\",\"line\"]": 3}
    with any_repo.transaction():
        any_repo.save_state_items("a", {"x": 2})
        any_repo.delete_state_items("a", ["y", "missing"])
        any_repo.save_state_items("a", {})
        any_repo.delete_state_items("a", [])
    assert any_repo.load_state_items("a") == {"x": 2, "l:[\"o\",\"line\"]": 3}
    assert any_repo.load_state_items("b") == {"x": "other"}
    assert any_repo.load_state_items("none") == {}


def test_state_items_roll_back_with_their_transaction(any_repo):
    with any_repo.transaction():
        any_repo.save_state_items("a", {"x": 1})
    with pytest.raises(RuntimeError):
        with any_repo.transaction():
            any_repo.save_state_items("a", {"x": 2, "y": 3})
            any_repo.delete_state_items("a", ["x"])
            raise RuntimeError("the batch failed")
    assert any_repo.load_state_items("a") == {"x": 1}


# ------------------------------------------------------------------------------ the pipeline

class NameMentions:
    """A document stage without a model: each run of capitalised words is an ORG mention, so the
    entity resolver has work in fast pipeline tests."""

    name = "names"
    requires = ("text",)
    assigns = ("mentions",)
    _NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)*")

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for a in articles:
            a.mentions = [Mention(a.id, m.start(), m.end(), m.group(), "ORG") for m in self._NAME.finditer(a.text)]
            yield a


def made_up(n: int, length: int = 3) -> str:
    """A word of letters only, distinct for each ``n``."""
    letters = ""
    for _ in range(length):
        n, r = divmod(n, 100)
        letters += "bcdfghjklmnpqrstvwxz"[r // 5] + "aeiou"[r % 5]
    return letters


def write_records(path: Path, n: int, per_topic: int = 4, seed: int = 3) -> Path:
    """``n`` reports, ``per_topic`` of each made-up incident (its own words, place and spokesman),
    all on one day, from three outlets that each add their footer."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        topic = i // per_topic
        vocab = [made_up(100 * topic + j) for j in range(8)]
        place, spokesman = made_up(5000 + topic).title(), made_up(9000 + topic).title()
        rows.append({
            "id": f"rec-{i}", "outlet": f"Outlet {i % 3}", "published": "2021-01-01",
            "title": f"{place}: {' '.join(rng.sample(vocab, 3))}",
            "text": (f"{' '.join(rng.choice(vocab) for _ in range(25))}. Officials in {place} said so, "
                     f"according to spokesman {spokesman}.\n\nReport number {i} from Outlet {i % 3}.\n\n"
                     f"Outlet {i % 3} footer: subscribe for daily news"),
        })
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


class Killed(Exception):
    """A run stopped right after a batch committed, as SIGKILL would stop it."""


class StopsAfter(Pipeline):
    def __init__(self, repo: Any, batches: int, **kwargs: Any):
        self.batches_left = batches
        super().__init__(repo, **kwargs)

    def _finish(self, *args: Any) -> None:
        super()._finish(*args)
        self.batches_left -= 1
        if self.batches_left == 0:
            raise Killed


def stage_states(p: Pipeline) -> dict[str, Any]:
    return {"line_stats": p.line_stats.to_json(), "entity_resolver": p.resolver.to_json(),
            "story_clusterer": p.clusterer.to_json()}


def written_keys(repo: SQLiteRepository, monkeypatch) -> list[dict[str, set[str]]]:
    """Record, per batch, the item keys each stage wrote."""
    batches: list[dict[str, set[str]]] = []
    save_items = repo.save_state_items

    def recording(name: str, items: dict[str, Any]) -> None:
        if name == "line_stats":  # the first stage saved: a new batch
            batches.append({})
        batches[-1][name] = set(items)
        save_items(name, items)

    monkeypatch.setattr(repo, "save_state_items", recording)
    return batches


def test_each_batch_writes_only_what_it_touched(tmp_path, monkeypatch):
    corpus = write_records(tmp_path / "c.jsonl", 36)
    repo = SQLiteRepository(tmp_path / "s.sqlite")
    batches = written_keys(repo, monkeypatch)
    p = Pipeline(repo, engine=make_engine(stages=[NameMentions()]), batch_size=12)
    p.ingest([corpus])
    assert len(batches) == 3
    for i, written in enumerate(batches):
        lines = [f"line:{j + 1}" for j in range(12 * i, 12 * i + 12)]
        articles = [repo.load_article(repo.execute("SELECT article_id FROM sources WHERE record_key=?", (line,))
                                      .fetchone()["article_id"]) for line in lines]
        clusterer = written["story_clusterer"]
        assert {k[2:] for k in clusterer if k.startswith("m:")} == {a.id for a in articles}
        assert {k[2:] for k in clusterer if k.startswith("s:")} == {repo.story_of(a.id) for a in articles}
        assert written["entity_resolver"] == {m.entity_id for a in articles for m in a.mentions}
        assert sum(k.startswith("s:") for k in written["line_stats"]) == 12  # this batch's fingerprints
        assert sum(k.startswith("o:") for k in written["line_stats"]) == 3  # the three outlets' counts
    first, third = batches[0], batches[2]
    assert not {k for k in first["story_clusterer"] if k.startswith("s:")} & third["story_clusterer"]
    assert first["entity_resolver"] - third["entity_resolver"], "the first incidents' names are not written again"
    # what was written is the state: a new pipeline rebuilds every stage exactly
    assert stage_states(Pipeline(repo, engine=make_engine(stages=[NameMentions()]))) == stage_states(p)


class FailingCommit:
    """A connection whose next COMMIT, once armed, fails (and rolls back), as a full disk would."""

    def __init__(self, conn: Any):
        self.conn, self.armed = conn, False

    def execute(self, sql: str, *args: Any) -> Any:
        if self.armed and sql == "COMMIT":
            self.armed = False
            self.conn.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def test_items_stay_dirty_when_the_batch_does_not_commit(tmp_path, monkeypatch):
    corpus = write_records(tmp_path / "c.jsonl", 16)
    repo = SQLiteRepository(tmp_path / "s.sqlite")
    p = Pipeline(repo, engine=make_engine(stages=[NameMentions()]), batch_size=8)
    conn = repo._local.conn = FailingCommit(repo.db)
    saves = []
    save_state = p._save_state

    def save_then_fail_the_second_commit() -> None:
        save_state()
        saves.append(1)
        conn.armed = len(saves) == 2

    monkeypatch.setattr(p, "_save_state", save_then_fail_the_second_commit)
    with pytest.raises(sqlite3.OperationalError):
        p.ingest([corpus])
    assert repo.count_articles() == 8  # the second batch rolled back
    dirty = p.clusterer.dirty_items()
    unsaved = set(p.clusterer.story_of) - {a.id for a in repo.list_articles()}  # the second batch's
    assert len(unsaved) == 8 and {k[2:] for k in dirty if k.startswith("m:")} == unsaved
    assert p.line_stats.dirty_items() and p.resolver.dirty_items()
    # the same pipeline retries the batch: its stages learnt nothing new (every article is known
    # to them), yet what the failed commit lost is written now
    p.ingest([corpus])
    assert repo.count_articles() == 16
    assert stage_states(Pipeline(repo, engine=make_engine(stages=[NameMentions()]))) == stage_states(p)


@pytest.fixture(scope="module")
def full_corpus(tmp_path_factory) -> tuple[list[Path], dict, dict]:
    """Sample corpus plus generated reports, and one uninterrupted ingest of them in small batches."""
    sys.path.insert(0, str(REPO / "bench"))
    from synthetic import generate

    work = tmp_path_factory.mktemp("delta")
    generated = work / "generated.jsonl"
    generate(40, generated)
    inputs = [SAMPLES, generated]
    repo = SQLiteRepository(work / "whole.sqlite")
    p = Pipeline(repo, engine=make_engine(workers=1), batch_size=5)
    p.ingest(inputs)
    return inputs, repository_snapshot(repo, story_members=True), stage_states(p)


@pytest.mark.slow
def test_resumed_ingest_matches_an_uninterrupted_one(tmp_path, full_corpus):
    inputs, expected, expected_states = full_corpus
    repo = SQLiteRepository(tmp_path / "resumed.sqlite")
    for batches in (2, 3):  # killed after 2 batches, then after 3 more, then run to the end
        with pytest.raises(Killed):
            StopsAfter(repo, batches, engine=make_engine(workers=1), batch_size=5).ingest(inputs)
    last = Pipeline(repo, engine=make_engine(workers=1), batch_size=5)
    last.ingest(inputs)
    got = repository_snapshot(repo, story_members=True)
    assert got["articles"] and got["claims"] and got["entities"] and got["stories"]
    for key in expected:
        assert got[key] == expected[key], f"{key} differ after resuming"
    assert stage_states(last) == expected_states
    assert stage_states(Pipeline(repo, engine=make_engine(workers=1), batch_size=5)) == expected_states


def as_earlier_version(stage_state: dict[str, Any], name: str) -> dict[str, Any]:
    """A stage's whole state in the layout earlier versions saved in ``state``."""
    d = roundtrip(stage_state)
    if name == "entity_resolver":
        del d["order"], d["key_seq"]
        for e in d["entities"]:
            e["keys"] = sorted(k for k, _ in e["keys"])
            e["joined_keys"] = sorted(k for k, _ in e["joined_keys"])
    if name == "story_clusterer":
        del d["index_seq"]
        for s in d["stories"]:
            for k in ("created", "indexed", "unposted_terms", "unposted_entities"):
                del s[k]
    return d


@pytest.mark.slow
def test_store_of_an_earlier_version_is_continued_and_rewritten_as_items(tmp_path, full_corpus):
    inputs, expected, expected_states = full_corpus
    repo = SQLiteRepository(tmp_path / "old.sqlite")
    with pytest.raises(Killed):
        StopsAfter(repo, 3, engine=make_engine(workers=1), batch_size=5).ingest(inputs)
    states = stage_states(Pipeline(repo, engine=make_engine(workers=1), batch_size=5))
    with repo.transaction():  # what an earlier version left: whole states, no items
        for name, state in states.items():
            repo.save_state(name, as_earlier_version(state, name))
        repo.db.execute("DELETE FROM state_items")
    with pytest.raises(Killed):
        StopsAfter(repo, 1, engine=make_engine(workers=1), batch_size=5).ingest(inputs)
    for name in states:
        assert repo.load_state(name)["layout"] == "items"  # the whole state gave way to a header
        assert repo.load_state_items(name)
    last = Pipeline(repo, engine=make_engine(workers=1), batch_size=5)
    last.ingest(inputs)
    got = repository_snapshot(repo, story_members=True)
    for key in expected:
        assert got[key] == expected[key], f"{key} differ after continuing an earlier version's store"
