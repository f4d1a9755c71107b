//! What a figure keeps of a run: each drawn quantity's envelope (the
//! smallest and the largest value in each of a fixed number of time
//! buckets, in time order) and the spikes of the neurons in the raster.
//! A run of millions of steps becomes a few thousand points a line while
//! every peak and trough stays where it was: a spike is never lost
//! between two plotted points.

use crate::model::Spike;
use crate::model::recordable::Recordable;
use crate::sim::{Monitor, Simulation};

/// Time buckets across the run: two points each, about one a pixel
/// column of a page-wide figure.
pub const BUCKETS: usize = 1500;

/// The extremes of one quantity in the present bucket.
#[derive(Debug, Clone, Copy)]
struct Extremes {
    min: (f64, f64),
    max: (f64, f64),
}

/// Records the envelopes of `recordables` and the spikes of the neurons
/// below `raster_rows`.
#[derive(Debug)]
pub struct Envelopes {
    recordables: Vec<Recordable>,
    bucket_s: f64,
    bucket: u64,
    open: Vec<Option<Extremes>>,
    /// Each recordable's points (t_s, value), in time order.
    pub points: Vec<Vec<(f64, f64)>>,
    raster_rows: usize,
    /// The raster's spikes (neuron, t_s).
    pub spikes: Vec<(usize, f64)>,
    values: Vec<f64>,
}

impl Envelopes {
    /// For a run of `duration_s` starting at `sim`'s present state (its
    /// first point).
    pub fn new(
        sim: &Simulation,
        recordables: Vec<Recordable>,
        duration_s: f64,
        raster_rows: usize,
    ) -> Self {
        let n = recordables.len();
        let mut values = vec![0.0; n];
        sim.model.values(&recordables, sim.input(), &mut values);
        let t = sim.time_s();
        Self {
            bucket_s: (duration_s / BUCKETS as f64).max(f64::MIN_POSITIVE),
            bucket: 0,
            open: vec![None; n],
            points: values.iter().map(|&v| vec![(t, v)]).collect(),
            recordables,
            raster_rows,
            spikes: Vec::new(),
            values,
        }
    }

    /// Closes the present bucket: its extremes, earlier first.
    fn flush(&mut self) {
        for (open, points) in self.open.iter_mut().zip(&mut self.points) {
            if let Some(e) = open.take() {
                let (a, b) = if e.min.0 <= e.max.0 {
                    (e.min, e.max)
                } else {
                    (e.max, e.min)
                };
                points.push(a);
                if b != a {
                    points.push(b);
                }
            }
        }
    }

    /// Ends the recording (the last bucket's points).
    pub fn finish(&mut self) {
        self.flush();
    }

    /// Takes in the state after a step and the step's spikes.
    pub fn record(&mut self, sim: &Simulation, spikes: &[Spike]) {
        let t = sim.time_s();
        // The run's last step ends exactly at its duration: in the last bucket.
        let bucket = ((t / self.bucket_s) as u64).min(BUCKETS as u64 - 1);
        if bucket != self.bucket {
            self.flush();
            self.bucket = bucket;
        }
        sim.model
            .values(&self.recordables, sim.input(), &mut self.values);
        for (open, &v) in self.open.iter_mut().zip(&self.values) {
            match open {
                None => {
                    *open = Some(Extremes {
                        min: (t, v),
                        max: (t, v),
                    })
                }
                Some(e) => {
                    // NaN (a quantity a model lacks) is never an extreme.
                    if v < e.min.1 {
                        e.min = (t, v);
                    }
                    if v > e.max.1 {
                        e.max = (t, v);
                    }
                }
            }
        }
        for s in spikes {
            if s.neuron < self.raster_rows {
                self.spikes.push((s.neuron, s.time_s));
            }
        }
    }
}

impl Monitor for Envelopes {
    fn on_step(&mut self, sim: &Simulation, spikes: &[Spike]) -> std::io::Result<()> {
        self.record(sim, spikes);
        Ok(())
    }
}
