from __future__ import annotations

import pytest

from paybill_control_plane.clouds.credentials import (
    FORMAT_VERSION,
    CredentialDecryptError,
    decrypt_credentials,
    encrypt_credentials,
    generate_secret_key,
    key_id,
    needs_reencrypt,
    redact,
)

CREDS = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI/K7MDENG"}


@pytest.fixture(scope="module")
def key() -> str:
    return generate_secret_key()


def test_round_trip(key: str) -> None:
    blob = encrypt_credentials(key, "target-1", CREDS)
    assert decrypt_credentials(key, "target-1", blob) == CREDS
    assert blob[0] == FORMAT_VERSION
    assert blob[1:5] == key_id(key)
    assert b"AKIAIOSFODNN7EXAMPLE" not in blob
    assert b"access_key_id" not in blob  # key names are encrypted too


def test_each_encryption_uses_a_fresh_nonce(key: str) -> None:
    first = encrypt_credentials(key, "target-1", CREDS)
    second = encrypt_credentials(key, "target-1", CREDS)
    assert first[5:17] != second[5:17]
    assert first != second


@pytest.mark.parametrize("position", [0, 1, 6, 20, -1])
def test_any_modified_byte_is_rejected(key: str, position: int) -> None:
    blob = bytearray(encrypt_credentials(key, "target-1", CREDS))
    blob[position] ^= 0x01
    with pytest.raises(CredentialDecryptError) as info:
        decrypt_credentials(key, "target-1", bytes(blob))
    assert "AKIA" not in str(info.value)


def test_blob_moved_to_another_target_is_rejected(key: str) -> None:
    blob = encrypt_credentials(key, "target-1", CREDS)
    with pytest.raises(CredentialDecryptError, match="modified or belongs to another target"):
        decrypt_credentials(key, "target-2", blob)


def test_wrong_key_is_named_as_such_and_rotation_works(key: str) -> None:
    old_key = generate_secret_key()
    blob = encrypt_credentials(old_key, "target-1", CREDS)
    with pytest.raises(CredentialDecryptError, match="another secret key") as info:
        decrypt_credentials(key, "target-1", blob)
    assert old_key not in str(info.value) and key not in str(info.value)
    assert needs_reencrypt(key, blob)
    assert decrypt_credentials(key, "target-1", blob, previous_keys=[old_key]) == CREDS
    rotated = encrypt_credentials(key, "target-1", CREDS)
    assert not needs_reencrypt(key, rotated)


def test_truncated_and_unknown_version_blobs(key: str) -> None:
    blob = encrypt_credentials(key, "t", CREDS)
    with pytest.raises(CredentialDecryptError, match="truncated"):
        decrypt_credentials(key, "t", blob[:20])
    with pytest.raises(CredentialDecryptError, match="version 9"):
        decrypt_credentials(key, "t", b"\x09" + blob[1:])


def test_weak_secret_key_and_non_string_values_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 characters"):
        encrypt_credentials("short", "t", CREDS)
    with pytest.raises(TypeError):
        encrypt_credentials(generate_secret_key(), "t", {"port": 5432})  # type: ignore[dict-item]


def test_generated_keys_are_random_and_long_enough() -> None:
    keys = {generate_secret_key() for _ in range(5)}
    assert len(keys) == 5
    assert all(len(k) == 43 for k in keys)


def test_redact_keeps_only_key_names() -> None:
    assert redact(CREDS) == {"access_key_id": "***", "secret_access_key": "***"}
    assert redact({}) == {}
