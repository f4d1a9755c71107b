//! Keys from the terminal, read by a thread of our own.
//!
//! crossterm 0.29's event reader has two faults that matter over SSH (the
//! project's design notes on the ecosystem say more): it reads the terminal
//! in 1 KiB chunks under edge-triggered epoll and returns an event before
//! draining the rest, so a burst of thousands of keys stalls until the next
//! key press; and when the terminal vanishes its read loop spins at 100% CPU
//! on end-of-file. Here a thread does plain blocking reads of standard input
//! (every byte is read, end-of-file or an error ends the stream), and
//! `KeyParser` parses the keys this program uses into crossterm `KeyEvent`s;
//! SIGWINCH becomes a resize event. A lone Esc at the end of a read may be
//! the start of a sequence cut by the read: it waits `ESC_WAIT` for the rest
//! before it counts as Esc; Esc before any other key is Esc, then that key.
//! A paste arrives bracketed (the terminal is asked for it: `ESC [ 200 ~`
//! ... `ESC [ 201 ~`) and becomes one `Event::Paste`, never keystrokes.
//!
//! ```text
//! stdin --read thread--> bytes --channel--> KeyParser --> App::on_key / on_paste
//! SIGWINCH --signal thread--> Event::Resize --^
//! ```

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::EventSource;

/// How long a lone Esc waits for the rest of an escape sequence.
const ESC_WAIT: Duration = Duration::from_millis(25);
/// The end of a bracketed paste, and the most of one kept (the rest of a
/// larger paste is read and dropped).
const PASTE_END: &[u8] = b"\x1b[201~";
const PASTE_MAX: usize = 1 << 16;

/// Parses the bytes from the terminal into key presses and pastes,
/// keeping what a read cut off for the next.
#[derive(Debug, Default)]
pub struct KeyParser {
    /// An incomplete escape sequence or UTF-8 character from the previous
    /// read (a lone trailing Esc too: `flush_escape` decides it).
    pending: Vec<u8>,
    /// Inside a bracketed paste: what it held so far.
    paste: Option<Vec<u8>>,
}

impl KeyParser {
    /// Appends the complete keys and pastes of `bytes` to `out`. Unknown
    /// escape sequences are dropped whole.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Event>) {
        self.pending.extend_from_slice(bytes);
        let buf = std::mem::take(&mut self.pending);
        let mut i = 0;
        while i < buf.len() {
            if self.paste.is_some() {
                i += self.take_paste(&buf[i..], out);
                continue;
            }
            match self.key_at(&buf[i..], out) {
                Some(used) => i += used,
                None => {
                    self.pending = buf[i..].to_vec();
                    return;
                }
            }
        }
    }

    /// Whether a lone Esc waits for what may follow it.
    pub fn waits_after_esc(&self) -> bool {
        self.pending.as_slice() == [0x1b]
    }

    /// A lone Esc left pending becomes the Esc key (no sequence followed it).
    pub fn flush_escape(&mut self, out: &mut Vec<Event>) {
        if self.waits_after_esc() {
            self.pending.clear();
            out.push(key(KeyCode::Esc));
        }
    }

    /// Paste bytes up to its end marker; returns how many were used. A
    /// marker cut by the read waits in `pending`.
    fn take_paste(&mut self, buf: &[u8], out: &mut Vec<Event>) -> usize {
        let end = buf.windows(PASTE_END.len()).position(|w| w == PASTE_END);
        let (body, used) = match end {
            Some(k) => (&buf[..k], k + PASTE_END.len()),
            None => {
                // Keep a tail that may be the start of the marker.
                let keep = (1..PASTE_END.len())
                    .rev()
                    .find(|&k| buf.len() >= k && PASTE_END.starts_with(&buf[buf.len() - k..]))
                    .unwrap_or(0);
                self.pending = buf[buf.len() - keep..].to_vec();
                (&buf[..buf.len() - keep], buf.len())
            }
        };
        let paste = self.paste.as_mut().expect("inside a paste");
        let room = PASTE_MAX.saturating_sub(paste.len());
        paste.extend_from_slice(&body[..body.len().min(room)]);
        if end.is_some() {
            let text = String::from_utf8_lossy(paste).into_owned();
            self.paste = None;
            out.push(Event::Paste(text));
        }
        used
    }

    /// The key at the start of `buf` into `out`; how many bytes it took, or
    /// None if `buf` ends inside it.
    fn key_at(&mut self, buf: &[u8], out: &mut Vec<Event>) -> Option<usize> {
        let b = buf[0];
        match b {
            0x1b => self.escape(&buf[1..], out),
            b'\r' | b'\n' => {
                out.push(key(KeyCode::Enter));
                Some(1)
            }
            b'\t' => {
                out.push(key(KeyCode::Tab));
                Some(1)
            }
            0x7f | 0x08 => {
                out.push(key(KeyCode::Backspace));
                Some(1)
            }
            0x01..=0x1a => {
                let c = (b - 1 + b'a') as char;
                let ctrl = KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
                out.push(Event::Key(ctrl));
                Some(1)
            }
            _ => {
                let len = match b {
                    0x00..=0x7f => 1,
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf7 => 4,
                    _ => return Some(1),
                };
                if len > buf.len() {
                    return None;
                }
                if let Some(c) = std::str::from_utf8(&buf[..len])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .filter(|&c| c != '\0')
                {
                    out.push(key(KeyCode::Char(c)));
                }
                Some(len)
            }
        }
    }

    /// An escape sequence after its Esc (`rest`): the key it names, the
    /// start of a paste, or nothing for one this program does not use.
    fn escape(&mut self, rest: &[u8], out: &mut Vec<Event>) -> Option<usize> {
        let first = *rest.first()?;
        if first == 0x7f || first == 0x08 {
            // Alt+Backspace: the last word, as a shell's line editor
            // deletes it (Ctrl-W here), rather than Esc cancelling the
            // field being typed in.
            out.push(Event::Key(KeyEvent::new(
                KeyCode::Char('w'),
                KeyModifiers::CONTROL,
            )));
            return Some(2);
        }
        if first != b'[' && first != b'O' {
            // Esc and the key after it in one read: a terminal's Alt+key,
            // or an Esc typed just before a key when both reach the program
            // together (over SSH, one packet). No binding uses Alt, so it is
            // the two keys it is written as: Esc, then the key (dropping the
            // Esc typed `Esc q` into an open entry as `q`).
            out.push(key(KeyCode::Esc));
            return Some(1);
        }
        // CSI / SS3: parameters, then a final byte 0x40..=0x7e.
        let body = &rest[1..];
        let Some(end) = body.iter().position(|c| (0x40..=0x7e).contains(c)) else {
            return (body.len() >= 16).then_some(2 + body.len());
        };
        // `ESC [ n ~` keys by their number, a modifier after `;` aside as
        // for the arrows: Home and End are 1 and 4 in tmux, screen and the
        // Linux console (7 and 8 in rxvt), where xterm sends `H` and `F`;
        // PageUp and PageDown 5 and 6 everywhere.
        let number = body[..end].split(|&c| c == b';').next().unwrap_or(&[]);
        let code = match (body[end], number) {
            (b'A', _) => Some(KeyCode::Up),
            (b'B', _) => Some(KeyCode::Down),
            (b'C', _) => Some(KeyCode::Right),
            (b'D', _) => Some(KeyCode::Left),
            (b'H', _) | (b'~', b"1" | b"7") => Some(KeyCode::Home),
            (b'F', _) | (b'~', b"4" | b"8") => Some(KeyCode::End),
            (b'Z', _) => Some(KeyCode::BackTab),
            (b'~', b"3") => Some(KeyCode::Delete),
            (b'~', b"5") => Some(KeyCode::PageUp),
            (b'~', b"6") => Some(KeyCode::PageDown),
            (b'~', b"200") => {
                self.paste = Some(Vec::new());
                None
            }
            _ => None,
        };
        if let Some(c) = code {
            out.push(key(c));
        }
        Some(2 + end + 1)
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// What the reader and signal threads send.
enum Input {
    Bytes(Vec<u8>),
    Resize(u16, u16),
}

/// Events from the reader and signal threads.
pub struct StdinEvents {
    rx: Receiver<Input>,
    parser: KeyParser,
    queue: VecDeque<Event>,
    events: Vec<Event>,
}

impl StdinEvents {
    /// Starts the threads. The stream ends (an error from `next`) when
    /// standard input reaches its end or fails: the terminal is gone.
    pub fn start() -> Self {
        let (tx, rx) = mpsc::channel();
        let keys = tx.clone();
        std::thread::spawn(move || read_bytes(keys));
        spawn_resize_watcher(tx);
        Self {
            rx,
            parser: KeyParser::default(),
            queue: VecDeque::new(),
            events: Vec::new(),
        }
    }

    /// Parses a message into the queue; a lone Esc waits for what follows.
    fn take(&mut self, input: Input) {
        match input {
            Input::Resize(w, h) => self.queue.push_back(Event::Resize(w, h)),
            Input::Bytes(b) => {
                self.events.clear();
                self.parser.feed(&b, &mut self.events);
                if self.parser.waits_after_esc() {
                    match self.rx.recv_timeout(ESC_WAIT) {
                        Ok(Input::Bytes(more)) => self.parser.feed(&more, &mut self.events),
                        Ok(Input::Resize(w, h)) => {
                            self.parser.flush_escape(&mut self.events);
                            self.queue.extend(self.events.drain(..));
                            self.queue.push_back(Event::Resize(w, h));
                        }
                        Err(_) => {}
                    }
                    self.parser.flush_escape(&mut self.events);
                }
                self.queue.extend(self.events.drain(..));
            }
        }
    }
}

fn read_bytes(tx: Sender<Input>) {
    let mut stdin = io::stdin().lock();
    let mut buf = [0u8; 4096];
    loop {
        match stdin.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if tx.send(Input::Bytes(buf[..n].to_vec())).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

fn spawn_resize_watcher(tx: Sender<Input>) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])
    else {
        return;
    };
    std::thread::spawn(move || {
        for _ in signals.forever() {
            let Ok((w, h)) = crossterm::terminal::size() else {
                continue;
            };
            if tx.send(Input::Resize(w, h)).is_err() {
                return;
            }
        }
    });
}

impl EventSource for StdinEvents {
    fn next(&mut self, timeout: Option<Duration>) -> io::Result<Option<Event>> {
        let gone = || io::Error::new(io::ErrorKind::UnexpectedEof, "the terminal is gone");
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Ok(Some(e));
            }
            let input = match timeout {
                None => self.rx.recv().map_err(|_| gone())?,
                Some(t) => match self.rx.recv_timeout(t) {
                    Ok(i) => i,
                    Err(RecvTimeoutError::Timeout) => return Ok(None),
                    Err(RecvTimeoutError::Disconnected) => return Err(gone()),
                },
            };
            self.take(input);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(reads: &[&[u8]]) -> Vec<Event> {
        let mut parser = KeyParser::default();
        let mut out = Vec::new();
        for bytes in reads {
            parser.feed(bytes, &mut out);
        }
        parser.flush_escape(&mut out);
        assert!(parser.pending.is_empty() && parser.paste.is_none());
        out
    }

    fn codes(bytes: &[u8]) -> Vec<(KeyCode, KeyModifiers)> {
        events(&[bytes])
            .into_iter()
            .map(|e| match e {
                Event::Key(k) => (k.code, k.modifiers),
                other => panic!("not a key: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn keys_of_the_key_map() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            codes(b"q \x1b[A\x1b[B\x1bOC\x1b[D\t\x1b[Z\r\x7f\x03"),
            vec![
                (KeyCode::Char('q'), none),
                (KeyCode::Char(' '), none),
                (KeyCode::Up, none),
                (KeyCode::Down, none),
                (KeyCode::Right, none),
                (KeyCode::Left, none),
                (KeyCode::Tab, none),
                (KeyCode::BackTab, none),
                (KeyCode::Enter, none),
                (KeyCode::Backspace, none),
                (KeyCode::Char('c'), KeyModifiers::CONTROL),
            ]
        );
        assert_eq!(codes(b"\x1b"), vec![(KeyCode::Esc, none)]);
        // Esc and a key in one read (Alt+key, or both in one packet over
        // SSH) are the two keys: `Esc q` closed nothing and typed `q`.
        // Alt+Backspace deletes the last word, as Ctrl-W.
        assert_eq!(
            codes(b"\x1bq\x1b\x1b[A\x1b\x7f\x1b\x08"),
            vec![
                (KeyCode::Esc, none),
                (KeyCode::Char('q'), none),
                (KeyCode::Esc, none),
                (KeyCode::Up, none),
                (KeyCode::Char('w'), KeyModifiers::CONTROL),
                (KeyCode::Char('w'), KeyModifiers::CONTROL),
            ]
        );
        assert_eq!(codes("µ".as_bytes()), vec![(KeyCode::Char('µ'), none)]);
        assert_eq!(codes(b"\x1b[1;5A"), vec![(KeyCode::Up, none)]);
        // Home, End, PageUp and PageDown as xterm, tmux and rxvt send them
        // (tmux's Home and End, and every PageUp and PageDown, were dropped).
        let keys = |k: &[KeyCode]| k.iter().map(|&c| (c, none)).collect::<Vec<_>>();
        assert_eq!(
            codes(b"\x1b[H\x1b[F\x1bOH\x1bOF\x1b[1~\x1b[4~\x1b[7~\x1b[8~"),
            keys(&[KeyCode::Home, KeyCode::End].repeat(4))
        );
        assert_eq!(
            codes(b"\x1b[5~\x1b[6~\x1b[5;5~\x1b[3~"),
            keys(&[
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::PageUp,
                KeyCode::Delete
            ])
        );
    }

    #[test]
    fn sequences_split_across_reads_are_joined() {
        let got: Vec<KeyCode> = events(&[b"k\x1b[", b"Aj\xc2", b"\xb5"])
            .into_iter()
            .map(|e| match e {
                Event::Key(k) => k.code,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            got,
            vec![
                KeyCode::Char('k'),
                KeyCode::Up,
                KeyCode::Char('j'),
                KeyCode::Char('µ')
            ]
        );
    }

    #[test]
    fn a_burst_of_thousands_of_keys_is_all_parsed() {
        let burst: Vec<u8> = b"\x1b[A".repeat(3000);
        let chunks: Vec<&[u8]> = burst.chunks(1000).collect();
        assert_eq!(events(&chunks).len(), 3000);
    }

    /// A bracketed paste is one event with its text, whatever keys it
    /// holds (q, o, e, Enter...), even cut across reads, its end marker
    /// too; keys after it are keys again.
    #[test]
    fn a_paste_is_one_event_not_keystrokes() {
        let got = events(&[b"a\x1b[200~qoe\r/tmp/x", b"\x1b[20", b"1~b"]);
        assert_eq!(
            got,
            vec![
                key(KeyCode::Char('a')),
                Event::Paste("qoe\r/tmp/x".to_string()),
                key(KeyCode::Char('b')),
            ]
        );
        // A huge paste keeps its first PASTE_MAX bytes.
        let mut big = b"\x1b[200~".to_vec();
        big.extend(std::iter::repeat_n(b'x', 200_000));
        big.extend_from_slice(PASTE_END);
        let chunks: Vec<&[u8]> = big.chunks(4096).collect();
        match &events(&chunks)[..] {
            [Event::Paste(t)] => assert_eq!(t.len(), PASTE_MAX),
            other => panic!("{} events", other.len()),
        }
    }
}
