//! Idle auto-lock around an [`Unlocked`] vault.

use super::{Unlocked, VaultError};

/// An unlocked vault that locks itself after `idle_timeout` seconds without
/// activity, wiping the master key. Every access goes through
/// [`Session::vault`], which takes the caller's `now`, locks first if the vault
/// has been idle too long, and otherwise records the activity.
///
/// A `now` earlier than the last activity (the clock was set back) locks the
/// session: failing closed is safer than trusting a clock that moved backwards.
///
/// ```
/// use careguard::vault::{KdfParams, Pin, Session, Vault, VaultError};
/// # let mut rng = rand_core::UnwrapErr(getrandom::SysRng);
/// # let params = KdfParams::insecure_for_tests_only(64, 1, 1)?;
/// let (vault, _blob) = Vault::create(&Pin::new("730419")?, None, &params, &mut rng)?;
/// let mut session = Session::new(vault, 300, 1_000);
/// assert!(session.vault(1_200).is_ok()); // activity at 1200
/// assert_eq!(session.locks_at(), Some(1_500));
/// assert!(matches!(session.vault(1_501), Err(VaultError::Locked { idle_since: 1_200 })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Session {
    vault: Option<Unlocked>,
    idle_timeout: u64,
    last_activity: u64,
}

impl Session {
    /// Wraps an unlocked vault; `now` counts as activity.
    pub fn new(vault: Unlocked, idle_timeout: u64, now: u64) -> Self {
        Self {
            vault: Some(vault),
            idle_timeout,
            last_activity: now,
        }
    }

    /// The vault, if it is still unlocked at `now`; records the activity.
    pub fn vault(&mut self, now: u64) -> Result<&mut Unlocked, VaultError> {
        if self.lock_if_idle(now) || self.vault.is_none() {
            return Err(VaultError::Locked {
                idle_since: self.last_activity,
            });
        }
        self.last_activity = now;
        self.vault.as_mut().ok_or(VaultError::Locked {
            idle_since: self.last_activity,
        })
    }

    /// Locks if idle (or the clock went back) at `now`; returns whether it is locked.
    /// Call it from the app's timer at [`Session::locks_at`].
    pub fn lock_if_idle(&mut self, now: u64) -> bool {
        if self.vault.is_some()
            && (now < self.last_activity || now - self.last_activity >= self.idle_timeout)
        {
            self.vault = None;
        }
        self.vault.is_none()
    }

    /// Locks now (the master key is wiped).
    pub fn lock(&mut self) {
        self.vault = None;
    }

    /// Whether the vault is unlocked (does not record activity or lock).
    pub fn is_unlocked(&self) -> bool {
        self.vault.is_some()
    }

    /// When the session will lock if nothing happens, or `None` if locked.
    pub fn locks_at(&self) -> Option<u64> {
        self.vault
            .as_ref()
            .map(|_| self.last_activity.saturating_add(self.idle_timeout))
    }

    /// Takes the vault out (for a wipe or PIN change flow), leaving the session locked.
    pub fn take(&mut self, now: u64) -> Result<Unlocked, VaultError> {
        self.vault(now)?;
        self.vault.take().ok_or(VaultError::Locked {
            idle_since: self.last_activity,
        })
    }
}

impl core::fmt::Debug for Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("unlocked", &self.vault.is_some())
            .field("idle_timeout", &self.idle_timeout)
            .field("last_activity", &self.last_activity)
            .finish()
    }
}
