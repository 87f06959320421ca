//! The command palette's state: the actions of the view under it, narrowed
//! by name as one types.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32Str};

use super::action::Action;
use super::keymap::Chord;

/// Actions the palette never offers: typing, and itself.
pub(super) fn offered(action: Action) -> bool {
    !matches!(
        action,
        Action::SearchInput(_)
            | Action::SearchErase
            | Action::Palette
            | Action::KeepFilter
            | Action::ClearFilter
    )
}

/// The command palette: the actions of the view under it, narrowed by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    pub query: String,
    pub selected: usize,
    /// Every action of the view that does something there, with its key and
    /// its name in the UI language.
    pub entries: Vec<(Action, Option<Chord>, &'static str)>,
    /// Indices into `entries`, best match first.
    pub matches: Vec<usize>,
}

impl Palette {
    pub fn new(entries: Vec<(Action, Option<Chord>, &'static str)>) -> Palette {
        let mut palette = Palette {
            query: String::new(),
            selected: 0,
            entries,
            matches: Vec::new(),
        };
        palette.narrow();
        palette
    }

    /// Matches the query against the names, fuzzily, best first; an empty
    /// query shows them all in the keymap's order.
    fn narrow(&mut self) {
        self.selected = 0;
        if self.query.trim().is_empty() {
            self.matches = (0..self.entries.len()).collect();
            return;
        }
        let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, (_, _, name))| {
                pattern
                    .score(Utf32Str::new(name, &mut buf), &mut matcher)
                    .map(|score| (score, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.matches = scored.into_iter().map(|(_, i)| i).collect();
    }

    pub fn type_char(&mut self, c: char) {
        if self.query.chars().count() < 60 && !c.is_control() {
            self.query.push(c);
            self.narrow();
        }
    }

    pub fn erase(&mut self) {
        self.query.pop();
        self.narrow();
    }

    pub fn paste(&mut self, text: &str) {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.type_char(c);
        }
    }

    /// The action under the cursor.
    pub fn chosen(&self) -> Option<Action> {
        self.matches
            .get(self.selected)
            .and_then(|&i| self.entries.get(i))
            .map(|e| e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn palette(lang: Lang) -> Palette {
        let s = lang.strings();
        let actions = [
            Action::Done,
            Action::SnoozeDay,
            Action::SnoozeWeek,
            Action::LogCall,
            Action::Quit,
        ];
        Palette::new(actions.into_iter().map(|a| (a, None, a.label(s))).collect())
    }

    #[test]
    fn the_palette_finds_actions_by_their_names_fuzzily() {
        let mut p = palette(Lang::En);
        assert_eq!(p.matches.len(), 5, "all, before anything is typed");
        for c in "snz wk".chars() {
            p.type_char(c);
        }
        assert_eq!(p.chosen(), Some(Action::SnoozeWeek));
        p.erase();
        p.erase();
        p.erase();
        assert!(p.matches.len() >= 2);
        let mut p = palette(Lang::Fi);
        p.paste("lopeta");
        assert_eq!(p.chosen(), Some(Action::Quit), "Finnish names in Finnish");
        p.paste("zzz");
        assert_eq!(p.chosen(), None);
    }
}
