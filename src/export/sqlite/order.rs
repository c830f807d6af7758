//! The order of an index's entries: by value as SQLite compares them, equal values by rowid.
//!
//! Sorting the entries by comparing their values took a fifth of the page's zip on the
//! real-world profile (`perf`: `memcmp` under `Builder::table`, the session ids of 232,133 usage
//! rows compared again and again). The values of an indexed column repeat (sessions, models,
//! days), so each distinct value is ranked once, by the same comparison, and the entries are
//! sorted by (rank, rowid): two integers.

use super::record::{Sql, compare};
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

/// A value as a hash key: equal keys are equal values. (Values that compare equal but differ,
/// such as 1 and 1.0, get keys of their own and the same rank.)
#[derive(Hash, PartialEq, Eq)]
enum Distinct<'a> {
    Null,
    Int(i64),
    Real(u64),
    Text(&'a str),
}

fn distinct<'a>(v: &Sql<'a>) -> Distinct<'a> {
    match *v {
        Sql::Null => Distinct::Null,
        Sql::Int(i) => Distinct::Int(i),
        Sql::Real(x) => Distinct::Real(x.to_bits()),
        Sql::Text(s) => Distinct::Text(s),
    }
}

/// Sort `entries` (value, rowid) into the index's order: the order of
/// `sort_by(|a, b| compare(&a.0, &b.0).then(a.1.cmp(&b.1)))`.
pub fn sort(entries: &mut Vec<(Sql<'_>, i64)>) {
    // Each entry's distinct value, numbered in order of appearance; `firsts[n]` is the entry
    // where value `n` first appears.
    let mut numbers: FxHashMap<Distinct, u32> = FxHashMap::default();
    let mut firsts: Vec<usize> = Vec::new();
    let number_of: Vec<u32> = entries
        .iter()
        .enumerate()
        .map(|(i, (value, _))| {
            *numbers.entry(distinct(value)).or_insert_with(|| {
                firsts.push(i);
                (firsts.len() - 1) as u32
            })
        })
        .collect();
    drop(numbers);
    let value = |n: u32| &entries[firsts[n as usize]].0;
    let mut by_value: Vec<u32> = (0..firsts.len() as u32).collect();
    by_value.sort_by(|&a, &b| compare(value(a), value(b)));
    let mut rank = vec![0u32; firsts.len()];
    for pair in by_value.windows(2) {
        let step = u32::from(compare(value(pair[0]), value(pair[1])) != Ordering::Equal);
        rank[pair[1] as usize] = rank[pair[0] as usize] + step;
    }
    // Rowids are unique, so (rank, rowid) orders every entry and an unstable sort is exact.
    let mut keyed: Vec<(u32, i64, usize)> = entries.iter().enumerate().map(|(i, e)| (rank[number_of[i] as usize], e.1, i)).collect();
    keyed.sort_unstable_by_key(|&(r, rowid, _)| (r, rowid));
    let mut taken: Vec<Option<(Sql, i64)>> = entries.drain(..).map(Some).collect();
    entries.extend(keyed.into_iter().filter_map(|(_, _, i)| taken[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the plain comparison sort, on values that repeat, share long prefixes, mix
    /// integers, reals that equal them, texts and NULLs, with rowids out of order.
    #[test]
    fn sorts_as_the_comparison_does() {
        let texts: Vec<String> = (0..40).map(|i| format!("rollout-2026-11-{:02}T09-00-00-{}", i % 7, "a".repeat(i % 5))).collect();
        let mut x = 17u64;
        let mut next = move || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            x >> 33
        };
        for n in [0usize, 1, 2, 50, 3_000] {
            let mut entries: Vec<(Sql, i64)> = (0..n)
                .map(|i| {
                    let value = match next() % 6 {
                        0 => Sql::Null,
                        1 => Sql::Int((next() % 5) as i64),
                        2 => Sql::Real((next() % 5) as f64),
                        3 => Sql::Real(0.5 + (next() % 3) as f64),
                        _ => Sql::Text(&texts[(next() % 40) as usize]),
                    };
                    (value, ((i * 7_919) % (n + 1)) as i64 * 2 + 1)
                })
                .collect();
            let mut want = entries.clone();
            want.sort_by(|a, b| compare(&a.0, &b.0).then(a.1.cmp(&b.1)));
            sort(&mut entries);
            let show = |e: &[(Sql, i64)]| e.iter().map(|(v, r)| format!("{v:?}/{r}")).collect::<Vec<_>>();
            assert_eq!(show(&entries), show(&want), "{n} entries");
        }
    }
}
