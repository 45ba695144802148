"""Second implementation of careguard's HPKE data-key wrapping (RFC 9180 base mode,
DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM) using PyPI `pyhpke`, and of whole
signed envelopes (hpke stanzas, sender signature) using pyhpke and `cryptography`.

pyhpke opens what careguard sealed (the committed vectors and a fresh seal), careguard
opens what pyhpke sealed; an independent reader reproduces every envelope vector's
outcome, and careguard opens an envelope written by an independent writer. See
docs/FORMAT.md "HPKE stanza" and "Signed message".
"""

import hmac as std_hmac
import json
import os
import pathlib
import struct
import subprocess

import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
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


# --------------------------------------------------------------------------------------
# Signed envelopes (docs/FORMAT.md "HPKE stanza" and "Signed message"), read and written
# from the spec with pyhpke and `cryptography` only.

HPKE_STANZA = 0x0002
SENDER_LABEL = b"careguard/v1/identity/sender-signature\0"


class Refused(Exception):
    def __init__(self, name):
        super().__init__(name)
        self.name = name


def hkdf(salt, ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def hmac_sha256(key, data):
    mac = crypto_hmac.HMAC(key, hashes.SHA256())
    mac.update(data)
    return mac.finalize()


def bucket(n):
    size = 256
    while size < n:
        size *= 2
    return size


def lp16(b):
    return struct.pack(">H", len(b)) + b


def card_device_and_ed25519(card):
    """Device id and Ed25519 key from a device card (docs/FORMAT.md "Device card")."""
    at = 5
    device_id = card[at:at + 16]
    at += 16
    at += 1 + card[at]  # staff id
    at += 1 + card[at]  # display name
    return device_id, card[at + 32:at + 64]


def parse_header(env):
    at = 0
    assert env[:4] == b"CGEV" and env[4] == 1 and env[5] == 1
    flags, = struct.unpack(">H", env[6:8])
    message_id = env[8:24]
    created_at, expires_at = struct.unpack(">QQ", env[24:40])
    ct_len = env[40]
    content_type = env[41:41 + ct_len]
    prefix_len = 41 + ct_len
    at = prefix_len
    count = env[at]
    at += 1
    stanzas = []
    for _ in range(count):
        kind, blen = struct.unpack(">HH", env[at:at + 4])
        stanzas.append((kind, env[at + 4:at + 4 + blen]))
        at += 4 + blen
    if flags & 0x0002:
        slen, = struct.unpack(">H", env[at:at + 2])
        at += 2 + slen
    return {
        "flags": flags, "message_id": message_id, "created_at": created_at,
        "expires_at": expires_at, "content_type": content_type, "prefix": env[:prefix_len],
        "stanzas": stanzas, "header": env[:at],
    }


def binding_bytes(conversation_id, sender_id):
    return lp16(conversation_id) + lp16(sender_id)


def open_signed_py(env, x25519_secret, conversation_id, sender_id, now, sender_cards):
    h = parse_header(env)
    if h["expires_at"] and now >= h["expires_at"]:
        raise Refused("MessageExpired")
    sk = kem_secret(x25519_secret)
    dek = None
    for kind, body in h["stanzas"]:
        if kind != HPKE_STANZA:
            continue
        assert len(body) == 80
        try:
            dek = hpke_open(SUITE, body[:32], sk, body[32:], h["prefix"] + struct.pack(">H", HPKE_STANZA))
            break
        except OpenError:
            continue
    if dek is None:
        raise Refused("NotARecipient")
    mid = h["message_id"]
    header = h["header"]
    rest = env[len(header):]
    commitment, binding_tag, sealed = rest[:32], rest[32:48], rest[48:]
    if not std_hmac.compare_digest(hmac_sha256(hkdf(mid, dek, b"careguard/v1/commit"), header), commitment):
        raise Refused("Tampered")
    want = hmac_sha256(hkdf(mid, dek, b"careguard/v1/binding"), binding_bytes(conversation_id, sender_id))[:16]
    if not std_hmac.compare_digest(want, binding_tag):
        raise Refused("WrongBinding")
    try:
        plain = AESGCM(hkdf(mid, dek, b"careguard/v1/payload")).decrypt(bytes(12), sealed, header + commitment + binding_tag)
    except InvalidTag:
        raise Refused("Tampered")
    if h["flags"] & 0x0001:
        marker = len(plain.rstrip(b"\0")) - 1
        assert plain[marker] == 0x80 and bucket(marker) + 1 == len(plain)
        plain = plain[:marker]
    assert plain[:5] == b"CGSM\x01"
    device_id = plain[5:21]
    n, = struct.unpack(">H", plain[21:23])
    keys = [plain[23 + 32 * i:55 + 32 * i] for i in range(n)]
    assert keys == sorted(set(keys))
    at = 23 + 32 * n
    signature, payload = plain[at:at + 64], plain[at + 64:]
    signed = (
        SENDER_LABEL + plain[:at] + struct.pack(">QQ", h["created_at"], h["expires_at"])
        + bytes([len(h["content_type"])]) + h["content_type"]
        + lp16(conversation_id) + lp16(sender_id) + payload
    )
    candidates = [ed for dev, ed in map(card_device_and_ed25519, sender_cards) if dev == device_id]
    if not candidates:
        raise Refused("UnknownSender")
    for ed in candidates:
        try:
            Ed25519PublicKey.from_public_bytes(ed).verify(signature, signed)
            break
        except InvalidSignature:
            continue
    else:
        raise Refused("BadSenderSignature")
    pk = X25519PrivateKey.from_private_bytes(x25519_secret).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    if pk not in keys:
        raise Refused("NotARecipient")
    found = sum(1 for kind, _ in h["stanzas"] if kind == HPKE_STANZA)
    if found != n:
        raise Refused("StanzaCountMismatch")
    return payload


def test_independent_reader_matches_every_envelope_vector():
    v = json.loads(VECTORS.read_text())
    devices = v["devices"]
    conv = bytes.fromhex(v["binding"]["conversation_id"])
    sid = bytes.fromhex(v["binding"]["sender_id"])
    seen = set()
    for case in v["envelopes"]:
        me = devices[case["opener"]]
        cards = [bytes.fromhex(devices[s]["card"]) for s in case["senders"]]
        try:
            got = open_signed_py(
                bytes.fromhex(case["envelope"]), bytes.fromhex(me["x25519_secret"]),
                conv, sid, case["now"], cards,
            )
            outcome = "ok"
            assert got.hex() == v["payload"]
        except Refused as r:
            outcome = r.name
        assert outcome == case["expect"], case["name"]
        seen.add(outcome)
    assert len(seen) == 7


def seal_signed_py(sender_secret, sender_device_id, recipients_x25519, payload, conv, sid, now, expires_at):
    """A signed envelope written from FORMAT.md: padded, content type text/plain."""
    message_id, dek = os.urandom(16), os.urandom(32)
    ct = b"text/plain"
    prefix = (
        b"CGEV" + bytes([1, 1]) + struct.pack(">H", 0x0001) + message_id
        + struct.pack(">QQ", now, expires_at) + bytes([len(ct)]) + ct
    )
    keys = sorted(set(recipients_x25519))
    stanzas = b""
    for pk in keys:
        enc, wrapped = hpke_seal(
            KEMKey.from_pyca_cryptography_key(X25519PublicKey.from_public_bytes(pk)),
            dek, prefix + struct.pack(">H", HPKE_STANZA),
        )
        stanzas += struct.pack(">HH", HPKE_STANZA, 80) + enc + wrapped
    header = prefix + bytes([len(keys)]) + stanzas
    inner_prefix = b"CGSM\x01" + sender_device_id + struct.pack(">H", len(keys)) + b"".join(keys)
    signed = (
        SENDER_LABEL + inner_prefix + struct.pack(">QQ", now, expires_at) + bytes([len(ct)]) + ct
        + lp16(conv) + lp16(sid) + payload
    )
    inner = inner_prefix + sender_secret.sign(signed) + payload
    plain = inner + b"\x80" + bytes(bucket(len(inner)) - len(inner))
    commitment = hmac_sha256(hkdf(message_id, dek, b"careguard/v1/commit"), header)
    tag = hmac_sha256(hkdf(message_id, dek, b"careguard/v1/binding"), binding_bytes(conv, sid))[:16]
    sealed = AESGCM(hkdf(message_id, dek, b"careguard/v1/payload")).encrypt(
        bytes(12), plain, header + commitment + tag)
    return header + commitment + tag + sealed


def test_careguard_opens_an_envelope_sealed_by_the_independent_writer(example):
    v = json.loads(VECTORS.read_text())
    alice, bob = v["devices"]["alice"], v["devices"]["bob"]
    alice_secret = bytes.fromhex(alice["device_keys_secret"])
    signer = Ed25519PrivateKey.from_private_bytes(alice_secret[49:81])
    conv, sid, now = b"python-chat", b"alice.smith@nhs.net", 1_780_000_100
    payload = "Handover from the Python writer: bed 9 NEWS 2 \u2713".encode()
    env = seal_signed_py(
        signer, alice_secret[1:17],
        [bytes.fromhex(bob["x25519_public"]), bytes.fromhex(v["devices"]["carol"]["x25519_public"])],
        payload, conv, sid, now, now + 600,
    )
    # The independent reader agrees with itself ...
    assert open_signed_py(env, bytes.fromhex(bob["x25519_secret"]), conv, sid, now,
                          [bytes.fromhex(alice["card"])]) == payload
    # ... and careguard opens it and checks Alice's signature.
    run = lambda e: subprocess.run(
        [example, "open-signed", bob["device_keys_secret"], alice["card"], e.hex(),
         conv.hex(), sid.hex(), str(now)],
        capture_output=True, text=True,
    )
    out = run(env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == payload.hex()
    # A signature by someone else (Eve's key under Alice's device id) is refused.
    eve = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(v["devices"]["eve"]["device_keys_secret"])[49:81])
    forged = seal_signed_py(eve, alice_secret[1:17], [bytes.fromhex(bob["x25519_public"])],
                            payload, conv, sid, now, now + 600)
    bad = run(forged)
    assert bad.returncode != 0 and "sender signature does not verify" in bad.stderr
