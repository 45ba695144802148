//! The patient-identifier scanner (`careguard::detect`).

use core::ffi::c_char;
use std::ffi::CString;
use std::sync::{Mutex, MutexGuard};

use careguard::detect::{Finding, Kind, MaskStyle, Scanner, ScannerBuilder};

use crate::args::{c_string, free_handle, handle_arg, into_handle, no_nul, str_arg};
use crate::buffer::out_arg;
use crate::error::{FfiError, FfiResult, guard};
use crate::status::CgStatus;

/// Configures scanners (`careguard::detect::ScannerBuilder`); one builder can build
/// many scanners. Made by `cg_scanner_builder_new`, released by
/// `cg_scanner_builder_free`.
///
/// Thread safety: may be shared between threads (calls serialise on an internal
/// lock), though configuring from one thread is the normal use.
pub struct CgScannerBuilder {
    builder: Mutex<ScannerBuilder>,
}

impl CgScannerBuilder {
    fn lock(&self) -> FfiResult<MutexGuard<'_, ScannerBuilder>> {
        self.builder.lock().map_err(|_| {
            FfiError::new(
                CgStatus::Panic,
                "scanner builder unusable after an earlier panic",
            )
        })
    }
}

/// A compiled scanner (`careguard::detect::Scanner`). Build it once and reuse it:
/// building compiles the patterns and lexicon, scanning is linear in the text.
///
/// Thread safety: immutable; share one scanner between any number of threads and
/// scan concurrently. Free it once, after every other call on it has returned.
pub struct CgScanner {
    scanner: Scanner,
}

/// The findings of one scan, in text order. Made by `cg_scanner_scan`, released by
/// `cg_findings_free`; the strings inside each `cg_finding` live as long as it.
///
/// Thread safety: immutable; may be read from any thread.
pub struct CgFindings {
    pub(crate) findings: Vec<Finding>,
    items: Vec<CgFinding>,
    // Owns the C strings `items` point into (their heap buffers never move).
    _strings: Vec<CString>,
}

/// One identifier found in the scanned text. Offsets are relative to the text passed
/// to `cg_scanner_scan`: `start..end` in UTF-8 bytes, `start_utf16..end_utf16` in
/// UTF-16 code units (for NSString/Swift `String.utf16`, Java and JavaScript strings).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CgFinding {
    /// The kind name (`nhs_number`, `person_name`, ...); borrowed from the findings.
    pub kind: *const c_char,
    /// The rule that fired (for diagnostics); borrowed from the findings.
    pub rule: *const c_char,
    /// Start, in UTF-8 bytes.
    pub start: usize,
    /// End (exclusive), in UTF-8 bytes.
    pub end: usize,
    /// Start, in UTF-16 code units.
    pub start_utf16: usize,
    /// End (exclusive), in UTF-16 code units.
    pub end_utf16: usize,
    /// Confidence between 0 and 1.
    pub confidence: f32,
    /// Whose name it is (`patient`, `staff` or `unknown`) for a `person_name`;
    /// `unknown` for every other kind. Borrowed from the findings.
    pub subject: *const c_char,
}

/// How `cg_scanner_minimise` masks findings.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CgMaskStyle {
    /// Replace the whole finding with its kind's placeholder (`[NHS number]`). Default.
    Placeholder = 0,
    /// Keep a little for recognition (last four digits, year, outward code...).
    Partial = 1,
}

impl CgFindings {
    pub(crate) fn new(findings: Vec<Finding>) -> FfiResult<Self> {
        let mut strings = Vec::with_capacity(findings.len() * 3);
        let mut items = Vec::with_capacity(findings.len());
        for f in &findings {
            let kind = c_string(f.kind.as_str())?;
            let rule = c_string(f.rule)?;
            let subject = c_string(f.subject.as_str())?;
            items.push(CgFinding {
                kind: kind.as_ptr(),
                rule: rule.as_ptr(),
                start: f.start,
                end: f.end,
                start_utf16: f.start_utf16,
                end_utf16: f.end_utf16,
                confidence: f.confidence,
                subject: subject.as_ptr(),
            });
            strings.push(kind);
            strings.push(rule);
            strings.push(subject);
        }
        Ok(Self {
            findings,
            items,
            _strings: strings,
        })
    }
}

/// Moves a scanner into a new handle for the caller (`cg_scanner_free`).
pub(crate) fn scanner_handle(scanner: Scanner) -> *mut CgScanner {
    into_handle(CgScanner { scanner })
}

/// # Safety
/// `ptr` is NULL or a live builder handle.
unsafe fn builder_arg<'a>(ptr: *const CgScannerBuilder) -> FfiResult<&'a CgScannerBuilder> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "builder") }
}

/// # Safety
/// `ptr` is NULL or a live scanner handle.
pub(crate) unsafe fn scanner_arg<'a>(ptr: *const CgScanner) -> FfiResult<&'a Scanner> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "scanner") }.map(|s| &s.scanner)
}

/// # Safety
/// `ptr` is NULL or a live findings handle.
pub(crate) unsafe fn findings_arg<'a>(ptr: *const CgFindings) -> FfiResult<&'a CgFindings> {
    // SAFETY: forwarded caller guarantee.
    unsafe { handle_arg(ptr, "findings") }
}

/// A builder with the defaults: every kind on, confidence threshold 0.5, placeholders,
/// no Trust patterns, no allow-list, the built-in name lexicon only.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_new(out: *mut *mut CgScannerBuilder) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        out.write(into_handle(CgScannerBuilder {
            builder: Mutex::new(ScannerBuilder::new()),
        }));
        Ok(())
    })
}

/// Turns one kind (by its name, e.g. `postcode`) on or off.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (unknown kind name), `CG_STATUS_INVALID_UTF8`,
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `builder` is NULL or live; `kind` is readable for `kind_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_kind(
    builder: *const CgScannerBuilder,
    kind: *const c_char,
    kind_len: usize,
    on: bool,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (builder, name) = unsafe { (builder_arg(builder)?, str_arg(kind, kind_len, "kind")?) };
        let kind: Kind = name.parse().map_err(|_| {
            FfiError::new(
                CgStatus::InvalidArgument,
                format!("unknown kind name {name:?}"),
            )
        })?;
        builder.lock()?.kind(kind, on);
        Ok(())
    })
}

/// Drops findings below `threshold` (0 to 1; default 0.5, which hides plain dates at
/// 0.3). Checked when building.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `builder` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_confidence_threshold(
    builder: *const CgScannerBuilder,
    threshold: f32,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        unsafe { builder_arg(builder) }?
            .lock()?
            .confidence_threshold(threshold);
        Ok(())
    })
}

/// Sets how `cg_scanner_minimise` masks (`style` is a `cg_mask_style`).
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (unknown style), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `builder` is NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_mask_style(
    builder: *const CgScannerBuilder,
    style: u32,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let builder = unsafe { builder_arg(builder) }?;
        let style = match style {
            s if s == CgMaskStyle::Placeholder as u32 => MaskStyle::Placeholder,
            s if s == CgMaskStyle::Partial as u32 => MaskStyle::Partial,
            other => {
                return Err(FfiError::new(
                    CgStatus::InvalidArgument,
                    format!("unknown mask style {other}"),
                ));
            }
        };
        builder.lock()?.mask_style(style);
        Ok(())
    })
}

/// Shared body of the builder's text setters.
///
/// # Safety
/// `builder` is NULL or live; `text` is readable for `text_len` bytes.
unsafe fn set_text(
    builder: *const CgScannerBuilder,
    text: *const c_char,
    text_len: usize,
    name: &str,
    apply: fn(&mut ScannerBuilder, &str),
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (builder, text) = unsafe { (builder_arg(builder)?, str_arg(text, text_len, name)?) };
        apply(&mut *builder.lock()?, text);
        Ok(())
    })
}

/// Adds a Trust hospital-number pattern (a Rust `regex` expression, compiled under a
/// size limit; at most 32).
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER` (problems with the entry
/// itself are reported by `cg_scanner_builder_build`).
///
/// # Safety
/// `builder` is NULL or live; `pattern` is readable for `pattern_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_hospital_number_pattern(
    builder: *const CgScannerBuilder,
    pattern: *const c_char,
    pattern_len: usize,
) -> CgStatus {
    // SAFETY: forwarded caller guarantees.
    unsafe {
        set_text(builder, pattern, pattern_len, "pattern", |b, t| {
            b.hospital_number_pattern(t);
        })
    }
}

/// Allow-lists a phrase (a ward or approved name): nothing inside an occurrence of it
/// is reported (case-insensitive, on word boundaries).
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER` (problems with the entry
/// itself are reported by `cg_scanner_builder_build`).
///
/// # Safety
/// `builder` is NULL or live; `phrase` is readable for `phrase_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_allow(
    builder: *const CgScannerBuilder,
    phrase: *const c_char,
    phrase_len: usize,
) -> CgStatus {
    // SAFETY: forwarded caller guarantees.
    unsafe {
        set_text(builder, phrase, phrase_len, "phrase", |b, t| {
            b.allow(t);
        })
    }
}

/// Adds one given name to the lexicon.
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER` (problems with the entry
/// itself are reported by `cg_scanner_builder_build`).
///
/// # Safety
/// `builder` is NULL or live; `name` is readable for `name_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_extra_given_name(
    builder: *const CgScannerBuilder,
    name: *const c_char,
    name_len: usize,
) -> CgStatus {
    // SAFETY: forwarded caller guarantees.
    unsafe {
        set_text(builder, name, name_len, "name", |b, t| {
            b.extra_given_names([t]);
        })
    }
}

/// Adds one name known to be staff (the ward's rota): a found name all of whose words
/// appear in one of these gets the subject `staff`, so the policy lets it through in a
/// clinical group on an approved platform.
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER` (problems with the entry
/// itself are reported by `cg_scanner_builder_build`).
///
/// # Safety
/// `builder` is NULL or live; `name` is readable for `name_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_staff_name(
    builder: *const CgScannerBuilder,
    name: *const c_char,
    name_len: usize,
) -> CgStatus {
    // SAFETY: forwarded caller guarantees.
    unsafe {
        set_text(builder, name, name_len, "name", |b, t| {
            b.staff_names([t]);
        })
    }
}

/// Adds one surname to the lexicon.
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER` (problems with the entry
/// itself are reported by `cg_scanner_builder_build`).
///
/// # Safety
/// `builder` is NULL or live; `name` is readable for `name_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_extra_surname(
    builder: *const CgScannerBuilder,
    name: *const c_char,
    name_len: usize,
) -> CgStatus {
    // SAFETY: forwarded caller guarantees.
    unsafe {
        set_text(builder, name, name_len, "name", |b, t| {
            b.extra_surnames([t]);
        })
    }
}

/// Builds a scanner from the builder's current settings into `*out`.
///
/// Errors: `CG_STATUS_INVALID_PATTERN`, `CG_STATUS_TOO_LARGE` (too many patterns or
/// entries), `CG_STATUS_INVALID_LENGTH` (an empty or over-long entry),
/// `CG_STATUS_INVALID_ARGUMENT` (threshold outside 0..1), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `builder` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_build(
    builder: *const CgScannerBuilder,
    out: *mut *mut CgScanner,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, builder) = unsafe { (out_arg(out, "out")?, builder_arg(builder)?) };
        out.write(core::ptr::null_mut());
        let scanner = builder.lock()?.build()?;
        out.write(into_handle(CgScanner { scanner }));
        Ok(())
    })
}

/// Releases a builder. Accepts NULL.
///
/// # Safety
/// `builder` is NULL or a live handle no other thread is using; freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_builder_free(builder: *mut CgScannerBuilder) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(builder) }
}

/// A scanner with the default settings (see `cg_scanner_builder_new`).
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_new(out: *mut *mut CgScanner) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantee.
        let out = unsafe { out_arg(out, "out") }?;
        out.write(into_handle(CgScanner {
            scanner: Scanner::new(),
        }));
        Ok(())
    })
}

/// Scans UTF-8 `text` (`text_len` bytes, not NUL-terminated) into `*out`.
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `scanner` is NULL or live; `text` is readable for `text_len` bytes (or NULL with
/// 0); `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_scan(
    scanner: *const CgScanner,
    text: *const c_char,
    text_len: usize,
    out: *mut *mut CgFindings,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, scanner, text) = unsafe {
            (
                out_arg(out, "out")?,
                scanner_arg(scanner)?,
                str_arg(text, text_len, "text")?,
            )
        };
        out.write(core::ptr::null_mut());
        let findings = CgFindings::new(scanner.scan(text))?;
        out.write(into_handle(findings));
        Ok(())
    })
}

/// Whether `text` holds any identifier (the cheap first question; same answer as a
/// non-empty `cg_scanner_scan`).
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// As for `cg_scanner_scan`, with `out` writable for one `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_has_findings(
    scanner: *const CgScanner,
    text: *const c_char,
    text_len: usize,
    out: *mut bool,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, scanner, text) = unsafe {
            (
                out_arg(out, "out")?,
                scanner_arg(scanner)?,
                str_arg(text, text_len, "text")?,
            )
        };
        out.write(scanner.has_findings(text));
        Ok(())
    })
}

/// `text` with every finding masked (placeholders or partial masks, as configured),
/// as a new NUL-terminated string in `*out`; free it with `cg_string_free`. `text` must
/// not contain NUL bytes.
///
/// Errors: `CG_STATUS_INVALID_UTF8`, `CG_STATUS_INVALID_ARGUMENT` (a NUL byte),
/// `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// As for `cg_scanner_scan`, with `out` writable for one `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_minimise(
    scanner: *const CgScanner,
    text: *const c_char,
    text_len: usize,
    out: *mut *mut c_char,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, scanner, text) = unsafe {
            (
                out_arg(out, "out")?,
                scanner_arg(scanner)?,
                str_arg(text, text_len, "text")?,
            )
        };
        out.write(core::ptr::null_mut());
        no_nul(text, "text")?;
        out.write(c_string(&scanner.minimise(text))?.into_raw());
        Ok(())
    })
}

/// Releases a scanner. Accepts NULL.
///
/// # Safety
/// `scanner` is NULL or a live handle no other thread is using; freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_scanner_free(scanner: *mut CgScanner) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(scanner) }
}

/// The number of findings in `*out`.
///
/// Errors: `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `findings` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_findings_len(findings: *const CgFindings, out: *mut usize) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, findings) = unsafe { (out_arg(out, "out")?, findings_arg(findings)?) };
        out.write(findings.items.len());
        Ok(())
    })
}

/// Copies finding `index` into `*out`; its strings stay valid until `cg_findings_free`.
///
/// Errors: `CG_STATUS_INVALID_ARGUMENT` (index out of range), `CG_STATUS_NULL_POINTER`.
///
/// # Safety
/// `findings` is NULL or live; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_findings_get(
    findings: *const CgFindings,
    index: usize,
    out: *mut CgFinding,
) -> CgStatus {
    guard(|| {
        // SAFETY: caller guarantees.
        let (out, findings) = unsafe { (out_arg(out, "out")?, findings_arg(findings)?) };
        let item = findings.items.get(index).ok_or_else(|| {
            FfiError::new(
                CgStatus::InvalidArgument,
                format!(
                    "index {index} out of range ({} findings)",
                    findings.items.len()
                ),
            )
        })?;
        out.write(*item);
        Ok(())
    })
}

/// Releases findings (and the strings their `cg_finding`s point to). Accepts NULL.
///
/// # Safety
/// `findings` is NULL or a live handle no other thread is using; freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cg_findings_free(findings: *mut CgFindings) {
    // SAFETY: forwarded caller guarantee.
    unsafe { free_handle(findings) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use careguard::detect::Error;

    #[test]
    fn every_detect_error_has_its_status() {
        let cases = [
            (
                Error::InvalidPattern {
                    index: 0,
                    reason: "x".into(),
                },
                CgStatus::InvalidPattern,
            ),
            (
                Error::PatternTooBig { index: 0, limit: 1 },
                CgStatus::InvalidPattern,
            ),
            (
                Error::TooMany {
                    what: "patterns",
                    got: 33,
                    max: 32,
                },
                CgStatus::TooLarge,
            ),
            (
                Error::BadEntry {
                    what: "allow-list",
                    index: 0,
                    max: 200,
                },
                CgStatus::InvalidLength,
            ),
            (Error::BadThreshold, CgStatus::InvalidArgument),
        ];
        for (err, status) in cases {
            let message = err.to_string();
            let ffi = FfiError::from(err);
            assert_eq!(ffi.status, status, "{message}");
            assert_eq!(ffi.message, message);
        }
    }
}
