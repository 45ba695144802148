"""An independent implementation of careguard envelope v1, written from docs/FORMAT.md only.

It uses Python `cryptography` (AES-256-GCM, HKDF-SHA256, HMAC-SHA256) and checks that
every vector in core/tests/vectors/envelope-v1.json behaves as its `expect` says:
valid envelopes decrypt to their payload, every invalid one fails with the named error.
It also seals envelopes that the `careguard` CLI must open, and opens the CLI's.
"""

import hmac as std_hmac
import json
import os
import struct
import subprocess
import time
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from test_rng import TestRng

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "envelope-v1.json"

MAGIC = b"CGEV"
MAX_CONTENT_TYPE = 128
MAX_STANZA_BODY = 1024
MAX_SENDER = 1024
MAX_PAYLOAD = 16 * 1024 * 1024
MAX_HEADER = 41 + MAX_CONTENT_TYPE + 1 + 255 * (4 + MAX_STANZA_BODY) + 2 + MAX_SENDER
MAX_ENVELOPE = MAX_HEADER + 32 + 16 + MAX_PAYLOAD + 1 + 16
ZERO_NONCE = bytes(12)
KEK_TYPE = 0x0001


class EnvelopeError(Exception):
    """Raised with the Rust variant name as `name`."""

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def hkdf(salt, ikm, info, length=32):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def hmac_sha256(key, data):
    mac = crypto_hmac.HMAC(key, hashes.SHA256())
    mac.update(data)
    return mac.finalize()


def bucket(n):
    size = 256
    while size < n:
        size *= 2
    return size


class Cursor:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        end = self.pos + n
        if end > len(self.data):
            raise EnvelopeError("Truncated")
        out = self.data[self.pos:end]
        self.pos = end
        return out

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return struct.unpack(">H", self.take(2))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]


def open_envelope(data, keks, conversation_id, sender_id, now):
    """Returns the payload or raises EnvelopeError(name). `keks` maps key id -> KEK."""
    if len(data) > MAX_ENVELOPE:
        raise EnvelopeError("TooLarge")
    c = Cursor(data)
    if c.take(4) != MAGIC:
        raise EnvelopeError("NotAnEnvelope")
    version = c.u8()
    if version != 1:
        raise EnvelopeError("UnsupportedVersion")
    if c.u8() != 1:
        raise EnvelopeError("UnsupportedSuite")
    flags = c.u16()
    if flags & ~0x0003:
        raise EnvelopeError("Malformed")
    message_id = c.take(16)
    created_at = c.u64()
    expires_at = c.u64()
    if expires_at != 0 and expires_at < created_at:
        raise EnvelopeError("Malformed")
    ct_len = c.u8()
    if ct_len > MAX_CONTENT_TYPE:
        raise EnvelopeError("Malformed")
    content_type = c.take(ct_len)
    if any(b < 0x20 or b > 0x7E for b in content_type):
        raise EnvelopeError("Malformed")
    prefix = data[: c.pos]
    count = c.u8()
    if count == 0:
        raise EnvelopeError("Malformed")
    stanzas = []
    for _ in range(count):
        kind = c.u16()
        body_len = c.u16()
        if body_len > MAX_STANZA_BODY or (kind == KEK_TYPE and body_len != 52):
            raise EnvelopeError("Malformed")
        stanzas.append((kind, c.take(body_len)))
    if flags & 0x0002:
        sender_len = c.u16()
        if sender_len > MAX_SENDER:
            raise EnvelopeError("Malformed")
        c.take(sender_len)
    header = data[: c.pos]
    commitment = c.take(32)
    binding_tag = c.take(16)
    sealed = data[c.pos:]
    padded = bool(flags & 0x0001)
    if len(sealed) < 16 + (1 if padded else 0):
        raise EnvelopeError("Truncated")
    if len(sealed) - 16 > MAX_PAYLOAD + 1:
        raise EnvelopeError("TooLarge")

    # Expiry before any key is used.
    if expires_at != 0 and now >= expires_at:
        raise EnvelopeError("Expired")

    dek = None
    attempted = False
    for kind, body in stanzas:
        if kind != KEK_TYPE:
            continue  # unknown (or not ours): skip
        key_id = struct.unpack(">I", body[:4])[0]
        if key_id not in keks:
            continue
        attempted = True
        wrap_key = hkdf(message_id, keks[key_id], b"careguard/v1/kek-wrap")
        aad = prefix + struct.pack(">HI", KEK_TYPE, key_id)
        try:
            dek = AESGCM(wrap_key).decrypt(ZERO_NONCE, body[4:], aad)
            break
        except InvalidTag:
            continue
    if dek is None:
        raise EnvelopeError("Tampered" if attempted else "WrongKey")

    payload_key = hkdf(message_id, dek, b"careguard/v1/payload")
    commit_key = hkdf(message_id, dek, b"careguard/v1/commit")
    binding_key = hkdf(message_id, dek, b"careguard/v1/binding")
    if not std_hmac.compare_digest(hmac_sha256(commit_key, header), commitment):
        raise EnvelopeError("Tampered")
    binding = (
        struct.pack(">H", len(conversation_id)) + conversation_id
        + struct.pack(">H", len(sender_id)) + sender_id
    )
    if not std_hmac.compare_digest(hmac_sha256(binding_key, binding)[:16], binding_tag):
        raise EnvelopeError("WrongBinding")
    aad = data[: len(header) + 48]
    try:
        plaintext = AESGCM(payload_key).decrypt(ZERO_NONCE, sealed, aad)
    except InvalidTag:
        raise EnvelopeError("Tampered") from None
    if padded:
        marker = len(plaintext.rstrip(b"\x00")) - 1
        if marker < 0 or plaintext[marker] != 0x80 or bucket(marker) + 1 != len(plaintext):
            raise EnvelopeError("Tampered")
        plaintext = plaintext[:marker]
    return plaintext


def load():
    return json.loads(VECTORS.read_text())["vectors"]


@pytest.mark.parametrize("vector", load(), ids=lambda v: v["name"])
def test_vector(vector):
    keks = {k["key_id"]: bytes.fromhex(k["kek"]) for k in vector["keys"]}
    args = (
        bytes.fromhex(vector["envelope"]),
        keks,
        bytes.fromhex(vector["binding"]["conversation_id"]),
        bytes.fromhex(vector["binding"]["sender_id"]),
        vector["now"],
    )
    if vector["expect"] == "ok":
        assert open_envelope(*args) == bytes.fromhex(vector["payload"])
    else:
        with pytest.raises(EnvelopeError) as error:
            open_envelope(*args)
        assert error.value.name == vector["expect"]


def test_every_rejection_class_is_covered():
    expects = {v["expect"] for v in load()}
    assert {
        "ok", "Truncated", "UnsupportedVersion", "UnsupportedSuite", "WrongKey",
        "Tampered", "WrongBinding", "Expired",
    } <= expects


def test_reader_is_not_vacuous():
    """Changing any one byte of a valid vector makes this reader reject it."""
    vector = next(v for v in load() if v["name"] == "text_unpadded")
    data = bytearray.fromhex(vector["envelope"])
    keks = {k["key_id"]: bytes.fromhex(k["kek"]) for k in vector["keys"]}
    conv = bytes.fromhex(vector["binding"]["conversation_id"])
    sender = bytes.fromhex(vector["binding"]["sender_id"])
    assert open_envelope(bytes(data), keks, conv, sender, vector["now"])
    for i in range(len(data)):
        data[i] ^= 0x40
        with pytest.raises(EnvelopeError):
            open_envelope(bytes(data), keks, conv, sender, vector["now"])
        data[i] ^= 0x40


# The other direction: envelopes written by this implementation, opened by the
# careguard CLI (so the Rust reader is checked against FORMAT.md's writer rules too).

ROOT = Path(__file__).resolve().parents[3]


def derive_key_id(kek):
    return struct.unpack(">I", hkdf(None, kek, b"careguard/v1/key-id")[:4])[0]


def seal_envelope(payload, kek, key_id, conversation_id, sender_id, now,
                  expires_at=0, content_type=b"", pad=True, rng=None):
    """`rng` (a TestRng) replaces the OS RNG: the message id, then the data key."""
    if rng is None:
        message_id, dek = os.urandom(16), os.urandom(32)
    else:
        message_id, dek = rng.bytes(16), rng.bytes(32)
    flags = 0x0001 if pad else 0
    prefix = (MAGIC + bytes([1, 1]) + struct.pack(">H", flags) + message_id
              + struct.pack(">QQ", now, expires_at) + bytes([len(content_type)]) + content_type)
    wrap_key = hkdf(message_id, kek, b"careguard/v1/kek-wrap")
    wrapped = AESGCM(wrap_key).encrypt(ZERO_NONCE, dek, prefix + struct.pack(">HI", KEK_TYPE, key_id))
    body = struct.pack(">I", key_id) + wrapped
    header = prefix + bytes([1]) + struct.pack(">HH", KEK_TYPE, len(body)) + body
    commitment = hmac_sha256(hkdf(message_id, dek, b"careguard/v1/commit"), header)
    binding = (struct.pack(">H", len(conversation_id)) + conversation_id
               + struct.pack(">H", len(sender_id)) + sender_id)
    binding_tag = hmac_sha256(hkdf(message_id, dek, b"careguard/v1/binding"), binding)[:16]
    plaintext = payload
    if pad:
        plaintext = payload + b"\x80" + bytes(bucket(len(payload)) - len(payload))
    aad = header + commitment + binding_tag
    return aad + AESGCM(hkdf(message_id, dek, b"careguard/v1/payload")).encrypt(ZERO_NONCE, plaintext, aad)


def test_generated_vectors_are_rebuilt_from_the_specified_rng():
    """Every valid one-key, one-stanza vector, sealed again here with the test RNG's
    stream for its name (docs/FORMAT.md, "The test RNG"), is the committed envelope
    byte for byte: the generator's random bytes are the specified stream."""
    rebuilt = 0
    for v in load():
        data = bytes.fromhex(v["envelope"])
        if v["expect"] != "ok" or len(v["keys"]) != 1 or not data.startswith(MAGIC):
            continue
        flags, = struct.unpack(">H", data[6:8])
        created_at, expires_at = struct.unpack(">QQ", data[24:40])
        content_type = data[41:41 + data[40]]
        stanzas_at = 41 + data[40]
        if data[stanzas_at] != 1 or flags & ~0x0001:
            continue
        key = v["keys"][0]
        sealed = seal_envelope(
            bytes.fromhex(v["payload"]), bytes.fromhex(key["kek"]), key["key_id"],
            bytes.fromhex(v["binding"]["conversation_id"]), bytes.fromhex(v["binding"]["sender_id"]),
            created_at, expires_at=expires_at, content_type=content_type, pad=bool(flags & 1),
            rng=TestRng(v["name"]))
        assert sealed.hex() == v["envelope"], v["name"]
        rebuilt += 1
    assert rebuilt >= 2


@pytest.fixture(scope="module")
def careguard_cli():
    subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "careguard-cli"],
                   cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "release" / "careguard"


@pytest.mark.parametrize("pad", [True, False])
@pytest.mark.parametrize("payload", [b"", b"Bed 4: obs stable", bytes(range(256)) * 5])
def test_cli_opens_what_this_implementation_seals(careguard_cli, tmp_path, payload, pad):
    kek = os.urandom(32)
    key_file = tmp_path / "k"
    key_file.write_bytes(kek)
    now = int(time.time())
    sealed = seal_envelope(payload, kek, derive_key_id(kek), b"ward-7", b"staff-1", now,
                           expires_at=now + 600, content_type=b"text/plain", pad=pad)
    assert open_envelope(sealed, {derive_key_id(kek): kek}, b"ward-7", b"staff-1", now) == payload
    opened = subprocess.run(
        [careguard_cli, "open", "--key-file", key_file, "--conversation", "ward-7", "--sender", "staff-1"],
        input=sealed, capture_output=True, check=False)
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout == payload
    wrong = subprocess.run(
        [careguard_cli, "open", "--key-file", key_file, "--conversation", "ward-8", "--sender", "staff-1"],
        input=sealed, capture_output=True, check=False)
    assert wrong.returncode == 1 and wrong.stdout == b""
    assert b"careguard: error: envelope is bound to a different conversation" in wrong.stderr


def test_this_implementation_opens_what_the_cli_seals(careguard_cli, tmp_path):
    kek = os.urandom(32)
    key_file = tmp_path / "k"
    key_file.write_bytes(kek)
    sealed = subprocess.run([careguard_cli, "seal", "--key-file", key_file, "--sender", "s"],
                            input=b"round trip", capture_output=True, check=True).stdout
    now = int(time.time())
    assert open_envelope(sealed, {derive_key_id(kek): kek}, b"", b"s", now) == b"round trip"
