"""Feed every reader and the cleaning stage generated bad input; count failures, crashes, hangs.

    .venv/bin/python bench/fuzz.py --n 10000 [--seed 1] [--workers 2] [--timeout 10] [--per-record 0.05]

Inputs are hostile on purpose: binary noise under every extension, truncated gzip and WARC,
deeply nested and enormous JSON, wrongly typed JSON fields, HTML nested 100,000 levels deep,
XML entity expansion in feeds, mixed encodings, NUL bytes, zero-width and right-to-left
characters, 10 MB single lines, text that changes length under NFC/NFKC, byte-level
mutations (flips, cuts, splices) of valid files of each format, file names that are not UTF-8
or hold control characters, gzipped JSON Lines of millions of blank lines, line formats in
UTF-16/32 with a byte-order mark, and UTF-8 with a few invalid bytes.

Each input runs in a worker process with a wall-clock bound (a hang is a worker that misses it;
it is killed and replaced) and a memory cap. The worker reports every record it finishes, and
an input hangs when ``--timeout`` seconds pass without a record finishing, or when the whole
file takes longer than ``--timeout`` plus ``--per-record`` seconds per record: a JSON array of
20,000 articles is not stuck when it takes longer than one article, but one record that spins
for ten seconds still is. Offsets are checked on up to 2,000 characters of each of a file's
first 100 documents and 200 of each later one, so the check does not outweigh the work checked.

A *failure* is an ``IngestError`` (expected: bad input must be refused with a one-line reason).
A *crash* is an exception escaping ``iter_documents`` or ``clean_document``, a dead worker, a
reader bug that the registry's safety net had to turn into an ``error`` record ("reader failed:
..."), or a broken invariant: spans outside the text, offsets that do not map back into the raw
text, an error message that is empty or spans lines, a file name or message that is not valid
Unicode (a store cannot hold it). Crashes must be 0.

``tests/test_fuzz.py`` imports ``generate_input``, ``check_input`` and ``run_bounded`` from here
and runs a small slice.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import threading
import time
import unicodedata
import zlib
from collections import Counter
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

MEMORY_CAP = 3 * 1024**3  # per worker; a reader that balloons past it is a crash, not an OOM kill

# ---------------------------------------------------------------------------------------------
# Building blocks: valid documents of each format, then ways to break them
# ---------------------------------------------------------------------------------------------

WORDS = ("rockets struck the base near Baghdad on Sunday , a security source said . Kataib Hezbollah "
         "denied involvement ; the coalition confirmed two injuries . Photo : AFP Share this article").split()

#: Characters that change length or shape under NFC/NFKC, are invisible, or reorder text.
TRICKY = [
    "\ufdfa",  # one char, 18 under NFKC
    "\ufb03", "\u2163", "\u00bd", "\u3392",  # ligature, roman numeral, fraction, squared unit
    "e\u0301", "A\u030a", "\u1100\u1161\u11a8",  # decomposed: shrink under NFC
    "\u0958", "\u2adc", "\U0001d160", "\ufb1d",  # composition exclusions: grow under NFC
    "\u0344", "\u0390", "\u1e9b\u0323",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",  # zero-width
    "\u202e", "\u202b", "\u2067", "\u200f", "\u061c",  # right-to-left overrides and marks
    "\u0627\u0644\u0639\u0631\u0627\u0642", "\u05e9\u05dc\u05d5\u05dd",  # Arabic, Hebrew
    "\x00", "\x07", "\x1b[31m", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0c",
    "\U0001f680", "\U0001f1ee\U0001f1f6",  # emoji, flag
    "\u00a0", "\u3000", "\u2009",
    "\ufffd",
    "\u0301\u0301\u0301",  # combining marks with no base
    "\u0e01\u0e34\u0e4a", "\u0915\u094d\u0937",  # Thai, Devanagari conjunct
]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def tricky_text(rng: random.Random, n: int = 200) -> str:
    parts = []
    for _ in range(n):
        parts.append(rng.choice(TRICKY) if rng.random() < 0.3 else rng.choice(WORDS))
        parts.append(rng.choice([" ", " ", " ", "\n", "\n\n", ""]))
    return "".join(parts)


def body(rng: random.Random) -> str:
    paras = [words(rng, rng.randint(5, 60)) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.5:
        paras.insert(rng.randrange(len(paras) + 1), tricky_text(rng, rng.randint(5, 80)))
    return "\n\n".join(paras)


def record(rng: random.Random) -> dict:
    return {"id": f"r{rng.randrange(10**6)}", "url": f"https://x{rng.randrange(50)}.example/{rng.randrange(10**6)}",
            "outlet": rng.choice(["Levant Wire", "", "\u202eeriW", None]), "title": words(rng, 6),
            "published": rng.choices(["2020-01-05", "2020-13-45", "", None, "yesterday", "0000-00-00T99:99"],
                                     weights=[40, 5, 5, 5, 1, 1])[0],
            "text": body(rng)}


def html_page(rng: random.Random, text: str | None = None) -> str:
    text = text if text is not None else body(rng)
    paras = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{words(rng, 5)}</title></head>"
            f"<body><nav>Home / News</nav><article><h1>{words(rng, 6)}</h1>{paras}</article>"
            f"<footer>Copyright</footer></body></html>")


def rss(rng: random.Random, n: int = 3) -> str:
    items = "".join(
        f"<item><title>{words(rng, 5)}</title><link>https://x.example/{i}</link>"
        f"<pubDate>Sun, 05 Jan 2020 10:00:00 GMT</pubDate><description><![CDATA[{html_page(rng)}]]></description></item>"
        for i in range(n))
    return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Feed</title>{items}</channel></rss>"


def atom(rng: random.Random, n: int = 3) -> str:
    entries = "".join(
        f"<entry><title>{words(rng, 5)}</title><id>urn:{i}</id><link href='https://x.example/{i}'/>"
        f"<published>2020-01-05T10:00:00Z</published><content type='html'>{_xml_escape(html_page(rng))}</content></entry>"
        for i in range(n))
    return f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title>{entries}</feed>"


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def warc(rng: random.Random, n: int = 2, compress: bool = False) -> bytes:
    """A small valid WARC of HTML responses, written by warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for i in range(n):
        payload = html_page(rng).encode("utf-8")
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(f"https://x.example/{i}", "response", payload=io.BytesIO(payload),
                                        http_headers=http)
        writer.write_record(rec)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------------------------

def mutate(rng: random.Random, data: bytes, rounds: int | None = None) -> bytes:
    """Byte-level damage: flips, inserts of hostile bytes, deletions, cuts, chunk duplication."""
    b = bytearray(data)
    for _ in range(rounds or rng.randint(1, 8)):
        if not b:
            b.extend(os.urandom(rng.randint(1, 64)))
            continue
        op = rng.randrange(6)
        i = rng.randrange(len(b))
        if op == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i:i] = rng.choice([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80\xae", b"<", b"{", b'"',
                                 b"\r", b"]]>", b"&#0;", b"&#x110000;", b"\\u0000", b"\\ud800"])
        elif op == 2:
            del b[i:i + rng.randint(1, 64)]
        elif op == 3:
            del b[i:]
        elif op == 4:
            j = rng.randrange(len(b))
            b[j:j] = b[i:i + rng.randint(1, 256)]
        else:
            b[i:i] = os.urandom(rng.randint(1, 16))
    return bytes(b)


def mixed_encoding(rng: random.Random) -> bytes:
    text = body(rng)
    chunks = [text[i:i + 40] for i in range(0, len(text), 40)]
    out = []
    for c in chunks:
        enc = rng.choice(["utf-8", "latin-1", "cp1256", "utf-16", "utf-16-le", "koi8-r", "shift_jis"])
        out.append(c.encode(enc, errors="replace"))
        if rng.random() < 0.2:
            out.append("\u0627\u0644\u0639\u0631\u0627\u0642 caf\u00e9".encode(rng.choice(["utf-8", "cp1256", "latin-1", "utf-16"]),
                                                                        errors="replace"))
    return b"".join(out)


# ---------------------------------------------------------------------------------------------
# The generator: one hostile input per call
# ---------------------------------------------------------------------------------------------

def _nested_json(depth: int, kind: str) -> bytes:
    if kind == "array":
        return b"[" * depth + b"]" * depth
    if kind == "object":
        return b'{"a":' * depth + b"1" + b"}" * depth
    return b'{"text":' + b"[" * depth + b"]" * depth + b"}"  # nested where a string should be


def _huge_line(rng: random.Random, size: int) -> str:
    unit = rng.choice(["a", "word ", "\u00e9", "\ufdfa", "e\u0301", "\u200b", "<", "\u0627"])
    return unit * (size // len(unit.encode()))


Gen = Callable[[random.Random], tuple[str, bytes]]


def _g_noise(rng):
    ext = rng.choice([".txt", ".html", ".json", ".jsonl", ".jsonl.gz", ".rss", ".atom", ".xml", ".warc", ".warc.gz",
                      ".gz", "", ".bin", ".md"])
    head = rng.choice([b"", b"\x1f\x8b", b"WARC/1.0\r\n", b"{", b"[", b"<?xml version='1.0'?><rss>", b"<html>",
                       b"\xef\xbb\xbf", b"\xff\xfe"])
    return "noise" + ext, head + os.urandom(rng.choice([0, 1, 16, 512, 4096, 65536]))


def _g_truncated_gzip(rng):
    kind = rng.choice(["jsonl", "json", "warc", "html", "txt", "rss"])
    payload = {"jsonl": lambda: "\n".join(json.dumps(record(rng)) for _ in range(5)).encode(),
               "json": lambda: json.dumps([record(rng) for _ in range(4)]).encode(),
               "warc": lambda: warc(rng, 3),
               "html": lambda: html_page(rng).encode(),
               "txt": lambda: body(rng).encode(),
               "rss": lambda: rss(rng).encode()}[kind]()
    data = gzip.compress(payload)
    cut = rng.randint(2, max(3, len(data) - 1))
    data = data[:cut] if rng.random() < 0.7 else mutate(rng, data)
    if kind == "warc" and rng.random() < 0.5:
        data = warc(rng, 2, compress=True)
        data = data[:rng.randint(2, len(data) - 1)]
    return f"trunc.{kind}.gz", data


def _g_truncated_warc(rng):
    data = warc(rng, rng.randint(1, 4))
    if rng.random() < 0.6:
        data = data[:rng.randint(1, len(data) - 1)]
    else:
        data = mutate(rng, data)
    return "trunc.warc", data


def _g_nested_json(rng):
    depth = rng.choice([100, 1000, 10_000, 100_000, 1_000_000])
    return rng.choice(["nested.json", "nested.jsonl"]), _nested_json(depth, rng.choice(["array", "object", "text"]))


def _g_enormous_json(rng):
    size = rng.choice([1_000_000, 5_000_000, 12_000_000])
    rec = {"id": "big", "title": "t", "text": _huge_line(rng, size)}
    ext = rng.choice([".json", ".jsonl", ".jsonl.gz"])
    data = json.dumps(rec, ensure_ascii=rng.random() < 0.5).encode()
    if rng.random() < 0.3:
        data = b"[" + b",".join([json.dumps(record(rng)).encode()] * rng.randint(1000, 20000)) + b"]"
        ext = ".json"
    return "big" + ext, gzip.compress(data) if ext.endswith(".gz") else data


def _g_wrong_types(rng):
    rec = record(rng)
    field = rng.choice(["id", "url", "outlet", "title", "published", "text", "html"])
    rec[field] = rng.choice([None, 1, 1.5e308, True, [], ["a", 1], {"x": {"y": 1}}, "", "\x00" * 10,
                             "<script>alert(1)</script>", -1, 10**40])
    lines = [json.dumps(rec), json.dumps(record(rng)), rng.choice(["", "   ", "null", "1", '"s"', "[]", "{", "NaN",
                                                                   '{"text": NaN}', '{"text": "\\ud800"}'])]
    rng.shuffle(lines)
    if rng.random() < 0.5:
        return "types.jsonl", "\n".join(lines).encode()
    return "types.json", json.dumps(rec).encode() if rng.random() < 0.5 else ("[" + ",".join(lines) + "]").encode()


def _g_html_nesting(rng):
    depth = rng.choice([1000, 10_000, 100_000])
    tag = rng.choice(["div", "span", "table", "b", "p", "a"])
    closing = f"</{tag}>" * depth if rng.random() < 0.5 else ""
    page = f"<html><body>{f'<{tag}>' * depth}{body(rng)}{closing}</body></html>"
    return "deep.html", page.encode()


def _g_html_hostile(rng):
    bits = ["<script>" + "x" * 1000, "<!--", "<![CDATA[", "<?php", "<svg onload=alert(1)>", "<style>", "&#0;",
            "&#xD800;", "&nosuchentity;", "<meta charset='utf-16'>", "<meta charset='x-unknown'>",
            "<base href='javascript:alert(1)'>", "</html><html>", "<title>" + "t" * 5000, "\x00"]
    page = html_page(rng, tricky_text(rng, 100))
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(page))
        page = page[:i] + rng.choice(bits) + page[i:]
    return rng.choice(["hostile.html", "hostile.htm", "hostile.txt", "hostile"]), page.encode(
        rng.choice(["utf-8", "utf-16", "latin-1"]), errors="replace")


def _g_feed(rng):
    text = rss(rng) if rng.random() < 0.5 else atom(rng)
    if rng.random() < 0.3:  # entity expansion (billion laughs) and external entities
        dtd = ("<!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>"
               "<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>"
               "<!ENTITY e '&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;'><!ENTITY f '&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;'>"
               "<!ENTITY x SYSTEM 'file:///etc/passwd'>]>")
        text = text.replace("?>", "?>" + dtd, 1).replace("<title>", "<title>&f;&x;", 1)
    data = text.encode()
    if rng.random() < 0.6:
        data = mutate(rng, data)
    return rng.choice(["feed.rss", "feed.atom", "feed.xml", "feed.html"]), data


def _g_mixed_encoding(rng):
    return rng.choice(["mixed.txt", "mixed.html", "mixed.jsonl", "mixed"]), mixed_encoding(rng)


def _g_nul(rng):
    base = rng.choice([body(rng).encode(), json.dumps(record(rng)).encode(), html_page(rng).encode()])
    b = bytearray(base)
    for _ in range(rng.randint(1, 50)):
        b.insert(rng.randrange(len(b) + 1), 0)
    if rng.random() < 0.2:
        b = bytearray(b"\x00" * rng.randint(1, 10000))
    return rng.choice(["nul.txt", "nul.jsonl", "nul.html", "nul.json"]), bytes(b)


def _g_unicode(rng):
    text = tricky_text(rng, rng.randint(10, 400))
    if rng.random() < 0.3:
        text = unicodedata.normalize(rng.choice(["NFD", "NFKD"]), text)
    kind = rng.choice(["txt", "jsonl", "html", "json"])
    if kind == "txt":
        data = text
    elif kind == "jsonl":
        data = json.dumps({"id": "u", "title": tricky_text(rng, 5), "outlet": tricky_text(rng, 3), "text": text},
                          ensure_ascii=rng.random() < 0.5)
    elif kind == "json":
        data = json.dumps({"id": "u", "text": text})
    else:
        data = html_page(rng, text)
    return f"unicode.{kind}", data.encode("utf-8", errors="surrogatepass")


def _g_huge_line(rng):
    size = rng.choice([1_000_000, 10_000_000])
    line = _huge_line(rng, size)
    kind = rng.choice(["txt", "html", "jsonl"])
    if kind == "html":
        return "line.html", f"<html><body><p>{line}</p></body></html>".encode()
    if kind == "jsonl":
        return "line.jsonl", (json.dumps({"id": "l", "text": line}) + "\n" + json.dumps(record(rng))).encode()
    return "line.txt", line.encode()


def _g_mutated_valid(rng):
    kind = rng.choice(["txt", "jsonl", "json", "html", "rss", "atom", "warc", "meta"])
    if kind == "txt":
        name, data = "m.txt", ("---\ntitle: " + words(rng, 4) + "\noutlet: X\n---\n" + body(rng)).encode()
    elif kind == "meta":
        name, data = "m.txt", body(rng).encode()
    elif kind == "jsonl":
        name, data = "m.jsonl", "\n".join(json.dumps(record(rng)) for _ in range(4)).encode()
    elif kind == "json":
        name, data = "m.json", json.dumps([record(rng) for _ in range(3)]).encode()
    elif kind == "html":
        name, data = "m.html", html_page(rng).encode()
    elif kind == "rss":
        name, data = "m.rss", rss(rng).encode()
    elif kind == "atom":
        name, data = "m.atom", atom(rng).encode()
    else:
        name, data = "m.warc", warc(rng, 2)
    data = mutate(rng, data)
    if rng.random() < 0.2:
        name, data = name + ".gz", gzip.compress(data)
    return name, data


def _valid_small(rng: random.Random) -> tuple[str, bytes]:
    """A small valid input of some format: (extension, bytes)."""
    kind = rng.choice(["txt", "jsonl", "json", "html", "rss", "warc"])
    if kind == "txt":
        return ".txt", body(rng).encode()
    if kind == "jsonl":
        return ".jsonl", "\n".join(json.dumps(record(rng)) for _ in range(3)).encode()
    if kind == "json":
        return ".json", json.dumps([record(rng) for _ in range(2)]).encode()
    if kind == "html":
        return ".html", html_page(rng).encode()
    if kind == "rss":
        return ".rss", rss(rng).encode()
    return ".warc", warc(rng, 1)


def _g_odd_name(rng):
    """File names that are not UTF-8 (as Python hands them over: lone surrogates) or that hold
    terminal controls, over a valid or damaged file."""
    ext, data = _valid_small(rng)
    raw = rng.choice([b"inv\xff", b"\xc3\x28x", b"\xed\xa0\x80", b"a\\x41\xfe", b"\x80" * 3, b"ok\xe2\x82",
                      b"esc\x1b[31mred", b"new\nline", b"cr\rx", b"tab\tx", b"bidi\xe2\x80\xae", b"bell\x07",
                      "caf\u00e9 \u0628\u063a\u062f\u0627\u062f".encode()])
    name = os.fsdecode(raw + rng.choice([b"", b"\xff", b"-2"])) + ext
    if rng.random() < 0.2:
        data = mutate(rng, data)
    return name, data


def _g_line_bomb(rng):
    """Gzipped JSON Lines that inflate to megabytes of blank lines, a record here and there."""
    size = rng.choice([1, 4, 16, 40, 80]) * 1024 * 1024
    unit = rng.choice([b"\n", b"\r\n", b" \n", b"\n\n\n\n", b"\t \n"])
    block = unit * (65536 // len(unit))
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip container
    out = [comp.compress(json.dumps(record(rng)).encode() + b"\n") if rng.random() < 0.5 else b""]
    for _ in range(size // len(block)):
        out.append(comp.compress(block))
        if rng.random() < 0.002:
            out.append(comp.compress(json.dumps(record(rng)).encode() + b"\n"))
    out.append(comp.compress(json.dumps(record(rng)).encode() + b"\n") if rng.random() < 0.5 else b"")
    out.append(comp.flush())
    data = b"".join(out)
    if rng.random() < 0.1:
        data = data[:rng.randint(10, len(data) - 1)]
    return rng.choice(["bomb.jsonl.gz", "bomb.jsonl", "bomb.json.gz", "bomb.gz"]), data


def _g_utf16_lines(rng):
    """Line formats (JSON Lines, a JSON array, text) in UTF-16 or UTF-32 with a byte-order mark,
    sometimes cut at an odd byte or damaged."""
    kind = rng.choice(["jsonl", "json", "txt", "jsonl_gz"])
    if kind.startswith("jsonl"):
        text = rng.choice(["\n", "\r\n"]).join(json.dumps(record(rng), ensure_ascii=rng.random() < 0.5)
                                                for _ in range(rng.randint(1, 6)))
    elif kind == "json":
        text = json.dumps([record(rng) for _ in range(rng.randint(1, 3))], ensure_ascii=False)
    else:
        text = body(rng)
    data = text.encode(rng.choice(["utf-16", "utf-16", "utf-32"]), errors="surrogatepass")
    roll = rng.random()
    if roll < 0.15:
        data = data[:rng.randrange(2, len(data))]
    elif roll < 0.3:
        data = mutate(rng, data, rounds=rng.randint(1, 3))
    if kind == "jsonl_gz":
        return "u16.jsonl.gz", gzip.compress(data)
    return f"u16.{kind}", data


def _g_partly_invalid_utf8(rng):
    """UTF-8 text, JSON Lines or HTML with a few invalid bytes (lone continuation bytes, cut
    sequences, encoded surrogates, overlongs, 0xFF/0xFE) among valid text in several scripts."""
    text = body(rng) + " " + rng.choice(["café", "بغداد", "Москва", "\u201cquoted\u201d", ""])
    kind = rng.choice(["txt", "jsonl", "html", "json"])
    if kind == "jsonl":
        raw = "\n".join(json.dumps(record(rng), ensure_ascii=False) for _ in range(3)).encode()
    elif kind == "html":
        raw = html_page(rng, text).encode()
    elif kind == "json":
        raw = json.dumps({"id": "p", "text": text}, ensure_ascii=False).encode()
    else:
        raw = text.encode()
    b = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        bad = rng.choice([b"\xff", b"\xfe", b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80",
                          b"\xe2\x82", b"\xf0\x9f", b"\x93", b"\x92", b"\xe9", b"\xf8\x88\x80\x80\x80"])
        b[rng.randrange(len(b) + 1):0] = bad
    return f"partly.{kind}", bytes(b)


#: (generator, weight). The costly ones (10 MB lines, enormous JSON, 100k nesting) are rarer.
GENERATORS: list[tuple[Gen, float]] = [
    (_g_noise, 10), (_g_truncated_gzip, 8), (_g_truncated_warc, 6), (_g_nested_json, 3),
    (_g_enormous_json, 0.3), (_g_wrong_types, 8), (_g_html_nesting, 1), (_g_html_hostile, 6), (_g_feed, 8),
    (_g_mixed_encoding, 6), (_g_nul, 6), (_g_unicode, 12), (_g_huge_line, 0.2), (_g_mutated_valid, 20),
    (_g_odd_name, 6), (_g_line_bomb, 0.5), (_g_utf16_lines, 6), (_g_partly_invalid_utf8, 8),
]


def generate_input(rng: random.Random, kind: str | None = None) -> tuple[str, str, bytes]:
    """(generator name, file name, bytes) of one hostile input; ``kind`` picks a generator by name."""
    if kind is not None:
        gen = next(g for g, _ in GENERATORS if g.__name__ == f"_g_{kind}")
    else:
        gen = rng.choices([g for g, _ in GENERATORS], weights=[w for _, w in GENERATORS])[0]
    name, data = gen(rng)
    return gen.__name__[3:], name, data


GENERATOR_NAMES = [g.__name__[3:] for g, _ in GENERATORS]

# ---------------------------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------------------------

_INSERTED = frozenset(" \n")


def _char_matches(ch: str, original: str, o: int) -> bool:
    """``ch`` (clean text) is what the raw text at ``o`` becomes, up to normalisation."""
    if ch in _INSERTED:
        return True  # separators the cleaner inserts, and Unicode spaces mapped to " "
    window = original[o:o + 8]
    if ch == "\ufffd" and window[:1] and "\ud800" <= window[0] <= "\udfff":
        return True  # a lone surrogate, replaced because it cannot be encoded
    if unicodedata.normalize("NFD", ch)[:1] == window[:1]:
        return True  # a composed character maps to its base (marks may follow dropped controls)
    return ch in window or ch in unicodedata.normalize("NFC", window) or ch in unicodedata.normalize("NFKC", window)


def article_violations(article, *, sample: int = 2000) -> list[str]:
    """Broken invariants of one cleaned article (empty when all hold)."""
    bad: list[str] = []
    text, original = article.text, article.original
    for r in article.removed:
        if not (0 <= r.start <= r.end <= len(original)):
            bad.append(f"removed span {r.start}-{r.end} outside original (len {len(original)})")
    for c in article.captions:
        if not (0 <= c.start <= c.end <= len(original)):
            bad.append(f"caption span {c.start}-{c.end} outside original (len {len(original)})")
    def check(what: str, start, end) -> None:
        if start is not None and not (0 <= start <= end <= len(text)):
            bad.append(f"{what} span {start}-{end} outside text (len {len(text)})")

    for claim in getattr(article, "claims", []) or []:
        check("claim", claim.start, claim.end)
        if claim.cue is not None:
            check("cue", claim.cue.start, claim.cue.end)
        for hop in claim.chain:
            check("source", hop.start, hop.end)
    for m in getattr(article, "mentions", []) or []:
        check("mention", m.start, m.end)
    for e in getattr(article, "events", []) or []:
        check("trigger", e.trigger.start, e.trigger.end)
    if text and not original:
        bad.append("clean text from an empty original")
    n = len(text)
    idx = range(n) if n <= sample else sorted({0, n - 1, *random.Random(n).sample(range(n), sample)})
    for i in idx:
        o = article.offsets.to_original(i)
        if not (0 <= o < len(original)):
            bad.append(f"offset {i} maps to {o}, outside original (len {len(original)})")
            break
        if not _char_matches(text[i], original, o):
            bad.append(f"offset {i}: clean {text[i]!r} maps to raw {original[o:o + 3]!r}")
            break
    return bad


def unicode_violations(item) -> list[str]:
    """A file name or error message a store could not hold (lone surrogates of a non-UTF-8 name)."""
    bad = []
    for what in ("source_path", "message"):
        value = getattr(item, what, None)
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            bad.append(f"{what} is not valid Unicode: {value[:80]!r}")
    return bad


def error_violations(err) -> list[str]:
    bad = []
    if not err.message or not err.message.strip():
        bad.append(f"empty error message (kind {err.kind})")
    if "\n" in err.message or "\r" in err.message:
        bad.append(f"multi-line error message: {err.message[:80]!r}")
    if err.kind == "error" and "reader failed" in err.message:
        bad.append(f"reader bug caught by the safety net: {err.message[:200]}")
    return bad


def check_input(path: Path, progress: Callable[[], None] | None = None) -> dict[str, Any]:
    """Read ``path`` with every reader the registry picks and clean each document; the outcome.

    ``progress`` is called after each record (read, cleaned and checked). Returns ``{"docs",
    "errors": [kind...], "violations": [...], "crash": str|None, "seconds", "slowest_record"}``.
    """
    from sitrep.clean import clean_document
    from sitrep.ingest import iter_documents
    from sitrep.model import IngestError

    t0 = last = time.perf_counter()
    out: dict[str, Any] = {"docs": 0, "errors": [], "messages": [], "violations": [], "crash": None,
                           "slowest_record": 0.0}
    try:
        for item in iter_documents([path]):
            out["violations"] += unicode_violations(item)
            if isinstance(item, IngestError):
                out["errors"].append(item.kind)
                out["messages"].append(item.one_line()[:300])
                out["violations"] += error_violations(item)
            else:
                out["docs"] += 1
                article = clean_document(item)
                out["violations"] += article_violations(article, sample=2000 if out["docs"] <= 100 else 200)
            now = time.perf_counter()
            out["slowest_record"] = max(out["slowest_record"], now - last)
            last = now
            if progress is not None:
                progress()
    except BaseException as exc:  # noqa: BLE001 - that is what we are looking for
        import traceback

        out["crash"] = f"{type(exc).__name__}: {exc}"[:300] + "\n" + traceback.format_exc()[-1500:]
    out["seconds"] = time.perf_counter() - t0
    return out


# ---------------------------------------------------------------------------------------------
# Bounded execution: a worker process per slot, killed and replaced when it overruns
# ---------------------------------------------------------------------------------------------

def _address_space() -> int:
    """Bytes of address space this process already holds (a forked worker inherits its parent's,
    which is large once pyarrow or torch were imported by another test)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _worker(conn, workdir: str, records, last_record) -> None:
    try:
        cap = _address_space() + MEMORY_CAP  # a budget on top of what the worker starts with
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        pass
    import warnings

    warnings.simplefilter("ignore")
    import sitrep.clean  # noqa: F401 - warm imports once per worker
    import sitrep.ingest  # noqa: F401

    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        name, data = msg
        path = Path(workdir) / name
        path.write_bytes(data)

        def tick() -> None:
            records.value += 1
            last_record.value = time.monotonic()

        try:
            result = check_input(path, tick)
        finally:
            path.unlink(missing_ok=True)
        conn.send(result)


class BoundedRunner:
    """One worker process; ``run`` returns the check's outcome, or a hang/crash record.

    The worker counts the records it has finished, and when it finished the last one, in shared
    memory, so the parent can tell a long file from a stuck one while it waits.
    """

    def __init__(self, workdir: str):
        self.workdir = workdir
        self.ctx = mp.get_context("fork")
        self.records = self.ctx.Value("q", 0, lock=False)
        self.last_record = self.ctx.Value("d", 0.0, lock=False)  # time.monotonic(), shared by processes
        self._start()

    def _start(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child, self.workdir, self.records, self.last_record),
                                     daemon=True)
        self.proc.start()
        child.close()

    def _restart(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()
        self._start()

    def run(self, name: str, data: bytes, timeout: float, per_record: float = 0.0) -> dict[str, Any]:
        """Check one input. It hangs when ``timeout`` seconds pass without a record finishing, or
        the file takes over ``timeout + per_record × records finished`` seconds in all."""
        t0 = time.perf_counter()
        start = time.monotonic()
        self.records.value = 0
        self.last_record.value = start
        try:
            self.conn.send((name, data))
            while True:
                now = time.monotonic()
                left = min(self.last_record.value + timeout,
                           start + timeout + per_record * self.records.value) - now
                if left <= 0:
                    break
                if self.conn.poll(min(left, 0.25)):
                    return self.conn.recv()
            records = self.records.value
            self._restart()
            return {"hang": True, "seconds": time.perf_counter() - t0, "docs": 0, "errors": [], "violations": [],
                    "crash": None, "records_before_hang": records}
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError) as exc:
            code = self.proc.exitcode if not self.proc.is_alive() else None
            self._restart()
            return {"crash": f"worker died ({type(exc).__name__}, exit code {code})", "seconds": time.perf_counter() - t0,
                    "docs": 0, "errors": [], "violations": []}

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def run_bounded(name: str, data: bytes, timeout: float = 20.0, per_record: float = 0.0) -> dict[str, Any]:
    """One input in a fresh worker process with a time bound (for tests)."""
    with tempfile.TemporaryDirectory() as tmp:
        runner = BoundedRunner(tmp)
        try:
            return runner.run(name, data, timeout, per_record)
        finally:
            runner.close()


# ---------------------------------------------------------------------------------------------
# The bench
# ---------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds one input may take before it is a hang")
    ap.add_argument("--per-record", type=float, default=0.05,
                    help="seconds added to the bound for each record the input has yielded")
    ap.add_argument("--only", choices=GENERATOR_NAMES, help="run one generator only")
    ap.add_argument("--save", type=Path, help="folder to keep the inputs that crashed or hung")
    args = ap.parse_args()

    lock = threading.Lock()
    counter = iter(range(args.n))
    tally: dict[str, Any] = {"tried": 0, "docs": 0, "errors": Counter(), "by_gen": Counter(), "crashes": [],
                             "hangs": [], "max_seconds": 0.0, "slowest": "", "total": 0.0, "long": [],
                             "slowest_record": 0.0, "slowest_record_in": ""}
    t_start = time.perf_counter()

    def drive(slot: int) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            runner = BoundedRunner(tmp)
            try:
                while True:
                    with lock:
                        i = next(counter, None)
                    if i is None:
                        return
                    rng = random.Random(args.seed * 1_000_003 + i)
                    gen, name, data = generate_input(rng, args.only)
                    res = runner.run(name, data, args.timeout, args.per_record)
                    problem = res.get("crash") or ("; ".join(res["violations"][:3]) if res["violations"] else None)
                    with lock:
                        tally["tried"] += 1
                        tally["by_gen"][gen] += 1
                        tally["docs"] += res["docs"]
                        tally["errors"].update(res["errors"])
                        tally["total"] += res["seconds"]
                        if res["seconds"] > tally["max_seconds"]:
                            tally["max_seconds"], tally["slowest"] = res["seconds"], f"{gen} {name} {len(data)} bytes"
                        if res.get("slowest_record", 0.0) > tally["slowest_record"]:
                            tally["slowest_record"] = res["slowest_record"]
                            tally["slowest_record_in"] = f"#{i} {gen} {name} {len(data)} bytes"
                        if res["seconds"] > args.timeout and not res.get("hang"):
                            records = res["docs"] + len(res["errors"])
                            tally["long"].append((i, gen, name, len(data), records, res["seconds"]))
                        if res.get("hang"):
                            tally["hangs"].append((i, gen, name, len(data)))
                        elif problem:
                            tally["crashes"].append((i, gen, name, len(data), problem))
                        if (res.get("hang") or problem) and args.save:
                            args.save.mkdir(parents=True, exist_ok=True)
                            (args.save / f"{i:06d}-{name}").write_bytes(data)
                        if tally["tried"] % 1000 == 0:
                            print(f"  ... {tally['tried']} inputs, {len(tally['crashes'])} crashes, "
                                  f"{len(tally['hangs'])} hangs, {time.perf_counter() - t_start:.0f}s", flush=True)
            finally:
                runner.close()

    threads = [threading.Thread(target=drive, args=(s,)) for s in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    wall = time.perf_counter() - t_start
    print(f"inputs tried: {tally['tried']}  (seed {args.seed}, {args.workers} workers, {wall:.0f}s wall)")
    print("  by generator: " + ", ".join(f"{k} {v}" for k, v in sorted(tally["by_gen"].items())))
    print(f"documents read and cleaned: {tally['docs']}")
    print(f"failures recorded (IngestError): {sum(tally['errors'].values())}  by kind: "
          + ", ".join(f"{k} {v}" for k, v in tally["errors"].most_common()))
    print(f"crashes: {len(tally['crashes'])}")
    for i, gen, name, size, problem in tally["crashes"][:20]:
        print(f"  #{i} {gen} {name} ({size} bytes): {problem.splitlines()[0][:300]}")
    print(f"hangs (no record finished for {args.timeout:.0f}s, or over {args.timeout:.0f}s + "
          f"{args.per_record * 1000:.0f} ms per record): {len(tally['hangs'])}")
    for i, gen, name, size in tally["hangs"][:20]:
        print(f"  #{i} {gen} {name} ({size} bytes)")
    print(f"inputs over {args.timeout:.0f}s in total, within their per-record allowance: {len(tally['long'])}")
    for i, gen, name, size, records, seconds in sorted(tally["long"], key=lambda t: -t[5])[:20]:
        print(f"  #{i} {gen} {name} ({size} bytes): {records} records in {seconds:.1f}s "
              f"({1000 * seconds / max(1, records):.1f} ms per record)")
    print(f"max seconds per input: {tally['max_seconds']:.2f} ({tally['slowest']}); "
          f"mean {tally['total'] / max(1, tally['tried']):.3f}")
    print(f"max seconds per record: {tally['slowest_record']:.2f} ({tally['slowest_record_in']})")
    sys.exit(1 if tally["crashes"] or tally["hangs"] else 0)


if __name__ == "__main__":
    main()
