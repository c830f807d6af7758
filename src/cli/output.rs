//! What the CLI writes: the export files into `--out DIR`, the totals on stdout with `--json`.

use crate::export::ExportFile;
use crate::rollup::Summary;
use std::path::Path;

/// Write every file into `dir` (created if missing), each under its download name. A file is
/// written beside its final name first and renamed, so a run that fails half-way never leaves a
/// truncated export that looks whole.
pub fn write_all(dir: &Path, files: &[ExportFile]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {}", dir.display(), super::walk::plain(&e)))?;
    for f in files {
        let path = dir.join(f.name);
        let tmp = dir.join(format!(".{}.partial", f.name));
        std::fs::write(&tmp, &f.bytes)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("{}: {}", path.display(), super::walk::plain(&e)))?;
    }
    Ok(())
}

/// `summary.json`'s `totals`, pretty-printed, as `--json` prints them.
pub fn totals_json(summary: &Summary) -> String {
    serde_json::to_string_pretty(&summary.totals).unwrap_or_else(|_| "{}".into())
}
