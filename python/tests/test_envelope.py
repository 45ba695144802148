import pytest

import careguard


@pytest.fixture()
def ring():
    ring = careguard.KeyRing()
    ring.insert(7, careguard.generate_key())
    return ring


def test_seal_open_round_trip_with_header_fields(ring):
    sealed = careguard.seal(ring, b"bed 4 obs due", now=100, content_type="text/plain", expires_at=200,
                            conversation_id=b"ward-7", sender_id=b"dr-a")
    opened = careguard.open(ring, sealed, now=101, conversation_id=b"ward-7", sender_id=b"dr-a")
    assert opened.payload == b"bed 4 obs due"
    assert (opened.content_type, opened.created_at, opened.expires_at) == ("text/plain", 100, 200)
    assert len(opened.message_id) == 16
    assert b"bed 4" not in sealed


def test_typed_failures(ring):
    sealed = careguard.seal(ring, b"x", now=100, expires_at=200, conversation_id=b"a")
    with pytest.raises(careguard.ExpiredError):
        careguard.open(ring, sealed, now=200, conversation_id=b"a")
    with pytest.raises(careguard.WrongBindingError):
        careguard.open(ring, sealed, now=150, conversation_id=b"b")
    other = careguard.KeyRing()
    other.insert(8, careguard.generate_key())
    with pytest.raises(careguard.WrongKeyError) as e:
        careguard.open(other, sealed, now=150, conversation_id=b"a")
    assert e.value.code == 20
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    with pytest.raises(careguard.TamperedError):
        careguard.open(ring, bytes(tampered), now=150, conversation_id=b"a")
    with pytest.raises(careguard.MalformedError):
        careguard.open(ring, b"not an envelope at all, just some bytes", now=150)
    with pytest.raises(careguard.InvalidArgumentError):
        careguard.seal(careguard.KeyRing(), b"x", now=1)


def test_key_ring_management():
    ring = careguard.KeyRing()
    assert ring.sealing_key_id is None
    k1, k2 = careguard.generate_key(), careguard.generate_key()
    assert len(k1) == 32 and k1 != k2
    ring.insert(1, k1)
    ring.insert(2, k2)
    assert (ring.key_ids, ring.sealing_key_id) == ([1, 2], 2)
    with pytest.raises(careguard.InvalidArgumentError):
        ring.insert(2, k1)
    sealed = careguard.seal(ring, b"x", now=1)
    assert ring.remove(2) and not ring.remove(2)
    with pytest.raises(careguard.WrongKeyError):
        careguard.open(ring, sealed, now=2)
    assert careguard.derive_key_id(k1) == careguard.derive_key_id(k1)
    assert "KeyRing(key_ids=[1])" == repr(ring)
