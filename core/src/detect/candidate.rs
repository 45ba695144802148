//! A finding before overlaps are resolved and UTF-16 offsets computed.

use super::Kind;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Cand {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) conf: f32,
    pub(crate) rule: &'static str,
    /// Full year of a date, else 0.
    pub(crate) year: u32,
}

/// Confidence of a date with no date-of-birth context: below the default threshold, so
/// clinic and admission dates stay quiet unless a caller lowers it.
pub(crate) const PLAIN_DATE_CONFIDENCE: f32 = 0.3;

impl Cand {
    pub(crate) fn new(kind: Kind, start: usize, end: usize, conf: f32, rule: &'static str) -> Self {
        Cand {
            kind,
            start,
            end,
            conf,
            rule,
            year: 0,
        }
    }

    pub(crate) fn date(start: usize, end: usize, year: u32) -> Self {
        Cand {
            kind: Kind::Date,
            start,
            end,
            conf: PLAIN_DATE_CONFIDENCE,
            rule: "date",
            year,
        }
    }

    /// Priority when two candidates overlap: structured identifiers beat dates, dates
    /// beat names.
    pub(crate) fn priority(&self) -> u8 {
        match self.kind {
            Kind::NhsNumber | Kind::ChiNumber | Kind::HcNumber => 9,
            Kind::Email => 8,
            Kind::NiNumber | Kind::HospitalNumber => 7,
            Kind::PhoneNumber => 6,
            Kind::DateOfBirth => 5,
            Kind::Postcode => 4,
            Kind::Date => 3,
            Kind::PersonName => 2,
        }
    }
}
