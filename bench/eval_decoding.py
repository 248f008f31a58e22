"""How the byte decoder reads real pages, damaged pages and mis-encoded legacy text.

    .venv/bin/python bench/eval_decoding.py [--baseline SRC]

Reads the Zyte article-extraction pages (../shared/eval/article-extraction/html/*.html.gz) in
place and reports, for the decoder of this checkout (and of ``--baseline SRC``, another
checkout's ``src`` folder, e.g. /work/main/src, side by side):

1. the pages as they are: how many are valid UTF-8, which encodings the decoder names, how many
   get an ``encoding`` warning, and (with a baseline) how many decode differently;
2. each page with three invalid bytes inserted between characters (``\\xff``, ``\\xfe``,
   ``\\xc3(``, an encoded surrogate, a lone continuation byte): how many stay UTF-8 with U+FFFD
   in the bad bytes' place, and how many are read as some legacy code page instead;
3. each page whose text fits windows-1252 (and has a non-ASCII character) re-encoded so, its
   charset declaration removed: how many decode back exactly;
4. Russian and Arabic reports written in cp1251, koi8-r and cp1256, alone and after an English
   lead: how many decode back exactly.

Prints "skipped: <path> not found" and exits 0 when the pages are absent.
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared")).resolve()
PAGES = SHARED / "eval" / "article-extraction" / "html"
BAD_BYTES = (b"\xff", b"\xfe", b"\xc3(", b"\xed\xa0\x80", b"\x80")

RUSSIAN = ("Ракеты попали по базе в Багдаде в понедельник, сообщила полиция. Источник в силах "
           "безопасности подтвердил, что двое военнослужащих получили ранения. Ответственность "
           "за нападение пока никто не взял на себя.")
ARABIC = ("قالت الشرطة إن صواريخ أصابت القاعدة في بغداد يوم الاثنين، وأكد مصدر أمني إصابة "
          "جنديين بجروح طفيفة. ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.")
LEGACY = [(RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"), (ARABIC, "cp1256")]


def load_decoder(src: Path):
    """The ``sitrep.ingest.decoding`` module of the checkout whose ``src`` folder is ``src``."""
    for name in [m for m in sys.modules if m == "sitrep" or m.startswith("sitrep.")]:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        from sitrep.ingest import decoding
    finally:
        sys.path.remove(str(src))
    return decoding


def _decode(decoding, data: bytes, declared: bool = True):
    try:
        return decoding.decode(data, declared=decoding.declared_charset(data[:4096]) if declared else None)
    except decoding.DecodeError as exc:
        return exc


def measure(decoding, pages: list[bytes]) -> dict:
    rng = random.Random(7)
    out: dict = {"as_is": Counter(), "damaged": Counter(), "cp1252": Counter(), "legacy": Counter(), "texts": []}
    for data in pages:
        got = _decode(decoding, data)
        name = getattr(got, "encoding", None) or f"error:{got.kind}"
        out["as_is"][name] += 1
        out["as_is"]["warning"] += bool(getattr(got, "warning", None))
        out["texts"].append(getattr(got, "text", None))
        damaged = bytearray(data)
        for _ in range(3):
            i = rng.randrange(len(damaged))
            while i < len(damaged) and damaged[i] >= 0x80:
                i += 1  # between characters, not inside one
            damaged[i:i] = rng.choice(BAD_BYTES)
        got = _decode(decoding, bytes(damaged), declared=False)
        kept = getattr(got, "text", None) == bytes(damaged).decode("utf-8", "replace")
        out["damaged"]["UTF-8 with U+FFFD" if kept else f"read as {getattr(got, 'encoding', got)}"] += 1
        out["damaged"]["warning"] += bool(getattr(got, "warning", None))
        text = re.sub(r"charset\s*=\s*[\"']?[\w-]+", "", data.decode("utf-8", "replace"), flags=re.I)
        if any(ord(c) > 127 for c in text):
            try:
                legacy = text.encode("cp1252")
            except UnicodeEncodeError:
                continue
            got = _decode(decoding, legacy)
            out["cp1252"]["exact" if getattr(got, "text", None) == text else
                          f"differs ({getattr(got, 'encoding', got)})"] += 1
    for text, codec in LEGACY:
        for variant in (text, "Officials in Baghdad said on Monday: " + text):
            got = _decode(decoding, variant.encode(codec))
            out["legacy"]["exact" if getattr(got, "text", None) == variant else f"{codec} differs"] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baseline", type=Path, help="another checkout's src folder to compare with")
    args = ap.parse_args()
    if not PAGES.exists():
        print(f"skipped: {PAGES} not found")
        return
    pages = [gzip.decompress(p.read_bytes()) for p in sorted(PAGES.glob("*.html.gz"))]
    runs = [("this checkout", REPO / "src")] + ([("baseline", args.baseline)] if args.baseline else [])
    results = {label: measure(load_decoder(src), pages) for label, src in runs}
    valid = sum(1 for p in pages if p.decode("utf-8", "ignore").encode() == p)
    print(f"pages: {len(pages)} (valid UTF-8: {valid})")
    for label, r in results.items():
        print(f"[{label}]")
        print("  1. as they are:          " + ", ".join(f"{k} {v}" for k, v in r["as_is"].most_common()))
        print("  2. three bad bytes in:   " + ", ".join(f"{k} {v}" for k, v in r["damaged"].most_common()))
        print("  3. re-encoded cp1252:    " + ", ".join(f"{k} {v}" for k, v in r["cp1252"].most_common()))
        print(f"  4. ru/ar legacy samples ({2 * len(LEGACY)}): "
              + ", ".join(f"{k} {v}" for k, v in r["legacy"].most_common()))
    if args.baseline:
        a, b = results["this checkout"]["texts"], results["baseline"]["texts"]
        print(f"pages as they are that decode differently from the baseline: {sum(x != y for x, y in zip(a, b))}")


if __name__ == "__main__":
    main()
