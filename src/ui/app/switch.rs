//! `m`: the model cycle HH -> LIF -> network, each kind shown by a bundled
//! preset of its own, except that the preset the user opened (the command
//! line, `o`) keeps its kind's turn: m, m, m comes back to it, with the
//! overrides and the parameters changed in its panel, from t = 0. A preset
//! of another kind (rate, synapse) takes a fourth turn after the network.

use super::App;
use crate::model::ModelKind;
use crate::preset::PresetSource;

/// The bundled preset that shows each kind in the cycle.
const STAND_INS: [(ModelKind, &str); 3] = [
    (ModelKind::Hh, "hh-repetitive"),
    (ModelKind::Lif, "lif-constant"),
    (ModelKind::Network, "network-abc"),
];

/// The preset the user opened, while `m` shows another.
#[derive(Debug, Clone)]
pub struct Home {
    pub kind: ModelKind,
    pub source: PresetSource,
    /// The parameters changed in the panel, made again on coming back.
    pub changed: Vec<(String, String)>,
}

/// The kind after `current` in the cycle that comes back to `home`.
fn next_kind(current: ModelKind, home: Option<ModelKind>) -> ModelKind {
    let mut cycle: Vec<ModelKind> = STAND_INS.iter().map(|&(k, _)| k).collect();
    if let Some(h) = home.filter(|h| !cycle.contains(h)) {
        cycle.push(h);
    }
    let at = cycle.iter().position(|&k| k == current);
    cycle[at.map_or(0, |i| (i + 1) % cycle.len())]
}

impl App {
    /// Where `m` goes next: the preset the user opened, on its kind's turn,
    /// else the bundled one of the next kind.
    pub(super) fn next_model_origin(&self) -> String {
        let home = match (&self.home, &self.source) {
            (Some(h), _) => Some((h.kind, &h.source.origin)),
            (None, Some(source)) => Some((self.kind(), &source.origin)),
            (None, None) => None,
        };
        let next = next_kind(self.kind(), home.map(|h| h.0));
        match home {
            Some((kind, origin)) if kind == next => origin.clone(),
            _ => STAND_INS
                .iter()
                .find(|&&(k, _)| k == next)
                .unwrap()
                .1
                .to_string(),
        }
    }

    /// The preset the user opened, which `m` comes back to (this one, if
    /// the user opened it), and whether `m` goes to it now.
    pub(super) fn next_model(&self) -> (Option<Home>, bool) {
        let home = self.home.clone().or_else(|| {
            self.source.clone().map(|source| Home {
                kind: self.kind(),
                source,
                changed: self.changed.clone(),
            })
        });
        let next = next_kind(self.kind(), home.as_ref().map(|h| h.kind));
        let back = home.as_ref().is_some_and(|h| h.kind == next);
        (home, back)
    }
}

#[cfg(test)]
mod tests {
    use super::next_kind;
    use crate::model::ModelKind::*;

    #[test]
    fn the_cycle_comes_back_to_the_kind_opened() {
        assert_eq!(next_kind(Hh, Some(Hh)), Lif);
        assert_eq!(next_kind(Lif, Some(Hh)), Network);
        assert_eq!(next_kind(Network, Some(Hh)), Hh);
        assert_eq!(next_kind(Network, Some(Rate)), Rate);
        assert_eq!(next_kind(Rate, Some(Rate)), Hh);
        assert_eq!(next_kind(Synapse, None), Hh);
    }
}
