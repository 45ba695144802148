//! The policy review: `Context` in, `Decision` out.

use careguard::policy::{self, Conversation, Verdict};
use pyo3::prelude::*;

use crate::errors::{self, INVALID_ARGUMENT};

/// Where a message is going: the conversation type (`clinical`, `social` or
/// `broadcast`), whether the platform is approved for patient data, whether the
/// Trust's emergency (network-outage) mode is on, and names known to be staff.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct Context {
    /// `clinical`, `social` or `broadcast`.
    #[pyo3(get)]
    conversation: &'static str,
    /// Whether the platform is approved for patient-identifiable data.
    #[pyo3(get)]
    platform_approved: bool,
    /// Whether emergency (network-outage) mode is on.
    #[pyo3(get)]
    emergency: bool,
    /// Names known to be staff in this conversation.
    #[pyo3(get)]
    staff_names: Vec<String>,
    conv: Conversation,
}

#[pymethods]
impl Context {
    /// A context; `conversation` is `clinical`, `social` or `broadcast`.
    #[new]
    #[pyo3(signature = (conversation = "clinical", *, platform_approved = true, emergency = false, staff_names = Vec::new()))]
    fn new(
        conversation: &str,
        platform_approved: bool,
        emergency: bool,
        staff_names: Vec<String>,
    ) -> PyResult<Self> {
        let (name, conv) = match conversation {
            "clinical" => ("clinical", Conversation::Clinical),
            "social" => ("social", Conversation::Social),
            "broadcast" => ("broadcast", Conversation::Broadcast),
            other => {
                return Err(errors::error(
                    INVALID_ARGUMENT,
                    format!("conversation must be clinical, social or broadcast, not {other:?}"),
                ));
            }
        };
        Ok(Context {
            conversation: name,
            platform_approved,
            emergency,
            staff_names,
            conv,
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "Context({:?}, platform_approved={}, emergency={}, staff_names=[{} names])",
            self.conversation,
            self.platform_approved,
            self.emergency,
            self.staff_names.len()
        )
    }
}

impl Context {
    pub(crate) fn core(&self) -> policy::Context {
        policy::Context::new(
            self.conv,
            policy::Platform::from_approved(self.platform_approved),
        )
        .with_emergency(self.emergency)
        .with_staff_names(&self.staff_names)
    }

    pub(crate) fn default_core() -> policy::Context {
        policy::Context::new(Conversation::Clinical, policy::Platform::Approved)
    }
}

/// Why a message was warned about or blocked.
#[pyclass(frozen, module = "careguard")]
pub(crate) struct Reason {
    /// Stable code (`social_group`, `high_risk`, ...).
    #[pyo3(get)]
    code: &'static str,
    /// The guidance the rule comes from.
    #[pyo3(get)]
    guidance: &'static str,
    /// A sentence for the user.
    #[pyo3(get)]
    message: String,
    /// The kinds of identifier that triggered it.
    #[pyo3(get)]
    kinds: Vec<&'static str>,
}

#[pymethods]
impl Reason {
    fn __repr__(&self) -> String {
        format!("Reason({:?}, kinds={:?})", self.code, self.kinds)
    }
}

/// The outcome of a review: `verdict` (`allow`, `warn` or `block`), `reasons` and a
/// minimised `suggestion` (or None).
#[pyclass(frozen, module = "careguard")]
pub(crate) struct Decision {
    /// `allow`, `warn` or `block`.
    #[pyo3(get)]
    verdict: &'static str,
    /// Why, most important first.
    #[pyo3(get)]
    reasons: Vec<Py<Reason>>,
    /// The message with identifiers masked, when that would make it sendable.
    #[pyo3(get)]
    suggestion: Option<String>,
}

#[pymethods]
impl Decision {
    fn __repr__(&self) -> String {
        format!(
            "Decision({:?}, {} reasons, suggestion={})",
            self.verdict,
            self.reasons.len(),
            if self.suggestion.is_some() {
                "..."
            } else {
                "None"
            }
        )
    }
}

impl Decision {
    pub(crate) fn from_core(py: Python<'_>, d: policy::Decision) -> PyResult<Self> {
        let verdict = match d.verdict {
            Verdict::Allow => "allow",
            Verdict::Warn => "warn",
            // A verdict this binding does not know yet gets the strictest name.
            _ => "block",
        };
        let reasons = d
            .reasons
            .iter()
            .map(|r| {
                Py::new(
                    py,
                    Reason {
                        code: r.code(),
                        guidance: r.guidance(),
                        message: r.to_string(),
                        kinds: r.kinds().iter().map(|k| k.as_str()).collect(),
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Decision {
            verdict,
            reasons,
            suggestion: d.suggestion,
        })
    }
}
