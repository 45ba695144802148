//! Remote and local wipe (`careguard::wipe`).

use careguard::wipe::{self, LocalWipeReason, WipeOrder, WipeOutcome};

use crate::args::{bytes_arg, key_arg};
use crate::buffer::{CgBytes, bytes_out, out_arg};
use crate::error::{FfiError, FfiResult, guard};
use crate::status::CgStatus;
use crate::vault::CgVault;

/// Why the device wipes itself without an order (for `cg_wipe_local`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgLocalWipeReason {
    /// `cg_vault_unlock` returned `CG_STATUS_WIPE_REQUIRED`.
    PinFailures = 1,
    /// The user (or the app's own logic) asked for it.
    UserRequest = 2,
}

/// Takes the unlocked vault out of a handle (locking the handle), if there is one and
/// it is still unlocked at `now`.
///
/// # Safety
/// `vault` is NULL or a live vault handle.
unsafe fn take_vault(
    vault: *const CgVault,
    now: u64,
) -> FfiResult<Option<careguard::vault::Unlocked>> {
    // SAFETY: caller guarantee.
    match unsafe { vault.as_ref() } {
        None => Ok(None),
        Some(v) => {
            let mut session = v.lock()?;
            let taken = session.take(now).ok();
            session.lock();
            Ok(taken)
        }
    }
}

fn write_tombstone(out: &mut core::mem::MaybeUninit<CgBytes>, outcome: &WipeOutcome) {
    out.write(CgBytes::copy_from(&outcome.tombstone));
}

/// Verifies a remote wipe order and, if it holds, carries it out.
///
/// Checks, in order: the layout, the Ed25519 signature under `org_public_key` (32
/// bytes), that it names `device_id` and `enrolment` (the epoch this enrolment of the
/// app drew at random and registered; draw a new one after every reset), and that its
/// counter is above `*last_accepted` (NULL if this enrolment never accepted an order). Only then it locks `vault` (may be
/// NULL; the master key is wiped) and puts the tombstone in `out_tombstone` and the
/// order's counter in `*out_accepted_counter`.
///
/// The app must then, in this order: replace the vault blob with the tombstone,
/// persist the accepted counter, delete the message store and delete the device
/// secret from the Keychain/Keystore.
///
/// Errors: `CG_STATUS_BAD_SIGNATURE`, `CG_STATUS_WRONG_DEVICE`,
/// `CG_STATUS_WRONG_ENROLMENT` (an order for an earlier enrolment), `CG_STATUS_REPLAYED`,
/// `CG_STATUS_TRUNCATED`, `CG_STATUS_MALFORMED`, `CG_STATUS_UNSUPPORTED_VERSION`,
/// `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_INVALID_ARGUMENT` (not an Ed25519 key),
/// `CG_STATUS_NULL_POINTER`. On any error nothing is wiped.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `last_accepted` is NULL or
/// readable; `vault` is NULL or a live handle; out-pointers are NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_wipe_verify_and_execute(
    order: *const u8,
    order_len: usize,
    org_public_key: *const u8,
    org_public_key_len: usize,
    device_id: *const u8,
    device_id_len: usize,
    enrolment: u64,
    last_accepted: *const u64,
    vault: *const CgVault,
    now: u64,
    out_tombstone: *mut CgBytes,
    out_accepted_counter: *mut u64,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out_tombstone, out_counter, order, org_key, device_id, last_accepted) = unsafe {
            (
                bytes_out(out_tombstone, "out_tombstone")?,
                out_arg(out_accepted_counter, "out_accepted_counter")?,
                bytes_arg(order, order_len, "order")?,
                key_arg(org_public_key, org_public_key_len, "org_public_key")?,
                bytes_arg(device_id, device_id_len, "device_id")?,
                last_accepted.as_ref().copied(),
            )
        };
        out_counter.write(0);
        let verified = wipe::verify(
            order,
            org_key.expose_secret(),
            device_id,
            enrolment,
            last_accepted,
        )?;
        // SAFETY: caller guarantee.
        let unlocked = unsafe { take_vault(vault, now) }?;
        let outcome = wipe::execute(verified, unlocked, now);
        write_tombstone(out_tombstone, &outcome);
        out_counter.write(outcome.accepted_counter.unwrap_or(0));
        Ok(())
    })
}

/// A local wipe (`reason` is a `cg_local_wipe_reason`): locks `vault` (may be NULL),
/// wiping the master key, and puts the tombstone to store in place of the blob in
/// `out_tombstone`. Then delete the message store and the device secret.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (unknown reason), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `vault` is NULL or a live handle; `out_tombstone` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_wipe_local(
    reason: u32,
    vault: *const CgVault,
    now: u64,
    out_tombstone: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { bytes_out(out_tombstone, "out_tombstone") }?;
        let reason = match reason {
            r if r == CgLocalWipeReason::PinFailures as u32 => LocalWipeReason::PinFailures,
            r if r == CgLocalWipeReason::UserRequest as u32 => LocalWipeReason::UserRequest,
            other => {
                return Err(FfiError::new(
                    CgStatus::InvalidArgument,
                    format!("unknown local wipe reason {other}"),
                ));
            }
        };
        // SAFETY: caller guarantee.
        let unlocked = unsafe { take_vault(vault, now) }?;
        write_tombstone(out, &wipe::local_wipe(reason, unlocked, now));
        Ok(())
    })
}

/// Organisation side: signs a wipe order for enrolment `enrolment` of `device_id` (1 to
/// 64 bytes) with the organisation's 32-byte Ed25519 seed. `counter` must exceed every
/// earlier order's for that enrolment. For admin tools and tests; apps only verify.
///
/// Errors: `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_wipe_order_sign(
    device_id: *const u8,
    device_id_len: usize,
    enrolment: u64,
    counter: u64,
    issued_at: u64,
    org_seed: *const u8,
    org_seed_len: usize,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, device_id, seed) = unsafe {
            (
                bytes_out(out, "out")?,
                bytes_arg(device_id, device_id_len, "device_id")?,
                key_arg(org_seed, org_seed_len, "org_seed")?,
            )
        };
        let order = WipeOrder::new(device_id, enrolment, counter, issued_at)?;
        out.write(CgBytes::copy_from(&order.sign(&seed)));
        Ok(())
    })
}

/// Organisation side: the 32-byte Ed25519 public key for a 32-byte seed (configure it
/// in the app for `cg_wipe_verify_and_execute`).
///
/// Errors: `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `org_seed` is readable for `org_seed_len` bytes (or NULL with 0); `out` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_wipe_org_public_key(
    org_seed: *const u8,
    org_seed_len: usize,
    out: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, seed) = unsafe {
            (
                bytes_out(out, "out")?,
                key_arg(org_seed, org_seed_len, "org_seed")?,
            )
        };
        out.write(CgBytes::copy_from(&wipe::org_public_key(&seed)));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use careguard::DecodeError;
    use careguard::wipe::WipeError;

    #[test]
    fn every_wipe_error_has_its_status() {
        let cases = [
            (
                WipeError::Decode(DecodeError::Truncated {
                    what: "x",
                    needed: 2,
                    got: 1,
                }),
                CgStatus::Truncated,
            ),
            (
                WipeError::Decode(DecodeError::TrailingBytes {
                    what: "x",
                    expected: 1,
                    got: 2,
                }),
                CgStatus::Malformed,
            ),
            (
                WipeError::Decode(DecodeError::BadMagic { what: "x" }),
                CgStatus::Malformed,
            ),
            (
                WipeError::Decode(DecodeError::UnsupportedVersion {
                    what: "x",
                    version: 2,
                }),
                CgStatus::UnsupportedVersion,
            ),
            (WipeError::InvalidDeviceIdLength(0), CgStatus::InvalidLength),
            (WipeError::BadSignature, CgStatus::BadSignature),
            (WipeError::InvalidOrgKey, CgStatus::InvalidArgument),
            (WipeError::WrongDevice, CgStatus::WrongDevice),
            (
                WipeError::WrongEnrolment {
                    order: 1,
                    device: 2,
                },
                CgStatus::WrongEnrolment,
            ),
            (
                WipeError::Replayed {
                    counter: 1,
                    last_accepted: 1,
                },
                CgStatus::Replayed,
            ),
        ];
        for (err, status) in cases {
            let message = err.to_string();
            let ffi = FfiError::from(err);
            assert_eq!(ffi.status, status, "{message}");
            assert_eq!(ffi.message, message);
        }
    }
}
