//! The committed C header must be exactly what cbindgen generates from the source.
//!
//! Regenerate it with `CAREGUARD_BLESS=1 cargo test -p careguard-ffi --test header`.

use std::path::Path;

#[test]
fn committed_header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("read cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("header is UTF-8");
    let committed_path = crate_dir.join("include/careguard.h");
    if std::env::var_os("CAREGUARD_BLESS").is_some() {
        std::fs::write(&committed_path, &generated).expect("write include/careguard.h");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "ffi/include/careguard.h is out of date; regenerate it with \
         `CAREGUARD_BLESS=1 cargo test -p careguard-ffi --test header` and commit it"
    );
}
