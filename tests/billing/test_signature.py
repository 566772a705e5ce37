"""verify_stripe_event: R1-R3 of BILLING_AND_RELIABILITY.md against stripe's own signing helper."""

from __future__ import annotations

import json
import time

import pytest
import stripe

from paybill_control_plane.billing.signature import (
    PAYLOAD_INVALID,
    SECRET_NOT_CONFIGURED,
    SIGNATURE_INVALID,
    SIGNATURE_MALFORMED,
    SIGNATURE_MISSING,
    TIMESTAMP_OUT_OF_TOLERANCE,
    WebhookVerificationError,
    verify_stripe_event,
)

from . import events

SECRET = "whsec_test_current_0123456789abcdef"
OLD_SECRET = "whsec_test_previous_fedcba9876543210"
NOW = 1_767_225_600  # a fixed clock: 2026-01-01T00:00:00Z


def _body(created: int = NOW) -> bytes:
    obj = events.subscription(id="sub_sig", price_id="price_pro")
    return events.encode(events.make_event("customer.subscription.updated", obj, created=created))


def _refused(slug: str, *args: object, **kwargs: object) -> WebhookVerificationError:
    with pytest.raises(WebhookVerificationError) as info:
        verify_stripe_event(*args, **kwargs)  # type: ignore[arg-type]
    assert info.value.type_slug == slug, info.value.reason
    for secret in (SECRET, OLD_SECRET):
        assert secret not in str(info.value)
        assert secret not in repr(info.value)
    return info.value


def test_valid_signature_returns_the_parsed_event() -> None:
    body = _body()
    event = verify_stripe_event(body, events.sign(body, SECRET, NOW), [SECRET], now=NOW)
    assert event == json.loads(body)
    assert event["type"] == "customer.subscription.updated"
    assert event["data"]["object"]["id"] == "sub_sig"


def test_real_clock_is_the_default() -> None:
    body = _body()
    assert verify_stripe_event(body, events.sign(body, SECRET), [SECRET])["id"]
    stale = int(time.time()) - 301
    _refused(TIMESTAMP_OUT_OF_TOLERANCE, body, events.sign(body, SECRET, stale), [SECRET])


def test_reserialised_body_fails() -> None:
    body = _body()
    header = events.sign(body, SECRET, NOW)
    compact = json.dumps(json.loads(body), separators=(",", ":")).encode()
    assert json.loads(compact) == json.loads(body)
    _refused(SIGNATURE_INVALID, compact, header, [SECRET], now=NOW)


def test_tampered_body_and_wrong_secret_fail() -> None:
    body = _body()
    header = events.sign(body, SECRET, NOW)
    _refused(SIGNATURE_INVALID, body.replace(b"sub_sig", b"sub_evil"), header, [SECRET], now=NOW)
    _refused(SIGNATURE_INVALID, body, header, ["whsec_someone_else"], now=NOW)


@pytest.mark.parametrize(
    ("offset", "ok"),
    [(-300, True), (-301, False), (300, True), (301, False), (-86_400, False), (86_400, False)],
)
def test_timestamp_window_both_directions(offset: int, ok: bool) -> None:
    body = _body()
    header = events.sign(body, SECRET, NOW + offset)
    if ok:
        assert verify_stripe_event(body, header, [SECRET], now=NOW)["id"]
    else:
        _refused(TIMESTAMP_OUT_OF_TOLERANCE, body, header, [SECRET], now=NOW)


def test_explicit_tolerance_is_honoured() -> None:
    body = _body()
    header = events.sign(body, SECRET, NOW - 60)
    _refused(TIMESTAMP_OUT_OF_TOLERANCE, body, header, [SECRET], tolerance_seconds=30, now=NOW)
    assert verify_stripe_event(body, header, [SECRET], tolerance_seconds=61, now=NOW)
    with pytest.raises(ValueError):
        verify_stripe_event(body, header, [SECRET], tolerance_seconds=0, now=NOW)


def test_rotation_header_with_two_v1_signatures() -> None:
    body = _body()
    header = events.sign(body, [OLD_SECRET, SECRET], NOW)
    assert header.count("v1=") == 2
    assert verify_stripe_event(body, header, [SECRET], now=NOW)
    assert verify_stripe_event(body, header, [OLD_SECRET], now=NOW)


def test_rotation_two_configured_secrets() -> None:
    body = _body()
    for signer in (OLD_SECRET, SECRET):
        header = events.sign(body, signer, NOW)
        assert verify_stripe_event(body, header, [OLD_SECRET, SECRET], now=NOW)
        assert verify_stripe_event(body, header, [SECRET, OLD_SECRET], now=NOW)
    header = events.sign(body, "whsec_unrelated", NOW)
    _refused(SIGNATURE_INVALID, body, header, [OLD_SECRET, SECRET], now=NOW)


def test_secrets_are_trimmed_and_blanks_ignored() -> None:
    body = _body()
    header = events.sign(body, SECRET, NOW)
    assert verify_stripe_event(body, header, ["", "  ", f" {SECRET}\n"], now=NOW)


@pytest.mark.parametrize("secrets", [[], [""], ["", "   ", "\n"]])
def test_empty_configuration_refuses_everything(secrets: list[str]) -> None:
    body = _body()
    # Even a delivery "signed" with the empty key, which anyone can compute.
    for header in (events.sign(body, "", NOW), events.sign(body, SECRET, NOW)):
        error = _refused(SECRET_NOT_CONFIGURED, body, header, secrets, now=NOW)
        assert error.http_status == 503


def test_a_bare_string_is_not_a_secret_list() -> None:
    body = _body()
    with pytest.raises(TypeError):
        verify_stripe_event(body, events.sign(body, SECRET, NOW), SECRET, now=NOW)


@pytest.mark.parametrize("header", [None, "", "   "])
def test_missing_header(header: str | None) -> None:
    error = _refused(SIGNATURE_MISSING, _body(), header, [SECRET], now=NOW)
    assert error.http_status == 400


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "t=,v1=abc",
        "t=12ab,v1=abc",
        "t=-5,v1=abc",
        f"v1={'0' * 64}",
        f"t={NOW}",
        f"t={NOW},v0={'0' * 64}",
        f"t={NOW}," + ",".join(f"v1={i:064d}" for i in range(9)),
    ],
)
def test_malformed_header(header: str) -> None:
    _refused(SIGNATURE_MALFORMED, _body(), header, [SECRET], now=NOW)


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"[1, 2, 3]",
        b'"a string"',
        b'{"type": "customer.subscription.updated"}',
        b'{"id": "evt_1"}',
        b'{"id": 12, "type": "x"}',
        b'{"id": "", "type": "x"}',
        b"\xff\xfe{}",
    ],
)
def test_payload_not_an_event(body: bytes) -> None:
    header = events.sign(body.decode("latin-1"), SECRET, NOW)
    _refused(PAYLOAD_INVALID, body, header, [SECRET], now=NOW)


def test_throughput(capsys: pytest.CaptureFixture[str]) -> None:
    """Printed, not asserted: the webhook endpoint must sustain >= 1,000 verifications/s."""
    body = _body()
    header = events.sign(body, SECRET, NOW)
    rotated = [OLD_SECRET, SECRET]  # worst case: the matching secret is tried second
    n = 3000
    rates = {}
    for label, secrets in (("1 secret", [SECRET]), ("2 secrets", rotated)):
        start = time.perf_counter()
        for _ in range(n):
            verify_stripe_event(body, header, secrets, now=NOW)
        rates[label] = n / (time.perf_counter() - start)
    with capsys.disabled():
        shown = ", ".join(f"{k}: {v:,.0f}/s" for k, v in rates.items())
        print(f"\n[verify_stripe_event] {len(body)} B event, one thread: {shown}")


def test_a_non_ascii_signature_is_refused_not_an_error() -> None:
    header = f"t={NOW},v1=é{'0' * 63}"
    _refused(SIGNATURE_INVALID, _body(), header, [SECRET], now=NOW)


@pytest.mark.parametrize("case", ["valid", "body", "timestamp", "secret", "second-v1"])
def test_the_check_agrees_with_stripe_python(case: str) -> None:
    """The HMAC is computed here over the raw bytes; stripe-python decides the same way."""
    body = _body()
    header = events.sign(body, SECRET, NOW)
    if case == "body":
        body = body.replace(b"sub_sig", b"sub_sig2")
    elif case == "timestamp":
        header = header.replace(f"t={NOW}", f"t={NOW + 1}")
    elif case == "secret":
        header = events.sign(body, "whsec_someone_else", NOW)
    elif case == "second-v1":
        header = f"{events.sign(body, 'whsec_someone_else', NOW)},{header.split(',', 1)[1]}"
    try:
        stripe.WebhookSignature.verify_header(body.decode(), header, SECRET, tolerance=None)
        theirs = True
    except stripe.SignatureVerificationError:
        theirs = False
    try:
        verify_stripe_event(body, header, [SECRET], now=NOW)
        ours = True
    except WebhookVerificationError as exc:
        assert exc.type_slug == SIGNATURE_INVALID
        ours = False
    assert ours == theirs == (case in {"valid", "second-v1"})
