//! The subject model's weights: GENERATED, do not edit. Regenerate with
//! `python3 scripts/train/fit_subject.py` (scripts/train/fit_subject.py).
//!
//! Logistic regression over the features of `subject.rs` (log odds that a name is
//! staff rather than a patient's), fitted on the tune split of
//! core/tests/corpus/train/ (1452 names, 367 staff; L2 0.3; thresholds from 5-fold out-of-fold scores).

/// Log odds of a name with no feature.
pub(super) const BIAS: f32 = -1.073;

/// The weight of each feature, in the order of `Feature::ALL`.
pub(super) const WEIGHTS: [(&str, f32); 65] = [
    ("rule_title", -0.2625),
    ("rule_greeting", 1.1967),
    ("rule_role_title", 0.5226),
    ("rule_kin_cue", -0.6015),
    ("rule_name_before_evidence", -1.1098),
    ("rule_context", -1.3212),
    ("rule_list", 0.0972),
    ("rule_lower", -1.0325),
    ("multi_word", -1.7996),
    ("lower_case", 0.3674),
    ("all_caps", -0.4568),
    ("single_given_name", 0.3836),
    ("single_surname", -1.1992),
    ("after_at", 2.6645),
    ("after_staff_title", 5.2862),
    ("after_patient_title", -2.1316),
    ("after_role_and_title", 0.0358),
    ("title_and_role", 3.2016),
    ("after_pt", -0.2693),
    ("after_kin", -2.2246),
    ("after_possessive_kin", -0.2232),
    ("after_greeting", 2.1047),
    ("after_ask_tell", 2.8161),
    ("after_from", -0.1198),
    ("after_with", 1.3295),
    ("after_copula", 1.6640),
    ("after_and", 0.3187),
    ("after_for", -0.0905),
    ("after_baby_of", 0.0000),
    ("before_kin", -0.7504),
    ("before_staff_role", 1.1767),
    ("before_role_soon", 1.9013),
    ("before_rota_soon", 1.9333),
    ("rota_list", 2.0168),
    ("before_from", 1.3078),
    ("before_on_shift", 2.8956),
    ("before_has_my", 0.8760),
    ("before_can_you", 2.8197),
    ("before_dash_i", 1.8412),
    ("before_age_sex", -2.3816),
    ("before_bed_or_bay", -1.6348),
    ("before_possessive_kin", 1.1334),
    ("before_possessive", -0.1658),
    ("before_patient_cue", -1.7554),
    ("before_staff_verb", 2.4163),
    ("before_patient_verb", -2.2034),
    ("before_time", 2.9021),
    ("before_colon", 4.2823),
    ("before_and", 0.1343),
    ("export_sender", 1.0304),
    ("sign_off", 0.0240),
    ("line_start", 0.2386),
    ("message_end", 1.5575),
    ("clause_patient_cue", -0.4788),
    ("clause_staff_cue", 0.2081),
    ("clause_staff_role", 0.6668),
    ("clause_kin", -1.3968),
    ("clause_age", -1.1513),
    ("clause_second_person", 1.8043),
    ("clause_first_person", -0.0549),
    ("clause_third_person", -0.6531),
    ("window_patient_cue", -0.2762),
    ("window_staff_cue", 2.4495),
    ("window_kin", -0.6912),
    ("near_identifier", -2.2936),
];

/// A score at or above this is `staff`.
pub(super) const STAFF_ABOVE: f32 = 1.058;

/// A score at or below this is `patient`; between the two, `unknown`.
pub(super) const PATIENT_BELOW: f32 = 0.0499;
