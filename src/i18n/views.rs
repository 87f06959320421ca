//! The words of what every view shares: the lists' keys and filter, the
//! command palette, help, forms' keys, undo, and the weekly review's
//! headline and long sections.

use super::Lang;

#[derive(Debug)]
pub struct ViewStrings {
    pub act_first: &'static str,
    pub act_last: &'static str,
    pub act_filter: &'static str,
    pub act_keep_filter: &'static str,
    pub act_clear_filter: &'static str,
    pub act_reverse_sort: &'static str,
    pub act_undo: &'static str,
    pub act_palette: &'static str,
    pub act_save: &'static str,
    pub act_cancel: &'static str,
    pub act_next_field: &'static str,
    pub act_previous_field: &'static str,
    pub act_next_section: &'static str,
    pub act_previous_section: &'static str,
    pub act_show_all: &'static str,
    /// Before the filter's text at the bottom of a list.
    pub filter: &'static str,
    pub palette_title: &'static str,
    pub palette_prompt: &'static str,
    pub palette_none: &'static str,
    /// The help overlay's bottom line.
    pub help_keys: &'static str,
    /// What Enter and Space mean in every form, said in help.
    pub form_rule: &'static str,
    /// A form's own keys, in help.
    pub form_keys: &'static str,
    pub nothing_to_undo: &'static str,
    pub undone: &'static str,
    /// After a change that can be undone: the key that does it follows.
    pub undo_hint: &'static str,
    pub ref_column: &'static str,
    /// The weekly review's first section.
    pub this_week: &'static str,
    pub pyramid: &'static str,
    pub no_moves: &'static str,
    /// `and 2,043 more`.
    pub more: &'static str,
    pub shows_all: &'static str,
    pub shows_top: &'static str,
}

pub static EN: ViewStrings = ViewStrings {
    act_first: "first",
    act_last: "last",
    act_filter: "filter",
    act_keep_filter: "keep the filter",
    act_clear_filter: "clear the filter",
    act_reverse_sort: "reverse the sort",
    act_undo: "undo",
    act_palette: "commands",
    act_save: "save",
    act_cancel: "cancel",
    act_next_field: "next field",
    act_previous_field: "previous field",
    act_next_section: "next section",
    act_previous_section: "previous section",
    act_show_all: "all lines / the top",
    filter: "filter",
    palette_title: "Commands",
    palette_prompt: "type a few letters of a command",
    palette_none: "No such command here",
    help_keys: "Esc closes · ↑↓ PgUp PgDn scroll",
    form_rule: "Enter saves in every form and prompt, as Ctrl-S does; Space picks, ticks or changes the field under the cursor",
    form_keys: "This form",
    nothing_to_undo: "Nothing to undo",
    undone: "Undone",
    undo_hint: "undoes",
    ref_column: "Ref",
    this_week: "This week",
    pyramid: "Pyramid",
    no_moves: "no moves",
    more: "more",
    shows_all: "shows all",
    shows_top: "shows the top",
};

pub static FI: ViewStrings = ViewStrings {
    act_first: "ensimmäinen",
    act_last: "viimeinen",
    act_filter: "rajaa",
    act_keep_filter: "pidä rajaus",
    act_clear_filter: "poista rajaus",
    act_reverse_sort: "käännä järjestys",
    act_undo: "kumoa",
    act_palette: "komennot",
    act_save: "tallenna",
    act_cancel: "peru",
    act_next_field: "seuraava kenttä",
    act_previous_field: "edellinen kenttä",
    act_next_section: "seuraava osio",
    act_previous_section: "edellinen osio",
    act_show_all: "kaikki rivit / kärki",
    filter: "rajaus",
    palette_title: "Komennot",
    palette_prompt: "kirjoita komennon nimestä muutama kirjain",
    palette_none: "Ei sellaista komentoa tässä",
    help_keys: "Esc sulkee · ↑↓ PgUp PgDn vierittää",
    form_rule: "Enter tallentaa jokaisessa lomakkeessa ja kysymyksessä, kuten Ctrl-S; välilyönti valitsee, rastittaa tai vaihtaa kohdistetun kentän",
    form_keys: "Tämä lomake",
    nothing_to_undo: "Ei kumottavaa",
    undone: "Kumottu",
    undo_hint: "kumoaa",
    ref_column: "Tunnus",
    this_week: "Tämä viikko",
    pyramid: "Pyramidi",
    no_moves: "ei siirtymiä",
    more: "lisää",
    shows_all: "näyttää kaikki",
    shows_top: "näyttää kärjen",
};

/// What an undo can put back, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undoable {
    DeleteCustomer,
    DeleteOrder,
    DeleteContact,
    DeleteFollowUp,
    Merge,
    Done,
    Snooze,
    Reschedule,
}

/// `Undone: deleting Aino Virtanen` / `Kumottu: poisto (Aino Virtanen)`.
pub fn undone_message(lang: Lang, what: Undoable, name: &str) -> String {
    let s = match lang {
        Lang::En => &EN,
        Lang::Fi => &FI,
    };
    let name = crate::domain::terminal::terminal_safe(name);
    let deed = match (lang, what) {
        (Lang::En, Undoable::DeleteCustomer) => format!("deleting {name}"),
        (Lang::En, Undoable::DeleteOrder) => format!("deleting an order of {name}"),
        (Lang::En, Undoable::DeleteContact) => format!("deleting a contact with {name}"),
        (Lang::En, Undoable::DeleteFollowUp) => format!("deleting a follow-up of {name}"),
        (Lang::En, Undoable::Merge) => format!("the merge into {name}"),
        (Lang::En, Undoable::Done) => format!("done on {name}'s follow-up"),
        (Lang::En, Undoable::Snooze) => format!("snoozing {name}'s follow-up"),
        (Lang::En, Undoable::Reschedule) => format!("rescheduling {name}'s follow-up"),
        (Lang::Fi, Undoable::DeleteCustomer) => format!("poisto ({name})"),
        (Lang::Fi, Undoable::DeleteOrder) => format!("oston poisto ({name})"),
        (Lang::Fi, Undoable::DeleteContact) => format!("yhteydenoton poisto ({name})"),
        (Lang::Fi, Undoable::DeleteFollowUp) => format!("seurannan poisto ({name})"),
        (Lang::Fi, Undoable::Merge) => format!("yhdistäminen ({name})"),
        (Lang::Fi, Undoable::Done) => format!("seuranta tehdyksi ({name})"),
        (Lang::Fi, Undoable::Snooze) => format!("seurannan siirto ({name})"),
        (Lang::Fi, Undoable::Reschedule) => format!("seurannan uusi päivä ({name})"),
    };
    format!("{}: {deed}", s.undone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_says_what_it_put_back_in_both_languages() {
        assert_eq!(
            undone_message(Lang::En, Undoable::DeleteCustomer, "Aino Virtanen"),
            "Undone: deleting Aino Virtanen"
        );
        assert_eq!(
            undone_message(Lang::Fi, Undoable::Snooze, "Aino\u{1b}[2J"),
            "Kumottu: seurannan siirto (Aino^[[2J)"
        );
    }
}
