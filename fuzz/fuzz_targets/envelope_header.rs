//! Header round trip: whatever `read_header` accepts, `write_header` writes back
//! byte for byte, and reading that again gives the same header.
#![no_main]

use careguard::envelope::format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((header, len)) = format::read_header(data) {
        let mut written = Vec::new();
        assert!(format::write_header(&header, &mut written).is_ok());
        assert_eq!(&written[..], &data[..len]);
        assert_eq!(format::read_header(&written).ok(), Some((header, len)));
    }
});
