//! The files of a data folder, by their path inside it: what `check` names
//! as not read (an import's glob is matched by `presets::files`). Nothing
//! here opens a file.

use std::path::Path;

/// At most this many files are listed: a data folder is small, and `check`
/// run on a home folder by mistake must not walk the whole disk.
const MAX_FILES: usize = 20_000;

/// Every regular file below `data_dir`, as a relative path with `/`
/// separators, in name order. Hidden files and folders, links to folders,
/// and built sites (a folder holding `index.html` and `data/summary.json`)
/// are left out.
pub fn files(data_dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    walk(data_dir, "", &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if out.len() >= MAX_FILES {
            return;
        }
        let Some(name) = entry.file_name().to_str().map(String::from) else { continue };
        let Ok(kind) = entry.file_type() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        if kind.is_dir() && !is_site(&entry.path()) {
            walk(&entry.path(), &format!("{rel}/"), out);
        } else if kind.is_file() || (kind.is_symlink() && entry.path().is_file()) {
            out.push(rel);
        }
    }
}

/// Whether `dir` is a pack quarterdeck built (the default `DATA_DIR/site`, or any `--out` inside).
fn is_site(dir: &Path) -> bool {
    dir.join("index.html").is_file() && dir.join("data").join("summary.json").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_in_name_order_without_hidden_ones_or_built_sites() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in ["b.csv", "a.csv", "exports/x-2.csv", "exports/x-1.csv", ".git/config", "site/index.html"] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), "").unwrap();
        }
        std::fs::create_dir_all(d.join("site/data")).unwrap();
        std::fs::write(d.join("site/data/summary.json"), "{}").unwrap();
        assert_eq!(files(d), ["a.csv", "b.csv", "exports/x-1.csv", "exports/x-2.csv"]);
    }
}
