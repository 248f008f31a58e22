"""Is a sentence embedding of each report worth it for story grouping? (issue 18)

Measured on the pipeline's own stored articles (the stores ``eval_stories_e2e.py --keep DIR``
builds: gva.sqlite, nts.sqlite, real.sqlite, seeds.sqlite), against the similarity the clusterer
already has (TF-IDF + entity cosine under the fixed idf table, ``StoryClusterer._similarity``'s
mix, article to article). Only ``embed`` needs the ``embeddings`` extra on the path
(``sitrep.stories.embedding``); the other commands read the vectors it cached. Figures:
bench/RESULTS.md, "Sentence embeddings for stories".

    python bench/eval_story_embeddings.py embed --keep DIR --variants lead128q       # vectors, cost
    python bench/eval_story_embeddings.py embed --keep DIR --variants static         # the static vectors
    python bench/eval_story_embeddings.py cost --keep DIR --sets real gva           # input variants, interleaved
    python bench/eval_story_embeddings.py pairs --keep DIR                           # separability
    python bench/eval_story_embeddings.py cluster --keep DIR                         # prototype sweep
    python bench/eval_story_embeddings.py single --keep DIR --thresholds 0.4 0.8     # embedding alone

``embed`` caches each store's vectors in DIR/SET.VARIANT.emb.npz (a bench cache, never in the
repository; ``eval_stories_e2e.py --relink --vectors`` reads them) and prints the cost: import and
load time, CPU seconds per 1,000 reports, peak memory. ``cost``: CPU ms per report of each input
variant (``VARIANTS``: passage mode, word pieces, int8), torch thread count and batch size,
interleaved over the same reports. ``--variants`` names the vectors the other commands read.

``pairs``: AUC of "same story" over pairs, and the precision each score reaches at the pair
recall the clusterer has (its own partition, re-run over the store), for
(a) GVA tuning half: same-incident pairs vs different-incident pairs published within 7 days;
(b) the real pages + seeds: labelled same-group pairs vs the other pairs, and where the clusterer's
    wrong-merge pairs fall among the right ones;
(c) News-TS, split by a hash of the cluster id (tuning half and held-out half): same-cluster pairs
    vs a sample of different-cluster pairs.

``cluster``: the pipeline's clusterer with the embedding added to its score (``EmbeddingClusterer``,
a subclass here, the hook described in RESULTS): score = (1 − w)·clusterer score + w·(cosine of
the report's vector to the story's mean vector), threshold t; and a gate variant (the clusterer's
score as now, and the embedding cosine must reach g to join). Grid chosen on the GVA tuning half,
reported on GVA held-out, News-TS halves and the real pages (wrong-merge pairs, seeds together).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from eval_stories import bcubed  # noqa: E402
from eval_stories_e2e import (  # noqa: E402
    GVA,
    NEWS_TS,
    REAL_LABELS,
    SEEDS,
    gold_key,
    half,
    stored,
    wrong_merges,
)

from sitrep.model import Article  # noqa: E402
from sitrep.stories import embedding  # noqa: E402
from sitrep.stories.cluster import StoryClusterer, _Story  # noqa: E402

STORES = {"gva": "gva.sqlite", "news-ts": "nts.sqlite", "real": "real.sqlite", "seeds": "seeds.sqlite"}


# ------------------------------------------------------------------------------------ inputs


def load(keep: Path, name: str) -> list[Article]:
    """The stored articles in store order, with their mentions (as ``relinked`` reads them)."""
    from sitrep.store.sqlite import SQLiteRepository

    db = keep / STORES[name]
    articles, _ = stored(db)
    repo = SQLiteRepository(db)
    out = []
    for a in articles:
        full = repo.load_article(a.id)
        assert full is not None
        full.reprint_of = a.reprint_of
        out.append(full)
    return out


def gold_of(name: str, articles: list[Article]) -> dict[str, str]:
    """Article id → gold group (real pages: the labels, unlabelled pages alone)."""
    if name == "gva":
        rows = (json.loads(line) for line in GVA.open(encoding="utf-8"))
        by_rid = {f"gva-{r['doc_id']}": str(r["incident_id"]) for r in rows}
    elif name == "news-ts":
        by_rid = {f"nts-{i}": str(json.loads(line)["cluster"]) for i, line in enumerate(NEWS_TS.open(encoding="utf-8"))}
    else:
        doc = json.loads(REAL_LABELS.read_text(encoding="utf-8"))
        by_rid = {n: g for g, names in doc["groups"].items() for n in names}
    return {a.id: by_rid.get(gold_key(a), gold_key(a)) for a in articles}


def nts_half(cluster: str) -> str:
    """News-TS clusters split in two by a hash of the cluster id (as GVA's incidents are)."""
    return "tune" if int(hashlib.md5(cluster.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


VARIANT = "lead128"  # set by --variants (pairs, cluster, single: the first one named)


def vectors(keep: Path, name: str, articles: list[Article]) -> np.ndarray:
    data = np.load(keep / f"{name}.{VARIANT}.emb.npz")
    pos = {aid: i for i, aid in enumerate(data["ids"])}
    return data["vecs"][[pos[a.id] for a in articles]]


# ------------------------------------------------------------------------------------ embed


def cmd_embed(keep: Path, sets: list[str], variants: list[str]) -> None:
    for v in variants:
        if v == "static":  # the packaged static vectors (sitrep.stories.static), as the pipeline makes them
            print("variant static:", flush=True)
            embed_variant(keep, sets, v)
            continue
        embedding.PASSAGE, embedding.PASSAGE_TOKENS, quantize = (VARIANTS[v] + (False,))[:3]
        embedding._cache.clear()
        if embedding.QUANTIZE != quantize:
            embedding.QUANTIZE, embedding._model = quantize, None
        if embedding._model is not None:
            embedding._model.max_seq_length = embedding.PASSAGE_TOKENS
        print(f"variant {v}:", flush=True)
        embed_variant(keep, sets, v)


def embed_variant(keep: Path, sets: list[str], variant: str) -> None:
    model = "static" if variant == "static" else "minilm"
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    if model == "static":
        from sitrep.stories import static

        static.load()  # imports tokenizers, reads the table
        ok = True
    else:
        ok = embedding.available()  # imports torch and sentence-transformers, loads the model
    t1, c1 = time.perf_counter(), time.process_time()
    if not ok:
        print(embedding.unavailable_reason())
        return
    print(f"peak RSS before loading: {rss0:.0f} MB")
    print(f"import + load: wall {t1 - t0:.1f} s, CPU {c1 - c0:.1f} s; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for name in sets:
        articles = load(keep, name)
        t, c = time.perf_counter(), time.process_time()
        vecs = []
        for i in range(0, len(articles), 256):
            found = embedding.article_embeddings(articles[i:i + 256], model)
            assert found is not None
            vecs.extend(found)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        np.savez(keep / f"{name}.{variant}.emb.npz", ids=np.array([a.id for a in articles]), vecs=np.stack(vecs))
        n = len(articles)
        print(f"{name}: {n} reports; wall {wall:.1f} s, CPU {cpu:.1f} s = {1000 * cpu / n:.0f} CPU s per 1,000 "
              f"({n / wall:.1f} reports/s wall); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
              flush=True)


VARIANTS = {  # name: (passage mode, word pieces[, int8]); "static": the packaged static vectors (embed only)
    "static": ("lead", 256),
    "lead128": ("lead", 128),
    "lead128q": ("lead", 128, True),
    "lead96q": ("lead", 96, True),
    "lead96": ("lead", 96),
    "lead80": ("lead", 80),
    "lead64": ("lead", 64),
    "sentence64": ("sentence", 64),
    "sentence32": ("sentence", 32),
    "headline32": ("headline", 32),
    "headline16": ("headline", 16),
}


def cmd_cost(keep: Path, sets: list[str], variants: list[str], threads: list[int], batches: list[int],
             n: int, rounds: int) -> None:
    """CPU ms per report of each input variant (passage mode, word pieces), torch thread count and
    encode batch size, interleaved: each round runs every configuration once over the same
    reports (each set's first ``n``, split in ``rounds`` slices), so the load of other jobs falls
    on all alike. The vectors of each variant are cached in DIR/SET.VARIANT.emb.npz."""
    import torch

    c0 = time.process_time()
    assert embedding.available(), embedding.unavailable_reason()
    print(f"import + load: CPU {time.process_time() - c0:.1f} s", flush=True)
    model = embedding._load()
    models = {embedding.QUANTIZE: model}
    if any(len(VARIANTS[v]) < 3 for v in variants if v != "static"):  # fp32 wanted too
        embedding.QUANTIZE, embedding._model = False, None
        models[False] = embedding._load()
    for name in sets:
        arts = load(keep, name)[:n]
        configs = [(v, t, b) for v in variants for t in threads for b in batches]
        cpu: dict[tuple, float] = defaultdict(float)
        wall: dict[tuple, float] = defaultdict(float)
        vecs: dict[str, list[np.ndarray]] = defaultdict(list)
        words: dict[str, int] = defaultdict(int)
        step = -(-len(arts) // rounds)
        for r in range(rounds):
            part = arts[r * step:(r + 1) * step]
            for cfg in configs:
                v, t, b = cfg
                mode, pieces, quantize = (VARIANTS[v] + (False,))[:3]
                if v == "static":  # numpy, no torch: thread count and batch size do not apply
                    from sitrep.stories import static

                    texts = [embedding.passage(a, chars=embedding.STATIC_LEAD_CHARS) for a in part]
                    static.load()
                    w0, p0 = time.perf_counter(), time.process_time()
                    out = static.embed_texts(texts)
                else:
                    model = models[quantize]
                    texts = [embedding.passage(a, mode) for a in part]
                    torch.set_num_threads(t)
                    model.max_seq_length = pieces
                    w0, p0 = time.perf_counter(), time.process_time()
                    out = model.encode(texts, batch_size=b, normalize_embeddings=True, convert_to_numpy=True,
                                       show_progress_bar=False)
                cpu[cfg] += time.process_time() - p0
                wall[cfg] += time.perf_counter() - w0
                if cfg == (v, threads[0], batches[0]):
                    vecs[v].extend(np.asarray(out, dtype=np.float32))
                    words[v] += sum(len(x.split()) for x in texts)
        for v in variants:
            np.savez(keep / f"{name}.{v}.emb.npz", ids=np.array([a.id for a in arts]), vecs=np.stack(vecs[v]))
        print(f"\n{name}: {len(arts)} reports, {rounds} interleaved rounds")
        print("| variant | threads | batch | CPU ms / report | wall ms / report | words / passage |\n|---|---|---|---|---|---|")
        for cfg in configs:
            print(f"| {cfg[0]} | {cfg[1]} | {cfg[2]} | {1000 * cpu[cfg] / len(arts):.1f} | {1000 * wall[cfg] / len(arts):.1f} "
                  f"| {words[cfg[0]] / len(arts):.0f} |", flush=True)


# ------------------------------------------------------------------------------------ pair scores


class PairScorer:
    """The clusterer's article-to-article similarity (its ``_similarity`` mix of TF-IDF and entity
    cosine, fixed idf), over sparse matrices so that many pairs cost little."""

    def __init__(self, articles: list[Article]):
        from scipy.sparse import csr_matrix

        c = StoryClusterer()
        self.entity_weight = c.entity_weight
        tv, ev = [], []
        for a in articles:
            vec, ents, *_ = c._weigh(a, learn=False)
            tv.append(vec)
            ev.append(ents)
        ekeys: dict[str, int] = {}
        for e in ev:
            for k in e:
                ekeys.setdefault(k, len(ekeys))

        def matrix(rows: list[dict], index) -> Any:
            data, ind, ptr = [], [], [0]
            for r in rows:
                for k, w in r.items():
                    ind.append(index(k))
                    data.append(w)
                ptr.append(len(ind))
            return csr_matrix((data, ind, ptr), shape=(len(rows), max(ind, default=0) + 1))

        self.T = matrix(tv, lambda k: k % (1 << 22))
        self.E = matrix(ev, lambda k: ekeys[k])
        self.has_ents = np.array([bool(e) for e in ev])

    def __call__(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        text = np.asarray(self.T[i].multiply(self.T[j]).sum(axis=1)).ravel()
        ent = np.asarray(self.E[i].multiply(self.E[j]).sum(axis=1)).ravel()
        both = self.has_ents[i] & self.has_ents[j]
        return np.where(both, (1 - self.entity_weight) * text + self.entity_weight * ent, text)


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    return float(roc_auc_score(y, np.r_[pos, neg]))


def precision_at_recall(pos: np.ndarray, neg: np.ndarray, recall: float) -> tuple[float, float]:
    """Pair precision at the threshold that keeps ``recall`` of the positives, and the threshold."""
    t = float(np.quantile(pos, 1 - recall)) if len(pos) else 0.0
    tp, fp = int((pos >= t).sum()), int((neg >= t).sum())
    return (tp / (tp + fp) if tp + fp else 0.0), t


def pair_table(label: str, i: np.ndarray, j: np.ndarray, same: np.ndarray, scores: dict[str, np.ndarray],
               clustered: np.ndarray | None) -> list[str]:
    """Rows: AUC and precision at the clusterer's pair recall, per score."""
    rows = []
    if clustered is not None:
        tp = int((clustered & same).sum())
        rec = tp / max(int(same.sum()), 1)
        prec = tp / max(int(clustered.sum()), 1)
        rows.append(f"| {label} | clusterer's partition | | P {prec:.3f} at R {rec:.3f} | {int(same.sum())} same / {int((~same).sum())} other |")
    else:
        rec = 0.8
    for name, s in scores.items():
        p, t = precision_at_recall(s[same], s[~same], rec)
        rows.append(f"| {label} | {name} | {auc(s[same], s[~same]):.3f} | P {p:.3f} at R {rec:.3f} (threshold {t:.3f}) | |")
    return rows


def combos(tfidf: np.ndarray, emb: np.ndarray) -> dict[str, np.ndarray]:
    out = {"TF-IDF + entity (clusterer)": tfidf, "embedding cosine": emb}
    for w in (0.3, 0.5):
        out[f"(1-{w})·TF-IDF + {w}·embedding"] = (1 - w) * tfidf + w * emb
    return out


def cmd_pairs(keep: Path, sets: list[str]) -> None:
    print("| pairs | score | AUC | precision at the clusterer's recall | n |\n|---|---|---|---|---|")
    if "gva" in sets:
        pairs_gva(keep)
    if "real" in sets:
        pairs_real(keep)
    if "news-ts" in sets:
        pairs_news_ts(keep)


def pairs_gva(keep: Path) -> None:
    """(a) GVA tuning half, same-incident vs other pairs within 7 days."""
    arts = load(keep, "gva")
    gold = gold_of("gva", arts)
    tune = [a for a in arts if half(gold[a.id]) == "tune"]
    V = vectors(keep, "gva", tune)
    ps = PairScorer(tune)
    day = np.array([a.published.start.toordinal() if a.published else 0 for a in tune])
    ii, jj = np.triu_indices(len(tune), 1)
    keep_pairs = np.abs(day[ii] - day[jj]) <= 7
    ii, jj = ii[keep_pairs], jj[keep_pairs]
    g = np.array([gold[a.id] for a in tune])
    same = g[ii] == g[jj]
    pred = relink(tune)
    p = np.array([pred[a.id] for a in tune])
    emb = np.einsum("ij,ij->i", V[ii], V[jj])
    print("\n".join(pair_table("GVA tuning half, ≤ 7 days apart", ii, jj, same, combos(ps(ii, jj), emb), p[ii] == p[jj])), flush=True)


def pairs_real(keep: Path) -> None:
    """(b) real pages + seeds."""
    arts = load(keep, "real")
    gold = gold_of("real", arts)
    V = vectors(keep, "real", arts)
    ps = PairScorer(arts)
    ii, jj = np.triu_indices(len(arts), 1)
    g = np.array([gold[a.id] for a in arts])
    same = g[ii] == g[jj]
    pred = relink(arts)
    p = np.array([pred[a.id] for a in arts])
    clustered = p[ii] == p[jj]
    tf = ps(ii, jj)
    emb = np.einsum("ij,ij->i", V[ii], V[jj])
    print("\n".join(pair_table("real pages + seeds, all pairs", ii, jj, same, combos(tf, emb), clustered)))
    wrong = clustered & ~same
    right = same
    for name, s in combos(tf, emb).items():
        lo = float(s[right].min())
        above = int((s[wrong] >= lo).sum())
        print(f"| real: the clusterer's {int(wrong.sum())} wrong-merge pairs vs the {int(right.sum())} right pairs | {name} "
              f"| {auc(s[right], s[wrong]):.3f} | wrong pairs scoring ≥ the lowest right pair ({lo:.3f}): {above}; "
              f"right pairs below the highest wrong pair ({float(s[wrong].max()):.3f}): {int((s[right] < s[wrong].max()).sum())} | |")
    for x, y in zip(ii[wrong], jj[wrong]):
        print(f"    wrong merge {gold_key(arts[x])} + {gold_key(arts[y])}: TF-IDF {tf[(ii == x) & (jj == y)][0]:.2f} "
              f"embedding {float(V[x] @ V[y]):.2f}", file=sys.stderr)
    for x, y in zip(ii[right], jj[right]):
        print(f"    right pair {gold_key(arts[x])} + {gold_key(arts[y])}: TF-IDF {tf[(ii == x) & (jj == y)][0]:.2f} "
              f"embedding {float(V[x] @ V[y]):.2f}", file=sys.stderr)


def pairs_news_ts(keep: Path) -> None:
    """(c) News-TS halves: every same-cluster pair, a sample of other pairs."""
    arts = load(keep, "news-ts")
    gold = gold_of("news-ts", arts)
    V_all = vectors(keep, "news-ts", arts)
    rng = np.random.default_rng(18)
    for h in ("tune", "heldout"):
        idx = [k for k, a in enumerate(arts) if nts_half(gold[a.id]) == h]
        sub = [arts[k] for k in idx]
        V = V_all[idx]
        g = np.array([gold[a.id] for a in sub])
        by = defaultdict(list)
        for k, x in enumerate(g):
            by[x].append(k)
        si = np.array([x for m in by.values() for x, _ in combinations(m, 2)])
        sj = np.array([y for m in by.values() for _, y in combinations(m, 2)])
        n = len(si)
        ri, rj = rng.integers(0, len(sub), 3 * n), rng.integers(0, len(sub), 3 * n)
        other = g[ri] != g[rj]
        ii, jj = np.r_[si, ri[other]], np.r_[sj, rj[other]]
        same = np.r_[np.ones(n, bool), np.zeros(int(other.sum()), bool)]
        ps = PairScorer(sub)
        pred = relink(sub)
        p = np.array([pred[a.id] for a in sub])
        emb = np.einsum("ij,ij->i", V[ii], V[jj])
        print("\n".join(pair_table(f"News-TS {h} half (other pairs sampled 3:1)", ii, jj, same,
                                   combos(ps(ii, jj), emb), p[ii] == p[jj])), flush=True)


def relink(articles: list[Article], **kw: Any) -> dict[str, str]:
    c = StoryClusterer(**kw)
    return {a.id: c.add(a) for a in articles}


# ------------------------------------------------------------------------------------ prototype


class EmbeddingClusterer(StoryClusterer):
    """The pipeline's clusterer with each story's mean embedding beside its centroid: the one
    hook it would need (``embed(article) -> vector | None`` called once in ``add``). Candidates
    still come from the rare-term index, so cost and stability stay as they are.

    ``embedding_weight`` w: score = (1 − w)·similarity + w·embedding cosine (w = 0: as now).
    ``embedding_gate`` g: a story is joined only when the embedding cosine also reaches g, unless
    the clusterer's own score reaches ``gate_until`` (a strong text match needs no second opinion).
    ``nameless_weight``: the weight used instead for a report without a headline (a snippet, as
    News-TS's stemmed items are), with ``nameless_threshold``."""

    def __init__(self, vecs: dict[str, np.ndarray], embedding_weight: float = 0.0,
                 embedding_gate: float | None = None, gate_until: float = 2.0,
                 nameless_weight: float | None = None, nameless_threshold: float | None = None, **kw: Any):
        super().__init__(**kw)
        self.nameless_weight = nameless_weight
        self.nameless_threshold = nameless_threshold
        self._named_threshold = self.threshold
        self.gate_until = gate_until
        self.vecs = vecs
        self.embedding_weight = embedding_weight
        self.embedding_gate = embedding_gate
        self.emb_sum: dict[str, np.ndarray] = {}
        self._current: np.ndarray | None = None
        self._nameless = False

    def add(self, article: Article) -> str:
        self._current = self.vecs.get(article.id)
        self._nameless = False
        if self.nameless_weight is not None:
            self._nameless = not (article.title or "").strip()
        self.threshold = self.nameless_threshold if self._nameless and self.nameless_threshold else self._named_threshold
        sid = super().add(article)
        if self._current is not None:
            self.emb_sum[sid] = self.emb_sum.get(sid, 0) + self._current
        return sid

    def _emb_cos(self, story: _Story) -> float | None:
        s = self.emb_sum.get(story.id)
        if s is None or self._current is None:
            return None
        n = float(np.linalg.norm(s))
        return float(self._current @ s) / n if n else 0.0

    def _similarity(self, story: _Story, vec: dict[int, float], ents: dict[str, float]) -> float:
        s = super()._similarity(story, vec, ents)
        e = self._emb_cos(story)
        if e is None:
            return s
        if self._nameless and self.nameless_weight is not None:
            return (1 - self.nameless_weight) * s + self.nameless_weight * e
        if self.embedding_gate is not None and e < self.embedding_gate and s < self.gate_until:
            return 0.0
        return (1 - self.embedding_weight) * s + self.embedding_weight * e


def embedding_single_pass(articles: list[Article], V: np.ndarray, threshold: float,
                          text_weight: float = 0.0) -> dict[str, str]:
    """The embedding alone (or mixed with plain TF-IDF cosine to the story's centroid, weight
    ``text_weight``): each report joins the story whose mean vector is closest if the cosine
    reaches ``threshold``. Exact (every story scored), no time window: a reference, not a design."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [(a.title or "") + " " + a.text[:4000] for a in articles]) if text_weight else None
    sums = np.zeros((0, V.shape[1]), dtype=np.float32)
    tsums: list[Any] = []
    out: dict[str, str] = {}
    for k, a in enumerate(articles):
        best = -1
        if len(sums):
            sims = sums @ V[k] / np.maximum(np.linalg.norm(sums, axis=1), 1e-9)
            if X is not None:
                from scipy.sparse import vstack

                T = vstack(tsums)
                tn = np.sqrt(np.asarray(T.multiply(T).sum(axis=1)).ravel())
                ts = np.asarray((T @ X[k].T).todense()).ravel() / np.maximum(tn, 1e-9)
                sims = (1 - text_weight) * sims + text_weight * ts
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                best = j
        if best < 0:
            sums = np.vstack([sums, V[k]])
            if X is not None:
                tsums.append(X[k])
            best = len(sums) - 1
        else:
            sums[best] += V[k]
            if X is not None:
                tsums[best] = tsums[best] + X[k]
        out[a.id] = str(best)
    return out


def cmd_single(keep: Path, thresholds: list[float], text_weight: float) -> None:
    print("| embedding single pass | threshold | tuning half P / R / F1 | held-out half P / R / F1 |\n|---|---|---|---|")
    for name, split in (("gva", half), ("news-ts", nts_half)):
        arts = load(keep, name)
        gold = gold_of(name, arts)
        V = vectors(keep, name, arts)
        for t in thresholds:
            pred = embedding_single_pass(arts, V, t, text_weight)
            cells = []
            for h in ("tune", "heldout"):
                ids = [a.id for a in arts if split(gold[a.id]) == h]
                p, r, f = bcubed({k: pred[k] for k in ids}, {k: gold[k] for k in ids})
                cells.append(f"{p:.3f} / {r:.3f} / **{f:.3f}**")
            print(f"| {name} (text weight {text_weight}) | {t} | " + " | ".join(cells) + " |", flush=True)


def run_proto(articles: list[Article], vecs: dict[str, np.ndarray], **kw: Any) -> dict[str, str]:
    c = EmbeddingClusterer(vecs, **kw)
    return {a.id: c.add(a) for a in articles}


def cmd_cluster(keep: Path, grid: list[dict[str, Any]], which: list[str]) -> None:
    sets = {}
    for name in ("gva", "news-ts", "real", "seeds"):
        if name not in which and not (name == "seeds" and "real" in which):
            continue
        arts = load(keep, name)
        V = vectors(keep, name, arts) if name != "seeds" else None
        sets[name] = (arts, gold_of(name, arts) if name != "seeds" else {}, V)
    labels_doc = json.loads(REAL_LABELS.read_text(encoding="utf-8"))
    labels = {n: g for g, names in labels_doc["groups"].items() for n in names}
    seed_names = {p.name for p in SEEDS.iterdir()}
    print("| config | GVA tuning P / R / F1 | GVA held-out P / R / F1 | News-TS tune F1 | News-TS held-out P / R / F1 "
          "| real wrong pairs (seeds last) | seeds together: with pages / alone | CPU s |\n|---|---|---|---|---|---|---|---|")
    for cfg in grid:
        c0 = time.process_time()
        cells = [json.dumps(cfg)]
        if "gva" in sets:
            cells += cluster_halves(sets["gva"], cfg, half)
        else:
            cells += ["", ""]
        if "news-ts" in sets:
            cells += cluster_halves(sets["news-ts"], cfg, nts_half, tune_f1_only=True)
        else:
            cells += ["", ""]
        if "real" in sets:
            cells += cluster_real(sets["real"], sets["seeds"], cfg, labels, seed_names)
        else:
            cells += ["", ""]
        cells.append(f"{time.process_time() - c0:.0f}")
        print("| " + " | ".join(cells) + " |", flush=True)


def cluster_halves(data: tuple, cfg: dict[str, Any], half_of, tune_f1_only: bool = False) -> list[str]:
    """BCubed on a set's tuning and held-out halves (``half_of``: gold cluster → "tune" or
    "heldout"); ``tune_f1_only`` prints the tuning half as F1 alone."""
    cells = []
    arts, gold, V = data
    pred = run_proto(arts, dict(zip([a.id for a in arts], V)), **cfg)
    for h in ("tune", "heldout"):
        ids = [a.id for a in arts if half_of(gold[a.id]) == h]
        p, r, f = bcubed({k: pred[k] for k in ids}, {k: gold[k] for k in ids})
        cells.append(f"{f:.3f}" if tune_f1_only and h == "tune" else f"{p:.3f} / {r:.3f} / **{f:.3f}**")
    return cells


def cluster_real(data: tuple, seeds: tuple, cfg: dict[str, Any], labels: dict[str, str], seed_names: set[str]) -> list[str]:
    """Wrong-merge pairs (file-name order, then seeds last) and the seeds together."""
    cells = []
    arts, gold, V = data
    vmap = dict(zip([a.id for a in arts], V))
    lab = {gold_key(a): labels.get(gold_key(a), gold_key(a)) for a in arts}
    pred = run_proto(arts, vmap, **cfg)
    late_order = [a for a in arts if gold_key(a) not in seed_names] + [a for a in arts if gold_key(a) in seed_names]
    late = run_proto(late_order, vmap, **cfg)
    cells.append(f"{len(wrong_merges(pred, arts, lab))} ({len(wrong_merges(late, arts, lab))})")
    together = len({pred[a.id] for a in arts if gold_key(a) in seed_names}) == 1
    sarts = seeds[0]
    # the seeds alone: their vectors are those of the same reports in the real store
    by_key = {gold_key(a): vmap[a.id] for a in arts if gold_key(a) in seed_names}
    alone = run_proto(sarts, {a.id: by_key[gold_key(a)] for a in sarts if gold_key(a) in by_key}, **cfg)
    cells.append(f"{together} / {len(set(alone.values())) == 1}")
    return cells


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["embed", "cost", "pairs", "cluster", "single"])
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS),
                    help="cost: passage variants; pairs/cluster/single: the one whose vectors to read")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="cost: torch thread counts")
    ap.add_argument("--batches", type=int, nargs="+", default=[32], help="cost: encode batch sizes")
    ap.add_argument("--n", type=int, default=600, help="cost: reports per set")
    ap.add_argument("--rounds", type=int, default=3, help="cost: interleaved rounds")
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.5, 0.6, 0.7],
                    help="single: cosine thresholds")
    ap.add_argument("--text-weight", type=float, default=0.0, help="single: share of plain TF-IDF cosine")
    ap.add_argument("--keep", type=Path, required=True, help="folder of the stores eval_stories_e2e.py --keep built (a copy)")
    ap.add_argument("--sets", nargs="+", default=["gva", "news-ts", "real"], choices=["gva", "news-ts", "real"])
    ap.add_argument("--grid", type=json.loads, default=None,
                    help='cluster: list of EmbeddingClusterer/StoryClusterer argument sets as JSON')
    args = ap.parse_args()
    global VARIANT
    VARIANT = args.variants[0]
    if args.command == "embed":
        cmd_embed(args.keep, args.sets, args.variants)
    elif args.command == "cost":
        cmd_cost(args.keep, args.sets, args.variants, args.threads, args.batches, args.n, args.rounds)
    elif args.command == "single":
        cmd_single(args.keep, args.thresholds, args.text_weight)
    elif args.command == "pairs":
        cmd_pairs(args.keep, args.sets)
    else:
        grid = args.grid or [  # the rows of RESULTS' table that carry its conclusions
            {},
            {"embedding_gate": 0.4, "threshold": 0.2},
            {"embedding_gate": 0.55, "gate_until": 0.5, "threshold": 0.2},
            {"embedding_gate": 0.55, "gate_until": 0.5, "threshold": 0.2, "nameless_weight": 0.5, "nameless_threshold": 0.23},
            {"embedding_weight": 0.3, "threshold": 0.3},
        ]
        cmd_cluster(args.keep, grid, args.sets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
