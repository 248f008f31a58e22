"""The FastAPI application: JSON API under ``/api``, HTML pages and static assets beside it.

One app serves both so the pages can fetch the API from the same origin under a strict CSP.
Interactive docs (Swagger UI) would load scripts from a CDN, so only the OpenAPI document is
served, at ``/api/openapi.json``.
"""
from __future__ import annotations

import gc

from fastapi import FastAPI

from ..store.base import open_repository
from .cache import ResponseCache, ResponseCacheMiddleware, max_bytes_from_env
from .errors import install_error_handlers
from .head import HeadAsGetMiddleware
from .limits import RequestLimitMiddleware, SecurityHeadersMiddleware
from .routes import router

DESCRIPTION = """Read-only access to a sitrep store: articles, claims with their chains of sources,
events with time precision and place, resolved entities, and stories with corroboration counted by
independent origin. Lists take `limit` (1..500) and `offset` (0..2147483647). Errors are
`{"error": "message"}` with status 404 (unknown id), 422 (bad parameter), 413/414 (request too large)."""


def create_app(db_path: str, cache_bytes: int | None = None) -> FastAPI:
    """Build the app over the store at ``db_path`` (a SQLite file or a PostgreSQL URL).

    GET responses are cached in memory up to ``cache_bytes`` (default: ``SITREP_CACHE_MB`` or
    64 MiB; 0 turns the cache off) and dropped when the store's revision changes."""
    from ..web.live import router as live_pages
    from ..web.pages import html_error, install_pages
    from .live import router as live_api

    app = FastAPI(
        title="sitrep",
        description=DESCRIPTION,
        version="0.1.0",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    repo = open_repository(str(db_path))
    app.state.repo = repo
    app.state.db_path = str(db_path)
    app.state.cache = ResponseCache(max_bytes_from_env() if cache_bytes is None else cache_bytes)
    app.include_router(router)
    app.include_router(live_api)  # /api/updates, /api/sources
    install_pages(app)
    app.include_router(live_pages)  # /sources
    install_error_handlers(app, html_error=html_error)
    # Innermost first: the cache sits inside the security headers, so hits and 304s get them too.
    app.add_middleware(ResponseCacheMiddleware, cache=app.state.cache, revision=repo.revision)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestLimitMiddleware)
    app.add_middleware(HeadAsGetMiddleware)  # outermost: HEAD runs every layer as the GET it mirrors
    # The ~110,000 objects the imports leave (spaCy's among them) live as long as the server:
    # move them out of the collector's generations, so the full collection every tenth request
    # or so stops walking them (it added ~350 ms to one dossier in ten on the loaded bench
    # machine, the p95 of bench/bench_dossier.py).
    gc.collect()
    gc.freeze()
    return app
