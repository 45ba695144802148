//! The patient-identifier scanner and the send policy: `Scanner` (built once, reused),
//! the module-level `scan`/`hasFindings`/`minimise` over a default scanner, and
//! `decide`/`Scanner.review`.

use std::str::FromStr;
use std::sync::OnceLock;

use careguard::detect::{Finding, Kind, MaskStyle, Scanner as CoreScanner, ScannerBuilder};
use careguard::identity::{RecipientTrust, Verification};
use careguard::policy::{self, Context, Conversation, Decision, Platform, Verdict};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::convert::{
    absent, get, object, opt_bool, opt_number, opt_string, options_object, text as string,
};
use crate::error::{Failure, IntoJs};

#[wasm_bindgen(typescript_custom_section)]
const TS_SCANNER: &str = r#"
/** The kinds of identifier careguard finds (the same names in Rust, C, the CLI and JS). */
export type Kind =
  | 'nhs_number' | 'chi_number' | 'hc_number' | 'date_of_birth' | 'date' | 'person_name'
  | 'postcode' | 'phone_number' | 'email' | 'ni_number' | 'hospital_number';

/** One identifier found in a string. */
export interface Finding {
  kind: Kind;
  /** UTF-8 byte offsets (as the CLI and C report them). */
  start: number;
  end: number;
  /** UTF-16 offsets: JavaScript string indices, `text.slice(startUtf16, endUtf16)`. */
  startUtf16: number;
  endUtf16: number;
  /** 0 to 1. */
  confidence: number;
  /** The rule that fired (stable identifiers, documented in docs/DETECT.md). */
  rule: string;
  /** Whose name a `person_name` is; `'unknown'` on every other kind. */
  subject: Subject;
}

/** Whose name a `person_name` finding is: a patient (or a patient's relative or contact), staff, or unknown. */
export type Subject = 'patient' | 'staff' | 'unknown';

/** Scanner configuration; every field is optional. */
export interface ScannerOptions {
  /** Report only these kinds. Default: all. */
  kinds?: Kind[];
  /** Drop findings below this confidence (0 to 1). Default 0.5, which hides plain dates. */
  confidenceThreshold?: number;
  /** How minimise masks: '[NHS number]' placeholders or partial masks ('*** *** 5919'). Default 'placeholder'. */
  maskStyle?: 'placeholder' | 'partial';
  /**
   * Trust hospital-number patterns, e.g. `'RX[0-9]{7}'`. In the `-e2e` flavour the syntax
   * is the `regex-lite` crate's: Rust `regex` syntax without Unicode classes, so `\d`, `\w`,
   * `\b` and `[A-Z]` are ASCII-only and `\p{...}` is refused (invalid_pattern). No
   * look-around or back-references (as in Rust `regex`). The default flavour takes a subset
   * of it with the same matches (literals, `.`, `[...]`, `\d \w \s`, groups, `|`, greedy
   * `? * + {n,m}`, `^ $ \b \B`; no flags, lazy quantifiers or other escapes: those are
   * refused with invalid_pattern; docs/DETECT.md "Trust patterns"). At most 32 patterns
   * of at most 256 KiB compiled each. Default none.
   */
  hospitalNumberPatterns?: string[];
  /** Phrases never reported (ward names, say), matched case-insensitively on word boundaries. */
  allow?: string[];
  /** Extra given names and surnames for the lexicon. */
  extraGivenNames?: string[];
  extraSurnames?: string[];
  /** Names known to be staff (the ward's rota): found names on this list get the subject 'staff'. */
  staffNames?: string[];
}

/** Where a message is going. */
export interface PolicyContext {
  conversation: 'clinical' | 'social' | 'broadcast';
  /** Whether the organisation approved the platform for confidential information. */
  platformApproved: boolean;
  /** Emergency (network-outage) mode. Default false. */
  emergency?: boolean;
  /**
   * Each recipient device's verification state (from the app's contact records). Left
   * out or empty: the app does not track verification and no recipient warning is given.
   */
  recipients?: RecipientTrust[];
  /** Names known to be staff in this conversation: a message whose only names are theirs is allowed in a clinical group on an approved platform. */
  staffNames?: string[];
}

/** A recipient's verification state as the policy sees it. */
export interface RecipientTrust {
  verification: 'unverified' | 'attested_by_organisation' | 'verified_in_person';
  /** Whether the recipient's key changed since it was verified (or first seen). */
  keyChanged: boolean;
}

/** Why a verdict was reached. */
export interface PolicyReason {
  code: 'social_group' | 'unapproved_platform' | 'broadcast' | 'emergency_minimal' | 'high_risk'
    | 'recipient_key_changed' | 'unverified_recipient' | string;
  /** A sentence for the sender. */
  message: string;
  /** The guidance this follows. */
  guidance: string;
  kinds: Kind[];
}

/** The policy's answer. */
export interface Decision {
  verdict: 'allow' | 'warn' | 'block';
  reasons: PolicyReason[];
  /** The minimised text when the verdict is not allow (from Scanner.review; decide leaves it null). */
  suggestion: string | null;
}
"#;

/// A compiled identifier scanner. Build it once (compiling takes milliseconds) and
/// reuse it for every message; scanning is linear in the text.
#[wasm_bindgen]
pub struct Scanner {
    inner: CoreScanner,
}

fn string_list(
    operation: &'static str,
    options: &JsValue,
    key: &str,
) -> Result<Vec<String>, JsValue> {
    let value = get(options, key);
    if absent(&value) {
        return Ok(Vec::new());
    }
    let array = value.dyn_ref::<Array>().ok_or_else(|| -> JsValue {
        Failure::new(
            "invalid_argument",
            operation,
            format!("{key} must be an array of strings"),
        )
        .into()
    })?;
    array
        .iter()
        .map(|v| {
            v.as_string().ok_or_else(|| -> JsValue {
                Failure::new(
                    "invalid_argument",
                    operation,
                    format!("{key} must be an array of strings"),
                )
                .into()
            })
        })
        .collect()
}

fn kind(operation: &'static str, name: &str) -> Result<Kind, JsValue> {
    Kind::from_str(name).js(operation)
}

#[wasm_bindgen]
impl Scanner {
    /// Builds a scanner (default configuration when `options` is left out). Throws
    /// invalid_pattern for a bad hospital-number pattern, invalid_argument,
    /// invalid_length or too_large for other bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ScannerOptions")] options: JsValue,
    ) -> Result<Scanner, JsValue> {
        const OP: &str = "Scanner.new";
        options_object(OP, "options", &options)?;
        let mut builder = ScannerBuilder::new();
        let kinds = string_list(OP, &options, "kinds")?;
        if !absent(&get(&options, "kinds")) {
            let kinds = kinds
                .iter()
                .map(|k| kind(OP, k))
                .collect::<Result<Vec<_>, _>>()?;
            builder.only(&kinds);
        }
        if let Some(threshold) = opt_number(OP, &options, "confidenceThreshold")? {
            // Confidence is an f32 in core; a threshold needs no more precision.
            builder.confidence_threshold(threshold as f32);
        }
        match opt_string(OP, &options, "maskStyle")?.as_deref() {
            None | Some("placeholder") => {}
            Some("partial") => {
                builder.mask_style(MaskStyle::Partial);
            }
            Some(_) => {
                return Err(Failure::new(
                    "invalid_argument",
                    OP,
                    "maskStyle must be 'placeholder' or 'partial'",
                )
                .into());
            }
        }
        for pattern in string_list(OP, &options, "hospitalNumberPatterns")? {
            builder.hospital_number_pattern(&pattern);
        }
        for phrase in string_list(OP, &options, "allow")? {
            builder.allow(&phrase);
        }
        builder.extra_given_names(string_list(OP, &options, "extraGivenNames")?);
        builder.extra_surnames(string_list(OP, &options, "extraSurnames")?);
        builder.staff_names(string_list(OP, &options, "staffNames")?);
        Ok(Scanner {
            inner: builder.build().js(OP)?,
        })
    }

    /// Every identifier in `text`, sorted by start, non-overlapping.
    #[wasm_bindgen(unchecked_return_type = "Finding[]")]
    pub fn scan(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<Array, JsValue> {
        let text = string("Scanner.scan", "text", &text)?;
        Ok(findings_to_js(&self.inner.scan(&text)))
    }

    /// Whether `text` holds any identifier (cheaper than `scan` when one comes early).
    #[wasm_bindgen(js_name = hasFindings)]
    pub fn has_findings(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<bool, JsValue> {
        let text = string("Scanner.hasFindings", "text", &text)?;
        Ok(self.inner.has_findings(&text))
    }

    /// `text` with every finding replaced by a placeholder or partial mask.
    pub fn minimise(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    ) -> Result<String, JsValue> {
        let text = string("Scanner.minimise", "text", &text)?;
        Ok(self.inner.minimise(&text))
    }

    /// Scans `text` and decides for `context`, with the minimised suggestion when the
    /// verdict is not allow, and the findings: everything a send check needs in one call.
    #[wasm_bindgen(unchecked_return_type = "Decision & { findings: Finding[] }")]
    pub fn review(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PolicyContext")] context: JsValue,
    ) -> Result<JsValue, JsValue> {
        let text = string("Scanner.review", "text", &text)?;
        let text = text.as_str();
        let context = policy_context("Scanner.review", &context)?;
        let decision = policy::review(&self.inner, text, &context);
        let js = decision_to_js(&decision);
        // `js` is a fresh plain object, so defining a property cannot fail.
        let _ = Reflect::set(&js, &"findings".into(), &findings_to_js(&decision.findings));
        Ok(js)
    }
}

/// The scanner with the default configuration, built on first use and kept.
fn default_scanner() -> &'static CoreScanner {
    static DEFAULT: OnceLock<CoreScanner> = OnceLock::new();
    DEFAULT.get_or_init(CoreScanner::new)
}

/// `Scanner.scan` with the default configuration (built once per module instance).
#[wasm_bindgen(unchecked_return_type = "Finding[]")]
pub fn scan(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<Array, JsValue> {
    let text = string("scan", "text", &text)?;
    Ok(findings_to_js(&default_scanner().scan(&text)))
}

/// `Scanner.hasFindings` with the default configuration.
#[wasm_bindgen(js_name = hasFindings)]
pub fn has_findings(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<bool, JsValue> {
    let text = string("hasFindings", "text", &text)?;
    Ok(default_scanner().has_findings(&text))
}

/// `Scanner.minimise` with the default configuration.
#[wasm_bindgen]
pub fn minimise(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<String, JsValue> {
    let text = string("minimise", "text", &text)?;
    Ok(default_scanner().minimise(&text))
}

/// The send policy: findings (from `scan`) and where the message is going → allow,
/// warn or block, with reasons citing the guidance. `suggestion` is null here; use
/// `Scanner.review` to get the minimised text too.
#[wasm_bindgen(unchecked_return_type = "Decision")]
pub fn decide(
    #[wasm_bindgen(unchecked_param_type = "Finding[]")] findings: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PolicyContext")] context: JsValue,
) -> Result<JsValue, JsValue> {
    const OP: &str = "decide";
    let context = policy_context(OP, &context)?;
    let findings = findings_from_js(OP, &findings)?;
    Ok(decision_to_js(&policy::decide(&findings, &context)))
}

/// The kinds in the order core lists them.
#[wasm_bindgen(unchecked_return_type = "Kind[]")]
pub fn kinds() -> Array {
    Kind::ALL
        .iter()
        .map(|k| JsValue::from_str(k.as_str()))
        .collect()
}

fn policy_context(operation: &'static str, context: &JsValue) -> Result<Context, JsValue> {
    if !context.is_object() {
        return Err(
            Failure::new("invalid_argument", operation, "context must be an object").into(),
        );
    }
    let conversation = match opt_string(operation, context, "conversation")?.as_deref() {
        Some("clinical") => Conversation::Clinical,
        Some("social") => Conversation::Social,
        Some("broadcast") => Conversation::Broadcast,
        _ => {
            return Err(Failure::new(
                "invalid_argument",
                operation,
                "context.conversation must be 'clinical', 'social' or 'broadcast'",
            )
            .into());
        }
    };
    let approved =
        opt_bool(operation, context, "platformApproved")?.ok_or_else(|| -> JsValue {
            Failure::new(
                "invalid_argument",
                operation,
                "context.platformApproved is required",
            )
            .into()
        })?;
    let emergency = opt_bool(operation, context, "emergency")?.unwrap_or(false);
    let recipients = get(context, "recipients");
    let recipients = if absent(&recipients) {
        Vec::new()
    } else {
        let list = recipients.dyn_ref::<Array>().ok_or_else(|| -> JsValue {
            Failure::new(
                "invalid_argument",
                operation,
                "context.recipients must be an array",
            )
            .into()
        })?;
        list.iter()
            .map(|r| recipient_trust(operation, &r))
            .collect::<Result<_, _>>()?
    };
    Ok(
        Context::new(conversation, Platform::from_approved(approved))
            .with_emergency(emergency)
            .with_recipients(recipients)
            .with_staff_names(string_list(operation, context, "staffNames")?),
    )
}

fn recipient_trust(
    operation: &'static str,
    recipient: &JsValue,
) -> Result<RecipientTrust, JsValue> {
    let verification = match opt_string(operation, recipient, "verification")?.as_deref() {
        Some("unverified") => Verification::Unverified,
        Some("attested_by_organisation") => Verification::AttestedByOrganisation,
        Some("verified_in_person") => Verification::VerifiedInPerson,
        _ => {
            return Err(Failure::new(
                "invalid_argument",
                operation,
                "recipient verification must be 'unverified', 'attested_by_organisation' or 'verified_in_person'",
            )
            .into());
        }
    };
    let key_changed = opt_bool(operation, recipient, "keyChanged")?.ok_or_else(|| -> JsValue {
        Failure::new(
            "invalid_argument",
            operation,
            "recipient keyChanged is required",
        )
        .into()
    })?;
    Ok(RecipientTrust {
        verification,
        key_changed,
    })
}

/// Property keys, made once: a draft is scanned on every send, so avoid re-creating
/// the same JS strings for every finding.
struct Keys {
    kind: JsValue,
    start: JsValue,
    end: JsValue,
    start_utf16: JsValue,
    end_utf16: JsValue,
    confidence: JsValue,
    rule: JsValue,
    subject: JsValue,
}

thread_local! {
    static KEYS: Keys = Keys {
        kind: "kind".into(),
        start: "start".into(),
        end: "end".into(),
        start_utf16: "startUtf16".into(),
        end_utf16: "endUtf16".into(),
        confidence: "confidence".into(),
        rule: "rule".into(),
        subject: "subject".into(),
    };
}

fn offset(n: usize) -> JsValue {
    // Offsets are bounded by WASM's 32-bit address space, so f64 is exact.
    JsValue::from_f64(n as f64)
}

/// A confidence as JS shows it: core's f32 rounded to three decimals, so 0.9 arrives as
/// 0.9 and not 0.8999999761581421.
fn confidence(c: f32) -> JsValue {
    JsValue::from_f64((f64::from(c) * 1000.0).round() / 1000.0)
}

fn findings_to_js(findings: &[Finding]) -> Array {
    KEYS.with(|k| {
        findings
            .iter()
            .map(|f| {
                let o = Object::new();
                // Defining properties on a fresh plain object cannot fail.
                let _ = Reflect::set(&o, &k.kind, &f.kind.as_str().into());
                let _ = Reflect::set(&o, &k.start, &offset(f.start));
                let _ = Reflect::set(&o, &k.end, &offset(f.end));
                let _ = Reflect::set(&o, &k.start_utf16, &offset(f.start_utf16));
                let _ = Reflect::set(&o, &k.end_utf16, &offset(f.end_utf16));
                let _ = Reflect::set(&o, &k.confidence, &confidence(f.confidence));
                let _ = Reflect::set(&o, &k.rule, &f.rule.into());
                let _ = Reflect::set(&o, &k.subject, &f.subject.as_str().into());
                JsValue::from(o)
            })
            .collect()
    })
}

/// Findings back from JS for `decide`: only `kind` matters to the policy; the other
/// fields are carried when they are numbers.
fn findings_from_js(operation: &'static str, findings: &JsValue) -> Result<Vec<Finding>, JsValue> {
    let array = findings.dyn_ref::<Array>().ok_or_else(|| -> JsValue {
        Failure::new(
            "invalid_argument",
            operation,
            "findings must be an array of findings",
        )
        .into()
    })?;
    let number = |f: &JsValue, key: &str| -> usize {
        // Offsets from JS are informational here; anything not a small non-negative
        // integer becomes 0.
        get(f, key)
            .as_f64()
            .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
            .map_or(0, |n| n as usize)
    };
    array
        .iter()
        .map(|f| {
            let name = get(&f, "kind").as_string().ok_or_else(|| -> JsValue {
                Failure::new("invalid_argument", operation, "every finding needs a kind").into()
            })?;
            Ok(Finding {
                kind: kind(operation, &name)?,
                start: number(&f, "start"),
                end: number(&f, "end"),
                start_utf16: number(&f, "startUtf16"),
                end_utf16: number(&f, "endUtf16"),
                confidence: get(&f, "confidence").as_f64().map_or(1.0, |c| c as f32),
                rule: "js",
                // A subject the JS side lost or never had counts as unknown, which the
                // policy treats like a patient's name.
                subject: get(&f, "subject")
                    .as_string()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(careguard::detect::Subject::Unknown),
            })
        })
        .collect()
}

fn decision_to_js(decision: &Decision) -> JsValue {
    let verdict = match decision.verdict {
        Verdict::Allow => "allow",
        Verdict::Warn => "warn",
        Verdict::Block => "block",
        // A verdict this version does not know is treated as the strictest.
        _ => "block",
    };
    let reasons: Array = decision
        .reasons
        .iter()
        .map(|r| {
            let kinds: Array = r
                .kinds()
                .iter()
                .map(|k| JsValue::from_str(k.as_str()))
                .collect();
            object(&[
                ("code", r.code().into()),
                ("message", r.to_string().into()),
                ("guidance", r.guidance().into()),
                ("kinds", kinds.into()),
            ])
        })
        .collect();
    object(&[
        ("verdict", verdict.into()),
        ("reasons", reasons.into()),
        (
            "suggestion",
            decision
                .suggestion
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        ),
    ])
}
