//! Each keyed order against the plain one: a stable sort comparing the cells themselves.

use super::*;

/// What [`sort_order`] must equal: the cells compared one pair at a time, stably.
fn compared(values: &[Cell], descending: bool) -> Vec<u32> {
    let mut perm: Vec<u32> = (0..values.len() as u32).collect();
    perm.sort_by(|&x, &y| {
        let (a, b) = (&values[x as usize], &values[y as usize]);
        if blank(a) || blank(b) || !descending { compare(a, b) } else { compare(b, a) }
    });
    perm
}

#[test]
fn number_keys_sort_as_the_cells_compare() {
    let values = vec![
        Cell::Int(5), Cell::Empty, Cell::Float(-0.0), Cell::Usd(0.0), Cell::Int(-7), Cell::UInt(u64::MAX),
        Cell::Float(f64::NAN), Cell::Int(5), Cell::Float(2.5), Cell::Usd(f64::INFINITY), Cell::Int(i64::MIN),
        Cell::Float(-1e300), Cell::Int(0), Cell::Float(5.0),
    ];
    // Worked out by hand: numbers by value (-0.0 before 0, i64::MIN as about -9.2e18), equal
    // numbers in dataset order both ways, blank cells (empty, NaN, infinite) last both ways.
    let ascending = [11, 10, 4, 2, 3, 12, 8, 0, 7, 13, 5, 1, 6, 9];
    let descending = [5, 0, 7, 13, 8, 3, 12, 2, 4, 10, 11, 1, 6, 9];
    assert!(number_keys(&values).is_some(), "a column of numbers sorts by keys");
    assert_eq!(sort_order(&values, false), ascending);
    assert_eq!(sort_order(&values, true), descending);
    // A column with text is compared cell by cell, as shown: "1" < "a" < "b".
    let mixed = vec![Cell::text("b"), Cell::Int(1), Cell::text("a")];
    assert!(number_keys(&mixed).is_none() && text_keys(&mixed).is_none());
    assert_eq!(sort_order(&mixed, false), [1, 2, 0]);
    assert_eq!(sort_order(&mixed, true), [0, 2, 1]);
}

#[test]
fn text_keys_sort_as_the_cells_compare() {
    let t = |s: &'static str| Cell::text(s);
    let owned = |s: &str| Cell::owned(s.to_string());
    let columns: Vec<(&str, Vec<Cell>, bool)> = vec![
        // (what the column is, its cells, whether its texts have one shape of digits)
        ("times with blanks", vec![t("2025-09-01T10:00:00.000Z"), t(""), owned("2024-12-31T23:59:59.999Z"), t("2025-09-01T10:00:00.000Z"), Cell::Empty, t("2025-09-01T09:59:59.999Z")], true),
        ("time cells", vec![Cell::time(Some(1_756_720_800_000)), Cell::time(None), Cell::time(Some(0)), Cell::time(Some(1_756_720_800_000)), Cell::time(Some(1_756_720_799_999))], true),
        ("time cells and one before 1970 (of the same shape)", vec![Cell::time(Some(1_756_720_800_000)), Cell::time(Some(-1)), Cell::time(Some(0))], true),
        ("time cells and one before year 0", vec![Cell::time(Some(1_756_720_800_000)), Cell::time(Some(-62_167_219_200_001)), Cell::time(Some(0))], false),
        ("fixed-width digits", vec![t("0042"), t("0007"), t("9999"), t("0042")], true),
        ("digits of two widths", vec![t("10"), t("9"), t("100"), t("09")], false),
        ("separators in other places", vec![t("12-3"), t("123-"), t("1-23")], false),
        ("too many digits for one number", vec![t("12345678901234567890"), t("12345678901234567891"), t("02345678901234567890")], false),
        ("shared prefixes and case", vec![t("sess-b"), t("sess-a"), t("Sess-c"), t("sess-a"), t("sess"), t("é"), t("e")], false),
        ("flags", vec![Cell::Bool(true), Cell::Bool(false), Cell::Empty, Cell::Bool(true)], false),
        ("one text (no digits: one shape)", vec![t("x"), t(""), t("x")], true),
        ("nothing shown", vec![Cell::Empty, t("")], false),
    ];
    for (what, values, fixed_shape) in &columns {
        let texts: Vec<Option<&str>> = values.iter().map(|c| if blank(c) { None } else { Some(match c { Cell::Text(s) => &**s, Cell::Time(iso) => Cell::time_text(iso), Cell::Bool(true) => "true", _ => "false" }) }).collect();
        assert_eq!(digit_keys(&texts).is_some(), *fixed_shape, "{what}: read as numbers");
        for descending in [false, true] {
            assert_eq!(sort_order(values, descending), compared(values, descending), "{what}, descending {descending}");
        }
    }
}

#[test]
fn a_run_of_one_shared_text_ranks_as_its_text() {
    // The same address twice in a row, then an equal text elsewhere in memory: one rank.
    let shared = String::from("sess-1");
    let copy = shared.clone();
    let values = vec![Cell::text(&shared), Cell::text(&shared), Cell::text("sess-0"), Cell::text(&copy), Cell::text(&shared)];
    assert_eq!(sort_order(&values, false), [2, 0, 1, 3, 4]);
    assert_eq!(sort_order(&values, true), [0, 1, 3, 4, 2]);
}

#[test]
fn many_texts_sort_as_the_cells_compare() {
    // Texts built to meet every path of the sort by eight bytes: prefixes of one another,
    // zero bytes (the padding's value), runs longer than eight bytes, multi-byte characters,
    // repeats, blanks; enough of them for runs of more than `COMPARED`.
    let pieces = ["", "a", "ab", "\0", "abcdefgh", "abcdefghi", "é", "z", "\u{10FFFF}", "abcdefgh\0"];
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n) as usize
    };
    let texts: Vec<String> = (0..3_000).map(|_| (0..next(5)).map(|_| pieces[next(pieces.len() as u64)]).collect()).collect();
    // Mostly a text a row, and 40 texts over 3,000 rows.
    let few: Vec<&String> = (0..3_000).map(|_| &texts[next(40)]).collect();
    let columns: [Vec<Cell>; 2] = [texts.iter().map(|t| Cell::text(t)).collect(), few.iter().map(|t| Cell::text(t)).collect()];
    for values in &columns {
        let shown: Vec<Option<&str>> = values.iter().map(|c| match c { Cell::Text(s) if !s.is_empty() => Some(&**s), _ => None }).collect();
        assert!(digit_keys(&shown).is_none());
        for descending in [false, true] {
            assert_eq!(sort_order(values, descending), compared(values, descending), "descending {descending}");
            // Both ways of sorting texts, whichever the column's sample chose.
            assert_eq!(text_order(&shown, descending), compared(values, descending), "rows by their texts, descending {descending}");
        }
    }
}



#[test]
fn mostly_distinct_texts_sort_as_the_cells_compare() {
    // A text a row but for a few repeats (one in twenty, near and far), blanks, texts that are
    // prefixes of one another and share their first eight bytes or more: the rows are sorted
    // by their texts directly (no map of distinct texts), and must still equal the plain order,
    // equal texts in dataset order both ways.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let texts: Vec<String> = (0..5_000u64)
        .map(|i| match next(20) {
            0 => String::new(),
            1 => format!("request-{:06}", next(i.max(1))),
            2 => format!("request-{:06}:", next(i.max(1))),
            _ => format!("request-{:06}-{}", next(1_000_000), "é".repeat(next(3) as usize)),
        })
        .collect();
    let values: Vec<Cell> = texts.iter().map(|t| Cell::text(t)).collect();
    let shown: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str()).filter(|t| !t.is_empty())).collect();
    assert!(mostly_distinct(&shown), "the direct path is the one under test");
    assert!(shown.iter().flatten().count() > shown.iter().flatten().collect::<rustc_hash::FxHashSet<_>>().len(), "some texts repeat");
    for descending in [false, true] {
        assert_eq!(sort_order(&values, descending), compared(&values, descending), "descending {descending}");
    }
    // And a column of few texts does not take it.
    let few: Vec<Option<&str>> = (0..5_000).map(|i| Some(["a", "b", "c"][i % 3])).collect();
    assert!(!mostly_distinct(&few));
}
