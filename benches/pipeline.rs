//! The pipeline benchmark: builds generated organisations with `--audience
//! manager` and prints, per preset, the time of each stage of `build()`, the
//! wall time and the peak resident memory.
//!
//! ```text
//! cargo bench --bench pipeline                      # small, large and huge
//! cargo bench --bench pipeline -- small large       # only these
//! cargo bench --bench pipeline -- large-two-quarters  # large with 2026-Q2 as history
//! ```
//!
//! Data is generated once into `target/bench-data/PRESET` and reused while its
//! marker file matches the generator's version. Each preset is built in a
//! child process (this binary again, with `--child`), so one preset's peak
//! memory (VmHWM) never includes another's. Stages are timed between the
//! calls of `build()`'s progress callback, which fires at the start of each.

use quarterdeck::generate::{self, PresetName};
use quarterdeck::{Audience, BuildOptions, Stage};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The table's stage columns, in the order build() runs them.
const STAGES: [&str; 5] = ["ingest", "compute", "charts", "render", "write"];

/// The column a stage of build() is timed in.
fn column(stage: &Stage) -> &'static str {
    match stage {
        Stage::ReadingInputs => "ingest",
        Stage::Scoring => "compute",
        Stage::DrawingCharts => "charts",
        Stage::RenderingPages => "render",
        Stage::WritingSite => "write",
        // only `quarterdeck pdf` prints; build() never reports it
        Stage::Printing { .. } => "print",
    }
}

/// Targets: wall seconds and peak GiB (huge's wall is 10× large's measured
/// wall). Two quarters of OKRs hold large's: history costs linear time (SPEC §6).
const TARGETS: [(&str, f64, f64); 4] =
    [("small", 0.5, f64::INFINITY), ("large", 10.0, 1.0), ("large-two-quarters", 10.0, 1.0), ("huge", f64::NAN, 2.0)];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--bench")).collect();
    if args.first().map(String::as_str) == Some("--child") {
        std::process::exit(child(&args[1..]));
    }
    let names: Vec<&str> =
        if args.is_empty() { vec!["small", "large", "huge"] } else { args.iter().map(String::as_str).collect() };
    let root = target_dir().join("bench-data");
    let mut results = Vec::new();
    for name in names {
        let Some(preset) = preset(name) else {
            eprintln!("unknown preset {name:?}; expected small, large, large-two-quarters or huge");
            std::process::exit(2);
        };
        let data = root.join(name);
        let generated = match ensure_data(&preset, &data) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("generating {name} into {} failed: {e}", data.display());
                std::process::exit(3);
            }
        };
        eprintln!("building {name} …");
        results.push((name, preset, generated, run_child(&data, &root.join(format!("{name}-site")))));
    }
    print_table(&results);
}

fn preset(name: &str) -> Option<generate::Preset> {
    let p = match name {
        "small" => PresetName::Small,
        "large" => PresetName::Large,
        "huge" => PresetName::Huge,
        "small-two-quarters" => PresetName::SmallTwoQuarters,
        "large-two-quarters" => PresetName::LargeTwoQuarters,
        _ => return None,
    };
    Some(p.preset())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Generates the preset's folder unless an up-to-date one is there; returns
/// the time it took, or `None` when the folder was reused.
fn ensure_data(preset: &generate::Preset, dir: &Path) -> Result<Option<Duration>, String> {
    let marker = generate::marker_text(preset, generate::SEED);
    if std::fs::read_to_string(dir.join(generate::MARKER)).is_ok_and(|m| m == marker) {
        return Ok(None);
    }
    if dir.join(generate::MARKER).is_file() {
        std::fs::remove_dir_all(dir).map_err(|e| e.to_string())?;
    }
    eprintln!("generating {} into {} …", preset.name, dir.display());
    let start = Instant::now();
    generate::generate(preset, dir, generate::SEED).map_err(|e| e.to_string())?;
    Ok(Some(start.elapsed()))
}

/// What one child run measured.
struct Run {
    stages: Vec<(String, f64)>,
    wall: f64,
    peak_kib: u64,
    site_bytes: u64,
    site_files: u64,
}

fn run_child(data: &Path, out: &Path) -> Result<Run, String> {
    // The last run's site is moved aside and deleted after this run: deleting
    // thousands of files just before writing as many slows ext4 down (with
    // `discard`, severalfold), and the build would be charged for it.
    let old = out.with_extension("old");
    if out.exists() {
        std::fs::rename(out, &old).map_err(|e| format!("moving {} aside: {e}", out.display()))?;
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe).arg("--child").arg(data).arg(out).output().map_err(|e| e.to_string());
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| format!("removing {}: {e}", old.display()))?;
    }
    let output = output?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("{} {}", output.status, stderr.lines().last().unwrap_or("")));
    }
    let mut run = Run { stages: Vec::new(), wall: 0.0, peak_kib: 0, site_bytes: 0, site_files: 0 };
    for line in stdout.lines() {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next()) {
            (Some("stage"), Some(name), Some(secs)) => run.stages.push((name.to_string(), secs.parse().unwrap_or(0.0))),
            (Some("wall"), Some(secs), None) => run.wall = secs.parse().unwrap_or(0.0),
            (Some("peak_kib"), Some(kib), None) => run.peak_kib = kib.parse().unwrap_or(0),
            _ => {}
        }
    }
    (run.site_bytes, run.site_files) = tree_size(out);
    Ok(run)
}

/// Bytes and files under `dir`.
fn tree_size(dir: &Path) -> (u64, u64) {
    let mut total = (0, 0);
    let Ok(entries) = std::fs::read_dir(dir) else { return total };
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            let (b, f) = tree_size(&entry.path());
            total = (total.0 + b, total.1 + f);
        } else {
            total = (total.0 + meta.len(), total.1 + 1);
        }
    }
    total
}

/// The child: one build, then its stage times, wall time and VmHWM on stdout.
fn child(args: &[String]) -> i32 {
    let [data, out] = args else {
        eprintln!("usage: pipeline --child DATA_DIR OUT_DIR");
        return 2;
    };
    let opts = BuildOptions {
        data_dir: PathBuf::from(data),
        out: Some(PathBuf::from(out)),
        quarter: None,
        as_of: None,
        audience: Audience::Manager,
        paper: None,
        brief_team: None,
        brief_group: None,
    };
    let marks: RefCell<Vec<(Stage, Instant)>> = RefCell::new(Vec::new());
    let start = Instant::now();
    let result = quarterdeck::build(&opts, &|stage| marks.borrow_mut().push((stage, Instant::now())));
    let end = Instant::now();
    if let Err(e) = result {
        eprintln!("build failed: {e}");
        return 1;
    }
    let marks = marks.into_inner();
    for (i, (stage, at)) in marks.iter().enumerate() {
        let until = marks.get(i + 1).map_or(end, |m| m.1);
        println!("stage {} {:.6}", column(stage), (until - *at).as_secs_f64());
    }
    println!("wall {:.6}", (end - start).as_secs_f64());
    println!("peak_kib {}", vm_hwm_kib().unwrap_or(0));
    0
}

/// The peak resident set size of this process (VmHWM), in KiB.
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

type Row<'a> = (&'a str, generate::Preset, Option<Duration>, Result<Run, String>);

fn print_table(results: &[Row]) {
    print!("\n{:<18} {:>9} {:>9}", "preset", "PRs", "generate");
    for n in STAGES {
        print!(" {n:>8}");
    }
    println!(" {:>8} {:>9} {:>10}", "wall", "peak RSS", "site");
    let mut large_wall = None;
    for (name, preset, generated, run) in results {
        let gen = generated.map_or_else(|| "reused".to_string(), |d| secs(d.as_secs_f64()));
        print!("{name:<18} {:>9} {gen:>9}", thousands(preset.prs));
        match run {
            Ok(r) => {
                for n in STAGES {
                    let t = r.stages.iter().find(|s| s.0 == n).map_or(f64::NAN, |s| s.1);
                    print!(" {:>8}", secs(t));
                }
                let site = format!("{:.0} MB/{}", r.site_bytes as f64 / 1e6, r.site_files);
                println!(" {:>8} {:>9} {site:>10}", secs(r.wall), gib(r.peak_kib));
                if *name == "large" {
                    large_wall = Some(r.wall);
                }
            }
            Err(e) => println!("  FAILED: {e}"),
        }
    }
    println!();
    for (name, _, _, run) in results {
        let Ok(r) = run else { continue };
        let Some(&(_, wall, peak)) = TARGETS.iter().find(|t| t.0 == *name) else { continue };
        let wall = if wall.is_nan() { large_wall.map_or(f64::NAN, |w| 10.0 * w) } else { wall };
        let peak_gib = r.peak_kib as f64 / (1024.0 * 1024.0);
        let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
        let mut line = if wall.is_nan() {
            format!("{name}: wall {} (target: 10× large's, run large too)", secs(r.wall))
        } else {
            format!("{name}: wall {} (target ≤ {}) {}", secs(r.wall), secs(wall), verdict(r.wall <= wall))
        };
        if peak.is_finite() {
            line += &format!("; peak {} (target ≤ {peak} GiB) {}", gib(r.peak_kib), verdict(peak_gib <= peak));
        }
        println!("{line}");
    }
}

fn secs(s: f64) -> String {
    if s.is_nan() {
        "-".into()
    } else if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

fn gib(kib: u64) -> String {
    let mib = kib as f64 / 1024.0;
    if mib < 1024.0 {
        format!("{mib:.0} MiB")
    } else {
        format!("{:.2} GiB", mib / 1024.0)
    }
}

/// 600000 as 600,000.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
