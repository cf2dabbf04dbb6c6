//! Markdown → sanitised HTML: pulldown-cmark renders, ammonia removes scripts,
//! event handlers and `javascript:` links.

use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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
