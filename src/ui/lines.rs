//! Lines assembled from segments that are dropped whole (never cut inside
//! a number) when the width is short, and text wrapped or clipped at words.

use ratatui::text::{Line, Span};

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
/// regularly at.`). A word, a number, is never cut in the middle, nor a
/// number from its unit. What would dangle before the cut goes with it: a
/// lone `=` and the like, a closing `:` or `,` (`HH with g_K = 0 at J_in
/// =…` reads `HH with g_K = 0 at J_in…`).
pub fn clip_words(text: &str, width: usize, ellipsis: &str) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    let ellipsis_w = ellipsis.chars().count();
    // A number and its unit are one word (`read in 1.82…` had lost its
    // `ms`, `~40…` its `Hz`).
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match words.last_mut() {
            Some(last) if is_unit(word) && is_number(last) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    for word in &words {
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
/// wider than a line (a long path) is broken across lines, not cut, a
/// number keeps its unit on its line (`767.3 us` had left `us` alone) and
/// an operator its operands (`s_i + b_i` had broken after the `+`).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let words = joined_words(paragraph, width).into_iter().flat_map(|word| {
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

/// Whether `w` is a number, also after an opening parenthesis, `~`, `=`
/// or quote: `"20 ms"` in a message split as `"20` / `ms"`.
fn is_number(w: &str) -> bool {
    w.trim_start_matches(['(', '~', '=', '"'])
        .parse::<f64>()
        .is_ok()
}

/// Whether `w` is a unit (a number's), also before punctuation.
fn is_unit(w: &str) -> bool {
    const UNITS: [&str; 18] = [
        "s", "ms", "us", "µs", "ns", "min", "Hz", "kHz", "mV", "V", "uA/cm2", "µA/cm²", "mS/cm2",
        "mS/cm²", "oC", "°C", "MOhm", "MΩ",
    ];
    UNITS.contains(&w.trim_end_matches([',', ';', ':', '.', ')', '"']))
}

/// The words of `paragraph`, where they fit a line as one: a number and
/// the unit after it, an operator standing alone (`=`, `+`, `->`) with
/// the words on either side of it, so that no line of a formula begins or
/// ends with one, and a product written as juxtaposition: a matrix or
/// vector in square brackets whole, with one it multiplies (`[W | b] [x;
/// 1]`), two one-letter names (`W x`), two terms (`v_in (1 - ...)`, `t^n
/// e^(-t/tau_s)`: lines had ended on `v(t) = v_in` and `h(t) = t^n`).
fn joined_words(paragraph: &str, width: usize) -> Vec<String> {
    const OPERATORS: [&str; 17] = [
        "=", "+", "-", "*", "/", "<", ">", "<=", ">=", "->", "<-", "~", "≈", "≤", "≥", "→", "×",
    ];
    let is_operator = |w: &str| OPERATORS.contains(&w);
    // Inside `[` ... `]`, or between `]` and the `[` of the next factor.
    let in_brackets = |last: &str, word: &str| {
        let opened = last.matches('[').count() > last.matches(']').count();
        opened || (last.ends_with(']') && word.starts_with('['))
    };
    let one_letter = |w: &str| {
        let mut chars = w.chars();
        chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
    };
    // A term of a formula: a one-letter name, a name with a subscript,
    // power or factorial (`v_in`, `t^n`, `n!`), or a parenthesis opened on
    // a number (`(1`, `(-t`; `(equal)` is a word); one before a comma ends
    // its formula.
    let term = |w: &str| {
        one_letter(w)
            || w.contains(['_', '^', '!'])
            || w.strip_prefix('(')
                .and_then(|r| r.chars().next())
                .is_some_and(|c| c.is_ascii_digit() || c == '-')
    };
    let product = |last: &str, word: &str| {
        let left = last.rsplit(' ').next().unwrap_or("");
        in_brackets(last, word)
            || (one_letter(left) && one_letter(word))
            || (term(left) && !left.ends_with([',', ';', ':', '.']) && term(word))
    };
    let fits = |a: &str, b: &str| a.chars().count() + 1 + b.chars().count() <= width;
    let mut words: Vec<String> = Vec::new();
    let mut after_operator = false;
    let tokens: Vec<&str> = paragraph.split_whitespace().collect();
    let mut k = 0;
    while k < tokens.len() {
        let word = tokens[k];
        k += 1;
        // Two keys named as such (`+ and -`, `< or >`) are one word, not
        // operators joining their neighbours: `Tab selects a` ended a line
        // short, `neuron, + and - change` held together on the next.
        if let [conj @ ("and" | "or"), other, ..] = tokens[k..]
            && is_operator(word)
            && is_operator(other)
        {
            words.push(format!("{word} {conj} {other}"));
            after_operator = false;
            k += 2;
            continue;
        }
        let Some(last) = words.last_mut() else {
            words.push(word.to_string());
            continue;
        };
        let joined = after_operator
            || is_operator(word)
            || product(last, word)
            || (is_unit(word) && is_number(last.rsplit(' ').next().unwrap_or("")));
        // Too long to join: a bracket left open goes on with the word where
        // they fit a line (`[W | b]` / `[x; 1]`, not `[W | b] [x;` / `1]`).
        let open_tail = last
            .rfind(" [")
            .map(|k| k + 1)
            .filter(|&k| in_brackets(last, word) && fits(&last[k..], word));
        if joined && fits(last, word) {
            last.push(' ');
            last.push_str(word);
        } else if let Some(k) = open_tail {
            let mut next = last.split_off(k);
            last.truncate(last.trim_end().len());
            next.push(' ');
            next.push_str(word);
            words.push(next);
        } else {
            words.push(word.to_string());
        }
        after_operator = is_operator(word);
    }
    words
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

    /// A number and its unit share a line; other words wrap as they come.
    #[test]
    fn a_number_keeps_its_unit() {
        let text = "ei.csv: 1148 spikes over 1.997 s; read in 767.3 us";
        assert_eq!(
            wrap_words(text, 47),
            ["ei.csv: 1148 spikes over 1.997 s; read in", "767.3 us"]
        );
        assert_eq!(
            wrap_words(text, 32),
            ["ei.csv: 1148 spikes over", "1.997 s; read in 767.3 us"]
        );
        assert_eq!(
            wrap_words("at (-65 mV) and 2 cells", 8),
            ["at", "(-65 mV)", "and 2", "cells"]
        );
        // Quoted, as an error's `valid:` line gives a time with its unit.
        assert_eq!(
            wrap_words(r#"with a unit: "20 ms", "500 us""#, 16),
            ["with a unit:", r#""20 ms","#, r#""500 us""#]
        );
    }

    /// An operator keeps the words on either side of it on its line, while
    /// they fit one; a unit after an operand stays with its number.
    #[test]
    fn an_operator_keeps_its_operands() {
        let text = "its input v_in = s + b + x reaches the threshold";
        assert_eq!(
            wrap_words(text, 20),
            ["its input", "v_in = s + b + x", "reaches the", "threshold"]
        );
        assert_eq!(
            wrap_words(text, 12),
            [
                "its input",
                "v_in = s + b",
                "+ x reaches",
                "the",
                "threshold"
            ]
        );
        assert_eq!(wrap_words("a, 1 -> 2 ms.", 10), ["a,", "1 -> 2 ms."]);
        // A dash inside a word is no operator.
        assert_eq!(
            wrap_words("neurons 0-31 excite", 12),
            ["neurons 0-31", "excite"]
        );
        // A matrix in brackets stays whole, and beside the vector it
        // multiplies; prose around it wraps as words.
        let augmented = "node fixed at 1: W x + b = [W | b] [x; 1].";
        assert_eq!(
            wrap_words(augmented, 24),
            ["node fixed at 1:", "W x + b = [W | b]", "[x; 1]."]
        );
        assert_eq!(
            wrap_words(augmented, 17),
            ["node fixed at 1:", "W x + b =", "[W | b] [x; 1]."]
        );
        assert_eq!(
            wrap_words(augmented, 8),
            [
                "node", "fixed at", "1:", "W x + b", "=", "[W | b]", "[x; 1]."
            ]
        );
        // A bracket too long for a line breaks as words do, none cut.
        assert_eq!(wrap_words("[W the ->", 8), ["[W the", "->"]);
        // Two keys named (`+ and -`) are a word, not operators holding
        // their neighbours: network-abc's guidance at 80 columns ended
        // `Tab selects a` and went on `neuron, + and - change its bias.`
        let keys = "press 6 for W. Tab selects a neuron, + and - change its bias.";
        assert_eq!(
            wrap_words(keys, 44),
            [
                "press 6 for W. Tab selects a neuron, + and -",
                "change its bias."
            ]
        );
        assert_eq!(wrap_words("then < or > = 1", 10), ["then", "< or > = 1"]);
        // A product of terms stays whole (lif-below's and psc-orders'
        // guidance ended lines on `v(t) = v_in` and `h(t) = t^n`); words
        // beside a term are prose.
        assert_eq!(
            wrap_words("rises along v(t) = v_in (1 - e^(-t/tau_m)) towards 0.9", 36),
            [
                "rises along",
                "v(t) = v_in (1 - e^(-t/tau_m))",
                "towards 0.9"
            ]
        );
        assert_eq!(
            wrap_words(
                "n = 0, 1, 2 (notes 1.3.2): h(t) = t^n e^(-t/tau_s) / (n! tau_s^(n+1)).",
                60
            ),
            [
                "n = 0, 1, 2 (notes 1.3.2):",
                "h(t) = t^n e^(-t/tau_s) / (n! tau_s^(n+1))."
            ]
        );
        assert_eq!(
            wrap_words("at tau_m, (-65 mV) and at (20 ms)", 10),
            ["at tau_m,", "(-65 mV)", "and at", "(20 ms)"]
        );
        assert_eq!(
            wrap_words("s_i + b_i (equal).", 10),
            ["s_i + b_i", "(equal)."]
        );
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
                "x.toml:5:9:",
                "`lif.tau_m` = \"-20 ms\": must",
                "be greater than 0",
                "  valid: a time > 0",
                "   |",
                " 5 | tau_m = \"-20 ms\"",
                "   |         ^^^^^^^^",
            ]
        );
        // A number goes with its unit: `200…` read as a bare number.
        assert_eq!(
            clip_words("HH at J_in = 200 µA/cm²: one", 20, "…"),
            "HH at J_in…"
        );
        assert_eq!(clip_words("; read in 1.82 ms", 15, "…"), "; read in…");
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
            "HH at J_in..."
        );
        assert_eq!(
            clip_words("firing regularly at 10", 21, "..."),
            "firing regularly..."
        );
    }

    proptest::proptest! {
        /// However words, operators, units and brackets come, wrapping keeps
        /// every word in its order and no line is wider than asked (words
        /// here are shorter than a line, so none is cut).
        #[test]
        fn wrapping_keeps_the_words_within_the_width(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "W", "x", "b", "+", "=", "->", "[W", "|", "b]", "[x;", "1].", "(a", "h)(t)",
                "2", "ms", "Hz,", "rate", "of", "the", "neuron", "[y]", "1:", "*",
            ]), 0..30),
            width in 8usize..40,
        ) {
            let text = words.join(" ");
            let lines = wrap_words(&text, width);
            for line in &lines {
                proptest::prop_assert!(line.chars().count() <= width, "{line:?} in {lines:?}");
            }
            let back: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            proptest::prop_assert_eq!(back, words);
        }
    }
}
