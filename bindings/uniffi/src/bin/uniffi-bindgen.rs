//! The uniffi binding generator, built against this crate's uniffi version.

fn main() {
    uniffi::uniffi_bindgen_main()
}
