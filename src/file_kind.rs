//! What a file a user names is, where it is not what its reader reads.
//!
//! A file that is not text, told from its first bytes: a compressor's or a
//! format's magic number, or UTF-16's byte order mark. Every reader of a
//! file a user names (a preset, a journal, a spike file) asks first: read
//! as text, such a file was blamed on its first "line" (an ELF program and
//! a gzip file each hold a lone \r early on, and a spike file's reader said
//! they ended their lines as classic Mac OS did), or on "invalid UTF-8 at
//! byte 1". A NUL byte is left to the reader to place: the zeros a file cut
//! short by a crash ends in come after lines worth reading (a journal's
//! events are played up to its damage).
//!
//! And spikescope's own files, told from their first line, where one is
//! given for another: a spike file to `run`, a preset to `view`, either to
//! `replay`. Each was "not valid TOML", "not a spike file's header" or "not
//! a spikescope journal", without a word on what it was or what reads it.

use crate::text::shell_word;

/// What a file that is not text is, and, where something makes it text,
/// what (`FILE` standing for the file).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NotText {
    pub problem: &'static str,
    pub remedy: Option<&'static str>,
}

impl NotText {
    /// What would be valid: the remedy, naming `file` (as a shell reads
    /// it), or else what the reader reads (`otherwise`).
    pub fn valid(&self, file: &str, otherwise: &str) -> String {
        self.remedy.map_or_else(
            || otherwise.to_string(),
            |r| r.replace("FILE", &shell_word(file)),
        )
    }
}

const UTF_16: NotText = NotText {
    problem: "UTF-16 text (what Windows calls \"Unicode\"), not UTF-8",
    remedy: Some(
        "UTF-8 text: saved as UTF-8 (a spreadsheet's \"CSV UTF-8\"), or converted with \
         `iconv -f UTF-16 -t UTF-8 FILE`, which writes it out",
    ),
};

/// The formats most often named in a text file's place, by the bytes each
/// starts with.
const KNOWN: &[(&[u8], NotText)] = &[
    (
        b"\x1f\x8b",
        NotText {
            problem: "gzip-compressed, not text",
            remedy: Some(
                "the file inside it: `gunzip -k FILE` writes it beside the compressed one",
            ),
        },
    ),
    (
        b"BZh",
        NotText {
            problem: "bzip2-compressed, not text",
            remedy: Some(
                "the file inside it: `bunzip2 -k FILE` writes it beside the compressed one",
            ),
        },
    ),
    (
        b"\xfd7zXZ\x00",
        NotText {
            problem: "xz-compressed, not text",
            remedy: Some("the file inside it: `unxz -k FILE` writes it beside the compressed one"),
        },
    ),
    (
        b"\x28\xb5\x2f\xfd",
        NotText {
            problem: "zstd-compressed, not text",
            remedy: Some("the file inside it: `unzstd FILE` writes it beside the compressed one"),
        },
    ),
    (
        b"PK\x03\x04",
        NotText {
            problem: "a zip archive, not text",
            remedy: Some("a file from inside it: `unzip FILE` writes them out"),
        },
    ),
    (b"\xff\xfe", UTF_16),
    (b"\xfe\xff", UTF_16),
    (
        b"\x93NUMPY",
        NotText {
            problem: "a NumPy array (.npy), not text",
            remedy: None,
        },
    ),
    (
        b"\x89HDF\r\n\x1a\n",
        NotText {
            problem: "an HDF5 file, not text",
            remedy: None,
        },
    ),
    (
        b"\x7fELF",
        NotText {
            problem: "a program (ELF), not text",
            remedy: None,
        },
    ),
];

/// Whether the file that starts with `start` is one of the formats known
/// not to be text, and if so which.
pub fn not_text(start: &[u8]) -> Option<NotText> {
    KNOWN
        .iter()
        .find(|(magic, _)| start.starts_with(magic))
        .map(|(_, known)| *known)
}

/// One of spikescope's own files, by its first line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OwnFile {
    Preset,
    Journal,
    /// `run --spikes` (or NEST's spike_recorder ASCII).
    Spikes,
    /// `run --out`.
    Traces,
}

impl OwnFile {
    /// The file's kind, as a problem names it.
    pub fn what(self) -> &'static str {
        match self {
            OwnFile::Preset => "a preset",
            OwnFile::Journal => "a journal (`--record`)",
            OwnFile::Spikes => "a spike file",
            OwnFile::Traces => "a run's traces (`run --out`)",
        }
    }

    /// What reads it, naming `file` as a shell reads it; None for the
    /// traces, which spikescope writes and does not read.
    pub fn read_by(self, file: &str) -> Option<String> {
        let file = shell_word(file);
        match self {
            OwnFile::Preset => Some(format!(
                "`spikescope {file}` opens it; `spikescope run {file} --spikes FILE` writes the \
                 spikes `view` reads"
            )),
            OwnFile::Journal => Some(format!("`spikescope replay {file}` plays it")),
            OwnFile::Spikes => Some(format!("`spikescope view {file}` shows it")),
            OwnFile::Traces => None,
        }
    }
}

/// Which of spikescope's files `text` is, by its first line that is not
/// blank or a `#` comment (a preset's and NEST's files begin with those),
/// a preset by the `model` its top level names.
pub fn own_file(text: &str) -> Option<OwnFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.lines().next().map(str::trim) == Some(crate::session::journal::MAGIC) {
        return Some(OwnFile::Journal);
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    if first == "neuron,time_s" || first.split_whitespace().eq(["sender", "time_ms"]) {
        return Some(OwnFile::Spikes);
    }
    if first.starts_with("time_s,") {
        return Some(OwnFile::Traces);
    }
    // A preset: TOML whose top level (the lines before its first section)
    // names the model; other TOML (a Cargo.toml) is none of these.
    let names_the_model = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with('['))
        .any(|l| {
            l.split_once('=')
                .is_some_and(|(key, _)| key.trim() == "model")
        });
    names_the_model.then_some(OwnFile::Preset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_files_are_told_by_their_first_line() {
        let preset = "# A comment\n\nname = \"LIF\"\nmodel = \"lif\"\n[lif]\ntau_m = 0.02\n";
        assert_eq!(own_file(preset), Some(OwnFile::Preset));
        // TOML that names no model at its top level is no preset.
        assert_eq!(own_file("[package]\nname = \"x\"\n"), None);
        assert_eq!(own_file("[lif]\nmodel = \"lif\"\n"), None);
        let journal = format!(
            "{}\n# Recorded by spikescope\npreset lif-ramp\n",
            crate::session::journal::MAGIC
        );
        assert_eq!(own_file(&journal), Some(OwnFile::Journal));
        assert_eq!(own_file("neuron,time_s\n0,0.1\n"), Some(OwnFile::Spikes));
        assert_eq!(own_file("\u{feff}neuron,time_s\n"), Some(OwnFile::Spikes));
        let nest = "# NEST version: 3.10.0\n# RecordingBackendASCII\nsender\ttime_ms\n1\t2.5\n";
        assert_eq!(own_file(nest), Some(OwnFile::Spikes));
        assert_eq!(
            own_file("time_s,v_mV,m,h,n\n0.0,-65\n"),
            Some(OwnFile::Traces)
        );
        for other in [
            "time,v\n",
            "0,0.1\n",
            "= 3",
            "",
            "# only a comment\n",
            "hello world",
        ] {
            assert_eq!(own_file(other), None, "{other:?}");
        }
        assert_eq!(
            OwnFile::Spikes.read_by("my spikes.csv").as_deref(),
            Some("`spikescope view 'my spikes.csv'` shows it")
        );
    }

    #[test]
    fn compressed_files_and_programs_are_named_and_text_is_not() {
        let problem = |bytes: &[u8]| not_text(bytes).map(|n| n.problem);
        assert_eq!(
            problem(b"\x1f\x8b\x08\x08"),
            Some("gzip-compressed, not text")
        );
        assert_eq!(problem(b"BZh91AY&SY"), Some("bzip2-compressed, not text"));
        assert_eq!(
            problem(b"\xfd7zXZ\x00\x00"),
            Some("xz-compressed, not text")
        );
        assert_eq!(
            problem(b"\x28\xb5\x2f\xfd\x04"),
            Some("zstd-compressed, not text")
        );
        assert_eq!(problem(b"PK\x03\x04\x14"), Some("a zip archive, not text"));
        assert_eq!(
            problem(b"\x7fELF\x02\x01"),
            Some("a program (ELF), not text")
        );
        assert_eq!(
            problem(b"\x93NUMPY\x01\x00"),
            Some("a NumPy array (.npy), not text")
        );
        assert_eq!(
            problem(b"\x89HDF\r\n\x1a\n\0"),
            Some("an HDF5 file, not text")
        );
        // "ne" in UTF-16, either byte order.
        assert_eq!(problem(b"\xff\xfen\x00e\x00"), Some(UTF_16.problem));
        assert_eq!(problem(b"\xfe\xff\x00n\x00e"), Some(UTF_16.problem));
        for text in [
            &b"neuron,time_s\n0,0.1\n"[..],
            // A NUL is the reader's to place.
            b"neuron,time_s\n0,0.1\n\0\0\0",
            b"\xef\xbb\xbfneuron,time_s\n",
            b"# NEST version: 3.10.0\nsender\ttime_ms\n",
            b"name = \"caf\xc3\xa9\"\n",
            b"B",
            b"",
        ] {
            assert_eq!(problem(text), None, "{text:?}");
        }
    }

    /// The remedy names the file as a shell reads it back; without one,
    /// the reader's own valid stands.
    #[test]
    fn the_remedy_names_the_file() {
        let gz = not_text(b"\x1f\x8b").unwrap();
        assert_eq!(
            gz.valid("my spikes.csv.gz", "x"),
            "the file inside it: `gunzip -k 'my spikes.csv.gz'` writes it beside the compressed one"
        );
        let elf = not_text(b"\x7fELF").unwrap();
        assert_eq!(elf.valid("ls", "a UTF-8 text file"), "a UTF-8 text file");
    }
}
