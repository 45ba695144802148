//! Shared by the vault, wipe and retention tests and the vector generators.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use careguard::vault::KdfParams;
use sha2::{Digest, Sha256};

/// Deterministic RNG (SHA-256 of a counter), so blobs and vectors reproduce.
/// Never use it for real keys.
pub struct TestRng {
    seed: [u8; 32],
    counter: u64,
}

impl TestRng {
    pub fn new(label: &str) -> Self {
        Self {
            seed: Sha256::digest(label.as_bytes()).into(),
            counter: 0,
        }
    }
}

impl rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(32) {
            let mut h = Sha256::new();
            h.update(self.seed);
            h.update(self.counter.to_be_bytes());
            self.counter += 1;
            chunk.copy_from_slice(&h.finalize()[..chunk.len()]);
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for TestRng {}

/// Cheap Argon2 parameters: tests only.
pub fn cheap() -> KdfParams {
    KdfParams::insecure_for_tests_only(256, 2, 1).unwrap()
}
