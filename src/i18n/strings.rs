//! The string tables. Adding a field here makes the compiler ask for both languages.

use super::calls::CallStrings;
use super::followups::FollowUpStrings;
use super::review::ReviewStrings;
use super::views::ViewStrings;
strings! {
    /// Every fixed string the dashboard shows.
    pub struct Strings {
        app_title = "kanta", "kanta";
        pane_pyramid = "Pyramid", "Pyramidi";
        pane_rfm = "RFM matrix", "RFM-matriisi";
        pane_cohorts = "Cohorts", "Kohortit";
        pane_followups = "Follow-ups", "Seuranta";
        pane_customers = "Customers", "Asiakkaat";
        too_small =
            "Terminal too small: need at least 60x16",
            "Pääte on liian pieni: vähintään 60x16";
        help_title = "Keys", "Näppäimet";
        search_title = "Search", "Haku";
        search_prompt =
            "name, company, email, tag or phone digits",
            "nimi, yritys, sähköposti, tunniste tai puhelinnumero";
        no_results = "No matches", "Ei osumia";
        no_customers = "No customers yet: n adds one", "Ei vielä asiakkaita: n lisää";
        empty_list = "Nobody here", "Ei ketään";
        // pyramid
        stage = "Stage", "Vaihe";
        count = "Count", "Määrä";
        share = "Share", "Osuus";
        week_change = "7 days", "7 pv";
        customers_word = "Customers", "Asiakkaita";
        // rfm
        recency = "R", "R";
        frequency = "F", "F";
        rfm_axes =
            "rows: recency score 5..1, columns: frequency score 1..5",
            "rivit: tuoreus 5..1, sarakkeet: tiheys 1..5";
        // cohorts
        cohort = "Cohort", "Kohortti";
        size = "Size", "Koko";
        per_month = "active per month", "aktiiviset kuukausittain";
        cumulative = "cumulative repeat", "kertynyt uusintaosto";
        source_all = "all sources", "kaikki lähteet";
        no_source = "no source", "ei lähdettä";
        incomplete_rates =
            "dimmed: the cohort's 90 or 180 days are not over yet",
            "himmeä: kohortin 90 tai 180 päivää ei ole vielä kulunut";
        source_label = "Source", "Lähde";
        repeat_rates = "Repeat 90d / 180d / ever", "Uusintaosto 90 pv / 180 pv / koskaan";
        /// The repeat rates' column heads, five cells each.
        repeat_90d = "90d", "90pv";
        repeat_180d = "180d", "180pv";
        repeat_ever = "∞", "∞";
        partial_month = "* partial month", "* kesken oleva kuukausi";
        no_cohorts = "No purchases yet", "Ei vielä ostoja";
        // follow-ups
        overdue = "Overdue", "Myöhässä";
        today = "Today", "Tänään";
        upcoming = "Upcoming", "Tulossa";
        due = "Due", "Eräpäivä";
        reason = "Reason", "Syy";
        customer = "Customer", "Asiakas";
        no_followups = "No open follow-ups", "Ei avoimia seurantoja";
        followup_not_saved_yet =
            "This follow-up is saved once the store's check for damage has passed: a moment",
            "Tämä seuranta tallennetaan, kun kannan eheystarkistus on mennyt läpi: hetki";
        // customers list
        name = "Name", "Nimi";
        company = "Company", "Yritys";
        last_purchase = "Last purchase", "Viimeisin osto";
        revenue = "Revenue", "Myynti";
        sorted_by = "sorted by", "järjestys";
        // card
        card_title = "Customer", "Asiakas";
        contact = "Contact", "Yhteystiedot";
        emails = "Email", "Sähköposti";
        phones = "Phone", "Puhelin";
        address = "Address", "Osoite";
        tags = "Tags", "Tunnisteet";
        source = "Source", "Lähde";
        rfm_scores = "R/F/M", "R/F/M";
        p_alive = "P(alive)", "P(elossa)";
        expected_90d = "Next 90 days", "Seur. 90 pv";
        expected_365d = "Next 365 days", "Seur. 12 kk";
        expected_revenue_365d =
            "Expected revenue, next 12 months",
            "Odotettu myynti, seuraavat 12 kk";
        /// Column titles of the customer list: expected purchase days and revenue
        /// in the next 12 months.
        col_expected_365d = "Buys/12m", "Ostot/12kk";
        col_expected_revenue = "Exp. rev. 12m", "Odot. 12 kk";
        /// After an expected revenue whose spend model is in doubt.
        spend_doubtful =
            "doubtful: spend and frequency are correlated",
            "epävarma: ostosumma ja ostotiheys korreloivat";
        purchase_days_unit = "purchase days expected", "ostopäivää odotettavissa";
        purchases = "Purchases", "Ostot";
        monthly_revenue = "Monthly revenue, last 24 months", "Myynti kuukausittain, 24 kk";
        interactions = "Interactions", "Yhteydenotot";
        open_followups = "Open follow-ups", "Avoimet seurannat";
        referred_by = "Referred by", "Suosittelija";
        referred = "Referred", "Suositellut";
        none = "—", "—";
        notes = "Notes", "Muistiinpanot";
        loading = "Loading…", "Ladataan…";
        // status
        saved = "Saved", "Tallennettu";
        deleted = "Deleted", "Poistettu";
        erased =
            "Personal data erased; orders kept anonymised",
            "Henkilötiedot poistettu; tilaukset säilyvät nimettöminä";
        exported_to =
            "Everything held about them written to",
            "Kaikki tallennetut tiedot kirjoitettu tiedostoon";
        error_prefix = "Error", "Virhe";
        confirm_delete =
            "Delete this customer with all their orders and contacts?",
            "Poistetaanko asiakas kaikkine tilauksineen ja yhteydenottoineen?";
        confirm_erase =
            "Erase for good the personal data of",
            "Poistetaanko pysyvästi henkilötiedot:";
        // action labels, for help and footer
        act_quit = "quit", "lopeta";
        act_back = "back", "takaisin";
        act_open = "open", "avaa";
        act_next_pane = "next pane", "seuraava näkymä";
        act_prev_pane = "previous pane", "edellinen näkymä";
        act_up = "up", "ylös";
        act_down = "down", "alas";
        act_left = "left", "vasemmalle";
        act_right = "right", "oikealle";
        act_page_up = "page up", "sivu ylös";
        act_page_down = "page down", "sivu alas";
        act_help = "help", "ohje";
        act_search = "search", "haku";
        act_toggle_cumulative = "per month / cumulative", "kuukausittain / kertynyt";
        act_cycle_source = "source filter", "lähdesuodatin";
        act_cycle_sort = "sort", "järjestys";
        act_done = "done", "tehty";
        act_snooze_day = "snooze a day", "siirrä päivällä";
        act_snooze_week = "snooze a week", "siirrä viikolla";
        act_reschedule = "reschedule", "siirrä päivään";
        act_note = "note", "huomautus";
        act_new_customer = "new customer", "uusi asiakas";
        act_edit_customer = "edit", "muokkaa";
        act_log_interaction = "log contact", "kirjaa yhteydenotto";
        act_add_order = "add order", "lisää tilaus";
        act_add_followup = "add follow-up", "lisää seuranta";
        act_delete = "delete", "poista";
        act_erase = "erase personal data (GDPR)", "poista henkilötiedot (GDPR)";
        act_export = "export all data held (GDPR)", "vie kaikki tiedot (GDPR)";
        act_backspace = "erase", "pyyhi";
        /// The weekly review's and the duplicates view's words.
        review: &'static ReviewStrings = &ReviewStrings::EN, &ReviewStrings::FI;
        /// A phone call's and the customer card's words.
        call: &'static CallStrings = &CallStrings::EN, &CallStrings::FI;
        act_panes = "go to pane", "siirry näkymään";
        // The follow-up list's filters and what its actions say they did.
        followups: &'static FollowUpStrings = &FollowUpStrings::EN, &FollowUpStrings::FI;
        /// Lists, help, the palette, forms' keys, undo, the weekly headline.
        views: &'static ViewStrings = &ViewStrings::EN, &ViewStrings::FI;
    }
}
