//! `Scanner`, `Finding` and the batch calls that run without the GIL.

use careguard::detect::{self, Kind, MaskStyle, ScannerBuilder};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

use crate::errors::{self, INVALID_ARGUMENT};
use crate::policy::{Context, Decision};

/// One identifier found in a text.
///
/// `start`/`end` are UTF-8 byte offsets (as the CLI and the C ABI give them),
/// `start_utf16`/`end_utf16` UTF-16 code-unit offsets (JavaScript, Java, Swift's
/// NSString), and `start_char`/`end_char` code-point offsets: `text[f.start_char:f.end_char]`
/// is the matched text in Python.
#[pyclass(frozen, eq, module = "careguard")]
#[derive(Clone, PartialEq)]
pub(crate) struct Finding {
    /// Kind name (`nhs_number`, `person_name`, ...).
    #[pyo3(get)]
    kind: &'static str,
    /// UTF-8 byte offset where the finding starts.
    #[pyo3(get)]
    start: usize,
    /// UTF-8 byte offset just past the finding.
    #[pyo3(get)]
    end: usize,
    /// UTF-16 code-unit offset where the finding starts.
    #[pyo3(get)]
    start_utf16: usize,
    /// UTF-16 code-unit offset just past the finding.
    #[pyo3(get)]
    end_utf16: usize,
    /// Code-point offset where the finding starts (a Python `str` index).
    #[pyo3(get)]
    start_char: usize,
    /// Code-point offset just past the finding.
    #[pyo3(get)]
    end_char: usize,
    /// Confidence between 0 and 1, as the shortest decimal of core's `f32` (0.85, not
    /// 0.8500000238418579), so it equals what the CLI's JSON prints.
    #[pyo3(get)]
    confidence: f64,
    /// The rule that fired, for audits and tuning.
    #[pyo3(get)]
    rule: &'static str,
    /// Whose name a `person_name` is: `patient`, `staff` or `unknown` (`unknown` on other kinds).
    #[pyo3(get)]
    subject: &'static str,
}

#[pymethods]
impl Finding {
    fn __repr__(&self) -> String {
        format!(
            "Finding(kind={:?}, start={}, end={}, start_utf16={}, end_utf16={}, start_char={}, end_char={}, confidence={}, rule={:?}, subject={:?})",
            self.kind,
            self.start,
            self.end,
            self.start_utf16,
            self.end_utf16,
            self.start_char,
            self.end_char,
            self.confidence,
            self.rule,
            self.subject
        )
    }

    /// The finding as a dict with the CLI's JSON keys (plus `start_char`/`end_char`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("kind", self.kind)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("start_utf16", self.start_utf16)?;
        d.set_item("end_utf16", self.end_utf16)?;
        d.set_item("start_char", self.start_char)?;
        d.set_item("end_char", self.end_char)?;
        d.set_item("confidence", self.confidence)?;
        d.set_item("rule", self.rule)?;
        d.set_item("subject", self.subject)?;
        Ok(d)
    }
}

/// Findings as columns (see `Scanner.scan_columns`).
#[derive(Default)]
struct Columns {
    kind: Vec<&'static str>,
    start: Vec<usize>,
    end: Vec<usize>,
    start_utf16: Vec<usize>,
    end_utf16: Vec<usize>,
    start_char: Vec<usize>,
    end_char: Vec<usize>,
    confidence: Vec<f64>,
    rule: Vec<&'static str>,
    subject: Vec<&'static str>,
}

impl Columns {
    fn with_capacity(n: usize) -> Self {
        Columns {
            kind: Vec::with_capacity(n),
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
            start_utf16: Vec::with_capacity(n),
            end_utf16: Vec::with_capacity(n),
            start_char: Vec::with_capacity(n),
            end_char: Vec::with_capacity(n),
            confidence: Vec::with_capacity(n),
            rule: Vec::with_capacity(n),
            subject: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, f: &Finding) {
        self.kind.push(f.kind);
        self.start.push(f.start);
        self.end.push(f.end);
        self.start_utf16.push(f.start_utf16);
        self.end_utf16.push(f.end_utf16);
        self.start_char.push(f.start_char);
        self.end_char.push(f.end_char);
        self.confidence.push(f.confidence);
        self.rule.push(f.rule);
        self.subject.push(f.subject);
    }

    fn into_dict(self, d: &Bound<'_, PyDict>) -> PyResult<()> {
        d.set_item("kind", self.kind)?;
        d.set_item("start", self.start)?;
        d.set_item("end", self.end)?;
        d.set_item("start_utf16", self.start_utf16)?;
        d.set_item("end_utf16", self.end_utf16)?;
        d.set_item("start_char", self.start_char)?;
        d.set_item("end_char", self.end_char)?;
        d.set_item("confidence", self.confidence)?;
        d.set_item("rule", self.rule)?;
        d.set_item("subject", self.subject)?;
        Ok(())
    }
}

/// Converts core findings (sorted by start, non-overlapping) adding code-point offsets
/// in one pass over the text.
pub(crate) fn convert(text: &str, found: Vec<detect::Finding>) -> Vec<Finding> {
    let mut chars = 0;
    let mut at = 0;
    let mut char_at = |byte: usize| {
        // Findings are sorted, so the walk only moves forward.
        let upto = byte.min(text.len());
        if upto >= at {
            chars += text.get(at..upto).map_or(0, |s| s.chars().count());
            at = upto;
            chars
        } else {
            text.get(..upto).map_or(0, |s| s.chars().count())
        }
    };
    found
        .into_iter()
        .map(|f| {
            let start_char = char_at(f.start);
            let end_char = char_at(f.end);
            Finding {
                kind: f.kind.as_str(),
                start: f.start,
                end: f.end,
                start_utf16: f.start_utf16,
                end_utf16: f.end_utf16,
                start_char,
                end_char,
                confidence: shortest_f64(f.confidence),
                rule: f.rule,
                subject: f.subject.as_str(),
            }
        })
        .collect()
}

fn shortest_f64(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// Every kind name, in the order the C ABI numbers them.
pub(crate) fn kind_names() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.as_str()).collect()
}

pub(crate) fn parse_kind(name: &str) -> PyResult<Kind> {
    name.parse()
        .map_err(|e: detect::UnknownKind| errors::error(INVALID_ARGUMENT, format!("{name:?}: {e}")))
}

/// The identifier scanner. Build one and reuse it: construction compiles the lexicon
/// and patterns; scanning is linear in the text. Thread-safe.
///
/// ```python
/// s = careguard.Scanner(kinds=["nhs_number", "person_name"], staff_names=["Bronwen Pugh"])
/// s.scan("pt John Smith NHS 943 476 5919")
/// ```
#[pyclass(frozen, module = "careguard")]
pub(crate) struct Scanner {
    inner: detect::Scanner,
}

impl Scanner {
    /// Wraps a scanner built elsewhere in core (a Trust policy pack's).
    pub(crate) fn from_core(inner: detect::Scanner) -> Self {
        Scanner { inner }
    }

    /// The core scanner (to minimise audit reasons).
    pub(crate) fn core(&self) -> &detect::Scanner {
        &self.inner
    }
}

#[pymethods]
impl Scanner {
    /// Builds a scanner. `kinds`: the kind names to report (default all);
    /// `threshold`: minimum confidence (default 0.5); `staff_names`: names known to be
    /// staff (their findings get subject `staff`); `hospital_number_patterns`: Trust
    /// regexes (regex-lite syntax); `allow`: phrases never reported; `extra_given_names`
    /// and `extra_surnames`: lexicon additions; `mask`: `placeholder` or `partial`.
    #[new]
    #[pyo3(signature = (
        *,
        kinds = None,
        threshold = detect::DEFAULT_THRESHOLD,
        staff_names = Vec::new(),
        hospital_number_patterns = Vec::new(),
        allow = Vec::new(),
        extra_given_names = Vec::new(),
        extra_surnames = Vec::new(),
        mask = "placeholder",
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        kinds: Option<Vec<String>>,
        threshold: f32,
        staff_names: Vec<String>,
        hospital_number_patterns: Vec<String>,
        allow: Vec<String>,
        extra_given_names: Vec<String>,
        extra_surnames: Vec<String>,
        mask: &str,
    ) -> PyResult<Self> {
        let mut b = ScannerBuilder::new();
        if let Some(kinds) = kinds {
            let kinds = kinds
                .iter()
                .map(|k| parse_kind(k))
                .collect::<PyResult<Vec<_>>>()?;
            b.only(&kinds);
        }
        b.confidence_threshold(threshold);
        b.mask_style(match mask {
            "placeholder" => MaskStyle::Placeholder,
            "partial" => MaskStyle::Partial,
            other => {
                return Err(errors::error(
                    INVALID_ARGUMENT,
                    format!("mask must be 'placeholder' or 'partial', not {other:?}"),
                ));
            }
        });
        for p in &hospital_number_patterns {
            b.hospital_number_pattern(p);
        }
        for a in &allow {
            b.allow(a);
        }
        b.extra_given_names(&extra_given_names)
            .extra_surnames(&extra_surnames)
            .staff_names(&staff_names);
        let inner = b.build().map_err(|e| errors::detect_error(&e))?;
        Ok(Scanner { inner })
    }

    /// Every identifier in `text`, sorted by start, non-overlapping.
    fn scan(&self, text: &str) -> Vec<Finding> {
        convert(text, self.inner.scan(text))
    }

    /// Whether `text` holds any identifier (cheaper than `scan` when one comes early).
    fn has_findings(&self, text: &str) -> bool {
        self.inner.has_findings(text)
    }

    /// `text` with every identifier masked (rescanned until nothing is left).
    fn minimise(&self, text: &str) -> String {
        self.inner.minimise(text)
    }

    /// `scan` over many texts in parallel, without the GIL; one list per text, in order.
    fn scan_many(&self, py: Python<'_>, texts: Vec<String>) -> Vec<Vec<Finding>> {
        py.detach(|| {
            texts
                .par_iter()
                .map(|t| convert(t, self.inner.scan(t)))
                .collect()
        })
    }

    /// `scan_many` in columns, for DataFrames: a dict of equal-length lists `row`
    /// (the index of the text in `texts`), `kind`, `start`, `end`, `start_utf16`,
    /// `end_utf16`, `start_char`, `end_char`, `confidence`, `rule` and `subject`, one
    /// entry per finding. Runs in parallel without the GIL and makes no `Finding` objects.
    fn scan_columns<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<Option<String>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let per_text: Vec<Vec<Finding>> = py.detach(|| {
            texts
                .par_iter()
                .map(|t| {
                    t.as_deref()
                        .map_or_else(Vec::new, |t| convert(t, self.inner.scan(t)))
                })
                .collect()
        });
        let n: usize = per_text.iter().map(Vec::len).sum();
        let mut row = Vec::with_capacity(n);
        let mut cols = Columns::with_capacity(n);
        for (i, found) in per_text.iter().enumerate() {
            for f in found {
                row.push(i);
                cols.push(f);
            }
        }
        let d = PyDict::new(py);
        d.set_item("row", row)?;
        cols.into_dict(&d)?;
        Ok(d)
    }

    /// `minimise` over many texts in parallel, without the GIL; results in order.
    fn minimise_many(&self, py: Python<'_>, texts: Vec<String>) -> Vec<String> {
        py.detach(|| texts.par_iter().map(|t| self.inner.minimise(t)).collect())
    }

    /// The policy decision (allow / warn / block, reasons, a minimised suggestion) for
    /// sending `text` into the conversation `context` describes.
    #[pyo3(signature = (text, context = None))]
    fn review(&self, py: Python<'_>, text: &str, context: Option<&Context>) -> PyResult<Decision> {
        let ctx = context.map_or_else(Context::default_core, Context::core);
        Decision::from_core(py, careguard::policy::review(&self.inner, text, &ctx))
    }

    fn __repr__(&self) -> String {
        "Scanner(...)".to_owned()
    }
}
