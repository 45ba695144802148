//! Signed Trust policy packs (`careguard::trust`).

use careguard::identity::OrganisationPublicKey;
use careguard::trust::verify_pack;

use crate::args::{bytes_arg, key_arg};
use crate::buffer::out_arg;
use crate::error::{FfiError, guard};
use crate::status::CgStatus;

/// Verifies a Trust policy pack under the organisation's Ed25519 public key (32 bytes) at
/// `now`: layout, signature, validity, and that its version is not below
/// `*accepted_version` (the last version this device accepted; NULL if none). On success
/// `*out_version` is the pack's version: persist it once the app adopts the pack.
///
/// Errors: `CG_STATUS_REPLAYED` (rollback to an older version), `CG_STATUS_BAD_SIGNATURE`,
/// `CG_STATUS_EXPIRED`, `CG_STATUS_NOT_YET_VALID`, `CG_STATUS_TRUNCATED`,
/// `CG_STATUS_MALFORMED`, `CG_STATUS_UNSUPPORTED_VERSION`, `CG_STATUS_INVALID_PATTERN`,
/// `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_INVALID_ARGUMENT` (not an Ed25519 key),
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `accepted_version` is NULL or
/// readable; `out_version` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_verify(
    pack: *const u8,
    pack_len: usize,
    org_public_key: *const u8,
    org_public_key_len: usize,
    now: u64,
    accepted_version: *const u64,
    out_version: *mut u64,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out_version, pack, key, accepted) = unsafe {
            (
                out_arg(out_version, "out_version")?,
                bytes_arg(pack, pack_len, "pack")?,
                key_arg(org_public_key, org_public_key_len, "org_public_key")?,
                accepted_version.as_ref().copied(),
            )
        };
        out_version.write(0);
        let org = OrganisationPublicKey::from_bytes(key.expose_secret())
            .map_err(|e| FfiError::new(CgStatus::InvalidArgument, e.to_string()))?;
        let verified = verify_pack(pack, &[org], now, accepted)?;
        out_version.write(verified.version());
        Ok(())
    })
}
