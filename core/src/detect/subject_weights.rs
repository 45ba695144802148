//! The subject model's weights: GENERATED, do not edit. Regenerate with
//! `python3 scripts/train/fit_subject.py` (scripts/train/fit_subject.py).
//!
//! Logistic regression over the features of `subject.rs` (log odds that a name is
//! staff rather than a patient's), fitted on the tune split of
//! core/tests/corpus/train/ (1452 names, 367 staff; L2 0.3; thresholds from 5-fold out-of-fold scores).

/// Log odds of a name with no feature.
pub(super) const BIAS: f32 = -1.073;

/// The features the weights are for, in the order of `Feature::ALL` (checked when
/// the crate compiles, so never in the binary).
pub(super) const NAMES: [&str; 65] = [
    "rule_title",
    "rule_greeting",
    "rule_role_title",
    "rule_kin_cue",
    "rule_name_before_evidence",
    "rule_context",
    "rule_list",
    "rule_lower",
    "multi_word",
    "lower_case",
    "all_caps",
    "single_given_name",
    "single_surname",
    "after_at",
    "after_staff_title",
    "after_patient_title",
    "after_role_and_title",
    "title_and_role",
    "after_pt",
    "after_kin",
    "after_possessive_kin",
    "after_greeting",
    "after_ask_tell",
    "after_from",
    "after_with",
    "after_copula",
    "after_and",
    "after_for",
    "after_baby_of",
    "before_kin",
    "before_staff_role",
    "before_role_soon",
    "before_rota_soon",
    "rota_list",
    "before_from",
    "before_on_shift",
    "before_has_my",
    "before_can_you",
    "before_dash_i",
    "before_age_sex",
    "before_bed_or_bay",
    "before_possessive_kin",
    "before_possessive",
    "before_patient_cue",
    "before_staff_verb",
    "before_patient_verb",
    "before_time",
    "before_colon",
    "before_and",
    "export_sender",
    "sign_off",
    "line_start",
    "message_end",
    "clause_patient_cue",
    "clause_staff_cue",
    "clause_staff_role",
    "clause_kin",
    "clause_age",
    "clause_second_person",
    "clause_first_person",
    "clause_third_person",
    "window_patient_cue",
    "window_staff_cue",
    "window_kin",
    "near_identifier",
];

/// The weight of each feature, in the order of `NAMES`.
pub(super) const WEIGHTS: [f32; 65] = [
    -0.2625, 1.1967, 0.5226, -0.6015, -1.1098, -1.3212, 0.0972, -1.0325, -1.7996, 0.3674, -0.4568,
    0.3836, -1.1992, 2.6645, 5.2862, -2.1316, 0.0358, 3.2016, -0.2693, -2.2246, -0.2232, 2.1047,
    2.8161, -0.1198, 1.3295, 1.6640, 0.3187, -0.0905, 0.0000, -0.7504, 1.1767, 1.9013, 1.9333,
    2.0168, 1.3078, 2.8956, 0.8760, 2.8197, 1.8412, -2.3816, -1.6348, 1.1334, -0.1658, -1.7554,
    2.4163, -2.2034, 2.9021, 4.2823, 0.1343, 1.0304, 0.0240, 0.2386, 1.5575, -0.4788, 0.2081,
    0.6668, -1.3968, -1.1513, 1.8043, -0.0549, -0.6531, -0.2762, 2.4495, -0.6912, -2.2936,
];

/// A score at or above this is `staff`.
pub(super) const STAFF_ABOVE: f32 = 1.058;

/// A score at or below this is `patient`; between the two, `unknown`.
pub(super) const PATIENT_BELOW: f32 = 0.0499;
