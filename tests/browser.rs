//! The sample pack as people meet it. Without a browser: every internal link
//! and anchor resolves, ids are unique, headings go in order, tables have
//! headers and charts a title and description. In headless Chromium (from
//! `file://`): no console error, no network request, text contrast of at
//! least 4.5:1 in light and dark mode, no sideways scrolling from a phone to a
//! wide monitor, screenshots; and the PDF: its pages, a new sheet for every
//! team and key result, no blank page.
//!
//! Chromium and poppler-utils come from `.ci/run`; where they are missing the
//! browser tests say so and pass, except under CI (the `CI` environment
//! variable, which `.ci/run` sets), where they fail.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The sample pack, built once for every test here.
fn pack() -> &'static Path {
    static PACK: OnceLock<PathBuf> = OnceLock::new();
    PACK.get_or_init(|| build(quarterdeck::Audience::Leadership, "site"))
}

/// The sample pack for managers: the leadership pack and the people pages.
fn manager_pack() -> &'static Path {
    static PACK: OnceLock<PathBuf> = OnceLock::new();
    PACK.get_or_init(|| build(quarterdeck::Audience::Manager, "manager-site"))
}

fn build(audience: quarterdeck::Audience, name: &str) -> PathBuf {
    let opts = quarterdeck::BuildOptions {
        data_dir: common::root().join("sample-data"),
        out: Some(Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser").join(name)),
        quarter: None,
        as_of: None,
        audience,
        paper: None,
        brief_team: None,
        brief_group: None,
    };
    quarterdeck::build(&opts, &|_| {}).unwrap().site
}

/// Where screenshots go: target/tmp/browser, and book/src/images when
/// `QUARTERDECK_BOOK_IMAGES` is set (how the book's pictures are made).
fn save_picture(name: &str, png: &[u8]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
    if std::env::var_os("QUARTERDECK_BOOK_IMAGES").is_some() {
        std::fs::write(common::root().join("book/src/images").join(name), png).unwrap();
    }
}

/// The local Chromium, or `None` with a note why the test does not run.
fn chromium(test: &str) -> Option<PathBuf> {
    match quarterdeck::pdf::find_browser(None) {
        Ok(b) => Some(b),
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED {test}: no Chromium here ({e}); .ci/run installs it");
            None
        }
        Err(e) => panic!("{test}: CI must have Chromium (.ci/run installs it): {e}"),
    }
}

/// The poppler-utils programs the PDF checks run.
const POPPLER: [&str; 3] = ["pdfinfo", "pdftotext", "pdftoppm"];

fn has_tool(name: &str) -> bool {
    Command::new(name).arg("-v").output().is_ok()
}

/// Every HTML file of a pack, relative path → text.
fn html_files(pack: &Path) -> BTreeMap<String, String> {
    common::tree(pack)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p.replace('\\', "/"), String::from_utf8(bytes).unwrap()))
        .collect()
}

/// One start tag: its name, its attributes and where it starts.
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    at: usize,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// The start tags of `html` (end tags and comments left out).
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|x| x + i) {
        let rest = &html[lt + 1..];
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, c)| match quote {
                Some(q) => {
                    if c == q {
                        quote = None
                    }
                    false
                }
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    false
                }
                None => c == '>',
            })
            .map_or(rest.len(), |(e, _)| e);
        i = lt + 1 + end;
        let body = &rest[..end];
        if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_end = body.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(body.len());
        let mut attrs = Vec::new();
        let mut s = &body[name_end..];
        while let Some(eq) = s.find("=\"") {
            let name = s[..eq].trim().rsplit(char::is_whitespace).next().unwrap_or("").to_string();
            let close = s[eq + 2..].find('"').map_or(s.len(), |c| eq + 2 + c);
            attrs.push((name, unescape(&s[eq + 2..close.min(s.len())])));
            s = s.get(close + 1..).unwrap_or("");
        }
        out.push(Tag { name: body[..name_end].to_ascii_lowercase(), attrs, at: lt });
    }
    out
}

/// An attribute value with its character references decoded (Tera writes `/` as `&#x2F;`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i < 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e => e
                .strip_prefix("#x")
                .or_else(|| e.strip_prefix("#X"))
                .map(|h| u32::from_str_radix(h, 16).ok())
                .unwrap_or_else(|| e.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn ids(html: &str) -> Vec<String> {
    tags(html).into_iter().filter_map(|t| t.attr("id").map(str::to_string)).collect()
}

/// `dir` + `rel` with `..` resolved, relative to the pack's root.
fn resolve(page: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => assert!(parts.pop().is_some(), "{page}: link {rel} climbs out of the pack"),
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    check_links(pack());
    check_links(manager_pack());
}

fn check_links(pack: &Path) {
    let files = html_files(pack);
    let ids: BTreeMap<&str, BTreeSet<String>> =
        files.iter().map(|(p, html)| (p.as_str(), ids(html).into_iter().collect())).collect();
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, html) in &files {
        for tag in tags(html) {
            for link in ["href", "src"].iter().filter_map(|a| tag.attr(a)) {
                if link.contains(':') || link.starts_with("//") {
                    continue; // https:, mailto: … leave the pack
                }
                checked += 1;
                let (path, frag) = link.split_once('#').map_or((link, None), |(p, f)| (p, Some(f)));
                let target = if path.is_empty() { page.clone() } else { resolve(page, path) };
                if !pack.join(&target).is_file() {
                    broken.push(format!("{page}: {link} → no file {target}"));
                } else if let Some(frag) = frag {
                    if !ids.get(target.as_str()).is_some_and(|s| s.contains(frag)) {
                        broken.push(format!("{page}: {link} → no id {frag:?} in {target}"));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "{} broken links in {}:\n{}", broken.len(), pack.display(), broken.join("\n"));
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn pages_are_accessible_in_their_markup() {
    check_markup(pack());
    check_markup(manager_pack());
}

fn check_markup(pack: &Path) {
    let mut problems = Vec::new();
    for (page, html) in html_files(pack) {
        let tags = tags(&html);
        let mut seen = BTreeSet::new();
        for id in ids(&html) {
            if !seen.insert(id.clone()) {
                problems.push(format!("{page}: id {id:?} twice"));
            }
        }
        for t in &tags {
            for r in t.attr("aria-labelledby").into_iter().flat_map(str::split_whitespace) {
                if !seen.contains(r) {
                    problems.push(format!("{page}: aria-labelledby {r:?} names no element"));
                }
            }
        }
        let levels: Vec<u8> =
            tags.iter().filter_map(|t| t.name.strip_prefix('h')?.parse::<u8>().ok()).filter(|l| *l <= 6).collect();
        if levels.iter().filter(|&&l| l == 1).count() != 1 || levels.first() != Some(&1) {
            problems.push(format!("{page}: should open with its one h1, has levels {levels:?}"));
        }
        for w in levels.windows(2) {
            if w[1] > w[0] + 1 {
                problems.push(format!("{page}: heading h{} follows h{}", w[1], w[0]));
            }
        }
        for landmark in ["header", "main", "footer"] {
            if !tags.iter().any(|t| t.name == landmark) {
                problems.push(format!("{page}: no <{landmark}>"));
            }
        }
        if !html.contains("<html lang=\"en\">") {
            problems.push(format!("{page}: no lang on <html>"));
        }
        for (i, t) in tags.iter().enumerate().filter(|(_, t)| t.name == "table") {
            let end = html[t.at..].find("</table>").map_or(html.len(), |e| t.at + e);
            if !tags[i..].iter().take_while(|x| x.at < end).any(|x| x.name == "th") {
                problems.push(format!("{page}: a table without header cells at byte {}", t.at));
            }
        }
        for t in tags.iter().filter(|t| t.name == "svg" && t.attr("class") == Some("chart")) {
            let refs: Vec<&str> = t.attr("aria-labelledby").unwrap_or("").split_whitespace().collect();
            if t.attr("role") != Some("img") || refs.len() != 2 {
                problems.push(format!("{page}: a chart without role=img, title and description at byte {}", t.at));
            }
        }
        for t in tags.iter().filter(|t| t.name == "img" && t.attr("alt").is_none()) {
            problems.push(format!("{page}: an image without alt text at byte {}", t.at));
        }
    }
    assert!(problems.is_empty(), "in {}:\n{}", pack.display(), problems.join("\n"));
}

/// Text whose contrast with its background is under 4.5:1 (3:1 for large
/// text), blending translucent colours and opacity. A chart's text counts
/// too, in its fill, against the last filled shape drawn under its middle
/// (a heat-map cell, a marker) or else the page behind the chart: charts
/// follow the theme, so they are checked in it like the rest of the page.
const CONTRAST_JS: &str = r#"(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const blend = (f, b) => [0, 1, 2].map(i => f[i] * f[3] + b[i] * (1 - f[3])).concat([1]);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255, 1]; for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg); return bg; };
  const bad = new Set();
  const ratioOf = (fg, bg) => { const l1 = lum(fg), l2 = lum(bg); return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05); };
  const under = (text) => { const svg = text.ownerSVGElement, t = text.getBBox(), x = t.x + t.width / 2, y = t.y + t.height / 2;
    let bg = background(svg);
    for (const shape of svg.querySelectorAll('rect, circle, polygon, path')) {
      if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      const b = shape.getBBox(), cs = getComputedStyle(shape), f = parse(cs.fill);
      if (!f || cs.fill === 'none' || x < b.x || x > b.x + b.width || y < b.y || y > b.y + b.height) continue;
      bg = blend([f[0], f[1], f[2], f[3] * parseFloat(cs.fillOpacity) * parseFloat(cs.opacity)], bg);
    }
    return bg; };
  for (const text of document.querySelectorAll('svg.chart text')) {
    if (!text.textContent.trim() || !text.getClientRects().length) continue;
    const cs = getComputedStyle(text), f = parse(cs.fill); if (!f) continue;
    const bg = under(text), fg = blend([f[0], f[1], f[2], f[3] * parseFloat(cs.fillOpacity) * parseFloat(cs.opacity)], bg);
    const r = ratioOf(fg, bg);
    if (r < 4.5 - 0.005) bad.add(r.toFixed(2) + ':1 chart text "' + text.textContent.trim().slice(0, 30) + '" in ' + text.ownerSVGElement.querySelector('title').textContent.slice(0, 40));
  }
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || el.closest('svg, .visually-hidden, .skip') || !el.getClientRects().length) continue;
    const cs = getComputedStyle(el); if (cs.visibility === 'hidden') continue;
    let opacity = 1; for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    const bg = background(el), c = parse(cs.color), fg = blend([c[0], c[1], c[2], c[3] * opacity], bg);
    const l1 = lum(fg), l2 = lum(bg), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(cs.fontSize), large = size >= 24 || (parseInt(cs.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5) - 0.005)
      bad.add(ratio.toFixed(2) + ':1 ' + el.tagName.toLowerCase() + '.' + el.className + ' "' + node.textContent.trim().slice(0, 30) + '"');
  }
  return [...bad].slice(0, 8);
})()"#;

/// Empty when the page fits the viewport's width, else by how much it does
/// not and the outermost element that sticks out.
const OVERFLOW_JS: &str = r#"(() => {
  const w = window.innerWidth, over = document.documentElement.scrollWidth - w;
  if (over <= 1) return '';
  const out = [...document.body.querySelectorAll('*')].find(el => el.getBoundingClientRect().right > w + 1
    && el.parentElement.getBoundingClientRect().right <= w + 1);
  return over + 'px, ' + (out ? out.tagName.toLowerCase() + '.' + out.className + ' "' + out.textContent.trim().slice(0, 30) + '"' : '?');
})()"#;

/// Text squeezed into a box narrower than four characters of its own font
/// (a value stacked a letter a line): a text of four characters or more that
/// breaks over lines inside the nearest box that is not inline, when that
/// box is narrower than "0000". A short word in a box just its width is fine.
const NARROW_JS: &str = r#"(() => {
  const ctx = document.createElement('canvas').getContext('2d'), bad = new Set();
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const node = walk.currentNode, text = node.textContent.trim();
    let el = node.parentElement;
    if (text.length < 4 || el.closest('svg, .visually-hidden, .skip') || !el.getClientRects().length) continue;
    while (el.parentElement && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
    const cs = getComputedStyle(el);
    ctx.font = cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
    const inner = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const range = document.createRange(); range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    if (lines > 1 && inner + 0.5 < ctx.measureText('0000').width)
      bad.add(el.tagName.toLowerCase() + '.' + el.className + ' ' + inner.toFixed(0) + 'px "' + text.slice(0, 30) + '"');
  }
  return [...bad].slice(0, 8);
})()"#;

/// Chart text outside its SVG's viewBox (a clipped legend or label), in the
/// SVG's own units, with half a unit to spare.
const VIEWBOX_JS: &str = r#"(() => {
  const bad = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const v = svg.viewBox.baseVal;
    for (const text of svg.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const b = text.getBBox();
      if (b.x < v.x - 0.5 || b.y < v.y - 0.5 || b.x + b.width > v.x + v.width + 0.5 || b.y + b.height > v.y + v.height + 0.5)
        bad.push('"' + text.textContent.trim().slice(0, 30) + '" at ' + [b.x, b.y, b.x + b.width, b.y + b.height].map(n => n.toFixed(0)).join(',')
          + ' outside 0,0,' + v.width + ',' + v.height + ' of ' + svg.querySelector('title').textContent.slice(0, 40));
    }
  }
  return bad.slice(0, 8);
})()"#;

/// Charts on a light panel in dark mode: a light background behind the SVG,
/// or a light shape covering a quarter of it or more.
const WHITE_PANEL_JS: &str = r#"(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const light = c => c && c[3] > 0.5 && (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255 > 0.6;
  const bad = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const name = svg.querySelector('title').textContent.slice(0, 40), v = svg.viewBox.baseVal;
    for (let e = svg; e && e !== document.body; e = e.parentElement)
      if (light(parse(getComputedStyle(e).backgroundColor))) { bad.push(name + ': light background on ' + e.tagName.toLowerCase()); break; }
    for (const shape of svg.querySelectorAll('rect, polygon, path, circle')) {
      const b = shape.getBBox(), cs = getComputedStyle(shape), f = parse(cs.fill);
      if (b.width * b.height >= v.width * v.height / 4 && cs.fill !== 'none' && parseFloat(cs.fillOpacity) > 0.5 && light(f))
        bad.push(name + ': a light ' + shape.tagName + ' over a quarter of it');
    }
  }
  return bad.slice(0, 8);
})()"#;

/// Console errors, uncaught exceptions, failed loads and any request that is not a local file.
fn page_problems(events: &[serde_json::Value]) -> Vec<String> {
    let mut out = Vec::new();
    for e in events {
        let p = &e["params"];
        match e["method"].as_str().unwrap_or("") {
            "Runtime.consoleAPICalled" if p["type"] == "error" || p["type"] == "assert" => {
                out.push(format!("console.{}: {}", p["type"], p["args"]))
            }
            "Runtime.exceptionThrown" => out.push(format!("exception: {}", p["exceptionDetails"])),
            "Log.entryAdded" if p["entry"]["level"] == "error" => out.push(format!("error: {}", p["entry"]["text"])),
            "Network.loadingFailed" => out.push(format!("failed load: {}", p["errorText"])),
            "Network.requestWillBeSent" => {
                let url = p["request"]["url"].as_str().unwrap_or("");
                if !(url.starts_with("file:") || url.starts_with("data:") || url.starts_with("about:")) {
                    out.push(format!("network request: {url}"));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_page_loads_clean_in_chromium() {
    let Some(exe) = chromium("every_page_loads_clean_in_chromium") else { return };
    let mut browser = cdp::Browser::launch(&exe);
    let mut problems = Vec::new();
    // every page of the leadership pack, and the people pages of the manager's
    let people = html_files(manager_pack()).into_keys().filter(|p| p.starts_with("people/"));
    let pages: Vec<(PathBuf, String)> = html_files(pack())
        .into_keys()
        .map(|p| (pack().join(&p), p))
        .chain(people.map(|p| (manager_pack().join(&p), p)))
        .collect();
    assert!(pages.iter().any(|(_, p)| p.starts_with("people/")), "no people pages in the manager pack");
    for (path, page) in &pages {
        let url = quarterdeck::pdf::file_url(path).unwrap();
        browser.emulate(1280, 900, false, "light");
        browser.take_events();
        browser.navigate(&url);
        problems.extend(page_problems(&browser.take_events()).into_iter().map(|p| format!("{page}: {p}")));
        for (width, mobile, scheme) in [(1280, false, "light"), (1280, false, "dark"), (375, true, "light")] {
            browser.emulate(width, 800, mobile, scheme);
            for low in browser.eval(CONTRAST_JS).as_array().unwrap() {
                problems.push(format!("{page} ({scheme}): contrast {}", low.as_str().unwrap_or("")));
            }
        }
        for (width, mobile) in [(375, true), (768, false), (1920, false)] {
            browser.emulate(width, 800, mobile, "light");
            let over = browser.eval(OVERFLOW_JS);
            if over != "" {
                problems.push(format!("{page}: wider than a {width}px screen by {}", over.as_str().unwrap_or("")));
            }
        }
        for outside in browser.eval(VIEWBOX_JS).as_array().unwrap() {
            problems.push(format!("{page}: chart text outside its viewBox: {}", outside.as_str().unwrap_or("")));
        }
        problems.extend(page_problems(&browser.take_events()).into_iter().map(|p| format!("{page}: {p}")));
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    take_screenshots(&mut browser);
}

/// The pages a reader opens first, checked on a phone and in dark mode.
const FIRST_PAGES: [&str; 4] = ["index.html", "teams/payments.html", "krs/data-kr2.html", "signals.html"];

/// Every problem of `page` in `pack` at 390 px (sideways scrolling, a text
/// box narrower than four characters) and in dark mode (contrast, a chart
/// on a light panel), on a phone and a wide screen.
fn phone_and_dark_problems(browser: &mut cdp::Browser, pack: &Path, page: &str) -> Vec<String> {
    let mut problems = Vec::new();
    browser.emulate(390, 844, true, "light");
    browser.navigate(&quarterdeck::pdf::file_url(&pack.join(page)).unwrap());
    let over = browser.eval(OVERFLOW_JS);
    if over != "" {
        problems.push(format!("{page}: wider than a 390px phone by {}", over.as_str().unwrap_or("")));
    }
    for narrow in browser.eval(NARROW_JS).as_array().unwrap() {
        problems
            .push(format!("{page} at 390px: a text box narrower than 4 characters: {}", narrow.as_str().unwrap_or("")));
    }
    for (width, mobile) in [(390, true), (1280, false)] {
        browser.emulate(width, 844, mobile, "dark");
        for low in browser.eval(CONTRAST_JS).as_array().unwrap() {
            problems.push(format!("{page} (dark, {width}px): contrast {}", low.as_str().unwrap_or("")));
        }
        for white in browser.eval(WHITE_PANEL_JS).as_array().unwrap() {
            problems.push(format!("{page} (dark, {width}px): {}", white.as_str().unwrap_or("")));
        }
    }
    problems
}

#[test]
fn the_first_pages_read_on_a_phone_and_in_dark_mode() {
    let Some(exe) = chromium("the_first_pages_read_on_a_phone_and_in_dark_mode") else { return };
    let mut browser = cdp::Browser::launch(&exe);
    let mut problems = Vec::new();
    for page in FIRST_PAGES {
        problems.extend(phone_and_dark_problems(&mut browser, pack(), page));
    }
    // and a signal's own page of a large organisation
    let large = large_pack();
    problems.extend(phone_and_dark_problems(&mut browser, large, "signals/cycle_time_days.html"));
    problems.extend(phone_and_dark_problems(&mut browser, large, "index.html"));
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    large_screenshots(&mut browser, large);
}

/// A synthetic organisation of 500 teams (450 with a key result, each with
/// a check-in) whose teams each merged 39 pull requests: the layout of a large pack.
fn large_pack() -> &'static Path {
    static PACK: OnceLock<PathBuf> = OnceLock::new();
    PACK.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
        let data = base.join("large-data");
        std::fs::create_dir_all(&data).unwrap();
        let mut okrs = String::from("quarter,team,objective_id,objective,kr_id,key_result,owner,kind\n");
        let mut prs = String::from("pr_id,team,author,opened_at,merged_at\n");
        let mut checkins = String::from("date,kr_id,author,value,confidence\n");
        for t in 0..500 {
            if t < 450 {
                okrs.push_str(&format!(
                    "2026-Q3,team-{t:03},T{t},Keep shipping,T{t}-KR,Ship part {t},owner-{t},milestone\n"
                ));
                let progress = ["0.3", "0.6", "0.9", "1.0"][t % 4];
                checkins.push_str(&format!("2026-09-25,T{t}-KR,owner-{t},{progress},{}\n", 3 + t % 7));
            }
            // three pull requests opened in each week of the quarter; teams differ in
            // how long they take and in how that changes over the quarter
            let start = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
            for (w, k) in (0..13i64).flat_map(|w| (0..3i64).map(move |k| (w, k))) {
                let opened = start + chrono::Duration::days(7 * w + 2 * k);
                let hours = 20 + 10 * (t as i64 % 7) + 4 * w * (t as i64 % 3) + 3 * k;
                let merged = opened + chrono::Duration::hours(hours);
                let at = |d: chrono::NaiveDateTime| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
                prs.push_str(&format!("P{t}-{w}-{k},team-{t:03},dev-{t},{},{}\n", at(opened), at(merged)));
            }
        }
        std::fs::write(data.join("okrs.csv"), okrs).unwrap();
        std::fs::write(data.join("prs.csv"), prs).unwrap();
        std::fs::write(data.join("checkins.csv"), checkins).unwrap();
        let opts = quarterdeck::BuildOptions {
            data_dir: data,
            out: Some(base.join("large-site")),
            quarter: None,
            audience: quarterdeck::Audience::Leadership,
            paper: None,
            brief_team: None,
            brief_group: None,
            as_of: None,
        };
        quarterdeck::build(&opts, &|_| {}).unwrap().site
    })
}

/// The large organisation's overview and a signal's page, for the book.
fn large_screenshots(browser: &mut cdp::Browser, large: &Path) {
    for (name, page, width, height) in [
        ("screen-500-index.png", "index.html", 1280, 1400),
        ("screen-500-signal.png", "signals/cycle_time_days.html", 1280, 900),
    ] {
        browser.emulate(width, height, false, "light");
        browser.navigate(&quarterdeck::pdf::file_url(&large.join(page)).unwrap());
        save_picture(name, &browser.screenshot());
    }
}

/// The pictures of the main pages, for a person (and the book) to look at.
fn take_screenshots(browser: &mut cdp::Browser) {
    let shots = [
        ("screen-index.png", "index.html", 1280, 900, false, "light"),
        ("screen-team.png", "teams/payments.html", 1280, 900, false, "light"),
        ("screen-kr.png", "krs/pay-kr1.html", 1280, 900, false, "light"),
        ("screen-phone-dark.png", "index.html", 390, 844, true, "dark"),
        ("screen-phone-kr.png", "krs/data-kr2.html", 390, 844, true, "light"),
        ("screen-dark-signals.png", "signals.html", 1280, 1900, false, "dark"),
        ("index.png", "index.html", 1280, 1800, false, "light"),
        ("team.png", "teams/platform.html", 1280, 1800, false, "light"),
        ("kr.png", "krs/plat-kr1.html", 1280, 1800, false, "light"),
        ("health.png", "health.html", 1280, 1300, false, "light"),
        ("signals.png", "signals.html", 1280, 1800, false, "light"),
        ("cohorts.png", "cohorts.html", 1280, 1600, false, "light"),
        ("alignment.png", "alignment.html", 1280, 1800, false, "light"),
        ("screen-phone-alignment.png", "alignment.html", 390, 844, true, "dark"),
    ];
    for (name, page, width, height, mobile, scheme) in shots {
        browser.emulate(width, height, mobile, scheme);
        browser.navigate(&quarterdeck::pdf::file_url(&pack().join(page)).unwrap());
        let png = browser.screenshot();
        assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "{name}: a blank screenshot?");
        save_picture(name, &png);
    }
}

#[test]
fn the_pdf_has_a_sheet_per_section_and_no_blank_page() {
    let Some(exe) = chromium("the_pdf_has_a_sheet_per_section_and_no_blank_page") else { return };
    let missing: Vec<&str> = POPPLER.into_iter().filter(|t| !has_tool(t)).collect();
    if !missing.is_empty() {
        assert!(std::env::var_os("CI").is_none(), "CI must have poppler-utils (.ci/run installs it): no {missing:?}");
        eprintln!("SKIPPED the PDF checks: no {missing:?} here (Debian: poppler-utils)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("review.pdf");
    let out = Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
        .args(["pdf", "sample-data", "--quiet", "--edition", "full", "--paper", "a4", "--browser"])
        .arg(&exe)
        .arg("--out")
        .arg(&pdf)
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(out.status.success(), "quarterdeck pdf failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), pdf.display().to_string());

    let info = run("pdfinfo", &[pdf.as_os_str()]);
    let pages: usize = field(&info, "Pages:").parse().unwrap();
    assert!(field(&info, "Page size:").contains("(A4)"), "{info}");
    let print = std::fs::read_to_string(pack().join("print.html")).unwrap();
    let sections = print.matches("<article class=\"print-page\"").count();
    // the cover and the contents, then every section from a new sheet
    assert!(pages >= sections + 2 && pages <= 5 * sections, "{pages} pages for {sections} sections");

    let text = run("pdftotext", &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()]);
    let sheets: Vec<&str> = text.split('\u{c}').filter(|s| !s.trim().is_empty()).collect();
    assert_eq!(sheets.len(), pages, "a page without text");
    assert!(sheets[pages - 1].contains(&format!("Page {pages} of {pages}")), "no page numbers: {}", sheets[pages - 1]);
    assert!(sheets[1].contains("Northwind Engineering · 2026-Q3 review"), "no running header: {}", sheets[1]);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pack().join("data/summary.json")).unwrap()).unwrap();
    let starts = |id: &str| {
        sheets
            .iter()
            .any(|s| s.lines().skip(1).filter(|l| !l.trim().is_empty()).take(2).any(|l| l.trim().starts_with(id)))
    };
    for t in summary["teams"].as_array().unwrap() {
        let team = t["team"].as_str().unwrap();
        assert!(starts(team), "team {team} does not start a sheet");
    }
    for k in summary["krs"].as_array().unwrap() {
        let kr = k["kr_id"].as_str().unwrap();
        assert!(starts(kr), "key result {kr} does not start a sheet");
    }
    check_no_blank_page(&pdf, pages, dir.path());
    picture_of_a_page(&pdf, &sheets, dir.path());
}

/// Renders every page small and grey and looks for ink between the running
/// header and the page number.
fn check_no_blank_page(pdf: &Path, pages: usize, dir: &Path) {
    run("pdftoppm", &["-r".as_ref(), "20".as_ref(), "-gray".as_ref(), pdf.as_os_str(), dir.join("p").as_os_str()]);
    let mut blank = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pgm") {
            seen += 1;
            let bytes = std::fs::read(&path).unwrap();
            let (w, h, px) = pgm(&bytes);
            // between the running header (top margin) and the page number (bottom margin)
            let body = &px[w * (h * 6 / 100)..w * (h * 94 / 100)];
            if body.iter().filter(|&&p| p < 220).count() < 20 {
                blank.push(path.file_name().unwrap().to_string_lossy().to_string());
            }
        }
    }
    assert_eq!(seen, pages);
    blank.sort();
    assert!(blank.is_empty(), "blank pages: {blank:?}");
}

/// A binary PGM (P5, 8-bit) as width, height and pixels.
fn pgm(bytes: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..i]).unwrap().to_string());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, &bytes[i + 1..i + 1 + w * h])
}

/// The PDF's first sheet of the payments team, as a picture.
fn picture_of_a_page(pdf: &Path, sheets: &[&str], dir: &Path) {
    let page = sheets.iter().position(|s| s.contains("payments") && s.contains("Objective scores")).unwrap() + 1;
    let n = page.to_string();
    let stem = dir.join("team-page");
    let args = ["-r", "60", "-png", "-singlefile", "-f", &n, "-l", &n];
    let mut cmd: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_ref()).collect();
    cmd.extend([pdf.as_os_str(), stem.as_os_str()]);
    run("pdftoppm", &cmd);
    save_picture("pdf-team-page.png", &std::fs::read(stem.with_extension("png")).unwrap());
}

fn run(tool: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool}: {e}"));
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn field<'a>(info: &'a str, name: &str) -> &'a str {
    info.lines().find_map(|l| l.strip_prefix(name)).map(str::trim).unwrap_or_else(|| panic!("no {name} in {info}"))
}

/// The index as a leader with two minutes meets it, and the people pages
/// as a manager does.
#[test]
fn the_index_reads_in_two_minutes_and_people_pages_never_grade() {
    let Some(exe) = chromium("the_index_reads_in_two_minutes_and_people_pages_never_grade") else { return };
    let mut browser = cdp::Browser::launch(&exe);
    browser.emulate(1280, 900, false, "light");
    browser.navigate(&quarterdeck::pdf::file_url(&pack().join("index.html")).unwrap());
    // the words a reader reads: the page's main part, without the navigation and
    // the footer (innerText leaves the folded rest of the summary out)
    let words =
        browser.eval("document.querySelector('main').innerText.split(/\\s+/).filter(Boolean).length").as_u64().unwrap();
    assert!(words < 700, "the index has {words} words");
    let height = browser.eval("document.documentElement.scrollHeight").as_u64().unwrap();
    assert!(height < 3_600, "the index is {height} px long at 1280 px");
    let rows = browser.eval("document.querySelectorAll('table.exceptions tbody tr').length").as_u64().unwrap();
    assert!((1..=12).contains(&rows), "{rows} exceptions");
    // teams.html: its script sorts by score, lowest first, and filters
    browser.navigate(&quarterdeck::pdf::file_url(&pack().join("teams.html")).unwrap());
    let sorted = browser.eval(TEAMS_SORT_JS);
    // by group (Foundations: data, platform; Product: growth, mobile, payments), then by score, lowest first
    assert_eq!(
        sorted,
        serde_json::json!([
            ["data", "platform", "growth", "mobile", "payments"],
            ["growth", "mobile", "platform", "payments", "data"]
        ])
    );
    let left = browser.eval(TEAMS_FILTER_JS);
    assert_eq!(left, serde_json::json!(["growth"]), "filtering on a finding");

    let people = manager_pack().join("people.html");
    browser.navigate(&quarterdeck::pdf::file_url(&people).unwrap());
    let linked = browser.eval("[...document.querySelectorAll('main a[href^=\"people/\"]')].map(a => a.href)");
    let linked: Vec<String> = linked.as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect();
    let pages: Vec<String> = html_files(manager_pack()).into_keys().filter(|p| p.starts_with("people/")).collect();
    assert_eq!(linked.len(), pages.len(), "people.html links every people page once");
    for page in &pages {
        let url = quarterdeck::pdf::file_url(&manager_pack().join(page)).unwrap();
        assert!(linked.contains(&url), "people.html does not link {page}");
        browser.navigate(&url);
        let graded = browser.eval("document.querySelectorAll('main [class*=\"grade-\"]').length");
        assert_eq!(graded, 0, "{page} carries a grade class");
    }
}

/// Clicks the score heading of teams.html and reads the team column.
const TEAMS_SORT_JS: &str = r#"(() => {
  const by = name => [...document.querySelectorAll('#teams-table thead th')].find(th => th.textContent.trim() === name);
  const order = () => [...document.querySelectorAll('#teams-table tbody tr')].map(r => r.cells[0].textContent.trim());
  by('Group').querySelector('button').click();
  const group = order();
  by('Score').querySelector('button').click();
  return [group, order()];
})()"#;

/// Types a finding into the filter and reads the teams left.
const TEAMS_FILTER_JS: &str = r#"(() => {
  const box = document.getElementById('teams-filter');
  box.value = 'surprise';
  box.dispatchEvent(new Event('input'));
  return [...document.querySelectorAll('#teams-table tbody tr')].filter(r => !r.hidden).map(r => r.cells[0].textContent.trim());
})()"#;

/// Prints the sample with `quarterdeck pdf` and these arguments; the PDF's
/// pages, size and text per sheet.
fn print_sample(exe: &Path, args: &[&str], dir: &Path) -> (PathBuf, usize, String, Vec<String>) {
    let pdf = dir.join(format!("{}.pdf", args.join("-").replace("--", "")));
    let out = Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
        .args(["pdf", "sample-data", "--quiet"])
        .args(args)
        .arg("--browser")
        .arg(exe)
        .arg("--out")
        .arg(&pdf)
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(out.status.success(), "quarterdeck pdf {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let info = run("pdfinfo", &[pdf.as_os_str()]);
    let pages: usize = field(&info, "Pages:").parse().unwrap();
    let text = run("pdftotext", &["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()]);
    let sheets: Vec<String> = text.split('\u{c}').filter(|s| !s.trim().is_empty()).map(str::to_string).collect();
    assert_eq!(sheets.len(), pages, "{args:?}: a page without text");
    (pdf, pages, field(&info, "Page size:").to_string(), sheets)
}

/// The headings (h1 to h3) of an HTML page, as text.
fn heading_texts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for level in ["h1", "h2", "h3"] {
        for part in html.split(&format!("<{level}")).skip(1) {
            let Some(end) = part.find(&format!("</{level}>")) else { continue };
            let inner = &part[part.find('>').map_or(0, |i| i + 1)..end];
            let mut words = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => words.push(c),
                    _ => {}
                }
            }
            let t = unescape(&words).split_whitespace().collect::<Vec<_>>().join(" ");
            if !t.is_empty() {
                out.push(t);
            }
        }
    }
    out
}

#[test]
fn the_brief_prints_in_ten_pages_with_every_key_result() {
    let Some(exe) = chromium("the_brief_prints_in_ten_pages_with_every_key_result") else { return };
    if POPPLER.iter().any(|t| !has_tool(t)) {
        assert!(std::env::var_os("CI").is_none(), "CI must have poppler-utils (.ci/run installs it)");
        eprintln!("SKIPPED the brief's PDF checks: no poppler-utils here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (pdf, pages, size, sheets) = print_sample(&exe, &["--paper", "a4"], dir.path());
    assert!(pages <= 10, "the brief is {pages} pages");
    assert!(size.contains("(A4)"), "{size}");
    let all = sheets.join("\n");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pack().join("data/summary.json")).unwrap()).unwrap();
    for k in summary["krs"].as_array().unwrap() {
        let kr = k["kr_id"].as_str().unwrap();
        assert!(all.contains(kr), "{kr} is not in the brief");
    }
    // the cover: org, quarter, headline and org score; the hashes on the last page only
    let org = format!("{:.2}", summary["org"]["score"].as_f64().unwrap());
    for want in ["Northwind Engineering", "2026-Q3", "Headline", org.as_str()] {
        assert!(sheets[0].contains(want), "the cover lacks {want}: {}", sheets[0]);
    }
    assert!(sheets[pages - 1].contains("SHA-256") && !sheets[..pages - 1].iter().any(|s| s.contains("SHA-256")));
    // no heading ends a page: the last line above the page number is never one
    let headings = heading_texts(&std::fs::read_to_string(pack().join("brief.html")).unwrap());
    for (i, sheet) in sheets.iter().enumerate() {
        let lines: Vec<&str> =
            sheet.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("Page ")).collect();
        let last = lines.last().copied().unwrap_or("");
        assert!(!headings.iter().any(|h| h == last), "page {} ends with the heading {last:?}", i + 1);
    }
    check_no_blank_page(&pdf, pages, dir.path());
    let first = dir.path().join("brief-summary");
    run(
        "pdftoppm",
        &[
            "-r".as_ref(),
            "60".as_ref(),
            "-png".as_ref(),
            "-singlefile".as_ref(),
            "-f".as_ref(),
            "2".as_ref(),
            "-l".as_ref(),
            "2".as_ref(),
            pdf.as_os_str(),
            first.as_os_str(),
        ],
    );
    save_picture("pdf-brief-summary.png", &std::fs::read(first.with_extension("png")).unwrap());
}

#[test]
fn a_team_prints_in_three_pages_and_slides_are_16_by_9() {
    let Some(exe) = chromium("a_team_prints_in_three_pages_and_slides_are_16_by_9") else { return };
    if POPPLER.iter().any(|t| !has_tool(t)) {
        assert!(std::env::var_os("CI").is_none(), "CI must have poppler-utils (.ci/run installs it)");
        eprintln!("SKIPPED the team brief's PDF checks: no poppler-utils here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, pages, _, sheets) = print_sample(&exe, &["--team", "payments"], dir.path());
    assert!(pages <= 3, "the payments brief is {pages} pages");
    let all = sheets.join("\n");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pack().join("data/summary.json")).unwrap()).unwrap();
    for k in summary["krs"].as_array().unwrap() {
        let kr = k["kr_id"].as_str().unwrap();
        assert_eq!(all.contains(&format!("{kr} ")), kr.starts_with("PAY-"), "{kr} in the payments brief?");
    }
    let (pdf, pages, size, _) = print_sample(&exe, &["--paper", "slides"], dir.path());
    // 10 × 5.625 in is 720 × 405 pt
    let wh: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).take(2).collect();
    assert!((wh[0] - 720.0).abs() < 0.5 && (wh[1] - 405.0).abs() < 0.5, "slides are {size}");
    assert!(pages <= 20, "{pages} slides");
    check_no_blank_page(&pdf, pages, dir.path());
}

#[test]
fn a_missing_browser_is_named_with_what_to_install() {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_quarterdeck"))
        .args(["pdf", "sample-data", "--out"])
        .arg(empty.path().join("x.pdf"))
        .current_dir(common::root())
        .env("PATH", empty.path())
        .env_remove(quarterdeck::pdf::BROWSER_ENV)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.starts_with("error: no Chromium or Chrome found"), "{stderr}");
    assert!(stderr.contains("apt-get install chromium"), "{stderr}");
    assert!(!empty.path().join("x.pdf").exists());
}
