//! Segments: records chained by hash and signed by the device.
//!
//! ```text
//! segment (integers big-endian)
//!   0   4  magic "CGAL"
//!   4   1  version = 1
//!   5  16  device id
//!  21   8  segment index (0, 1, 2, ... with no gap)
//!  29   8  sequence number of its first record (records are numbered from 0 across the log)
//!  37  32  chain value before its first record (32 zero bytes for segment 0)
//!  69   2  record count n (1..=MAX_SEGMENT_RECORDS)
//!  71   .  n times: record length (2 bytes) then the record
//!   .  64  Ed25519 signature by the device over "careguard/v1/audit-segment" || all bytes before it
//!
//! record
//!   0   8  time (Unix seconds)
//!   8   1  conversation: 0 clinical, 1 social, 2 broadcast
//!   9   1  verdict: 0 allow, 1 warn, 2 block
//!  10   1  action: 0 sent, 1 sent minimised, 2 cancelled, 3 overridden
//!  11   1  flags: bit 0 emergency mode; other bits 0
//!  12   1  kind count k (0..=11)
//!  13  2k  (kind code = index in Kind::ALL, count 1..=255), codes strictly ascending
//!   .   1  reason length r (0..=80; 0 unless action = overridden)
//!   .   r  reason, UTF-8
//!
//! chain: c' = SHA-256("careguard/v1/audit-chain" || c || record bytes)
//! ```

use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use super::record::{
    Action, AuditRecord, MAX_REASON_LEN, conversation_code, conversation_from_code, kind_from_code,
    verdict_code, verdict_from_code,
};
use crate::DecodeError;
use crate::codec::Reader;
use crate::identity::{DEVICE_ID_LEN, DeviceId, DeviceKeys};

/// The four bytes every segment starts with.
pub const SEGMENT_MAGIC: [u8; 4] = *b"CGAL";
/// The segment version this library writes and reads.
pub const SEGMENT_VERSION: u8 = 1;
/// Most records in one segment.
pub const MAX_SEGMENT_RECORDS: usize = 4096;
/// Length of [`ChainHead::to_bytes`].
pub const CHAIN_HEAD_LEN: usize = 40;
/// Length of [`AuditChain::to_bytes`].
pub const CHAIN_STATE_LEN: usize = DEVICE_ID_LEN + 8 + CHAIN_HEAD_LEN;

const HEADER_LEN: usize = 71;
const SIGNATURE_LEN: usize = 64;
const SEGMENT_LABEL: &[u8] = b"careguard/v1/audit-segment";
const CHAIN_LABEL: &[u8] = b"careguard/v1/audit-chain";

/// Why a log was refused or a segment could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// A segment's bytes do not decode: cut off, bad magic, unsupported version.
    #[error("audit segment {segment}: {error}")]
    Decode {
        /// The segment's position in the file, from 0.
        segment: u64,
        /// What is wrong with its bytes (lengths count from the segment's start).
        #[source]
        error: DecodeError,
    },
    /// A field breaks the layout.
    #[error("malformed {field} in segment {segment}")]
    Malformed {
        /// The segment's position in the file.
        segment: u64,
        /// The field.
        field: &'static str,
    },
    /// The device's signature does not verify: a record was edited, removed, added or
    /// moved inside the segment, or another key signed it.
    #[error("audit segment {segment} signature does not verify")]
    BadSignature {
        /// The segment's position in the file.
        segment: u64,
    },
    /// A segment is from another device than the first one.
    #[error("audit segment {segment} is from another device")]
    WrongDevice {
        /// The segment's position in the file.
        segment: u64,
    },
    /// A segment is not the next one: segments were removed, repeated or reordered.
    #[error("audit segment {segment} has index {found}, {expected} expected")]
    OutOfOrder {
        /// The segment's position in the file.
        segment: u64,
        /// The index expected.
        expected: u64,
        /// The index found.
        found: u64,
    },
    /// A segment's chain value or first sequence number does not continue the previous one.
    #[error("audit segment {segment} does not continue the hash chain")]
    ChainBroken {
        /// The segment's position in the file.
        segment: u64,
    },
    /// The log does not end at the head the device reported: segments were cut off the end
    /// (or the log was extended beyond it).
    #[error("audit log ends at record {found}, the device reported {expected}")]
    HeadMismatch {
        /// The reported head's next sequence number.
        expected: u64,
        /// The log's.
        found: u64,
    },
    /// An empty log, or a segment with no or too many records.
    #[error("an audit segment holds 1 to {MAX_SEGMENT_RECORDS} records")]
    BadRecordCount,
    /// The device public key is not a valid Ed25519 key.
    #[error("invalid device public key")]
    InvalidKey,
    /// The signing keys belong to another device than the chain, or were revoked (the
    /// vault locked).
    #[error("the device keys cannot sign for this chain")]
    KeysUnusable,
    /// Saved chain state of the wrong length.
    #[error("chain state must be {CHAIN_STATE_LEN} bytes")]
    BadState,
}

impl AuditError {
    /// The stable code the bindings report for this error.
    pub fn code(&self) -> crate::ErrorCode {
        use crate::ErrorCode as C;
        match self {
            Self::Decode { error, .. } => error.code(),
            Self::HeadMismatch { .. } => C::Truncated,
            Self::Malformed { .. } | Self::BadRecordCount | Self::BadState => C::Malformed,
            Self::BadSignature { .. } => C::BadSignature,
            Self::WrongDevice { .. } => C::WrongDevice,
            Self::OutOfOrder { .. } | Self::ChainBroken { .. } => C::Tampered,
            Self::InvalidKey => C::InvalidArgument,
            Self::KeysUnusable => C::KeyRevoked,
        }
    }
}

/// Where the chain stands: the next record's sequence number and the chain value. The device
/// reports it to the Trust so that a log cut short can be detected ([`verify_log`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainHead {
    /// Records so far (the next record's sequence number).
    pub next_seq: u64,
    /// The chain value after the last record.
    pub hash: [u8; 32],
}

impl ChainHead {
    /// 8-byte big-endian `next_seq` then `hash`.
    pub fn to_bytes(&self) -> [u8; CHAIN_HEAD_LEN] {
        let mut out = [0u8; CHAIN_HEAD_LEN];
        out[..8].copy_from_slice(&self.next_seq.to_be_bytes());
        out[8..].copy_from_slice(&self.hash);
        out
    }

    /// Reads [`ChainHead::to_bytes`].
    pub fn from_bytes(bytes: &[u8; CHAIN_HEAD_LEN]) -> Self {
        let mut seq = [0u8; 8];
        seq.copy_from_slice(&bytes[..8]);
        let mut hash = [0u8; 32];
        hash.copy_from_slice(&bytes[8..]);
        Self {
            next_seq: u64::from_be_bytes(seq),
            hash,
        }
    }
}

/// The writer's state: which device, the next segment index and the chain head. Persist
/// [`AuditChain::to_bytes`] after each sealed segment is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditChain {
    device_id: DeviceId,
    next_segment: u64,
    head: ChainHead,
}

impl AuditChain {
    /// A new, empty log for `device_id`.
    pub fn new(device_id: DeviceId) -> Self {
        Self {
            device_id,
            next_segment: 0,
            head: ChainHead {
                next_seq: 0,
                hash: [0; 32],
            },
        }
    }

    /// The current head, to report to the Trust.
    pub fn head(&self) -> ChainHead {
        self.head
    }

    /// Saved state: device id, next segment index (8 bytes big-endian), head.
    pub fn to_bytes(&self) -> [u8; CHAIN_STATE_LEN] {
        let mut out = [0u8; CHAIN_STATE_LEN];
        out[..DEVICE_ID_LEN].copy_from_slice(self.device_id.as_bytes());
        out[DEVICE_ID_LEN..DEVICE_ID_LEN + 8].copy_from_slice(&self.next_segment.to_be_bytes());
        out[DEVICE_ID_LEN + 8..].copy_from_slice(&self.head.to_bytes());
        out
    }

    /// Restores [`AuditChain::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, AuditError> {
        if bytes.len() != CHAIN_STATE_LEN {
            return Err(AuditError::BadState);
        }
        let bad_state = |_: DecodeError| AuditError::BadState;
        let mut r = Reader::new("audit chain state", bytes);
        Ok(Self {
            device_id: DeviceId::from_bytes(r.array().map_err(bad_state)?),
            next_segment: r.u64().map_err(bad_state)?,
            head: ChainHead::from_bytes(r.array_ref().map_err(bad_state)?),
        })
    }

    /// Seals `records` (1 to [`MAX_SEGMENT_RECORDS`]) into the next segment, signed with
    /// `keys` (this chain's device), and advances the chain. Append the bytes to the log file,
    /// then persist [`AuditChain::to_bytes`].
    pub fn seal_segment(
        &mut self,
        records: &[AuditRecord],
        keys: &DeviceKeys,
    ) -> Result<Vec<u8>, AuditError> {
        if records.is_empty() || records.len() > MAX_SEGMENT_RECORDS {
            return Err(AuditError::BadRecordCount);
        }
        if keys.device_id() != self.device_id {
            return Err(AuditError::KeysUnusable);
        }
        let mut out = Vec::with_capacity(HEADER_LEN + records.len() * 32 + SIGNATURE_LEN);
        out.extend_from_slice(&SEGMENT_MAGIC);
        out.push(SEGMENT_VERSION);
        out.extend_from_slice(self.device_id.as_bytes());
        out.extend_from_slice(&self.next_segment.to_be_bytes());
        out.extend_from_slice(&self.head.next_seq.to_be_bytes());
        out.extend_from_slice(&self.head.hash);
        out.extend_from_slice(
            &u16::try_from(records.len())
                .unwrap_or(u16::MAX)
                .to_be_bytes(),
        );
        let mut hash = self.head.hash;
        let mut record = Vec::new();
        for r in records {
            record.clear();
            encode_record(r, &mut record);
            out.extend_from_slice(
                &u16::try_from(record.len())
                    .unwrap_or(u16::MAX)
                    .to_be_bytes(),
            );
            out.extend_from_slice(&record);
            hash = chain(&hash, &record);
        }
        let signature = keys
            .sign(SEGMENT_LABEL, &out)
            .map_err(|_| AuditError::KeysUnusable)?;
        out.extend_from_slice(&signature);
        self.next_segment += 1;
        self.head = ChainHead {
            next_seq: self.head.next_seq + records.len() as u64,
            hash,
        };
        Ok(out)
    }
}

fn chain(prev: &[u8; 32], record: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(CHAIN_LABEL);
    h.update(prev);
    h.update(record);
    h.finalize().into()
}

fn encode_record(r: &AuditRecord, out: &mut Vec<u8>) {
    out.extend_from_slice(&r.time.to_be_bytes());
    out.push(conversation_code(r.conversation));
    out.push(verdict_code(r.verdict));
    out.push(r.action.code());
    out.push(u8::from(r.emergency));
    out.push(u8::try_from(r.kinds.len()).unwrap_or(u8::MAX));
    for (&k, &n) in &r.kinds {
        out.push(k);
        out.push(n);
    }
    out.push(u8::try_from(r.reason.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(r.reason.as_bytes());
}

fn decode_record(b: &[u8], segment: u64) -> Result<AuditRecord, AuditError> {
    let bad = |field| AuditError::Malformed { segment, field };
    // A record's length is a field of the segment: any length error is "record length".
    let short = |_: DecodeError| bad("record length");
    let mut r = Reader::new("audit record", b);
    r.require(14).map_err(short)?;
    let time = r.u64().map_err(short)?;
    let conversation = conversation_from_code(r.u8().map_err(short)?).ok_or(bad("conversation"))?;
    let verdict = verdict_from_code(r.u8().map_err(short)?).ok_or(bad("verdict"))?;
    let action = Action::from_code(r.u8().map_err(short)?).ok_or(bad("action"))?;
    let flags = r.u8().map_err(short)?;
    if flags > 1 {
        return Err(bad("flags"));
    }
    let k = usize::from(r.u8().map_err(short)?);
    // The kinds and the reason's length byte must be there before any is checked.
    r.require(r.position() + 2 * k + 1).map_err(short)?;
    let mut record =
        AuditRecord::new(time, conversation, verdict, action).with_emergency(flags == 1);
    let mut last = None;
    for _ in 0..k {
        let [code, n] = r.array().map_err(short)?;
        if kind_from_code(code).is_none() || n == 0 || last.is_some_and(|l| code <= l) {
            return Err(bad("kinds"));
        }
        last = Some(code);
        record.kinds.insert(code, n);
    }
    let rlen = usize::from(r.u8().map_err(short)?);
    if rlen > MAX_REASON_LEN || (rlen > 0 && action != Action::Overridden) {
        return Err(bad("reason"));
    }
    r.exact_len(r.position() + rlen).map_err(short)?;
    record.reason = core::str::from_utf8(r.rest())
        .map_err(|_| bad("reason"))?
        .to_string();
    Ok(record)
}

/// A log whose every segment verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedLog {
    device_id: DeviceId,
    segments: u64,
    records: Vec<AuditRecord>,
    head: ChainHead,
}

impl VerifiedLog {
    /// The device that signed it.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// How many segments.
    pub fn segments(&self) -> u64 {
        self.segments
    }

    /// The records, in order.
    pub fn records(&self) -> &[AuditRecord] {
        &self.records
    }

    /// Where the chain ends.
    pub fn head(&self) -> ChainHead {
        self.head
    }
}

/// Verifies a whole log (its segments concatenated, from segment 0) under the device's
/// Ed25519 public key: each segment's layout and signature, that indexes run 0, 1, 2... and
/// that each segment continues the previous one's chain value and sequence numbers; then, if
/// `expected_head` is given, that the log ends exactly there.
pub fn verify_log(
    bytes: &[u8],
    device_key: &[u8; 32],
    expected_head: Option<&ChainHead>,
) -> Result<VerifiedLog, AuditError> {
    let key = VerifyingKey::from_bytes(device_key).map_err(|_| AuditError::InvalidKey)?;
    if key.is_weak() {
        return Err(AuditError::InvalidKey);
    }
    if bytes.is_empty() {
        return Err(AuditError::BadRecordCount);
    }
    let mut rest = bytes;
    let mut device: Option<DeviceId> = None;
    let mut head = ChainHead {
        next_seq: 0,
        hash: [0; 32],
    };
    let mut records = Vec::new();
    let mut segment = 0u64;
    while !rest.is_empty() {
        let decode = |error| AuditError::Decode { segment, error };
        let mut r = Reader::new("audit segment", rest);
        r.require(HEADER_LEN).map_err(decode)?;
        r.magic(&SEGMENT_MAGIC).map_err(decode)?;
        r.version(SEGMENT_VERSION).map_err(decode)?;
        let id = DeviceId::from_bytes(r.array().map_err(decode)?);
        let index = r.u64().map_err(decode)?;
        let first_seq = r.u64().map_err(decode)?;
        let prev_hash: [u8; 32] = r.array().map_err(decode)?;
        let count = usize::from(r.u16().map_err(decode)?);
        if count == 0 || count > MAX_SEGMENT_RECORDS {
            return Err(AuditError::BadRecordCount);
        }
        let mut spans = Vec::with_capacity(count);
        for _ in 0..count {
            let len = usize::from(r.u16().map_err(decode)?);
            let at = r.position();
            r.take(len).map_err(decode)?;
            spans.push(at..at + len);
        }
        let at = r.position();
        let sig: [u8; SIGNATURE_LEN] = r.array().map_err(decode)?;
        let signed = [SEGMENT_LABEL, &rest[..at]].concat();
        key.verify_strict(&signed, &Signature::from_bytes(&sig))
            .map_err(|_| AuditError::BadSignature { segment })?;
        if device.is_some_and(|d| d != id) {
            return Err(AuditError::WrongDevice { segment });
        }
        device = Some(id);
        if index != segment {
            return Err(AuditError::OutOfOrder {
                segment,
                expected: segment,
                found: index,
            });
        }
        if first_seq != head.next_seq || prev_hash != head.hash {
            return Err(AuditError::ChainBroken { segment });
        }
        for span in spans {
            let record = &rest[span];
            records.push(decode_record(record, segment)?);
            head.hash = chain(&head.hash, record);
            head.next_seq += 1;
        }
        rest = r.rest();
        segment += 1;
    }
    if let Some(expected) = expected_head
        && *expected != head
    {
        return Err(AuditError::HeadMismatch {
            expected: expected.next_seq,
            found: head.next_seq,
        });
    }
    Ok(VerifiedLog {
        device_id: device.unwrap_or(DeviceId::from_bytes([0; DEVICE_ID_LEN])),
        segments: segment,
        records,
        head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Time 7, clinical, allow, overridden, no flags, one kind, then a reason.
    fn record(reason: &[u8]) -> Vec<u8> {
        let mut b = 7u64.to_be_bytes().to_vec();
        b.extend_from_slice(&[0, 0, 3, 0, 1, 1, 2]);
        b.push(reason.len() as u8);
        b.extend_from_slice(reason);
        b
    }

    fn refused(b: &[u8]) -> &'static str {
        match decode_record(b, 3) {
            Err(AuditError::Malformed { segment: 3, field }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_record_decodes_and_every_layout_error_names_its_field() {
        let good = record(b"ok");
        let r = decode_record(&good, 3).unwrap();
        assert_eq!((r.reason.as_str(), r.kinds.len()), ("ok", 1));
        assert_eq!(refused(&good[..13]), "record length");
        assert_eq!(refused(&good[..15]), "record length");
        assert_eq!(refused(&good[..good.len() - 1]), "record length");
        assert_eq!(refused(&[good.as_slice(), &[0]].concat()), "record length");
        let mut b = good.clone();
        b[8] = 9;
        assert_eq!(refused(&b), "conversation");
        b = good.clone();
        b[11] = 2;
        assert_eq!(refused(&b), "flags");
        b = good.clone();
        b[14] = 0;
        assert_eq!(refused(&b), "kinds");
        assert_eq!(refused(&record(&[0xff])), "reason");
    }
}
