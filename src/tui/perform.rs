//! Performing the effects `update` returns against the store: each write
//! its own transaction, its outcome one sentence on the status line, and the
//! reload of the figures it calls for.

use chrono::{NaiveDate, Utc};

use crate::config::Config;
use crate::domain::CustomerId;
use crate::domain::terminal::terminal_safe;
use crate::i18n::errors::{ErrorStrings, not_saved, store_error};
use crate::i18n::views::{Undoable, undone_message};
use crate::i18n::{Lang, followups};
use crate::store::{Store, StoreError};

use super::action::Action;
use super::app::{App, Effect, Status, UndoEntry};
use super::data::{self, Rules};
use super::effect::{CardItem, DuplicatesEffect};
use super::forms::FormResult;
use super::keymap;
use super::loader::{Base, Loader};
use super::modal::Modal;
use super::panes::duplicates::load_comparison;

/// A load of the whole data the loop must start.
pub(super) struct Reload {
    pub(super) today: NaiveDate,
    pub(super) rules: Rules,
}

impl Reload {
    /// Starts the load on `store` after `data`, the one shown (it takes
    /// what `data` kept for it).
    pub(super) fn start(
        self,
        store: &Store,
        data: &mut data::DashboardData,
        config: &Config,
        lang: Lang,
    ) -> Loader {
        Loader::start(
            store.path(),
            Base::after(data),
            self.today,
            config,
            self.rules,
            lang,
        )
    }
}

/// Performs an effect against the store; a failure becomes a status line.
/// After a write, returns the reload it calls for.
pub(super) fn perform(effect: Effect, app: &mut App, store: &mut Store) -> Option<Reload> {
    let s = app.strings();
    let result = match effect {
        Effect::None | Effect::Quit => return None,
        Effect::Duplicates(effect) => return perform_duplicates(effect, app, store),
        Effect::LoadCard(id) => {
            match data::load_card(store, id, &app.data) {
                Ok(card) => app.set_card(id, card),
                Err(e) => app.set_status(store_failure(app, &e)),
            }
            return None;
        }
        Effect::EditCustomer(id) => {
            match store.customer(id) {
                Ok(Some(customer)) => app.open_edit(&customer),
                Ok(None) => {}
                Err(e) => app.set_status(store_failure(app, &e)),
            }
            return None;
        }
        Effect::Copy(text) => {
            let said = match copy_to_clipboard(&text) {
                Ok(()) => Status::Info(format!("{} {}", s.call.copied, terminal_safe(&text))),
                Err(e) => Status::Error(format!(
                    "{}: {e}",
                    ErrorStrings::of(app.lang).clipboard_failed
                )),
            };
            app.set_status(said);
            return None;
        }
        Effect::Status(text) => {
            app.set_status(Status::Info(text));
            return None;
        }
        Effect::DeleteItem(item) => {
            let name = card_owner(app);
            let (deleted, what) = match item {
                CardItem::Order(id) => (store.delete_order_undoable(id), Undoable::DeleteOrder),
                CardItem::Interaction(id) => (
                    store.delete_interaction_undoable(id),
                    Undoable::DeleteContact,
                ),
                CardItem::FollowUp(id) => {
                    (store.delete_followup_undoable(id), Undoable::DeleteFollowUp)
                }
            };
            deleted.map(|undo| {
                remember(app, undo, what, name);
                Saved::Message(undo_hint(app, s.call.deleted))
            })
        }
        // Each follow-up action says what it did, in the UI language.
        Effect::FollowUpDone(id) => {
            let (lang, today) = (app.lang, app.today());
            let name = app.followup_owner(id).unwrap_or_default();
            store
                .complete_followup_undoable(id, today)
                .map(|(done, undo)| {
                    remember(app, undo, Undoable::Done, name.clone());
                    let said = followups::done_message(lang, &name, done.next, today);
                    Saved::Message(undo_hint(app, &said))
                })
        }
        Effect::Reschedule { id, due } => {
            let name = app.followup_owner(id).unwrap_or_default();
            store.reschedule_followup_undoable(id, due).map(|undo| {
                remember(app, undo, Undoable::Reschedule, name);
                let said = followups::rescheduled_message(app.lang, due, app.today());
                Saved::Message(undo_hint(app, &said))
            })
        }
        Effect::Snooze { id, due } => {
            let name = app.followup_owner(id).unwrap_or_default();
            store.reschedule_followup_undoable(id, due).map(|undo| {
                remember(app, undo, Undoable::Snooze, name);
                let said = followups::snoozed_message(app.lang, due, app.today());
                Saved::Message(undo_hint(app, &said))
            })
        }
        Effect::Undo => {
            let entry = app.undo.take()?;
            match store.undo(&entry.undo) {
                Ok(()) => Ok(Saved::Message(undone_message(
                    app.lang,
                    entry.what,
                    &entry.name,
                ))),
                Err(e) => {
                    // Kept: the store may be free again in a moment.
                    app.undo = Some(entry);
                    Err(e)
                }
            }
        }
        Effect::SetNote { id, note } => {
            let name = app.followup_owner(id).unwrap_or_default();
            store
                .set_followup_note(id, &note)
                .map(|()| Saved::Message(followups::note_message(app.lang, &name)))
        }
        Effect::Save(result) => match save(store, *result, app) {
            Ok(saved) => {
                app.modal = None;
                Ok(saved)
            }
            Err(e) => {
                // The form stays open with everything typed in it.
                if let (StoreError::ChangedElsewhere { current }, Some(Modal::Customer(form))) =
                    (&e, app.modal.as_mut())
                {
                    form.changed_elsewhere((**current).clone());
                }
                Err(e)
            }
        },
        Effect::DeleteCustomer(id) => {
            let name = app.data.row(id).map(|r| r.name.clone()).unwrap_or_default();
            store.delete_customer_undoable(id).map(|undo| {
                remember(app, undo, Undoable::DeleteCustomer, name);
                Saved::Deleted(id)
            })
        }
        Effect::EraseCustomer(id) => store
            .erase_customer_everywhere(id)
            .map(|swept| Saved::Erased(swept.unvouched)),
        Effect::ExportCustomer(id) => {
            match export_customer(store, id, app.data.as_of) {
                Ok(path) => app.set_status(Status::Info(format!(
                    "{} {}",
                    s.exported_to,
                    path.display()
                ))),
                Err(e) => app.set_status(Status::Error(format!(
                    "{}: {}",
                    ErrorStrings::of(app.lang).export_failed,
                    crate::i18n::errors::write_error(app.lang, &e)
                ))),
            }
            return None;
        }
    };
    match result {
        // Each store call is its own committed transaction: only now say so.
        // The figures follow from a background load; the card and the status
        // line are there at once.
        Ok(saved) => {
            let message = match saved {
                Saved::Plain => s.saved,
                Saved::Message(message) => {
                    app.set_status(Status::Info(message));
                    return after_save(app, store);
                }
                Saved::New(id) => {
                    let effect = app.open_card(id);
                    perform(effect, app, store);
                    s.saved
                }
                Saved::Deleted(id) => {
                    app.forget_customer(id);
                    app.set_status(Status::Info(undo_hint(app, s.deleted)));
                    return after_save(app, store);
                }
                Saved::Erased(unvouched) if !unvouched.is_empty() => {
                    // Committed all the same: said, and the figures reload.
                    app.set_status(Status::Error(format!(
                        "{}; {} {}",
                        s.erased,
                        ErrorStrings::of(app.lang).cannot_vouch_for,
                        unvouched.join("; ")
                    )));
                    return Some(Reload {
                        today: app.data.as_of,
                        rules: Rules::Apply,
                    });
                }
                Saved::Erased(_) => s.erased,
            };
            app.set_status(Status::Info(message.to_string()));
            after_save(app, store)
        }
        Err(e) => {
            app.set_status(Status::Error(not_saved(app.lang, store.path(), &e)));
            None
        }
    }
}

/// Keeps what undoes the change just committed: one undo, the last.
fn remember(app: &mut App, undo: crate::store::Undo, what: Undoable, name: String) {
    app.undo = Some(UndoEntry { undo, what, name });
}

/// A message with the key that undoes what it says: `Deleted · U undoes`.
pub(crate) fn undo_hint(app: &App, message: &str) -> String {
    match app.keymap.key_of(Action::Undo, keymap::Context::Global) {
        Some(key) => format!(
            "{message} · {} {}",
            key.label(),
            app.strings().views.undo_hint
        ),
        None => message.to_string(),
    }
}

/// The name of the customer whose card is open, for saying what was undone.
fn card_owner(app: &App) -> String {
    app.open_card_id()
        .and_then(|id| app.data.row(id))
        .map(|r| r.name.clone())
        .unwrap_or_default()
}

/// After a committed write: the card shows the change at once; the figures
/// follow from a background load. The other windows on the store see the
/// write through their watch on it.
fn after_save(app: &mut App, store: &mut Store) -> Option<Reload> {
    if let Some(id) = app.open_card_id() {
        match data::load_card(store, id, &app.data) {
            Ok(card) => app.set_card(id, card),
            Err(e) => app.set_status(store_failure(app, &e)),
        }
    }
    Some(Reload {
        today: app.data.as_of,
        rules: Rules::Apply,
    })
}

/// A store error as the status line says it, in the UI language.
pub(crate) fn store_failure(app: &App, e: &StoreError) -> Status {
    Status::Error(store_error(app.lang, e))
}

/// What a successful write leads to.
enum Saved {
    Plain,
    /// Saved, and this sentence says what was done.
    Message(String),
    New(CustomerId),
    Deleted(CustomerId),
    /// With the files of the customer kanta cannot vouch for.
    Erased(Vec<String>),
}

/// Writes everything held about a customer (`kanta customer export --save`) to
/// the exports folder beside the store, readable by the owner only.
fn export_customer(
    store: &Store,
    id: CustomerId,
    today: NaiveDate,
) -> Result<std::path::PathBuf, crate::store::copies::WriteError> {
    store.export_customer_to_file(id, today)
}

/// Writes a submitted form.
fn save(store: &mut Store, result: FormResult, app: &App) -> Result<Saved, StoreError> {
    match result {
        FormResult::Customer {
            id: None, draft, ..
        } => store.insert_customer(&draft).map(|c| Saved::New(c.id)),
        FormResult::Customer {
            id: Some(id),
            draft,
            seen,
        } => store
            .update_customer_seen(id, &draft, seen.as_deref())
            .map(|_| Saved::Plain),
        FormResult::Interaction {
            customer_id,
            kind,
            direction,
            text,
            follow_up,
        } => {
            store.log_contact(customer_id, kind, direction, &text, Utc::now(), follow_up)?;
            let name = app
                .data
                .row(customer_id)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            Ok(Saved::Message(followups::contact_message(
                app.lang,
                &name,
                follow_up,
                app.today(),
            )))
        }
        FormResult::Order(draft) => store.add_order(&draft).map(|_| Saved::Plain),
        FormResult::OrderEdit { id, draft } => store.update_order(id, &draft).map(|_| Saved::Plain),
        FormResult::InteractionEdit {
            id,
            kind,
            direction,
            text,
        } => store
            .update_interaction(id, kind, direction, &text)
            .map(|_| Saved::Plain),
        FormResult::FollowUp {
            customer_id,
            due,
            reason,
        } => store
            .add_followup(customer_id, due, &reason)
            .map(|_| Saved::Plain),
        // Dates and confirmations are turned into their own effects by the modal.
        FormResult::Date(_) | FormResult::Confirmed => Ok(Saved::Plain),
    }
}

/// Puts text on the terminal's clipboard with OSC 52, which terminals pass
/// on over SSH and through tmux (with its `set-clipboard` option).
fn copy_to_clipboard(text: &str) -> std::io::Result<()> {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout().lock();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Finds candidates, reads a pair, or merges one and finds again. After a merge,
/// returns the reload of the figures it calls for (done in the background).
fn perform_duplicates(
    effect: DuplicatesEffect,
    app: &mut App,
    store: &mut Store,
) -> Option<Reload> {
    match effect {
        DuplicatesEffect::Find => match store.duplicate_candidates() {
            Ok(pairs) => app.set_duplicates(pairs),
            Err(e) => app.set_status(store_failure(app, &e)),
        },
        DuplicatesEffect::Compare(pair) => match load_comparison(store, &pair) {
            Ok(Some(comparison)) => app.open_comparison(comparison),
            // One of them is gone since the list was made: make it again.
            Ok(None) => return perform_duplicates(DuplicatesEffect::Find, app, store),
            Err(e) => app.set_status(store_failure(app, &e)),
        },
        DuplicatesEffect::Merge { keep, other } => {
            match store.merge_customers_undoable(keep, other) {
                // One transaction, committed: only now say so.
                Ok(undo) => {
                    let name = app
                        .data
                        .row(keep)
                        .map(|r| r.name.clone())
                        .unwrap_or_default();
                    app.undo = Some(UndoEntry {
                        undo,
                        what: crate::i18n::views::Undoable::Merge,
                        name,
                    });
                    app.merged(other);
                    perform_duplicates(DuplicatesEffect::Find, app, store);
                    let said = undo_hint(app, app.strings().review.merged);
                    app.set_status(Status::Info(said));
                    return Some(Reload {
                        today: app.data.as_of,
                        rules: Rules::Apply,
                    });
                }
                Err(e) => app.set_status(store_failure(app, &e)),
            }
        }
    }
    None
}
