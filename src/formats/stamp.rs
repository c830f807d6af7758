//! Line timestamps on the hot path: the same answers as [`crate::timefmt::parse_iso`], faster.
//!
//! Every Codex and Claude line carries an RFC 3339 instant. [`Stamps`] reads the form the
//! agents write (`2025-09-25T01:22:20.084Z`: UTC, `T`, `Z`, 0 to 9 fraction digits, years
//! 1970–9998, as jiff's range ends inside 9999) with a few integer operations. Anything else
//! (offsets, leap seconds, other spellings, impossible dates) goes to `parse_iso`, which decides,
//! and is remembered: neighbouring lines often carry the same text.

use crate::model::Millis;
use crate::timefmt::parse_iso;

/// `parse_iso` with a memory of the last text it read.
#[derive(Default)]
pub struct Stamps {
    last: String,
    value: Option<Millis>,
}

impl Stamps {
    pub fn parse(&mut self, text: &str) -> Option<Millis> {
        // The usual form is cheaper to read than to compare; the memory serves the others.
        if let Some(ms) = utc_millis(text) {
            return Some(ms);
        }
        if text != self.last {
            self.value = parse_iso(text);
            self.last.clear();
            self.last.push_str(text);
        }
        self.value
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fffffffff]Z` read exactly, `None` for any other text (which may still
/// be a valid instant: then ask `parse_iso`).
pub fn utc_millis(text: &str) -> Option<Millis> {
    let b = text.as_bytes();
    let (date_time, rest) = (b.get(..19)?, b.get(19..)?);
    let num = |at: usize, len: usize| -> Option<i64> {
        let digits = date_time.get(at..at + len)?;
        digits.iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if seps.iter().any(|&(at, c)| date_time.get(at) != Some(&c)) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let valid = (1970..=9998).contains(&year)
        && (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 59;
    if !valid {
        return None;
    }
    let millis = match rest {
        [b'Z'] => 0,
        [b'.', fraction @ .., b'Z'] if (1..=9).contains(&fraction.len()) && fraction.iter().all(u8::is_ascii_digit) => {
            // Milliseconds are the first three digits; the rest is truncated, as jiff does.
            fraction.iter().chain([b'0'; 3].iter()).take(3).fold(0i64, |n, &c| n * 10 + i64::from(c - b'0'))
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    Some(seconds * 1_000 + millis)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_parse_iso_wherever_it_answers() {
        let table = [
            "2025-09-25T01:22:20.084Z",
            "2025-09-25T01:22:20Z",
            "2025-09-25T01:22:20.1Z",
            "2025-09-25T01:22:20.999999999Z",
            "2025-09-25T01:22:20.0849Z",
            "1970-01-01T00:00:00.000Z",
            "2024-02-29T23:59:59.999Z",
            "2000-02-29T12:00:00Z",
            "9998-12-31T23:59:59.999Z",
            "2026-11-03T14:18:18.229Z",
        ];
        for text in table {
            assert_eq!(utc_millis(text), parse_iso(text), "{text}");
            assert!(utc_millis(text).is_some(), "{text}");
        }
        // Left to parse_iso: it answers, or not, by itself.
        let others = [
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2025-09-25T24:00:00Z",
            "2025-09-25T23:59:60Z",
            "2025-09-25T01:22:20.0840000000Z",
            "2025-09-25T03:22:20.084+02:00",
            "2025-09-25t01:22:20Z",
            "2025-09-25 01:22:20Z",
            "1969-12-31T23:59:59.500Z",
            "9999-12-31T23:59:59.999Z",
            " 2025-09-25T01:22:20Z",
            "2025-09-25T01:22:20.Z",
            "2025-9-25T01:22:20Z",
            "yesterday",
            "",
        ];
        for text in others {
            assert_eq!(utc_millis(text), None, "{text}");
        }
    }

    #[test]
    fn every_day_of_four_centuries_matches() {
        // Every day from 1970 to 2400 at a varying time of day, against jiff.
        let mut ms = 0i64;
        while ms < 13_569_465_600_000 {
            let text = jiff::Timestamp::from_millisecond(ms).unwrap().strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
            assert_eq!(utc_millis(&text), Some(ms), "{text}");
            ms += 86_400_000 + 3_723_457;
        }
    }

    #[test]
    fn the_memory_answers_repeats() {
        let mut s = Stamps::default();
        let a = "2025-09-25T01:22:20.084Z";
        assert_eq!(s.parse(a), parse_iso(a));
        assert_eq!(s.parse(a), parse_iso(a));
        assert_eq!(s.parse("nope"), None);
        assert_eq!(s.parse("2025-09-25T03:22:20.084+02:00"), parse_iso(a));
    }
}
