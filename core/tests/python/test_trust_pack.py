"""An independent reader of careguard Trust policy packs and emergency orders, written from
docs/FORMAT.md ("Trust policy pack", "Emergency order") with Python `cryptography` (Ed25519).

core/tests/vectors/trust-pack-v1.json: `pack` must verify at `now` above `accepted_version`
and read as `expect`; each of `bad` must be refused for its `why`; the emergency order must
verify and read as `emergency_expect`.
"""

import json
import pathlib
import struct

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"
PACK_LABEL = b"careguard/v1/trust-policy\0"
EMERGENCY_LABEL = b"careguard/v1/emergency-order\0"
V = json.loads((VECTORS / "trust-pack-v1.json").read_text())


class Refused(Exception):
    pass


class Cursor:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise Refused("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u(self, fmt):
        return struct.unpack(">" + fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self, n):
        if n == 0:
            raise Refused("malformed")
        return self.take(n).decode("utf-8")


def verify_pack(blob, org_key, now, accepted):
    c = Cursor(blob)
    if c.take(4) != b"CGTP" or c.u("B") != 1:
        raise Refused("magic")
    version, issued, expires = c.u("Q"), c.u("Q"), c.u("Q")
    out = {"version": version, "issued_at": issued, "expires_at": expires}
    out["approved_platforms"] = [c.string(c.u("B")) for _ in range(c.u("B"))]
    out["retention"] = [[c.u("B"), c.u("Q"), c.u("Q"), c.u("Q")] for _ in range(c.u("B"))]
    out["hospital_number_patterns"] = [c.string(c.u("H")) for _ in range(c.u("B"))]
    out["allow_list"] = [c.string(c.u("B")) for _ in range(c.u("H"))]
    out["emergency_allowed"] = {0: False, 1: True}[c.u("B")]
    out["emergency_max_secs"] = c.u("Q")
    out["group_review_interval"] = c.u("Q")
    out["group_max_members"] = c.u("I")
    out["notification_detail"] = c.u("B")
    body = blob[:c.pos]
    sig = c.take(64)
    if c.pos != len(blob):
        raise Refused("trailing")
    try:
        Ed25519PublicKey.from_public_bytes(org_key).verify(sig, PACK_LABEL + body)
    except InvalidSignature:
        raise Refused("signature")
    if issued > now + 600:
        raise Refused("not yet valid")
    if now >= expires:
        raise Refused("expired")
    if version < accepted:
        raise Refused("rollback")
    return out


def verify_emergency(blob, org_key, now):
    if len(blob) != 93 or blob[:4] != b"CGEM" or blob[4] != 1:
        raise Refused("layout")
    order_id, starts, ends = struct.unpack(">QQQ", blob[5:29])
    try:
        Ed25519PublicKey.from_public_bytes(org_key).verify(blob[29:], EMERGENCY_LABEL + blob[:29])
    except InvalidSignature:
        raise Refused("signature")
    if ends <= starts or now >= ends:
        raise Refused("expired")
    return {"id": order_id, "starts_at": starts, "ends_at": ends}


KEY = bytes.fromhex(V["organisation_ed25519"])


def test_the_pack_verifies_and_reads_as_expected():
    got = verify_pack(bytes.fromhex(V["pack"]), KEY, V["now"], V["accepted_version"])
    assert got == V["expect"]


@pytest.mark.parametrize("bad", V["bad"], ids=lambda b: b["why"])
def test_bad_packs_are_refused_for_their_reason(bad):
    with pytest.raises(Refused) as e:
        verify_pack(bytes.fromhex(bad["pack"]), KEY, V["now"], V["accepted_version"])
    assert str(e.value) == bad["why"]


def test_the_emergency_order_verifies():
    got = verify_emergency(bytes.fromhex(V["emergency_order"]), KEY, V["now"])
    assert got == V["emergency_expect"]
    with pytest.raises(Refused):
        verify_emergency(bytes.fromhex(V["emergency_order"]), KEY, V["emergency_expect"]["ends_at"])
