//! Where things were drawn, for the mouse: each frame records its panes, list rows and dialog
//! buttons, and a click or the wheel is read against the latest frame (the last one drawn on
//! top wins).

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use crate::keymap::Mode;
use crate::msg::Intent;
use crate::state::Pane;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Pane(Pane),
    /// The `n`-th row of a pane's list (counted over the whole list, not the screen).
    Row(Pane, usize),
    /// A dialog's Yes or No.
    Answer(bool),
    /// A dialog: clicks on it go nowhere but its buttons.
    Modal,
}

/// The targets of the latest frame, in drawing order.
#[derive(Debug, Clone, Default)]
pub struct Hits(Vec<(Rect, Target)>);

impl Hits {
    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn push(&mut self, area: Rect, target: Target) {
        self.0.push((area, target));
    }

    /// Rows `first..` of a list drawn from `area.y` down, one per line.
    pub fn rows(&mut self, pane: Pane, area: Rect, first: usize, count: usize) {
        for i in 0..count.min(area.height as usize) {
            let row = Rect::new(area.x, area.y + i as u16, area.width, 1);
            self.push(row, Target::Row(pane, first + i));
        }
    }

    /// What is on top at a cell.
    pub fn at(&self, column: u16, row: u16) -> Option<Target> {
        let p = Position::new(column, row);
        self.0
            .iter()
            .rev()
            .find(|(area, _)| area.contains(p))
            .map(|(_, t)| *t)
    }

    /// What a mouse event means in `mode`, if anything: a left click selects or answers,
    /// the wheel moves.
    pub fn intent(&self, mode: Mode, ev: &MouseEvent) -> Option<Intent> {
        let target = self.at(ev.column, ev.row);
        match ev.kind {
            MouseEventKind::Down(MouseButton::Left) => match target? {
                Target::Answer(yes) => Some(Intent::Answer(yes)),
                Target::Modal => None,
                _ if !matches!(
                    mode,
                    Mode::Rc | Mode::Bookings | Mode::Timeline | Mode::Detail
                ) =>
                {
                    None
                }
                Target::Pane(pane) => Some(Intent::Click { pane, row: None }),
                Target::Row(pane, i) => Some(Intent::Click { pane, row: Some(i) }),
            },
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = ev.kind == MouseEventKind::ScrollDown;
                match (mode, target) {
                    (Mode::Raw | Mode::Log | Mode::Help | Mode::Picker, _) => {
                        Some(if down { Intent::Down } else { Intent::Up })
                    }
                    (
                        Mode::Rc | Mode::Bookings | Mode::Timeline | Mode::Detail,
                        Some(Target::Pane(pane) | Target::Row(pane, _)),
                    ) => Some(Intent::Wheel { pane, down }),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn ev(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
        MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }
    }

    #[test]
    fn the_last_drawn_wins_and_a_dialog_swallows_clicks_off_its_buttons() {
        let mut h = Hits::default();
        h.push(Rect::new(0, 0, 40, 10), Target::Pane(Pane::Controllers));
        h.rows(Pane::Controllers, Rect::new(1, 2, 38, 7), 20, 3);
        let click = MouseEventKind::Down(MouseButton::Left);
        assert_eq!(
            h.intent(Mode::Rc, &ev(click, 5, 3)),
            Some(Intent::Click {
                pane: Pane::Controllers,
                row: Some(21)
            })
        );
        assert_eq!(
            h.intent(Mode::Rc, &ev(click, 5, 8)),
            Some(Intent::Click {
                pane: Pane::Controllers,
                row: None
            }),
            "below the last row: the pane"
        );
        h.push(Rect::new(10, 2, 20, 5), Target::Modal);
        h.push(Rect::new(12, 5, 6, 1), Target::Answer(false));
        assert_eq!(h.intent(Mode::Confirm, &ev(click, 11, 3)), None);
        assert_eq!(
            h.intent(Mode::Confirm, &ev(click, 13, 5)),
            Some(Intent::Answer(false))
        );
        assert_eq!(
            h.intent(Mode::Confirm, &ev(click, 2, 3)),
            None,
            "the pane under a dialog"
        );
        assert_eq!(
            h.intent(Mode::Rc, &ev(MouseEventKind::ScrollDown, 2, 3)),
            Some(Intent::Wheel {
                pane: Pane::Controllers,
                down: true
            })
        );
        assert_eq!(
            h.intent(Mode::Log, &ev(MouseEventKind::ScrollUp, 0, 0)),
            Some(Intent::Up)
        );
    }
}
