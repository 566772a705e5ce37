"""A tiny local fake of Stripe's API (stdlib http.server on 127.0.0.1:0).

No stripe-mock exists here; `StripeClient(base_addresses={"api": fake.base_url})` talks to this.
It answers `GET /v1/subscriptions/{id}` and `GET /v1/subscriptions` (Stripe's list shape with
`limit`, `starting_after`, `has_more`, and the `status`/`customer` filters) from `subscriptions`,
which the test owns; `POST /v1/checkout/sessions` and `POST /v1/billing_portal/sessions` (form
bodies, honouring `Idempotency-Key`); `GET /v1/entitlements/active_entitlements?customer=`
(paged) from `entitlements`. It records every request. A request without
`Authorization: Bearer <key>` gets Stripe's 401 and is recorded in `unauthorized`.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    authorization: str | None
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)


class FakeStripeAPI:
    def __init__(self, api_key: str = "sk_test_fake_key") -> None:
        self.api_key = api_key
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.checkout_sessions: dict[str, dict[str, Any]] = {}
        self.portal_sessions: list[dict[str, Any]] = []
        # customer -> active entitlements (`entitlements.active_entitlement` objects)
        self.entitlements: dict[str, list[dict[str, Any]]] = {}
        self._idempotent: dict[str, dict[str, Any]] = {}
        self.requests: list[RecordedRequest] = []
        self.unauthorized: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> FakeStripeAPI:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-stripe", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeStripeAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "the fake is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- test controls

    def add_subscription(self, obj: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.subscriptions[obj["id"]] = obj
        return obj

    def set_entitlements(self, customer: str, lookup_keys: list[str]) -> None:
        with self._lock:
            self.entitlements[customer] = [
                {
                    "id": f"ent_{customer}_{index}",
                    "object": "entitlements.active_entitlement",
                    "feature": f"feat_{key}",
                    "livemode": False,
                    "lookup_key": key,
                }
                for index, key in enumerate(lookup_keys)
            ]

    def assert_all_authorized(self) -> None:
        assert not self.unauthorized, f"requests without the API key: {self.unauthorized}"
        assert all(r.authorization == f"Bearer {self.api_key}" for r in self.requests)

    # -- routing (called from the server thread)

    def _handle(self, request: RecordedRequest) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append(request)
            if request.authorization != f"Bearer {self.api_key}":
                self.unauthorized.append(request)
                return 401, _error(
                    "invalid_request_error", "Invalid API Key provided.", code=None, param=None
                )
            parts = [unquote(p) for p in request.path.strip("/").split("/")]
            if request.method == "POST":
                key = request.headers.get("idempotency-key")
                if key is not None and key in self._idempotent:
                    return 200, self._idempotent[key]
                if parts == ["v1", "checkout", "sessions"]:
                    body = self._new_checkout(request.form)
                elif parts == ["v1", "billing_portal", "sessions"]:
                    body = self._new_portal(request.form)
                else:
                    return 404, _error("invalid_request_error", f"Unrecognized URL {request.path}")
                if key is not None:
                    self._idempotent[key] = body
                return 200, body
            if request.method != "GET":
                return 405, _error("invalid_request_error", "Unsupported method.")
            if parts == ["v1", "entitlements", "active_entitlements"]:
                return 200, self._entitlements(request.query)
            if parts == ["v1", "subscriptions"]:
                return 200, self._list(request.query)
            if len(parts) == 3 and parts[:2] == ["v1", "subscriptions"]:
                obj = self.subscriptions.get(parts[2])
                if obj is None:
                    return 404, _error(
                        "invalid_request_error",
                        f"No such subscription: '{parts[2]}'",
                        code="resource_missing",
                        param="id",
                    )
                return 200, obj
            return 404, _error("invalid_request_error", f"Unrecognized request URL: {request.path}")

    def _list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        status = query.get("status", [None])[0]
        customer = query.get("customer", [None])[0]
        limit = max(1, min(100, int(query.get("limit", ["10"])[0])))
        after = query.get("starting_after", [None])[0]

        rows = list(self.subscriptions.values())
        if status is None:
            rows = [r for r in rows if r.get("status") != "canceled"]
        elif status == "ended":
            rows = [r for r in rows if r.get("status") in {"canceled", "incomplete_expired"}]
        elif status != "all":
            rows = [r for r in rows if r.get("status") == status]
        if customer is not None:
            rows = [r for r in rows if r.get("customer") == customer]
        if after is not None:
            ids = [r["id"] for r in rows]
            rows = rows[ids.index(after) + 1 :] if after in ids else []
        return {
            "object": "list",
            "data": rows[:limit],
            "has_more": len(rows) > limit,
            "url": "/v1/subscriptions",
        }

    def _new_checkout(self, form: dict[str, str]) -> dict[str, Any]:
        session_id = f"cs_test_{len(self.checkout_sessions):04d}{uuid.uuid4().hex[:20]}"
        obj = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "mode": form.get("mode"),
            "customer": form.get("customer"),
            "client_reference_id": form.get("client_reference_id"),
            "success_url": form.get("success_url"),
            "cancel_url": form.get("cancel_url"),
            "expires_at": int(time.time()) + 86400,
            "status": "open",
            "params": dict(form),
        }
        self.checkout_sessions[session_id] = obj
        return obj

    def _new_portal(self, form: dict[str, str]) -> dict[str, Any]:
        obj = {
            "id": f"bps_{uuid.uuid4().hex[:24]}",
            "object": "billing_portal.session",
            "customer": form.get("customer"),
            "return_url": form.get("return_url"),
            "url": f"https://billing.stripe.com/p/session/{uuid.uuid4().hex}",
        }
        self.portal_sessions.append(obj)
        return obj

    def _entitlements(self, query: dict[str, list[str]]) -> dict[str, Any]:
        customer = query.get("customer", [""])[0]
        limit = max(1, min(100, int(query.get("limit", ["10"])[0])))
        after = query.get("starting_after", [None])[0]
        rows = list(self.entitlements.get(customer, []))
        if after is not None:
            ids = [r["id"] for r in rows]
            rows = rows[ids.index(after) + 1 :] if after in ids else []
        return {
            "object": "list",
            "data": rows[:limit],
            "has_more": len(rows) > limit,
            "url": "/v1/entitlements/active_entitlements",
        }


def _error(
    type_: str, message: str, *, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"type": type_, "message": message, "code": code, "param": param}}


def _handler_for(fake: FakeStripeAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8") if length else ""
            # Stripe's form encoding, kept flat: `line_items[0][price]` -> value.
            form = {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            self._serve("POST", form)

        def _serve(self, method: str, form: dict[str, str] | None = None) -> None:
            url = urlsplit(self.path)
            request = RecordedRequest(
                method=method,
                path=url.path,
                query=parse_qs(url.query, keep_blank_values=True),
                authorization=self.headers.get("Authorization"),
                headers={k.lower(): v for k, v in self.headers.items()},
                form=form or {},
            )
            status, body = fake._handle(request)
            payload = json.dumps(body).encode("utf-8")
            self.send_response(status)  # also sends Date, which the reader stamps reads with
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", f"req_fake{len(fake.requests)}")
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
