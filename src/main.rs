use std::process::ExitCode;

use clap::Parser;
use spikescope::cli::{Cli, run_command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap's errors quote our parsers' messages, which name units
        // (`500 µs`): outside a UTF-8 locale they go out in ASCII, as every
        // other line does (clap's own help and version are ASCII).
        Err(e) if e.use_stderr() && !spikescope::text::utf8_output() => {
            spikescope::text::err_line(e.to_string().trim_end());
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
        Err(e) => e.exit(),
    };
    match cli.command {
        Some(cmd) => run_command(cmd),
        None => spikescope::ui::run_terminal(cli.preset.as_deref(), &cli.ui),
    }
}
