//! runnerdeck's entry point. Module map (all in the library, see `lib.rs`):
//! `cli` parses, `setup` turns config into clients, `app` runs the TUI loop over `state` (the
//! pure reducer), `ui` (drawing and wording), `keymap`, and `executor` (effects -> reads in
//! `api` and changes in `ops`); `headless` holds the scripting verbs (also on `ops`) and `sim`
//! the embedded simulator.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use runnerdeck::cli::{Cli, Command};
use runnerdeck::sim::SimOptions;
use runnerdeck::{app, headless, logging, setup};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runnerdeck: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
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

async fn run(cli: Cli) -> u8 {
    logging::init();
    if let Some(Command::Simulate(args)) = &cli.command {
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
        return match runnerdeck::sim::run_standalone(opts).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("runnerdeck: simulator: {e}");
                1
            }
        };
    }
    if let Some(Command::Doctor(args)) = &cli.command {
        return headless::doctor::run(&cli, args.output).await;
    }
    let (mut setup, warnings) = match setup::setup(&cli).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("runnerdeck: {e}");
            return 2;
        }
    };
    let tui = cli.command.is_none();
    for w in &warnings {
        // The TUI shows them as flashes; printed here they would vanish under its screen.
        if !tui {
            eprintln!("runnerdeck: warning: {w}");
        }
        tracing::warn!("{w}");
    }
    match cli.command {
        Some(Command::Rc(cmd)) => {
            let code = headless::rc(&setup, cmd).await;
            headless::print_notices(&mut setup.notices);
            code
        }
        Some(Command::Bookings(cmd)) => {
            let code = headless::bookings(&setup, cmd).await;
            headless::print_notices(&mut setup.notices);
            code
        }
        Some(Command::Simulate(_) | Command::Doctor(_)) => 0,
        None => {
            if !std::io::stdout().is_terminal() {
                eprintln!(
                    "runnerdeck: the TUI needs a terminal; for scripts use `runnerdeck rc list -o json` or `runnerdeck bookings list -o json`"
                );
                return 2;
            }
            match app::run(setup, warnings, cli.read_only).await {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("runnerdeck: terminal error: {e}");
                    1
                }
            }
        }
    }
}
