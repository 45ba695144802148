//! The right recipient (`careguard::sending::AddressBook`), as the C ABI's
//! `cg_address_book_*`. In the -e2e flavour only: its name folding tables cost the
//! default package 8 KB gzipped (docs/wasm.md "Size"), and apps with contacts use -e2e.

use careguard::identity::Verification;
use careguard::sending::{
    AddressBook as CoreBook, Confusion, GroupPurpose, MessageClass, RecipientEntry, RecipientKind,
    RecipientWarning,
};
use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::convert::{boolean, object, opt_bool, opt_number, opt_string};
use crate::error::Failure;

#[wasm_bindgen(typescript_custom_section)]
const TS_RECIPIENT: &str = r#"
/** A contact or group in the address book, or the recipient chosen for a message. */
export interface RecipientEntry {
  /** The app's stable id (never shown). */
  id: string;
  /** The name the user sees and picks from. */
  displayName: string;
  kind: 'contact' | 'group';
  /** Contact: whether the Trust attested its current card. Default false. */
  attested?: boolean;
  /** Contact: default 'unverified'. */
  verification?: 'unverified' | 'attested_by_organisation' | 'verified_in_person';
  /** Group: required for a group. */
  purpose?: 'clinical' | 'operational' | 'social';
  /** Group: members with no card attested by the Trust. Default 0. */
  membersOutsideTrust?: number;
  /** Whether patient identifiers were sent to it before. Default false. */
  identifiersSentBefore?: boolean;
}

/** A reason to check the recipient before sending. */
export interface RecipientWarning {
  code: 'confusable_name' | 'first_identifiers_to_contact' | 'outside_trust' | 'clinical_to_social_group';
  /** The guidance sentence the warning serves. */
  guidance: string;
  /** An English sentence for the user, naming the confusable alternative if any. */
  message: string;
  /** confusable_name: the other entry's id. */
  alternativeId?: string;
  /** confusable_name: the other entry's display name. */
  alternativeName?: string;
  /** confusable_name: how the names are alike. */
  confusion?: 'same_name' | 'edit_distance' | 'same_initial_and_surname' | 'sound_alike_surname';
  /** confusable_name by edit_distance: 1 or 2. */
  distance?: number;
  /** outside_trust: recipients without an attested card. */
  members?: number;
}
"#;

fn invalid(operation: &'static str, message: &str) -> JsValue {
    Failure::new("invalid_argument", operation, message).into()
}

fn entry(op: &'static str, e: &JsValue) -> Result<RecipientEntry, JsValue> {
    if !e.is_object() {
        return Err(invalid(op, "an entry must be an object"));
    }
    let required = |key: &str| -> Result<String, JsValue> {
        opt_string(op, e, key)?.ok_or_else(|| invalid(op, &format!("{key} is required")))
    };
    let kind = match opt_string(op, e, "kind")?.as_deref() {
        Some("contact") => RecipientKind::Contact {
            attested: opt_bool(op, e, "attested")?.unwrap_or(false),
            verification: match opt_string(op, e, "verification")?.as_deref() {
                None | Some("unverified") => Verification::Unverified,
                Some("attested_by_organisation") => Verification::AttestedByOrganisation,
                Some("verified_in_person") => Verification::VerifiedInPerson,
                Some(_) => {
                    return Err(invalid(
                        op,
                        "verification must be 'unverified', 'attested_by_organisation' or 'verified_in_person'",
                    ));
                }
            },
        },
        Some("group") => RecipientKind::Group {
            purpose: match opt_string(op, e, "purpose")?.as_deref() {
                Some("clinical") => GroupPurpose::Clinical,
                Some("operational") => GroupPurpose::Operational,
                Some("social") => GroupPurpose::Social,
                _ => {
                    return Err(invalid(
                        op,
                        "a group's purpose must be 'clinical', 'operational' or 'social'",
                    ));
                }
            },
            members_outside_trust: crate::convert::to_u32(
                op,
                "membersOutsideTrust",
                opt_number(op, e, "membersOutsideTrust")?.unwrap_or(0.0),
            )? as usize,
        },
        _ => return Err(invalid(op, "kind must be 'contact' or 'group'")),
    };
    Ok(RecipientEntry {
        id: required("id")?,
        display_name: required("displayName")?,
        kind,
        identifiers_sent_before: opt_bool(op, e, "identifiersSentBefore")?.unwrap_or(false),
    })
}

fn warning_to_js(w: &RecipientWarning) -> JsValue {
    let mut fields = vec![
        ("code", JsValue::from_str(w.code())),
        ("guidance", w.guidance().into()),
        ("message", w.to_string().into()),
    ];
    match w {
        RecipientWarning::ConfusableName {
            alternative_id,
            alternative_name,
            confusion,
        } => {
            fields.push(("alternativeId", alternative_id.as_str().into()));
            fields.push(("alternativeName", alternative_name.as_str().into()));
            fields.push(("confusion", confusion.code().into()));
            if let Confusion::EditDistance { distance } = confusion {
                fields.push(("distance", (*distance).into()));
            }
        }
        RecipientWarning::OutsideTrust { members } => {
            fields.push(("members", (*members as f64).into()));
        }
        _ => {}
    }
    object(&fields)
}

/// The user's contacts and groups, indexed for `check`. Build it once (and again when the
/// address book changes), check on every send.
#[wasm_bindgen]
pub struct AddressBook {
    book: CoreBook,
}

#[wasm_bindgen]
impl AddressBook {
    /// Indexes `entries`. Throws `invalid_argument` for an entry that is not an object, a
    /// missing `id` or `displayName`, an unknown `kind`, `verification` or `purpose`, or a
    /// property of the wrong type.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "RecipientEntry[]")] entries: JsValue,
    ) -> Result<AddressBook, JsValue> {
        const OP: &str = "AddressBook.new";
        let entries = entries
            .dyn_ref::<Array>()
            .ok_or_else(|| invalid(OP, "entries must be an array"))?
            .iter()
            .map(|e| entry(OP, &e))
            .collect::<Result<Vec<_>, JsValue>>()?;
        Ok(Self {
            book: CoreBook::new(entries),
        })
    }

    /// How many entries the book holds.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.book.len()
    }

    /// Checks the `chosen` recipient before a message goes out: other entries with
    /// confusable names (at most 5, each named), the first message with patient
    /// identifiers to this contact, recipients outside the Trust, a clinical message to a
    /// social group. `patientIdentifiers` and `clinical` describe the message (from the
    /// scanner and policy); a message with neither gets no warnings. Throws
    /// `invalid_argument` for a bad `chosen` entry or non-boolean flags.
    #[wasm_bindgen(unchecked_return_type = "RecipientWarning[]")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RecipientEntry")] chosen: JsValue,
        #[wasm_bindgen(js_name = patientIdentifiers, unchecked_param_type = "boolean")]
        patient_identifiers: JsValue,
        #[wasm_bindgen(unchecked_param_type = "boolean")] clinical: JsValue,
    ) -> Result<JsValue, JsValue> {
        const OP: &str = "AddressBook.check";
        let chosen = entry(OP, &chosen)?;
        let class = MessageClass::new(
            boolean(OP, "patientIdentifiers", &patient_identifiers)?,
            boolean(OP, "clinical", &clinical)?,
        );
        let warnings: Array = self
            .book
            .check(&chosen, class)
            .iter()
            .map(warning_to_js)
            .collect();
        Ok(warnings.into())
    }
}
