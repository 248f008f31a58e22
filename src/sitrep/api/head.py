"""HEAD answered like GET, for every GET route, as plain ASGI middleware.

FastAPI routes declared with ``@router.get`` answer only GET, so a HEAD (what uptime monitors and
link checkers send) got 405. HTTP defines HEAD as GET without the body: the middleware runs the
request as a GET on a copy of the scope (the server keeps its own scope saying HEAD, so it still
knows no body may follow) and drops the body bytes, keeping the status and every header,
``Content-Length`` and ``ETag`` included. One middleware covers every GET route, present and
future, without touching their declarations.
"""
from __future__ import annotations

from typing import Any


class HeadAsGetMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: dict) -> None:
            if message.get("type") == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
