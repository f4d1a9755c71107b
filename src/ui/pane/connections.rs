//! The notes' pictures of connection weights (1.3.4, lost in conversion):
//! "in the following graph with three neurons A, B, C, we use w_CA and w_CB
//! to denote the connection weight from A to C and from B to C", and the two
//! populations X -> Y with a connection from every X node to every Y node.
//! Under the weights view's table, each Y neuron with the connections into
//! it, one line each, named as the notes name them (w_ij: from X neuron j
//! to Y neuron i, post first) and weighted as the table's W; in the
//! augmented form the constant-1 node's line carries the bias b_i. A
//! recurrent network (no two populations: the winner-take-all's mutual
//! inhibition) is drawn the same way under its matrix, each neuron with the
//! neurons that send to it, a weight of 0 being no connection.
//!
//! ```text
//!  A ── w_CA =   0.02 ──┐
//!  B ── w_CB = -0.005 ──┴──▶ C
//! ```

use ratatui::text::Line;

use crate::ui::theme::Theme;
use crate::ui::words::wrap_words;

/// One connection into a Y neuron: the sending node's name, the weight's
/// name, and its value as the table writes it.
struct Edge {
    from: String,
    name: String,
    value: String,
}

/// What the picture is drawn from: the two populations' names (X senders,
/// Y receivers), W as rows of Y by columns of X with each value already as
/// the table writes it, and the biases when the augmented form shows them.
pub(super) struct Populations<'a> {
    pub x_names: &'a [String],
    pub y_names: &'a [String],
    pub weights: &'a [Vec<String>],
    pub biases: Option<&'a [String]>,
    /// The Y neuron whose connections stay in view (the selected one).
    pub selected: Option<usize>,
    /// Which weights are connections: all of them between two populations
    /// (every X node sends to every Y node, a zero weight among them); in
    /// a recurrent network, where X and Y are the same neurons, only the
    /// weights that are not zero.
    pub connected: Option<&'a [Vec<bool>]>,
    /// The number of the first neuron where weights are named by number:
    /// 1 for places in the populations (x1, y1), 0 for a recurrent
    /// network's neurons (#0, #1, as the screen numbers them).
    pub first_number: usize,
}

/// The weight from X neuron j to Y neuron i as the notes name it: by the
/// neurons' letters where every name is one (w_CA), else by their places in
/// the populations from 1 (w_21; w_12,3 past 9).
fn weight_name(p: &Populations, i: usize, j: usize) -> String {
    let letters = p
        .x_names
        .iter()
        .chain(p.y_names)
        .all(|n| n.chars().count() == 1);
    if letters {
        format!("w_{}{}", p.y_names[i], p.x_names[j])
    } else {
        let (i, j) = (i + p.first_number, j + p.first_number);
        if i < 10 && j < 10 {
            format!("w_{i}{j}")
        } else {
            format!("w_{i},{j}")
        }
    }
}

fn bias_name(p: &Populations, i: usize) -> String {
    if p.y_names.iter().all(|n| n.chars().count() == 1) {
        format!("b_{}", p.y_names[i])
    } else {
        format!("b_{}", i + p.first_number)
    }
}

/// Y neuron i's connections: one from each X neuron connected to it, then
/// the constant-1 node's when the biases are shown.
fn edges_into(p: &Populations, i: usize) -> Vec<Edge> {
    let mut edges: Vec<Edge> = (0..p.x_names.len())
        .filter(|&j| p.connected.is_none_or(|c| c[i][j]))
        .map(|j| Edge {
            from: p.x_names[j].clone(),
            name: weight_name(p, i, j),
            value: p.weights[i][j].clone(),
        })
        .collect();
    if let Some(b) = p.biases {
        edges.push(Edge {
            from: "1".into(),
            name: bias_name(p, i),
            value: b[i].clone(),
        });
    }
    edges
}

/// Appends the picture to `lines` already in `area` (the pane's inside),
/// after a blank line, in the rows left below them; nothing where it does
/// not fit.
pub(super) fn append_below(
    lines: &mut Vec<Line<'static>>,
    p: &Populations,
    area: ratatui::layout::Rect,
    theme: &Theme,
) {
    let rows = (area.height as usize).saturating_sub(lines.len() + 1);
    let picture = self::lines(p, rows, area.width as usize, theme);
    if !picture.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(picture);
    }
}

/// The picture in at most `rows` lines of `width` columns: a title, then as
/// many whole Y neurons as fit (from the selected one when not all do, and
/// a line saying how many are left out); nothing where not even one fits.
pub(super) fn lines(
    p: &Populations,
    rows: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let m = p.y_names.len();
    if m == 0 || p.x_names.is_empty() {
        return Vec::new();
    }
    let edges: Vec<Vec<Edge>> = (0..m).map(|i| edges_into(p, i)).collect();
    if edges.iter().all(Vec::is_empty) {
        // A network of no connections (rate-softmax's W of zeros) says so:
        // a large screen left blank under the zeros read as a picture
        // that failed to draw.
        let none = wrap_words(
            "connections (notes 1.3.4): none, every weight is 0: no neuron's input comes \
             from another",
            width.saturating_sub(2),
        );
        return if none.len() <= rows {
            none.into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme.dim()))
                .collect()
        } else {
            Vec::new()
        };
    }
    // A neuron with no connection into it takes a line that says so.
    let sizes: Vec<usize> = edges.iter().map(|e| e.len().max(1)).collect();
    // The columns' widths from every connection, not only the ones shown,
    // so that they stay put as the selection moves (the names grow with
    // the neurons' places: the last are the longest).
    let chars = |t: &String| t.chars().count();
    let biases = p.biases.unwrap_or_default();
    let from_w = p.x_names.iter().map(chars).max().unwrap_or(1);
    let name_w = chars(&weight_name(p, m - 1, p.x_names.len() - 1)).max(if biases.is_empty() {
        0
    } else {
        chars(&bias_name(p, m - 1))
    });
    let value_w = p
        .weights
        .iter()
        .flatten()
        .chain(biases)
        .map(chars)
        .max()
        .unwrap_or(1);
    let post_w = p.y_names.iter().map(chars).max().unwrap_or(1);
    // " A ── w_CA = 0.02 ──┴──▶ C"
    let line_w = 1 + from_w + 4 + name_w + 3 + value_w + 8 + post_w;
    // The title's example: the first connection there is.
    let (i0, j0) = (0..m)
        .flat_map(|i| (0..p.x_names.len()).map(move |j| (i, j)))
        .find(|&(i, j)| p.connected.is_none_or(|c| c[i][j]))
        .unwrap_or((0, 0));
    let (w_first, from, to) = (weight_name(p, i0, j0), &p.x_names[j0], &p.y_names[i0]);
    let title = match (p.biases, p.connected) {
        (Some(_), _) => format!(
            "connections (notes 1.3.4): {w_first} from {from} to {to}, {} from the constant 1",
            bias_name(p, 0)
        ),
        (None, Some(_)) => format!(
            "connections (notes 1.3.4): {w_first} is the weight from {from} to {to}; \
             a weight of 0 is no connection"
        ),
        (None, None) => {
            format!("connections (notes 1.3.4): {w_first} is the weight from {from} to {to}")
        }
    };
    let title = wrap_words(&title, width.saturating_sub(2));
    // As many whole neurons as fit: all, or from the selected one on (and
    // those before it where room is left), with a line for the rest.
    let (first, shown) = if title.len() + sizes.iter().sum::<usize>() <= rows {
        (0, m)
    } else {
        let room = rows.saturating_sub(title.len() + 1);
        let s = p.selected.unwrap_or(0).min(m - 1);
        let (mut a, mut b, mut used) = (s, s, 0);
        while b < m && used + sizes[b] <= room {
            used += sizes[b];
            b += 1;
        }
        while b > s && a > 0 && used + sizes[a - 1] <= room {
            a -= 1;
            used += sizes[a];
        }
        (a, b - a)
    };
    if shown == 0 || line_w > width {
        return Vec::new();
    }
    let mut out: Vec<Line> = title
        .into_iter()
        .map(|l| Line::styled(format!(" {l}"), theme.dim()))
        .collect();
    for (i, edges) in edges.iter().enumerate().skip(first).take(shown) {
        if edges.is_empty() {
            out.push(Line::raw(format!(
                " {:>from_w$}    {:<name_w$}   {:>value_w$} ─────▶ {}",
                "", "none", "", p.y_names[i]
            )));
            continue;
        }
        let last = edges.len() - 1;
        for (k, e) in edges.iter().enumerate() {
            let joint = match (k, last) {
                (0, 0) => format!("─────▶ {}", p.y_names[i]),
                (0, _) => "──┐".to_string(),
                (k, last) if k == last => format!("──┴──▶ {}", p.y_names[i]),
                _ => "──┤".to_string(),
            };
            out.push(Line::raw(format!(
                " {:>from_w$} ── {:<name_w$} = {:>value_w$} {joint}",
                e.from, e.name, e.value
            )));
        }
    }
    if shown < m {
        let more = m - shown;
        let said = [
            format!(" ({more} more: a taller screen, or Tab to another)"),
            format!(" ({more} more)"),
        ]
        .into_iter()
        .find(|t| t.chars().count() <= width);
        out.extend(said.map(|t| Line::styled(t, theme.dim())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    /// Within the rows and columns given, whatever they are (up to
    /// `max_rows` x 89).
    fn keeps_within(p: &Populations, max_rows: usize) {
        for rows in 0..max_rows {
            for width in 0..90 {
                let shown = text(&lines(p, rows, width, &Theme::default()));
                assert!(shown.len() <= rows, "{rows} x {width}: {shown:?}");
                assert!(
                    shown.iter().all(|l| l.chars().count() <= width),
                    "{rows} x {width}: {shown:?}"
                );
            }
        }
    }

    /// The notes' A, B -> C: w_CA and w_CB, post first, into C.
    #[test]
    fn three_neurons_are_the_notes_picture() {
        let (x, y) = (names(&["A", "B"]), names(&["C"]));
        let w = vec![names(&["0.02", "-0.005"])];
        let p = Populations {
            x_names: &x,
            y_names: &y,
            weights: &w,
            biases: None,
            selected: None,
            connected: None,
            first_number: 1,
        };
        assert_eq!(
            text(&lines(&p, 10, 80, &Theme::default())),
            [
                " connections (notes 1.3.4): w_CA is the weight from A to C",
                " A ── w_CA =   0.02 ──┐",
                " B ── w_CB = -0.005 ──┴──▶ C",
            ]
        );
    }

    /// X (2) -> Y (3), augmented: every X node into every Y node, then the
    /// constant 1 with the bias; on a short screen the selected neuron's
    /// connections stay in view.
    #[test]
    fn populations_fan_in_with_the_constant_node() {
        let (x, y) = (names(&["x1", "x2"]), names(&["y1", "y2", "y3"]));
        let w = vec![
            names(&["0.03", "0"]),
            names(&["0.015", "0.015"]),
            names(&["0", "-0.02"]),
        ];
        let b = names(&["0.9", "0.9", "1.6"]);
        let mut p = Populations {
            x_names: &x,
            y_names: &y,
            weights: &w,
            biases: Some(&b),
            selected: Some(2),
            connected: None,
            first_number: 1,
        };
        let all = text(&lines(&p, 10, 80, &Theme::default()));
        assert_eq!(
            all[0],
            " connections (notes 1.3.4): w_11 from x1 to y1, b_1 from the constant 1"
        );
        assert_eq!(all.len(), 10);
        assert_eq!(
            all[1..4],
            [
                " x1 ── w_11 =  0.03 ──┐",
                " x2 ── w_12 =     0 ──┤",
                "  1 ── b_1  =   0.9 ──┴──▶ y1",
            ]
        );
        assert_eq!(all[9], "  1 ── b_3  =   1.6 ──┴──▶ y3");
        let short = text(&lines(&p, 5, 80, &Theme::default()));
        assert_eq!(
            short[1..],
            [
                " x1 ── w_31 =     0 ──┐",
                " x2 ── w_32 = -0.02 ──┤",
                "  1 ── b_3  =   1.6 ──┴──▶ y3",
                " (2 more: a taller screen, or Tab to another)",
            ]
        );
        keeps_within(&p, 14);
        p.biases = None;
        assert_eq!(
            text(&lines(&p, 2, 80, &Theme::default())),
            Vec::<String>::new()
        );
        assert_eq!(
            text(&lines(&p, 10, 20, &Theme::default())),
            Vec::<String>::new()
        );
    }

    /// A recurrent network: each neuron with the neurons that send to it
    /// (a weight of 0 is no connection, and a neuron nothing sends to says
    /// so), weights named by the screen's neuron numbers from 0; on a short
    /// screen from the selected neuron on.
    #[test]
    fn a_recurrent_network_draws_only_its_connections() {
        let n = names(&["#0", "#1", "#2"]);
        let w = vec![
            names(&["0", "0.5", "0"]),
            names(&["0", "0", "0"]),
            names(&["-0.25", "0.75", "0"]),
        ];
        let connected = vec![
            vec![false, true, false],
            vec![false, false, false],
            vec![true, true, false],
        ];
        let p = Populations {
            x_names: &n,
            y_names: &n,
            weights: &w,
            biases: None,
            selected: Some(2),
            connected: Some(&connected),
            first_number: 0,
        };
        assert_eq!(
            text(&lines(&p, 10, 80, &Theme::default())),
            [
                " connections (notes 1.3.4): w_01 is the weight from #1 to #0; a weight of 0 is",
                " no connection",
                " #1 ── w_01 =   0.5 ─────▶ #0",
                "       none         ─────▶ #1",
                " #0 ── w_20 = -0.25 ──┐",
                " #1 ── w_21 =  0.75 ──┴──▶ #2",
            ]
        );
        assert_eq!(
            text(&lines(&p, 5, 80, &Theme::default()))[2..],
            [
                " #0 ── w_20 = -0.25 ──┐",
                " #1 ── w_21 =  0.75 ──┴──▶ #2",
                " (2 more: a taller screen, or Tab to another)",
            ]
        );
        keeps_within(&p, 12);
        let nothing = vec![vec![false; 3]; 3];
        let p = Populations {
            connected: Some(&nothing),
            ..p
        };
        assert_eq!(
            text(&lines(&p, 10, 80, &Theme::default())),
            [
                " connections (notes 1.3.4): none, every weight is 0: no neuron's input comes",
                " from another",
            ]
        );
        assert!(lines(&p, 1, 80, &Theme::default()).is_empty());
        keeps_within(&p, 12);
    }
}
