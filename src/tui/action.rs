//! Everything the user can ask the dashboard to do.

use crate::i18n::Strings;

/// The five panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Pane {
    #[default]
    Pyramid,
    Rfm,
    Cohorts,
    FollowUps,
    Customers,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Pyramid,
        Pane::Rfm,
        Pane::Cohorts,
        Pane::FollowUps,
        Pane::Customers,
    ];

    pub fn title(self, s: &Strings) -> &'static str {
        match self {
            Pane::Pyramid => s.pane_pyramid,
            Pane::Rfm => s.pane_rfm,
            Pane::Cohorts => s.pane_cohorts,
            Pane::FollowUps => s.pane_followups,
            Pane::Customers => s.pane_customers,
        }
    }

    fn position(self) -> usize {
        Pane::ALL.iter().position(|&p| p == self).unwrap_or(0)
    }

    pub fn next(self) -> Pane {
        Pane::ALL[(self.position() + 1) % Pane::ALL.len()]
    }

    pub fn prev(self) -> Pane {
        Pane::ALL[(self.position() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// One user intent. Keys map to these through the keymap; `SearchInput` and
/// `SearchErase` come from typing in the search box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Back,
    Open,
    NextPane,
    PrevPane,
    GoTo(Pane),
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Help,
    Search,
    SearchInput(char),
    SearchErase,
    ToggleCumulative,
    CycleSource,
    CycleSort,
    Done,
    SnoozeDay,
    SnoozeWeek,
    Reschedule,
    Note,
    NewCustomer,
    EditCustomer,
    LogInteraction,
    AddOrder,
    AddFollowUp,
    Delete,
    /// GDPR erasure of the customer's personal data (orders stay, anonymised).
    Erase,
    /// Everything held about the customer, written to a JSON file.
    ExportCustomer,
    WeeklyReview,
    Duplicates,
    KeepLeft,
    KeepRight,
    Merge,
    /// A call with the customer (in the search results, the hit's): the
    /// contact form with the kind and an inbound direction already chosen.
    LogCall,
    /// A new customer with the number typed in the search box.
    NewWithNumber,
    CopyPhone,
    CopyEmail,
    OpenReferrer,
    OpenReferred,
    /// The card's cursor over its orders, contacts and follow-ups.
    NextItem,
    PreviousItem,
    EditItem,
    DeleteItem,
    /// The follow-up list: all, overdue, today, upcoming, one rule's.
    CycleFilter,
    /// The first and the last row of a list, the top and end of a page.
    First,
    Last,
    /// Opens a list's filter box: the list narrows as one types.
    Filter,
    /// Closes the filter box and keeps what it holds.
    KeepFilter,
    /// Empties the filter and closes its box.
    ClearFilter,
    /// The sorted column the other way round.
    ReverseSort,
    /// Puts back what the last delete, merge, done or snooze changed.
    Undo,
    /// The command palette: any action of the view, found by name.
    Palette,
    /// A form's or a prompt's keys.
    Save,
    Cancel,
    NextField,
    PreviousField,
    /// The weekly review's sections.
    NextSection,
    PreviousSection,
    /// Every line of a long section of the weekly review, or its top again.
    ShowAll,
}

impl Action {
    /// The actions a user may rebind, by the names used in `config.keys`.
    pub const NAMED: [(&'static str, Action); 65] = [
        ("quit", Action::Quit),
        ("back", Action::Back),
        ("open", Action::Open),
        ("next_pane", Action::NextPane),
        ("prev_pane", Action::PrevPane),
        ("pane_pyramid", Action::GoTo(Pane::Pyramid)),
        ("pane_rfm", Action::GoTo(Pane::Rfm)),
        ("pane_cohorts", Action::GoTo(Pane::Cohorts)),
        ("pane_followups", Action::GoTo(Pane::FollowUps)),
        ("pane_customers", Action::GoTo(Pane::Customers)),
        ("up", Action::Up),
        ("down", Action::Down),
        ("left", Action::Left),
        ("right", Action::Right),
        ("page_up", Action::PageUp),
        ("page_down", Action::PageDown),
        ("help", Action::Help),
        ("search", Action::Search),
        ("toggle_cumulative", Action::ToggleCumulative),
        ("cycle_source", Action::CycleSource),
        ("cycle_sort", Action::CycleSort),
        ("done", Action::Done),
        ("snooze_day", Action::SnoozeDay),
        ("snooze_week", Action::SnoozeWeek),
        ("reschedule", Action::Reschedule),
        ("note", Action::Note),
        ("new_customer", Action::NewCustomer),
        ("edit_customer", Action::EditCustomer),
        ("log_interaction", Action::LogInteraction),
        ("add_order", Action::AddOrder),
        ("add_followup", Action::AddFollowUp),
        ("delete", Action::Delete),
        ("erase", Action::Erase),
        ("export_customer", Action::ExportCustomer),
        ("weekly_review", Action::WeeklyReview),
        ("duplicates", Action::Duplicates),
        ("keep_left", Action::KeepLeft),
        ("keep_right", Action::KeepRight),
        ("merge", Action::Merge),
        ("log_call", Action::LogCall),
        ("new_with_number", Action::NewWithNumber),
        ("copy_phone", Action::CopyPhone),
        ("copy_email", Action::CopyEmail),
        ("open_referrer", Action::OpenReferrer),
        ("open_referred", Action::OpenReferred),
        ("next_item", Action::NextItem),
        ("previous_item", Action::PreviousItem),
        ("edit_item", Action::EditItem),
        ("delete_item", Action::DeleteItem),
        ("cycle_filter", Action::CycleFilter),
        ("first", Action::First),
        ("last", Action::Last),
        ("filter", Action::Filter),
        ("keep_filter", Action::KeepFilter),
        ("clear_filter", Action::ClearFilter),
        ("reverse_sort", Action::ReverseSort),
        ("undo", Action::Undo),
        ("palette", Action::Palette),
        ("save", Action::Save),
        ("cancel", Action::Cancel),
        ("next_field", Action::NextField),
        ("previous_field", Action::PreviousField),
        ("next_section", Action::NextSection),
        ("previous_section", Action::PreviousSection),
        ("show_all", Action::ShowAll),
    ];

    pub fn from_name(name: &str) -> Option<Action> {
        let name = name.trim().replace('-', "_").to_ascii_lowercase();
        Action::NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|&(_, a)| a)
    }

    /// What the help overlay and footer call this action.
    pub fn label(self, s: &Strings) -> &'static str {
        match self {
            Action::Quit => s.act_quit,
            Action::Back => s.act_back,
            Action::Open => s.act_open,
            Action::NextPane => s.act_next_pane,
            Action::PrevPane => s.act_prev_pane,
            Action::GoTo(p) => p.title(s),
            Action::Up => s.act_up,
            Action::Down => s.act_down,
            Action::Left => s.act_left,
            Action::Right => s.act_right,
            Action::PageUp => s.act_page_up,
            Action::PageDown => s.act_page_down,
            Action::Help => s.act_help,
            Action::Search | Action::SearchInput(_) => s.act_search,
            Action::SearchErase => s.act_backspace,
            Action::ToggleCumulative => s.act_toggle_cumulative,
            Action::CycleSource => s.act_cycle_source,
            Action::CycleSort => s.act_cycle_sort,
            Action::Done => s.act_done,
            Action::SnoozeDay => s.act_snooze_day,
            Action::SnoozeWeek => s.act_snooze_week,
            Action::Reschedule => s.act_reschedule,
            Action::Note => s.act_note,
            Action::NewCustomer => s.act_new_customer,
            Action::EditCustomer => s.act_edit_customer,
            Action::LogInteraction => s.act_log_interaction,
            Action::AddOrder => s.act_add_order,
            Action::AddFollowUp => s.act_add_followup,
            Action::Delete => s.act_delete,
            Action::Erase => s.act_erase,
            Action::ExportCustomer => s.act_export,
            Action::WeeklyReview => s.review.act_weekly,
            Action::Duplicates => s.review.act_duplicates,
            Action::KeepLeft => s.review.act_keep_left,
            Action::KeepRight => s.review.act_keep_right,
            Action::Merge => s.review.act_merge,
            Action::LogCall => s.call.act_log_call,
            Action::NewWithNumber => s.call.act_new_with_number,
            Action::CopyPhone => s.call.act_copy_phone,
            Action::CopyEmail => s.call.act_copy_email,
            Action::OpenReferrer => s.call.act_referrer,
            Action::OpenReferred => s.call.act_referred,
            Action::NextItem => s.call.act_next_item,
            Action::PreviousItem => s.call.act_previous_item,
            Action::EditItem => s.call.act_edit_item,
            Action::DeleteItem => s.call.act_delete_item,
            Action::CycleFilter => s.followups.act_cycle_filter,
            Action::First => s.views.act_first,
            Action::Last => s.views.act_last,
            Action::Filter => s.views.act_filter,
            Action::KeepFilter => s.views.act_keep_filter,
            Action::ClearFilter => s.views.act_clear_filter,
            Action::ReverseSort => s.views.act_reverse_sort,
            Action::Undo => s.views.act_undo,
            Action::Palette => s.views.act_palette,
            Action::Save => s.views.act_save,
            Action::Cancel => s.views.act_cancel,
            Action::NextField => s.views.act_next_field,
            Action::PreviousField => s.views.act_previous_field,
            Action::NextSection => s.views.act_next_section,
            Action::PreviousSection => s.views.act_previous_section,
            Action::ShowAll => s.views.act_show_all,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_cycle_both_ways() {
        assert_eq!(Pane::Customers.next(), Pane::Pyramid);
        assert_eq!(Pane::Pyramid.prev(), Pane::Customers);
        assert_eq!(Pane::Rfm.next(), Pane::Cohorts);
    }

    #[test]
    fn names_round_trip() {
        for (name, action) in Action::NAMED {
            assert_eq!(Action::from_name(name), Some(action));
        }
        assert_eq!(Action::from_name("Snooze-Day"), Some(Action::SnoozeDay));
        assert_eq!(Action::from_name("fly"), None);
    }
}
