//! alignment.html (SPEC §8): the objectives' tree from the top objectives
//! down, each with its own and aligned score and its layer strip, what the
//! tree calls out, and the top objectives the index and the brief show.

use super::lookup::Lookup;
use crate::format::score as score_text;
use crate::model::Grade;
use crate::score::alignment::{Layers, Node};
use serde::Serialize;

/// The most top objectives the index's org card lists.
pub const MAX_INDEX_TOPS: usize = 5;

/// One segment of a layer strip: a layer, how many key results, its share of the width.
#[derive(Debug, Serialize)]
pub struct Segment {
    pub layer: &'static str,
    pub count: usize,
    pub width: f64,
}

/// One objective of the tree.
#[derive(Debug, Serialize)]
pub struct TreeRow {
    pub id: String,
    /// Its anchor on alignment.html.
    pub anchor: String,
    pub title: String,
    pub team: String,
    /// The team's page; empty for a team without key results.
    pub team_href: String,
    /// Parents above it; `indent` is the same, up to six.
    pub depth: usize,
    pub indent: usize,
    /// Its own score; none without key results of its own.
    pub score: Option<String>,
    pub grade: Option<Grade>,
    pub aligned: Option<String>,
    pub aligned_grade: Option<Grade>,
    pub children: usize,
    pub strip: Vec<Segment>,
    /// The strip in words: "4 workflow · 1 outcome · 1 business".
    pub layers: String,
}

/// A key result called out, linked.
#[derive(Debug, Serialize)]
pub struct KrRef {
    pub id: String,
    pub href: String,
    pub text: String,
    pub team: String,
}

/// What alignment.html shows.
#[derive(Debug, Serialize)]
pub struct AlignmentView {
    /// Each top objective with everything beneath it, depth first.
    pub trees: Vec<TopTree>,
    /// Past [`FOLD_PAST`] objectives each top objective's tree is folded under it.
    pub fold: bool,
    /// Objectives aligned to nothing, with nothing aligned to them.
    pub unaligned: CallOut<TreeRow>,
    /// Top objectives with no workflow key result beneath them.
    pub no_workflow: CallOut<TreeRow>,
    /// Workflow key results that reach no outcome or business key result.
    pub unreached: CallOut<KrRef>,
    pub tops: usize,
}

/// A top objective and the objectives beneath it.
#[derive(Debug, Serialize)]
pub struct TopTree {
    pub top: TreeRow,
    pub below: Vec<TreeRow>,
}

/// One list of what the tree calls out: the first [`CALL_OUT_SHOWN`] open, the rest folded.
#[derive(Debug, Serialize)]
pub struct CallOut<T> {
    pub shown: Vec<T>,
    pub folded: Vec<T>,
    /// How many in all, and in how many teams.
    pub total: usize,
    pub teams: usize,
}

impl<T> CallOut<T> {
    fn of(mut all: Vec<T>, team: impl Fn(&T) -> &str) -> CallOut<T> {
        let teams = all.iter().map(&team).collect::<std::collections::BTreeSet<_>>().len();
        let total = all.len();
        let folded = all.split_off(total.min(CALL_OUT_SHOWN));
        CallOut { shown: all, folded, total, teams }
    }
}

/// Past this many objectives alignment.html folds each top objective's tree.
pub const FOLD_PAST: usize = 60;

/// The items of a call-out listed open; the rest are folded under a count.
pub const CALL_OUT_SHOWN: usize = 12;

/// Indentation stops here: a deeper tree still reads at 390 px.
const MAX_INDENT: usize = 6;

/// How many key results of one layer.
type LayerCount = fn(&Layers) -> usize;

/// The layers in the strip's order, with their words.
const LAYERS: [(&str, LayerCount); 4] =
    [("workflow", |l| l.workflow), ("outcome", |l| l.outcome), ("business", |l| l.business), ("no layer", |l| l.none)];

/// The page's view.
pub fn alignment(ix: &Lookup) -> AlignmentView {
    let a = &ix.scores.alignment;
    let rows_of = |ids: &[String]| ids.iter().filter_map(|id| a.node(id)).map(|n| tree_row(ix, n)).collect();
    let trees = a
        .tops
        .iter()
        .filter_map(|top| {
            let mut rows = depth_first(ix, std::slice::from_ref(top)).into_iter().map(|n| tree_row(ix, n));
            let top = rows.next()?;
            Some(TopTree { top, below: rows.collect() })
        })
        .collect();
    let unreached = a.unreached.iter().filter_map(|id| ix.kr_by_id(id)).map(|k| kr_ref(ix, k)).collect();
    AlignmentView {
        trees,
        fold: a.nodes.len() > FOLD_PAST,
        unaligned: CallOut::of(rows_of(&a.unaligned), |r: &TreeRow| r.team.as_str()),
        no_workflow: CallOut::of(rows_of(&a.no_workflow), |r: &TreeRow| r.team.as_str()),
        unreached: CallOut::of(unreached, |k: &KrRef| k.team.as_str()),
        tops: a.tops.len(),
    }
}

/// The nodes under `tops`, each before its children, children by id; no recursion.
fn depth_first<'a>(ix: &'a Lookup, tops: &[String]) -> Vec<&'a Node> {
    let a = &ix.scores.alignment;
    let mut out = Vec::new();
    let mut stack: Vec<&str> = tops.iter().rev().map(String::as_str).collect();
    while let Some(id) = stack.pop() {
        let Some(n) = a.node(id) else { continue };
        out.push(n);
        stack.extend(n.children.iter().rev().map(String::as_str));
    }
    out
}

/// One objective's row.
pub fn tree_row(ix: &Lookup, n: &Node) -> TreeRow {
    let title = ix.objective(&n.objective_id).map_or_else(String::new, |o| o.title.clone());
    TreeRow {
        id: n.objective_id.clone(),
        anchor: ix.links.objective_anchor(&n.objective_id),
        title,
        team: n.team.clone(),
        team_href: ix.links.team(&n.team),
        depth: n.depth,
        indent: n.depth.min(MAX_INDENT),
        score: n.score.map(score_text),
        grade: n.score.map(|s| ix.config.grades.grade(s)),
        aligned: n.aligned_score.map(score_text),
        aligned_grade: n.aligned_grade,
        children: n.children.len(),
        strip: strip(&n.layers),
        layers: layer_words(&n.layers),
    }
}

/// The strip's segments, empty layers left out.
fn strip(l: &Layers) -> Vec<Segment> {
    let total = l.total().max(1) as f64;
    LAYERS
        .iter()
        .map(|(layer, count)| (*layer, count(l)))
        .filter(|(_, count)| *count > 0)
        .map(|(layer, count)| Segment { layer, count, width: count as f64 * 100.0 / total })
        .collect()
}

/// The strip in words, empty layers left out.
fn layer_words(l: &Layers) -> String {
    let words: Vec<String> =
        LAYERS.iter().filter(|(_, count)| count(l) > 0).map(|(layer, count)| format!("{} {layer}", count(l))).collect();
    if words.is_empty() {
        "no key results beneath".to_string()
    } else {
        words.join(" · ")
    }
}

fn kr_ref(ix: &Lookup, k: &crate::model::KeyResult) -> KrRef {
    KrRef { id: k.id.clone(), href: ix.links.kr(&k.id), text: k.text.clone(), team: k.team.clone() }
}

/// A top objective as the index and the brief show it.
#[derive(Debug, Serialize)]
pub struct TopObjective {
    pub id: String,
    pub title: String,
    pub href: String,
    pub aligned: String,
    pub grade: Option<Grade>,
}

/// The top objectives with their aligned scores, at most `cap`, and how many there are.
pub fn top_objectives(ix: &Lookup, cap: usize) -> (Vec<TopObjective>, usize) {
    let a = &ix.scores.alignment;
    let tops = a.tops.iter().filter_map(|id| a.node(id)).take(cap).map(|n| TopObjective {
        id: n.objective_id.clone(),
        title: ix.objective(&n.objective_id).map_or_else(String::new, |o| o.title.clone()),
        href: format!("alignment.html#o-{}", ix.links.objective_anchor(&n.objective_id)),
        aligned: n.aligned_score.map_or_else(|| "—".to_string(), score_text),
        grade: n.aligned_grade,
    });
    (tops.collect(), a.tops.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strip_and_its_words_leave_empty_layers_out() {
        let l = Layers { workflow: 3, outcome: 1, business: 0, none: 0 };
        let s = strip(&l);
        assert_eq!(
            s.iter().map(|s| (s.layer, s.count, s.width)).collect::<Vec<_>>(),
            [("workflow", 3, 75.0), ("outcome", 1, 25.0)]
        );
        assert_eq!(layer_words(&l), "3 workflow · 1 outcome");
        assert_eq!(layer_words(&Layers::default()), "no key results beneath");
    }
}
