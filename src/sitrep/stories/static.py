"""Static story vectors: all-MiniLM-L6-v2 distilled into one vector per word piece (issue 18).

A report's vector is the mean of its word pieces' vectors, normalised: a table lookup in numpy,
no transformer at run time. The table (``data/story_vectors/``: 30,522 pieces × 256 dimensions,
int8 with one scale per row, 6.7 MB; MiniLM's own WordPiece tokenizer beside it) was made by
``scripts/distill_story_vectors.py``: each piece run through MiniLM alone, PCA, and weighted by
a smooth inverse frequency of its counts in news text, so that "the" and "said" weigh little and
"shooting" or "Caracas" much (the model card is ``data/story_vectors/README.md``). Same-event
quality against MiniLM and the cost are in bench/RESULTS.md, "Static story vectors".

Unlike a transformer it reads order-free and reads as much as it is given cheaply, so the
passage can be longer than MiniLM's 128 pieces (``PASSAGE_TOKENS``).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, NamedTuple, Sequence

import numpy as np

TABLE_DIR = Path(__file__).resolve().parents[1] / "data" / "story_vectors"
# Word pieces read per passage (headline first). See ``embedding.PASSAGE_TOKENS`` for MiniLM's.
PASSAGE_TOKENS = 256

_lock = threading.Lock()
_model: "StaticModel | None" = None


class StaticModel(NamedTuple):
    """The piece table (float32, dequantised once: 31 MB) and the tokenizer."""

    table: np.ndarray
    tokenizer: Any

    @property
    def dimensions(self) -> int:
        return int(self.table.shape[1])


def read(directory: Path) -> StaticModel:
    """The model stored in ``directory`` (``vectors.npz``, ``tokenizer.json``)."""
    from tokenizers import Tokenizer

    with np.load(directory / "vectors.npz") as z:
        table = z["q"].astype(np.float32) * z["scale"][:, None]
    tok = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return StaticModel(table, tok)


def load() -> StaticModel:
    """The packaged model, read once per process."""
    global _model
    with _lock:
        if _model is None:
            _model = read(TABLE_DIR)
        return _model


def embed_texts(texts: Sequence[str], tokens: int = PASSAGE_TOKENS, model: StaticModel | None = None) -> np.ndarray:
    """Unit vectors (rows, float32) of ``texts``: the sum of the first ``tokens`` word pieces'
    rows (special pieces have zero rows), normalised. A text with no known piece gets a zero row."""
    m = model or load()
    sums = np.zeros((len(texts), m.table.shape[1]), dtype=np.float32)
    for k, enc in enumerate(m.tokenizer.encode_batch(list(texts), add_special_tokens=False) if texts else []):
        ids = enc.ids[:tokens]
        if ids:
            sums[k] = m.table[ids].sum(axis=0)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
