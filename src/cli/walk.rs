//! Which files to read, and the name each is reported under.
//!
//! Names follow the page (`src/ui/pick.rs`): a folder given on the command line is named like a
//! dropped folder, its own name then the path inside it with `/` (`sessions/2025/10/01/x.jsonl`);
//! a file given by itself is named by its file name. The list is sorted by name, byte-wise, as the
//! page sorts what it is given, so the same files give the same exports whatever order the
//! command line or the file system lists them in (cross-file dedup keeps the earliest copy).
//! Symbolic links are followed, each folder is walked once (a link loop ends there).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name the page would show.
    pub name: String,
    pub path: PathBuf,
    /// The size when the folder was walked; the page reads exactly this many bytes too.
    pub bytes: u64,
}

/// The files under `paths`, and one message per folder or file that could not be listed (the
/// walk goes on without it). `Err` when a path given does not exist at all: a typo should not
/// silently give an empty report.
pub fn walk(paths: &[PathBuf]) -> Result<(Vec<Input>, Vec<String>), String> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut seen_dirs = HashSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), plain(&e)))?;
        if meta.is_dir() {
            walk_dir(path, &root_name(path), &mut files, &mut problems, &mut seen_dirs);
        } else {
            files.push(Input { name: root_name(path), path: path.clone(), bytes: meta.len() });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((files, problems))
}

/// The folders the agents write their logs to, those that exist (see the `--help` text).
pub fn default_folders() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let env_dir = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty());
    let mut out = Vec::new();
    let codex = env_dir("CODEX_HOME").map(PathBuf::from).or_else(|| home.as_ref().map(|h| h.join(".codex")));
    if let Some(codex) = codex {
        out.push(codex.join("sessions"));
        out.push(codex.join("archived_sessions"));
    }
    match env_dir("CLAUDE_CONFIG_DIR") {
        // Claude Code accepts several directories, comma-separated.
        Some(dirs) => out.extend(
            dirs.to_string_lossy().split(',').map(str::trim).filter(|d| !d.is_empty()).map(|d| Path::new(d).join("projects")),
        ),
        None => {
            if let Some(h) = &home {
                out.push(h.join(".config/claude/projects"));
                out.push(h.join(".claude/projects"));
            }
        }
    }
    if let Some(h) = &home {
        out.push(h.join(".gemini/tmp"));
        // The Copilot CLI: one folder per session, each with its events.jsonl.
        out.push(h.join(".copilot/session-state"));
    }
    out.retain(|d| d.is_dir());
    out
}

/// The name the page gives a dropped file or folder: its last component.
fn root_name(path: &Path) -> String {
    // `.` or `..` have no file name of their own: use the folder they stand for.
    let named = std::fs::canonicalize(path).ok().filter(|_| path.file_name().is_none());
    let path = named.as_deref().unwrap_or(path);
    match path.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        None => path.to_string_lossy().into_owned(),
    }
}

fn walk_dir(dir: &Path, name: &str, files: &mut Vec<Input>, problems: &mut Vec<String>, seen: &mut HashSet<PathBuf>) {
    if let Ok(real) = std::fs::canonicalize(dir)
        && !seen.insert(real)
    {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return problems.push(format!("{}: {}", dir.display(), plain(&e))),
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(format!("{}: {}", dir.display(), plain(&e)));
                continue;
            }
        };
        let path = entry.path();
        let child = format!("{name}/{}", entry.file_name().to_string_lossy());
        // `metadata` follows links; a broken link is reported, not read.
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk_dir(&path, &child, files, problems, seen),
            Ok(m) => files.push(Input { name: child, path, bytes: m.len() }),
            Err(e) => problems.push(format!("{}: {}", path.display(), plain(&e))),
        }
    }
}

/// An I/O error without Rust's `(os error 2)` suffix.
pub fn plain(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_named_like_a_dropped_folder_and_sorted() {
        let root = std::env::temp_dir().join(format!("ledger-walk-{}", std::process::id()));
        let logs = root.join("logs");
        std::fs::create_dir_all(logs.join("b/deep")).unwrap();
        std::fs::create_dir_all(logs.join("a")).unwrap();
        std::fs::write(logs.join("b/deep/2.jsonl"), "xy").unwrap();
        std::fs::write(logs.join("a/1.jsonl"), "x").unwrap();
        std::fs::write(logs.join("Z.jsonl"), "").unwrap();
        std::fs::write(root.join("single.ndjson"), "abc").unwrap();

        let (files, problems) = walk(&[root.join("single.ndjson"), logs.clone()]).unwrap();
        let names: Vec<(&str, u64)> = files.iter().map(|f| (f.name.as_str(), f.bytes)).collect();
        // Byte order: upper case before lower case, `/` (0x2F) before letters.
        assert_eq!(names, [("logs/Z.jsonl", 0), ("logs/a/1.jsonl", 1), ("logs/b/deep/2.jsonl", 2), ("single.ndjson", 3)]);
        assert!(problems.is_empty());

        let missing = walk(&[root.join("nope")]).unwrap_err();
        assert!(missing.contains("nope") && missing.contains("No such file"), "{missing}");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
