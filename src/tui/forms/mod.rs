//! Keyboard edit forms shown as popups over the dashboard (SPEC section 5,
//! "Editing"). Each form takes keys and answers with a [`FormOutcome`]; the
//! app writes what a submitted [`FormResult`] holds to the store.
//!
//! Every form has `handle_key`, `paste` (bracketed paste, one line),
//! `render` (centred over the area, `Clear` behind it) and `keys` (for the
//! help overlay). Forms never touch the store: an existing customer's
//! referrer shows as `#id` until the app calls `CustomerForm::set_referrer`
//! with a readable label, and `PickReferrer` asks the app to choose one.

mod confirm;
mod customer;
mod customer_text;
mod date_form;
mod date_input;
mod follow_up;
mod interaction;
mod order;
mod popup;
mod text_field;

#[cfg(test)]
mod test_support;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::domain::{Customer, CustomerDraft, CustomerId, Direction, InteractionKind, OrderDraft};
use crate::i18n::Lang;
use crate::i18n::forms::{self, FormStrings};
use crate::tui::action::Action;
use crate::tui::keymap::{self, Context, Keymap};

pub use confirm::ConfirmDialog;
pub use customer::CustomerForm;
pub use date_form::DateForm;
pub use date_input::{DateInputError, parse_date_input};
pub use follow_up::FollowUpForm;
pub use interaction::InteractionForm;
pub use order::OrderForm;
pub use text_field::TextField;

/// What a form wants after a key.
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "one outcome per key press, moved and matched at once; the app matches `Submit(FormResult::..)` directly"
)]
pub enum FormOutcome {
    /// Still editing; redraw.
    Continue,
    /// Closed without saving.
    Cancel,
    /// The customer form wants a referrer chosen; answer with `set_referrer`.
    PickReferrer,
    /// Closed with valid values for the app to save.
    Submit(FormResult),
}

/// The values of a submitted form, validated.
#[derive(Debug, Clone, PartialEq)]
pub enum FormResult {
    Customer {
        /// `None` for a new customer.
        id: Option<CustomerId>,
        draft: CustomerDraft,
        /// The customer as the form was opened on them: the save refuses to
        /// overwrite a change made elsewhere since.
        seen: Option<Box<Customer>>,
    },
    Interaction {
        customer_id: CustomerId,
        kind: InteractionKind,
        direction: Option<Direction>,
        text: String,
        follow_up: Option<NaiveDate>,
    },
    Order(OrderDraft),
    /// A correction of order `id`.
    OrderEdit {
        id: i64,
        draft: OrderDraft,
    },
    /// A correction of interaction `id` (its time stays).
    InteractionEdit {
        id: i64,
        kind: InteractionKind,
        direction: Option<Direction>,
        text: String,
    },
    FollowUp {
        customer_id: CustomerId,
        due: NaiveDate,
        reason: String,
    },
    Date(NaiveDate),
    Confirmed,
}

/// Release events (sent by some terminals) must not type a second time.
fn is_press(key: &KeyEvent) -> bool {
    key.kind != KeyEventKind::Release
}

/// A key as a form takes it: one of the keymap's form actions (so that
/// `[keys]` rebinds them), or the key itself, for the field under the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormInput {
    Save,
    Cancel,
    NextField,
    PreviousField,
    Key(KeyEvent),
}

impl FormInput {
    pub fn from_key(key: KeyEvent, keymap: &Keymap) -> FormInput {
        match keymap.resolve(key, Context::Form) {
            Some(Action::Save) => FormInput::Save,
            Some(Action::Cancel) => FormInput::Cancel,
            Some(Action::NextField) => FormInput::NextField,
            Some(Action::PreviousField) => FormInput::PreviousField,
            _ => FormInput::Key(key),
        }
    }

    /// With the default keys: what a form's `handle_key` goes by.
    pub fn default_for(key: KeyEvent) -> FormInput {
        FormInput::from_key(key, keymap::defaults())
    }

    /// Field movement: +1 next, -1 previous.
    fn focus_step(self) -> Option<isize> {
        match self {
            FormInput::NextField => Some(1),
            FormInput::PreviousField => Some(-1),
            _ => None,
        }
    }
}

/// The keys a form's bottom line names, from the keymap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormKeys {
    pub save: String,
    pub cancel: String,
    pub next: String,
}

impl FormKeys {
    pub fn of(keymap: &Keymap) -> FormKeys {
        let key = |action| {
            keymap
                .key_of(action, Context::Form)
                .map(|c| c.label())
                .unwrap_or_default()
        };
        FormKeys {
            save: key(Action::Save),
            cancel: key(Action::Cancel),
            next: key(Action::NextField),
        }
    }

    /// The default keys' names.
    pub fn defaults() -> &'static FormKeys {
        static DEFAULT: std::sync::LazyLock<FormKeys> =
            std::sync::LazyLock::new(|| FormKeys::of(keymap::defaults()));
        &DEFAULT
    }
}

/// Moves `focus` by `step` in `0..count`, wrapping around.
fn step_focus(focus: usize, step: isize, count: usize) -> usize {
    if count == 0 {
        return 0;
    }
    let count = count as isize;
    (focus as isize + step).rem_euclid(count) as usize
}

/// The answer to a yes/no question: y (and Finnish k) is yes, n, e and Esc no.
fn yes_no(key: &KeyEvent, lang: Lang) -> Option<bool> {
    match key.code {
        KeyCode::Char('y' | 'Y') => Some(true),
        KeyCode::Char('k' | 'K') if lang == Lang::Fi => Some(true),
        KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(false),
        KeyCode::Char('e' | 'E') if lang == Lang::Fi => Some(false),
        _ => None,
    }
}

/// Handles a key while "Discard changes?" is asked; clears the question on
/// no (cancelling the question is a no).
fn answer_discard(asking: &mut bool, input: FormInput, lang: Lang) -> FormOutcome {
    let answer = match input {
        FormInput::Cancel => Some(false),
        FormInput::Key(key) => yes_no(&key, lang),
        _ => None,
    };
    match answer {
        Some(true) => FormOutcome::Cancel,
        Some(false) => {
            *asking = false;
            FormOutcome::Continue
        }
        None => FormOutcome::Continue,
    }
}

/// The text-editing keys every form with a text field shares, for `keys()`.
fn text_keys(lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        ("Home/End", FormStrings::of(lang).key_line_ends.to_string()),
        (
            "Ctrl-Left/Right",
            FormStrings::of(lang).key_word_move.to_string(),
        ),
        ("Ctrl-W", FormStrings::of(lang).key_delete_word.to_string()),
        (
            "Ctrl-U",
            FormStrings::of(lang).key_delete_to_start.to_string(),
        ),
        (
            "Ctrl-K",
            FormStrings::of(lang).key_delete_to_end.to_string(),
        ),
    ]
}

/// Shows a date as the owner reads it, with the weekday, as a hint under a date field.
fn date_hint(date: NaiveDate, lang: Lang) -> String {
    let weekday = crate::i18n::names::weekday(date, lang);
    match lang {
        Lang::En => format!("{weekday} {}", date.format("%Y-%m-%d")),
        Lang::Fi => format!("{weekday} {}", date.format("%-d.%-m.%Y")),
    }
}

/// The message shown at a date field.
fn date_error_text(error: &DateInputError, lang: Lang) -> String {
    match error {
        DateInputError::Empty => FormStrings::of(lang).date_required.to_string(),
        DateInputError::NoSuchDate(t) => forms::no_such_date(t, lang),
        DateInputError::OutOfRange(t) => forms::date_too_far(t, lang),
        DateInputError::Unrecognised(_) => FormStrings::of(lang).date_how_to.to_string(),
    }
}

/// A typed date field: blank is `Ok(None)`; else the date, or the message to
/// show at the field. `not_past` refuses dates before today (a follow-up or a
/// snooze into the past is a typo, such as `14.3.` meant for next year).
fn read_date(
    text: &str,
    today: NaiveDate,
    lang: Lang,
    not_past: bool,
) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date = parse_date_input(text, today).map_err(|e| date_error_text(&e, lang))?;
    if not_past && date < today {
        return Err(forms::date_in_past(date, lang));
    }
    Ok(Some(date))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

    use super::test_support::{draw, key};
    use super::*;

    /// Keys a restless user or a confused terminal might send.
    fn restless_keys() -> Vec<KeyEvent> {
        let mut keys: Vec<KeyEvent> = "cä日 x\u{7}"
            .chars()
            .map(|c| key(KeyCode::Char(c)))
            .collect();
        for code in [
            KeyCode::Home,
            KeyCode::Left,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::End,
            KeyCode::Right,
            KeyCode::Delete,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Char(' '),
            KeyCode::Left,
            KeyCode::Tab,
            KeyCode::Down,
            KeyCode::F(5),
            KeyCode::PageUp,
            KeyCode::Null,
        ] {
            keys.push(key(code));
        }
        keys.push(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        keys.push(KeyEvent::new(KeyCode::Backspace, KeyModifiers::ALT));
        let mut release = key(KeyCode::Char('r'));
        release.kind = KeyEventKind::Release;
        keys.push(release);
        keys.push(key(KeyCode::Enter));
        keys
    }

    /// Feeds every key, drawing at every size after each, until the form closes.
    fn survives<F>(
        mut form: F,
        handle: fn(&mut F, KeyEvent) -> FormOutcome,
        render: fn(&F, &mut ratatui::Frame, ratatui::layout::Rect),
    ) {
        let sizes = [(0, 0), (1, 1), (4, 2), (12, 4), (30, 6), (80, 24)];
        for k in restless_keys() {
            let outcome = handle(&mut form, k);
            for (w, h) in sizes {
                draw(w, h, |f, a| render(&form, f, a));
            }
            if outcome != FormOutcome::Continue && outcome != FormOutcome::PickReferrer {
                return;
            }
        }
    }

    #[test]
    fn no_form_panics_on_odd_keys_or_tiny_areas() {
        let today = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap_or_default();
        for lang in [Lang::En, Lang::Fi] {
            survives(
                CustomerForm::new(None, lang),
                CustomerForm::handle_key,
                CustomerForm::render,
            );
            survives(
                InteractionForm::new(1, lang).with_today(today),
                InteractionForm::handle_key,
                InteractionForm::render,
            );
            survives(
                OrderForm::new(1, today, lang),
                OrderForm::handle_key,
                OrderForm::render,
            );
            survives(
                FollowUpForm::new(1, today, lang),
                FollowUpForm::handle_key,
                FollowUpForm::render,
            );
            survives(
                DateForm::new("\u{1b}[2J".into(), today, lang),
                DateForm::handle_key,
                DateForm::render,
            );
            survives(
                ConfirmDialog::new("x".repeat(300), lang),
                ConfirmDialog::handle_key,
                ConfirmDialog::render,
            );
        }
    }
}

#[cfg(test)]
mod one_home_tests;
