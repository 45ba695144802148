//! The policy pack: layout, signing, verification and what it configures.
//!
//! ```text
//! pack (integers big-endian; strings UTF-8 with a length prefix)
//!   0  4  magic "CGTP"
//!   4  1  format version = 1
//!   5  8  policy version (the Trust's counter; a lower one than the device's last is refused)
//!  13  8  issued at (Unix seconds)
//!  21  8  expires at (Unix seconds)
//!  29  1  approved platform count (0..=32), each: 1-byte length (1..=64), name
//!   .  1  retention rule count (0..=3), each: conversation (0 clinical, 1 social,
//!         2 broadcast; strictly ascending), after send (8), after read (8),
//!         transcription hold maximum (8); 0 = not set for the first two
//!   .  1  hospital-number pattern count (0..=16), each: 2-byte length (1..=256), regex
//!   .  2  allow-list count (0..=1024), each: 1-byte length (1..=200), phrase
//!   .  1  emergency: 0 not allowed, 1 allowed with a signed order
//!   .  8  longest emergency order (seconds)
//!   .  8  group review interval (seconds)
//!   .  4  group maximum members
//!   .  1  notification detail: 0 generic, 1 conversation, 2 conversation and sender
//!   . 64  Ed25519 signature by the organisation over "careguard/v1/trust-policy\0" || all bytes before
//! ```

use crate::DecodeError;
use crate::codec::Reader;
use crate::detect::{Error as ScanError, Scanner, ScannerBuilder};
use crate::identity::{OrganisationKey, OrganisationPublicKey};
use crate::policy::{Context, Conversation, Platform};
use crate::retention::RetentionPolicy;
use crate::sending::{GroupRules, NotificationDetail, NotificationPolicy};

use super::emergency::VerifiedEmergency;

/// The four bytes every pack starts with.
pub const PACK_MAGIC: [u8; 4] = *b"CGTP";
/// The pack format version this library writes and reads.
pub const PACK_VERSION: u8 = 1;
/// Most approved platforms.
pub const MAX_PLATFORMS: usize = 32;
/// Most hospital-number patterns.
pub const MAX_PATTERNS: usize = 16;
/// Longest hospital-number pattern, bytes.
pub const MAX_PATTERN_LEN: usize = 256;
/// Most allow-list phrases.
pub const MAX_ALLOW_LIST: usize = 1024;

const MAX_PLATFORM_LEN: usize = 64;
const MAX_PHRASE_LEN: usize = 200;
const SIGNATURE_LEN: usize = 64;
/// Packs issued this far in the future (by the device's clock) are still accepted.
const MAX_CLOCK_SKEW_SECS: u64 = 600;
pub(super) const PACK_LABEL: &[u8] = b"careguard/v1/trust-policy\0";

/// Why a pack or an emergency order was refused, or could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TrustError {
    /// The bytes do not decode as a pack or order: bad magic, unsupported version,
    /// truncated, trailing bytes.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A field breaks the layout's rules (on writing: a value out of range).
    #[error("malformed {field}")]
    Malformed {
        /// The field.
        field: &'static str,
    },
    /// No trusted organisation key signed it.
    #[error("{what} signature does not verify under any trusted organisation key")]
    BadSignature {
        /// Which structure.
        what: &'static str,
    },
    /// Issued in the future beyond the allowed clock skew.
    #[error("{what} is not valid before {from} (now {now})")]
    NotYetValid {
        /// Which structure.
        what: &'static str,
        /// Start of validity.
        from: u64,
        /// The caller's clock.
        now: u64,
    },
    /// Past its expiry.
    #[error("{what} expired at {expires_at} (now {now})")]
    Expired {
        /// Which structure.
        what: &'static str,
        /// Its expiry.
        expires_at: u64,
        /// The caller's clock.
        now: u64,
    },
    /// A pack older than the one the device already accepted.
    #[error("policy pack version {version} is older than the accepted version {accepted}")]
    Rollback {
        /// The pack's version.
        version: u64,
        /// The last version the device accepted.
        accepted: u64,
    },
    /// The pack does not allow emergency mode, or the order is longer than it allows.
    ///
    /// Not a misuse error, so not named `InvalidArgument`: the caller passed a
    /// well-formed, correctly signed order and the signed policy pack refused it. It is
    /// a policy decision the UI must show as such. Its code stays `InvalidArgument`
    /// because the set of stable codes has no policy-refusal code.
    #[error("emergency order not allowed by the policy pack: {0}")]
    EmergencyNotAllowed(&'static str),
    /// A hospital-number pattern does not compile.
    #[error("hospital-number pattern does not compile: {0}")]
    Pattern(String),
}

impl TrustError {
    /// The stable code the bindings report for this error.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Self::Decode(e) => e.code(),
            Self::Malformed { .. } => C::Malformed,
            Self::BadSignature { .. } => C::BadSignature,
            Self::NotYetValid { .. } => C::NotYetValid,
            Self::Expired { .. } => C::Expired,
            Self::Rollback { .. } => C::Replayed,
            Self::EmergencyNotAllowed(_) => C::InvalidArgument,
            Self::Pattern(_) => C::InvalidPattern,
        }
    }
}

/// A policy pack's content: built and signed by the Trust ([`PolicyPack::sign`]), read back
/// by [`verify_pack`]. Fields may be added in later versions, so build it with
/// [`PolicyPack::new`] and set the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicyPack {
    /// The Trust's counter: every new pack has a higher one.
    pub version: u64,
    /// When it was issued (Unix seconds).
    pub issued_at: u64,
    /// When it stops being valid (Unix seconds).
    pub expires_at: u64,
    /// Platforms approved for confidential information (compared case-insensitively).
    pub approved_platforms: Vec<String>,
    /// Retention per conversation class (at most one per class).
    pub retention: Vec<(Conversation, RetentionPolicy)>,
    /// The Trust's hospital-number regexes.
    pub hospital_number_patterns: Vec<String>,
    /// Phrases the scanner never reports (ward and hospital names...).
    pub allow_list: Vec<String>,
    /// Whether a signed emergency order may turn on emergency mode.
    pub emergency_allowed: bool,
    /// The longest emergency order accepted (seconds).
    pub emergency_max_secs: u64,
    /// Group review rules.
    pub group_rules: GroupRules,
    /// How much lock-screen notifications may show.
    pub notification_detail: NotificationDetail,
}

impl PolicyPack {
    /// An empty pack: no approved platform, no retention, no patterns, emergency mode
    /// allowed for at most 24 hours, default group rules, generic notifications.
    pub fn new(version: u64, issued_at: u64, expires_at: u64) -> Self {
        Self {
            version,
            issued_at,
            expires_at,
            approved_platforms: Vec::new(),
            retention: Vec::new(),
            hospital_number_patterns: Vec::new(),
            allow_list: Vec::new(),
            emergency_allowed: true,
            emergency_max_secs: 86_400,
            group_rules: GroupRules::default(),
            notification_detail: NotificationDetail::Generic,
        }
    }

    /// The signed bytes. Fails with [`TrustError::Malformed`] when a list or string is out of
    /// the layout's bounds, and [`TrustError::Pattern`] if a pattern does not compile.
    pub fn sign(&self, organisation: &OrganisationKey) -> Result<Vec<u8>, TrustError> {
        build_scanner(self)?;
        let mut out = self.body()?;
        let signature = organisation.sign(PACK_LABEL, &out);
        out.extend_from_slice(&signature);
        Ok(out)
    }

    fn body(&self) -> Result<Vec<u8>, TrustError> {
        let bad = |field| TrustError::Malformed { field };
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(&PACK_MAGIC);
        out.push(PACK_VERSION);
        out.extend_from_slice(&self.version.to_be_bytes());
        out.extend_from_slice(&self.issued_at.to_be_bytes());
        out.extend_from_slice(&self.expires_at.to_be_bytes());
        if self.expires_at <= self.issued_at {
            return Err(bad("expires at"));
        }
        put_list8(
            &mut out,
            &self.approved_platforms,
            MAX_PLATFORMS,
            MAX_PLATFORM_LEN,
        )
        .ok_or(bad("approved platforms"))?;
        let mut retention = self.retention.clone();
        retention.sort_by_key(|(c, _)| conversation_code(*c));
        if retention
            .windows(2)
            .any(|w| conversation_code(w[0].0) == conversation_code(w[1].0))
        {
            return Err(bad("retention"));
        }
        out.push(u8::try_from(retention.len()).map_err(|_| bad("retention"))?);
        for (c, r) in &retention {
            out.push(conversation_code(*c));
            out.extend_from_slice(&r.get_after_send().unwrap_or(0).to_be_bytes());
            out.extend_from_slice(&r.get_after_read().unwrap_or(0).to_be_bytes());
            out.extend_from_slice(&r.get_transcription_hold_max().to_be_bytes());
        }
        if self.hospital_number_patterns.len() > MAX_PATTERNS {
            return Err(bad("hospital-number patterns"));
        }
        out.push(u8::try_from(self.hospital_number_patterns.len()).unwrap_or(u8::MAX));
        for p in &self.hospital_number_patterns {
            if p.is_empty() || p.len() > MAX_PATTERN_LEN {
                return Err(bad("hospital-number patterns"));
            }
            out.extend_from_slice(&u16::try_from(p.len()).unwrap_or(u16::MAX).to_be_bytes());
            out.extend_from_slice(p.as_bytes());
        }
        if self.allow_list.len() > MAX_ALLOW_LIST {
            return Err(bad("allow-list"));
        }
        out.extend_from_slice(
            &u16::try_from(self.allow_list.len())
                .unwrap_or(u16::MAX)
                .to_be_bytes(),
        );
        for p in &self.allow_list {
            if p.is_empty() || p.len() > MAX_PHRASE_LEN {
                return Err(bad("allow-list"));
            }
            out.push(u8::try_from(p.len()).unwrap_or(u8::MAX));
            out.extend_from_slice(p.as_bytes());
        }
        out.push(u8::from(self.emergency_allowed));
        out.extend_from_slice(&self.emergency_max_secs.to_be_bytes());
        out.extend_from_slice(&self.group_rules.review_interval_secs.to_be_bytes());
        out.extend_from_slice(
            &u32::try_from(self.group_rules.max_members)
                .map_err(|_| bad("group maximum members"))?
                .to_be_bytes(),
        );
        out.push(match self.notification_detail {
            NotificationDetail::Generic => 0,
            NotificationDetail::Conversation => 1,
            NotificationDetail::ConversationAndSender => 2,
        });
        Ok(out)
    }
}

fn put_list8(out: &mut Vec<u8>, items: &[String], max: usize, max_len: usize) -> Option<()> {
    if items.len() > max {
        return None;
    }
    out.push(u8::try_from(items.len()).ok()?);
    for s in items {
        if s.is_empty() || s.len() > max_len {
            return None;
        }
        out.push(u8::try_from(s.len()).ok()?);
        out.extend_from_slice(s.as_bytes());
    }
    Some(())
}

pub(super) fn conversation_code(c: Conversation) -> u8 {
    match c {
        Conversation::Clinical => 0,
        Conversation::Social => 1,
        Conversation::Broadcast => 2,
    }
}

fn build_scanner(pack: &PolicyPack) -> Result<Scanner, TrustError> {
    scanner_builder(pack)
        .build()
        .map_err(|e: ScanError| TrustError::Pattern(e.to_string()))
}

fn scanner_builder(pack: &PolicyPack) -> ScannerBuilder {
    let mut b = Scanner::builder();
    for p in &pack.hospital_number_patterns {
        b.hospital_number_pattern(p);
    }
    for p in &pack.allow_list {
        b.allow(p);
    }
    b
}

/// A UTF-8 string of `len` bytes (a length read from the pack), 1 to `max` bytes.
fn string(
    r: &mut Reader<'_>,
    len: usize,
    max: usize,
    field: &'static str,
) -> Result<String, TrustError> {
    if len == 0 || len > max {
        return Err(TrustError::Malformed { field });
    }
    core::str::from_utf8(r.take(len)?)
        .map(str::to_string)
        .map_err(|_| TrustError::Malformed { field })
}

fn parse(bytes: &[u8]) -> Result<(PolicyPack, usize), TrustError> {
    let mut r = Reader::new("policy pack", bytes);
    r.magic(&PACK_MAGIC)?;
    r.version(PACK_VERSION)?;
    let bad = |field| TrustError::Malformed { field };
    let mut pack = PolicyPack::new(r.u64()?, r.u64()?, r.u64()?);
    if pack.expires_at <= pack.issued_at {
        return Err(bad("expires at"));
    }
    let n = usize::from(r.u8()?);
    if n > MAX_PLATFORMS {
        return Err(bad("approved platforms"));
    }
    for _ in 0..n {
        let len = usize::from(r.u8()?);
        let s = string(&mut r, len, MAX_PLATFORM_LEN, "approved platforms")?;
        pack.approved_platforms.push(s);
    }
    let n = usize::from(r.u8()?);
    if n > 3 {
        return Err(bad("retention"));
    }
    let mut last = None;
    for _ in 0..n {
        let code = r.u8()?;
        let conversation = match code {
            0 => Conversation::Clinical,
            1 => Conversation::Social,
            2 => Conversation::Broadcast,
            _ => return Err(bad("retention")),
        };
        if last.is_some_and(|l| code <= l) {
            return Err(bad("retention"));
        }
        last = Some(code);
        let (send, read, hold) = (r.u64()?, r.u64()?, r.u64()?);
        let mut policy = RetentionPolicy::new().transcription_hold_max(hold);
        if send > 0 {
            policy = policy.after_send(send);
        }
        if read > 0 {
            policy = policy.after_read(read);
        }
        pack.retention.push((conversation, policy));
    }
    let n = usize::from(r.u8()?);
    if n > MAX_PATTERNS {
        return Err(bad("hospital-number patterns"));
    }
    for _ in 0..n {
        let len = usize::from(r.u16()?);
        let s = string(&mut r, len, MAX_PATTERN_LEN, "hospital-number patterns")?;
        pack.hospital_number_patterns.push(s);
    }
    let n = usize::from(r.u16()?);
    if n > MAX_ALLOW_LIST {
        return Err(bad("allow-list"));
    }
    for _ in 0..n {
        let len = usize::from(r.u8()?);
        let s = string(&mut r, len, MAX_PHRASE_LEN, "allow-list")?;
        pack.allow_list.push(s);
    }
    pack.emergency_allowed = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(bad("emergency")),
    };
    pack.emergency_max_secs = r.u64()?;
    let interval = r.u64()?;
    let max_members = usize::try_from(r.u32()?).map_err(|_| bad("group maximum members"))?;
    pack.group_rules = GroupRules::new(interval, max_members);
    pack.notification_detail = match r.u8()? {
        0 => NotificationDetail::Generic,
        1 => NotificationDetail::Conversation,
        2 => NotificationDetail::ConversationAndSender,
        _ => return Err(bad("notification detail")),
    };
    let body_len = r.position();
    r.take(SIGNATURE_LEN)?;
    r.finish()?;
    Ok((pack, body_len))
}

/// A pack whose signature, validity and version were checked by [`verify_pack`].
#[derive(Debug, Clone)]
pub struct VerifiedPack {
    pack: PolicyPack,
    scanner: Scanner,
}

/// Verifies a policy pack: layout, a signature by one of `organisations`, that it is valid
/// at `now` (issued no more than 10 minutes ahead, not expired), that its version is not
/// below `accepted_version` (the last version this device accepted; `None` if none), and
/// that its patterns compile. Persist [`VerifiedPack::version`] once you adopt it.
pub fn verify_pack(
    bytes: &[u8],
    organisations: &[OrganisationPublicKey],
    now: u64,
    accepted_version: Option<u64>,
) -> Result<VerifiedPack, TrustError> {
    let what = "policy pack";
    let (pack, body_len) = parse(bytes)?;
    let mut sig = [0u8; SIGNATURE_LEN];
    sig.copy_from_slice(&bytes[body_len..]);
    if !organisations
        .iter()
        .any(|o| o.verify(PACK_LABEL, &bytes[..body_len], &sig))
    {
        return Err(TrustError::BadSignature { what });
    }
    if pack.issued_at > now.saturating_add(MAX_CLOCK_SKEW_SECS) {
        return Err(TrustError::NotYetValid {
            what,
            from: pack.issued_at,
            now,
        });
    }
    if now >= pack.expires_at {
        return Err(TrustError::Expired {
            what,
            expires_at: pack.expires_at,
            now,
        });
    }
    if let Some(accepted) = accepted_version
        && pack.version < accepted
    {
        return Err(TrustError::Rollback {
            version: pack.version,
            accepted,
        });
    }
    let scanner = build_scanner(&pack)?;
    Ok(VerifiedPack { pack, scanner })
}

impl VerifiedPack {
    /// The pack's version: persist it as the accepted version.
    pub fn version(&self) -> u64 {
        self.pack.version
    }

    /// The pack's content.
    pub fn pack(&self) -> &PolicyPack {
        &self.pack
    }

    /// The scanner with the pack's hospital-number patterns and allow-list, built once.
    pub fn scanner(&self) -> &Scanner {
        &self.scanner
    }

    /// A scanner builder with the pack's patterns and allow-list, to add the app's own.
    pub fn scanner_builder(&self) -> ScannerBuilder {
        scanner_builder(&self.pack)
    }

    /// Whether `platform` is approved (case-insensitive, surrounding spaces ignored).
    pub fn platform_approved(&self, platform: &str) -> bool {
        let platform = platform.trim();
        self.pack
            .approved_platforms
            .iter()
            .any(|p| p.eq_ignore_ascii_case(platform))
    }

    /// The send-policy context for `conversation` on `platform` at `now`: emergency mode is
    /// on only if `emergency` is given, was verified against this pack and is in force at
    /// `now`.
    pub fn context(
        &self,
        conversation: Conversation,
        platform: &str,
        emergency: Option<&VerifiedEmergency>,
        now: u64,
    ) -> Context {
        let active = self.pack.emergency_allowed
            && emergency.is_some_and(|e| e.pack_version() == self.pack.version && e.in_force(now));
        Context::new(
            conversation,
            Platform::from_approved(self.platform_approved(platform)),
        )
        .with_emergency(active)
    }

    /// The retention policy for `conversation` (empty if the pack sets none).
    pub fn retention(&self, conversation: Conversation) -> RetentionPolicy {
        self.pack
            .retention
            .iter()
            .find(|(c, _)| *c == conversation)
            .map(|(_, r)| *r)
            .unwrap_or_default()
    }

    /// The group review rules.
    pub fn group_rules(&self) -> GroupRules {
        self.pack.group_rules
    }

    /// A notification policy at the pack's detail level (add the labels).
    pub fn notification_policy(&self) -> NotificationPolicy {
        NotificationPolicy::new(self.pack.notification_detail)
    }
}
