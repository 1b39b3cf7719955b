//! `billsync status`: the accounts a state file holds, with counts per kind and status.

use billsync_state::{AccountSummary, RecordStatus, SyncStore};

/// The table (or, with `json`, one JSON array) of what `store` holds.
pub fn render(accounts: &[AccountSummary], json: bool) -> String {
    if json {
        return serde_json::to_string_pretty(accounts).unwrap_or_default() + "\n";
    }
    if accounts.is_empty() {
        return "the state file holds no records yet\n".to_owned();
    }
    let mut out = format!(
        "{:<60} {:<9} {:>8} {:>8} {:>8} {:>16} {:>8}\n",
        "account", "kind", "done", "pending", "failed", "outcome_unknown", "ids"
    );
    for account in accounts {
        for counts in &account.kinds {
            let mut row = format!("{:<60} {:<9}", account.account, counts.kind);
            for status in RecordStatus::ALL {
                let width = if status == RecordStatus::OutcomeUnknown {
                    16
                } else {
                    8
                };
                row.push_str(&format!(" {:>width$}", counts.get(status)));
            }
            out.push_str(&format!("{row} {:>8}\n", counts.ids));
        }
    }
    if accounts.iter().any(|a| a.legacy) {
        out.push_str(
            "\n`legacy` rows were written by billsync 0.1, before accounts were kept apart: a sync \
             with --adopt-legacy-state attributes a provider's legacy rows to its account\n",
        );
    }
    out
}

/// Prints what `store` holds.
pub fn print(store: &dyn SyncStore, json: bool) -> Result<(), String> {
    let accounts = store.summary().map_err(|e| e.to_string())?;
    // A closed standard output (`| head`) ends the listing quietly.
    crate::stdout::say!("{}", render(&accounts, json).trim_end());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use billsync_state::KindCounts;

    #[test]
    fn one_line_per_account_and_kind() {
        let accounts = vec![AccountSummary {
            account: "acme https://p.example/api entrypoint=a".into(),
            provider: "acme".into(),
            legacy: false,
            kinds: vec![KindCounts {
                kind: "customer".into(),
                done: 3,
                pending: 1,
                failed: 2,
                outcome_unknown: 0,
                ids: 3,
            }],
        }];
        let table = render(&accounts, false);
        let line = table.lines().nth(1).unwrap();
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            cells,
            [
                "acme",
                "https://p.example/api",
                "entrypoint=a",
                "customer",
                "3",
                "1",
                "2",
                "0",
                "3"
            ]
        );
        let json: serde_json::Value = serde_json::from_str(&render(&accounts, true)).unwrap();
        assert_eq!(json[0]["kinds"][0]["failed"], 2);
    }
}
