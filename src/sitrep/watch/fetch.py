"""The polite HTTP client: every request ``watch`` makes goes through ``PoliteClient.get``.

Why each rule: robots.txt is the site's stated wish (RFC 9309: a 4xx robots.txt allows all, a
5xx or unreachable one disallows all until it answers); one request at a time per host with a
minimum delay keeps a small outlet's server unharmed; 429/503 with ``Retry-After`` are obeyed (up
to ``max_wait``) rather than hammered; conditional GET (ETag / Last-Modified) lets an unchanged
feed cost a 304; redirects are followed by hand so each hop is checked against robots.txt and
counted; the body is read in chunks and abandoned past ``max_bytes`` (counted after gzip/brotli
decoding, so a compression bomb is cut off too); the User-Agent names sitrep and, with
``--contact``, whom to write to.
"""
from __future__ import annotations

import importlib.util
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from .. import __version__

REDIRECTS = (301, 302, 303, 307, 308)
BACKOFF = (429, 503)


def accept_encoding() -> str:
    """The encodings httpx can decode here: brotli only when a brotli package is installed."""
    brotli = any(importlib.util.find_spec(name) for name in ("brotli", "brotlicffi"))
    return "gzip, deflate, br" if brotli else "gzip, deflate"


def user_agent(contact: str | None) -> str:
    """``sitrep/VERSION (+contact)``: a site owner can see who crawls and how to reach them."""
    return f"sitrep/{__version__}" + (f" (+{contact})" if contact else " (+https://github.com/sitrep)")


@dataclass
class Fetched:
    """One fetch's outcome: the final URL, status, body, validators — or why it failed."""

    url: str
    status: int = 0
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None  # robots, too_large, redirects, timeout, http, network
    detail: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)  # as served, for the archive
    http_version: str = "HTTP/1.1"

    @property
    def ok(self) -> bool:
        return self.error is None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


@dataclass
class PoliteClient:
    contact: str | None = None
    delay: float = 1.0  # minimum seconds between two requests to one host
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    max_retries: int = 2
    max_wait: float = 120.0  # longest Retry-After obeyed; longer ones give up for this pass
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    transport: httpx.BaseTransport | None = None
    _last: dict[str, float] = field(default_factory=dict)
    robots_ttl: float = 86_400.0  # RFC 9309: a robots.txt is cached for at most 24 hours
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict)  # None: disallow all
    _robots_at: dict[str, float] = field(default_factory=dict)
    _client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                headers={"User-Agent": user_agent(self.contact), "Accept-Encoding": accept_encoding()},
                timeout=self.timeout, follow_redirects=False, transport=self.transport)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- politeness ---------------------------------------------------------------------------
    def _wait_turn(self, host: str) -> None:
        """Sleep until ``delay`` (or the host's robots Crawl-delay) has passed since its last request."""
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(user_agent(self.contact)) if robots is not None else None
        gap = max(self.delay, float(crawl_delay or 0))
        last = self._last.get(host)
        if last is not None:
            wait = last + gap - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets sitrep fetch it (read again after ``robots_ttl``,
        so a long-running watch sees a site's changed wishes and an outage's disallow-all ends)."""
        parts = urlsplit(url)
        fetched_at = self._robots_at.get(parts.netloc)
        if fetched_at is None or self.clock() - fetched_at > self.robots_ttl:
            self._robots_at[parts.netloc] = self.clock()
            self._robots[parts.netloc] = self._load_robots(f"{parts.scheme}://{parts.netloc}")
        robots = self._robots[parts.netloc]
        return robots is not None and robots.can_fetch(user_agent(self.contact), url)

    def _load_robots(self, host: str) -> RobotFileParser | None:
        got = self._raw(host + "/robots.txt", {}, max_bytes=500_000)
        parser = RobotFileParser(host + "/robots.txt")
        if got.error is None and 200 <= got.status < 300:
            parser.parse(got.body.decode("utf-8", "replace").splitlines())
        elif got.error in (None, "http") and 300 <= got.status < 500 and got.status not in BACKOFF:
            parser.parse([])  # no usable robots.txt: everything allowed
        else:
            return None  # 5xx or unreachable: treat the whole site as disallowed for now
        return parser

    # -- fetching -----------------------------------------------------------------------------
    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` politely: robots checked at each hop, redirects counted, 429/503 retried."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.max_redirects + 1):
            if not self.allowed(url):
                return Fetched(url, error="robots", detail="disallowed by robots.txt")
            got = self._with_retries(url, headers)
            if got.error is not None or got.status not in REDIRECTS:
                return got
            location = got.detail
            if not location:
                return Fetched(url, got.status, error="http", detail="redirect without a Location")
            url = urljoin(url, location)
        return Fetched(url, error="redirects", detail=f"more than {self.max_redirects} redirects")

    def _with_retries(self, url: str, headers: dict[str, str]) -> Fetched:
        for attempt in range(self.max_retries + 1):
            got = self._raw(url, headers)
            if got.error is not None or got.status not in BACKOFF:
                return got
            wait = retry_after(got.detail, time.time())
            wait = (2.0 ** attempt) * max(self.delay, 1.0) if wait is None else wait
            if wait > self.max_wait or attempt == self.max_retries:
                break
            self.sleep(wait)
        return Fetched(url, got.status, error="http", detail=f"HTTP {got.status} (backing off)")

    def _raw(self, url: str, headers: dict[str, str], max_bytes: int | None = None) -> Fetched:
        """One request, body capped; a redirect's Location or a Retry-After travels in ``detail``."""
        cap = self.max_bytes if max_bytes is None else max_bytes
        self._wait_turn(urlsplit(url).netloc)
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                got = Fetched(str(resp.url), resp.status_code, content_type=resp.headers.get("content-type", ""),
                              etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"),
                              headers=list(resp.headers.items()), http_version=resp.http_version)
                if resp.status_code in REDIRECTS:
                    got.detail = resp.headers.get("location", "")
                    return got
                if resp.status_code in BACKOFF:
                    got.detail = resp.headers.get("retry-after", "")
                    return got
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > cap:
                    return Fetched(url, resp.status_code, error="too_large", detail=f"Content-Length {declared} over {cap:,} bytes")
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        return Fetched(url, resp.status_code, error="too_large", detail=f"body over {cap:,} bytes")
                    chunks.append(chunk)
                got.body = b"".join(chunks)
                if not (200 <= resp.status_code < 300 or resp.status_code == 304):
                    got.error, got.detail = "http", f"HTTP {resp.status_code}"
                return got
        except httpx.TimeoutException:
            return Fetched(url, error="timeout", detail=f"no answer within {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Fetched(url, error="network", detail=f"{type(exc).__name__}: {exc}")
