//! kanta's integration tests, one test binary: each file is a module, so the
//! library and the dev-dependencies are linked once, not once per file.
//! The fault suite (`tests/fault.rs`) stays its own binary: it is run alone,
//! ignored tests included, one thread at a time.
//!
//! One test: `cargo test --test main tui_panes::pyramid`; one file:
//! `cargo test --test main cli_basics::`.

mod cli_common;
mod common;
#[path = "../pty/mod.rs"]
mod pty;
mod review_common;

mod cli_bad_files;
mod cli_basics;
mod cli_churn;
mod cli_config_demo;
mod cli_copies;
mod cli_imports;
mod cli_replicate;
mod cli_reports;
mod cli_safety;
mod search_demo;
mod store_facts_speed;
mod tui_call;
mod tui_card;
mod tui_data;
mod tui_e2e;
mod tui_e2e_followups;
mod tui_followups;
mod tui_keymap;
mod tui_panes;
mod tui_review;
mod tui_review_app;
mod tui_update;
mod tui_views;
