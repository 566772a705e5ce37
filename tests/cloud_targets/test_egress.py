"""SSRF through cloud targets: forbidden URLs are refused on create/update, and every way a
validation can fail to reach the cloud answers the same 502 (no port or address probing)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from paybill_control_plane.cloud_targets import validation
from paybill_control_plane.kit import net_guard
from tests.cloud_targets.test_cloud_targets_api import aws_body, create
from tests.live import Api


@pytest.fixture
def cleanup(admin: Api) -> Iterator[list[str]]:
    ids: list[str] = []
    yield ids
    for target_id in ids:
        admin.delete(f"/v1/cloud-targets/{target_id}")


FORBIDDEN = [
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1",
    "https://metadata.google.internal/",
    "https://[::ffff:169.254.169.254]/",
    "http://localhost:5432",
    "http://[::1]:22/",
    "http://2852039166/",
    "https://0xa9.0xfe.0xa9.0xfe/",
    "https://0251.0376.0251.0376/",
    "https://METADATA./",
    "https://169.254.169.254./",
]


def test_forbidden_endpoint_urls_are_refused_with_one_message(
    admin: Api, cleanup: list[str]
) -> None:
    details = set()
    for url in FORBIDDEN:
        response = admin.post("/v1/cloud-targets", json={**aws_body()[0], "endpoint_url": url})
        assert response.status_code == 422, (url, response.text)
        problem = response.json()
        assert problem["type"].endswith("/invalid-cloud-target"), problem
        details.add(problem["detail"])
    assert len(details) == 1  # the reason (resolves where, which rule) goes to the log only

    target = create(admin, cleanup, aws_body()[0])
    for patch in (
        {"endpoint_url": "https://10.0.0.1"},
        {"settings": {"create_account": "false", "iam_url": "https://169.254.169.254"}},
    ):
        response = admin.patch(f"/v1/cloud-targets/{target['id']}", json=patch)
        assert response.status_code == 422, response.text


@contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[int]:
    """A 127.0.0.1 listener handing each connection to `answer`; closed on exit."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            answer(conn)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        listener.close()
        for conn in held:
            conn.close()


def html_page(conn: socket.socket) -> None:
    conn.recv(65536)
    body = b"<html><body>It works!</body></html>"
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    conn.close()


def silent(conn: socket.socket) -> None:
    """Accepts and never answers (the connection is closed when the test ends)."""


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_every_validation_failure_answers_the_same(
    admin: Api, cleanup: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The live server runs in this process: patch its resolver and its timeout here. One
    # attempt per call, so a refused connection is answered as such, not as a timeout.
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    answers: dict[str, dict[str, Any]] = {}

    def validate(label: str, endpoint_url: str, before: Callable[[], None] = lambda: None) -> None:
        target = create(admin, cleanup, aws_body(endpoint_url=endpoint_url)[0])
        before()
        response = admin.post(f"/v1/cloud-targets/{target['id']}/validate")
        assert response.status_code == 502, (label, response.text)
        body = response.json()
        body.pop("instance")
        answers[label] = body

    validate("connection refused", f"http://127.0.0.1:{closed_port()}")
    with raw_server(html_page) as port:
        validate("not the cloud's answer", f"http://127.0.0.1:{port}")  # ResponseParserError
    with raw_server(silent) as port:
        monkeypatch.setattr(validation, "VALIDATION_TIMEOUT_SECONDS", 1.0)
        validate("timeout", f"http://127.0.0.1:{port}")

    # DNS rebinding: public when the target was created, the metadata address at validation.
    addresses = {"now": ["93.184.215.14"]}
    monkeypatch.setattr(net_guard, "system_resolve", lambda host, port: addresses["now"])
    validate(
        "refused address",
        "https://rebind.example.com",
        before=lambda: addresses.update(now=["169.254.169.254"]),
    )

    assert len({tuple(sorted(a.items())) for a in answers.values()}) == 1, answers
    problem = answers["refused address"]
    assert problem["type"].endswith("/cloud-target-unreachable")
    assert problem["detail"] == validation.UNREACHABLE_DETAIL
