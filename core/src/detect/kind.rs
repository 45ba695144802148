//! Kinds of identifier, findings and how they are masked.

use core::fmt;
use core::str::FromStr;

use super::Subject;

/// A kind of patient identifier. The names ([`Kind::as_str`]) are a stable interface
/// shared by the C ABI, the WASM package and the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// NHS number of England, Wales and the Isle of Man (10 digits, modulus 11).
    NhsNumber,
    /// Scottish CHI number (DDMMYY date of birth, four digits, modulus 11).
    ChiNumber,
    /// Northern Ireland Health and Care number (320 000 000 to 399 999 999, modulus 11).
    HcNumber,
    /// A date that the context says is a date of birth.
    DateOfBirth,
    /// Any other full date (low confidence: clinic and admission dates are usually harmless).
    Date,
    /// A person's name.
    PersonName,
    /// A UK postcode.
    Postcode,
    /// A UK telephone number.
    PhoneNumber,
    /// An email address.
    Email,
    /// A National Insurance number.
    NiNumber,
    /// A Trust's hospital (medical record) number.
    HospitalNumber,
}

impl Kind {
    /// Every kind, in a fixed order.
    pub const ALL: [Kind; 11] = [
        Kind::NhsNumber,
        Kind::ChiNumber,
        Kind::HcNumber,
        Kind::DateOfBirth,
        Kind::Date,
        Kind::PersonName,
        Kind::Postcode,
        Kind::PhoneNumber,
        Kind::Email,
        Kind::NiNumber,
        Kind::HospitalNumber,
    ];

    /// The stable name of the kind (`nhs_number`, `person_name`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::NhsNumber => "nhs_number",
            Kind::ChiNumber => "chi_number",
            Kind::HcNumber => "hc_number",
            Kind::DateOfBirth => "date_of_birth",
            Kind::Date => "date",
            Kind::PersonName => "person_name",
            Kind::Postcode => "postcode",
            Kind::PhoneNumber => "phone_number",
            Kind::Email => "email",
            Kind::NiNumber => "ni_number",
            Kind::HospitalNumber => "hospital_number",
        }
    }

    /// The placeholder [`MaskStyle::Placeholder`] writes in place of a finding.
    pub const fn placeholder(self) -> &'static str {
        match self {
            Kind::NhsNumber => "[NHS number]",
            Kind::ChiNumber => "[CHI number]",
            Kind::HcNumber => "[H&C number]",
            Kind::DateOfBirth => "[date of birth]",
            Kind::Date => "[date]",
            Kind::PersonName => "[name]",
            Kind::Postcode => "[postcode]",
            Kind::PhoneNumber => "[phone number]",
            Kind::Email => "[email]",
            Kind::NiNumber => "[NI number]",
            Kind::HospitalNumber => "[hospital number]",
        }
    }

    /// Whether the kind identifies a patient on its own (a national or hospital number,
    /// a date of birth, a name). The policy warns on these even in clinical groups.
    pub const fn is_high_risk(self) -> bool {
        matches!(
            self,
            Kind::NhsNumber
                | Kind::ChiNumber
                | Kind::HcNumber
                | Kind::DateOfBirth
                | Kind::PersonName
                | Kind::NiNumber
                | Kind::HospitalNumber
        )
    }

    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown kind name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown identifier kind (expected one of nhs_number, chi_number, hc_number, date_of_birth, date, person_name, postcode, phone_number, email, ni_number, hospital_number)"
)]
pub struct UnknownKind;

impl UnknownKind {
    /// The stable code the bindings report for this error: always
    /// [`crate::ErrorCode::InvalidArgument`].
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidArgument
    }
}

impl FromStr for Kind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownKind)
    }
}

/// One identifier found in a scanned string.
///
/// `start..end` is a UTF-8 byte range and `start_utf16..end_utf16` the same range in
/// UTF-16 code units (what JavaScript, Swift's `NSString` and Java index by), both
/// relative to the scanned string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finding {
    /// What was found.
    pub kind: Kind,
    /// First byte of the match.
    pub start: usize,
    /// One past the last byte of the match.
    pub end: usize,
    /// First UTF-16 code unit of the match.
    pub start_utf16: usize,
    /// One past the last UTF-16 code unit of the match.
    pub end_utf16: usize,
    /// How sure the scanner is, from 0 to 1.
    pub confidence: f32,
    /// The identifier of the rule that fired (stable, documented in docs/DETECT.md).
    pub rule: &'static str,
    /// Whose name it is, for a [`Kind::PersonName`]; [`Subject::Unknown`] for every
    /// other kind.
    pub subject: Subject,
}

/// How [`Scanner::minimise`](super::Scanner::minimise) rewrites a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MaskStyle {
    /// Replace the whole finding with its kind's placeholder (`[NHS number]`, `[name]`).
    #[default]
    Placeholder,
    /// Keep a little for recognition: the last four digits of numbers (`*** *** 5919`),
    /// the year of dates, the outward code of postcodes, the domain of emails and the
    /// initials of names in brackets (`[J.S.]`).
    Partial,
}
