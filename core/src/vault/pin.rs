//! PIN rules: length, digits only, and rejection of guessable PINs.

use zeroize::Zeroizing;

use super::VaultError;

/// Longest PIN accepted, in digits.
pub const MAX_PIN_LEN: usize = 64;

/// The most chosen PINs that the pattern rules below do not already catch.
///
/// Source: the ten most frequent 4- and 6-digit PINs in Markert, Bailey, Golla,
/// Dürmuth and Aviv, "This PIN Can Be Easily Guessed: Analyzing the Security of
/// Smartphone Unlock PINs", IEEE S&P 2020 (<https://this-pin-can-be-easily-guessed.github.io/>),
/// plus the straight lines of the phone keypad (1-4-7, 2-5-8, 3-6-9, 7-5-3, 1-5-9
/// forwards and backwards) that the same study names as the "pattern" strategy.
/// All-same, ascending/descending and repeated-block PINs (000000, 123456,
/// 654321, 121212, 123123) are caught by rules, so they are not listed.
pub const COMMON_PINS: &[&str] = &[
    // Markert et al. 2020 top ten, less the rule-caught ones.
    "1998",
    "2580",
    "0852",
    "5683",
    "112233",
    "159753",
    "789456",
    // Keypad lines.
    "147258",
    "258369",
    "369258",
    "852963",
    "963852",
    "741852",
    "852741",
    "159357",
    "357159",
    "753951",
    "951753",
    "147369",
    "369147",
    "258456",
    "456258",
    "123654",
    "456123",
    "789123",
    "321654",
    "987321",
    "147258369",
    "258036",
    "0258",
    "2580456",
];

/// Why a PIN was refused. Messages never contain the PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WeakPin {
    /// fewer digits than the policy requires
    #[error("pin has {got} digits, at least {min} are required")]
    TooShort {
        /// minimum number of digits
        min: usize,
        /// digits given
        got: usize,
    },
    /// longer than [`MAX_PIN_LEN`]
    #[error("pin has {got} digits, at most {max} are allowed")]
    TooLong {
        /// maximum number of digits
        max: usize,
        /// digits given
        got: usize,
    },
    /// a character other than the ASCII digits 0-9
    #[error("pin must contain only the digits 0-9")]
    NotDigits,
    /// every digit the same
    #[error("pin repeats one digit")]
    AllSame,
    /// an ascending or descending run such as 123456 or 987654 (wrapping 9 to 0 counts)
    #[error("pin is an ascending or descending run")]
    Sequence,
    /// a shorter block repeated, such as 121212 or 123123
    #[error("pin repeats a shorter block of digits")]
    Repeated,
    /// on the list of most chosen PINs ([`COMMON_PINS`])
    #[error("pin is one of the most commonly chosen pins")]
    Common,
}

/// Which PINs [`Pin::new`] accepts. Weak-PIN rejection cannot be turned off; only
/// the minimum length can be raised (or lowered to 4 for a Trust that must).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPolicy {
    min_len: usize,
}

impl PinPolicy {
    /// At least 6 digits.
    pub const DEFAULT: Self = Self { min_len: 6 };

    /// A policy requiring `min_len` digits, clamped to 4..=[`MAX_PIN_LEN`].
    pub fn with_min_len(min_len: usize) -> Self {
        Self {
            min_len: min_len.clamp(4, MAX_PIN_LEN),
        }
    }

    /// The minimum number of digits. The default is 6.
    pub fn min_len(&self) -> usize {
        self.min_len
    }

    /// Checks a candidate PIN against the policy.
    ///
    /// ```
    /// use careguard::vault::{PinPolicy, WeakPin};
    /// let policy = PinPolicy::DEFAULT;
    /// assert_eq!(policy.check("123456"), Err(WeakPin::Sequence));
    /// assert_eq!(policy.check("4821"), Err(WeakPin::TooShort { min: 6, got: 4 }));
    /// assert!(policy.check("730419").is_ok());
    /// ```
    pub fn check(&self, pin: &str) -> Result<(), WeakPin> {
        let digits = pin.as_bytes();
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(WeakPin::NotDigits);
        }
        if digits.len() < self.min_len {
            return Err(WeakPin::TooShort {
                min: self.min_len,
                got: digits.len(),
            });
        }
        if digits.len() > MAX_PIN_LEN {
            return Err(WeakPin::TooLong {
                max: MAX_PIN_LEN,
                got: digits.len(),
            });
        }
        if digits.iter().all(|&d| d == digits[0]) {
            return Err(WeakPin::AllSame);
        }
        let step = |up: bool| {
            digits.windows(2).all(|w| {
                let (a, b) = (w[0] - b'0', w[1] - b'0');
                if up {
                    b == (a + 1) % 10
                } else {
                    a == (b + 1) % 10
                }
            })
        };
        if step(true) || step(false) {
            return Err(WeakPin::Sequence);
        }
        let n = digits.len();
        if (1..=n / 2)
            .any(|block| n % block == 0 && digits.chunks(block).all(|c| c == &digits[..block]))
        {
            return Err(WeakPin::Repeated);
        }
        if COMMON_PINS.contains(&pin) {
            return Err(WeakPin::Common);
        }
        Ok(())
    }
}

impl Default for PinPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A PIN that passed a [`PinPolicy`]: creating a vault or changing its PIN takes
/// a `Pin`, so a weak PIN cannot reach a new blob. Unlocking takes plain bytes,
/// because a PIN chosen under an older policy must still open its vault.
///
/// Wiped on drop; `Debug` shows only its length.
pub struct Pin(Zeroizing<String>);

impl Pin {
    /// Checks `pin` against the default policy (6+ digits, no weak patterns).
    pub fn new(pin: &str) -> Result<Self, VaultError> {
        Self::with_policy(pin, &PinPolicy::DEFAULT)
    }

    /// Checks `pin` against `policy`.
    pub fn with_policy(pin: &str, policy: &PinPolicy) -> Result<Self, VaultError> {
        policy
            .check(pin)
            .map_err(|reason| VaultError::WeakPin { reason })?;
        Ok(Self(Zeroizing::new(pin.to_owned())))
    }

    /// The PIN's digits as bytes (what Argon2 hashes).
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl core::fmt::Debug for Pin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Pin({} digits)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_each_weak_family() {
        let p = PinPolicy::DEFAULT;
        assert_eq!(p.check("12345"), Err(WeakPin::TooShort { min: 6, got: 5 }));
        assert_eq!(p.check("12a456"), Err(WeakPin::NotDigits));
        assert_eq!(p.check("１２３４５６"), Err(WeakPin::NotDigits));
        assert_eq!(p.check("777777"), Err(WeakPin::AllSame));
        for run in [
            "123456",
            "234567",
            "987654",
            "890123",
            "3210987",
            "0123456789",
        ] {
            assert_eq!(p.check(run), Err(WeakPin::Sequence), "{run}");
        }
        for rep in ["121212", "123123", "909090", "45674567", "10101010"] {
            assert_eq!(p.check(rep), Err(WeakPin::Repeated), "{rep}");
        }
        for common in ["112233", "159753", "789456", "147258", "2580456"] {
            assert_eq!(p.check(common), Err(WeakPin::Common), "{common}");
        }
        assert_eq!(
            p.check(&"5".repeat(65)),
            Err(WeakPin::TooLong { max: 64, got: 65 })
        );
        assert_eq!(
            p.check(&"27".repeat(33)),
            Err(WeakPin::TooLong { max: 64, got: 66 })
        );
    }

    #[test]
    fn accepts_ordinary_pins() {
        for ok in ["730419", "284615", "5092731", "19283746"] {
            assert_eq!(PinPolicy::DEFAULT.check(ok), Ok(()), "{ok}");
        }
        assert!(PinPolicy::with_min_len(4).check("4821").is_ok());
        assert_eq!(
            PinPolicy::with_min_len(4).check("2580"),
            Err(WeakPin::Common)
        );
        assert_eq!(PinPolicy::with_min_len(1).min_len(), 4);
    }

    #[test]
    fn pin_debug_and_errors_hide_digits() {
        let pin = Pin::new("730419").unwrap();
        assert_eq!(format!("{pin:?}"), "Pin(6 digits)");
        let err = Pin::new("123456").unwrap_err().to_string();
        assert!(!err.contains("123456"), "{err}");
    }
}
