//! Times on the wire.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// `YYYY-MM-DDTHH:mm:ssZ` (RFC 3339 in UTC, whole seconds), written without chrono's format
/// parser: it runs for every payment.
pub fn utc_seconds(t: &DateTime<Utc>) -> String {
    write_seconds(t, b'T', true).unwrap_or_else(|| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// `YYYY-MM-DD HH:mm:ss` (UTC, whole seconds, no zone: as Payabli writes its times), written
/// without chrono's format parser.
pub fn utc_seconds_spaced(t: &DateTime<Utc>) -> String {
    write_seconds(t, b' ', false).unwrap_or_else(|| t.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// The date, `separator`, the time, and `Z` when `zulu`; `None` for a year outside four digits
/// (left to chrono's own formatting). The date's parts are read once and the text is written
/// into a buffer of its final size.
fn write_seconds(t: &DateTime<Utc>, separator: u8, zulu: bool) -> Option<String> {
    // UTC's naive date and time as they are stored (`date_naive` would add a zero offset).
    let utc = t.naive_utc();
    let date = utc.date();
    let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999)?;
    let seconds = utc.time().num_seconds_from_midnight();
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let [y1, y2] = two(year / 100);
    let [y3, y4] = two(year % 100);
    let [mo1, mo2] = two(date.month());
    let [d1, d2] = two(date.day());
    let [h1, h2] = two(seconds / 3600);
    let [mi1, mi2] = two(seconds / 60 % 60);
    let [s1, s2] = two(seconds % 60);
    let text = [
        y1, y2, y3, y4, b'-', mo1, mo2, b'-', d1, d2, separator, h1, h2, b':', mi1, mi2, b':', s1,
        s2, b'Z',
    ];
    let text = if zulu { &text[..] } else { &text[..19] };
    // Only ASCII digits and the separators above: always UTF-8.
    std::str::from_utf8(text).ok().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

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

    /// The previous `utc_seconds`, kept as the reference the buffer-writing version must agree
    /// with (chrono's `%S` would print a leap second as `60`; this wrote `59`).
    fn utc_seconds_reference(t: &DateTime<Utc>) -> String {
        let year = t.year();
        if !(0..=9999).contains(&year) {
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

    /// Both forms agree with the previous version (and the spaced one with what Payabli's
    /// mapping made of it) over times spread across years -20000 to 20000, seconds stepping by
    /// an odd amount so that every field varies, the four-digit edges, a leap day and a leap
    /// second.
    #[test]
    fn both_forms_match_the_previous_version_over_a_wide_range() {
        let mut times: Vec<DateTime<Utc>> = Vec::new();
        let (start, end) = (-20_000 * 31_556_952_i64, 20_000 * 31_556_952_i64);
        let mut s = start;
        while s < end {
            times.extend(Utc.timestamp_opt(s, 0).single());
            s += 7_777_777 + 13;
        }
        for edge in [
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2000-02-29T12:00:00Z",
        ] {
            times.push(edge.parse().unwrap());
        }
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_milli_opt(23, 59, 59, 1_500))
            .unwrap()
            .and_utc();
        times.push(leap);
        assert!(times.len() > 160_000, "{}", times.len());
        for t in &times {
            let old = utc_seconds_reference(t);
            assert_eq!(utc_seconds(t), old);
            let spaced = if old.len() == 20 && old.ends_with('Z') {
                format!("{} {}", &old[..10], &old[11..19])
            } else {
                t.format("%Y-%m-%d %H:%M:%S").to_string()
            };
            assert_eq!(utc_seconds_spaced(t), spaced);
        }
        assert_eq!(utc_seconds(&leap), "2016-12-31T23:59:59Z");
    }
}
