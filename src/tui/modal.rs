//! The form or confirmation open over the dashboard, and the effect its
//! submission asks of the store.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::domain::{Customer, CustomerId, Interaction, Order};
use crate::i18n::Lang;

use super::effect::{CardItem, DuplicatesEffect, Effect};
use super::forms::{
    ConfirmDialog, CustomerForm, DateForm, FollowUpForm, FormInput, FormKeys, FormOutcome,
    FormResult, InteractionForm, OrderForm,
};

/// One form open over the dashboard.
pub enum Modal {
    Customer(Box<CustomerForm>),
    Interaction(Box<InteractionForm>),
    Order(Box<OrderForm>),
    FollowUp(Box<FollowUpForm>),
    /// A new due date for this follow-up.
    Reschedule {
        followup: i64,
        form: Box<DateForm>,
    },
    /// Deleting this customer, once confirmed.
    Delete {
        customer: CustomerId,
        dialog: Box<ConfirmDialog>,
    },
    /// Erasing this customer's personal data, once confirmed.
    Erase {
        customer: CustomerId,
        dialog: Box<ConfirmDialog>,
    },
    /// Deleting one order, contact or follow-up of the card, once confirmed.
    DeleteItem {
        item: CardItem,
        dialog: Box<ConfirmDialog>,
    },
    /// Merging `other` into `keep`, once confirmed.
    Merge {
        keep: CustomerId,
        other: CustomerId,
        dialog: Box<ConfirmDialog>,
    },
}

impl std::fmt::Debug for Modal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Modal::Customer(_) => "Modal::Customer",
            Modal::Interaction(_) => "Modal::Interaction",
            Modal::Order(_) => "Modal::Order",
            Modal::FollowUp(_) => "Modal::FollowUp",
            Modal::Reschedule { .. } => "Modal::Reschedule",
            Modal::Delete { .. } => "Modal::Delete",
            Modal::Erase { .. } => "Modal::Erase",
            Modal::DeleteItem { .. } => "Modal::DeleteItem",
            Modal::Merge { .. } => "Modal::Merge",
        })
    }
}

/// What the app does after the form saw a key.
#[derive(Debug, Clone, PartialEq)]
pub enum ModalStep {
    Stay,
    Close,
    PickReferrer,
    Done(Effect),
}

impl Modal {
    /// `country`: the config's `default_country`, for phones typed without
    /// a country code.
    pub fn new_customer(lang: Lang, country: &str) -> Modal {
        Modal::Customer(Box::new(CustomerForm::new(None, lang).in_country(country)))
    }

    /// Logging a call with this customer: kind and inbound direction chosen.
    pub fn log_call(id: CustomerId, lang: Lang, today: NaiveDate) -> Modal {
        Modal::Interaction(Box::new(InteractionForm::call(id, lang).with_today(today)))
    }

    /// Correcting one order of the card.
    pub fn edit_order(order: &Order, today: NaiveDate, lang: Lang) -> Modal {
        Modal::Order(Box::new(OrderForm::edit(order, today, lang)))
    }

    /// Correcting one logged contact of the card.
    pub fn edit_interaction(interaction: &Interaction, lang: Lang) -> Modal {
        Modal::Interaction(Box::new(InteractionForm::edit(interaction, lang)))
    }

    /// Asking before one order, contact or follow-up is deleted.
    pub fn delete_item(item: CardItem, lang: Lang) -> Modal {
        let s = lang.strings();
        let question = match item {
            CardItem::Order(_) => s.call.delete_order,
            CardItem::Interaction(_) => s.call.delete_interaction,
            CardItem::FollowUp(_) => s.call.delete_followup,
        };
        Modal::DeleteItem {
            item,
            dialog: Box::new(ConfirmDialog::new(question.to_string(), lang)),
        }
    }

    /// A new customer with this phone filled in.
    pub fn new_customer_with_phone(phone: &str, lang: Lang, country: &str) -> Modal {
        let form = CustomerForm::new_with_phone(phone, lang).in_country(country);
        Modal::Customer(Box::new(form))
    }

    pub fn edit_customer(customer: &Customer, lang: Lang, country: &str) -> Modal {
        let form = CustomerForm::new(Some(customer), lang).in_country(country);
        Modal::Customer(Box::new(form))
    }

    /// A key with the default keymap.
    pub fn handle_key(&mut self, key: KeyEvent) -> ModalStep {
        self.input(FormInput::default_for(key))
    }

    /// A key as the keymap read it.
    pub fn input(&mut self, input: FormInput) -> ModalStep {
        let outcome = match self {
            Modal::Customer(f) => f.input(input),
            Modal::Interaction(f) => f.input(input),
            Modal::Order(f) => f.input(input),
            Modal::FollowUp(f) => f.input(input),
            Modal::Reschedule { form, .. } => form.input(input),
            Modal::Delete { dialog, .. }
            | Modal::Erase { dialog, .. }
            | Modal::DeleteItem { dialog, .. }
            | Modal::Merge { dialog, .. } => dialog.input(input),
        };
        match outcome {
            FormOutcome::Continue => ModalStep::Stay,
            FormOutcome::Cancel => ModalStep::Close,
            FormOutcome::PickReferrer => ModalStep::PickReferrer,
            FormOutcome::Submit(result) => ModalStep::Done(match (self, result) {
                (Modal::Reschedule { followup, .. }, FormResult::Date(due)) => {
                    Effect::Reschedule { id: *followup, due }
                }
                (Modal::Delete { customer, .. }, FormResult::Confirmed) => {
                    Effect::DeleteCustomer(*customer)
                }
                (Modal::Erase { customer, .. }, FormResult::Confirmed) => {
                    Effect::EraseCustomer(*customer)
                }
                (Modal::DeleteItem { item, .. }, FormResult::Confirmed) => {
                    Effect::DeleteItem(*item)
                }
                (Modal::Merge { keep, other, .. }, FormResult::Confirmed) => {
                    Effect::Duplicates(DuplicatesEffect::Merge {
                        keep: *keep,
                        other: *other,
                    })
                }
                (_, result) => Effect::Save(Box::new(result)),
            }),
        }
    }

    /// Bracketed-paste text, for the focused field.
    pub fn paste(&mut self, text: &str) {
        match self {
            Modal::Customer(f) => f.paste(text),
            Modal::Interaction(f) => f.paste(text),
            Modal::Order(f) => f.paste(text),
            Modal::FollowUp(f) => f.paste(text),
            Modal::Reschedule { form, .. } => form.paste(text),
            Modal::Delete { dialog, .. }
            | Modal::Erase { dialog, .. }
            | Modal::DeleteItem { dialog, .. }
            | Modal::Merge { dialog, .. } => dialog.paste(text),
        }
    }

    /// Gives the customer form the referrer picked in search.
    pub fn set_referrer(&mut self, id: CustomerId, label: String) {
        if let Modal::Customer(f) = self {
            f.set_referrer(Some(id), label);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keys: &FormKeys) {
        match self {
            Modal::Customer(f) => f.render_with(frame, area, keys),
            Modal::Interaction(f) => f.render_with(frame, area, keys),
            Modal::Order(f) => f.render_with(frame, area, keys),
            Modal::FollowUp(f) => f.render_with(frame, area, keys),
            Modal::Reschedule { form, .. } => form.render_with(frame, area, keys),
            Modal::Delete { dialog, .. }
            | Modal::Erase { dialog, .. }
            | Modal::DeleteItem { dialog, .. }
            | Modal::Merge { dialog, .. } => dialog.render(frame, area),
        }
    }

    /// The form's own keys (besides the keymap's save, cancel and fields), for help.
    pub fn keys(&self) -> Vec<(&'static str, String)> {
        match self {
            Modal::Customer(f) => f.keys(),
            Modal::Interaction(f) => f.keys(),
            Modal::Order(f) => f.keys(),
            Modal::FollowUp(f) => f.keys(),
            Modal::Reschedule { form, .. } => form.keys(),
            Modal::Delete { dialog, .. }
            | Modal::Erase { dialog, .. }
            | Modal::DeleteItem { dialog, .. }
            | Modal::Merge { dialog, .. } => dialog.keys(),
        }
    }

    /// Whether the form has fields to move between, and saves: what the
    /// footer offers (a question takes only its answers).
    pub fn has_fields(&self) -> bool {
        matches!(
            self,
            Modal::Customer(_) | Modal::Interaction(_) | Modal::Order(_) | Modal::FollowUp(_)
        )
    }

    /// Whether it saves on the save key: a form, not a question.
    pub fn saves(&self) -> bool {
        !matches!(
            self,
            Modal::Delete { .. }
                | Modal::Erase { .. }
                | Modal::DeleteItem { .. }
                | Modal::Merge { .. }
        )
    }
}

/// The date form for a new due date.
pub fn reschedule_form(id: i64, today: NaiveDate, lang: Lang) -> Modal {
    Modal::Reschedule {
        followup: id,
        form: Box::new(DateForm::new(
            lang.strings().act_reschedule.to_string(),
            today,
            lang,
        )),
    }
}
