//! The external ids a run has read, kept on disk so that memory stays flat in the number of
//! records: each first row's line, a digest of its content, and why it did not land if it did
//! not.
//!
//! A private temporary SQLite database (opened with an empty file name: SQLite creates it in
//! the temporary directory and deletes it when the run ends), with journaling and syncing off
//! (nothing in it needs to survive the run) and a 2 MiB page cache: a run of 1,000,000 records
//! holds about as much of it in memory as a run of 1,000.

use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};

/// The page cache of the table, in KiB (SQLite's negative `cache_size`).
const CACHE_KIB: i64 = 2048;

/// The first row of an external id in this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FirstRow {
    /// Its line.
    pub line: u64,
    /// What it says (see `AnyRecord::digest`).
    pub digest: [u8; 16],
    /// Set once it ended without landing: whether it was refused, and why.
    pub not_landed: Option<(bool, Arc<str>)>,
}

/// The run's first rows by external id.
pub(super) struct IdTable {
    conn: Connection,
}

fn sql_line(line: u64) -> rusqlite::Result<i64> {
    i64::try_from(line).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

impl IdTable {
    /// An empty table in a new private temporary database.
    pub fn open() -> rusqlite::Result<Self> {
        let conn = Connection::open("")?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-{CACHE_KIB};
             CREATE TABLE first_rows (
                 external_id TEXT PRIMARY KEY,
                 line INTEGER NOT NULL,
                 digest BLOB NOT NULL,
                 rejected INTEGER,
                 reason TEXT
             ) WITHOUT ROWID;"
        ))?;
        Ok(IdTable { conn })
    }

    /// Records the row at `line` as the first of `external_id`, unless an earlier row has that
    /// external id: then that row, and nothing is recorded.
    pub fn insert(
        &self,
        external_id: &str,
        line: u64,
        digest: [u8; 16],
    ) -> rusqlite::Result<Option<FirstRow>> {
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT INTO first_rows (external_id, line, digest) VALUES (?1, ?2, ?3)
                 ON CONFLICT (external_id) DO NOTHING",
            )?
            .execute(params![external_id, sql_line(line)?, &digest[..]])?;
        match inserted {
            1 => Ok(None),
            _ => self.get(external_id),
        }
    }

    /// The first row of `external_id`, if one was read.
    pub fn get(&self, external_id: &str) -> rusqlite::Result<Option<FirstRow>> {
        self.conn
            .prepare_cached(
                "SELECT line, digest, rejected, reason FROM first_rows WHERE external_id = ?1",
            )?
            .query_row([external_id], |r| {
                let line: i64 = r.get(0)?;
                let bytes: Vec<u8> = r.get(1)?;
                let rejected: Option<bool> = r.get(2)?;
                let reason: Option<String> = r.get(3)?;
                // Written by `insert` only: 16 bytes; anything else compares unequal.
                let mut digest = [0u8; 16];
                if bytes.len() == digest.len() {
                    digest.copy_from_slice(&bytes);
                }
                Ok(FirstRow {
                    line: u64::try_from(line).unwrap_or_default(),
                    digest,
                    not_landed: rejected
                        .map(|rejected| (rejected, Arc::from(reason.unwrap_or_default().as_str()))),
                })
            })
            .optional()
    }

    /// Records that the first row of `external_id`, at `line`, did not land.
    pub fn not_landed(
        &self,
        external_id: &str,
        line: u64,
        rejected: bool,
        reason: &str,
    ) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE first_rows SET rejected = ?3, reason = ?4
                 WHERE external_id = ?1 AND line = ?2",
            )?
            .execute(params![external_id, sql_line(line)?, rejected, reason])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_row_and_how_it_ended() {
        let t = IdTable::open().unwrap();
        assert_eq!(t.insert("c-1", 3, [7; 16]).unwrap(), None);
        let first = FirstRow {
            line: 3,
            digest: [7; 16],
            not_landed: None,
        };
        assert_eq!(t.insert("c-1", 9, [8; 16]).unwrap(), Some(first.clone()));
        assert_eq!(t.get("c-1").unwrap(), Some(first));
        assert_eq!(t.get("c-2").unwrap(), None);
        // Only the first row's line may say how it ended.
        t.not_landed("c-1", 9, true, "later row").unwrap();
        assert_eq!(t.get("c-1").unwrap().unwrap().not_landed, None);
        t.not_landed("c-1", 3, false, "timeout").unwrap();
        assert_eq!(
            t.get("c-1").unwrap().unwrap().not_landed,
            Some((false, Arc::from("timeout")))
        );
    }
}
