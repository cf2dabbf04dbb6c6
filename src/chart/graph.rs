//! The dependency map (SPEC §7): teams on a circle, an arrow from the team
//! that waited to the team it waited on, as thick as the weeks it waited.

use super::{accessible, draw_err, BLUE, FONT, INK, MUTED};
use crate::config::Config;
use crate::error::Result;
use crate::score::dependencies::Edge;
use crate::score::Scores;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::collections::BTreeSet;
use std::f64::consts::PI;

/// A team on the map.
#[derive(Debug, Clone)]
pub struct Node {
    pub label: String,
}

/// One team waiting on another: indexes into the nodes, and the weeks it waited.
#[derive(Debug, Clone)]
pub struct Arrow {
    pub from: usize,
    pub to: usize,
    pub weeks: u32,
}

const WIDTH: u32 = 760;
const HEIGHT: u32 = 600;
/// The circle the teams sit on; the margin outside it holds their names.
const RADIUS: f64 = 200.0;
const NODE: i32 = 9;

type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;
type Point = (f64, f64);

/// Where node `i` of `n` sits: clockwise from the top.
fn place(i: usize, n: usize) -> Point {
    let angle = -PI / 2.0 + 2.0 * PI * i as f64 / n.max(1) as f64;
    (f64::from(WIDTH) / 2.0 + RADIUS * angle.cos(), f64::from(HEIGHT) / 2.0 + 10.0 + RADIUS * angle.sin())
}

fn px((x, y): Point) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

/// The most teams the dependency map shows every one of; past it, only the
/// teams joined by its [`MAP_EDGES`] heaviest edges.
pub const MAP_TEAMS: usize = 30;
/// The most edges the dependency map draws past [`MAP_TEAMS`] teams.
pub const MAP_EDGES: usize = 30;

/// The dependency map, when any team waited on another: every team up to
/// [`MAP_TEAMS`]; past it, the [`MAP_EDGES`] heaviest edges and their teams.
/// Returns the map and its edges (drawn, in all).
pub fn org_map(scores: &Scores, config: &Config) -> Result<(Option<String>, (usize, usize))> {
    let edges = &scores.dependencies.edges;
    if edges.is_empty() {
        return Ok((None, (0, 0)));
    }
    let (teams, drawn) = select(scores.teams.iter().map(|t| t.team.as_str()).collect(), edges);
    let index = |t: &str| teams.binary_search(&t).unwrap_or(0);
    let nodes: Vec<Node> = teams.iter().map(|t| Node { label: config.team_name(t).to_string() }).collect();
    let arrows: Vec<Arrow> =
        drawn.iter().map(|e| Arrow { from: index(&e.from_team), to: index(&e.to_team), weeks: e.weeks }).collect();
    let title = "Who waited on whom: blocked weeks between teams";
    Ok((Some(dependency_map("dependency-map", title, &nodes, &arrows)?), (arrows.len(), edges.len())))
}

/// The teams (sorted) and edges the map draws: every team of the quarter and
/// every edge up to [`MAP_TEAMS`] teams; past it the [`MAP_EDGES`] heaviest
/// edges (most weeks, then most key results) and the teams they join.
fn select<'a>(mut teams: BTreeSet<&'a str>, edges: &'a [Edge]) -> (Vec<&'a str>, Vec<&'a Edge>) {
    let mut drawn: Vec<&Edge> = edges.iter().collect();
    if teams.len() > MAP_TEAMS {
        let heaviest_first = |e: &&Edge| (std::cmp::Reverse((e.weeks, e.krs)), e.from_team.clone(), e.to_team.clone());
        drawn.sort_by_key(heaviest_first);
        drawn.truncate(MAP_EDGES);
        teams.clear();
    }
    teams.extend(drawn.iter().flat_map(|e| [e.from_team.as_str(), e.to_team.as_str()]));
    (teams.into_iter().collect(), drawn)
}

/// Draws the map; every arrow's width grows with its weeks.
pub fn dependency_map(id: &str, title: &str, nodes: &[Node], arrows: &[Arrow]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let heaviest = arrows.iter().map(|a| a.weeks).max().unwrap_or(1).max(1);
        for a in arrows {
            let both_ways = arrows.iter().any(|b| b.from == a.to && b.to == a.from);
            draw_arrow(&root, a, nodes.len(), heaviest, both_ways)?;
        }
        for (i, node) in nodes.iter().enumerate() {
            let linked = arrows.iter().any(|a| a.from == i || a.to == i);
            draw_node(&root, node, place(i, nodes.len()), place_label(i, nodes.len()), linked)?;
        }
        let note = "an arrow points from the team that waited to the team it waited on; thicker = more weeks";
        root.draw(&Text::new(note, (12, 10), (FONT, 12).into_font().color(&MUTED))).map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    accessible(svg, id, title, &describe(nodes, arrows))
}

/// Where a node's name goes, outside the circle, and how it is anchored.
fn place_label(i: usize, n: usize) -> (Point, Pos) {
    let angle = -PI / 2.0 + 2.0 * PI * i as f64 / n.max(1) as f64;
    let (x, y) = place(i, n);
    let h = match angle.cos() {
        c if c > 0.25 => HPos::Left,
        c if c < -0.25 => HPos::Right,
        _ => HPos::Center,
    };
    let v = match angle.sin() {
        s if s > 0.7 => VPos::Top,
        s if s < -0.7 => VPos::Bottom,
        _ => VPos::Center,
    };
    ((x + 16.0 * angle.cos(), y + 16.0 * angle.sin()), Pos::new(h, v))
}

/// A team: a ring, filled when it has arrows, and its name.
fn draw_node(root: &Area, node: &Node, at: Point, (label_at, pos): (Point, Pos), linked: bool) -> Result<()> {
    let fill = if linked { INK } else { RGBColor(0xff, 0xff, 0xff) };
    root.draw(&Circle::new(px(at), NODE, fill.filled())).map_err(draw_err)?;
    root.draw(&Circle::new(px(at), NODE, INK.stroke_width(2))).map_err(draw_err)?;
    let style = (FONT, 13).into_font().color(if linked { &INK } else { &MUTED }).pos(pos);
    root.draw(&Text::new(node.label.clone(), px(label_at), style)).map_err(draw_err)
}

/// One arrow, shifted to its side when the two teams wait on each other,
/// ending at the edge of the node it points to, with its weeks beside it.
fn draw_arrow(root: &Area, a: &Arrow, n: usize, heaviest: u32, both_ways: bool) -> Result<()> {
    let (from, to) = (place(a.from, n), place(a.to, n));
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let shift = if both_ways { 6.0 } else { 0.0 };
    let (sx, sy) = (-uy * shift, ux * shift);
    let gap = f64::from(NODE) + 3.0;
    let start = (from.0 + ux * gap + sx, from.1 + uy * gap + sy);
    let tip = (to.0 - ux * gap + sx, to.1 - uy * gap + sy);
    let width = 1 + (5.0 * f64::from(a.weeks) / f64::from(heaviest)).round() as u32;
    let head = 8.0 + f64::from(width);
    let base = (tip.0 - ux * head, tip.1 - uy * head);
    let color = BLUE.mix(0.75);
    root.draw(&PathElement::new(vec![px(start), px(base)], color.stroke_width(width))).map_err(draw_err)?;
    let wing = head / 2.0;
    let head_points =
        vec![px(tip), px((base.0 - uy * wing, base.1 + ux * wing)), px((base.0 + uy * wing, base.1 - ux * wing))];
    root.draw(&Polygon::new(head_points, color.filled())).map_err(draw_err)?;
    let mid = ((start.0 + base.0) / 2.0 - uy * 10.0, (start.1 + base.1) / 2.0 + ux * 10.0);
    root.draw(&Text::new(format!("{} wk", a.weeks), px(mid), super::centred(11, INK))).map_err(draw_err)
}

/// The map in words: who waited on whom, and for how many weeks.
fn describe(nodes: &[Node], arrows: &[Arrow]) -> String {
    let name = |i: usize| nodes.get(i).map_or("", |n| n.label.as_str());
    let waits = arrows.iter().map(|a| {
        let weeks = if a.weeks == 1 { "1 week".to_string() } else { format!("{} weeks", a.weeks) };
        format!("{} waited on {} in {weeks}", name(a.from), name(a.to))
    });
    let waits: Vec<String> = waits.collect();
    format!(
        "{} teams; {}",
        nodes.len(),
        if waits.is_empty() { "no team waited on another".into() } else { waits.join("; ") }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize, weeks: u32) -> Edge {
        Edge { from_team: format!("t{from:02}"), to_team: format!("t{to:02}"), weeks, krs: 1 }
    }

    #[test]
    fn past_30_teams_the_map_draws_the_30_heaviest_edges_and_their_teams() {
        let names: Vec<String> = (0..40).map(|i| format!("t{i:02}")).collect();
        // 35 edges t00→t01 … t34→t35, edge i waiting i + 1 weeks: the 30 heaviest are i = 5 … 34
        let edges: Vec<Edge> = (0..35).map(|i| edge(i, i + 1, i as u32 + 1)).collect();
        let (teams, drawn) = select(names.iter().map(String::as_str).collect(), &edges);
        assert_eq!(drawn.len(), 30);
        assert_eq!((drawn[0].weeks, drawn[29].weeks), (35, 6));
        assert_eq!((teams.len(), teams[0], teams[30]), (31, "t05", "t35"));
        // 30 teams: every team, every edge
        let (teams, drawn) = select(names[..30].iter().map(String::as_str).collect(), &edges[..3]);
        assert_eq!((teams.len(), drawn.len()), (30, 3));
    }

    #[test]
    fn the_map_says_who_waited_on_whom() {
        let nodes = [Node { label: "Growth".into() }, Node { label: "Data & Analytics".into() }];
        let svg = dependency_map("m", "Map", &nodes, &[Arrow { from: 0, to: 1, weeks: 3 }]).unwrap();
        assert!(
            svg.contains("<desc id=\"m-d\">2 teams; Growth waited on Data &amp; Analytics in 3 weeks</desc>"),
            "{svg}"
        );
        assert!(svg.contains("\n3 wk\n</text>"), "{svg}");
    }
}
