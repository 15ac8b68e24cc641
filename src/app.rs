//! The event loop: terminal events (read by their own task into a channel, so a burst of typed
//! or pasted keys is never left waiting for the next one), outcomes, a slow tick and context
//! switches in one `select!`; every ready message is reduced before a single draw, and nothing
//! is drawn when nothing changed.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use jiff::Timestamp;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use crate::effect::Effect;
use crate::executor::Executor;
use crate::msg::{Msg, Outcome};
use crate::ops::{Auditor, Ops, Source};
use crate::setup::Setup;
use crate::state::{self, State};
use crate::ui::{self, View};

/// About 4 Hz: spinner frames, countdowns, flash expiry and auto-refresh all hang off it.
const TICK: Duration = Duration::from_millis(250);

/// The clients of one context and the channel their outcomes come back on. Switching context
/// drops it whole: answers still on their way from the old instance go nowhere.
struct Connection {
    executor: Executor,
    rx: mpsc::UnboundedReceiver<Outcome>,
}

impl Connection {
    fn open(
        gitlab: Arc<crate::api::GitLab>,
        vehaas: Option<Arc<crate::api::Vehaas>>,
        notices: mpsc::UnboundedReceiver<crate::domain::Deprecation>,
        demo: bool,
    ) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        forward_notices(notices, tx.clone());
        observe_retries(&gitlab, vehaas.as_deref(), &tx);
        let auditor = Auditor::new(
            crate::audit::AuditLog::for_run(demo),
            Source::Tui,
            Arc::clone(&gitlab),
            |e| tracing::error!("{e}"),
        );
        let ops = Ops::new(gitlab, vehaas, auditor);
        let executor = Executor::new(ops, tx);
        executor.warm_up();
        Self { executor, rx }
    }
}

fn forward_notices(
    mut notices: mpsc::UnboundedReceiver<crate::domain::Deprecation>,
    tx: mpsc::UnboundedSender<Outcome>,
) {
    tokio::spawn(async move {
        while let Some(d) = notices.recv().await {
            tracing::warn!(api = %d.api, endpoint = %d.endpoint, sunset = ?d.sunset, "deprecation notice");
            if tx.send(Outcome::Deprecated(d)).is_err() {
                break;
            }
        }
    });
}

/// A listing asked again says so in its pane's title ("retrying in 2 s (429)").
fn observe_retries(
    gitlab: &crate::api::GitLab,
    vehaas: Option<&crate::api::Vehaas>,
    tx: &mpsc::UnboundedSender<Outcome>,
) {
    let send = |pane: crate::state::Pane, tx: mpsc::UnboundedSender<Outcome>| {
        move |n: crate::api::RetryNotice| {
            let _ = tx.send(Outcome::Retrying {
                pane,
                wait: n.wait,
                reason: n.reason,
            });
        }
    };
    let list = send(crate::state::Pane::Controllers, tx.clone());
    gitlab.set_retry_observer(Arc::new(move |n: crate::api::RetryNotice| {
        if n.endpoint == crate::api::gitlab::LIST_ENDPOINT {
            list(n);
        }
    }));
    if let Some(v) = vehaas {
        let sessions = format!("GET {}", v.paths().sessions);
        let bookings = send(crate::state::Pane::Bookings, tx.clone());
        v.set_retry_observer(Arc::new(move |n: crate::api::RetryNotice| {
            if n.endpoint == sessions {
                bookings(n);
            }
        }));
    }
}

/// What makes the connections of a context insecure, for the header's badge.
fn insecurity(
    gitlab: &crate::api::GitLab,
    vehaas: Option<&crate::api::Vehaas>,
) -> Vec<(crate::state::Service, crate::api::Insecurity)> {
    use crate::state::Service;
    let mut out: Vec<_> = gitlab
        .insecurity()
        .map(|i| (Service::GitLab, i))
        .into_iter()
        .collect();
    out.extend(
        vehaas
            .and_then(|v| v.insecurity())
            .map(|i| (Service::Vehaas, i)),
    );
    out
}

/// What `:ctx NAME` needs: the configuration and whether `--read-only` was given.
#[derive(Clone)]
struct Switcher {
    config: Option<Arc<crate::config::Config>>,
    forced_read_only: bool,
}

/// A context opened off the event loop (a `token_command` may take its time).
type Switched = (String, Result<(Setup, Vec<String>), String>);

impl Switcher {
    fn start(&self, name: String, done: mpsc::UnboundedSender<Switched>) {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let result = match &this.config {
                None => Err("the demo has no other context".to_string()),
                Some(cfg) => crate::setup::for_context(cfg, &name, this.forced_read_only)
                    .map_err(|e| e.to_string()),
            };
            let _ = done.send((name, result));
        });
    }
}

/// Runs the TUI until the user quits. The terminal is restored on return and on panic.
pub async fn run(
    setup: Setup,
    warnings: Vec<String>,
    forced_read_only: bool,
) -> std::io::Result<()> {
    let Setup {
        gitlab,
        vehaas,
        context,
        settings,
        simulator,
        notices,
        config,
    } = setup;
    let mut context = context;
    context.insecure = insecurity(&gitlab, vehaas.as_deref());
    let conn = Connection::open(gitlab, vehaas, notices, context.demo);
    let mut state = State::new(Timestamp::now(), context, settings);
    let (saved, unreadable) = crate::saved_file::load();
    state.restore(&saved);
    for w in warnings.into_iter().chain(unreadable) {
        state.flash(state::Note::ConfigWarning(w));
    }
    let switcher = Switcher {
        config: config.map(Arc::new),
        forced_read_only,
    };
    log_panics();
    // ratatui's hook restores the terminal first, then calls ours: the message lands on a
    // normal screen, and in the log.
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    let _ = capture_mouse(state.settings.mouse);
    let result = event_loop(&mut terminal, state, conn, &switcher, saved).await;
    let _ = capture_mouse(false);
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
    drop(simulator);
    result
}

/// A panic also goes to the log file (its message and place; nothing here holds a token).
fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!("panic: {info}");
        default(info);
    }));
}

/// `ctrl-z` or a `SIGTSTP`: the terminal is given back as it was, the process stops, and on
/// `fg` (`SIGCONT`) the screen comes back whole.
fn suspend(terminal: &mut DefaultTerminal, mouse: bool) -> std::io::Result<()> {
    use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
    use crossterm::terminal::EnterAlternateScreen;
    let _ = capture_mouse(false);
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
    #[cfg(unix)]
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    crossterm::terminal::enable_raw_mode()?;
    let clear = crossterm::terminal::Clear(crossterm::terminal::ClearType::All);
    crossterm::execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        clear
    )?;
    // A fresh terminal has empty buffers, so the next frame is drawn whole; `clear()` would
    // ask the terminal where its cursor is, an answer the event reader may well swallow.
    *terminal = ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))?;
    capture_mouse(mouse)
}

/// Mouse reports on (clicks and the wheel reach the program) or off (the terminal selects).
fn capture_mouse(on: bool) -> std::io::Result<()> {
    use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
    if on {
        crossterm::execute!(std::io::stdout(), EnableMouseCapture)
    } else {
        crossterm::execute!(std::io::stdout(), DisableMouseCapture)
    }
}

/// `SIGTSTP` from outside (`kill -TSTP`), handled like `ctrl-z` so the terminal is restored.
fn stop_signals() -> Option<tokio::signal::unix::Signal> {
    let kind = tokio::signal::unix::SignalKind::from_raw(signal_hook::consts::SIGTSTP);
    tokio::signal::unix::signal(kind).ok()
}

/// A debug build panics on purpose after its first frame when asked, so a test can prove the
/// terminal comes back after a panic. Release builds never do.
fn test_panic() {
    #[cfg(debug_assertions)]
    if std::env::var_os("RUNNERDECK_TEST_PANIC").is_some() {
        panic!("test panic requested by RUNNERDECK_TEST_PANIC");
    }
}

/// Reads terminal events on their own task: its waker is a real one, so keys that arrive in
/// a burst are delivered as they come.
fn terminal_events() -> mpsc::UnboundedReceiver<std::io::Result<Event>> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(ev) = events.next().await {
            if tx.send(ev).is_err() {
                break;
            }
        }
    });
    rx
}

fn to_msg(state: &State, view: &View, ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) => state.settings.keys.map(state, k).map(Msg::Intent),
        Event::Mouse(m) if state.settings.mouse => view
            .hits
            .intent(crate::keymap::mode(state), &m)
            .map(Msg::Intent),
        Event::Paste(text) => Some(Msg::Intent(crate::msg::Intent::Paste(text))),
        Event::Resize(..) => Some(Msg::Resize),
        _ => None,
    }
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut state: State,
    mut conn: Connection,
    switcher: &Switcher,
    mut saved: state::Saved,
) -> std::io::Result<()> {
    let mut events = terminal_events();
    let (switch_tx, mut switch_rx) = mpsc::unbounded_channel::<Switched>();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut view = View::default();
    let mut logged = 0u64;
    let mut stops = stop_signals();
    for fx in state.init() {
        perform(&mut conn, fx, switcher, &switch_tx)?;
    }
    let mut drawn = false;
    loop {
        log_history(&state, &mut logged);
        if std::mem::take(&mut state.suspend) {
            suspend(terminal, state.settings.mouse)?;
            state.dirty = true;
        }
        if state.dirty {
            terminal.draw(|f| ui::render(&state, &mut view, f))?;
            state.dirty = false;
            if !std::mem::replace(&mut drawn, true) {
                test_panic();
            }
        }
        let mut batch: Vec<Msg> = Vec::new();
        let stopped = async {
            match stops.as_mut() {
                Some(s) => s.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            Some(()) = stopped => {
                state.suspend = true;
                continue;
            }
            ev = events.recv() => match ev {
                Some(Ok(ev)) => batch.extend(to_msg(&state, &view, ev)),
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(o) = conn.rx.recv() => batch.push(Msg::Outcome(o)),
            Some((name, result)) = switch_rx.recv() => {
                let views = (&mut view, &mut saved);
                switch(&mut state, &mut conn, views, name, result, switcher, &switch_tx)?;
                continue;
            }
            _ = tick.tick() => batch.push(Msg::Tick { now: Timestamp::now() }),
        };
        // Drain everything already waiting, then draw once. Keys are mapped one by one, as
        // each may change the mode the next one is read in.
        while let Ok(o) = conn.rx.try_recv() {
            batch.push(Msg::Outcome(o));
        }
        for msg in batch {
            reduce(&mut state, msg, &mut conn, switcher, &switch_tx)?;
            if state.quit {
                leave(&state, &mut saved);
                return Ok(());
            }
        }
        while let Ok(ev) = events.try_recv() {
            let Some(msg) = to_msg(&state, &view, ev?) else {
                continue;
            };
            reduce(&mut state, msg, &mut conn, switcher, &switch_tx)?;
            if state.quit {
                leave(&state, &mut saved);
                return Ok(());
            }
        }
    }
}

/// Quitting: the view is kept for the next start.
fn leave(state: &State, saved: &mut state::Saved) {
    state.save_into(saved);
    crate::saved_file::store(saved);
}

fn reduce(
    state: &mut State,
    msg: Msg,
    conn: &mut Connection,
    switcher: &Switcher,
    switch_tx: &mpsc::UnboundedSender<Switched>,
) -> std::io::Result<()> {
    for fx in state::update(state, msg) {
        perform(conn, fx, switcher, switch_tx)?;
    }
    Ok(())
}

/// A context switch came back: on success a fresh state (keeping the flash history and its
/// numbering) on the new clients; either way an outcome says how it went.
fn switch(
    state: &mut State,
    conn: &mut Connection,
    (view, saved): (&mut View, &mut state::Saved),
    name: String,
    result: Result<(Setup, Vec<String>), String>,
    switcher: &Switcher,
    switch_tx: &mpsc::UnboundedSender<Switched>,
) -> std::io::Result<()> {
    let outcome = match result {
        Ok((setup, warnings)) => {
            let mut context = setup.context;
            context.insecure = insecurity(&setup.gitlab, setup.vehaas.as_deref());
            *conn = Connection::open(setup.gitlab, setup.vehaas, setup.notices, false);
            state.save_into(saved);
            *state = state.successor(context, setup.settings);
            state.restore(saved);
            crate::saved_file::store(saved);
            *view = View::default();
            capture_mouse(state.settings.mouse)?;
            for fx in state.init() {
                perform(conn, fx, switcher, switch_tx)?;
            }
            Outcome::ContextSwitched {
                name,
                warnings: Arc::new(warnings),
            }
        }
        Err(error) => Outcome::ContextFailed { name, error },
    };
    reduce(state, Msg::Outcome(outcome), conn, switcher, switch_tx)
}

/// Every flash (in the words the user saw) also goes to the log file, once.
fn log_history(state: &State, logged: &mut u64) {
    let since = *logged;
    for h in state.history.iter().filter(|h| h.seq > since) {
        let text = ui::words::note(&h.note, &state.context.tz);
        match h.note.level() {
            state::Level::Info | state::Level::Progress => tracing::info!("{text}"),
            state::Level::Warn => tracing::warn!("{text}"),
            state::Level::Error => tracing::error!("{text}"),
        }
        *logged = h.seq;
    }
}

fn perform(
    conn: &mut Connection,
    effect: Effect,
    switcher: &Switcher,
    switch_tx: &mpsc::UnboundedSender<Switched>,
) -> std::io::Result<()> {
    match effect {
        Effect::Copy { text } => copy_osc52(&text),
        Effect::MouseCapture(on) => capture_mouse(on),
        Effect::SwitchContext { name } => {
            switcher.start(name, switch_tx.clone());
            Ok(())
        }
        Effect::CopySecret { token } => {
            use secrecy::ExposeSecret;
            copy_osc52(token.0.secret.expose_secret())
        }
        other => {
            conn.executor.run(other);
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
