//! Times on the wire.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// `YYYY-MM-DDTHH:mm:ssZ` (RFC 3339 in UTC, whole seconds), written without chrono's format
/// parser: it runs for every payment.
pub fn utc_seconds(t: &DateTime<Utc>) -> String {
    let year = t.year();
    if !(0..=9999).contains(&year) {
        // Outside four digits: chrono's own formatting.
        return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    let year = year as u32;
    let mut s = String::with_capacity(20);
    for d in [year / 1000, year / 100 % 10, year / 10 % 10, year % 10] {
        s.push(char::from(b'0' + d as u8));
    }
    for (sep, n) in [
        ('-', t.month()),
        ('-', t.day()),
        ('T', t.hour()),
        (':', t.minute()),
        (':', t.second()),
    ] {
        s.push(sep);
        s.push(char::from(b'0' + (n / 10) as u8));
        s.push(char::from(b'0' + (n % 10) as u8));
    }
    s.push('Z');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_chrono() {
        for text in [
            "2021-01-01T14:32:18Z",
            "1999-12-31T23:59:59Z",
            "0001-02-03T04:05:06Z",
            "2024-02-29T00:00:00Z",
        ] {
            let t: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(utc_seconds(&t), text);
            assert_eq!(utc_seconds(&t), t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
    }
}
