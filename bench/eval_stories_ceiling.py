"""How far can any grouping by text similarity go on News-TS? Offline ceilings for issue 18.

sitrep's story stage is a stream: each report is placed once, in arrival order, against the
stories so far. This command asks what the same kinds of similarity reach with none of a
stream's handicaps: average-linkage agglomerative clustering over the whole News-TS set at
once (every pair scored, no order, no window), with TF-IDF fitted on the set itself, and its
distance threshold chosen on the tuning half (then also at its best over the whole set, an
oracle). If such a clustering cannot reach the issue's 0.92, no threshold or rule on top of the
same similarities will, and the gap is the representation's, not the stream's.

Representations, each as a cosine similarity over all pairs:
- ``tfidf``: sublinear TF-IDF of the stemmed words (what the stream's word score reads);
- ``tfidf+static``: mixed 0.7 / 0.3 with sitrep's static story vectors (``stories.static``);
- ``tfidf+minilm``: mixed 0.5 / 0.5 with MiniLM's sentence vectors (the ``embeddings`` extra;
  skipped without it);
- ``minilm``: MiniLM alone.

``--refine`` also refines each clustering by iterative classification (Rakib et al. 2020,
"Enhancement of short text clustering by iterative classification"), in its published form: a
linear SVM learns every cluster of at least ``REFINE_MIN`` texts from four fifths of its members,
the other fifth and every text of a smaller cluster take the cluster it predicts, ``REFINE_ROUNDS``
times. It is the strongest published post-processing for short-text clustering, and it assumes
what a stream cannot: every text belongs to one of the big clusters (none is left on its own).

Halves as everywhere in the story benches: a hash of the cluster id (``stories.idf.gva_half``).
Exact duplicate texts are dropped, keeping the first, as the pipeline drops them.

    .venv/bin/python bench/eval_stories_ceiling.py            # all representations
    .venv/bin/python bench/eval_stories_ceiling.py --only tfidf
    .venv/bin/python bench/eval_stories_ceiling.py --only tfidf tfidf+minilm --refine
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_stories import bcubed  # noqa: E402
from eval_stories_e2e import NEWS_TS, half  # noqa: E402

# Distance thresholds tried (1 - cosine). Each representation's useful range differs: a mixed
# score with dense vectors sits higher than TF-IDF's sparse cosine.
GRID = {
    "tfidf": [0.88, 0.90, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96],
    "tfidf+static": [0.76, 0.78, 0.80, 0.82, 0.84, 0.86],
    "tfidf+minilm": [0.72, 0.75, 0.77, 0.79, 0.80, 0.81, 0.83, 0.85],
    "minilm": [0.55, 0.60, 0.65, 0.70, 0.75],
}
MIX = {"tfidf+static": 0.3, "tfidf+minilm": 0.5}
# ``--refine``: a cluster is learned once it holds REFINE_MIN texts (fewer give an SVM nothing to
# learn from; theirs are the texts that most need placing again), for REFINE_ROUNDS rounds (six
# times over every held-out fifth).
REFINE_MIN = 5
REFINE_ROUNDS = 30


def load() -> tuple[list[str], list[str]]:
    """The News-TS texts and their gold clusters, exact duplicates dropped (first kept)."""
    seen: set[str] = set()
    texts, gold = [], []
    for line in NEWS_TS.open(encoding="utf-8"):
        r = json.loads(line)
        if r["text"] in seen:
            continue
        seen.add(r["text"])
        texts.append(r["text"])
        gold.append(str(r["cluster"]))
    return texts, gold


def features(texts: list[str], name: str):
    """One representation's row vectors (unit TF-IDF, unit dense vectors, or both side by side
    weighted so that their dot product is the mixed cosine), None when unavailable."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    def dense(vectors: np.ndarray) -> np.ndarray:
        return normalize(vectors.astype(np.float32))

    def tfidf():
        return normalize(TfidfVectorizer(sublinear_tf=True).fit_transform(texts)).astype(np.float32)

    if name == "tfidf":
        return tfidf()
    if name == "tfidf+static":
        from sitrep.stories.static import embed_texts as static_vectors

        vectors = static_vectors(texts)
    else:
        from sitrep.stories.embedding import embed_texts as minilm_vectors

        vectors = minilm_vectors(texts)
        if vectors is None:
            return None
        if name == "minilm":
            return dense(vectors)
    w = MIX[name]
    return sp.hstack([tfidf() * np.sqrt(1 - w), sp.csr_matrix(dense(vectors) * np.sqrt(w))]).tocsr()


def similarities(rows) -> np.ndarray:
    """The all-pairs cosine matrix of ``features`` rows (float32)."""
    sim = rows @ rows.T
    return (sim.toarray() if hasattr(sim, "toarray") else sim).astype(np.float32)


def refine(rows, labels: list[str]) -> list[str]:
    """Iterative classification over ``labels`` (the module docstring's ``--refine``)."""
    from collections import Counter

    from sklearn.svm import LinearSVC

    current = np.array(labels, dtype=object)
    fold = np.random.default_rng(0).permutation(len(labels)) % 5
    for r in range(REFINE_ROUNDS):
        size = Counter(current)
        train = np.array([size[c] >= REFINE_MIN for c in current]) & (fold != r % 5)
        if len(set(current[train])) < 2:
            break
        clf = LinearSVC(C=1.0, random_state=0).fit(rows[train], current[train].astype(str))
        current[~train] = clf.predict(rows[~train])
    return [str(c) for c in current]


def partition(sim: np.ndarray, threshold: float) -> list[str]:
    """Average-linkage clusters, merged while the mean pairwise distance is under ``threshold``."""
    from sklearn.cluster import AgglomerativeClustering

    distance = np.maximum(1.0 - sim, 0.0)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=threshold).fit_predict(distance)
    return [str(x) for x in labels]


def scores(labels: list[str], gold: list[str]) -> dict[str, tuple[float, float, float]]:
    out = {}
    for part, keep in (("all", lambda g: True), ("tune", lambda g: half(g) == "tune"),
                       ("heldout", lambda g: half(g) == "heldout")):
        idx = [i for i, g in enumerate(gold) if keep(g)]
        out[part] = bcubed({i: labels[i] for i in idx}, {i: gold[i] for i in idx})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="+", choices=list(GRID), default=list(GRID))
    ap.add_argument("--refine", action="store_true", help="also each clustering refined by iterative classification")
    args = ap.parse_args()
    if not NEWS_TS.exists():
        print(f"skipped: {NEWS_TS} not found")
        return 0
    texts, gold = load()
    print(f"News-TS: {len(texts)} texts, {len(set(gold))} gold stories; average-linkage clustering "
          "over the whole set\n")
    print("| similarity | threshold chosen on | distance | stories | tuning P / R / F1 | held-out P / R / F1 | all P / R / F1 |")
    print("|---|---|---|---|---|---|---|")
    for name in args.only:
        t0 = time.perf_counter()
        rows = features(texts, name)
        if rows is None:
            print(f"| {name} | skipped: the embeddings extra is not installed | | | | | |")
            continue
        sim = similarities(rows)
        runs = {t: partition(sim, t) for t in GRID[name]}
        del sim
        kinds = {name: runs}
        if args.refine:
            kinds[f"{name}, refined by iterative classification"] = {t: refine(rows, labels) for t, labels in runs.items()}
        for kind, found in kinds.items():
            graded = {t: scores(labels, gold) for t, labels in found.items()}
            chosen = {"tuning half": max(graded, key=lambda t: graded[t]["tune"][2]),
                      "whole set (oracle)": max(graded, key=lambda t: graded[t]["all"][2])}
            for how, t in chosen.items():
                s = graded[t]
                cells = " | ".join("{:.3f} / {:.3f} / **{:.4f}**".format(*s[p]) for p in ("tune", "heldout", "all"))
                print(f"| {kind} | {how} | {t} | {len(set(found[t]))} | {cells} |", flush=True)
            edge = [t for t in chosen.values() if t in (GRID[name][0], GRID[name][-1])]
            if edge:
                print(f"|  | (a chosen threshold {edge[0]} is at the grid's edge: widen GRID) | | | | | |")
        print(f"    {name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
