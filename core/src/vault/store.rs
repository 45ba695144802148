//! The app's blob storage, as careguard needs it for a write-ahead counter that
//! cannot be bypassed: a fresh read and a compare-and-swap write.

/// How many times [`super::Vault::unlock_with_store`] reads again after losing a
/// compare-and-swap to another attempt before giving up with
/// [`super::VaultError::StaleBlob`].
pub const MAX_CAS_RETRIES: u32 = 8;

/// The store could not read or write (a full disk, an I/O error, an exception in
/// the app's callback). careguard treats it as "the attempt was not counted" and
/// never checks the PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreFailed;

/// What a compare-and-swap did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CasOutcome {
    /// The stored blob was the expected one and is now replaced, durably.
    Stored,
    /// The stored blob was not the expected one; nothing was written.
    Stale,
}

/// Where the app keeps its vault blob (a file, the Keychain, a database row).
///
/// careguard calls [`BlobStore::load`] at the start of every attempt and writes
/// only through [`BlobStore::compare_and_swap`], so an attempt can never count from
/// a cached or concurrently used copy of the counter. Taking `&mut self` serialises
/// attempts on one store within a process; the compare-and-swap also catches other
/// processes (an app extension) if the store implements it over shared storage.
///
/// ```
/// use careguard::vault::{BlobStore, CasOutcome, StoreFailed};
///
/// struct InMemory(Vec<u8>);
///
/// impl BlobStore for InMemory {
///     fn load(&mut self) -> Result<Vec<u8>, StoreFailed> {
///         Ok(self.0.clone())
///     }
///     fn compare_and_swap(&mut self, expected: &[u8], new: &[u8]) -> Result<CasOutcome, StoreFailed> {
///         if self.0 != expected {
///             return Ok(CasOutcome::Stale);
///         }
///         self.0 = new.to_vec(); // a real store writes a temporary file, syncs, renames
///         Ok(CasOutcome::Stored)
///     }
/// }
/// ```
pub trait BlobStore {
    /// The blob as stored now, read from storage (never a copy cached earlier).
    fn load(&mut self) -> Result<Vec<u8>, StoreFailed>;

    /// Replaces the stored blob with `new` if, and only if, it is byte for byte
    /// `expected`, atomically, and returns [`CasOutcome::Stored`] only once the
    /// write is durable; [`CasOutcome::Stale`] if the stored blob differs.
    fn compare_and_swap(&mut self, expected: &[u8], new: &[u8]) -> Result<CasOutcome, StoreFailed>;
}
