//! kanta: know your customers. A local SQLite store of customers, purchases,
//! contacts and follow-ups, the figures of the customer-relationship literature
//! over it, and a terminal dashboard.
//!
//! The map, top down; each module may import [`domain`] and the ones below it
//! that its line names (held by `layers_tests`):
//!
//! - faces: [`cli`] (the command line: everything below, and [`tui`] and
//!   [`demo`]) and [`tui`] (the dashboard: everything below but [`demo`]).
//! - [`demo`]: the demo store's generator (store, figures, config, i18n,
//!   analytics, formats).
//! - [`figures`]: every figure at one date and the follow-ups the rules write,
//!   the service both faces call (analytics, store, config).
//! - [`config`]: the TOML settings (analytics' settings types, formats, i18n).
//! - [`report`]: reports as rows and their renderings (analytics, formats, i18n).
//! - [`i18n`]: every string the user reads, English and Finnish (analytics,
//!   formats, and store for its errors' kinds).
//! - [`search`]: finding customers as the owner types, for the search box and
//!   `kanta lookup` alike (formats).
//! - [`store`]: the SQLite store, its imports and copies (formats).
//! - [`analytics`]: the figures of SPEC section 4 as pure functions.
//! - [`formats`]: the file formats as pure functions over bytes.
//! - [`domain`]: the product's types and its one-home value rules (money,
//!   email, phone, text for the terminal, rule names); imports nothing of kanta.

// Outside tests nothing panics on a value it did not expect: errors are
// returned and worded for the user.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// `pub` only for what the binary, the tests and the benchmarks use; the rest
// is `pub(crate)`, so that the compiler reports what nothing uses.
#![warn(unreachable_pub)]

pub mod analytics;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod figures;
pub mod formats;
pub mod i18n;
pub mod report;
pub mod search;
// `store` and `tui` still mark some items `pub` that nothing outside the
// crate can reach; they are narrowed in their own change.
#[allow(unreachable_pub)]
pub mod store;
#[allow(unreachable_pub)]
pub mod tui;

#[cfg(test)]
mod layers_tests;

/// Large blocks (a load's vectors, an import's batches) are taken from the
/// system and given back to it when freed. glibc otherwise raises that
/// threshold after the first such block is freed and keeps the later ones in
/// its heaps, where the next load's do not fit: a dashboard that loaded again
/// after each of 14 writes by another program held 420-450 MB at 100,000
/// customers (at its peak 464 MB), and 225 MB with this (peak 290 MB). Blocks
/// from 1 MiB: below it, a load's many small vectors would each cost the
/// system's fresh pages. The binary calls it first; so do the benchmarks,
/// to measure what it runs.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a plain setting of the allocator, made before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}
