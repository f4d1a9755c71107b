//! How a screen is checked: the run that is its truth, the screen with
//! what it is of, what disagrees; a number passes when it equals the truth
//! to the digits it shows.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use regex::Regex;
use spikescope::ui::app::App;
use spikescope::ui::theme::Theme;

use crate::{clamp, cursors, picture, status, timebase, views, weights};

/// What `spikescope run` wrote: the last trace row by column, the spikes,
/// and every row of the traces.
pub struct RunOutput {
    pub last: HashMap<String, f64>,
    pub spikes: Vec<(usize, f64)>,
    pub traces: Traces,
}

/// The traces file, its columns read when first asked for (a network's
/// file holds every neuron's v at every step: tens of megabytes).
pub struct Traces {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    columns: RefCell<HashMap<String, Column>>,
}

/// A column of the traces as (time_s, value) rows.
pub type Column = Rc<Vec<(f64, f64)>>;

impl Traces {
    pub fn new(dir: tempfile::TempDir, path: std::path::PathBuf) -> Self {
        Self {
            _dir: dir,
            path,
            columns: RefCell::default(),
        }
    }

    /// Column `name`; None if the file has none.
    pub fn column(&self, name: &str) -> Option<Column> {
        if let Some(c) = self.columns.borrow().get(name) {
            return Some(c.clone());
        }
        let mut reader = csv::Reader::from_path(&self.path).unwrap();
        let k = reader.headers().unwrap().iter().position(|h| h == name)?;
        let rows: Vec<(f64, f64)> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].parse().unwrap(), r[k].parse().unwrap())
            })
            .collect();
        let rows = Rc::new(rows);
        self.columns
            .borrow_mut()
            .insert(name.to_string(), rows.clone());
        Some(rows)
    }
}

/// One screen and what it is of: the preset, the app drawn, the text (in
/// ASCII or not), the truth and its time, the selected neuron.
#[derive(Clone, Copy)]
pub struct Screen<'a> {
    pub name: &'a str,
    pub app: &'a App,
    pub text: &'a str,
    pub ascii: bool,
    /// Drawn in colour (where curves are told apart by colour, every one
    /// is a solid line).
    pub color: bool,
    pub run: &'a RunOutput,
    pub now: f64,
    pub i: usize,
}

/// What disagrees: numbers, names, places.
#[derive(Default)]
pub struct Found {
    pub wrong: Vec<String>,
    pub misnamed: Vec<String>,
    pub misplaced: Vec<String>,
}

impl Found {
    /// Notes `what` where the number shown does not agree with the truth.
    pub fn expect(&mut self, what: &str, shown: &str, truth: f64) {
        if !agrees(shown, truth) {
            self.wrong
                .push(format!("{what}: shows {shown}, the engine says {truth}"));
        }
    }
}

/// Whether the shown text `shown` equals `truth` to the digits it shows.
pub fn agrees(shown: &str, truth: f64) -> bool {
    READ.with(|read| read.borrow_mut().insert(shown.to_string()));
    let value: f64 = match shown.parse() {
        Ok(v) => v,
        Err(_) => return false,
    };
    let (mantissa, exponent) = match shown.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (shown, 0),
    };
    let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let half_unit = 0.5 * 10f64.powi(exponent - decimals);
    (value - truth).abs() <= half_unit * (1.0 + 1e-9) + 1e-12 * truth.abs()
}

/// Seconds in one `unit` as the screen writes it.
pub fn unit_s(unit: &str) -> f64 {
    match unit {
        "µs" | "us" => 1e-6,
        "ms" => 1e-3,
        _ => 1.0,
    }
}

/// The numbers on a screen that follow `pattern` (one capture group).
pub fn numbers(screen: &str, pattern: &str) -> Vec<String> {
    Regex::new(pattern)
        .unwrap()
        .captures_iter(screen)
        .map(|c| c[1].to_string())
        .collect()
}

/// The selected neuron's line of the status (the one that names it).
pub fn neuron_line(screen: &str) -> &str {
    Regex::new(r"(?m)^#\d+[^:\n]*: .*$")
        .unwrap()
        .find(screen)
        .map_or("", |m| m.as_str())
}

/// The selected neuron's spike times up to the screen's time.
pub fn times_of(s: &Screen) -> Vec<f64> {
    s.run
        .spikes
        .iter()
        .filter(|(k, t)| *k == s.i && *t <= s.now)
        .map(|(_, t)| *t)
        .collect()
}

/// Checks every number of one screen; returns what disagrees.
pub fn check_screen(
    name: &str,
    app: &App,
    (text, theme): (&str, &Theme),
    run: &RunOutput,
) -> Vec<String> {
    let s = Screen {
        name,
        app,
        text,
        ascii: theme.ascii,
        color: theme.color,
        run,
        now: run.last["time_s"],
        i: app.view.selected,
    };
    let parts = [
        status::check(&s),
        views::check(&s),
        weights::check(&s),
        cursors::check(&s),
        timebase::check(&s),
        clamp::check(&s),
        picture::check(&s),
    ];
    let mut out = Vec::new();
    for p in &parts {
        out.extend(p.wrong.iter().cloned());
    }
    for p in &parts {
        out.extend(p.misnamed.iter().cloned());
    }
    for p in parts {
        out.extend(p.misplaced);
    }
    if std::env::var_os("SCREEN_TRUTH_UNREAD").is_some() {
        print_unread(name, app, text);
    }
    out
}

thread_local! {
    /// Every number a check has compared since the last screen.
    static READ: RefCell<std::collections::HashSet<String>> = RefCell::default();
}

/// With `SCREEN_TRUTH_UNREAD` set, each line of a screen that holds a
/// number no check compared (by its text: a digit the same as one read
/// elsewhere on the screen passes), to stderr: where the checks are blind
/// (axis ticks and the notes' section numbers are among them).
fn print_unread(name: &str, app: &App, text: &str) {
    let number = Regex::new(r"-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?").unwrap();
    let read = READ.with(|read| std::mem::take(&mut *read.borrow_mut()));
    for line in text.lines() {
        let unread: Vec<&str> = number
            .find_iter(line)
            .map(|m| m.as_str())
            .filter(|t| !read.contains(*t))
            .collect();
        if !unread.is_empty() {
            let shape = number.replace_all(line, "#");
            eprintln!("unread\t{name}\t{:?}\t{shape}\t{unread:?}", app.view.pane);
        }
    }
}
