//! Vault unlock cost (Argon2id dominates): at the default parameters (64 MiB,
//! t = 3, p = 1) one-shot, with Argon2's memory reused between unlocks, and at
//! the parameters `calibrate` picks for a 500 ms target on this machine.
//!
//! Analysis: a one-shot unlock pays first-touch page faults for 64 MiB; reusing
//! `KdfMemory` removes them (and is what an app holding the lock screen open
//! would do). `calibrate` runs the same probe the bench times.
//!
//! Run: `cargo bench -p careguard-benches --bench vault`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

use careguard::envelope::os_rng;
use careguard::vault::{
    KdfMemory, KdfParams, LockoutPolicy, PersistedAttempt, Pin, Vault, calibrate_with_std_timer,
};

const PIN: &[u8] = b"730419";

fn ready(blob: &[u8]) -> PersistedAttempt {
    Vault::begin_unlock(blob, &LockoutPolicy::default(), 0)
        .and_then(|a| a.persist_with(|_, _| Ok(())))
        .expect("a fresh blob can begin an unlock")
}

fn bench_unlock(c: &mut Criterion) {
    let mut rng = os_rng();
    let pin = Pin::new("730419").expect("pin passes the policy");
    let calibrated = calibrate_with_std_timer(500, 1024 * 1024).expect("calibration runs");
    eprintln!("calibrate(500 ms, max 1 GiB) picked {calibrated:?}");

    let mut group = c.benchmark_group("vault/unlock");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(4));
    for (name, params) in [
        ("default", KdfParams::DEFAULT),
        ("calibrated_500ms", calibrated),
    ] {
        let (vault, blob) = Vault::create(&pin, None, &params, &mut rng).expect("create");
        let kek = vault.derive_kek(1);
        // Correctness before timing: the PIN unlocks the same master key, with and without reused memory.
        let mut memory = KdfMemory::new();
        let (a, _) = ready(&blob).unlock(PIN, None).expect("unlock");
        let (b, _) = ready(&blob)
            .unlock_with_memory(PIN, None, &mut memory)
            .expect("unlock");
        assert!(a.derive_kek(1) == kek && b.derive_kek(1) == kek);

        if name == "default" {
            group.bench_function("default/one_shot", |bench| {
                bench.iter(|| black_box(ready(&blob).unlock(PIN, None).expect("unlock")))
            });
        }
        group.bench_function(format!("{name}/reused_memory"), |bench| {
            bench.iter(|| {
                black_box(
                    ready(&blob)
                        .unlock_with_memory(PIN, None, &mut memory)
                        .expect("unlock"),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_unlock);
criterion_main!(benches);
