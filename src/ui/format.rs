//! Numbers and words as the screen writes them: significant digits, times
//! in the unit that reads best, plurals, and lines assembled from segments
//! that are dropped whole (never cut inside a number) when the width is short.

use ratatui::text::{Line, Span};

/// A number with 4 significant digits: 68.32, 0.05300, 1234, -65.00.
pub fn sig4(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{}", if x == 0.0 { 0.0 } else { x });
    }
    // Below the sixth decimal (rounding noise, as the CV of a train of
    // equal intervals, 1e-16) the number reads as 0, not 0.000000.
    if x.abs() < 5e-7 {
        return "0".to_string();
    }
    // Below 0.001 the six decimals give fewer than four digits.
    fixed(x, decimals_for(x, 4, 6))
}

/// `x` to `n` significant digits as a plain decimal (an integer keeps all
/// its digits): the achieved speed to two reads 0.10, 0.050, 12.
pub fn significant(x: f64, n: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    fixed(x, decimals_for(x, n, 15))
}

/// The decimals that show `x` (finite, not 0) to `n` significant digits,
/// `most` at most. Rounding may carry into the next power of ten (0.99999
/// to four digits is 1.0000, 0.0996 to two 0.100): there the digits are
/// one decimal fewer (1.000, 0.10).
fn decimals_for(x: f64, n: i32, most: usize) -> usize {
    let magnitude = x.abs().log10().floor() as i32;
    let digits = (n - 1 - magnitude).clamp(0, most as i32) as usize;
    let carried = n - 1 - magnitude == digits as i32
        && format!("{:.digits$}", x.abs())
            .parse::<f64>()
            .is_ok_and(|r| r >= 10f64.powi(magnitude + 1));
    if carried {
        digits.saturating_sub(1)
    } else {
        digits
    }
}

/// A number without trailing zeros (up to 4 significant digits): 0.05, 1, 0.1.
pub fn compact(x: f64) -> String {
    let s = sig4(x);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A number in at most `width` characters: `compact` if it fits, else
/// fewer significant digits (3, then 2) as a decimal, so a column of small
/// weights reads alike (`0.004302`, `-0.00283`), else scientific
/// (`-1.4e-3`).
pub fn fit_number(x: f64, width: usize) -> String {
    let c = compact(x);
    if c.chars().count() <= width {
        return c;
    }
    if x.is_finite() && x != 0.0 {
        let magnitude = x.abs().log10().floor() as i32;
        for significant in [3, 2] {
            let decimals = (significant - 1 - magnitude).max(0) as usize;
            let s = fixed(x, decimals);
            let s = if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            };
            if s.chars().count() <= width {
                return s;
            }
        }
    }
    for digits in (1..=3).rev() {
        let s = format!("{x:.digits$e}");
        let s = match s.split_once('e') {
            Some((m, e)) if m.contains('.') => {
                format!("{}e{e}", m.trim_end_matches('0').trim_end_matches('.'))
            }
            _ => s,
        };
        if s.chars().count() <= width {
            return s;
        }
    }
    format!("{x:.0e}")
}

/// A fixed-point number without a negative zero.
pub fn fixed(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// A simulated time to the resolution that matters at its size: ms with two
/// decimals below 1 s, s with four decimals (0.1 ms) up to 1000 s, then s
/// with one decimal. `229833.45 ms` reads as `229.8335 s`.
pub fn sim_time(t_s: f64) -> String {
    if t_s.abs() < 1.0 {
        format!("{} ms", fixed(t_s * 1e3, 2))
    } else if t_s.abs() < 1000.0 {
        format!("{} s", fixed(t_s, 4))
    } else {
        format!("{} s", fixed(t_s, 1))
    }
}

/// A time as a point: `200 ms`, `6.03 ms`, `1.2 s`, `10 s` (ms below 1 s
/// with up to two decimals, s with up to four; trailing zeros dropped).
pub fn time_point(t_s: f64) -> String {
    time_point_on(t_s, 0.0)
}

/// A time on a grid of `step_s` as a point: as `time_point`, with the
/// decimals the grid needs besides (a sample at 1.23455 s on a 50 µs grid
/// reads `1.23455 s`, not `1.2346 s`; at 37.325 ms on 25 µs, `37.325 ms`).
pub fn time_point_on(t_s: f64, step_s: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    // The decimals that write the step exactly (up to 9: nanoseconds).
    let decimals_of = |step: f64| {
        (0..=9)
            .find(|&d| {
                let scaled = step * 10f64.powi(d);
                (scaled - scaled.round()).abs() < 1e-6
            })
            .unwrap_or(9) as usize
    };
    if t_s.abs() < 1.0 {
        let decimals = decimals_of(step_s * 1e3).max(2);
        format!("{} ms", trim(fixed(t_s * 1e3, decimals)))
    } else {
        format!("{} s", trim(fixed(t_s, decimals_of(step_s).max(4))))
    }
}

/// A duration shortly: `50 ms`, `1.5 s`, `250 µs` (at most 4 significant
/// digits, no trailing zeros).
pub fn duration(t_s: f64) -> String {
    crate::preset::time::in_time_unit(t_s, compact)
}

/// `1 spike`, `2 spikes`.
pub fn plural(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// One part of a line, dropped whole when the line is too short; lower
/// `priority` is dropped first, and a segment never loses characters.
#[derive(Debug, Clone)]
pub struct Segment<'a> {
    pub priority: u8,
    pub spans: Vec<Span<'a>>,
}

impl<'a> Segment<'a> {
    pub fn new(priority: u8, spans: Vec<Span<'a>>) -> Self {
        Self { priority, spans }
    }

    /// Plain text of `priority`.
    pub fn raw(priority: u8, text: impl Into<std::borrow::Cow<'a, str>>) -> Self {
        Self::new(priority, vec![Span::raw(text)])
    }

    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| s.width()).sum()
    }
}

/// The segments that fit in `width`, in their order: the lowest priorities
/// go first until the rest fit.
pub fn fit<'a>(width: usize, segments: Vec<Segment<'a>>) -> Line<'a> {
    let mut keep = vec![true; segments.len()];
    let total = |keep: &[bool]| -> usize {
        segments
            .iter()
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(s, _)| s.width())
            .sum()
    };
    while total(&keep) > width {
        let drop = segments
            .iter()
            .enumerate()
            .filter(|(i, _)| keep[*i])
            .min_by_key(|(i, s)| (s.priority, usize::MAX - i))
            .map(|(i, _)| i);
        match drop {
            Some(i) => keep[i] = false,
            None => break,
        }
    }
    Line::from(
        segments
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .flat_map(|(s, _)| s.spans)
            .collect::<Vec<_>>(),
    )
}

/// Wraps segments into lines of at most `width`, breaking between
/// segments; a segment wider than a whole line is broken between its
/// phrases (after ", ", ": " or "; "), so that a value keeps its unit
/// (`peak 18.39 1/s at 20 ms` read `at 20` on one line and `ms` on the
/// next), and a phrase wider than the line between its words (each piece
/// keeping its span's style); only a word wider than the line is cut at the
/// edge.
pub fn wrap<'a>(width: usize, segments: Vec<Segment<'a>>) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut current: Vec<Span<'a>> = Vec::new();
    let mut used = 0;
    let pieces = segments.into_iter().flat_map(|s| {
        if inked(&s.spans) <= width {
            vec![s.spans]
        } else {
            s.spans
                .into_iter()
                .flat_map(|span| {
                    let style = span.style;
                    phrases(&span.content)
                        .flat_map(|phrase| {
                            if Span::raw(phrase.trim_end()).width() <= width {
                                vec![phrase]
                            } else {
                                phrase.split_inclusive(' ').collect()
                            }
                        })
                        .map(|piece| vec![Span::styled(piece.to_string(), style)])
                        .collect::<Vec<_>>()
                })
                .collect()
        }
    });
    for mut spans in pieces {
        if used > 0 && used + inked(&spans) > width {
            lines.push(finished_line(std::mem::take(&mut current)));
            used = 0;
        }
        if used == 0 {
            trim_line_start(&mut spans);
        }
        used += spans.iter().map(|s| s.width()).sum::<usize>();
        current.extend(spans);
    }
    if !current.is_empty() {
        lines.push(finished_line(current));
    }
    lines
}

/// The width of spans up to their last non-blank: the blanks that part a
/// piece from the next need no room at a line's end (they are trimmed).
fn inked(spans: &[Span]) -> usize {
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    Span::raw(text.trim_end()).width()
}

/// The phrases of `text`, each with the ", ", ": " or "; " that ends it.
fn phrases(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = [", ", ": ", "; "]
            .iter()
            .filter_map(|sep| rest.find(sep).map(|at| at + sep.len()))
            .min()
            .unwrap_or(rest.len());
        let (phrase, after) = rest.split_at(end);
        rest = after;
        Some(phrase)
    })
}

/// A wrapped line without the separator `·` and spaces that joined its
/// last piece to one that went to the next line, or to none (LIF's cursor
/// readout ended `1/Δt 6.000 Hz ·`, the spike shape that follows it being
/// HH's).
fn finished_line(mut spans: Vec<Span<'_>>) -> Line<'_> {
    while let Some(last) = spans.last_mut() {
        let kept = last.content.trim_end_matches([' ', '·']);
        if kept.is_empty() {
            spans.pop();
            continue;
        }
        if kept.len() != last.content.len() {
            last.content = kept.to_string().into();
        }
        break;
    }
    Line::from(spans)
}

/// A line's start without the spaces and the separator `·` that joined its
/// first piece to the one before (a wrapped line began ` · 28 measured
/// points`, in ASCII `| 28`, read as a border).
fn trim_line_start(spans: &mut Vec<Span<'_>>) {
    while let Some(first) = spans.first_mut() {
        let kept = first.content.trim_start_matches([' ', '·']);
        if kept.is_empty() {
            spans.remove(0);
            continue;
        }
        if kept.len() != first.content.len() {
            first.content = kept.to_string().into();
        }
        break;
    }
}

/// `text` cut at a word boundary to fit `width`, with `ellipsis` where it
/// was cut (`…`; in ASCII `...`, as a lone `.` reads as a full stop: `firing
/// regularly at.`). A word, a number, is never cut in the middle. What would
/// dangle before the cut goes with it: a lone `=` and the like, a closing
/// `:` or `,` (`HH with g_K = 0 at J_in =…` reads `HH with g_K = 0 at
/// J_in…`).
pub fn clip_words(text: &str, width: usize, ellipsis: &str) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    let ellipsis_w = ellipsis.chars().count();
    for word in text.split_whitespace() {
        let needed = used + usize::from(!kept.is_empty()) + word.chars().count();
        if needed + ellipsis_w > width {
            break;
        }
        used = needed;
        kept.push(word);
    }
    while kept
        .last()
        .is_some_and(|w| !w.chars().any(char::is_alphanumeric))
    {
        kept.pop();
    }
    let mut out = kept.join(" ");
    out.truncate(out.trim_end_matches([':', ',', ';']).len());
    out.push_str(ellipsis);
    out
}

/// Words wrapped to `width` columns (for guidance and error text); a word
/// wider than a line (a long path) is broken across lines, not cut.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let words = paragraph.split_whitespace().flat_map(|word| {
            let chars: Vec<char> = word.chars().collect();
            chars
                .chunks(width)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
        });
        for word in words {
            let word = word.as_str();
            let needed =
                line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
            if !line.is_empty() && needed > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// A message wrapped to `width` columns line by line: a source excerpt
/// (` 5 | tau_m = "-20 ms"` and the `|   ^^^^` under it) kept as it is, so
/// its carets stay under their columns; other lines wrapped at words with
/// their indentation.
pub fn wrap_message(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.split('\n') {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let gutter = body.split_once(" |").map_or("", |(g, _)| g);
        let excerpt = body.starts_with('|')
            || (!gutter.is_empty() && gutter.chars().all(|c| c.is_ascii_digit()));
        if excerpt {
            lines.push(line.to_string());
            continue;
        }
        let room = width.saturating_sub(indent.chars().count());
        lines.extend(
            wrap_words(body, room)
                .into_iter()
                .map(|l| format!("{indent}{l}")),
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// From 0.001 to 9999 a number shows four significant digits, never
        /// five (a rounding that carries, 0.99999, had read 1.0000), and
        /// reads back within half its last digit.
        #[test]
        fn sig4_shows_four_significant_digits(
            // Half the cases where the fourth digit rounds up into a carry.
            mantissa in proptest::prop_oneof![1.0f64..10.0, 9.9995f64..10.0],
            exponent in -3i32..4,
            negative in proptest::bool::ANY,
        ) {
            let x = if negative { -1.0 } else { 1.0 } * mantissa * 10f64.powi(exponent);
            let shown = sig4(x);
            let digits: String = shown
                .chars()
                .filter(char::is_ascii_digit)
                .skip_while(|&c| c == '0')
                .collect();
            let read: f64 = shown.parse().unwrap();
            // The place of the fourth digit of what is shown.
            let last = 10f64.powi(read.abs().log10().floor() as i32 - 3);
            proptest::prop_assert!(
                digits.len() == 4 || shown.ends_with("10000"),
                "{x} as {shown}"
            );
            proptest::prop_assert!(
                (read - x).abs() <= 0.5 * last * (1.0 + 1e-9),
                "{x} as {shown}"
            );
        }
    }

    #[test]
    fn numbers_and_times() {
        assert_eq!(sig4(68.3214), "68.32");
        assert_eq!(sig4(-65.0), "-65.00");
        assert_eq!(sig4(0.0529), "0.05290");
        assert_eq!(sig4(1.2e-6), "0.000001");
        assert_eq!(sig4(-1.1e-16), "0");
        // A rounding that carries keeps four digits, not five.
        assert_eq!(sig4(0.99999), "1.000");
        assert_eq!(sig4(-99.996), "-100.0");
        assert_eq!(sig4(9.99996e-5), "0.000100");
        assert_eq!(sig4(0.99994), "0.9999");
        // Two digits, as the achieved speed: the carry again.
        assert_eq!(significant(0.0996, 2), "0.10");
        assert_eq!(significant(0.05, 2), "0.050");
        assert_eq!(significant(0.2449, 2), "0.24");
        assert_eq!(significant(9.96, 2), "10");
        assert_eq!(significant(12.3, 2), "12");
        assert_eq!(significant(996.0, 2), "996");
        assert_eq!(compact(0.05), "0.05");
        assert_eq!(fit_number(-0.001388, 8), "-0.00139");
        assert_eq!(fit_number(-0.0028341, 8), "-0.00283");
        assert_eq!(fit_number(-0.0000123456, 8), "-1.23e-5");
        assert_eq!(fit_number(123456789.0, 8), "1.235e8");
        assert_eq!(fit_number(0.004464, 8), "0.004464");
        assert_eq!(fixed(-0.0001, 2), "0.00");
        assert_eq!(sim_time(0.15230), "152.30 ms");
        assert_eq!(time_point_on(1.23455, 50e-6), "1.23455 s");
        assert_eq!(time_point(1.23455), "1.2346 s");
        assert_eq!(time_point_on(0.037325, 25e-6), "37.325 ms");
        assert_eq!(time_point_on(0.0373, 50e-6), "37.3 ms");
        assert_eq!(time_point_on(2.5, 100e-6), "2.5 s");
        assert_eq!(sim_time(229.83346), "229.8335 s");
        assert_eq!(sim_time(3600.0), "3600.0 s");
        assert_eq!(duration(0.00025), "250 µs");
        assert_eq!(duration(1.5), "1.5 s");
        assert_eq!(plural(1, "spike", "spikes"), "1 spike");
        assert_eq!(plural(0, "sweep", "sweeps"), "0 sweeps");
    }

    #[test]
    fn segments_are_dropped_whole_lowest_priority_first() {
        let seg = |p, t: &'static str| Segment::new(p, vec![Span::raw(t)]);
        let line = fit(12, vec![seg(3, "t = 1 ms"), seg(1, " hint"), seg(2, " x1")]);
        assert_eq!(line.to_string(), "t = 1 ms x1");
        let wrapped = |width, texts: &[&'static str]| -> Vec<String> {
            let segments = texts.iter().map(|&t| seg(0, t)).collect();
            wrap(width, segments)
                .iter()
                .map(|l| l.to_string())
                .collect()
        };
        assert_eq!(wrapped(9, &["abc ", "defg ", "hi"]), ["abc defg", "hi"]);
        // A segment wider than the line breaks between its words.
        assert_eq!(
            wrapped(9, &["ab ", "one two three four"]),
            ["ab one", "two three", "four"]
        );
        // A wrapped line starts with its words, not with the separator that
        // joined them to the line before.
        assert_eq!(
            wrapped(12, &["rate 5 Hz", " · 9 points"]),
            ["rate 5 Hz", "9 points"]
        );
        // Nor ends with one that joined it to a piece on the next line, or
        // to nothing.
        assert_eq!(
            wrapped(18, &["Δt 1 ms", " · 1/Δt 1000 Hz · "]),
            ["Δt 1 ms", "1/Δt 1000 Hz"]
        );
        assert_eq!(
            wrapped(40, &["A 1 ms · ", "B 2 ms · "]),
            ["A 1 ms · B 2 ms"]
        );
        // It breaks between its phrases first, so a value keeps its unit;
        // the blanks that end a piece need no room at a line's end.
        let explore = "explore: n 1, tau_s 20 ms, peak 18.39 1/s at 20 ms, area 1";
        let (one, two) = (
            "explore: n 1, tau_s 20 ms,",
            "peak 18.39 1/s at 20 ms, area 1",
        );
        assert_eq!(wrapped(40, &[explore]), [one, two]);
        assert_eq!(wrapped(10, &["a, b, cde   ", "f"]), ["a, b, cde", "f"]);
        let long = "peak 18.39 1/s at 20 ms, x";
        assert_eq!(
            wrapped(12, &["ab ", long]),
            ["ab peak", "18.39 1/s at", "20 ms, x"]
        );
        assert_eq!(wrap_words("one two three", 7), ["one two", "three"]);
        assert_eq!(
            wrap_words("to /a/long/path/name.csv", 10),
            ["to", "/a/long/pa", "th/name.cs", "v"]
        );
        let e = "x.toml:5:9: `lif.tau_m` = \"-20 ms\": must be greater than 0\n  valid: a time > 0\n   |\n 5 | tau_m = \"-20 ms\"\n   |         ^^^^^^^^";
        assert_eq!(
            wrap_message(e, 30),
            [
                "x.toml:5:9: `lif.tau_m` = \"-20",
                "ms\": must be greater than 0",
                "  valid: a time > 0",
                "   |",
                " 5 | tau_m = \"-20 ms\"",
                "   |         ^^^^^^^^",
            ]
        );
        assert_eq!(
            clip_words("HH at J_in = 200 µA/cm²: one", 20, "…"),
            "HH at J_in = 200…"
        );
        // Nothing dangles before the cut.
        assert_eq!(
            clip_words("HH at J_in = 200 µA/cm²: one", 25, "…"),
            "HH at J_in = 200 µA/cm²…"
        );
        assert_eq!(
            clip_words("HH with g_K = 0 at J_in = 10", 26, "…"),
            "HH with g_K = 0 at J_in…"
        );
        // In ASCII the cut is `...`, and the width still holds.
        assert_eq!(
            clip_words("HH at J_in = 200 uA/cm2: one", 20, "..."),
            "HH at J_in = 200..."
        );
        assert_eq!(
            clip_words("firing regularly at 10", 21, "..."),
            "firing regularly..."
        );
    }
}
