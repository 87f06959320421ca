//! Email addresses: the one rule an import, a form and a write to the store
//! all use, so that what one accepts the others accept too.

use thiserror::Error;

/// The sentence for a value that is not an email address, the same in an
/// import's error list and under a form's field.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("not an email address: {0:?}")]
pub struct NotAnEmail(pub(crate) String);

/// A plausibility check, not RFC 5322: one `@` with something before it, a
/// dotted domain after it (no leading, trailing or doubled dot), no spaces or
/// control characters. Deliverability is not ours to judge.
pub(crate) fn check_email(text: &str) -> Result<(), NotAnEmail> {
    let bad = || Err(NotAnEmail(text.to_string()));
    let Some((local, domain)) = text.split_once('@') else {
        return bad();
    };
    let plausible = !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !text.chars().any(|c| c.is_whitespace() || c.is_control());
    if plausible { Ok(()) } else { bad() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_emails_pass_and_typos_do_not() {
        for good in [
            "aino@example.fi",
            "a.b+tag@sub.example.com",
            "ääni@esimerkki.fi",
            "maija@example.fi",
        ] {
            assert!(check_email(good).is_ok(), "{good}");
        }
        for bad in [
            "aino",
            "@example.fi",
            "aino@",
            "aino@example",
            "eve@localhost",
            "a@b@c.fi",
            "a b@c.fi",
            "a@.fi",
            "a@c.fi.",
            "a@c..fi",
            "040 123",
            "maija.example.fi",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_sentence_names_the_value() {
        assert_eq!(
            check_email("eve@localhost").map_err(|e| e.to_string()),
            Err("not an email address: \"eve@localhost\"".to_string())
        );
    }
}
