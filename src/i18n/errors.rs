//! The store's errors worded in the UI language. The store says what went
//! wrong by kind ([`StoreError`], [`Refusal`], [`Record`]); the English is
//! the error's own sentence, the one the command line prints, and the Finnish
//! says the same. A detail only SQLite or the system can give (a damaged
//! page, an I/O error) is quoted as it came.

use std::path::Path;

use super::Lang;
use super::forms::{not_an_email, phone_problem};
use crate::store::copies::WriteError;
use crate::store::{Record, Refusal, StoreError};

strings! {
    /// The fixed words of errors.
    pub(crate) struct ErrorStrings {
        /// Before a failed write's sentence; the store's file follows.
        not_saved_to = "not saved to", "ei tallennettu tiedostoon";
        followups_not_written = "follow-ups not written", "seurantoja ei kirjoitettu";
        data_not_loaded = "the dashboard's data could not be loaded", "kojelaudan tietoja ei voitu ladata";
        /// A load the loop dropped for a newer one; nobody reads it.
        load_replaced = "the load was replaced by a newer one", "lataus korvattiin uudemmalla";
        background_stopped = "a background task stopped", "taustatehtävä pysähtyi";
        daily_backup_failed = "the daily backup failed", "päivittäinen varmuuskopio epäonnistui";
        /// After the erasure's message, before the files kanta cannot vouch for.
        cannot_vouch_for = "cannot vouch for", "ei voi taata tiedostoja";
        clipboard_failed = "could not copy", "kopiointi ei onnistunut";
        export_failed = "the export was not written", "vientiä ei kirjoitettu";
    }
}

/// What a [`StoreError::NotFound`] looked for, as Finnish says "there is no
/// such": `asiakasta 7 ei ole`.
fn record_fi(what: Record) -> &'static str {
    match what {
        Record::Customer => "asiakasta",
        Record::Order => "ostoa",
        Record::Interaction => "yhteydenottoa",
        Record::FollowUp => "seurantaa",
    }
}

/// One sentence for a store error.
pub(crate) fn store_error(lang: Lang, error: &StoreError) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    let path = |p: &Path| p.display().to_string();
    match error {
        StoreError::NotSqlite { path: p } => {
            format!(
                "{} ei ole kannan tietokanta (se ei ole SQLite-tietokanta)",
                path(p)
            )
        }
        StoreError::Foreign { path: p } => {
            format!(
                "{} on toisen ohjelman SQLite-tietokanta, ei kannan",
                path(p)
            )
        }
        StoreError::TooNew {
            path: p,
            found,
            known,
        } => format!(
            "{} on uudemman kannan kirjoittama (skeeman versio {found}, tämä kanta tuntee \
             version {known} asti); päivitä kanta avataksesi sen",
            path(p)
        ),
        StoreError::Damaged { path: p, detail } => {
            format!(
                "{} on vioittunut ({detail}); palauta se varmuuskopiosta",
                path(p)
            )
        }
        StoreError::Io { path: p, source } => {
            format!("tiedostoa {} ei voi lukea: {source}", path(p))
        }
        StoreError::Missing { path: p } => format!(
            "tietokantaa {} ei ole (luo se komennolla `kanta demo` tai tuonnilla)",
            path(p)
        ),
        StoreError::Invalid(detail) => format!("tietoja ei voi käyttää: {detail}"),
        StoreError::Refused(refusal) => refusal_text(lang, refusal),
        StoreError::Busy => {
            "tietokanta on varattu: toinen ohjelma kirjoittaa siihen; yritä hetken päästä uudelleen"
                .to_string()
        }
        StoreError::ChangedElsewhere { current } => format!(
            "asiakasta {} muutettiin toisessa ikkunassa tämän lomakkeen avaamisen jälkeen",
            crate::domain::terminal::terminal_safe(&current.name)
        ),
        StoreError::NotFound { what, id } => format!("{} {id} ei ole", record_fi(*what)),
        StoreError::NetworkFilesystem { path: p, fstype } => format!(
            "{} on verkkolevyllä ({fstype}): SQLiten lukot eivät toimi koneiden välillä, \
             joten kaksi siihen kirjoittavaa tietokonetta rikkoisi sen; pidä tietokanta yhden \
             koneen omalla levyllä ja käyttäkää kantaa siellä (SSH:lla, kukin omassa päätteessään)",
            path(p)
        ),
        StoreError::ReadOnly { path: p, why } => format!(
            "kanta ei voi kirjoittaa tiedostoon {} ({why}); valitse --db kirjoitettavalta levyltä",
            path(p)
        ),
        StoreError::Sqlite(e) => format!("tietokannan virhe: {e}"),
    }
}

/// A copy (a backup, an export) that could not be written.
pub(crate) fn write_error(lang: Lang, error: &WriteError) -> String {
    match (lang, error) {
        (_, WriteError::Store(e)) => store_error(lang, e),
        (Lang::En, e) => e.to_string(),
        (Lang::Fi, WriteError::Write { path, source }) => {
            format!("tiedostoon {} ei voi kirjoittaa: {source}", path.display())
        }
    }
}

/// Why the store refused a value, by the same rule a form and an import use.
pub(crate) fn refusal_text(lang: Lang, refusal: &Refusal) -> String {
    if lang == Lang::En {
        return refusal.to_string();
    }
    match refusal {
        Refusal::NameBlank => "nimi: ei saa olla tyhjä".to_string(),
        Refusal::Email(bad) => format!("sähköposti: {}", not_an_email(bad, lang)),
        Refusal::Phone(bad) => format!("puhelin: {}", phone_problem(bad, lang)),
        Refusal::CadenceZero => "yhteysväli: vähintään 1 päivä".to_string(),
        Refusal::RefersThemselves => "suosittelija: asiakas ei voi suositella itseään".to_string(),
        Refusal::RefTaken { reference, holder } => {
            format!("tunnus: {reference:?} on jo asiakkaan {holder} käytössä")
        }
        Refusal::NoSuchReferrer(id) => format!("suosittelija: asiakasta {id} ei ole"),
        Refusal::MergeIntoThemselves => {
            "yhdistäminen: asiakasta ei voi yhdistää itseensä".to_string()
        }
    }
}

/// A write that failed, naming the store's file: the sentences that already
/// say what is wrong in the user's terms stand alone.
pub(crate) fn not_saved(lang: Lang, store: &Path, error: &StoreError) -> String {
    let sentence = store_error(lang, error);
    match error {
        StoreError::ChangedElsewhere { .. }
        | StoreError::Invalid(_)
        | StoreError::Refused(_)
        | StoreError::Busy
        | StoreError::NotFound { .. }
        | StoreError::Damaged { .. } => sentence,
        _ => format!(
            "{} {}: {sentence}",
            ErrorStrings::of(lang).not_saved_to,
            store.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_errors_own_sentence_and_finnish_says_it_in_finnish() {
        let busy = StoreError::Busy;
        assert_eq!(store_error(Lang::En, &busy), busy.to_string());
        assert!(store_error(Lang::Fi, &busy).starts_with("tietokanta on varattu"));
        let missing = StoreError::NotFound {
            what: Record::FollowUp,
            id: 7,
        };
        assert_eq!(
            store_error(Lang::En, &missing),
            "there is no follow-up with id 7"
        );
        assert_eq!(store_error(Lang::Fi, &missing), "seurantaa 7 ei ole");
        let refused = StoreError::Refused(Refusal::NameBlank);
        assert_eq!(store_error(Lang::En, &refused), "name: must not be blank");
        assert_eq!(store_error(Lang::Fi, &refused), "nimi: ei saa olla tyhjä");
    }

    #[test]
    fn a_failed_write_names_the_store_unless_the_sentence_says_enough() {
        let path = Path::new("/tmp/kanta.db");
        let e = StoreError::ReadOnly {
            path: path.into(),
            why: "read-only file system".into(),
        };
        assert!(
            not_saved(Lang::Fi, path, &e)
                .starts_with("ei tallennettu tiedostoon /tmp/kanta.db: kanta ei voi")
        );
        assert_eq!(
            not_saved(Lang::Fi, path, &StoreError::Busy),
            store_error(Lang::Fi, &StoreError::Busy)
        );
    }
}
