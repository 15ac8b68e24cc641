//! End-to-end tests of a runner controller's detail and of the gravest state change: the real
//! binary in a pseudo-terminal against the in-process simulator. Token rotation (the secret shown
//! once, then wiped; the audit log without secrets), runner and instance scopes (GitLab's 409 in a
//! flash), and enabling an instance-scoped controller only after its id is typed. Every step
//! waits for a condition on screen or in the simulator, never a fixed time.

mod common;

use common::{LIST_PATH, TestEnv, Tui, wait_until};

const ENTER: &str = "\r";
const ESC: &str = "\x1b";
const BACKSPACE: &str = "\x7f";

/// Wide enough for GitLab's longest messages in the flash line and for the list's hint line.
const COLS: u16 = 200;
const ROWS: u16 = 50;

/// Starts the TUI and waits until the controllers list is loaded.
fn start(env: &TestEnv) -> Tui {
    let mut tui = env.tui(COLS, ROWS, &[]);
    let n = env.sim.gitlab().controller_ids().len();
    tui.wait_text(&format!("Runner controllers ({n})"));
    tui
}

/// The row of controller `id` in the list (rows are sorted by id, like `controller_ids()`).
fn index_of(env: &TestEnv, id: i64) -> usize {
    env.sim
        .gitlab()
        .controller_ids()
        .iter()
        .position(|c| *c == id)
        .unwrap_or_else(|| panic!("controller {id} is in the simulator"))
}

/// Moves the list's selection to controller `id`.
fn select(env: &TestEnv, tui: &mut Tui, id: i64) {
    let keys = format!("g{}", "j".repeat(index_of(env, id)));
    tui.send(&keys);
}

/// Selects controller `id`, opens its detail and waits until its scopes and tokens are shown.
fn open_detail(env: &TestEnv, tui: &mut Tui, id: i64) -> String {
    select(env, tui, id);
    tui.send(ENTER);
    let tokens = env.sim.gitlab().token_ids(id).len();
    let id_line = format!(" ID          {id} ");
    let tokens_title = format!("Tokens ({tokens})");
    tui.wait_for(
        |s| {
            s.lines().any(|l| l.contains(&id_line))
                && s.contains(&tokens_title)
                && s.contains(" Scopes")
                && !s.contains("loading…")
        },
        &format!("the detail of controller {id} with its scopes and {tokens} tokens"),
    )
}

/// The first number written right after `prefix` on the screen.
fn number_after(screen: &str, prefix: &str) -> Option<i64> {
    screen.match_indices(prefix).find_map(|(at, _)| {
        let digits: String = screen[at + prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

/// The token secret shown on screen (`glrct-` and what follows up to a blank or a border).
fn secret_on(screen: &str) -> Option<String> {
    let at = screen.find("glrct-")?;
    let secret: String = screen[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Some(secret)
}

#[test]
fn rotating_a_token_shows_the_new_secret_once_and_audits_without_it() {
    let env = TestEnv::start();
    let g = env.sim.gitlab();
    // The last controller with tokens: reaching it scrolls the list.
    let id = g
        .controller_ids()
        .into_iter()
        .rfind(|id| !g.token_ids(*id).is_empty())
        .expect("the seed has a controller with tokens");
    let before = g.token_ids(id);
    let (instance, runners) = g.scopes(id).expect("the controller exists");
    // Detail rows: the scopes first, then the tokens.
    let scope_rows = usize::from(instance) + runners.len();

    let mut tui = start(&env);
    open_detail(&env, &mut tui, id);
    tui.send(&"j".repeat(scope_rows));
    tui.send("r");
    let screen = tui.wait_text("The new secret is shown once.");
    let old = number_after(&screen, "Rotate token ")
        .unwrap_or_else(|| panic!("the question names the token:\n{screen}"));
    assert!(
        before.contains(&old),
        "token {old} is not one of controller {id}'s {before:?}:\n{screen}"
    );
    assert!(
        screen.contains(&format!("of runner controller {id}?")),
        "{screen}"
    );
    assert_eq!(g.token_ids(id), before, "rotated before y");

    tui.send("y");
    let mut new = None;
    wait_until(
        || {
            let now = g.token_ids(id);
            new = now.iter().copied().find(|t| !before.contains(t));
            !now.contains(&old) && new.is_some()
        },
        "the simulator revoked the old token and issued a new one",
    );
    let new = new.expect("a new token");
    let screen = tui.wait_for(
        |s| s.contains("cannot be shown again") && s.contains("glrct-"),
        "the new secret on screen",
    );
    assert!(
        screen.contains(&format!("Token {old} rotated: new token {new}")),
        "{screen}"
    );
    let secret = secret_on(&screen).expect("a secret on screen");
    assert_eq!(
        g.verify_token(&secret),
        Some(new),
        "the secret on screen is not the new token's: {secret:?}\n{screen}"
    );

    tui.send(ESC);
    let screen = tui.wait_gone("cannot be shown again");
    assert!(
        !screen.contains(&secret),
        "the secret stays on screen:\n{screen}"
    );
    assert!(
        !screen.contains("glrct-"),
        "a secret stays on screen:\n{screen}"
    );
    // The detail lists the new token instead of the old one.
    tui.wait_text(&format!("#{new} "));

    let audit = env.state_dir().join("audit.jsonl");
    let path = format!("\"path\":\"{LIST_PATH}/{id}/tokens/{old}/rotate\"");
    let mut text = String::new();
    wait_until(
        || {
            text = std::fs::read_to_string(&audit).unwrap_or_default();
            text.lines().any(|l| l.contains(&path))
        },
        "the rotation is in the audit log",
    );
    let line = text
        .lines()
        .find(|l| l.contains(&path))
        .expect("the rotation line");
    assert!(line.contains("\"status\":200"), "{line}");
    assert!(
        !text.contains("glrct-"),
        "a token secret in the audit log:\n{text}"
    );
    assert!(!text.contains(&secret), "the new secret in the audit log");
    assert!(
        !text.contains(env.sim.gitlab_token()),
        "the GitLab access token in the audit log"
    );
    assert!(
        !text.contains(env.sim.vehaas_token()),
        "the veHaaS access token in the audit log"
    );
}

#[test]
fn a_runner_scope_is_added_and_the_instance_scope_is_then_refused_before_asking() {
    let env = TestEnv::start();
    let g = env.sim.gitlab();
    let id = g
        .controller_ids()
        .into_iter()
        .find(|id| g.scopes(*id) == Some((false, vec![])))
        .expect("the seed has a controller without scopes");
    let instance_path = format!("{LIST_PATH}/{id}/scopes/instance");

    let mut tui = start(&env);
    let screen = open_detail(&env, &mut tui, id);
    assert!(
        screen.contains("none: it receives no admission requests"),
        "{screen}"
    );

    tui.send("a");
    tui.wait_text(&format!(
        "Only jobs of this instance-type runner reach controller {id}"
    ));
    tui.send("1");
    tui.send(ENTER);
    wait_until(
        || g.scopes(id) == Some((false, vec![1])),
        "the simulator scoped runner 1",
    );
    tui.wait_text(&format!("Runner controller {id}: scoped runner #1"));
    tui.wait_text("runner #1  since");

    // The detail shows runner scopes: `i` says why not before asking anything (12.9).
    tui.send("i");
    let screen = tui.wait_text("has runner scopes");
    let flash = common::lines_with(&screen, "has runner scopes");
    assert_eq!(flash.len(), 1, "{screen}");
    assert!(
        flash[0].contains(&format!("Runner controller {id} has runner scopes")),
        "{screen}"
    );
    assert!(!screen.contains("Type its id"), "asked anyway:\n{screen}");
    assert_eq!(g.scopes(id), Some((false, vec![1])), "the scopes changed");
    let sent = env
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == instance_path)
        .count();
    assert_eq!(sent, 0, "POST {instance_path} was sent");
}

/// Gives controller `id` the instance scope through the simulator's HTTP API.
fn add_instance_scope(env: &TestEnv, id: i64) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = format!("{}{LIST_PATH}/{id}/scopes/instance", env.url());
    let token = env.sim.gitlab_token();
    let status = env.block_on(async move {
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        client
            .post(url)
            .header("PRIVATE-TOKEN", token)
            .send()
            .await
            .expect("request")
            .status()
    });
    assert_eq!(status, reqwest::StatusCode::CREATED);
}

#[test]
fn enabling_an_instance_scoped_controller_needs_its_id_typed() {
    let env = TestEnv::start();
    let g = env.sim.gitlab();
    // A disabled controller without scopes gets the instance scope: no seeded one has both.
    let id = g
        .controller_ids()
        .into_iter()
        .find(|id| {
            g.controller_state(*id).as_deref() == Some("disabled")
                && g.scopes(*id) == Some((false, vec![]))
        })
        .expect("the seed has a disabled controller without scopes");
    add_instance_scope(&env, id);
    assert_eq!(g.scopes(id), Some((true, vec![])));
    let put = format!("{LIST_PATH}/{id}");

    let mut tui = start(&env);
    select(&env, &mut tui, id);
    // Its scopes load in the background; then the hint under the list says what t would do.
    tui.wait_for(
        |s| {
            s.lines().any(|l| {
                l.contains("t disabled -> dry_run") && l.contains("every job on the whole instance")
            })
        },
        "the hint naming the instance scope",
    );

    tui.send("s");
    tui.wait_text(&format!("Runner controller {id}: disabled -> disabled"));
    tui.send("j");
    tui.wait_text(&format!("Runner controller {id}: disabled -> enabled"));
    tui.send(ENTER);
    let typed = format!("Type {id} to confirm: ");
    let screen = tui.wait_text(&typed);
    assert!(
        screen.contains(&format!("Enable runner controller {id}")),
        "{screen}"
    );
    assert!(screen.contains("It has the instance scope"), "{screen}");
    assert!(
        screen.contains("every job on the whole instance"),
        "{screen}"
    );
    assert!(!screen.contains("[ y Yes ]"), "a yes button:\n{screen}");

    // y is only a letter typed into the field.
    tui.send("y");
    tui.wait_text(&format!("{typed}y▏"));
    assert_eq!(env.count("PUT", &put), 0, "y sent the change");
    tui.send(ENTER);
    tui.wait_text("Type the id exactly to confirm");
    assert_eq!(env.count("PUT", &put), 0, "Enter after y sent the change");
    assert_eq!(g.controller_state(id).as_deref(), Some("disabled"));

    tui.send(BACKSPACE);
    tui.send(&id.to_string());
    tui.wait_text(&format!("{typed}{id}▏"));
    tui.send(ENTER);
    wait_until(
        || g.controller_state(id).as_deref() == Some("enabled"),
        "the simulator reports enabled",
    );
    tui.wait_text("is now enabled");
    assert_eq!(
        env.count("PUT", &put),
        1,
        "exactly the confirmed change was sent"
    );
}
