//! Reading files of canonical records as a stream, with line numbers.
//!
//! JSON Lines: one JSON object per line, blank lines skipped. CSV: a header row, then one
//! record per row with the flattened columns listed in `billsync sync --help`; empty cells are
//! absent values (an absent custom field that an earlier sync sent is removed through the
//! journal; a CSV cell has no way to say `null`). Both may start with a UTF-8 byte-order mark.
//! A malformed line is reported with its number and reading goes on; a read error of the file
//! itself ends the stream (see [`Records::failure`]). A path that is not a regular file, or an
//! unknown CSV column, is refused when the file is opened, before any record is read.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::args::Kind;
use crate::columns::{self, flatten_row};

/// One record read: its line number and the record or why it could not be read.
pub struct Item<T> {
    /// 1-based line number in the file.
    pub line: u64,
    /// The record, or a one-sentence reason.
    pub record: Result<T, String>,
}

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    JsonLines,
    /// A header row, then one record per row.
    Csv,
}

enum Source {
    Jsonl(BufReader<Box<dyn Read + Send>>, Vec<u8>),
    Csv(Box<csv::Reader<Box<dyn Read + Send>>>, csv::StringRecord),
}

/// A streaming reader of records of one kind.
pub struct Records {
    source: Source,
    kind: Kind,
    line: u64,
    failure: Option<String>,
    /// Bytes consumed so far (for progress).
    pub bytes: u64,
}

/// Opens `path` for reading after checking that it is a regular file: a directory, FIFO, socket
/// or device is refused at once, before anything is read (opening a FIFO would block, reading a
/// directory fails forever).
pub fn open_file(path: &Path) -> Result<File, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    if meta.is_dir() {
        return Err(format!(
            "cannot read {shown}: it is a directory, not a file"
        ));
    }
    if !meta.is_file() {
        return Err(format!(
            "cannot read {shown}: it is not a regular file (a FIFO, socket or device); pipe it to `-` to read standard input"
        ));
    }
    File::open(path).map_err(|e| format!("cannot read {shown}: {e}"))
}

impl Records {
    /// Opens `path` (`-` is standard input, read as JSON Lines; `.csv` is CSV).
    pub fn open(path: &Path, kind: Kind) -> Result<Records, String> {
        let stdin = path.as_os_str() == "-";
        let reader: Box<dyn Read + Send> = if stdin {
            Box::new(std::io::stdin())
        } else {
            Box::new(open_file(path)?)
        };
        let is_csv = !stdin
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let format = if is_csv {
            Format::Csv
        } else {
            Format::JsonLines
        };
        Records::from_reader(reader, format, kind).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Reads records in `format` from `reader`. A CSV header with an unknown column is refused
    /// here, naming the closest known column.
    pub fn from_reader(
        reader: Box<dyn Read + Send>,
        format: Format,
        kind: Kind,
    ) -> Result<Records, String> {
        let source = match format {
            Format::Csv => {
                let mut csv = csv::ReaderBuilder::new()
                    .flexible(false)
                    .from_reader(reader);
                let headers = csv
                    .headers()
                    .map_err(|e| format!("cannot read the CSV header: {e}"))?
                    .clone();
                columns::check_header(&headers, kind)?;
                Source::Csv(Box::new(csv), headers)
            }
            Format::JsonLines => {
                Source::Jsonl(BufReader::with_capacity(64 * 1024, reader), Vec::new())
            }
        };
        Ok(Records {
            source,
            kind,
            line: if format == Format::Csv { 1 } else { 0 },
            failure: None,
            bytes: 0,
        })
    }

    /// Why reading stopped before the end of the file, when the file itself could not be read
    /// (an I/O error, not a malformed record). The stream ends at such an error.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    fn fail(&mut self, e: impl std::fmt::Display) {
        self.failure = Some(format!("reading stopped at line {}: {e}", self.line));
    }

    /// The next record, or `None` at the end of the file or after a read error.
    // Not an `Iterator`: the record type is chosen per call.
    #[allow(clippy::should_implement_trait)]
    pub fn next<T: DeserializeOwned>(&mut self) -> Option<Item<T>> {
        if self.failure.is_some() {
            return None;
        }
        match &mut self.source {
            Source::Jsonl(reader, buf) => loop {
                buf.clear();
                self.line += 1;
                match reader.read_until(b'\n', buf) {
                    Ok(0) => return None,
                    Ok(n) => {
                        self.bytes += n as u64;
                        let bytes = match (self.line, buf.strip_prefix(b"\xEF\xBB\xBF")) {
                            (1, Some(rest)) => rest,
                            _ => buf.as_slice(),
                        };
                        let record = match std::str::from_utf8(bytes) {
                            Ok(text) if text.trim().is_empty() => continue,
                            Ok(text) => serde_json::from_str::<T>(text.trim())
                                .map_err(|e| format!("not a valid record: {e}")),
                            Err(e) => Err(format!("not UTF-8 text: {e}")),
                        };
                        return Some(Item {
                            line: self.line,
                            record,
                        });
                    }
                    Err(e) => {
                        self.fail(e);
                        return None;
                    }
                }
            },
            Source::Csv(reader, headers) => {
                let mut row = csv::StringRecord::new();
                match reader.read_record(&mut row) {
                    Ok(false) => None,
                    Ok(true) => {
                        self.line = row.position().map_or(self.line + 1, |p| p.line());
                        self.bytes = row.position().map_or(self.bytes, |p| p.byte());
                        let value = flatten_row(headers, &row, self.kind);
                        let record = value.and_then(|v| {
                            serde_json::from_value::<T>(v)
                                .map_err(|e| format!("not a valid record: {e}"))
                        });
                        Some(Item {
                            line: self.line,
                            record,
                        })
                    }
                    Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                        self.line += 1;
                        self.fail(e);
                        None
                    }
                    Err(e) => {
                        self.line += 1;
                        Some(Item {
                            line: e.position().map_or(self.line, |p| p.line()),
                            record: Err(format!("not a valid CSV row: {e}")),
                        })
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use billsync::{Customer, Payment};

    fn read<T: DeserializeOwned>(
        name: &str,
        text: &str,
        kind: Kind,
    ) -> Vec<(u64, Result<T, String>)> {
        let dir =
            std::env::temp_dir().join(format!("billsync-input-{}-{name}", std::process::id()));
        std::fs::write(&dir, text).unwrap();
        let mut r = Records::open(&dir, kind).unwrap();
        let mut out = Vec::new();
        while let Some(item) = r.next::<T>() {
            out.push((item.line, item.record));
        }
        let _ = std::fs::remove_file(&dir);
        out
    }

    #[test]
    fn jsonl_with_blank_and_malformed_lines_keeps_line_numbers() {
        let items = read::<Customer>(
            "a.jsonl",
            "{\"external_id\":\"a\"}\n\n{oops\n{\"external_id\":\"b\"}\n",
            Kind::Customers,
        );
        let lines: Vec<u64> = items.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 3, 4]);
        assert!(items[1].1.is_err());
        assert_eq!(items[2].1.as_ref().unwrap().external_id, "b");
    }

    #[test]
    fn csv_columns_map_to_the_canonical_record() {
        let text = "external_id,first_name,last_name,email,city,country,custom.tier,shipping_city\nc1,Ann,Lee,ann@x.co,Austin,US,gold,Dallas\n";
        let items = read::<Customer>("c.csv", text, Kind::Customers);
        let c = items[0].1.as_ref().unwrap();
        assert_eq!(items[0].0, 2);
        let contact = c.primary_contact.as_ref().unwrap();
        assert_eq!(contact.email(), Some("ann@x.co"));
        assert_eq!(
            contact.billing_address.as_ref().unwrap().country.as_deref(),
            Some("US")
        );
        assert_eq!(c.custom_fields["tier"].as_deref(), Some("gold"));
        // An empty custom cell is absent (no key), not a removal (`None`).
        let text = "external_id,custom.a,custom.b\nc1,gold,\n";
        let items = read::<Customer>("c.csv", text, Kind::Customers);
        let fields = &items[0].1.as_ref().unwrap().custom_fields;
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["a"]);
        assert_eq!(
            c.shipping_address.as_ref().unwrap().city.as_deref(),
            Some("Dallas")
        );

        let text = "external_id,customer_external_id,amount,currency,paid_at,active,invoice_external_id\np1,c1,12.50,USD,2024-01-01T00:00:00Z,false,inv-1\n";
        let items = read::<Payment>("p.csv", text, Kind::Payments);
        let p = items[0].1.as_ref().unwrap();
        assert_eq!(p.amount.to_string(), "12.50");
        assert_eq!(p.active, Some(false));
        assert_eq!(
            p.invoice.as_ref().unwrap().external_id.as_deref(),
            Some("inv-1")
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted_in_json_lines_as_in_csv() {
        let items = read::<Customer>(
            "bom.jsonl",
            "\u{feff}{\"external_id\":\"a\"}\n{\"external_id\":\"b\"}\n",
            Kind::Customers,
        );
        let ids: Vec<&str> = items
            .iter()
            .map(|(_, r)| r.as_ref().unwrap().external_id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        let items = read::<Customer>(
            "bom.csv",
            "\u{feff}external_id,city\nc1,Austin\n",
            Kind::Customers,
        );
        assert_eq!(items[0].1.as_ref().unwrap().external_id, "c1");
        // Only a leading mark is one: later in the file it is a malformed line.
        let items = read::<Customer>(
            "bom2.jsonl",
            "{\"external_id\":\"a\"}\n\u{feff}{\"external_id\":\"b\"}\n",
            Kind::Customers,
        );
        assert!(items[1].1.is_err());
    }

    #[test]
    fn invalid_utf8_rejects_its_line_only() {
        let dir =
            std::env::temp_dir().join(format!("billsync-input-{}-u.jsonl", std::process::id()));
        std::fs::write(
            &dir,
            b"{\"external_id\":\"\xff\"}\n{\"external_id\":\"b\"}\n",
        )
        .unwrap();
        let mut r = Records::open(&dir, Kind::Customers).unwrap();
        let first = r.next::<Customer>().unwrap();
        assert!(first.record.unwrap_err().contains("not UTF-8"));
        assert_eq!(
            r.next::<Customer>().unwrap().record.unwrap().external_id,
            "b"
        );
        assert!(r.next::<Customer>().is_none());
        assert_eq!(r.failure(), None);
        let _ = std::fs::remove_file(&dir);
    }

    /// A reader that yields `good` and then fails every read, as a failing disk would.
    struct FailsAfter(std::io::Cursor<Vec<u8>>);

    impl Read for FailsAfter {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.read(buf)? {
                0 => Err(std::io::Error::other("input/output error")),
                n => Ok(n),
            }
        }
    }

    #[test]
    fn a_read_error_ends_the_stream_once_instead_of_one_row_per_attempt() {
        for (format, good) in [
            (Format::JsonLines, "{\"external_id\":\"a\"}\n"),
            (Format::Csv, "external_id\na\n"),
        ] {
            let reader = FailsAfter(std::io::Cursor::new(good.as_bytes().to_vec()));
            let mut r = Records::from_reader(Box::new(reader), format, Kind::Customers).unwrap();
            let first = r.next::<Customer>().unwrap();
            assert_eq!(first.record.unwrap().external_id, "a");
            assert!(r.next::<Customer>().is_none(), "{format:?}");
            assert!(r.next::<Customer>().is_none(), "{format:?}");
            let why = r.failure().unwrap();
            assert!(why.contains("input/output error"), "{format:?}: {why}");
        }
    }

    #[test]
    fn directories_fifos_and_devices_are_refused_before_reading() {
        let dir = std::env::temp_dir().join(format!("billsync-input-{}-dir", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = Records::open(&dir, Kind::Customers).err().unwrap();
        assert!(err.contains("is a directory"), "{err}");
        let err = Records::open(Path::new("/dev/null"), Kind::Customers)
            .err()
            .unwrap();
        assert!(err.contains("not a regular file"), "{err}");
        let missing = dir.join("missing.jsonl");
        let err = Records::open(&missing, Kind::Customers).err().unwrap();
        assert!(
            err.starts_with(&format!("cannot read {}", missing.display())),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unknown_csv_column_fails_at_the_header() {
        let dir =
            std::env::temp_dir().join(format!("billsync-input-{}-bad.csv", std::process::id()));
        std::fs::write(&dir, "external_id,frist_name\nc1,Ann\nc2,Bob\n").unwrap();
        let err = Records::open(&dir, Kind::Customers).err().unwrap();
        let _ = std::fs::remove_file(&dir);
        assert!(err.contains("unknown column `frist_name`"), "{err}");
        assert!(err.contains("did you mean `first_name`?"), "{err}");
    }
}
