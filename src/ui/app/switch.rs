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

/// Where `m` goes next.
pub(super) enum NextModel {
    /// Back to the preset the user opened, on its kind's turn.
    Back(Home),
    /// To the bundled preset of the next kind; `m` comes back to `home`.
    StandIn {
        name: &'static str,
        home: Option<Home>,
    },
}

impl App {
    /// Where `m` goes next. The preset the user opened is this one, if the
    /// user opened it (not a stand-in), with the parameters changed in its
    /// panel.
    pub(super) fn next_model(&self) -> NextModel {
        let home = self.home.clone().or_else(|| {
            self.source.clone().map(|source| Home {
                kind: self.kind(),
                source,
                changed: self.changed.clone(),
            })
        });
        let next = next_kind(self.kind(), home.as_ref().map(|h| h.kind));
        match home {
            Some(home) if home.kind == next => NextModel::Back(home),
            home => NextModel::StandIn {
                name: STAND_INS.iter().find(|&&(k, _)| k == next).unwrap().1,
                home,
            },
        }
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
