//! SPEC §8 on `fixtures/alignment` (its README works every number out by
//! hand): aligned scores through two levels, an objective with key results
//! and children, top objectives without key results, the layer strip's
//! counts, group scores, what the tree calls out, the lint `check` runs over
//! it, and the input errors of `aligns_to` (exit 2, the rows named).

mod common;

use assert_cmd::Command;
use common::{build_summary, close, root, tree};
use serde_json::Value;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/alignment";

fn objective<'a>(s: &'a Value, id: &str) -> &'a Value {
    s["objectives"].as_array().unwrap().iter().find(|o| o["objective_id"] == id).unwrap()
}

#[test]
fn aligned_scores_run_up_the_tree_as_worked_out_by_hand() {
    let s = build_summary(FIXTURE, None);
    // (own score, aligned score): B1 has no children, A1 has key results and
    // a child, C1 and C2 have children only, B2 stands alone
    let want = [
        ("B1", Some(0.70), 0.70),
        ("A1", Some(0.60), 0.65),
        ("G1", Some(0.28), 0.28),
        ("C1", None, 0.47),
        ("B3", Some(0.75), 0.75),
        ("C2", None, 0.75),
        ("B2", Some(0.40), 0.40),
    ];
    for (id, own, aligned) in want {
        let o = objective(&s, id);
        match own {
            Some(x) => close(&o["score"], x),
            None => assert!(o["score"].is_null() && o["grade"].is_null(), "{id}: {o}"),
        }
        close(&o["aligned_score"], aligned);
    }
    assert_eq!(objective(&s, "C1")["aligned_grade"], "amber");
    assert_eq!(objective(&s, "B1")["aligns_to"], "A1");
    assert!(objective(&s, "C1")["aligns_to"].is_null());
    // the org score stays the mean of the team scores: (0.60 + 0.62 + 0.28) / 3
    close(&s["org"]["score"], 0.50);
    assert_eq!(s["org"]["objectives"], 5, "the objectives with key results of their own");
    assert_eq!(s["objectives"].as_array().unwrap().len(), 7);
}

#[test]
fn the_layer_strip_counts_own_and_descendants_key_results() {
    let s = build_summary(FIXTURE, None);
    let want = [
        ("C1", [4, 1, 1, 0]),
        ("A1", [2, 1, 1, 0]),
        ("B1", [1, 0, 1, 0]),
        ("G1", [2, 0, 0, 0]),
        ("C2", [0, 2, 0, 0]),
        ("B2", [0, 0, 0, 1]),
    ];
    for (id, [workflow, outcome, business, none]) in want {
        let l = &objective(&s, id)["layers"];
        assert_eq!(
            l,
            &serde_json::json!({"workflow": workflow, "outcome": outcome, "business": business, "none": none}),
            "{id}"
        );
    }
}

#[test]
fn groups_score_the_mean_of_their_teams() {
    let s = build_summary(FIXTURE, None);
    let groups = s["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["group"], "Infrastructure");
    close(&groups[0]["score"], 0.28);
    assert_eq!(groups[0]["teams"], serde_json::json!(["gamma"]));
    assert_eq!(groups[1]["group"], "Product");
    // (0.60 + 0.62) / 2
    close(&groups[1]["score"], 0.61);
    assert_eq!(groups[1]["grade"], "amber");
    assert_eq!(groups[1]["teams"], serde_json::json!(["alpha", "beta"]));
    let beta = s["teams"].as_array().unwrap().iter().find(|t| t["team"] == "beta").unwrap();
    // (0.70 + 0.40 + 0.75) / 3 = 0.6167
    close(&beta["score"], 0.62);
    assert_eq!(beta["group"], "Product");
}

#[test]
fn the_tree_calls_out_tops_without_workflow_unreached_workflow_and_the_unaligned() {
    let s = build_summary(FIXTURE, None);
    let a = &s["alignment"];
    assert_eq!(a["tops"], serde_json::json!(["C1", "C2"]));
    assert_eq!(a["tops_without_workflow"], serde_json::json!(["C2"]));
    // KG1 reaches KB3 by its pair, KA1 and KB1 a result of their own objective
    assert_eq!(a["workflow_unreached"], serde_json::json!(["KG2"]));
    assert_eq!(a["unaligned"], serde_json::json!(["B2"]));
    let unaligned: Vec<&Value> =
        s["findings"].as_array().unwrap().iter().filter(|f| f["kind"] == "unaligned").collect();
    assert_eq!(unaligned.len(), 1);
    assert_eq!(unaligned[0]["team"], "beta");
    assert!(unaligned[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("objective B2 \u{201c}Tidy the payments codebase\u{201d} aligns to nothing while 4 of"));
}

/// A copy of the fixture in a temp folder with okrs.csv edited by `edit`.
fn copy_with(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in tree(&root().join(FIXTURE)) {
        std::fs::write(dir.path().join(path), bytes).unwrap();
    }
    let okrs = dir.path().join("okrs.csv");
    std::fs::write(&okrs, edit(std::fs::read_to_string(&okrs).unwrap())).unwrap();
    dir
}

/// Replaces the cell `aligns_to` of objective `id` (on every row of it).
fn align(text: &str, id: &str, to: &str) -> String {
    text.lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            if cells[2] == id {
                cells[5] = to;
            }
            cells.join(",") + "\n"
        })
        .collect()
}

/// Runs `build` on `data` and asserts exit 2 with `message`, and nothing written.
#[track_caller]
fn fails_with(data: &Path, message: &str) {
    let out: PathBuf = data.join("site");
    let run =
        Command::cargo_bin("quarterdeck").unwrap().arg("build").arg(data).arg("--out").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(message), "expected {message:?} in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_cycle_is_an_input_error_naming_both_rows() {
    // A1 (line 4) aligns to B1 (line 6), which aligns to A1
    let dir = copy_with(|t| align(&t, "A1", "B1"));
    fails_with(
        dir.path(),
        "okrs.csv line 4, column aligns_to: expected a tree of objectives, each led up to a top objective, \
         found a cycle: A1 (line 4) → B1 (line 6) → A1",
    );
    // three objectives, the cycle named from its first line
    let dir = copy_with(|t| align(&align(&t, "C1", "B1"), "A1", "C1"));
    fails_with(dir.path(), "okrs.csv line 2, column aligns_to: expected a tree of objectives, each led up to a top objective, found a cycle: C1 (line 2) → B1 (line 6) → A1 (line 4) → C1");
    let dir = copy_with(|t| align(&t, "B2", "B2"));
    fails_with(
        dir.path(),
        "okrs.csv line 12, column aligns_to: expected the objective_id of another objective, found \"B2\", its own id",
    );
}

#[test]
fn an_unknown_parent_or_one_of_another_quarter_is_an_input_error_naming_the_row() {
    let dir = copy_with(|t| align(&t, "G1", "C9"));
    fails_with(
        dir.path(),
        "okrs.csv line 8, column aligns_to: expected the objective_id of an objective of 2026-Q3, found \"C9\", \
         which no row of okrs.csv has",
    );
    let dir = copy_with(|t| {
        align(&t, "G1", "P1")
            + "2026-Q2,company,P1,Last quarter's promise,,,,,,,,,,,,,,,,,,\n"
            + "2026-Q2,alpha,PA,Last quarter's checkout,,P1,K0,Old key result,ana,milestone,,,,,,,,,,,,\n"
    });
    fails_with(
        dir.path(),
        "okrs.csv line 8, column aligns_to: expected the objective_id of an objective of 2026-Q3, found \"P1\", \
         an objective of 2026-Q2 (line 13)",
    );
}

#[test]
fn an_objective_aligns_the_same_way_on_every_row_and_an_objective_row_holds_no_key_result() {
    let dir = copy_with(|t| {
        t.replacen(
            "2026-Q3,alpha,A1,Make checkout effortless,,C1,KA2",
            "2026-Q3,alpha,A1,Make checkout effortless,,C2,KA2",
            1,
        )
    });
    fails_with(
        dir.path(),
        "okrs.csv line 5, column aligns_to: objective A1 aligns to \"C1\" on line 4 but to \"C2\" here",
    );
    let dir = copy_with(|t| {
        t.replacen("Customers trust us with their money,,,,,,", "Customers trust us with their money,,,,,ana,", 1)
    });
    fails_with(
        dir.path(),
        "okrs.csv line 2, column owner: expected an empty cell on a row without a key result (its kr_id and \
         key_result are empty), found \"ana\"",
    );
    // a key result named by one of kr_id and key_result: the empty one is named
    let dir = copy_with(|t| t.replacen("C1,KA1,Cut the checkout", "C1,,Cut the checkout", 1));
    fails_with(
        dir.path(),
        "okrs.csv line 4, column kr_id: expected a value, found an empty cell while key_result is \"Cut the \
         checkout flow to one page\": a key result needs both kr_id and key_result, a row stating an objective \
         alone neither",
    );
}

#[test]
fn a_broken_tree_of_an_older_quarter_is_left_out_with_a_warning() {
    // 2026-Q1 is neither the quarter built nor the one it is compared with (2026-Q2)
    let dir = copy_with(|t| {
        t + "2026-Q2,alpha,PA,Last quarter's checkout,,,K0,Old key result,ana,milestone,,,,,,,,,,,,\n"
            + "2026-Q1,alpha,QA,Older checkout,,QB,K00,Older key result,ana,milestone,,,,,,,,,,,,\n"
            + "2026-Q1,beta,QB,Older payments,,QA,K01,Older key result,ben,milestone,,,,,,,,,,,,\n"
    });
    let report = quarterdeck::check::check(dir.path(), None).unwrap();
    let skipped: Vec<_> = report.findings.iter().filter(|f| f.kind.name() == "history_row_skipped").collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].message.contains("found a cycle: QA (line 14) → QB (line 15) → QA"), "{}", skipped[0].message);
    assert_eq!(skipped[1].kr_id.as_deref(), Some("K01"));
}

/// `check`'s findings of `kind` on the fixture with okrs.csv edited by `edit`.
fn lint(edit: impl FnOnce(String) -> String, kind: &str) -> Vec<quarterdeck::finding::Finding> {
    let dir = copy_with(edit);
    let report = quarterdeck::check::check(dir.path(), None).unwrap();
    report.findings.into_iter().filter(|f| f.kind.name() == kind).collect()
}

#[test]
fn check_lints_a_cascade_inside_one_team_only_past_one_level() {
    // A2 under A1 (one level inside alpha): fine; A3 under A2 under A1: two levels
    let rows =
        "2026-Q3,alpha,A2,Make the pilot checkout effortless,,A1,KA3,Cut pilot steps,ana,milestone,,,,,,,,,,,,\n\
                2026-Q3,alpha,A3,Make the pilot basket effortless,,A2,KA4,Cut basket steps,ana,milestone,,,,,,,,,,,,\n";
    let found = lint(|t| t + rows, "cascade_in_team");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].team.as_deref(), Some("alpha"));
    assert!(
        found[0].message.starts_with("objective A3 sits two levels of team alpha below A1 (A3 → A2 → A1)"),
        "{}",
        found[0].message
    );
    // B1 is beta's, under alpha's A1: no cascade inside one team
    assert!(lint(|t| t, "cascade_in_team").is_empty());
}

#[test]
fn check_lints_a_parent_that_is_itself_a_number() {
    let found = lint(
        |t| t.replace("Keep every promise we make to customers", "Answer 95% of tickets the same day"),
        "parent_is_number",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].team.as_deref(), Some("beta"));
    assert!(found[0].message.starts_with("objective B3 aligns to C2 \u{201c}Answer 95% of tickets the same day\u{201d}, itself a number (\u{201c}95%\u{201d})"), "{}", found[0].message);
    assert!(lint(|t| t, "parent_is_number").is_empty());
}

#[test]
fn check_lints_an_objective_aligned_to_nothing_only_when_others_are_aligned() {
    let found = lint(|t| t, "unaligned");
    assert_eq!(found.iter().map(|f| f.team.as_deref()).collect::<Vec<_>>(), [Some("beta")]);
    // no tree at all: nothing is unaligned, and a top objective's lack of key results is no kr_count
    let flat = |t: String| ["A1", "B1", "G1", "B3"].iter().fold(t, |t, id| align(&t, id, ""));
    assert!(lint(flat, "unaligned").is_empty());
    let counts = lint(|t| t, "kr_count");
    assert!(counts.iter().all(|f| !f.message.contains("C1") && !f.message.contains("C2")), "{counts:?}");
}

/// The text of a page with its tags and runs of spaces folded to one space.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Builds the fixture with `brief_group` and returns the site.
fn site_with(data: &Path, brief_group: Option<&str>, out: &Path) -> quarterdeck::error::Result<PathBuf> {
    let opts = quarterdeck::BuildOptions {
        data_dir: data.to_path_buf(),
        out: Some(out.to_path_buf()),
        brief_group: brief_group.map(String::from),
        ..Default::default()
    };
    quarterdeck::build(&opts, &|_| {}).map(|b| b.site)
}

fn page(site: &Path, name: &str) -> String {
    std::fs::read_to_string(site.join(name)).unwrap()
}

#[test]
fn alignment_html_shows_the_tree_depth_first_with_scores_strips_and_call_outs() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with(&root().join(FIXTURE), None, &dir.path().join("site")).unwrap();
    let html = page(&site, "alignment.html");
    let text = text_of(&html);
    // each objective before the ones aligned to it, children by id; B2 (aligned to nothing) last
    let order: Vec<usize> = ["C1 Customers", "A1 Make", "B1 Make", "G1 Run", "C2 Keep", "B3 Answer", "B2 Tidy"]
        .iter()
        .map(|head| text.rfind(head).unwrap_or_else(|| panic!("{head} missing")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        text.contains(
            "0.47 amber aligned · no key results of its own · 2 aligned to it 4 workflow · 1 outcome · 1 business"
        ),
        "{text}"
    );
    assert!(
        text.contains("0.65 amber aligned · own 0.60 · 1 aligned to it 2 workflow · 1 outcome · 1 business"),
        "{text}"
    );
    assert!(text.contains("B1 Make payments feel instant beta 0.70 green 1 workflow · 1 business"), "{text}");
    assert!(text.contains("C2 Keep every promise we make to customers (2 outcome)"), "{text}");
    assert!(text.contains("KG2 Retire the old build farm (gamma)"), "{text}");
    assert!(text.contains("B2 Tidy the payments codebase (beta)"), "{text}");
    // the strip of C1: 4 of 6 workflow, 1 outcome, 1 business
    assert!(html.contains(r#"<span class="layer-workflow" style="width: 66.66666666666667%"></span>"#), "{html}");
    // a team page says what each objective serves and, with children, its aligned score
    let alpha = text_of(&page(&site, "teams/alpha.html"));
    assert!(
        alpha.contains("Serves C1 Customers trust us with their money · 1 aligned to it, aligned score 0.65"),
        "{alpha}"
    );
    assert!(text_of(&page(&site, "teams/beta.html")).contains("Aligned to nothing"));
    // the navigation links it; a pack without a tree has no such page
    assert!(page(&site, "index.html").contains(r#"href="alignment.html""#));
    let flat = copy_with(|t| ["A1", "B1", "G1", "B3"].iter().fold(t, |t, id| align(&t, id, "")));
    let site = site_with(flat.path(), None, &flat.path().join("site")).unwrap();
    assert!(!site.join("alignment.html").exists());
    assert!(!page(&site, "index.html").contains("alignment.html"));
}

#[test]
fn the_index_shows_the_top_objectives_and_the_teams_under_their_groups() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with(&root().join(FIXTURE), None, &dir.path().join("site")).unwrap();
    let text = text_of(&page(&site, "index.html"));
    assert!(
        text.contains("Top objectives , aligned Customers trust us with their money 0.47 amber Keep every promise we make to customers 0.75 green"),
        "{text}"
    );
    // groups by name, each with its teams; the org card still the mean of the teams
    assert!(
        text.contains(
            "Infrastructure 1 team 0.28 red 0 / 0 / 2 of 2 4 gamma 0.28 red 0 / 0 / 2 of 2 4 \
             Product 2 teams 0.61 amber 3 / 4 / 0 of 7 7 alpha 0.60 amber 1 / 1 / 0 of 2 2 beta 0.62 amber 2 / 3 / 0 of 5 5"
        ),
        "{text}"
    );
    let teams = text_of(&page(&site, "teams.html"));
    assert!(teams.contains("Infrastructure 0.28 red 1 2 0 0 2 4 Product 0.61 amber 2 7 3 4 0 7"), "{teams}");
    assert!(teams.contains("gamma Infrastructure 0.28 red"), "{teams}");
}

#[test]
fn the_brief_has_the_top_objectives_and_a_group_brief_is_its_teams_alone() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with(&root().join(FIXTURE), None, &dir.path().join("org")).unwrap();
    let org = text_of(&page(&site, "brief.html"));
    assert!(org.contains("Top objectives Objective Aligned score C1 Customers trust us with their money 0.47 amber C2 Keep every promise we make to customers 0.75 green"), "{org}");
    let site = site_with(&root().join(FIXTURE), Some("Product"), &dir.path().join("product")).unwrap();
    let product = text_of(&page(&site, "brief.html"));
    assert!(product.contains("Quarterly review: one group Product"), "{product}");
    assert!(product.contains("0.61 amber group score, 0–1: the mean of its 2 team scores"), "{product}");
    assert!(product.contains("alpha 0.60 amber") && product.contains("beta 0.62 amber"), "{product}");
    assert!(!product.contains("gamma") && !product.contains("Top objectives"), "{product}");
    let e = site_with(&root().join(FIXTURE), Some("Sales"), &dir.path().join("sales")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "--group: no group \"Sales\" has key results this quarter; the groups are Infrastructure, Product"
    );
    assert_eq!(e.exit_code(), 2);
    assert!(!dir.path().join("sales").exists());
}

/// A data folder of `n` teams, team i with one milestone key result at
/// (i mod 10) / 10, even teams in group Even and odd ones in Odd.
fn many_teams(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut okrs = String::from("quarter,team,objective_id,objective,kr_id,key_result,owner,kind,layer\n");
    let mut checkins = String::from("date,kr_id,author,value,confidence\n");
    let mut toml = String::from("org = \"Many\"\n");
    for i in 0..n {
        okrs += &format!("2026-Q3,t{i:02},O{i:02},Objective {i},K{i:02},Key result {i},p{i},milestone,workflow\n");
        checkins += &format!("2026-09-28,K{i:02},p{i},{},7\n", (i % 10) as f64 / 10.0);
        toml += &format!("[teams.t{i:02}]\ngroup = \"{}\"\n", if i % 2 == 0 { "Even" } else { "Odd" });
    }
    for (name, text) in [("okrs.csv", okrs), ("checkins.csv", checkins), ("quarterdeck.toml", toml)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

#[test]
fn past_40_teams_the_brief_has_a_page_per_group_lowest_teams_first() {
    let data = many_teams(42);
    let s = {
        let site = site_with(data.path(), None, &data.path().join("site")).unwrap();
        let brief = text_of(&page(&site, "brief.html"));
        // Even: teams 0, 2, …, 40 score 0, .2, .4, .6, .8 four times and 0 once: 8.0 / 21 = 0.381
        // Odd: teams 1, 3, …, 41 score .1, .3, .5, .7, .9 four times and .1 once: 10.1 / 21 = 0.481
        // (red below 0.40, amber below 0.70)
        assert!(brief.contains("Even 0.38 red The mean of its 21 team scores"), "{brief}");
        assert!(brief.contains("Odd 0.48 amber The mean of its 21 team scores"), "{brief}");
        // lowest first, ties by id: t00, t10, t20, t30, t40 at 0.00, then t02 at 0.20
        let even = &brief[brief.find("Even 0.38").unwrap()..brief.find("Odd 0.48").unwrap()];
        let order: Vec<usize> =
            ["t00", "t10", "t20", "t30", "t40", "t02"].iter().map(|t| even.find(t).unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{even}");
        assert!(!brief.contains("The teams that need attention most"), "{brief}");
        let index = page(&site, "index.html");
        assert!(
            text_of(&index)
                .contains("Groups Group, team Score Key results: green / amber / red Findings Even 21 teams 0.38 red"),
            "{index}"
        );
        assert!(!index.contains(r#"class="in-group""#), "past 12 teams the index lists the groups alone");
        serde_json::from_str::<Value>(&page(&site, "data/summary.json")).unwrap()
    };
    let groups = s["groups"].as_array().unwrap();
    assert_eq!((groups[0]["group"].as_str(), groups[0]["teams"].as_array().unwrap().len()), (Some("Even"), 21));
    close(&groups[0]["score"], 0.38);
    close(&groups[1]["score"], 0.48);
    // a group's own brief: a page per team again
    let site = site_with(data.path(), Some("Odd"), &data.path().join("odd")).unwrap();
    let odd = page(&site, "brief.html");
    assert_eq!(odd.matches(r#"class="brief-page team-page""#).count(), 21);
}

#[test]
fn past_five_top_objectives_the_index_and_the_brief_say_how_many_more() {
    // C3 … C7, each served by one objective of team delta: seven top objectives
    let dir = copy_with(|t| {
        (3..=7).fold(t, |t, i| {
            t + &format!("2026-Q3,company,C{i},Company objective {i},,,,,,,,,,,,,,,,,,\n")
                + &format!("2026-Q3,delta,D{i},Delta objective {i},,C{i},KD{i},Delta key result {i},ana,milestone,,,,,,,,,,,,\n")
        })
    });
    let site = site_with(dir.path(), None, &dir.path().join("site")).unwrap();
    let index = text_of(&page(&site, "index.html"));
    assert!(index.contains("Company objective 5 0.00 red and 2 more"), "{index}");
    let brief = text_of(&page(&site, "brief.html"));
    assert!(brief.contains("and 2 more on alignment.html."), "{brief}");
    assert_eq!(page(&site, "alignment.html").matches(r#"class="node indent-0""#).count(), 8, "seven tops and B2");
}

#[test]
fn past_60_objectives_each_top_tree_folds_and_long_call_outs_fold_past_12() {
    // 70 teams, each objective under C0 or C1 and each key result workflow: every
    // one of them reaches no outcome or business key result
    let data = many_teams(70);
    let okrs = data.path().join("okrs.csv");
    let text = std::fs::read_to_string(&okrs).unwrap();
    let mut lines = text.lines();
    let mut out = lines.next().unwrap().replace("objective,kr_id", "objective,aligns_to,kr_id") + "\n";
    out += "2026-Q3,company,C0,Company objective zero,,,,,,\n2026-Q3,company,C1,Company objective one,,,,,,\n";
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        out += &format!("{},C{},{}\n", cells[..4].join(","), i % 2, cells[4..].join(","));
    }
    std::fs::write(&okrs, out).unwrap();
    let site = site_with(data.path(), None, &data.path().join("site")).unwrap();
    let html = page(&site, "alignment.html");
    assert_eq!(html.matches(r#"<details class="top-tree">"#).count(), 2, "one fold per top objective");
    let text = text_of(&html);
    assert!(text.contains("70 key results in 70 teams."), "{text}");
    assert!(text.contains("58 more"), "12 listed, 58 folded: {text}");
    // (Tera writes the slash of krs/ as &#x2F;)
    assert_eq!(html.matches("<li><a href=\"krs&#x2F;").count(), 70, "every one is still on the page");
}

#[test]
fn a_group_of_more_than_40_teams_has_the_lowest_teams_in_its_brief() {
    // 90 teams, 45 in Odd: its brief lists its 12 lowest, of its own 45
    let data = many_teams(90);
    let site = site_with(data.path(), Some("Odd"), &data.path().join("site")).unwrap();
    let brief = text_of(&page(&site, "brief.html"));
    assert!(brief.contains("The 12 lowest-scoring of the group's 45 teams."), "{brief}");
    // the odd teams score .1 at the lowest: t01, t11, …, t81 (9 of them), then .3 from t03
    let table = &brief[brief.find("The teams that need attention most").unwrap()..];
    assert!(
        table.contains("t01 0.10 red") && table.contains("t81 0.10 red") && table.contains("t03 0.30 red"),
        "{table}"
    );
    assert!(!table.contains("t00"), "no team of another group");
}
