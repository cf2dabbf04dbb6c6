//! The generator's tools: a buffered CSV writer that formats numbers and
//! timestamps by hand (millions of rows), seeded random draws, and calendar
//! arithmetic on day numbers.

use crate::error::{Error, Result};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// One CSV file being written, a row at a time.
pub struct Csv {
    path: PathBuf,
    out: BufWriter<File>,
    line: Vec<u8>,
    fields: usize,
    rows: u64,
}

impl Csv {
    /// Creates `dir/name` and writes its header.
    pub fn create(dir: &Path, name: &str, header: &[&str]) -> Result<Csv> {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|e| Error::io("create", &path, e))?;
        let mut csv = Csv { path, out: BufWriter::with_capacity(1 << 20, file), line: Vec::new(), fields: 0, rows: 0 };
        for h in header {
            csv.raw(h);
        }
        csv.end()?;
        csv.rows = 0;
        Ok(csv)
    }

    fn sep(&mut self) {
        if self.fields > 0 {
            self.line.push(b',');
        }
        self.fields += 1;
    }

    /// A cell written as is: the caller knows it needs no quoting.
    pub fn raw(&mut self, s: &str) -> &mut Self {
        self.sep();
        self.line.extend_from_slice(s.as_bytes());
        self
    }

    /// A cell of free text, quoted when it holds a comma, quote or line break.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        if s.contains([',', '"', '\n', '\r']) {
            self.line.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.line.push(b'"');
                }
                self.line.push(b);
            }
            self.line.push(b'"');
        } else {
            self.line.extend_from_slice(s.as_bytes());
        }
        self
    }

    /// An empty cell.
    pub fn empty(&mut self) -> &mut Self {
        self.sep();
        self
    }

    /// A cell holding `prefix` and a number, like `PR-1234`.
    pub fn id(&mut self, prefix: &str, n: u64) -> &mut Self {
        self.sep();
        self.line.extend_from_slice(prefix.as_bytes());
        push_u64(&mut self.line, n);
        self
    }

    /// A whole number.
    pub fn int(&mut self, n: u64) -> &mut Self {
        self.sep();
        push_u64(&mut self.line, n);
        self
    }

    /// `true` or `false`.
    pub fn bool(&mut self, b: bool) -> &mut Self {
        self.raw(if b { "true" } else { "false" })
    }

    /// A date `YYYY-MM-DD` from a day number.
    pub fn date(&mut self, day: i64) -> &mut Self {
        self.sep();
        push_date(&mut self.line, day);
        self
    }

    /// An RFC 3339 timestamp at a UTC offset of `offset_min` minutes (`Z` at 0).
    pub fn time(&mut self, secs: i64, offset_min: i64) -> &mut Self {
        self.sep();
        let local = secs + offset_min * 60;
        push_date(&mut self.line, local.div_euclid(86_400));
        let s = local.rem_euclid(86_400);
        self.line.push(b'T');
        push2(&mut self.line, s / 3600);
        self.line.push(b':');
        push2(&mut self.line, s / 60 % 60);
        self.line.push(b':');
        push2(&mut self.line, s % 60);
        if offset_min == 0 {
            self.line.push(b'Z');
        } else {
            self.line.push(if offset_min < 0 { b'-' } else { b'+' });
            push2(&mut self.line, offset_min.abs() / 60);
            self.line.push(b':');
            push2(&mut self.line, offset_min.abs() % 60);
        }
        self
    }

    /// A timestamp, or an empty cell.
    pub fn opt_time(&mut self, secs: Option<i64>, offset_min: i64) -> &mut Self {
        match secs {
            Some(s) => self.time(s, offset_min),
            None => self.empty(),
        }
    }

    /// Ends the row.
    pub fn end(&mut self) -> Result<()> {
        self.line.push(b'\n');
        self.out.write_all(&self.line).map_err(|e| Error::io("write", &self.path, e))?;
        self.line.clear();
        self.fields = 0;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file and returns its name and data-row count.
    pub fn finish(mut self) -> Result<(String, u64)> {
        self.out.flush().map_err(|e| Error::io("write", &self.path, e))?;
        let name = self.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        Ok((name, self.rows))
    }
}

/// A number with `decimals` places, without a negative zero.
pub fn fmt_num(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_string()
    } else {
        s
    }
}

fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

fn push2(buf: &mut Vec<u8>, n: i64) {
    buf.push(b'0' + (n / 10 % 10) as u8);
    buf.push(b'0' + (n % 10) as u8);
}

fn push_date(buf: &mut Vec<u8>, day: i64) {
    let (y, m, d) = civil(day);
    push2(buf, y / 100);
    push2(buf, y % 100);
    buf.push(b'-');
    push2(buf, m);
    buf.push(b'-');
    push2(buf, d);
}

/// Year, month and day of a day number (days since 1970-01-01); H. Hinnant's algorithm.
pub fn civil(day: i64) -> (i64, i64, i64) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The day number of a calendar date; the inverse of [`civil`].
pub fn day_of(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Monday = 0 … Sunday = 6.
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// Whether the day is Monday to Friday.
pub fn is_workday(day: i64) -> bool {
    weekday(day) < 5
}

/// Central European time's offset in minutes at `secs`: summer time from the
/// last Sunday of March to the last Sunday of October, 01:00 UTC.
pub fn cet_offset(secs: i64) -> i64 {
    let (y, _, _) = civil(secs.div_euclid(86_400));
    let last_sunday = |m: i64| {
        let d = day_of(y, m + 1, 1) - 1;
        d - (weekday(d) + 1) % 7
    };
    let start = last_sunday(3) * 86_400 + 3600;
    let end = last_sunday(10) * 86_400 + 3600;
    if (start..end).contains(&secs) {
        120
    } else {
        60
    }
}

/// A seeded random stream with the draws the generator needs.
pub struct Rand(ChaCha8Rng);

impl Rand {
    /// The stream `stream` of `seed`: each file draws from its own.
    pub fn new(seed: u64, stream: u64) -> Rand {
        Rand(ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(stream)))
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.0.random_range(0..n)
        }
    }

    /// Uniform integer in lo..=hi.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.0.random_range(lo..=hi)
        }
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A standard normal draw (Box–Muller).
    pub fn gauss(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// A log-normal draw with this median and log-space spread.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.gauss()).exp()
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// A value by weight; the last when the weights run out.
    pub fn weighted<T: Copy>(&mut self, pairs: &[(T, f64)]) -> T {
        let total: f64 = pairs.iter().map(|p| p.1).sum();
        let mut x = self.unit() * total;
        for &(v, w) in pairs {
            if x < w {
                return v;
            }
            x -= w;
        }
        pairs[pairs.len() - 1].0
    }
}

/// Picks indices in proportion to fixed weights (binary search on the running sum).
pub struct Sampler {
    cumulative: Vec<f64>,
}

impl Sampler {
    /// A sampler over `weights`; it must have one positive weight.
    pub fn new(weights: impl IntoIterator<Item = f64>) -> Sampler {
        let mut sum = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                sum += w.max(0.0);
                sum
            })
            .collect();
        Sampler { cumulative }
    }

    /// An index drawn by weight.
    pub fn draw(&self, rng: &mut Rand) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative.partition_point(|&c| c <= x).min(self.cumulative.len().saturating_sub(1))
    }
}

/// Splits `total` over slots in proportion to `weights`, summing to exactly `total`.
pub fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    let mut acc = 0.0;
    let mut given = 0u64;
    weights
        .iter()
        .map(|w| {
            acc += w;
            let upto = if sum > 0.0 { ((acc / sum) * total as f64).round() as u64 } else { 0 };
            let upto = upto.min(total);
            let n = upto.saturating_sub(given);
            given = given.max(upto);
            n
        })
        .collect()
}

/// `n` split into `parts` nearly equal whole numbers.
pub fn split_even(n: usize, parts: usize) -> Vec<usize> {
    (0..parts).map(|i| (i + 1) * n / parts - i * n / parts).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for day in [-1, 0, 19_000, day_of(2026, 9, 30), day_of(2024, 2, 29)] {
            let (y, m, d) = civil(day);
            assert_eq!(day_of(y, m, d), day);
        }
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(weekday(day_of(2026, 7, 6)), 0);
    }

    #[test]
    fn central_european_summer_time() {
        let at = |y, m, d, h: i64| day_of(y, m, d) * 86_400 + h * 3600;
        assert_eq!(cet_offset(at(2026, 3, 29, 0)), 60);
        assert_eq!(cet_offset(at(2026, 3, 29, 2)), 120);
        assert_eq!(cet_offset(at(2025, 10, 26, 0)), 120);
        assert_eq!(cet_offset(at(2025, 10, 26, 2)), 60);
    }

    #[test]
    fn timestamps_and_numbers_format_by_hand() {
        let dir = tempfile::tempdir().unwrap();
        let mut csv = Csv::create(dir.path(), "t.csv", &["a", "b", "c", "d"]).unwrap();
        let secs = day_of(2026, 7, 6) * 86_400 + 9 * 3600 + 31 * 60 + 5;
        csv.time(secs, 0).time(secs, 120).text("x, \"y\"").raw(&fmt_num(-0.0001, 2));
        csv.end().unwrap();
        assert_eq!(csv.finish().unwrap(), ("t.csv".to_string(), 1));
        let text = std::fs::read_to_string(dir.path().join("t.csv")).unwrap();
        assert_eq!(text, "a,b,c,d\n2026-07-06T09:31:05Z,2026-07-06T11:31:05+02:00,\"x, \"\"y\"\"\",0.00\n");
    }

    #[test]
    fn apportion_is_exact() {
        let parts = apportion(1000, &[1.0, 2.0, 0.0, 0.5, 3.3]);
        assert_eq!(parts.iter().sum::<u64>(), 1000);
        assert_eq!(parts[2], 0);
        assert_eq!(split_even(38, 14).iter().sum::<usize>(), 38);
    }
}
