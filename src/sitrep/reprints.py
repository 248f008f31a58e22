"""Near-duplicate detection: which stored article is this one a reprint of?

Exact copies share a content hash and are stored once; near copies (a reprint with another
headline, a trimmed wire story, a mirror site's footer) are kept, because corroboration later
has to know that two reports are one, and linked to the earliest copy. MinHash over word
5-shingles with an LSH index (datasketch) finds candidates in time independent of corpus size;
the estimated Jaccard similarity decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
THRESHOLD = 0.7
SCHEME = "affine32"  # stored signatures name their hashing scheme; keep it fixed

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = _WORD.findall(text.casefold())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def signature(text: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    m.update_batch(list(shingles(text)))
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The permutation parameters of every signature (fixed by the seed), drawn once: drawing them
    again for each stored signature took a third of an ingest's start-up on a 10k store."""
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(data, dtype=np.uint64).copy(),
                   permutations=_permutations(), scheme=SCHEME)


@dataclass
class _Known:
    published: date | None
    order: int


class ReprintIndex:
    """An LSH index of the corpus; ``find`` names the earliest near-copy of a text."""

    def __init__(self, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.sigs: dict[str, MinHash] = {}
        self.known: dict[str, _Known] = {}
        self.reprint_of: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self.sigs)

    def add(self, article_id: str, sig: MinHash, published: date | None = None,
            reprint_of: str | None = None) -> None:
        if article_id in self.sigs:
            return
        self.lsh.insert(article_id, sig)
        self.sigs[article_id] = sig
        self.known[article_id] = _Known(published, len(self.known))
        if reprint_of:
            self.reprint_of[article_id] = reprint_of

    def find(self, sig: MinHash) -> str | None:
        """The earliest stored article whose text is a near copy, following reprint links to the
        first copy so that chains of reprints all point at one original."""
        candidates = [
            c for c in self.lsh.query(sig) if self.sigs[c].jaccard(sig) >= self.threshold
        ]
        if not candidates:
            return None
        roots = {self.reprint_of.get(c, c) for c in candidates}

        def age(aid: str) -> tuple:
            k = self.known[aid]
            return (k.published or date.max, k.order)

        return min(roots, key=age)
