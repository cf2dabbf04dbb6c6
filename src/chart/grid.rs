//! The health heat-map: one row per team health metric, one column per ISO
//! week, each cell coloured and lettered (G/A/R) so colour is never alone.

use super::{accessible, draw_err, px, short_date, Area, CELL_AMBER, CELL_GREEN, CELL_RED, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::model::Grade;
use crate::score::health::{HealthGrid, HealthRow};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The fill of a cell of status `r`.
fn cell_color(r: Grade) -> RGBColor {
    match r {
        Grade::Green => CELL_GREEN,
        Grade::Amber => CELL_AMBER,
        Grade::Red => CELL_RED,
    }
}

/// The letter in a cell of status `r`.
pub fn letter(r: Grade) -> &'static str {
    match r {
        Grade::Green => "G",
        Grade::Amber => "A",
        Grade::Red => "R",
    }
}

/// Width of one week's cell.
const CELL: i32 = 52;
/// Height of one row.
const ROW_H: i32 = 30;
/// Room above the first row for the week labels.
const TOP: i32 = 30;
/// A generous width of one character of a 14 px row label.
const LABEL_CHAR_W: i32 = 9;

/// Draws the grid of `rows` (indexes into `grid.rows`), labelled by metric;
/// with `team_labels` each row label starts with its team.
pub fn health_heatmap(id: &str, title: &str, grid: &HealthGrid, rows: &[usize], team_labels: bool) -> Result<String> {
    let name =
        |row: &HealthRow| if team_labels { format!("{} · {}", row.team, row.metric) } else { row.metric.clone() };
    let longest = rows.iter().filter_map(|&r| grid.rows.get(r)).map(|r| name(r).chars().count()).max().unwrap_or(0);
    let label_w = (16 + LABEL_CHAR_W * longest as i32).max(120);
    let weeks = grid.weeks_shown(rows);
    let width = (label_w + CELL * weeks.max(1) as i32 + 12) as u32;
    let height = (TOP + ROW_H * rows.len().max(1) as i32 + 12) as u32;
    let mut svg = String::new();
    let mut desc = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let small = (FONT, px(12.0)).into_font().color(&MUTED);
        for (j, week) in grid.weeks.iter().take(weeks).enumerate() {
            let x = label_w + CELL * j as i32;
            root.draw(&Text::new(short_date(*week), (x + 4, 8), small.clone())).map_err(draw_err)?;
        }
        for (i, &r) in rows.iter().enumerate() {
            let Some(row) = grid.rows.get(r) else { continue };
            let name = name(row);
            let seen = draw_row(&root, grid, row, weeks, &name, (label_w, TOP + ROW_H * i as i32))?;
            desc.push(format!("{name}: {}", if seen.is_empty() { "no checks".into() } else { seen.join(", ") }));
        }
        root.present().map_err(draw_err)?;
    }
    accessible(svg, id, title, &desc.join("; "))
}

/// One row's label and its first `weeks` cells from `(x, y)`; returns the dated status of each checked week.
fn draw_row(
    root: &Area,
    grid: &HealthGrid,
    row: &HealthRow,
    weeks: usize,
    name: &str,
    (x0, y): (i32, i32),
) -> Result<Vec<String>> {
    let label = (FONT, px(14.0)).into_font().color(&INK);
    let in_cell = (FONT, px(13.0)).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(name.to_string(), (8, y + 8), label)).map_err(draw_err)?;
    let mut seen = Vec::new();
    for (j, cell_status) in row.cells.iter().take(weeks).enumerate() {
        let x = x0 + CELL * j as i32;
        let rect = [(x + 1, y + 1), (x + CELL - 1, y + ROW_H - 1)];
        match cell_status {
            Some(s) => {
                root.draw(&Rectangle::new(rect, cell_color(*s).filled())).map_err(draw_err)?;
                root.draw(&Text::new(letter(*s), (x + CELL / 2, y + ROW_H / 2), in_cell.clone())).map_err(draw_err)?;
                seen.push(format!("{} {}", short_date(grid.weeks[j]), s.word()));
            }
            None => root.draw(&Rectangle::new(rect, GRID.stroke_width(1))).map_err(draw_err)?,
        }
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn row(cells: Vec<Option<Grade>>) -> HealthRow {
        let d = NaiveDate::from_ymd_opt(2026, 7, 6).unwrap();
        HealthRow { team: "t".into(), metric: "m".into(), cells, latest: (d, Grade::Green, None), red_streak: None }
    }

    #[test]
    fn the_map_ends_at_the_last_week_any_row_was_checked() {
        let monday = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let (g, r) = (Some(Grade::Green), Some(Grade::Red));
        let grid = HealthGrid {
            weeks: vec![monday(7), monday(14), monday(21), monday(28)],
            rows: vec![row(vec![g, None, None, None]), row(vec![g, r, None, None])],
        };
        // the week of 09-28 (the quarter's last, partial) and of 09-21 have no check in any row
        assert_eq!(grid.weeks_shown(&[0, 1]), 2);
        assert_eq!(grid.weeks_shown(&[0]), 1);
        let svg = health_heatmap("h", "t", &grid, &[0, 1], false).unwrap();
        assert!(svg.contains("Sep 14") && !svg.contains("Sep 21"), "{svg}");
    }
}
