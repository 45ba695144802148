//! Vault blobs from hostile storage: parsing and the unlock path return typed
//! errors and never panic; a blob that parses re-encodes to the same bytes.
#![no_main]

use careguard::vault::{BLOB_LEN, BlobStatus, LockoutPolicy, Vault};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let status = Vault::status(data);
    let Ok(attempt) = Vault::begin_unlock(data, &LockoutPolicy::default(), 1 << 40) else {
        return;
    };
    // Only an active blob begins an unlock; its rewrite differs only in the counter.
    assert_eq!(attempt.blob().len(), BLOB_LEN);
    assert_eq!(attempt.blob()[..96], data[..96]);
    // Argon2 only for cheap parameters, so the fuzzer stays fast.
    if let Ok(BlobStatus::Active { params, device_bound: false, .. }) = status
        && params.m_kib() <= 256
        && params.t_cost() <= 3
    {
        let ready = attempt.persist_with(|_, _| Ok::<_, ()>(())).expect("infallible write");
        let _ = ready.unlock(b"730419", None);
    }
});
