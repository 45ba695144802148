"""Device keys, cards, revocation, safety numbers and signed end-to-end envelopes via ctypes."""

import ctypes

import careguard_ctypes as cg
import pytest

NOW = 1_780_000_000
DAY = 86_400
ORG_SEED = bytes([3]) * 32


def new_keys():
    k = ctypes.c_void_p()
    cg.check(cg.lib.cg_device_keys_generate(ctypes.byref(k)), "generate")
    return k


def issue(keys, staff, name, org_seed=ORG_SEED, created=NOW, expires=NOW + 365 * DAY, previous=None):
    seed, seed_len = (org_seed, 32) if org_seed else (None, 0)
    return cg.out_bytes(cg.lib.cg_device_keys_issue_card, keys, previous, staff, len(staff), name, len(name), created,
                        expires, seed, seed_len)


def verify(card, orgs=b"", require=True, revocations=None, now=NOW):
    out = ctypes.c_void_p()
    rl, rl_len = (revocations, len(revocations)) if revocations else (None, 0)
    status = cg.lib.cg_card_verify(card, len(card), orgs or None, len(orgs), require, rl, rl_len, now,
                                   ctypes.byref(out))
    return status, out


@pytest.fixture(scope="module")
def org_pk():
    return cg.out_bytes(cg.lib.cg_wipe_org_public_key, ORG_SEED, 32)


@pytest.fixture(scope="module")
def people(org_pk):
    alice, bob = new_keys(), new_keys()
    cards = {}
    for name, keys in (("alice", alice), ("bob", bob)):
        status, vc = verify(issue(keys, f"{name}@nhs.net".encode(), name.title().encode()), org_pk)
        assert status == cg.OK
        cards[name] = vc
    yield alice, bob, cards
    for vc in cards.values():
        cg.lib.cg_verified_card_free(vc)
    cg.lib.cg_device_keys_free(alice)
    cg.lib.cg_device_keys_free(bob)


def test_card_info(people):
    _, _, cards = people
    info = cg.CgCardInfo()
    cg.check(cg.lib.cg_verified_card_info(cards["alice"], ctypes.byref(info)), "info")
    assert info.staff_id == b"alice@nhs.net" and info.display_name == b"Alice" and info.attested
    assert (info.created_at, info.expires_at) == (NOW, NOW + 365 * DAY)


def test_card_verification_failures(org_pk):
    keys = new_keys()
    try:
        attested = issue(keys, b"c@nhs.net", b"C")
        plain = issue(keys, b"c@nhs.net", b"C", org_seed=None)
        other_pk = cg.out_bytes(cg.lib.cg_wipe_org_public_key, bytes([4]) * 32, 32)
        assert verify(plain, org_pk)[0] == cg.NOT_ATTESTED
        assert verify(attested, other_pk)[0] == cg.BAD_ATTESTATION
        assert verify(attested, org_pk, now=NOW + 400 * DAY)[0] == cg.EXPIRED
        assert verify(attested, org_pk, now=NOW - DAY)[0] == cg.NOT_YET_VALID
        assert verify(attested[:20], org_pk)[0] == cg.TRUNCATED
        assert verify(b"XXXX" + attested[4:], org_pk)[0] == cg.MALFORMED
        assert verify(attested, org_pk[:31])[0] == cg.INVALID_LENGTH
        status, vc = verify(plain, require=False)
        assert status == cg.OK
        info = cg.CgCardInfo()
        cg.check(cg.lib.cg_verified_card_info(vc, ctypes.byref(info)), "info")
        cg.lib.cg_verified_card_free(vc)
        revoked = cg.out_bytes(cg.lib.cg_revocation_list_sign, ORG_SEED, 32, bytes(info.device_id), 16, NOW)
        assert verify(plain, org_pk, require=False, revocations=revoked)[0] == cg.REVOKED
        assert verify(plain, other_pk, require=False, revocations=revoked)[0] == cg.BAD_REVOCATION_SIGNATURE
    finally:
        cg.lib.cg_device_keys_free(keys)


def test_safety_numbers_agree(people):
    _, _, cards = people

    def number(local, remote):
        digits, qr = ctypes.c_void_p(), cg.CgBytes()
        cg.check(cg.lib.cg_safety_number(local, remote, ctypes.byref(digits), ctypes.byref(qr)), "safety")
        return cg.take_string(digits), qr.take()

    a_digits, a_qr = number(cards["alice"], cards["bob"])
    b_digits, b_qr = number(cards["bob"], cards["alice"])
    assert a_digits == b_digits and len(a_digits) == 60 and a_digits.isdigit()
    match = ctypes.c_bool()
    cg.check(cg.lib.cg_safety_number_matches_scanned(cards["alice"], cards["bob"], b_qr, len(b_qr),
                                                     ctypes.byref(match)), "match")
    assert match.value
    cg.check(cg.lib.cg_safety_number_matches_scanned(cards["alice"], cards["bob"], a_qr, len(a_qr),
                                                     ctypes.byref(match)), "match")
    assert not match.value
    assert cg.lib.cg_safety_number_matches_scanned(cards["alice"], cards["bob"], b"junk", 4,
                                                   ctypes.byref(match)) == cg.MALFORMED


def test_end_to_end(people):
    alice, bob, cards = people
    to = (ctypes.c_void_p * 1)(cards["bob"])
    senders = (ctypes.c_void_p * 2)(cards["bob"], cards["alice"])
    text = "Mrs Ünal bed 4 obs stable".encode()
    sealed = cg.out_bytes(cg.lib.cg_identity_seal, alice, to, 1, None, text, len(text), b"ward", 4, b"alice", 5,
                          None, NOW)

    def open_as(me, now=NOW + 1, conv=b"ward", n_senders=2):
        out, info, index = cg.CgBytes(), cg.CgEnvelopeInfo(), ctypes.c_size_t(99)
        status = cg.lib.cg_identity_open(me, None, sealed, len(sealed), conv, len(conv), b"alice", 5, now, senders,
                                         n_senders, ctypes.byref(out), ctypes.byref(info), ctypes.byref(index))
        return status, out.take(), index.value

    status, payload, index = open_as(bob)
    assert status == cg.OK and payload == text and index == 1
    assert open_as(alice)[0] == cg.NOT_A_RECIPIENT
    assert open_as(bob, n_senders=1)[0] == cg.UNKNOWN_SENDER
    assert open_as(bob, conv=b"other")[0] == cg.WRONG_BINDING
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    sealed = bytes(tampered)
    assert open_as(bob)[0] == cg.TAMPERED


def test_device_keys_in_vault(people):
    _, bob, _ = people
    vault, blob = ctypes.c_void_p(), cg.CgBytes()
    params = cg.CgKdfParams(19456, 2, 1)
    cg.check(cg.lib.cg_vault_create(b"730419", 6, None, 0, ctypes.byref(params), 300, NOW, ctypes.byref(vault),
                                    ctypes.byref(blob)), "create")
    blob.take()
    wrapped = cg.out_bytes(cg.lib.cg_device_keys_wrap_in_vault, bob, vault, NOW + 1)
    again = ctypes.c_void_p()
    cg.check(cg.lib.cg_device_keys_unwrap_from_vault(vault, wrapped, len(wrapped), NOW + 2, ctypes.byref(again)), "u")
    cg.lib.cg_device_keys_free(again)
    cg.check(cg.lib.cg_vault_lock(vault), "lock")
    assert cg.lib.cg_device_keys_unwrap_from_vault(vault, wrapped, len(wrapped), NOW + 3,
                                                   ctypes.byref(again)) == cg.VAULT_LOCKED
    cg.lib.cg_vault_free(vault)


def test_contacts_rotation_and_key_change(people, org_pk):
    _, bob, cards = people
    trust = cg.CgRecipientTrust()
    cg.check(cg.lib.cg_contact_trust(cards["bob"], False, False, ctypes.byref(trust)), "trust")
    assert trust.verification == cg.VERIFICATION_ATTESTED and not trust.key_changed

    def observe(new_card, in_person=True, changed=False):
        ip, kc, change = ctypes.c_bool(in_person), ctypes.c_bool(changed), ctypes.c_uint32()
        status = cg.lib.cg_contact_observe(cards["bob"], new_card, ctypes.byref(ip), ctypes.byref(kc),
                                           ctypes.byref(change))
        return status, change.value, ip.value, kc.value

    rotated_keys = ctypes.c_void_p()
    cg.check(cg.lib.cg_device_keys_rotate(bob, ctypes.byref(rotated_keys)), "rotate")
    impostor = new_keys()
    try:
        status, rotated = verify(issue(rotated_keys, b"bob@nhs.net", b"Bob", previous=bob), org_pk)
        assert status == cg.OK
        status, stranger = verify(issue(impostor, b"bob@nhs.net", b"Bob"), org_pk)
        assert status == cg.OK
        assert observe(cards["bob"]) == (cg.OK, cg.CARD_UNCHANGED, True, False)
        assert observe(rotated) == (cg.OK, cg.CARD_ROTATED, True, False)
        assert observe(stranger) == (cg.OK, cg.CARD_KEY_CHANGED, False, True)
        assert observe(cards["alice"])[0] == cg.INVALID_ARGUMENT
        cg.lib.cg_verified_card_free(rotated)
        cg.lib.cg_verified_card_free(stranger)
    finally:
        cg.lib.cg_device_keys_free(rotated_keys)
        cg.lib.cg_device_keys_free(impostor)
