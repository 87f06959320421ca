//! kanta: know your customers. A local SQLite store of customers, purchases,
//! contacts and follow-ups, the figures of the customer-relationship literature
//! over it, and a terminal dashboard.
//!
//! Layers, arrows only downward: `cli`, `tui` (faces) -> `analytics` (pure
//! figures), `formats` (pure file parsing) and `store` (SQLite) -> `domain`.

pub mod analytics;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod engine;
pub mod formats;
pub mod i18n;
pub mod report;
pub mod search;
pub mod store;
pub mod tui;
