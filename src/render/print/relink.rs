//! Folds one rendered page into the print document: its ids get the page's
//! prefix so they stay unique, its links point at the document's own sections,
//! and its headings move down so the document keeps one outline.
//!
//! The input is HTML this crate rendered (Tera-escaped templates, ammonia-
//! sanitised notes, plotters SVG), so a small tag scanner is enough: text is
//! copied as it is and only tags with ids, links or heading names are rebuilt.

use std::collections::BTreeMap;

/// How one page is folded in.
pub struct Fold<'a> {
    /// The page's path in the site, like `krs/pay-kr1.html`.
    pub path: &'a str,
    /// The anchor of this page's section in the document.
    pub anchor: &'a str,
    /// Site path → section anchor, for every page in the document.
    pub anchors: &'a BTreeMap<String, String>,
    /// How many levels headings move down (`h1` → `h1 + demote`, at most `h6`).
    pub demote: u8,
}

/// A page ready for the document.
#[derive(Debug, PartialEq)]
pub struct Folded {
    /// The page's first heading as escaped text (tags stripped), for the contents.
    pub title: String,
    /// The id of that heading in the document, for `aria-labelledby`.
    pub title_id: String,
    /// The page's main content, relinked.
    pub body: String,
}

/// The content of a page's `<main>` element, or of its `<body>`, or all of it.
pub fn main_content(html: &str) -> &str {
    for (open, close) in [("<main", "</main>"), ("<body", "</body>")] {
        if let Some(start) = html.find(open) {
            let inner = start + html[start..].find('>').map_or(0, |i| i + 1);
            let end = html.rfind(close).filter(|&e| e >= inner).unwrap_or(html.len());
            return &html[inner..end];
        }
    }
    html
}

/// Rewrites `html` (one page's main content) for the print document.
pub fn fold(html: &str, f: &Fold) -> Folded {
    let mut state = Folding {
        out: String::with_capacity(html.len() + html.len() / 8),
        title: None,
        title_id: format!("{}--title", f.anchor),
        in_title: None,
    };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        state.text(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            state.out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let end = tag_end(rest);
        let Some(tag) = Tag::parse(&rest[..end]) else {
            // not a tag (a stray `<` or a doctype): keep it as text
            state.out.push('<');
            rest = &rest[1..];
            continue;
        };
        rest = &rest[end..];
        state.tag(tag, f);
    }
    state.out.push_str(rest);
    Folded { title: state.title.unwrap_or_else(|| f.path.to_string()), title_id: state.title_id, body: state.out }
}

/// What `fold` has written so far, and what it knows of the page's title.
struct Folding {
    out: String,
    /// The text of the first `<h1>`, once closed.
    title: Option<String>,
    title_id: String,
    /// The text of the first `<h1>` while inside it.
    in_title: Option<String>,
}

impl Folding {
    /// Text between tags: copied, and kept when inside the title.
    fn text(&mut self, text: &str) {
        self.out.push_str(text);
        if let Some(t) = self.in_title.as_mut() {
            t.push_str(text);
        }
    }

    /// A tag: headings demoted, the first `<h1>` marked as the title, links relinked.
    fn tag(&mut self, mut tag: Tag, f: &Fold) {
        let level = heading_level(&tag.name);
        if tag.closing {
            if level == Some(1) && self.title.is_none() {
                self.title = self.in_title.take().map(|t| collapse(&t));
            }
        } else if level == Some(1) && self.title.is_none() && self.in_title.is_none() {
            self.in_title = Some(String::new());
            tag.add_class("page-title");
            match tag.attr("id") {
                Some(id) => self.title_id = format!("{}--{id}", f.anchor),
                // relink() below gives it the page prefix
                None => tag.attrs.push(("id".into(), Some("title".into()))),
            }
        }
        if let Some(level) = level {
            tag.name = format!("h{}", (level + f.demote).min(6));
        }
        tag.relink(f);
        self.out.push_str(&tag.to_html());
    }
}

/// The index just past the `>` that ends the tag at the start of `s`
/// (quoted attribute values may hold `>`).
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i + 1,
            (None, '<') => return i,
            _ => {}
        }
    }
    s.len()
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h' | b'H', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// Whitespace collapsed to single spaces; tags were already left out.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One start or end tag.
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, Option<String>)>,
    /// The tag as written, kept when nothing in it changes.
    raw: String,
    changed: bool,
}

impl Tag {
    fn parse(s: &str) -> Option<Tag> {
        let body = s.strip_prefix('<')?.strip_suffix('>').unwrap_or(&s[1..]);
        let (closing, body) = match body.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, body),
        };
        let name_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':')).unwrap_or(body.len());
        if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let (name, mut rest) = body.split_at(name_len);
        let self_closing = rest.trim_end().ends_with('/');
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            let n = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(rest.len()).max(1);
            let attr = rest[..n].to_string();
            rest = rest[n..].trim_start();
            let value = match rest.strip_prefix('=') {
                Some(v) => {
                    let v = v.trim_start();
                    let (value, after) = match v.chars().next() {
                        Some(q @ ('"' | '\'')) => {
                            let close = v[1..].find(q).map_or(v.len(), |i| i + 1);
                            (&v[1..close], v.get(close + 1..).unwrap_or(""))
                        }
                        _ => v.split_at(v.find(char::is_whitespace).unwrap_or(v.len())),
                    };
                    rest = after;
                    Some(value.to_string())
                }
                None => None,
            };
            attrs.push((attr, value));
        }
        Some(Tag { name: name.to_string(), closing, self_closing, attrs, raw: s.to_string(), changed: false })
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_deref())
    }

    fn add_class(&mut self, class: &str) {
        self.changed = true;
        match self.attrs.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("class")) {
            Some((_, Some(v))) => *v = format!("{v} {class}"),
            Some((_, v)) => *v = Some(class.to_string()),
            None => self.attrs.push(("class".into(), Some(class.to_string()))),
        }
    }

    /// Prefixes ids and id references, points links at the document's sections.
    fn relink(&mut self, f: &Fold) {
        for (name, value) in &mut self.attrs {
            let Some(v) = value.as_mut() else { continue };
            let new = match name.to_ascii_lowercase().as_str() {
                "id" => format!("{}--{v}", f.anchor),
                "aria-labelledby" | "aria-describedby" | "aria-controls" | "for" | "headers" => {
                    v.split_whitespace().map(|t| format!("{}--{t}", f.anchor)).collect::<Vec<_>>().join(" ")
                }
                // Tera writes `/` as `&#x2F;`: decode before resolving, encode after
                "href" | "xlink:href" => escape_attr(&relink_href(&unescape(v), f)),
                "src" if !has_scheme(v) => escape_attr(&resolve(dir_of(f.path), &unescape(v))),
                _ => continue,
            };
            if new != *v {
                *v = new;
                self.changed = true;
            }
        }
    }

    fn to_html(&self) -> String {
        let renamed = !self.raw.get(1..).is_some_and(|r| r.trim_start_matches('/').starts_with(&self.name));
        if !self.changed && !renamed {
            return self.raw.clone();
        }
        if self.closing {
            return format!("</{}>", self.name);
        }
        let mut s = format!("<{}", self.name);
        for (name, value) in &self.attrs {
            match value {
                Some(v) if v.contains('"') => s.push_str(&format!(" {name}='{v}'")),
                Some(v) => s.push_str(&format!(" {name}=\"{v}\"")),
                None => s.push_str(&format!(" {name}")),
            }
        }
        s.push_str(if self.self_closing { "/>" } else { ">" });
        s
    }
}

/// A link within the page, to another page of the document, or out of it.
fn relink_href(href: &str, f: &Fold) -> String {
    if href.is_empty() || has_scheme(href) || href.starts_with("//") {
        return href.to_string();
    }
    if let Some(frag) = href.strip_prefix('#') {
        return format!("#{}--{frag}", f.anchor);
    }
    let (path, frag) = match href.split_once('#') {
        Some((p, fr)) => (p, Some(fr)),
        None => (href, None),
    };
    let target = resolve(dir_of(f.path), path);
    match (f.anchors.get(&target), frag) {
        (Some(anchor), Some(frag)) if !frag.is_empty() => format!("#{anchor}--{frag}"),
        (Some(anchor), _) => format!("#{anchor}"),
        (None, Some(frag)) => format!("{target}#{frag}"),
        (None, None) => target,
    }
}

/// An attribute value with its character references decoded.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi < 12).and_then(|semi| {
            let c = match &rest[1..semi] {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                e => match e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => e.strip_prefix('#').and_then(|d| d.parse().ok()),
                }
                .and_then(char::from_u32),
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
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

/// Text made safe for a double-quoted attribute value.
fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `mailto:`, `https:` and the like: a scheme before any `/`, `?` or `#`.
fn has_scheme(href: &str) -> bool {
    match href.find(':') {
        Some(i) => href[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) && i > 0,
        None => false,
    }
}

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// `dir` + `rel`, with `.` and `..` resolved; relative to the site root.
fn resolve(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let mut climbs = 0;
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    climbs += 1;
                }
            }
            p => parts.push(p),
        }
    }
    let mut out = "../".repeat(climbs);
    out.push_str(&parts.join("/"));
    if rel.ends_with('/') && !parts.is_empty() {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold_kr(html: &str) -> Folded {
        let anchors: BTreeMap<String, String> = [
            ("krs/a.html", "p-krs-a"),
            ("teams/t.html", "p-teams-t"),
            ("index.html", "p-index"),
            ("signals.html", "p-signals"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        fold(html, &Fold { path: "krs/a.html", anchor: "p-krs-a", anchors: &anchors, demote: 2 })
    }

    #[test]
    fn takes_the_main_element() {
        let page = "<html><body><header>x</header><main id=\"main\" class=\"wrap\">\n<p>in</p>\n</main><footer/></body></html>";
        assert_eq!(main_content(page), "\n<p>in</p>\n");
        assert_eq!(main_content("<body class=\"a\">b</body>"), "b");
        assert_eq!(main_content("plain"), "plain");
    }

    #[test]
    fn prefixes_ids_and_their_references() {
        let f = fold_kr("<section aria-labelledby=\"v-h\"><h2 id=\"v-h\">V</h2><svg aria-labelledby=\"c-t c-d\"><title id=\"c-t\">T</title></svg></section>");
        assert_eq!(
            f.body,
            "<section aria-labelledby=\"p-krs-a--v-h\"><h4 id=\"p-krs-a--v-h\">V</h4><svg aria-labelledby=\"p-krs-a--c-t p-krs-a--c-d\"><title id=\"p-krs-a--c-t\">T</title></svg></section>"
        );
    }

    #[test]
    fn points_links_at_sections() {
        let f = fold_kr(
            "<a href=\"../index.html\">o</a><a href=\"../teams/t.html\">t</a><a href=\"#log-h\">l</a>\
             <a href=\"../signals.html#cycle_time_days\">s</a><a href=\"../data/summary.json\">j</a>\
             <a href=\"https://example.com/a#b\">e</a><a href=\"mailto:a@b.c\">m</a>",
        );
        assert_eq!(
            f.body,
            "<a href=\"#p-index\">o</a><a href=\"#p-teams-t\">t</a><a href=\"#p-krs-a--log-h\">l</a>\
             <a href=\"#p-signals--cycle_time_days\">s</a><a href=\"data/summary.json\">j</a>\
             <a href=\"https://example.com/a#b\">e</a><a href=\"mailto:a@b.c\">m</a>"
        );
    }

    #[test]
    fn demotes_headings_and_names_the_page_by_its_first() {
        let f = fold_kr(
            "<p class=\"crumbs\">x</p><h1><span class=\"oid\">A</span> Cut &amp; run</h1><h2>Sub</h2><h6>deep</h6>",
        );
        assert_eq!(f.title, "A Cut &amp; run");
        assert_eq!(f.title_id, "p-krs-a--title");
        assert_eq!(
            f.body,
            "<p class=\"crumbs\">x</p><h3 class=\"page-title\" id=\"p-krs-a--title\"><span class=\"oid\">A</span> Cut &amp; run</h3><h4>Sub</h4><h6>deep</h6>"
        );
    }

    #[test]
    fn keeps_untouched_tags_and_text_as_written() {
        let html = "<!-- c <a href=\"x\"> --><path d=\"M 1 2\"/><td class='num'>1 &lt; 2</td><br>";
        assert_eq!(fold_kr(html).body, html);
    }

    #[test]
    fn decodes_links_before_resolving_them() {
        let f = fold_kr("<a href=\"..&#x2F;teams&#x2F;t.html\">t</a><a href=\"https://x.org/?a=1&amp;b=2\">x</a>");
        assert_eq!(f.body, "<a href=\"#p-teams-t\">t</a><a href=\"https://x.org/?a=1&amp;b=2\">x</a>");
        assert_eq!(unescape("a&#47;b&lt;&bogus;&"), "a/b<&bogus;&");
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("krs/", "../teams/t.html"), "teams/t.html");
        assert_eq!(resolve("", "./a/../b.html"), "b.html");
        assert_eq!(resolve("", "../up.html"), "../up.html");
        assert!(has_scheme("https://x") && has_scheme("mailto:x") && !has_scheme("a/b:c") && !has_scheme("x.html"));
    }
}
