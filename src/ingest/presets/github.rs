//! GitHub pull requests as `gh pr list --state merged --json
//! number,author,createdAt,mergedAt,additions,deletions,reviews,labels`
//! writes them: a JSON array, one object per pull request.

use super::stage::{error_at, Cells, Origin, Stage};
use super::{person, rfc3339, Import};
use crate::error::{Error, Result};
use crate::ingest::table::parse_timestamp;
use crate::model::Person;
use serde_json::Value;

/// Per prs column, the field of `gh pr list --json` it comes from (for messages).
const FIELDS: [(&str, &str); 10] = [
    ("pr_id", "number"),
    ("author", "author.login"),
    ("opened_at", "createdAt"),
    ("merged_at", "mergedAt"),
    ("first_review_at", "reviews[].submittedAt"),
    ("additions", "additions"),
    ("deletions", "deletions"),
    ("team", "author.login"),
    ("ai_assisted", "labels"),
    ("rework", "labels"),
];

/// Stages every pull request of the array as a prs row; bots are left out
/// unless `include_bots`, and reviews by the author do not count as the first review.
pub fn stage(import: &Import, bytes: &[u8], people: &[Person], stage: &mut Stage) -> Result<()> {
    let prs = parse_array(&import.file, bytes, "`gh pr list --json …`")?;
    stage.begin(&import.file, &FIELDS);
    for (i, pr) in prs.iter().enumerate() {
        if let Some((origin, cells)) = entry(import, i, pr, people, stage)? {
            stage.push(origin, &cells);
        }
    }
    Ok(())
}

/// The prs.csv cells of entry `i`, or `None` for a bot's pull request.
fn entry(import: &Import, i: usize, pr: &Value, people: &[Person], stage: &Stage) -> Result<Option<(Origin, Cells)>> {
    let number = read_number(import, i, pr)?;
    let at =
        Entry { import, pr, origin: Origin::Json { path: format!("[{i}]"), label: format!("pull request {number}") } };
    let login = at.read_login()?;
    if login.is_some_and(|l| is_bot(pr, l)) && !import.include_bots.unwrap_or(false) {
        return Ok(None);
    }
    let created = at.read_created()?;
    let merged = at.read_merged()?;
    let first_review = at.read_first_review(login)?;
    let login = login.map(|l| stage.word("author", l).to_string());
    let found = login.as_deref().and_then(|l| person(people, l));
    let team = at.read_team(login.as_deref(), found)?;
    let labels = at.labels();
    let cells = vec![
        ("pr_id", import.id(&number)),
        ("team", team),
        ("author", found.map(|p| p.id.clone()).or(login).unwrap_or_default()),
        ("opened_at", rfc3339(created)),
        ("merged_at", merged.map(rfc3339).unwrap_or_default()),
        ("first_review_at", first_review.map(rfc3339).unwrap_or_default()),
        ("additions", count(pr.get("additions"))),
        ("deletions", count(pr.get("deletions"))),
        ("ai_assisted", flag(&labels, import.ai_label.as_ref())),
        ("rework", flag(&labels, import.rework_label.as_ref())),
    ];
    Ok(Some((at.origin, cells)))
}

/// Reads the pull request's number, which names it in every later message.
fn read_number(import: &Import, i: usize, pr: &Value) -> Result<String> {
    match pr.get("number") {
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        other => {
            let origin = Origin::Json { path: format!("[{i}]"), label: "a pull request".into() };
            let message = format!("expected the pull request's number, found {}", show(other));
            Err(error_at(&import.file, &origin, "number", message))
        }
    }
}

/// The login GitHub shows for a deleted account.
const GHOST: &str = "ghost";

/// Whether the author is a bot: flagged so, or a GitHub App's login.
fn is_bot(pr: &Value, login: &str) -> bool {
    pr.pointer("/author/is_bot").and_then(Value::as_bool).unwrap_or(false)
        || login.starts_with("app/")
        || login.ends_with("[bot]")
}

/// `"true"` or `"false"` for whether `labels` hold the configured label; empty when none is configured.
fn flag(labels: &[&str], wanted: Option<&String>) -> String {
    Import::has_label(wanted, labels.iter().copied()).map_or_else(String::new, |b| b.to_string())
}

/// One pull request of the array being read, named by its origin in messages.
struct Entry<'a> {
    import: &'a Import,
    pr: &'a Value,
    origin: Origin,
}

impl<'a> Entry<'a> {
    /// An error about `field` of this pull request.
    fn err(&self, field: &str, message: String) -> Error {
        error_at(&self.import.file, &self.origin, field, message)
    }

    /// Reads the author's login: `None` for a deleted account, which GitHub
    /// writes as `"author": null` or the login `ghost`.
    fn read_login(&self) -> Result<Option<&'a str>> {
        let author = self.pr.get("author");
        if matches!(author, None | Some(Value::Null)) {
            return Ok(None);
        }
        let login = self.pr.pointer("/author/login").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        match login {
            Some(GHOST) => Ok(None),
            Some(l) => Ok(Some(l)),
            None => {
                let found = show(self.pr.pointer("/author/login"));
                Err(self.err("author.login", format!("expected the author's login, found {found}")))
            }
        }
    }

    /// Reads when the pull request was opened.
    fn read_created(&self) -> Result<i64> {
        let created = self.pr.get("createdAt");
        time(created).ok_or_else(|| {
            self.err("createdAt", format!("expected a timestamp like 2026-07-14T09:31:00Z, found {}", show(created)))
        })
    }

    /// Reads when the pull request was merged, `None` when it was not.
    fn read_merged(&self) -> Result<Option<i64>> {
        let merged = match self.pr.get("mergedAt") {
            None | Some(Value::Null) => None,
            v => Some(
                time(v)
                    .ok_or_else(|| self.err("mergedAt", format!("expected a timestamp or null, found {}", show(v))))?,
            ),
        };
        // gh writes the zero time 0001-01-01T00:00:00Z for "never"
        Ok(merged.filter(|&t| t > 0))
    }

    /// Reads the first review by someone other than `login`.
    fn read_first_review(&self, login: Option<&str>) -> Result<Option<i64>> {
        first_review(self.pr, login).map_err(|(j, found)| {
            let message = format!("expected a timestamp like 2026-07-14T09:31:00Z, found {found}");
            self.err(&format!("reviews[{j}].submittedAt"), message)
        })
    }

    /// The team: the import's, else the author's in people.csv.
    fn read_team(&self, login: Option<&str>, found: Option<&Person>) -> Result<String> {
        match (&self.import.team, found, login) {
            (Some(t), _, _) => Ok(t.clone()),
            (None, Some(p), _) => Ok(p.team.clone()),
            (None, None, None) => Err(self.err(
                "author",
                "a deleted account (no author) has no team in people.csv; set team = \"…\" on the [[imports]] entry"
                    .into(),
            )),
            (None, None, Some(login)) => Err(self.err(
                "author.login",
                format!(
                    "{login:?} is not in people.csv, so the pull request has no team; \
                     set team = \"…\" on the [[imports]] entry or add them to people.csv"
                ),
            )),
        }
    }

    /// The names of the pull request's labels.
    fn labels(&self) -> Vec<&'a str> {
        self.pr
            .get("labels")
            .and_then(Value::as_array)
            .map(|ls| ls.iter().filter_map(|l| l.get("name").and_then(Value::as_str).or_else(|| l.as_str())).collect())
            .unwrap_or_default()
    }
}

/// The earliest submitted review by someone other than the author; pending
/// reviews (no submittedAt) are not reviews yet. `Err` names a bad timestamp.
fn first_review(pr: &Value, author: Option<&str>) -> std::result::Result<Option<i64>, (usize, String)> {
    let Some(reviews) = pr.get("reviews").and_then(Value::as_array) else { return Ok(None) };
    let mut first: Option<i64> = None;
    for (j, r) in reviews.iter().enumerate() {
        let by = r.pointer("/author/login").and_then(Value::as_str).unwrap_or("");
        let pending = r.get("state").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("pending"));
        let submitted = r.get("submittedAt");
        if author.is_some_and(|a| by.eq_ignore_ascii_case(a))
            || pending
            || matches!(submitted, None | Some(Value::Null))
        {
            continue;
        }
        let t = time(submitted).ok_or_else(|| (j, show(submitted)))?;
        if t > 0 {
            first = Some(first.map_or(t, |f| f.min(t)));
        }
    }
    Ok(first)
}

/// A JSON document that must be an array of objects.
pub fn parse_array(file: &str, bytes: &[u8], writer: &str) -> Result<Vec<Value>> {
    let value: Value = serde_json::from_slice(json_text(file, bytes)?).map_err(|e| not_json(file, &e))?;
    match value {
        Value::Array(items) => Ok(items),
        other => Err(Error::File {
            file: file.into(),
            message: format!("expected a JSON array as {writer} writes it, found {}", kind(&other)),
        }),
    }
}

/// JSON text without a UTF-8 byte-order mark; UTF-16 (what Windows
/// PowerShell's `>` writes) is refused with advice.
pub fn json_text<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b [u8]> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::File {
            file: file.into(),
            message: "is UTF-16 text, as Windows PowerShell's `>` writes it; save it as UTF-8 \
                      (`… | Out-File -Encoding utf8 FILE`, or run the command in cmd or a Unix shell)"
                .into(),
        });
    }
    Ok(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

/// A file that is not JSON, with serde_json's line and column.
pub fn not_json(file: &str, e: &serde_json::Error) -> Error {
    Error::File { file: file.into(), message: format!("is not valid JSON: {e}") }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as a message shows it: JSON text, cut short.
pub fn show(v: Option<&Value>) -> String {
    match v {
        None => "nothing (the field is absent)".into(),
        Some(v) => {
            let text = v.to_string();
            match text.char_indices().nth(60) {
                Some((at, _)) => format!("{}…", &text[..at]),
                None => text,
            }
        }
    }
}

fn time(v: Option<&Value>) -> Option<i64> {
    parse_timestamp(v?.as_str()?.trim())
}

/// A count as our CSV writes it; absent or null is empty.
pub fn count(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::PullRequest;
    use crate::schema::PRS;

    fn prs(extra: &str, json: &str) -> Result<Vec<PullRequest>> {
        let text = format!("[[imports]]\npreset = \"github-prs-json\"\nfile = \"prs.json\"\n{extra}");
        let config = Config::parse(&text).unwrap();
        let mut st = Stage::new(&PRS, &config);
        let people = [Person { id: "Ana".into(), team: "pay".into(), role: None, dimensions: Default::default() }];
        stage(&config.imports[0], json.as_bytes(), &people, &mut st)?;
        let table = st.table()?;
        crate::ingest::events::prs(&table).map_err(|e| st.remap(e))
    }

    #[test]
    fn first_review_is_the_earliest_by_someone_else() {
        let json = r#"[{"number": 7, "author": {"login": "ana", "is_bot": false},
            "createdAt": "2026-07-01T10:00:00Z", "mergedAt": "2026-07-02T10:00:00Z", "additions": 5, "deletions": 1,
            "labels": [{"name": "Copilot"}],
            "reviews": [
              {"author": {"login": "ana"}, "state": "COMMENTED", "submittedAt": "2026-07-01T11:00:00Z"},
              {"author": {"login": "bo"}, "state": "PENDING", "submittedAt": null},
              {"author": {"login": "cy"}, "state": "APPROVED", "submittedAt": "2026-07-01T16:00:00Z"},
              {"author": {"login": "bo"}, "state": "CHANGES_REQUESTED", "submittedAt": "2026-07-01T13:30:00Z"}]},
          {"number": 8, "author": {"login": "app/dependabot", "is_bot": true},
            "createdAt": "2026-07-01T10:00:00Z", "mergedAt": null, "reviews": []}]"#;
        let rows = prs("ai_label = \"copilot\"\n", json).unwrap();
        assert_eq!(rows.len(), 1, "the bot's pull request is left out");
        let p = &rows[0];
        assert_eq!((&*p.id, p.team.as_str(), p.author.as_deref().unwrap_or_default()), ("7", "pay", "Ana"));
        assert_eq!(p.first_review.get().unwrap() - p.opened, 3 * 3600 + 1800);
        assert_eq!(p.merged.get().unwrap() - p.opened, 86_400);
        assert_eq!((p.ai_assisted, p.rework), (Some(true), None));
        let rows = prs("include_bots = true\nteam = \"x\"\nid_prefix = \"api#\"\n", json).unwrap();
        assert_eq!(rows.iter().map(|p| &*p.id).collect::<Vec<_>>(), ["api#7", "api#8"]);
        assert_eq!(rows[1].merged.get(), None);
    }

    #[test]
    fn errors_name_the_json_path_and_field() {
        let e = prs("", r#"[{"number": 3, "author": {"login": "ana"}, "createdAt": "yesterday"}]"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "prs.json: [0] (pull request 3), field createdAt: expected a timestamp like 2026-07-14T09:31:00Z, found \"yesterday\""
        );
        let e =
            prs("", r#"[{"number": 3, "author": {"login": "zed"}, "createdAt": "2026-07-01T10:00:00Z"}]"#).unwrap_err();
        assert!(e.to_string().contains("field author.login: \"zed\" is not in people.csv"), "{e}");
        let e = prs("", r#"{"number": 3}"#).unwrap_err();
        assert!(
            e.to_string().ends_with("expected a JSON array as `gh pr list --json …` writes it, found an object"),
            "{e}"
        );
        let e = prs("", "\u{feff}[]").map(|rows| rows.len());
        assert_eq!(e.ok(), Some(0), "a UTF-8 byte-order mark is fine");
        let e = prs("", "[{\"number\": 3,\n ]").unwrap_err();
        assert!(e.to_string().starts_with("prs.json: is not valid JSON: ") && e.to_string().contains("line 2"), "{e}");
        let json = r#"[{"number": 3, "author": {"login": "ana"}, "createdAt": "2026-07-01T10:00:00Z",
            "reviews": [{"author": {"login": "bo"}, "submittedAt": "soon"}]}]"#;
        let e = prs("", json).unwrap_err();
        assert!(e.to_string().contains("[0] (pull request 3), field reviews[0].submittedAt"), "{e}");
    }

    #[test]
    fn deleted_accounts_have_no_author_and_need_the_imports_team() {
        let json = r#"[{"number": 1, "author": null, "createdAt": "2026-07-01T10:00:00Z",
              "reviews": [{"author": null, "state": "APPROVED", "submittedAt": "2026-07-01T12:00:00Z"}]},
            {"number": 2, "author": {"login": "ghost"}, "createdAt": "2026-07-01T10:00:00Z"},
            {"number": 3, "createdAt": "2026-07-01T10:00:00Z"}]"#;
        let rows = prs("team = \"core\"\n", json).unwrap();
        assert!(rows.iter().all(|p| p.author.is_none() && p.team == "core"));
        assert_eq!(rows[0].first_review.get().map(|r| r - rows[0].opened), Some(2 * 3600), "a deleted reviewer counts");
        let e = prs("", json).unwrap_err();
        assert!(e.to_string().contains("[0] (pull request 1), field author: a deleted account"), "{e}");
        let e = prs("", r#"[{"number": 4, "author": {"login": ""}, "createdAt": "2026-07-01T10:00:00Z"}]"#);
        assert!(e.unwrap_err().to_string().contains("expected the author's login"), "an author without a login");
    }
}
