"""A tiny local HTTP server that stands in for a cloud REST API in tests.

Routes are ``(METHOD, regex)`` pairs matched against the request path (without the query);
each handler receives the recorded request plus the regex groups and returns
``(status, body, headers)``. Every request is recorded so tests can assert exactly what the
SDK sent. Anything unrouted answers 501 and is kept in ``unmatched`` so a test fails loudly.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    raw_target: str  # path?query exactly as sent (OCI signs it)

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


Reply = tuple[int, Any, dict[str, str]]
Handler = Callable[..., Reply]


@dataclass
class FakeServer:
    routes: list[tuple[str, re.Pattern[str], Handler]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    unmatched: list[Request] = field(default_factory=list)
    base_url: str = ""

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append((method, re.compile(pattern + r"\Z"), handler))
            return handler

        return register

    def calls(self, method: str | None = None, path_prefix: str = "") -> list[Request]:
        """The recorded requests, optionally filtered by method and path prefix."""
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and r.path.startswith(path_prefix)
        ]

    def dispatch(self, req: Request) -> Reply:
        self.requests.append(req)
        for method, pattern, handler in self.routes:
            match = pattern.match(req.path)
            if method == req.method and match:
                return handler(req, *match.groups())
        self.unmatched.append(req)
        return 501, {"error": f"no fake route for {req.method} {req.path}"}, {}


def _make_handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            req = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
                raw_target=self.path,
            )
            status, payload, headers = server.dispatch(req)
            if payload is None:
                data = b""
            elif isinstance(payload, bytes):
                data = payload
            else:
                data = json.dumps(payload).encode()
            self.send_response(status)
            if data and "Content-Type" not in headers:
                self.send_header("Content-Type", "application/json")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return _Handler


@contextmanager
def serve() -> Iterator[FakeServer]:
    """Run a FakeServer on 127.0.0.1 with an OS-chosen port for the duration of a fixture."""
    fake = FakeServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(fake))
    httpd.daemon_threads = True
    fake.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
