//! The words of the phone call and the customer card's actions, in English and
//! Finnish.
strings! {
    /// Every fixed string of a call and of the card's own keys.
    pub(crate) struct CallStrings {
        /// Before the caller's name: `Call from Aino Virtanen`.
        call_from = "Call from", "Puhelu:";
        /// After a number nobody has: `+358 40 123 4567: nobody has this number`.
        nobody_has =
            "nobody has this number: a new customer",
            "kenelläkään ei ole tätä numeroa: uusi asiakas";
        /// After a number several share.
        several_have = "customers have this number", "asiakkaalla on tämä numero";
        act_log_call = "log a call", "kirjaa puhelu";
        act_new_with_number = "new customer with this number", "uusi asiakas tällä numerolla";
        act_copy_phone = "copy the phone", "kopioi puhelinnumero";
        act_copy_email = "copy the email", "kopioi sähköposti";
        act_referrer = "open the referrer", "avaa suosittelija";
        act_referred = "open whom they referred", "avaa suositellut";
        act_next_item =
            "next order, contact or follow-up",
            "seuraava osto, yhteydenotto tai tehtävä";
        act_previous_item =
            "previous order, contact or follow-up",
            "edellinen osto, yhteydenotto tai tehtävä";
        act_edit_item = "edit the selected item", "muokkaa valittua";
        act_delete_item = "delete the selected item", "poista valittu";
        copied = "Copied", "Kopioitu";
        nothing_to_copy = "Nothing to copy", "Ei kopioitavaa";
        no_referrer = "Nobody referred this customer", "Kukaan ei suositellut tätä asiakasta";
        no_referred = "This customer has referred nobody", "Asiakas ei ole suositellut ketään";
        nothing_selected =
            "Select an order, a contact or a follow-up first (] and [)",
            "Valitse ensin osto, yhteydenotto tai tehtävä (] ja [)";
        inbound = "in", "saapuva";
        outbound = "out", "lähtevä";
        deleted = "Deleted", "Poistettu";
        delete_order = "Delete this order?", "Poistetaanko tämä osto?";
        delete_interaction = "Delete this contact?", "Poistetaanko tämä yhteydenotto?";
        delete_followup = "Delete this follow-up?", "Poistetaanko tämä seuranta?";
        /// Before a staff member's name on a logged contact: `logged by Aino`.
        logged_by = "logged by", "kirjasi";
        /// Before the name of who wrote or last acted on a follow-up.
        by = "by", "merkitsi";
    }
}
