//! The words of the weekly review and the duplicates view, in English and Finnish.

use super::Lang;
use crate::analytics::churn::FitError;
strings! {
    /// Every fixed string of the weekly review and the duplicates view.
    pub(crate) struct ReviewStrings {
        // weekly review
        weekly_title = "Weekly review", "Viikkokatsaus";
        new_customers = "New customers this week", "Uudet asiakkaat tällä viikolla";
        stage_moves =
            "Stage movements since a week ago",
            "Siirtymät portaalta toiselle viikon aikana";
        followups_done = "Follow-ups done this week", "Tällä viikolla tehdyt seurannat";
        followups_overdue = "Follow-ups overdue", "Myöhässä olevat seurannat";
        at_risk =
            "High-value customers with low P(alive)",
            "Arvokkaat asiakkaat, joiden P(elossa) on pieni";
        last_month =
            "Repeat rate of last month's new customers",
            "Viime kuun uusien asiakkaiden uusintaostot";
        nothing_this_week = "none", "ei yhtään";
        first_purchase = "first purchase", "ensiosto";
        done_on = "done", "tehty";
        due_on = "due", "eräpäivä";
        churn_unfitted = "churn model not fitted", "poistumamallia ei ole sovitettu";
        /// Before the expected purchase days and revenue of an at-risk customer.
        next_12_months = "next 12 mo:", "seur. 12 kk:";
        /// After the expected purchase days of an at-risk customer.
        days_unit = "days", "pv";
        bought_again = "bought again", "osti uudelleen";
        no_new_in_month = "no new customers in", "ei uusia asiakkaita:";
        this_week = "This week", "Tällä viikolla";
        average_12_weeks = "12-week average", "12 viikon keskiarvo";
        no_earlier_revenue =
            "no revenue in the 12 weeks before",
            "ei myyntiä edeltävillä 12 viikolla";
        months: [&'static str; 12] =
            [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
            [
        "tammikuu",
        "helmikuu",
        "maaliskuu",
        "huhtikuu",
        "toukokuu",
        "kesäkuu",
        "heinäkuu",
        "elokuu",
        "syyskuu",
        "lokakuu",
        "marraskuu",
        "joulukuu",
    ];
        // duplicates
        /// The store's reasons for a duplicate pair, as it writes them in English.
        same_email = "same email", "sama sähköposti";
        same_phone = "same phone", "sama puhelinnumero";
        same_name_and_city = "same name and city", "sama nimi ja kaupunki";
        similar_name_same_city =
            "similar name in the same city",
            "samankaltainen nimi samassa kaupungissa";
        duplicates_title = "Possible duplicates", "Mahdolliset kaksoiskappaleet";
        looking_for_duplicates = "Looking for duplicates…", "Etsitään kaksoiskappaleita…";
        no_duplicates = "No possible duplicates found", "Kaksoiskappaleita ei löytynyt";
        score = "Score", "Pisteet";
        reason = "Why", "Peruste";
        compare_title = "Compare and merge", "Vertaa ja yhdistä";
        keep = "KEEP", "SÄILYTÄ";
        merged_away = "merged away", "yhdistetään pois";
        field_ref = "Ref", "Tunnus";
        field_name = "Name", "Nimi";
        field_company = "Company", "Yritys";
        field_emails = "Email", "Sähköposti";
        field_phones = "Phone", "Puhelin";
        field_city = "City", "Kaupunki";
        field_orders = "Orders", "Tilauksia";
        field_revenue = "Revenue", "Myynti";
        field_first = "First purchase", "Ensiosto";
        field_last = "Last purchase", "Viimeisin osto";
        confirm_merge = "Merge", "Yhdistetäänkö";
        confirm_merge_into = "into", "asiakkaaseen";
        confirm_merge_deleted = "is deleted", "poistetaan";
        merged = "Merged", "Yhdistetty";
        compare_keys =
            "←/→ choose which to keep, m merge, Esc back",
            "←/→ valitse säilytettävä, m yhdistä, Esc takaisin";
        // action labels
        act_weekly = "weekly review", "viikkokatsaus";
        act_duplicates = "duplicates", "kaksoiskappaleet";
        act_keep_left = "keep left", "säilytä vasen";
        act_keep_right = "keep right", "säilytä oikea";
        act_merge = "merge", "yhdistä";
    }
}

/// A month's name, `None` outside 1..=12.
pub(crate) fn month_name(lang: Lang, month: u32) -> Option<&'static str> {
    let index = usize::try_from(month).ok()?.checked_sub(1)?;
    ReviewStrings::of(lang).months.get(index).copied()
}

/// Why there is no churn model: `3 of 30 repeat customers`.
pub(crate) fn too_few_repeat_customers(lang: Lang, found: usize, needed: usize) -> String {
    match lang {
        Lang::En => format!("{found} of {needed} repeat customers"),
        Lang::Fi => format!("{found}/{needed} uusintaostajaa"),
    }
}

/// Why the churn or spend model is not fitted, in one sentence's worth.
pub(crate) fn churn_not_fitted(lang: Lang, error: &FitError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    match error {
        FitError::NotEnoughRepeatCustomers { found, needed } => {
            format!("liian vähän historiaa: {found} uusintaostajaa, mallit tarvitsevat {needed}")
        }
        FitError::NoFiniteMaximum {
            model,
            parameter,
            growing,
        } => {
            let model = match *model {
                "spend" => "ostosummamallilla".to_string(),
                other => format!("{other}-mallilla"),
            };
            let direction = if *growing {
                "kasvaa rajatta"
            } else {
                "pienenee kohti nollaa"
            };
            format!(
                "{model} ei ole parasta sovitusta tähän historiaan: uskottavuus paranee \
                 yhä, kun {parameter} {direction}"
            )
        }
        FitError::NotConverged { evaluations } => {
            format!("mallin sovitus ei löytänyt parasta kohtaa {evaluations} laskennassa")
        }
        FitError::InfiniteMeanSpend => {
            "ostosummamallin sovitus antaa keskiostokselle äärettömän arvon (q <= 1)".to_string()
        }
    }
}

/// The store's reason for a duplicate pair (`same email, same phone`) in the
/// language; a part it does not know is shown as written.
pub(crate) fn duplicate_reason(lang: Lang, reason: &str) -> String {
    let (en, words) = (ReviewStrings::of(Lang::En), ReviewStrings::of(lang));
    reason
        .split(", ")
        .map(|part| match part {
            p if p == en.same_email => words.same_email,
            p if p == en.same_phone => words.same_phone,
            p if p == en.same_name_and_city => words.same_name_and_city,
            p if p == en.similar_name_same_city => words.similar_name_same_city,
            other => other,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_in_both_languages() {
        assert_eq!(month_name(Lang::En, 10), Some("October"));
        assert_eq!(month_name(Lang::Fi, 1), Some("tammikuu"));
        assert_eq!(month_name(Lang::En, 0), None);
        assert_eq!(month_name(Lang::En, 13), None);
    }

    #[test]
    fn an_unfitted_model_is_explained_in_both_languages() {
        let error = FitError::NoFiniteMaximum {
            model: "MBG/NBD",
            parameter: "b",
            growing: true,
        };
        assert_eq!(
            churn_not_fitted(Lang::En, &error),
            "the MBG/NBD model has no best fit on this history: its likelihood keeps \
             improving as b grows without bound"
        );
        assert_eq!(
            churn_not_fitted(Lang::Fi, &error),
            "MBG/NBD-mallilla ei ole parasta sovitusta tähän historiaan: uskottavuus \
             paranee yhä, kun b kasvaa rajatta"
        );
    }

    #[test]
    fn reasons_translate_part_by_part() {
        assert_eq!(
            duplicate_reason(Lang::Fi, "same email, similar name in the same city"),
            "sama sähköposti, samankaltainen nimi samassa kaupungissa"
        );
        assert_eq!(
            duplicate_reason(Lang::Fi, "odd, same phone"),
            "odd, sama puhelinnumero"
        );
        assert_eq!(duplicate_reason(Lang::En, "same email"), "same email");
    }
}
