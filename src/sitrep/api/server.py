"""Running the app in a background thread on a free loopback port.

Browser tests and the screenshot script need a real HTTP server next to a real browser; this
starts uvicorn in a thread and stops it cleanly, without a subprocess to clean up.
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import uvicorn


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextmanager
def background_server(db_path: str, host: str = "127.0.0.1", port: int | None = None,
                      timeout: float = 15.0) -> Iterator[str]:
    """Serve ``create_app(db_path)`` while the block runs; yields the base URL."""
    from .app import create_app

    port = port or free_port(host)
    config = uvicorn.Config(create_app(db_path), host=host, port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="sitrep-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the server did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
