"""An independent reader of careguard audit logs, written from docs/FORMAT.md ("Audit log")
with Python `cryptography` (Ed25519) and hashlib (SHA-256).

core/tests/vectors/audit-log-v1.json: `log` must verify, end at `head` and give `records`;
every log in `bad` must be refused.
"""

import hashlib
import json
import pathlib
import struct

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"
SEGMENT_LABEL = b"careguard/v1/audit-segment"
CHAIN_LABEL = b"careguard/v1/audit-chain"
KINDS = ["nhs_number", "chi_number", "hc_number", "date_of_birth", "date", "person_name",
         "postcode", "phone_number", "email", "ni_number", "hospital_number"]
VERDICTS = ["allow", "warn", "block"]
ACTIONS = ["sent", "sent_minimised", "cancelled", "overridden"]


class Refused(Exception):
    pass


def parse_record(b):
    time, conversation, verdict, action, flags, k = struct.unpack(">QBBBBB", b[:13])
    if conversation > 2 or verdict > 2 or action > 3 or flags > 1:
        raise Refused("field")
    kinds, last = [], -1
    for i in range(k):
        code, n = b[13 + 2 * i], b[14 + 2 * i]
        if code >= len(KINDS) or n == 0 or code <= last:
            raise Refused("kinds")
        last = code
        kinds.append([KINDS[code], n])
    at = 13 + 2 * k
    rlen = b[at]
    if rlen > 80 or (rlen and action != 3) or len(b) != at + 1 + rlen:
        raise Refused("reason")
    return {"time": time, "conversation": conversation, "verdict": VERDICTS[verdict],
            "action": ACTIONS[action], "emergency": flags == 1, "kinds": kinds,
            "reason": b[at + 1:].decode("utf-8")}


def verify_log(log, device_key, head):
    key = Ed25519PublicKey.from_public_bytes(device_key)
    pos, index, seq, chain, device, records = 0, 0, 0, bytes(32), None, []
    if not log:
        raise Refused("empty")
    while pos < len(log):
        seg = log[pos:]
        if len(seg) < 71 or seg[:4] != b"CGAL" or seg[4] != 1:
            raise Refused("header")
        dev = seg[5:21]
        seg_index, first_seq = struct.unpack(">QQ", seg[21:37])
        prev = seg[37:69]
        (count,) = struct.unpack(">H", seg[69:71])
        if not 1 <= count <= 4096:
            raise Refused("count")
        at, bodies = 71, []
        for _ in range(count):
            if len(seg) < at + 2:
                raise Refused("truncated")
            (n,) = struct.unpack(">H", seg[at:at + 2])
            if len(seg) < at + 2 + n:
                raise Refused("truncated")
            bodies.append(seg[at + 2:at + 2 + n])
            at += 2 + n
        if len(seg) < at + 64:
            raise Refused("truncated")
        try:
            key.verify(seg[at:at + 64], SEGMENT_LABEL + seg[:at])
        except InvalidSignature:
            raise Refused("signature")
        if device not in (None, dev) or seg_index != index or first_seq != seq or prev != chain:
            raise Refused("chain")
        device = dev
        for body in bodies:
            records.append(parse_record(body))
            chain = hashlib.sha256(CHAIN_LABEL + chain + body).digest()
            seq += 1
        pos += at + 64
        index += 1
    if struct.pack(">Q", seq) + chain != head:
        raise Refused("head")
    return records


V = json.loads((VECTORS / "audit-log-v1.json").read_text())


def test_the_log_verifies_and_reads_back():
    records = verify_log(bytes.fromhex(V["log"]), bytes.fromhex(V["device_ed25519"]),
                         bytes.fromhex(V["head"]))
    assert records == V["records"]


@pytest.mark.parametrize("bad", V["bad"], ids=lambda b: b["why"])
def test_tampered_logs_are_refused(bad):
    with pytest.raises(Refused):
        verify_log(bytes.fromhex(bad["log"]), bytes.fromhex(V["device_ed25519"]),
                   bytes.fromhex(V["head"]))
