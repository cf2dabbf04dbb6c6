//! Ids → safe, stable, unique file names; nothing is ever written outside `--out`.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",
    "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The readable part of a file name: lower-case ASCII letters, digits and `-`.
fn base(id: &str) -> String {
    let mut out = String::new();
    for ch in id.chars() {
        let c = ch.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(60).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "x".to_string()
    } else if RESERVED.contains(&out.as_str()) {
        format!("{out}-x")
    } else {
        out
    }
}

fn short_hash(id: &str) -> String {
    Sha256::digest(id.as_bytes())[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// Maps every id to a file stem. Ids whose readable parts collide (by case,
/// accents or punctuation) all get a short hash of the id appended, so the
/// mapping depends only on the set of ids.
pub fn file_stems<'a>(ids: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut by_base: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for id in ids {
        let list = by_base.entry(base(id)).or_default();
        if !list.contains(&id) {
            list.push(id);
        }
    }
    let mut out = BTreeMap::new();
    for (b, ids) in by_base {
        for id in &ids {
            let stem = if ids.len() == 1 { b.clone() } else { format!("{b}-{}", short_hash(id)) };
            out.insert(id.to_string(), stem);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_ids_stay_inside() {
        let m = file_stems(["../../x", "a/b", "CON", "", "..", "PAY-KR1"]);
        // "../../x", "" and ".." share the readable part "x", so all carry a hash
        assert!(m["../../x"].starts_with("x-"));
        assert_ne!(m["../../x"], m[".."]);
        assert_eq!(m["a/b"], "a-b");
        assert_eq!(m["CON"], "con-x");
        assert_eq!(m["PAY-KR1"], "pay-kr1");
        for stem in m.values() {
            assert!(stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{stem}");
        }
    }

    #[test]
    fn colliding_ids_get_unique_stable_names() {
        let m = file_stems(["Team", "team", "tëam"]);
        let stems: std::collections::BTreeSet<_> = m.values().collect();
        assert_eq!(stems.len(), 3);
        assert!(m["Team"].starts_with("team-"));
        assert_eq!(file_stems(["team", "Team"])["Team"], m["Team"]);
    }
}
