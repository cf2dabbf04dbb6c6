//! quarterdeck turns OKR, check-in and engineering-signal exports into an
//! end-of-quarter review pack: a static site, a print document and data files.
//!
//! The pipeline runs one way: config → ingest → score → chart + notes → render → write.

pub mod chart;
pub mod check;
pub mod cli;
pub mod config;
pub mod error;
pub mod finding;
pub mod format;
pub mod generate;
pub mod ingest;
pub mod init;
pub mod model;
pub mod next;
pub mod notes;
pub mod outputs;
pub mod paths;
pub mod pdf;
pub mod render;
pub mod schema;
pub mod score;
pub mod summary;

use error::Result;
use model::Quarter;
use render::print::{Edition, Paper};
use std::fmt;
use std::path::{Path, PathBuf};

/// What `quarterdeck build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub data_dir: PathBuf,
    pub out: Option<PathBuf>,
    pub quarter: Option<Quarter>,
    /// Build the quarter as it stood on this date (SPEC §6, as of).
    pub as_of: Option<chrono::NaiveDate>,
    /// Who the pack is for: `Manager` adds the people pages.
    pub audience: Audience,
    /// The paper the print editions are fixed to; `None` (what `build`
    /// writes) leaves the size to the print dialog.
    pub paper: Option<Paper>,
    /// Make `brief.html` the brief of this one team (`pdf --team`), not of the organisation.
    pub brief_team: Option<String>,
    /// Make `brief.html` the brief of this one group of teams (`pdf --group`, SPEC §8).
    pub brief_group: Option<String>,
}

/// Who the pack is written for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Scores, signals and cohorts; no people pages, and no person named
    /// except as the owner of a key result.
    #[default]
    Leadership,
    /// Adds people/PERSON.html: context for a conversation, never a score.
    Manager,
}

impl BuildOptions {
    /// The output folder: `--out`, or `DATA_DIR/site`.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.data_dir.join("site"))
    }
}

/// A stage of the work, reported to the progress callback as it starts.
/// Displayed, it is the words shown on the terminal ("scoring").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The config and every input file, validated.
    ReadingInputs,
    /// Key results, objectives, teams, signals and findings.
    Scoring,
    /// Every chart, as SVG.
    DrawingCharts,
    /// Every page and the print editions, in memory.
    RenderingPages,
    /// The site folder, written and moved into place.
    WritingSite,
    /// `quarterdeck pdf` prints the built document with this browser.
    Printing { browser: PathBuf },
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::ReadingInputs => f.write_str("reading inputs"),
            Stage::Scoring => f.write_str("scoring"),
            Stage::DrawingCharts => f.write_str("drawing charts"),
            Stage::RenderingPages => f.write_str("rendering pages"),
            Stage::WritingSite => f.write_str("writing the site"),
            Stage::Printing { browser } => write!(f, "printing with {}", browser.display()),
        }
    }
}

/// What [`build`] wrote.
#[derive(Debug, Clone)]
pub struct Built {
    /// The site folder, with `index.html` at its top.
    pub site: PathBuf,
    /// The quarter the pack covers.
    pub quarter: Quarter,
    /// The print editions written into the site.
    pub editions: Vec<Edition>,
}

impl Built {
    /// Where `edition` was written, if this build wrote it.
    pub fn edition(&self, edition: Edition) -> Option<PathBuf> {
        self.editions.contains(&edition).then(|| self.site.join(edition.file()))
    }
}

/// Builds the review pack, reporting each [`Stage`] as it starts.
pub fn build(opts: &BuildOptions, progress: &dyn Fn(Stage)) -> Result<Built> {
    outputs::check_site_out(&opts.data_dir, &opts.out_dir())?;
    progress(Stage::ReadingInputs);
    let config = config::Config::load(&opts.data_dir)?;
    let mut ds = ingest::load_at(&opts.data_dir, &config, opts.quarter, opts.as_of)?;
    progress(Stage::Scoring);
    let scores = score::compute(&ds, &config)?;
    let summary = summary::Summary::new(&ds, &scores, &config);
    // The raw events are in the scores now; pages and charts never read them.
    ds.events = model::Events::default();
    progress(Stage::DrawingCharts);
    let charts = chart::pack::draw(&ds, &scores, &config)?;
    progress(Stage::RenderingPages);
    let overrides = opts.data_dir.join("templates");
    let tera = render::templates(&overrides)?;
    let css = render::source(&overrides, "style.css", stylesheet())?;
    let lookup = render::lookup::Lookup::new(&ds, &scores, &charts, &config, opts.audience);
    let pages = render::pages(&lookup, &summary, &tera, &css)?;
    let print = render::print::document(&pages, &lookup, &tera, &overrides, opts.paper)?;
    let scope = render::brief::Scope::of(opts.brief_team.as_deref(), opts.brief_group.as_deref());
    let brief = render::brief::render(&lookup, &tera, opts.paper, scope)?;
    progress(Stage::WritingSite);
    let writer = render::write::SiteWriter::new(&opts.out_dir())?;
    // The pages on one core, the print document (folded from them) on the other.
    let (written, printed) = rayon::join(
        || pages.iter().try_for_each(|(path, html)| writer.write(path, html.as_bytes())),
        || writer.write_with(Edition::Full.file(), |out| print.write_html(&pages, out)),
    );
    written?;
    printed?;
    writer.write(render::print::PRINT_CSS, print.css.as_bytes())?;
    writer.write(Edition::Brief.file(), brief.as_bytes())?;
    writer.write("data/summary.json", summary.to_json()?.as_bytes())?;
    writer.write("data/scores.csv", summary.to_scores_csv()?.as_bytes())?;
    let site = writer.finish()?;
    Ok(Built { site, quarter: ds.quarter, editions: vec![Edition::Brief, Edition::Full] })
}

fn stylesheet() -> &'static str {
    render::TEMPLATES.iter().find(|(n, _)| *n == "style.css").map_or("", |(_, s)| s)
}

/// Whether `path` looks like a data folder (has okrs.csv).
pub fn is_data_dir(path: &Path) -> bool {
    path.join(schema::OKRS.file).is_file()
}
