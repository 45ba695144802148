//! The subject model's weights: GENERATED, do not edit. Regenerate with
//! `python3 scripts/train/fit_subject.py` (scripts/train/fit_subject.py).
//!
//! Logistic regression over the features of `subject.rs` (log odds that a name is
//! staff rather than a patient's), fitted on the tune split of
//! core/tests/corpus/train/ (1452 names, 367 staff; L2 0.3; thresholds from 5-fold out-of-fold scores).

/// Log odds of a name with no feature.
pub(super) const BIAS: f32 = -1.061;

/// The weight of each feature, in the order of `Feature::ALL`.
pub(super) const WEIGHTS: [(&str, f32); 64] = [
    ("rule_title", -0.2624),
    ("rule_greeting", 1.1706),
    ("rule_role_title", 0.5217),
    ("rule_kin_cue", -0.5982),
    ("rule_name_before_evidence", -1.1154),
    ("rule_context", -1.3089),
    ("rule_list", 0.1019),
    ("rule_lower", -1.0341),
    ("multi_word", -1.8355),
    ("lower_case", 0.3671),
    ("all_caps", -0.4539),
    ("single_given_name", 0.3621),
    ("single_surname", -1.2416),
    ("after_at", 2.6639),
    ("after_staff_title", 5.3100),
    ("after_patient_title", -2.1366),
    ("after_role_and_title", 0.0361),
    ("title_and_role", 3.2150),
    ("after_pt", -0.2682),
    ("after_kin", -2.2063),
    ("after_possessive_kin", -0.2232),
    ("after_greeting", 2.0945),
    ("after_ask_tell", 2.7913),
    ("after_from", -0.1153),
    ("after_with", 1.3369),
    ("after_copula", 1.5826),
    ("after_and", 0.3088),
    ("after_for", -0.1381),
    ("after_baby_of", 0.0000),
    ("before_kin", -0.7462),
    ("before_staff_role", 1.1865),
    ("before_role_soon", 1.9012),
    ("before_rota_soon", 1.8928),
    ("before_from", 1.3096),
    ("before_on_shift", 2.8920),
    ("before_has_my", 0.8513),
    ("before_can_you", 2.8080),
    ("before_dash_i", 1.8303),
    ("before_age_sex", -2.3899),
    ("before_bed_or_bay", -1.6489),
    ("before_possessive_kin", 1.1352),
    ("before_possessive", -0.1512),
    ("before_patient_cue", -1.7475),
    ("before_staff_verb", 2.4109),
    ("before_patient_verb", -2.2188),
    ("before_time", 2.9047),
    ("before_colon", 4.2864),
    ("before_and", 0.4590),
    ("export_sender", 1.0559),
    ("sign_off", 0.0167),
    ("line_start", 0.2746),
    ("message_end", 1.5969),
    ("clause_patient_cue", -0.4689),
    ("clause_staff_cue", 0.2200),
    ("clause_staff_role", 0.6557),
    ("clause_kin", -1.4067),
    ("clause_age", -1.1545),
    ("clause_second_person", 1.8029),
    ("clause_first_person", 0.0014),
    ("clause_third_person", -0.6697),
    ("window_patient_cue", -0.3091),
    ("window_staff_cue", 2.4820),
    ("window_kin", -0.7021),
    ("near_identifier", -2.2985),
];

/// A score at or above this is `staff`.
pub(super) const STAFF_ABOVE: f32 = 1.112;

/// A score at or below this is `patient`; between the two, `unknown`.
pub(super) const PATIENT_BELOW: f32 = -0.036;
