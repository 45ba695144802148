//! identity: sealing a signed envelope to 1, 10 and 100 recipient devices (HPKE stanzas +
//! Ed25519 sender signature) and opening it as the last recipient (the worst case: every
//! hpke stanza is tried); plus card verification and safety numbers.
//!
//! `cargo bench -p careguard-benches --bench identity`

use careguard::envelope::{Binding, os_rng};
use careguard::identity::{
    DeviceKeys, OrganisationKey, SafetyNumber, SafetyParty, Sealer, TrustPolicy, VerifiedCard,
    open_signed,
};
use careguard::{SealContext, UnixSeconds};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const NOW: u64 = 1_780_000_000;
const AT: UnixSeconds = UnixSeconds(NOW);
const MESSAGE: &[u8] = b"Bed 4: obs stable overnight, NEWS 1, for review by the registrar at 14:00";

fn card(keys: &DeviceKeys, org: &OrganisationKey, i: usize) -> VerifiedCard {
    keys.issue_card(&format!("staff{i}@nhs.net"), "Staff", NOW, NOW + 86_400)
        .expect("card")
        .attest(org)
        .verify(&TrustPolicy::new().with_organisation(org.public_key()), NOW)
        .expect("verified")
}

fn bench(c: &mut Criterion) {
    let mut rng = os_rng();
    let org = OrganisationKey::generate(&mut rng);
    let sender = DeviceKeys::generate(&mut rng);
    let sender_card = card(&sender, &org, 0);
    let binding = Binding::new(b"ward-7-handover", b"staff0@nhs.net");

    let mut group = c.benchmark_group("identity");
    for n in [1usize, 10, 100] {
        let devices: Vec<DeviceKeys> = (0..n).map(|_| DeviceKeys::generate(&mut rng)).collect();
        let cards: Vec<VerifiedCard> = devices
            .iter()
            .enumerate()
            .map(|(i, d)| card(d, &org, i + 1))
            .collect();
        let sealer = cards.iter().fold(Sealer::new(&sender), |s, c| s.to(c));
        let ctx = SealContext {
            binding,
            ..SealContext::new(AT)
        };
        let sealed = sealer.seal(MESSAGE, &ctx, &mut rng).expect("seal");
        // Correctness before timing: every recipient opens it and sees the sender.
        for d in &devices {
            let m = open_signed(d, &[], &sealed, &binding, AT, &[&sender_card]).expect("open");
            assert_eq!(&m.payload()[..], MESSAGE);
        }
        // The hardest recipient to find: the one whose stanza is tried last.
        let last = devices
            .iter()
            .max_by_key(|d| d.public_keys().x25519)
            .expect("n >= 1");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("seal", n), &n, |b, _| {
            b.iter(|| sealer.seal(MESSAGE, &ctx, &mut rng).expect("seal"))
        });
        group.bench_with_input(BenchmarkId::new("open_last_recipient", n), &n, |b, _| {
            b.iter(|| open_signed(last, &[], &sealed, &binding, AT, &[&sender_card]).expect("open"))
        });
    }
    group.throughput(Throughput::Elements(1));

    let bytes = sender_card.card().to_bytes();
    let policy = TrustPolicy::new().with_organisation(org.public_key());
    group.bench_function("card_parse_verify", |b| {
        b.iter(|| {
            careguard::identity::DeviceCard::parse(&bytes)
                .and_then(|c| c.verify(&policy, NOW))
                .expect("verify")
        })
    });

    let a = SafetyParty::new("a@nhs.net", &[sender.public_keys()]).expect("party");
    let other = DeviceKeys::generate(&mut rng);
    let b2 = SafetyParty::new("b@nhs.net", &[other.public_keys()]).expect("party");
    assert_eq!(
        SafetyNumber::compute(&a, &b2).digits(),
        SafetyNumber::compute(&b2, &a).digits()
    );
    group.bench_function("safety_number", |b| {
        b.iter(|| SafetyNumber::compute(&a, &b2))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
