//! One table of (key, context) -> action. Key handling, the help overlay and the
//! footer all read it, so they cannot disagree.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use thiserror::Error;

use super::action::{Action, Pane};

/// Where a key is pressed. `Global` bindings also apply in pane, list and card
/// contexts, never while typing (search, prompts) or reading help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Pane(Pane),
    /// A drill-down list of customers.
    List,
    Card,
    /// The weekly review page.
    Weekly,
    /// The list of possible duplicates.
    Duplicates,
    /// Two possible duplicates side by side.
    Compare,
    Search,
    Help,
    /// An edit form or a one-line prompt: letters are text there.
    Form,
    /// A list's filter box, typing.
    Filter,
    /// The command palette, typing.
    Palette,
}

impl Context {
    fn takes_global(self) -> bool {
        !matches!(
            self,
            Context::Search | Context::Help | Context::Form | Context::Filter | Context::Palette
        )
    }

    /// Plain characters typed here are text, not commands.
    fn types_text(self) -> bool {
        matches!(self, Context::Search | Context::Filter | Context::Palette)
    }
}

/// A key with its modifiers; letters carry their case instead of SHIFT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// Ctrl-C quits from anywhere, a form or the search box included, as in
/// every terminal program.
pub const QUIT_ANYWHERE: Chord = Chord {
    code: KeyCode::Char('c'),
    mods: KeyModifiers::CONTROL,
};

impl Chord {
    pub const fn plain(code: KeyCode) -> Chord {
        Chord {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Chord {
        Chord::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Chord {
        Chord {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// Normalizes a key event: terminals differ in whether `Z` comes with SHIFT.
    pub fn from_event(key: KeyEvent) -> Chord {
        let mut mods =
            key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(key.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Chord {
            code: key.code,
            mods,
        }
    }

    /// Parses `x`, `X`, `ctrl-f`, `alt-enter`, `shift-tab`, `f5`, `pagedown`...
    pub fn parse(text: &str) -> Result<Chord, KeymapError> {
        let bad = || KeymapError::BadKey(text.to_string());
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, flag) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            mods |= flag;
            rest = rest.get(prefix.len()..).ok_or_else(bad)?;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" => KeyCode::PageUp,
                "pagedown" => KeyCode::PageDown,
                f if f.starts_with('f') => {
                    KeyCode::F(f.get(1..).and_then(|n| n.parse().ok()).ok_or_else(bad)?)
                }
                _ => return Err(bad()),
            },
        };
        let mut chord = Chord { code, mods };
        if let KeyCode::Char(c) = code
            && mods.contains(KeyModifiers::SHIFT)
        {
            chord.code = KeyCode::Char(c.to_ascii_uppercase());
        }
        if matches!(chord.code, KeyCode::Char(_) | KeyCode::BackTab) {
            chord.mods.remove(KeyModifiers::SHIFT);
        }
        Ok(chord)
    }

    /// How help and footer write the key.
    pub fn label(self) -> String {
        let key = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "S-Tab".to_string(),
            KeyCode::Backspace => "Bksp".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("C-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("M-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("S-");
        }
        out + &key
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum KeymapError {
    #[error("unknown key {0:?} in [keys]")]
    BadKey(String),
    #[error("unknown action {0:?} in [keys]")]
    BadAction(String),
    /// A rebinding made one key mean two actions where it did not before.
    #[error(
        "[keys] binds {key} to both {first} and {second} {place}; give one of them another key"
    )]
    Conflict {
        key: String,
        first: &'static str,
        second: &'static str,
        place: &'static str,
    },
}

impl Context {
    /// Where a key means something, as an error names it.
    fn place(self) -> &'static str {
        match self {
            Context::Global => "everywhere",
            Context::Pane(Pane::Pyramid) => "in the pyramid",
            Context::Pane(Pane::Rfm) => "in the RFM matrix",
            Context::Pane(Pane::Cohorts) => "in the cohorts",
            Context::Pane(Pane::FollowUps) => "in the follow-up list",
            Context::Pane(Pane::Customers) => "in the customer list",
            Context::List => "in a drill-down list",
            Context::Card => "on the customer card",
            Context::Weekly => "in the weekly review",
            Context::Duplicates => "in the duplicates list",
            Context::Compare => "in the duplicates comparison",
            Context::Search => "in search",
            Context::Help => "in help",
            Context::Form => "in forms",
            Context::Filter => "in a list's filter",
            Context::Palette => "in the command palette",
        }
    }
}

/// The config name of an action (`snooze_day`).
fn action_name(action: Action) -> &'static str {
    Action::NAMED
        .iter()
        .find(|(_, a)| *a == action)
        .map_or("an action", |(name, _)| name)
}

/// Two actions in the order of [`Action::NAMED`], so a clash reads the same
/// whichever binding came first.
fn ordered(a: Action, b: Action) -> (Action, Action) {
    let rank = |x: Action| Action::NAMED.iter().position(|(_, n)| *n == x);
    if rank(a) <= rank(b) { (a, b) } else { (b, a) }
}

/// Two actions one key would mean in one context: (context, key, actions),
/// the actions in a fixed order. A pane's own key over a global one counts.
type Clash = (Context, Chord, Action, Action);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub chord: Chord,
    pub context: Context,
    pub action: Action,
    /// How long the footer keeps it as it narrows: 0 never shows it; the
    /// highest go last.
    pub footer: u8,
}

/// Footer ranks: help is never dropped, then quit, open, search, the view's
/// main keys, its lesser ones.
pub mod rank {
    pub const HIDDEN: u8 = 0;
    pub const LESSER: u8 = 2;
    pub const LIST: u8 = 3;
    pub const EDIT: u8 = 4;
    pub const MAIN: u8 = 5;
    pub const SEARCH: u8 = 6;
    pub const OPEN: u8 = 7;
    pub const QUIT: u8 = 8;
    pub const HELP: u8 = 9;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Action as A;
        use Context as C;
        use KeyCode as K;
        use rank::*;
        let mut b = Vec::new();
        let mut add = |context, chord, action, footer| {
            b.push(Binding {
                chord,
                context,
                action,
                footer,
            })
        };
        let movement = [
            (K::Up, 'k', A::Up),
            (K::Down, 'j', A::Down),
            (K::Left, 'h', A::Left),
            (K::Right, 'l', A::Right),
        ];
        add(C::Global, Chord::ch('U'), A::Undo, MAIN);
        add(C::Global, Chord::ctrl('z'), A::Undo, HIDDEN);
        add(C::Global, Chord::ch('q'), A::Quit, QUIT);
        add(C::Global, QUIT_ANYWHERE, A::Quit, HIDDEN);
        add(C::Global, Chord::plain(K::Esc), A::Back, EDIT);
        add(C::Global, Chord::plain(K::Enter), A::Open, OPEN);
        add(C::Global, Chord::plain(K::Tab), A::NextPane, HIDDEN);
        add(C::Global, Chord::plain(K::BackTab), A::PrevPane, HIDDEN);
        for (i, pane) in Pane::ALL.into_iter().enumerate() {
            let digit = char::from(b'1' + i as u8);
            add(C::Global, Chord::ch(digit), A::GoTo(pane), HIDDEN);
        }
        // Up and down move in every view; left and right only on the
        // panes laid out as a grid, so help elsewhere does not offer them.
        let grids = [Pane::Pyramid, Pane::Rfm, Pane::Cohorts].map(C::Pane);
        for (arrow, letter, action) in movement {
            let contexts: &[Context] = match action {
                A::Left | A::Right => &grids,
                _ => &[C::Global],
            };
            for &context in contexts {
                add(context, Chord::plain(arrow), action, HIDDEN);
                add(context, Chord::ch(letter), action, HIDDEN);
            }
        }
        add(C::Global, Chord::plain(K::PageUp), A::PageUp, HIDDEN);
        add(C::Global, Chord::plain(K::PageDown), A::PageDown, HIDDEN);
        add(C::Global, Chord::plain(K::Home), A::First, HIDDEN);
        add(C::Global, Chord::plain(K::End), A::Last, HIDDEN);
        add(C::Global, Chord::ch('g'), A::First, HIDDEN);
        add(C::Global, Chord::ch('G'), A::Last, HIDDEN);
        add(C::Global, Chord::ch('/'), A::Search, SEARCH);
        add(C::Global, Chord::ch('?'), A::Help, HELP);
        add(C::Global, Chord::ctrl('p'), A::Palette, LESSER);
        add(C::Global, Chord::ch('n'), A::NewCustomer, HIDDEN);
        add(C::Global, Chord::ch('w'), A::WeeklyReview, HIDDEN);
        add(C::Global, Chord::ch('u'), A::Duplicates, HIDDEN);
        // In the comparison, left and right choose the record to keep.
        add(C::Compare, Chord::ch('<'), A::KeepLeft, MAIN);
        add(C::Compare, Chord::ch('>'), A::KeepRight, MAIN);
        add(C::Compare, Chord::plain(K::Left), A::KeepLeft, HIDDEN);
        add(C::Compare, Chord::plain(K::Right), A::KeepRight, HIDDEN);
        add(C::Compare, Chord::ch('h'), A::KeepLeft, HIDDEN);
        add(C::Compare, Chord::ch('l'), A::KeepRight, HIDDEN);
        add(C::Compare, Chord::ch('m'), A::Merge, MAIN);
        add(
            C::Pane(Pane::Cohorts),
            Chord::ch('c'),
            A::ToggleCumulative,
            MAIN,
        );
        add(C::Pane(Pane::Cohorts), Chord::ch('s'), A::CycleSource, MAIN);
        let followups = C::Pane(Pane::FollowUps);
        add(followups, Chord::ch('d'), A::Done, MAIN);
        add(followups, Chord::ch('z'), A::SnoozeDay, MAIN);
        add(followups, Chord::ch('Z'), A::SnoozeWeek, EDIT);
        add(followups, Chord::ch('r'), A::Reschedule, EDIT);
        add(followups, Chord::ch('N'), A::Note, LESSER);
        add(followups, Chord::ch('v'), A::CycleFilter, LIST);
        // A contact logged from the list, as from the customer list.
        add(followups, Chord::ch('i'), A::LogInteraction, EDIT);
        add(followups, Chord::ch('c'), A::LogCall, MAIN);
        // Every list: the filter and the sort.
        for context in [
            C::Pane(Pane::FollowUps),
            C::Pane(Pane::Customers),
            C::List,
            C::Duplicates,
        ] {
            add(context, Chord::ch('\\'), A::Filter, LIST);
            add(context, Chord::ch('o'), A::CycleSort, LIST);
            add(context, Chord::ch('O'), A::ReverseSort, HIDDEN);
        }
        // Editing keys act on the customer under the cursor or on the card.
        for context in [C::Pane(Pane::Customers), C::List, C::Card] {
            add(context, Chord::ch('e'), A::EditCustomer, EDIT);
            add(context, Chord::ch('i'), A::LogInteraction, EDIT);
            add(context, Chord::ch('b'), A::AddOrder, LESSER);
            add(context, Chord::ch('f'), A::AddFollowUp, LESSER);
            add(context, Chord::ch('D'), A::Delete, HIDDEN);
        }
        // A call: from the customer under the cursor or the card, from a
        // search hit (where letters are the query, so a control key).
        for context in [C::Pane(Pane::Customers), C::List, C::Card] {
            add(context, Chord::ch('c'), A::LogCall, MAIN);
        }
        add(C::Search, Chord::ctrl('l'), A::LogCall, MAIN);
        add(C::Search, Chord::ctrl('n'), A::NewWithNumber, MAIN);
        add(C::Card, Chord::ch('y'), A::CopyPhone, HIDDEN);
        add(C::Card, Chord::ch('Y'), A::CopyEmail, HIDDEN);
        add(C::Card, Chord::ch('R'), A::OpenReferrer, HIDDEN);
        add(C::Card, Chord::ch('F'), A::OpenReferred, HIDDEN);
        add(C::Card, Chord::ch(']'), A::NextItem, LIST);
        add(C::Card, Chord::ch('['), A::PreviousItem, HIDDEN);
        add(C::Card, Chord::ch('.'), A::EditItem, HIDDEN);
        add(C::Card, Chord::ch('x'), A::DeleteItem, HIDDEN);
        add(C::Card, Chord::ch('d'), A::Done, MAIN);
        add(C::Card, Chord::ch('z'), A::SnoozeDay, MAIN);
        add(C::Card, Chord::ch('Z'), A::SnoozeWeek, HIDDEN);
        add(C::Card, Chord::ch('r'), A::Reschedule, HIDDEN);
        add(C::Card, Chord::ch('N'), A::Note, HIDDEN);
        add(C::Card, Chord::ch('X'), A::Erase, HIDDEN);
        add(C::Card, Chord::ch('E'), A::ExportCustomer, HIDDEN);
        add(C::Weekly, Chord::ch(']'), A::NextSection, MAIN);
        add(C::Weekly, Chord::ch('['), A::PreviousSection, EDIT);
        add(C::Weekly, Chord::ch('a'), A::ShowAll, MAIN);
        add(C::Search, Chord::plain(K::Esc), A::Back, MAIN);
        add(C::Search, Chord::plain(K::Enter), A::Open, OPEN);
        add(C::Search, Chord::plain(K::Up), A::Up, LESSER);
        add(C::Search, Chord::plain(K::Down), A::Down, HIDDEN);
        add(
            C::Search,
            Chord::plain(K::Backspace),
            A::SearchErase,
            HIDDEN,
        );
        add(C::Filter, Chord::plain(K::Esc), A::ClearFilter, MAIN);
        add(C::Palette, Chord::plain(K::Esc), A::Back, MAIN);
        // Where letters are text, help is on F1.
        for typing in [C::Search, C::Filter, C::Palette] {
            add(typing, Chord::plain(K::F(1)), A::Help, HELP);
        }
        for typing in [C::Filter, C::Palette] {
            add(typing, Chord::plain(K::Up), A::Up, HIDDEN);
            add(typing, Chord::plain(K::Down), A::Down, HIDDEN);
            add(typing, Chord::plain(K::Backspace), A::SearchErase, HIDDEN);
        }
        add(C::Filter, Chord::plain(K::Enter), A::KeepFilter, OPEN);
        add(C::Filter, Chord::plain(K::PageUp), A::PageUp, HIDDEN);
        add(C::Filter, Chord::plain(K::PageDown), A::PageDown, HIDDEN);
        add(C::Palette, Chord::plain(K::Enter), A::Open, OPEN);
        // Forms and prompts: Enter saves in every one, as Ctrl-S and F2 do.
        add(C::Form, Chord::plain(K::Enter), A::Save, OPEN);
        add(C::Form, Chord::ctrl('s'), A::Save, HIDDEN);
        add(C::Form, Chord::plain(K::F(2)), A::Save, HIDDEN);
        add(C::Form, Chord::plain(K::Esc), A::Cancel, QUIT);
        add(C::Form, Chord::plain(K::Tab), A::NextField, MAIN);
        add(C::Form, Chord::plain(K::Down), A::NextField, HIDDEN);
        add(C::Form, Chord::plain(K::BackTab), A::PreviousField, LESSER);
        add(C::Form, Chord::plain(K::Up), A::PreviousField, HIDDEN);
        add(C::Form, Chord::plain(K::F(1)), A::Help, HELP);
        add(C::Help, Chord::plain(K::Esc), A::Back, QUIT);
        add(C::Help, Chord::ch('?'), A::Back, HIDDEN);
        add(C::Help, Chord::ch('q'), A::Back, HIDDEN);
        add(C::Help, Chord::plain(K::F(1)), A::Back, HIDDEN);
        for (code, action) in [
            (K::Up, A::Up),
            (K::Down, A::Down),
            (K::PageUp, A::PageUp),
            (K::PageDown, A::PageDown),
            (K::Home, A::First),
            (K::End, A::Last),
        ] {
            add(C::Help, Chord::plain(code), action, MAIN);
        }
        add(C::Help, Chord::ch('k'), A::Up, HIDDEN);
        add(C::Help, Chord::ch('j'), A::Down, HIDDEN);
        Keymap { bindings: b }
    }
}

/// The default keymap, made once: what forms go by when no other is given.
pub fn defaults() -> &'static Keymap {
    static DEFAULT: std::sync::LazyLock<Keymap> = std::sync::LazyLock::new(Keymap::default);
    &DEFAULT
}

impl Keymap {
    /// The defaults with `overrides` (action name -> key) applied: an overridden
    /// action keeps its contexts but answers only to the new key there.
    pub fn with_overrides(overrides: &HashMap<String, String>) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default();
        let mut names: Vec<_> = overrides.iter().collect();
        names.sort();
        for (name, key) in names {
            let action =
                Action::from_name(name).ok_or_else(|| KeymapError::BadAction(name.clone()))?;
            let chord = Chord::parse(key)?;
            let mut contexts: Vec<(Context, u8)> = Vec::new();
            for b in keymap.bindings.iter().filter(|b| b.action == action) {
                if !contexts.iter().any(|(c, _)| *c == b.context) {
                    contexts.push((b.context, b.footer));
                }
            }
            keymap.bindings.retain(|b| b.action != action);
            for (context, footer) in contexts {
                keymap.bindings.push(Binding {
                    chord,
                    context,
                    action,
                    footer,
                });
            }
        }
        // A key that would mean two things is refused, not settled silently;
        // what the defaults themselves layer (a pane's key over a global
        // one) stays allowed.
        let before = Keymap::default().clashes();
        if let Some((context, chord, first, second)) = keymap
            .clashes()
            .into_iter()
            .find(|clash| !before.contains(clash))
        {
            return Err(KeymapError::Conflict {
                key: chord.label(),
                first: action_name(first),
                second: action_name(second),
                place: context.place(),
            });
        }
        Ok(keymap)
    }

    /// Every key that means two actions in one context, a context's own
    /// binding over a global one included.
    fn clashes(&self) -> Vec<Clash> {
        let mut clashes = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.chord != b.chord || a.action == b.action {
                    continue;
                }
                let place = if a.context == b.context {
                    Some(a.context)
                } else if a.context == Context::Global && b.context.takes_global() {
                    Some(b.context)
                } else if b.context == Context::Global && a.context.takes_global() {
                    Some(a.context)
                } else {
                    None
                };
                if let Some(context) = place {
                    let (first, second) = ordered(a.action, b.action);
                    let clash = (context, a.chord, first, second);
                    if !clashes.contains(&clash) {
                        clashes.push(clash);
                    }
                }
            }
        }
        clashes
    }

    /// The action of `key` in `context`; the specific context before `Global`.
    /// Typing in search turns plain characters into search input.
    pub fn resolve(&self, key: KeyEvent, context: Context) -> Option<Action> {
        let chord = Chord::from_event(key);
        let find = |ctx: Context| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && b.chord == chord)
                .map(|b| b.action)
        };
        if let Some(action) = find(context) {
            return Some(action);
        }
        if context.types_text() {
            return match chord.code {
                KeyCode::Char(c)
                    if !chord
                        .mods
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::SearchInput(c))
                }
                _ => None,
            };
        }
        if context.takes_global() {
            return find(Context::Global);
        }
        None
    }

    /// Every binding active in `context`, its own first, each action once with
    /// all its keys: what the help overlay lists.
    pub fn help(&self, context: Context) -> Vec<(Vec<Chord>, Action)> {
        let mut out: Vec<(Vec<Chord>, Action)> = Vec::new();
        let global = if context.takes_global() {
            Some(Context::Global)
        } else {
            None
        };
        for ctx in std::iter::once(context).chain(global) {
            for b in self.bindings.iter().filter(|b| b.context == ctx) {
                match out.iter_mut().find(|(_, a)| *a == b.action) {
                    Some((chords, _)) => {
                        if !chords.contains(&b.chord) {
                            chords.push(b.chord);
                        }
                    }
                    None => out.push((vec![b.chord], b.action)),
                }
            }
        }
        out
    }

    /// The footer's keys in `context`: the context's own, then the global ones.
    pub fn footer(&self, context: Context) -> Vec<(Chord, Action)> {
        self.footer_ranked(context)
            .into_iter()
            .map(|(chord, action, _)| (chord, action))
            .collect()
    }

    /// The footer's keys with their ranks: the highest are dropped last.
    pub fn footer_ranked(&self, context: Context) -> Vec<(Chord, Action, u8)> {
        let active = |c: Context| c == context || (context.takes_global() && c == Context::Global);
        self.help(context)
            .into_iter()
            .filter_map(|(chords, action)| {
                let rank = self
                    .bindings
                    .iter()
                    .filter(|b| {
                        b.action == action && active(b.context) && chords.contains(&b.chord)
                    })
                    .map(|b| b.footer)
                    .max()?;
                let first = *chords.first()?;
                (rank > rank::HIDDEN).then_some((first, action, rank))
            })
            .collect()
    }

    /// The first key of `action` in `context` (its own, else a global one),
    /// as help writes it: what a sentence names ("U undoes").
    pub fn key_of(&self, action: Action, context: Context) -> Option<Chord> {
        self.help(context)
            .into_iter()
            .find(|(_, a)| *a == action)
            .and_then(|(chords, _)| chords.first().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(a, k)| (a.to_string(), k.to_string()))
            .collect()
    }

    #[test]
    fn the_defaults_bind_no_key_twice_in_one_context() {
        let same_context: Vec<Clash> = Keymap::default()
            .clashes()
            .into_iter()
            .filter(|(context, chord, ..)| {
                let own = |c: Context| {
                    Keymap::default()
                        .bindings
                        .iter()
                        .filter(|b| b.context == c && b.chord == *chord)
                        .count()
                };
                own(*context) > 1
            })
            .collect();
        assert_eq!(same_context, Vec::new());
    }

    #[test]
    fn a_key_made_to_mean_two_actions_in_one_place_is_refused() {
        assert_eq!(
            Keymap::with_overrides(&overrides(&[("done", "z")])),
            Err(KeymapError::Conflict {
                key: "z".into(),
                first: "done",
                second: "snooze_day",
                place: "in the follow-up list",
            })
        );
        // Two overrides onto one key.
        assert!(matches!(
            Keymap::with_overrides(&overrides(&[("note", "x"), ("reschedule", "x")])),
            Err(KeymapError::Conflict { .. })
        ));
        // A global key that a pane's own would hide there.
        assert_eq!(
            Keymap::with_overrides(&overrides(&[("quit", "d")]))
                .unwrap_err()
                .to_string(),
            "[keys] binds d to both quit and done in the follow-up list; give one of them another key"
        );
    }

    #[test]
    fn a_swap_and_the_defaults_own_layering_are_accepted() {
        let swapped =
            Keymap::with_overrides(&overrides(&[("done", "z"), ("snooze_day", "d")])).unwrap();
        let z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE);
        assert_eq!(
            swapped.resolve(z, Context::Pane(Pane::FollowUps)),
            Some(Action::Done)
        );
        // `h` moves left everywhere but keeps the left record in the
        // comparison, as by default.
        assert!(Keymap::with_overrides(&overrides(&[("left", "h")])).is_ok());
        assert!(Keymap::with_overrides(&overrides(&[("quit", "Q")])).is_ok());
    }
}
