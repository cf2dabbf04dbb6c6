//! Markdown → sanitised HTML: pulldown-cmark renders, ammonia removes scripts,
//! event handlers and `javascript:` links.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown and sanitises the result.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
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
    fn strips_scripts_handlers_and_javascript_links() {
        let h = to_html(
            "hi <script>alert('x')</script> <img src=x onerror=\"alert(1)\"> [a](javascript:alert(2)) <a href=\"javascript:alert(3)\">b</a>",
        );
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("alert"), "{h}");
        assert!(!h.contains("onerror"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
    }
}
