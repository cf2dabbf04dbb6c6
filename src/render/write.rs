//! Atomic site writing: everything goes to a temporary folder beside `--out`,
//! which replaces the old site only when complete.
//!
//! Crash-safe: a lock file beside `--out` (`.NAME.lock`, holding the PID)
//! keeps two builds from writing one site; the swap is two renames (the old
//! site aside to `.NAME.tmp-PID.old`, the new one into place). A build killed
//! at any instant leaves either the old site or the new one at `--out`, or —
//! between the two renames — the old one aside; the next build finds what a
//! dead process left (its lock, working folder or moved-aside site), puts a
//! moved-aside site back when `--out` is missing, and clears the rest.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// Collects the files of a site in a temporary folder.
pub struct SiteWriter {
    out: PathBuf,
    tmp: PathBuf,
    lock: PathBuf,
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
        let lock = take_lock(&parent.join(format!(".{name}.lock")), out)?;
        let writer = SiteWriter {
            out: out.to_path_buf(),
            tmp: parent.join(format!(".{name}.tmp-{}", std::process::id())),
            lock,
            done: false,
        };
        recover_leftovers(&parent, &name, out)?;
        // The working folder sits beside --out; name --out in the error, it is what the user chose.
        std::fs::create_dir_all(&writer.tmp).map_err(|e| Error::io("write the site to", out, e))?;
        Ok(writer)
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
        // `.NAME.tmp-PID.old`: a leftover the next build recognises
        let mut old = self.tmp.clone().into_os_string();
        old.push(".old");
        let old = PathBuf::from(old);
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
        let _ = std::fs::remove_file(&self.lock);
    }
}

/// Takes the lock of `out`: a file created only if absent, holding our PID.
/// A lock whose process is gone is taken over; a live one is an error.
fn take_lock(lock: &Path, out: &Path) -> Result<PathBuf> {
    for _ in 0..2 {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(lock) {
            Ok(mut file) => {
                use std::io::Write;
                let _ = write!(file, "{}", std::process::id());
                return Ok(lock.to_path_buf());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let owner = std::fs::read_to_string(lock).ok().and_then(|t| t.trim().parse::<u32>().ok());
                if owner.is_some_and(is_running) {
                    return Err(Error::Usage(format!(
                        "another quarterdeck (process {}) is writing {}; wait for it, or remove {} if none is running",
                        owner.unwrap_or_default(),
                        out.display(),
                        lock.display()
                    )));
                }
                // left by a build that was killed: take it over
                let _ = std::fs::remove_file(lock);
            }
            Err(e) => return Err(Error::io("create the lock", lock, e)),
        }
    }
    Err(Error::Usage(format!("cannot take the lock {} of {}", lock.display(), out.display())))
}

/// Clears what dead builds of `out` left beside it: working folders
/// (`.NAME.tmp-PID`) and moved-aside sites (`.NAME.tmp-PID.old`); a
/// moved-aside site goes back to `out` when `out` is missing.
fn recover_leftovers(parent: &Path, name: &str, out: &Path) -> Result<()> {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(parent) else { return Ok(()) };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(&prefix)))
        .collect();
    found.sort();
    for path in found {
        let rest = path.file_name().and_then(|n| n.to_str()).map_or("", |n| &n[prefix.len()..]).to_string();
        let (pid, aside) = match rest.strip_suffix(".old") {
            Some(pid) => (pid, true),
            None => (rest.as_str(), false),
        };
        let pid = pid.parse::<u32>().ok();
        if pid.is_some_and(|p| p != std::process::id() && is_running(p)) {
            continue;
        }
        if aside && !out.exists() {
            std::fs::rename(&path, out).map_err(|e| Error::io("put back the previous site from", &path, e))?;
        } else {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io("remove a leftover working folder", &path, e))?;
        }
    }
    Ok(())
}

/// Whether a process with this id is running (Linux: `/proc/PID`; elsewhere
/// assumed so, and the message says how to clear the lock).
pub fn is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
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
    fn a_killed_build_is_recovered_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        // killed between the two renames: no site, the old one moved aside, a
        // working folder and a lock of a process that is gone (pid 4194304 is
        // above Linux's pid_max)
        let aside = dir.path().join(".site.tmp-4194304.old");
        std::fs::create_dir_all(aside.join("data")).unwrap();
        std::fs::write(aside.join(MARKER), "old").unwrap();
        std::fs::create_dir_all(dir.path().join(".site.tmp-4194304/teams")).unwrap();
        std::fs::write(dir.path().join(".site.lock"), "4194304").unwrap();
        {
            let w = SiteWriter::new(&out).unwrap();
            // the previous site is back before anything is written
            assert_eq!(std::fs::read_to_string(out.join(MARKER)).unwrap(), "old");
            w.write("index.html", b"new").unwrap();
            w.finish().unwrap();
        }
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "new");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["site"], "nothing is left beside the site");
    }

    #[test]
    fn a_live_lock_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = SiteWriter::new(&out).unwrap();
        let e = SiteWriter::new(&out).err().unwrap().to_string();
        assert!(e.contains("is writing") && e.contains(".site.lock"), "{e}");
        drop(first);
        assert!(SiteWriter::new(&out).is_ok(), "the lock goes with the writer");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.tex"), "precious").unwrap();
        let e = SiteWriter::new(dir.path()).err().unwrap();
        assert!(e.to_string().contains("is not a quarterdeck site"), "{e}");
    }
}
