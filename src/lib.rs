//! runnerdeck: a terminal UI (and scripting CLI) for GitLab runner controllers and veHaaS
//! assembly bookings. The binary in `main.rs` is thin; everything lives in this library so the
//! tests and benchmarks can drive it.

pub mod api;
pub mod app;
pub mod audit;
pub mod cli;
pub mod config;
pub mod dirs;
pub mod display;
pub mod domain;
pub mod duration;
pub mod effect;
pub mod executor;
pub mod headless;
pub mod ids;
pub mod json;
pub mod keymap;
pub mod logging;
pub mod msg;
pub mod ops;
pub mod safety;
pub mod saved_file;
pub mod setup;
pub mod sim;
pub mod state;
pub mod ui;
