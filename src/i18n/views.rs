//! The words of what every view shares: the lists' keys and filter, the
//! command palette, help, forms' keys, undo, and the weekly review's
//! headline and long sections.

use super::Lang;
strings! {
    pub(crate) struct ViewStrings {
        act_first = "first", "ensimmäinen";
        act_last = "last", "viimeinen";
        act_filter = "filter", "rajaa";
        act_keep_filter = "keep the filter", "pidä rajaus";
        act_clear_filter = "clear the filter", "poista rajaus";
        act_reverse_sort = "reverse the sort", "käännä järjestys";
        act_undo = "undo", "kumoa";
        act_palette = "commands", "komennot";
        act_save = "save", "tallenna";
        act_cancel = "cancel", "peru";
        act_next_field = "next field", "seuraava kenttä";
        act_previous_field = "previous field", "edellinen kenttä";
        act_next_section = "next section", "seuraava osio";
        act_previous_section = "previous section", "edellinen osio";
        act_show_all = "all lines / the top", "kaikki rivit / kärki";
        /// Before the filter's text at the bottom of a list.
        filter = "filter", "rajaus";
        palette_title = "Commands", "Komennot";
        palette_prompt =
            "type a few letters of a command",
            "kirjoita komennon nimestä muutama kirjain";
        palette_none = "No such command here", "Ei sellaista komentoa tässä";
        /// The help overlay's bottom line.
        help_keys = "Esc closes · ↑↓ PgUp PgDn scroll", "Esc sulkee · ↑↓ PgUp PgDn vierittää";
        /// What Enter and Space mean in every form, said in help.
        form_rule =
            "Enter saves in every form and prompt, as Ctrl-S does; Space picks, ticks or changes the field under the cursor",
            "Enter tallentaa jokaisessa lomakkeessa ja kysymyksessä, kuten Ctrl-S; välilyönti valitsee, rastittaa tai vaihtaa kohdistetun kentän";
        /// A form's own keys, in help.
        form_keys = "This form", "Tämä lomake";
        nothing_to_undo = "Nothing to undo", "Ei kumottavaa";
        undone = "Undone", "Kumottu";
        /// After a change that can be undone: the key that does it follows.
        undo_hint = "undoes", "kumoaa";
        ref_column = "Ref", "Tunnus";
        /// The weekly review's first section.
        this_week = "This week", "Tämä viikko";
        pyramid = "Pyramid", "Pyramidi";
        no_moves = "no moves", "ei siirtymiä";
        /// `and 2,043 more`.
        more = "more", "lisää";
        shows_all = "shows all", "näyttää kaikki";
    }
}

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
pub(crate) fn undone_message(lang: Lang, what: Undoable, name: &str) -> String {
    let s = ViewStrings::of(lang);
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
