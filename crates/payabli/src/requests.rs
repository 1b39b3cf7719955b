//! Building Payabli's requests as data: the URLs and headers every request of a client shares
//! are built once; each request clones the URL it extends and holds a reference to the headers.

use std::sync::Arc;

use billsync_core::provider_kit::{secret_header_value, url_with_segments};
use billsync_core::reqwest::Method;
use billsync_core::reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use billsync_core::url::Url;
use billsync_core::{Error, IdempotencyKey, PreparedRequest, Result, RetrySafety};

use crate::PROVIDER;
use crate::client::{IDEMPOTENCY_HEADER, PayabliClient, TOKEN_HEADER};
use crate::config::PayabliConfig;
use crate::wire::PayabliCustomerData;

/// Body fields that are secrets (redacted when a request is rendered).
const SECRET_FIELDS: &[&str] = &["/customerPsw"];

/// Built once per client: the create and query URLs (with the configured query options), the
/// base of the update URL, and the headers of each kind of request (the token marked
/// sensitive), shared by the requests.
pub(crate) struct Shared {
    create: Url,
    pub(crate) query: Url,
    /// The query URL with a placeholder query of 64 bytes, cleared by each lookup: its clone
    /// has room for the lookup's own query (a clone of `query` has none, and would grow).
    lookup: Url,
    /// `/Customer`: an update appends the customer id as one segment.
    customer: Url,
    /// The token: a lookup's and a listing's headers.
    read_headers: Arc<HeaderMap>,
    /// The token and the JSON content type: an update's headers.
    write_headers: Arc<HeaderMap>,
    /// An update's headers and a placeholder idempotency key, which each create's own key
    /// replaces when it is sent (in place: the map sent does not grow).
    create_headers: Arc<HeaderMap>,
    idempotency_name: HeaderName,
}

impl Shared {
    /// The URLs and headers of `config`'s entrypoint.
    pub(crate) fn new(config: &PayabliConfig) -> Result<Shared> {
        let p = |e: Error| e.with_provider(PROVIDER);
        let mut create = url_with_segments(
            &config.base_url,
            &["Customer", "single", &config.entrypoint],
        )
        .map_err(p)?;
        create
            .query_pairs_mut()
            .append_pair(
                "forceCustomerCreation",
                &config.force_customer_creation.to_string(),
            )
            .append_pair(
                "replaceExisting",
                if config.replace_existing { "1" } else { "0" },
            );
        let query = url_with_segments(
            &config.base_url,
            &["Query", "customers", &config.entrypoint],
        )
        .map_err(p)?;
        let mut lookup = query.clone();
        lookup.set_query(Some(&"x".repeat(64)));
        let customer = url_with_segments(&config.base_url, &["Customer"]).map_err(p)?;
        let token = secret_header_value(TOKEN_HEADER, "", &config.token).map_err(p)?;
        let mut read_headers = HeaderMap::new();
        read_headers.append(HeaderName::from_static(TOKEN_HEADER), token);
        let mut write_headers = read_headers.clone();
        write_headers.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let idempotency_name = HeaderName::from_static(IDEMPOTENCY_HEADER);
        let mut create_headers = write_headers.clone();
        create_headers.append(
            idempotency_name.clone(),
            HeaderValue::from_static("placeholder"),
        );
        Ok(Shared {
            create,
            query,
            lookup,
            customer,
            read_headers: Arc::new(read_headers),
            write_headers: Arc::new(write_headers),
            create_headers: Arc::new(create_headers),
            idempotency_name,
        })
    }
}

impl PayabliClient {
    /// A request with the token and no body.
    pub(crate) fn request(
        &self,
        method: Method,
        url: Url,
        operation: &'static str,
    ) -> PreparedRequest {
        PreparedRequest::new(method, url, operation, RetrySafety::Idempotent)
            .with_shared_headers(Arc::clone(&self.shared.read_headers))
    }

    /// `POST /Customer/single/{entry}` with the idempotency key: Payabli de-duplicates a repeat
    /// of the same key, so retries are safe.
    pub fn create_request(
        &self,
        data: &PayabliCustomerData<'_>,
        key: &IdempotencyKey,
    ) -> Result<PreparedRequest> {
        let value = HeaderValue::from_str(key.as_str()).map_err(|_| {
            Error::config(format!(
                "the value of header `{IDEMPOTENCY_HEADER}` is not valid"
            ))
        })?;
        self.create_with_key(data, value)
    }

    /// [`PayabliClient::create_request`] with the key already a header value.
    pub(crate) fn create_with_key(
        &self,
        data: &PayabliCustomerData<'_>,
        key: HeaderValue,
    ) -> Result<PreparedRequest> {
        let url = self.shared.create.clone();
        let req = self.write(
            Method::POST,
            url,
            "customer.create",
            &self.shared.create_headers,
            data,
        )?;
        Ok(req.with_header_value(self.shared.idempotency_name.clone(), key))
    }

    /// A write with `headers` (the token, the JSON content type) and `body`, whose secret
    /// fields are redacted when rendered; every write is safe to repeat (see each).
    fn write<T: serde::Serialize>(
        &self,
        method: Method,
        url: Url,
        operation: &'static str,
        headers: &Arc<HeaderMap>,
        body: &T,
    ) -> Result<PreparedRequest> {
        let headers = Arc::clone(headers);
        let retry = RetrySafety::Idempotent;
        let mut req = PreparedRequest::json(method, url, operation, retry, headers, body)?;
        req.secret_body_fields = SECRET_FIELDS;
        Ok(req)
    }

    /// `POST /Customer/single/{entry}` with a fresh random idempotency key.
    pub(crate) fn create_with_random_key(
        &self,
        data: &PayabliCustomerData<'_>,
    ) -> Result<PreparedRequest> {
        let key = IdempotencyKey::random().into_header_value()?;
        self.create_with_key(data, key)
    }

    /// `PUT /Customer/{customerId}`, with `null` for every field the record does not have
    /// (`PayabliCustomerData::for_update`).
    pub fn update_request(
        &self,
        customer_id: &str,
        data: &PayabliCustomerData<'_>,
    ) -> Result<PreparedRequest> {
        let url = url_with_segments(&self.shared.customer, &[customer_id])
            .map_err(|e| e.with_provider(PROVIDER))?;
        let headers = &self.shared.write_headers;
        self.write(
            Method::PUT,
            url,
            "customer.update",
            headers,
            &data.for_update(),
        )
    }

    /// `GET /Query/customers/{entry}?customernumber(eq)=<external id>`.
    pub fn lookup_request(&self, external_id: &str) -> PreparedRequest {
        let mut url = self.shared.lookup.clone();
        url.query_pairs_mut()
            .clear()
            .append_pair("customernumber(eq)", external_id)
            .append_pair("limitRecord", "5");
        self.request(Method::GET, url, "customer.lookup")
    }
}
