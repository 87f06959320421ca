//! The edit forms opened over the dashboard, and what their results ask of the store.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use crate::domain::{Customer, CustomerId};
use crate::i18n::Lang;

use super::app::Effect;
use super::forms::{
    ConfirmDialog, CustomerForm, DateForm, FollowUpForm, FormOutcome, FormResult, InteractionForm,
    OrderForm,
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
    pub fn new_customer(lang: Lang) -> Modal {
        Modal::Customer(Box::new(CustomerForm::new(None, lang)))
    }

    pub fn edit_customer(customer: &Customer, lang: Lang) -> Modal {
        Modal::Customer(Box::new(CustomerForm::new(Some(customer), lang)))
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> ModalStep {
        let outcome = match self {
            Modal::Customer(f) => f.handle_key(key),
            Modal::Interaction(f) => f.handle_key(key),
            Modal::Order(f) => f.handle_key(key),
            Modal::FollowUp(f) => f.handle_key(key),
            Modal::Reschedule { form, .. } => form.handle_key(key),
            Modal::Delete { dialog, .. } => dialog.handle_key(key),
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
                (_, result) => Effect::Save(Box::new(result)),
            }),
        }
    }

    /// Gives the customer form the referrer picked in search.
    pub fn set_referrer(&mut self, id: CustomerId, label: String) {
        if let Modal::Customer(f) = self {
            f.set_referrer(Some(id), label);
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        match self {
            Modal::Customer(f) => f.render(frame, area),
            Modal::Interaction(f) => f.render(frame, area),
            Modal::Order(f) => f.render(frame, area),
            Modal::FollowUp(f) => f.render(frame, area),
            Modal::Reschedule { form, .. } => form.render(frame, area),
            Modal::Delete { dialog, .. } => dialog.render(frame, area),
        }
    }
}
