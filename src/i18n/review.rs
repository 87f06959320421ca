//! The words of the weekly review and the duplicates view, in English and Finnish.

use super::Lang;
use crate::analytics::churn::FitError;

/// Every fixed string of the weekly review and the duplicates view.
#[derive(Debug)]
pub struct ReviewStrings {
    // weekly review
    pub weekly_title: &'static str,
    pub week: &'static str,
    pub new_customers: &'static str,
    pub stage_moves: &'static str,
    pub followups_done: &'static str,
    pub followups_overdue: &'static str,
    pub at_risk: &'static str,
    pub last_month: &'static str,
    pub revenue: &'static str,
    pub nothing_this_week: &'static str,
    pub first_purchase: &'static str,
    pub done_on: &'static str,
    pub due_on: &'static str,
    pub churn_unfitted: &'static str,
    /// Before the expected purchase days and revenue of an at-risk customer.
    pub next_12_months: &'static str,
    /// After the expected purchase days of an at-risk customer.
    pub days_unit: &'static str,
    pub bought_again: &'static str,
    pub no_new_in_month: &'static str,
    pub this_week: &'static str,
    pub average_12_weeks: &'static str,
    pub no_earlier_revenue: &'static str,
    pub months: [&'static str; 12],
    // duplicates
    pub duplicates_title: &'static str,
    pub looking_for_duplicates: &'static str,
    pub no_duplicates: &'static str,
    pub score: &'static str,
    pub reason: &'static str,
    pub compare_title: &'static str,
    pub keep: &'static str,
    pub merged_away: &'static str,
    pub field_ref: &'static str,
    pub field_name: &'static str,
    pub field_company: &'static str,
    pub field_emails: &'static str,
    pub field_phones: &'static str,
    pub field_city: &'static str,
    pub field_orders: &'static str,
    pub field_revenue: &'static str,
    pub field_first: &'static str,
    pub field_last: &'static str,
    pub confirm_merge: &'static str,
    pub confirm_merge_into: &'static str,
    pub confirm_merge_deleted: &'static str,
    pub merged: &'static str,
    pub compare_keys: &'static str,
    // action labels
    pub act_weekly: &'static str,
    pub act_duplicates: &'static str,
    pub act_keep_left: &'static str,
    pub act_keep_right: &'static str,
    pub act_merge: &'static str,
}

pub static EN: ReviewStrings = ReviewStrings {
    weekly_title: "Weekly review",
    week: "week",
    new_customers: "New customers this week",
    stage_moves: "Stage movements since a week ago",
    followups_done: "Follow-ups done this week",
    followups_overdue: "Follow-ups overdue",
    at_risk: "High-value customers with low P(alive)",
    last_month: "Repeat rate of last month's new customers",
    revenue: "Revenue this week",
    nothing_this_week: "none",
    first_purchase: "first purchase",
    done_on: "done",
    due_on: "due",
    churn_unfitted: "churn model not fitted",
    next_12_months: "next 12 mo:",
    days_unit: "days",
    bought_again: "bought again",
    no_new_in_month: "no new customers in",
    this_week: "This week",
    average_12_weeks: "12-week average",
    no_earlier_revenue: "no revenue in the 12 weeks before",
    months: [
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
    duplicates_title: "Possible duplicates",
    looking_for_duplicates: "Looking for duplicates…",
    no_duplicates: "No possible duplicates found",
    score: "Score",
    reason: "Why",
    compare_title: "Compare and merge",
    keep: "KEEP",
    merged_away: "merged away",
    field_ref: "Ref",
    field_name: "Name",
    field_company: "Company",
    field_emails: "Email",
    field_phones: "Phone",
    field_city: "City",
    field_orders: "Orders",
    field_revenue: "Revenue",
    field_first: "First purchase",
    field_last: "Last purchase",
    confirm_merge: "Merge",
    confirm_merge_into: "into",
    confirm_merge_deleted: "is deleted",
    merged: "Merged",
    compare_keys: "←/→ choose which to keep, m merge, Esc back",
    act_weekly: "weekly review",
    act_duplicates: "duplicates",
    act_keep_left: "keep left",
    act_keep_right: "keep right",
    act_merge: "merge",
};

pub static FI: ReviewStrings = ReviewStrings {
    weekly_title: "Viikkokatsaus",
    week: "viikko",
    new_customers: "Uudet asiakkaat tällä viikolla",
    stage_moves: "Siirtymät portaalta toiselle viikon aikana",
    followups_done: "Tällä viikolla tehdyt seurannat",
    followups_overdue: "Myöhässä olevat seurannat",
    at_risk: "Arvokkaat asiakkaat, joiden P(elossa) on pieni",
    last_month: "Viime kuun uusien asiakkaiden uusintaostot",
    revenue: "Myynti tällä viikolla",
    nothing_this_week: "ei yhtään",
    first_purchase: "ensiosto",
    done_on: "tehty",
    due_on: "eräpäivä",
    churn_unfitted: "poistumamallia ei ole sovitettu",
    next_12_months: "seur. 12 kk:",
    days_unit: "pv",
    bought_again: "osti uudelleen",
    no_new_in_month: "ei uusia asiakkaita:",
    this_week: "Tällä viikolla",
    average_12_weeks: "12 viikon keskiarvo",
    no_earlier_revenue: "ei myyntiä edeltävillä 12 viikolla",
    months: [
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
    ],
    duplicates_title: "Mahdolliset kaksoiskappaleet",
    looking_for_duplicates: "Etsitään kaksoiskappaleita…",
    no_duplicates: "Kaksoiskappaleita ei löytynyt",
    score: "Pisteet",
    reason: "Peruste",
    compare_title: "Vertaa ja yhdistä",
    keep: "SÄILYTÄ",
    merged_away: "yhdistetään pois",
    field_ref: "Tunnus",
    field_name: "Nimi",
    field_company: "Yritys",
    field_emails: "Sähköposti",
    field_phones: "Puhelin",
    field_city: "Kaupunki",
    field_orders: "Tilauksia",
    field_revenue: "Myynti",
    field_first: "Ensiosto",
    field_last: "Viimeisin osto",
    confirm_merge: "Yhdistetäänkö",
    confirm_merge_into: "asiakkaaseen",
    confirm_merge_deleted: "poistetaan",
    merged: "Yhdistetty",
    compare_keys: "←/→ valitse säilytettävä, m yhdistä, Esc takaisin",
    act_weekly: "viikkokatsaus",
    act_duplicates: "kaksoiskappaleet",
    act_keep_left: "säilytä vasen",
    act_keep_right: "säilytä oikea",
    act_merge: "yhdistä",
};

/// The review strings of a language.
pub fn review_strings(lang: Lang) -> &'static ReviewStrings {
    match lang {
        Lang::En => &EN,
        Lang::Fi => &FI,
    }
}

/// A month's name, `None` outside 1..=12.
pub fn month_name(lang: Lang, month: u32) -> Option<&'static str> {
    let index = usize::try_from(month).ok()?.checked_sub(1)?;
    review_strings(lang).months.get(index).copied()
}

/// Why there is no churn model: `3 of 30 repeat customers`.
pub fn too_few_repeat_customers(lang: Lang, found: usize, needed: usize) -> String {
    match lang {
        Lang::En => format!("{found} of {needed} repeat customers"),
        Lang::Fi => format!("{found}/{needed} uusintaostajaa"),
    }
}

/// Why the churn or spend model is not fitted, in one sentence's worth.
pub fn churn_not_fitted(lang: Lang, error: &FitError) -> String {
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
pub fn duplicate_reason(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    reason
        .split(", ")
        .map(|part| match part {
            "same email" => "sama sähköposti",
            "same phone" => "sama puhelinnumero",
            "same name and city" => "sama nimi ja kaupunki",
            "similar name in the same city" => "samankaltainen nimi samassa kaupungissa",
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
