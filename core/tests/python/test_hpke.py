"""Second implementation of careguard's HPKE data-key wrapping (RFC 9180 base mode,
DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) using PyPI `pyhpke`.

pyhpke opens what careguard sealed (the committed vectors and a fresh seal), and careguard
opens what pyhpke sealed. See docs/FORMAT.md "HPKE stanza".
"""

import json
import os
import pathlib
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives import serialization
from pyhpke import AEADId, CipherSuite, KDFId, KEMId, KEMKey, OpenError

ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS = ROOT / "core" / "tests" / "vectors" / "hpke-envelope-v1.json"
INFO = b"careguard/v1/identity/hpke-dek"
SUITE = CipherSuite.new(KEMId.DHKEM_X25519_HKDF_SHA256, KDFId.HKDF_SHA256, AEADId.AES256_GCM)


def hpke_open(suite, enc, sk, ct, aad, info=INFO):
    """Single-shot Open (RFC 9180 §6.1) from pyhpke's context API."""
    return suite.create_recipient_context(enc, sk, info=info).open(ct, aad=aad)


def hpke_seal(pk, pt, aad):
    """Single-shot Seal (RFC 9180 §6.1) from pyhpke's context API."""
    enc, ctx = SUITE.create_sender_context(pk, info=INFO)
    return enc, ctx.seal(pt, aad=aad)


def kem_secret(raw: bytes):
    return KEMKey.from_pyca_cryptography_key(X25519PrivateKey.from_private_bytes(raw))


def kem_public(raw: bytes):
    pk = X25519PrivateKey.from_private_bytes(raw).public_key()
    return KEMKey.from_pyca_cryptography_key(pk), pk.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


@pytest.fixture(scope="module")
def example():
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "careguard", "--example", "identity_hpke"],
        cwd=ROOT,
        check=True,
    )
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return str(target / "release" / "examples" / "identity_hpke")


def test_pyhpke_matches_rfc9180_a1_1():
    # RFC 9180 A.1.1 uses AES-128-GCM; it shows pyhpke's KEM and key schedule are RFC 9180's.
    suite = CipherSuite.new(KEMId.DHKEM_X25519_HKDF_SHA256, KDFId.HKDF_SHA256, AEADId.AES128_GCM)
    sk = kem_secret(bytes.fromhex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8"))
    pt = hpke_open(
        suite,
        bytes.fromhex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431"),
        sk,
        bytes.fromhex(
            "f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a"
        ),
        bytes.fromhex("436f756e742d30"),
        info=bytes.fromhex("4f6465206f6e2061204772656369616e2055726e"),
    )
    assert pt == b"Beauty is truth, truth beauty"


def test_pyhpke_opens_committed_careguard_vectors():
    v = json.loads(VECTORS.read_text())
    assert v["suite"] == {"mode": 0, "kem_id": 32, "kdf_id": 1, "aead_id": 2}
    assert bytes.fromhex(v["info"]) == INFO
    sk = kem_secret(bytes.fromhex(v["recipient_x25519_secret"]))
    aad = bytes.fromhex(v["aad"])
    seen = set()
    for case in v["vectors"]:
        enc, ct = bytes.fromhex(case["enc"]), bytes.fromhex(case["ct"])
        if case["expect"] == "ok":
            assert hpke_open(SUITE, enc, sk, ct, aad).hex() == v["dek"]
        else:
            with pytest.raises(OpenError):
                hpke_open(SUITE, enc, sk, ct, aad)
        seen.add(case["expect"])
    assert seen == {"ok", "HpkeOpen"}


def test_pyhpke_opens_a_fresh_careguard_seal(example):
    sk_raw = os.urandom(32)
    _, pk_raw = kem_public(sk_raw)
    dek, aad = os.urandom(32), b"fresh seal"
    out = subprocess.run(
        [example, "seal", pk_raw.hex(), dek.hex(), aad.hex()],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    enc, ct = bytes.fromhex(out[0]), bytes.fromhex(out[1])
    assert len(enc) == 32 and len(ct) == 48
    assert hpke_open(SUITE, enc, kem_secret(sk_raw), ct, aad) == dek
    with pytest.raises(OpenError):
        hpke_open(SUITE, enc, kem_secret(sk_raw), ct, b"other aad")


def test_careguard_opens_a_pyhpke_seal(example):
    sk_raw = os.urandom(32)
    pk, _ = kem_public(sk_raw)
    dek, aad = os.urandom(32), b"sealed by pyhpke"
    enc, ct = hpke_seal(pk, dek, aad)
    # careguard's stored device-key layout: version 1 | device id | x25519 | ed25519 secret.
    secret = b"\x01" + bytes(16) + sk_raw + os.urandom(32)
    got = subprocess.run(
        [example, "open", secret.hex(), enc.hex(), ct.hex(), aad.hex()],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    assert got == dek.hex()
    tampered = bytearray(ct)
    tampered[0] ^= 1
    bad = subprocess.run(
        [example, "open", secret.hex(), enc.hex(), bytes(tampered).hex(), aad.hex()],
        capture_output=True, text=True,
    )
    assert bad.returncode != 0
    assert "does not open" in bad.stderr
