//! The viewer's screen: a title, the raster of the window (a row per
//! neuron while they fit, else groups of neurons a Braille dot row each),
//! the population rate under it on the same time axis, and the status:
//! where the window is, the rates, the selected neuron's rate and ISI.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Viewer;
use crate::ui::format::{Segment, compact, duration, fit, sim_time, wrap_words};
use crate::ui::plot::{Axis, Curve, Pattern, Plot};
use crate::ui::render::{MIN_HEIGHT, MIN_WIDTH, too_small};
use crate::ui::theme::Theme;

pub fn render(frame: &mut Frame, v: &Viewer, theme: &Theme) {
    let area = frame.area();
    // The oscilloscope's smallest screen; below it, one line says so.
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let message = status_message(v, area.width);
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(3 + message.len() as u16),
    ])
    .areas(area);
    // The raster first, at least a few rows; then the rate keeps the rows
    // its time axis needs for its numbers (a plot drops them below 6 inner
    // rows), the only time labels on the screen, and a third of the height;
    // the raster takes the rest, but no more rows than its neurons need.
    let neuron_rows = u16::try_from(v.recording.neuron_count.max(1) + 2).unwrap_or(u16::MAX);
    let raster_least = neuron_rows.min(RASTER_ROWS);
    let rate_h = RATE_ROWS
        .max(body.height / 3)
        .min(body.height.saturating_sub(raster_least));
    let raster_h = (body.height - rate_h).min(neuron_rows);
    let [raster, rate] =
        Layout::vertical([Constraint::Length(raster_h), Constraint::Fill(1)]).areas(body);
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(
            format!(" spikescope view ─ {} ({})", v.file, v.recording.format),
            theme.bold(),
        )])),
        title,
    );
    let (t0, t1) = (v.t_s - v.window_s, v.t_s);
    render_raster(frame, raster, v, (t0, t1), theme);
    render_rate(frame, rate, v, (t0, t1), theme);
    render_status(frame, status, v, (t0, t1), message, theme);
    if theme.ascii {
        crate::ui::render::to_ascii(frame.buffer_mut());
    }
}

/// The rate pane's rows at least, where there is room: borders, 4 rows of
/// plot, its axis and the axis's numbers.
const RATE_ROWS: u16 = 8;
/// The raster's rows at least (borders and 3 rows of neurons), before the
/// rate gets its own.
const RASTER_ROWS: u16 = 5;

/// The message, or the key hints, wrapped to the screen's width: one line,
/// or two for a long one (a long path), never cut.
fn status_message(v: &Viewer, width: u16) -> Vec<String> {
    let text = v.message.as_deref().unwrap_or(
        "Space pause  ] [ speed  z Z zoom  Left Right seek  Home End  Tab neuron  q quit",
    );
    if text.chars().count() <= width as usize {
        return vec![text.to_string()];
    }
    let mut lines = wrap_words(text, width as usize);
    lines.truncate(2);
    lines
}

/// The unit of the window's time axis: ms up to 2 s.
fn time_scale(window_s: f64) -> (f64, &'static str) {
    if window_s <= 2.0 {
        (1e3, "ms")
    } else {
        (1.0, "s")
    }
}

fn render_raster(frame: &mut Frame, area: Rect, v: &Viewer, (t0, t1): (f64, f64), theme: &Theme) {
    let n = v.recording.neuron_count.max(1);
    let block = Block::bordered()
        .border_style(theme.dim())
        .title(Line::from(Span::styled(
            format!(" spikes of {n} neurons "),
            theme.bold(),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Room for the widest group's label, `#9100-9999`.
    let digits = (n.max(2) - 1).to_string().len();
    let label_w = (2 * digits + 2).clamp(4, 14);
    if inner.width as usize <= label_w + 1 || inner.height == 0 {
        return;
    }
    let cols = inner.width as usize - label_w - 1;
    let rows = inner.height as usize;
    // Rows of neurons: one a row while they fit, else groups of `per`
    // neurons, four to a Braille cell (one to an ASCII row, whose marks
    // say how many of the group fired: . : | up to the busiest cell).
    let dots = if theme.ascii { 1 } else { 4 };
    let per = n.div_ceil(rows * dots).max(1);
    let dense = per > 1 || n > rows;
    let bins = cols * if dense && !theme.ascii { 2 } else { 1 };
    let mut cells = vec![vec![0u8; cols]; rows];
    // ASCII: the spikes of each cell, drawn by their density (. : |).
    let mut counts = vec![vec![0u32; cols]; rows];
    let span = (t1 - t0).max(f64::MIN_POSITIVE);
    let window = v.recording.window(t0, t1);
    for k in window {
        let t = v.recording.times_s[k];
        let i = v.recording.neurons[k] as usize;
        let bin = (((t - t0) / span) * bins as f64) as usize;
        let bin = bin.min(bins - 1);
        let group = i / per;
        let (row, dot) = if dense {
            (group / dots, group % dots)
        } else {
            (i, 0)
        };
        if row >= rows {
            continue;
        }
        if dense && !theme.ascii {
            const LEFT: [u8; 4] = [0x01, 0x02, 0x04, 0x40];
            const RIGHT: [u8; 4] = [0x08, 0x10, 0x20, 0x80];
            let col = bin / 2;
            cells[row][col] |= if bin.is_multiple_of(2) {
                LEFT[dot]
            } else {
                RIGHT[dot]
            };
        } else {
            counts[row][bin] += 1;
        }
    }
    let busiest = counts.iter().flatten().copied().max().unwrap_or(0).max(1);
    for (row, counts) in cells.iter_mut().zip(&counts) {
        for (cell, &c) in row.iter_mut().zip(counts) {
            if c > 0 {
                *cell = (3 * c).div_ceil(busiest).min(3) as u8;
            }
        }
    }
    let shown = if dense { rows } else { n.min(rows) };
    let lines: Vec<Line> = cells[..shown]
        .iter()
        .enumerate()
        .map(|(r, cells)| {
            let label = if dense {
                let a = r * dots * per;
                let b = ((r + 1) * dots * per).min(n) - 1;
                if a >= n {
                    String::new()
                } else {
                    format!("#{a}-{b}")
                }
            } else {
                format!("#{r}")
            };
            let text: String = cells
                .iter()
                .map(|&c| match (dense && !theme.ascii, c) {
                    (true, c) => char::from_u32(0x2800 + u32::from(c)).unwrap_or(' '),
                    (false, 0) => ' ',
                    (false, 1) => '.',
                    (false, 2) => ':',
                    (false, _) => '|',
                })
                .collect();
            let style = if !dense && r == v.selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            let label: String = label.chars().take(label_w).collect();
            Line::from(vec![
                Span::styled(format!("{label:<label_w$}"), style),
                Span::styled(if theme.ascii { "|" } else { "│" }, theme.dim()),
                Span::styled(text, theme.trace(0)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The population rate in the window: spikes per neuron per second in
/// bins of about a column.
fn population_rate(v: &Viewer, (t0, t1): (f64, f64), bins: usize) -> Vec<(f64, f64)> {
    let n = v.recording.neuron_count.max(1) as f64;
    let width = (t1 - t0) / bins as f64;
    let mut counts = vec![0u64; bins];
    for k in v.recording.window(t0, t1) {
        let b = (((v.recording.times_s[k] - t0) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let (scale, _) = time_scale(v.window_s);
    counts
        .iter()
        .enumerate()
        .map(|(b, &c)| {
            (
                (t0 + (b as f64 + 0.5) * width) * scale,
                c as f64 / n / width,
            )
        })
        .collect()
}

fn render_rate(frame: &mut Frame, area: Rect, v: &Viewer, (t0, t1): (f64, f64), theme: &Theme) {
    let bins = (area.width as usize).saturating_sub(12).clamp(4, 400);
    let points = population_rate(v, (t0, t1), bins);
    // The axis ends at a round number above the highest bin (1, 2 or 5
    // times a power of ten).
    let high = points.iter().map(|p| p.1).fold(1.0f64, f64::max);
    let power = 10f64.powf(high.log10().floor());
    let top = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&t| t >= high)
        .unwrap_or(10.0 * power);
    let (scale, unit) = time_scale(v.window_s);
    let mut plot = Plot::new(
        "population rate",
        Axis::new([t0 * scale, t1 * scale], format!("t ({unit})")),
        Axis::new([0.0, top], "Hz"),
    );
    plot.curves
        .push(Curve::new(points, theme.trace(1), Pattern::Solid).named("rate"));
    plot.render(area, frame.buffer_mut(), theme);
}

fn render_status(
    frame: &mut Frame,
    area: Rect,
    v: &Viewer,
    (t0, t1): (f64, f64),
    message: Vec<String>,
    theme: &Theme,
) {
    let r = &v.recording;
    let n = r.neuron_count.max(1);
    let state = if v.running {
        if theme.ascii { "> PLAY" } else { "▶ PLAY" }
    } else if theme.ascii {
        "# PAUSED"
    } else {
        "‖ PAUSED"
    };
    let in_window = r.window(t0, t1).len();
    let end = r.end_s().max(f64::MIN_POSITIVE);
    let window_rate = in_window as f64 / n as f64 / (t1 - t0);
    let whole_rate = r.len() as f64 / n as f64 / end;
    let i = v.selected;
    let times = &v.selected_times;
    let isi: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    let isi_text = if isi.is_empty() {
        "no ISI (fewer than 2 spikes)".to_string()
    } else {
        let mean = isi.iter().sum::<f64>() / isi.len() as f64;
        let var = isi.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / isi.len() as f64;
        format!(
            "ISI mean {}, CV {}",
            duration(mean),
            compact(var.sqrt() / mean)
        )
    };
    let x = if theme.ascii { "x" } else { "×" };
    // Each line in parts dropped whole, least important first, so that a
    // narrow screen never shows part of a number.
    let w = area.width as usize;
    let mut lines = vec![
        fit(
            w,
            vec![
                Segment::new(9, vec![Span::styled(state, theme.bold())]),
                Segment::raw(9, format!("  t = {}", sim_time(v.t_s))),
                Segment::raw(6, format!("  {x}{}", compact(v.speed))),
                Segment::raw(7, format!("  window {}", duration(v.window_s))),
                Segment::raw(5, format!("  last spike {}", duration(end))),
            ],
        ),
        fit(
            w,
            vec![
                Segment::raw(9, format!("population {window_rate:.2} Hz in the window")),
                Segment::raw(7, format!(", {whole_rate:.2} Hz over the file")),
                Segment::raw(6, format!(" ({} spikes)", r.len())),
            ],
        ),
        fit(
            w,
            vec![
                Segment::raw(
                    9,
                    format!(
                        "#{i}: {} spikes, {:.2} Hz",
                        times.len(),
                        times.len() as f64 / end
                    ),
                ),
                Segment::raw(7, format!("; {isi_text}")),
            ],
        ),
    ];
    lines.extend(
        message
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.dim()))),
    );
    frame.render_widget(Paragraph::new(lines), area);
}
