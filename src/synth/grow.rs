//! A table grown past what a corpus holds, for benchmarks of the tables alone.

use crate::model::{Row, Tables};

/// The usage table grown to `rows` rows by copies of its own rows, each copy's session ids
/// suffixed with its round (`#2`, `#3`, …), so that a sort or a text filter of a million rows
/// (issue #14.3) meets real values, not generated noise: the real-world profile holds about
/// 232,000 usage rows in 1.2 GiB of logs, and a million would take a corpus the page's memory
/// could not load for a benchmark of the tables alone. Each copy's session id is a text of its
/// own (not shared with the row's neighbours, as parsed rows' are): the harder case for a sort.
pub fn grow_usage(tables: &mut Tables, rows: usize) {
    let original = tables.usage.clone();
    let mut round = 2;
    while tables.usage.len() < rows && !original.is_empty() {
        for row in original.iter().take(rows - tables.usage.len()) {
            let mut copy = (**row).clone();
            copy.session_id = format!("{}#{round}", copy.session_id).into();
            tables.usage.push(Row::new(copy));
        }
        round += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{UsageRow, rows_of};

    #[test]
    fn grows_by_rounds_of_copies_with_their_round_in_the_session() {
        let row = |s: &str| UsageRow { session_id: s.into(), ..UsageRow::default() };
        let mut tables = Tables { usage: rows_of([row("a"), row("b")]), ..Tables::default() };
        grow_usage(&mut tables, 5);
        let sessions: Vec<&str> = tables.usage.iter().map(|u| &*u.session_id).collect();
        assert_eq!(sessions, ["a", "b", "a#2", "b#2", "a#3"]);
    }
}
