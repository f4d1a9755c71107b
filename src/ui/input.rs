//! Keys from the terminal, read by a thread of our own.
//!
//! crossterm 0.29's event reader has two faults that matter over SSH (see
//! ../shared/design/ecosystem.md): it reads the terminal in 1 KiB chunks under
//! edge-triggered epoll and returns an event before draining the rest, so a
//! burst of thousands of keys stalls until the next key press; and when the
//! terminal vanishes its read loop spins at 100% CPU on end-of-file. Here a
//! thread does plain blocking reads of standard input (every byte is read,
//! end-of-file or an error ends the stream), and `StdinEvents` parses the keys
//! this program uses into crossterm `KeyEvent`s; SIGWINCH becomes a resize
//! event. A lone Esc at the end of a read may be the start of a sequence cut
//! by the read: it waits `ESC_WAIT` for the rest before it counts as Esc.
//!
//! ```text
//! stdin --read thread--> bytes --channel--> parse_keys --> App::on_key
//! SIGWINCH --signal thread--> Event::Resize --^
//! ```

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How long a lone Esc waits for the rest of an escape sequence.
const ESC_WAIT: Duration = Duration::from_millis(25);

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::EventSource;

/// Parses the bytes of key presses. `pending` holds an incomplete escape
/// sequence or UTF-8 character from the previous read (a lone trailing Esc
/// too: `flush_escape` decides it); complete keys are appended to `out`.
/// Unknown escape sequences are dropped whole.
pub fn parse_keys(bytes: &[u8], pending: &mut Vec<u8>, out: &mut Vec<KeyEvent>) {
    pending.extend_from_slice(bytes);
    let buf = std::mem::take(pending);
    let mut i = 0;
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    while i < buf.len() {
        let b = buf[i];
        match b {
            0x1b => {
                let rest = &buf[i + 1..];
                if rest.is_empty() {
                    *pending = vec![0x1b];
                    return;
                }
                match rest[0] {
                    b'[' | b'O' => {
                        // CSI / SS3: parameters, then a final byte 0x40..=0x7e.
                        let body = &rest[1..];
                        match body.iter().position(|c| (0x40..=0x7e).contains(c)) {
                            None if body.len() < 16 => {
                                *pending = buf[i..].to_vec();
                                return;
                            }
                            None => i += 2 + body.len(),
                            Some(end) => {
                                let code = match (body[end], &body[..end]) {
                                    (b'A', _) => Some(KeyCode::Up),
                                    (b'B', _) => Some(KeyCode::Down),
                                    (b'C', _) => Some(KeyCode::Right),
                                    (b'D', _) => Some(KeyCode::Left),
                                    (b'H', _) => Some(KeyCode::Home),
                                    (b'F', _) => Some(KeyCode::End),
                                    (b'Z', _) => Some(KeyCode::BackTab),
                                    (b'~', b"3") => Some(KeyCode::Delete),
                                    _ => None,
                                };
                                if let Some(c) = code {
                                    out.push(key(c));
                                }
                                i += 2 + end + 1;
                            }
                        }
                    }
                    // Alt + key: the key itself.
                    _ => i += 1,
                }
            }
            b'\r' | b'\n' => {
                out.push(key(KeyCode::Enter));
                i += 1;
            }
            b'\t' => {
                out.push(key(KeyCode::Tab));
                i += 1;
            }
            0x7f | 0x08 => {
                out.push(key(KeyCode::Backspace));
                i += 1;
            }
            0x01..=0x1a => {
                let c = (b - 1 + b'a') as char;
                out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
                i += 1;
            }
            _ => {
                let len = match b {
                    0x00..=0x7f => 1,
                    0xc0..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf7 => 4,
                    _ => {
                        i += 1;
                        continue;
                    }
                };
                if i + len > buf.len() {
                    *pending = buf[i..].to_vec();
                    return;
                }
                if let Some(c) = std::str::from_utf8(&buf[i..i + len])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .filter(|&c| c != '\0')
                {
                    out.push(key(KeyCode::Char(c)));
                }
                i += len;
            }
        }
    }
}

/// A lone Esc left pending becomes the Esc key (no sequence followed it).
pub fn flush_escape(pending: &mut Vec<u8>, out: &mut Vec<KeyEvent>) {
    if pending.as_slice() == [0x1b] {
        pending.clear();
        out.push(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    }
}

/// What the reader and signal threads send.
enum Input {
    Bytes(Vec<u8>),
    Resize(u16, u16),
}

/// Events from the reader and signal threads.
pub struct StdinEvents {
    rx: Receiver<Input>,
    pending: Vec<u8>,
    queue: VecDeque<Event>,
    keys: Vec<KeyEvent>,
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
            pending: Vec::new(),
            queue: VecDeque::new(),
            keys: Vec::new(),
        }
    }

    /// Parses a message into the queue; a lone Esc waits for what follows.
    fn take(&mut self, input: Input) {
        match input {
            Input::Resize(w, h) => self.queue.push_back(Event::Resize(w, h)),
            Input::Bytes(b) => {
                self.keys.clear();
                parse_keys(&b, &mut self.pending, &mut self.keys);
                if self.pending.as_slice() == [0x1b] {
                    match self.rx.recv_timeout(ESC_WAIT) {
                        Ok(Input::Bytes(more)) => {
                            parse_keys(&more, &mut self.pending, &mut self.keys)
                        }
                        Ok(Input::Resize(w, h)) => {
                            flush_escape(&mut self.pending, &mut self.keys);
                            self.queue.extend(self.keys.drain(..).map(Event::Key));
                            self.queue.push_back(Event::Resize(w, h));
                        }
                        Err(_) => {}
                    }
                    flush_escape(&mut self.pending, &mut self.keys);
                }
                self.queue.extend(self.keys.drain(..).map(Event::Key));
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

    fn codes(bytes: &[u8]) -> Vec<(KeyCode, KeyModifiers)> {
        let mut pending = Vec::new();
        let mut out = Vec::new();
        parse_keys(bytes, &mut pending, &mut out);
        flush_escape(&mut pending, &mut out);
        assert!(pending.is_empty());
        out.into_iter().map(|k| (k.code, k.modifiers)).collect()
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
        assert_eq!(codes("µ".as_bytes()), vec![(KeyCode::Char('µ'), none)]);
        assert_eq!(codes(b"\x1b[1;5A"), vec![(KeyCode::Up, none)]);
        assert_eq!(codes(b"\x1b[200~"), vec![]);
    }

    #[test]
    fn sequences_split_across_reads_are_joined() {
        let mut pending = Vec::new();
        let mut out = Vec::new();
        parse_keys(b"k\x1b[", &mut pending, &mut out);
        assert_eq!(out.len(), 1);
        parse_keys(b"Aj\xc2", &mut pending, &mut out);
        parse_keys(b"\xb5", &mut pending, &mut out);
        let got: Vec<KeyCode> = out.iter().map(|k| k.code).collect();
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
        let mut pending = Vec::new();
        let mut out = Vec::new();
        for chunk in burst.chunks(1000) {
            parse_keys(chunk, &mut pending, &mut out);
        }
        assert_eq!(out.len(), 3000);
        assert!(pending.is_empty());
    }
}
