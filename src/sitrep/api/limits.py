"""Request size limits and security headers, as plain ASGI middleware.

The API only reads, but it listens on a socket: an over-long query string or body is refused
before any route runs, so a client cannot make the server parse megabytes. Every response also
gets the headers that make the pages safe to open on hostile article text (a strict CSP with no
inline script or style, nosniff, no referrer).
"""
from __future__ import annotations

import json
from typing import Any

MAX_BODY = 1024 * 1024
MAX_QUERY = 4096

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


async def _send_error(send: Any, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            + SECURITY_HEADERS,
        }
    )
    await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


class RequestLimitMiddleware:
    """414 for query strings over ``max_query`` bytes, 413 for bodies over ``max_body`` bytes
    (declared by Content-Length or counted while streaming)."""

    def __init__(self, app: Any, max_body: int = MAX_BODY, max_query: int = MAX_QUERY):
        self.app = app
        self.max_body = max_body
        self.max_query = max_query

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query:
            await _send_error(send, 414, f"query string is longer than {self.max_query} bytes")
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_error(send, 400, "Content-Length is not a number")
                    return
                if declared > self.max_body:
                    await _send_error(send, 413, f"request body is larger than {self.max_body} bytes")
                    return
        seen = 0
        started = False

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _send_error(send, 413, f"request body is larger than {self.max_body} bytes")


class SecurityHeadersMiddleware:
    """Adds CSP, nosniff, no-referrer and frame denial to every HTTP response."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {h[0].lower() for h in message.get("headers", [])}
                extra = [h for h in SECURITY_HEADERS if h[0] not in names]
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)
