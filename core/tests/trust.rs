//! Signed Trust policy packs and emergency orders, through the public API; plus the
//! generator of core/tests/vectors/trust-pack-v1.json.
#![allow(clippy::unwrap_used)]

use careguard::DecodeError;
use careguard::identity::{OrganisationKey, OrganisationPublicKey};
use careguard::policy::{self, Conversation, Verdict};
use careguard::retention::RetentionPolicy;
use careguard::sending::{GroupRules, NotificationDetail};
use careguard::trust::{EmergencyOrder, PolicyPack, TrustError, verify_emergency, verify_pack};
use serde_json::{Value, json};

const NOW: u64 = 1_780_000_000;
const DAY: u64 = 86_400;

fn org(seed: u8) -> OrganisationKey {
    OrganisationKey::from_secret_bytes(&[seed; 32])
}

fn pack(version: u64) -> PolicyPack {
    let mut p = PolicyPack::new(version, NOW - DAY, NOW + 30 * DAY);
    p.approved_platforms = vec!["Microsoft Teams".into(), "Pando".into()];
    p.retention = vec![
        (
            Conversation::Clinical,
            RetentionPolicy::new()
                .after_send(7 * DAY)
                .after_read(DAY)
                .transcription_hold_max(3 * DAY),
        ),
        (
            Conversation::Social,
            RetentionPolicy::new()
                .after_send(DAY)
                .transcription_hold_max(0),
        ),
    ];
    p.hospital_number_patterns = vec![r"\bRA7\d{6}\b".into()];
    p.allow_list = vec!["Florence Nightingale ward".into()];
    p.emergency_allowed = true;
    p.emergency_max_secs = 12 * 3600;
    p.group_rules = GroupRules::new(60 * DAY, 40);
    p.notification_detail = NotificationDetail::Conversation;
    p
}

fn keys(o: &OrganisationKey) -> [OrganisationPublicKey; 1] {
    [o.public_key()]
}

#[test]
fn a_signed_pack_configures_scanner_policy_retention_groups_and_notifications() {
    let o = org(1);
    let bytes = pack(5).sign(&o).unwrap();
    let v = verify_pack(&bytes, &keys(&o), NOW, Some(4)).unwrap();
    assert_eq!(v.version(), 5);
    // Scanner: the Trust's hospital-number pattern is found.
    let findings = v.scanner().scan("bed 4 RA7123456 for review");
    assert!(
        findings
            .iter()
            .any(|f| f.kind == careguard::Kind::HospitalNumber)
    );
    // Policy: the approved platform, and not another.
    let teams = v.context(Conversation::Clinical, " microsoft teams ", None, NOW);
    assert!(teams.platform.is_approved() && !teams.emergency);
    let whatsapp = v.context(Conversation::Clinical, "WhatsApp", None, NOW);
    assert!(!whatsapp.platform.is_approved());
    let d = policy::review(v.scanner(), "NHS 943 476 5919 obs stable", &whatsapp);
    assert_eq!(d.verdict, Verdict::Block);
    // Retention per conversation class, unset for one the pack does not name.
    assert_eq!(
        v.retention(Conversation::Clinical).get_after_send(),
        Some(7 * DAY)
    );
    assert_eq!(
        v.retention(Conversation::Clinical).get_after_read(),
        Some(DAY)
    );
    assert_eq!(
        v.retention(Conversation::Social)
            .get_transcription_hold_max(),
        0
    );
    assert_eq!(v.retention(Conversation::Broadcast), RetentionPolicy::new());
    assert_eq!(v.group_rules(), GroupRules::new(60 * DAY, 40));
    assert_eq!(
        v.notification_policy().detail(),
        NotificationDetail::Conversation
    );
    // Retention rules are kept in conversation order, as the layout stores them.
    assert_eq!(v.pack(), &pack(5));
}

#[test]
fn rollback_to_an_older_version_is_refused() {
    let o = org(1);
    let old = pack(3).sign(&o).unwrap();
    assert_eq!(
        verify_pack(&old, &keys(&o), NOW, Some(4)).unwrap_err(),
        TrustError::Rollback {
            version: 3,
            accepted: 4
        }
    );
    assert!(verify_pack(&old, &keys(&o), NOW, Some(3)).is_ok());
    assert!(verify_pack(&old, &keys(&o), NOW, None).is_ok());
}

#[test]
fn expired_future_forged_and_edited_packs_are_refused() {
    let o = org(1);
    let bytes = pack(5).sign(&o).unwrap();
    assert!(matches!(
        verify_pack(&bytes, &keys(&o), NOW + 30 * DAY, None).unwrap_err(),
        TrustError::Expired { .. }
    ));
    assert!(matches!(
        verify_pack(&bytes, &keys(&o), NOW - DAY - 601, None).unwrap_err(),
        TrustError::NotYetValid { .. }
    ));
    assert_eq!(
        verify_pack(&bytes, &keys(&org(2)), NOW, None).unwrap_err(),
        TrustError::BadSignature {
            what: "policy pack"
        }
    );
    for i in 0..bytes.len() {
        let mut edited = bytes.clone();
        edited[i] ^= 0x20;
        assert!(
            verify_pack(&edited, &keys(&o), NOW, None).is_err(),
            "byte {i}"
        );
    }
    for n in 0..bytes.len() {
        assert!(
            verify_pack(&bytes[..n], &keys(&o), NOW, None).is_err(),
            "cut {n}"
        );
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(matches!(
        verify_pack(&long, &keys(&o), NOW, None).unwrap_err(),
        TrustError::Decode(DecodeError::TrailingBytes { .. })
    ));
}

#[test]
fn signing_refuses_what_the_layout_cannot_hold() {
    let o = org(1);
    let mut p = pack(1);
    p.hospital_number_patterns = vec!["(unclosed".into()];
    assert!(matches!(p.sign(&o).unwrap_err(), TrustError::Pattern(_)));
    let mut p = pack(1);
    p.approved_platforms = vec![String::new()];
    assert!(matches!(
        p.sign(&o).unwrap_err(),
        TrustError::Malformed { .. }
    ));
    let mut p = pack(1);
    p.retention
        .push((Conversation::Social, RetentionPolicy::new()));
    assert!(matches!(
        p.sign(&o).unwrap_err(),
        TrustError::Malformed { .. }
    ));
    let p = PolicyPack::new(1, NOW, NOW);
    assert!(matches!(
        p.sign(&o).unwrap_err(),
        TrustError::Malformed { .. }
    ));
}

#[test]
fn emergency_mode_needs_a_signed_order_in_force() {
    let o = org(1);
    let v = verify_pack(&pack(5).sign(&o).unwrap(), &keys(&o), NOW, None).unwrap();
    let order = EmergencyOrder {
        id: 1,
        starts_at: NOW - 3600,
        ends_at: NOW + 3600,
    };
    let e = verify_emergency(&order.sign(&o).unwrap(), &keys(&o), &v, NOW).unwrap();
    let ctx = v.context(Conversation::Clinical, "WhatsApp", Some(&e), NOW);
    assert!(ctx.emergency);
    let d = policy::review(v.scanner(), "NHS 943 476 5919 obs stable", &ctx);
    assert_eq!(d.verdict, Verdict::Warn);
    // Out of force after its end, even with the verified order in hand.
    assert!(
        !v.context(Conversation::Clinical, "WhatsApp", Some(&e), NOW + 3600)
            .emergency
    );
    // Expired, forged, too long, or not allowed by the pack: refused.
    assert!(matches!(
        verify_emergency(&order.sign(&o).unwrap(), &keys(&o), &v, NOW + 3600).unwrap_err(),
        TrustError::Expired { .. }
    ));
    assert_eq!(
        verify_emergency(&order.sign(&org(2)).unwrap(), &keys(&o), &v, NOW).unwrap_err(),
        TrustError::BadSignature {
            what: "emergency order"
        }
    );
    let long = EmergencyOrder {
        ends_at: NOW + 12 * 3600,
        ..order
    };
    assert!(matches!(
        verify_emergency(&long.sign(&o).unwrap(), &keys(&o), &v, NOW).unwrap_err(),
        TrustError::EmergencyNotAllowed(_)
    ));
    let mut strict = pack(6);
    strict.emergency_allowed = false;
    let strict = verify_pack(&strict.sign(&o).unwrap(), &keys(&o), NOW, None).unwrap();
    assert!(matches!(
        verify_emergency(&order.sign(&o).unwrap(), &keys(&o), &strict, NOW).unwrap_err(),
        TrustError::EmergencyNotAllowed(_)
    ));
    // An order verified against one pack does not switch on emergency under another.
    assert!(
        !strict
            .context(Conversation::Clinical, "WhatsApp", Some(&e), NOW)
            .emergency
    );
}

// --- vectors ---

fn vector_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/trust-pack-v1.json")
}

fn generate_vectors() -> Value {
    let o = org(7);
    let good = pack(5).sign(&o).unwrap();
    let mut edited = good.clone();
    edited[40] ^= 1;
    let order = EmergencyOrder {
        id: 9,
        starts_at: NOW - 3600,
        ends_at: NOW + 3600,
    }
    .sign(&o)
    .unwrap();
    json!({
        "comment": "careguard Trust policy pack v1 and emergency order v1 (docs/FORMAT.md 'Trust policy pack', 'Emergency order'). Verify under `organisation_ed25519` at `now` with the device's last accepted version `accepted_version`. `pack` must verify and read as `expect`; each of `bad` must be refused for `why`. Test keys only. Generated by core/tests/trust.rs (regenerate_vectors).",
        "organisation_ed25519": hex::encode(o.public_key().to_bytes()),
        "now": NOW,
        "accepted_version": 4,
        "pack": hex::encode(&good),
        "expect": {
            "version": 5,
            "issued_at": NOW - DAY,
            "expires_at": NOW + 30 * DAY,
            "approved_platforms": ["Microsoft Teams", "Pando"],
            "retention": [[0, 7 * DAY, DAY, 3 * DAY], [1, DAY, 0, 0]],
            "hospital_number_patterns": [r"\bRA7\d{6}\b"],
            "allow_list": ["Florence Nightingale ward"],
            "emergency_allowed": true,
            "emergency_max_secs": 12 * 3600,
            "group_review_interval": 60 * DAY,
            "group_max_members": 40,
            "notification_detail": 1,
        },
        "bad": [
            {"why": "rollback", "pack": hex::encode(pack(3).sign(&o).unwrap())},
            {"why": "signature", "pack": hex::encode(&edited)},
            {"why": "signature", "pack": hex::encode(pack(5).sign(&org(8)).unwrap())},
            {"why": "expired", "pack": hex::encode({
                let mut p = pack(6);
                p.issued_at = NOW - 10 * DAY;
                p.expires_at = NOW - DAY;
                p.sign(&o).unwrap()
            })},
        ],
        "emergency_order": hex::encode(&order),
        "emergency_expect": {"id": 9, "starts_at": NOW - 3600, "ends_at": NOW + 3600},
    })
}

#[test]
#[ignore = "rewrites core/tests/vectors/trust-pack-v1.json; run with --ignored after a deliberate format change"]
fn regenerate_vectors() {
    std::fs::write(
        vector_path(),
        serde_json::to_string_pretty(&generate_vectors()).unwrap() + "\n",
    )
    .unwrap();
}

#[test]
fn committed_vectors_are_what_the_generator_produces_and_behave() {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(vector_path()).unwrap()).unwrap();
    assert_eq!(v, generate_vectors(), "stale: run regenerate_vectors");
    let key: [u8; 32] = hex::decode(v["organisation_ed25519"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let orgs = [OrganisationPublicKey::from_bytes(&key).unwrap()];
    let pack = hex::decode(v["pack"].as_str().unwrap()).unwrap();
    let verified = verify_pack(&pack, &orgs, NOW, Some(4)).unwrap();
    for bad in v["bad"].as_array().unwrap() {
        let b = hex::decode(bad["pack"].as_str().unwrap()).unwrap();
        assert!(
            verify_pack(&b, &orgs, NOW, Some(4)).is_err(),
            "{}",
            bad["why"]
        );
    }
    let order = hex::decode(v["emergency_order"].as_str().unwrap()).unwrap();
    assert!(
        verify_emergency(&order, &orgs, &verified, NOW)
            .unwrap()
            .in_force(NOW)
    );
}
