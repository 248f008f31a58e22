"""sitrep's HTTP face: the JSON API and the web pages, served by one FastAPI app."""
from __future__ import annotations

import os

SERVE_DB_ENV = "SITREP_SERVE_DB"  # how ``serve`` tells worker processes which store to open


def create_app(db_path: str, cache_bytes: int | None = None):
    """Build the FastAPI app over the store at ``db_path`` (see ``sitrep.api.app``)."""
    from .app import create_app as _create

    return _create(db_path, cache_bytes=cache_bytes)


def app_from_env():
    """The app over the store named by ``SITREP_SERVE_DB``: the factory each worker process calls."""
    return create_app(os.environ[SERVE_DB_ENV])


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Run the API and web UI with uvicorn until interrupted (``sitrep serve``).

    With ``workers`` > 1 uvicorn forks that many processes sharing the socket; each opens the
    store itself and keeps its own response cache."""
    import uvicorn

    if workers <= 1:
        uvicorn.run(create_app(db_path), host=host, port=port, log_level="info")
        return
    os.environ[SERVE_DB_ENV] = str(db_path)
    uvicorn.run("sitrep.api:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="info")


__all__ = ["create_app", "serve"]
