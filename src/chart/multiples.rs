//! Small multiples of one engineering signal: a panel per team, every panel
//! on one shared scale from zero, with the organisation's value and the DORA
//! cut points as reference lines and a gap for a week without events; and,
//! past [`MAX_CHART_TEAMS`](super::MAX_CHART_TEAMS) teams, a sparkline per team on the same scale.

use super::axis::Ticks;
use super::{accessible, draw_err, escape, px, short_date, Area, BLUE, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::format::{figure, tick, Unit};
use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One signal across teams: what every panel shares.
#[derive(Debug, Clone)]
pub struct Multiples<'a> {
    /// The signal's name, for element ids.
    pub name: &'a str,
    pub label: &'a str,
    pub unit: Unit,
    /// The Monday of every week shown, in order.
    pub weeks: Vec<NaiveDate>,
    /// The organisation's value over the quarter.
    pub org: Option<f64>,
    /// The DORA cut points with the class on their better side.
    pub cuts: Vec<(f64, &'static str)>,
    /// The band `[metrics.NAME]` gives the signal's name, shaded.
    pub band: Option<(f64, f64)>,
    /// The shared value axis.
    pub ticks: Ticks,
}

/// Size of a panel and its margins.
const WIDTH: i32 = 300;
const HEIGHT: i32 = 150;
const LEFT: i32 = 44;
const RIGHT: i32 = 10;
const TOP: i32 = 10;
const BOTTOM: i32 = 22;
/// Size of a sparkline.
const SPARK_W: i32 = 120;
const SPARK_H: i32 = 24;

impl Multiples<'_> {
    /// The shared axis: from zero to the highest weekly value of any team,
    /// the org's value, and the cut points up to a quarter above that.
    pub fn axis(values: impl Iterator<Item = f64>, org: Option<f64>, cuts: &[(f64, &str)]) -> Ticks {
        let top = values.chain(org).fold(0.0, f64::max);
        let cut_top = cuts.iter().map(|c| c.0).filter(|c| *c <= top * 1.25).fold(0.0, f64::max);
        Ticks::from_zero(top.max(cut_top), 4)
    }

    /// The x position of week `i` inside a plot `w` wide from `x0`.
    fn x_of(&self, i: usize, (x0, w): (i32, i32)) -> i32 {
        let last = self.weeks.len().saturating_sub(1).max(1) as f64;
        x0 + (i as f64 / last * f64::from(w)).round() as i32
    }

    /// The y position of value `v` inside a plot from `y0`, `h` high (zero at the bottom).
    fn y_of(&self, v: f64, (y0, h): (i32, i32)) -> i32 {
        let (lo, hi) = (self.ticks.lo, self.ticks.hi);
        y0 + h - ((v.clamp(lo, hi) - lo) / (hi - lo) * f64::from(h)).round() as i32
    }

    /// A team's panel: its weekly values (`None` for a week without events).
    pub fn panel(&self, team: &str, values: &[Option<f64>]) -> Result<String> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH as u32, HEIGHT as u32)).into_drawing_area();
            let plot = (LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
            self.draw_frame(&root, plot)?;
            self.draw_references(&root, plot)?;
            self.draw_runs(&root, values, plot, 2)?;
            root.present().map_err(draw_err)?;
        }
        let id = format!("sm-{}-{team}", self.name);
        let title = format!("{}, {team}, by week", self.label);
        accessible(apply_dashes(svg), &id, &title, &self.describe(team, values))
    }

    /// The value grid and its labels, and the month under its first week.
    fn draw_frame(&self, root: &Area, (x0, y0, w, h): (i32, i32, i32, i32)) -> Result<()> {
        let small = (FONT, px(12.0)).into_font().color(&MUTED);
        let right = small.clone().pos(Pos::new(HPos::Right, VPos::Center));
        for v in self.ticks.values() {
            let y = self.y_of(v, (y0, h));
            root.draw(&PathElement::new(vec![(x0, y), (x0 + w, y)], GRID.stroke_width(1))).map_err(draw_err)?;
            root.draw(&Text::new(tick(v, self.ticks.step, self.unit), (x0 - 5, y), right.clone())).map_err(draw_err)?;
        }
        let below = small.pos(Pos::new(HPos::Left, VPos::Top));
        let mut month = None;
        for (i, d) in self.weeks.iter().enumerate() {
            if month != Some(d.month()) && d.day() <= 7 {
                let x = self.x_of(i, (x0, w));
                root.draw(&Text::new(d.format("%b").to_string(), (x, y0 + h + 5), below.clone())).map_err(draw_err)?;
            }
            month = Some(d.month());
        }
        Ok(())
    }

    /// The band (shaded), the org's value (dashed) and the cut points inside
    /// the axis (dotted, labelled at the right).
    fn draw_references(&self, root: &Area, (x0, y0, w, h): (i32, i32, i32, i32)) -> Result<()> {
        if let Some((lo, hi)) = self.band {
            let corners = [(x0, self.y_of(hi, (y0, h))), (x0 + w, self.y_of(lo, (y0, h)))];
            root.draw(&Rectangle::new(corners, super::GREEN.mix(0.12).filled())).map_err(draw_err)?;
        }
        if let Some(org) = self.org {
            let y = self.y_of(org, (y0, h));
            let style = INK.mix(ORG_DASH.0).stroke_width(1);
            root.draw(&PathElement::new(vec![(x0, y), (x0 + w, y)], style)).map_err(draw_err)?;
        }
        let label = (FONT, px(11.0)).into_font().color(&MUTED).pos(Pos::new(HPos::Right, VPos::Bottom));
        let mut last_label = i32::MAX;
        for &(cut, class) in self.cuts.iter().filter(|c| c.0 <= self.ticks.hi) {
            let y = self.y_of(cut, (y0, h));
            let style = MUTED.mix(CUT_DASH.0).stroke_width(1);
            root.draw(&PathElement::new(vec![(x0, y), (x0 + w, y)], style)).map_err(draw_err)?;
            // a label only where it has room: above its line, clear of the last one and of the top
            if (last_label - y).abs() >= 12 && y - 12 >= 0 {
                root.draw(&Text::new(class, (x0 + w, y - 1), label.clone())).map_err(draw_err)?;
                last_label = y;
            }
        }
        Ok(())
    }

    /// The line through each run of weeks with a value, and a dot on every
    /// value: a week without events breaks the line.
    fn draw_runs(
        &self,
        root: &Area,
        values: &[Option<f64>],
        (x0, y0, w, h): (i32, i32, i32, i32),
        r: i32,
    ) -> Result<()> {
        for run in runs(values) {
            let points: Vec<(i32, i32)> =
                run.iter().map(|&(i, v)| (self.x_of(i, (x0, w)), self.y_of(v, (y0, h)))).collect();
            if points.len() > 1 {
                root.draw(&PathElement::new(points.clone(), BLUE.stroke_width(2))).map_err(draw_err)?;
            }
            if r > 0 {
                for p in points {
                    root.draw(&Circle::new(p, r, BLUE.filled())).map_err(draw_err)?;
                }
            }
        }
        Ok(())
    }

    /// The panel in words: every week's value, or that it had no events.
    fn describe(&self, team: &str, values: &[Option<f64>]) -> String {
        let weeks: Vec<String> = self
            .weeks
            .iter()
            .zip(values)
            .map(|(d, v)| {
                format!("{} {}", short_date(*d), v.map_or_else(|| "no events".into(), |v| figure(v, self.unit)))
            })
            .collect();
        let org = self.org.map_or_else(String::new, |o| format!("; the organisation: {}", figure(o, self.unit)));
        format!("{} of {team} by ISO week, dated by its Monday: {}{org}", self.label, weeks.join(", "))
    }

    /// A team's sparkline on the shared scale: no text, a line per run of
    /// weeks with a value; described by `label` for a screen reader.
    pub fn spark(&self, values: &[Option<f64>], label: &str) -> String {
        let (w, h) = (SPARK_W - 4, SPARK_H - 4);
        let mut out = format!(
            "<svg class=\"spark\" viewBox=\"0 0 {SPARK_W} {SPARK_H}\" width=\"{SPARK_W}\" height=\"{SPARK_H}\" \
             role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
            escape(label)
        );
        for run in runs(values) {
            let points: Vec<String> =
                run.iter().map(|&(i, v)| format!("{},{}", self.x_of(i, (2, w)), self.y_of(v, (2, h)))).collect();
            if let [only] = points.as_slice() {
                let (x, y) = only.split_once(',').unwrap_or(("0", "0"));
                out.push_str(&format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"1.5\"/>"));
            } else {
                out.push_str(&format!("<polyline points=\"{}\"/>", points.join(" ")));
            }
        }
        out.push_str("</svg>");
        out
    }
}

/// Dash patterns of the reference lines, tagged while drawing by an opacity
/// no other element uses (see `series.rs`: plotters writes no dash attribute).
const ORG_DASH: (f64, &str) = (0.98046875, "5 3");
const CUT_DASH: (f64, &str) = (0.9765625, "2 3");

/// Replaces each dash tag with its dash pattern.
fn apply_dashes(svg: String) -> String {
    [ORG_DASH, CUT_DASH].iter().fold(svg, |svg, (tag, dash)| {
        svg.replace(&format!("opacity=\"{tag}\""), &format!("opacity=\"1\" stroke-dasharray=\"{dash}\""))
    })
}

/// The runs of consecutive weeks with a value: (week index, value).
fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut out: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut open = false;
    for (i, v) in values.iter().enumerate() {
        match (v, open) {
            (Some(v), true) => out.last_mut().into_iter().for_each(|r| r.push((i, *v))),
            (Some(v), false) => out.push(vec![(i, *v)]),
            (None, _) => {}
        }
        open = v.is_some();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_without_events_breaks_the_line() {
        let values = [Some(1.0), Some(2.0), None, None, Some(4.0), None, Some(3.0), Some(5.0)];
        assert_eq!(runs(&values), vec![vec![(0, 1.0), (1, 2.0)], vec![(4, 4.0)], vec![(6, 3.0), (7, 5.0)]]);
    }

    #[test]
    fn the_shared_axis_starts_at_zero_and_takes_cut_points_near_the_data() {
        // time to restore up to 16 h, org 6.8 h: the 24 h cut point is within a quarter above, 168 h is not
        let cuts = [(1.0, "elite"), (24.0, "high"), (168.0, "medium")];
        let t = Multiples::axis([13.4, 16.0, 2.0].into_iter(), Some(6.8), &cuts[..2]);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 20.0, 5.0));
        let t = Multiples::axis([13.4, 20.0].into_iter(), Some(6.8), &cuts);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 30.0, 10.0));
    }
}
