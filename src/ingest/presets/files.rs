//! Which files an `[[imports]]` entry reads: `file` as one file or a glob
//! (every match, in name order), and the side files of the DevLake presets;
//! each checked to be a plain file inside the data folder before it is read.

use super::Import;
use crate::config::{Config, CONFIG_FILE};
use crate::error::{Error, Result};
use crate::model::InputFile;
use crate::schema::ALL;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files `import.file` names, in name order: the one file (which may
/// not exist: [`read`] says so), or every file a glob matches, at least one.
pub fn import_files(data_dir: &Path, import: &Import) -> Result<Vec<PathBuf>> {
    if !import.is_pattern() {
        return Ok(vec![data_dir.join(&import.file)]);
    }
    let pattern = format!("{}/{}", glob::Pattern::escape(&data_dir.to_string_lossy()), import.file);
    let options =
        glob::MatchOptions { case_sensitive: true, require_literal_separator: true, require_literal_leading_dot: true };
    let bad = |e: glob::PatternError| Error::File {
        file: import.file.clone(),
        message: format!("is not a glob pattern: {}", e.msg),
    };
    let mut found = Vec::new();
    for entry in glob::glob_with(&pattern, options).map_err(bad)? {
        let path = entry.map_err(|e| Error::io("read", e.path().to_path_buf(), e.into()))?;
        // a folder that matches is not an export; a pipe or a device is refused by `read`
        if !path.is_dir() {
            found.push(path);
        }
    }
    found.sort();
    if found.is_empty() {
        let message = format!(
            "matches no file in {}; {CONFIG_FILE} imports it with preset {} (a pattern is matched from the data folder, \
             `*` within one folder)",
            data_dir.display(),
            import.preset.name()
        );
        return Err(Error::File { file: import.file.clone(), message });
    }
    Ok(found)
}

/// Every file the import reads: those of `file`, then its side files.
pub fn files_read(data_dir: &Path, import: &Import) -> Result<Vec<PathBuf>> {
    let mut files = import_files(data_dir, import)?;
    files.extend(import.side_files().into_iter().map(|(_, f)| data_dir.join(f)));
    Ok(files)
}

/// How messages name a file of the data folder: its path from there, with `/`.
pub fn name(data_dir: &Path, path: &Path) -> String {
    let inner = path.strip_prefix(data_dir).unwrap_or(path);
    inner.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// One file an import reads, in memory, named as messages name it.
pub struct Read {
    pub name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

impl Read {
    /// Its entry among the inputs listed on the methodology page.
    pub fn input(&self, rows: usize) -> InputFile {
        InputFile { name: self.name.clone(), rows, sha256: self.sha256.clone() }
    }
}

/// Reads one file of `import` (`option` says which: `file`, `reviews_file` …),
/// or an error saying which import names it.
pub fn read(data_dir: &Path, path: &Path, import: &Import, option: &str) -> Result<Read> {
    let name = name(data_dir, path);
    crate::outputs::check_input(data_dir, path, &name)?;
    match std::fs::read(path) {
        Ok(bytes) => {
            let sha256 = crate::ingest::table::hex(&Sha256::digest(&bytes));
            Ok(Read { name, bytes, sha256 })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::File {
            file: name,
            message: format!(
                "not found in {}; {CONFIG_FILE} imports it as {option} of preset {}",
                data_dir.display(),
                import.preset.name()
            ),
        }),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// Fails when a file is read twice: matched by two imports, or one of
/// quarterdeck's own inputs (okrs.csv, quarterdeck.toml …) matched by an import.
pub fn check_overlaps(data_dir: &Path, config: &Config) -> Result<()> {
    let own: Vec<&str> = ALL.iter().map(|f| f.file).chain([CONFIG_FILE]).collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for import in &config.imports {
        for path in import_files(data_dir, import)? {
            let file = name(data_dir, &path);
            let about = import.describe();
            if own.contains(&file.as_str()) {
                let message = format!(
                    "{about}: {file} is one of quarterdeck's own inputs, read without an import; rename the export or \
                     narrow the pattern"
                );
                return Err(config.error_at(import.problem(&["file"], message)));
            }
            if let Some(first) = seen.insert(file.clone(), import.index) {
                let message =
                    format!("{about}: {file} is also read by [[imports]] #{}; a file is imported once", first + 1);
                return Err(config.error_at(import.problem(&["file"], message)));
            }
        }
    }
    Ok(())
}
