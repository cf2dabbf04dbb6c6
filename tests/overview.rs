//! The two-minute pages: the index (headline and decisions, the org card,
//! the exceptions table, how the work flowed, the teams), teams.html and the
//! brief, on the sample and on a 500-team organisation.

mod common;

use common::{build_into, root};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn read(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap()
}

/// The text of some HTML: tags dropped (inline ones without a space),
/// entities of the pages undone, white space folded.
fn text(html: &str) -> String {
    const INLINE: [&str; 6] = ["a", "span", "strong", "code", "em", "q"];
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let name: String =
            rest[open + 1..close].trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        if !INLINE.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &rest[close.min(rest.len())..];
    }
    out.push_str(rest);
    let out = out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
    out.replace("&#x27;", "'").replace("&#x2F;", "/").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The part of `html` from the element with `id` to the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id}"));
    let end = html[at..].find("</section>").map_or(html.len(), |e| at + e);
    &html[at..end]
}

fn summary(site: &Path) -> Value {
    serde_json::from_str(&read(site, "data/summary.json")).unwrap()
}

fn sample() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = build_into("sample-data", None, &dir.path().join("site"));
    (dir, site)
}

#[test]
fn the_index_reads_top_down_and_opens_with_the_written_headline() {
    let (_dir, site) = sample();
    let index = read(&site, "index.html");
    let order = ["headline-h", "org-h", "exc-h", "sig-h", "teams-h"];
    let at: Vec<usize> = order.iter().map(|id| index.find(&format!("id=\"{id}\"")).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "sections out of order: {at:?}");
    // notes/quarter.md's first section is the headline, its "Decisions for Q4" the decisions
    let head = text(section(&index, "headline-h"));
    assert!(head.contains("Delivery got faster."), "{head}");
    assert!(head.contains("Decisions Fund the storage replacement"), "{head}");
    assert!(!head.contains("Drafted from the data"), "a written headline is not marked drafted");
    // the other sections wait behind a fold
    let rest = &index[index.find("<details class=\"rest\"").unwrap()..];
    assert!(rest.find("What went well").unwrap() < rest.find("</details>").unwrap());
    // nothing on the index lists every key result any more
    assert!(!index.contains("kr-bars"), "the index lists every key result");
}

/// Counts by objective kind from okrs.csv and summary.json's `missed`.
fn missed_by_kind(site: &Path) -> [usize; 4] {
    let mut okrs = csv::Reader::from_path(root().join("sample-data/okrs.csv")).unwrap();
    let header = okrs.headers().unwrap().clone();
    let col = |name| header.iter().position(|h| h == name).unwrap();
    let committed: BTreeSet<String> = okrs
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[col("quarter")] == "2026-Q3" && &r[col("objective_kind")] == "committed")
        .map(|r| r[col("kr_id")].to_string())
        .collect();
    let s = summary(site);
    let mut out = [0; 4];
    for k in s["krs"].as_array().unwrap() {
        let is_committed = committed.contains(k["kr_id"].as_str().unwrap());
        let missed = k["missed"].as_bool().unwrap();
        let i = if is_committed { 0 } else { 2 };
        out[i] += 1;
        out[i + 1] += usize::from(missed);
    }
    out
}

#[test]
fn the_org_card_counts_missed_commitments_and_aspirational_misses_apart() {
    let (_dir, site) = sample();
    let [committed, committed_missed, aspirational, aspirational_missed] = missed_by_kind(&site);
    assert_eq!((committed, committed_missed, aspirational, aspirational_missed), (12, 10, 26, 16));
    let card = text(section(&read(&site, "index.html"), "org-h"));
    assert!(card.contains("Committed, missed 10 of 12 committed, below 1.00"), "{card}");
    assert!(card.contains("Aspirational, below green 16 of 26 aspirational, below 0.70"), "{card}");
    assert!(card.contains("Org score 0.69 amber mean of 5 team scores, 0–1"), "{card}");
}

/// The alert-kind findings of summary.json, per key result.
const ALERT_KINDS: [&str; 7] = [
    "surprise_miss",
    "green_but_drifting",
    "reported_not_measured",
    "missed_commitment",
    "risk_raised_late",
    "stale",
    "unmeasured",
];

#[test]
fn the_exceptions_table_is_worst_first_and_holds_at_most_twelve() {
    let (_dir, site) = sample();
    let s = summary(&site);
    let flagged: BTreeSet<&str> = s["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ALERT_KINDS.contains(&f["kind"].as_str().unwrap()))
        .filter_map(|f| f["kr_id"].as_str())
        .collect();
    assert_eq!(flagged.len(), 13);
    let index = read(&site, "index.html");
    let table = section(&index, "exc-h");
    let rows: Vec<&str> = table.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 10, "at most 10 rows");
    assert!(text(table).contains("10 of 13 flagged key results, worst first."));
    // GRO-KR6 has three warnings (missed commitment, stale, unmeasured): first.
    // GRO-KR4 and MOB-KR1 have two each; GRO-KR4's surprise miss reads first.
    let first: Vec<String> = rows.iter().take(3).map(|r| text(r).split(' ').next().unwrap().to_string()).collect();
    assert_eq!(first, ["GRO-KR6", "GRO-KR4", "MOB-KR1"]);
    assert!(text(rows[0]).ends_with("missed commitment stale unmeasured"), "{}", text(rows[0]));
    // a chip per finding: MOB-KR1's risk raised late is a chip too
    assert!(text(rows[2]).ends_with("reported ≠ measured missed commitment risk raised late"), "{}", text(rows[2]));
    assert!(table.contains("href=\"findings.html\""));
    // the misses grouped by cause, counted from summary.json's `misses`
    let misses = s["misses"].as_array().unwrap();
    let with = |cause: &str| {
        misses.iter().filter(|m| m["causes"].as_array().unwrap().iter().any(|c| c["cause"] == cause)).count()
    };
    let unexplained = misses.iter().filter(|m| m["unexplained"] == true).count();
    let line = format!(
        "The {} misses by cause (one may have several): rhythm {} · delivery {} · strategy {} · unexplained {unexplained}.",
        misses.len(),
        with("rhythm"),
        with("delivery"),
        with("strategy")
    );
    assert!(text(table).contains(&line), "{line} not in {}", text(table));
    assert!(table.contains("href=\"findings.html#f-miss_rhythm\""));
}

#[test]
fn how_the_work_flowed_compares_with_the_previous_quarter() {
    let (_dir, site) = sample();
    let flow = text(section(&read(&site, "index.html"), "sig-h"));
    // deployments.csv by UTC day (worked out with a short script): 2026-Q2
    // 286 deployments in 13 weeks, 33 failed; 2026-Q3 365 in 13.14 weeks, 51 failed
    assert!(flow.contains("Signal This quarter 2026-Q2 Change"), "{flow}");
    assert!(flow.contains("Deployments per week 27.8 per week 22.0 per week +26% better"), "{flow}");
    // 51/365 = 14.0% against 33/286 = 11.5%: +2.4 points, worse (lower is better)
    assert!(flow.contains("Change failure rate 14.0% 11.5% +2.4 pts worse"), "{flow}");
    // median restore time of incidents resolved in each quarter: 4.77 h (n = 40), 6.76 h (n = 30)
    assert!(flow.contains("Time to restore 6.8 h 4.8 h +42% worse"), "{flow}");
}

#[test]
fn without_history_the_flow_shows_the_first_and_last_28_days() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_copy(&sample_without_history(dir.path()), dir.path());
    let flow = text(section(&read(&site, "index.html"), "sig-h"));
    // deployments.csv by UTC day: 104 deployments, 13 failed, 2026-07-01..07-28;
    // 122, 21 failed, 2026-09-03..09-30 (worked out with a short script)
    // (one number rule: a quantity from 1 to 100 has one decimal, 104 / 4 weeks is 26.0)
    assert!(flow.contains("Deployments per week 27.8 per week 26.0 per week 30.5 per week"), "{flow}");
    assert!(flow.contains("Change failure rate 14.0% 12.5% 17.2%"), "{flow}");
    // incidents resolved in the first 28 days: fewer than 10, so not compared
    assert!(flow.contains("Time to restore 6.8 h — 4.7 h"), "{flow}");
    assert!(!site.join("history.html").exists(), "no history without earlier quarters");
}

/// The sample's data folder without its 2026-Q2 rows of okrs.csv, the
/// `continues` naming them and their check-ins: a pack without history.
fn sample_without_history(dir: &Path) -> PathBuf {
    let data = copy_sample(dir, |_| true);
    let okrs = std::fs::read_to_string(data.join("okrs.csv")).unwrap();
    let kept: Vec<String> = okrs
        .lines()
        .filter(|l| !l.starts_with("2026-Q2"))
        .map(|l| ["PLAT-Q2-KR3", "GRO-Q2-KR2", "DATA-Q2-KR2"].iter().fold(l.to_string(), |l, c| l.replace(c, "")))
        .collect();
    std::fs::write(data.join("okrs.csv"), kept.join("\n") + "\n").unwrap();
    let checkins = std::fs::read_to_string(data.join("checkins.csv")).unwrap();
    let mut lines = checkins.split('\n');
    let head = lines.next().unwrap().to_string();
    // the 2026-Q2 check-ins are the file's first rows, one line each
    let rest: Vec<&str> = lines.skip_while(|l| l.starts_with("2026-0") && &l[..10] < "2026-07-01").collect();
    std::fs::write(data.join("checkins.csv"), format!("{head}\n{}", rest.join("\n"))).unwrap();
    data
}

/// A copy of the sample's data folder, of the files `keep` keeps.
fn copy_sample(dir: &Path, keep: impl Fn(&Path) -> bool) -> PathBuf {
    let data = dir.join("data");
    for entry in walk(&root().join("sample-data")) {
        let rel = entry.strip_prefix(root().join("sample-data")).unwrap();
        if rel.starts_with("site") || rel.starts_with("tools") || !keep(rel) {
            continue;
        }
        let to = data.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, to).unwrap();
    }
    data
}

/// Builds a data folder into `dir/site`.
fn build_copy(data: &Path, dir: &Path) -> PathBuf {
    let opts = quarterdeck::BuildOptions {
        data_dir: data.to_path_buf(),
        out: Some(dir.join("site")),
        ..quarterdeck::BuildOptions::default()
    };
    quarterdeck::build(&opts, &|_| {}).unwrap().site
}

/// The sample's data folder without notes/quarter.md.
fn sample_without_notes(dir: &Path) -> PathBuf {
    copy_sample(dir, |rel| rel != Path::new("notes/quarter.md"))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn without_notes_the_headline_is_drafted_from_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let data = sample_without_notes(dir.path());
    let opts = quarterdeck::BuildOptions {
        data_dir: data.clone(),
        out: Some(dir.path().join("site")),
        quarter: None,
        as_of: None,
        audience: quarterdeck::Audience::Leadership,
        paper: None,
        brief_team: None,
        brief_group: None,
    };
    let site = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    let index = read(&site, "index.html");
    let head = text(section(&index, "headline-h"));
    // The figures, each checked apart: org 0.69 and the grades (the
    // independent recomputation of tests/pack.rs), 0.76 in 2026-Q2 (its
    // recomputation of 2026-Q2: data 0.88, growth 0.59, mobile 0.86,
    // payments 0.82, platform 0.64); 12 committed key results of which 10
    // missed, 26 aspirational of which 16 below 0.70 (the test above); data
    // 1.00 and growth 0.46 (summary.json's teams); GRO-KR4's last check-in
    // has confidence 8 (checkins.csv); against 2026-Q2 the time to restore
    // moved most, 4.77 h → 6.76 h (+42%): deployments per week +26%, change
    // failure rate +21% of 11.5%, cycle time −8% (the script of the test above).
    let want = [
        "The organisation scored 0.69 (amber), down from 0.76 in 2026-Q2, over 5 teams and 38 key results: 16 green, 16 amber and 6 red.",
        "10 of 12 committed key results missed 1.00; 16 of 26 aspirational ones ended below green (0.70).",
        "The strongest team was data at 1.00 (green); the weakest growth at 0.46 (amber).",
        "The biggest surprise: GRO-KR4 (Increase trial-to-paid conversion from 8% to 12%) ended at 0.23 (red) with its last confidence at 8/10.",
        "Of the flow signals, time to restore moved most since 2026-Q2: 4.8 h then, 6.8 h this quarter (+42%, worse).",
    ];
    for sentence in want {
        assert!(head.contains(sentence), "missing {sentence:?} in {head}");
    }
    assert!(head.contains("Drafted from the data; write notes/quarter.md to replace it."), "{head}");
    // each figure links to its page
    let block = section(&index, "headline-h").replace("&#x2F;", "/");
    for href in [
        "teams.html",
        "findings.html#f-missed_commitment",
        "teams/data.html",
        "teams/growth.html",
        "krs/gro-kr4.html",
        "signals.html#mttr_hours",
    ] {
        assert!(block.contains(&format!("href=\"{href}\"")), "no link to {href}");
    }
    // decisions still asked for in a key result's last check-in, newest first
    assert!(head.contains("Decisions asked for GRO-KR4 (growth, 2026-09-25): Should the KR count conversions after the 14-day window?"), "{head}");
    // the same words every time
    let again = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    assert_eq!(read(&again, "index.html"), index);
}

#[test]
fn teams_html_lists_every_team_readable_without_its_script() {
    let (_dir, site) = sample();
    let teams = read(&site, "teams.html");
    let s = summary(&site);
    let table = &teams[teams.find(r#"id="teams-table""#).unwrap()..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    let ids: Vec<String> =
        body.split("<th scope=\"row\" data-value=\"").skip(1).map(|r| r[..r.find('"').unwrap()].to_string()).collect();
    let want: Vec<String> =
        s["teams"].as_array().unwrap().iter().map(|t| t["team"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, want, "every team, by name");
    // growth: 0.46, down 0.13 from 0.59 in 2026-Q2 ((0.67 + 0.50) / 2 = 0.585,
    // rounded half up: GRO-KR1 (32 − 28) / (34 − 28), GRO-Q2-KR2 (8 − 7) / (9 − 7));
    // 0 green, 5 amber, 3 red of 8; its findings as chips with counts; its group (SPEC §8)
    let growth = &body[body.find("data-value=\"growth\">").unwrap() + "data-value=\"growth\">".len()..];
    let growth = text(&growth[..growth.find("</tr>").unwrap()]);
    assert!(
        growth.starts_with("growth Product 0.46 amber −0.13 from 0.59 8 0 5 3 1 surprise miss 3 missed commitment"),
        "{growth}"
    );
    // sortable and filterable by an inline script that needs no network
    assert!(teams.contains("<script>") && !teams.contains("<script src"));
    assert!(teams.contains("id=\"teams-tools\" hidden"), "the filter box stays hidden without the script");
    assert!(read(&site, "index.html").contains("href=\"teams.html\""));
}

#[test]
fn the_brief_has_every_key_result_and_the_hashes_last() {
    let (_dir, site) = sample();
    let brief = read(&site, "brief.html");
    let s = summary(&site);
    for k in s["krs"].as_array().unwrap() {
        let id = k["kr_id"].as_str().unwrap();
        assert!(brief.contains(&format!(">{id} <")), "{id} missing from the brief");
    }
    let pages = brief.matches("class=\"brief-page").count();
    // cover, summary, 5 teams, the method, the files (on the method's sheet)
    assert_eq!(pages, 9);
    let (cover, hashes) = (brief.find("id=\"cover-h\"").unwrap(), brief.find("SHA-256").unwrap());
    assert!(brief[..hashes].contains("id=\"method-h\"") && cover < hashes);
    assert!(!brief[..brief.find("id=\"method-h\"").unwrap()].contains("SHA-256"), "hashes before the last page");
    let cover_text = text(section(&brief, "cover-h"));
    assert!(cover_text.contains("0.69 amber org score"), "{cover_text}");
}

#[test]
fn a_team_brief_is_that_team_alone_and_an_unknown_team_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = quarterdeck::BuildOptions {
        data_dir: root().join("sample-data"),
        out: Some(dir.path().join("site")),
        quarter: None,
        as_of: None,
        audience: quarterdeck::Audience::Leadership,
        paper: None,
        brief_team: Some("payments".into()),
        brief_group: None,
    };
    let site = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    let brief = read(&site, "brief.html");
    assert_eq!(brief.matches("class=\"brief-page team-page\"").count(), 1);
    assert!(brief.contains(">PAY-KR1 <") && !brief.contains(">GRO-KR1 <"));
    opts.brief_team = Some("payment".into());
    opts.out = Some(dir.path().join("other"));
    let e = quarterdeck::build(&opts, &|_| {}).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert_eq!(
        e.to_string(),
        "--team: no team \"payment\" has key results this quarter; the teams are data, growth, mobile, payments, platform"
    );
}

/// okrs.csv of `teams` teams, each with two objectives of two milestones;
/// every key result ends at 0.2 with confidence 9: a surprise miss each.
fn big_org(dir: &Path, teams: usize) -> PathBuf {
    let data = dir.join("big");
    std::fs::create_dir_all(&data).unwrap();
    let mut okrs = String::from("quarter,team,objective_id,objective,kr_id,key_result,owner,kind\n");
    let mut checkins = String::from("date,kr_id,author,value,confidence\n");
    for t in 0..teams {
        for o in 0..2 {
            for k in 0..2 {
                let kr = format!("T{t}-O{o}-KR{k}");
                okrs.push_str(&format!(
                    "2026-Q3,team-{t:03},T{t}-O{o},Ship the thing {o},{kr},Ship part {k},owner-{t},milestone\n"
                ));
                checkins.push_str(&format!("2026-09-20,{kr},owner-{t},{},9\n", if t % 7 == 0 { "0.2" } else { "0.9" }));
            }
        }
    }
    std::fs::write(data.join("okrs.csv"), okrs).unwrap();
    std::fs::write(data.join("checkins.csv"), checkins).unwrap();
    data
}

#[test]
fn the_index_of_500_teams_stays_under_200_kb_with_no_list_that_grows() {
    let dir = tempfile::tempdir().unwrap();
    let data = big_org(dir.path(), 500);
    let opts = quarterdeck::BuildOptions {
        data_dir: data,
        out: Some(dir.path().join("site")),
        quarter: None,
        as_of: None,
        audience: quarterdeck::Audience::Leadership,
        paper: None,
        brief_team: None,
        brief_group: None,
    };
    let site = quarterdeck::build(&opts, &|_| {}).unwrap().site;
    let index = read(&site, "index.html");
    assert!(index.len() < 200_000, "index.html is {} bytes", index.len());
    let exceptions = section(&index, "exc-h");
    assert_eq!(exceptions.matches("<tr>").count(), 1 + 10, "10 exceptions and the header");
    let teams = section(&index, "teams-h").replace("&#x2F;", "/");
    assert_eq!(teams.matches("<tr>").count(), 1 + 12, "12 teams and the header");
    // the 12 lowest: every 7th team scores 0.2 (team-000, team-007, …)
    assert!(text(&teams).contains("The 12 teams with the lowest scores, lowest first, of 500."));
    assert!(teams.contains("teams/team-000.html") && teams.contains("teams/team-077.html"));
    assert!(!teams.contains("teams/team-084.html"));
    // the navigation links teams.html, which has them all
    assert!(index.contains("href=\"teams.html\""));
    assert_eq!(read(&site, "teams.html").matches("<th scope=\"row\"").count(), 500);
    // past 40 teams the brief has a table, not a page per team
    let brief = read(&site, "brief.html");
    assert_eq!(brief.matches("team-page").count(), 0);
    assert!(brief.contains("quarterdeck pdf --team TEAM"));
}
