"""Errors as ``{"error": "clear message"}`` JSON with the right status, for API routes.

HTML pages get a small escaped error page instead (see ``sitrep.web.pages``); the split is by
path so one app can serve both.
"""
from __future__ import annotations

from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .params import BadParameter


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def describe_validation(errors: list[dict[str, Any]]) -> str:
    """One sentence per failed parameter: where it was, what was wrong, what was given."""
    parts = []
    for err in errors:
        loc = [str(x) for x in err.get("loc", ())]
        where = loc[0] if loc else "request"
        name = ".".join(loc[1:]) or where
        msg = str(err.get("msg", "invalid value"))
        given = err.get("input")
        text = f"{where} parameter '{name}': {msg}"
        if given is not None and not isinstance(given, (dict, list)):
            text += f" (got {str(given)[:40]!r})"
        parts.append(text)
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI, html_error: Callable[[Request, int, str], Any] | None = None) -> None:
    """JSON errors under /api; ``html_error`` (when given) answers everything else."""

    def respond(request: Request, status: int, message: str):
        if html_error is not None and not request.url.path.startswith("/api"):
            return html_error(request, status, message)
        return error_response(status, message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return respond(request, 422, describe_validation(list(exc.errors())))

    @app.exception_handler(BadParameter)
    async def _bad_parameter(request: Request, exc: BadParameter):
        return respond(request, 422, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path[:200]}"
        if exc.status_code == 405 and message == "Method Not Allowed":
            message = f"method {request.method} is not allowed on {request.url.path[:200]}"
        return respond(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        return respond(request, 500, f"internal error: {type(exc).__name__}")
