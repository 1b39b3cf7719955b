//! Collecting every problem of a record before anything is sent.

use crate::{Error, FieldError, Result};

/// Collects field problems; [`Validator::finish`] turns them into one
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) error, or `Ok` when there are none.
///
/// Canonical rules are checked by the records themselves ([`crate::Record::validate_into`]);
/// provider crates add their own limits to the same validator, so a caller sees every problem
/// of a record in one error.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// An empty validator.
    pub fn new() -> Self {
        Validator::default()
    }

    /// Records a problem at `path`.
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }

    /// Checks a condition; records `message` at `path` when it is false.
    pub fn check(&mut self, ok: bool, path: &str, message: impl Into<String>) {
        if !ok {
            self.push(path, message);
        }
    }

    /// A required value: present and not blank.
    pub fn required(&mut self, path: &str, value: Option<&String>) {
        match value {
            Some(v) if !v.trim().is_empty() => {}
            Some(_) => self.push(path, "must not be blank"),
            None => self.push(path, "is required"),
        }
    }

    /// An optional value that, when present, must not be blank.
    pub fn not_blank(&mut self, path: &str, value: Option<&str>) {
        if let Some(v) = value
            && v.trim().is_empty()
        {
            self.push(path, "must not be blank when given");
        }
    }

    /// An optional value of at most `max` characters.
    pub fn max_chars(&mut self, path: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            let n = v.chars().count();
            if n > max {
                self.push(
                    path,
                    format!("is {n} characters long, at most {max} allowed"),
                );
            }
        }
    }

    /// A well-formed email address (one `@`, a local part, a dotted domain, no spaces).
    pub fn email(&mut self, path: &str, value: &str) {
        if !is_email(value) {
            self.push(path, format!("`{value}` is not a valid email address"));
        }
    }

    /// True when no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The problems recorded so far.
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// `Ok` when no problem was recorded, else one invalid-input error listing them all.
    pub fn finish(self, provider: Option<&'static str>) -> Result<()> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let err = Error::invalid_input(self.errors);
        Err(match provider {
            Some(p) => err.with_provider(p),
            None => err,
        })
    }
}

/// A pragmatic email check: what providers' validators accept, without trying to implement
/// RFC 5322 in full.
pub fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .split('.')
            .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.co", "john.doe+x@abc.com", "δοκιμή@παράδειγμα.δοκιμή"]
        {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.com",
            "a@.com",
            "a@b.com.",
            "a b@c.com",
            "a@b..com",
            "a@@b.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut v = Validator::new();
        v.required("a", None);
        v.required("b", Some(&" ".to_string()));
        v.max_chars("c", Some("ééé"), 2);
        v.max_chars("d", Some("éé"), 2);
        let err = v.finish(Some("x")).unwrap_err();
        let paths: Vec<_> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a", "b", "c"]);
        assert_eq!(err.provider(), Some("x"));
    }
}
