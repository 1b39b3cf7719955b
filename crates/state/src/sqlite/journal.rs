//! The id map and the journal rows of the SQLite store.

use billsync_core::{Account, IdMap, RecordKind, Result};
use rusqlite::{OptionalExtension, params};

use super::{SqliteState, db, now};
use crate::store::{JournalEntry, Landed, RecordKey, RecordStatus};

/// One change of a journal row.
pub(super) struct Change<'a> {
    pub fingerprint: &'a str,
    pub status: RecordStatus,
    pub outcome: Option<&'a str>,
    pub provider_id: Option<&'a str>,
    pub error: Option<&'a str>,
    pub sent: Option<String>,
    /// The custom field names as a JSON array; `None` keeps what the row has.
    pub custom_fields: Option<String>,
}

impl SqliteState {
    pub(super) fn read_entry(&self, key: RecordKey<'_>) -> Result<Option<JournalEntry>> {
        let conn = self.conn();
        let Some(account) = self.account_id(&conn, key.account, false)? else {
            return Ok(None);
        };
        let mut stmt = conn
            .prepare_cached(
                "SELECT fingerprint, status, provider_id, error, sent, custom_fields FROM journal
                 WHERE account = ?1 AND kind = ?2 AND external_id = ?3",
            )
            .map_err(db)?;
        let row = stmt
            .query_row(params![account, key.kind.as_str(), key.external_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .optional()
            .map_err(db)?;
        Ok(row.map(
            |(fingerprint, status, provider_id, error, sent, custom_fields)| {
                JournalEntry {
                    fingerprint,
                    // A status a newer version wrote is treated as "may have landed": never skipped,
                    // never resent blindly.
                    status: RecordStatus::parse(&status).unwrap_or(RecordStatus::Pending),
                    provider_id,
                    error,
                    sent: sent.and_then(|s| serde_json::from_str(&s).ok()),
                    // Unreadable names count as unknown: nothing is cleared on their account.
                    custom_fields: custom_fields.and_then(|s| serde_json::from_str(&s).ok()),
                }
            },
        ))
    }

    pub(super) fn write_entry(&self, key: RecordKey<'_>, change: Change<'_>) -> Result<()> {
        let conn = self.conn();
        let account = self
            .account_id(&conn, key.account, true)?
            .unwrap_or_default();
        let mut stmt = conn
            .prepare_cached(
                "INSERT INTO journal (account, kind, external_id, fingerprint, status, outcome,
                                      provider_id, error, sent, custom_fields, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (account, kind, external_id) DO UPDATE SET
                   fingerprint = excluded.fingerprint, status = excluded.status,
                   outcome = COALESCE(excluded.outcome, journal.outcome),
                   provider_id = COALESCE(excluded.provider_id, journal.provider_id),
                   error = excluded.error,
                   sent = COALESCE(excluded.sent, journal.sent),
                   custom_fields = COALESCE(excluded.custom_fields, journal.custom_fields),
                   updated_at = excluded.updated_at",
            )
            .map_err(db)?;
        stmt.execute(params![
            account,
            key.kind.as_str(),
            key.external_id,
            change.fingerprint,
            change.status.as_str(),
            change.outcome,
            change.provider_id,
            change.error,
            change.sent,
            change.custom_fields,
            now()
        ])
        .map_err(db)?;
        Ok(())
    }

    pub(super) fn landed(&self, key: RecordKey<'_>, landed: Landed<'_>) -> Result<()> {
        let sent = landed.sent.map(serde_json::Value::to_string);
        self.write_entry(
            key,
            Change {
                fingerprint: landed.fingerprint,
                status: RecordStatus::Done,
                outcome: Some(landed.outcome.as_str()),
                provider_id: Some(landed.provider_id),
                error: None,
                sent,
                custom_fields: Some(names_json(landed.custom_fields)),
            },
        )
    }

    pub(super) fn set_custom_fields(&self, key: RecordKey<'_>, names: &[String]) -> Result<()> {
        let conn = self.conn();
        let Some(account) = self.account_id(&conn, key.account, false)? else {
            return Ok(());
        };
        conn.prepare_cached(
            "UPDATE journal SET custom_fields = ?4
             WHERE account = ?1 AND kind = ?2 AND external_id = ?3",
        )
        .and_then(|mut s| {
            s.execute(params![
                account,
                key.kind.as_str(),
                key.external_id,
                names_json(names)
            ])
        })
        .map_err(db)?;
        Ok(())
    }
}

/// Names as the JSON array the `custom_fields` column holds.
fn names_json(names: &[String]) -> String {
    serde_json::Value::from(names).to_string()
}

impl IdMap for SqliteState {
    fn get(
        &self,
        account: &Account,
        kind: RecordKind,
        external_id: &str,
    ) -> Result<Option<String>> {
        let conn = self.conn();
        let Some(account) = self.account_id(&conn, account, false)? else {
            return Ok(None);
        };
        let mut stmt = conn
            .prepare_cached(
                "SELECT provider_id FROM account_ids
                 WHERE account = ?1 AND kind = ?2 AND external_id = ?3",
            )
            .map_err(db)?;
        stmt.query_row(params![account, kind.as_str(), external_id], |r| r.get(0))
            .optional()
            .map_err(db)
    }

    fn put(
        &self,
        account: &Account,
        kind: RecordKind,
        external_id: &str,
        provider_id: &str,
    ) -> Result<()> {
        let conn = self.conn();
        let account = self.account_id(&conn, account, true)?.unwrap_or_default();
        let mut stmt = conn
            .prepare_cached(
                "INSERT OR REPLACE INTO account_ids (account, kind, external_id, provider_id)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(db)?;
        stmt.execute(params![account, kind.as_str(), external_id, provider_id])
            .map_err(db)?;
        Ok(())
    }
}
