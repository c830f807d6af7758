//! The sniffer on arbitrary first lines and documents. Beyond not panicking, its verdicts must
//! agree with what the line is: a format only for a complete JSON object (the adapters read
//! objects only), "a document" only for a line that opens an object or an array.
#![no_main]
use agent_ledger::formats::sniff::{self, Sniffed};
use libfuzzer_sys::fuzz_target;
use serde::de::IgnoredAny;

fuzz_target!(|data: &[u8]| {
    let first = data.iter().find(|b| !b.is_ascii_whitespace());
    match sniff::sniff_line(data) {
        Sniffed::Format(f) => {
            assert_eq!(first, Some(&b'{'), "{f:?} from a line that is not an object");
            // Read as the sniffer reads it: strings it ignores may hold invalid UTF-8 (serde's
            // `from_slice` does not check them); the adapter then calls that line malformed.
            serde_json::from_slice::<IgnoredAny>(data).expect("a format only from JSON");
        }
        // A prefix of JSON that ends early. Not checked against serde's own verdict: serde words
        // the same early end differently by what it expected (`[-` is "EOF" for the sniffer's
        // struct and "invalid number" for `IgnoredAny`).
        Sniffed::Document => assert!(matches!(first, Some(b'{' | b'[')), "a document opens with {{ or ["),
        Sniffed::Unknown(reason) => assert!(!reason.is_empty()),
    }
    match sniff::sniff_document(data) {
        Sniffed::Format(f) => assert!(sniff::is_document_format(f), "{f:?} is no document format"),
        Sniffed::Document => panic!("a whole document is never `Document`"),
        Sniffed::Unknown(reason) => assert!(!reason.is_empty()),
    }
});
