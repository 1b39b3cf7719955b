//! A customer's custom fields: set one, ask for one to be removed, and remove those an earlier
//! sync sent that the record no longer lists.

use super::Customer;

impl Customer {
    /// Adds a custom field.
    pub fn with_custom_field(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.custom_fields.insert(key.into(), Some(value.into()));
        self
    }

    /// Asks the provider to remove a custom field (`"key": null` in JSON): needed where the
    /// provider merges custom fields, so a key the record no longer lists would stay.
    pub fn without_custom_field(mut self, key: impl Into<String>) -> Self {
        self.custom_fields.insert(key.into(), None);
        self
    }

    /// The custom fields that have a value (not the ones asked to be removed).
    pub fn custom_field_values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.custom_fields
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_deref()?)))
    }

    /// The names of the custom fields that have a value, in order: what a caller remembers
    /// after a sync, to pass to [`Customer::remove_unlisted_custom_fields`] next time.
    pub fn custom_field_names(&self) -> Vec<String> {
        self.custom_field_values()
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    /// Asks the provider to remove each custom field named in `sent_before` that this record
    /// does not list (adds it with a `None` value, as [`Customer::without_custom_field`] does),
    /// so that a field dropped from the record goes where the provider merges custom fields
    /// (Payabli). For a caller that remembers the names an earlier sync sent
    /// ([`Customer::custom_field_names`]); the billsync CLI keeps them in its state file. A name
    /// the record lists, with a value or `None`, is left as it is. Returns the names added.
    pub fn remove_unlisted_custom_fields<'a>(
        &mut self,
        sent_before: impl IntoIterator<Item = &'a str>,
    ) -> Vec<String> {
        let mut added = Vec::new();
        for name in sent_before {
            if !self.custom_fields.contains_key(name) {
                self.custom_fields.insert(name.to_owned(), None);
                added.push(name.to_owned());
            }
        }
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_sent_before_and_unlisted_now_are_removed() {
        let mut customer = Customer::new("c1")
            .with_custom_field("a", "1")
            .without_custom_field("gone");
        assert_eq!(customer.custom_field_names(), ["a"]);
        let added = customer.remove_unlisted_custom_fields(["a", "b", "gone", "b"]);
        assert_eq!(added, ["b"]);
        assert_eq!(customer.custom_fields["a"].as_deref(), Some("1"));
        assert_eq!(customer.custom_fields["b"], None);
        assert_eq!(customer.custom_fields["gone"], None);
        assert_eq!(customer.custom_fields.len(), 3);
        assert_eq!(
            customer.custom_field_names(),
            ["a"],
            "removed names are not sent"
        );
        let json = serde_json::to_value(&customer).unwrap();
        assert_eq!(
            json["custom_fields"],
            serde_json::json!({"a": "1", "b": null, "gone": null})
        );
    }
}
