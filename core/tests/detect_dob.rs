//! Dates of birth by class (issue 19): after a name and an age, dictated with spaces
//! after a cue, and admission or clinic dates after a date of birth staying plain.

use careguard::detect::{Kind, Scanner};

fn dobs(text: &str) -> Vec<&str> {
    Scanner::new()
        .scan(text)
        .into_iter()
        .filter(|f| f.kind == Kind::DateOfBirth)
        .map(|f| &text[f.start..f.end])
        .collect()
}

#[test]
fn a_date_after_a_name_and_an_age_is_a_date_of_birth() {
    assert_eq!(
        dobs("Ayaan Siddiqui, 4y, 14/02/2022 - croup"),
        ["14/02/2022"]
    );
    assert_eq!(dobs("Zuri 2y5m, 10/06/2024, bronchiolitis"), ["10/06/2024"]);
    assert_eq!(dobs("Milena 14F, 03.08.2012, NG feeds"), ["03.08.2012"]);
    assert_eq!(
        dobs("Baby Elijah 6 weeks, 22/10/2026, jaundice"),
        ["22/10/2026"]
    );
    // a bare number is an age only right after a name
    assert_eq!(dobs("Omar Farouk, 19, 20.01.2007"), ["20.01.2007"]);
    assert!(dobs("bed 4, 12/03/2026 admission").is_empty());
    assert!(dobs("obs 4 hrly from 12/03/2026").is_empty());
}

#[test]
fn a_date_dictated_with_spaces_after_a_cue_is_a_date_of_birth() {
    assert_eq!(dobs("dob 12 09 1958 for bed 3"), ["12 09 1958"]);
    assert_eq!(dobs("d o b 1 4 56 please"), ["1 4 56"]);
    assert!(dobs("dob 31 02 1958").is_empty(), "not a real date");
    assert!(dobs("bay 12 09 1958").is_empty(), "no cue");
}

#[test]
fn only_the_date_right_after_the_cue_is_the_date_of_birth() {
    assert_eq!(dobs("pt dob 4/3/47 adm 02/12/26 with SOB"), ["4/3/47"]);
    assert_eq!(dobs("D.O.B 07/07/77 review 07/01/27"), ["07/07/77"]);
    assert_eq!(dobs("dob 15 March 1981 LMP 15 Nov 2026"), ["15 March 1981"]);
}

#[test]
fn a_date_of_birth_in_words_after_a_cue_is_a_date_of_birth() {
    assert_eq!(
        dobs("date of birth twelfth of june nineteen fifty name is edna"),
        ["twelfth of june nineteen fifty"]
    );
    assert_eq!(
        dobs("her date of birth is the fifth of May 1973, ward 6"),
        ["the fifth of May 1973"]
    );
    assert_eq!(
        dobs("d.o.b. twenty third of april nineteen sixty two"),
        ["twenty third of april nineteen sixty two"]
    );
    assert_eq!(
        dobs("born twenty-first March two thousand and three"),
        ["twenty-first March two thousand and three"]
    );
    assert_eq!(
        dobs("DOB 12 June nineteen oh five"),
        ["12 June nineteen oh five"]
    );
    // no cue, or not a real date: quiet
    assert!(dobs("may the fifth be with you, 1977").is_empty());
    assert!(dobs("the fifth of May 1973 was a Saturday").is_empty());
    assert!(dobs("dob thirtieth of february nineteen fifty").is_empty());
}

#[test]
fn a_full_date_on_a_babys_line_is_its_date_of_birth() {
    assert_eq!(
        dobs("BO Nakamura (twin 2) - 02/12/2026, CPAP"),
        ["02/12/2026"]
    );
    assert_eq!(dobs("BO Kovalenko twin 2, 1.12.2026, CPAP"), ["1.12.2026"]);
    assert_eq!(dobs("Baby of Chen, 2/7, 01/12/2026"), ["01/12/2026"]);
    assert_eq!(
        dobs("Oliver Price 6 wks 21/10/2026 bronchiolitis"),
        ["21/10/2026"]
    );
    // another event's date on the line, or no name: a plain date
    assert!(dobs("BO Patel adm 01/12/2026 for jaundice").is_empty());
    assert!(dobs("baby needs bloods 03/12/2026").is_empty());
}
