//! The contract between the app and its panes: what a frame gives a pane to
//! draw with, and what a pane asks for after handling an action. Panes are
//! handed these and never see the app that holds them.

use std::cell::RefCell;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::CustomerId;
use crate::i18n::{Lang, Strings};
use crate::tui::action::Action;
use crate::tui::data::DashboardData;
use crate::tui::effect::Effect;
use crate::tui::keymap::Keymap;
use crate::tui::modal::Modal;
use crate::tui::mouse::ScreenMap;
use crate::tui::prompt::Prompt;

use super::list::ListView;

/// What drawing a frame needs, gathered once per frame: the data, the
/// language and its strings, the keys (for the hints a pane shows), and the
/// map a pane notes what a click can choose on. Nothing in it can query or
/// write; the screen map is the only thing drawing fills in.
#[derive(Clone, Copy)]
pub struct DrawContext<'a> {
    pub data: &'a DashboardData,
    pub lang: Lang,
    pub strings: &'static Strings,
    pub keymap: &'a Keymap,
    pub screen: &'a RefCell<ScreenMap>,
}

/// Every pane and view: its state handles the actions it knows, returning
/// what it asks of the app, and draws itself from a frame's context.
pub trait PaneState {
    fn handle(&mut self, action: Action, data: &DashboardData, lang: Lang) -> Step;
    fn render(&self, frame: &mut Frame, area: Rect, ctx: &DrawContext);
}

/// What a pane asks for after handling an action.
#[derive(Debug)]
pub enum Step {
    Nothing,
    OpenCard(CustomerId),
    OpenList(DrillList),
    Effect(Effect),
    Prompt(Prompt),
    Modal(Box<Modal>),
}

/// A drill-down list of customers (a stage, an RF cell, a cohort cell).
#[derive(Debug, Clone, PartialEq)]
pub struct DrillList {
    pub title: String,
    pub members: Vec<CustomerId>,
    /// The order, filter and cursor over `members`.
    pub list: ListView,
}

/// Rows a page key moves where a view has no list of its own.
pub const PAGE: usize = 10;
