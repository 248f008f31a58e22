"""Readers: every format in, RawDocument or IngestError out, never an exception."""
from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.ingest import ReadOptions, count_inputs, decode, iter_documents, sniff
from sitrep.ingest.decoding import DecodeError
from sitrep.ingest.records import iter_json_array
from sitrep.model import IngestError, RawDocument

PARAS = [
    "Iraqi security sources say new US troops have been deployed to the western province of Anbar "
    "amid reports that the Pentagon is preparing for a new escalation in the region.",
    "A local news agency cited a security source as saying on Sunday that planes carrying American "
    "soldiers and military advisers had landed at the base after midnight.",
    "The reported deployment comes days after the US military handed over several smaller bases to "
    "Iraqi forces, in what officials described as a planned consolidation of positions.",
]


def article_html(title: str = "US deploys new troops to Anbar base", extra_head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{title} - Example Times</title>"
        "<meta property='og:site_name' content='Example Times'>"
        "<meta property='article:published_time' content='2020-03-30T08:00:00Z'>"
        f"{extra_head}</head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<div id='comments' class='comments'><p>Comment by reader: this is fake news</p></div>"
        "<footer>Copyright Example Times 2020</footer></body></html>"
    )


def read(*paths, **opts) -> list[RawDocument | IngestError]:
    return list(iter_documents([str(p) for p in paths], ReadOptions(**opts) if opts else None))


def docs(items):
    return [i for i in items if isinstance(i, RawDocument)]


def errors(items):
    return [i for i in items if isinstance(i, IngestError)]


def only_error(items) -> IngestError:
    assert len(items) == 1 and isinstance(items[0], IngestError), items
    return items[0]


# ------------------------------------------------------------------------------------ text


def test_txt_with_sidecar(tmp_path):
    (tmp_path / "report.txt").write_text("Troops landed at the base on Sunday.\n", encoding="utf-8")
    (tmp_path / "report.meta.json").write_text(json.dumps({
        "id": "r-1", "url": "https://example.org/r1", "outlet": "Example News", "title": "Troops land",
        "published": "2020-03-29", "author": "A. Writer"}), encoding="utf-8")
    (doc,) = read(tmp_path)
    assert doc.text == "Troops landed at the base on Sunday.\n"
    assert (doc.source_id, doc.url, doc.outlet, doc.title, doc.published) == (
        "r-1", "https://example.org/r1", "Example News", "Troops land", "2020-03-29")
    assert doc.format == "txt" and doc.record_key == "" and doc.encoding == "utf-8"
    assert doc.extra["sidecar"] == {"author": "A. Writer"}
    assert count_inputs([tmp_path]) == 1  # the sidecar is not a document


def test_txt_front_matter_is_cut_and_offsets_count_after_it(tmp_path):
    raw = "---\ntitle: \"Missiles moved\"\noutlet: News Front\ndate: 2020-03-30\nlang: en\n---\nBody line one.\nBody two."
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    (doc,) = read(tmp_path / "a.txt")
    assert doc.text == "Body line one.\nBody two."
    assert (doc.title, doc.outlet, doc.published) == ("Missiles moved", "News Front", "2020-03-30")
    assert raw[doc.extra["front_matter_chars"]:] == doc.text
    assert doc.extra["front_matter"] == {"lang": "en"}


@pytest.mark.parametrize("raw", [
    "---\nThis report opens with a rule.\n---\nAnd goes on.",
    "---\nUpdate: the ministry later denied the report.\n---\nAnd goes on.",
])
def test_txt_horizontal_rule_is_not_front_matter(tmp_path, raw):
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    (doc,) = read(tmp_path / "a.txt")
    assert doc.text == raw and doc.title is None and "front_matter_chars" not in doc.extra


def test_sidecar_wins_over_front_matter_and_bad_sidecar_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text("---\ntitle: From front\n---\nText.", encoding="utf-8")
    (tmp_path / "a.meta.json").write_text('{"title": "From sidecar"}', encoding="utf-8")
    (tmp_path / "b.txt").write_text("Text b.", encoding="utf-8")
    (tmp_path / "b.meta.json").write_text('{"title": ', encoding="utf-8")
    items = read(tmp_path)
    assert [d.title for d in docs(items)] == ["From sidecar", None]
    (err,) = errors(items)
    assert err.kind == "parse" and err.source_path.endswith("b.meta.json")


def test_utf8_bom_and_crlf_are_left_for_cleaning(tmp_path):
    (tmp_path / "a.txt").write_bytes("\ufeffLine one.\r\nLine two.".encode("utf-8"))
    (doc,) = read(tmp_path / "a.txt")
    assert doc.text == "Line one.\r\nLine two." and doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("text,encoding", [
    ("Пентагон готовится к ракетному противостоянию с Ираном. Источники сообщают, что системы ПВО "
     "размещены на базах в Ираке.", "cp1251"),
    ("Le café de la rédaction a publié un rapport détaillé sur la situation à Bagdad, près de la base.",
     "latin-1"),
])
def test_legacy_encodings(tmp_path, text, encoding):
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    (doc,) = read(tmp_path / "a.txt")
    assert doc.text == text
    assert doc.encoding in {"cp1251", "windows-1251"} if encoding == "cp1251" else doc.encoding in {"cp1252", "latin_1"}


@pytest.mark.parametrize("text,encoding", [
    ("Zażółć gęślą jaźń, powiedział rzecznik ministerstwa w Warszawie.", "cp1250"),
    ("قالت مصادر أمنية عراقية إن قوات أمريكية جديدة انتشرت في قاعدة عين الأسد", "cp1256"),
])
def test_decode_other_code_pages(text, encoding):
    assert decode(text.encode(encoding)).text == text


def test_stray_windows_bytes_in_utf8_do_not_garble_the_rest():
    body = ("Iraq’s parliament said — “the vote is binding” — and the minister’s office agreed. " * 3).encode()
    got = decode(body + b"It\x92s over.")
    assert got.text == body.decode() + "It’s over." and got.encoding == "utf-8+cp1252"
    ascii_body = b"Plain report about the base and the troops there. " * 10
    assert decode(ascii_body + b"It\x92s over.").text.endswith("It’s over.")


def test_utf16_with_bom(tmp_path):
    (tmp_path / "a.txt").write_bytes("Report in UTF-16.".encode("utf-16"))
    (doc,) = read(tmp_path / "a.txt")
    assert doc.text == "Report in UTF-16." and doc.encoding == "utf-16"


def test_binary_empty_too_large_missing(tmp_path):
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    (tmp_path / "big.txt").write_bytes(b"word " * 400)
    assert only_error(read(tmp_path / "bin.txt")).kind == "binary"
    assert only_error(read(tmp_path / "empty.txt")).kind == "empty"
    assert only_error(read(tmp_path / "blank.txt")).kind == "empty"
    err = only_error(read(tmp_path / "big.txt", max_bytes=1000))
    assert err.kind == "too_large" and "1,000" in err.message
    err = only_error(read(tmp_path / "nothing-here.txt"))
    assert err.kind == "missing"
    assert err.one_line().startswith(str(tmp_path / "nothing-here.txt") + ": missing: ")
    assert "\n" not in err.one_line()


def test_decode_names_kinds():
    assert decode(b"plain ascii").encoding == "utf-8"
    with pytest.raises(DecodeError) as exc:
        decode(b"\x00\x01\x02\x03binary")
    assert exc.value.kind == "binary"
    with pytest.raises(DecodeError) as exc:
        decode(b"")
    assert exc.value.kind == "empty"


def test_unsupported_and_sniffed_types(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (tmp_path / "notes").write_text("no extension and no signature", encoding="utf-8")
    (tmp_path / "page.txt").write_text(article_html(), encoding="utf-8")  # HTML misnamed .txt
    (tmp_path / "records.dat").write_text('{"text": "A record without a known extension."}\n', encoding="utf-8")
    (tmp_path / "plain.xml").write_text("<?xml version='1.0'?><catalog><item/></catalog>", encoding="utf-8")
    items = read(tmp_path)
    by_name = {Path(i.source_path).name: i for i in items}
    assert by_name["image.png"].kind == "unsupported" and "binary" in by_name["image.png"].message
    assert by_name["notes"].kind == "unsupported"
    assert by_name["plain.xml"].kind == "unsupported"
    assert by_name["page.txt"].format == "html" and PARAS[0] in by_name["page.txt"].text
    assert by_name["records.dat"].text == "A record without a known extension."


def test_sniff_signatures():
    assert sniff(b"WARC/1.0\r\n") == "warc"
    assert sniff(b"<?xml version='1.0'?>\n<!-- c --><rss version='2.0'>") == "feed"
    assert sniff(b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>") == "feed"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert sniff(b"  [{\"a\": 1}]") == "json"
    assert sniff(b"Plain words") is None


def test_folder_order_hidden_files_and_symlinks(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("two", encoding="utf-8")
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    (tmp_path / "c.txt").write_text("three", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("hidden", encoding="utf-8")
    os.symlink(tmp_path / "a.txt", tmp_path / "link.txt")
    assert [d.text for d in read(tmp_path)] == ["one", "three", "two"]
    assert only_error(read(tmp_path / "link.txt")).kind == "symlink"
    assert [d.text for d in read(tmp_path / "link.txt", follow_symlinks=True)] == ["one"]
    assert count_inputs([tmp_path]) == 3


def test_symlink_loop_is_walked_once(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    assert [d.text for d in read(tmp_path, follow_symlinks=True)] == ["x"]


def test_seeds_read_as_two_documents(seeds_dir):
    items = list(iter_documents([seeds_dir]))
    assert len(items) == 2 and all(isinstance(i, RawDocument) for i in items)
    assert [Path(d.source_path).name for d in items] == sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert any("Ain al-Asad" in d.text for d in items)


# ------------------------------------------------------------------------------------ html


def test_html_main_text_and_metadata(tmp_path):
    (tmp_path / "page.html").write_text(article_html(), encoding="utf-8")
    (doc,) = read(tmp_path / "page.html")
    assert doc.format == "html"
    for p in PARAS:
        assert p in doc.text
    assert "\n" in doc.text  # paragraphs stay apart
    assert "fake news" not in doc.text and "Copyright" not in doc.text and "Home" not in doc.text
    assert doc.site_name == "Example Times"
    assert doc.html_date == "2020-03-30"
    assert doc.title and "US deploys new troops" in doc.title
    assert doc.published is None  # a markup date is not metadata


def test_html_keeps_captions_and_byline_apart(tmp_path):
    caption = "US soldiers at the K1 Air Base northwest of Kirkuk on March 29, 2020. (Photo by AFP)"
    html = article_html().replace(
        "<h1>", f"<p class='byline'>By John Smith</p><figure><img src='a.jpg'><figcaption>{caption}</figcaption></figure><h1>")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    (doc,) = read(tmp_path / "page.html")
    assert caption not in doc.text and PARAS[0] in doc.text
    assert doc.extra["captions"] == [caption]


def test_html_sidecar_and_declared_charset(tmp_path):
    html = article_html(title="Войска в Анбаре").replace("charset='utf-8'", "charset='windows-1251'")
    (tmp_path / "page.htm").write_bytes(html.encode("cp1251"))
    (tmp_path / "page.meta.json").write_text('{"outlet": "Sidecar Outlet", "published": "2020-03-29"}')
    (doc,) = read(tmp_path / "page.htm")
    assert doc.encoding == "cp1251" and "Войска в Анбаре" in (doc.title or "")
    assert (doc.outlet, doc.published, doc.site_name) == ("Sidecar Outlet", "2020-03-29", "Example Times")


def test_html_without_main_text(tmp_path):
    (tmp_path / "script.html").write_text(
        "<html><head><script>var a = 1;</script></head><body><script>render()</script><style>p{}</style></body></html>")
    err = only_error(read(tmp_path / "script.html"))
    assert err.kind == "no_text"


def test_short_html_falls_back_to_visible_text(tmp_path):
    (tmp_path / "stub.html").write_text(
        "<html><body><p>A <b>short</b> stub near Kirkuk.</p><script>x()</script></body></html>")
    (doc,) = read(tmp_path / "stub.html")
    assert doc.text.strip() == "A short stub near Kirkuk."


# ------------------------------------------------------------------------------------ json


def write_jsonl(path: Path, lines: list[str], opener=open) -> None:
    with opener(path, "wt", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")


def test_jsonl_with_a_bad_line(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, [
        json.dumps({"id": "1", "url": "https://x.org/1", "outlet": "X", "title": "T1", "published": "2020-03-29",
                    "text": "First record.", "lang": "en"}),
        '{"id": "2", "text": "broken',
        "",
        json.dumps({"id": "3", "html": article_html()}),
        json.dumps({"id": "4", "text": "   "}),
        json.dumps(["not", "an", "object"]),
    ])
    items = read(path)
    good = docs(items)
    assert [d.record_key for d in good] == ["line:1", "line:4"]
    first = good[0]
    assert (first.source_id, first.url, first.outlet, first.title, first.published, first.text) == (
        "1", "https://x.org/1", "X", "T1", "2020-03-29", "First record.")
    assert first.format == "jsonl" and first.extra["fields"] == {"lang": "en"}
    assert PARAS[1] in good[1].text and good[1].site_name == "Example Times"
    errs = {e.line: e for e in errors(items)}
    assert errs[2].kind == "parse" and errs[2].record_key == "line:2"
    assert errs[5].kind == "no_text" and errs[6].kind == "parse"
    assert errs[2].one_line().startswith(f"{path}:2: parse: ")


def test_jsonl_field_mapping(tmp_path):
    path = tmp_path / "a.ndjson"
    write_jsonl(path, [json.dumps({"guid": "g1", "body": "Mapped body.", "meta": {"date": "2020-03-30"},
                                   "source": "Mapped Outlet"})])
    write_jsonl(tmp_path / "b.jsonl", [json.dumps({"text": "t", "published": 1585440000}),
                                       json.dumps({"text": "t", "published": 1585440000000})])
    (doc,) = read(path, fields={"id": "guid", "text": "body", "published": "meta.date", "outlet": "source"})
    assert (doc.source_id, doc.text, doc.published, doc.outlet) == ("g1", "Mapped body.", "2020-03-30", "Mapped Outlet")
    # Unix timestamps (seconds or milliseconds) become ISO date-times.
    assert [d.published for d in read(tmp_path / "b.jsonl")] == ["2020-03-29T00:00:00Z"] * 2


def test_jsonl_gz_and_truncated_gz(tmp_path):
    lines = [json.dumps({"id": str(i), "text": f"Record {i} " + "filler " * 200}) for i in range(30)]
    good = tmp_path / "a.jsonl.gz"
    write_jsonl(good, lines, opener=gzip.open)
    assert [d.source_id for d in read(good)] == [str(i) for i in range(30)]
    cut = tmp_path / "cut.jsonl.gz"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    items = read(cut)
    kept = docs(items)
    assert 0 < len(kept) < 30 and [d.source_id for d in kept] == [str(i) for i in range(len(kept))]
    err = items[-1]
    assert isinstance(err, IngestError) and err.kind == "truncated"
    assert err.line == len(kept) + 1 and f"after line {len(kept)}" in err.message


def test_jsonl_record_too_large_skips_only_that_line(tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, [json.dumps({"text": "small"}), json.dumps({"text": "x" * 5000}), json.dumps({"text": "after"})])
    items = read(path, max_record_bytes=1000)
    assert [d.text for d in docs(items)] == ["small", "after"]
    (err,) = errors(items)
    assert err.kind == "too_large" and err.line == 2


def test_json_array_object_and_wrapper(tmp_path):
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([{"id": "a", "text": "Alpha."}, {"id": "b", "text": "Beta."}, 7]), encoding="utf-8")
    items = read(arr)
    assert [(d.record_key, d.text) for d in docs(items)] == [("item:0", "Alpha."), ("item:1", "Beta.")]
    assert only_error(errors(items)).record_key == "item:2"
    obj = tmp_path / "obj.json"
    obj.write_text(json.dumps({"id": "o", "title": "One", "text": "Just one."}), encoding="utf-8")
    (doc,) = read(obj)
    assert (doc.record_key, doc.format, doc.title) == ("", "json", "One")
    wrap = tmp_path / "wrap.json"
    wrap.write_text(json.dumps({"count": 2, "articles": [{"text": "W1"}, {"text": "W2"}]}), encoding="utf-8")
    assert [d.text for d in read(wrap)] == ["W1", "W2"]
    lines = tmp_path / "lines.json"  # JSON Lines under a .json name
    write_jsonl(lines, [json.dumps({"text": "L1"}), json.dumps({"text": "L2"})])
    assert [d.record_key for d in read(lines)] == ["line:1", "line:2"]
    long_lines = tmp_path / "long.json"  # first line longer than the sniffed head
    write_jsonl(long_lines, [json.dumps({"text": "x" * 100_000}), json.dumps({"text": "L2"})])
    assert [d.record_key for d in read(long_lines)] == ["line:1", "line:2"]


def test_json_array_truncated_keeps_earlier_items(tmp_path):
    arr = tmp_path / "arr.json"
    arr.write_text('[{"text": "kept"}, {"text": "lost', encoding="utf-8")
    items = read(arr)
    assert [d.text for d in docs(items)] == ["kept"]
    assert errors(items)[0].record_key == "item:1"


def test_json_array_streams_in_small_chunks():
    items = [{"text": f"item {i}", "n": i * 1.5} for i in range(50)]
    stream = io.StringIO(" \n" + json.dumps(items, indent=2))
    assert list(iter_json_array(stream, max_item_chars=10_000, chunk=7)) == items


# ------------------------------------------------------------------------------------ feeds

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Wire</title><link>https://wire.example/</link><description>d</description>
<item><title>Troops land</title><link>https://wire.example/1</link><guid>wire-1</guid>
<pubDate>Sun, 29 Mar 2020 10:00:00 GMT</pubDate>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>Planes carrying <b>American</b> soldiers landed at the base.</p><p>Second paragraph.</p>]]></content:encoded>
</item>
<item><title>No guid</title><link>https://wire.example/2</link><description>Only a summary here.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Outlet</title><id>urn:feed</id><updated>2020-03-30T00:00:00Z</updated>
<entry><title>Patriot systems placed</title><id>urn:entry:1</id><link href="https://atom.example/1"/>
<published>2020-03-28T09:30:00Z</published><updated>2020-03-30T00:00:00Z</updated>
<content type="html">&lt;p&gt;Sources specify that the weapons are placed at the bases.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss(tmp_path):
    (tmp_path / "wire.rss").write_text(RSS, encoding="utf-8")
    first, second = read(tmp_path / "wire.rss")
    assert first.format == "rss" and first.outlet == "Example Wire"
    assert first.text.splitlines() == ["Planes carrying American soldiers landed at the base.", "Second paragraph."]
    assert (first.url, first.source_id, first.record_key, first.title) == (
        "https://wire.example/1", "wire-1", "wire-1", "Troops land")
    assert first.published == "2020-03-29T10:00:00Z" and "updated" not in first.extra
    assert second.text == "Only a summary here." and second.source_id == "https://wire.example/2"


def test_atom_in_xml_file(tmp_path):
    (tmp_path / "feed.xml").write_text(ATOM, encoding="utf-8")
    (doc,) = read(tmp_path / "feed.xml")
    assert doc.format == "atom" and doc.outlet == "Atom Outlet" and doc.record_key == "urn:entry:1"
    assert doc.text == "Sources specify that the weapons are placed at the bases."
    assert doc.published == "2020-03-28T09:30:00Z" and doc.extra["updated"] == "2020-03-30T00:00:00Z"
    assert doc.url == "https://atom.example/1"


def test_malformed_feed(tmp_path):
    (tmp_path / "bad.rss").write_text("<rss version='2.0'><channel><title>x</title></chan", encoding="utf-8")
    err = only_error(read(tmp_path / "bad.rss"))
    assert err.kind == "parse" and "feed does not parse" in err.message
    (tmp_path / "none.rss").write_text("<rss version='2.0'><channel><title>x</title></channel></rss>")
    assert only_error(read(tmp_path / "none.rss")).kind == "empty"


# ------------------------------------------------------------------------------------ warc


def write_warc(path: Path, pages: list[tuple[str, str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for url, ctype, body in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")),
                                               http_headers=http,
                                               warc_headers_dict={"WARC-Date": "2020-04-01T12:00:00Z"})
            writer.write_record(record)


def test_warc(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [
        ("https://news.example/a", "text/html; charset=utf-8", article_html()),
        ("https://news.example/logo.png", "image/png", "PNGDATA"),
        ("https://news.example/b", "text/html", article_html(title="Second page")),
    ])
    items = read(path)
    assert len(items) == 2 and all(isinstance(i, RawDocument) for i in items)
    a = items[0]
    assert a.format == "warc" and a.url == "https://news.example/a" and PARAS[2] in a.text
    assert a.record_key.startswith("<urn:uuid:") and a.published is None
    assert a.extra["warc_date"] == "2020-04-01T12:00:00Z" and a.html_date == "2020-03-30"


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
@pytest.mark.parametrize("keep", [0.6, 0.9])
def test_truncated_warc_keeps_earlier_records(tmp_path, name, keep):
    path = tmp_path / name
    write_warc(path, [(f"https://news.example/{i}", "text/html", article_html(title=f"Page {i}")) for i in range(4)])
    data = path.read_bytes()
    cut = tmp_path / ("cut-" + name)
    cut.write_bytes(data[: int(len(data) * keep)])
    items = read(cut)
    urls = [d.url for d in docs(items)]
    assert 1 <= len(urls) < 4 and urls == [f"https://news.example/{i}" for i in range(len(urls))]
    assert isinstance(items[-1], IngestError) and items[-1].kind == "truncated"
    assert all(PARAS[0] in d.text for d in docs(items))


def test_not_a_warc(tmp_path):
    (tmp_path / "x.warc").write_text("this is not an archive", encoding="utf-8")
    assert only_error(read(tmp_path / "x.warc")).kind == "parse"


# ------------------------------------------------------------------------------------ properties


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".jsonl", ".json", ".html", ".rss", ".jsonl.gz"]))
def test_random_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    items = list(iter_documents([path]))
    assert items and all(isinstance(i, (RawDocument, IngestError)) for i in items)
    for item in items:
        if isinstance(item, IngestError):
            assert item.message and "\n" not in item.one_line()
        else:
            assert item.text.strip()


@pytest.fixture(scope="module")
def archives(tmp_path_factory) -> dict[str, bytes]:
    """A valid JSON Lines gzip and a valid WARC gzip, to cut anywhere."""
    folder = tmp_path_factory.mktemp("archives")
    jsonl = folder / "a.jsonl.gz"
    write_jsonl(jsonl, [json.dumps({"id": str(i), "text": f"Record {i}. " + "filler " * 40}) for i in range(12)],
                opener=gzip.open)
    warc = folder / "a.warc.gz"
    write_warc(warc, [(f"https://news.example/{i}", "text/html", article_html(title=f"Page {i}")) for i in range(3)])
    plain = folder / "a.warc"
    write_warc(plain, [(f"https://news.example/{i}", "text/html", article_html(title=f"Page {i}")) for i in range(3)])
    return {".jsonl.gz": jsonl.read_bytes(), ".warc.gz": warc.read_bytes(), ".warc": plain.read_bytes()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".jsonl.gz", ".warc.gz", ".warc"]), keep=st.floats(min_value=0.0, max_value=1.0))
def test_cut_anywhere_keeps_a_prefix(tmp_path, archives, suffix, keep):
    data = archives[suffix]
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(data[: int(len(data) * keep)])
    items = list(iter_documents([path]))
    assert items and all(isinstance(i, (RawDocument, IngestError)) for i in items)
    kept = docs(items)
    if suffix == ".jsonl.gz":
        assert [d.source_id for d in kept] == [str(i) for i in range(len(kept))]
    else:
        assert [d.url for d in kept] == [f"https://news.example/{i}" for i in range(len(kept))]
    # Wherever the cut falls inside a record (not on the few bytes of a boundary), the loss is
    # reported, not silent. A gzipped WARC cut in a member's last 16 bytes (the deflate end and the
    # trailer) is reported too: warcio reads such a member without complaint, but the members
    # after it are gone (the reader inflates the last member again to see it).
    cut = int(len(data) * keep)
    marker = b"\x1f\x8b\x08" if suffix.endswith(".gz") else b"WARC/1.0\r\n"
    starts = [i for i in range(len(data)) if data.startswith(marker, i)] if "warc" in suffix else []
    tail = 0 if suffix == ".warc.gz" else 8
    if starts and cut < len(data) - tail and all(not (-9 <= cut - s <= 10) for s in starts):
        assert isinstance(items[-1], IngestError)
    if suffix == ".jsonl.gz" and cut < len(data) - 8:
        assert isinstance(items[-1], IngestError)


def test_a_gzipped_warc_cut_in_a_members_trailer_reports_the_loss(tmp_path, archives):
    """warcio reads a member cut in its last bytes as whole; the members after it were lost
    without a word (a hypothesis draw of ``test_cut_anywhere_keeps_a_prefix`` found it)."""
    data = archives[".warc.gz"]
    ends = [i for i in range(1, len(data)) if data.startswith(b"\x1f\x8b\x08", i)] + [len(data)]
    for n, end in enumerate(ends, start=1):
        for back in (1, 8, 12):
            path = tmp_path / f"cut{n}-{back}.warc.gz"
            path.write_bytes(data[:end - back])
            items = list(iter_documents([path]))
            urls = [d.url for d in docs(items)]
            assert urls == [f"https://news.example/{i}" for i in range(len(urls))] and len(urls) >= n - 1, (end, back)
            assert isinstance(items[-1], IngestError) and items[-1].kind == "truncated", (end, back, items[-1])
