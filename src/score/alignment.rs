//! The alignment tree (SPEC §8): each objective under the one it serves,
//! its aligned score and the layers of the key results beneath it, and what
//! alignment.html calls out; and the lint `check` runs over the tree.

use super::rollup::ObjectiveScore;
use super::round2;
use crate::config::Config;
use crate::finding::{Finding, FindingKind as Kind};
use crate::model::{Dataset, Grade, KeyResult, Layer, Objective};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many key results of each layer an objective has, its own and its descendants'.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Layers {
    pub workflow: usize,
    pub outcome: usize,
    pub business: usize,
    /// Key results with no `layer`.
    pub none: usize,
}

impl Layers {
    /// Counts one key result of `layer`.
    fn count(&mut self, layer: Option<Layer>) {
        match layer {
            Some(Layer::Workflow) => self.workflow += 1,
            Some(Layer::Outcome) => self.outcome += 1,
            Some(Layer::Business) => self.business += 1,
            None => self.none += 1,
        }
    }

    /// Adds a child's counts.
    fn add(&mut self, other: Layers) {
        self.workflow += other.workflow;
        self.outcome += other.outcome;
        self.business += other.business;
        self.none += other.none;
    }

    /// Every key result counted.
    pub fn total(&self) -> usize {
        self.workflow + self.outcome + self.business + self.none
    }
}

/// Whether a key result is an outcome or a business result: what a workflow key result should reach.
pub fn is_result(layer: Option<Layer>) -> bool {
    matches!(layer, Some(Layer::Outcome | Layer::Business))
}

/// The objectives of a quarter as a tree, by position in the slice they
/// came in: each one's parent, children and depth. A parent that is no
/// objective of the slice counts as none (ingest refuses one in a pack).
pub struct Tree<'a> {
    pub objectives: &'a [Objective],
    pub parent: Vec<Option<usize>>,
    /// Each objective's children, in the slice's order.
    pub children: Vec<Vec<usize>>,
    /// 0 for an objective aligned to nothing.
    pub depth: Vec<usize>,
}

impl<'a> Tree<'a> {
    /// The tree of `objectives`.
    pub fn new(objectives: &'a [Objective]) -> Tree<'a> {
        let at: BTreeMap<&str, usize> = objectives.iter().enumerate().map(|(i, o)| (o.id.as_str(), i)).collect();
        let parent: Vec<Option<usize>> =
            objectives.iter().map(|o| o.aligns_to.as_deref().and_then(|p| at.get(p).copied())).collect();
        let mut children = vec![Vec::new(); objectives.len()];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let depth = depths(&parent);
        Tree { objectives, parent, children, depth }
    }

    /// Whether any objective is aligned to another.
    pub fn exists(&self) -> bool {
        self.parent.iter().any(Option::is_some)
    }

    /// Positions with every parent before its children: by depth, then position.
    pub fn top_down(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.objectives.len()).collect();
        order.sort_by_key(|&i| (self.depth[i], i));
        order
    }

    /// A top objective: aligned to nothing, with objectives aligned to it.
    pub fn is_top(&self, i: usize) -> bool {
        self.parent[i].is_none() && !self.children[i].is_empty()
    }

    /// Aligned to nothing, and nothing aligned to it, while the quarter has a tree.
    pub fn is_unaligned(&self, i: usize) -> bool {
        self.parent[i].is_none() && self.children[i].is_empty() && self.exists()
    }
}

/// Each position's number of parents above it, found without recursion (a
/// chain may be thousands long); a cycle, which ingest refuses, ends the walk.
fn depths(parent: &[Option<usize>]) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; parent.len()];
    for start in 0..parent.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at.filter(|&i| depth[i].is_none() && path.len() <= parent.len()) {
            path.push(i);
            at = parent[i];
        }
        let below = at.and_then(|i| depth[i]).map_or(0, |d| d + 1);
        for (d, &i) in (below..).zip(path.iter().rev()) {
            depth[i] = Some(d);
        }
    }
    depth.into_iter().map(|d| d.unwrap_or(0)).collect()
}

/// One objective in the tree, with its own and aligned score.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub objective_id: String,
    pub team: String,
    pub aligns_to: Option<String>,
    /// Its children's ids, in the order of the dataset's objectives (by id).
    pub children: Vec<String>,
    /// Its own score; none without key results.
    pub score: Option<f64>,
    /// The mean of its own score (with key results) and its children's
    /// aligned scores, rounded; none with neither.
    pub aligned_score: Option<f64>,
    pub aligned_grade: Option<Grade>,
    /// Its key results' layers and its descendants'.
    pub layers: Layers,
    pub depth: usize,
}

/// The tree of the quarter and what alignment.html calls out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Alignment {
    /// Every objective, by id.
    pub nodes: Vec<Node>,
    /// Top objectives (aligned to nothing, with children), by id.
    pub tops: Vec<String>,
    /// Top objectives with no workflow key result beneath them.
    pub no_workflow: Vec<String>,
    /// Workflow key results that reach no outcome or business key result,
    /// by their pair or through the objectives above them; in okrs.csv order.
    pub unreached: Vec<String>,
    /// Objectives aligned to nothing, and nothing to them, while others are aligned.
    pub unaligned: Vec<String>,
}

impl Alignment {
    /// Whether any objective is aligned to another: without, there is no tree to show.
    pub fn exists(&self) -> bool {
        self.nodes.iter().any(|n| n.aligns_to.is_some())
    }

    /// One objective's node.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.binary_search_by(|n| n.objective_id.as_str().cmp(id)).ok().map(|i| &self.nodes[i])
    }
}

/// The quarter's tree: aligned scores and layers bottom up, reach top down.
pub fn compute(ds: &Dataset, objectives: &[ObjectiveScore], config: &Config) -> Alignment {
    let tree = Tree::new(&ds.objectives);
    let own: BTreeMap<&str, f64> = objectives.iter().map(|o| (o.objective_id.as_str(), o.score)).collect();
    let at: BTreeMap<&str, usize> = ds.objectives.iter().enumerate().map(|(i, o)| (o.id.as_str(), i)).collect();
    let n = ds.objectives.len();
    let (mut aligned, mut layers) = (vec![None; n], vec![Layers::default(); n]);
    for k in &ds.krs {
        if let Some(&i) = at.get(k.objective_id.as_str()) {
            layers[i].count(k.layer);
        }
    }
    for i in tree.top_down().into_iter().rev() {
        let scores = own.get(ds.objectives[i].id.as_str()).copied().into_iter();
        let values: Vec<f64> = scores.chain(tree.children[i].iter().filter_map(|&c| aligned[c])).collect();
        aligned[i] = (!values.is_empty()).then(|| round2(values.iter().sum::<f64>() / values.len() as f64));
        for c in tree.children[i].clone() {
            let child = layers[c];
            layers[i].add(child);
        }
    }
    let ids = |keep: &dyn Fn(usize) -> bool| {
        let mut ids: Vec<String> = (0..n).filter(|&i| keep(i)).map(|i| ds.objectives[i].id.clone()).collect();
        ids.sort();
        ids
    };
    let mut nodes: Vec<Node> = (0..n)
        .map(|i| node(&tree, i, own.get(ds.objectives[i].id.as_str()).copied(), aligned[i], layers[i], config))
        .collect();
    nodes.sort_by(|a, b| a.objective_id.cmp(&b.objective_id));
    Alignment {
        tops: ids(&|i| tree.is_top(i)),
        no_workflow: ids(&|i| tree.is_top(i) && layers[i].workflow == 0),
        unaligned: ids(&|i| tree.is_unaligned(i)),
        unreached: unreached(ds, &tree, &at),
        nodes,
    }
}

fn node(tree: &Tree, i: usize, score: Option<f64>, aligned: Option<f64>, layers: Layers, config: &Config) -> Node {
    let o = &tree.objectives[i];
    Node {
        objective_id: o.id.clone(),
        team: o.team.clone(),
        aligns_to: tree.parent[i].map(|p| tree.objectives[p].id.clone()),
        children: tree.children[i].iter().map(|&c| tree.objectives[c].id.clone()).collect(),
        score,
        aligned_score: aligned,
        aligned_grade: aligned.map(|s| config.grades.grade(s)),
        layers,
        depth: tree.depth[i],
    }
}

/// The workflow key results that reach no outcome or business key result:
/// neither their pair (named by either side) is one, nor a key result of
/// their objective or of any objective above it.
fn unreached(ds: &Dataset, tree: &Tree, at: &BTreeMap<&str, usize>) -> Vec<String> {
    let mut result_above = vec![false; tree.objectives.len()];
    let own_result: BTreeSet<&str> =
        ds.krs.iter().filter(|k| is_result(k.layer)).map(|k| k.objective_id.as_str()).collect();
    for i in tree.top_down() {
        let inherited = tree.parent[i].is_some_and(|p| result_above[p]);
        result_above[i] = inherited || own_result.contains(tree.objectives[i].id.as_str());
    }
    let paired = paired_with_result(&ds.krs);
    let reaches = |k: &KeyResult| {
        paired.contains(k.id.as_str()) || at.get(k.objective_id.as_str()).is_some_and(|&i| result_above[i])
    };
    ds.krs.iter().filter(|k| k.layer == Some(Layer::Workflow) && !reaches(k)).map(|k| k.id.clone()).collect()
}

/// The key results paired with an outcome or business key result, the pair named on either side.
fn paired_with_result(krs: &[KeyResult]) -> BTreeSet<&str> {
    let layer: BTreeMap<&str, Option<Layer>> = krs.iter().map(|k| (k.id.as_str(), k.layer)).collect();
    let mut out = BTreeSet::new();
    for k in krs {
        let Some(p) = k.paired_with.as_deref() else { continue };
        if layer.get(p).is_some_and(|l| is_result(*l)) {
            out.insert(k.id.as_str());
        }
        if is_result(k.layer) {
            out.insert(p);
        }
    }
    out
}

/// A lint rule over one objective of the tree: its kind and message.
type TreeRule = fn(&Tree, usize) -> Option<(Kind, String)>;

/// The lint's rules over the tree (SPEC §8), in the order they are tried.
const TREE_RULES: &[TreeRule] = &[unaligned, parent_is_number, cascade_in_team];

/// The tree's lint findings, for `check` and hygiene.html.
pub fn lint(ds: &Dataset) -> Vec<Finding> {
    let tree = Tree::new(&ds.objectives);
    let mut out = Vec::new();
    for i in 0..ds.objectives.len() {
        for (kind, message) in TREE_RULES.iter().filter_map(|rule| rule(&tree, i)) {
            out.push(Finding::team(kind, &ds.objectives[i].team, message));
        }
    }
    out
}

/// An objective aligned to nothing, with nothing aligned to it, while others are aligned.
fn unaligned(tree: &Tree, i: usize) -> Option<(Kind, String)> {
    let o = &tree.objectives[i];
    let aligned = tree.parent.iter().filter(|p| p.is_some()).count();
    tree.is_unaligned(i).then(|| {
        let message = format!(
            "objective {} \u{201c}{}\u{201d} aligns to nothing while {aligned} of the quarter's objectives align \
             to one: which objective above it does it serve? Name it in aligns_to",
            o.id, o.title
        );
        (Kind::Unaligned, message)
    })
}

/// An objective whose parent is itself a number.
fn parent_is_number(tree: &Tree, i: usize) -> Option<(Kind, String)> {
    let (o, p) = (&tree.objectives[i], &tree.objectives[tree.parent[i]?]);
    let number = super::hygiene::measured_target(&p.title)?;
    let message = format!(
        "objective {} aligns to {} \u{201c}{}\u{201d}, itself a number (\u{201c}{number}\u{201d}): a number \
         handed down the tree becomes every team's target; align to an objective that names the change, and \
         leave the number to key results",
        o.id, p.id, p.title
    );
    Some((Kind::ParentIsNumber, message))
}

/// An objective with more than one level of parents inside its own team.
fn cascade_in_team(tree: &Tree, i: usize) -> Option<(Kind, String)> {
    let p = tree.parent[i]?;
    let g = tree.parent[p]?;
    let [o, p, g] = [i, p, g].map(|j| &tree.objectives[j]);
    (p.team == o.team && g.team == o.team).then(|| {
        let message = format!(
            "objective {} sits two levels of team {} below {} ({} → {} → {}): cascading objectives down \
             sub-teams hands down work, not results; align it to {} directly, or make it a key result of {}",
            o.id, o.team, g.id, o.id, p.id, g.id, g.id, p.id
        );
        (Kind::CascadeInTeam, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depths_follow_parents_and_survive_a_cycle() {
        // 0 ← 1 ← 2, 3 alone, 4 ↔ 5
        let parent = [None, Some(0), Some(1), None, Some(5), Some(4)];
        let d = depths(&parent);
        assert_eq!(&d[..4], &[0, 1, 2, 0]);
        assert_eq!(d.len(), 6);
    }
}
