//! Lines assembled from segments that are dropped whole (never cut inside
//! a number) when the width is short, or wrapped between their phrases;
//! plain text wrapped or clipped at words is words.rs.

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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
