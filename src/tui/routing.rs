//! Where a key goes: the keymap context of what is on top, a prompt's or a
//! form's keys before the view's, pasted text to what takes typing.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{App, Effect, View};
use super::forms::FormInput;
use super::keymap::{Chord, Context, QUIT_ANYWHERE};
use super::modal::ModalStep;
use super::prompt::PromptOutcome;
use super::search_box::SearchState;

impl App {
    /// The keymap context of what is on top.
    pub fn context(&self) -> Context {
        if self.help {
            Context::Help
        } else {
            self.context_without_help()
        }
    }

    /// The context under the help overlay: what help describes.
    pub fn context_without_help(&self) -> Context {
        if self.palette.is_some() {
            Context::Palette
        } else if self.prompt.is_some() || (self.modal.is_some() && self.search.is_none()) {
            Context::Form
        } else if self.search.is_some() {
            Context::Search
        } else if self.active_list().is_some_and(|l| l.typing) {
            Context::Filter
        } else {
            match self.stack.last() {
                Some(View::List(_)) => Context::List,
                Some(View::Card(_)) => Context::Card,
                Some(View::Weekly(_)) => Context::Weekly,
                Some(View::Duplicates(_)) => Context::Duplicates,
                Some(View::Compare(_)) => Context::Compare,
                None => Context::Pane(self.pane),
            }
        }
    }

    /// The keys a person pressed, from one key event. A terminal sends Esc
    /// as one byte, and Esc with the key pressed right after it (or pressed
    /// while the dashboard was busy and not reading) arrives as one Alt
    /// chord: an Alt chord bound to nothing here is read as the two keys.
    pub fn keys_pressed(&self, key: KeyEvent) -> Vec<KeyEvent> {
        let bound = self.keymap.resolve(key, self.context()).is_some();
        if !key.modifiers.contains(KeyModifiers::ALT) || bound {
            return vec![key];
        }
        let mut alone = key;
        alone.modifiers.remove(KeyModifiers::ALT);
        vec![KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE), alone]
    }

    /// Routes a key press through the keymap of what is on top: a prompt's
    /// or a form's keys, else the view's.
    pub fn handle_key(&mut self, key: KeyEvent) -> Effect {
        if Chord::from_event(key) == QUIT_ANYWHERE {
            self.running = false;
            return Effect::Quit;
        }
        let context = self.context();
        if context == Context::Form {
            if self.keymap.resolve(key, Context::Form) == Some(Action::Help) {
                return self.update(Action::Help);
            }
            let input = FormInput::from_key(key, &self.keymap);
            return self.form_input(input);
        }
        match self.keymap.resolve(key, context) {
            Some(action) => self.update(action),
            None => Effect::None,
        }
    }

    /// A key for the prompt or the form on top.
    pub(super) fn form_input(&mut self, input: FormInput) -> Effect {
        if let Some(prompt) = self.prompt.as_mut() {
            return match prompt.input(input) {
                PromptOutcome::Continue => Effect::None,
                PromptOutcome::Cancel => {
                    self.prompt = None;
                    Effect::None
                }
                PromptOutcome::Submit(effect) => {
                    self.prompt = None;
                    effect
                }
            };
        }
        let Some(modal) = self.modal.as_mut() else {
            return Effect::None;
        };
        match modal.input(input) {
            ModalStep::Stay => Effect::None,
            ModalStep::Close => {
                self.modal = None;
                Effect::None
            }
            ModalStep::PickReferrer => {
                self.search = Some(SearchState::picker());
                Effect::None
            }
            // A save keeps its form open until the store has committed
            // it: a failure leaves everything typed in place.
            ModalStep::Done(effect @ Effect::Save(_)) => effect,
            ModalStep::Done(effect) => {
                self.modal = None;
                effect
            }
        }
    }

    /// Pasted text goes where typing would: prompt, search box or form.
    /// Elsewhere it is ignored: pasted text must not fire commands.
    pub fn paste(&mut self, text: &str) {
        if let Some(prompt) = self.prompt.as_mut() {
            prompt.paste(text);
        } else if let Some(palette) = self.palette.as_mut() {
            palette.paste(text);
        } else if let Some(search) = self.search.as_mut() {
            search.paste(text, &self.data);
        } else if let Some(modal) = self.modal.as_mut() {
            modal.paste(text);
        } else if self.context() == Context::Filter {
            self.paste_filter(text);
        }
    }
}
