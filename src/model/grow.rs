//! Row growth of the big tables, shared by every adapter that fills them.

/// Push a row onto one of the big tables (wrapping it in its [`Row`](super::Row) there), growing
/// the table by a quarter when full rather than doubling it: a doubled table may stand half empty.
pub fn push_row<R>(rows: &mut Vec<R>, row: impl Into<R>) {
    if rows.len() == rows.capacity() {
        rows.reserve_exact(rows.capacity() / 4 + 256);
    }
    rows.push(row.into());
}

/// [`push_row`] for many rows at once.
pub fn extend_rows<R, T: Into<R>>(rows: &mut Vec<R>, more: impl ExactSizeIterator<Item = T>) {
    let spare = rows.capacity() - rows.len();
    if more.len() > spare {
        rows.reserve_exact(more.len().max(rows.capacity() / 4 + 256));
    }
    rows.extend(more.map(Into::into));
}
