//! The export's data file, `spikescope-export 1`: a line naming the format,
//! a line of JSON (the header: the arrays, the inputs), then the arrays'
//! bytes, little-endian, one after the other: v0 and bias (f64, one a
//! neuron), then pre and post (u32) and weight (f64), one a connection, in
//! the order of the network's own storage, and where the header lists it
//! the bias after the first step (f64, one a neuron; load.py reads them).
//!
//! Written as a stream from the network's connections, not gathered in
//! memory first: at N = 100,000 (2e8 connections) the file is 3.2 GB, and
//! gathering it took 8.6 GB at the peak beside the network's 2.4 GB, 35 s,
//! most of it the kernel's (measured 2026-12-04, `/usr/bin/time`).

use std::io::{self, BufWriter, Write};

use crate::model::network::Connections;

/// How much of the file is handed to the writer at a time.
const BUFFER_BYTES: usize = 1 << 20;

/// The data file of an export, written by `write_to`.
pub struct DataFile<'a> {
    /// The JSON header, on one line.
    pub(super) header: String,
    pub(super) v0: &'a [f64],
    /// The biases with the constant inputs' starting levels (NEST's I_e).
    pub(super) bias: Vec<f64>,
    pub(super) connections: &'a Connections,
    /// The same from the second step on, where an input changes at the
    /// first step's end (`inputs.rs`): written last.
    pub(super) bias_after_first_step: Option<Vec<f64>>,
}

impl DataFile<'_> {
    /// The whole file into `out`, through a buffer of `BUFFER_BYTES`.
    pub fn write_to(&self, out: impl Write) -> io::Result<()> {
        let mut w = BufWriter::with_capacity(BUFFER_BYTES, out);
        w.write_all(b"spikescope-export 1\n")?;
        w.write_all(self.header.as_bytes())?;
        w.write_all(b"\n")?;
        for x in self.v0.iter().chain(&self.bias) {
            w.write_all(&x.to_le_bytes())?;
        }
        let n = self.v0.len();
        let c = self.connections;
        for j in 0..n {
            for _ in c.targets(j) {
                w.write_all(&(j as u32).to_le_bytes())?;
            }
        }
        for j in 0..n {
            for (i, _) in c.targets(j) {
                w.write_all(&(i as u32).to_le_bytes())?;
            }
        }
        for j in 0..n {
            for (_, weight) in c.targets(j) {
                w.write_all(&weight.to_le_bytes())?;
            }
        }
        for x in self.bias_after_first_step.iter().flatten() {
            w.write_all(&x.to_le_bytes())?;
        }
        w.flush()
    }

    /// The whole file's bytes (for a small network: a test's).
    pub fn bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes).expect("a Vec takes every write");
        bytes
    }
}

/// Its header, not its gigabytes.
impl std::fmt::Debug for DataFile<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataFile")
            .field("header", &self.header)
            .field("neurons", &self.v0.len())
            .field("connections", &self.connections.len())
            .finish()
    }
}
