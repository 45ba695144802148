//! Test support shared by core's integration tests and vector generators: the one
//! deterministic test RNG, whose byte stream docs/FORMAT.md ("The test RNG") specifies so
//! that the Python cross-checks in core/tests/python/ can reproduce it.
#![allow(dead_code, unreachable_pub)]

use sha2::{Digest, Sha256};

/// A deterministic RNG for tests and vector generators; never for real keys.
///
/// Its stream is `SHA-256(label | u64_be(0)) | SHA-256(label | u64_be(1)) | ...`, with
/// `label` the UTF-8 bytes given to [`TestRng::new`]. `fill_bytes` takes the next bytes of
/// the stream, leaving none out between calls; `next_u32` and `next_u64` take the next 4
/// or 8 bytes, little-endian.
pub struct TestRng {
    label: Vec<u8>,
    counter: u64,
    block: [u8; 32],
    used: usize,
}

impl TestRng {
    /// The stream for `label`.
    pub fn new(label: &str) -> Self {
        Self {
            label: label.as_bytes().to_vec(),
            counter: 0,
            block: [0; 32],
            used: 32,
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
        for byte in dst {
            if self.used == self.block.len() {
                let mut h = Sha256::new();
                h.update(&self.label);
                h.update(self.counter.to_be_bytes());
                self.block = h.finalize().into();
                self.counter += 1;
                self.used = 0;
            }
            *byte = self.block[self.used];
            self.used += 1;
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for TestRng {}
