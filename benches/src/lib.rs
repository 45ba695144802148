//! Shared fixtures for the criterion benches: synthetic ward chat at two densities of
//! identifiers, built from fixed invented phrases (never patient text).

use std::time::Duration;

/// Lines without an identifier.
pub const CLEAN: &[&str] = &[
    "bay 4 needs obs at 2pm please",
    "who is holding bleep 4471? not answering",
    "BP 120/80, HR 72, sats 97% on RA, NEWS 1",
    "Hartmann's running at 125ml/hr, review U&E in the morning",
    "the reg says hold the apixaban until the CT head is back",
    "Will do, thanks. Temp rose to 38.9 overnight, blood cultures sent",
    "known Parkinson's, meds are time critical, please give on time",
    "can someone cover my Saturday shift? rota is on the board",
    "transferred to James Cook for PCI, family aware and happy",
    "lab no 4857773456 sample haemolysed, please repeat the U&E",
    "huddle at 2 in the staff room, tea and cake provided",
    "Foley in situ, draining well, fluid balance chart on the end of the bed",
];

/// Lines with identifiers, and how many findings each gives.
pub const DIRTY: &[(&str, usize)] = &[
    (
        "Mr John Smith in bay 4, NHS 943 476 5919, DOB 12/03/1954, for discharge",
        3,
    ),
    (
        "spoke to Adeyemi's daughter, she will ring back on 07700 900123",
        2,
    ),
    ("khadija begum in side room 2 needs her TTOs", 1),
];

/// Sparse chat, as a ward group reads: one line in 20 carries identifiers.
pub const SPARSE_EVERY: usize = 20;
/// Dense chat, as issue 14's audit export: every second line carries identifiers.
pub const DENSE_EVERY: usize = 2;

/// Synthetic chat of at least `bytes` bytes in which one line in `dirty_every` has
/// identifiers (`usize::MAX`: none). Returns the text and the number of findings a
/// correct scanner reports.
pub fn chat(bytes: usize, dirty_every: usize) -> (String, usize) {
    let mut s = String::with_capacity(bytes + 200);
    let mut expected = 0;
    let mut i = 0usize;
    while s.len() < bytes {
        if i % dirty_every == dirty_every - 1 {
            let (line, n) = DIRTY[(i / dirty_every) % DIRTY.len()];
            s.push_str(line);
            expected += n;
        } else {
            s.push_str(CLEAN[(i * 7) % CLEAN.len()]);
        }
        s.push('\n');
        i += 1;
    }
    (s, expected)
}

/// CPU time of this thread so far (Linux `/proc/thread-self/schedstat`), so a figure
/// does not depend on how busy a shared machine is; `None` elsewhere.
pub fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        s.split_whitespace().next()?.parse().ok()?,
    ))
}
