"""Hostile input, round two (issue 20): each way in that broke ingest, the API or the machine.

One CLI ingest over a folder of hostile files (one model load) covers the end-to-end cases: a
file name that is not UTF-8, names holding terminal controls, invalid UTF-8, UTF-16 JSON Lines,
an empty WARC, a text past the parser's limit. The rest are checked where they are decided.
"""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.ingest import ReadOptions, iter_documents, path_bytes, path_text
from sitrep.ingest.decoding import decode
from sitrep.ingest.options import PARSER_MAX_CHARS
from sitrep.printable import printable

REPO = Path(__file__).resolve().parents[1]
REPORT = "Rockets hit the base near Baghdad on Monday, police said. A security source confirmed two injuries."
INVALID_UTF8 = b"Rockets hit the base \xff\xfe\xc3\x28 in Baghdad \xed\xa0\x80 on Monday, police said."
FORGED = "esc\x1b[31mred\nFORGED: all clear\x07.txt"


def _records(path: Path, options: ReadOptions | None = None) -> list:
    return list(iter_documents([path], options))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A folder of hostile files ingested once through the CLI: (db, folder, ingest result)."""
    work = tmp_path_factory.mktemp("hostile")
    folder = work / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_text(REPORT, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"b-inv\xff.txt"), "wb") as fh:
        fh.write(b"Militants attacked a checkpoint near Mosul on Tuesday, officials said.")
    (folder / "c-after.txt").write_text("Protesters gathered in Basra on Wednesday, witnesses said.",
                                        encoding="utf-8")
    (folder / "d-invalid.txt").write_bytes(INVALID_UTF8)
    (folder / "e-invalid.jsonl").write_bytes(b'{"id": "inv-json", "text": "Shelling hit Kherson \xff\xfe today, '
                                             b'the governor said."}\n')
    records = [{"id": "u16-a", "text": "A drone struck a depot near Erbil on Thursday, officials said."},
               {"id": "u16-b", "text": "\u0623\u0641\u0627\u062f \u0645\u0633\u0624\u0648\u0644\u0648\u0646 "
                                       "in Kirkuk that the road was closed on Friday."}]
    (folder / "f-u16.jsonl").write_bytes("\r\n".join(json.dumps(r, ensure_ascii=False) for r in records)
                                         .encode("utf-16"))
    (folder / "g-empty.warc").write_bytes(b"")
    (folder / "g-empty.warc.gz").write_bytes(gzip.compress(b""))
    (folder / FORGED).write_bytes(b"")
    (folder / "h-long.txt").write_text("word " * (PARSER_MAX_CHARS // 5 + 10), encoding="utf-8")
    db = work / "h.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1",
                                      "--max-text-chars", str(3 * PARSER_MAX_CHARS)])
    return db, folder, result


def _json(*args: str) -> list:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- 1. a file name that is not UTF-8 ------------------------------------------------------------

def test_a_non_utf8_file_name_is_stored_escaped_and_the_rest_of_the_folder_goes_in(hostile):
    db, folder, result = hostile
    assert result.exit_code == 0, result.output
    paths = {a["source_path"] for a in _json("articles", "--db", str(db))}
    assert str(folder / "a-good.txt") in paths and str(folder / "c-after.txt") in paths
    escaped = str(folder / "b-inv\\xff.txt")
    assert escaped in paths
    assert path_bytes(escaped) == os.fsencode(folder) + b"/b-inv\xff.txt"  # lossless
    again = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1", "--json",
                                     "--max-text-chars", str(3 * PARSER_MAX_CHARS)])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)[0]["stored"] == 0  # a re-run finds every file, this one too


def test_path_escaping_is_lossless_and_leaves_utf8_names_alone():
    assert path_text("caf\u00e9/\u0628\u063a\u062f\u0627\u062f.txt") == "caf\u00e9/\u0628\u063a\u062f\u0627\u062f.txt"
    for raw in (b"inv\xff.txt", b"a\\b\xfe\xc3(\xed\xa0\x80x", b"x\\x41\xff", b"\x80\x80"):
        text = path_text(os.fsdecode(raw))
        text.encode("utf-8")
        assert path_bytes(text) == raw


# -- 6. file names that would inject into the terminal ------------------------------------------

def test_control_characters_in_names_are_escaped_in_ingest_and_errors_output(hostile):
    db, folder, result = hostile
    listed = CliRunner().invoke(app, ["errors", "--db", str(db)])
    for output in (result.output, listed.output):
        assert "\x1b" not in output and "\x07" not in output
        flat = "".join(output.split())  # Rich wraps long lines at the terminal's width
        assert "esc\\x1b[31mred\\nFORGED:allclear\\x07.txt" in flat
        assert not any(line.startswith("FORGED") for line in output.splitlines())


def test_printable_escapes_controls_and_bidi_but_keeps_lines_of_a_body():
    assert printable("a\x1b[2Jb\r\n\u202ec\x85") == "a\\x1b[2Jb\\r\\n\\u202ec\\x85"
    assert printable("line one\nline two\x1b", keep_lines=True) == "line one\nline two\\x1b"
    assert printable("Caf\u00e9 \u0628\u063a\u062f\u0627\u062f") == "Caf\u00e9 \u0628\u063a\u062f\u0627\u062f"


# -- 5. invalid UTF-8 ----------------------------------------------------------------------------

def test_invalid_utf8_is_stored_with_replacement_characters_and_an_encoding_warning(hostile):
    db, folder, _ = hostile
    by_path = {a["source_path"]: a for a in _json("articles", "--db", str(db))}
    text = by_path[str(folder / "d-invalid.txt")]["text"]
    assert "\ufffd" in text and "Baghdad" in text
    assert not any(ch in text for ch in "\u044f\u044e\u0413\u00ff\u00fe")  # no Cyrillic or Latin mojibake
    record = next(a for a in by_path.values() if a["source_id"] == "inv-json")
    assert "Kherson \ufffd\ufffd today" in record["text"]
    warnings = {(e["source_path"], e["kind"]) for e in _json("errors", "--db", str(db))}
    assert (str(folder / "d-invalid.txt"), "encoding") in warnings
    assert (str(folder / "e-invalid.jsonl"), "encoding") in warnings


RUSSIAN = ("Ракеты попали по базе в Багдаде в понедельник, сообщила полиция. Источник в силах "
           "безопасности подтвердил, что двое военнослужащих получили ранения.")
ARABIC = ("قالت الشرطة إن صواريخ أصابت القاعدة في بغداد يوم الاثنين، وأكد مصدر أمني إصابة "
          "جنديين بجروح طفيفة.")


@pytest.mark.parametrize("text,encoding", [(RUSSIAN, "cp1251"), (RUSSIAN, "koi8-r"), (ARABIC, "cp1256"),
                                           ("Officials in Baghdad said " + RUSSIAN, "cp1251"),
                                           ("Le ministre a déclaré à Paris que l’armée était prête.", "cp1252")])
def test_legacy_code_pages_are_still_detected(text, encoding):
    got = decode(text.encode(encoding))
    assert got.text == text and got.warning is None
    assert got.encoding.replace("-", "_") in {encoding.replace("-", "_"), "cp1250"} or encoding == "cp1252"


def test_utf8_with_a_few_bad_bytes_stays_utf8():
    got = decode(INVALID_UTF8)
    assert got.encoding == "utf-8" and got.warning and "6 byte(s)" in got.warning
    assert got.text == INVALID_UTF8.decode("utf-8", "replace")
    mixed = decode("Müller said".encode() + b" \xff and left.")
    assert mixed.text == "Müller said \ufffd and left." and mixed.warning
    quotes = decode("Müller said".encode() + b" \x93no\x94.")  # windows-1252 typography still reads
    assert quotes.text == "Müller said \u201cno\u201d." and quotes.warning is None


# -- 4. UTF-16 and UTF-32 line formats -----------------------------------------------------------

def test_utf16_json_lines_are_stored(hostile):
    db, _, _ = hostile
    ids = {a["source_id"] for a in _json("articles", "--db", str(db))}
    assert {"u16-a", "u16-b"} <= ids


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("name", ["x.jsonl", "x.json", "x.jsonl.gz"])
def test_utf16_and_utf32_line_formats_read_every_record(tmp_path, encoding, name):
    records = [{"id": f"r{i}", "text": f"Record {i}: бой near Mosul, العراق."} for i in range(3)]
    if name == "x.json":
        text = json.dumps(records, ensure_ascii=False)
    else:
        text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")
    data = (bom + text).encode(encoding)
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    got = _records(path)
    assert [type(r).__name__ for r in got] == ["RawDocument"] * 3, got
    assert [r.text for r in got] == [r["text"] for r in records]
    if name != "x.json":
        assert [r.record_key for r in got] == ["line:1", "line:2", "line:3"]


def test_a_utf16_stream_that_breaks_off_keeps_the_lines_before(tmp_path):
    data = "\n".join(json.dumps({"id": f"r{i}", "text": "Shelling near Donetsk."}) for i in range(3)).encode("utf-16")
    path = tmp_path / "cut.jsonl"
    path.write_bytes(data[:-3])  # an odd byte count: the last character is cut in half
    got = _records(path)
    assert [type(r).__name__ for r in got[:2]] == ["RawDocument", "RawDocument"]
    assert got[-1].kind == "encoding" and got[-1].line == 3


# -- 3. decompression bombs of blank lines -------------------------------------------------------

def _newline_bomb(path: Path, megabytes: int) -> None:
    with gzip.open(path, "wb", compresslevel=9) as fh:
        block = b"\n" * (1 << 20)
        for _ in range(megabytes):
            fh.write(block)
        fh.write(json.dumps({"id": "last", "text": REPORT}).encode() + b"\n")


def test_a_gzip_bomb_of_blank_lines_is_refused_quickly_by_the_ratio_bound(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    _newline_bomb(path, 256)
    t0 = time.perf_counter()
    got = _records(path)
    assert time.perf_counter() - t0 < 5
    assert [r.kind for r in got] == ["too_large"]
    assert "max_inflate_ratio" in got[0].message


def test_blank_lines_cost_next_to_nothing_and_keep_line_numbers(tmp_path):
    path = tmp_path / "blank.jsonl.gz"
    _newline_bomb(path, 64)
    t0 = time.perf_counter()
    got = _records(path, ReadOptions(max_inflate_ratio=1e9))
    assert time.perf_counter() - t0 < 5  # 64 Mi empty lines; line by line this took ~30 s
    assert [(r.source_id, r.record_key) for r in got] == [("last", f"line:{64 * (1 << 20) + 1}")]
    capped = _records(path, ReadOptions(max_inflate_ratio=1e9, max_inflated_bytes=10_000_000))
    assert [r.kind for r in capped] == ["too_large"] and "max_inflated_bytes" in capped[0].message


# -- Also: empty WARC, texts past the parser's limit ---------------------------------------------

def test_empty_warc_files_are_empty_not_parse_errors(hostile):
    db, folder, _ = hostile
    kinds = {e["source_path"]: e["kind"] for e in _json("errors", "--db", str(db))}
    assert kinds[str(folder / "g-empty.warc")] == "empty"
    assert kinds[str(folder / "g-empty.warc.gz")] == "empty"


def test_a_text_past_the_parsers_limit_is_refused_before_it_is_stored(hostile):
    db, folder, _ = hostile
    errors = [e for e in _json("errors", "--db", str(db)) if e["source_path"] == str(folder / "h-long.txt")]
    assert [e["kind"] for e in errors] == ["too_large"]
    assert "parser" in errors[0]["message"] and "1,000,000" in errors[0]["message"]
    assert not any(e["kind"].startswith("stage:") for e in _json("errors", "--db", str(db)))
    assert str(folder / "h-long.txt") not in {a["source_path"] for a in _json("articles", "--db", str(db))}


# -- 2. integer parameters and HEAD --------------------------------------------------------------

@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from seedlike import build_seedlike_db

    from sitrep.api import create_app

    db = tmp_path_factory.mktemp("api") / "store.sqlite"
    build_seedlike_db(db).close()
    with TestClient(create_app(str(db))) as c:
        yield c


LISTS = ["/api/stories", "/api/articles", "/api/entities", "/api/claims", "/api/events", "/api/errors",
         "/api/search?q=base", "/"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("offset", [2**63, 2**63 - 1, 2**64 + 5, 10**30])
def test_huge_offsets_are_a_422_not_a_500(client, url, offset):
    sep = "&" if "?" in url else "?"
    r = client.get(f"{url}{sep}offset={offset}")
    assert r.status_code == 422, (url, r.status_code, r.text[:200])


def test_huge_limits_and_offsets_are_refused_by_the_cli_too(hostile):
    db, _, _ = hostile
    for args in (["articles", "--offset", str(2**63)], ["articles", "--limit", str(2**64)],
                 ["errors", "--limit", str(2**63)]):
        result = CliRunner().invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output


def test_the_largest_accepted_offset_works(client):
    from sitrep.api.params import MAX_OFFSET

    for url in LISTS:
        sep = "&" if "?" in url else "?"
        assert client.get(f"{url}{sep}offset={MAX_OFFSET}").status_code == 200, url


def test_head_answers_on_every_get_route(client):
    ids = {"article_id": "ptv", "story_id": "story-1", "entity_id": "ent-asad"}
    paths = [p for p, ops in client.get("/api/openapi.json").json()["paths"].items() if "get" in ops]
    paths += ["/", "/stories/{story_id}", "/articles/{article_id}", "/entities/{entity_id}", "/api/openapi.json"]
    urls = [p.format(**ids) + ("?q=base" if p == "/api/search" else "") for p in paths]
    assert len(urls) >= 20
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code == 200, (url, head.status_code, get.status_code)
        assert head.content == b""
        assert head.headers.get("content-type") == get.headers.get("content-type"), url
    assert client.head("/api/articles/nope").status_code == 404


# -- 7. parsing processes outlive a killed parent ------------------------------------------------

CHILD_SCRIPT = """
import os, sys, time
from sitrep.engines import parent_watch
parent_watch.install()
pid = os.fork()
if pid == 0:
    time.sleep(120)
    os._exit(0)
print(pid, flush=True)
time.sleep(120)
"""


def test_a_forked_worker_dies_when_its_parent_is_killed():
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    parent = subprocess.Popen([sys.executable, "-c", CHILD_SCRIPT], stdout=subprocess.PIPE, text=True, env=env)
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{child}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break  # dead; only its exit status is left for init to collect
        except FileNotFoundError:
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the forked child outlived its SIGKILLed parent")
