"""Cross-checks the vault and wipe-order vectors with independent implementations.

- Argon2id: PyPI argon2-cffi (the reference C implementation), hash_secret_raw.
- HKDF-SHA256, AES-256-GCM, Ed25519: PyPI cryptography (OpenSSL).

The vectors are core/tests/vectors/vault-v1.json and wipe-order-v2.json, written by
the generator in core/tests/vault_vectors.rs; nothing here calls careguard, so a
bug shared by careguard and its generator would still show up here.
"""

import json
import pathlib

import pytest
from argon2.low_level import Type, core, ffi, hash_secret_raw, lib
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from test_rng import TestRng

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"
VAULT = json.loads((VECTORS / "vault-v1.json").read_text())
WIPE = json.loads((VECTORS / "wipe-order-v2.json").read_text())
OK = [v for v in VAULT["vectors"] if v["expect"] == "ok"]


def hkdf(salt, ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def test_rfc9106_argon2id_vector_in_argon2_cffi():
    """RFC 9106 section 5.3 (secret and associated data) through argon2-cffi's raw
    argon2_ctx binding: the same vector careguard's kdf unit test runs through the
    Rust `argon2` crate, so both implementations agree on the reference."""
    buffers = {
        "pwd": bytes([1] * 32), "salt": bytes([2] * 16), "secret": bytes([3] * 8), "ad": bytes([4] * 12),
    }
    cdata = {k: ffi.new("uint8_t[]", v) for k, v in buffers.items()}
    out = ffi.new("uint8_t[]", 32)
    ctx = ffi.new("argon2_context *", dict(
        out=out, outlen=32, pwdlen=32, saltlen=16, secretlen=8, adlen=12,
        t_cost=3, m_cost=32, lanes=4, threads=4, version=19,
        allocate_cbk=ffi.NULL, free_cbk=ffi.NULL, flags=lib.ARGON2_DEFAULT_FLAGS, **cdata,
    ))
    assert core(ctx, Type.ID.value) == lib.ARGON2_OK
    assert bytes(ffi.buffer(out, 32)).hex() == (
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    )


@pytest.mark.parametrize("v", OK, ids=[v["name"] for v in OK])
def test_argon2id_matches_argon2_cffi(v):
    blob = bytes.fromhex(v["blob"])
    salt = bytes.fromhex(v["salt"])
    assert blob[20:36] == salt
    assert int.from_bytes(blob[7:11], "big") == v["m_kib"]
    out = hash_secret_raw(
        secret=v["pin"].encode(), salt=salt, time_cost=v["t_cost"], memory_cost=v["m_kib"],
        parallelism=v["p_cost"], hash_len=32, type=Type.ID, version=19,
    )
    assert out.hex() == v["argon2id"]


@pytest.mark.parametrize("v", OK, ids=[v["name"] for v in OK])
def test_kek_unwraps_the_master_key(v):
    blob = bytes.fromhex(v["blob"])
    ikm = bytes.fromhex(v["argon2id"])
    if v["device_secret"]:
        ikm += bytes.fromhex(v["device_secret"])
    kek = hkdf(blob[20:36], ikm, b"careguard/v1/vault/kek")
    assert kek.hex() == v["kek"]
    master = AESGCM(kek).decrypt(blob[36:48], blob[48:96], blob[:36])
    assert master.hex() == v["master_key"]
    info = b"careguard/v1/keyring/kek" + (1).to_bytes(4, "big")
    assert hkdf(None, master, info).hex() == v["keyring_kek_1"]
    # The parameters are authenticated: lowering t_cost breaks the tag.
    tampered = bytearray(blob[:36])
    tampered[14] ^= 1
    with pytest.raises(InvalidTag):
        AESGCM(kek).decrypt(blob[36:48], blob[48:96], bytes(tampered))


@pytest.mark.parametrize("v", OK, ids=lambda v: v["name"])
def test_random_bytes_are_the_specified_rng_stream(v):
    """The generator draws the master key, then the salt, then the wrap nonce from the
    test RNG's stream for the vector's name (docs/FORMAT.md, "The test RNG")."""
    rng = TestRng(v["name"])
    blob = bytes.fromhex(v["blob"])
    assert rng.bytes(32).hex() == v["master_key"]
    assert rng.bytes(16) == blob[20:36]
    assert rng.bytes(12) == blob[36:48]


def test_wipe_orders_verify_with_cryptography():
    seed = bytes.fromhex(WIPE["org_seed"])
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    assert public.public_bytes_raw().hex() == WIPE["org_public_key"]
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(WIPE["org_public_key"]))
    for v in WIPE["vectors"]:
        order = bytes.fromhex(v["order"])
        # Version 2: magic, version, counter, issued_at, enrolment epoch, n, device id, sig.
        n = order[29] if len(order) > 29 else 0
        body, sig = order[: 30 + n], order[30 + n :]
        layout_ok = order[:5] == b"CGWO\x02" and 1 <= n <= 64 and len(sig) == 64
        if not layout_ok:
            assert v["expect"] in ("Truncated", "UnsupportedVersion", "InvalidDeviceIdLength"), v["name"]
            continue
        try:
            key.verify(sig, b"careguard/v2/wipe-order" + body)
            signed = True
        except InvalidSignature:
            signed = False
        assert signed == (v["expect"] != "BadSignature"), v["name"]
        if signed:
            counter = int.from_bytes(order[5:13], "big")
            enrolment = int.from_bytes(order[21:29], "big")
            for_us = order[30 : 30 + n].hex() == v["device_id"]
            this_enrolment = enrolment == v["enrolment"]
            fresh = v["last_accepted"] is None or counter > v["last_accepted"]
            if not for_us:
                expect = "WrongDevice"
            elif not this_enrolment:
                expect = "WrongEnrolment"
            else:
                expect = "ok" if fresh else "Replayed"
            assert expect == v["expect"], v["name"]
