//! Text wrapped or clipped at words, as a reader would break it: a number
//! keeps its unit, an operator its operands, a matrix its brackets; a
//! message's source excerpt keeps its columns.

/// Joins two words that `wrap_words` and `clip_words` keep on one line,
/// drawn as a blank: the viewer's `read in 8.501 ms` had broken after `in`.
pub const NO_BREAK: char = '\u{a0}';

/// The words of `text`: split at blanks, not at `NO_BREAK`.
fn split_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() && c != NO_BREAK)
        .filter(|w| !w.is_empty())
}

/// `text` as drawn: each `NO_BREAK` a blank.
pub fn drawn(text: &str) -> String {
    text.replace(NO_BREAK, " ")
}

/// `text` cut at a word boundary to fit `width`, with `ellipsis` where it
/// was cut (`…`; in ASCII `...`, as a lone `.` reads as a full stop: `firing
/// regularly at.`). A word, a number, is never cut in the middle, nor a
/// number from its unit. What would dangle before the cut goes with it: a
/// lone `=` and the like, a closing `:` or `,` (`HH with g_K = 0 at J_in
/// =…` reads `HH with g_K = 0 at J_in…`).
pub fn clip_words(text: &str, width: usize, ellipsis: &str) -> String {
    if text.chars().count() <= width {
        return drawn(text);
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    let ellipsis_w = ellipsis.chars().count();
    // A number and its unit are one word (`read in 1.82…` had lost its
    // `ms`, `~40…` its `Hz`).
    let mut words: Vec<String> = Vec::new();
    for word in split_words(text) {
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
    drawn(&out)
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
        lines.push(drawn(&line));
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
    let tokens: Vec<&str> = split_words(paragraph).collect();
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

    /// Words joined by `NO_BREAK` wrap and clip as one, and are drawn
    /// with a blank between them, whole or cut.
    #[test]
    fn words_joined_by_no_break_stay_together() {
        let text = format!("1148 spikes; read{NO_BREAK}in{NO_BREAK}767.3{NO_BREAK}us");
        assert_eq!(wrap_words(&text, 20), ["1148 spikes;", "read in 767.3 us"]);
        assert_eq!(wrap_words(&text, 40), ["1148 spikes; read in 767.3 us"]);
        assert_eq!(clip_words(&text, 20, "…"), "1148 spikes…");
        assert_eq!(clip_words(&text, 40, "…"), "1148 spikes; read in 767.3 us");
    }

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

    /// Words wrap as they come where nothing holds them together; a
    /// message's excerpt keeps its columns; a cut is marked, after a
    /// whole word.
    #[test]
    fn messages_wrap_and_clip_at_words() {
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
