//! veHaaS simulator sessions: extend and release with their clash and state rules, and the
//! rendering of sessions and assemblies into wire structs for either mode. No HTTP here.

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::wire::{
    WireAssembly, WireId, WireSession, WireValidationItem, format_clock, format_duration,
    format_time, state_text,
};
use super::{Model, Refusal, Session, micros_between};

impl Model {
    pub(super) fn extend(
        &mut self,
        id: &str,
        end: Timestamp,
        now: Timestamp,
    ) -> Result<WireSession, Refusal> {
        let Some(session) = self.session(id) else {
            return Err(Refusal::NotFound("Session not found"));
        };
        match session.state(now) {
            "released" => {
                return Err(Refusal::Conflict(format!(
                    "Cannot extend: session {id} was released"
                )));
            }
            "ended" => {
                return Err(Refusal::Conflict(format!(
                    "Cannot extend: session {id} has already ended"
                )));
            }
            _ => {}
        }
        if end <= session.start {
            return Err(Refusal::Invalid(vec![WireValidationItem::body(
                &["end"],
                format!(
                    "end must be after the session start ({})",
                    format_time(session.start, false)
                ),
                "value_error",
            )]));
        }
        if end <= now {
            return Err(Refusal::Invalid(vec![WireValidationItem::body(
                &["end"],
                "end must be in the future",
                "value_error",
            )]));
        }
        let clash = self
            .sessions
            .iter()
            .filter(|s| s.id != id && s.assembly_ref == session.assembly_ref)
            .filter(|s| s.overlaps(session.start, end) && s.end > now)
            .min_by_key(|s| s.start);
        if let Some(other) = clash {
            return Err(Refusal::Conflict(format!(
                "Cannot extend: {} is booked by {} from {}",
                other.assembly_ref,
                other.owner,
                format_clock(other.start, now)
            )));
        }
        let lenient = self.lenient;
        let session = self
            .sessions
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or(Refusal::NotFound("Session not found"))?;
        session.end = end;
        Ok(render_session(session, now, lenient))
    }

    pub(super) fn release(&mut self, id: &str, now: Timestamp) -> Result<(), Refusal> {
        let Some(session) = self.sessions.iter_mut().find(|s| s.id == id) else {
            return Err(Refusal::NotFound("Session not found"));
        };
        match session.state(now) {
            "released" => Err(Refusal::Conflict(format!(
                "Session {id} is already released"
            ))),
            "ended" => Err(Refusal::Conflict(format!("Session {id} has already ended"))),
            _ => {
                session.released = true;
                session.start = session.start.min(now);
                session.end = now;
                session.tag = None;
                Ok(())
            }
        }
    }

    pub(super) fn render_sessions(&self, now: Timestamp) -> Vec<WireSession> {
        self.sessions
            .iter()
            .map(|s| render_session(s, now, self.lenient))
            .collect()
    }

    pub(super) fn render_assemblies(&self, now: Timestamp) -> Vec<WireAssembly> {
        self.assemblies
            .iter()
            .map(|a| {
                let busy = self
                    .sessions
                    .iter()
                    .any(|s| s.assembly_ref == a.reference && s.state(now) == "active");
                let status = match (a.on_stock, busy) {
                    (true, _) => "on stock",
                    (false, true) => "in use",
                    (false, false) => "available",
                };
                let mut extra = Map::new();
                if self.lenient {
                    extra.insert("site_id".into(), json!(7));
                }
                WireAssembly {
                    assembly_ref: a.reference.clone(),
                    name: a.name.clone(),
                    location: a.location.clone(),
                    status: status.to_string(),
                    extra,
                }
            })
            .collect()
    }
}

pub(super) fn render_session(s: &Session, now: Timestamp, lenient: bool) -> WireSession {
    let derived = s.state(now);
    let state = match (s.odd_state, derived) {
        (Some(odd), "scheduled" | "active") if lenient => odd.to_string(),
        _ => state_text(derived, lenient),
    };
    let mut extra = Map::new();
    if lenient {
        extra.insert("calendar_color".into(), json!("#2a7ab0"));
        extra.insert("transferable".into(), Value::Bool(!s.released));
        extra.insert("project_id".into(), json!(4711));
    }
    WireSession {
        id: WireId::new(&s.id, lenient),
        assembly_ref: s.assembly_ref.clone(),
        owner: s.owner.clone(),
        state,
        start: format_time(s.start, lenient),
        end: format_time(s.end, lenient),
        duration: format_duration(micros_between(s.start, s.end), lenient),
        gitlab_runner_tag: s.live_tag(now),
        extra,
    }
}
