//! The time axis of the timeline: the zoom, the window it shows around now, where an instant
//! or a session falls in columns, and the clock ticks of the scale. Arithmetic only, no drawing.

use jiff::tz::TimeZone;
use jiff::{RoundMode, SignedDuration, Timestamp, Unit, Zoned, ZonedRound};

use crate::domain::Session;

/// How much time the timeline shows. Plain data, so the state can keep it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Zoom {
    Hours2,
    #[default]
    Hours6,
    Hours12,
    Hours24,
}

impl Zoom {
    pub const ALL: [Zoom; 4] = [Zoom::Hours2, Zoom::Hours6, Zoom::Hours12, Zoom::Hours24];

    pub fn hours(self) -> i64 {
        match self {
            Zoom::Hours2 => 2,
            Zoom::Hours6 => 6,
            Zoom::Hours12 => 12,
            Zoom::Hours24 => 24,
        }
    }

    /// A shorter window (more detail); stays at 2 h.
    pub fn zoom_in(self) -> Zoom {
        let i = Self::ALL.iter().position(|z| *z == self).unwrap_or(0);
        Self::ALL[i.saturating_sub(1)]
    }

    /// A longer window; stays at 24 h.
    pub fn zoom_out(self) -> Zoom {
        let i = Self::ALL.iter().position(|z| *z == self).unwrap_or(0);
        Self::ALL[(i + 1).min(Self::ALL.len() - 1)]
    }

    /// `2h`, `6h`, `12h`, `24h`.
    pub fn label(self) -> &'static str {
        match self {
            Zoom::Hours2 => "2h",
            Zoom::Hours6 => "6h",
            Zoom::Hours12 => "12h",
            Zoom::Hours24 => "24h",
        }
    }
}

/// Where a session lies in the window, in bar columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// It ended before the window starts.
    Before,
    /// It starts after the window ends (the column is the last one).
    After(u16),
    /// Columns `first..=last`, clipped to the window.
    Cols(u16, u16),
}

impl Place {
    pub(super) fn first(self) -> u16 {
        match self {
            Place::Before => 0,
            Place::After(c) => c,
            Place::Cols(a, _) => a,
        }
    }

    pub(super) fn last(self) -> u16 {
        match self {
            Place::Before => 0,
            Place::After(c) => c,
            Place::Cols(_, b) => b,
        }
    }
}

/// The visible stretch of time, mapped onto `cols` columns: a quarter before now, the rest after.
pub(super) struct Window {
    start: Timestamp,
    end: Timestamp,
    pub(super) now: Timestamp,
    pub(super) cols: u16,
}

impl Window {
    pub(super) fn new(now: Timestamp, zoom: Zoom, cols: u16) -> Self {
        let span = SignedDuration::from_hours(zoom.hours());
        let start = now.checked_sub(span / 4).unwrap_or(now);
        let end = start.checked_add(span).unwrap_or(Timestamp::MAX);
        Self {
            start,
            end,
            now,
            cols,
        }
    }

    fn span_ms(&self) -> i128 {
        self.end.duration_since(self.start).as_millis().max(1)
    }

    /// `cols * (t - start) / span`, rounded down or up; outside `0..cols` off the window.
    fn scaled(&self, t: Timestamp, up: bool) -> i128 {
        let n = t.duration_since(self.start).as_millis() * i128::from(self.cols);
        let q = n.div_euclid(self.span_ms());
        if up && n.rem_euclid(self.span_ms()) != 0 {
            q + 1
        } else {
            q
        }
    }

    /// The column of an instant, if it is in the window.
    pub(super) fn col(&self, t: Timestamp) -> Option<u16> {
        u16::try_from(self.scaled(t, false))
            .ok()
            .filter(|c| *c < self.cols)
    }

    /// Every column the session touches, so that even a short one shows.
    pub(super) fn place(&self, s: &Session) -> Place {
        let last_col = self.cols.saturating_sub(1);
        let clip = |c: i128| u16::try_from(c.clamp(0, i128::from(last_col))).unwrap_or(0);
        match (
            s.start.as_ref().map(|t| t.at()),
            s.end.as_ref().map(|t| t.at()),
        ) {
            (_, Some(end)) if end <= self.start => Place::Before,
            (Some(start), _) if start >= self.end => Place::After(last_col),
            (start, end) => {
                let first = start.map_or(0, |t| self.scaled(t, false));
                let last = end.map_or(i128::MAX, |t| self.scaled(t, true) - 1);
                Place::Cols(clip(first), clip(last.max(first)))
            }
        }
    }
}

/// Keeps lines `focus.0..=focus.1` inside `height` lines from `offset`; returns the offset.
pub(super) fn keep_visible(
    offset: usize,
    focus: Option<(usize, usize)>,
    height: usize,
    len: usize,
) -> usize {
    let mut off = offset.min(len.saturating_sub(height));
    if let Some((first, last)) = focus {
        if last >= off + height {
            off = (last + 1).saturating_sub(height);
        }
        off = off.min(first);
    }
    off
}

/// Cells of a scale label, `HH:MM`.
pub(super) const LABEL_WIDTH: u16 = 5;

/// Local clock times on the multiples of a step that leaves room for a label and a gap of three
/// cells: each tick's column and its `HH:MM`.
pub(super) fn ticks(window: &Window, tz: &TimeZone) -> Vec<(u16, String)> {
    let minutes = window.span_ms() / 60_000;
    let cols = i128::from(window.cols);
    let room = i128::from(LABEL_WIDTH + 3);
    let step = [15i64, 30, 60, 120, 180, 360, 720]
        .into_iter()
        .find(|step| i128::from(*step) * cols >= room * minutes)
        .unwrap_or(720);
    let round = |z: &Zoned| {
        let r = if step < 60 {
            ZonedRound::new().smallest(Unit::Minute).increment(step)
        } else {
            ZonedRound::new().smallest(Unit::Hour).increment(step / 60)
        };
        z.round(r.mode(RoundMode::Ceil)).ok()
    };
    let end = window.end;
    let mut out = Vec::new();
    let mut next = round(&window.start.to_zoned(tz.clone()));
    // The civil multiple after each tick, so a DST change keeps the labels on round times.
    while let Some(z) = next.filter(|z| z.timestamp() < end) {
        if let Some(col) = window.col(z.timestamp()) {
            out.push((col, z.strftime("%H:%M").to_string()));
        }
        next = z
            .checked_add(SignedDuration::from_mins(1))
            .ok()
            .and_then(|z| round(&z));
    }
    out
}
