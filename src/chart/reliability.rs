//! The reliability chart (SPEC §7): the org's check-ins by confidence band,
//! each band's share that ended green as a bar, and the band's mean
//! confidence as a mark, so the gap between forecast and outcome shows.

use super::{accessible, centred, draw_err, BLUE, FONT, GRID, INK, MUTED};
use crate::error::Result;
use crate::format::pct;
use crate::score::calibration::Calibration;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One band: its label, its check-ins, the share of them that ended green
/// and their mean forecast (confidence / 10).
#[derive(Debug, Clone)]
pub struct Band {
    pub label: String,
    pub checkins: u32,
    pub share_green: Option<f64>,
    pub mean_forecast: Option<f64>,
}

const WIDTH: u32 = 720;
const HEIGHT: u32 = 340;
const LEFT: i32 = 64;
const RIGHT: i32 = 20;
const TOP: i32 = 44;
const BOTTOM: i32 = 64;
const PLOT_W: i32 = WIDTH as i32 - LEFT - RIGHT;
const PLOT_H: i32 = HEIGHT as i32 - TOP - BOTTOM;

type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// The y position of a share 0..1.
fn y_of(share: f64) -> i32 {
    TOP + PLOT_H - (share.clamp(0.0, 1.0) * f64::from(PLOT_H)).round() as i32
}

/// The org's reliability chart, when any check-in gave a confidence.
pub fn org_chart(c: &Calibration) -> Result<Option<String>> {
    if c.org.checkins == 0 {
        return Ok(None);
    }
    let bands: Vec<Band> = c
        .bins
        .iter()
        .map(|b| Band {
            label: b.band.to_string(),
            checkins: b.checkins,
            share_green: b.share_green,
            mean_forecast: b.mean_forecast,
        })
        .collect();
    let title = "Confidence given against the share of key results that ended green";
    Ok(Some(reliability_chart("reliability", title, &bands)?))
}

/// Draws the bands as bars of the share that ended green, each with its n.
pub fn reliability_chart(id: &str, title: &str, bands: &[Band]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw_axes(&root)?;
        let slot = PLOT_W / bands.len().max(1) as i32;
        for (i, band) in bands.iter().enumerate() {
            draw_band(&root, band, LEFT + i as i32 * slot, slot)?;
        }
        draw_legend(&root)?;
        root.present().map_err(draw_err)?;
    }
    accessible(svg, id, title, &describe(bands))
}

/// Grid lines at 0, 25, 50, 75 and 100% with their labels, and the axis titles.
fn draw_axes(root: &Area) -> Result<()> {
    for step in 0..=4 {
        let share = f64::from(step) / 4.0;
        let y = y_of(share);
        root.draw(&PathElement::new(vec![(LEFT, y), (LEFT + PLOT_W, y)], GRID.stroke_width(1))).map_err(draw_err)?;
        root.draw(&Text::new(pct(share), (LEFT - 24, y), centred(12, MUTED))).map_err(draw_err)?;
    }
    let bottom = HEIGHT as i32 - 12;
    root.draw(&Text::new("confidence given in the check-in (0–10)", (LEFT + PLOT_W / 2, bottom), centred(13, INK)))
        .map_err(draw_err)?;
    root.draw(&Text::new("ended green ↑", (8, 12), (FONT, 13).into_font().color(&INK))).map_err(draw_err)
}

/// One band in the slot starting at `x0`: the bar, the mean-forecast mark and the labels.
fn draw_band(root: &Area, band: &Band, x0: i32, slot: i32) -> Result<()> {
    let (left, right, mid) = (x0 + slot / 5, x0 + slot - slot / 5, x0 + slot / 2);
    let base = y_of(0.0);
    if let Some(share) = band.share_green {
        root.draw(&Rectangle::new([(left, y_of(share)), (right, base)], BLUE.filled())).map_err(draw_err)?;
        let label = format!("{} of {}", pct(share), band.checkins);
        root.draw(&Text::new(label, (mid, y_of(share) - 10), centred(12, INK))).map_err(draw_err)?;
    } else {
        root.draw(&Text::new("no check-ins", (mid, base - 12), centred(12, MUTED))).map_err(draw_err)?;
    }
    if let Some(p) = band.mean_forecast {
        let y = y_of(p);
        let mark = ShapeStyle { color: INK.to_rgba(), filled: false, stroke_width: 3 };
        root.draw(&PathElement::new(vec![(left - 6, y), (right + 6, y)], mark)).map_err(draw_err)?;
    }
    root.draw(&Text::new(band.label.clone(), (mid, base + 14), centred(13, INK))).map_err(draw_err)?;
    root.draw(&Text::new(format!("n = {}", band.checkins), (mid, base + 30), centred(12, MUTED))).map_err(draw_err)
}

/// What the bar and the mark mean.
fn draw_legend(root: &Area) -> Result<()> {
    let small = (FONT, 12).into_font().color(&MUTED);
    let x = LEFT + PLOT_W - 330;
    root.draw(&Rectangle::new([(x, 8), (x + 14, 20)], BLUE.filled())).map_err(draw_err)?;
    root.draw(&Text::new("share that ended green", (x + 20, 8), small.clone())).map_err(draw_err)?;
    let mark = ShapeStyle { color: INK.to_rgba(), filled: false, stroke_width: 3 };
    root.draw(&PathElement::new(vec![(x + 170, 14), (x + 186, 14)], mark)).map_err(draw_err)?;
    root.draw(&Text::new("mean confidence given", (x + 192, 8), small)).map_err(draw_err)
}

/// The chart in words: each band's n, share green and mean forecast.
fn describe(bands: &[Band]) -> String {
    let one = |b: &Band| match (b.share_green, b.mean_forecast) {
        (Some(s), Some(p)) => {
            format!(
                "confidence {}: {} check-ins, {} ended green against a mean confidence of {}",
                b.label,
                b.checkins,
                pct(s),
                pct(p)
            )
        }
        _ => format!("confidence {}: no check-ins", b.label),
    };
    bands.iter().map(one).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_band_reads_as_its_share_green_against_its_mean_confidence() {
        let band = |label: &str, checkins, share, mean| Band {
            label: label.into(),
            checkins,
            share_green: share,
            mean_forecast: mean,
        };
        let bands = [band("0–2", 0, None, None), band("7–8", 5, Some(0.2), Some(0.76))];
        let svg = reliability_chart("r", "Reliability", &bands).unwrap();
        let desc = "confidence 0–2: no check-ins; confidence 7–8: 5 check-ins, 20.0% ended green against a mean \
                    confidence of 76.0%";
        assert!(svg.contains(&format!("<desc id=\"r-d\">{desc}</desc>")), "{svg}");
        assert!(svg.contains("\n20.0% of 5\n</text>") && svg.contains("\nn = 0\n</text>"), "{svg}");
    }
}
