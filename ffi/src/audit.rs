//! Offline verification of content-free audit logs (`careguard::audit`).

use careguard::audit::{CHAIN_HEAD_LEN, ChainHead, verify_log};

use crate::args::{bytes_arg, key_arg};
use crate::buffer::{CgBytes, bytes_out, out_arg};
use crate::error::{FfiError, guard};
use crate::status::CgStatus;

/// Verifies an audit log (its segments concatenated) under the device's Ed25519 public
/// key (32 bytes): every segment's signature, order and hash chain, and, when
/// `expected_head` is given (40 bytes, the head the device reported; NULL with 0 to skip),
/// that the log ends there. On success `*out_records` is the number of records and
/// `out_head` the log's 40-byte head.
///
/// Errors: `CG_STATUS_BAD_SIGNATURE` (edited, reordered inside a segment, or another key),
/// `CG_STATUS_TAMPERED` (segments removed, repeated or reordered), `CG_STATUS_TRUNCATED`
/// (bytes cut off, or the log ends before `expected_head`), `CG_STATUS_WRONG_DEVICE`,
/// `CG_STATUS_MALFORMED`, `CG_STATUS_UNSUPPORTED_VERSION`, `CG_STATUS_INVALID_LENGTH`,
/// `CG_STATUS_INVALID_ARGUMENT` (not an Ed25519 key), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); out-pointers are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_audit_log_verify(
    log: *const u8,
    log_len: usize,
    device_public_key: *const u8,
    device_public_key_len: usize,
    expected_head: *const u8,
    expected_head_len: usize,
    out_records: *mut u64,
    out_head: *mut CgBytes,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out_records, out_head, log, key, head) = unsafe {
            (
                out_arg(out_records, "out_records")?,
                bytes_out(out_head, "out_head")?,
                bytes_arg(log, log_len, "log")?,
                key_arg(
                    device_public_key,
                    device_public_key_len,
                    "device_public_key",
                )?,
                bytes_arg(expected_head, expected_head_len, "expected_head")?,
            )
        };
        out_records.write(0);
        let head = match head.len() {
            0 => None,
            CHAIN_HEAD_LEN => {
                let mut h = [0u8; CHAIN_HEAD_LEN];
                h.copy_from_slice(head);
                Some(ChainHead::from_bytes(&h))
            }
            n => {
                return Err(FfiError::new(
                    CgStatus::InvalidLength,
                    format!("`expected_head` is {n} bytes, {CHAIN_HEAD_LEN} expected"),
                ));
            }
        };
        let verified = verify_log(log, key.expose_secret(), head.as_ref())?;
        out_records.write(verified.records().len() as u64);
        out_head.write(CgBytes::copy_from(&verified.head().to_bytes()));
        Ok(())
    })
}
