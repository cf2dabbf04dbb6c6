//! The print document: every page of the pack in reading order in one HTML
//! file (`print.html`) with its print stylesheet (`print.css`), for the
//! browser's print dialog and for `quarterdeck pdf`.
//!
//! The document is assembled from the pages already rendered, so a new page
//! kind appears in it by one line in [`PARTS`]; no template has to change.

mod relink;

use super::view::Views;
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
    PartSpec { title: "Teams", pages: "teams/" },
    PartSpec { title: "Key results", pages: "krs/" },
    PartSpec { title: "Signals", pages: "signals.html" },
    PartSpec { title: "Cohorts", pages: "cohorts.html" },
    PartSpec { title: "Health", pages: "health.html" },
    PartSpec { title: "Hygiene", pages: "hygiene.html" },
    PartSpec { title: "People", pages: "people/" },
    PartSpec { title: "More pages", pages: "*" },
    PartSpec { title: "Methodology", pages: "methodology.html" },
];

/// The file names this module writes.
pub const PRINT_HTML: &str = "print.html";
const PRINT_CSS: &str = "print.css";

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
struct Cover<'a> {
    org: &'a str,
    quarter: String,
    start: String,
    end: String,
    inputs: &'a [crate::model::InputFile],
    version: &'static str,
}

/// Renders `print.html` and `print.css` from the site's other pages.
pub fn pages(
    site: &[(String, String)],
    views: &Views,
    tera: &Tera,
    override_dir: &Path,
) -> Result<Vec<(String, String)>> {
    let css = super::source(override_dir, PRINT_CSS, embedded(PRINT_CSS))?;
    let parts = assemble(site);
    let ds = views.ds;
    let cover = Cover {
        org: &views.config.org,
        quarter: ds.quarter.to_string(),
        start: ds.quarter.start().to_string(),
        end: ds.quarter.end().to_string(),
        inputs: &ds.inputs,
        version: env!("CARGO_PKG_VERSION"),
    };
    let mut ctx = Context::new();
    ctx.insert("site", &cover);
    ctx.insert("root", "");
    ctx.insert("page", PRINT_HTML);
    ctx.insert("page_title", "Print");
    ctx.insert("parts", &parts);
    ctx.insert("running_header", &css_string(&format!("{} · {} review", cover.org, cover.quarter)));
    let html = tera.render(PRINT_HTML, &ctx).map_err(|e| super::template_error(PRINT_HTML, &e))?;
    Ok(vec![(PRINT_CSS.to_string(), css), (PRINT_HTML.to_string(), html)])
}

fn embedded(name: &str) -> &'static str {
    super::TEMPLATES.iter().find(|(n, _)| *n == name).map_or("", |(_, s)| s)
}

/// The site's HTML pages sorted into [`PARTS`], each folded into the document.
fn assemble(site: &[(String, String)]) -> Vec<PartView> {
    let html: Vec<&(String, String)> =
        site.iter().filter(|(path, _)| path.ends_with(".html") && path != PRINT_HTML).collect();
    let part_of = |path: &str| {
        PARTS
            .iter()
            .position(|p| p.pages == path || (p.pages.ends_with('/') && path.starts_with(p.pages)))
            .or_else(|| PARTS.iter().position(|p| p.pages == "*"))
    };
    let anchors: BTreeMap<String, String> = html.iter().map(|(path, _)| (path.clone(), anchor(path))).collect();
    let mut parts = Vec::new();
    for (i, spec) in PARTS.iter().enumerate() {
        let multi = spec.pages.ends_with('/') || spec.pages == "*";
        let sections: Vec<SectionView> = html
            .iter()
            .filter(|(path, _)| part_of(path) == Some(i))
            .map(|(path, page)| {
                let anchor = &anchors[path];
                let fold = relink::Fold { path, anchor, anchors: &anchors, demote: if multi { 2 } else { 1 } };
                let f = relink::fold(relink::main_content(page), &fold);
                SectionView { id: anchor.clone(), title: f.title, title_id: f.title_id, body: f.body }
            })
            .collect();
        if !sections.is_empty() {
            let id = format!("part-{}", spec.title.to_ascii_lowercase().replace(' ', "-"));
            parts.push(PartView { id, title: spec.title, multi, sections });
        }
    }
    parts
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
        let parts = assemble(&site);
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

    #[test]
    fn escapes_the_running_header_for_css() {
        assert_eq!(css_string("A \"B\" \\ </style>"), "\"A \\\"B\\\" \\\\ \\3c /style\\3e \"");
    }
}
