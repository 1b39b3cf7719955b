//! The `SyncStore` implementation of the SQLite store: summaries, legacy rows, locks.

use std::collections::BTreeMap;

use billsync_core::{Account, Result};
use rusqlite::{Connection, params};

use super::journal::Change;
use super::{SqliteState, db};
use crate::fingerprint::DigestKey;
use crate::lock::{self, AccountLock};
use crate::store::{
    AccountSummary, JournalEntry, KindCounts, Landed, RecordKey, RecordStatus, SyncStore,
};

/// Whether the file has the tables of a state file from before accounts were tracked.
fn has_legacy(conn: &Connection) -> Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('ids', 'records')",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n == 2)
    .map_err(db)
}

/// Adds `(group, kind, status-or-ids, n)` rows of a query to `out`.
fn collect(
    conn: &Connection,
    sql: &str,
    out: &mut BTreeMap<(String, String, bool), BTreeMap<String, KindCounts>>,
    legacy: bool,
) -> Result<()> {
    let mut stmt = conn.prepare(sql).map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .map_err(db)?;
    for row in rows {
        let (account, provider, kind, status, n) = row.map_err(db)?;
        let kinds = out.entry((account, provider, legacy)).or_default();
        let counts = kinds.entry(kind.clone()).or_insert_with(|| KindCounts {
            kind,
            ..KindCounts::default()
        });
        let n = u64::try_from(n).unwrap_or(0);
        match status.as_deref().map(RecordStatus::parse) {
            None => counts.ids += n,
            Some(Some(status)) => counts.add(status, n),
            Some(None) => counts.add(RecordStatus::Pending, n),
        }
    }
    Ok(())
}

impl SyncStore for SqliteState {
    fn digest_key(&self) -> &DigestKey {
        self.key()
    }

    fn entry(&self, key: RecordKey<'_>) -> Result<Option<JournalEntry>> {
        self.read_entry(key)
    }

    fn mark_pending(&self, key: RecordKey<'_>, fingerprint: &str) -> Result<()> {
        let change = Change {
            fingerprint,
            status: RecordStatus::Pending,
            outcome: None,
            provider_id: None,
            error: None,
            sent: None,
            custom_fields: None,
        };
        self.write_entry(key, change)
    }

    fn mark_done(&self, key: RecordKey<'_>, landed: Landed<'_>) -> Result<()> {
        self.landed(key, landed)
    }

    fn remember_custom_fields(&self, key: RecordKey<'_>, names: &[String]) -> Result<()> {
        self.set_custom_fields(key, names)
    }

    fn mark_failed(&self, key: RecordKey<'_>, fingerprint: &str, reason: &str) -> Result<()> {
        let change = Change {
            fingerprint,
            status: RecordStatus::Failed,
            outcome: None,
            provider_id: None,
            error: Some(reason),
            sent: None,
            custom_fields: None,
        };
        self.write_entry(key, change)
    }

    fn mark_outcome_unknown(
        &self,
        key: RecordKey<'_>,
        fingerprint: &str,
        reason: &str,
    ) -> Result<()> {
        let change = Change {
            fingerprint,
            status: RecordStatus::OutcomeUnknown,
            outcome: None,
            provider_id: None,
            error: Some(reason),
            sent: None,
            custom_fields: None,
        };
        self.write_entry(key, change)
    }

    fn lock(&self, account: &Account, wait: bool) -> Result<AccountLock> {
        lock::acquire(self.path(), account, wait)
    }

    fn summary(&self) -> Result<Vec<AccountSummary>> {
        let conn = self.conn();
        let mut groups = BTreeMap::new();
        collect(
            &conn,
            "SELECT a.key, a.provider, j.kind, j.status, count(*) FROM journal j
             JOIN accounts a ON a.id = j.account GROUP BY 1, 2, 3, 4",
            &mut groups,
            false,
        )?;
        collect(
            &conn,
            "SELECT a.key, a.provider, i.kind, NULL, count(*) FROM account_ids i
             JOIN accounts a ON a.id = i.account GROUP BY 1, 2, 3",
            &mut groups,
            false,
        )?;
        if has_legacy(&conn)? {
            collect(
                &conn,
                "SELECT 'legacy ' || provider, provider, kind, status, count(*) FROM records
                 GROUP BY 1, 2, 3, 4",
                &mut groups,
                true,
            )?;
            collect(
                &conn,
                "SELECT 'legacy ' || provider, provider, kind, NULL, count(*) FROM ids
                 GROUP BY 1, 2, 3",
                &mut groups,
                true,
            )?;
        }
        Ok(groups
            .into_iter()
            .map(|((account, provider, legacy), kinds)| AccountSummary {
                account,
                provider,
                legacy,
                kinds: kinds.into_values().collect(),
            })
            .collect())
    }

    fn legacy_rows(&self, provider: &str) -> Result<u64> {
        let conn = self.conn();
        if !has_legacy(&conn)? {
            return Ok(0);
        }
        conn.query_row(
            "SELECT (SELECT count(*) FROM records WHERE provider = ?1)
                  + (SELECT count(*) FROM ids WHERE provider = ?1)",
            [provider],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(db)
    }

    fn adopt_legacy(&self, account: &Account) -> Result<u64> {
        let mut conn = self.conn();
        if !has_legacy(&conn)? {
            return Ok(0);
        }
        let id = self.account_id(&conn, account, true)?.unwrap_or_default();
        let tx = conn.transaction().map_err(db)?;
        let provider = account.provider();
        let ids = tx
            .execute(
                "INSERT OR IGNORE INTO account_ids (account, kind, external_id, provider_id)
                 SELECT ?1, kind, external_id, provider_id FROM ids WHERE provider = ?2",
                params![id, provider],
            )
            .map_err(db)?;
        // Old hashes were taken over the canonical record, not what was sent: they can never
        // match a fingerprint, so every adopted record is sent once more, as an update where
        // its provider id is known. Statuses carry over (a pending row stays "may have landed").
        let rows = tx
            .execute(
                "INSERT OR IGNORE INTO journal (account, kind, external_id, fingerprint, status,
                                                outcome, provider_id, error, sent, updated_at)
                 SELECT ?1, kind, external_id, 'legacy:' || hash, status, outcome, provider_id,
                        error, NULL, updated_at
                 FROM records WHERE provider = ?2",
                params![id, provider],
            )
            .map_err(db)?;
        tx.execute("DELETE FROM ids WHERE provider = ?1", [provider])
            .map_err(db)?;
        tx.execute("DELETE FROM records WHERE provider = ?1", [provider])
            .map_err(db)?;
        tx.commit().map_err(db)?;
        Ok((ids + rows) as u64)
    }
}
