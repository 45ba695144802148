//! The `careguard` Python package's native module, `careguard._careguard`.
//!
//! Thin conversions over the `careguard` crate: every decision is core's. Errors are
//! typed exceptions carrying the C ABI's status codes (see `errors`). Batch calls
//! (`Scanner.scan_many`, `Scanner.minimise_many`) release the GIL and run on rayon's
//! thread pool.

use pyo3::prelude::*;

mod audit;
mod detect;
mod envelope;
mod errors;
mod policy;
mod sending;
mod trust;
mod vault;

#[pymodule]
fn _careguard(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("KINDS", detect::kind_names())?;
    errors::register(m)?;
    m.add_class::<detect::Finding>()?;
    m.add_class::<detect::Scanner>()?;
    m.add_class::<policy::Context>()?;
    m.add_class::<policy::Decision>()?;
    m.add_class::<policy::Reason>()?;
    m.add_class::<envelope::KeyRing>()?;
    m.add_class::<envelope::Opened>()?;
    m.add_function(wrap_pyfunction!(envelope::generate_key, m)?)?;
    m.add_function(wrap_pyfunction!(envelope::derive_key_id, m)?)?;
    m.add_function(wrap_pyfunction!(envelope::seal, m)?)?;
    m.add_function(wrap_pyfunction!(envelope::open, m)?)?;
    m.add_class::<vault::LockoutPolicy>()?;
    m.add_class::<vault::Vault>()?;
    // Safe sending, audit logs and Trust policy packs (issue 17).
    m.add_class::<sending::RecipientEntry>()?;
    m.add_class::<sending::RecipientWarning>()?;
    m.add_class::<sending::AddressBook>()?;
    m.add_class::<sending::PyGroupMember>()?;
    m.add_class::<sending::GroupFinding>()?;
    m.add_function(wrap_pyfunction!(sending::review_group, m)?)?;
    m.add_class::<audit::DeviceKeys>()?;
    m.add_class::<audit::AuditRecord>()?;
    m.add_class::<audit::AuditChain>()?;
    m.add_class::<audit::AuditLog>()?;
    m.add_class::<audit::AuditSummary>()?;
    m.add_function(wrap_pyfunction!(audit::verify_audit_log, m)?)?;
    m.add_function(wrap_pyfunction!(audit::summarise_audit, m)?)?;
    m.add_class::<trust::TrustPack>()?;
    m.add_class::<trust::EmergencyOrder>()?;
    Ok(())
}
