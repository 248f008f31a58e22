"""sitrep's HTTP face: the JSON API and the web pages, served by one FastAPI app."""
from __future__ import annotations


def create_app(db_path: str):
    """Build the FastAPI app over the store at ``db_path`` (see ``sitrep.api.app``)."""
    from .app import create_app as _create

    return _create(db_path)


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API and web UI with uvicorn until interrupted (``sitrep serve``)."""
    import uvicorn

    uvicorn.run(create_app(db_path), host=host, port=port, log_level="info")


__all__ = ["create_app", "serve"]
