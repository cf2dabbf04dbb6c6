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
pub mod notes;
pub mod paths;
pub mod pdf;
pub mod render;
pub mod schema;
pub mod score;
pub mod summary;

use error::Result;
use model::Quarter;
use std::path::{Path, PathBuf};

/// What `quarterdeck build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub data_dir: PathBuf,
    pub out: Option<PathBuf>,
    pub quarter: Option<Quarter>,
    /// Who the pack is for: `Manager` adds the people pages.
    pub audience: Audience,
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

/// Builds the review pack and returns the folder it was written to.
pub fn build(opts: &BuildOptions, progress: &dyn Fn(&str)) -> Result<PathBuf> {
    progress("reading inputs");
    let config = config::Config::load(&opts.data_dir)?;
    let mut ds = ingest::load(&opts.data_dir, &config, opts.quarter)?;
    progress("scoring");
    let scores = score::compute(&ds, &config)?;
    let summary = summary::Summary::new(&ds, &scores, &config);
    // The raw events are in the scores now; pages and charts never read them.
    ds.events = model::Events::default();
    progress("drawing charts");
    let charts = chart::pack::draw(&ds, &scores, &config)?;
    progress("rendering pages");
    let overrides = opts.data_dir.join("templates");
    let tera = render::templates(&overrides)?;
    let css = render::source(&overrides, "style.css", stylesheet())?;
    let lookup = render::lookup::Lookup::new(&ds, &scores, &charts, &config, opts.audience);
    let pages = render::pages(&lookup, &summary, &tera, &css)?;
    let print = render::print::document(&pages, &lookup, &tera, &overrides)?;
    progress("writing the site");
    let writer = render::write::SiteWriter::new(&opts.out_dir())?;
    // The pages on one core, the print document (folded from them) on the other.
    let (written, printed) = rayon::join(
        || pages.iter().try_for_each(|(path, html)| writer.write(path, html.as_bytes())),
        || writer.write_with(render::print::PRINT_HTML, |out| print.write_html(&pages, out)),
    );
    written?;
    printed?;
    writer.write(render::print::PRINT_CSS, print.css.as_bytes())?;
    writer.write("data/summary.json", summary.to_json()?.as_bytes())?;
    writer.write("data/scores.csv", summary.to_scores_csv()?.as_bytes())?;
    writer.finish()
}

fn stylesheet() -> &'static str {
    render::TEMPLATES.iter().find(|(n, _)| *n == "style.css").map_or("", |(_, s)| s)
}

/// Whether `path` looks like a data folder (has okrs.csv).
pub fn is_data_dir(path: &Path) -> bool {
    path.join(schema::OKRS.file).is_file()
}
