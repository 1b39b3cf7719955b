//! Collecting every problem of a record before anything is sent.

use crate::{Error, FieldError, Result};

/// A field path that is only rendered into a string when a problem is recorded, so that
/// validating a good record allocates nothing for its paths.
pub trait FieldPath {
    /// The path as text (`primary_contact.emails[0].value`).
    fn render(self) -> String;
}

impl FieldPath for &str {
    fn render(self) -> String {
        self.to_owned()
    }
}

impl FieldPath for &String {
    fn render(self) -> String {
        self.clone()
    }
}

impl FieldPath for String {
    fn render(self) -> String {
        self
    }
}

/// `(prefix, name)` renders as `prefix.name`, or `name` when the prefix is empty.
impl FieldPath for (&str, &str) {
    fn render(self) -> String {
        if self.0.is_empty() {
            self.1.to_owned()
        } else {
            format!("{}.{}", self.0, self.1)
        }
    }
}

/// `(prefix, middle, name)` renders its non-empty parts joined by `.`
/// (`primary_contact.billing_address.city`, or `billing_address.city` without a prefix).
impl FieldPath for (&str, &str, &str) {
    fn render(self) -> String {
        [self.0, self.1, self.2]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// A path computed by a closure, only when a problem is recorded.
pub struct LazyPath<F: FnOnce() -> String>(pub F);

impl<F: FnOnce() -> String> FieldPath for LazyPath<F> {
    fn render(self) -> String {
        (self.0)()
    }
}

/// Collects field problems; [`Validator::finish`] turns them into one
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) error, or `Ok` when there are none.
///
/// Canonical rules are checked by the records themselves ([`crate::Record::validate_into`]);
/// provider crates add their own limits to the same validator, so a caller sees every problem
/// of a record in one error. Paths are any [`FieldPath`]; they are rendered only for problems.
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
    pub fn push(&mut self, path: impl FieldPath, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.render(),
            message: message.into(),
        });
    }

    /// Checks a condition; records `message` at `path` when it is false.
    pub fn check(&mut self, ok: bool, path: impl FieldPath, message: impl Into<String>) {
        if !ok {
            self.push(path, message);
        }
    }

    /// A required value: present and not blank.
    pub fn required(&mut self, path: impl FieldPath, value: Option<&String>) {
        match value {
            Some(v) if !is_blank(v) => {}
            Some(_) => self.push(path, "must not be blank"),
            None => self.push(path, "is required"),
        }
    }

    /// An optional value that, when present, must not be blank.
    pub fn not_blank(&mut self, path: impl FieldPath, value: Option<&str>) {
        if let Some(v) = value
            && is_blank(v)
        {
            self.push(path, "must not be blank when given");
        }
    }

    /// An optional value of at most `max` characters.
    pub fn max_chars(&mut self, path: impl FieldPath, value: Option<&str>, max: usize) {
        // The byte length bounds the character count from above: count only when it may matter.
        if let Some(v) = value
            && v.len() > max
        {
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
    pub fn email(&mut self, path: impl FieldPath, value: &str) {
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

    /// The problems recorded, by value.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
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
/// RFC 5322 in full: one `@`, a non-empty local part, a dotted domain whose labels are non-empty
/// and do not start or end with `-`, no spaces or control characters.
pub fn is_email(value: &str) -> bool {
    let bytes = value.as_bytes();
    // One pass over the bytes without a branch per byte: spaces and ASCII controls, the number
    // of `@`, and whether any byte is non-ASCII.
    let (mut spaces, mut ats, mut high) = (false, 0usize, 0u8);
    for &b in bytes {
        spaces |= (b <= b' ') | (b == 0x7f);
        ats += usize::from(b == b'@');
        high |= b;
    }
    if spaces || ats != 1 {
        return false;
    }
    let Some(at) = bytes.iter().position(|&b| b == b'@').filter(|&at| at > 0) else {
        return false;
    };
    // Non-ASCII text (internationalized addresses) is checked for Unicode spaces and controls.
    if high >= 0x80 && value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let mut labels = 0;
    for label in bytes[at + 1..].split(|&b| b == b'.') {
        if label.is_empty() || label[0] == b'-' || label[label.len() - 1] == b'-' {
            return false;
        }
        labels += 1;
    }
    labels >= 2
}

/// Whether a value is empty or only white space (fast for the usual non-blank value).
pub(crate) fn is_blank(value: &str) -> bool {
    match value.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => value.trim().is_empty(),
    }
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
            "a@b@c.com",
            "a\u{7f}@b.com",
            "a\u{a0}b@c.com",
            "a@-b.com",
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
        v.not_blank(("p", "billing_address", "city"), Some(" "));
        v.not_blank(("", "billing_address", "city"), Some(" "));
        let err = v.finish(Some("x")).unwrap_err();
        let paths: Vec<_> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a",
                "b",
                "c",
                "p.billing_address.city",
                "billing_address.city"
            ]
        );
        assert_eq!(err.provider(), Some("x"));
    }
}
