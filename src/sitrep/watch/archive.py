"""Evidence: each page response ``watch`` fetched, written to rotating gzipped WARC files.

A claim is only as checkable as the bytes it was read from; an outlet can rewrite or delete a
page, so the response as served is kept (``--archive DIR``) and the page's crawl-state row names
the WARC file and record id it went to. The files are the standard format (warcio), so
``sitrep ingest DIR`` and any WARC tool read them back. A file is closed and a new one started
once it passes ``max_file_bytes``, so no single file grows without bound and a finished file is
never written again.

The body stored is the decoded one (httpx has undone gzip/brotli), so ``Content-Encoding`` and
``Content-Length`` are dropped from the stored headers and the length recomputed by warcio.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .fetch import Fetched

_DROPPED = {"content-encoding", "content-length", "transfer-encoding"}


class WarcArchive:
    def __init__(self, directory: str | Path, max_file_bytes: int = 1_000_000_000) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.max_file_bytes = max_file_bytes
        self._fh: IO[bytes] | None = None
        self._writer: Any = None
        self.path: Path | None = None

    def _open(self) -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
        n = len(list(self.directory.glob("sitrep-*.warc.gz")))
        self.path = self.directory / f"sitrep-{stamp}-{n:05d}.warc.gz"
        self._fh = open(self.path, "xb")
        self._writer = WARCWriter(self._fh, gzip=True)

    def write(self, got: Fetched) -> tuple[str, str]:
        """Append ``got`` as a ``response`` record; (file name, WARC-Record-ID) it was written as."""
        if self._fh is None or self._fh.tell() >= self.max_file_bytes:
            self.close()
            self._open()
        reason = "OK" if got.status == 200 else ""
        headers = [(k, v) for k, v in got.headers if k.lower() not in _DROPPED]
        http = StatusAndHeaders(f"{got.status} {reason}".strip(), headers, protocol=got.http_version)
        record = self._writer.create_warc_record(got.url, "response", payload=io.BytesIO(got.body),
                                                 length=len(got.body), http_headers=http)
        self._writer.write_record(record)
        assert self._fh is not None and self.path is not None
        self._fh.flush()
        return self.path.name, str(record.rec_headers.get_header("WARC-Record-ID"))

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
