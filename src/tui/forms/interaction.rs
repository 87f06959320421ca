//! Logging a contact: one key for the kind (`c`, `e`, `m`, `n`), then the
//! text, and Enter. Direction and a follow-up date are optional.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::popup::{self, Popup, Row, Value};
use super::text_field::TextField;
use super::{FormInput, FormKeys, FormOutcome, FormResult, FormStrings, Lang, forms};
use crate::domain::{CustomerId, Direction, InteractionKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Text,
    Direction,
    FollowUp,
}

#[derive(Debug, Clone)]
pub struct InteractionForm {
    lang: Lang,
    /// The interaction being corrected (its text as it was), `None` for a new one.
    editing: Option<(i64, String)>,
    customer_id: CustomerId,
    today: NaiveDate,
    /// `None` until the kind key is pressed.
    kind: Option<InteractionKind>,
    text: TextField,
    direction: Option<Direction>,
    /// The direction the form opened with (a call: inbound).
    preset_direction: Option<Direction>,
    follow_up: TextField,
    focus: usize,
    tried_to_save: bool,
    asking_discard: bool,
}

impl InteractionForm {
    /// Follow-up dates are read relative to today's local date; see `with_today`.
    pub fn new(customer_id: CustomerId, lang: Lang) -> Self {
        InteractionForm {
            lang,
            editing: None,
            customer_id,
            today: chrono::Local::now().date_naive(),
            kind: None,
            text: TextField::default(),
            direction: None,
            preset_direction: None,
            follow_up: TextField::default(),
            focus: 0,
            tried_to_save: false,
            asking_discard: false,
        }
    }

    /// A call, inbound unless changed: the text has the focus at once.
    pub fn call(customer_id: CustomerId, lang: Lang) -> Self {
        InteractionForm {
            kind: Some(InteractionKind::Call),
            direction: Some(Direction::Inbound),
            preset_direction: Some(Direction::Inbound),
            ..InteractionForm::new(customer_id, lang)
        }
    }

    /// A form filled from a logged interaction, to correct its kind,
    /// direction or text; a follow-up is added on its own.
    pub fn edit(interaction: &crate::domain::Interaction, lang: Lang) -> Self {
        InteractionForm {
            editing: Some((interaction.id, interaction.text.clone())),
            kind: Some(interaction.kind),
            direction: interaction.direction,
            preset_direction: interaction.direction,
            text: TextField::new(interaction.text.clone()),
            ..InteractionForm::new(interaction.customer_id, lang)
        }
    }

    /// The same form with a fixed "today", for `+3d` and `tomorrow`.
    pub fn with_today(mut self, today: NaiveDate) -> Self {
        self.today = today;
        self
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
        let Some(kind) = self.kind else {
            return self.choose_kind(input);
        };
        let fields = self.fields();
        if let Some(step) = input.focus_step() {
            self.focus = super::step_focus(self.focus, step, fields.len());
            return FormOutcome::Continue;
        }
        let key = match input {
            FormInput::Save => return self.submit(kind),
            FormInput::Cancel if self.has_changes() => {
                self.asking_discard = true;
                return FormOutcome::Continue;
            }
            FormInput::Cancel => return FormOutcome::Cancel,
            FormInput::Key(key) => key,
            FormInput::NextField | FormInput::PreviousField => return FormOutcome::Continue,
        };
        match fields.get(self.focus) {
            Some(Field::Text) => {
                self.text.handle_key(key);
            }
            Some(Field::FollowUp) => {
                self.follow_up.handle_key(key);
            }
            Some(Field::Direction) => self.cycle_direction(&key),
            None => {}
        }
        FormOutcome::Continue
    }

    /// Text pasted in one piece (bracketed paste) goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        if self.asking_discard || self.kind.is_none() {
            return;
        }
        match self.fields().get(self.focus) {
            Some(Field::Text) => self.text.insert_text(text),
            Some(Field::FollowUp) => self.follow_up.insert_text(text),
            _ => {}
        }
    }

    pub fn keys(&self) -> Vec<(&'static str, String)> {
        let l = self.lang;
        if self.kind.is_none() {
            return vec![
                ("c", forms::kind_name(l, InteractionKind::Call).to_string()),
                ("e", forms::kind_name(l, InteractionKind::Email).to_string()),
                (
                    "m",
                    forms::kind_name(l, InteractionKind::Meeting).to_string(),
                ),
                ("n", forms::kind_name(l, InteractionKind::Note).to_string()),
            ];
        }
        let mut keys = vec![("Space", FormStrings::of(l).key_direction.to_string())];
        keys.extend(super::text_keys(l));
        keys
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        self.render_with(frame, area, FormKeys::defaults());
    }

    pub fn render_with(&self, frame: &mut Frame, area: Rect, keys: &FormKeys) {
        let l = self.lang;
        let Some(kind) = self.kind else {
            let choices = [
                InteractionKind::Call,
                InteractionKind::Email,
                InteractionKind::Meeting,
                InteractionKind::Note,
            ]
            .map(|k| (kind_key(k), forms::kind_name(l, k)));
            let popup = Popup {
                title: format!(" {} ", FormStrings::of(l).log_contact),
                rows: Vec::new(),
                focus: None,
                intro: vec![
                    Line::raw(FormStrings::of(l).choose_kind),
                    popup::keys_line(&choices),
                ],
                footer: popup::keys_line(&[(&keys.cancel, FormStrings::of(l).key_cancel)]),
                width: 56,
            };
            return popup::render(frame, area, &popup);
        };
        let show = |error: Option<String>| error.filter(|_| self.tried_to_save);
        let rows = self
            .fields()
            .into_iter()
            .map(|field| match field {
                Field::Text => Row {
                    label: FormStrings::of(l).text,
                    value: Value::Text {
                        field: &self.text,
                        placeholder: None,
                    },
                    error: show(self.text_error(kind)),
                    hint: None,
                },
                Field::Direction => Row {
                    label: FormStrings::of(l).direction,
                    value: Value::Choice(forms::direction_name(l, self.direction).to_string()),
                    error: None,
                    hint: None,
                },
                Field::FollowUp => {
                    let read = self.read_follow_up();
                    let focused = self.fields().get(self.focus) == Some(&Field::FollowUp);
                    Row {
                        label: FormStrings::of(l).follow_up_date,
                        value: Value::Text {
                            field: &self.follow_up,
                            placeholder: Some(FormStrings::of(l).no_follow_up.to_string()),
                        },
                        hint: read.clone().ok().flatten().map(|d| super::date_hint(d, l)),
                        // Not while the date is being typed: `14.` is on its way to `14.3.`.
                        error: read.err().filter(|_| self.tried_to_save || !focused),
                    }
                }
            })
            .collect();
        let footer = popup::form_footer(self.asking_discard, keys, l);
        let popup = Popup {
            title: format!(
                " {}: {} ",
                if self.editing.is_some() {
                    FormStrings::of(l).edit_contact
                } else {
                    FormStrings::of(l).log_contact
                },
                forms::kind_name(l, kind)
            ),
            rows,
            focus: Some(self.focus),
            intro: Vec::new(),
            footer,
            width: 60,
        };
        popup::render(frame, area, &popup);
    }

    fn choose_kind(&mut self, input: FormInput) -> FormOutcome {
        let key = match input {
            FormInput::Cancel => return FormOutcome::Cancel,
            FormInput::Key(key) => key,
            _ => return FormOutcome::Continue,
        };
        let kind = match key.code {
            KeyCode::Char('c' | 'C') => InteractionKind::Call,
            KeyCode::Char('e' | 'E') => InteractionKind::Email,
            KeyCode::Char('m' | 'M') => InteractionKind::Meeting,
            KeyCode::Char('n' | 'N') => InteractionKind::Note,
            _ => return FormOutcome::Continue,
        };
        self.kind = Some(kind);
        self.focus = 0;
        FormOutcome::Continue
    }

    /// Direction applies to calls and emails only.
    fn fields(&self) -> Vec<Field> {
        let mut fields = self.all_fields();
        if self.editing.is_some() {
            fields.retain(|f| *f != Field::FollowUp);
        }
        fields
    }

    fn all_fields(&self) -> Vec<Field> {
        match self.kind {
            // The follow-up right after the text: the usual end of a call.
            Some(InteractionKind::Call | InteractionKind::Email) => {
                vec![Field::Text, Field::FollowUp, Field::Direction]
            }
            _ => vec![Field::Text, Field::FollowUp],
        }
    }

    fn cycle_direction(&mut self, key: &KeyEvent) {
        let order = [None, Some(Direction::Inbound), Some(Direction::Outbound)];
        let step = match key.code {
            KeyCode::Right | KeyCode::Char(' ') => 1,
            KeyCode::Left => -1,
            _ => return,
        };
        let at = order.iter().position(|d| *d == self.direction).unwrap_or(0);
        self.direction = order[super::step_focus(at, step, order.len())];
    }

    fn has_changes(&self) -> bool {
        let text_changed = match &self.editing {
            Some((_, was)) => self.text.value() != was,
            None => !self.text.is_blank(),
        };
        text_changed || !self.follow_up.is_blank() || self.direction != self.preset_direction
    }

    /// A note is nothing without its text; a call or a meeting is worth logging bare.
    fn text_error(&self, kind: InteractionKind) -> Option<String> {
        (kind == InteractionKind::Note && self.text.is_blank())
            .then(|| FormStrings::of(self.lang).note_needs_text.to_string())
    }

    fn read_follow_up(&self) -> Result<Option<NaiveDate>, String> {
        super::read_date(self.follow_up.value(), self.today, self.lang, true)
    }

    fn submit(&mut self, kind: InteractionKind) -> FormOutcome {
        let fields = self.fields();
        let follow_up = self.read_follow_up();
        let first_bad = if self.text_error(kind).is_some() {
            Some(Field::Text)
        } else if follow_up.is_err() {
            Some(Field::FollowUp)
        } else {
            None
        };
        if let Some(bad) = first_bad {
            self.tried_to_save = true;
            self.focus = fields.iter().position(|f| *f == bad).unwrap_or(0);
            return FormOutcome::Continue;
        }
        if let Some((id, _)) = &self.editing {
            return FormOutcome::Submit(FormResult::InteractionEdit {
                id: *id,
                kind,
                direction: self
                    .direction
                    .filter(|_| fields.contains(&Field::Direction)),
                text: self.text.value().trim().to_string(),
            });
        }
        FormOutcome::Submit(FormResult::Interaction {
            customer_id: self.customer_id,
            kind,
            direction: self
                .direction
                .filter(|_| fields.contains(&Field::Direction)),
            text: self.text.value().trim().to_string(),
            follow_up: follow_up.ok().flatten(),
        })
    }
}

fn kind_key(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Call => "c",
        InteractionKind::Email => "e",
        InteractionKind::Meeting => "m",
        InteractionKind::Note => "n",
    }
}

#[cfg(test)]
#[path = "interaction_tests.rs"]
mod tests;
