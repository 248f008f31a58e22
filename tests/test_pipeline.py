"""End to end through the foundation: readers → cleaning → reprints → store, on the seeds, the
sample corpus and bad input. NLP stages are left out here (their own tests cover them) so these
run in seconds; tests/test_end_to_end.py runs the whole pipeline."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from sitrep.engines import make_engine
from sitrep.ingest import ReadOptions
from sitrep.pipeline import Pipeline
from sitrep.store.sqlite import SQLiteRepository

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "samples" / "corpus"


def foundation(repo, **kw) -> Pipeline:
    return Pipeline(repo, engine=make_engine(stages=[]), resolve_entities=False, cluster_stories=False, **kw)


@pytest.fixture
def repo(any_repo):
    return any_repo  # SQLite and PostgreSQL alike


def test_seeds_store_two_articles_as_an_analyst_reads_them(repo, seeds_dir, seeds_expected):
    report = foundation(repo).ingest([seeds_dir])
    assert report.stored == 2 and not report.errors
    by_file = {Path(a.source_path).name: a.to_json() for a in repo.list_articles()}  # as `articles --json` prints
    for name, want in seeds_expected["articles"].items():
        got = by_file[name]
        assert got["outlet"] == want["outlet"]
        assert got["title"] == want["title"]
        removed = [r["text"].strip() for r in got["removed"]]
        for line in want["boilerplate_lines"]:
            assert line in removed, f"{name}: boilerplate {line!r} not removed"
            assert line not in got["text"]
        for line in want.get("caption_lines", []):
            assert line in got["captions"] and line not in got["text"]
        if want["published"] is None:
            assert got["published"] is None
        else:
            assert got["published"]["inferred"] is True
            assert [got["published"]["start"], got["published"]["end"]] == want["published"]
    # run twice: still two articles, nothing new
    again = foundation(repo).ingest([seeds_dir])
    assert again.stored == 0 and again.skipped == 2 and repo.count_articles() == 2


def test_spans_map_back_to_the_original(repo, seeds_dir):
    foundation(repo).ingest([seeds_dir])
    rows = repo.list_articles()
    assert rows
    for row in rows:
        article = repo.load_article(row.id, derived=False)
        for i in range(0, len(article.text), 7):
            ch = article.text[i]
            if ch.strip():
                assert article.original[article.offsets.to_original(i)] == ch or ch in " '\"-"


def test_sample_corpus_duplicates_reprints_and_bad_line(repo):
    report = foundation(repo).ingest([SAMPLES])
    assert report.duplicates == 1, "the exact duplicate wire record is stored once"
    assert report.reprints >= 2, "two near copies of the wire story are linked as reprints"
    bad = [e for e in report.errors if e.kind == "parse"]
    assert len(bad) == 1 and bad[0].line == 5 and "levant-wire.jsonl" in bad[0].source_path
    assert report.ok
    rows = {a.source_id: a.to_json() for a in repo.list_articles()}
    assert rows["gd-88231"]["reprint_of"] == rows["lw-20200406-117"]["id"]
    assert rows["ep-5521"]["reprint_of"] == rows["lw-20200406-117"]["id"]
    assert rows["lw-20200406-117"]["reprint_of"] is None
    assert rows["tm-2020-0406-01"]["outlet"] == "Tigris Monitor"
    assert rows["tm-2020-0406-01"]["published"] == {"start": "2020-04-06", "end": "2020-04-06", "inferred": False,
                                                    "precision": "day", "basis": "metadata"}
    n = repo.count_articles()
    assert foundation(repo).ingest([SAMPLES]).stored == 0 and repo.count_articles() == n


def test_bad_inputs_each_give_one_clear_error_and_lose_nothing(repo, tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text("A headline\n\nA real paragraph about rockets fired at a base near Baghdad on Sunday.\n")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 20)
    with gzip.open(d / "trunc.jsonl.gz", "wb") as fh:
        fh.write((json.dumps({"id": "t1", "text": "A record inside a gzip that will be cut off. " * 40}) + "\n").encode() * 50)
    raw = (d / "trunc.jsonl.gz").read_bytes()
    (d / "trunc.jsonl.gz").write_bytes(raw[: len(raw) // 2])
    (d / "latin.txt").write_bytes("Título\n\nEl ministro dijo que la base fue atacada el domingo según fuentes.\n".encode("latin-1"))
    (d / "lines.jsonl").write_text('{"id": "ok1", "text": "First good record about a drill near Baghdad."}\n{broken\n'
                                   '{"id": "ok2", "text": "Second good record about a protest in Basra."}\n')
    (d / "script.html").write_text("<html><head><script>var a=1;</script></head><body><script>x()</script></body></html>")
    (d / "huge.txt").write_text("word " * 3000)
    report = foundation(repo, read_options=ReadOptions(max_bytes=10_000)).ingest([d, tmp_path / "does-not-exist"])
    kinds = {(Path(e.source_path).name, e.kind) for e in report.errors}
    assert ("empty.txt", "empty") in kinds
    assert ("binary.txt", "binary") in kinds
    assert ("huge.txt", "too_large") in kinds
    assert ("does-not-exist", "missing") in kinds
    assert ("script.html", "no_text") in kinds
    assert ("lines.jsonl", "parse") in kinds
    assert any(name == "trunc.jsonl.gz" for name, _ in kinds)
    for e in report.errors:
        line = e.one_line()
        assert "\n" not in line and Path(e.source_path).name in line
    ids = {a.source_id for a in repo.list_articles()}
    assert {"ok1", "ok2"} <= ids and "t1" in ids  # records before the cut-off still load
    texts = " ".join(a.text for a in repo.list_articles())
    assert "ministro" in texts and "rockets fired at a base near Baghdad" in texts
    assert len(repo.list_errors()) == len(report.errors)
    assert report.ok


def test_nothing_ingestible_is_a_failure(repo, tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    report = foundation(repo).ingest([tmp_path / "e.txt"])
    assert not report.ok


def test_killed_run_resumes_with_every_article_once(tmp_path):
    """Simulate a crash after some batches: a stage raises KeyboardInterrupt mid-run."""
    path = tmp_path / "r.sqlite"
    docs = tmp_path / "many.jsonl"
    with docs.open("w") as fh:
        for i in range(40):
            fh.write(json.dumps({"id": f"r{i}", "text": f"Report number {i} says rockets hit base {i} near town {i * 7}. "
                                 f"Officials in district {i} confirmed the attack on day {i}."}) + "\n")

    class Crash:
        name = "crash"
        requires: tuple[str, ...] = ()
        assigns: tuple[str, ...] = ()
        calls = 0

        def pipe(self, articles):
            Crash.calls += 1
            if Crash.calls == 3:
                raise KeyboardInterrupt  # not an Exception: escapes like a kill would
            return articles

    repo = SQLiteRepository(path)
    with pytest.raises(KeyboardInterrupt):
        Pipeline(repo, engine=make_engine(stages=[Crash()]), resolve_entities=False, cluster_stories=False, batch_size=8).ingest([docs])
    partial = repo.count_articles()
    assert partial == 16  # two whole batches committed, the third rolled back
    repo.close()
    repo = SQLiteRepository(path)
    report = foundation(repo, batch_size=8).ingest([docs])
    assert report.skipped == 16 and report.stored == 24
    assert repo.count_articles() == 40 and repo.integrity_check() == "ok"
    ids = [r[0] for r in repo.db.execute("SELECT source_id FROM articles")]
    assert sorted(ids) == sorted(f"r{i}" for i in range(40))


def test_place_entities_carry_geo_after_ingest(tmp_path):
    """Entities of type PLACE get the point the article's toponym resolution gave their
    mentions (issue 16); persons never do."""
    doc = tmp_path / "report.txt"
    doc.write_text("Rockets struck Kirkuk on Monday, police in Kirkuk said. "
                   "John Smith, a spokesman, said two people were wounded in Kirkuk.\n", encoding="utf-8")
    repo = SQLiteRepository(tmp_path / "geo.sqlite")
    Pipeline(repo, engine=make_engine("local", workers=1), cluster_stories=False).ingest([doc])
    places = {e.name: e for e in repo.list_entities(type="PLACE")}
    assert "Kirkuk" in places, places
    geo = places["Kirkuk"].to_json()["geo"]
    assert geo is not None and geo["geonames_id"] == 94787 and geo["precision"] == "town"
    assert all(e.geo is None for e in repo.list_entities(type="PERSON"))
