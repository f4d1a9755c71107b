//! What a command line most likely meant where clap's own word would
//! mislead: a misspelled command (`spikescope chek a.toml`, which clap read
//! as the preset `chek` followed by "the subcommand 'a.toml'"), an option of
//! `run` given to the oscilloscope (`spikescope lif-constant --duration 1`,
//! where clap's tip was to pass `-- --duration` as a value), or a second
//! preset.

use std::path::Path;

use clap::CommandFactory;

use super::Cli;
use crate::preset::{bundled, did_you_mean};

/// Why `args` (the words after the program's name) do not read as what
/// they most likely mean, in a sentence naming what would; None where
/// they read as written, or clap's message or the preset's already says.
pub fn misread(args: &[String]) -> Option<String> {
    let cli = Cli::command();
    // Only a line that starts with a word: after an option, the word may
    // be its value.
    let first = args.first().filter(|a| !a.starts_with('-'))?;
    let commands: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    if commands.contains(&first.as_str()) {
        return None;
    }
    if bundled::get(first).is_none() && !Path::new(first).exists() {
        // A command where it is closer to one than to any preset's name.
        let presets = bundled::names().map(|name| -> &str { name });
        let close = did_you_mean(first, commands.iter().copied().chain(presets))?;
        return commands.contains(&close).then(|| {
            format!(
                "`{first}` is neither a command nor a preset; did you mean `spikescope {close}`? \
                 (`spikescope --help` lists the commands)"
            )
        });
    }
    let own = |long: &str| cli.get_arguments().find(|a| a.get_long() == Some(long));
    let run = cli.find_subcommand("run")?;
    let mut rest = args[1..].iter();
    while let Some(word) = rest.next() {
        let Some(option) = word.strip_prefix("--") else {
            // A short option is clap's to name.
            if word.starts_with('-') {
                return None;
            }
            return Some(format!(
                "the oscilloscope opens one preset, and `{word}` is one more after `{first}` \
                 (to check several: `spikescope check`; to view spike files: `spikescope view`)"
            ));
        };
        let (long, has_value) = option
            .split_once('=')
            .map_or((option, false), |(l, _)| (l, true));
        match own(long) {
            Some(arg) => {
                if arg.get_action().takes_values() && !has_value {
                    rest.next();
                }
            }
            None if run.get_arguments().any(|a| a.get_long() == Some(long)) => {
                return Some(format!(
                    "`--{long}` is an option of `run`, which simulates without a screen: \
                     `spikescope run {}`; the oscilloscope takes a preset and --set, --record, \
                     --fps, --ascii, --unicode",
                    shell_words::join(args)
                ));
            }
            None => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::misread;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn what_a_command_line_meant() {
        let said = |line: &str| misread(&words(line));
        assert_eq!(
            said("chek a.toml").unwrap(),
            "`chek` is neither a command nor a preset; did you mean `spikescope check`? \
             (`spikescope --help` lists the commands)"
        );
        assert!(
            said("rn")
                .unwrap()
                .contains("did you mean `spikescope run`?")
        );
        assert!(said("vew x.csv").unwrap().contains("`spikescope view`"));
        assert!(said("presetz").unwrap().contains("`spikescope presets`"));
        assert_eq!(
            said("lif-constant --set lif.tau_m=0.01 --duration 1").unwrap(),
            "`--duration` is an option of `run`, which simulates without a screen: \
             `spikescope run lif-constant --set 'lif.tau_m=0.01' --duration 1`; the oscilloscope \
             takes a preset and --set, --record, --fps, --ascii, --unicode"
        );
        // Quoted as typed: a time with its unit is one word.
        let line = ["hh-rest", "--duration", "20 ms"].map(String::from);
        assert!(
            misread(&line)
                .unwrap()
                .contains("`spikescope run hh-rest --duration '20 ms'`")
        );
        assert!(
            said("hh-rest --out=x.csv")
                .unwrap()
                .contains("`--out` is an option of `run`")
        );
        assert!(
            said("hh-rest --fps 10 network-abc")
                .unwrap()
                .starts_with("the oscilloscope opens one preset, and `network-abc` is one more")
        );
        // What reads as written, or whose own message says what is wrong.
        for line in [
            "",
            "hh-rest",
            "hh-rest --set stimulus.amplitude=3 --record s.journal --fps 10",
            "run lif-constnt --duration 1",
            "lif-constnt",
            "no-such-preset",
            "--ascii hh-rest",
            "hh-rest --no-such-option",
            "hh-rest -x network-abc",
        ] {
            assert_eq!(said(line), None, "{line}");
        }
    }
}
