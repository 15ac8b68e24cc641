//! The event loop: terminal events, effect results and a slow tick in one `select!`; every ready
//! event is reduced before a single draw, and nothing is drawn when nothing changed.

use std::io::Write;
use std::time::Duration;

use base64::Engine;
use crossterm::event::{Event, EventStream};
use futures::{FutureExt, StreamExt};
use jiff::Timestamp;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use crate::action::Action;
use crate::effect::Effect;
use crate::keymap;
use crate::runner::Runner;
use crate::setup::Setup;
use crate::state::{self, State};
use crate::ui::{self, View};

/// About 4 Hz: spinner frames, countdowns, flash expiry and auto-refresh all hang off it.
const TICK: Duration = Duration::from_millis(250);

enum Incoming {
    Terminal(Event),
    Action(Action),
}

/// The clients of one context and the channel their results come back on. Switching context
/// drops it whole: answers still on their way from the old instance go nowhere.
struct Connection {
    runner: Runner,
    rx: mpsc::UnboundedReceiver<Action>,
}

impl Connection {
    fn open(
        gitlab: crate::api::GitLab,
        vehaas: Option<crate::api::Vehaas>,
        mut notices: mpsc::UnboundedReceiver<crate::domain::Deprecation>,
        demo: bool,
    ) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let forward = tx.clone();
        tokio::spawn(async move {
            while let Some(d) = notices.recv().await {
                tracing::warn!(api = %d.api, endpoint = %d.endpoint, sunset = ?d.sunset, "deprecation notice");
                if forward.send(Action::Deprecated(d)).is_err() {
                    break;
                }
            }
        });
        let runner = Runner::new(gitlab, vehaas, crate::audit::AuditLog::for_run(demo), tx);
        runner.warm_up();
        Self { runner, rx }
    }
}

/// What `:ctx NAME` needs: the configuration and whether `--read-only` was given.
struct Switcher {
    config: Option<crate::config::Config>,
    forced_read_only: bool,
}

impl Switcher {
    fn switch(&self, name: &str) -> Result<(Connection, State), String> {
        let Some(cfg) = &self.config else {
            return Err("the demo has no other context".into());
        };
        let (tx, notices) = mpsc::unbounded_channel();
        let setup = crate::setup::for_context(cfg, name, self.forced_read_only, tx, notices)
            .map_err(|e| e.to_string())?;
        let conn = Connection::open(setup.gitlab, setup.vehaas, setup.notices, false);
        let state = State::new(Timestamp::now(), setup.context, setup.settings);
        Ok((conn, state))
    }
}

/// Runs the TUI until the user quits. The terminal is restored on return and on panic.
pub async fn run(setup: Setup, forced_read_only: bool) -> std::io::Result<()> {
    let Setup {
        gitlab,
        vehaas,
        context,
        settings,
        simulator,
        notices,
        config,
    } = setup;
    let conn = Connection::open(gitlab, vehaas, notices, context.demo);
    let state = State::new(Timestamp::now(), context, settings);
    let switcher = Switcher {
        config,
        forced_read_only,
    };
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, state, conn, &switcher).await;
    ratatui::restore();
    drop(simulator);
    result
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut state: State,
    mut conn: Connection,
    switcher: &Switcher,
) -> std::io::Result<()> {
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut view = View::default();
    let mut logged = 0u64;
    for fx in state.init() {
        perform(&conn.runner, fx)?;
    }
    loop {
        log_history(&state, &mut logged);
        if state.dirty {
            terminal.draw(|f| ui::render(&state, &mut view, f))?;
            state.dirty = false;
        }
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => Incoming::Terminal(ev),
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(a) = conn.rx.recv() => Incoming::Action(a),
            _ = tick.tick() => Incoming::Action(Action::Tick { now: Timestamp::now() }),
        };
        let mut batch = vec![first];
        // Drain everything already waiting, then draw once.
        while let Ok(a) = conn.rx.try_recv() {
            batch.push(Incoming::Action(a));
        }
        while let Some(Some(Ok(ev))) = events.next().now_or_never() {
            batch.push(Incoming::Terminal(ev));
        }
        let mut switch_to = None;
        for item in batch {
            let action = match item {
                Incoming::Action(a) => Some(a),
                Incoming::Terminal(Event::Key(k)) => keymap::map(&state, k),
                Incoming::Terminal(Event::Resize(..)) => Some(Action::Resize),
                Incoming::Terminal(_) => None,
            };
            let Some(action) = action else { continue };
            for fx in state::update(&mut state, action) {
                match fx {
                    Effect::SwitchContext { name } => switch_to = Some(name),
                    fx => perform(&conn.runner, fx)?,
                }
            }
            if state.quit {
                return Ok(());
            }
        }
        if let Some(name) = switch_to {
            match switcher.switch(&name) {
                Ok((new_conn, mut new_state)) => {
                    conn = new_conn;
                    new_state.flash(state::Level::Info, format!("Now on context {name}"));
                    state = new_state;
                    view = View::default();
                    for fx in state.init() {
                        perform(&conn.runner, fx)?;
                    }
                }
                Err(e) => {
                    state.flash(state::Level::Error, format!("Cannot switch to {name}: {e}"));
                }
            }
        }
    }
}

/// Every flash (results and errors, in the words the user saw) also goes to the log file.
fn log_history(state: &State, logged: &mut u64) {
    let since = *logged;
    for h in state.history.iter().filter(|h| h.seq > since) {
        match h.level {
            state::Level::Info => tracing::info!("{}", h.text),
            state::Level::Warn => tracing::warn!("{}", h.text),
            state::Level::Error => tracing::error!("{}", h.text),
        }
        *logged = h.seq;
    }
}

fn perform(runner: &Runner, effect: Effect) -> std::io::Result<()> {
    match effect {
        Effect::Copy { text } => copy_osc52(&text),
        // Handled by the loop, which owns the connection.
        Effect::SwitchContext { .. } => Ok(()),
        Effect::CopySecret { token } => {
            use secrecy::ExposeSecret;
            copy_osc52(token.0.secret.expose_secret())
        }
        other => {
            runner.run(other);
            Ok(())
        }
    }
}

/// OSC 52 puts text on the clipboard of the terminal, over SSH and tmux too.
fn copy_osc52(text: &str) -> std::io::Result<()> {
    use zeroize::Zeroize;
    let mut b64 = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let written = write!(out, "\x1b]52;c;{b64}\x07").and_then(|()| out.flush());
    b64.zeroize();
    written
}
