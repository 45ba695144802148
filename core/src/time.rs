//! Time as careguard takes it: the caller reads the clock and passes it in.

use core::fmt;
use core::ops::Add;

/// A point in time in whole seconds since the Unix epoch (UTC), as the caller's clock
/// reads it. careguard never reads a clock itself (DESIGN.md), so every operation that
/// depends on time takes one of these; the type says which `u64` is a time.
///
/// ```
/// use careguard::UnixSeconds;
///
/// let now = UnixSeconds(1_700_000_000);
/// assert_eq!(now + 3600, UnixSeconds(1_700_003_600));
/// assert_eq!(u64::from(now), 1_700_000_000);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixSeconds(pub u64);

impl UnixSeconds {
    /// The number of seconds since the epoch.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl From<UnixSeconds> for u64 {
    fn from(t: UnixSeconds) -> u64 {
        t.0
    }
}

/// Adds seconds, saturating at `u64::MAX` rather than wrapping to the past.
impl Add<u64> for UnixSeconds {
    type Output = UnixSeconds;
    fn add(self, seconds: u64) -> UnixSeconds {
        UnixSeconds(self.0.saturating_add(seconds))
    }
}

impl fmt::Display for UnixSeconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
