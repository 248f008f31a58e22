"""Byte streams for the streamed formats: gzip inflated under a budget, UTF-16/32 made UTF-8.

Two hostile shapes meet the streaming readers (JSON Lines, a JSON array, WARC) here.

**Decompression bombs.** A 1 MB ``.jsonl.gz`` can hold 1 GB of newlines: no line is over the
record limit, so nothing refused it, and the reader spent minutes on empty lines. A gzipped
stream is therefore inflated under two bounds, and passing either ends the file with a
``too_large`` error naming the limit (the records before it are kept): ``max_inflated_bytes``
in all, and ``max_inflate_ratio`` of inflated to compressed bytes, checked once 16 MB have been
inflated (small files may compress well; news text compresses 3–10×, whole crawls rarely past
30×; gzip's own ceiling is about 1,000×). ``LineReader`` makes blank lines cost nothing
either way: runs of them are skipped a buffer at a time, in C.

**UTF-16 and UTF-32.** Line formats used to be split at ``\\n`` bytes first and decoded line by
line, which cuts UTF-16 in half (``\\n`` is two bytes there). A stream that opens with a UTF-16
or UTF-32 byte-order mark is decoded as a whole and handed on as UTF-8, so every line-based
reader splits text, not bytes. Bytes that do not decode end the stream with ``UnicodeDecodeError``,
which the readers report as an ``encoding`` error.
"""
from __future__ import annotations

import codecs
import gzip
import io
import zlib
from pathlib import Path
from typing import IO

from .sidecar import GZIP_MAGIC

_CHUNK = 1 << 16
RATIO_CHECK_AFTER = 16 * 1024 * 1024
_BLANK = b" \t\r\n"


class InflateLimit(Exception):
    """A gzip stream went past ``max_inflated_bytes`` or ``max_inflate_ratio``."""


def stream_error(stream: object) -> BaseException | None:
    """The error that ended ``stream`` or a stream under it early (a gzip cut short, bytes that
    are not UTF-16), or None when it simply ended.

    The wrappers here end their stream and keep such an error in ``error`` instead of raising
    it: ``io.BufferedReader`` would drop the good bytes it had already gathered in the call that
    raised, and those are the records before the damage. ``LineReader`` raises it at the end."""
    while stream is not None:
        error = getattr(stream, "error", None)
        if error is not None:
            return error
        stream = getattr(stream, "raw", None) or getattr(stream, "inner", None)
    return None


class _BoundedGzip(io.RawIOBase):
    """Inflated bytes of a gzip file, counted against the two bounds of the module."""

    def __init__(self, raw: IO[bytes], max_bytes: int, max_ratio: float) -> None:
        self._raw = raw
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._max_bytes = max_bytes
        self._max_ratio = max_ratio
        self.inflated = 0
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self.error is not None:
            return 0
        try:
            data = self._gz.read1(len(buffer))  # what is there: never decompresses into the cut
        except (EOFError, OSError, zlib.error) as exc:
            self.error = exc
            return 0
        self.inflated += len(data)
        if self.inflated > self._max_bytes:
            raise InflateLimit(f"gzip stream inflates to over {self._max_bytes:,} bytes (max_inflated_bytes)")
        if self.inflated > RATIO_CHECK_AFTER:
            ratio = self.inflated / max(1, self._raw.tell())
            if ratio > self._max_ratio:
                raise InflateLimit(f"gzip stream inflates over {self._max_ratio:,.0f} times its compressed size "
                                   f"(max_inflate_ratio; a decompression bomb?)")
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._gz.close()
        finally:
            self._raw.close()
            super().close()


class _Utf8FromBom(io.RawIOBase):
    """UTF-8 bytes of a UTF-16 or UTF-32 stream whose byte-order mark has been read off.

    When the bytes stop decoding (a cut in the middle of a character, a lone surrogate), the text
    before the bad bytes is still handed on, then the stream ends and keeps the
    ``UnicodeDecodeError`` in ``error``: raising it from ``readinto`` would make the buffered
    reader above drop the good bytes it had gathered in the same call. ``LineReader`` raises it
    when it reaches the end, after the lines before the damage."""

    def __init__(self, inner: IO[bytes], encoding: str) -> None:
        self.inner = inner
        self._encoding = encoding
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._pending = b""
        self._eof = False
        self.error: UnicodeDecodeError | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while not self._pending and not self._eof:
            chunk = self.inner.read(_CHUNK)
            self._eof = not chunk
            if self._eof and stream_error(self.inner) is not None:
                break  # the stream below broke off: that error, not a cut character, is the news
            try:
                text = self._decoder.decode(chunk, final=self._eof)
            except UnicodeDecodeError as exc:  # exc.object: the decoder's buffer plus this chunk
                text = exc.object[:exc.start].decode(self._encoding)
                self.error, self._eof = exc, True
            self._pending = text.encode("utf-8", "surrogatepass")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            super().close()


_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
              (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def open_stream(path: Path, max_inflated_bytes: int | None = None, max_inflate_ratio: float | None = None
                ) -> io.BufferedReader:
    """A buffered binary stream of the file's content: inflated (under the bounds) when it starts
    with the gzip magic, whatever its name says, and UTF-8 when it opens with a UTF-16/32 BOM."""
    from .options import ReadOptions

    defaults = ReadOptions()
    raw = open(path, "rb")
    stream: io.BufferedReader = raw
    if raw.peek(2)[:2] == GZIP_MAGIC:
        stream = io.BufferedReader(_BoundedGzip(raw, max_inflated_bytes or defaults.max_inflated_bytes,
                                                max_inflate_ratio or defaults.max_inflate_ratio), _CHUNK)
    head = stream.peek(4)[:4]
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            stream.read(len(bom))
            return io.BufferedReader(_Utf8FromBom(stream, encoding), _CHUNK)
    return stream  # type: ignore[return-value]


class LineReader:
    """Lines of a binary stream, each at most ``limit`` + 1 bytes, with blank lines free.

    ``next_line`` returns (line number, bytes) for the next line that holds anything but
    whitespace, or None at the end. A line over ``limit`` bytes comes back as its first ``limit``
    + 1 bytes without its end, and the rest of it is skipped without being held. Runs of blank
    lines are passed over with ``bytes.lstrip``/``count`` on a whole buffer, not line by line.
    """

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._fh = stream
        self._limit = limit
        self._buf = bytearray()
        self._pos = 0
        self._eof = False
        self.lineno = 0  # the number of the line last returned or passed over

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._fh.read(_CHUNK)
        if not chunk:
            self._eof = True
            error = stream_error(self._fh)
            if error is not None:
                raise error  # the stream broke off after the last line read
            return False
        if self._pos:
            del self._buf[:self._pos]
            self._pos = 0
        self._buf += chunk
        return True

    def _skip_blank(self) -> None:
        while True:
            buf, pos = self._buf, self._pos
            end = len(buf)
            start = pos
            while start < end and buf[start] in _BLANK:  # cheap test first: most lines start with "{"
                if start - pos > 64:
                    stripped = bytes(buf[start:]).lstrip(_BLANK)
                    start = end - len(stripped)
                    break
                start += 1
            if start < end:
                last_nl = buf.rfind(b"\n", pos, start)
                if last_nl >= 0:
                    self.lineno += buf.count(b"\n", pos, start)
                    self._pos = last_nl + 1  # a line keeps its own leading spaces
                return
            self.lineno += buf.count(b"\n", pos, end)
            self._pos = end  # all blank: nothing in it is worth keeping
            if not self._fill():
                return

    def next_line(self) -> tuple[int, bytes] | None:
        self._skip_blank()
        done = 0  # bytes after the line's start known to hold no newline: search each byte once
        while True:
            end = self._buf.find(b"\n", self._pos + done, self._pos + self._limit + 1)
            if end >= 0:
                line = bytes(self._buf[self._pos:end + 1])
                self._pos = end + 1
                self.lineno += 1
                return self.lineno, line
            if len(self._buf) - self._pos > self._limit:
                line = bytes(self._buf[self._pos:self._pos + self._limit + 1])
                self.lineno += 1
                self._skip_rest()
                return self.lineno, line
            done = len(self._buf) - self._pos
            if not self._fill():
                if self._pos >= len(self._buf):
                    return None
                line = bytes(self._buf[self._pos:])
                self._pos = len(self._buf)
                self.lineno += 1
                return self.lineno, line

    def _skip_rest(self) -> None:
        while True:
            end = self._buf.find(b"\n", self._pos)
            if end >= 0:
                self._pos = end + 1
                return
            self._pos = len(self._buf)
            if not self._fill():
                return
