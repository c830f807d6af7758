//! The scanner against serde_json on the same bytes.

use super::*;
use serde::de::IgnoredAny;

fn accepts(line: &str) -> bool {
    let Ok(mut s) = Scanner::new(line.as_bytes()) else {
        return false;
    };
    s.skip().and_then(|_| s.end()).is_ok()
}

#[test]
fn accepts_only_what_serde_accepts() {
    let table = [
        r#"{"a":1,"b":[true,false,null,-0.5e+3,"x\"y\\\u00e9"],"c":{}}"#,
        r#"  { "a" : [ ] , "b" : { "c" : [ { } ] } }  "#,
        "\"\\ud83d\\ude00\"",
        "[1,2",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "01",
        "-",
        "1.",
        "1e",
        ".5",
        "tru",
        "nul",
        "\"\\x\"",
        "\"\\u12g4\"",
        "\"tab\there\"",
        "{\"a\":1}}",
        "{\"a\":1} x",
        "",
        "   ",
        "{'a':1}",
        "[[[[[]]]]]",
        "{\"a\":[{\"b\":[{}]}],\"c\":\"\\/\"}",
    ];
    for line in table {
        let serde = serde_json::from_str::<IgnoredAny>(line).is_ok();
        // The scanner may bail where serde accepts, never the other way round; on this
        // table it agrees exactly.
        assert_eq!(accepts(line), serde, "{line}");
    }
}

#[test]
fn deep_nesting_bails_without_overflow() {
    let deep = "[".repeat(100_000);
    assert!(!accepts(&deep));
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(accepts(&ok));
}

#[test]
fn strings_decode_like_serde() {
    let table = [
        r#""plain""#,
        r#""a\nb\t\"q\" \\ \/ \b\f\r""#,
        r#""\u00e9\u4e2d\u0000""#,
        r#""héllo wörld ✓""#,
    ];
    for json in table {
        let mut s = Scanner::new(json.as_bytes()).unwrap();
        let js = s.string().unwrap();
        let got = js.cow().unwrap();
        let want: String = serde_json::from_str(json).unwrap();
        assert_eq!(got, want, "{json}");
        assert_eq!(js.decoded_len, want.len(), "{json}");
        assert_eq!(decode_validated(&json[1..json.len() - 1]).unwrap(), want);
    }
    let mut s = Scanner::new(br#""\ud83d\ude00""#).unwrap();
    assert_eq!(s.string().unwrap().cow(), Err(Bail));
    assert_eq!(decode_validated(r"\ud83d\ude00"), None);
}

#[test]
fn prefixes_stop_after_enough_text_and_lines() {
    let raw = r"ab\ncd\nef\u00e9\ngh";
    // (min_len, min_newlines) → (prefix, complete)
    type Row = ((usize, usize), (&'static str, bool));
    let table: &[Row] = &[
        ((0, 0), ("ab", false)),
        ((3, 0), ("ab\ncd", false)),
        ((0, 2), ("ab\ncd\nef", false)),
        ((0, 3), ("ab\ncd\nef\u{e9}\ngh", true)),
        ((usize::MAX, usize::MAX), ("ab\ncd\nef\u{e9}\ngh", true)),
    ];
    for ((len, lines), want) in table {
        let mut out = String::new();
        let complete = decode_prefix(raw, &mut out, *len, *lines).unwrap();
        assert_eq!((out.as_str(), complete), *want, "{len} {lines}");
    }
}

#[test]
fn raw_spans_match_serde_raw_values() {
    let line = r#"{"a": {"x": [1, 2]} , "b":"s\n", "c" :-1.5e3,"d":null}"#;
    let mut got = Vec::new();
    let mut s = Scanner::new(line.as_bytes()).unwrap();
    s.object(|s, _| s.raw().map(|r| got.push(r))).unwrap();
    s.end().unwrap();
    let want: std::collections::BTreeMap<&str, &serde_json::value::RawValue> =
        serde_json::from_str(line).unwrap();
    let want: Vec<&str> = want.values().map(|r| r.get()).collect();
    assert_eq!(got, want);
}

#[test]
fn small_ints_are_exact_and_others_bail() {
    let table: &[(&str, Scan<i64>)] = &[
        ("0", Ok(0)),
        ("-42", Ok(-42)),
        ("123456789012345678", Ok(123_456_789_012_345_678)),
        ("1.0", Err(Bail)),
        ("1e3", Err(Bail)),
        ("1234567890123456789", Err(Bail)),
        ("-0", Err(Bail)),
    ];
    for (json, want) in table {
        let mut s = Scanner::new(json.as_bytes()).unwrap();
        assert_eq!(s.small_int(), *want, "{json}");
    }
}
