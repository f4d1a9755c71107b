//! A file that is not text, told from its first bytes: a compressor's or a
//! format's magic number, or UTF-16's byte order mark. Every reader of a
//! file a user names (a preset, a journal, a spike file) asks first: read
//! as text, such a file was blamed on its first "line" (an ELF program and
//! a gzip file each hold a lone \r early on, and a spike file's reader said
//! they ended their lines as classic Mac OS did), or on "invalid UTF-8 at
//! byte 1". A NUL byte is left to the reader to place: the zeros a file cut
//! short by a crash ends in come after lines worth reading (a journal's
//! events are played up to its damage).

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

#[cfg(test)]
mod tests {
    use super::*;

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
