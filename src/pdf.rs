//! `quarterdeck pdf`: builds the pack, then prints one of its print editions
//! (`brief.html` by default, `print.html` with `--edition full`) to PDF
//! through a local headless Chromium or Chrome, offline and quietly. Nothing
//! is downloaded: the browser must already be installed.

use crate::error::{Error, Result};
use crate::render::print::Edition;
use crate::{BuildOptions, Stage};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Browser programs looked for on `PATH`, in this order.
pub const BROWSER_NAMES: &[&str] =
    &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "microsoft-edge", "msedge"];

/// Where macOS and Windows install the browsers, off `PATH`.
const INSTALL_PATHS: &[&str] = &[
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
];

/// The environment variable that names the browser when `--browser` does not.
pub const BROWSER_ENV: &str = "QUARTERDECK_BROWSER";

/// How long one print may take before the browser is stopped.
const PRINT_TIMEOUT: Duration = Duration::from_secs(300);

/// The paper the PDF is printed on (the build renders it into the document).
pub use crate::render::print::Paper;

/// What `quarterdeck pdf` was asked to do.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// The pack to build; its `out` and `paper` are ignored (the site goes to
    /// a temporary folder, printed on [`PdfOptions::paper`]).
    pub build: BuildOptions,
    /// The PDF to write; default `DATA_DIR/review-QUARTER.pdf`.
    pub out: Option<PathBuf>,
    pub paper: Paper,
    /// Which edition to print.
    pub edition: Edition,
    /// Print this one team's brief instead of the organisation's.
    pub team: Option<String>,
    /// Print this one group's brief instead of the organisation's (SPEC §8).
    pub group: Option<String>,
    /// The browser to print with; default: `$QUARTERDECK_BROWSER`, then the first found.
    pub browser: Option<PathBuf>,
}

/// Builds the pack into a temporary folder, prints the edition asked for
/// and returns the PDF's path.
pub fn run(opts: &PdfOptions, progress: &dyn Fn(Stage)) -> Result<PathBuf> {
    if opts.edition == Edition::Full {
        let one = [("--team", "team", &opts.team), ("--group", "group", &opts.group)];
        if let Some((flag, noun, _)) = one.iter().find(|(_, _, v)| v.is_some()) {
            return Err(Error::Usage(format!("{flag} prints one {noun}'s brief: leave out --edition full")));
        }
    }
    if let Some(out) = &opts.out {
        crate::outputs::check_pdf_out(out)?;
    }
    let browser = find_browser(opts.browser.as_deref())?;
    let work = TempDir::new("pdf")?;
    let built = crate::build(&print_build(opts, work.path.join("site")), progress)?;
    let html = built
        .edition(opts.edition)
        .ok_or_else(|| Error::Internal(format!("the build wrote no {}", opts.edition.file())))?;
    let out = match &opts.out {
        Some(out) => out.clone(),
        None => opts.build.data_dir.join(default_name(opts, &built.quarter.to_string())),
    };
    crate::outputs::check_pdf_out(&out)?;
    progress(Stage::Printing { browser: browser.clone() });
    print_pdf(&browser, &html, &out)?;
    Ok(out)
}

/// The build `pdf` prints: into `site`, its documents fixed to the chosen
/// paper, its brief that of the team or group asked for.
fn print_build(opts: &PdfOptions, site: PathBuf) -> BuildOptions {
    BuildOptions {
        out: Some(site),
        paper: Some(opts.paper),
        brief_team: opts.team.clone(),
        brief_group: opts.group.clone(),
        ..opts.build.clone()
    }
}

/// The PDF's name in the data folder when `--out` gives none:
/// `review-2026-Q3.pdf` (the brief), `review-2026-Q3-full.pdf`,
/// `review-2026-Q3-TEAM.pdf` or `review-2026-Q3-GROUP.pdf` (a team's or a
/// group's brief, its name made safe for a file).
fn default_name(opts: &PdfOptions, quarter: &str) -> String {
    match (opts.team.as_ref().or(opts.group.as_ref()), opts.edition) {
        (Some(one), _) => {
            let stem = crate::paths::file_stems([one.as_str()]).into_values().next().unwrap_or_default();
            format!("review-{quarter}-{stem}.pdf")
        }
        (None, Edition::Full) => format!("review-{quarter}-full.pdf"),
        (None, Edition::Brief) => format!("review-{quarter}.pdf"),
    }
}

/// The browser to use: `explicit` (a path, or a name on `PATH`), else
/// `$QUARTERDECK_BROWSER`, else the first of [`BROWSER_NAMES`] on `PATH`,
/// else a known install location.
pub fn find_browser(explicit: Option<&Path>) -> Result<PathBuf> {
    let from_env = std::env::var_os(BROWSER_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(wanted) = explicit.map(Path::to_path_buf).or(from_env) {
        let flag = if explicit.is_some() { "--browser" } else { BROWSER_ENV };
        return resolve_program(&wanted)
            .ok_or_else(|| Error::Usage(format!("{flag}: no such program: {}", wanted.display())));
    }
    BROWSER_NAMES
        .iter()
        .find_map(|name| on_path(name))
        .or_else(|| INSTALL_PATHS.iter().map(PathBuf::from).find(|p| p.is_file()))
        .ok_or_else(|| Error::Browser(missing_browser_message()))
}

/// What to install when no browser is found.
fn missing_browser_message() -> String {
    format!(
        "no Chromium or Chrome found to print the PDF with (looked for {} on PATH). \
         Install one: Debian/Ubuntu `sudo apt-get install chromium`, Fedora `sudo dnf install chromium`, \
         Arch `sudo pacman -S chromium`, macOS `brew install --cask chromium`; or point --browser \
         (or {BROWSER_ENV}) at an installed Chromium, Chrome or Edge. \
         The site itself needs no browser: `quarterdeck build` and print print.html from any browser.",
        BROWSER_NAMES.join(", ")
    )
}

/// A path with a directory part as it is; a bare name looked up on `PATH`.
fn resolve_program(p: &Path) -> Option<PathBuf> {
    if p.components().count() > 1 || p.is_absolute() {
        return p.is_file().then(|| p.to_path_buf());
    }
    on_path(&p.to_string_lossy())
}

fn on_path(name: &str) -> Option<PathBuf> {
    let exe = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(&exe)).find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// The command-line flags that keep the browser headless, offline and quiet:
/// no first-run, sync, component or background traffic, every host name
/// unresolvable, a throw-away profile, and no header or footer of its own
/// (the document's `@page` rules draw those).
pub fn chromium_flags(profile: &Path) -> Vec<OsString> {
    let mut flags: Vec<OsString> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--disable-breakpad",
        "--disable-dev-shm-usage",
        "--mute-audio",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    let mut dir = OsString::from("--user-data-dir=");
    dir.push(profile);
    flags.push(dir);
    flags
}

/// Prints `html` to `pdf` with `browser`; the PDF appears only when complete.
pub fn print_pdf(browser: &Path, html: &Path, pdf: &Path) -> Result<()> {
    let work = TempDir::new("chromium")?;
    let partial = work.path.join("print.pdf");
    let log_path = work.path.join("chromium.log");
    let log = std::fs::File::create(&log_path).map_err(|e| Error::io("create", &log_path, e))?;
    let mut to_pdf = OsString::from("--print-to-pdf=");
    to_pdf.push(&partial);
    let mut cmd = Command::new(browser);
    cmd.args(chromium_flags(&work.path.join("profile")))
        .args(["--no-pdf-header-footer", "--generate-pdf-document-outline"])
        .arg(to_pdf)
        .arg(file_url(html)?)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log);
    let status = wait_with_timeout(&mut cmd, browser)?;
    let printed = std::fs::read(&partial).map(|b| b.starts_with(b"%PDF")).unwrap_or(false);
    if !status.success() || !printed {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).rev().take(8).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(Error::Browser(format!(
            "{} failed to print the PDF ({}){}{}",
            browser.display(),
            if status.success() { "no PDF was written".to_string() } else { status.to_string() },
            if tail.is_empty() { "" } else { "; its last words:\n  " },
            tail.join("\n  ")
        )));
    }
    if let Some(dir) = pdf.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create the folder of --out", dir, e))?;
    }
    // a rename fails across file systems: copy then, still never a half-written PDF
    std::fs::rename(&partial, pdf).or_else(|_| {
        let side = pdf.with_extension("pdf.partial");
        std::fs::copy(&partial, &side).and_then(|_| std::fs::rename(&side, pdf)).map_err(|e| Error::io("write", pdf, e))
    })
}

fn wait_with_timeout(cmd: &mut Command, browser: &Path) -> Result<std::process::ExitStatus> {
    let mut child = cmd.spawn().map_err(|e| Error::io("start", browser, e))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Browser(format!(
                    "{} did not finish printing within {} seconds and was stopped",
                    browser.display(),
                    PRINT_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(Error::io("wait for", browser, e)),
        }
    }
}

/// A `file://` URL for a local file, percent-encoded.
pub fn file_url(path: &Path) -> Result<String> {
    let abs = std::fs::canonicalize(path).map_err(|e| Error::io("find", path, e))?;
    let text = abs.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("//?/").unwrap_or(&text);
    let mut url = String::from(if text.starts_with('/') { "file://" } else { "file:///" });
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => url.push(b as char),
            b => url.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(url)
}

/// A uniquely named temporary folder, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(what: &str) -> Result<TempDir> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        if n == 0 {
            clear_dead_temp_dirs();
        }
        let path = std::env::temp_dir().join(format!("quarterdeck-{what}-{}-{n}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io("remove a leftover working folder", &path, e))?;
        }
        std::fs::create_dir_all(&path).map_err(|e| Error::io("create the working folder", &path, e))?;
        Ok(TempDir { path })
    }
}

/// Removes the working folders (`quarterdeck-WHAT-PID-N` in the system's
/// temporary folder) of `pdf` runs whose process is gone: killed, they could
/// not clean up after themselves.
fn clear_dead_temp_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        let mut parts = name.strip_prefix("quarterdeck-").unwrap_or_default().rsplitn(3, '-');
        let (_n, pid) = (parts.next(), parts.next().and_then(|p| p.parse::<u32>().ok()));
        if pid.is_some_and(|p| p != std::process::id() && !crate::render::write::is_running(p)) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_killed_runs_working_folder_is_cleared_by_the_next() {
        // pid 4194304 is above Linux's pid_max: no such process runs
        let dead = std::env::temp_dir().join("quarterdeck-chromium-4194304-0");
        std::fs::create_dir_all(dead.join("profile")).unwrap();
        clear_dead_temp_dirs();
        assert!(!dead.exists());
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        let dir = TempDir::new("url-test").unwrap();
        let file = dir.path.join("a b#c.html");
        std::fs::write(&file, "x").unwrap();
        let url = file_url(&file).unwrap();
        assert!(url.starts_with("file:///"), "{url}");
        assert!(url.ends_with("/a%20b%23c.html"), "{url}");
    }

    #[test]
    fn an_explicit_browser_must_exist() {
        let e = find_browser(Some(Path::new("/no/such/chromium"))).unwrap_err();
        assert_eq!(e.to_string(), "--browser: no such program: /no/such/chromium");
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn the_missing_browser_message_names_the_packages() {
        let m = missing_browser_message();
        assert!(m.contains("apt-get install chromium") && m.contains("brew install --cask chromium"), "{m}");
    }

    #[test]
    fn the_printed_build_fixes_the_chosen_paper() {
        let build = BuildOptions {
            data_dir: PathBuf::from("data"),
            out: Some(PathBuf::from("elsewhere")),
            quarter: None,
            as_of: None,
            audience: crate::Audience::Leadership,
            paper: None,
            brief_team: None,
            brief_group: None,
        };
        let opts = PdfOptions {
            build,
            out: None,
            paper: Paper::Letter,
            edition: Edition::Brief,
            team: None,
            group: Some("Platform & Data".into()),
            browser: None,
        };
        let printed = print_build(&opts, PathBuf::from("/tmp/work/site"));
        assert_eq!(printed.paper, Some(Paper::Letter));
        assert_eq!(printed.out, Some(PathBuf::from("/tmp/work/site")));
        assert_eq!(printed.data_dir, PathBuf::from("data"));
        assert_eq!(printed.brief_group.as_deref(), Some("Platform & Data"));
    }

    #[test]
    fn the_default_name_says_the_edition_the_team_or_the_group() {
        let opts = |edition, team: Option<&str>, group: Option<&str>| PdfOptions {
            build: BuildOptions::default(),
            out: None,
            paper: Paper::A4,
            edition,
            team: team.map(String::from),
            group: group.map(String::from),
            browser: None,
        };
        let name = |o: PdfOptions| default_name(&o, "2026-Q3");
        assert_eq!(name(opts(Edition::Brief, None, None)), "review-2026-Q3.pdf");
        assert_eq!(name(opts(Edition::Full, None, None)), "review-2026-Q3-full.pdf");
        assert_eq!(name(opts(Edition::Brief, Some("payments"), None)), "review-2026-Q3-payments.pdf");
        let group = name(opts(Edition::Brief, None, Some("Platform & Data")));
        assert!(
            group.starts_with("review-2026-Q3-platform") && group.ends_with(".pdf") && !group.contains(' '),
            "{group}"
        );
    }

    #[test]
    fn a_team_or_group_brief_is_never_the_full_edition() {
        let mut o = PdfOptions {
            build: BuildOptions::default(),
            out: None,
            paper: Paper::A4,
            edition: Edition::Full,
            team: None,
            group: Some("Product".into()),
            browser: None,
        };
        let e = run(&o, &|_| {}).unwrap_err();
        assert_eq!(e.to_string(), "--group prints one group's brief: leave out --edition full");
        o.group = None;
        o.team = Some("payments".into());
        assert_eq!(
            run(&o, &|_| {}).unwrap_err().to_string(),
            "--team prints one team's brief: leave out --edition full"
        );
    }

    #[test]
    fn the_flags_keep_the_browser_offline() {
        let flags: Vec<String> =
            chromium_flags(Path::new("/tmp/p")).iter().map(|f| f.to_string_lossy().to_string()).collect();
        for f in ["--headless", "--disable-background-networking", "--disable-component-update", "--disable-sync"] {
            assert!(flags.iter().any(|x| x == f), "{f} missing");
        }
        assert!(flags.contains(&"--user-data-dir=/tmp/p".to_string()));
    }
}
