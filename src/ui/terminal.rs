//! The terminal's life around the oscilloscope: entered (raw mode, the
//! alternate screen), left as the shell had it, suspended by Ctrl-Z, and
//! left on a signal, which also ends a journal being recorded.

use std::io;
use std::process::ExitCode;

use crate::exit::EXIT_FAILURE;
use crate::text::{self, err_line};

/// Raw mode, the alternate screen, and a panic hook that restores both
/// before the panic's message. Unlike ratatui's `init`, nothing here prints
/// when the terminal is already gone: a panic inside the panic hook would
/// abort.
pub(super) fn enter_terminal() -> io::Result<ratatui::DefaultTerminal> {
    let print_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave_terminal();
        print_panic(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::event::EnableBracketedPaste
    )?;
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(io::stdout()))
}

/// The terminal entered for a session, or, where it cannot be, the
/// failure said (the terminal left as the shell had it) and its exit code.
pub(super) fn enter_for_session() -> Result<ratatui::DefaultTerminal, ExitCode> {
    enter_terminal().map_err(|e| {
        leave_terminal();
        err_line(&format!("spikescope: cannot set up the terminal: {e}"));
        ExitCode::from(EXIT_FAILURE)
    })
}

/// The exit code of a session that ended with `result`: `done` says what
/// ran when it ended well; a terminal that went away (an SSH drop) fails
/// quietly, nobody being left to read; any other terminal error is said.
pub(super) fn session_exit<T>(result: io::Result<T>, done: impl FnOnce(T)) -> ExitCode {
    match result {
        Ok(ended) => {
            done(ended);
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => ExitCode::from(EXIT_FAILURE),
        Err(e) => {
            err_line(&format!("spikescope: terminal error: {e}"));
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// The main screen, cooked mode and the cursor back, as far as the terminal
/// is still there: a vanished one (an SSH drop) cannot be restored, and
/// trying says nothing.
pub(super) fn leave_terminal() {
    let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableBracketedPaste);
    let _ = ratatui::try_restore();
    let _ = crossterm::execute!(io::stdout(), crossterm::cursor::Show);
}

/// Ctrl-Z: the terminal as the shell had it, then the stop the terminal's
/// own Ctrl-Z would have sent (raw mode turned it off); `fg` continues the
/// process here (the call returns), and raw mode and the alternate screen
/// come back. Standard output is held throughout, as for a signal's exit.
pub(super) fn suspend_to_shell() {
    let _drawing_waits = io::stdout().lock();
    leave_terminal();
    // To the whole process group, as the terminal sends it: under `cargo
    // run` the shell waits on cargo, which must stop too, or nobody would
    // take the terminal back.
    let _ = rustix::process::kill_current_process_group(rustix::process::Signal::TSTP);
    let _ = crossterm::terminal::enable_raw_mode();
    let _ = crossterm::execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::event::EnableBracketedPaste
    );
}

/// SIGTERM, SIGINT and SIGHUP restore the terminal and exit 128 + N, from a
/// thread of their own: crossterm 0.29 can spin inside `poll` when the
/// terminal vanishes, and a flag checked by the loop would never be seen.
/// The thread holds standard output from the restore to the exit: a frame
/// the loop is drawing meanwhile would otherwise go on after the restore,
/// onto the main screen, and hide the cursor again as it ends. A journal
/// being recorded is ended where the session stood (an SSH drop sends
/// SIGHUP: without its `end` the replay would stop at the last change),
/// and held so that no change follows the end.
pub(super) fn spawn_signal_handler(journal: Option<crate::session::JournalEnd>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _drawing_waits = io::stdout().lock();
            leave_terminal();
            let name = match sig {
                SIGHUP => "SIGHUP",
                SIGINT => "SIGINT",
                _ => "SIGTERM",
            };
            let ended = journal
                .as_ref()
                .map(|j| (j, j.end_for_good(&format!(", {name}"))));
            if let Some((j, held)) = &ended
                && let Some(result) = &held.ended
            {
                let path = text::printable(&j.path().display().to_string(), false).into_owned();
                err_line(&match result {
                    Ok((_, t_s)) => format!(
                        "spikescope: stopped by {name}; the journal {path} ends at t = {}",
                        crate::preset::time::format_time(*t_s)
                    ),
                    Err(e) => {
                        format!("spikescope: stopped by {name}; cannot end the journal {path}: {e}")
                    }
                });
            }
            std::process::exit(128 + sig);
        }
    });
}
