//! How many requests the simulator is answering at once (now, and at most since the start or
//! the last reset), and gates that hold a number of requests until all of them have arrived:
//! what a test of a client that asks several things at once reads. Never blocks a thread.

use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

#[derive(Debug, Default)]
struct State {
    now: usize,
    peak: usize,
    gates: Vec<Gate>,
}

#[derive(Debug)]
struct Gate {
    prefix: String,
    skip: usize,
    want: usize,
    waiting: usize,
    open: watch::Sender<bool>,
}

/// Cloneable handle, shared by the middleware and the `Simulator`.
#[derive(Debug, Clone, Default)]
pub struct Concurrency {
    inner: Arc<Mutex<State>>,
}

/// Counts one request as in flight until dropped (answered, or given up by the client).
pub(crate) struct InFlight(Concurrency);

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.now = s.now.saturating_sub(1);
    }
}

impl Concurrency {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn enter(&self) -> InFlight {
        let mut s = self.lock();
        s.now += 1;
        s.peak = s.peak.max(s.now);
        InFlight(self.clone())
    }

    /// The most requests answered at once since the start or `reset_peak`.
    pub fn peak(&self) -> usize {
        self.lock().peak
    }

    pub fn reset_peak(&self) {
        let mut s = self.lock();
        s.peak = s.now;
    }

    /// Of the next requests whose path and query (`/api/v4/x?page=2`) start with `prefix`, let
    /// `skip` through, then hold the next `n` until all `n` have arrived, and answer them.
    pub fn hold_together(&self, prefix: &str, skip: usize, n: usize) {
        if n == 0 {
            return;
        }
        let (open, _) = watch::channel(false);
        self.lock().gates.push(Gate {
            prefix: prefix.to_string(),
            skip,
            want: n,
            waiting: 0,
            open,
        });
    }

    /// The gate this request (`target`: path and query) must wait at, if any; the last to
    /// arrive opens it.
    pub(crate) fn gate(&self, target: &str) -> Option<watch::Receiver<bool>> {
        let mut s = self.lock();
        let idx = s.gates.iter().position(|g| target.starts_with(&g.prefix))?;
        let gate = s.gates.get_mut(idx)?;
        if gate.skip > 0 {
            gate.skip -= 1;
            return None;
        }
        gate.waiting += 1;
        let rx = gate.open.subscribe();
        if gate.waiting == gate.want {
            gate.open.send_replace(true);
            s.gates.remove(idx);
        }
        Some(rx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_now_and_peak() {
        let c = Concurrency::default();
        let a = c.enter();
        let b = c.enter();
        drop(a);
        let _c = c.enter();
        assert_eq!(c.peak(), 2);
        drop(b);
        c.reset_peak();
        assert_eq!(c.peak(), 1);
    }

    #[test]
    fn a_gate_skips_then_opens_for_the_last_of_n() {
        let c = Concurrency::default();
        c.hold_together("/x?", 1, 2);
        assert!(c.gate("/y").is_none());
        assert!(c.gate("/x?page=1").is_none(), "skipped");
        let first = c.gate("/x?page=2").expect("held");
        assert!(!*first.borrow());
        let second = c.gate("/x?page=3").expect("held");
        assert!(*first.borrow() && *second.borrow(), "open for both");
        assert!(c.gate("/x?page=4").is_none(), "gone once open");
    }
}
