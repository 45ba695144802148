//! Signed Trust policy packs and emergency orders (`careguard::trust`): verification
//! (`cg_trust_pack_verify`, `cg_trust_pack_open`), the pack's settings
//! (`cg_trust_pack_*`) and emergency (network-outage) orders (`cg_emergency_order_verify`).

use core::ffi::c_char;
use std::ffi::CString;

use careguard::identity::OrganisationPublicKey;
use careguard::trust::{VerifiedPack, verify_emergency, verify_pack};

use crate::args::{bytes_arg, c_string, free_handle, handle_arg, into_handle, key_arg, str_arg};
use crate::buffer::out_arg;
use crate::detect::CgScanner;
use crate::error::{FfiError, FfiResult, guard};
use crate::policy::conversation;
use crate::retention::{CgRetentionPolicy, to_c};
use crate::sending::CgGroupRules;
use crate::status::CgStatus;

fn org_key(bytes: &[u8; 32]) -> FfiResult<OrganisationPublicKey> {
    OrganisationPublicKey::from_bytes(bytes)
        .map_err(|e| FfiError::new(CgStatus::InvalidArgument, e.to_string()))
}

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
        let verified = verify_pack(pack, &[org_key(key.expose_secret())?], now, accepted)?;
        out_version.write(verified.version());
        Ok(())
    })
}

/// A verified Trust policy pack: its settings for the app, the scanner built from its
/// patterns and allow-list, and what emergency orders are checked against. Made by
/// `cg_trust_pack_open`, released by `cg_trust_pack_free`.
///
/// Thread safety: immutable; may be shared between threads.
pub struct CgTrustPack {
    pack: VerifiedPack,
    platforms: Vec<CString>,
    patterns: Vec<CString>,
    allow_list: Vec<CString>,
}

/// Which list of a pack `cg_trust_pack_list_get` reads.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgTrustPackList {
    /// Approved messaging platforms.
    ApprovedPlatforms = 0,
    /// The Trust's hospital-number patterns (regular expressions).
    HospitalNumberPatterns = 1,
    /// Terms the scanner never flags (ward names, team names).
    AllowList = 2,
}

/// A verified pack's scalar settings (`cg_trust_pack_get_info`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgTrustPackInfo {
    /// The pack's version: persist it as the accepted version once adopted.
    pub version: u64,
    /// Issued (Unix seconds).
    pub issued_at: u64,
    /// Valid until (Unix seconds, exclusive): fetch a newer pack before then.
    pub expires_at: u64,
    /// Whether the Trust allows emergency (network-outage) mode at all.
    pub emergency_allowed: bool,
    /// The longest emergency order the pack accepts (seconds).
    pub emergency_max_secs: u64,
    /// Group rules for `cg_group_review`.
    pub group_rules: CgGroupRules,
    /// A `cg_notification_detail` value for `cg_notification_text`.
    pub notification_detail: u32,
    /// Number of approved platforms.
    pub approved_platforms_len: usize,
    /// Number of hospital-number patterns.
    pub hospital_number_patterns_len: usize,
    /// Number of allow-list entries.
    pub allow_list_len: usize,
}

/// A verified emergency order (`cg_emergency_order_verify`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CgEmergencyOrder {
    /// The order's id.
    pub id: u64,
    /// In force from (Unix seconds).
    pub starts_at: u64,
    /// In force until (Unix seconds, exclusive).
    pub ends_at: u64,
    /// The version of the pack it was verified against.
    pub pack_version: u64,
    /// Whether it is in force at the `now` given.
    pub in_force: bool,
}

/// # Safety
/// `ptr` is NULL or a live pack.
unsafe fn pack_arg<'a>(ptr: *const CgTrustPack) -> FfiResult<&'a CgTrustPack> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "pack") }
}

fn c_strings(items: &[String]) -> FfiResult<Vec<CString>> {
    items.iter().map(|s| c_string(s)).collect()
}

/// Verifies a Trust policy pack as `cg_trust_pack_verify` does (same arguments and
/// errors) and, if it verifies, keeps it in `*out` to read its settings and check
/// emergency orders against.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `accepted_version` is NULL or
/// readable; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_open(
    pack: *const u8,
    pack_len: usize,
    org_public_key: *const u8,
    org_public_key_len: usize,
    now: u64,
    accepted_version: *const u64,
    out: *mut *mut CgTrustPack,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, bytes, key, accepted) = unsafe {
            (
                out_arg(out, "out")?,
                bytes_arg(pack, pack_len, "pack")?,
                key_arg(org_public_key, org_public_key_len, "org_public_key")?,
                accepted_version.as_ref().copied(),
            )
        };
        out.write(core::ptr::null_mut());
        let verified = verify_pack(bytes, &[org_key(key.expose_secret())?], now, accepted)?;
        let p = verified.pack();
        let handle = CgTrustPack {
            platforms: c_strings(&p.approved_platforms)?,
            patterns: c_strings(&p.hospital_number_patterns)?,
            allow_list: c_strings(&p.allow_list)?,
            pack: verified,
        };
        out.write(into_handle(handle));
        Ok(())
    })
}

/// The pack's scalar settings into `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `pack` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_get_info(
    pack: *const CgTrustPack,
    out: *mut CgTrustPackInfo,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, h) = unsafe { (out_arg(out, "out")?, pack_arg(pack)?) };
        let p = h.pack.pack();
        out.write(CgTrustPackInfo {
            version: p.version,
            issued_at: p.issued_at,
            expires_at: p.expires_at,
            emergency_allowed: p.emergency_allowed,
            emergency_max_secs: p.emergency_max_secs,
            group_rules: p.group_rules.into(),
            notification_detail: crate::sending::detail_to_c(p.notification_detail)? as u32,
            approved_platforms_len: h.platforms.len(),
            hospital_number_patterns_len: h.patterns.len(),
            allow_list_len: h.allow_list.len(),
        });
        Ok(())
    })
}

/// Entry `index` of one of the pack's lists (`list`, a `cg_trust_pack_list` value) into
/// `*out`, borrowed from the pack (do not free it).
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (unknown list, or `index` past its end),
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `pack` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_list_get(
    pack: *const CgTrustPack,
    list: u32,
    index: usize,
    out: *mut *const c_char,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, h) = unsafe { (out_arg(out, "out")?, pack_arg(pack)?) };
        out.write(core::ptr::null());
        let items = match list {
            l if l == CgTrustPackList::ApprovedPlatforms as u32 => &h.platforms,
            l if l == CgTrustPackList::HospitalNumberPatterns as u32 => &h.patterns,
            l if l == CgTrustPackList::AllowList as u32 => &h.allow_list,
            other => {
                return Err(FfiError::new(
                    CgStatus::InvalidArgument,
                    format!("unknown pack list {other}"),
                ));
            }
        };
        let item = items.get(index).ok_or_else(|| {
            FfiError::new(
                CgStatus::InvalidArgument,
                format!("index {index} past the {} entries", items.len()),
            )
        })?;
        out.write(item.as_ptr());
        Ok(())
    })
}

/// The retention policy the pack sets for `conversation` (a `cg_conversation` value;
/// nothing set if the pack has none for it) into `*out`.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (unknown conversation), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `pack` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_retention(
    pack: *const CgTrustPack,
    conversation_kind: u32,
    out: *mut CgRetentionPolicy,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, h) = unsafe { (out_arg(out, "out")?, pack_arg(pack)?) };
        out.write(to_c(&h.pack.retention(conversation(conversation_kind)?)));
        Ok(())
    })
}

/// Whether the pack approves messaging `platform` (UTF-8; case-insensitive, surrounding
/// spaces ignored) into `*out`: the `platform_approved` of `cg_policy_context`.
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `pack` is NULL or live; `platform` is readable for `platform_len` bytes; `out` is
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_platform_approved(
    pack: *const CgTrustPack,
    platform: *const c_char,
    platform_len: usize,
    out: *mut bool,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, h, platform) = unsafe {
            (
                out_arg(out, "out")?,
                pack_arg(pack)?,
                str_arg(platform, platform_len, "platform")?,
            )
        };
        out.write(h.pack.platform_approved(platform));
        Ok(())
    })
}

/// A scanner with the pack's hospital-number patterns and allow-list (built once when the
/// pack was opened) into `*out`; release it with `cg_scanner_free`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `pack` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_scanner(
    pack: *const CgTrustPack,
    out: *mut *mut CgScanner,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, h) = unsafe { (out_arg(out, "out")?, pack_arg(pack)?) };
        out.write(crate::detect::scanner_handle(h.pack.scanner().clone()));
        Ok(())
    })
}

/// Releases a pack. Accepts NULL.
///
/// # Safety
/// `pack` is NULL or live and not used after this call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_trust_pack_free(pack: *mut CgTrustPack) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(pack) }
}

/// Verifies an emergency (network-outage) order signed by the organisation key (32 bytes)
/// against a verified `pack` at `now`: its signature, that the pack allows emergency mode
/// and orders this long, and that it has not ended. On success `*out` describes it; it is
/// in force only while `in_force` (one that starts later verifies too). Emergency mode is
/// on only with such an order, never by a local switch.
///
/// Errors: `CG_STATUS_BAD_SIGNATURE`, `CG_STATUS_EXPIRED` (the order ended),
/// `CG_STATUS_INVALID_ARGUMENT` (the pack does not allow it, or not this long; or not an
/// Ed25519 key), `CG_STATUS_TRUNCATED`, `CG_STATUS_MALFORMED`,
/// `CG_STATUS_UNSUPPORTED_VERSION`, `CG_STATUS_INVALID_LENGTH`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// Buffers are readable for their lengths (or NULL with 0); `pack` is NULL or live; `out`
/// is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_emergency_order_verify(
    order: *const u8,
    order_len: usize,
    org_public_key: *const u8,
    org_public_key_len: usize,
    pack: *const CgTrustPack,
    now: u64,
    out: *mut CgEmergencyOrder,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees for every pointer.
        let (out, order, key, h) = unsafe {
            (
                out_arg(out, "out")?,
                bytes_arg(order, order_len, "order")?,
                key_arg(org_public_key, org_public_key_len, "org_public_key")?,
                pack_arg(pack)?,
            )
        };
        out.write(CgEmergencyOrder {
            id: 0,
            starts_at: 0,
            ends_at: 0,
            pack_version: 0,
            in_force: false,
        });
        let verified = verify_emergency(order, &[org_key(key.expose_secret())?], &h.pack, now)?;
        let o = verified.order();
        out.write(CgEmergencyOrder {
            id: o.id,
            starts_at: o.starts_at,
            ends_at: o.ends_at,
            pack_version: verified.pack_version(),
            in_force: verified.in_force(now),
        });
        Ok(())
    })
}
