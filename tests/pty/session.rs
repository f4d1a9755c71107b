//! The binary in a pseudo-terminal, its screen read through a vt100 parser:
//! a session that is started, sent keys, waited on, and read.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Session {
    pub parser: vt100::Parser,
    rx: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

/// The binary started in a new 80x24 pseudo-terminal (TERM xterm-256color,
/// a UTF-8 locale, then `env`): its master side and the child.
pub fn spawn(
    args: &[&str],
    env: &[(&str, &str)],
) -> (
    Box<dyn portable_pty::MasterPty + Send>,
    Box<dyn portable_pty::Child + Send + Sync>,
) {
    spawn_program(env!("CARGO_BIN_EXE_spikescope"), args, env)
}

/// `program` started as `spawn` starts the binary.
pub fn spawn_program(
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> (
    Box<dyn portable_pty::MasterPty + Send>,
    Box<dyn portable_pty::Child + Send + Sync>,
) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(program);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    // LC_ALL, where the tests' environment sets it, would outrank LANG.
    cmd.env_remove("LC_ALL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    (pair.master, child)
}

impl Session {
    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::on(spawn(args, env))
    }

    pub fn on(
        (master, child): (
            Box<dyn portable_pty::MasterPty + Send>,
            Box<dyn portable_pty::Child + Send + Sync>,
        ),
    ) -> Self {
        let mut reader = master.try_clone_reader().unwrap();
        let writer = master.take_writer().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Self {
            parser: vt100::Parser::new(24, 80, 0),
            rx,
            writer,
            child,
            master,
        }
    }

    pub fn pump(&mut self, wait: Duration) {
        if let Ok(bytes) = self.rx.recv_timeout(wait) {
            self.parser.process(&bytes);
        }
        while let Ok(bytes) = self.rx.try_recv() {
            self.parser.process(&bytes);
        }
    }

    /// Everything the process wrote, up to where the reader stops (the
    /// terminal's other end closed) or `deadline`: a fixed wait after the
    /// exit could miss the last write on a loaded machine (the restore's
    /// cursor, written after the main screen).
    fn drain(&mut self, deadline: Instant) {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(bytes) => self.parser.process(&bytes),
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    panic!("the output did not end:\n{}", self.screen())
                }
            }
        }
    }

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits (up to 10 s) until the screen shows `text`.
    pub fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
            if self.screen().contains(text) {
                return;
            }
        }
        panic!("the screen never showed {text:?}:\n{}", self.screen());
    }

    /// Waits (up to 10 s) until the screen no longer shows `text`.
    pub fn wait_gone(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            self.pump(Duration::from_millis(50));
            if !self.screen().contains(text) {
                return;
            }
        }
        panic!("the screen kept showing {text:?}:\n{}", self.screen());
    }

    pub fn keys(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Sends the program a signal as `kill` does (`sig`: `-TERM`, `-HUP`).
    pub fn signal(&self, sig: &str) {
        let pid = self.child.process_id().expect("pid");
        let status = std::process::Command::new("kill")
            .args([sig, &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill {sig} {pid}");
    }

    /// Waits for the process to exit and for the last of its output (the
    /// reader stops where the terminal closes); returns its exit code.
    pub fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            self.pump(Duration::from_millis(20));
            if let Some(status) = self.child.try_wait().unwrap() {
                self.drain(deadline);
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "did not exit:\n{}",
                self.screen()
            );
        }
    }

    /// The terminal resized, as a user drags the window: the pty and the
    /// parser both.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.parser.screen_mut().set_size(rows, cols);
    }
}
