//! Round axis ticks: a step of 1, 2 or 5 times a power of ten, the axis
//! widened to whole steps, so a reader sees 0, 1, 2, 3 and never
//! 0.88, 1.77, 2.65.

/// The multiples of a power of ten a step may be, smallest first.
const STEPS: [f64; 3] = [1.0, 2.0, 5.0];

/// A value axis from `lo` to `hi` in whole `step`s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ticks {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
}

impl Ticks {
    /// The roundest axis covering `lo..=hi` in at most `intervals` steps
    /// (at least 1). An empty or single-valued range gets one step around it.
    pub fn fit(lo: f64, hi: f64, intervals: usize) -> Ticks {
        let intervals = intervals.max(1) as f64;
        let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo.min(hi), lo.max(hi)) } else { (0.0, 1.0) };
        let span = if hi > lo { hi - lo } else { lo.abs().max(1.0) };
        let hi = lo + span;
        let mut power = 10f64.powf((span / intervals).log10().floor());
        loop {
            for m in STEPS {
                let step = m * power;
                let (a, b) = ((lo / step).floor() * step, (hi / step).ceil() * step);
                if ((b - a) / step).round() <= intervals {
                    return Ticks { lo: a, hi: b, step };
                }
            }
            power *= 10.0;
        }
    }

    /// The axis from zero: for values that are durations, counts or shares,
    /// where zero means none and a bar or line height reads as an amount.
    pub fn from_zero(hi: f64, intervals: usize) -> Ticks {
        Ticks::fit(0.0, hi.max(0.0), intervals)
    }

    /// Every tick value, from `lo` to `hi`.
    pub fn values(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as usize;
        (0..=n).map(|i| self.lo + i as f64 * self.step).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_numbers() {
        // the cohort axis of the issue: 0 to 3.53 in four steps was 0.88, 1.77, 2.65, 3.53
        let t = Ticks::from_zero(3.53, 4);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 4.0, 1.0));
        assert_eq!(t.values(), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        // 0 to 0.43 (a share) in five: 0.1 steps up to 0.5
        let t = Ticks::from_zero(0.43, 5);
        assert_eq!((t.hi, t.step), (0.5, 0.1));
        // 0 to 54.5 hours in four: steps of 20 up to 60
        let t = Ticks::from_zero(54.5, 4);
        assert_eq!((t.hi, t.step), (60.0, 20.0));
        // 3.6 to 4.4 in four: 0.2 steps from 3.6
        let t = Ticks::fit(3.6, 4.4, 4);
        assert!((t.lo - 3.6).abs() < 1e-9 && (t.hi - 4.4).abs() < 1e-9 && (t.step - 0.2).abs() < 1e-12, "{t:?}");
    }

    #[test]
    fn a_flat_or_empty_range_gets_one_step() {
        let t = Ticks::from_zero(0.0, 4);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 1.0, 0.5));
        let t = Ticks::from_zero(4.0, 4);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 4.0, 1.0));
        let t = Ticks::fit(f64::NAN, 2.0, 4);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
    }
}
