//! One list of names per enum: a preset key's valid values, the help and the
//! CSV all read it, so a variant added to the enum is reachable everywhere.

pub trait Named: Copy + PartialEq + 'static {
    /// Every value, in the order they are offered.
    const ALL: &'static [Self];

    /// The name a preset or the screen uses.
    fn name(self) -> &'static str;

    /// The value of a name, if any.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == name)
    }

    /// Every name, in order.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.name()).collect()
    }

    /// The value after this one, wrapping.
    fn next(self) -> Self {
        let k = Self::ALL.iter().position(|&v| v == self).unwrap_or(0);
        Self::ALL[(k + 1) % Self::ALL.len()]
    }
}
