use std::process::ExitCode;

use clap::Parser;
use spikescope::cli::{Cli, run_command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(cmd) => run_command(cmd),
        None => spikescope::ui::run_terminal(cli.preset.as_deref(), &cli.ui),
    }
}
