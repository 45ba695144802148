"""An independent reader of careguard device cards, revocation lists and safety numbers,
written from docs/FORMAT.md with Python `cryptography` (Ed25519) and hashlib (SHA-512).

Every vector in core/tests/vectors/device-card-v1.json must end as its `expect` says, and
every safety number in safety-number-v1.json must be reproduced digit for digit.
"""

import hashlib
import json
import pathlib
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"
CARD_LABEL = b"careguard/v1/identity/card\0"
ROTATION_LABEL = b"careguard/v1/identity/card-rotation\0"
ATTESTATION_LABEL = b"careguard/v1/identity/card-attestation\0"
REVOCATION_LABEL = b"careguard/v1/identity/revocation\0"
SAFETY_LABEL = b"careguard/v1/identity/safety-number\0"
MAX_SKEW = 600


class Refused(Exception):
    def __init__(self, name):
        super().__init__(name)
        self.name = name


class Cursor:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise Refused("Truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self):
        return self.take(1)[0]


def verifies(pk, label, msg, sig):
    try:
        Ed25519PublicKey.from_public_bytes(pk).verify(sig, label + msg)
        return True
    except InvalidSignature:
        return False


def revoked_ids(blob, org_keys):
    c = Cursor(blob)
    assert c.take(4) == b"CGRL" and c.u8() == 1
    issued_at, count = struct.unpack(">QI", c.take(12))
    ids = [c.take(16) for _ in range(count)]
    body = blob[:c.pos]
    sig = c.take(64)
    assert c.pos == len(blob)
    assert any(verifies(k, REVOCATION_LABEL, body, sig) for k in org_keys)
    assert ids == sorted(set(ids))
    return set(ids)


def verify_card(card, policy, now):
    c = Cursor(card)
    if c.take(4) != b"CGDC":
        raise Refused("BadMagic")
    if c.u8() != 1:
        raise Refused("UnsupportedVersion")
    device_id = c.take(16)
    staff_id = c.take(c.u8()).decode()
    c.take(c.u8())  # display name
    c.take(32)  # x25519
    ed25519 = c.take(32)
    created_at, expires_at = struct.unpack(">QQ", c.take(16))
    previous = c.take(32) if c.u8() == 1 else None
    body = card[:c.pos]
    device_sig = c.take(64)
    rotation_sig = c.take(64) if previous else None
    attestation = c.take(64) if c.u8() == 1 else None
    if c.pos != len(card):
        raise Refused("TrailingBytes")
    assert staff_id and expires_at > created_at
    if not verifies(ed25519, CARD_LABEL, body, device_sig):
        raise Refused("BadDeviceSignature")
    if previous and not verifies(previous, ROTATION_LABEL, body, rotation_sig):
        raise Refused("BadRotationSignature")
    orgs = [bytes.fromhex(k) for k in policy.get("organisations", [])]
    attested = False
    if attestation and orgs:
        if not any(verifies(k, ATTESTATION_LABEL, body, attestation) for k in orgs):
            raise Refused("BadAttestation")
        attested = True
    if policy.get("require_attestation") and not attested:
        raise Refused("NotAttested")
    if "revocation_list" in policy:
        if device_id in revoked_ids(bytes.fromhex(policy["revocation_list"]), orgs):
            raise Refused("Revoked")
    if now + MAX_SKEW < created_at:
        raise Refused("NotYetValid")
    if now >= expires_at:
        raise Refused("Expired")
    return attested


def test_independent_card_reader_matches_every_vector():
    v = json.loads((VECTORS / "device-card-v1.json").read_text())
    outcomes = []
    for case in v["vectors"]:
        try:
            verify_card(bytes.fromhex(case["card"]), case["policy"], case["now"])
            outcome = "ok"
        except Refused as r:
            outcome = r.name
        assert outcome == case["expect"], case["name"]
        outcomes.append(outcome)
    assert len(set(outcomes)) == 12


def fingerprint(staff_id, devices, iterations):
    keys = b"".join(
        bytes.fromhex(d["ed25519"]) + bytes.fromhex(d["x25519"])
        for d in sorted(devices, key=lambda d: (d["ed25519"], d["x25519"]))
    )
    sid = staff_id.encode()
    h = hashlib.sha512(
        SAFETY_LABEL + struct.pack(">H", 1) + bytes([len(sid)]) + sid
        + struct.pack(">H", len(devices)) + keys
    ).digest()
    for _ in range(iterations):
        h = hashlib.sha512(h + keys).digest()
    return h


def digits(fp):
    return "".join(f"{int.from_bytes(fp[i:i + 5], 'big') % 100000:05d}" for i in range(0, 30, 5))


def test_independent_safety_numbers_match_every_vector():
    v = json.loads((VECTORS / "safety-number-v1.json").read_text())
    for case in v["vectors"]:
        lf = fingerprint(case["local"]["staff_id"], case["local"]["devices"], v["iterations"])
        rf = fingerprint(case["remote"]["staff_id"], case["remote"]["devices"], v["iterations"])
        number = "".join(sorted([digits(lf), digits(rf)]))
        assert number == case["digits"]
        assert case["display"] == " ".join(number[i:i + 5] for i in range(0, 60, 5))
        assert bytes.fromhex(case["qr_payload_local"]) == b"CGSN\x01" + lf[:32] + rf[:32]
