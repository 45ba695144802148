//! Right-recipient check on every send: a 5,000-contact address book.

use careguard::identity::Verification;
use careguard::sending::{AddressBook, MessageClass, RecipientEntry, RecipientKind};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const GIVEN: &[&str] = &[
    "John",
    "Joan",
    "Sarah",
    "Sara",
    "Mohammed",
    "Muhammad",
    "Priya",
    "Aisha",
    "Zoë",
    "Oluwaseun",
    "Wojciech",
    "Siobhán",
    "Ravi",
    "Grace",
    "Tom",
    "Emma",
    "Chen",
    "Fatima",
    "Liam",
    "Anya",
];
const SURNAMES: &[&str] = &[
    "Smith", "Smyth", "Patel", "Khan", "O'Brien", "Nowak", "Okafor", "Jones", "Williams", "Brown",
    "Taylor", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson",
    "White", "Hughes", "Edwards", "Green", "Hall", "Wood",
];

fn book(n: usize) -> (AddressBook, RecipientEntry) {
    let entry = |i: usize| RecipientEntry {
        id: i.to_string(),
        display_name: format!(
            "{} {} {}",
            if i % 3 == 0 { "Dr" } else { "" },
            GIVEN[i % GIVEN.len()],
            SURNAMES[(i / GIVEN.len()) % SURNAMES.len()]
        ),
        kind: RecipientKind::Contact {
            attested: true,
            verification: Verification::AttestedByOrganisation,
        },
        identifiers_sent_before: true,
    };
    let entries: Vec<_> = (0..n).map(entry).collect();
    let chosen = entries[n / 2].clone();
    (AddressBook::new(entries), chosen)
}

fn bench(c: &mut Criterion) {
    let (book, chosen) = book(5_000);
    let class = MessageClass::new(true, true);
    c.bench_function("sending/check_recipient_5000", |b| {
        b.iter(|| black_box(book.check(black_box(&chosen), class)))
    });
    c.bench_function("sending/index_address_book_5000", |b| {
        b.iter(|| black_box(self::book(5_000)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
