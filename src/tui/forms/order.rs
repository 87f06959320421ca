//! Adding an order (or a refund, with a negative amount) to a customer.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::popup::{self, Popup, Row, Value};
use super::text_field::TextField;
use super::{FormInput, FormKeys, FormOutcome, FormResult, FormStrings, Lang, forms};
use crate::domain::money::{AmountError, parse_cents};
use crate::domain::{CustomerId, OrderDraft};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Amount,
    Quantity,
    Discount,
    Note,
}

const FIELDS: [Field; 5] = [
    Field::Date,
    Field::Amount,
    Field::Quantity,
    Field::Discount,
    Field::Note,
];

#[derive(Debug, Clone)]
pub struct OrderForm {
    lang: Lang,
    /// The order being corrected, `None` for a new one.
    editing: Option<i64>,
    /// The values the form opened with: closing it unchanged asks nothing.
    initial: [String; 4],
    initial_discount: bool,
    customer_id: CustomerId,
    today: NaiveDate,
    date: TextField,
    amount: TextField,
    quantity: TextField,
    discount: bool,
    note: TextField,
    focus: usize,
    edited: [bool; 5],
    touched: [bool; 5],
    tried_to_save: bool,
    asking_discard: bool,
}

impl OrderForm {
    /// The date starts empty, meaning `today`; the cursor starts on the amount.
    pub fn new(customer_id: CustomerId, today: NaiveDate, lang: Lang) -> Self {
        OrderForm {
            lang,
            editing: None,
            initial: Default::default(),
            initial_discount: false,
            customer_id,
            today,
            date: TextField::default(),
            amount: TextField::default(),
            quantity: TextField::default(),
            discount: false,
            note: TextField::default(),
            focus: 1,
            edited: [false; 5],
            touched: [false; 5],
            tried_to_save: false,
            asking_discard: false,
        }
    }

    /// A form filled from an existing order, to correct it.
    pub fn edit(order: &crate::domain::Order, today: NaiveDate, lang: Lang) -> Self {
        let mut form = OrderForm::new(order.customer_id, today, lang);
        form.editing = Some(order.id);
        form.date = TextField::new(order.order_date.format("%Y-%m-%d").to_string());
        form.amount = TextField::new(crate::domain::money::format_cents(
            order.amount_cents,
            "",
            Some('.'),
        ));
        form.quantity = TextField::new(order.quantity.map(|q| q.to_string()).unwrap_or_default());
        form.discount = order.discount;
        form.note = TextField::new(order.note.clone().unwrap_or_default());
        form.initial = form.texts();
        form.initial_discount = form.discount;
        form
    }

    fn texts(&self) -> [String; 4] {
        [&self.date, &self.amount, &self.quantity, &self.note].map(|t| t.value().to_string())
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        if !super::is_press(&key) {
            return FormOutcome::Continue;
        }
        self.input(FormInput::default_for(key))
    }

    pub fn input(&mut self, input: FormInput) -> FormOutcome {
        if self.asking_discard {
            return super::answer_discard(&mut self.asking_discard, input, self.lang);
        }
        if let Some(step) = input.focus_step() {
            self.move_focus(super::step_focus(self.focus, step, FIELDS.len()));
            return FormOutcome::Continue;
        }
        let key = match input {
            FormInput::Save => return self.submit(),
            FormInput::Cancel if self.has_changes() => {
                self.asking_discard = true;
                return FormOutcome::Continue;
            }
            FormInput::Cancel => return FormOutcome::Cancel,
            FormInput::Key(key) => key,
            FormInput::NextField | FormInput::PreviousField => return FormOutcome::Continue,
        };
        let changed = match FIELDS[self.focus] {
            Field::Date => self.date.handle_key(key),
            Field::Amount => self.amount.handle_key(key),
            Field::Quantity => self.quantity.handle_key(key),
            Field::Note => self.note.handle_key(key),
            Field::Discount => {
                let toggle = key.code == KeyCode::Char(' ');
                self.discount ^= toggle;
                toggle
            }
        };
        self.edited[self.focus] |= changed;
        FormOutcome::Continue
    }

    /// Text pasted in one piece (bracketed paste) goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        if self.asking_discard {
            return;
        }
        let field = match FIELDS[self.focus] {
            Field::Date => &mut self.date,
            Field::Amount => &mut self.amount,
            Field::Quantity => &mut self.quantity,
            Field::Note => &mut self.note,
            Field::Discount => return,
        };
        field.insert_text(text);
        self.edited[self.focus] = true;
    }

    /// The form's own keys, for help; save, cancel and the fields' order
    /// are the keymap's.
    pub fn keys(&self) -> Vec<(&'static str, String)> {
        let l = self.lang;
        let mut keys = vec![("Space", FormStrings::of(l).key_toggle.to_string())];
        keys.extend(super::text_keys(l));
        keys
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        self.render_with(frame, area, FormKeys::defaults());
    }

    pub fn render_with(&self, frame: &mut Frame, area: Rect, keys: &FormKeys) {
        let l = self.lang;
        let rows = FIELDS
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let shown = self.tried_to_save || self.touched[i];
                let error = self.error(*field).filter(|_| shown);
                match field {
                    Field::Date => Row {
                        label: FormStrings::of(l).order_date,
                        value: Value::Text {
                            field: &self.date,
                            placeholder: Some(forms::today_is(self.today, l)),
                        },
                        hint: self
                            .read_date()
                            .ok()
                            .filter(|_| !self.date.is_blank())
                            .map(|d| super::date_hint(d, l)),
                        error,
                    },
                    Field::Amount => Row {
                        label: FormStrings::of(l).amount,
                        value: Value::Text {
                            field: &self.amount,
                            placeholder: Some(FormStrings::of(l).amount_example.to_string()),
                        },
                        hint: parse_cents(self.amount.value())
                            .ok()
                            .map(|c| forms::amount_hint(c, l)),
                        error,
                    },
                    Field::Quantity => Row {
                        label: FormStrings::of(l).quantity,
                        value: Value::Text {
                            field: &self.quantity,
                            placeholder: None,
                        },
                        hint: None,
                        error,
                    },
                    Field::Discount => Row {
                        label: FormStrings::of(l).discount,
                        value: Value::Toggle(self.discount),
                        hint: None,
                        error,
                    },
                    Field::Note => Row {
                        label: FormStrings::of(l).note,
                        value: Value::Text {
                            field: &self.note,
                            placeholder: None,
                        },
                        hint: None,
                        error,
                    },
                }
            })
            .collect();
        let footer = popup::form_footer(self.asking_discard, keys, l);
        let popup = Popup {
            title: format!(
                " {} ",
                if self.editing.is_some() {
                    FormStrings::of(l).edit_order
                } else {
                    FormStrings::of(l).new_order
                }
            ),
            rows,
            focus: Some(self.focus),
            intro: Vec::new(),
            footer,
            width: 56,
        };
        popup::render(frame, area, &popup);
    }

    fn move_focus(&mut self, to: usize) {
        self.touched[self.focus] |= self.edited[self.focus];
        self.focus = to;
    }

    fn has_changes(&self) -> bool {
        self.texts() != self.initial || self.discount != self.initial_discount
    }

    /// Empty means today. Orders may be dated in the past: they are often entered late.
    fn read_date(&self) -> Result<NaiveDate, String> {
        super::read_date(self.date.value(), self.today, self.lang, false)
            .map(|d| d.unwrap_or(self.today))
    }

    fn read_quantity(&self) -> Result<Option<i64>, ()> {
        let text = self.quantity.value().trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<i64>().map(Some).map_err(|_| ())
    }

    fn error(&self, field: Field) -> Option<String> {
        let l = self.lang;
        match field {
            Field::Date => self.read_date().err(),
            Field::Amount => parse_cents(self.amount.value())
                .err()
                .map(|e| amount_error_text(&e, l)),
            Field::Quantity => self
                .read_quantity()
                .err()
                .map(|()| FormStrings::of(l).quantity_whole.to_string()),
            Field::Discount | Field::Note => None,
        }
    }

    fn submit(&mut self) -> FormOutcome {
        if let Some(first_bad) = FIELDS.iter().position(|f| self.error(*f).is_some()) {
            self.tried_to_save = true;
            self.move_focus(first_bad);
            return FormOutcome::Continue;
        }
        let (Ok(order_date), Ok(amount_cents), Ok(quantity)) = (
            self.read_date(),
            parse_cents(self.amount.value()),
            self.read_quantity(),
        ) else {
            return FormOutcome::Continue;
        };
        let note = self.note.value().trim();
        let draft = OrderDraft {
            customer_id: self.customer_id,
            order_date,
            amount_cents,
            quantity,
            external_id: None,
            discount: self.discount,
            note: (!note.is_empty()).then(|| note.to_string()),
        };
        FormOutcome::Submit(match self.editing {
            Some(id) => FormResult::OrderEdit { id, draft },
            None => FormResult::Order(draft),
        })
    }
}

/// In English the import's sentence itself; in Finnish its translation.
fn amount_error_text(error: &AmountError, l: Lang) -> String {
    if l == Lang::En {
        return error.to_string();
    }
    match error {
        AmountError::Empty => FormStrings::of(l).amount_required.to_string(),
        AmountError::NotAnAmount(_) | AmountError::BadGrouping(_) => {
            FormStrings::of(l).amount_how_to.to_string()
        }
        AmountError::TooManyDecimals(_) => FormStrings::of(l).amount_decimals.to_string(),
        AmountError::TooLarge(_) => FormStrings::of(l).amount_too_large.to_string(),
    }
}

#[cfg(test)]
#[path = "order_tests.rs"]
mod tests;
