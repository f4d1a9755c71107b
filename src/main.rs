use std::process::ExitCode;

use spikescope::cli::{Cli, run_command};

fn main() -> ExitCode {
    let cli = match Cli::parse_or_explain() {
        Ok(cli) => cli,
        Err(status) => return status,
    };
    match cli.command {
        Some(cmd) => run_command(cmd),
        None => spikescope::ui::run_terminal(cli.preset.as_deref(), &cli.ui),
    }
}
