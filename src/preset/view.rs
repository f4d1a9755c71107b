//! The `[view]` section: what the oscilloscope shows at start.

use super::schema::ViewSection;
use super::validate::{R, Validator};
use crate::view::{FASTEST, Pane, TriggerMode, ViewSettings};

impl Validator<'_> {
    /// The view settings; `fires` says whether the model has spikes to
    /// trigger a sweep on (a rate model has none).
    pub(super) fn view(&self, v: Option<&ViewSection>, n: usize, fires: bool) -> R<ViewSettings> {
        let Some(v) = v else {
            return Ok(ViewSettings::default());
        };
        let window_s = match &v.window {
            None => None,
            Some(_) => Some(self.time("view.window", &v.window, 0.1, false)?),
        };
        let selected = match &v.selected {
            None => None,
            Some(s) => Some(self.count("view.selected", s, 0, n as i64 - 1)?),
        };
        let trigger = self.named("view.trigger", &v.trigger, TriggerMode::Free)?;
        if !fires
            && matches!(trigger, TriggerMode::Spike | TriggerMode::Single)
            && let Some(t) = &v.trigger
        {
            return Err(self
                .err(
                    "view.trigger",
                    t.span(),
                    "a rate model has no spikes to trigger on",
                )
                .valid("\"free\" or \"roll\""));
        }
        let pre_trigger = match &v.pre_trigger {
            None => None,
            Some(p) => {
                let x = *p.get_ref();
                if !(0.0..=0.9).contains(&x) {
                    return Err(self
                        .err("view.pre_trigger", p.span(), "out of range")
                        .valid("a fraction of the window from 0 to 0.9"));
                }
                Some(x)
            }
        };
        let speed = match &v.speed {
            None => None,
            Some(sp) => {
                let x = *sp.get_ref();
                if !(x.is_finite() && x > 0.0 && x <= FASTEST) {
                    return Err(self
                        .err("view.speed", sp.span(), "out of range")
                        .valid("simulated seconds per real second, > 0 and at most 1e6"));
                }
                Some(x)
            }
        };
        let pane = match &v.pane {
            None => None,
            Some(_) => Some(self.named("view.pane", &v.pane, Pane::Scope)?),
        };
        Ok(ViewSettings {
            window_s,
            selected,
            trigger,
            speed,
            pane,
            paused: v.paused.as_ref().is_some_and(|p| *p.get_ref()),
            one_shot: v.one_shot.as_ref().is_some_and(|p| *p.get_ref()),
            pre_trigger,
        })
    }
}
