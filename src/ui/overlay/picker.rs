//! The preset picker: the bundled presets in a list, or a path typed to a
//! preset file, which Tab completes as a shell does (a remote machine's
//! folders are typed, not browsed).

use std::fs;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::app::Message;
use super::super::command::Command;
use super::super::line_edit::edit_line;
use super::super::theme::Theme;
use super::super::words::{clip_words, wrap_message, wrap_words};
use super::{OverlayOutcome, centered, rows_shown, scroll_to_show};
use crate::preset::bundled;

/// Longest path the field takes.
const PATH_MAX: usize = 4096;

/// How far PageUp and PageDown move in the list.
const PAGE: usize = 10;

/// Most names a Tab that finds several lists.
const CHOICES_SHOWN: usize = 24;

/// The picker's state, as `Overlay::Picker` holds it.
pub(super) struct PickerState<'a> {
    pub index: &'a mut usize,
    pub typed: &'a mut String,
    pub path: &'a mut Option<String>,
    pub error: &'a mut Option<String>,
    pub note: &'a mut Option<String>,
}

/// Takes pasted text into the path (a paste in the list starts one, after
/// any start of a name typed there), cut at the field's length.
pub(super) fn on_paste(s: PickerState, clean: impl Iterator<Item = char>) {
    let p = s.path.get_or_insert_with(|| std::mem::take(s.typed));
    for c in clean {
        if p.len() + c.len_utf8() > PATH_MAX {
            break;
        }
        p.push(c);
    }
    *s.error = None;
    *s.note = None;
}

/// A key in the picker: choosing in the list, or typing a path.
pub(super) fn on_key(key: &KeyEvent, s: PickerState) -> OverlayOutcome {
    use OverlayOutcome::{Close, Stay};
    if let Some(p) = s.path {
        return match key.code {
            KeyCode::Esc => {
                *s.path = None;
                *s.note = None;
                Stay
            }
            KeyCode::Enter => {
                *s.note = None;
                OverlayOutcome::Command(Command::OpenPreset(p.clone()))
            }
            KeyCode::Tab => {
                let c = complete(p);
                if c.path.len() <= PATH_MAX {
                    *p = c.path;
                }
                *s.note = c.note;
                *s.error = None;
                Stay
            }
            _ => {
                if edit_line(p, key, |p, c| p.len() + c.len_utf8() <= PATH_MAX) {
                    *s.error = None;
                    *s.note = None;
                }
                Stay
            }
        };
    }
    let count = bundled::BUNDLED.len();
    let index = s.index;
    // k, j and q move and close, but not inside a name being typed (none
    // of the bundled names has them, so there they begin a path).
    let code = match key.code {
        KeyCode::Char('k') if s.typed.is_empty() => KeyCode::Up,
        KeyCode::Char('j') if s.typed.is_empty() => KeyCode::Down,
        KeyCode::Char('q') if s.typed.is_empty() => KeyCode::Esc,
        code => code,
    };
    match code {
        KeyCode::Esc => Close,
        KeyCode::Up => {
            *index = (*index + count - 1) % count;
            s.typed.clear();
            *s.error = None;
            Stay
        }
        KeyCode::Down => {
            *index = (*index + 1) % count;
            s.typed.clear();
            *s.error = None;
            Stay
        }
        // The list is longer than a small screen: a page, or an end, at once.
        KeyCode::PageUp | KeyCode::PageDown | KeyCode::Home | KeyCode::End => {
            *index = match code {
                KeyCode::PageUp => index.saturating_sub(PAGE),
                KeyCode::PageDown => (*index + PAGE).min(count - 1),
                KeyCode::Home => 0,
                _ => count - 1,
            };
            s.typed.clear();
            *s.error = None;
            Stay
        }
        KeyCode::Enter => {
            OverlayOutcome::Command(Command::OpenPreset(bundled::BUNDLED[*index].0.to_string()))
        }
        // What is typed into the list chooses the first name that starts
        // with it (`hh-b`: hh-block); from a character no name goes on
        // with, it is a path, typed whole (`/tmp/x.toml`, `~/x.toml`,
        // `mine.toml`: the letters had been eaten, opening `.toml`).
        _ => {
            if edit_line(s.typed, key, |t, c| t.len() + c.len_utf8() <= PATH_MAX) {
                *s.error = None;
                if !s.typed.is_empty() {
                    match first_named(s.typed) {
                        Some(k) => *index = k,
                        None => *s.path = Some(std::mem::take(s.typed)),
                    }
                }
            }
            Stay
        }
    }
}

/// The first bundled preset whose name starts with `typed`.
fn first_named(typed: &str) -> Option<usize> {
    bundled::BUNDLED
        .iter()
        .position(|(name, _)| name.starts_with(typed))
}

/// What Tab makes of a typed path: the path completed as far as the names
/// agree, and a note of the names when several fit (or why none does).
#[derive(Debug, PartialEq)]
pub(super) struct Completion {
    pub path: String,
    pub note: Option<String>,
}

/// Completes the last part of `typed` among the folders and `.toml` files of
/// the folder it names (the current one when it names none; `~` is the
/// home). Hidden names only when the part typed starts with a dot; a folder
/// gains its `/`, so the next Tab goes on inside it.
pub(super) fn complete(typed: &str) -> Completion {
    if typed == "~" {
        return Completion {
            path: "~/".into(),
            note: None,
        };
    }
    let (folder, part) = typed.split_at(typed.rfind('/').map_or(0, |i| i + 1));
    let listed = if folder.is_empty() {
        ".".to_string()
    } else {
        super::expand_home(folder)
    };
    let unchanged = |note: String| Completion {
        path: typed.to_string(),
        note: Some(note),
    };
    let entries = match fs::read_dir(&listed) {
        Ok(entries) => entries,
        Err(e) => return unchanged(format!("{listed}: cannot list this folder: {e}")),
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            // A name that is not UTF-8 could not be typed back; it is left out.
            let name = entry.file_name().into_string().ok()?;
            if !name.starts_with(part) || (name.starts_with('.') && !part.starts_with('.')) {
                return None;
            }
            // Through a link to what it names, as opening would.
            if fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()) {
                Some(format!("{name}/"))
            } else {
                name.to_ascii_lowercase().ends_with(".toml").then_some(name)
            }
        })
        .collect();
    names.sort();
    match names.as_slice() {
        [] => unchanged(format!(
            "no folder or .toml file in {listed} starts with \"{part}\""
        )),
        [one] => Completion {
            path: format!("{folder}{one}"),
            note: None,
        },
        several => {
            let shared = shared_start(several);
            let mut note = format!(
                "{} fit: {}",
                several.len(),
                several[..several.len().min(CHOICES_SHOWN)].join(", ")
            );
            if several.len() > CHOICES_SHOWN {
                note.push_str(&format!(", and {} more", several.len() - CHOICES_SHOWN));
            }
            Completion {
                path: format!("{folder}{shared}"),
                note: Some(note),
            }
        }
    }
}

/// The longest start all of `names` share (whole characters).
fn shared_start(names: &[String]) -> &str {
    let first = &names[0];
    let end = names[1..].iter().fold(first.len(), |end, name| {
        let same = first
            .char_indices()
            .zip(name.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        end.min(same)
    });
    &first[..end]
}

/// What the picker's foot says under the path: what Tab found, why the
/// last open failed, and the app's message, which the status lines under
/// the picker would hide ("opening ... 2.1 s (Esc: stop waiting)").
pub(super) struct Said<'a> {
    pub note: Option<&'a str>,
    pub error: Option<&'a str>,
    pub message: Option<&'a Message>,
}

/// Draws the picker over `screen`.
pub(super) fn render(
    frame: &mut Frame,
    screen: Rect,
    (index, typed): (usize, &str),
    path: Option<&str>,
    said: Said,
    theme: &Theme,
) {
    let r = centered(screen, screen.width.min(110), screen.height);
    frame.render_widget(Clear, r);
    let block = ratatui::widgets::Block::bordered().title(" open a preset ");
    let inner = block.inner(r);
    // The chosen preset's whole description, then the path being typed or
    // the key hints, then what Tab found and any error: always in view; the
    // list scrolls.
    let text_w = inner.width.saturating_sub(2) as usize;
    let mut foot: Vec<Line> = Vec::new();
    if path.is_none() {
        let (_, description) = crate::preset::description_of(bundled::BUNDLED[index].1);
        for l in wrap_words(&description, text_w) {
            foot.push(Line::styled(format!(" {l}"), theme.bold()));
        }
    }
    foot.push(match path {
        Some(p) => Line::from(vec![
            Span::styled(" path: ", theme.bold()),
            Span::styled(
                format!(
                    "{}_",
                    tail(
                        p,
                        (inner.width as usize).saturating_sub(" path: _".len()),
                        theme.spelled("…", "..."),
                    )
                ),
                theme.selected(),
            ),
        ]),
        None if !typed.is_empty() => Line::from(vec![
            Span::styled(" name: ", theme.bold()),
            Span::styled(format!("{typed}_"), theme.selected()),
            Span::styled(" · Enter open · Esc close", theme.dim()),
        ]),
        None => {
            // The paging keys where the line has room for them (80
            // columns), else the arrows alone (the README has them all).
            let arrows = theme.spelled("↑↓", "Up/Down");
            let rest = "choose · Enter open · type name/path · Esc close";
            let long = format!(" {arrows} PgUp/PgDn Home/End {rest}");
            let hint = if long.chars().count() <= text_w + 1 {
                long
            } else {
                format!(" {arrows} {rest}")
            };
            Line::styled(hint, theme.dim())
        }
    });
    if path.is_some() {
        // Wrapped between hints, not cut: at 60 columns they ran past the
        // border.
        let mut line = String::new();
        for hint in [
            "Enter opens",
            "Tab completes",
            "Esc back to the list",
            "~ is your home",
        ] {
            if !line.is_empty() && line.chars().count() + 3 + hint.len() > text_w {
                foot.push(Line::styled(format!(" {line}"), theme.dim()));
                line.clear();
            }
            if !line.is_empty() {
                line.push_str(" · ");
            }
            line.push_str(hint);
        }
        foot.push(Line::styled(format!(" {line}"), theme.dim()));
    }
    let message = said.message.map(|m| {
        let style = if m.error { theme.error() } else { theme.dim() };
        (m.text.as_str(), style)
    });
    let said = [
        said.note.map(|t| (t, theme.dim())),
        said.error.map(|t| (t, theme.error())),
        message,
    ];
    for (text, style) in said.into_iter().flatten() {
        for l in wrap_message(text, text_w) {
            foot.push(Line::styled(format!(" {l}"), style));
        }
    }
    let foot_h = (foot.len() as u16).min(inner.height.saturating_sub(1));
    let [list_area, foot_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(foot_h)]).areas(inner);
    let name_w = bundled::names().map(str::len).max().unwrap_or(20) + 1;
    // A blank before the name, one after it, and one before the border, so
    // that a clipped description does not run into it.
    let description_w = (list_area.width as usize).saturating_sub(name_w + 3);
    let lines: Vec<Line> = bundled::BUNDLED
        .iter()
        .enumerate()
        .map(|(k, (name, text))| {
            let (_, description) = crate::preset::description_of(text);
            // The chosen row is reversed and pointed at, as in the
            // parameters panel (without reverse video the pointer says which).
            let chosen = k == index && path.is_none();
            let (style, pointer) = if chosen {
                (theme.selected(), '›')
            } else {
                (Style::new(), ' ')
            };
            Line::from(vec![
                Span::styled(
                    format!("{pointer}{name:<name_w$}"),
                    style.add_modifier(Modifier::BOLD),
                ),
                Span::styled(
                    format!(
                        " {}",
                        clip_words(&description, description_w, theme.spelled("…", "..."))
                    ),
                    style,
                ),
            ])
        })
        .collect();
    // One row of the list after the chosen one stays in view.
    let scroll = scroll_to_show(index, lines.len(), list_area.height, 1);
    let shown = usize::from(list_area.height);
    let block = match rows_shown(usize::from(scroll), shown, lines.len()) {
        Some(where_) => block.title_bottom(where_),
        None => block,
    };
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), list_area);
    frame.render_widget(Paragraph::new(foot), foot_area);
}

/// The end of `text` in at most `width` columns, `ellipsis` where its
/// start is left out (`…`; in ASCII `...`: a lone `.` made `…/x.toml` read
/// as the relative path `./x.toml`): a long path being typed shows where the
/// typing is.
fn tail(text: &str, width: usize, ellipsis: &str) -> String {
    let n = text.chars().count();
    if n <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(ellipsis.chars().count()).max(1);
    let kept: String = text.chars().skip(n.saturating_sub(room)).collect();
    format!("{ellipsis}{kept}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_folders_and_presets_as_far_as_they_agree() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_str().unwrap();
        for f in [
            "lif-a.toml",
            "lif-b.toml",
            "notes.txt",
            ".hidden.toml",
            "µ.toml",
        ] {
            fs::write(dir.path().join(f), "").unwrap();
        }
        fs::create_dir(dir.path().join("nets")).unwrap();
        fs::write(dir.path().join("nets").join("ei.toml"), "").unwrap();
        let c = complete(&format!("{d}/li"));
        assert_eq!(c.path, format!("{d}/lif-"));
        assert_eq!(c.note.as_deref(), Some("2 fit: lif-a.toml, lif-b.toml"));
        // One fits: whole; a folder gains its slash, and the next Tab goes in.
        assert_eq!(
            complete(&format!("{d}/lif-a")).path,
            format!("{d}/lif-a.toml")
        );
        let c = complete(&format!("{d}/n"));
        assert_eq!(
            (c.path.as_str(), c.note),
            (format!("{d}/nets/").as_str(), None)
        );
        assert_eq!(
            complete(&format!("{d}/nets/")).path,
            format!("{d}/nets/ei.toml")
        );
        assert_eq!(complete(&format!("{d}/µ")).path, format!("{d}/µ.toml"));
        // Not a preset, nor hidden unless asked for.
        let c = complete(&format!("{d}/no"));
        assert_eq!(c.path, format!("{d}/no"));
        assert_eq!(
            c.note,
            Some(format!(
                "no folder or .toml file in {d}/ starts with \"no\""
            ))
        );
        assert_eq!(
            complete(&format!("{d}/.h")).path,
            format!("{d}/.hidden.toml")
        );
        let c = complete(&format!("{d}/"));
        assert_eq!(
            c.note.as_deref(),
            Some("4 fit: lif-a.toml, lif-b.toml, nets/, µ.toml")
        );
        let c = complete(&format!("{d}/missing/x"));
        assert_eq!(c.path, format!("{d}/missing/x"));
        assert!(c.note.unwrap().contains("cannot list this folder"));
        assert_eq!(complete("~").path, "~/");
    }

    #[test]
    fn many_names_are_counted_past_those_shown() {
        let dir = tempfile::tempdir().unwrap();
        for k in 0..30 {
            fs::write(dir.path().join(format!("p{k:02}.toml")), "").unwrap();
        }
        let c = complete(&format!("{}/", dir.path().to_str().unwrap()));
        let note = c.note.unwrap();
        assert!(note.starts_with("30 fit: p00.toml, p01.toml"), "{note}");
        assert!(note.ends_with("p23.toml, and 6 more"), "{note}");
    }
}
