//! A bounds-checked cursor over untrusted bytes: every read checks the length first.

use super::error::{IdentityError, Result};

pub(crate) struct Reader<'a> {
    what: &'static str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(what: &'static str, bytes: &'a [u8]) -> Self {
        Self {
            what,
            bytes,
            pos: 0,
        }
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let remaining = self.bytes.len() - self.pos;
        if n > remaining {
            return Err(IdentityError::Truncated {
                what: self.what,
                needed: self.pos.saturating_add(n),
                got: self.bytes.len(),
            });
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// A 0/1 flag byte; anything else is malformed (canonical encoding).
    pub(crate) fn flag(&mut self, field: &'static str) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(IdentityError::Malformed { field }),
        }
    }

    /// A UTF-8 string with a one-byte length prefix, at most `max` bytes.
    pub(crate) fn short_str(&mut self, field: &'static str, max: usize) -> Result<&'a str> {
        let len = usize::from(self.u8()?);
        if len > max {
            return Err(IdentityError::TooLong { field, len, max });
        }
        core::str::from_utf8(self.take(len)?).map_err(|_| IdentityError::Malformed { field })
    }

    pub(crate) fn magic(&mut self, magic: &[u8; 4]) -> Result<()> {
        if self.take(4)? != magic {
            return Err(IdentityError::BadMagic { what: self.what });
        }
        Ok(())
    }

    pub(crate) fn version(&mut self, supported: u8) -> Result<()> {
        let version = self.u8()?;
        if version != supported {
            return Err(IdentityError::UnsupportedVersion {
                what: self.what,
                version,
            });
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<()> {
        let extra = self.bytes.len() - self.pos;
        if extra != 0 {
            return Err(IdentityError::TrailingBytes {
                what: self.what,
                extra,
            });
        }
        Ok(())
    }
}
