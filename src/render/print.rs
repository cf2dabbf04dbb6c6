//! The print document: every page of the pack in reading order in one HTML
//! file (`print.html`) with its print stylesheet (`print.css`), for the
//! browser's print dialog and for `quarterdeck pdf`.
//!
//! The document is assembled from the pages already rendered, so a new page
//! kind appears in it by one line in [`PARTS`]; no template has to change.

mod relink;

use super::lookup::Lookup;
use crate::error::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};

/// A part of the document: the site pages it collects, under one title.
pub struct PartSpec {
    /// The part's title in the contents.
    pub title: &'static str,
    /// A page path (`signals.html`), a folder of pages (`teams/`), or `*` for
    /// every page no other part takes.
    pub pages: &'static str,
}

/// The parts in reading order. A part whose pages do not exist (no
/// `cohorts.html` without people.csv, say) is left out.
///
/// Hook for new page kinds: add a line here. A folder part (`teams/`) gets a
/// part heading and each of its pages starts a new sheet; a single page's own
/// heading is its part heading.
pub const PARTS: &[PartSpec] = &[
    PartSpec { title: "Summary", pages: "index.html" },
    PartSpec { title: "Findings", pages: "findings.html" },
    PartSpec { title: "Alignment", pages: "alignment.html" },
    PartSpec { title: "Teams", pages: "teams/" },
    PartSpec { title: "Key results", pages: "krs/" },
    PartSpec { title: "Signals", pages: "signals.html" },
    PartSpec { title: "Signals by team", pages: "signals/" },
    PartSpec { title: "Cohorts", pages: "cohorts.html" },
    PartSpec { title: "Health", pages: "health.html" },
    PartSpec { title: "Hygiene", pages: "hygiene.html" },
    PartSpec { title: "More pages", pages: "*" },
    PartSpec { title: "Methodology", pages: "methodology.html" },
];

/// The file names this module writes.
pub const PRINT_HTML: &str = "print.html";
pub const PRINT_CSS: &str = "print.css";

/// A print edition of the pack: one HTML file in the site, for the
/// browser's print dialog and `quarterdeck pdf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Edition {
    /// The leadership edition: cover, summary, a page per team, the method: `brief.html`.
    Brief,
    /// Every page of the pack in reading order: `print.html`.
    Full,
}

impl Edition {
    /// The edition's file name in the site.
    pub fn file(self) -> &'static str {
        match self {
            Edition::Brief => super::brief::BRIEF_HTML,
            Edition::Full => PRINT_HTML,
        }
    }

    /// The edition's name, as `--edition` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Edition::Brief => "brief",
            Edition::Full => "full",
        }
    }
}

/// The paper a print document is fixed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Paper {
    /// 210 × 297 mm.
    A4,
    /// 8.5 × 11 in.
    Letter,
    /// 16:9 landscape pages (10 × 5.625 in) for a projector.
    Slides,
}

impl Paper {
    /// The CSS `@page` size.
    pub fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
            Paper::Slides => "10in 5.625in",
        }
    }
}

/// One part as the template sees it.
#[derive(Debug, Serialize)]
struct PartView {
    id: String,
    title: &'static str,
    /// A folder part, with its own heading over several pages.
    multi: bool,
    sections: Vec<SectionView>,
}

/// One page of the site, folded into the document.
#[derive(Debug, Serialize)]
struct SectionView {
    id: String,
    /// Escaped text of the page's heading.
    title: String,
    title_id: String,
    body: String,
}

/// What the cover says about the build.
#[derive(Serialize)]
pub struct Cover<'a> {
    org: &'a str,
    quarter: String,
    start: String,
    end: String,
    inputs: &'a [crate::model::InputFile],
    version: &'static str,
    /// The running header as a CSS string.
    running_header: String,
    /// The date the pack stands on, before the quarter's end (SPEC §6).
    as_of: Option<super::time::AsOfView>,
}

/// The print document, ready to be written: `print.css`, and `print.html`
/// as the rendered template with a slot where each section's body goes.
/// Bodies are folded from the site's pages while writing, so the document
/// (as large as the rest of the site together) is never held in memory.
pub struct Document {
    pub css: String,
    skeleton: String,
    /// The marker that stands for a section's body in the skeleton.
    slot: String,
    /// Per slot, in order: the page it shows and how; empty when the
    /// skeleton holds every body already.
    slots: Vec<Slot>,
    anchors: BTreeMap<String, String>,
}

struct Slot {
    page: usize,
    demote: u8,
}

/// Where a section's body goes: the first of `\u{1}quarterdeck-section-N\u{1}`
/// that occurs in no page of the site and not in the organisation's name, so
/// no input text can pose as one (the skeleton is checked again after
/// rendering; see [`document`]).
fn slot_marker(site: &[(String, String)], org: &str) -> String {
    (0u64..)
        .map(|n| format!("\u{1}quarterdeck-section-{n}\u{1}"))
        .find(|m| !org.contains(m.as_str()) && !site.iter().any(|(_, page)| page.contains(m.as_str())))
        .unwrap_or_default()
}

/// Prepares `print.html` and `print.css` from the site's other pages. With a
/// `paper`, the document fixes its sheet size (`@page { size }`); without, it
/// leaves the size to the print dialog.
pub fn document(
    site: &[(String, String)],
    views: &Lookup,
    tera: &Tera,
    override_dir: &Path,
    paper: Option<Paper>,
) -> Result<Document> {
    let css = super::source(override_dir, PRINT_CSS, embedded(PRINT_CSS))?;
    let anchors = anchors(site);
    let slot = slot_marker(site, &views.config.org);
    let (mut parts, slots) = assemble(site, &anchors, Some(&slot));
    let cover = cover_info(views);
    let skeleton = render(tera, &cover, &parts, paper)?;
    if skeleton.matches(slot.as_str()).count() == slots.len() {
        return Ok(Document { css, skeleton, slot, slots, anchors });
    }
    // An overridden print.html that shows a body twice or not at all: render
    // it with the bodies in place, and write it whole.
    (parts, _) = assemble(site, &anchors, None);
    Ok(Document { css, skeleton: render(tera, &cover, &parts, paper)?, slot, slots: Vec::new(), anchors })
}

/// The organisation, the quarter and the files the pack was built from,
/// for a print edition's cover and last page.
pub fn cover_info<'a>(ix: &'a Lookup) -> Cover<'a> {
    let ds = ix.ds;
    let as_of = super::time::as_of(ix);
    let stands = as_of.as_ref().map_or_else(String::new, |a| format!(" · as of {}", a.date));
    Cover {
        org: &ix.config.org,
        quarter: ds.quarter.to_string(),
        start: ds.quarter.start().to_string(),
        end: ds.quarter.end().to_string(),
        inputs: &ds.inputs,
        version: env!("CARGO_PKG_VERSION"),
        running_header: css_string(&format!("{} · {} review{stands}", ix.config.org, ds.quarter)),
        as_of,
    }
}

/// Renders the `print.html` template around `parts`.
fn render(tera: &Tera, cover: &Cover, parts: &[PartView], paper: Option<Paper>) -> Result<String> {
    let mut ctx = Context::new();
    ctx.insert("site", cover);
    ctx.insert("root", "");
    ctx.insert("page", PRINT_HTML);
    ctx.insert("page_title", "Print");
    ctx.insert("parts", parts);
    ctx.insert("running_header", &cover.running_header);
    ctx.insert("paper", &paper.map(Paper::css));
    tera.render(PRINT_HTML, &ctx).map_err(|e| super::template_error(PRINT_HTML, e))
}

impl Document {
    /// Writes `print.html`, folding each section's page into its slot. Each
    /// page is folded a second time here (the first gave the contents its
    /// title): the price of never holding every body at once.
    pub fn write_html(&self, site: &[(String, String)], out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if self.slots.is_empty() {
            return out.write_all(self.skeleton.as_bytes());
        }
        let mut pieces = self.skeleton.split(self.slot.as_str());
        out.write_all(pieces.next().unwrap_or("").as_bytes())?;
        for (slot, piece) in self.slots.iter().zip(pieces) {
            let (path, page) = &site[slot.page];
            let fold = relink::Fold { path, anchor: &self.anchors[path], anchors: &self.anchors, demote: slot.demote };
            out.write_all(relink::fold(relink::main_content(page), &fold).body.as_bytes())?;
            out.write_all(piece.as_bytes())?;
        }
        Ok(())
    }
}

fn embedded(name: &str) -> &'static str {
    super::TEMPLATES.iter().find(|(n, _)| *n == name).map_or("", |(_, s)| s)
}

/// Site path → section anchor for every HTML page the document shows.
fn anchors(site: &[(String, String)]) -> BTreeMap<String, String> {
    // People pages are context for one conversation each: never bundled into
    // the organisation's document (each prints well on its own).
    let personal = |path: &str| path == "people.html" || path.starts_with("people/");
    site.iter()
        .filter(|(path, _)| path.ends_with(".html") && path != PRINT_HTML && !personal(path))
        .map(|(path, _)| (path.clone(), anchor(path)))
        .collect()
}

/// The site's HTML pages sorted into [`PARTS`], each folded into the
/// document (on every core); with `bodies` false a section's body is a
/// `slot` marker and the slots say which page fills each; without one the
/// bodies are in place.
fn assemble(
    site: &[(String, String)],
    anchors: &BTreeMap<String, String>,
    slot: Option<&str>,
) -> (Vec<PartView>, Vec<Slot>) {
    use rayon::prelude::*;
    let part_of = |path: &str| {
        PARTS
            .iter()
            .position(|p| p.pages == path || (p.pages.ends_with('/') && path.starts_with(p.pages)))
            .or_else(|| PARTS.iter().position(|p| p.pages == "*"))
    };
    let mut parts = Vec::new();
    let mut slots = Vec::new();
    for (i, spec) in PARTS.iter().enumerate() {
        let multi = spec.pages.ends_with('/') || spec.pages == "*";
        let demote = if multi { 2 } else { 1 };
        let pages: Vec<usize> =
            (0..site.len()).filter(|&n| anchors.contains_key(&site[n].0) && part_of(&site[n].0) == Some(i)).collect();
        let sections: Vec<SectionView> = pages
            .par_iter()
            .map(|&n| {
                let (path, page) = &site[n];
                let anchor = &anchors[path];
                let fold = relink::Fold { path, anchor, anchors, demote };
                let f = relink::fold(relink::main_content(page), &fold);
                let body = slot.map_or(f.body, str::to_string);
                SectionView { id: anchor.clone(), title: f.title, title_id: f.title_id, body }
            })
            .collect();
        slots.extend(pages.iter().map(|&page| Slot { page, demote }));
        if !sections.is_empty() {
            let id = format!("part-{}", spec.title.to_ascii_lowercase().replace(' ', "-"));
            parts.push(PartView { id, title: spec.title, multi, sections });
        }
    }
    (parts, slots)
}

/// The document anchor of a site page: `teams/payments.html` → `p-teams-payments`.
fn anchor(path: &str) -> String {
    let stem = path.strip_suffix(".html").unwrap_or(path).trim_end_matches('/');
    let slug: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    format!("p-{slug}")
}

/// A CSS string literal holding `s`, safe inside a `<style>` element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // `<` as an escape so the text can never close the style element
            '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, body: &str) -> (String, String) {
        (path.to_string(), format!("<html><body><main id=\"main\">{body}</main></body></html>"))
    }

    #[test]
    fn sorts_pages_into_parts_in_reading_order() {
        let site = vec![
            ("style.css".to_string(), "x".to_string()),
            page("index.html", "<h1>Overview</h1><a href=\"krs/k.html\">k</a>"),
            page("methodology.html", "<h1>Method</h1>"),
            page("teams/t.html", "<h1>t</h1><a href=\"../index.html\">o</a>"),
            page("krs/k.html", "<h1>K</h1>"),
            page("hygiene.html", "<h1>Hygiene</h1>"),
            page("extra.html", "<h1>Extra</h1>"),
        ];
        let parts = assemble(&site, &anchors(&site), None).0;
        let titles: Vec<&str> = parts.iter().map(|p| p.title).collect();
        assert_eq!(titles, ["Summary", "Teams", "Key results", "Hygiene", "More pages", "Methodology"]);
        assert_eq!(parts[0].sections[0].id, "p-index");
        assert_eq!(
            parts[0].sections[0].body,
            "<h2 class=\"page-title\" id=\"p-index--title\">Overview</h2><a href=\"#p-krs-k\">k</a>"
        );
        assert_eq!(
            parts[1].sections[0].body,
            "<h3 class=\"page-title\" id=\"p-teams-t--title\">t</h3><a href=\"#p-index\">o</a>"
        );
        assert!(parts[1].multi && !parts[0].multi);
        assert_eq!(parts[2].id, "part-key-results");
    }

    fn skeleton(paper: Option<Paper>) -> String {
        let tera = super::super::templates(Path::new("/no/overrides")).unwrap();
        let cover = Cover {
            org: "Org",
            quarter: "2026-Q3".into(),
            start: "2026-07-01".into(),
            end: "2026-09-30".into(),
            inputs: &[],
            version: "0",
            running_header: css_string("Org · 2026-Q3 review"),
            as_of: None,
        };
        render(&tera, &cover, &[], paper).unwrap()
    }

    #[test]
    fn the_paper_size_is_rendered_into_the_head() {
        let html = skeleton(Some(Paper::Letter));
        assert!(html.contains("<style>@page { size: letter; }</style>\n</head>"), "{html}");
        assert_eq!(html.matches("@page { size:").count(), 1);
        assert!(skeleton(Some(Paper::A4)).contains("<style>@page { size: A4; }</style>\n</head>"));
    }

    #[test]
    fn without_a_paper_the_print_dialog_chooses_the_size() {
        let html = skeleton(None);
        assert!(!html.contains("size:"), "{html}");
        assert!(html.contains("@page :first { @top-left { content: none; } }</style>\n</head>"), "{html}");
    }

    #[test]
    fn escapes_the_running_header_for_css() {
        assert_eq!(css_string("A \"B\" \\ </style>"), "\"A \\\"B\\\" \\\\ \\3c /style\\3e \"");
    }
}
