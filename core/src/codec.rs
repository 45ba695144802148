//! The one bounds-checked reader (and its writer twin) behind every binary format:
//! envelopes, identity cards and lists, vault blobs, wipe orders, audit segments and
//! policy packs.
//!
//! Every read states how many bytes it needs before touching them, and a length read
//! from the input is checked against the bytes actually there (and the format's
//! maximum) before anything is allocated for it. Failures are [`DecodeError`]s naming
//! the structure being read.

use crate::DecodeError;

/// A cursor over untrusted bytes.
pub(crate) struct Reader<'a> {
    what: &'static str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`, a `what` ("envelope", "vault blob").
    pub(crate) fn new(what: &'static str, bytes: &'a [u8]) -> Self {
        Self {
            what,
            bytes,
            pos: 0,
        }
    }

    /// A reader at `pos` (at most `bytes.len()`), for a part that follows another
    /// already parsed.
    pub(crate) fn at(what: &'static str, bytes: &'a [u8], pos: usize) -> Self {
        Self {
            what,
            bytes,
            pos: pos.min(bytes.len()),
        }
    }

    /// Bytes read so far.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// The unread bytes.
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.bytes[self.pos..]
    }

    fn truncated(&self, needed: usize) -> DecodeError {
        DecodeError::Truncated {
            what: self.what,
            needed,
            got: self.bytes.len(),
        }
    }

    /// Fails unless the whole input is at least `len` bytes (a fixed prefix checked
    /// before its fields are looked at). Reads nothing.
    pub(crate) fn require(&self, len: usize) -> Result<(), DecodeError> {
        if self.bytes.len() < len {
            return Err(self.truncated(len));
        }
        Ok(())
    }

    /// Fails unless the whole input is exactly `len` bytes: shorter is truncated,
    /// longer has trailing bytes. Reads nothing.
    pub(crate) fn exact_len(&self, len: usize) -> Result<(), DecodeError> {
        self.require(len)?;
        if self.bytes.len() > len {
            return Err(self.trailing(len));
        }
        Ok(())
    }

    fn trailing(&self, expected: usize) -> DecodeError {
        DecodeError::TrailingBytes {
            what: self.what,
            expected,
            got: self.bytes.len(),
        }
    }

    /// The next `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.saturating_add(n);
        match self.bytes.get(self.pos..end) {
            Some(slice) => {
                self.pos = end;
                Ok(slice)
            }
            None => Err(self.truncated(end)),
        }
    }

    /// The next `N` bytes, borrowed.
    pub(crate) fn array_ref<const N: usize>(&mut self) -> Result<&'a [u8; N], DecodeError> {
        let pos = self.pos;
        self.take(N)?
            .try_into()
            .map_err(|_| self.truncated(pos.saturating_add(N)))
    }

    /// The next `N` bytes, copied.
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        self.array_ref::<N>().copied()
    }

    /// One byte.
    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    /// A big-endian `u16`.
    pub(crate) fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// A big-endian `u32`.
    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A big-endian `u64`.
    pub(crate) fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// The structure's magic bytes.
    pub(crate) fn magic(&mut self, magic: &[u8; 4]) -> Result<(), DecodeError> {
        if self.array_ref::<4>()? != magic {
            return Err(DecodeError::BadMagic { what: self.what });
        }
        Ok(())
    }

    /// The version byte, which must be `supported`.
    pub(crate) fn version(&mut self, supported: u8) -> Result<(), DecodeError> {
        let version = self.u8()?;
        if version != supported {
            return Err(DecodeError::UnsupportedVersion {
                what: self.what,
                version,
            });
        }
        Ok(())
    }

    /// `len` bytes of a field whose length came from the input, refused above `max`
    /// before anything is read (or allocated) for it.
    pub(crate) fn bounded(
        &mut self,
        field: &'static str,
        len: usize,
        max: usize,
    ) -> Result<&'a [u8], DecodeError> {
        if len > max {
            return Err(DecodeError::TooLong {
                what: field,
                len,
                max,
            });
        }
        self.take(len)
    }

    /// Fails if any byte is left (encodings are canonical).
    pub(crate) fn finish(self) -> Result<(), DecodeError> {
        if self.pos != self.bytes.len() {
            return Err(self.trailing(self.pos));
        }
        Ok(())
    }
}

/// Appends big-endian fields to a buffer: the writing side of [`Reader`].
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    /// Appends to `out` (which may already hold the structure's start).
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }

    /// Bytes as they are.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.out.extend_from_slice(bytes);
        self
    }

    /// One byte.
    pub(crate) fn u8(&mut self, v: u8) -> &mut Self {
        self.out.push(v);
        self
    }

    /// A big-endian `u16`.
    pub(crate) fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// A big-endian `u32`.
    pub(crate) fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// A big-endian `u64`.
    pub(crate) fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_check_the_length_first_and_report_it() {
        let bytes = [b'C', b'G', b'X', b'X', 1, 0, 2, 0, 0, 0, 3];
        let mut r = Reader::new("thing", &bytes);
        r.require(11).unwrap();
        r.magic(b"CGXX").unwrap();
        r.version(1).unwrap();
        assert_eq!(r.u16().unwrap(), 2);
        assert_eq!(r.position(), 7);
        assert_eq!(
            r.u64(),
            Err(DecodeError::Truncated {
                what: "thing",
                needed: 15,
                got: 11
            })
        );
        // A failed read consumes nothing.
        assert_eq!(r.u32().unwrap(), 3);
        r.finish().unwrap();
    }

    #[test]
    fn magic_version_length_and_trailing_bytes_are_refused() {
        let bytes = [b'C', b'G', b'X', b'X', 2, 9];
        assert_eq!(
            Reader::new("thing", &bytes).magic(b"CGYY"),
            Err(DecodeError::BadMagic { what: "thing" })
        );
        let mut r = Reader::new("thing", &bytes);
        r.magic(b"CGXX").unwrap();
        assert_eq!(
            r.version(1),
            Err(DecodeError::UnsupportedVersion {
                what: "thing",
                version: 2
            })
        );
        assert_eq!(
            r.bounded("name", 9, 8),
            Err(DecodeError::TooLong {
                what: "name",
                len: 9,
                max: 8
            })
        );
        assert_eq!(
            r.take(usize::MAX).map(<[u8]>::len),
            Err(DecodeError::Truncated {
                what: "thing",
                needed: usize::MAX,
                got: 6
            })
        );
        assert_eq!(
            Reader::new("thing", &bytes).exact_len(5),
            Err(DecodeError::TrailingBytes {
                what: "thing",
                expected: 5,
                got: 6
            })
        );
        assert_eq!(
            r.finish(),
            Err(DecodeError::TrailingBytes {
                what: "thing",
                expected: 5,
                got: 6
            })
        );
    }

    #[test]
    fn writer_is_the_readers_mirror() {
        let mut bytes = b"CG".to_vec();
        Writer::new(&mut bytes)
            .bytes(b"XX")
            .u8(1)
            .u16(2)
            .u32(3)
            .u64(4);
        let mut r = Reader::new("thing", &bytes);
        r.magic(b"CGXX").unwrap();
        r.version(1).unwrap();
        assert_eq!(
            (r.u16().unwrap(), r.u32().unwrap(), r.u64().unwrap()),
            (2, 3, 4)
        );
        assert!(r.rest().is_empty());
    }
}
