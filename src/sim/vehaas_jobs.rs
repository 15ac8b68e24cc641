//! veHaaS simulator jobs: `POST /jobs` bookkeeping and the time-driven walk queued -> running ->
//! finished (or failed), which books the session and names the runner tag. No HTTP here.

use jiff::Timestamp;
use serde_json::{Map, json};

use super::wire::{WireId, WireJob, WireJobCreated, format_clock, format_time, state_text};
use super::{CALLER, Job, Model, NewJob, Phase, Session, add_micros};

pub(super) fn job_uuid(n: u64) -> String {
    let mixed = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!(
        "6f1c2a9e-{:04x}-4{:03x}-9{:03x}-{:012x}",
        n & 0xffff,
        (mixed >> 20) & 0xfff,
        (mixed >> 32) & 0xfff,
        mixed & 0xffff_ffff_ffff
    )
}

impl Model {
    pub(super) fn advance_jobs(&mut self, now: Timestamp) {
        for i in 0..self.jobs.len() {
            while self.step_job(i, now) {}
        }
    }

    /// Moves job `i` one phase forward if its time has come; says whether it moved.
    fn step_job(&mut self, i: usize, now: Timestamp) -> bool {
        let Some(job) = self.jobs.get(i) else {
            return false;
        };
        let (steps, queued) = match job.phase {
            Phase::Queued => (1, true),
            Phase::Running => (3, false),
            Phase::Finished | Phase::Failed(_) => return false,
        };
        let at = add_micros(job.created_at, self.job_step_micros.saturating_mul(steps));
        if now < at {
            return false;
        }
        let (asm, dur, put_in_queue) = (
            job.assembly_ref.clone(),
            job.duration_micros,
            job.put_in_queue,
        );
        let slot = self.find_slot(&asm, at, dur, put_in_queue, now);
        let tag_and_session = match (&slot, queued) {
            (Ok(_), true) => {
                let id = self.next_session.to_string();
                self.next_session += 1;
                Some(id)
            }
            (Ok(start), false) => {
                let id = self.jobs[i].session_id.clone().unwrap_or_default();
                let tag = format!("vehaas-{}-{id}", asm.to_ascii_lowercase());
                self.sessions.push(Session {
                    id: id.clone(),
                    assembly_ref: asm.clone(),
                    owner: CALLER.to_string(),
                    start: *start,
                    end: add_micros(*start, dur),
                    tag: Some(tag.clone()),
                    released: false,
                    odd_state: None,
                });
                Some(tag)
            }
            (Err(_), _) => None,
        };
        let job = &mut self.jobs[i];
        job.updated_at = at;
        match (slot, queued, tag_and_session) {
            (Err(msg), _, _) => job.phase = Phase::Failed(msg),
            (Ok(_), true, session_id) => {
                job.session_id = session_id;
                job.phase = Phase::Running;
            }
            (Ok(_), false, tag) => {
                job.tag = tag;
                job.phase = Phase::Finished;
            }
        }
        true
    }

    /// The earliest start at or after `from` when `asm` is free for `dur`, queueing behind
    /// clashing bookings only when `put_in_queue`; otherwise why it cannot be booked.
    fn find_slot(
        &self,
        asm: &str,
        from: Timestamp,
        dur: i64,
        put_in_queue: bool,
        now: Timestamp,
    ) -> Result<Timestamp, String> {
        let Some(assembly) = self.assemblies.iter().find(|a| a.reference == asm) else {
            return Err(format!("Assembly {asm} not found"));
        };
        if assembly.on_stock {
            return Err(format!("Assembly {asm} is on stock and cannot be booked"));
        }
        let mut start = from;
        for _ in 0..=self.sessions.len() {
            let end = add_micros(start, dur);
            let clash = self
                .sessions
                .iter()
                .filter(|s| s.assembly_ref == asm && s.overlaps(start, end))
                .max_by_key(|s| s.end);
            match clash {
                None => return Ok(start),
                Some(s) if !put_in_queue => {
                    return Err(format!(
                        "Assembly {asm} is booked by {} until {} and put_in_queue is false",
                        s.owner,
                        format_clock(s.end, now)
                    ));
                }
                Some(s) => start = s.end,
            }
        }
        Err(format!("Assembly {asm} has no free slot"))
    }

    pub(super) fn create_job(&mut self, req: NewJob, now: Timestamp) -> WireJobCreated {
        let number = self.next_job;
        self.next_job += 1;
        let job = Job {
            uuid: job_uuid(number),
            number,
            assembly_ref: req.assembly_ref,
            put_in_queue: req.put_in_queue,
            duration_micros: req.duration_micros,
            created_at: now,
            updated_at: now,
            phase: Phase::Queued,
            session_id: None,
            tag: None,
        };
        let created = WireJobCreated {
            job_id: self.job_id(&job),
            state: state_text("queued", self.lenient),
        };
        self.jobs.push(job);
        created
    }

    fn job_id(&self, job: &Job) -> WireId {
        if self.lenient {
            WireId::Num(job.number)
        } else {
            WireId::Str(job.uuid.clone())
        }
    }

    pub(super) fn render_job(&self, job: &Job) -> WireJob {
        let (state, error) = match &job.phase {
            Phase::Queued => ("queued", None),
            Phase::Running => ("running", None),
            Phase::Finished => ("finished", None),
            Phase::Failed(msg) => ("failed", Some(msg.clone())),
        };
        let mut extra = Map::new();
        if self.lenient {
            extra.insert("runner_version".into(), json!("17.5.0"));
            extra.insert(
                "request_profile".into(),
                json!({"assembly_ref": job.assembly_ref}),
            );
        }
        WireJob {
            job_id: self.job_id(job),
            state: state_text(state, self.lenient),
            assembly_ref: job.assembly_ref.clone(),
            session_id: job
                .session_id
                .as_deref()
                .map(|s| WireId::new(s, self.lenient)),
            gitlab_runner_tag: job.tag.clone(),
            created_at: format_time(job.created_at, self.lenient),
            updated_at: format_time(job.updated_at, self.lenient),
            detail: error.clone(),
            error,
            extra,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::vehaas::{seed, wire};

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn job_ids_are_distinct_and_uuid_shaped() {
        let a = job_uuid(5001);
        let b = job_uuid(5002);
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.matches('-').count(), 4);
    }

    fn model(now: Timestamp) -> Model {
        Model {
            lenient: false,
            job_step_micros: 1_000_000,
            assemblies: seed::assemblies(),
            sessions: seed::sessions(now),
            jobs: Vec::new(),
            next_session: 1050,
            next_job: 5001,
        }
    }

    fn new_job(asm: &str, minutes: i64, put_in_queue: bool) -> NewJob {
        NewJob {
            put_in_queue,
            duration_micros: minutes * 60 * wire::MICROS_PER_SEC,
            assembly_ref: asm.to_string(),
        }
    }

    #[test]
    fn job_walks_through_phases() {
        let t0 = ts("2026-11-22T10:00:00Z");
        let mut m = model(t0);
        m.create_job(new_job("HIL-BENCH-03", 10, false), t0);
        let state = |m: &Model| m.render_job(&m.jobs[0]).state;
        m.advance_jobs(add_micros(t0, 500_000));
        assert_eq!(state(&m), "queued");
        m.advance_jobs(add_micros(t0, 1_500_000));
        assert_eq!(state(&m), "running");
        assert_eq!(m.jobs[0].session_id.as_deref(), Some("1050"));
        m.advance_jobs(add_micros(t0, 3_000_000));
        assert_eq!(state(&m), "finished");
        assert_eq!(m.jobs[0].tag.as_deref(), Some("vehaas-hil-bench-03-1050"));
        let s = m.session("1050").expect("session");
        assert_eq!(s.start, add_micros(t0, 3_000_000));
    }

    #[test]
    fn busy_assembly_fails_or_queues() {
        let t0 = ts("2026-11-22T10:00:00Z");
        let mut m = model(t0);
        let busy_until = m.session("1041").expect("seeded").end;
        m.create_job(new_job("HIL-BENCH-01", 10, false), t0);
        m.create_job(new_job("HIL-BENCH-01", 10, true), t0);
        m.create_job(new_job("NO-SUCH-RIG", 10, true), t0);
        m.advance_jobs(add_micros(t0, 10_000_000));
        assert!(matches!(m.jobs[0].phase, Phase::Failed(_)));
        assert!(matches!(m.jobs[1].phase, Phase::Finished));
        assert!(matches!(&m.jobs[2].phase, Phase::Failed(msg) if msg.contains("not found")));
        let queued = m.jobs[1].session_id.clone().expect("session id");
        assert_eq!(m.session(&queued).expect("session").start, busy_until);
    }
}
