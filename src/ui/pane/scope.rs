//! The oscilloscope: live traces of the selected neuron and the spike raster.
//!
//! ```text
//! HH:       V (mV, 0 mV threshold) / gates m h n | currents I_Na I_K I_L / raster
//! LIF:      v (threshold 1, spikes as strokes)   / input v_in          / raster
//! network:  v of the selected neuron             / its s(t)            / raster
//! rate:     activities y                         / inputs z
//! ```
//!
//! Free-running, the trace sweeps left to right over a fixed axis and starts
//! again at the left edge, erasing a small gap ahead of itself (a frame then
//! changes only the columns the sweep advanced: cheap over SSH). Triggered,
//! each sweep starts `window/5` before a spike of the selected neuron and the
//! last sweeps are drawn on top of each other (older ones dim), aligned at
//! the spike. Rolling, the window scrolls and ends at the present.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Series, bounds_of, chart, decimate};
use crate::model::ModelKind;
use crate::preset::TriggerMode;
use crate::ui::app::{App, MAX_TRACED_NEURONS};
use crate::ui::theme::Theme;

/// Sweeps overlaid in trigger mode.
pub const SWEEPS: usize = 6;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let kind = app.kind();
    let n = app.neuron_count();
    let raster_rows = match kind {
        ModelKind::Rate => 0,
        ModelKind::Synapse => 3,
        ModelKind::Network => raster_height(n, area.height) + 2,
        _ => 3,
    };
    let middle_share = if kind == ModelKind::Synapse { 0 } else { 35 };
    let [top, middle, raster] = Layout::vertical([
        Constraint::Min(4),
        Constraint::Percentage(middle_share),
        Constraint::Length(raster_rows),
    ])
    .areas(area);
    let view = View::of(app, top.width.saturating_sub(10) as usize);
    match kind {
        ModelKind::Hh => {
            let v = view.series(app, &[(0, "V")], theme);
            let mut all = v;
            all.push(view.level_line(0.0, "0 mV", theme));
            let y = bounds_of(all.iter(), [-90.0, 50.0]);
            view.chart(frame, top, theme, "membrane voltage V (mV)", y, &all);
            let [g, c] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(middle);
            let gates = view.series(app, &[(1, "m"), (2, "h"), (3, "n")], theme);
            view.chart(frame, g, theme, "gates m h n", [0.0, 1.0], &gates);
            let clamp = matches!(&app.sim.model, crate::model::AnyModel::Hh(n) if n.clamp);
            let which: &[(usize, &str)] = if clamp {
                &[(4, "I_Na"), (5, "I_K"), (6, "I_L"), (7, "I_clamp")]
            } else {
                &[(4, "I_Na"), (5, "I_K"), (6, "I_L")]
            };
            let currents = view.series(app, which, theme);
            let y = bounds_of(currents.iter(), [-10.0, 10.0]);
            view.chart(
                frame,
                c,
                theme,
                "ionic currents (µA/cm², outward +)",
                y,
                &currents,
            );
        }
        ModelKind::Lif => {
            let mut all = view.series(app, &[(0, "v")], theme);
            all.push(view.level_line(1.0, "threshold", theme));
            all.push(view.spike_strokes(app, 0, 1.0, 1.4, theme));
            let y = bounds_of(all.iter(), [-0.1, 1.5]);
            view.chart(
                frame,
                top,
                theme,
                "membrane potential v (threshold 1, reset 0)",
                y,
                &all,
            );
            let input = view.series(app, &[(1, "v_in")], theme);
            let y = bounds_of(input.iter(), [0.0, 1.0]);
            view.chart(frame, middle, theme, "input v_in", y, &input);
        }
        ModelKind::Network => {
            let i = app.selected;
            let name = crate::ui::render::neuron_name(app, i);
            let who = format!("#{i} {name}").trim_end().to_string();
            if let Some((kv, ks, since)) = app.traces_of(i) {
                let since = since.map_or(String::new(), |t| {
                    format!(
                        " (recorded from t = {} ms)",
                        crate::ui::render::fmt_fixed(t * 1e3, 2)
                    )
                });
                let mut all = view.series(app, &[(kv, "v")], theme);
                all.push(view.level_line(1.0, "threshold", theme));
                all.push(view.spike_strokes(app, i, 1.0, 1.4, theme));
                let y = bounds_of(all.iter(), [-0.1, 1.5]);
                view.chart(frame, top, theme, &format!("v of {who}{since}"), y, &all);
                let s = view.series(app, &[(ks, "s")], theme);
                let y = bounds_of(s.iter(), [0.0, 1.0]);
                view.chart(
                    frame,
                    middle,
                    theme,
                    &format!("synaptic current s of {who}{since}"),
                    y,
                    &s,
                );
            } else {
                let msg = format!(
                    " traces are recorded for neurons 0-{}; #{i} shows in the raster ",
                    MAX_TRACED_NEURONS - 1
                );
                frame.render_widget(Paragraph::new(msg).block(Block::bordered()), top);
            }
        }
        ModelKind::Synapse => {
            let names: Vec<String> = match &app.sim.model {
                crate::model::AnyModel::Synapse(b) => b.names.clone(),
                _ => Vec::new(),
            };
            let which: Vec<(usize, &str)> = names
                .iter()
                .enumerate()
                .map(|(k, s)| (k, s.as_str()))
                .collect();
            let s = view.series(app, &which, theme);
            let y = bounds_of(s.iter(), [0.0, 1.0]);
            view.chart(
                frame,
                top,
                theme,
                "PSC s(t) = Σ_p w h(t - t_p): the spike train filtered",
                y,
                &s,
            );
        }
        ModelKind::Rate => {
            let k = n.min(MAX_TRACED_NEURONS);
            let names: Vec<String> = (0..k)
                .map(|i| crate::ui::render::neuron_name(app, i))
                .collect();
            let ys: Vec<(usize, &str)> = (0..k).map(|i| (i, names[i].as_str())).collect();
            let zs: Vec<(usize, &str)> = (0..k).map(|i| (k + i, names[i].as_str())).collect();
            let y = view.series(app, &ys, theme);
            let b = bounds_of(y.iter(), [0.0, 1.0]);
            view.chart(frame, top, theme, "activities y", b, &y);
            let z = view.series(app, &zs, theme);
            let b = bounds_of(z.iter(), [-1.0, 1.0]);
            view.chart(frame, middle, theme, "inputs z = W y + b + x", b, &z);
        }
    }
    if raster_rows > 0 {
        render_raster(frame, raster, app, &view, theme);
    }
}

/// The time range on screen and how it maps samples.
struct View {
    mode: TriggerMode,
    /// x range in ms: time into the sweep (free), since the spike (spike) or
    /// absolute (roll).
    x: [f64; 2],
    columns: usize,
    /// Spike mode: the spike times (s) the sweeps align on, newest last.
    sweeps: Vec<f64>,
    pre_s: f64,
    window_s: f64,
    now_s: f64,
    /// Free mode: the start of the current sweep (s) and the erased gap
    /// ahead of the write head (s).
    sweep_start_s: f64,
    gap_s: f64,
}

/// A contiguous run of samples and the shift that maps its times to x.
struct Part {
    from_s: f64,
    to_s: f64,
    /// x (ms) = (t - origin_s) * 1e3
    origin_s: f64,
}

impl View {
    fn of(app: &App, columns: usize) -> Self {
        let now = app.sim.time_s();
        let w = app.window_s;
        let mut v = Self {
            mode: app.trigger,
            x: [0.0, w * 1e3],
            columns,
            sweeps: Vec::new(),
            pre_s: 0.0,
            window_s: w,
            now_s: now,
            sweep_start_s: (now / w).floor() * w,
            gap_s: 0.04 * w,
        };
        match app.trigger {
            TriggerMode::Free => {}
            TriggerMode::Roll => v.x = [(now - w) * 1e3, now * 1e3],
            TriggerMode::Spike => {
                let pre = 0.2 * w;
                let oldest = app.probes.times().next().unwrap_or(0.0);
                let mut sweeps: Vec<f64> = app
                    .probes
                    .spikes()
                    .filter(|s| s.neuron == app.selected && s.time_s - pre >= oldest)
                    .map(|s| s.time_s)
                    .collect();
                let keep = sweeps.len().saturating_sub(SWEEPS);
                sweeps.drain(..keep);
                v.x = [-pre * 1e3, (w - pre) * 1e3];
                v.sweeps = sweeps;
                v.pre_s = pre;
            }
        }
        v
    }

    /// The runs of samples on screen, oldest first: in free mode the current
    /// sweep and what is left of the previous one after the gap; in spike
    /// mode one run per sweep; in roll mode the window.
    fn parts(&self) -> Vec<Part> {
        match self.mode {
            TriggerMode::Roll => vec![Part {
                from_s: self.now_s - self.window_s,
                to_s: self.now_s,
                origin_s: 0.0,
            }],
            TriggerMode::Free => {
                let start = self.sweep_start_s;
                vec![
                    Part {
                        from_s: self.now_s - self.window_s + self.gap_s,
                        to_s: start,
                        origin_s: start - self.window_s,
                    },
                    Part {
                        from_s: start,
                        to_s: self.now_s,
                        origin_s: start,
                    },
                ]
            }
            TriggerMode::Spike => self
                .sweeps
                .iter()
                .map(|&ts| Part {
                    from_s: ts - self.pre_s,
                    to_s: (ts - self.pre_s + self.window_s).min(self.now_s),
                    origin_s: ts,
                })
                .collect(),
        }
    }

    /// Where time t appears on the x axis (ms), in the newest part showing it.
    fn x_of(&self, t: f64) -> Option<f64> {
        self.parts()
            .iter()
            .rev()
            .find(|p| t >= p.from_s && t <= p.to_s)
            .map(|p| (t - p.origin_s) * 1e3)
    }

    /// The traces of recorded columns `(position in probes, name)`.
    fn series(&self, app: &App, which: &[(usize, &str)], theme: &Theme) -> Vec<Series> {
        let mut out = Vec::new();
        let parts = self.parts();
        for (n, &(k, name)) in which.iter().enumerate() {
            if k >= app.probes.columns.len() {
                continue;
            }
            for (p, part) in parts.iter().enumerate() {
                let from = app.probes.index_at(part.from_s);
                let pts = decimate(
                    app.probes
                        .samples_between(k, from, part.to_s)
                        .map(|(t, y)| ((t - part.origin_s) * 1e3, y)),
                    self.x[0],
                    self.x[1],
                    self.columns,
                );
                let newest = p + 1 == parts.len();
                let faded = self.mode == TriggerMode::Spike && !newest;
                let style = if faded {
                    theme.trace(n).add_modifier(Modifier::DIM)
                } else {
                    theme.trace(n)
                };
                let label = if newest {
                    name.to_string()
                } else {
                    String::new()
                };
                out.push(Series::line(label, pts, style));
            }
        }
        out
    }

    /// A horizontal dashed level (threshold, 0 mV).
    fn level_line(&self, y: f64, name: &str, theme: &Theme) -> Series {
        let step = (self.x[1] - self.x[0]) / 60.0;
        let pts = (0..=60)
            .filter(|k| k % 2 == 0)
            .map(|k| (self.x[0] + k as f64 * step, y))
            .collect();
        Series::scatter(name, pts, theme.dim())
    }

    /// LIF spikes have no shape: a vertical stroke from `lo` to `hi` at each
    /// spike of neuron `i` on screen shows that one happened.
    fn spike_strokes(&self, app: &App, i: usize, lo: f64, hi: f64, theme: &Theme) -> Series {
        let mut pts = Vec::new();
        for s in app.probes.spikes().filter(|s| s.neuron == i) {
            if let Some(x) = self.x_of(s.time_s) {
                for k in 0..=12 {
                    pts.push((x, lo + (hi - lo) * k as f64 / 12.0));
                }
            }
        }
        Series::scatter("", pts, theme.trace(4))
    }

    fn chart(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        title: &str,
        y: [f64; 2],
        series: &[Series],
    ) {
        let x_title = match self.mode {
            TriggerMode::Spike => format!("ms from spike ({} sweeps)", self.sweeps.len()),
            TriggerMode::Free => format!(
                "ms from {} ms",
                crate::ui::render::fmt_fixed(self.sweep_start_s * 1e3, 0)
            ),
            TriggerMode::Roll => "t (ms)".to_string(),
        };
        chart(frame, area, theme, title, &x_title, self.x, y, series);
    }
}

/// Neurons per text row of the dense raster: the four dot rows of a
/// Braille cell.
const DOTS_PER_CELL: usize = 4;

/// The raster's rows inside its border: one per neuron while they fit in a
/// quarter of the pane; a larger network is drawn dense (see
/// `render_raster`) in a quarter of a small pane, up to a third of a tall
/// one, so that the traces above keep 30 rows or their share.
fn raster_height(n: usize, pane_height: u16) -> u16 {
    let quarter = pane_height / 4;
    let rows = if n <= quarter as usize {
        n
    } else {
        let most = pane_height
            .saturating_sub(30)
            .clamp(quarter, pane_height / 3);
        (1 + n.div_ceil(DOTS_PER_CELL)).min(most as usize)
    };
    rows.max(1) as u16
}

/// The spike raster. Where every neuron has a row, one row per neuron with a
/// `|` in each column where it spiked (the selected one reversed). A larger
/// network gets the selected neuron's row first, then a dense raster of the
/// page of neurons that holds it: four neurons to a text row, one per dot
/// row of a Braille cell, and two time bins to a column.
fn render_raster(frame: &mut Frame, area: Rect, app: &App, view: &View, theme: &Theme) {
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Line::from(Span::styled(" spikes ", theme.bold())));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let n = app.neuron_count();
    if rows == 0 || inner.width < 12 {
        return;
    }
    let dense = n > rows && rows >= 2;
    // The neurons of the dense rows: a whole page, so that Tab turns pages.
    let page = DOTS_PER_CELL * (rows - 1);
    let (first, shown) = if dense {
        let first = app.selected / page * page;
        (first, page.min(n - first))
    } else if app.selected >= rows {
        (app.selected + 1 - rows, rows)
    } else {
        (0, rows.min(n))
    };
    let label = |r: usize| -> String {
        if dense {
            let a = first + DOTS_PER_CELL * r;
            let b = (a + DOTS_PER_CELL).min(first + shown) - 1;
            format!("#{a}-{b}")
        } else {
            let i = first + r;
            let name = crate::ui::render::neuron_name(app, i);
            format!("#{i} {name}").trim_end().to_string()
        }
    };
    let dense_rows = if dense {
        shown.div_ceil(DOTS_PER_CELL)
    } else {
        0
    };
    let label_w = (0..dense_rows)
        .map(|r| label(r).len() + 1)
        .fold(10, usize::max);
    let cols = (inner.width as usize).saturating_sub(label_w).max(1);
    let bins = if dense { 2 * cols } else { cols };
    let span_ms = view.x[1] - view.x[0];
    let bin_of = |t: f64| {
        view.x_of(t)
            .map(|x| ((((x - view.x[0]) / span_ms) * bins as f64) as usize).min(bins - 1))
    };
    // The selected neuron's marks (its own row when dense), and per shown
    // neuron (dense: per cell) the marks of its row.
    let mut selected_marks = vec![false; cols];
    let mut marks = vec![vec![false; cols]; if dense { 0 } else { shown }];
    let mut cells = vec![vec![0u8; cols]; dense_rows];
    for s in app.probes.spikes() {
        let Some(b) = bin_of(s.time_s) else {
            continue;
        };
        if dense && s.neuron == app.selected {
            selected_marks[b / 2] = true;
        }
        if s.neuron < first || s.neuron >= first + shown {
            continue;
        }
        let k = s.neuron - first;
        if dense {
            // Braille dots 1-2-3-7 (left) and 4-5-6-8 (right), top to bottom.
            const LEFT: [u8; 4] = [0x01, 0x02, 0x04, 0x40];
            const RIGHT: [u8; 4] = [0x08, 0x10, 0x20, 0x80];
            let dot = k % DOTS_PER_CELL;
            cells[k / DOTS_PER_CELL][b / 2] |= if b % 2 == 0 { LEFT[dot] } else { RIGHT[dot] };
        } else {
            marks[k][b] = true;
        }
    }
    let strokes = |m: &[bool]| -> String { m.iter().map(|&b| if b { '|' } else { ' ' }).collect() };
    let row = |label: String, style: Style, text: String, text_style: Style| {
        let label: String = label.chars().take(label_w - 1).collect();
        Line::from(vec![
            Span::styled(format!("{label:<w$}", w = label_w - 1), style),
            Span::raw(" "),
            Span::styled(text, text_style),
        ])
    };
    let selected_style = theme.trace(4).add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    if dense {
        let i = app.selected;
        let name = crate::ui::render::neuron_name(app, i);
        let who = format!("#{i} {name}").trim_end().to_string();
        lines.push(row(
            who,
            theme.selected(),
            strokes(&selected_marks),
            selected_style,
        ));
        for (r, cells) in cells.iter().enumerate() {
            let text: String = cells
                .iter()
                .map(|&c| char::from_u32(0x2800 + u32::from(c)).unwrap_or(' '))
                .collect();
            lines.push(row(label(r), Style::new(), text, theme.trace(0)));
        }
    } else {
        for (r, m) in marks.iter().enumerate() {
            let i = first + r;
            let (style, mark_style) = if i == app.selected {
                (theme.selected(), selected_style)
            } else {
                (Style::new(), theme.trace(0))
            };
            lines.push(row(label(r), style, strokes(m), mark_style));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
