//! runnerdeck's entry point. Module map (all in the library, see `lib.rs`):
//! `cli` parses, `setup` turns config into clients, `app` runs the TUI loop over `state` (the
//! pure reducer), `ui` (drawing and wording), `keymap`, and `executor` (effects -> reads in
//! `api` and changes in `ops`); `headless` holds the scripting verbs (also on `ops`) and `sim`
//! the embedded simulator. Exit codes are `headless::exit`'s, clap's usage errors included.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use runnerdeck::cli::{self, Cli, Command, Output};
use runnerdeck::headless::{self, CliError, EXIT_OK, EXIT_USAGE, Kind};
use runnerdeck::sim::SimOptions;
use runnerdeck::{app, logging, setup};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(refused(&e)),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runnerdeck: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // The scripting verbs await all they start: nothing is left running when they are done.
    let one_shot = matches!(
        cli.command,
        Some(Command::Rc(_) | Command::Bookings(_) | Command::Doctor(_))
    );
    let code = runtime.block_on(run(cli));
    if one_shot {
        // Leave now, without joining the runtime's idle workers: only the output must be out.
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        std::process::exit(i32::from(code));
    }
    // The TUI may leave tasks behind (an audit guard among them): dropping the runtime drops
    // them, and their guards write what they must.
    drop(runtime);
    ExitCode::from(code)
}

/// A command line clap did not take: help and version as clap prints them (exit 0), anything
/// else a usage error (exit 1), as one JSON object on stderr when `-o json` was asked for.
fn refused(e: &clap::Error) -> u8 {
    let help = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if !help && cli::wants_json(&args) {
        let text = e.to_string();
        let first = text.lines().next().unwrap_or_default();
        let message = first.trim_start_matches("error: ").trim();
        return CliError::usage(message).report(Output::Json);
    }
    let _ = e.print();
    if help { EXIT_OK } else { EXIT_USAGE }
}

async fn run(cli: Cli) -> u8 {
    logging::init();
    match &cli.command {
        Some(Command::Simulate(args)) => {
            let opts = SimOptions {
                port: args.port,
                latency: std::time::Duration::from_millis(args.latency_ms),
                vehaas_lenient: args.lenient,
                controllers: args.controllers,
                count_limit: if args.no_totals {
                    0
                } else {
                    SimOptions::default().count_limit
                },
                ..SimOptions::default()
            };
            match runnerdeck::sim::run_standalone(opts).await {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    eprintln!("runnerdeck: simulator: {e}");
                    EXIT_USAGE
                }
            }
        }
        Some(Command::Completions { shell }) => headless::man::completions(*shell),
        Some(Command::Man) => headless::man::man(),
        Some(Command::Doctor(args)) => headless::doctor::run(&cli, args.output).await,
        Some(Command::Rc(_) | Command::Bookings(_)) => scripts(cli).await,
        None => tui(cli).await,
    }
}

/// `rc ...` and `bookings ...`: each needs its own service only; ctrl-c ends it with 130.
async fn scripts(cli: Cli) -> u8 {
    let output = cli.command.as_ref().map_or(Output::Table, Command::output);
    let (mut services, warnings) = match setup::services(&cli).await {
        Ok(s) => s,
        Err(e) => return headless::setup_failed(&e).report(output),
    };
    for w in &warnings {
        eprintln!("runnerdeck: warning: {w}");
        tracing::warn!("{w}");
    }
    let verb = async {
        match cli.command {
            Some(Command::Rc(cmd)) => headless::rc(&mut services, cmd).await,
            Some(Command::Bookings(cmd)) => headless::bookings(&mut services, cmd).await,
            _ => EXIT_OK,
        }
    };
    // The verb first: one that knows better what ctrl-c cut short says so itself.
    tokio::select! {
        biased;
        code = verb => code,
        _ = tokio::signal::ctrl_c() => CliError::new(
            Kind::Interrupted,
            "interrupted: a change on its way may or may not have been made (the audit log says which were sent)",
        )
        .report(output),
    }
}

async fn tui(cli: Cli) -> u8 {
    let (setup, warnings) = match setup::setup(&cli).await {
        Ok(s) => s,
        Err(e) => return headless::setup_failed(&e).report(Output::Table),
    };
    // The TUI shows them as flashes; printed they would vanish under its screen.
    for w in &warnings {
        tracing::warn!("{w}");
    }
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "runnerdeck: the TUI needs a terminal; for scripts use `runnerdeck rc list -o json` or `runnerdeck bookings list -o json`"
        );
        return EXIT_USAGE;
    }
    match app::run(setup, warnings, cli.read_only).await {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("runnerdeck: terminal error: {e}");
            EXIT_USAGE
        }
    }
}
