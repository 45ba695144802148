//! Right-recipient checks: is the chosen contact or group easy to mistake for another, and
//! is it the right place for patient identifiers?

use core::fmt;

use super::fold::{HOMOGLYPH, TRANSLIT, fold_latin, lookup};
use super::group::GroupPurpose;
use crate::identity::{Contact, Verification};

/// At most this many confusable alternatives are reported for one send, strongest first.
pub const MAX_CONFUSABLES: usize = 5;

/// Titles and roles left out when names are compared ("Dr J Smith" is "j smith").
const TITLES: &[&str] = &[
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "sister",
    "sr",
    "nurse",
    "rn",
];

/// What the chosen recipient is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecipientKind {
    /// One person's device.
    Contact {
        /// Whether the Trust attested the contact's card (a member of the Trust).
        attested: bool,
        /// The contact's verification state.
        verification: Verification,
    },
    /// A group conversation.
    Group {
        /// What the group is for.
        purpose: GroupPurpose,
        /// How many members have no card attested by the Trust.
        members_outside_trust: usize,
    },
}

/// One address-book entry, as the app knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientEntry {
    /// The app's stable id for the contact or group (never shown).
    pub id: String,
    /// The name the user sees and picks from.
    pub display_name: String,
    /// Contact or group, with its trust state.
    pub kind: RecipientKind,
    /// Whether the user has sent patient identifiers to it before (the app keeps this).
    pub identifiers_sent_before: bool,
}

impl RecipientEntry {
    /// An entry for a contact from its [`Contact`] record: the card's display name, whether
    /// the Trust attested the card, and its verification state.
    pub fn from_contact(id: &str, contact: &Contact, identifiers_sent_before: bool) -> Self {
        Self {
            id: id.to_string(),
            display_name: contact.card().card().display_name().to_string(),
            kind: RecipientKind::Contact {
                attested: contact.card().is_attested(),
                verification: contact.verification(),
            },
            identifiers_sent_before,
        }
    }
}

/// What is being sent, as far as the recipient checks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MessageClass {
    /// The draft holds patient identifiers (the scanner found some).
    pub patient_identifiers: bool,
    /// The draft is clinical or operational (the user or the app says so).
    pub clinical: bool,
}

impl MessageClass {
    /// A message class.
    pub fn new(patient_identifiers: bool, clinical: bool) -> Self {
        Self {
            patient_identifiers,
            clinical,
        }
    }

    fn sensitive(self) -> bool {
        self.patient_identifiers || self.clinical
    }
}

/// Why two names are confusable, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Confusion {
    /// The same name after ignoring case, titles, punctuation, diacritics, look-alike
    /// letters from other scripts and transliteration ("Zoë Brown", "Zoe Brown").
    SameName,
    /// The names differ in one or two letters ("Ward 7", "Ward 17").
    EditDistance {
        /// Letters inserted, deleted, replaced or swapped.
        distance: u8,
    },
    /// The same first initial and surname ("J Smith", "Jane Smith").
    SameInitialAndSurname,
    /// Surnames spelt differently that sound alike (Soundex), with the same first initial
    /// ("Sarah Smith", "Sara Smyth").
    SoundAlikeSurname,
}

impl Confusion {
    /// A stable code for bindings and logs.
    pub fn code(self) -> &'static str {
        match self {
            Self::SameName => "same_name",
            Self::EditDistance { .. } => "edit_distance",
            Self::SameInitialAndSurname => "same_initial_and_surname",
            Self::SoundAlikeSurname => "sound_alike_surname",
        }
    }
}

/// A reason to stop and check before sending, which the app shows to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecipientWarning {
    /// Another entry in the address book is easy to mistake for the chosen one.
    ConfusableName {
        /// The other entry's id.
        alternative_id: String,
        /// The other entry's display name, to show.
        alternative_name: String,
        /// Why they are confusable.
        confusion: Confusion,
    },
    /// Patient identifiers would go to this contact for the first time.
    FirstIdentifiersToContact,
    /// The contact has no card attested by the Trust, or the group has members without one.
    OutsideTrust {
        /// Members without an attested card (1 for a contact).
        members: usize,
    },
    /// A clinical message or patient identifiers to a group classed social.
    ClinicalToSocialGroup,
}

impl RecipientWarning {
    /// A stable code for bindings and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ConfusableName { .. } => "confusable_name",
            Self::FirstIdentifiersToContact => "first_identifiers_to_contact",
            Self::OutsideTrust { .. } => "outside_trust",
            Self::ClinicalToSocialGroup => "clinical_to_social_group",
        }
    }

    /// The guidance this warning follows.
    pub fn guidance(&self) -> &'static str {
        match self {
            Self::ConfusableName { .. } | Self::FirstIdentifiersToContact => {
                "NHS England IM guidance (2018): ensure you are communicating with the correct person or group, especially if you have many similar names stored in your address book"
            }
            Self::OutsideTrust { .. } => {
                "Trust IM policy 6.6: confidential information only to verified colleagues on approved platforms"
            }
            Self::ClinicalToSocialGroup => {
                "NHS England IM guidance (2018): separate your social groups from any groups that share clinical or operational information"
            }
        }
    }
}

/// The sentence to show the user, naming the confusable alternative.
impl fmt::Display for RecipientWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConfusableName {
                alternative_name,
                confusion,
                ..
            } => {
                let why = match confusion {
                    Confusion::SameName => "has the same name",
                    Confusion::EditDistance { distance: 1 } => "differs by one letter",
                    Confusion::EditDistance { .. } => "differs by two letters",
                    Confusion::SameInitialAndSurname => "has the same initial and surname",
                    Confusion::SoundAlikeSurname => "has a surname that sounds the same",
                };
                write!(
                    f,
                    "\"{alternative_name}\" in your address book {why}: check this is the right recipient"
                )
            }
            Self::FirstIdentifiersToContact => {
                f.write_str("This is the first time you send patient details to this contact")
            }
            Self::OutsideTrust { members: 1 } => {
                f.write_str("This recipient has no card attested by the Trust")
            }
            Self::OutsideTrust { members } => {
                write!(f, "{members} members have no card attested by the Trust")
            }
            Self::ClinicalToSocialGroup => {
                f.write_str("This is a social group: clinical messages belong in a clinical group")
            }
        }
    }
}

/// Comparison keys of one name, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NameKeys {
    /// Folded tokens joined by one space.
    folded: Vec<char>,
    first_initial: Option<char>,
    first: String,
    surname: String,
    soundex: Option<[u8; 4]>,
}

impl NameKeys {
    fn new(name: &str) -> Self {
        let folded = fold_name(name);
        let tokens: Vec<&str> = folded
            .split(' ')
            .filter(|t| !t.is_empty() && !TITLES.contains(t))
            .collect();
        let joined = tokens.join(" ");
        let (first, surname) = match tokens.as_slice() {
            [] => (String::new(), String::new()),
            [only] => (String::new(), (*only).to_string()),
            [first, .., last] => ((*first).to_string(), (*last).to_string()),
        };
        Self {
            folded: joined.chars().collect(),
            first_initial: first.chars().next(),
            soundex: soundex(&surname),
            first,
            surname,
        }
    }
}

/// The user's address book, with each name's comparison keys computed once: build it when
/// the address book changes and call [`AddressBook::check`] on every send.
///
/// ```
/// use careguard::identity::Verification;
/// use careguard::sending::{AddressBook, MessageClass, RecipientEntry, RecipientKind};
///
/// let contact = |id: &str, name: &str| RecipientEntry {
///     id: id.into(),
///     display_name: name.into(),
///     kind: RecipientKind::Contact { attested: true, verification: Verification::AttestedByOrganisation },
///     identifiers_sent_before: true,
/// };
/// let book = AddressBook::new(vec![contact("1", "Dr John Smith"), contact("2", "Dr Joan Smith")]);
/// let warnings = book.check(&contact("1", "Dr John Smith"), MessageClass::new(true, true));
/// assert_eq!(warnings.len(), 1);
/// assert_eq!(
///     warnings[0].to_string(),
///     "\"Dr Joan Smith\" in your address book differs by one letter: check this is the right recipient"
/// );
/// ```
#[derive(Debug, Clone, Default)]
pub struct AddressBook {
    entries: Vec<(RecipientEntry, NameKeys)>,
}

impl AddressBook {
    /// Indexes `entries`.
    pub fn new(entries: Vec<RecipientEntry>) -> Self {
        Self {
            entries: entries
                .into_iter()
                .map(|e| {
                    let keys = NameKeys::new(&e.display_name);
                    (e, keys)
                })
                .collect(),
        }
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The warnings to show before sending a message of `class` to `chosen` (an entry of
    /// this book or not; entries with its id are not compared with it). A message that is
    /// neither clinical nor carries patient identifiers gets none: a mistaken "thanks" does
    /// no harm. Otherwise: up to [`MAX_CONFUSABLES`] confusable entries (strongest first,
    /// then by name), a first send of identifiers to a contact, a contact or group members
    /// outside the Trust (with identifiers), and a social group.
    pub fn check(&self, chosen: &RecipientEntry, class: MessageClass) -> Vec<RecipientWarning> {
        let mut warnings = Vec::new();
        if !class.sensitive() {
            return warnings;
        }
        let keys = NameKeys::new(&chosen.display_name);
        let mut rows = Rows::default();
        let mut confusables: Vec<(Confusion, &RecipientEntry)> = self
            .entries
            .iter()
            .filter(|(entry, _)| entry.id != chosen.id)
            .filter_map(|(entry, other)| confusion(&keys, other, &mut rows).map(|c| (c, entry)))
            .collect();
        confusables.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.display_name.cmp(&b.1.display_name))
        });
        warnings.extend(
            confusables
                .into_iter()
                .take(MAX_CONFUSABLES)
                .map(|(confusion, entry)| RecipientWarning::ConfusableName {
                    alternative_id: entry.id.clone(),
                    alternative_name: entry.display_name.clone(),
                    confusion,
                }),
        );
        match &chosen.kind {
            RecipientKind::Contact { attested, .. } => {
                if class.patient_identifiers && !chosen.identifiers_sent_before {
                    warnings.push(RecipientWarning::FirstIdentifiersToContact);
                }
                if class.patient_identifiers && !attested {
                    warnings.push(RecipientWarning::OutsideTrust { members: 1 });
                }
            }
            RecipientKind::Group {
                purpose,
                members_outside_trust,
            } => {
                if class.patient_identifiers && *members_outside_trust > 0 {
                    warnings.push(RecipientWarning::OutsideTrust {
                        members: *members_outside_trust,
                    });
                }
                if *purpose == GroupPurpose::Social {
                    warnings.push(RecipientWarning::ClinicalToSocialGroup);
                }
            }
        }
        warnings
    }
}

fn confusion(a: &NameKeys, b: &NameKeys, rows: &mut Rows) -> Option<Confusion> {
    if a.folded.is_empty() || b.folded.is_empty() {
        return None;
    }
    if a.folded == b.folded {
        return Some(Confusion::SameName);
    }
    let shorter = a.folded.len().min(b.folded.len());
    let max = match shorter {
        0..=3 => 0,
        4..=9 => 1,
        _ => 2,
    };
    if max > 0
        && let Some(d) = bounded_distance(&a.folded, &b.folded, max, rows)
    {
        return Some(Confusion::EditDistance { distance: d });
    }
    let both_named = !a.first.is_empty() && !b.first.is_empty();
    if both_named
        && a.surname == b.surname
        && a.first_initial == b.first_initial
        && a.surname.chars().count() > 1
    {
        return Some(Confusion::SameInitialAndSurname);
    }
    if a.surname != b.surname
        && a.soundex.is_some()
        && a.soundex == b.soundex
        && (a.first_initial == b.first_initial || a.first.is_empty() || b.first.is_empty())
    {
        return Some(Confusion::SoundAlikeSurname);
    }
    None
}

/// The three rows of the distance table, kept across entries so a check allocates once.
#[derive(Default)]
struct Rows {
    prev2: Vec<usize>,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

/// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent
/// swaps) if it is at most `max` (1 or 2), else `None`. Rows beyond `max` are abandoned
/// early, so a send against thousands of entries stays cheap.
fn bounded_distance(a: &[char], b: &[char], max: u8, rows: &mut Rows) -> Option<u8> {
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let Rows { prev2, prev, cur } = rows;
    prev2.clear();
    prev2.resize(width, 0);
    prev.clear();
    prev.extend(0..width);
    cur.clear();
    cur.resize(width, 0);
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        core::mem::swap(prev2, prev);
        core::mem::swap(prev, cur);
    }
    let d = prev[b.len()];
    (d <= max).then(|| u8::try_from(d).unwrap_or(u8::MAX))
}

/// Lower-cases and folds a name for comparison: diacritics removed, a word written in
/// Cyrillic or Greek transliterated, but Cyrillic or Greek letters inside a word that also
/// has Latin letters read as the Latin letters they look like (a spoofed "Smіth" with a
/// Cyrillic і is "smith"); apostrophes, hyphens and dots dropped ("O'Brien" is "obrien"),
/// every other non-alphanumeric character a word break.
pub(crate) fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '.')))
    {
        let lower = word.to_lowercase();
        let latin = lower
            .chars()
            .any(|c| c.is_ascii_alphabetic() || fold_latin(c).is_some());
        let mut folded = String::new();
        for c in lower.chars() {
            if c.is_ascii_alphanumeric() {
                folded.push(c);
            } else if let Some(s) = fold_latin(c) {
                folded.push_str(s);
            } else if let Some(s) = lookup(if latin { HOMOGLYPH } else { TRANSLIT }, c) {
                folded.push_str(s);
            } else if let Some(s) = latin.then(|| lookup(TRANSLIT, c)).flatten() {
                folded.push_str(s);
            } else if c.is_alphanumeric() {
                folded.push(c);
            }
        }
        if !folded.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&folded);
        }
    }
    out
}

/// American Soundex of an ASCII-folded surname (`None` if it does not start with a letter).
fn soundex(surname: &str) -> Option<[u8; 4]> {
    let code = |c: u8| match c {
        b'b' | b'f' | b'p' | b'v' => b'1',
        b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
        b'd' | b't' => b'3',
        b'l' => b'4',
        b'm' | b'n' => b'5',
        b'r' => b'6',
        b'h' | b'w' => b'h',
        _ => b'0',
    };
    let letters: Vec<u8> = surname.bytes().filter(u8::is_ascii_lowercase).collect();
    let (&first, rest) = letters.split_first()?;
    if surname.len() < 3 {
        return None;
    }
    let mut out = [first.to_ascii_uppercase(), b'0', b'0', b'0'];
    let mut n = 1;
    let mut last = code(first);
    for &c in rest {
        let k = code(c);
        if k == b'h' {
            continue;
        }
        if k != b'0' && k != last {
            out[n] = k;
            n += 1;
            if n == 4 {
                break;
            }
        }
        last = k;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soundex_matches_the_reference_codes() {
        assert_eq!(soundex("robert"), Some(*b"R163"));
        assert_eq!(soundex("rupert"), Some(*b"R163"));
        assert_eq!(soundex("ashcraft"), Some(*b"A261"));
        assert_eq!(soundex("tymczak"), Some(*b"T522"));
        assert_eq!(soundex("pfister"), Some(*b"P236"));
        assert_eq!(soundex("smith"), soundex("smyth"));
    }

    #[test]
    fn distance_counts_swaps_as_one_and_stops_beyond_the_bound() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        let r = &mut Rows::default();
        assert_eq!(bounded_distance(&c("ward 7"), &c("ward 17"), 1, r), Some(1));
        assert_eq!(bounded_distance(&c("patel"), &c("pateI"), 1, r), Some(1));
        assert_eq!(bounded_distance(&c("smiht"), &c("smith"), 1, r), Some(1));
        assert_eq!(bounded_distance(&c("ward 7"), &c("ward 27a"), 1, r), None);
        assert_eq!(bounded_distance(&c("abcdef"), &c("uvwxyz"), 2, r), None);
    }

    #[test]
    fn folding_handles_diacritics_scripts_and_punctuation() {
        assert_eq!(fold_name("Dr Zoë O'Brien-Núñez"), "dr zoe obriennunez");
        assert_eq!(fold_name("Иван Петров"), "ivan petrov");
        // A Cyrillic і inside a Latin word reads as the Latin i it imitates.
        assert_eq!(fold_name("John Sm\u{0456}th"), "john smith");
        assert_eq!(fold_name("Łukasz Wałęsa"), "lukasz walesa");
    }
}
