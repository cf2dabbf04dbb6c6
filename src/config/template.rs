//! The values of `[imports.columns]`: an export column (`"user.login"`) or
//! a template built from several (`"{repository}#{number}"`). Braces name a
//! column; `{{` and `}}` are literal braces.

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text written as it is.
    Text(String),
    /// The cell of the export column of this name.
    Column(String),
}

/// An export column or a template, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses a value of `[imports.columns]`; a value without braces is one column.
    pub fn parse(text: &str) -> Result<Template, String> {
        if text.trim().is_empty() {
            return Err("is empty; name an export column or write a template like \"{repository}#{number}\"".into());
        }
        if !text.contains(['{', '}']) {
            return Ok(Template { pieces: vec![Piece::Column(text.trim().to_string())] });
        }
        let pieces = pieces(text)?;
        if !pieces.iter().any(|p| matches!(p, Piece::Column(_))) {
            return Err("names no export column: put a column's name in braces, like \"{number}\"".into());
        }
        Ok(Template { pieces })
    }

    /// The export columns it names, in order (a column named twice comes twice).
    pub fn columns(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Column(c) => Some(c.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// Whether it is one column, not a template.
    pub fn is_column(&self) -> bool {
        matches!(self.pieces.as_slice(), [Piece::Column(_)])
    }

    /// The cell it builds from `cells`, the named columns' cells in the order
    /// of [`Template::columns`]; `None` when one of them is empty, so that an
    /// id is never built from half its parts.
    pub fn render(&self, cells: &[Option<&str>]) -> Option<String> {
        let mut out = String::new();
        let mut next = cells.iter();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Column(_) => out.push_str((*next.next()?)?),
            }
        }
        Some(out)
    }
}

/// The pieces of a template with braces.
fn pieces(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let doubled = rest[c.len_utf8()..].starts_with(c);
        match c {
            '{' | '}' if doubled => {
                literal.push(c);
                rest = &rest[2..];
            }
            '{' => {
                let end = rest.find('}').ok_or("has a { without its }; write {{ for a brace")?;
                let name = rest[1..end].trim();
                if name.is_empty() || name.contains('{') {
                    return Err(format!("has {:?}, which names no column", &rest[..=end]));
                }
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Column(name.to_string()));
                rest = &rest[end + 1..];
            }
            '}' => return Err("has a } without its {; write }} for a brace".into()),
            _ => {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_value_is_one_column_and_braces_build_a_template() {
        let t = Template::parse(" user.login ").unwrap();
        assert!(t.is_column());
        assert_eq!(t.columns().collect::<Vec<_>>(), ["user.login"]);
        let t = Template::parse("{org}/{repository}#{number}").unwrap();
        assert!(!t.is_column());
        assert_eq!(t.columns().collect::<Vec<_>>(), ["org", "repository", "number"]);
        assert_eq!(
            t.render(&[Some("jenkinsci"), Some("docker"), Some("2201")]).as_deref(),
            Some("jenkinsci/docker#2201")
        );
        assert_eq!(t.render(&[Some("jenkinsci"), None, Some("2201")]), None, "an empty part empties the id");
        let t = Template::parse("{{{ key }}}-x").unwrap();
        assert_eq!(t.render(&[Some("A")]).as_deref(), Some("{A}-x"));
        assert!(Template::parse("{number}").is_ok_and(|t| t.is_column()), "one column in braces is that column");
    }

    #[test]
    fn broken_templates_say_what_is_wrong() {
        assert!(Template::parse("  ").unwrap_err().starts_with("is empty"));
        assert!(Template::parse("{repository#{number}").unwrap_err().contains("names no column"));
        assert!(Template::parse("{repository").unwrap_err().starts_with("has a { without its }"));
        assert!(Template::parse("repository}").unwrap_err().starts_with("has a } without its {"));
        assert!(Template::parse("{}#").unwrap_err().contains("\"{}\", which names no column"));
        assert!(Template::parse("{{x}}").unwrap_err().starts_with("names no export column"));
    }
}
