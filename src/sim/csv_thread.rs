//! A CSV output formatted and written on a thread of its own, so that the
//! simulation does not wait for number formatting or for the file system:
//! in a one-thread run the second core is otherwise idle, and at N = 1,000
//! formatting the spikes was a sixth of a grid-timing run's time. Rows go
//! over in batches through a bounded channel, so a slow reader (a pipe)
//! holds the simulation back rather than filling memory; where the
//! simulation takes every core, the spikes are held (in bounds), formatted
//! by the caller while the step waits for its helper thread
//! (`format_a_held_spike`), and what is left formatted at the end by the
//! thread and the caller together. Batches
//! handed over as they come are not each a wake-up: the thread looks for
//! them every `POLL` on its own (see `write_batches`). The thread
//! owns the sink and hands it back when the output is finished, to be put
//! in place; an output given up (an error, a signal) is dropped on that thread
//! after its last batch, its temporary file removed before the run returns.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::csv::{CsvWriter, SpikeRows};
use super::sink::Sink;
use crate::model::Spike;

/// Spikes a batch holds before it goes to the thread (16 KiB).
const SPIKES_PER_BATCH: usize = 1024;
/// Spikes held while the simulation's threads take every core (16 MiB,
/// and up to some 27 MiB of their rows formatted in the step's waits): a
/// run of up to a million spikes is written after the simulation, what
/// is not yet formatted then formatted half on the thread and half on the
/// caller, at the same time; a longer one hands over a million at a time
/// (with `HELD_BATCHES_IN_FLIGHT`, at most some 130 MiB in memory).
const SPIKES_HELD: usize = 1 << 20;
/// From this many spikes left at the end, the caller formats half of them,
/// every other chunk of `SPIKES_PER_SHARED_CHUNK` (rows of about 100 KB, a
/// buffer the allocator reuses rather than maps anew).
const SPIKES_SHARED_FROM: usize = 8192;
const SPIKES_PER_SHARED_CHUNK: usize = 4096;
/// Held spikes' rows formatted in the step's waits are kept in pieces of
/// this many bytes (256 KiB), each written with a call of its own: with
/// one buffer of them all (8.6 MB at N = 10,000) the loop took 1.5 ms more,
/// and its one write took 1.4 to 19.5 ms into the page cache (`strace -T`,
/// six runs), where writes of 100 KB take some 70 µs each.
const HELD_ROWS_PIECE: usize = 1 << 18;
/// Numbers a batch of trace rows holds, at least (64 KiB; a row wider than
/// that goes alone).
const VALUES_PER_BATCH: usize = 8192;
/// Batches on their way at most: memory stays bounded whatever the reader.
/// Handed over as they come, as many as a fast run makes between two looks
/// of the thread (at N = 1,000 in grid timing a batch of spikes every 0.15
/// ms): 256 KiB of spikes, 1 MiB of trace rows. Held ones, two (each up to
/// `SPIKES_HELD`).
const BATCHES_IN_FLIGHT: usize = 16;
const HELD_BATCHES_IN_FLIGHT: usize = 2;
/// How long the thread sleeps when it finds no batch, handing batches over
/// as they come: it wakes on its own core, by its own timer.
const POLL: Duration = Duration::from_micros(500);

/// What the thread receives: spikes, trace rows laid end to end, or spike
/// rows the caller formatted (at the end, or in pieces in the step's
/// waits).
enum Batch {
    Spikes(Vec<Spike>),
    Rows(Vec<f64>),
    Formatted(Vec<u8>),
    Pieces(Vec<Vec<u8>>),
}

impl Batch {
    fn is_empty(&self) -> bool {
        match self {
            Batch::Spikes(s) => s.is_empty(),
            Batch::Rows(v) => v.is_empty(),
            Batch::Formatted(b) => b.is_empty(),
            Batch::Pieces(p) => p.is_empty(),
        }
    }
}

/// One CSV output on its own thread.
pub struct CsvThread {
    to_thread: Option<SyncSender<Batch>>,
    thread: Option<JoinHandle<io::Result<Sink>>>,
    pending: Batch,
    /// Spikes a batch holds before it goes.
    spikes_per_batch: usize,
    /// Whether a batch handed over wakes the thread (held spikes), or waits
    /// for the thread's next look.
    wake_on_hand_over: bool,
    /// Numbers in a trace row (time included).
    width: usize,
    /// Held spikes' rows formatted in the simulation's waits
    /// (`format_a_held_spike`), in pieces (`HELD_ROWS_PIECE`): those of the
    /// first `held_formatted` pending.
    held_rows: Vec<Vec<u8>>,
    held_formatted: usize,
    held_spike_rows: SpikeRows,
    /// Set when the output is given up: the thread writes nothing more.
    given_up: Arc<AtomicBool>,
    /// The sink's name where it is a stream (`Sink::stream_name`).
    stream_name: Option<String>,
    /// What the output is called in its errors: its file, or standard
    /// output.
    label: String,
}

impl CsvThread {
    /// A spikes file (`neuron,time_s`) written into `sink`; with `hold`
    /// (the simulation takes every core) the spikes are held, up to
    /// `SPIKES_HELD`, rather than handed over as they come.
    pub fn spikes(sink: Sink, hold: bool) -> io::Result<Self> {
        let header = vec!["neuron".to_string(), "time_s".to_string()];
        Self::spawn(sink, header, Batch::Spikes(Vec::new()), hold)
    }

    /// A traces file with `header`'s columns, one number each.
    pub fn traces(sink: Sink, header: Vec<String>) -> io::Result<Self> {
        Self::spawn(sink, header, Batch::Rows(Vec::new()), false)
    }

    fn spawn(sink: Sink, header: Vec<String>, pending: Batch, hold: bool) -> io::Result<Self> {
        let in_flight = if hold {
            HELD_BATCHES_IN_FLIGHT
        } else {
            BATCHES_IN_FLIGHT
        };
        let (to_thread, from_run) = sync_channel(in_flight);
        let given_up = Arc::new(AtomicBool::new(false));
        let width = header.len();
        let stream_name = sink.stream_name();
        let label = sink.target().map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string(),
        );
        let stop = given_up.clone();
        // Held spikes come rarely and are each waited for: the thread is
        // woken for them, and does not look for them in between (it would
        // take a core from the simulation's threads for nothing).
        let poll = (!hold).then_some(POLL);
        let thread = thread::Builder::new()
            .name("csv".into())
            .spawn(move || write_batches(sink, &header, &from_run, &stop, poll))
            .map_err(|e| io::Error::new(e.kind(), format!("cannot start a CSV writer: {e}")))?;
        Ok(Self {
            to_thread: Some(to_thread),
            thread: Some(thread),
            pending,
            spikes_per_batch: if hold { SPIKES_HELD } else { SPIKES_PER_BATCH },
            wake_on_hand_over: hold,
            width,
            held_rows: Vec::new(),
            held_formatted: 0,
            held_spike_rows: SpikeRows::default(),
            given_up,
            stream_name,
            label,
        })
    }

    /// Wakes the thread to look for batches now.
    fn wake(&self) {
        if let Some(thread) = &self.thread {
            thread.thread().unpark();
        }
    }

    /// Adds a step's spikes.
    pub fn push_spikes(&mut self, spikes: &[Spike]) -> io::Result<()> {
        let Batch::Spikes(batch) = &mut self.pending else {
            unreachable!("spikes go to a spikes output");
        };
        batch.extend_from_slice(spikes);
        if batch.len() >= self.spikes_per_batch {
            return self.hand_over();
        }
        Ok(())
    }

    /// Adds a trace row: the time, then the values.
    pub fn push_row(&mut self, t_s: f64, values: &[f64]) -> io::Result<()> {
        debug_assert_eq!(values.len() + 1, self.width);
        let Batch::Rows(batch) = &mut self.pending else {
            unreachable!("rows go to a traces output");
        };
        batch.push(t_s);
        batch.extend_from_slice(values);
        if batch.len() >= VALUES_PER_BATCH {
            return self.hand_over();
        }
        Ok(())
    }

    /// Formats the next held spike not yet formatted, if there is one:
    /// whether there was. Called while a step waits for its other thread
    /// (`Monitor::while_waiting`), a row at a time, it does there what the
    /// end of the run would do otherwise.
    pub fn format_a_held_spike(&mut self) -> bool {
        // Spikes handed over as they come are formatted by the thread, on a
        // core of its own.
        let (true, Batch::Spikes(spikes)) = (self.wake_on_hand_over, &self.pending) else {
            return false;
        };
        let Some(spike) = spikes.get(self.held_formatted) else {
            return false;
        };
        match self.held_rows.last_mut() {
            Some(piece) if piece.len() < HELD_ROWS_PIECE => {
                self.held_spike_rows.push(piece, spike);
            }
            _ => {
                // Room for the row that fills it (at most 46 bytes: a
                // 20-digit neuron, a comma, a 24-character time, a newline).
                let mut piece = Vec::with_capacity(HELD_ROWS_PIECE + 64);
                self.held_spike_rows.push(&mut piece, spike);
                self.held_rows.push(piece);
            }
        }
        self.held_formatted += 1;
        true
    }

    /// Sends the pending batch, the rows of its spikes already formatted
    /// as rows; when the thread has stopped, its error.
    fn hand_over(&mut self) -> io::Result<()> {
        if self.held_formatted > 0
            && let Batch::Spikes(spikes) = &mut self.pending
        {
            let rest = spikes.split_off(self.held_formatted);
            self.send_held_rows()?;
            self.pending = Batch::Spikes(rest);
        }
        self.send_pending()
    }

    /// Sends the held spikes' rows formatted so far.
    fn send_held_rows(&mut self) -> io::Result<()> {
        self.held_formatted = 0;
        self.pending = Batch::Pieces(std::mem::take(&mut self.held_rows));
        self.send_pending()
    }

    /// Sends the pending batch; when the thread has stopped, its error.
    fn send_pending(&mut self) -> io::Result<()> {
        let empty = match self.pending {
            Batch::Spikes(_) | Batch::Formatted(_) | Batch::Pieces(_) => {
                Batch::Spikes(Vec::with_capacity(SPIKES_PER_BATCH))
            }
            Batch::Rows(_) => Batch::Rows(Vec::with_capacity(VALUES_PER_BATCH + self.width)),
        };
        let batch = std::mem::replace(&mut self.pending, empty);
        let sent = match &self.to_thread {
            Some(tx) => tx.send(batch).is_ok(),
            None => false,
        };
        if sent {
            if self.wake_on_hand_over {
                self.wake();
            }
            return Ok(());
        }
        // The thread stopped on an error: it has dropped its end.
        Err(self.stopped())
    }

    /// Hands `spikes` over if the thread has room for them now; else gives
    /// them back. When the thread has stopped, its error.
    fn offer_spikes(&mut self, spikes: Vec<Spike>) -> io::Result<Option<Vec<Spike>>> {
        let Some(tx) = &self.to_thread else {
            return Err(self.stopped());
        };
        match tx.try_send(Batch::Spikes(spikes)) {
            Ok(()) => {
                if self.wake_on_hand_over {
                    self.wake();
                }
                Ok(None)
            }
            Err(TrySendError::Full(Batch::Spikes(spikes))) => Ok(Some(spikes)),
            Err(TrySendError::Full(_)) => unreachable!("what was sent comes back"),
            Err(TrySendError::Disconnected(_)) => Err(self.stopped()),
        }
    }

    /// The error of a thread that stopped on one (it has dropped its end
    /// of the channel).
    fn stopped(&mut self) -> io::Error {
        self.to_thread = None;
        match self.join() {
            Err(e) => e,
            Ok(_) => io::Error::other("the CSV writer stopped early"),
        }
    }

    /// The thread's end: the sink, or its error with the output named
    /// (`a.csv: No space left on device`), of the same kind.
    fn join(&mut self) -> io::Result<Sink> {
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => {
                result.map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.label)))
            }
            Some(Err(_)) => Err(io::Error::other("the CSV writer failed")),
            None => Err(io::Error::other("the CSV writer has already stopped")),
        }
    }

    /// Writes what is pending, waits for the thread and returns the sink,
    /// flushed, to be put in place.
    pub fn finish(mut self) -> io::Result<Sink> {
        // Many spikes left (held while the simulation took every core):
        // in chunks, each handed to the thread where it has room for it,
        // else (it is still formatting or writing the ones before) formatted
        // here and handed over as rows, so that the caller formats while it
        // would otherwise wait, and the two share the work as it comes: the
        // thread also writes every chunk. (Every other chunk formatted here,
        // as until 2026-12-06, left the thread the larger share: at N =
        // 10,000 its 400,000 spikes took 12 to 15 ms, 5 to 8 of them the
        // caller waiting.) Chunks rather than halves: buffers of megabytes
        // cost as much to map and free as the formatting they would share.
        // The rows formatted in the simulation's waits go first.
        if let Batch::Spikes(spikes) = &mut self.pending
            && (self.held_formatted > 0 || spikes.len() >= SPIKES_SHARED_FROM)
        {
            let held = std::mem::take(spikes);
            let rest = &held[self.held_formatted..];
            if self.held_formatted > 0 {
                self.send_held_rows()?;
            }
            if rest.len() < SPIKES_SHARED_FROM {
                self.pending = Batch::Spikes(rest.to_vec());
            } else {
                self.share_formatting(rest)?;
            }
        }
        if !self.pending.is_empty() {
            self.hand_over()?;
        }
        self.to_thread = None;
        self.wake();
        self.join()
    }

    /// Many held spikes formatted at the end by the thread and here, a
    /// chunk at a time (see `finish`).
    fn share_formatting(&mut self, spikes: &[Spike]) -> io::Result<()> {
        for chunk in spikes.chunks(SPIKES_PER_SHARED_CHUNK) {
            let Some(chunk) = self.offer_spikes(chunk.to_vec())? else {
                continue;
            };
            let mut rows = Vec::with_capacity(chunk.len() * 32);
            let mut spike_rows = SpikeRows::default();
            for s in &chunk {
                spike_rows.push(&mut rows, s);
            }
            self.pending = Batch::Formatted(rows);
            self.send_pending()?;
        }
        Ok(())
    }

    /// Whether the output goes to a stream (`Sink::stream_name`).
    pub fn is_stream(&self) -> bool {
        self.stream_name.is_some()
    }

    /// A run that stops early (an unstable state, a signal): a stream gets
    /// what is pending, so it ends on the last row the run made (what it
    /// wrote cannot be taken back, and what led up to the stop is what a
    /// reader wants to see); a file is given up. Returns the stream's name
    /// where it is one and all of it was written.
    pub fn stop_early(self) -> Option<String> {
        let name = self.stream_name.clone()?;
        self.finish().ok().map(|_| name)
    }
}

impl Drop for CsvThread {
    /// An output not finished is given up: the thread stops at its next
    /// batch and drops the sink (a temporary file is removed) before the
    /// run goes on.
    fn drop(&mut self) {
        self.given_up.store(true, Ordering::Relaxed);
        self.to_thread = None;
        self.wake();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: the header, then every batch as it comes, until the run's
/// end closes the channel. Where no batch is there it sleeps, `poll` long
/// or until woken, rather than waiting on the channel: a batch sent to a
/// thread waiting there wakes it through the sender, and the kernel put the
/// woken thread on the sender's core (`perf sched` on a 2-vCPU virtual
/// machine, the other core idle), where each batch stopped the simulation.
/// Woken by its own timer, the thread stays on its own core: a grid-timing
/// run at N = 1,000 with its spikes file took 0.97 of its time, an exact
/// one 0.98 (61 and 41 interleaved runs).
fn write_batches(
    mut sink: Sink,
    header: &[String],
    batches: &Receiver<Batch>,
    given_up: &AtomicBool,
    poll: Option<Duration>,
) -> io::Result<Sink> {
    {
        let mut csv = CsvWriter::new(sink.writer()?, header)?;
        loop {
            let batch = match batches.try_recv() {
                Ok(batch) => batch,
                Err(TryRecvError::Empty) => {
                    match poll {
                        Some(poll) => thread::park_timeout(poll),
                        None => thread::park(),
                    }
                    continue;
                }
                Err(TryRecvError::Disconnected) => break,
            };
            if given_up.load(Ordering::Relaxed) {
                return Err(io::Error::other("output given up"));
            }
            match batch {
                Batch::Spikes(spikes) => csv.spike_rows(&spikes)?,
                Batch::Rows(values) => {
                    for row in values.chunks_exact(header.len()) {
                        csv.row(row.iter().copied())?;
                    }
                }
                Batch::Formatted(rows) => csv.formatted_rows(&rows)?,
                Batch::Pieces(pieces) => {
                    for rows in pieces {
                        csv.formatted_rows(&rows)?;
                    }
                }
            }
        }
        csv.finish()?;
    }
    Ok(sink)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spikes(n: usize) -> Vec<Spike> {
        (0..n)
            .map(|k| Spike {
                neuron: k % 7,
                time_s: k as f64 * 1e-4 + 1.0 / 3.0,
            })
            .collect()
    }

    /// The file holds what a writer on the run's own thread would write,
    /// across batch boundaries: spikes handed over as they come, or held
    /// (the end shared between the thread and the caller, and beyond
    /// `SPIKES_HELD` a held batch handed over mid-run), some of them or
    /// all formatted in the simulation's waits after some steps (as many
    /// rows as `formatted_per_step` says, in turn), and trace rows.
    #[test]
    fn batches_write_what_one_writer_writes() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (false, 3 * SPIKES_PER_BATCH + 5, &[0][..]),
            (false, 3 * SPIKES_PER_BATCH + 5, &[0, 2, 1]),
            (true, 3 * SPIKES_PER_BATCH + 5, &[0]),
            (true, 3 * SPIKES_PER_BATCH + 5, &[5]),
            (true, 3 * SPIKES_PER_BATCH + 5, &[0, 2]),
            (true, 3 * SPIKES_SHARED_FROM + 5, &[0]),
            (true, 3 * SPIKES_SHARED_FROM + 5, &[1]),
            (true, 3 * SPIKES_SHARED_FROM + 5, &[2, 0, 1]),
            (true, SPIKES_HELD + 3 * SPIKES_SHARED_FROM + 5, &[0]),
            (true, SPIKES_HELD + 3 * SPIKES_SHARED_FROM + 5, &[1]),
            (true, SPIKES_HELD + 3 * SPIKES_SHARED_FROM + 5, &[3]),
        ];
        for (hold, count, formatted_per_step) in cases {
            let spike_path = dir.path().join("s.csv");
            let all = spikes(count);
            let sink = Sink::open(spike_path.to_str().unwrap()).unwrap();
            let mut out = CsvThread::spikes(sink, hold).unwrap();
            for (step, rows) in all.chunks(3).zip(formatted_per_step.iter().cycle()) {
                out.push_spikes(step).unwrap();
                for _ in 0..*rows {
                    // Spikes handed over as they come are the thread's.
                    let formatted = out.format_a_held_spike();
                    assert!(hold || !formatted);
                }
            }
            out.finish().unwrap().commit().unwrap();
            let mut expected =
                CsvWriter::new(Vec::new(), &["neuron".into(), "time_s".into()]).unwrap();
            expected.spike_rows(&all).unwrap();
            assert!(
                std::fs::read(&spike_path).unwrap() == expected.finish().unwrap(),
                "hold {hold}, {count} spikes, {formatted_per_step:?} formatted a step"
            );
        }
        let row_path = dir.path().join("r.csv");
        let header = vec!["time_s".to_string(), "a".into(), "b".into()];
        let rows: Vec<[f64; 3]> = (0..VALUES_PER_BATCH)
            .map(|k| [k as f64 * 0.1, (k as f64).sqrt(), -1.0 / (k as f64 + 1.0)])
            .collect();
        let sink = Sink::open(row_path.to_str().unwrap()).unwrap();
        let mut out = CsvThread::traces(sink, header.clone()).unwrap();
        for r in &rows {
            out.push_row(r[0], &r[1..]).unwrap();
        }
        out.finish().unwrap().commit().unwrap();
        let mut expected = CsvWriter::new(Vec::new(), &header).unwrap();
        rows.iter()
            .for_each(|r| expected.row(r.iter().copied()).unwrap());
        assert_eq!(
            std::fs::read(&row_path).unwrap(),
            expected.finish().unwrap()
        );
    }

    /// A write that fails on the thread is the run's error, at the next
    /// batch or at the end (where held spikes are written), naming the
    /// output.
    #[test]
    fn a_failed_write_reaches_the_run() {
        if !std::path::Path::new("/dev/full").exists() {
            return;
        }
        for hold in [false, true] {
            let mut out = CsvThread::spikes(Sink::open("/dev/full").unwrap(), hold).unwrap();
            let all = spikes(40 * SPIKES_PER_BATCH);
            let failed = all
                .chunks(SPIKES_PER_BATCH)
                .map(|b| out.push_spikes(b))
                .find_map(Result::err)
                .or_else(|| out.finish().err())
                .expect("writing to /dev/full fails");
            // ENOSPC, with the output named.
            assert_eq!(failed.kind(), std::io::ErrorKind::StorageFull, "{failed}");
            assert_eq!(
                failed.to_string(),
                "/dev/full: No space left on device (os error 28)"
            );
        }
    }

    /// An output given up leaves no temporary file once it is dropped,
    /// held spikes or not.
    #[test]
    fn an_output_given_up_leaves_nothing() {
        for hold in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("s.csv");
            let sink = Sink::open(target.to_str().unwrap()).unwrap();
            let mut out = CsvThread::spikes(sink, hold).unwrap();
            out.push_spikes(&spikes(2 * SPIKES_PER_BATCH)).unwrap();
            drop(out);
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
