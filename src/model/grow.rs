//! Row growth of the big tables, shared by every adapter that fills them.

/// Push a row onto one of the big tables, growing it by a quarter when full rather than doubling
/// it. The tables are most of the heap: a doubled table may stand half empty, and in the browser
/// growing one copies it while old and new are both alive (three times the rows, instead of 2.25).
pub fn push_row<T>(rows: &mut Vec<T>, row: T) {
    if rows.len() == rows.capacity() {
        rows.reserve_exact(rows.capacity() / 4 + 256);
    }
    rows.push(row);
}

/// [`push_row`] for many rows at once.
pub fn extend_rows<T>(rows: &mut Vec<T>, more: impl ExactSizeIterator<Item = T>) {
    let spare = rows.capacity() - rows.len();
    if more.len() > spare {
        rows.reserve_exact(more.len().max(rows.capacity() / 4 + 256));
    }
    rows.extend(more);
}
