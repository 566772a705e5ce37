"""The egress guard over every spelling of a forbidden address, and its connect-time pinning."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import urllib3

from paybill_control_plane.kit import net_guard
from paybill_control_plane.kit.net_guard import EgressPolicy, EgressRefused, check_url, guarded

NO_DNS = EgressPolicy()
PUBLIC = "93.184.215.14"


def public_dns(host: str, port: int) -> list[str]:
    return [PUBLIC]


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1",
        "https://172.16.5.4/",
        "https://192.168.1.1/",
        "https://100.64.0.1/",  # shared address space (carrier NAT)
        "https://127.0.0.1/",
        "https://127.1/",  # short form
        "https://0.0.0.0/",
        "https://0/",
        "https://[::]/",
        "https://[::1]/",
        "http://[::1]:22/",
        "http://localhost:5432",
        "https://LOCALHOST./",
        "https://foo.localhost/",
        "https://metadata.google.internal/",
        "https://METADATA.GOOGLE.INTERNAL./computeMetadata/v1/",
        "https://metadata/",
        "https://metadata./",
        "https://instance-data/",
        "https://[::ffff:169.254.169.254]/",
        "https://[::ffff:a9fe:a9fe]/",
        "https://[0:0:0:0:0:ffff:7f00:1]/",
        "https://[2002:a9fe:a9fe::]/",  # 6to4 wrapping 169.254.169.254
        "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 wrapping 169.254.169.254
        "https://[fd00:ec2::254]/",  # AWS IMDS over IPv6
        "https://[fc00::1]/",  # unique local
        "https://[fe80::1]/",  # link local
        "https://[ff02::1]/",  # multicast
        "https://224.0.0.1/",  # multicast
        "https://240.0.0.1/",  # reserved
        "https://255.255.255.255/",
        "https://2852039166/",  # 169.254.169.254 as one decimal number
        "https://0xa9fea9fe/",
        "https://0xa9.0xfe.0xa9.0xfe/",
        "https://0251.0376.0251.0376/",  # octal
        "https://0251.254.43518/",  # mixed octal and short form
        "https://169.254.169.254./",  # trailing dot
        "https://017700000001/",  # 127.0.0.1 in octal
    ],
)
def test_forbidden_addresses_in_every_spelling_are_refused(url: str) -> None:
    with pytest.raises(EgressRefused):
        check_url(url, NO_DNS, resolve=public_dns)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "https://user:pw@example.com/",
        "https:///no-host",
        "https://example.com:99999/",
        "http://example.com/",  # plain http to a host not on the operator's list
        "https://\u00e5[",  # urlsplit cannot parse it (an unbalanced IPv6 bracket)
        "https://[::1/",
        "https://\u00ecw\u0081\u00a4i/",  # no IDNA encoding: never given to the resolver
    ],
)
def test_malformed_or_insecure_urls_are_refused(url: str) -> None:
    with pytest.raises(EgressRefused):
        check_url(url, NO_DNS, resolve=public_dns)


def test_a_name_resolving_to_a_private_address_is_refused_even_if_one_address_is_public() -> None:
    with pytest.raises(EgressRefused, match=r"10\.1\.2\.3"):
        check_url("https://api.example.com", NO_DNS, resolve=lambda h, p: [PUBLIC, "10.1.2.3"])
    with pytest.raises(EgressRefused, match="does not resolve"):
        check_url("https://nx.example.com", NO_DNS, resolve=_nxdomain)


def _nxdomain(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def test_public_https_is_allowed() -> None:
    checked = check_url("https://API.Example.com./v1", NO_DNS, resolve=public_dns)
    assert (checked.host, checked.port, checked.addresses) == ("api.example.com", 443, [PUBLIC])
    assert check_url(f"https://{PUBLIC}:8443/", NO_DNS).addresses == [PUBLIC]


def test_the_operator_list_allows_http_and_private_addresses_for_its_hosts_only() -> None:
    policy = EgressPolicy.of(["127.0.0.1", "emulator.test:4566", "[::1]:9000"])
    assert check_url("http://127.0.0.1:5000/", policy).addresses == ["127.0.0.1"]
    assert check_url("http://emulator.test:4566", policy, resolve=lambda h, p: ["10.0.0.7"])
    assert check_url("http://[::1]:9000/", policy).addresses == ["::1"]
    for refused in (
        "http://emulator.test:4567",  # another port of a host listed with its port
        "http://[::1]:22/",
        "http://localhost:5432",  # same machine, but not the listed name
        "http://127.0.0.2/",
    ):
        with pytest.raises(EgressRefused):
            check_url(refused, policy, resolve=lambda h, p: ["10.0.0.7"])


# -- connect time -----------------------------------------------------------------------------


@pytest.fixture
def http_server() -> Iterator[int]:
    """A one-shot raw HTTP responder on 127.0.0.1."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = int(listener.getsockname()[1])

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield port
    listener.close()


def test_connections_inside_a_guarded_block_are_checked_and_pinned(
    http_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the name looked public when the URL was checked; at connect time it
    # answers with a loopback address. The guard resolves once more, refuses, records it.
    monkeypatch.setattr(net_guard, "system_resolve", lambda host, port: ["127.0.0.1"])
    with guarded(NO_DNS) as state, pytest.raises(urllib3.exceptions.HTTPError):
        urllib3.PoolManager(retries=False).request("GET", f"http://rebind.example:{http_server}/")
    assert state.refusals and "127.0.0.1" in state.refusals[0]

    # An allowed host is connected to at the address the guard resolved, not re-resolved.
    resolved: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(net_guard, "system_resolve", resolve)
    with guarded(EgressPolicy.of(["pinned.example"])) as state:
        response = urllib3.PoolManager(retries=False).request(
            "GET", f"http://pinned.example:{http_server}/"
        )
    assert response.data == b"ok" and resolved == ["pinned.example"] and not state.refusals


def test_outside_a_guarded_block_connections_are_untouched(http_server: int) -> None:
    net_guard.install()
    response = urllib3.PoolManager(retries=False).request("GET", f"http://127.0.0.1:{http_server}/")
    assert response.data == b"ok"
