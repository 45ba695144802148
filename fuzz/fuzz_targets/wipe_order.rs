//! Wipe orders from the network: verification returns typed errors and never
//! panics; whatever parses re-signs to a verifiable order with the same fields.
#![no_main]

use careguard::SecretKey;
use careguard::wipe::{self, WipeOrder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let org = SecretKey::from_bytes([0x42; 32]);
    let public = wipe::org_public_key(&org);
    let _ = wipe::verify(data, &public, b"device-7f3a", 0x0123_4567_89ab_cdef, Some(4));
    if let Ok(order) = WipeOrder::parse_unverified(data) {
        let resigned = order.sign(&org);
        let again = wipe::verify(&resigned, &public, order.device_id(), order.enrolment(), None)
            .expect("re-signed order verifies");
        assert_eq!(again.counter(), order.counter());
        assert_eq!(again.issued_at(), order.issued_at());
    }
});
