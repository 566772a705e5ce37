"""The egress guard: which URLs an admin-configured cloud target may make the service connect to.

An admin sets a cloud target's ``endpoint_url`` (and URL settings such as IBM's ``iam_url``);
the service then connects there from inside the operator's network. Without a guard that is
server-side request forgery: the cloud metadata service, the database port, the LAN. So:

* ``check_url`` refuses a URL whose host is, or resolves to, a loopback, private, link-local,
  unique-local, shared, multicast, unspecified, reserved or metadata address, in every spelling
  (IPv4-mapped/6to4/NAT64 IPv6, decimal/hex/octal IPv4, trailing dots, mixed case, metadata
  names), and requires https;
* ``guarded`` pins every connection the cloud SDKs open (they all sit on urllib3) while it is
  active: the host is resolved once, every address checked, and the socket connects to the
  checked address, so a DNS answer that changes between check and connect (rebinding) cannot
  slip a private address in;
* hosts the operator lists in ``PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS`` (``host`` or
  ``host:port``) may use http and private addresses: emulators, private endpoints, tests.

Reasons are for the log only; callers answer users with one uniform message so that the
guard cannot be used to probe which addresses or ports exist.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Names that reach a metadata service or the host itself whatever DNS says.
_BLOCKED_NAMES = frozenset(
    {
        "localhost",
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.internal",
    }
)
_BLOCKED_SUFFIXES = (".localhost", ".internal", ".local", ".localdomain", ".arpa")
# Metadata endpoints that are not all covered by "not global" (AWS IPv6 IMDS is ULA, Alibaba's
# is in the shared range; listed anyway so the intent is explicit).
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class EgressRefused(OSError):
    """A URL or a connection the guard refuses; the message is for logs, not for users."""


@dataclass(frozen=True)
class EgressPolicy:
    """Which hosts may use plain http and private addresses (``host`` or ``host:port``)."""

    insecure_hosts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, entries: Iterable[str]) -> EgressPolicy:
        return cls(frozenset(_normal_entry(e) for e in entries if e.strip()))

    def allows_insecure(self, host: str, port: int | None) -> bool:
        name = normal_host(host)
        return name in self.insecure_hosts or f"{name}:{port}" in self.insecure_hosts


def _normal_entry(entry: str) -> str:
    entry = entry.strip().lower()
    if entry.startswith("["):  # [::1]:8080 or [::1]
        host, _, rest = entry[1:].partition("]")
        return f"{normal_host(host)}{rest}"
    if entry.count(":") == 1:
        host, port = entry.split(":")
        return f"{normal_host(host)}:{port}"
    return normal_host(entry)


def normal_host(host: str) -> str:
    """Lower case, no brackets, no trailing dots: the spellings that reach the same host."""
    return host.strip().strip("[]").rstrip(".").lower()


def literal_address(host: str) -> IpAddress | None:
    """The address a numeric host denotes, in any spelling libc accepts (0xa9.0xfe..., 2852039166)."""
    name = normal_host(host)
    try:
        return ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        pass
    try:
        # inet_aton is what resolvers use for numeric hosts: octal, hex, short and integer forms.
        return ipaddress.IPv4Address(socket.inet_aton(name))
    except OSError:
        return None


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def forbidden_reason(address: IpAddress) -> str | None:
    """Why a connection to this address is refused, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_v4(address)
        if inner is not None:
            return forbidden_reason(inner)
    if address in _METADATA:
        return "a cloud metadata address"
    checks = (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("not globally routable", not address.is_global),
    )
    for label, hit in checks:
        if hit:
            return f"a {label} address"
    return None


Resolver = Callable[[str, int], list[str]]


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def checked_addresses(
    host: str, port: int, policy: EgressPolicy, resolve: Resolver | None = None
) -> list[str]:
    """Resolve ``host`` and return its addresses, refusing if ANY of them is forbidden.

    Every address is checked (not just the first) because the connecting library may try
    them all in turn.
    """
    name = normal_host(host)
    allowed = policy.allows_insecure(name, port)
    if not allowed and (name in _BLOCKED_NAMES or name.endswith(_BLOCKED_SUFFIXES)):
        raise EgressRefused(f"host {name!r} is a local or metadata name")
    literal = literal_address(name)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = (resolve or system_resolve)(name, port)
        except OSError as exc:
            raise EgressRefused(f"host {name!r} does not resolve: {exc}") from None
        if not addresses:
            raise EgressRefused(f"host {name!r} has no address")
    if not allowed:
        for text in addresses:
            reason = forbidden_reason(ipaddress.ip_address(text.split("%")[0]))
            if reason:
                raise EgressRefused(f"host {name!r} resolves to {text}, {reason}")
    return addresses


@dataclass(frozen=True)
class CheckedUrl:
    url: str
    host: str
    port: int
    addresses: list[str] = field(default_factory=list)


def check_url(
    url: str, policy: EgressPolicy, *, resolve: Resolver | None = None, dns: bool = True
) -> CheckedUrl:
    """Refuse a URL the service must not connect to (see the module docstring)."""
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
    except ValueError:  # e.g. an unbalanced "[" (an IPv6 literal that is not one)
        raise EgressRefused("not a well-formed URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not hostname:
        raise EgressRefused("not an http(s) URL with a host")
    if parts.username is not None or parts.password is not None:
        raise EgressRefused("the URL carries credentials")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise EgressRefused("the port is not a number from 0 to 65535") from None
    host = normal_host(hostname)
    if literal_address(host) is None:
        try:  # what the resolver will be asked: a name IDNA cannot encode names no host
            host.encode("idna")
        except UnicodeError:
            raise EgressRefused("the host is not a valid domain name") from None
    if scheme == "http" and not policy.allows_insecure(host, port):
        raise EgressRefused(f"http to {host}:{port}, which is not an allowed insecure host")
    if not dns and literal_address(host) is None:
        # Only the names; the addresses are checked when DNS is consulted (and at connect time).
        if not policy.allows_insecure(host, port) and (
            host in _BLOCKED_NAMES or host.endswith(_BLOCKED_SUFFIXES)
        ):
            raise EgressRefused(f"host {host!r} is a local or metadata name")
        return CheckedUrl(url, host, port)
    return CheckedUrl(url, host, port, checked_addresses(host, port, policy, resolve))


# -- connect time -----------------------------------------------------------------------------


@dataclass
class GuardState:
    """One guarded scope: its policy and the refusals seen (the caller answers uniformly)."""

    policy: EgressPolicy
    refusals: list[str] = field(default_factory=list)


_STATE: contextvars.ContextVar[GuardState | None] = contextvars.ContextVar(
    "paybill_egress_guard", default=None
)
_install_lock = threading.Lock()
_installed: set[str] = set()


def _pinned(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        state = _STATE.get()
        if state is None:
            return original(address, *args, **kwargs)
        host, port = address[0], int(address[1])
        try:
            addresses = checked_addresses(host, port, state.policy)
        except EgressRefused as exc:
            state.refusals.append(str(exc))
            raise
        # Connect to the address just checked, not to the name (which could resolve anew);
        # TLS still verifies the certificate against the name, which urllib3 passes separately.
        last: OSError | None = None
        for text in addresses:
            try:
                return original((text, port), *args, **kwargs)
            except OSError as exc:
                last = exc
        raise last or EgressRefused(f"no address of {host!r} answered")

    create_connection.__wrapped__ = original  # type: ignore[attr-defined]
    return create_connection


def install() -> None:
    """Route urllib3's connections (and the copy vendored by the OCI SDK) through the guard.

    Outside a ``guarded`` scope the wrapper calls the original function unchanged.
    """
    with _install_lock:
        for module_name in ("urllib3.util.connection", "oci._vendor.urllib3.util.connection"):
            if module_name in _installed:
                continue
            try:
                module: Any = importlib.import_module(module_name)
            except ImportError:
                continue
            module.create_connection = _pinned(module.create_connection)
            _installed.add(module_name)


@contextlib.contextmanager
def guarded(policy: EgressPolicy) -> Iterator[GuardState]:
    """Within this block (this thread/context), every urllib3 connection is checked and pinned."""
    install()
    state = GuardState(policy)
    token = _STATE.set(state)
    try:
        yield state
    finally:
        _STATE.reset(token)
