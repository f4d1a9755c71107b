//! The viewer's screen: a title, the raster of the window (a row per
//! neuron while they fit, else groups of neurons a Braille dot row each),
//! the population rate under it on the same time axis, and the status:
//! where the window is, the rates, the selected neuron's rate and ISI.

use crate::model::elementary::{decade, pow10};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::legend::{density_legend, density_mark, raster_title};
use super::{KEY_LIST, Viewer};
use crate::lab::isi::{intervals, isi_stats};
use crate::ui::format::{compact, duration, plural, significant, sim_time};
use crate::ui::lines::{Segment, fit};
use crate::ui::plot::{Axis, Curve, Geometry, Pattern, Plot};
use crate::ui::render::{MIN_HEIGHT, MIN_WIDTH, too_small};
use crate::ui::theme::Theme;
use crate::ui::words::{clip_words, drawn, wrap_words};

pub fn render(frame: &mut Frame, v: &Viewer, theme: &Theme) {
    let area = frame.area();
    // The oscilloscope's smallest screen; below it, one line says so.
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let title_text = view_title(&v.file, v.recording.format, (area.width, theme));
    let titled = title_text.ends_with(&format!("({})", v.recording.format));
    let message = status_message(v, (area.width, area.height), titled, theme);
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(3 + message.len() as u16),
    ])
    .areas(area);
    // The raster first, at least a few rows; then the rate keeps the rows
    // its time axis needs for its numbers (a plot drops them below 6 inner
    // rows), the only time labels on the screen, and a third of the height;
    // the raster takes the rest, but no more rows than its neurons need
    // (a row each, or four to a Braille row once they do not fit).
    let n = v.recording.neuron_count.max(1);
    let neuron_rows = u16::try_from(n + 2).unwrap_or(u16::MAX);
    let raster_least = neuron_rows.min(RASTER_ROWS);
    let rate_h = RATE_ROWS
        .max(body.height / 3)
        .min(body.height.saturating_sub(raster_least));
    let most = (body.height - rate_h).saturating_sub(2);
    let needed = Rows::of(n, most as usize, theme.ascii).used() as u16;
    let raster_h = (body.height - rate_h).min(needed + 2);
    let [raster, rate] =
        Layout::vertical([Constraint::Length(raster_h), Constraint::Fill(1)]).areas(body);
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(title_text, theme.bold())])),
        title,
    );
    let (t0, t1) = (v.t_s - v.window_s, v.t_s);
    // The rate first: the raster's marks go in the columns of its time
    // axis, after labels as wide as its tick labels (or theirs, if wider).
    let label_w = raster_label_width(v.recording.last_number());
    let g = render_rate(frame, rate, v, (t0, t1), label_w, theme);
    render_raster(frame, raster, v, (t0, t1), g, theme);
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

/// The title line: the file and its format, at most `width` columns. A
/// long path loses the format first (the file's summary then names it), then
/// its start, so that the file's name stays whole (it was cut at the
/// screen's edge: `(NEST spike_recorder AS`).
fn view_title(file: &str, format: &str, (width, theme): (u16, &Theme)) -> String {
    let width = width as usize;
    let head = " spikescope view ─ ";
    let full = format!("{head}{file} ({format})");
    if full.chars().count() <= width {
        return full;
    }
    let bare = format!("{head}{file}");
    let cut = theme.spelled("…", "...");
    let room = width.saturating_sub(head.chars().count() + cut.chars().count());
    if bare.chars().count() <= width || room == 0 {
        return bare.chars().take(width).collect();
    }
    let chars: Vec<char> = file.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(room)..].iter().collect();
    format!("{head}{cut}{tail}")
}

/// The message and under it the key hints, each wrapped to the screen's
/// width (`wrapped`); the file's summary names its format where the title
/// (`titled`) does not. While
/// a neuron's number is typed, the entry, and below it why the last was
/// refused (as the oscilloscope's entry shows it), each on its line where
/// they fit.
fn status_message(
    v: &Viewer,
    (width, height): (u16, u16),
    titled: bool,
    theme: &Theme,
) -> Vec<String> {
    let fits = |t: &str| t.chars().count() <= width as usize;
    if let Some(typed) = &v.going_to {
        let (first, last) = (v.recording.first, v.recording.last_number());
        let entry = format!("go to neuron ({first}-{last}): {typed}_");
        let hints = format!("{entry}  Enter selects, Esc cancels");
        return match v.message.as_deref() {
            Some(why) if fits(why) && fits(&entry) => {
                vec![if fits(&hints) { hints } else { entry }, why.to_string()]
            }
            Some(why) => wrapped(&format!("{hints}  {why}"), width, theme),
            None => wrapped(&hints, width, theme),
        };
    }
    // At most 80 columns (Home, End, PgUp and PgDn are in the list ? shows):
    // one line on a terminal of that width.
    let hints = "? keys  Space pause  ] [ speed  z Z zoom  Left Right seek  Tab g neuron  q quit";
    match v.message.as_deref() {
        None => wrapped(hints, width, theme),
        // The whole list stands in for the hints.
        Some(m) if m == KEY_LIST => wrapped(m, width, theme),
        // The hints stay under a message (the file's, from the start: at
        // 80x24 it took their place until a key cleared it, so nothing on
        // the screen said which keys there are) where the panes keep their
        // rows; on a smaller screen the message comes first.
        Some(m) => {
            let m = v.summary.shown(m, v.recording.format, titled);
            let mut lines = wrapped(&m, width, theme);
            let status = 3 + lines.len() as u16 + 1;
            if height.saturating_sub(1 + status) >= RASTER_ROWS + RATE_ROWS {
                lines.push(hints.to_string());
            }
            lines
        }
    }
}

/// `text` on one line, or wrapped at words on up to three; longer still,
/// the third says where it is cut, as the oscilloscope's message does. It
/// was cut after two lines without a mark: at 60 columns a file opened
/// with `--neurons` read "...; 144 spikes of other neurons" and stopped
/// before "left out".
fn wrapped(text: &str, width: u16, theme: &Theme) -> Vec<String> {
    const MOST: usize = 3;
    if text.chars().count() <= width as usize {
        return vec![drawn(text)];
    }
    let mut lines = wrap_words(text, width as usize);
    if lines.len() > MOST {
        let rest = lines[MOST - 1..].join(" ");
        lines[MOST - 1] = clip_words(&rest, width as usize, theme.spelled("…", "..."));
        lines.truncate(MOST);
    }
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

/// How the raster's rows hold the neurons in `rows` rows: one a row while
/// they fit, else groups of `per` neurons, four groups to a Braille row (one
/// to an ASCII row, whose marks say how many of the group fired).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rows {
    n: usize,
    /// Neurons per group (1 for a neuron a row).
    per: usize,
    /// Groups per text row: 4 Braille dot rows, or 1.
    dots: usize,
    dense: bool,
}

impl Rows {
    fn of(n: usize, rows: usize, ascii: bool) -> Self {
        let dots = if ascii { 1 } else { 4 };
        let per = n.div_ceil(rows.max(1) * dots).max(1);
        let dense = per > 1 || n > rows;
        Self {
            n,
            per,
            dots: if dense { dots } else { 1 },
            dense,
        }
    }

    /// The text rows the neurons fill.
    fn used(&self) -> usize {
        self.n.div_ceil(self.per).div_ceil(self.dots)
    }

    /// Row r's label: `#7`, or the first and last neuron of its groups,
    /// by their numbers in the file (counted from `first`).
    fn label(&self, r: usize, first: u64) -> String {
        let a = first + (r * self.dots * self.per) as u64;
        let b = first + (((r + 1) * self.dots * self.per).min(self.n) - 1) as u64;
        if a == b {
            format!("#{a}")
        } else {
            format!("#{a}-{b}")
        }
    }
}

/// Room for the widest group's label, `#9100-9999`: up to the eight digits
/// of a recording's last neuron (2^24 - 1, `recording::MOST_NEURONS`, or a
/// NEST node ID up to 2^24), whose groups read `#14913088-16777215` (cut
/// at 14 columns, `#14913088-1677`).
fn raster_label_width(last_number: u64) -> u16 {
    let digits = last_number.max(1).to_string().len();
    (2 * digits + 2).clamp(4, 18) as u16
}

/// The raster of the window, its marks in the columns `g` gives the rate's
/// time axis (without it, across the raster's own width).
fn render_raster(
    frame: &mut Frame,
    area: Rect,
    v: &Viewer,
    (t0, t1): (f64, f64),
    g: Option<Geometry>,
    theme: &Theme,
) {
    let n = v.recording.neuron_count.max(1);
    let inner = Block::bordered().inner(area);
    let (scale, _) = time_scale(v.window_s);
    let least = raster_label_width(v.recording.last_number());
    let block = Block::bordered().border_style(theme.dim());
    let title_width = area.width.saturating_sub(2) as usize;
    let title = |text: String| Line::from(Span::styled(text, theme.bold()));
    let g = match g {
        Some(g) if g.area.x > inner.x + least && g.area.right() <= inner.right() => g,
        _ if inner.width > least + 1 => Geometry {
            area: Rect::new(
                inner.x + least + 1,
                inner.y,
                inner.width - least - 1,
                inner.height,
            ),
            x: [t0 * scale, t1 * scale],
            y: [0.0, 1.0],
            whole_rows: theme.ascii,
        },
        _ => {
            let text = raster_title(n, 1, None, title_width);
            frame.render_widget(block.title(title(text)), area);
            return;
        }
    };
    let label_w = (g.area.x - inner.x - 1) as usize;
    let cols = g.area.width as usize;
    let rows = inner.height as usize;
    let layout = Rows::of(n, rows, theme.ascii);
    let braille = layout.dense && !theme.ascii;
    let mut cells = vec![vec![0u8; cols]; rows];
    // One neuron a row, or ASCII groups: the spikes of each cell, drawn by
    // their density.
    let mut counts = vec![vec![0u32; cols]; rows];
    for k in v.recording.window(t0, t1) {
        let Some(dot) = g.dot_column(v.recording.times_s[k] * scale) else {
            continue;
        };
        let group = v.recording.neurons[k] as usize / layout.per;
        let (row, dot_row) = (group / layout.dots, group % layout.dots);
        if row >= rows {
            continue;
        }
        if braille {
            // Braille dots 1-2-3-7 (left) and 4-5-6-8 (right), top to bottom.
            const LEFT: [u8; 4] = [0x01, 0x02, 0x04, 0x40];
            const RIGHT: [u8; 4] = [0x08, 0x10, 0x20, 0x80];
            cells[row][dot / 2] |= if dot % 2 == 0 {
                LEFT[dot_row]
            } else {
                RIGHT[dot_row]
            };
        } else {
            counts[row][dot / 2] += 1;
        }
    }
    let busiest = counts.iter().flatten().copied().max().unwrap_or(0);
    for (row, counts) in cells.iter_mut().zip(&counts) {
        for (cell, &c) in row.iter_mut().zip(counts) {
            if c > 0 {
                *cell = density_mark(c, busiest);
            }
        }
    }
    // In ASCII the rule after the labels is `:` and the middle density `+`,
    // as in the live raster: a bar there would read as a spike in the first
    // column.
    let (rule, middle) = if theme.ascii {
        (":", '+')
    } else {
        ("│", ':')
    };
    let marks = [' ', '.', middle, '|'];
    // Where a cell's mark counts its spikes (against the busiest cell in
    // the window), the title says how many each mark stands for now.
    let legend = density_legend(busiest, &marks);
    let text = raster_title(
        n,
        layout.per,
        (!braille).then_some((&legend[..], busiest)),
        title_width,
    );
    frame.render_widget(block.title(title(text)), area);
    if inner.height == 0 || g.area.width == 0 {
        return;
    }
    let lines: Vec<Line> = cells[..layout.used().min(rows)]
        .iter()
        .enumerate()
        .map(|(r, cells)| {
            let label = layout.label(r, v.recording.first);
            let text: String = cells
                .iter()
                .map(|&c| {
                    if braille {
                        char::from_u32(0x2800 + u32::from(c)).unwrap_or(' ')
                    } else {
                        marks[usize::from(c.min(3))]
                    }
                })
                .collect();
            let style = if !layout.dense && r == v.selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            let label: String = label.chars().take(label_w).collect();
            Line::from(vec![
                Span::styled(format!("{label:<label_w$}"), style),
                Span::styled(rule, theme.dim()),
                Span::styled(text, theme.trace(0)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The population rate in the window: spikes per neuron per second in
/// `bins` bins, at their centres; only the bins the file reaches, from 0
/// to the one of its last spike (past it, End's margin, the curve fell to
/// 0 as if the neurons had stopped).
fn population_rate(v: &Viewer, (t0, t1): (f64, f64), bins: usize) -> Vec<(f64, f64)> {
    let n = v.recording.neuron_count.max(1) as f64;
    let width = (t1 - t0) / bins as f64;
    let mut counts = vec![0u64; bins];
    for k in v.recording.window(t0, t1) {
        let b = (((v.recording.times_s[k] - t0) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let (scale, _) = time_scale(v.window_s);
    let end = v.recording.end_s();
    counts
        .iter()
        .enumerate()
        .filter(|&(b, _)| {
            let from = t0 + b as f64 * width;
            from + width > 0.0 && from <= end
        })
        .map(|(b, &c)| {
            (
                (t0 + (b as f64 + 0.5) * width) * scale,
                c as f64 / n / width,
            )
        })
        .collect()
}

/// The rate plot, its y labels at least `label_w` wide (the raster's), in
/// bins of a column; returns where its data went.
fn render_rate(
    frame: &mut Frame,
    area: Rect,
    v: &Viewer,
    (t0, t1): (f64, f64),
    label_w: u16,
    theme: &Theme,
) -> Option<Geometry> {
    let bins = (area.width.saturating_sub(3 + label_w) as usize).clamp(4, 400);
    let points = population_rate(v, (t0, t1), bins);
    // The axis ends at a round number above the highest bin (1, 2 or 5
    // times a power of ten).
    let high = points.iter().map(|p| p.1).fold(1.0f64, f64::max);
    let power = pow10(decade(high));
    let top = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&t| t >= high)
        .unwrap_or(10.0 * power);
    let (scale, unit) = time_scale(v.window_s);
    let mut plot = Plot::new(
        "population rate (Hz: spikes per neuron per second)",
        Axis::new([t0 * scale, t1 * scale], format!("t ({unit})")),
        Axis::new([0.0, top], "Hz"),
    );
    plot.short_titles = vec!["population rate (Hz)".to_string()];
    plot.margin = Some(label_w);
    plot.curves
        .push(Curve::new(points, theme.trace(1), Pattern::Solid).named("rate"));
    plot.render(area, frame.buffer_mut(), theme)
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
    // In ASCII as the oscilloscope's status line draws them (`= PAUSED`).
    let state = if v.running {
        if theme.ascii { "> PLAY" } else { "▶ PLAY" }
    } else if theme.ascii {
        "= PAUSED"
    } else {
        "‖ PAUSED"
    };
    let in_window = r.window(t0, t1).len();
    let end = r.end_s();
    // Over the part of the window the file covers, from 0 to its last
    // spike as "over the file" counts: past it (End leaves a margin) it
    // recorded nothing, not silence (the margin read 38.04 Hz at the end
    // of a 40.04 Hz file).
    let covered = t1.min(end) - t0.max(0.0);
    let window_rate = if covered > 0.0 {
        significant(in_window as f64 / n as f64 / covered, 4)
    } else {
        "-".to_string()
    };
    // A rate over the file needs the file to span some time: spikes all at
    // t = 0 have none (it read 9e307 Hz, too wide to show, and "last spike
    // 2.225e-308 s").
    let over_file = |count: f64| {
        if end > 0.0 {
            significant(count / end, 4)
        } else {
            "-".to_string()
        }
    };
    let whole_rate = over_file(r.len() as f64 / n as f64);
    let i = v.selected;
    let times = &v.selected_times;
    // One interval, or intervals all of 0 s (spikes at one time), have no
    // CV (`IsiStats::cv`).
    let isi_text = match isi_stats(&intervals(times), 1) {
        None => "no ISI (fewer than 2 spikes)".to_string(),
        Some(stats) => {
            let cv = stats.cv.map_or("-".to_string(), compact);
            format!("ISI mean {}, CV {cv}", duration(stats.mean_s))
        }
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
                // Rates to four significant digits, as the oscilloscope's:
                // two decimals read a neuron's one spike in 1,000 s as 0.00.
                Segment::raw(9, format!("population {window_rate} Hz in the window")),
                Segment::raw(7, format!(", {whole_rate} Hz over the file")),
                Segment::raw(
                    6,
                    format!(" ({})", plural(r.len() as u64, "spike", "spikes")),
                ),
            ],
        ),
        fit(
            w,
            vec![
                Segment::raw(
                    9,
                    // Over the file, as the population's second rate: at
                    // t = 670 ms "#0: 38 spikes" read as the spikes so far.
                    format!(
                        "#{}: {}, {} Hz over the file",
                        r.number(i),
                        plural(times.len() as u64, "spike", "spikes"),
                        over_file(times.len() as f64)
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
