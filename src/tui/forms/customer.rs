//! The form for a new or an existing customer.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;

use super::customer_text::{contact_every, split_list};
use super::popup::{self, Popup, Row, Value};
use super::text_field::TextField;
use super::{FormInput, FormKeys, FormOutcome, FormResult, FormStrings, Lang, forms};
use crate::domain::email::check_email;
use crate::domain::phone;
use crate::domain::{Customer, CustomerDraft, CustomerId, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Company,
    Emails,
    Phones,
    Address,
    City,
    Tags,
    Source,
    Referrer,
    Prospect,
    Advocate,
    Consent,
    ContactEvery,
    Notes,
}

const FIELDS: [Field; 14] = [
    Field::Name,
    Field::Company,
    Field::Emails,
    Field::Phones,
    Field::Address,
    Field::City,
    Field::Tags,
    Field::Source,
    Field::Referrer,
    Field::Prospect,
    Field::Advocate,
    Field::Consent,
    Field::ContactEvery,
    Field::Notes,
];

/// The fields typed as text, in the order of `CustomerForm::texts`.
const TEXT_FIELDS: [Field; 9] = [
    Field::Name,
    Field::Company,
    Field::Emails,
    Field::Phones,
    Field::Address,
    Field::City,
    Field::Tags,
    Field::ContactEvery,
    Field::Notes,
];

/// Everything the user can change, to tell whether there are unsaved changes.
#[derive(Debug, Clone, PartialEq)]
struct Values {
    texts: Vec<String>,
    source: Option<Source>,
    referrer: Option<CustomerId>,
    flags: [bool; 3],
}

#[derive(Debug, Clone)]
pub struct CustomerForm {
    lang: Lang,
    /// The config's `default_country`: phones without a country code are
    /// read as its numbers, as an import reads them.
    country: String,
    existing: Option<Customer>,
    texts: [TextField; 9],
    source: Option<Source>,
    /// The referrer and how to show it.
    referrer: Option<(CustomerId, String)>,
    prospect: bool,
    advocate: bool,
    consent: bool,
    focus: usize,
    /// Fields edited since they were entered, and fields whose message is shown.
    edited: [bool; 14],
    touched: [bool; 14],
    tried_to_save: bool,
    asking_discard: bool,
    /// The customer as saved elsewhere since the form opened: the save was
    /// refused, and the form asks whether to reload or overwrite.
    changed_elsewhere: Option<Box<Customer>>,
    initial: Values,
}

impl CustomerForm {
    /// A form for a new customer (`None`) or filled from an existing one. An
    /// existing referrer shows as `#id` until the app calls `set_referrer`.
    pub fn new(existing: Option<&Customer>, lang: Lang) -> Self {
        let texts = match existing {
            Some(c) => [
                TextField::new(c.name.clone()),
                TextField::new(c.company.clone().unwrap_or_default()),
                TextField::new(c.emails.join(", ")),
                TextField::new(c.phones.join(", ")),
                TextField::new(c.address.clone().unwrap_or_default()),
                TextField::new(c.city.clone().unwrap_or_default()),
                TextField::new(c.tags.join(", ")),
                TextField::new(
                    c.contact_every_days
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                ),
                TextField::new(c.notes.clone()),
            ],
            None => Default::default(),
        };
        let mut form = CustomerForm {
            lang,
            country: crate::config::Config::default().default_country,
            existing: existing.cloned(),
            texts,
            source: existing.and_then(|c| c.source),
            referrer: existing.and_then(|c| c.referred_by.map(|id| (id, format!("#{id}")))),
            prospect: existing.is_some_and(|c| c.prospect),
            advocate: existing.is_some_and(|c| c.advocate),
            consent: existing.is_some_and(|c| c.marketing_consent),
            focus: 0,
            edited: [false; 14],
            touched: [false; 14],
            tried_to_save: false,
            asking_discard: false,
            changed_elsewhere: None,
            initial: Values {
                texts: Vec::new(),
                source: None,
                referrer: None,
                flags: [false; 3],
            },
        };
        form.initial = form.values();
        form
    }

    /// A form for a new customer whose phone is already known (a call from a
    /// number nobody has): the number is filled in and the name has the focus.
    /// The number counts as typed, so closing the form asks first.
    pub fn new_with_phone(phone: &str, lang: Lang) -> Self {
        let mut form = CustomerForm::new(None, lang);
        let at = TEXT_FIELDS
            .iter()
            .position(|f| *f == Field::Phones)
            .unwrap_or(0);
        form.texts[at] = TextField::new(phone.trim().to_string());
        form
    }

    /// The referrer chosen after `FormOutcome::PickReferrer`; `None` clears it.
    pub fn set_referrer(&mut self, id: Option<CustomerId>, label: String) {
        self.referrer = id.map(|id| (id, label));
    }

    /// True when saving now would change something.
    pub fn has_changes(&self) -> bool {
        self.values() != self.initial
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        if !super::is_press(&key) {
            return FormOutcome::Continue;
        }
        self.input(FormInput::default_for(key))
    }

    /// A key, as the keymap read it. Enter saves, as in every form; Space
    /// picks the referrer, ticks a box or changes the source.
    pub fn input(&mut self, input: FormInput) -> FormOutcome {
        if self.asking_discard {
            return super::answer_discard(&mut self.asking_discard, input, self.lang);
        }
        if let Some(current) = self.changed_elsewhere.take() {
            return self.answer_changed_elsewhere(*current, input);
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
        let field = FIELDS[self.focus];
        let changed = match field {
            Field::Source => self.cycle_source(&key),
            Field::Referrer => match key.code {
                KeyCode::Char(' ') => return FormOutcome::PickReferrer,
                KeyCode::Backspace | KeyCode::Delete => {
                    self.referrer = None;
                    true
                }
                _ => false,
            },
            Field::Prospect | Field::Advocate | Field::Consent => {
                key.code == KeyCode::Char(' ') && {
                    let flag = match field {
                        Field::Prospect => &mut self.prospect,
                        Field::Advocate => &mut self.advocate,
                        _ => &mut self.consent,
                    };
                    *flag = !*flag;
                    true
                }
            }
            _ => {
                let index = TEXT_FIELDS.iter().position(|f| *f == field);
                index.is_some_and(|i| self.texts[i].handle_key(key))
            }
        };
        if changed {
            self.edited[self.focus] = true;
        }
        FormOutcome::Continue
    }

    /// Text pasted in one piece (bracketed paste) goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        let field = FIELDS[self.focus];
        if self.asking_discard {
            return;
        }
        if let Some(i) = TEXT_FIELDS.iter().position(|f| *f == field) {
            self.texts[i].insert_text(text);
            self.edited[self.focus] = true;
        }
    }

    /// The form's own keys, for help; save, cancel and the fields' order
    /// are the keymap's.
    pub fn keys(&self) -> Vec<(&'static str, String)> {
        let l = self.lang;
        let mut keys = vec![
            ("Space", FormStrings::of(l).key_toggle.to_string()),
            ("Left/Right", FormStrings::of(l).key_choose.to_string()),
            ("Space", FormStrings::of(l).key_pick_referrer.to_string()),
            ("Delete", FormStrings::of(l).key_clear_referrer.to_string()),
            ("r", FormStrings::of(l).key_reload.to_string()),
            ("o", FormStrings::of(l).key_overwrite.to_string()),
        ];
        keys.extend(super::text_keys(l));
        keys
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        self.render_with(frame, area, FormKeys::defaults());
    }

    pub fn render_with(&self, frame: &mut Frame, area: Rect, keys: &FormKeys) {
        let l = self.lang;
        let title = match &self.existing {
            Some(c) => format!(" {}: {} ", FormStrings::of(l).edit_customer, c.name),
            None => format!(" {} ", FormStrings::of(l).new_customer),
        };
        let rows = FIELDS
            .iter()
            .enumerate()
            .map(|(i, field)| Row {
                label: label(*field, l),
                value: self.value(*field),
                error: self.error_shown(i),
                hint: None,
            })
            .collect();
        let footer = if self.changed_elsewhere.is_some() {
            popup::question_line(FormStrings::of(l).changed_elsewhere)
        } else {
            popup::form_footer(self.asking_discard, keys, l)
        };
        let popup = Popup {
            title,
            rows,
            focus: Some(self.focus),
            intro: Vec::new(),
            footer,
            width: 66,
        };
        popup::render(frame, area, &popup);
    }

    /// Phones typed without a country code are of `country`.
    pub fn in_country(mut self, country: &str) -> Self {
        self.country = country.to_string();
        self
    }

    /// Why a typed phone is refused, by the rule an import uses; a number
    /// the customer already had is kept as it is.
    fn phone_problem(&self, written: &str) -> Option<String> {
        let kept = self
            .existing
            .as_ref()
            .is_some_and(|c| c.phones.iter().any(|p| p.trim() == written));
        if kept {
            return None;
        }
        let refused = phone::parse(written, &self.country).err()?;
        Some(forms::phone_problem(&refused, self.lang))
    }

    fn text(&self, field: Field) -> &TextField {
        let index = TEXT_FIELDS.iter().position(|f| *f == field).unwrap_or(0);
        &self.texts[index]
    }

    fn value(&self, field: Field) -> Value<'_> {
        let l = self.lang;
        match field {
            Field::Source => Value::Choice(forms::source_name(l, self.source).to_string()),
            Field::Referrer => Value::Picked(match &self.referrer {
                Some((_, label)) => label.clone(),
                None => FormStrings::of(l).no_referrer.to_string(),
            }),
            Field::Prospect => Value::Toggle(self.prospect),
            Field::Advocate => Value::Toggle(self.advocate),
            Field::Consent => Value::Toggle(self.consent),
            _ => Value::Text {
                field: self.text(field),
                placeholder: match field {
                    Field::Emails | Field::Phones | Field::Tags => {
                        Some(FormStrings::of(l).comma_separated.to_string())
                    }
                    Field::ContactEvery => Some(FormStrings::of(l).days_or_empty.to_string()),
                    _ => None,
                },
            },
        }
    }

    fn move_focus(&mut self, to: usize) {
        // A field's message appears once the user leaves it after an edit.
        self.touched[self.focus] |= self.edited[self.focus];
        self.focus = to;
    }

    fn cycle_source(&mut self, key: &KeyEvent) -> bool {
        let step = match key.code {
            KeyCode::Right | KeyCode::Char(' ') => 1,
            KeyCode::Left => -1,
            _ => return false,
        };
        // None, then the sources in order, and around.
        let position = self
            .source
            .and_then(|s| Source::ALL.iter().position(|x| *x == s))
            .map_or(0, |p| p + 1);
        let next = super::step_focus(position, step, Source::ALL.len() + 1);
        self.source = next
            .checked_sub(1)
            .and_then(|i| Source::ALL.get(i).copied());
        true
    }

    fn error(&self, field: Field) -> Option<String> {
        let l = self.lang;
        match field {
            Field::Name if self.text(field).is_blank() => {
                Some(FormStrings::of(l).name_required.to_string())
            }
            Field::Emails => split_list(self.text(field).value())
                .into_iter()
                .find_map(|e| check_email(&e).err())
                .map(|bad| forms::not_an_email(&bad, l)),
            Field::Phones => split_list(self.text(field).value())
                .into_iter()
                .find_map(|p| self.phone_problem(&p)),
            Field::ContactEvery => match contact_every(self.text(field).value()) {
                Ok(_) => None,
                Err(()) => Some(FormStrings::of(l).days_positive.to_string()),
            },
            _ => None,
        }
    }

    fn error_shown(&self, index: usize) -> Option<String> {
        if self.tried_to_save || self.touched[index] {
            self.error(FIELDS[index])
        } else {
            None
        }
    }

    fn submit(&mut self) -> FormOutcome {
        if let Some(first_bad) = FIELDS.iter().position(|f| self.error(*f).is_some()) {
            self.tried_to_save = true;
            self.move_focus(first_bad);
            return FormOutcome::Continue;
        }
        let optional = |field: Field| {
            let text = self.text(field).value().trim();
            (!text.is_empty()).then(|| text.to_string())
        };
        let mut tags: Vec<String> = Vec::new();
        for tag in split_list(self.text(Field::Tags).value()) {
            if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                tags.push(tag);
            }
        }
        let draft = CustomerDraft {
            reference: self.existing.as_ref().map(|c| c.reference.clone()),
            name: self.text(Field::Name).value().trim().to_string(),
            company: optional(Field::Company),
            emails: split_list(self.text(Field::Emails).value()),
            phones: split_list(self.text(Field::Phones).value()),
            address: optional(Field::Address),
            city: optional(Field::City),
            tags,
            source: self.source,
            referred_by: self.referrer.as_ref().map(|(id, _)| *id),
            prospect: self.prospect,
            advocate: self.advocate,
            marketing_consent: self.consent,
            notes: self.text(Field::Notes).value().trim().to_string(),
            contact_every_days: contact_every(self.text(Field::ContactEvery).value())
                .ok()
                .flatten(),
        };
        FormOutcome::Submit(FormResult::Customer {
            id: self.existing.as_ref().map(|c| c.id),
            draft,
            seen: self.existing.clone().map(Box::new),
        })
    }

    /// The save found the customer changed elsewhere since the form opened
    /// (`current` is how they are now): ask what to do.
    pub fn changed_elsewhere(&mut self, current: Customer) {
        self.changed_elsewhere = Some(Box::new(current));
    }

    pub fn is_asking_changed_elsewhere(&self) -> bool {
        self.changed_elsewhere.is_some()
    }

    /// r reloads the customer as saved (what was typed is dropped), o saves
    /// what was typed over the other change, Esc goes back to editing.
    fn answer_changed_elsewhere(&mut self, current: Customer, input: FormInput) -> FormOutcome {
        let code = match input {
            FormInput::Cancel => return FormOutcome::Continue,
            FormInput::Key(key) => key.code,
            _ => KeyCode::Null,
        };
        match code {
            KeyCode::Char('r' | 'R') => {
                let referrer = self
                    .referrer
                    .clone()
                    .filter(|(id, _)| Some(*id) == current.referred_by);
                *self = CustomerForm::new(Some(&current), self.lang).in_country(&self.country);
                if let Some((id, label)) = referrer {
                    self.set_referrer(Some(id), label);
                    self.initial = self.values();
                }
                FormOutcome::Continue
            }
            KeyCode::Char('o' | 'O') => {
                self.existing = Some(current);
                self.submit()
            }
            _ => {
                self.changed_elsewhere = Some(Box::new(current));
                FormOutcome::Continue
            }
        }
    }

    fn values(&self) -> Values {
        Values {
            texts: self.texts.iter().map(|t| t.value().to_string()).collect(),
            source: self.source,
            referrer: self.referrer.as_ref().map(|(id, _)| *id),
            flags: [self.prospect, self.advocate, self.consent],
        }
    }
}

fn label(field: Field, l: Lang) -> &'static str {
    let t = FormStrings::of(l);
    match field {
        Field::Name => t.name,
        Field::Company => t.company,
        Field::Emails => t.emails,
        Field::Phones => t.phones,
        Field::Address => t.address,
        Field::City => t.city,
        Field::Tags => t.tags,
        Field::Source => t.source,
        Field::Referrer => t.referrer,
        Field::Prospect => t.prospect,
        Field::Advocate => t.advocate,
        Field::Consent => t.marketing_consent,
        Field::ContactEvery => t.contact_every,
        Field::Notes => t.notes,
    }
}

#[cfg(test)]
#[path = "customer_tests.rs"]
mod tests;
