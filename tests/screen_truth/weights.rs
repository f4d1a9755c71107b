//! The weights view: the [W | b] table of a recurrent or rate network,
//! the populations table (W, b, x, z beside the engine's) and the notes'
//! picture of the connections, each cell against the engine's.

use regex::Regex;
use spikescope::model::AnyModel;
use spikescope::model::network::SpikeTiming;
use spikescope::ui::app::App;
use spikescope::ui::format::compact;

use crate::check::{Found, Screen};

/// A network's dense W (row i post), biases and names.
type Weights = (Vec<Vec<f64>>, Vec<f64>, Vec<String>);

/// The loaded network's weights, for a network of at most `most` neurons
/// or a rate network.
fn weights(app: &App, most: usize) -> Option<Weights> {
    match &app.sim.model {
        AnyModel::Network(net) if net.len() <= most => Some((
            net.connections().to_dense(),
            net.bias().to_vec(),
            net.names().to_vec(),
        )),
        // A node the preset leaves unnamed is named by its bias now (the
        // status check reads that number against the engine's).
        AnyModel::Rate(r) => Some((
            r.weights.clone(),
            r.bias.clone(),
            (0..r.bias.len()).map(|i| r.name(i, compact)).collect(),
        )),
        _ => None,
    }
}

/// The weights' box of a screen, each line from its left border on: beside
/// the scope (a wide screen's side pane) the lines hold the traces first.
fn weights_box(screen: &str) -> String {
    let title = Regex::new(
        r"\[W \| b\]: row i post|W \(\d+ x \d+\), b: z = W x \+ b|\[W \| b\] \(\d+ x \d+\) \[x; 1\] = z",
    )
    .unwrap();
    let column = screen.lines().find_map(|l| {
        let before = &l[..title.find(l)?.start()];
        let corner = before.rfind(['┌', '+'])?;
        Some(before[..corner].chars().count())
    });
    match column {
        Some(col) => screen
            .lines()
            .map(|l| l.chars().skip(col).collect::<String>() + "\n")
            .collect(),
        None => screen.to_string(),
    }
}

/// The weights view of one screen (or the weights beside the scope)
/// against the engine's W and b.
pub fn check(s: &Screen) -> Found {
    let Screen {
        name,
        app,
        text: screen,
        ascii,
        run,
        now,
        ..
    } = *s;
    let cropped = weights_box(screen);
    let screen = cropped.as_str();
    let mut found = Found::default();
    // Weights view ([W | b] of a recurrent or rate network): every cell of
    // the table, the column named in its header (`#j` or the neuron's
    // name), against the engine's weight w_ij and bias b_i.
    const W_TITLE: &str = "[W | b]: row i post";
    let table = screen.contains(W_TITLE).then(|| weights(app, usize::MAX));
    if let Some(Some((w, bias, names))) = table {
        let lines: Vec<&str> = screen.lines().collect();
        let title = lines.iter().position(|l| l.contains(W_TITLE)).unwrap();
        let parts = |line: &str| -> Vec<String> {
            line.split(['│', '|'])
                .map(|p| p.trim().to_string())
                .collect()
        };
        // The header: the columns' names, then b.
        let header = parts(lines[title + 1]);
        let column = |label: &str| -> Option<usize> {
            match label.strip_prefix('#') {
                Some(k) => k.parse().ok(),
                None => names.iter().position(|n| n == label),
            }
        };
        let columns: Vec<Option<usize>> = header[1]
            .split_whitespace()
            .filter(|t| *t != "…" && *t != "..")
            .map(column)
            .collect();
        if columns.is_empty()
            || columns.contains(&None)
            || header.get(2).map(String::as_str) != Some("b")
        {
            found
                .misnamed
                .push(format!("the [W | b] header: {}", lines[title + 1]));
        }
        for line in &lines[title + 2..] {
            let row = parts(line);
            let Some(i) = row
                .get(1)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|r| r.split_whitespace().next())
                .and_then(|k| k.parse::<usize>().ok())
            else {
                break;
            };
            let cells: Vec<&str> = row[1]
                .split_whitespace()
                .filter(|t| *t != "…" && *t != "..")
                .collect();
            let cells = &cells[cells.len().saturating_sub(columns.len())..];
            for (shown, j) in cells.iter().zip(&columns) {
                if let Some(j) = j {
                    found.expect(&format!("w_{i},{j} in [W | b]"), shown, w[i][*j]);
                }
            }
            found.expect(&format!("b_{i} in [W | b]"), &row[2], bias[i]);
        }
    }
    // Weights view (two populations X -> Y): the table W (or [W | b]) with
    // b, each X neuron's x beside it and each Y neuron's z = W x + b beside
    // the engine's s + b: every cell against w_ij, b_i, the filtered spike
    // train x_j = sum h(t - t_k) of the run's spikes (a rate network's y_j)
    // and s_i + b_i.
    let title = Regex::new(
        r"W \((\d+) x (\d+)\), b: z = W x \+ b|\[W \| b\] \((\d+) x (\d+)\) \[x; 1\] = z",
    )
    .unwrap();
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|l| title.is_match(l));
    if let (Some(at), Some((w, bias, names))) = (at, weights(app, usize::MAX)) {
        let augmented = lines[at].contains("[x; 1]");
        let (xs, ys) = spikescope::model::weights::populations(&w)
            .unwrap_or_else(|| panic!("{name}: a populations table of no populations"));
        let name_of = |k: usize| match names.get(k) {
            Some(n) if *n != k.to_string() => n.clone(),
            _ => format!("#{k}"),
        };
        let x_truth = |j: usize| -> f64 {
            match &app.sim.model {
                AnyModel::Network(net) => {
                    let f = net.params().filter;
                    let order = f.order as i32;
                    let factorial: f64 = (1..=order).map(f64::from).product();
                    // Grid timing stamps a spike at its step's start and
                    // delivers it at the step's end: its PSC starts there.
                    let delivered_after = match net.params().spike_timing {
                        SpikeTiming::Grid => app.sim.dt_s(),
                        SpikeTiming::Exact => 0.0,
                    };
                    run.spikes
                        .iter()
                        .map(|&(k, t)| (k, t + delivered_after))
                        .filter(|&(k, t)| k == j && t <= now)
                        .map(|(_, t)| {
                            let age = now - t;
                            age.powi(order) * (-age / f.tau_s_s).exp()
                                / (factorial * f.tau_s_s.powi(order + 1))
                        })
                        .sum()
                }
                _ => run.last[&format!("y_{j}")],
            }
        };
        // A line's words inside the borders, the bar before [W | b]'s b
        // column left out.
        let words = |line: &str| -> Vec<String> {
            line.trim_matches(['│', '|', ' '])
                .split_whitespace()
                .filter(|t| !matches!(*t, "│" | "|" | "…" | ".."))
                .map(String::from)
                .collect()
        };
        // The header: the X neurons' names, then b (or the constant 1).
        let header = words(lines[at + 1]);
        let b_label = if augmented { "1" } else { "b" };
        let ncols = header.iter().position(|t| t == b_label).unwrap_or(0);
        // After b: x, then z and the engine's (`s + b`, or a rate
        // network's `z engine`) where the screen is wide enough.
        let rest = header.get(ncols + 1..).unwrap_or_default();
        let trailing =
            rest.iter().filter(|t| *t == "z").count() + usize::from(rest.iter().any(|t| t == "s"));
        let columns: Vec<Option<usize>> = header[..ncols]
            .iter()
            .map(|label| xs.iter().copied().find(|&j| name_of(j) == *label))
            .collect();
        if ncols == 0 || columns.contains(&None) {
            found
                .misnamed
                .push(format!("the populations header: {}", lines[at + 1]));
        }
        // Whether the notes under the table say z and s + b are equal now
        // (not `equal once ...`), their words joined across lines.
        let said_equal = lines[at..]
            .iter()
            .flat_map(|l| words(l))
            .collect::<Vec<_>>()
            .join(" ")
            .contains("s_i + b_i (equal).");
        // (X neuron, x) as shown, checked after the rows.
        let mut x_cells: Vec<(String, String)> = Vec::new();
        let mut rows = 0;
        for line in &lines[at + 2..] {
            let t = words(line);
            let Some(i) = t
                .first()
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|k| k.parse::<usize>().ok())
            else {
                // Below the rows, the X neurons past the Y neurons' count.
                match t.as_slice() {
                    [label, shown] if shown.parse::<f64>().is_ok() => {
                        x_cells.push((label.clone(), shown.clone()))
                    }
                    _ => break,
                }
                continue;
            };
            rows += 1;
            // #i, its name (unless it has none), its W cells, b, then
            // perhaps an X neuron and its x, then z and s + b.
            let named = name_of(i) != format!("#{i}");
            let cells = &t[1 + usize::from(named)..];
            if cells.len() < ncols + 1 + trailing || !ys.contains(&i) {
                found
                    .misnamed
                    .push(format!("a row of the populations table: {line}"));
                continue;
            }
            for (shown, j) in cells.iter().zip(&columns) {
                if let Some(j) = j {
                    found.expect(&format!("w_{i},{j} in W"), shown, w[i][*j]);
                }
            }
            found.expect(&format!("b_{i} in W, b"), &cells[ncols], bias[i]);
            if cells.len() == ncols + 3 + trailing {
                x_cells.push((cells[ncols + 1].clone(), cells[ncols + 2].clone()));
            }
            // A spiking network's z = W x + b from the x of the spikes
            // (the h and W of now), beside its s + b, the same where the
            // screen says they are equal; a rate network's, from the y
            // now, is the engine's z (from the last step's y, without the
            // input) once settled.
            let n_cells = cells.len();
            let (z, engine) = match &app.sim.model {
                AnyModel::Network(net) => {
                    let s_b = run.last[&format!("s_{i}")] + net.bias()[i];
                    let w_x: f64 = xs.iter().map(|&j| w[i][j] * x_truth(j)).sum();
                    if said_equal && trailing > 0 {
                        found.expect(
                            &format!("z of #{i}, said equal to s + b"),
                            &cells[n_cells - trailing],
                            s_b,
                        );
                    }
                    (w_x + bias[i], s_b)
                }
                _ => {
                    let w_y: f64 = xs
                        .iter()
                        .map(|&j| w[i][j] * run.last[&format!("y_{j}")])
                        .sum();
                    let x_i = app.sim.input().get(i).copied().unwrap_or(0.0);
                    (w_y + bias[i], run.last[&format!("z_{i}")] - x_i)
                }
            };
            // A narrow screen leaves out the engine's first, then z.
            for (k, (what, truth)) in [("z", z), ("the engine's z", engine)]
                .into_iter()
                .take(trailing)
                .enumerate()
            {
                found.expect(
                    &format!("{what} of #{i}"),
                    &cells[n_cells - trailing + k],
                    truth,
                );
            }
        }
        let mut x_seen = 0;
        for (label, shown) in &x_cells {
            if augmented && label == "1" {
                found.expect("the constant input of [x; 1]", shown, 1.0);
                continue;
            }
            match xs.iter().copied().find(|&j| name_of(j) == *label) {
                Some(j) => found.expect(&format!("x of {label}"), shown, x_truth(j)),
                None => found.misnamed.push(format!("x of {label}: no X neuron")),
            }
            x_seen += 1;
        }
        if rows != ys.len() || x_seen != xs.len() {
            found.misnamed.push(format!(
                "the populations table: {rows} of {} Y rows, {x_seen} of {} x values",
                ys.len(),
                xs.len()
            ));
        }
    }
    // Weights view: the notes' picture of the connections, each line's
    // weight (or the constant-1 node's bias) the engine's, named post first
    // (w_CA from A to C; w_ij from X neuron j to Y neuron i).
    let dense = weights(app, 64);
    // Two populations X -> Y (every X node into every Y node, named by
    // their places from 1), or a recurrent network (every neuron into
    // every other it is connected to, by its number from 0).
    if let Some((w, bias, names)) = dense {
        let (xs, ys, first) = match spikescope::model::weights::populations(&w) {
            Some((xs, ys)) => (xs, ys, 1),
            None => ((0..w.len()).collect(), (0..w.len()).collect(), 0),
        };
        // A neuron named by its index alone is drawn as #k.
        let name_of = |k: usize| match names.get(k) {
            Some(n) if *n != k.to_string() => n.clone(),
            _ => format!("#{k}"),
        };
        // In ASCII the corners are `+` and the arrow `-->`.
        let edge = if ascii {
            r"^\| +(\S+) -- (\S+) += +(-?[0-9.e-]+) --(?:\+--> (\S+)|---> (\S+)|\+)"
        } else {
            r"^│ +(\S+) ── (\S+) += +(-?[0-9.e-]+) ──(?:[┐┤]|┴──▶ (\S+)|───▶ (\S+))"
        };
        let edge = Regex::new(edge).unwrap();
        let mut group = Vec::new();
        for line in screen.lines() {
            let Some(c) = edge.captures(line) else {
                continue;
            };
            group.push((c[1].to_string(), c[2].to_string(), c[3].to_string()));
            let Some(post) = c.get(4).or(c.get(5)) else {
                continue;
            };
            let i = *ys
                .iter()
                .find(|&&i| name_of(i) == post.as_str())
                .unwrap_or_else(|| panic!("{name}: no Y neuron {}:\n{screen}", post.as_str()));
            let yi = ys.iter().position(|&k| k == i).unwrap();
            for (from, label, value) in group.drain(..) {
                if from == "1" {
                    found.expect(&format!("{label} (bias)"), &value, bias[i]);
                    continue;
                }
                let j = *xs
                    .iter()
                    .find(|&&j| name_of(j) == from)
                    .unwrap_or_else(|| panic!("{name}: no X neuron {from}:\n{screen}"));
                let xj = xs.iter().position(|&k| k == j).unwrap();
                found.expect(
                    &format!("{label} from {from} to {}", post.as_str()),
                    &value,
                    w[i][j],
                );
                let letters = format!("w_{}{from}", post.as_str());
                let (yi, xj) = (yi + first, xj + first);
                let places = if yi < 10 && xj < 10 {
                    format!("w_{yi}{xj}")
                } else {
                    format!("w_{yi},{xj}")
                };
                if first == 0 && w[i][j] == 0.0 {
                    found
                        .misnamed
                        .push(format!("{label}: a weight of 0 drawn as a connection"));
                }
                if label != letters && label != places {
                    found.misnamed.push(format!(
                        "{label}: the weight from {from} to {}",
                        post.as_str()
                    ));
                }
            }
        }
    }
    found
}
