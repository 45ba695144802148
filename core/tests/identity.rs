//! Device cards, revocation, rotation, contacts, safety numbers and HPKE data-key wrapping,
//! through the public API only; plus the generators of the committed identity vectors.
// Helpers and generators outside `#[test]` functions unwrap too: a failure there is a test
// failure, which is what unwrapping reports.
#![allow(clippy::unwrap_used)]

mod support;

use careguard::envelope::{self, Binding, KeyRing, SealOptions};
use careguard::identity::{
    CardChange, Contact, DeviceCard, DeviceId, DeviceKeys, IdentityError, KeyContinuity,
    MAX_CARD_LEN, OrganisationKey, OrganisationPublicKey, RevocationList, SafetyNumber,
    SafetyParty, Sealer, TrustPolicy, Verification, VerifiedCard, open_signed, unwrap_dek,
    wrap_dek,
};
use careguard::{DecodeError, SealContext, SecretKey, UnixSeconds};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::TestRng;

const NOW: u64 = 1_780_000_000; // 2026-05-28
/// [`NOW`] where the API takes a time.
const AT: UnixSeconds = UnixSeconds(NOW);
const YEAR: u64 = 365 * 86_400;

fn hexs(b: &[u8]) -> String {
    hex::encode(b)
}

struct World {
    org: OrganisationKey,
    other_org: OrganisationKey,
    alice: DeviceKeys,
    bob: DeviceKeys,
    carol: DeviceKeys,
    eve: DeviceKeys,
}

fn world() -> &'static World {
    static WORLD: std::sync::OnceLock<World> = std::sync::OnceLock::new();
    WORLD.get_or_init(|| {
        let mut rng = TestRng::new("careguard identity vectors v1");
        World {
            org: OrganisationKey::generate(&mut rng),
            other_org: OrganisationKey::generate(&mut rng),
            alice: DeviceKeys::generate(&mut rng),
            bob: DeviceKeys::generate(&mut rng),
            carol: DeviceKeys::generate(&mut rng),
            eve: DeviceKeys::generate(&mut rng),
        }
    })
}

fn safety_alice_bob() -> &'static SafetyNumber {
    static N: std::sync::OnceLock<SafetyNumber> = std::sync::OnceLock::new();
    N.get_or_init(|| {
        let w = world();
        SafetyNumber::compute(&party(&w.alice, "a@nhs.net"), &party(&w.bob, "b@nhs.net"))
    })
}

fn trust(org: &OrganisationKey) -> TrustPolicy {
    TrustPolicy::new().with_organisation(org.public_key())
}

fn alice_card(w: &World) -> DeviceCard {
    w.alice
        .issue_card(
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW - 86_400,
            NOW + YEAR,
        )
        .unwrap()
}

// ---------------------------------------------------------------- device cards

#[test]
fn card_round_trips_and_verifies() {
    let w = world();
    let card = alice_card(w).attest(&w.org);
    let bytes = card.to_bytes();
    assert!(bytes.len() <= MAX_CARD_LEN);
    let parsed = DeviceCard::parse(&bytes).unwrap();
    assert_eq!(parsed, card);
    assert_eq!(parsed.to_bytes(), bytes);
    let v = parsed.verify(&trust(&w.org), NOW).unwrap();
    assert!(v.is_attested());
    assert_eq!(v.card().staff_id(), "alice.smith@nhs.net");
    assert_eq!(v.card().display_name(), "Dr Alice Smith");
    assert_eq!(v.card().device_id(), w.alice.device_id());
    assert_eq!(*v.card().public_keys(), w.alice.public_keys());
}

#[test]
fn unattested_card_verifies_unless_attestation_required() {
    let w = world();
    let card = alice_card(w);
    let v = card.verify(&trust(&w.org), NOW).unwrap();
    assert!(!v.is_attested());
    assert_eq!(
        card.verify(&trust(&w.org).require_attestation(true), NOW),
        Err(IdentityError::NotAttested)
    );
}

#[test]
fn any_altered_body_byte_breaks_the_device_signature() {
    let w = world();
    let bytes = alice_card(w).to_bytes();
    // Display name bytes start after magic, version, id, staff id: alter each body byte
    // that does not make the layout itself invalid, and require a typed error every time.
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01;
        let result = DeviceCard::parse(&b).and_then(|c| c.verify(&TrustPolicy::new(), NOW));
        assert!(result.is_err(), "flipping byte {i} still verified");
    }
    let mut b = bytes.clone();
    let name_at = 4 + 1 + 16 + 1 + "alice.smith@nhs.net".len() + 1;
    b[name_at] = b'X';
    let card = DeviceCard::parse(&b).unwrap();
    assert_eq!(
        card.verify(&TrustPolicy::new(), NOW),
        Err(IdentityError::BadDeviceSignature)
    );
}

#[test]
fn attestation_by_an_untrusted_organisation_is_refused() {
    let w = world();
    let card = alice_card(w).attest(&w.other_org);
    assert_eq!(
        card.verify(&trust(&w.org), NOW),
        Err(IdentityError::BadAttestation)
    );
    // Trusting both organisations, it verifies.
    let both = trust(&w.org).with_organisation(w.other_org.public_key());
    assert!(card.verify(&both, NOW).unwrap().is_attested());
}

#[test]
fn validity_period_is_enforced_with_bounded_skew() {
    let w = world();
    let card = w
        .alice
        .issue_card("alice.smith@nhs.net", "", NOW, NOW + 100)
        .unwrap();
    let p = TrustPolicy::new();
    assert!(card.verify(&p, NOW).is_ok());
    assert!(card.verify(&p, NOW - 600).is_ok());
    assert_eq!(
        card.verify(&p, NOW - 601),
        Err(IdentityError::NotYetValid {
            created_at: NOW,
            now: NOW - 601
        })
    );
    assert!(card.verify(&p, NOW + 99).is_ok());
    assert_eq!(
        card.verify(&p, NOW + 100),
        Err(IdentityError::Expired {
            expires_at: NOW + 100,
            now: NOW + 100
        })
    );
}

#[test]
fn revoked_devices_are_refused_and_lists_are_checked() {
    let w = world();
    let card = alice_card(w).attest(&w.org);
    let list =
        RevocationList::sign(&w.org, NOW, &[w.bob.device_id(), w.alice.device_id()]).unwrap();
    let parsed = RevocationList::verify(list.to_bytes(), &[w.org.public_key()]).unwrap();
    assert_eq!(parsed, list);
    assert_eq!(parsed.issued_at(), NOW);
    assert!(parsed.is_revoked(w.alice.device_id()));
    let policy = trust(&w.org).with_revocations(parsed);
    assert_eq!(
        card.verify(&policy, NOW),
        Err(IdentityError::Revoked {
            device_id: w.alice.device_id()
        })
    );
    // A list signed by another organisation is refused.
    assert_eq!(
        RevocationList::verify(list.to_bytes(), &[w.other_org.public_key()]),
        Err(IdentityError::BadRevocationSignature)
    );
    // An altered list is refused.
    let mut b = list.to_bytes().to_vec();
    b[20] ^= 1;
    assert!(RevocationList::verify(&b, &[w.org.public_key()]).is_err());
    // A list that does not name the device leaves it valid.
    let other = RevocationList::sign(&w.org, NOW, &[w.bob.device_id()]).unwrap();
    assert!(
        card.verify(&trust(&w.org).with_revocations(other), NOW)
            .is_ok()
    );
}

#[test]
fn rotation_keeps_continuity_and_unsigned_change_does_not() {
    let mut rng = TestRng::new("rotation");
    let w = world();
    let old = alice_card(w).verify(&TrustPolicy::new(), NOW).unwrap();
    let new_keys = w.alice.rotate(&mut rng);
    assert_eq!(new_keys.device_id(), w.alice.device_id());
    let rotated = new_keys
        .issue_rotated_card(
            &w.alice,
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW,
            NOW + YEAR,
        )
        .unwrap();
    let rotated = DeviceCard::parse(&rotated.to_bytes())
        .unwrap()
        .verify(&TrustPolicy::new(), NOW)
        .unwrap();
    assert_eq!(rotated.continuity_from(&old), KeyContinuity::Rotated);
    assert_eq!(old.continuity_from(&old), KeyContinuity::Same);

    let replaced = new_keys
        .issue_card("alice.smith@nhs.net", "Dr Alice Smith", NOW, NOW + YEAR)
        .unwrap()
        .verify(&TrustPolicy::new(), NOW)
        .unwrap();
    assert_eq!(replaced.continuity_from(&old), KeyContinuity::KeyChanged);

    // Rotation signature altered: refused.
    let mut b = new_keys
        .issue_rotated_card(&w.alice, "alice.smith@nhs.net", "", NOW, NOW + YEAR)
        .unwrap()
        .to_bytes();
    let at = b.len() - 2;
    b[at] ^= 0x01;
    assert_eq!(
        DeviceCard::parse(&b)
            .unwrap()
            .verify(&TrustPolicy::new(), NOW),
        Err(IdentityError::BadRotationSignature)
    );
    // Rotating from another device's keys is misuse.
    assert!(matches!(
        new_keys.issue_rotated_card(&w.bob, "alice.smith@nhs.net", "", NOW, NOW + 1),
        Err(IdentityError::InvalidArgument { .. })
    ));
}

#[test]
fn issuing_refuses_bad_arguments() {
    let w = world();
    for (id, name, from, to) in [
        ("", "x", NOW, NOW + 1),
        (&*"a".repeat(129), "x", NOW, NOW + 1),
        ("a@nhs.net", &*"n".repeat(129), NOW, NOW + 1),
        ("a@nhs.net", "x", NOW, NOW),
    ] {
        assert!(matches!(
            w.alice.issue_card(id, name, from, to),
            Err(IdentityError::InvalidArgument { .. })
        ));
    }
}

#[test]
fn device_keys_survive_secret_bytes_round_trip() {
    let w = world();
    let secret = w.alice.to_secret_bytes();
    let back = DeviceKeys::from_secret_bytes(&secret[..]).unwrap();
    assert_eq!(back.device_id(), w.alice.device_id());
    assert_eq!(back.public_keys(), w.alice.public_keys());
    assert!(DeviceKeys::from_secret_bytes(&secret[..80]).is_err());
    let shown = format!("{:?} {:?}", w.alice, w.org);
    assert!(!shown.contains(&hexs(&secret[17..49])));
    assert!(!shown.contains(&hexs(&w.org.to_secret_bytes()[..])));
}

// ---------------------------------------------------------------- contacts

#[test]
fn key_change_drops_in_person_verification_and_is_reported() {
    let mut rng = TestRng::new("contacts");
    let w = world();
    let policy = trust(&w.org);
    let first = alice_card(w).attest(&w.org).verify(&policy, NOW).unwrap();
    let mut contact = Contact::new(first);
    assert_eq!(contact.verification(), Verification::AttestedByOrganisation);
    contact.mark_verified_in_person();
    assert_eq!(contact.verification(), Verification::VerifiedInPerson);

    // A signed rotation keeps "verified in person".
    let k2 = w.alice.rotate(&mut rng);
    let rotated = k2
        .issue_rotated_card(
            &w.alice,
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW,
            NOW + YEAR,
        )
        .unwrap()
        .verify(&policy, NOW)
        .unwrap();
    assert_eq!(contact.observe(rotated).unwrap(), CardChange::Rotated);
    assert_eq!(contact.verification(), Verification::VerifiedInPerson);
    assert!(!contact.key_changed());

    // An unsigned key change drops it to what the organisation vouches for.
    let k3 = k2.rotate(&mut rng);
    let changed = k3
        .issue_card("alice.smith@nhs.net", "Dr Alice Smith", NOW, NOW + YEAR)
        .unwrap()
        .verify(&policy, NOW)
        .unwrap();
    assert_eq!(
        contact.observe(changed).unwrap(),
        CardChange::KeyChanged {
            previous: Verification::VerifiedInPerson
        }
    );
    assert_eq!(contact.verification(), Verification::Unverified);
    assert!(contact.key_changed());
    contact.mark_verified_in_person();
    assert!(!contact.key_changed());

    // Another person's card is refused.
    let bob = w
        .bob
        .issue_card("bob@nhs.net", "Bob", NOW, NOW + YEAR)
        .unwrap()
        .verify(&policy, NOW)
        .unwrap();
    assert!(contact.observe(bob).is_err());
    assert_eq!(
        Verification::VerifiedInPerson.as_str(),
        "verified_in_person"
    );
}

#[test]
fn superseded_cards_cannot_roll_a_contact_back() {
    let mut rng = TestRng::new("rollback");
    let w = world();
    let policy = trust(&w.org);
    let first = alice_card(w).verify(&policy, NOW).unwrap();
    let mut contact = Contact::new(first.clone());
    contact.mark_verified_in_person();
    let k2 = w.alice.rotate(&mut rng);
    let rotated = k2
        .issue_rotated_card(
            &w.alice,
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW,
            NOW + YEAR,
        )
        .unwrap()
        .verify(&policy, NOW)
        .unwrap();
    assert_eq!(
        contact.observe(rotated.clone()).unwrap(),
        CardChange::Rotated
    );
    let superseded = IdentityError::SupersededCard {
        device_id: w.alice.device_id(),
    };

    // Replaying the card from before the rotation: older, and its key was retired.
    assert_eq!(contact.observe(first).unwrap_err(), superseded);
    // Whoever kept the retired key re-issues a card with it, dated later: still refused.
    let reissued = w
        .alice
        .issue_card(
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW + 60,
            NOW + YEAR,
        )
        .unwrap()
        .verify(&policy, NOW + 60)
        .unwrap();
    assert_eq!(contact.observe(reissued).unwrap_err(), superseded);
    // A card for the same device dated before the current one, with any key.
    let older = k2
        .rotate(&mut rng)
        .issue_card(
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW - 60,
            NOW + YEAR,
        )
        .unwrap()
        .verify(&policy, NOW)
        .unwrap();
    assert_eq!(contact.observe(older).unwrap_err(), superseded);
    // Nothing changed: still the rotated card, still verified in person.
    assert_eq!(contact.card(), &rotated);
    assert_eq!(contact.verification(), Verification::VerifiedInPerson);
    assert!(!contact.key_changed());
    // A renewal of the current keys (newer) is still taken.
    let renewed = k2
        .issue_rotated_card(
            &w.alice,
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW + 120,
            NOW + 2 * YEAR,
        )
        .unwrap()
        .verify(&policy, NOW + 120)
        .unwrap();
    assert_eq!(contact.observe(renewed).unwrap(), CardChange::Unchanged);
}

// ---------------------------------------------------------------- safety numbers

fn party(keys: &DeviceKeys, id: &str) -> SafetyParty {
    SafetyParty::new(id, &[keys.public_keys()]).unwrap()
}

#[test]
fn safety_numbers_agree_on_both_sides_and_change_with_keys() {
    let mut rng = TestRng::new("safety");
    let w = world();
    let a = party(&w.alice, "alice.smith@nhs.net");
    let b = party(&w.bob, "GMC 7654321");
    let ab = SafetyNumber::compute(&a, &b);
    let ba = SafetyNumber::compute(&b, &a);
    assert_eq!(ab.digits(), ba.digits());
    assert_eq!(ab.digits().len(), 60);
    assert!(ab.digits().bytes().all(|c| c.is_ascii_digit()));
    assert_eq!(ab.display_groups().split(' ').count(), 12);
    assert!(ab.matches_scanned(&ba.qr_payload()).unwrap());
    assert!(ba.matches_scanned(&ab.qr_payload()).unwrap());
    // A scan of one's own code does not match.
    assert!(!ab.matches_scanned(&ab.qr_payload()).unwrap());

    let other = DeviceKeys::generate(&mut rng);
    let changed = SafetyNumber::compute(&a, &party(&other, "GMC 7654321"));
    assert_ne!(changed.digits(), ab.digits());
    assert!(!ab.matches_scanned(&changed.qr_payload()).unwrap());
    let renamed = SafetyNumber::compute(&a, &party(&w.bob, "GMC 7654322"));
    assert_ne!(renamed.digits(), ab.digits());

    assert_eq!(
        ab.matches_scanned(b"nope"),
        Err(IdentityError::BadQrPayload)
    );
    // Device order does not matter.
    let two = SafetyParty::new("x@nhs.net", &[w.alice.public_keys(), w.bob.public_keys()]);
    let owt = SafetyParty::new("x@nhs.net", &[w.bob.public_keys(), w.alice.public_keys()]);
    assert_eq!(
        SafetyNumber::compute(&a, &two.unwrap()),
        SafetyNumber::compute(&a, &owt.unwrap())
    );
}

// ---------------------------------------------------------------- hpke

#[test]
fn hpke_wraps_to_the_recipient_only() {
    let mut rng = TestRng::new("hpke");
    let w = world();
    let dek = SecretKey::generate(&mut rng);
    let wrapped = wrap_dek(&w.bob.public_keys().x25519, &dek, b"header", &mut rng).unwrap();
    assert_eq!(unwrap_dek(&w.bob, &wrapped, b"header").unwrap(), dek);
    assert_eq!(
        unwrap_dek(&w.alice, &wrapped, b"header"),
        Err(IdentityError::HpkeOpen)
    );
    assert_eq!(
        unwrap_dek(&w.bob, &wrapped, b"other"),
        Err(IdentityError::HpkeOpen)
    );
    let mut t = wrapped;
    t.ct[0] ^= 1;
    assert_eq!(
        unwrap_dek(&w.bob, &t, b"header"),
        Err(IdentityError::HpkeOpen)
    );
    let mut t = wrapped;
    t.enc[0] ^= 1;
    assert_eq!(
        unwrap_dek(&w.bob, &t, b"header"),
        Err(IdentityError::HpkeOpen)
    );
}

// ---------------------------------------------------------------- signed envelopes

struct Cards {
    alice: VerifiedCard,
    bob: VerifiedCard,
    carol: VerifiedCard,
    eve: VerifiedCard,
}

fn cards() -> &'static Cards {
    static CARDS: std::sync::OnceLock<Cards> = std::sync::OnceLock::new();
    CARDS.get_or_init(|| {
        let w = world();
        let card = |k: &DeviceKeys, id: &str| {
            k.issue_card(id, id, NOW - 86_400, NOW + YEAR)
                .unwrap()
                .attest(&w.org)
                .verify(&trust(&w.org), NOW)
                .unwrap()
        };
        Cards {
            alice: card(&w.alice, "alice.smith@nhs.net"),
            bob: card(&w.bob, "GMC 7654321"),
            carol: card(&w.carol, "carol.jones@nhs.net"),
            eve: card(&w.eve, "eve@example.org"),
        }
    })
}

fn alice_ring() -> KeyRing {
    let mut ring = KeyRing::new();
    ring.insert(7, SecretKey::from_bytes([0x77; 32])).unwrap();
    ring
}

const CHAT: Binding<'static> = Binding {
    conversation_id: b"ward-7-handover",
    sender_id: b"alice.smith@nhs.net",
};
const MESSAGE: &[u8] = b"Bed 4: obs stable, for review by the registrar at 14:00";

/// Sealing in [`CHAT`] at `now` with the default options.
fn chat_at(now: UnixSeconds) -> SealContext<'static> {
    SealContext {
        binding: CHAT,
        ..SealContext::new(now)
    }
}

/// Alice seals to Bob and Carol, with her own kek copy.
fn sealed_by_alice(rng: &mut TestRng) -> Vec<u8> {
    let c = cards();
    let ring = alice_ring();
    Sealer::new(&world().alice)
        .to(&c.bob)
        .to(&c.carol)
        .also_to(&ring)
        .seal(
            MESSAGE,
            &SealContext {
                binding: CHAT,
                options: SealOptions::new()
                    .content_type("text/plain")
                    .expires_at(AT + 3600),
                now: AT,
            },
            rng,
        )
        .unwrap()
}

fn known_senders() -> Vec<&'static VerifiedCard> {
    let c = cards();
    vec![&c.alice, &c.bob, &c.carol, &c.eve]
}

#[test]
fn every_recipient_opens_and_sees_the_signed_sender() {
    let w = world();
    let sealed = sealed_by_alice(&mut TestRng::new("envelope"));
    for me in [&w.bob, &w.carol] {
        let m = open_signed(me, &[], &sealed, &CHAT, AT + 10, &known_senders()).unwrap();
        assert_eq!(&m.payload()[..], MESSAGE);
        assert_eq!(m.sender().card().device_id(), w.alice.device_id());
        assert_eq!(m.recipients().len(), 2);
        assert!(m.recipients().contains(&w.bob.public_keys().x25519));
        assert_eq!(m.header().content_type, "text/plain");
        assert!(!format!("{m:?}").contains("Bed 4"));
    }
    // The sender reopens its own copy from its key ring.
    let ring = alice_ring();
    let own = open_signed(
        &w.alice,
        &[&ring],
        &sealed,
        &CHAT,
        AT + 10,
        &known_senders(),
    )
    .unwrap();
    assert_eq!(&own.payload()[..], MESSAGE);
    // A plain envelope reader with the ring opens it too (and sees the signed inner bytes).
    assert!(envelope::open(&[&ring], &sealed, &CHAT, AT).is_ok());
}

#[test]
fn typed_errors_for_each_way_opening_fails() {
    let w = world();
    let c = cards();
    let sealed = sealed_by_alice(&mut TestRng::new("envelope"));
    assert_eq!(
        open_signed(&w.eve, &[], &sealed, &CHAT, AT, &known_senders()).unwrap_err(),
        IdentityError::NotARecipient
    );
    assert_eq!(
        open_signed(&w.bob, &[], &sealed, &CHAT, AT, &[&c.carol]).unwrap_err(),
        IdentityError::UnknownSender {
            device_id: w.alice.device_id()
        }
    );
    assert_eq!(
        open_signed(&w.bob, &[], &sealed, &CHAT, AT + 3600, &known_senders()).unwrap_err(),
        IdentityError::MessageExpired {
            expires_at: NOW + 3600,
            now: NOW + 3600
        }
    );
    let elsewhere = Binding::new(b"another-chat", b"alice.smith@nhs.net");
    assert_eq!(
        open_signed(&w.bob, &[], &sealed, &elsewhere, AT, &known_senders()).unwrap_err(),
        IdentityError::Envelope(envelope::Error::WrongBinding)
    );
    // A card for Alice's device id with other keys (an impostor's card): bad signature.
    let mut rng = TestRng::new("impostor");
    let impostor = DeviceKeys::generate_for(w.alice.device_id(), &mut rng)
        .issue_card("alice.smith@nhs.net", "Alice", NOW, NOW + YEAR)
        .unwrap()
        .verify(&TrustPolicy::new(), NOW)
        .unwrap();
    assert_eq!(
        open_signed(&w.bob, &[], &sealed, &CHAT, AT, &[&impostor]).unwrap_err(),
        IdentityError::BadSenderSignature
    );
}

fn short_card(keys: &DeviceKeys, id: &str, created_at: u64, expires_at: u64) -> VerifiedCard {
    keys.issue_card(id, id, created_at, expires_at)
        .unwrap()
        .verify(&TrustPolicy::new(), created_at)
        .unwrap()
}

#[test]
fn sender_card_validity_is_checked_at_now_and_at_created_at() {
    let w = world();
    let mut rng = TestRng::new("sender validity");
    let alice = short_card(&w.alice, "alice.smith@nhs.net", NOW - 100, NOW + 100);
    let bob = &cards().bob;
    let seal_at = |at: UnixSeconds, rng: &mut TestRng| {
        Sealer::new(&w.alice)
            .to(bob)
            .seal(MESSAGE, &chat_at(at), rng)
            .unwrap()
    };
    let sealed = seal_at(AT, &mut rng);
    assert!(open_signed(&w.bob, &[], &sealed, &CHAT, AT + 10, &[&alice]).is_ok());
    // The card has expired by the time the message is opened.
    assert_eq!(
        open_signed(&w.bob, &[], &sealed, &CHAT, AT + 100, &[&alice]).unwrap_err(),
        IdentityError::SenderCardExpired {
            device_id: w.alice.device_id(),
            expires_at: NOW + 100,
            at: NOW + 100
        }
    );
    // The envelope claims to be sealed after the card expired.
    let late = seal_at(AT + 150, &mut rng);
    assert_eq!(
        open_signed(&w.bob, &[], &late, &CHAT, AT + 50, &[&alice]).unwrap_err(),
        IdentityError::SenderCardExpired {
            device_id: w.alice.device_id(),
            expires_at: NOW + 100,
            at: NOW + 150
        }
    );
    // A renewal of the same keys opens what they signed before it, next to the old card.
    let renewed = short_card(&w.alice, "alice.smith@nhs.net", NOW + 90, NOW + YEAR);
    let m = open_signed(&w.bob, &[], &sealed, &CHAT, AT + 200, &[&alice, &renewed]).unwrap();
    assert_eq!(m.sender(), &renewed);
    // A card that is not valid yet at the reader's clock.
    let future = short_card(&w.alice, "alice.smith@nhs.net", NOW + 5_000, NOW + YEAR);
    assert_eq!(
        open_signed(&w.bob, &[], &sealed, &CHAT, AT, &[&future]).unwrap_err(),
        IdentityError::SenderCardNotYetValid {
            device_id: w.alice.device_id(),
            created_at: NOW + 5_000,
            at: NOW
        }
    );
}

#[test]
fn sealing_refuses_recipient_cards_outside_their_validity() {
    let w = world();
    let mut rng = TestRng::new("recipient validity");
    let bob = short_card(&w.bob, "GMC 7654321", NOW - 100, NOW + 100);
    let sealer = Sealer::new(&w.alice).to(&bob);
    assert!(sealer.seal(MESSAGE, &chat_at(AT + 99), &mut rng).is_ok());
    assert_eq!(
        sealer
            .seal(MESSAGE, &chat_at(AT + 100), &mut rng)
            .unwrap_err(),
        IdentityError::RecipientCardExpired {
            device_id: w.bob.device_id(),
            expires_at: NOW + 100,
            now: NOW + 100
        }
    );
    let future = short_card(&w.bob, "GMC 7654321", NOW + 5_000, NOW + YEAR);
    assert_eq!(
        Sealer::new(&w.alice)
            .to(&future)
            .seal(MESSAGE, &chat_at(AT), &mut rng)
            .unwrap_err(),
        IdentityError::RecipientCardNotYetValid {
            device_id: w.bob.device_id(),
            created_at: NOW + 5_000,
            now: NOW
        }
    );
}

/// What a malicious co-recipient (Bob, who learns the data key) can do with envelope-level
/// access: re-seal the signed inner message with changes.
fn reseal(inner: &[u8], to: &[&VerifiedCard], rng: &mut TestRng) -> Vec<u8> {
    let mut recipients: Vec<&dyn envelope::Recipient> = Vec::new();
    for card in to {
        recipients.push(*card);
    }
    let options = SealOptions::new()
        .content_type("text/plain")
        .expires_at(AT + 3600);
    envelope::seal(
        &recipients,
        inner,
        &SealContext {
            binding: CHAT,
            options,
            now: AT,
        },
        rng,
    )
    .unwrap()
}

fn inner_as_bob(sealed: &[u8]) -> Vec<u8> {
    envelope::open(&[&world().bob], sealed, &CHAT, AT)
        .unwrap()
        .payload
        .to_vec()
}

#[test]
fn co_recipients_cannot_forge_the_sender_or_readdress() {
    let w = world();
    let c = cards();
    let mut rng = TestRng::new("forgery");
    let sealed = sealed_by_alice(&mut rng);
    let inner = inner_as_bob(&sealed);

    // Altered text, same signature: forged sender.
    let mut forged = inner.clone();
    let last = forged.len() - 1;
    forged[last] ^= 0x01;
    let forged = reseal(&forged, &[&c.carol, &c.bob], &mut rng);
    assert_eq!(
        open_signed(&w.carol, &[], &forged, &CHAT, AT, &known_senders()).unwrap_err(),
        IdentityError::BadSenderSignature
    );

    // Unaltered, forwarded to Eve, who is not in Alice's signed list.
    let forwarded = reseal(&inner, &[&c.eve], &mut rng);
    assert_eq!(
        open_signed(&w.eve, &[], &forwarded, &CHAT, AT, &known_senders()).unwrap_err(),
        IdentityError::NotARecipient
    );

    // Eve's stanza added next to the real ones: Carol sees the count differ.
    let added = reseal(&inner, &[&c.bob, &c.carol, &c.eve], &mut rng);
    assert_eq!(
        open_signed(&w.carol, &[], &added, &CHAT, AT, &known_senders()).unwrap_err(),
        IdentityError::StanzaCountMismatch {
            signed: 2,
            found: 3
        }
    );

    // Stanzas swapped in the header bytes (without the data key): tampered.
    let swapped = swap_first_two_stanzas(&sealed);
    assert_eq!(
        open_signed(&w.bob, &[], &swapped, &CHAT, AT, &known_senders()).unwrap_err(),
        IdentityError::Envelope(envelope::Error::Tampered)
    );
}

/// Rewrites the envelope with its first two stanzas exchanged (layout from envelope::format).
fn swap_first_two_stanzas(sealed: &[u8]) -> Vec<u8> {
    let (mut header, len) = envelope::format::read_header(sealed).unwrap();
    header.stanzas.swap(0, 1);
    let mut out = Vec::new();
    envelope::format::write_header(&header, &mut out).unwrap();
    out.extend_from_slice(&sealed[len..]);
    out
}

#[test]
fn unknown_stanza_types_next_to_hpke_do_not_break_opening() {
    struct Grease;
    impl envelope::Recipient for Grease {
        fn wrap(
            &self,
            _dek: &SecretKey,
            _ctx: &envelope::StanzaContext<'_>,
            _rng: &mut dyn rand_core::CryptoRng,
        ) -> Result<Vec<envelope::format::Stanza>, envelope::Error> {
            Ok(vec![envelope::format::Stanza {
                kind: 0x7a7a,
                body: vec![0x5a; 40],
            }])
        }
    }
    let c = cards();
    let grease = Grease;
    let sealed = Sealer::new(&world().alice)
        .also_to(&grease)
        .to(&c.bob)
        .seal(MESSAGE, &chat_at(AT), &mut TestRng::new("grease"))
        .unwrap();
    let m = open_signed(&world().bob, &[], &sealed, &CHAT, AT, &known_senders()).unwrap();
    assert_eq!(&m.payload()[..], MESSAGE);
}

#[test]
fn sealing_refuses_no_recipients_and_dedupes() {
    let c = cards();
    assert!(matches!(
        Sealer::new(&world().alice).seal(b"x", &chat_at(AT), &mut TestRng::new("x")),
        Err(IdentityError::InvalidArgument { .. })
    ));
    let sealed = Sealer::new(&world().alice)
        .to(&c.bob)
        .to(&c.bob)
        .seal(b"x", &chat_at(AT), &mut TestRng::new("x"))
        .unwrap();
    let m = open_signed(&world().bob, &[], &sealed, &CHAT, AT, &known_senders()).unwrap();
    assert_eq!(m.recipients().len(), 1);
    assert_eq!(m.header().stanzas.len(), 1);
}

#[test]
fn device_keys_live_in_the_vault_and_die_with_it() {
    use careguard::vault::{KdfParams, Pin, Vault};
    let mut rng = TestRng::new("vault");
    let params = KdfParams::insecure_for_tests_only(64, 1, 1).unwrap();
    let (vault, _blob) =
        Vault::create(&Pin::new("730419").unwrap(), None, &params, &mut rng).unwrap();
    let wrapped = world().bob.wrap_in_vault(&vault, &mut rng).unwrap();
    let back = DeviceKeys::unwrap_from_vault(&vault, &wrapped).unwrap();
    assert_eq!(back.public_keys(), world().bob.public_keys());
    // Another vault (another master key) cannot unwrap them.
    let (other, _) = Vault::create(&Pin::new("730419").unwrap(), None, &params, &mut rng).unwrap();
    assert!(matches!(
        DeviceKeys::unwrap_from_vault(&other, &wrapped),
        Err(IdentityError::Vault(_))
    ));
}

// ---------------------------------------------------------------- never panics

proptest! {
    #[test]
    fn card_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
        if let Ok(card) = DeviceCard::parse(&bytes) {
            prop_assert_eq!(card.to_bytes(), bytes.clone());
            let _ = card.verify(&TrustPolicy::new().require_attestation(true), NOW);
        }
    }

    #[test]
    fn mutated_cards_never_panic(flips in proptest::collection::vec((any::<u16>(), any::<u8>()), 1..4), cut in any::<u16>()) {
        let w = world();
        let mut b = alice_card(w).attest(&w.org).to_bytes();
        for (at, x) in flips {
            let i = usize::from(at) % b.len();
            b[i] ^= x;
        }
        b.truncate(usize::from(cut) % (b.len() + 1) + usize::from(cut % 2) * b.len());
        if let Ok(card) = DeviceCard::parse(&b) {
            let _ = card.verify(&trust(&w.org), NOW);
        }
    }

    #[test]
    fn open_signed_never_panics_on_mutated_envelopes(flips in proptest::collection::vec((any::<u16>(), any::<u8>()), 1..4), cut in any::<u16>()) {
        let mut b = hostile_base().clone();
        for (at, x) in flips {
            let i = usize::from(at) % b.len();
            b[i] ^= x;
        }
        b.truncate(usize::from(cut) % (b.len() + 1) + usize::from(cut % 2) * b.len());
        let r = open_signed(&world().bob, &[], &b, &CHAT, AT, &known_senders());
        if let Ok(m) = r {
            // Only the unaltered envelope can open.
            prop_assert_eq!(&m.payload()[..], MESSAGE);
        }
    }

    #[test]
    fn signed_envelopes_round_trip_to_every_chosen_recipient(
        payload in proptest::collection::vec(any::<u8>(), 0..1500),
        mask in 1u8..16,
        padding in any::<bool>(),
    ) {
        let w = world();
        let c = cards();
        let devices = [(&w.alice, &c.alice), (&w.bob, &c.bob), (&w.carol, &c.carol), (&w.eve, &c.eve)];
        let mut sealer = Sealer::new(&w.alice);
        for (i, (_, card)) in devices.iter().enumerate() {
            if mask & (1 << i) != 0 {
                sealer = sealer.to(card);
            }
        }
        let ctx = SealContext { options: SealOptions::new().padding(padding), ..chat_at(AT) };
        let sealed = sealer.seal(&payload, &ctx, &mut TestRng::new("roundtrip")).unwrap();
        for (i, (keys, _)) in devices.iter().enumerate() {
            let opened = open_signed(keys, &[], &sealed, &CHAT, AT, &known_senders());
            if mask & (1 << i) != 0 {
                let m = opened.unwrap();
                prop_assert_eq!(&m.payload()[..], &payload[..]);
            } else {
                prop_assert_eq!(opened.unwrap_err(), IdentityError::NotARecipient);
            }
        }
    }

    #[test]
    fn open_signed_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert!(open_signed(&world().bob, &[], &bytes, &CHAT, AT, &known_senders()).is_err());
    }

    #[test]
    fn revocation_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let w = world();
        let _ = RevocationList::verify(&bytes, &[w.org.public_key()]);
    }

    #[test]
    fn qr_and_keys_parse_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
        let _ = safety_alice_bob().matches_scanned(&bytes);
        let _ = DeviceKeys::from_secret_bytes(&bytes);
    }
}

fn hostile_base() -> &'static Vec<u8> {
    static B: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    B.get_or_init(|| sealed_by_alice(&mut TestRng::new("hostile")))
}

// ---------------------------------------------------------------- vectors

fn card_vector(name: &str, card: &[u8], now: u64, policy: &Value, expect: &str) -> Value {
    json!({"name": name, "card": hexs(card), "now": now, "policy": policy, "expect": expect})
}

fn expect_name(e: &IdentityError) -> &'static str {
    match e {
        IdentityError::Decode(DecodeError::Truncated { .. }) => "Truncated",
        IdentityError::Decode(DecodeError::BadMagic { .. }) => "BadMagic",
        IdentityError::Decode(DecodeError::UnsupportedVersion { .. }) => "UnsupportedVersion",
        IdentityError::Malformed { .. } => "Malformed",
        IdentityError::Decode(DecodeError::TooLong { .. }) => "TooLong",
        IdentityError::Decode(DecodeError::TrailingBytes { .. }) => "TrailingBytes",
        IdentityError::BadDeviceSignature => "BadDeviceSignature",
        IdentityError::BadRotationSignature => "BadRotationSignature",
        IdentityError::BadAttestation => "BadAttestation",
        IdentityError::NotAttested => "NotAttested",
        IdentityError::BadRevocationSignature => "BadRevocationSignature",
        IdentityError::Revoked { .. } => "Revoked",
        IdentityError::NotYetValid { .. } => "NotYetValid",
        IdentityError::Expired { .. } => "Expired",
        IdentityError::HpkeOpen => "HpkeOpen",
        IdentityError::NotARecipient => "NotARecipient",
        IdentityError::UnknownSender { .. } => "UnknownSender",
        IdentityError::BadSenderSignature => "BadSenderSignature",
        IdentityError::MessageExpired { .. } => "MessageExpired",
        IdentityError::StanzaCountMismatch { .. } => "StanzaCountMismatch",
        IdentityError::Envelope(envelope::Error::Tampered) => "Tampered",
        _ => "Other",
    }
}

fn generate_card_vectors() -> Value {
    let w = world();
    let mut rng = TestRng::new("card vectors");
    let plain = alice_card(w);
    let attested = plain.clone().attest(&w.org);
    let list = RevocationList::sign(&w.org, NOW, &[w.alice.device_id()]).unwrap();
    let none = json!({});
    let org = json!({"organisations": [hexs(&w.org.public_key().to_bytes())]});
    let org_required = json!({"organisations": [hexs(&w.org.public_key().to_bytes())], "require_attestation": true});
    let org_revoking = json!({"organisations": [hexs(&w.org.public_key().to_bytes())], "revocation_list": hexs(list.to_bytes())});
    let new_keys = w.alice.rotate(&mut rng);
    let rotated = new_keys
        .issue_rotated_card(
            &w.alice,
            "alice.smith@nhs.net",
            "Dr Alice Smith",
            NOW,
            NOW + YEAR,
        )
        .unwrap()
        .to_bytes();
    let mut bad_rotation = rotated.clone();
    let at = bad_rotation.len() - 2;
    bad_rotation[at] ^= 0x01;
    let mut bad_device = plain.to_bytes();
    let name_at = 4 + 1 + 16 + 1 + "alice.smith@nhs.net".len() + 1;
    bad_device[name_at] = b'X';
    let short = w
        .alice
        .issue_card("alice.smith@nhs.net", "Dr Alice Smith", NOW, NOW + 3600)
        .unwrap()
        .to_bytes();
    let mut trailing = plain.to_bytes();
    trailing.push(0);
    let mut version = plain.to_bytes();
    version[4] = 2;
    let mut magic = plain.to_bytes();
    magic[0] = b'X';
    let full = plain.to_bytes();
    json!({
        "comment": "careguard device cards v1 (docs/FORMAT.md 'Device card'). Each vector: parse the card, verify it under `policy` at `now`; `expect` is `ok` or the IdentityError variant. Generated by core/tests/identity.rs (regenerate_vectors, fixed RNG and clock).",
        "organisation_public_key": hexs(&w.org.public_key().to_bytes()),
        "vectors": [
            card_vector("valid, not attested", &plain.to_bytes(), NOW, &org, "ok"),
            card_vector("valid, attested", &attested.to_bytes(), NOW, &org, "ok"),
            card_vector("valid rotation signed by the previous key", &rotated, NOW, &none, "ok"),
            card_vector("bad device signature (display name altered)", &bad_device, NOW, &none, "BadDeviceSignature"),
            card_vector("bad rotation signature", &bad_rotation, NOW, &none, "BadRotationSignature"),
            card_vector("attested by an untrusted organisation", &plain.clone().attest(&w.other_org).to_bytes(), NOW, &org, "BadAttestation"),
            card_vector("attestation required, none present", &plain.to_bytes(), NOW, &org_required, "NotAttested"),
            card_vector("revoked by the organisation", &attested.to_bytes(), NOW, &org_revoking, "Revoked"),
            card_vector("expired", &short, NOW + 3600, &none, "Expired"),
            card_vector("not yet valid", &plain.to_bytes(), NOW - 86_400 - 601, &none, "NotYetValid"),
            card_vector("truncated", &full[..full.len() - 10], NOW, &none, "Truncated"),
            card_vector("trailing bytes", &trailing, NOW, &none, "TrailingBytes"),
            card_vector("unsupported version", &version, NOW, &none, "UnsupportedVersion"),
            card_vector("bad magic", &magic, NOW, &none, "BadMagic"),
        ]
    })
}

fn policy_from(v: &Value) -> TrustPolicy {
    let mut p = TrustPolicy::new();
    let mut orgs = Vec::new();
    for o in v["organisations"].as_array().into_iter().flatten() {
        let k: [u8; 32] = hex::decode(o.as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let k = OrganisationPublicKey::from_bytes(&k).unwrap();
        orgs.push(k);
        p = p.with_organisation(k);
    }
    if v["require_attestation"] == json!(true) {
        p = p.require_attestation(true);
    }
    if let Some(l) = v["revocation_list"].as_str() {
        p = p.with_revocations(RevocationList::verify(&hex::decode(l).unwrap(), &orgs).unwrap());
    }
    p
}

fn generate_safety_vectors() -> Value {
    let w = world();
    let mut rng = TestRng::new("safety vectors");
    let carol_phone = DeviceKeys::generate(&mut rng);
    let carol_desktop = DeviceKeys::generate(&mut rng);
    let cases = [
        (
            ("alice.smith@nhs.net", vec![w.alice.public_keys()]),
            ("GMC 7654321", vec![w.bob.public_keys()]),
        ),
        (
            ("alice.smith@nhs.net", vec![w.alice.public_keys()]),
            (
                "carol.jones@nhs.net",
                vec![carol_phone.public_keys(), carol_desktop.public_keys()],
            ),
        ),
    ];
    let mut vectors = Vec::new();
    for ((lid, lkeys), (rid, rkeys)) in cases {
        let l = SafetyParty::new(lid, &lkeys).unwrap();
        let r = SafetyParty::new(rid, &rkeys).unwrap();
        let n = SafetyNumber::compute(&l, &r);
        let keys = |ks: &Vec<careguard::identity::DevicePublicKeys>| -> Value {
            ks.iter()
                .map(|k| json!({"ed25519": hexs(&k.ed25519), "x25519": hexs(&k.x25519)}))
                .collect()
        };
        vectors.push(json!({
            "local": {"staff_id": lid, "devices": keys(&lkeys)},
            "remote": {"staff_id": rid, "devices": keys(&rkeys)},
            "digits": n.digits(),
            "display": n.display_groups(),
            "qr_payload_local": hexs(&n.qr_payload()),
        }));
    }
    json!({
        "comment": "careguard safety numbers v1 (docs/FORMAT.md 'Safety number'): 60 digits the same for both sides; qr_payload_local is what `local` shows. Generated by core/tests/identity.rs (regenerate_vectors).",
        "iterations": careguard::identity::SAFETY_ITERATIONS,
        "vectors": vectors,
    })
}

fn generate_hpke_vectors() -> Value {
    let w = world();
    let mut rng = TestRng::new("hpke vectors");
    let dek = SecretKey::generate(&mut rng);
    let aad = b"careguard hpke vector aad";
    let wrapped = wrap_dek(&w.bob.public_keys().x25519, &dek, aad, &mut rng).unwrap();
    let secret = w.bob.to_secret_bytes();
    let mut tampered = wrapped;
    tampered.ct[47] ^= 0x80;
    let vec = |name: &str, enc: &[u8], ct: &[u8], expect: &str| json!({"name": name, "enc": hexs(enc), "ct": hexs(ct), "expect": expect});
    let c = cards();
    let mut erng = TestRng::new("envelope vectors");
    let sealed = sealed_by_alice(&mut erng);
    let inner = inner_as_bob(&sealed);
    let mut altered = inner.clone();
    let last = altered.len() - 1;
    altered[last] ^= 0x01;
    let forged = reseal(&altered, &[&c.carol, &c.bob], &mut erng);
    let forwarded = reseal(&inner, &[&c.eve], &mut erng);
    let added = reseal(&inner, &[&c.bob, &c.carol, &c.eve], &mut erng);
    let swapped = swap_first_two_stanzas(&sealed);
    let env = |name: &str, e: &[u8], opener: &str, now: u64, senders: &[&str], expect: &str| json!({"name": name, "envelope": hexs(e), "opener": opener, "now": now, "senders": senders, "expect": expect});
    let device = |k: &DeviceKeys, card: &VerifiedCard| {
        let secret = k.to_secret_bytes();
        json!({
            "device_keys_secret": hexs(&secret[..]),
            "x25519_secret": hexs(&secret[17..49]),
            "x25519_public": hexs(&k.public_keys().x25519),
            "ed25519_public": hexs(&k.public_keys().ed25519),
            "card": hexs(&card.card().to_bytes()),
        })
    };
    json!({
        "comment": "careguard HPKE data-key wrapping and signed envelopes v1 (docs/FORMAT.md 'HPKE stanza', 'Signed message'): RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, info = HPKE_INFO. `vectors`: open (enc, ct) with recipient_x25519_secret and aad; `dek` is the expected plaintext. `envelopes`: open with the `opener` device under `binding` at `now`, trusting the cards of `senders`; `payload` is the expected plaintext. Test keys only. Generated by core/tests/identity.rs (regenerate_vectors).",
        "binding": {"conversation_id": hexs(CHAT.conversation_id), "sender_id": hexs(CHAT.sender_id)},
        "payload": hexs(MESSAGE),
        "devices": {
            "alice": device(&w.alice, &c.alice),
            "bob": device(&w.bob, &c.bob),
            "carol": device(&w.carol, &c.carol),
            "eve": device(&w.eve, &c.eve),
        },
        "envelopes": [
            env("alice to bob and carol, opened by bob", &sealed, "bob", NOW + 10, &["alice"], "ok"),
            env("alice to bob and carol, opened by carol", &sealed, "carol", NOW + 10, &["alice"], "ok"),
            env("not a recipient", &sealed, "eve", NOW + 10, &["alice"], "NotARecipient"),
            env("unknown sender", &sealed, "bob", NOW + 10, &["carol"], "UnknownSender"),
            env("expired", &sealed, "bob", NOW + 3600, &["alice"], "MessageExpired"),
            env("stanzas swapped in the header", &swapped, "bob", NOW + 10, &["alice"], "Tampered"),
            env("forged sender: a co-recipient altered the text and re-sealed", &forged, "carol", NOW + 10, &["alice"], "BadSenderSignature"),
            env("forwarded by a co-recipient to a device not in the signed list", &forwarded, "eve", NOW + 10, &["alice"], "NotARecipient"),
            env("a co-recipient added a stanza", &added, "carol", NOW + 10, &["alice"], "StanzaCountMismatch"),
        ],
        "suite": {"mode": 0, "kem_id": 32, "kdf_id": 1, "aead_id": 2},
        "info": hexs(careguard::identity::HPKE_INFO),
        "recipient_x25519_secret": hexs(&secret[17..49]),
        "recipient_x25519_public": hexs(&w.bob.public_keys().x25519),
        "dek": hexs(dek.expose_secret()),
        "aad": hexs(aad),
        "vectors": [
            vec("valid", &wrapped.enc, &wrapped.ct, "ok"),
            vec("tampered tag", &tampered.enc, &tampered.ct, "HpkeOpen"),
        ]
    })
}

fn vector_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name)
}

fn all_vectors() -> [(&'static str, Value); 3] {
    [
        ("device-card-v1.json", generate_card_vectors()),
        ("safety-number-v1.json", generate_safety_vectors()),
        ("hpke-envelope-v1.json", generate_hpke_vectors()),
    ]
}

#[test]
#[ignore = "rewrites core/tests/vectors/*; run with --ignored after a deliberate format change"]
fn regenerate_vectors() {
    for (name, v) in all_vectors() {
        std::fs::write(
            vector_path(name),
            serde_json::to_string_pretty(&v).unwrap() + "\n",
        )
        .unwrap();
    }
}

#[test]
fn committed_vectors_are_what_the_generators_produce() {
    for (name, v) in all_vectors() {
        let committed: Value =
            serde_json::from_str(&std::fs::read_to_string(vector_path(name)).unwrap()).unwrap();
        assert_eq!(committed, v, "{name} is stale: run regenerate_vectors");
    }
}

#[test]
fn card_vectors_behave_as_expected() {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(vector_path("device-card-v1.json")).unwrap())
            .unwrap();
    for case in v["vectors"].as_array().unwrap() {
        let card = hex::decode(case["card"].as_str().unwrap()).unwrap();
        let policy = policy_from(&case["policy"]);
        let got =
            DeviceCard::parse(&card).and_then(|c| c.verify(&policy, case["now"].as_u64().unwrap()));
        let got = match &got {
            Ok(_) => "ok",
            Err(e) => expect_name(e),
        };
        assert_eq!(got, case["expect"].as_str().unwrap(), "{}", case["name"]);
    }
}

#[test]
fn safety_vectors_behave_as_expected() {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(vector_path("safety-number-v1.json")).unwrap(),
    )
    .unwrap();
    let parse = |p: &Value| {
        let devices: Vec<_> = p["devices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| careguard::identity::DevicePublicKeys {
                ed25519: hex::decode(d["ed25519"].as_str().unwrap())
                    .unwrap()
                    .try_into()
                    .unwrap(),
                x25519: hex::decode(d["x25519"].as_str().unwrap())
                    .unwrap()
                    .try_into()
                    .unwrap(),
            })
            .collect();
        SafetyParty::new(p["staff_id"].as_str().unwrap(), &devices).unwrap()
    };
    for case in v["vectors"].as_array().unwrap() {
        let (l, r) = (parse(&case["local"]), parse(&case["remote"]));
        let n = SafetyNumber::compute(&l, &r);
        assert_eq!(n.digits(), case["digits"].as_str().unwrap());
        assert_eq!(SafetyNumber::compute(&r, &l).digits(), n.digits());
        let qr = hex::decode(case["qr_payload_local"].as_str().unwrap()).unwrap();
        assert!(SafetyNumber::compute(&r, &l).matches_scanned(&qr).unwrap());
    }
}

#[test]
fn hpke_vectors_behave_as_expected() {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(vector_path("hpke-envelope-v1.json")).unwrap(),
    )
    .unwrap();
    let w = world();
    assert_eq!(
        v["recipient_x25519_public"].as_str().unwrap(),
        hexs(&w.bob.public_keys().x25519)
    );
    let aad = hex::decode(v["aad"].as_str().unwrap()).unwrap();
    for case in v["vectors"].as_array().unwrap() {
        let wrapped = careguard::identity::HpkeWrappedKey {
            enc: hex::decode(case["enc"].as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap(),
            ct: hex::decode(case["ct"].as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap(),
        };
        let got = unwrap_dek(&w.bob, &wrapped, &aad);
        match case["expect"].as_str().unwrap() {
            "ok" => assert_eq!(
                hexs(got.unwrap().expose_secret()),
                v["dek"].as_str().unwrap()
            ),
            other => assert_eq!(expect_name(&got.unwrap_err()), other),
        }
    }
}

#[test]
fn envelope_vectors_behave_as_expected() {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(vector_path("hpke-envelope-v1.json")).unwrap(),
    )
    .unwrap();
    let policy = trust(&world().org);
    let device = |name: &str| {
        let d = &v["devices"][name];
        let keys = DeviceKeys::from_secret_bytes(
            &hex::decode(d["device_keys_secret"].as_str().unwrap()).unwrap(),
        )
        .unwrap();
        let card = DeviceCard::parse(&hex::decode(d["card"].as_str().unwrap()).unwrap())
            .unwrap()
            .verify(&policy, NOW)
            .unwrap();
        (keys, card)
    };
    let conv = hex::decode(v["binding"]["conversation_id"].as_str().unwrap()).unwrap();
    let sender = hex::decode(v["binding"]["sender_id"].as_str().unwrap()).unwrap();
    let binding = Binding::new(&conv, &sender);
    let mut seen = std::collections::BTreeSet::new();
    for case in v["envelopes"].as_array().unwrap() {
        let (me, _) = device(case["opener"].as_str().unwrap());
        let cards: Vec<VerifiedCard> = case["senders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| device(n.as_str().unwrap()).1)
            .collect();
        let senders: Vec<&VerifiedCard> = cards.iter().collect();
        let e = hex::decode(case["envelope"].as_str().unwrap()).unwrap();
        let got = open_signed(
            &me,
            &[],
            &e,
            &binding,
            UnixSeconds(case["now"].as_u64().unwrap()),
            &senders,
        );
        let expect = case["expect"].as_str().unwrap();
        match got {
            Ok(m) => {
                assert_eq!(expect, "ok", "{}", case["name"]);
                assert_eq!(hexs(m.payload()), v["payload"].as_str().unwrap());
            }
            Err(err) => assert_eq!(expect_name(&err), expect, "{}", case["name"]),
        }
        seen.insert(expect.to_owned());
    }
    assert_eq!(seen.len(), 7, "every rejection class is covered: {seen:?}");
}

#[test]
fn device_ids_display_as_hex() {
    let id = DeviceId::from_bytes([0xab; 16]);
    assert_eq!(id.to_string(), "ab".repeat(16));
}

// ---------------------------------------------------------------- send policy

#[test]
fn policy_warns_before_identifiers_go_to_unverified_or_changed_recipients() {
    use careguard::detect::Scanner;
    use careguard::identity::RecipientTrust;
    use careguard::policy::{Context, Conversation, Platform, Reason, Verdict, review};

    let scanner = Scanner::new();
    let msg = "Mr John Smith NHS 943 476 5919 for review";
    let verified = RecipientTrust {
        verification: Verification::VerifiedInPerson,
        key_changed: false,
    };
    let attested = RecipientTrust {
        verification: Verification::AttestedByOrganisation,
        key_changed: false,
    };
    let unverified = RecipientTrust {
        verification: Verification::Unverified,
        key_changed: false,
    };
    let changed = RecipientTrust {
        verification: Verification::Unverified,
        key_changed: true,
    };
    let ctx = |r: Vec<RecipientTrust>| {
        Context::new(Conversation::Clinical, Platform::Approved).with_recipients(r)
    };
    let codes = |r: Vec<RecipientTrust>, text: &str| {
        let d = review(&scanner, text, &ctx(r));
        (
            d.verdict,
            d.reasons.iter().map(Reason::code).collect::<Vec<_>>(),
        )
    };

    assert_eq!(
        codes(vec![verified, attested], msg),
        (Verdict::Warn, vec!["high_risk"])
    );
    assert_eq!(
        codes(vec![verified, unverified], msg),
        (Verdict::Warn, vec!["high_risk", "unverified_recipient"])
    );
    assert_eq!(
        codes(vec![unverified, changed], msg),
        (Verdict::Warn, vec!["high_risk", "recipient_key_changed"])
    );
    // No identifiers: nothing to warn about, whoever the recipients are.
    assert_eq!(
        codes(vec![changed], "ward round at 9"),
        (Verdict::Allow, vec![])
    );
    // Social groups stay blocked; the recipient reason is not added to a block.
    let social = Context::new(Conversation::Social, Platform::Approved).with_recipients([changed]);
    assert_eq!(review(&scanner, msg, &social).verdict, Verdict::Block);
    // The reason has a message the app can show.
    let d = review(&scanner, msg, &ctx(vec![changed]));
    assert!(d.reasons[1].to_string().contains("safety numbers"));
    assert!(d.suggestion.is_some());

    // A contact's state feeds the policy directly.
    let w = world();
    let mut contact = Contact::new(alice_card(w).verify(&TrustPolicy::new(), NOW).unwrap());
    assert!(!contact.trust().is_verified());
    contact.mark_verified_in_person();
    assert!(contact.trust().is_verified());
}
