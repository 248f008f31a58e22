"""A throwaway local web site for the watch benches: one threaded HTTP server on a free loopback
port whose answers come from a ``route`` function, so each bench says only *what* its site serves
(feeds, sitemaps, pages) and not how to speak HTTP."""
from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: ``route(path)`` → ``(body, content type)``, or None for a 404.
Route = Callable[[str], "tuple[bytes, str] | None"]
ROBOTS = b"User-agent: *\nAllow: /\n"


def serve(route: Route, *, keep_alive: bool = False) -> tuple[ThreadingHTTPServer, str]:
    """Start the site in a daemon thread; returns the server (``shutdown()`` it) and its base URL.
    ``keep_alive`` answers in HTTP/1.1, so a client reuses its connection as a real crawl would."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

        def do_GET(self):  # noqa: N802 (http.server's name)
            found = route(self.path)
            body, ctype = found if found is not None else (b"not found", "text/plain")
            self.send_response(200 if found is not None else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
