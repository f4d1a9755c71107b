//! What the raster's marks stand for: where a cell's mark counts its
//! spikes (ASCII, or a row a neuron), each mark is a third of the window's
//! busiest cell, and the title says how many spikes each stands for now.

use crate::ui::format::plural;

/// A cell's mark, 1 to 3, for its `count` spikes against the busiest
/// cell's `busiest`: thirds of the busiest, so a window of many spikes
/// keeps its contrast.
pub(super) fn density_mark(count: u32, busiest: u32) -> u8 {
    (3 * count).div_ceil(busiest.max(1)).min(3) as u8
}

/// What each mark stands for in a window whose busiest cell holds
/// `busiest` spikes (`marks[m]` for mark m): `. 1-2`, `+ 3-4`, `| 5-7`,
/// the marks no count maps to left out; none for an empty window.
pub(super) fn density_legend(busiest: u32, marks: &[char; 4]) -> Vec<String> {
    // Mark m holds the counts c with (m - 1) b < 3c <= m b.
    (1..=3u32)
        .filter_map(|m| {
            let (lo, hi) = ((m - 1) * busiest / 3 + 1, m * busiest / 3);
            let range = match hi.cmp(&lo) {
                std::cmp::Ordering::Less => return None,
                std::cmp::Ordering::Equal => lo.to_string(),
                std::cmp::Ordering::Greater => format!("{lo}-{hi}"),
            };
            Some(format!("{} {range}", marks[m as usize]))
        })
        .collect()
}

/// The raster's title in `width` columns: the neurons, their groups
/// (`per` a row) and what the marks count (`legend`, None where Braille
/// draws a dot a neuron or group), shortened as needed: the words between
/// the marks go first, then the groups (each row's label names its
/// neurons), then the count of neurons (the file's line says it); what
/// the marks count stays (at 60x16, 10,000 neurons' title was cut at
/// `| 214-320 sp`).
pub(super) fn raster_title(
    n: usize,
    per: usize,
    legend: Option<(&[String], u32)>,
    width: usize,
) -> String {
    let neurons = plural(n as u64, "neuron", "neurons");
    let group = if per > 1 && legend.is_some() {
        format!(", {per} a row")
    } else {
        String::new()
    };
    let Some((parts, busiest)) = legend else {
        return format!(" spikes of {neurons} ");
    };
    let unit = if busiest == 1 { "spike" } else { "spikes" };
    let candidates = if parts.is_empty() {
        vec![format!(" spikes of {neurons}{group}; none in the window ")]
    } else {
        vec![
            format!(" spikes of {neurons}{group}; {} {unit} ", parts.join("  ")),
            format!(" spikes of {neurons}{group}; {} {unit} ", parts.join(" ")),
            format!(" {neurons}{group}; {} {unit} ", parts.join(" ")),
            format!(" {neurons}; {} {unit} ", parts.join(" ")),
            format!(" {} {unit} ", parts.join(" ")),
        ]
    };
    let fits = |t: &String| t.chars().count() <= width;
    candidates
        .iter()
        .find(|t| fits(t))
        .unwrap_or(&candidates[candidates.len() - 1])
        .clone()
}

#[cfg(test)]
mod tests {
    use super::{density_legend, density_mark, raster_title};

    const MARKS: [char; 4] = [' ', '.', '+', '|'];

    /// Every count from 1 to the busiest cell's is drawn with the mark
    /// whose range in the legend holds it, for any busiest count.
    #[test]
    fn the_legend_names_the_counts_each_mark_is_drawn_for() {
        for busiest in 1..=300u32 {
            let legend = density_legend(busiest, &MARKS);
            for count in 1..=busiest {
                let mark = MARKS[usize::from(density_mark(count, busiest))];
                let part = legend
                    .iter()
                    .find(|p| p.starts_with(mark))
                    .unwrap_or_else(|| panic!("{busiest}: {mark} for {count}, {legend:?}"));
                let range = &part[2..];
                let (lo, hi) = match range.split_once('-') {
                    Some((lo, hi)) => (lo.parse().unwrap(), hi.parse().unwrap()),
                    None => (range.parse().unwrap(), range.parse().unwrap()),
                };
                assert!((lo..=hi).contains(&count), "{busiest}: {count} in {part}");
            }
            // The busiest cell is always a full mark.
            assert_eq!(density_mark(busiest, busiest), 3);
        }
        assert_eq!(density_legend(1, &MARKS), ["| 1"]);
        assert_eq!(density_legend(2, &MARKS), ["+ 1", "| 2"]);
        assert_eq!(density_legend(7, &MARKS), [". 1-2", "+ 3-4", "| 5-7"]);
        assert!(density_legend(0, &MARKS).is_empty());
    }

    /// The title says what the marks count, shortened to its width: the
    /// words go, the figures stay.
    #[test]
    fn the_raster_title_keeps_the_counts_in_its_width() {
        let legend = density_legend(23, &MARKS);
        let full = raster_title(1000, 334, Some((&legend, 23)), 78);
        assert_eq!(
            full,
            " spikes of 1000 neurons, 334 a row; . 1-7  + 8-15  | 16-23 spikes "
        );
        let narrow = raster_title(1000, 334, Some((&legend, 23)), 58);
        assert_eq!(
            narrow,
            " 1000 neurons, 334 a row; . 1-7 + 8-15 | 16-23 spikes "
        );
        // 10,000 neurons at 60x16: the groups go, then the count.
        let busy = density_legend(320, &MARKS);
        assert_eq!(
            raster_title(10_000, 3334, Some((&busy, 320)), 58),
            " 10000 neurons; . 1-106 + 107-213 | 214-320 spikes "
        );
        assert_eq!(
            raster_title(10_000, 3334, Some((&busy, 320)), 40),
            " . 1-106 + 107-213 | 214-320 spikes "
        );
        assert_eq!(
            raster_title(3, 1, Some((&density_legend(1, &MARKS), 1)), 78),
            " spikes of 3 neurons; | 1 spike "
        );
        assert_eq!(
            raster_title(40, 5, Some((&[], 0)), 78),
            " spikes of 40 neurons, 5 a row; none in the window "
        );
        // Braille draws a dot a neuron or group: no counts to name.
        assert_eq!(raster_title(1000, 63, None, 78), " spikes of 1000 neurons ");
    }
}
