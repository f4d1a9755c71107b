//! `spikescope replay JOURNAL --out FILE --spikes FILE`: a recorded
//! session played without a screen. The journal's preset is loaded as it
//! was recorded and each change applied at the start of the step the
//! session made it at, so the CSV holds the values the oscilloscope showed,
//! bit for bit. A reset or an opened preset starts a new run (time starts
//! again at 0); the CSV holds the last run, the one the session ended in.

use std::path::Path;

use anyhow::anyhow;

use super::run::{
    Stop, advance, catch_signals, io_failure, open_outputs, rows_every, summary, write_failure,
};
use super::{Failure, ReplayArgs};
use crate::preset::time::format_time;
use crate::preset::{Meta, PresetSource};
use crate::session::change::{change_param, set_bias, set_input};
use crate::session::{Change, Entry, Event, Journal, JournalError};
use crate::sim::csv::{CsvMonitor, StoppedOutputs};
use crate::sim::probe::SpikeCounts;
use crate::sim::sink::Sink;
use crate::sim::{RunError, Simulation};
use crate::text::err_line;

/// The simulation being replayed, with what a parameter change needs.
struct Session {
    source: PresetSource,
    changed: Vec<(String, String)>,
    meta: Meta,
    sim: Simulation,
}

impl Session {
    /// The session of a preset; the error says what is wrong with it, and
    /// the caller where in the journal.
    fn open(source: PresetSource) -> Result<Self, String> {
        let scenario = source
            .load()
            .map_err(|e| format!("the preset does not load: {e}"))?;
        let (meta, sim) = scenario.into_simulation();
        Ok(Self {
            source,
            changed: Vec::new(),
            meta,
            sim,
        })
    }

    /// Applies a change within a run (not a reset or an open).
    fn apply(&mut self, change: &Change) -> Result<(), String> {
        match change {
            Change::Input(x) => set_input(&mut self.sim, *x),
            Change::Bias { neuron, value } => set_bias(&mut self.sim, *neuron, *value),
            Change::Param { key, value } => {
                self.changed = change_param(
                    &mut self.sim,
                    &self.source,
                    &self.changed,
                    key,
                    value.as_deref(),
                )?;
                Ok(())
            }
            Change::Reset | Change::Open(_) => {
                Err("a reset or an opened preset ends a run: the runs are split there".into())
            }
        }
    }
}

pub(super) fn replay(args: &ReplayArgs) -> Result<(), Failure> {
    super::run::refuse_input_as_output(
        ("journal", Some(&args.journal)),
        &[
            ("--out", args.out.as_deref()),
            ("--spikes", args.spikes.as_deref()),
        ],
    )?;
    let journal =
        Journal::read(Path::new(&args.journal)).map_err(|e| Failure::Usage(e.to_string()))?;
    let file = journal.file.clone();
    // A damaged line is known before anything plays: said first, so that a
    // change at a damaged step (4e9, before a line whose step goes back)
    // is not hours of playing before the user hears of it.
    if let Some(d) = &journal.damage {
        let last = journal.entries.last().map_or(0, |e| e.step);
        err_line(&format!(
            "note: {file}:{} is damaged: the lines before it play, to step {last} of their run, \
             then its error is shown",
            d.line
        ));
    }
    let mut session = crate::waiting::while_loading(&journal.preset.origin, || {
        Session::open(journal.preset.clone())
    })
    .map_err(|problem| Failure::Usage(format!("{file}:{}: {problem}", journal.preset_line)))?;
    let caught = catch_signals();
    let entries = &journal.entries;
    // The last run is the one written; the runs before it are played to
    // reach its state (the parameters and inputs carry over a reset).
    let last_start = entries.iter().rposition(Entry::starts_run);
    let mut stopped: Option<JournalError> = None;
    let failed = |e: &Entry, problem: String| JournalError {
        file: file.clone(),
        line: e.line,
        at: None,
        text: String::new(),
        problem,
        valid: String::new(),
    };
    // A step that its own comment's time contradicts is said before it is
    // played to: a damaged last line has no line after it to go back from.
    let note_unlike = |e: &Entry, dt_s: f64| {
        if let Some(unlike) = e.step_unlike_its_comment(dt_s) {
            err_line(&format!(
                "note: {file}:{}: {unlike} Playing to it simulates that long (Ctrl-C stops).",
                e.line
            ));
        }
    };
    let mut index = 0;
    if let Some(last) = last_start {
        while index <= last {
            let e = &entries[index];
            index += 1;
            note_unlike(e, session.sim.dt_s());
            let steps = e.step.saturating_sub(session.sim.step_index());
            // Counted for the monitor's sake only, each run's with its own
            // neurons: network-abc's three, opened from lif-constant's one
            // neuron, had their spikes counted in its one place (a panic).
            let mut counts = SpikeCounts::new(session.sim.model.neuron_count());
            match advance(&mut session.sim, steps, &mut counts, &caught) {
                Ok(_) | Err(Stop::Run(RunError::Unstable(_))) => {}
                Err(Stop::Run(RunError::Io(e))) => return Err(io_failure(e, "replaying")),
                Err(Stop::Signal(signal)) => {
                    return Err(signal_failure(signal, &session, StoppedOutputs::default()));
                }
            }
            let result = match &e.event {
                Event::Change(Change::Reset) => {
                    session.sim.reset();
                    Ok(())
                }
                Event::Change(Change::Open(source)) => {
                    Session::open(source.clone()).map(|s| session = s)
                }
                Event::Change(change) => session.apply(change),
                Event::End => Ok(()),
            };
            if let Err(problem) = result {
                return Err(Failure::Run(anyhow!(
                    "{}\n  play stopped before the last run (the one the CSV holds): no output \
                     was written",
                    failed(e, problem)
                )));
            }
        }
    }
    let n = session.sim.model.neuron_count();
    let every = rows_every(args.sample, session.meta.dt_s)?;
    let (out_sink, spike_sink) = open_outputs(args.out.as_deref(), args.spikes.as_deref())?;
    let mut counts = SpikeCounts::new(n);
    let sinks = {
        let mut csv = CsvMonitor::new(out_sink, spike_sink, &session.sim, every)
            .map_err(|e| io_failure(e, "writing CSV"))?;
        csv.write_row(&session.sim)
            .map_err(|e| io_failure(e, "writing CSV"))?;
        let mut monitors = (&mut csv, &mut counts);
        for e in &entries[index..] {
            note_unlike(e, session.sim.dt_s());
            let steps = e.step.saturating_sub(session.sim.step_index());
            match advance(&mut session.sim, steps, &mut monitors, &caught) {
                Ok(_) => {}
                Err(Stop::Run(RunError::Io(e))) => {
                    return Err(write_failure(e, &csv.stop_early()));
                }
                Err(Stop::Run(RunError::Unstable(i))) => {
                    return Err(Failure::Run(anyhow!(
                        "{}: {i} (as in the recorded session); {}",
                        session.meta.origin,
                        super::left_behind(&csv.stop_early())
                    )));
                }
                Err(Stop::Signal(signal)) => {
                    return Err(signal_failure(signal, &session, csv.stop_early()));
                }
            }
            let result = match &e.event {
                Event::Change(change) => session.apply(change),
                Event::End => Ok(()),
            };
            if let Err(problem) = result {
                stopped = Some(failed(e, problem));
                break;
            }
        }
        csv.finish().map_err(|(e, left)| write_failure(e, &left))?
    };
    // The files together or neither; the error names the file.
    Sink::commit_all(sinks).map_err(|e| Failure::Run(anyhow!("{e}; no file was written")))?;
    let runs = entries.iter().filter(|e| e.starts_run()).count();
    if runs > 0 {
        err_line(&format!(
            "{file}: {} runs (resets or presets opened); the CSV holds the last, from line {}",
            runs + 1,
            last_start.map_or(0, |i| entries[i].line)
        ));
    }
    let to_stdout = args.out.is_none() && args.spikes.is_none();
    summary(&session.meta, &session.sim, &counts, to_stdout);
    match stopped.or_else(|| journal.shortfall()) {
        None => Ok(()),
        Some(e) => Err(Failure::Run(anyhow!(
            "{e}\n  played to t = {}; the output holds what played",
            format_time(session.sim.time_s())
        ))),
    }
}

fn signal_failure(signal: i32, session: &Session, left: StoppedOutputs) -> Failure {
    Failure::Signal {
        signal,
        at: format!("t = {}", format_time(session.sim.time_s())),
        left,
    }
}
