//! Markdown → sanitised HTML: pulldown-cmark renders, ammonia removes scripts,
//! event handlers and `javascript:` links.

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The deepest Markdown nesting a note may have: block quotes and list items
/// stacked on one line. Far beyond any real note; deep enough nesting makes
/// the parser slow (100 KB of `>` took 50 s).
pub const MAX_NESTING: usize = 32;

/// How deeply a line of `markdown` nests block quotes and list items: the
/// `>`, `-`, `*`, `+` markers (and spaces) it starts with.
pub fn nesting(markdown: &str) -> usize {
    let depth = |line: &str| {
        let mut n = 0;
        let mut chars = line.chars().peekable();
        while let Some(&c) = chars.peek() {
            match c {
                '>' => n += 1,
                '-' | '*' | '+' => {
                    chars.next();
                    if chars.peek().is_some_and(|c| *c == ' ') {
                        n += 1;
                    } else {
                        break;
                    }
                    continue;
                }
                ' ' | '\t' => {}
                _ => break,
            }
            chars.next();
        }
        n
    };
    markdown.lines().map(depth).max().unwrap_or(0)
}

/// Renders Markdown and sanitises the result. Headings move two levels down
/// (`#` becomes `<h3>`) so a note never competes with the page's own headings.
pub fn to_html(markdown: &str) -> String {
    let parser =
        Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: demote(level), id, classes, attrs })
            }
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
            other => other,
        });
    let mut raw = String::new();
    html::push_html(&mut raw, parser);
    // no images: the pack makes no request, and a note's picture is not copied into it
    ammonia::Builder::default().link_rel(Some("noopener noreferrer")).rm_tags(&["img"]).clean(&raw).to_string()
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod nesting_tests {
    use super::nesting;

    #[test]
    fn nesting_counts_quotes_and_list_markers_at_the_start_of_a_line() {
        assert_eq!(nesting("plain\n> quoted\n> > twice"), 2);
        assert_eq!(nesting("- a\n  - b\n> - c"), 2);
        assert_eq!(nesting("-not a list\n**bold**"), 0);
        assert_eq!(nesting(&">".repeat(100_000)), 100_000);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_markdown() {
        let h = to_html("**bold** and `code`\n\n- one\n- two");
        assert!(h.contains("<strong>bold</strong>"), "{h}");
        assert!(h.contains("<code>code</code>"), "{h}");
        assert!(h.contains("<li>one</li>"), "{h}");
    }

    #[test]
    fn headings_move_two_levels_down() {
        let h = to_html("# Title\n\n## Part\n\n#### Deep");
        assert!(h.contains("<h3>Title</h3>"), "{h}");
        assert!(h.contains("<h4>Part</h4>"), "{h}");
        assert!(h.contains("<h6>Deep</h6>"), "{h}");
    }

    #[test]
    fn strips_scripts_handlers_and_javascript_links() {
        let h = to_html(
            "hi <script>alert('x')</script> <img src=x onerror=\"alert(1)\"> [a](javascript:alert(2)) <a href=\"javascript:alert(3)\">b</a>",
        );
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("alert"), "{h}");
        assert!(!h.contains("onerror"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
    }

    #[test]
    fn drops_images_so_the_pack_makes_no_request() {
        let h = to_html("see ![chart](https://tracker.example/p.png) and <img src=\"local.png\" alt=\"x\">");
        assert!(!h.contains("<img"), "{h}");
    }
}
