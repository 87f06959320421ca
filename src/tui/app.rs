//! The dashboard's one state and its one `update(action)`. Nothing here does
//! I/O: what needs the store is returned as an [`Effect`] for the loop to perform.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::CustomerId;
use crate::i18n::{Lang, Strings};
use crate::store::Undo;

use super::action::{Action, Pane};
use super::data::{CardData, DashboardData};
pub use super::effect::Effect;
use super::forms::FormInput;
use super::keymap::Keymap;
use super::modal::Modal;
use super::mouse::ScreenMap;
use super::palette::Palette;
use super::panes::cohorts::CohortState;
use super::panes::customers::CustomerListState;
use super::panes::duplicates::{Comparison, DuplicatesState};
use super::panes::followups::FollowUpState;
use super::panes::pyramid::PyramidState;
use super::panes::rfm::RfmState;
use super::panes::weekly::WeeklyState;
use super::prompt::Prompt;
use super::search_box::SearchState;

/// The last change that can be undone, and what the status line calls it.
#[derive(Debug, Clone, PartialEq)]
pub struct UndoEntry {
    pub undo: Undo,
    pub what: crate::i18n::views::Undoable,
    pub name: String,
}

pub use super::panes::card::CardState;
use super::panes::{DrawContext, PaneState};
pub use super::panes::{DrillList, PAGE, Step};

/// Views opened over a pane; `Esc` closes the top one.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    List(DrillList),
    Card(CardState),
    Weekly(WeeklyState),
    Duplicates(DuplicatesState),
    Compare(Box<Comparison>),
}

impl View {
    /// The pane contract of the view.
    pub fn pane(&self) -> &dyn PaneState {
        match self {
            View::List(list) => list,
            View::Card(card) => card,
            View::Weekly(weekly) => weekly,
            View::Duplicates(duplicates) => duplicates,
            View::Compare(comparison) => comparison.as_ref(),
        }
    }

    pub fn pane_mut(&mut self) -> &mut dyn PaneState {
        match self {
            View::List(list) => list,
            View::Card(card) => card,
            View::Weekly(weekly) => weekly,
            View::Duplicates(duplicates) => duplicates,
            View::Compare(comparison) => comparison.as_mut(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

pub struct App {
    pub lang: Lang,
    pub keymap: Keymap,
    pub data: DashboardData,
    pub pane: Pane,
    pub pyramid: PyramidState,
    pub rfm: RfmState,
    pub cohorts: CohortState,
    pub followups: FollowUpState,
    pub customers: CustomerListState,
    pub stack: Vec<View>,
    /// The views the other panes had open when left: each keeps its place.
    pub parked: HashMap<Pane, Vec<View>>,
    pub search: Option<SearchState>,
    pub prompt: Option<Prompt>,
    /// An edit form or confirmation over everything else.
    pub modal: Option<Modal>,
    pub help: bool,
    /// The first line of help shown, and the last it can be; drawing keeps
    /// them in range.
    pub help_scroll: Cell<usize>,
    pub help_end: Cell<usize>,
    pub palette: Option<Palette>,
    /// The last delete, merge, done or snooze, to undo.
    pub undo: Option<UndoEntry>,
    pub status: Option<Status>,
    pub running: bool,
    /// Where the last frame put what a click can choose.
    pub screen: RefCell<ScreenMap>,
}

impl App {
    pub fn new(data: DashboardData, lang: Lang, keymap: Keymap) -> App {
        let mut app = App {
            lang,
            keymap,
            data,
            pane: Pane::default(),
            pyramid: PyramidState::default(),
            rfm: RfmState::default(),
            cohorts: CohortState::default(),
            followups: FollowUpState::default(),
            customers: CustomerListState::default(),
            stack: Vec::new(),
            parked: HashMap::new(),
            search: None,
            prompt: None,
            modal: None,
            help: false,
            help_scroll: Cell::new(0),
            help_end: Cell::new(0),
            palette: None,
            undo: None,
            status: None,
            running: true,
            screen: RefCell::new(ScreenMap::default()),
        };
        app.customers.refresh(&app.data, lang);
        app.followups.clamp(&app.data, lang);
        app
    }

    pub fn strings(&self) -> &'static Strings {
        self.lang.strings()
    }

    pub fn today(&self) -> NaiveDate {
        self.data.as_of
    }

    pub fn update(&mut self, action: Action) -> Effect {
        if !matches!(action, Action::SearchInput(_) | Action::SearchErase) {
            self.status = None;
        }
        if self.help {
            self.update_help(action);
            return Effect::None;
        }
        // Help over whatever is open: it describes what is under it.
        if action == Action::Help {
            self.open_help();
            return Effect::None;
        }
        if self.palette.is_some() {
            return self.update_palette(action);
        }
        let in_form = self.prompt.is_some() || (self.modal.is_some() && self.search.is_none());
        let form_input = match action {
            Action::Save => Some(FormInput::Save),
            Action::Cancel => Some(FormInput::Cancel),
            Action::NextField => Some(FormInput::NextField),
            Action::PreviousField => Some(FormInput::PreviousField),
            _ => None,
        };
        if let Some(input) = form_input {
            return if in_form {
                self.form_input(input)
            } else {
                Effect::None
            };
        }
        if self.search.is_some() {
            return self.update_search(action);
        }
        // A list's filter box takes what is typed; Esc on a list with a
        // filter clears the filter before it closes anything.
        let filtering = self
            .active_list()
            .is_some_and(|l| l.typing || (action == Action::Back && !l.filter.is_empty()));
        if filtering {
            return self.update_view(action);
        }
        match action {
            Action::Quit => {
                self.running = false;
                Effect::Quit
            }
            Action::Back => {
                self.stack.pop();
                Effect::None
            }
            Action::Undo => match self.undo {
                Some(_) => Effect::Undo,
                None => {
                    self.status = Some(Status::Info(
                        self.strings().views.nothing_to_undo.to_string(),
                    ));
                    Effect::None
                }
            },
            Action::Palette => {
                self.open_palette();
                Effect::None
            }
            Action::NextPane => self.go_to(self.pane.next()),
            Action::PrevPane => self.go_to(self.pane.prev()),
            Action::GoTo(pane) => self.go_to(pane),
            Action::Help => {
                self.open_help();
                Effect::None
            }
            Action::Search => {
                self.search = Some(SearchState::default());
                Effect::None
            }
            Action::SearchInput(_) | Action::SearchErase => Effect::None,
            Action::NewCustomer => {
                self.modal = Some(Modal::new_customer(self.lang, &self.data.default_country));
                Effect::None
            }
            Action::EditCustomer
            | Action::LogInteraction
            | Action::AddOrder
            | Action::AddFollowUp
            | Action::Delete
            | Action::Erase
            | Action::ExportCustomer
            | Action::LogCall => self.edit(action),
            Action::WeeklyReview => self.open_weekly(),
            Action::Duplicates => self.open_duplicates(),
            _ => self.update_view(action),
        }
    }

    /// Another pane: the views open over this one are kept for coming back,
    /// and that pane's come back (a card read again, it may have changed).
    fn go_to(&mut self, pane: Pane) -> Effect {
        if pane == self.pane {
            self.stack.clear();
            return Effect::None;
        }
        let leaving = std::mem::take(&mut self.stack);
        self.parked.insert(self.pane, leaving);
        self.pane = pane;
        self.stack = self.parked.remove(&pane).unwrap_or_default();
        match self.stack.last() {
            Some(View::Card(c)) => Effect::LoadCard(c.id),
            _ => Effect::None,
        }
    }

    fn update_search(&mut self, action: Action) -> Effect {
        let Some(search) = self.search.as_mut() else {
            return Effect::None;
        };
        match action {
            Action::Back | Action::Quit => self.search = None,
            Action::SearchInput(c) => search.type_char(c, &self.data),
            Action::SearchErase => search.erase(&self.data),
            Action::Up => search.selected = search.selected.saturating_sub(1),
            Action::Down => {
                search.selected = (search.selected + 1).min(search.results.len().saturating_sub(1))
            }
            Action::LogCall if !search.picking => {
                let chosen = search
                    .results
                    .get(search.selected)
                    .and_then(|&i| self.data.customers.get(i))
                    .map(|r| r.id);
                if let Some(id) = chosen {
                    self.search = None;
                    self.modal = Some(Modal::log_call(id, self.lang, self.data.as_of));
                }
            }
            Action::NewWithNumber if !search.picking => {
                let typed = search.query.trim().to_string();
                self.search = None;
                self.modal = Some(if looks_like_phone(&typed) {
                    Modal::new_customer_with_phone(&typed, self.lang, &self.data.default_country)
                } else {
                    Modal::new_customer(self.lang, &self.data.default_country)
                });
            }
            Action::Open => {
                let chosen = search
                    .results
                    .get(search.selected)
                    .and_then(|&i| self.data.customers.get(i))
                    .map(|r| r.id);
                if let Some(id) = chosen {
                    let picking = search.picking;
                    self.search = None;
                    if picking {
                        let label = self
                            .data
                            .row(id)
                            .map(|r| r.name.clone())
                            .unwrap_or_default();
                        if let Some(modal) = self.modal.as_mut() {
                            modal.set_referrer(id, label);
                        }
                        return Effect::None;
                    }
                    return self.apply(Step::OpenCard(id));
                }
            }
            _ => {}
        }
        Effect::None
    }

    /// Movement, Enter and pane keys, for the view on top.
    fn update_view(&mut self, action: Action) -> Effect {
        let (data, lang) = (&self.data, self.lang);
        let step = match self.stack.last_mut() {
            Some(view) => view.pane_mut().handle(action, data, lang),
            // Panes other than the pyramid say "loading" until their data is in.
            None if data.pending && self.pane != Pane::Pyramid => Step::Nothing,
            None => {
                let pane: &mut dyn PaneState = match self.pane {
                    Pane::Pyramid => &mut self.pyramid,
                    Pane::Rfm => &mut self.rfm,
                    Pane::Cohorts => &mut self.cohorts,
                    Pane::FollowUps => &mut self.followups,
                    Pane::Customers => &mut self.customers,
                };
                pane.handle(action, data, lang)
            }
        };
        self.apply(step)
    }

    pub(super) fn apply(&mut self, step: Step) -> Effect {
        match step {
            Step::Nothing => Effect::None,
            Step::OpenCard(id) => {
                self.stack.push(View::Card(CardState::new(id)));
                Effect::LoadCard(id)
            }
            Step::OpenList(mut list) => {
                list.refresh(&self.data, self.lang);
                self.stack.push(View::List(list));
                Effect::None
            }
            Step::Effect(effect) => effect,
            Step::Prompt(prompt) => {
                self.prompt = Some(prompt);
                Effect::None
            }
            Step::Modal(modal) => {
                self.modal = Some(*modal);
                Effect::None
            }
        }
    }

    /// Installs freshly loaded data, keeping cursors in range. Returns the card
    /// to re-read, if one is open.
    pub fn set_data(&mut self, data: DashboardData) -> Option<CustomerId> {
        self.data = data;
        self.refreshed()
    }

    /// Shows the customers another program changed as their records are
    /// now, before the load that follows ([`DashboardData::show_changed`]);
    /// the lists and an open search are refreshed. `None` when they wait for
    /// the load instead, else the card to re-read, if one is open.
    pub fn show_changed(
        &mut self,
        changed: Vec<crate::store::ChangedRecords>,
    ) -> Option<Option<CustomerId>> {
        self.data.show_changed(changed).then(|| self.refreshed())
    }

    /// The follow-ups pane and the weekly pages kept in range after the
    /// follow-ups alone were read again.
    pub(super) fn followups_changed(&mut self) {
        self.followups.clamp(&self.data, self.lang);
        for view in self
            .stack
            .iter_mut()
            .chain(self.parked.values_mut().flatten())
        {
            if let View::Weekly(w) = view {
                w.clamp(&self.data.weekly);
            }
        }
    }

    /// The panes and views kept in range of the data, their lists and the
    /// search run again on it. Returns the card to re-read, if one is open.
    fn refreshed(&mut self) -> Option<CustomerId> {
        let lang = self.lang;
        self.customers.refresh(&self.data, lang);
        self.followups.clamp(&self.data, lang);
        self.cohorts.clamp(&self.data);
        for view in self
            .stack
            .iter_mut()
            .chain(self.parked.values_mut().flatten())
        {
            match view {
                View::Weekly(w) => w.clamp(&self.data.weekly),
                View::List(l) => l.refresh(&self.data, lang),
                View::Duplicates(d) => d.refresh(&self.data, lang),
                _ => {}
            }
        }
        if let Some(search) = self.search.as_mut() {
            search.refresh(&self.data);
        }
        self.open_card_id()
    }

    /// The customer the editing keys act on: the open card's, the one under the
    /// cursor of a drill-down list, or of the customer list.
    pub fn focused_customer(&self) -> Option<CustomerId> {
        match self.stack.last() {
            Some(View::Card(c)) => Some(c.id),
            Some(View::List(l)) => l.current(),
            None if self.pane == Pane::Customers => {
                self.customers.current(&self.data).map(|r| r.id)
            }
            None if self.pane == Pane::FollowUps => {
                self.followups.current(&self.data).map(|f| f.customer_id)
            }
            Some(View::Weekly(w)) => w.customer(&self.data.weekly),
            Some(View::Duplicates(_) | View::Compare(_)) | None => None,
        }
    }

    /// The card on top of the stack, if any.
    pub fn open_card_id(&self) -> Option<CustomerId> {
        self.stack.iter().rev().find_map(|v| match v {
            View::Card(c) => Some(c.id),
            _ => None,
        })
    }

    /// Gives the card its data once read; a customer gone meanwhile closes it.
    pub fn set_card(&mut self, id: CustomerId, card: Option<CardData>) {
        match card {
            Some(card) => {
                for view in &mut self.stack {
                    if let View::Card(c) = view
                        && c.id == id
                    {
                        let before = c.current();
                        c.data = Some(Box::new(card.clone()));
                        c.keep_selection(before);
                    }
                }
            }
            None => self
                .stack
                .retain(|v| !matches!(v, View::Card(c) if c.id == id)),
        }
    }

    /// A call from `number` (`kanta call`): the caller's card on top, or the
    /// search for the number when several share it, or a new customer with
    /// the number when nobody has it. A form being filled in stays on top:
    /// the status line names the caller, the card is under the form.
    pub fn incoming_call(&mut self, number: &str, callers: &[CustomerId]) -> Effect {
        let s = self.strings();
        let number = crate::domain::terminal::terminal_safe(number).into_owned();
        self.help = false;
        self.palette = None;
        if self.search.as_ref().is_some_and(|search| search.picking) || self.prompt.is_some() {
            // The referrer picker and prompts belong to what is open: keep them.
        } else {
            self.search = None;
        }
        match callers {
            [id] => {
                let name = self
                    .data
                    .row(*id)
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| number.clone());
                self.status = Some(Status::Info(format!(
                    "{} {name} ({number})",
                    s.call.call_from
                )));
                self.stack
                    .retain(|v| !matches!(v, View::Card(c) if c.id == *id));
                self.apply(Step::OpenCard(*id))
            }
            [] => {
                self.status = Some(Status::Info(format!(
                    "{} {number}: {}",
                    s.call.call_from, s.call.nobody_has
                )));
                if self.modal.is_none() {
                    self.modal = Some(Modal::new_customer_with_phone(
                        &number,
                        self.lang,
                        &self.data.default_country,
                    ));
                }
                Effect::None
            }
            several => {
                self.status = Some(Status::Info(format!(
                    "{} {number}: {} {}",
                    s.call.call_from,
                    several.len(),
                    s.call.several_have
                )));
                if self.modal.is_none() && self.prompt.is_none() {
                    let mut search = SearchState::default();
                    search.paste(&number, &self.data);
                    self.search = Some(search);
                }
                Effect::None
            }
        }
    }

    /// What drawing this frame needs, and nothing else of the app.
    pub fn draw_context(&self) -> DrawContext<'_> {
        DrawContext {
            data: &self.data,
            lang: self.lang,
            strings: self.strings(),
            keymap: &self.keymap,
            screen: &self.screen,
        }
    }

    /// The tab pane shown when no view is open over it.
    pub fn tab_pane(&self) -> &dyn PaneState {
        match self.pane {
            Pane::Pyramid => &self.pyramid,
            Pane::Rfm => &self.rfm,
            Pane::Cohorts => &self.cohorts,
            Pane::FollowUps => &self.followups,
            Pane::Customers => &self.customers,
        }
    }

    /// The name of the customer a follow-up belongs to, from the list or from
    /// the open card: what the status line names after an action on it.
    pub fn followup_owner(&self, id: i64) -> Option<String> {
        if let Some(row) = self.data.followups.iter().find(|f| f.id == id) {
            return Some(row.customer_name.clone());
        }
        self.stack.iter().rev().find_map(|view| match view {
            View::Card(card) => card
                .data
                .as_ref()
                .filter(|d| d.followups.iter().any(|f| f.id == id))
                .map(|d| super::text::clean(&d.customer.name)),
            _ => None,
        })
    }

    pub fn set_status(&mut self, status: Status) {
        self.status = Some(status);
    }
}

impl<'a> From<&'a App> for DrawContext<'a> {
    fn from(app: &'a App) -> DrawContext<'a> {
        app.draw_context()
    }
}

/// Text typed in the search box that is meant as a phone number: digits with
/// the signs numbers are written with, and at least four digits.
pub fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 4
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-./()".contains(c))
}
