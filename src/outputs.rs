//! Where the pack may write: one policy for `build --out` and `pdf --out`,
//! checked before anything is read, so that no output can replace an input.
//!
//! - `--out` is never the data folder, never a folder that holds it, and,
//!   inside it, never one of the folders the build reads (`notes/`,
//!   `templates/`); the default `DATA_DIR/site` is fine.
//! - `pdf --out` never replaces a file that is not a PDF, and is never a folder.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// The folders inside the data folder that the build reads.
const INPUT_FOLDERS: &[&str] = &["notes", "templates"];

/// `path` made absolute with every symbolic link of its existing part resolved,
/// so `d`, `./d`, `d/../d` and a link to `d` compare equal.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name().map(|n| n.to_os_string()), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    normalise(&out)
}

/// Drops `.` and folds `..` lexically (the path's existing part is already canonical).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Refuses a site folder that is, holds, or is an input folder of the data folder.
pub fn check_site_out(data_dir: &Path, out: &Path) -> Result<()> {
    let (data, site) = (resolve(data_dir), resolve(out));
    if data.starts_with(&site) {
        return Err(Error::Usage(format!(
            "refusing --out {}: it {} the data folder {}, whose inputs the new site would replace; choose a folder \
             outside it, or leave --out out to write {}",
            out.display(),
            if data == site { "is" } else { "holds" },
            data_dir.display(),
            data_dir.join("site").display()
        )));
    }
    if let Ok(inner) = site.strip_prefix(&data) {
        let first = inner.components().next().map(|c| c.as_os_str().to_string_lossy().to_lowercase());
        if let Some(folder) = first.filter(|f| INPUT_FOLDERS.contains(&f.as_str())) {
            return Err(Error::Usage(format!(
                "refusing --out {}: the build reads {folder}/ of the data folder; choose another folder",
                out.display()
            )));
        }
    }
    Ok(())
}

/// Refuses a PDF path that is a folder, or an existing file that is not a PDF.
pub fn check_pdf_out(out: &Path) -> Result<()> {
    if out.is_dir() {
        return Err(Error::Usage(format!(
            "refusing --out {}: it is a folder; name the PDF file to write",
            out.display()
        )));
    }
    if out.exists() {
        let head = std::fs::read(out).map(|b| b.starts_with(b"%PDF-")).unwrap_or(false);
        if !head {
            return Err(Error::Usage(format!(
                "refusing --out {}: it exists and is not a PDF; choose another file name",
                out.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_folder_and_what_holds_it_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("pack/inputs");
        std::fs::create_dir_all(&data).unwrap();
        assert!(check_site_out(&data, &data).is_err());
        assert!(check_site_out(&data, &data.join(".")).is_err());
        assert!(check_site_out(&data, &dir.path().join("pack")).is_err());
        assert!(check_site_out(&data, &data.join("notes")).is_err());
        assert!(check_site_out(&data, &data.join("site")).is_ok());
        assert!(check_site_out(&data, &dir.path().join("pack/site")).is_ok());
        assert!(check_site_out(&data, &data.join("site/../")).is_err());
    }

    #[test]
    fn a_pdf_never_replaces_another_file() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("okrs.csv");
        std::fs::write(&csv, "quarter\n").unwrap();
        assert!(check_pdf_out(&csv).is_err());
        assert!(check_pdf_out(dir.path()).is_err());
        let pdf = dir.path().join("old.pdf");
        std::fs::write(&pdf, "%PDF-1.7\n").unwrap();
        assert!(check_pdf_out(&pdf).is_ok());
        assert!(check_pdf_out(&dir.path().join("new.pdf")).is_ok());
    }
}
