//! `quarterdeck init DIR`: a starter data folder that builds as-is.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The starter files, relative path → text (embedded in the binary).
pub const STARTER: &[(&str, &str)] = &[
    ("okrs.csv", include_str!("../templates/starter/okrs.csv")),
    ("checkins.csv", include_str!("../templates/starter/checkins.csv")),
    ("metrics.csv", include_str!("../templates/starter/metrics.csv")),
    ("notes/quarter.md", include_str!("../templates/starter/notes/quarter.md")),
    ("quarterdeck.toml", include_str!("../templates/starter/quarterdeck.toml")),
    ("README.md", include_str!("../templates/starter/README.md")),
];

/// Writes the starter files into `dir`, refusing to overwrite any file.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    if let Some(existing) = STARTER.iter().map(|(rel, _)| dir.join(rel)).find(|p| p.exists()) {
        return Err(Error::Usage(format!(
            "{} already exists; init writes a new data folder and never overwrites files (choose an empty folder)",
            existing.display()
        )));
    }
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))?;
        written.push(path);
    }
    Ok(written)
}
