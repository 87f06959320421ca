//! The editing half of the app's update: forms opened on the focused customer.

use crate::domain::{Customer, CustomerId};

use super::action::Action;
use super::app::{App, Effect, Step, View};
use super::forms::{ConfirmDialog, FollowUpForm, InteractionForm, OrderForm};
use super::modal::Modal;

/// The editing half of the app's update: opening forms on the focused customer.
impl App {
    /// Opens the form an editing key asks for, on the focused customer.
    pub(super) fn edit(&mut self, action: Action) -> Effect {
        let Some(id) = self.focused_customer() else {
            return Effect::None;
        };
        let (lang, today) = (self.lang, self.today());
        let modal = match action {
            Action::EditCustomer => return Effect::EditCustomer(id),
            Action::LogInteraction => {
                Modal::Interaction(Box::new(InteractionForm::new(id, lang).with_today(today)))
            }
            Action::LogCall => Modal::log_call(id, lang, today),
            Action::AddOrder => Modal::Order(Box::new(OrderForm::new(id, today, lang))),
            Action::AddFollowUp => Modal::FollowUp(Box::new(FollowUpForm::new(id, today, lang))),
            Action::Delete => {
                let name = self
                    .data
                    .row(id)
                    .map(|r| r.name.as_str())
                    .unwrap_or_default();
                let message = format!("{} {name}", self.strings().confirm_delete);
                Modal::Delete {
                    customer: id,
                    dialog: Box::new(ConfirmDialog::new(message, lang)),
                }
            }
            Action::Erase => {
                let name = self
                    .data
                    .row(id)
                    .map(|r| r.name.as_str())
                    .unwrap_or_default();
                let message = format!("{} {name}?", self.strings().confirm_erase);
                Modal::Erase {
                    customer: id,
                    dialog: Box::new(ConfirmDialog::new(message, lang)),
                }
            }
            Action::ExportCustomer => return Effect::ExportCustomer(id),
            _ => return Effect::None,
        };
        self.modal = Some(modal);
        Effect::None
    }

    /// Opens the edit form on a customer the loop has read.
    pub fn open_edit(&mut self, customer: &Customer) {
        self.modal = Some(Modal::edit_customer(
            customer,
            self.lang,
            &self.data.default_country,
        ));
    }

    /// After a delete: views of that customer close.
    pub fn forget_customer(&mut self, id: CustomerId) {
        self.stack
            .retain(|v| !matches!(v, View::Card(c) if c.id == id));
    }

    /// After a new customer is saved: their card opens.
    pub fn open_card(&mut self, id: CustomerId) -> Effect {
        self.apply(Step::OpenCard(id))
    }
}
