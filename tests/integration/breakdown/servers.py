"""Real local HTTP servers for the fetch, page and language-model tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


class Recorder:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []  # method, path, headers, body


@contextmanager
def serve(handler: Handler, host: str = "127.0.0.1") -> Iterator[tuple[str, Recorder]]:
    """A threaded server on a free port of ``host``; yields its base URL and what it received."""
    recorder = Recorder()

    class _H(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            return

        def _record(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            recorder.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            self.body = body
            handler(self)

        do_GET = _record
        do_POST = _record

    server = ThreadingHTTPServer((host, 0), _H)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        server.server_close()


def send(h: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
    h.send_response(status)
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if body:
        h.wfile.write(body)
