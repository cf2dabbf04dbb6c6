//! Atomic site writing: everything goes to a temporary folder beside `--out`,
//! which replaces the old site only when complete.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// Collects the files of a site in a temporary folder.
pub struct SiteWriter {
    out: PathBuf,
    tmp: PathBuf,
    done: bool,
}

/// The file that marks a folder as a quarterdeck site, safe to replace.
const MARKER: &str = "data/summary.json";

impl SiteWriter {
    /// Prepares a temporary folder next to `out`; refuses an `out` that holds
    /// something other than a quarterdeck site.
    pub fn new(out: &Path) -> Result<SiteWriter> {
        if out.exists() {
            let is_site = out.join(MARKER).is_file();
            let is_empty = out.is_dir() && std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
            if !is_site && !is_empty {
                return Err(Error::Usage(format!(
                    "refusing to replace {}: it exists and is not a quarterdeck site (no {MARKER}); choose another --out",
                    out.display()
                )));
            }
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io("create the folder of --out", &parent, e))?;
        let name = out.file_name().map_or("site".into(), |n| n.to_string_lossy().to_string());
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io("remove a leftover working folder", &tmp, e))?;
        }
        // The working folder sits beside --out; name --out in the error, it is what the user chose.
        std::fs::create_dir_all(&tmp).map_err(|e| Error::io("write the site to", out, e))?;
        Ok(SiteWriter { out: out.to_path_buf(), tmp, done: false })
    }

    /// Writes one file; `rel` must be a plain relative path.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(rel)?;
        std::fs::write(&path, bytes).map_err(|e| Error::io("write", &path, e))
    }

    /// Writes one file through `fill`, buffered, for files too large to hold.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        use std::io::Write;
        let path = self.path(rel)?;
        let file = std::fs::File::create(&path).map_err(|e| Error::io("write", &path, e))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut out).and_then(|()| out.flush()).map_err(|e| Error::io("write", &path, e))
    }

    /// The working path of `rel`, its folder created; `rel` must be a plain relative path.
    fn path(&self, rel: &str) -> Result<PathBuf> {
        let rel_path = Path::new(rel);
        if !rel_path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::Internal(format!("refusing to write outside the site: {rel}")));
        }
        let path = self.tmp.join(rel_path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
        }
        Ok(path)
    }

    /// Moves the finished site into place, replacing the previous one.
    pub fn finish(mut self) -> Result<PathBuf> {
        let old = self.tmp.with_extension("old");
        if self.out.exists() {
            std::fs::rename(&self.out, &old).map_err(|e| Error::io("move aside", &self.out, e))?;
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            // put the previous site back before failing
            let _ = std::fs::rename(&old, &self.out);
            return Err(Error::io("move into place", &self.out, e));
        }
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io("remove", &old, e))?;
        }
        self.done = true;
        Ok(self.out.clone())
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_climb_out() {
        let dir = tempfile::tempdir().unwrap();
        let w = SiteWriter::new(&dir.path().join("site")).unwrap();
        assert!(w.write("../evil.html", b"x").is_err());
        assert!(w.write("/etc/evil", b"x").is_err());
        assert!(w.write("teams/a.html", b"x").is_ok());
    }

    #[test]
    fn a_dropped_writer_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        std::fs::create_dir_all(out.join("data")).unwrap();
        std::fs::write(out.join(MARKER), "old").unwrap();
        {
            let w = SiteWriter::new(&out).unwrap();
            w.write("index.html", b"new").unwrap();
        }
        assert_eq!(std::fs::read_to_string(out.join(MARKER)).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
        let e = SiteWriter::new(dir.path()).err().unwrap();
        assert!(e.to_string().contains("is not a quarterdeck site"), "{e}");
    }
}
