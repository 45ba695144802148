//! Fuzz target `identity`: device card parse + verify (with round trip), revocation list
//! verify, safety-number QR payload, bare HPKE unwrap and signed-envelope opening with a
//! fixed recipient device (the keys of core/tests/vectors/hpke-envelope-v1.json, so the
//! corpus can be seeded from its envelopes). Every input must end in Ok or a typed error.
#![no_main]

use careguard::UnixSeconds;
use careguard::envelope::Binding;
use careguard::identity::{
    DeviceCard, DeviceKeys, HpkeWrappedKey, OrganisationKey, RevocationList, SafetyNumber,
    SafetyParty, TrustPolicy, VerifiedCard, open_signed, unwrap_dek,
};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const NOW: u64 = 1_780_000_010;
const BOB_SECRET: &str = "01201a6445930bed8c8a83983d7d817a9ec411405255d9beda919abc945349ca5a21205843440754833ec66ee10fc761300d9b6e5fbe63bad2b545a27ce28e31416f964e529d61557dc2ae7bb968bbb8eb";
const ALICE_CARD: &str = "43474443017583dc728b144544acab4957906868bc13616c6963652e736d697468406e68732e6e657413616c6963652e736d697468406e68732e6e65747e422d76edb0715d6779aaf19d57286488c656727fa06f9445ad74cfdad2f9493306bf69cefdf3b8c53d4c03c42de2f55c042c8c5071ee3789f5813d350adc97000000006a175380000000006bf9d8800097a6eae6c9f05350faaba28a922b3d3e0136d79981908959afc325f854e4c8157c49a1b61b0c759cae5da1989f68cb2d657be4e08d2973c368503fa3ab8484020122b12533bcb6b72eca759eecea7cf9590bea830705d7c7001dd72fb428d3ccb68207fa43f6a7cc114f236bd346f18a9b199f65e9d383e571e9d5c0442695ca0b";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("constant hex"))
        .collect()
}

struct Fixture {
    bob: DeviceKeys,
    alice: VerifiedCard,
    org: OrganisationKey,
    safety: SafetyNumber,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let bob = DeviceKeys::from_secret_bytes(&unhex(BOB_SECRET)).expect("bob");
        let alice = DeviceCard::parse(&unhex(ALICE_CARD))
            .and_then(|c| c.verify(&TrustPolicy::new(), NOW))
            .expect("alice");
        let org = OrganisationKey::from_secret_bytes(&[7; 32]);
        let a = SafetyParty::new("a@nhs.net", &[*alice.card().public_keys()]).expect("a");
        let b = SafetyParty::new("b@nhs.net", &[bob.public_keys()]).expect("b");
        let safety = SafetyNumber::compute(&a, &b);
        Fixture { bob, alice, org, safety }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 5 {
        0 => {
            if let Ok(card) = DeviceCard::parse(rest) {
                assert_eq!(card.to_bytes(), rest, "card encoding is canonical");
                let policy = TrustPolicy::new()
                    .with_organisation(f.org.public_key())
                    .require_attestation(rest.len() % 2 == 0);
                let _ = card.verify(&policy, NOW);
            }
        }
        1 => {
            let _ = RevocationList::verify(rest, &[f.org.public_key()]);
        }
        2 => {
            let _ = f.safety.matches_scanned(rest);
            let _ = DeviceKeys::from_secret_bytes(rest);
        }
        3 => {
            if rest.len() >= 80 {
                let mut w = HpkeWrappedKey { enc: [0; 32], ct: [0; 48] };
                w.enc.copy_from_slice(&rest[..32]);
                w.ct.copy_from_slice(&rest[32..80]);
                let _ = unwrap_dek(&f.bob, &w, &rest[80..]);
            }
        }
        _ => {
            let binding = Binding::new(b"ward-7-handover", b"alice.smith@nhs.net");
            let _ = open_signed(&f.bob, &[], rest, &binding, UnixSeconds(NOW), &[&f.alice]);
        }
    }
});
