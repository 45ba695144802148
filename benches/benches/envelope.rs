//! Envelope seal and open at 100 B, 1 KiB, 64 KiB and 1 MiB, next to raw `aes-gcm`
//! AES-256-GCM encryption and decryption of the same bytes in the same run, so the
//! envelope's overhead reads as a ratio.
//!
//! Analysis: an envelope does one AES-GCM pass over the payload like the raw baseline,
//! plus a fixed per-message cost: 48 random bytes from the OS, two HKDF-SHA256
//! extracts and four expands, one DEK wrap (AES-GCM over 32 bytes), two HMAC-SHA256s
//! over the header and binding, two AES key schedules, and the header's allocation and
//! copy. That fixed cost dominates at 100 B and fades by 1 MiB. `open` also wipes the
//! plaintext buffer when the result is dropped (inside the timing: `zeroize` writes it
//! byte by byte with volatile stores), which is most of its extra cost at 1 MiB. Padding is off in the `seal`/`open` groups so the
//! ratio is the format's overhead alone; `seal_padded` shows the default (padding to
//! a power-of-two bucket, up to 2x the bytes to encrypt).
//!
//! Run: `cargo bench -p careguard-benches --bench envelope`

use std::hint::black_box;
use std::time::Duration;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use careguard::envelope::{self, Binding, KeyRing, SealOptions};
use careguard::{SealContext, SecretKey, UnixSeconds};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SIZES: [(&str, usize); 4] = [
    ("100", 100),
    ("1k", 1024),
    ("64k", 64 * 1024),
    ("1m", 1024 * 1024),
];
const NOW: UnixSeconds = UnixSeconds(1_700_000_000);

fn bench_envelope(c: &mut Criterion) {
    let mut ring = KeyRing::new();
    ring.insert(1, SecretKey::from_bytes([7; 32]))
        .expect("a fresh ring accepts a key");
    let binding = Binding::new(b"conversation-1234", b"sender-5678");
    let plain = SealOptions::new().content_type("text/plain").padding(false);
    let padded = SealOptions::new().content_type("text/plain");
    let raw = Aes256Gcm::new(&[9u8; 32].into());
    let nonce = Nonce::from([3u8; 12]);
    let mut rng = envelope::os_rng();

    for (group_name, options) in [
        ("envelope/seal", plain.clone()),
        ("envelope/seal_padded", padded),
    ] {
        let ctx = SealContext {
            binding,
            options,
            now: NOW,
        };
        let mut group = c.benchmark_group(group_name);
        configure(&mut group);
        for (name, size) in SIZES {
            let payload = payload(size);
            // Correctness before timing.
            let sealed = envelope::seal(&[&ring], &payload, &ctx, &mut rng).expect("seal succeeds");
            let opened = envelope::open(&[&ring], &sealed, &binding, NOW).expect("opens");
            assert!(opened.payload[..] == payload[..]);
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_with_input(BenchmarkId::from_parameter(name), &payload, |b, p| {
                b.iter(|| {
                    envelope::seal(&[&ring], black_box(p), &ctx, &mut rng).expect("seal succeeds")
                })
            });
        }
        group.finish();
    }

    let mut group = c.benchmark_group("envelope/open");
    configure(&mut group);
    for (name, size) in SIZES {
        let payload = payload(size);
        let sealed = envelope::seal(
            &[&ring],
            &payload,
            &SealContext {
                binding,
                options: plain.clone(),
                now: NOW,
            },
            &mut rng,
        )
        .expect("seal succeeds");
        assert!(
            envelope::open(&[&ring], &sealed, &binding, NOW)
                .expect("opens")
                .payload[..]
                == payload[..]
        );
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &sealed, |b, s| {
            b.iter(|| envelope::open(&[&ring], black_box(s), &binding, NOW).expect("opens"))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("raw_aes256gcm/encrypt");
    configure(&mut group);
    for (name, size) in SIZES {
        let payload = payload(size);
        let ct = raw.encrypt(&nonce, &payload[..]).expect("encrypts");
        assert_eq!(raw.decrypt(&nonce, &ct[..]).expect("decrypts"), payload);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &payload, |b, p| {
            b.iter(|| raw.encrypt(&nonce, black_box(&p[..])).expect("encrypts"))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("raw_aes256gcm/decrypt");
    configure(&mut group);
    for (name, size) in SIZES {
        let ct = raw.encrypt(&nonce, &payload(size)[..]).expect("encrypts");
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &ct, |b, ct| {
            b.iter(|| raw.decrypt(&nonce, black_box(&ct[..])).expect("decrypts"))
        });
    }
    group.finish();
}

fn configure(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
}

fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 131 % 251) as u8).collect()
}

criterion_group!(benches, bench_envelope);
criterion_main!(benches);
