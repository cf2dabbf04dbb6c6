//! Where the pack may read and write: one policy for every input file and
//! for `build --out` and `pdf --out`, checked before anything is read, so
//! that no output can replace an input and no input comes from elsewhere.
//!
//! - An input is a regular file (not a folder, a pipe or a device, which
//!   could block or never end) inside the data folder, links and `../`
//!   resolved.
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

/// Refuses an input that is not a regular file inside the data folder; `name`
/// is how messages name it (`okrs.csv`, `notes/payments.md`). A path that
/// does not exist passes: its reader says it is missing.
pub fn check_input(data_dir: &Path, path: &Path, name: &str) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else { return Ok(()) };
    if !meta.is_file() {
        return Err(Error::File {
            file: name.to_string(),
            message: "is not a regular file (a folder, a pipe or a device); inputs are plain files".into(),
        });
    }
    let (data, real) = (resolve(data_dir), resolve(path));
    if !real.starts_with(&data) {
        return Err(Error::File {
            file: name.to_string(),
            message: format!(
                "leads outside the data folder (to {}); inputs are read only from inside it",
                real.display()
            ),
        });
    }
    Ok(())
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
    fn inputs_are_regular_files_inside_the_data_folder() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("notes")).unwrap();
        std::fs::write(data.join("okrs.csv"), "x").unwrap();
        std::fs::write(dir.path().join("secret.md"), "x").unwrap();
        assert!(check_input(&data, &data.join("okrs.csv"), "okrs.csv").is_ok());
        assert!(check_input(&data, &data.join("missing.csv"), "missing.csv").is_ok());
        let e = check_input(&data, &data.join("notes"), "notes").unwrap_err().to_string();
        assert!(e.contains("is not a regular file"), "{e}");
        let e = check_input(&data, &data.join("../secret.md"), "../secret.md").unwrap_err().to_string();
        assert!(e.contains("leads outside the data folder"), "{e}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.md"), data.join("notes/team.md")).unwrap();
            let e = check_input(&data, &data.join("notes/team.md"), "notes/team.md").unwrap_err().to_string();
            assert!(e.contains("leads outside the data folder"), "{e}");
            assert!(check_input(&data, Path::new("/dev/zero"), "prs.csv").is_err());
        }
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
