"""A local webhook receiver: a real HTTP server on 127.0.0.1 that records what it is sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import standardwebhooks
import svix.webhooks


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int
    at: float

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]


# Decides the answer to each request: (status, extra headers); may block (a slow receiver).
Responder = Callable[["Receiver", Received], tuple[int, dict[str, str]]]


def always_ok(_: Receiver, __: Received) -> tuple[int, dict[str, str]]:
    return 204, {}


class Receiver:
    def __init__(self, responder: Responder = always_ok) -> None:
        self.responder = responder
        self.received: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                item = Received(
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                    0,
                    time.time(),
                )
                with receiver.lock:
                    receiver.received.append(item)
                status, headers = receiver.responder(receiver, item)
                item.status = status
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def events(self, *, status: int | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [r.event for r in self.received if status is None or r.status == status]


def verify(secret: str, item: Received) -> dict[str, Any]:
    """Both official verifiers: Standard Webhooks' library and Svix's."""
    payload = standardwebhooks.Webhook(secret).verify(item.body, item.headers)
    svix_headers = {
        "svix-id": item.headers["webhook-id"],
        "svix-timestamp": item.headers["webhook-timestamp"],
        "svix-signature": item.headers["webhook-signature"],
    }
    svix.webhooks.Webhook(secret).verify(item.body, svix_headers)  # raises when it does not match
    try:
        standardwebhooks.Webhook(secret).verify(item.body + b" ", item.headers)
    except standardwebhooks.WebhookVerificationError:
        pass
    else:
        raise AssertionError("a changed body verified")
    return payload  # type: ignore[no-any-return]
