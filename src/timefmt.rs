//! Timestamps: parsing what logs write, formatting what exports show.

use crate::model::Millis;

/// Parse an RFC 3339 / ISO-8601 instant (`2025-09-25T01:22:20.084Z`, `…+02:00`).
pub fn parse_iso(s: &str) -> Option<Millis> {
    let ts: jiff::Timestamp = s.trim().parse().ok()?;
    Some(ts.as_millisecond())
}

/// Parse a JSON timestamp that may be ISO text, epoch seconds or epoch milliseconds.
pub fn parse_loose(v: &serde_json::Value) -> Option<Millis> {
    match v {
        serde_json::Value::String(s) => parse_iso(s),
        serde_json::Value::Number(n) => {
            let x = n.as_f64()?;
            // Epoch seconds stay below 1e11 until the year 5138; milliseconds are above it.
            Some(if x.abs() < 1e11 { (x * 1000.0) as i64 } else { x as i64 })
        }
        _ => None,
    }
}

/// `2025-09-25T01:22:20.084Z`: the UTC form every export uses.
pub fn format_iso(ms: Millis) -> String {
    if let Some(bytes) = iso_digits(ms) {
        // Only ASCII digits and separators.
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => format!("{:.3}", ts),
        Err(_) => String::new(),
    }
}

/// The last millisecond of the year 9998 (jiff stops short of the end of 9999).
const LAST_FOUR_DIGIT_MS: Millis = 253_370_764_799_999;

/// [`format_iso`]'s text, written digit by digit, for an instant from 1970 to the end of 9998
/// (every export writes a time a row, a few million in a big zip, and a table's sort or search
/// builds each of its rows' times: jiff's formatter took a quarter of a sort by a number).
/// Days to a civil date by Howard Hinnant's `civil_from_days`. Other instants: `None` (jiff
/// writes them). `tests` hold it to jiff's text.
pub fn iso_digits(ms: Millis) -> Option<[u8; 24]> {
    if !(0..=LAST_FOUR_DIGIT_MS).contains(&ms) {
        return None;
    }
    let (days, in_day) = (ms / 86_400_000, ms % 86_400_000);
    let z = days + 719_468;
    let (era, doe) = (z / 146_097, z % 146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (hour, minute, second, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1_000 % 60, in_day % 1_000);
    let mut out = *b"0000-00-00T00:00:00.000Z";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, year);
    put(5, 2, month);
    put(8, 2, day);
    put(11, 2, hour);
    put(14, 2, minute);
    put(17, 2, second);
    put(20, 3, milli);
    Some(out)
}

/// The instant [`iso_digits`] wrote, read back by Howard Hinnant's `days_from_civil` (the
/// Parquet downloads store times as milliseconds: jiff's parser, which reads every ISO form,
/// cost a fifth of a second a zip in wasm). Text of any other shape: `None`.
pub fn iso_digits_millis(iso: &[u8; 24]) -> Option<Millis> {
    if iso.iter().enumerate().any(|(at, b)| match at {
        4 | 7 => *b != b'-',
        10 => *b != b'T',
        13 | 16 => *b != b':',
        19 => *b != b'.',
        23 => *b != b'Z',
        _ => !b.is_ascii_digit(),
    }) {
        return None;
    }
    let num = |at: usize, width: usize| iso[at..at + width].iter().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
    let (year, month, day) = (num(0, 4), num(5, 2), num(8, 2));
    let (hour, minute, second, milli) = (num(11, 2), num(14, 2), num(17, 2), num(20, 3));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day < 1 || day > month_days[(month - 1) as usize] || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1_000 + milli)
}

pub fn format_opt(ms: Option<Millis>) -> String {
    ms.map(format_iso).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digit-by-digit text is jiff's, at the edges of days, months, leap years, centuries
    /// and the range, and at a million instants spread over it; outside it, jiff's.
    #[test]
    fn iso_digits_write_what_jiff_writes() {
        let jiff = |ms: Millis| jiff::Timestamp::from_millisecond(ms).map(|t| format!("{t:.3}")).unwrap_or_default();
        let day = 86_400_000;
        let mut cases: Vec<Millis> = vec![0, 1, 999, 1_000, day - 1, day, 951_782_400_000 - 1, 951_782_400_000, 951_868_800_000,
            4_107_542_400_000, 4_107_628_800_000, 1_758_763_340_084, LAST_FOUR_DIGIT_MS - 1, LAST_FOUR_DIGIT_MS];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..1_000_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push((x % (LAST_FOUR_DIGIT_MS as u64 + 1)) as Millis);
        }
        for ms in cases {
            let fast = iso_digits(ms).map(|b| String::from_utf8(b.to_vec()).unwrap());
            assert_eq!(fast.as_deref(), Some(jiff(ms).as_str()), "{ms}");
            assert_eq!(iso_digits(ms).and_then(|b| iso_digits_millis(&b)), Some(ms), "{ms} read back");
        }
        // Only the shape it writes, with a real date, is read back: what jiff reads of the rest.
        for text in ["2025-02-29T00:00:00.000Z", "2024-02-30T00:00:00.000Z", "2025-13-01T00:00:00.000Z", "2025-01-01T24:00:00.000Z",
            "2025-01-01T00:60:00.000Z", "2025-01-01 00:00:00.000Z", "2025-01-01T00:00:00.000+", "20x5-01-01T00:00:00.000Z"] {
            let iso: [u8; 24] = text.as_bytes().try_into().unwrap();
            assert_eq!(iso_digits_millis(&iso), None, "{text}");
        }
        let leap: [u8; 24] = *b"2024-02-29T23:59:59.999Z";
        assert_eq!(iso_digits_millis(&leap), parse_iso("2024-02-29T23:59:59.999Z"));
        for ms in [-1, -day, LAST_FOUR_DIGIT_MS + 1, 253_402_207_200_999, i64::MIN, i64::MAX] {
            assert_eq!(iso_digits(ms), None, "{ms}");
            assert_eq!(format_iso(ms), jiff(ms), "{ms}");
        }
    }

    #[test]
    fn parses_and_formats_round_trip() {
        let cases = [
            ("2025-09-25T01:22:20.084Z", 1_758_763_340_084),
            ("2030-01-01T15:00:00Z", 1_893_510_000_000),
            ("2025-09-25T03:22:20.084+02:00", 1_758_763_340_084),
        ];
        for (text, ms) in cases {
            assert_eq!(parse_iso(text), Some(ms), "{text}");
        }
        assert_eq!(format_iso(1_758_763_340_084), "2025-09-25T01:22:20.084Z");
        assert_eq!(parse_iso("yesterday"), None);
        assert_eq!(parse_loose(&serde_json::json!(1_758_763_340)), Some(1_758_763_340_000));
        assert_eq!(parse_loose(&serde_json::json!(1_758_763_340_084i64)), Some(1_758_763_340_084));
    }
}
