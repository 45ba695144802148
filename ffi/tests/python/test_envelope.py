"""Key rings and envelopes through ctypes: round trip, rotation and every failure."""

import ctypes

import careguard_ctypes as cg
import pytest

NOW = 1_700_000_000
CONV, SENDER = b"ward-7-handover", b"dr.jones@nhs.net"


def options(content_type=b"text/plain", expires_at=0, pad=True):
    return cg.CgSealOptions(content_type, len(content_type) if content_type else 0, expires_at, pad)


@pytest.fixture
def ring():
    with cg.Keyring() as r:
        r.insert(1, bytes([1]) * 32)
        yield r


def test_round_trip_with_header(ring):
    sealed = ring.seal(b"bed 4 obs stable", CONV, SENDER, NOW, options(expires_at=NOW + 3600))
    assert len(sealed) > 256  # padded to a bucket
    payload, info = ring.open(sealed, CONV, SENDER, NOW + 60)
    assert payload == b"bed 4 obs stable"
    assert info.created_at == NOW and info.expires_at == NOW + 3600 and info.padded
    assert info.content_type == b"text/plain"


def test_unicode_and_empty_payloads(ring):
    text = "Mrs Ünal, bed 4 — obs stable 👍".encode()
    assert ring.open(ring.seal(text), now=0)[0] == text
    assert ring.open(ring.seal(b""), now=0)[0] == b""


@pytest.mark.parametrize(
    "mutate,status",
    [
        (lambda e: e[:10], "truncated"),
        (lambda e: b"XXXX" + e[4:], "malformed"),
        (lambda e: e[:4] + bytes([9]) + e[5:], "unsupported_version"),
        (lambda e: e[:-1] + bytes([e[-1] ^ 1]), "tampered"),
    ],
)
def test_hostile_bytes_give_typed_errors(ring, mutate, status):
    sealed = ring.seal(b"x", CONV, SENDER, NOW)
    with pytest.raises(cg.CareguardError) as e:
        ring.open(mutate(sealed), CONV, SENDER, NOW)
    assert e.value.name == status
    assert e.value.message


def test_expiry_binding_and_wrong_key(ring):
    sealed = ring.seal(b"x", CONV, SENDER, NOW, options(expires_at=NOW + 10))
    for args, status in [
        ((CONV, SENDER, NOW + 10), "expired"),
        ((b"other", SENDER, NOW), "wrong_binding"),
        ((CONV, b"other", NOW), "wrong_binding"),
    ]:
        with pytest.raises(cg.CareguardError) as e:
            ring.open(sealed, *args)
        assert e.value.name == status
    with cg.Keyring() as other:
        other.insert(2, bytes([2]) * 32)
        with pytest.raises(cg.CareguardError) as e:
            other.open(sealed, CONV, SENDER, NOW)
        assert e.value.name == "wrong_key"


def test_rotation_and_removal(ring):
    old = ring.seal(b"old")
    ring.insert(2, bytes([2]) * 32)
    found, key_id = ctypes.c_bool(), ctypes.c_uint32()
    cg.check(cg.lib.cg_keyring_sealing_key_id(ring.handle, ctypes.byref(found), ctypes.byref(key_id)), "sealing")
    assert found.value and key_id.value == 2
    assert ring.open(old)[0] == b"old"
    removed = ctypes.c_bool()
    cg.check(cg.lib.cg_keyring_remove(ring.handle, 1, ctypes.byref(removed)), "remove")
    assert removed.value
    with pytest.raises(cg.CareguardError) as e:
        ring.open(old)
    assert e.value.name == "wrong_key"


def test_seal_misuse(ring):
    for opts, status in [
        (options(b"bad type\n"), "invalid_argument"),
        (options(expires_at=NOW - 1), "invalid_argument"),
        (options(b"\xc3"), "invalid_utf8"),
    ]:
        with pytest.raises(cg.CareguardError) as e:
            ring.seal(b"x", now=NOW, options=opts)
        assert e.value.name == status
    with pytest.raises(cg.CareguardError) as e:
        ring.insert(1, bytes(32))
    assert e.value.name == "invalid_argument"
    with pytest.raises(cg.CareguardError) as e:
        ring.insert(3, bytes(31))
    assert e.value.name == "invalid_length"


def test_null_handles_and_buffers():
    out = cg.CgBytes()
    assert cg.lib.cg_envelope_seal(None, b"x", 1, None, 0, None, 0, None, 0, ctypes.byref(out)) == cg.NULL_POINTER
    with cg.Keyring() as r:
        assert cg.lib.cg_envelope_seal(r.handle, None, 1, None, 0, None, 0, None, 0, ctypes.byref(out)) == cg.NULL_POINTER
        assert cg.lib.cg_envelope_open(r.handle, None, 0, None, 0, None, 0, 0, None, None) == cg.NULL_POINTER
    cg.lib.cg_keyring_free(None)


def test_key_id_derive_is_deterministic():
    a, b = ctypes.c_uint32(), ctypes.c_uint32()
    key = bytes(range(32))
    cg.check(cg.lib.cg_key_id_derive(key, 32, ctypes.byref(a)), "derive")
    cg.check(cg.lib.cg_key_id_derive(key, 32, ctypes.byref(b)), "derive")
    assert a.value == b.value
    assert cg.lib.cg_key_id_derive(key, 31, ctypes.byref(a)) == cg.INVALID_LENGTH
