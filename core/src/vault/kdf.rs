//! Argon2id parameters, the derivation itself, reusable memory and calibration.

use argon2::{Algorithm, Argon2, AssociatedData, Block, ParamsBuilder, Version};
use zeroize::{Zeroize, Zeroizing};

use super::VaultError;

/// Largest memory cost a blob may ask for, in KiB (1 GiB, the production
/// ceiling). Larger values are rejected while parsing
/// ([`VaultError::InvalidParams`]) so a blob rewritten by an attacker cannot make the
/// app allocate more before the PIN check fails.
pub const MAX_M_KIB: u32 = 1024 * 1024;
/// Largest number of passes a blob may ask for.
pub const MAX_T_COST: u32 = 64;
/// Largest number of lanes a blob may ask for.
pub const MAX_P_COST: u32 = 16;
/// Smallest memory cost [`KdfParams::new`] accepts, in KiB: OWASP's minimum for
/// Argon2id (19 MiB). A blob asking for less is refused while parsing
/// ([`VaultError::ParamsTooWeak`]). Cheaper parameters exist only in builds with the
/// `insecure-test-params` feature, for tests.
pub const MIN_M_KIB: u32 = 19 * 1024;
/// Smallest number of passes [`KdfParams::new`] accepts and a blob may carry (OWASP:
/// t = 2 at 19 MiB).
pub const MIN_T_COST: u32 = 2;

/// Argon2id (version 0x13) cost parameters, stored in every vault blob.
///
/// The default, [`KdfParams::DEFAULT`], is RFC 9106's second recommended option
/// for memory-constrained environments: 64 MiB, t = 3, p = 1. On this project's
/// reference machine one unlock at the default takes about 0.2 s (see the
/// `vault` bench); [`calibrate`] raises the cost on faster devices.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    m_kib: u32,
    t_cost: u32,
    p_cost: u32,
}

impl KdfParams {
    /// RFC 9106 section 4, second recommended option: 64 MiB, 3 passes, 1 lane.
    pub const DEFAULT: Self = Self {
        m_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 1,
    };

    /// Parameters for production use. Refuses anything below OWASP's minimum
    /// ([`MIN_M_KIB`], [`MIN_T_COST`]) or above the parsing maxima.
    ///
    /// ```
    /// use careguard::vault::KdfParams;
    /// let p = KdfParams::new(128 * 1024, 3, 1).unwrap();
    /// assert_eq!(p.m_kib(), 128 * 1024);
    /// assert!(KdfParams::new(1024, 1, 1).is_err());
    /// ```
    pub fn new(m_kib: u32, t_cost: u32, p_cost: u32) -> Result<Self, VaultError> {
        if m_kib < MIN_M_KIB || t_cost < MIN_T_COST {
            return Err(VaultError::ParamsTooWeak { m_kib, t_cost });
        }
        Self::checked(m_kib, t_cost, p_cost)
    }

    /// Cheap parameters for tests and test vectors only: they make a PIN
    /// guessable in seconds. Only the Argon2 minimum (8 KiB per lane) and the
    /// parsing maxima are enforced. Exists only with the `insecure-test-params`
    /// feature, which also lets blobs carrying such parameters be read.
    #[cfg(feature = "insecure-test-params")]
    pub fn insecure_for_tests_only(
        m_kib: u32,
        t_cost: u32,
        p_cost: u32,
    ) -> Result<Self, VaultError> {
        Self::checked(m_kib, t_cost, p_cost)
    }

    /// The parameters a stored blob carries: the parsing bounds, and the production
    /// floor ([`MIN_M_KIB`], [`MIN_T_COST`]) unless this build has the
    /// `insecure-test-params` feature.
    pub(crate) fn from_blob(m_kib: u32, t_cost: u32, p_cost: u32) -> Result<Self, VaultError> {
        Self::bounded(
            m_kib,
            t_cost,
            p_cost,
            cfg!(feature = "insecure-test-params"),
        )
    }

    fn bounded(m_kib: u32, t_cost: u32, p_cost: u32, allow_weak: bool) -> Result<Self, VaultError> {
        let params = Self::checked(m_kib, t_cost, p_cost)?;
        if !allow_weak && (m_kib < MIN_M_KIB || t_cost < MIN_T_COST) {
            return Err(VaultError::ParamsTooWeak { m_kib, t_cost });
        }
        Ok(params)
    }

    /// Bounds every blob's parameters must satisfy (used when parsing too).
    pub(crate) fn checked(m_kib: u32, t_cost: u32, p_cost: u32) -> Result<Self, VaultError> {
        let ok = (1..=MAX_P_COST).contains(&p_cost)
            && (1..=MAX_T_COST).contains(&t_cost)
            && m_kib <= MAX_M_KIB
            && m_kib >= 8 * p_cost;
        if !ok {
            return Err(VaultError::InvalidParams {
                m_kib,
                t_cost,
                p_cost,
            });
        }
        Ok(Self {
            m_kib,
            t_cost,
            p_cost,
        })
    }

    /// Memory cost in KiB.
    pub fn m_kib(&self) -> u32 {
        self.m_kib
    }

    /// Number of passes over memory.
    pub fn t_cost(&self) -> u32 {
        self.t_cost
    }

    /// Number of lanes (parallelism; careguard computes them on one thread).
    pub fn p_cost(&self) -> u32 {
        self.p_cost
    }

    /// Runs Argon2id once with these parameters on a fixed dummy input, the same
    /// work as one unlock. Used by [`calibrate`] and by benches.
    pub fn probe(&self, memory: &mut KdfMemory) -> Result<(), VaultError> {
        let mut out = Zeroizing::new([0u8; 32]);
        argon2id(self, b"000000", &[0u8; 16], None, &[], &mut out[..], memory)
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl core::fmt::Debug for KdfParams {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KdfParams")
            .field("algorithm", &"argon2id-v0x13")
            .field("m_kib", &self.m_kib)
            .field("t_cost", &self.t_cost)
            .field("p_cost", &self.p_cost)
            .finish()
    }
}

/// Argon2's working memory, kept between derivations so repeated unlocks (and
/// benches) skip the first-touch page faults, which are about a third of a
/// one-shot derivation. It is wiped after every use and on drop.
#[derive(Default)]
pub struct KdfMemory {
    blocks: Vec<Block>,
}

impl KdfMemory {
    /// Empty memory; it grows to the size the first derivation needs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Memory currently held, in KiB.
    pub fn held_kib(&self) -> usize {
        self.blocks.len()
    }

    fn wipe(&mut self) {
        for block in &mut self.blocks {
            block.zeroize();
        }
    }
}

impl Drop for KdfMemory {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl core::fmt::Debug for KdfMemory {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KdfMemory")
            .field("held_kib", &self.blocks.len())
            .finish()
    }
}

/// Argon2id v0x13 of `password` and `salt` into `out`, with RFC 9106's optional
/// secret `K` and associated data `X` (the vault uses neither; they exist so the
/// RFC 9106 section 5.3 vector runs through this same function).
pub(crate) fn argon2id(
    params: &KdfParams,
    password: &[u8],
    salt: &[u8],
    secret: Option<&[u8]>,
    associated_data: &[u8],
    out: &mut [u8],
    memory: &mut KdfMemory,
) -> Result<(), VaultError> {
    let data = AssociatedData::new(associated_data).map_err(|_| VaultError::KdfFailed)?;
    let argon_params = ParamsBuilder::new()
        .m_cost(params.m_kib)
        .t_cost(params.t_cost)
        .p_cost(params.p_cost)
        .data(data)
        .output_len(out.len())
        .build()
        .map_err(|_| VaultError::KdfFailed)?;
    let ctx = match secret {
        Some(secret) => {
            Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, argon_params)
                .map_err(|_| VaultError::KdfFailed)?
        }
        None => Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params),
    };
    let blocks = ctx.params().block_count();
    if memory.blocks.len() < blocks {
        memory.blocks.clear();
        memory
            .blocks
            .try_reserve_exact(blocks)
            .map_err(|_| VaultError::KdfFailed)?;
        memory.blocks.resize(blocks, Block::new());
    }
    let result =
        ctx.hash_password_into_with_memory(password, salt, out, &mut memory.blocks[..blocks]);
    memory.wipe();
    result.map_err(|_| VaultError::KdfFailed)
}

/// Picks Argon2id parameters that take about `target_ms` on this device, never
/// below [`KdfParams::DEFAULT`] and never above `max_m_kib` of memory.
///
/// careguard never reads a clock itself: `time_ms` runs one derivation with the
/// parameters it is given (call [`KdfParams::probe`]) and returns how long it
/// took in milliseconds, measured with the platform's *monotonic* timer. The
/// result only sizes work; no security decision (lockouts, expiry) depends on it.
/// [`calibrate_with_std_timer`] is this function with `std::time::Instant`.
///
/// Memory grows first (memory hardness is what slows GPU attackers), up to
/// `max_m_kib`; then passes grow. Each step is measured, at most 12 probes.
pub fn calibrate<F>(target_ms: u64, max_m_kib: u32, mut time_ms: F) -> Result<KdfParams, VaultError>
where
    F: FnMut(&KdfParams) -> Result<u64, VaultError>,
{
    let mut best = KdfParams::DEFAULT;
    let max_m_kib = max_m_kib.clamp(KdfParams::DEFAULT.m_kib, MAX_M_KIB);
    let mut took = time_ms(&best)?.max(1);
    for _ in 0..12 {
        if took >= target_ms {
            break;
        }
        let scale = target_ms as f64 / took as f64;
        let next = if best.m_kib < max_m_kib {
            let m = (f64::from(best.m_kib) * scale).min(f64::from(max_m_kib)) as u32;
            // whole MiB, and at least one MiB more than now
            let m = (m / 1024 * 1024).max(best.m_kib + 1024).min(max_m_kib);
            KdfParams::checked(m, best.t_cost, best.p_cost)?
        } else {
            let t = (f64::from(best.t_cost) * scale) as u32;
            let t = t.max(best.t_cost + 1).min(MAX_T_COST);
            if t == best.t_cost {
                break;
            }
            KdfParams::checked(best.m_kib, t, best.p_cost)?
        };
        let next_took = time_ms(&next)?.max(1);
        if next_took > target_ms.saturating_mul(3) / 2 {
            break;
        }
        best = next;
        took = next_took;
    }
    Ok(best)
}

/// [`calibrate`] timed with `std::time::Instant` (a monotonic timer, not the wall
/// clock). Not available on `wasm32-unknown-unknown`, which has no `Instant`:
/// there, time [`KdfParams::probe`] with `performance.now()` and call [`calibrate`].
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub fn calibrate_with_std_timer(target_ms: u64, max_m_kib: u32) -> Result<KdfParams, VaultError> {
    let mut memory = KdfMemory::new();
    calibrate(target_ms, max_m_kib, |params| {
        let started = std::time::Instant::now();
        params.probe(&mut memory)?;
        Ok(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9106 section 5.3: Argon2id, m = 32 KiB, t = 3, p = 4, with secret and
    /// associated data, through the same function the vault uses.
    #[test]
    fn rfc9106_argon2id_vector() {
        let params = KdfParams::insecure_for_tests_only(32, 3, 4).unwrap();
        let mut out = [0u8; 32];
        argon2id(
            &params,
            &[0x01; 32],
            &[0x02; 16],
            Some(&[0x03; 8]),
            &[0x04; 12],
            &mut out,
            &mut KdfMemory::new(),
        )
        .unwrap();
        let expected: [u8; 32] = [
            0x0d, 0x64, 0x0d, 0xf5, 0x8d, 0x78, 0x76, 0x6c, 0x08, 0xc0, 0x37, 0xa3, 0x4a, 0x8b,
            0x53, 0xc9, 0xd0, 0x1e, 0xf0, 0x45, 0x2d, 0x75, 0xb6, 0x5e, 0xb5, 0x25, 0x20, 0xe9,
            0x6b, 0x01, 0xe6, 0x59,
        ];
        assert_eq!(out, expected);
    }

    #[test]
    fn reused_memory_gives_the_same_output_and_is_wiped() {
        let params = KdfParams::insecure_for_tests_only(64, 2, 1).unwrap();
        let mut memory = KdfMemory::new();
        let (mut a, mut b, mut c) = ([0u8; 32], [0u8; 32], [0u8; 32]);
        argon2id(&params, b"135792", &[9; 16], None, &[], &mut a, &mut memory).unwrap();
        argon2id(&params, b"135792", &[9; 16], None, &[], &mut b, &mut memory).unwrap();
        argon2id(
            &params,
            b"135792",
            &[9; 16],
            None,
            &[],
            &mut c,
            &mut KdfMemory::new(),
        )
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(memory.held_kib(), 64);
        assert!(
            memory
                .blocks
                .iter()
                .all(|b| AsRef::<[u64]>::as_ref(b).iter().all(|&x| x == 0))
        );
    }

    #[test]
    fn params_floor_and_bounds() {
        assert!(KdfParams::new(MIN_M_KIB, MIN_T_COST, 1).is_ok());
        assert!(matches!(
            KdfParams::new(MIN_M_KIB - 1, 3, 1),
            Err(VaultError::ParamsTooWeak { .. })
        ));
        assert!(matches!(
            KdfParams::new(MIN_M_KIB, 1, 1),
            Err(VaultError::ParamsTooWeak { .. })
        ));
        assert!(matches!(
            KdfParams::new(MAX_M_KIB + 1, 3, 1),
            Err(VaultError::InvalidParams { .. })
        ));
        assert!(KdfParams::insecure_for_tests_only(8, 1, 1).is_ok());
        assert!(KdfParams::insecure_for_tests_only(15, 1, 2).is_err());
        assert!(KdfParams::insecure_for_tests_only(64, 1, 0).is_err());
        assert!(KdfParams::DEFAULT.m_kib() >= 64 * 1024 && KdfParams::DEFAULT.t_cost() >= 3);
    }

    #[test]
    fn blob_params_have_a_production_floor_and_a_one_gib_ceiling() {
        let production = |m, t| KdfParams::bounded(m, t, 1, false);
        assert!(production(MIN_M_KIB, MIN_T_COST).is_ok());
        assert_eq!(
            production(MIN_M_KIB - 1, 3),
            Err(VaultError::ParamsTooWeak {
                m_kib: MIN_M_KIB - 1,
                t_cost: 3
            })
        );
        assert_eq!(
            production(64 * 1024, 1),
            Err(VaultError::ParamsTooWeak {
                m_kib: 64 * 1024,
                t_cost: 1
            })
        );
        assert!(production(1024 * 1024, 3).is_ok());
        assert!(matches!(
            production(1024 * 1024 + 1, 3),
            Err(VaultError::InvalidParams { .. })
        ));
        // Test builds read the cheap test vectors; the ceiling still holds there.
        assert!(KdfParams::bounded(64, 1, 1, true).is_ok());
        assert!(matches!(
            KdfParams::bounded(1024 * 1024 + 1, 3, 1, true),
            Err(VaultError::InvalidParams { .. })
        ));
    }

    #[test]
    fn calibrate_grows_memory_then_passes_and_never_goes_below_default() {
        // A model device: time proportional to m * t, 200 ms at the default.
        let model = |p: &KdfParams| {
            Ok(u64::from(p.m_kib()) * u64::from(p.t_cost()) * 200 / (64 * 1024 * 3))
        };
        let p = calibrate(400, 1024 * 1024, model).unwrap();
        assert_eq!((p.m_kib(), p.t_cost()), (128 * 1024, 3));
        let p = calibrate(800, 128 * 1024, model).unwrap();
        assert_eq!((p.m_kib(), p.t_cost()), (128 * 1024, 6));
        let slow = |_: &KdfParams| Ok(5_000);
        assert_eq!(
            calibrate(500, 1024 * 1024, slow).unwrap(),
            KdfParams::DEFAULT
        );
    }
}
