//! Names of the files of one pick, made distinct.
//!
//! A file added again under a name already loaded replaces it (`load.rs`): that is the same log
//! picked twice. Within one pick, though, two files with the same name are two files: dragged
//! from two folders, or, the usual case, the `agent-ledger-export.zip` of two machines (the team
//! view). The later ones get ` (2)`, ` (3)`… after their name, so each is read and reported.

use std::collections::HashSet;

/// Rename the repeats of `names` in place, in order, to names none of the others has.
pub fn make_distinct(names: &mut [String]) {
    let mut taken: HashSet<String> = names.iter().cloned().collect();
    let mut seen: HashSet<String> = HashSet::new();
    for name in names.iter_mut() {
        if seen.insert(name.clone()) {
            continue;
        }
        let fresh = (2u64..).map(|n| format!("{name} ({n})")).find(|c| !taken.contains(c)).unwrap_or_default();
        taken.insert(fresh.clone());
        seen.insert(fresh.clone());
        *name = fresh;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn repeats_get_a_number_and_no_name_is_taken_twice() {
        let mut names: Vec<String> = ["a.zip", "b.jsonl", "a.zip", "a.zip (2)", "a.zip"].map(String::from).to_vec();
        super::make_distinct(&mut names);
        assert_eq!(names, ["a.zip", "b.jsonl", "a.zip (3)", "a.zip (2)", "a.zip (4)"]);
    }
}
