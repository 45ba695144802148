//! Every `careguard::ErrorCode` is exposed under its stable number and name by every
//! binding, and documented: the C header (`cg_status`, whose doc comments are the C
//! documentation), the WASM package's `ERROR_CODES` (and docs/wasm.md's error table),
//! the uniffi error enum and the Python stubs. A code added to core without its binding
//! entries, or a binding entry that is no core code, fails here.

#![allow(clippy::unwrap_used, clippy::panic)] // helpers outside #[test] fns

use careguard::ErrorCode;

fn repo_file(path: &str) -> String {
    let full = concat!(env!("CARGO_MANIFEST_DIR"), "/../").to_owned() + path;
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// `wrong_pin` -> `WrongPin`.
fn camel(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect()
}

/// Codes that only the C ABI's own checks produce: a generated or JS binding passes no
/// raw pointers or bytes that could be NULL or invalid UTF-8, and has its own panic story.
const C_ONLY: &[ErrorCode] = &[
    ErrorCode::NullPointer,
    ErrorCode::InvalidUtf8,
    ErrorCode::Panic,
];

/// Codes the WASM package never throws: the C-only ones, the vault's persist callbacks
/// (the package has none), a revoked key (thrown as `vault_locked`), and the codes of
/// modules it does not export (wipe orders, audit logs, policy packs).
const NOT_IN_JS: &[ErrorCode] = &[
    ErrorCode::NullPointer,
    ErrorCode::InvalidUtf8,
    ErrorCode::Panic,
    ErrorCode::PersistFailed,
    ErrorCode::StaleBlob,
    ErrorCode::KeyRevoked,
    ErrorCode::BadSignature,
    ErrorCode::WrongDevice,
    ErrorCode::Replayed,
    ErrorCode::WrongEnrolment,
];

#[test]
fn every_code_is_a_c_status_with_its_number() {
    let header = repo_file("ffi/include/careguard.h");
    for code in ErrorCode::ALL {
        let line = format!(
            "CG_STATUS_{} = {},",
            code.as_str().to_uppercase(),
            code.number()
        );
        assert!(header.contains(&line), "careguard.h lacks `{line}`");
    }
    let statuses = header.matches("\n  CG_STATUS_").count();
    assert_eq!(
        statuses,
        ErrorCode::ALL.len() + 1,
        "one cg_status per code, and OK"
    );
}

#[test]
fn js_error_codes_are_core_codes_and_documented() {
    let js = repo_file("wasm/package-template/errors.js");
    let list = &js[js.find("ERROR_CODES").unwrap()..];
    let list = &list[..list.find("]);").unwrap()];
    let names: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
    assert!(!names.is_empty());
    let docs = repo_file("docs/wasm.md");
    let table = &docs[docs.find("\n## Errors").unwrap()..];
    let table = &table[..table.find("\n### ").unwrap()];
    for name in &names {
        let code = ErrorCode::from_name(name).unwrap_or_else(|| panic!("{name} is no core code"));
        assert!(
            !NOT_IN_JS.contains(&code),
            "{name} is listed as not thrown in JS"
        );
        assert!(
            table.contains(&format!("`{name}`")),
            "docs/wasm.md lacks {name}"
        );
    }
    for code in ErrorCode::ALL {
        assert!(
            names.contains(&code.as_str()) || NOT_IN_JS.contains(code),
            "{code} is neither in ERROR_CODES nor in NOT_IN_JS"
        );
    }
}

#[test]
fn uniffi_has_a_variant_per_code() {
    let uniffi = repo_file("bindings/uniffi/src/error.rs");
    let kotlin = repo_file("bindings/kotlin/src/main/kotlin/org/careguard/careguard.kt");
    for code in ErrorCode::ALL.iter().filter(|c| !C_ONLY.contains(c)) {
        let variant = camel(code.as_str());
        assert!(
            uniffi.contains(&format!("\n    {variant} {{")),
            "CareGuardError lacks {variant}"
        );
        assert!(
            uniffi.contains(&format!("Self::{variant} {{")),
            "CareGuardError has no conversion to {variant}"
        );
        assert!(
            kotlin.contains(&format!("class {variant}(")),
            "the generated Kotlin lacks {variant} (regenerate the bindings)"
        );
    }
}

#[test]
fn python_has_an_exception_per_code() {
    let stubs = repo_file("python/careguard/_careguard.pyi");
    for code in ErrorCode::ALL {
        let class = format!("class {}Error(CareguardError", camel(code.as_str()));
        assert!(stubs.contains(&class), "_careguard.pyi lacks {class}");
    }
}
