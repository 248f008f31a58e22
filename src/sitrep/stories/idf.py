"""A fixed table of inverse document frequencies for story clustering.

Why fixed: with document frequencies learned from the stream, every article ingested changes the
weight of every later one, so adding unrelated articles to a corpus could split or merge the
stories of the others (issue 18). A table computed once, offline, from a training corpus and
shipped with the package makes an article's vector a function of the article alone.

The table holds hashed features only (no words): term features are the ``HashingVectorizer``
columns of ``features.content_tokens`` (the clusterer's own hashing), name features a murmur hash
of ``features.name_key``. A feature absent from the table has the highest idf (never seen: rare).

Built by ``python -m sitrep.stories.idf ../shared/eval`` from news text no story figure is
reported on: the PolNeAR training articles (US politics, 840), the BBC dev articles (1,110,
five sections) and the tuning half of the GVA incident clusters (US local crime news, the half
that chose the clusterer's constants) read as *one document per incident*: the words of crime
reports ("shooting", "wounded") become common, but a victim's or a street's name, found in one
incident only, stays as rare as it is on the held-out half (counted per article, the tuning
half's names looked common there and rare on the half reported). The GVA held-out half, News-TS
and the real pages are not read.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from sitrep.stories.features import capitalised_names, content_tokens, name_key

N_FEATURES = 2**20
TABLE = "story_idf.json"
# Features seen in fewer training documents than this are left out of the shipped table (they
# weigh as unseen): it keeps the file small and changes no weight by more than log(3/2).
MIN_DF = 2
BODY_CHARS = 4000  # what the clusterer reads of an article


def term_hasher() -> HashingVectorizer:
    """The hashing of terms shared by the table and the clusterer."""
    return HashingVectorizer(n_features=N_FEATURES, analyzer=content_tokens, alternate_sign=False, norm=None)


@lru_cache(maxsize=200_000)
def name_feature(name: str) -> int:
    """The hashed feature of a name (its ``name_key``)."""
    return int(murmurhash3_32(name_key(name), positive=True)) % N_FEATURES


class IdfTable:
    """Document frequencies of hashed features over ``n_docs`` training documents."""

    def __init__(self, n_docs: int, terms: dict[int, int], names: dict[int, int]):
        self.n_docs = n_docs
        self.terms = terms
        self.names = names
        self._max = self._idf(0)

    def _idf(self, df: int) -> float:
        return math.log((self.n_docs + 1) / (df + 1)) + 1.0

    def term_idf(self, feature: int) -> float:
        df = self.terms.get(feature)
        return self._max if df is None else self._idf(df)

    def name_idf(self, feature: int) -> float:
        df = self.names.get(feature)
        return self._max if df is None else self._idf(df)

    @property
    def max_idf(self) -> float:
        return self._max

    def to_json(self) -> dict:
        return {"n_docs": self.n_docs, "terms": sorted(self.terms.items()), "names": sorted(self.names.items())}

    @classmethod
    def from_json(cls, d: dict) -> "IdfTable":
        return cls(int(d["n_docs"]), {int(k): int(v) for k, v in d["terms"]},
                   {int(k): int(v) for k, v in d["names"]})


@lru_cache(maxsize=1)
def packaged_table() -> IdfTable:
    """The table shipped in ``sitrep/data`` (read once)."""
    text = resources.files("sitrep").joinpath("data", TABLE).read_text(encoding="utf-8")
    return IdfTable.from_json(json.loads(text))


# ------------------------------------------------------------------------------------ building


def training_documents(eval_dir: Path) -> Iterator[str]:
    """Title and text of each training document (see the module docstring), in a fixed order, each
    article cut where the clusterer stops reading."""
    for path in sorted((eval_dir / "polnear-attribution" / "train" / "text").glob("*.txt")):
        yield path.read_text(encoding="utf-8", errors="replace")[:BODY_CHARS]
    for line in (eval_dir / "bbc-news-categories" / "bbc_dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        yield ((r.get("title") or "") + "\n" + (r.get("text") or ""))[:BODY_CHARS]
    incidents: dict[str, list[str]] = {}
    for line in (eval_dir / "gva-incident-clusters" / "articles.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        if gva_half(str(r["incident_id"])) == "tune":
            text = ((r.get("title") or "") + "\n" + (r.get("text") or ""))[:BODY_CHARS]
            incidents.setdefault(str(r["incident_id"]), []).append(text)
    for incident in sorted(incidents):
        yield "\n".join(incidents[incident])


def gva_half(incident: str) -> str:
    """The GVA incident's half, as ``bench/eval_stories.py`` splits them."""
    return "tune" if int(hashlib.md5(incident.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def build(documents: Iterable[str]) -> IdfTable:
    """Document frequencies of terms and names over ``documents``."""
    hasher = term_hasher()
    terms: Counter = Counter()
    names: Counter = Counter()
    n = 0
    for doc in documents:
        n += 1
        terms.update(int(i) for i in hasher.transform([doc]).indices)
        names.update({name_feature(x) for x in capitalised_names(doc) if name_key(x)})
    keep = lambda c: {k: v for k, v in c.items() if v >= MIN_DF}  # noqa: E731
    return IdfTable(n, keep(terms), keep(names))


def main() -> int:
    ap = argparse.ArgumentParser(description="Build the story clusterer's fixed idf table.")
    ap.add_argument("eval_dir", type=Path, help="../shared/eval")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / TABLE)
    args = ap.parse_args()
    table = build(training_documents(args.eval_dir))
    args.out.write_text(json.dumps(table.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{table.n_docs} documents, {len(table.terms)} term and {len(table.names)} name features -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
