//! The overlays one reads: the keys (generated from the key table) and the
//! preset's guidance, in pages where the screen is too small for the whole
//! (Space or ↓ turns them, round), and the guidance's banner when a preset
//! opens.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::centered;
use crate::ui::app::App;
use crate::ui::keymap::{BINDINGS, HELP_GAP, HELP_KEYS_WIDTH, HELP_TEXT_WIDTH};
use crate::ui::theme::Theme;
use crate::ui::words::wrap_words;

/// Page `page` (counted round) of `count` items shown `per_page` at a time:
/// its first item, and "k/n" when there is more than one page.
fn page_of(count: usize, per_page: usize, page: i32) -> (usize, Option<String>) {
    let per_page = per_page.max(1);
    let pages = count.div_ceil(per_page).max(1);
    let k = page.rem_euclid(pages as i32) as usize;
    let note = (pages > 1).then(|| format!("{}/{pages}", k + 1));
    (k * per_page, note)
}

/// The keys, over the panes (`main`) and the status's rule where they fit
/// there, so that the title and the status lines (the run, the time, the
/// input) stay in sight while one reads them; else over the whole screen.
pub(super) fn help(frame: &mut Frame, screen: Rect, main: Rect, page: i32, theme: &Theme) {
    let rows: Vec<Line> = BINDINGS
        .iter()
        .filter(|b| !b.label.is_empty())
        .map(|b| {
            // In ASCII the arrows are named: `^v` and `><` read as the
            // keys v and >, which do other things.
            let label = if theme.ascii {
                b.label
                    .replace("↑↓ k j", "Up/Dn kj")
                    .replace("→← l h", "Rt/Lt lh")
            } else {
                b.label.to_string()
            };
            Line::from(vec![
                Span::styled(
                    format!(" {label:<w$}", w = HELP_KEYS_WIDTH - 1),
                    theme.bold(),
                ),
                Span::raw(theme.words(b.help)),
            ])
        })
        .collect();
    let column = HELP_KEYS_WIDTH + HELP_TEXT_WIDTH + HELP_GAP;
    let two = screen.width as usize >= 2 * column + 2;
    let columns = if two { 2 } else { 1 };
    // Rows a column shows: all of its share, or what the screen holds.
    let per_column = rows
        .len()
        .div_ceil(columns)
        .min(screen.height.saturating_sub(2) as usize);
    let (first, note) = page_of(rows.len(), columns * per_column, page);
    let shown = &rows[first..(first + columns * per_column).min(rows.len())];
    let title = match note {
        Some(k) => format!(" keys {k} · Space: more · Esc closes "),
        None => " keys (Esc or ? closes) ".to_string(),
    };
    let (w, h) = ((columns * column) as u16 + 2, per_column as u16 + 2);
    let above_status = Rect {
        height: (main.height + 1).min(screen.bottom() - main.y),
        ..main
    };
    let r = centered(
        if h <= above_status.height {
            above_status
        } else {
            screen
        },
        w,
        h,
    );
    frame.render_widget(Clear, r);
    let block = Block::bordered().title(title);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if two {
        let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        let split = per_column.min(shown.len());
        frame.render_widget(Paragraph::new(shown[..split].to_vec()), a);
        frame.render_widget(Paragraph::new(shown[split..].to_vec()), b);
    } else {
        frame.render_widget(Paragraph::new(shown.to_vec()), inner);
    }
}

/// The preset's guidance, whole, over the screen (in pages on a small one).
pub(super) fn guide(frame: &mut Frame, screen: Rect, app: &App, page: i32, theme: &Theme) {
    let w = screen.width.min(84);
    let text = if app.preset.guide.is_empty() {
        "This preset has no guidance.".to_string()
    } else {
        match app.changed_since_opened() {
            Some(note) => format!("{}\n{note}", app.preset.guide),
            None => app.preset.guide.clone(),
        }
    };
    let lines: Vec<Line> = wrap_words(&theme.words(&text), w.saturating_sub(4) as usize)
        .into_iter()
        .map(|l| Line::raw(format!(" {l}")))
        .collect();
    // The borders and the closing line take three rows.
    let per_page = lines.len().min(screen.height.saturating_sub(3) as usize);
    let (first, note) = page_of(lines.len(), per_page, page);
    let mut shown = lines[first..(first + per_page).min(lines.len())].to_vec();
    shown.push(Line::styled(
        match note {
            Some(k) => format!(" {k}, Space: more · Esc closes"),
            None => " Esc closes · a shows this again".to_string(),
        },
        theme.dim(),
    ));
    let r = centered(screen, w, per_page as u16 + 3);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(shown).block(Block::bordered().title(Line::from(Span::styled(
            format!(" look at: {} ", app.preset.name),
            theme.bold(),
        )))),
        r,
    );
}

/// The guidance's first lines at the foot of the main area, shown for a
/// while after a preset opens.
pub(super) fn guide_banner(frame: &mut Frame, main: Rect, app: &App, theme: &Theme) {
    let w = main.width.saturating_sub(4).max(20);
    // Inside the border (w - 2 columns), a space, then the words.
    let mut lines: Vec<Line> = wrap_words(
        &theme.words(&app.preset.guide),
        w.saturating_sub(3) as usize,
    )
    .into_iter()
    .map(|l| Line::raw(format!(" {l}")))
    .collect();
    let most = (main.height / 2).saturating_sub(2).max(1) as usize;
    let more = lines.len() > most;
    lines.truncate(most);
    lines.push(Line::styled(
        if more {
            theme.spelled(
                " … a: read the rest · any key closes",
                " ... a: read the rest · any key closes",
            )
        } else {
            " a shows this again · any key closes"
        },
        theme.dim(),
    ));
    let h = lines.len() as u16 + 2;
    let r = Rect::new(
        main.x + 2,
        main.bottom().saturating_sub(h + 1),
        w,
        h.min(main.height),
    );
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(Line::from(Span::styled(" look at ", theme.bold())))),
        r,
    );
}
