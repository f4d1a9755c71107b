//! `spikescope view FILE`: a recorded spike file in the oscilloscope. The
//! file is read and indexed once (`lab::recording`); the view plays it as
//! a live run would, a window of time sweeping over a raster and the
//! population rate, with pause, speed, seek, zoom and the selected neuron's
//! rate and ISI in the status line. A frame finds its spikes by binary
//! search, so a file of ten million scrolls as smoothly as a small one.
//!
//! Keys: Space pause/run, ] [ faster/slower, z Z zoom, Left Right seek a
//! tenth of the window, PgUp PgDn a window, Home End the start and the end,
//! Tab S-Tab the neuron, g a neuron by its number, Esc closes a message, q
//! quits; Ctrl-Z to the shell, Ctrl-L draws the screen again.

use crate::model::elementary::{decade, pow10};

mod draw;
mod legend;

pub use draw::render;

use std::borrow::Cow;
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent};

use super::format::{ordinal, plural};
use super::input::StdinEvents;
use super::line_edit::edit_line;
use super::theme::Theme;
use super::words::NO_BREAK;
use super::{EventSource, ScreenOptions};
use crate::exit::EXIT_USAGE;
use crate::lab::recording::{NeuronRange, Recording};
use crate::text::{err_line, out_line};

/// Every key, for `?` or any key the viewer does not take.
pub(super) const KEY_LIST: &str = "keys: Space pause  ] [ speed  z Z zoom  Left Right seek  \
                                   PgUp PgDn  Home End  Tab g neuron  q quit";

/// The viewer's state: the recording, where its window is, how it moves.
pub struct Viewer {
    pub recording: Recording,
    pub file: String,
    /// The window's right edge (s): "now".
    pub t_s: f64,
    pub window_s: f64,
    /// Recorded seconds per real second.
    pub speed: f64,
    pub running: bool,
    pub selected: usize,
    /// The selected neuron's spike times, found once when it is chosen.
    pub selected_times: Vec<f64>,
    pub quit: bool,
    pub message: Option<String>,
    /// The message the viewer opens with, what the file holds, and where in
    /// it the file's format goes when the title has no room for the format
    /// (`Summary::shown`).
    pub summary: Summary,
    /// The number of a neuron being typed after `g` (Tab through a hundred
    /// thousand neurons is no way to reach one).
    pub going_to: Option<String>,
}

/// What the file holds, said when the viewer opens: its name, spikes,
/// neurons and length. The format is in the title; where a long path
/// leaves it no room there, it goes after the name here. (Said in both,
/// the line passed 80 columns for a file of a few spikes.)
pub struct Summary {
    pub text: String,
    /// The byte where the file's name ends in `text`.
    pub name_end: usize,
}

impl Summary {
    /// `message` as shown: with the file's `format` after its name where
    /// `message` is this summary and the title did not say the format.
    pub fn shown<'a>(&self, message: &'a str, format: &str, titled: bool) -> Cow<'a, str> {
        if titled || message != self.text {
            return Cow::Borrowed(message);
        }
        let (name, rest) = message.split_at(self.name_end);
        Cow::Owned(format!("{name} ({format}){rest}"))
    }
}

impl Viewer {
    pub fn new(recording: Recording, file: &str) -> Self {
        let end = recording.end_s();
        // About a tenth of the recording, between 10 ms and 1 s, a round
        // time (1, 2 or 5 times a power of ten).
        let tenth = (end / 10.0).clamp(0.01, 1.0);
        let power = pow10(decade(tenth));
        let window_s = [1.0, 2.0, 5.0]
            .iter()
            .map(|m| m * power)
            .rfind(|&w| w <= tenth * (1.0 + 1e-9))
            .unwrap_or(power);
        // The neurons by their numbers where those do not start at 0 (a
        // NEST file's node IDs), and the spikes `--neurons` left out.
        let numbered = match (recording.first, recording.last_number()) {
            (0, _) => String::new(),
            (first, last) if first == last => format!(" (#{first})"),
            (first, last) => format!(" ({first}-{last})"),
        };
        let left_out = match recording.left_out {
            0 => String::new(),
            k => format!(
                "; {} of other neurons left out",
                plural(k as u64, "spike", "spikes")
            ),
        };
        let strided = match recording.stride {
            Some(g) => format!(
                "; only every {} neuron spiked, as in one thread's or rank's file",
                ordinal(g)
            ),
            None => String::new(),
        };
        // The file by its name: the title shows its folder, and a long
        // path took the message's three lines at 60 columns, cutting off
        // what the file holds (`dir/a.dat and 2 more` is `a.dat and 2 more`).
        let name = std::path::Path::new(file)
            .file_name()
            .map_or(file.into(), |n| n.to_string_lossy());
        let summary = Summary {
            text: format!(
                "{name}: {} of {}{numbered} over {}{left_out}{strided}",
                plural(recording.len() as u64, "spike", "spikes"),
                plural(recording.neuron_count as u64, "neuron", "neurons"),
                super::format::duration(end),
            ),
            name_end: name.len(),
        };
        let selected_times = recording.times_of(0);
        Self {
            selected_times,
            recording,
            file: file.to_string(),
            t_s: window_s.min(end.max(window_s)),
            window_s,
            speed: 0.25,
            running: true,
            selected: 0,
            quit: false,
            message: Some(summary.text.clone()),
            summary,
            going_to: None,
        }
    }

    /// Adds how long the file took to read to its summary (`; read in
    /// 8.501 ms`, in the unit the time needs: a small file reads in
    /// microseconds), as one phrase that wraps whole: wrapped after `read
    /// in`, the time had stood alone on the next line.
    pub fn add_read_time(&mut self, read_s: f64) {
        let phrase = format!("read in {}", crate::ui::format::duration(read_s));
        self.add_to_summary(&format!("; {}", phrase.replace(' ', &NO_BREAK.to_string())));
    }

    /// Adds `text` to the file's summary, and to the message while it is
    /// the summary.
    fn add_to_summary(&mut self, text: &str) {
        if self.message.as_deref() == Some(&self.summary.text) {
            self.message = Some(format!("{}{text}", self.summary.text));
        }
        self.summary.text.push_str(text);
    }

    /// The furthest the window's right edge goes: a little past the last
    /// spike, so that the window (which holds [t - w, t)) shows it.
    pub fn last_t(&self) -> f64 {
        (self.recording.end_s() + self.window_s / 20.0).max(self.window_s)
    }

    /// Moves the window's right edge to `t`, within the recording.
    fn seek(&mut self, t: f64) {
        let end = self.last_t();
        self.t_s = t.clamp(self.window_s.min(end), end);
    }

    /// The shortest and longest windows: 100 µs, and the recording's
    /// span, at least the 10 ms a short one opens with (the longest was
    /// the span alone, so that `Z` on a 2 ms file narrowed its 10 ms
    /// window to 2 ms).
    fn window_limits(&self) -> (f64, f64) {
        (1e-4, self.recording.end_s().max(0.01))
    }

    /// `z` and `Z`: the window `by` times as long, within its limits; at a
    /// limit it stays and says so, as the oscilloscope's does.
    fn zoom(&mut self, by: f64) {
        let (lo, hi) = self.window_limits();
        let window = (self.window_s * by).clamp(lo, hi);
        if window == self.window_s {
            let d = super::format::duration;
            self.message = Some(format!(
                "the window stays {}: it may be {} to {}",
                d(window),
                d(lo),
                d(hi)
            ));
            return;
        }
        self.window_s = window;
        self.seek(self.t_s);
    }

    fn select(&mut self, i: usize) {
        self.selected = i;
        self.selected_times = self.recording.times_of(i);
    }

    /// Advances by `real` elapsed while running; stops at the end.
    pub fn tick(&mut self, real: Duration) {
        if !self.running {
            return;
        }
        let end = self.last_t();
        self.seek(self.t_s + self.speed * real.as_secs_f64());
        if self.t_s >= end {
            self.running = false;
        }
    }

    /// A paste goes into the go-to entry, each character as if typed (its
    /// digits, as many as the largest number has), as the oscilloscope's
    /// text fields take one; elsewhere it is said to be ignored.
    pub fn on_paste(&mut self, text: &str) {
        let Some(typed) = &mut self.going_to else {
            self.message = Some("a paste goes into a text field (g a neuron); ignored".into());
            return;
        };
        let most = self.recording.last_number().to_string().len();
        for c in text.chars() {
            if c.is_ascii_digit() && typed.len() < most {
                typed.push(c);
            }
        }
        self.message = None;
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        let n = self.recording.neuron_count.max(1);
        let (first, last) = (self.recording.first, self.recording.last_number());
        if crate::ui::keymap::is_interrupt(&key) {
            self.quit = true;
            return;
        }
        if let Some(typed) = &mut self.going_to {
            match key.code {
                KeyCode::Esc => {
                    self.going_to = None;
                    self.message = None;
                }
                KeyCode::Enter => match typed.parse::<u64>() {
                    // By its number in the file (a NEST node ID).
                    Ok(k) if (first..=last).contains(&k) => {
                        self.going_to = None;
                        self.message = None;
                        self.select((k - first) as usize);
                    }
                    _ if typed.is_empty() => {
                        self.message = Some("type the neuron's number first".into());
                    }
                    _ => {
                        self.message = Some(format!(
                            "no neuron {typed}: the neurons are numbered {first} to {last}"
                        ))
                    }
                },
                _ => {
                    // Digits only, as many as the largest number has.
                    let most = last.to_string().len();
                    if edit_line(typed, &key, |t, c| c.is_ascii_digit() && t.len() < most) {
                        self.message = None;
                    }
                }
            }
            return;
        }
        match key.code {
            KeyCode::Char('q') => self.quit = true,
            // As in the oscilloscope, Esc closes a message and never quits:
            // `?` then Esc, the way a list of keys is put away, left the
            // viewer.
            KeyCode::Esc => self.message = None,
            KeyCode::Char(' ') => {
                if !self.running && self.t_s >= self.last_t() {
                    self.seek(0.0);
                }
                self.running = !self.running;
            }
            KeyCode::Char(']') => self.speed = (self.speed * 2.0).min(1e4),
            KeyCode::Char('[') => self.speed = (self.speed / 2.0).max(1e-4),
            KeyCode::Char('z') => self.zoom(0.5),
            KeyCode::Char('Z') | KeyCode::Char('x') => self.zoom(2.0),
            KeyCode::Left => self.seek(self.t_s - self.window_s / 10.0),
            KeyCode::Right => self.seek(self.t_s + self.window_s / 10.0),
            KeyCode::PageUp => self.seek(self.t_s - self.window_s),
            KeyCode::PageDown => self.seek(self.t_s + self.window_s),
            KeyCode::Home => self.seek(0.0),
            KeyCode::End => self.seek(self.last_t()),
            KeyCode::Tab => self.select((self.selected + 1) % n),
            KeyCode::BackTab => self.select((self.selected + n - 1) % n),
            KeyCode::Char('g') => {
                self.going_to = Some(String::new());
                self.message = None;
            }
            _ => self.message = Some(KEY_LIST.into()),
        }
    }
}

/// Opens the viewer on `files` (read as one recording) in the terminal.
pub fn run_view(files: &[String], neurons: Option<NeuronRange>, opts: &ScreenOptions) -> ExitCode {
    let started = Instant::now();
    let paths: Vec<&Path> = files.iter().map(Path::new).collect();
    let recording = match Recording::open_all(&paths, neurons) {
        Ok(r) => r,
        Err(e) => {
            err_line(&format!("error: {e}"));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let name = match files {
        [one] => one.clone(),
        [first, ..] => format!("{first} and {} more", files.len() - 1),
        [] => String::new(),
    };
    if recording.is_empty() {
        let problem = match neurons {
            Some(r) if recording.left_out > 0 => format!(
                "no spikes of {} ({} of others); valid: --neurons naming neurons that spiked, \
                 or left out",
                if r.first == r.last {
                    format!("neuron {}", r.first)
                } else {
                    format!("neurons {}-{}", r.first, r.last)
                },
                plural(recording.left_out as u64, "spike", "spikes")
            ),
            _ => "no spikes to view; valid: a spike file with at least one row".to_string(),
        };
        err_line(&format!("error: {name}: {problem}"));
        return ExitCode::from(EXIT_USAGE);
    }
    // The file is read first, so that what is wrong with it is said with or
    // without a terminal; the hint is the viewer's, not the simulation's.
    if let Some(code) = super::refuse_without_terminal("the viewer needs one") {
        return code;
    }
    let mut viewer = Viewer::new(recording, &name);
    viewer.add_read_time(started.elapsed().as_secs_f64());
    let theme = Theme::from_env(opts.ascii, opts.unicode);
    crossterm::style::force_color_output(true);
    super::spawn_signal_handler(None);
    let mut terminal = match super::enter_for_session() {
        Ok(t) => t,
        Err(exit) => return exit,
    };
    let result = run_loop(&mut terminal, &mut viewer, &theme, opts);
    super::leave_terminal();
    super::session_exit(result, |()| {
        out_line(&format!(
            "spikescope view: {}, {}",
            viewer.file,
            plural(viewer.recording.len() as u64, "spike", "spikes")
        ));
    })
}

/// The viewer's loop: keys from the oscilloscope's own reader of the
/// terminal (`StdinEvents`: every byte read, Esc and a key in one read as
/// the two keys, the end of the terminal an error), a frame each `fps`
/// while playing, none while paused until a key.
fn run_loop(
    terminal: &mut ratatui::DefaultTerminal,
    viewer: &mut Viewer,
    theme: &Theme,
    opts: &ScreenOptions,
) -> io::Result<()> {
    let frame = Duration::from_secs_f64(1.0 / opts.fps.max(1) as f64);
    let mut events = StdinEvents::start();
    let mut last = Instant::now();
    let mut frames = 0u64;
    loop {
        terminal.draw(|f| draw::render(f, viewer, theme))?;
        frames += 1;
        if opts.frames.is_some_and(|n| frames >= n) {
            return Ok(());
        }
        let timeout = viewer.running.then_some(frame);
        let mut event = events.next(timeout)?;
        while let Some(e) = event {
            // A resize is drawn by the next frame.
            match e {
                Event::Key(k) if crate::ui::keymap::is_suspend(&k) => {
                    // As in the oscilloscope: to the shell, and on `fg`
                    // the screen drawn anew, the time away not played.
                    super::suspend_to_shell();
                    super::repaint(terminal)?;
                    last = Instant::now();
                }
                Event::Key(k) if crate::ui::keymap::is_repaint(&k) => super::repaint(terminal)?,
                Event::Key(k) => viewer.on_key(k),
                Event::Paste(text) => viewer.on_paste(&text),
                _ => {}
            }
            if viewer.quit {
                return Ok(());
            }
            event = events.next(Some(Duration::ZERO))?;
        }
        let now = Instant::now();
        viewer.tick(now - last);
        last = now;
    }
}
