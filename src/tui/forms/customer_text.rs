//! Reading the customer form's typed lists and numbers.

/// `a, b; c` as its non-empty, trimmed items.
pub(super) fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Empty is no cadence; else a whole number of days, at least 1.
pub(super) fn contact_every(text: &str) -> Result<Option<u32>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(n) if n > 0 && !text.starts_with('+') => Ok(Some(n)),
        _ => Err(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_and_semicolons_and_drop_blanks() {
        assert_eq!(split_list(" a@x.fi, ;b@y.fi ,"), ["a@x.fi", "b@y.fi"]);
        assert!(split_list(" , ").is_empty());
    }

    #[test]
    fn contact_every_is_empty_or_a_positive_whole_number() {
        assert_eq!(contact_every(" "), Ok(None));
        assert_eq!(contact_every(" 30 "), Ok(Some(30)));
        for bad in ["0", "-3", "+3", "1.5", "kolme", "99999999999"] {
            assert_eq!(contact_every(bad), Err(()), "{bad}");
        }
    }
}
