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
    #[cold]
    pub fn push(&mut self, path: impl FieldPath, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.render(),
            message: message.into(),
        });
    }

    /// Checks a condition; records `message` at `path` when it is false.
    #[inline]
    pub fn check(&mut self, ok: bool, path: impl FieldPath, message: impl Into<String>) {
        if !ok {
            self.push(path, message);
        }
    }

    /// A required value: present and not blank.
    #[inline]
    pub fn required(&mut self, path: impl FieldPath, value: Option<&String>) {
        match value {
            Some(v) if !is_blank(v) => {}
            Some(_) => self.push(path, "must not be blank"),
            None => self.push(path, "is required"),
        }
    }

    /// An optional value that, when present, must not be blank.
    #[inline]
    pub fn not_blank(&mut self, path: impl FieldPath, value: Option<&str>) {
        if let Some(v) = value
            && is_blank(v)
        {
            self.push(path, "must not be blank when given");
        }
    }

    /// An optional value of at most `max` characters.
    #[inline]
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
    #[inline]
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
    let Some(at) = bytes.iter().position(|&b| b == b'@') else {
        return false;
    };
    if at == 0 {
        return false;
    }
    // The classes of every byte (the local part has no `@`: `at` is the first), one table look-up
    // per byte.
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    let classes = email_classes(local) | email_classes(domain);
    if classes & (SPACE | AT) != 0 {
        return false;
    }
    let mut labels = 0;
    for label in domain.split(|&b| b == b'.') {
        match (label.first(), label.last()) {
            (Some(&first), Some(&last)) if first != b'-' && last != b'-' => labels += 1,
            _ => return false,
        }
    }
    // Non-ASCII text (internationalized addresses) is checked for Unicode spaces and controls.
    labels >= 2
        && !(classes & HIGH != 0 && value.chars().any(|c| c.is_whitespace() || c.is_control()))
}

/// [`EMAIL_BYTES`] classes: a space or an ASCII control, `@`, a non-ASCII byte.
const SPACE: u8 = 1;
const AT: u8 = 2;
const HIGH: u8 = 4;

/// The class of each byte for [`is_email`].
static EMAIL_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if b <= 0x20 || b == 0x7f {
            SPACE
        } else if b == 0x40 {
            AT
        } else if b >= 0x80 {
            HIGH
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The union of the classes of `bytes`.
fn email_classes(bytes: &[u8]) -> u8 {
    bytes
        .iter()
        .fold(0, |acc, &b| acc | EMAIL_BYTES[usize::from(b)])
}

/// Whether a value is empty or only white space (`value.trim().is_empty()`, fast for the usual
/// value that starts with a visible ASCII character).
#[inline]
pub fn is_blank(value: &str) -> bool {
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

    /// The previous `is_email`, kept as the reference the one-pass version must agree with.
    fn is_email_reference(value: &str) -> bool {
        let bytes = value.as_bytes();
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

    /// Every string of up to five characters over an alphabet of the characters that matter
    /// (`@`, `.`, `-`, letters, a space, a control, non-ASCII letters and spaces), plus longer
    /// shapes built from them, gives the same answer as the reference.
    #[test]
    fn is_email_agrees_with_the_reference() {
        let alphabet = [
            'a', 'Z', '0', '@', '.', '-', ' ', '\t', '\u{7f}', 'é', '\u{a0}', '+',
        ];
        let mut words = vec![String::new()];
        let mut checked = 0;
        for _ in 0..5 {
            let mut next = Vec::with_capacity(words.len() * alphabet.len());
            for w in &words {
                for c in alphabet {
                    let mut x = w.clone();
                    x.push(c);
                    next.push(x);
                }
            }
            for w in &next {
                assert_eq!(is_email(w), is_email_reference(w), "{w:?}");
                checked += 1;
            }
            words = next;
        }
        // Longer shapes: every 3-character word in each place of a plausible address.
        let short: Vec<String> = {
            let mut v = vec![String::new()];
            for _ in 0..3 {
                v = v
                    .iter()
                    .flat_map(|w| alphabet.iter().map(move |c| format!("{w}{c}")))
                    .collect();
            }
            v
        };
        let mut agreed_valid = 0;
        for w in &short {
            for x in [
                format!("{w}john@abc.com"),
                format!("john{w}@abc.com"),
                format!("john@{w}abc.com"),
                format!("john@abc{w}.com"),
                format!("john@abc.{w}com"),
                format!("john@abc.com{w}"),
                format!("jo.hn+x@{w}.{w}"),
            ] {
                let ok = is_email(&x);
                assert_eq!(ok, is_email_reference(&x), "{x:?}");
                agreed_valid += usize::from(ok);
                checked += 1;
            }
        }
        assert_eq!(checked, 283_548);
        // Both answers occur: the inputs are not all rejected.
        assert!(agreed_valid > 1000, "{agreed_valid}");
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
