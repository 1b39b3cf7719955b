//! Sending prepared requests: timeouts, retries, tracing.

use std::fmt;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::deadline::Deadline;
use crate::exchange::{Answer, exchange};
use crate::response::ParsedBody;
use crate::retry::{RetryAfterParser, standard_retry_after};
use crate::send_failure::SendFailure;
use crate::span::in_span;
use crate::{
    Error, PreparedRequest, ProviderErrors, RateGate, RateLimit, RawResponse, Result, RetryConfig,
    RetrySafety,
};

/// HTTP settings every provider client accepts: bring your own `reqwest::Client`, timeouts and
/// the retry policy.
#[derive(Clone)]
pub struct HttpSettings {
    /// A client of the caller's own (proxies, TLS roots, connection pool); `None` builds one with
    /// rustls and the timeouts below.
    pub client: Option<reqwest::Client>,
    /// Timeout of one attempt, from sending to the last byte of the answer. An attempt is
    /// abandoned within about 10 ms after it passes: one watchdog thread per process keeps the
    /// deadlines of every attempt under way, which costs less per request than a runtime
    /// timer each.
    pub timeout: Duration,
    /// Timeout of establishing a connection (used only when billsync builds the client).
    pub connect_timeout: Duration,
    /// Retry policy.
    pub retry: RetryConfig,
    /// `User-Agent` sent (used only when billsync builds the client).
    pub user_agent: String,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            client: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryConfig::default(),
            user_agent: format!("billsync/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl fmt::Debug for HttpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSettings")
            .field("custom_client", &self.client.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// Sends [`PreparedRequest`]s with timeouts and retries, and traces each attempt.
///
/// It returns the provider's final answer whatever its status, with the attempts it took: the
/// provider crate turns an error answer into an [`Error`] with
/// [`ProviderErrors::classify`](crate::ProviderErrors::classify), as only it knows the
/// provider's error body.
#[derive(Clone)]
pub struct HttpClient {
    client: reqwest::Client,
    provider: &'static str,
    timeout: Duration,
    retry: RetryConfig,
    retry_after: RetryAfterParser,
    // Shared by every clone: one budget per client (one account).
    gate: Arc<RateGate>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("provider", &self.provider)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.gate.limit())
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A client for `provider` with `settings`; the provider's retry-after signal defaults to the
    /// standard `Retry-After` header.
    pub fn new(provider: &'static str, settings: &HttpSettings) -> Result<Self> {
        let client = match &settings.client {
            Some(c) => c.clone(),
            None => reqwest::Client::builder()
                .use_rustls_tls()
                .connect_timeout(settings.connect_timeout)
                .user_agent(settings.user_agent.clone())
                .build()
                .map_err(|e| {
                    Error::config("the HTTP client could not be built")
                        .with_provider(provider)
                        .with_source(e)
                })?,
        };
        Ok(HttpClient {
            client,
            provider,
            timeout: settings.timeout,
            retry: settings.retry.clone(),
            retry_after: standard_retry_after,
            gate: Arc::new(RateGate::new(None)),
        })
    }

    /// A client for the provider whose error format `B` describes: its name and its
    /// retry-after signal ([`ProviderErrors::retry_after`]), so that the retry loop waits as
    /// long as the provider's errors say.
    pub fn for_provider<B: ProviderErrors>(settings: &HttpSettings) -> Result<Self> {
        Ok(HttpClient::new(B::PROVIDER, settings)?.with_retry_after_parser(B::retry_after))
    }

    /// Limits every request of this client and its clones to `limit` (none: unlimited, but a
    /// provider's 429 with a retry-after signal still pauses them all). Provider clients set
    /// the provider's documented limit by default.
    pub fn with_rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.gate = Arc::new(RateGate::new(limit));
        self
    }

    /// The limit in force, if any.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.gate.limit()
    }

    /// Uses the provider's own way of saying how long to wait (e.g. an epoch timestamp header).
    pub fn with_retry_after_parser(mut self, parser: RetryAfterParser) -> Self {
        self.retry_after = parser;
        self
    }

    /// How long the provider asked to wait, read from an answer's headers.
    pub fn retry_after(&self, headers: &HeaderMap) -> Option<Duration> {
        (self.retry_after)(headers)
    }

    /// The provider's name.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// Sends `req`, retrying as its [`RetrySafety`] and the retry policy allow, and returns the
    /// last answer. A success status with a body that is not JSON (an intermediary's HTML page)
    /// is retried like a 5xx when the request is [`RetrySafety::Idempotent`]. Errors only when
    /// no answer was had: [`ErrorKind::Transport`](crate::ErrorKind::Transport) when the request
    /// never reached the provider, [`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown)
    /// when it may have.
    ///
    /// A caller that parses the success body should use [`HttpClient::send_json`] instead: the
    /// check that the body is JSON is then the caller's own parse, and the body is read once.
    pub async fn send(&self, req: &PreparedRequest) -> Result<RawResponse> {
        let (resp, _) = self.send_reading(req, ignore_body).await?;
        Ok(resp)
    }

    /// [`HttpClient::send`], parsing a success answer's body into `T` in the same pass that
    /// tells JSON from a proxy's page: the answer, and what its body parsed into when its status
    /// is a success ([`RawResponse::parsed_json`] and [`RawResponse::parsed_object`] take it).
    pub async fn send_json<T: DeserializeOwned + Send>(
        &self,
        req: &PreparedRequest,
    ) -> Result<(RawResponse, ParsedBody<T>)> {
        self.send_reading(req, |body| serde_json::from_slice(body))
            .await
    }

    /// [`HttpClient::send_json`] with a reader of the provider's own (e.g. one that keeps only
    /// what it needs of a body it borrows from). A body the reader fails on counts as not JSON
    /// only when it is not JSON at all.
    pub async fn send_reading<T: Send>(
        &self,
        req: &PreparedRequest,
        read: BodyReader<T>,
    ) -> Result<(RawResponse, ParsedBody<T>)> {
        let mut parsed: ParsedBody<T> = None;
        let resp = self
            .retrying(req, &mut |body| {
                let result = read(body);
                let ok = result.is_ok();
                parsed = Some(result);
                ok
            })
            .await?;
        // Only a success answer is read: a read of an earlier attempt is not this answer's.
        let parsed = if resp.status.is_success() {
            parsed
        } else {
            None
        };
        Ok((resp, parsed))
    }

    /// The attempts of one request, with its retries: the loop behind every send. Not generic
    /// over what the answer is read into, so that one copy of it serves every request of every
    /// provider (a path whose requests read different answers runs the same code, not one copy
    /// per answer type). `read` is handed each success body and says whether it read it.
    async fn retrying(
        &self,
        req: &PreparedRequest,
        read: &mut (dyn FnMut(&[u8]) -> bool + Send),
    ) -> Result<RawResponse> {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "billsync.attempt",
                provider = self.provider,
                operation = req.operation,
                attempt,
                status = tracing::field::Empty,
            );
            self.gate.ready(&req.method).await;
            // One attempt, from sending to the last byte of the answer, within the attempt
            // timeout, kept by the watchdog thread (see `deadline`: a runtime timer per attempt
            // costs more). Awaited here rather than through an `async fn` of its own, whose
            // future every await would copy once more.
            let result = {
                let mut deadline = Deadline::after(self.timeout);
                let mut exchange = std::pin::pin!(exchange(&self.client, req));
                let once = std::future::poll_fn(|cx| match exchange.as_mut().poll(cx) {
                    Poll::Pending if deadline.passed(cx) => {
                        Poll::Ready(Err(SendFailure::timed_out(self.timeout)))
                    }
                    polled => polled,
                });
                in_span(span.clone(), once).await
            };
            let delay = match &result {
                Ok(answer) => {
                    if !span.is_disabled() {
                        span.record("status", answer.status.as_u16());
                    }
                    // Only a body the reader refused is looked at again.
                    let refused = answer.status.is_success() && !read(&answer.body);
                    let not_json = refused && !is_json(&answer.body);
                    if not_json {
                        tracing::debug!(parent: &span, "the answer is not JSON");
                    }
                    self.delay_after(req, answer, not_json, attempt)
                }
                Err(failure) => {
                    let safe = failure.never_sent || req.retry == RetrySafety::Idempotent;
                    let may_retry = attempt <= self.retry.max_retries && safe;
                    may_retry.then(|| self.retry.backoff(attempt))
                }
            };
            match delay {
                Some(delay) if started.elapsed() + delay <= self.retry.retry_timeout => {
                    tracing::debug!(parent: &span, ?delay, "retrying");
                    drop(result);
                    tokio::time::sleep(delay).await;
                }
                _ => {
                    return match result {
                        Ok(answer) => Ok(answer.into_response(attempt)),
                        Err(failure) => Err(failure.into_error(self.provider, req.retry, attempt)),
                    };
                }
            }
        }
    }

    /// How long to wait before retrying after `answer`, or `None` when it is final. A 429 with
    /// a retry-after signal also pauses every task of the client.
    fn delay_after(
        &self,
        req: &PreparedRequest,
        answer: &Answer,
        not_json: bool,
        attempt: u32,
    ) -> Option<Duration> {
        if answer.status == StatusCode::TOO_MANY_REQUESTS
            && let Some(wait) = self.retry_after(&answer.headers)
        {
            // The provider's budget is the account's: hold back every task of it.
            self.gate.pause_for(wait.min(self.retry.max_retry_wait));
        }
        let retryable = self.retryable_status(answer.status, req.retry)
            || (not_json && req.retry == RetrySafety::Idempotent);
        if attempt > self.retry.max_retries || !retryable {
            return None;
        }
        match self.retry_after(&answer.headers) {
            Some(wait) if wait > self.retry.max_retry_wait => None,
            Some(wait) => Some(wait),
            None => Some(self.retry.backoff(attempt)),
        }
    }

    fn retryable_status(&self, status: StatusCode, safety: RetrySafety) -> bool {
        match safety {
            RetrySafety::Idempotent => {
                status == StatusCode::REQUEST_TIMEOUT
                    || status == StatusCode::TOO_MANY_REQUESTS
                    || status.is_server_error()
            }
            // 429 is the provider saying it did not process the request.
            RetrySafety::NotAfterSend => status == StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

/// Reads a success body into what the provider needs of it, in the one pass that also tells a
/// JSON answer from a proxy's page (see [`HttpClient::send_reading`]).
pub type BodyReader<T> = fn(&[u8]) -> serde_json::Result<T>;

/// The reader of [`HttpClient::send`]: the body is only checked to be JSON.
fn ignore_body(body: &[u8]) -> serde_json::Result<IgnoredAny> {
    serde_json::from_slice(body)
}

/// Whether a success body is JSON, for one the provider's reader refused: a proxy's or load
/// balancer's page (HTML, plain text, a cut-off body) standing in for the provider's answer is
/// not. Every provider answers JSON, so such a page is retried like a 5xx when the request is
/// safe to repeat. An empty body counts as JSON (a 204, or a provider saying nothing more).
fn is_json(body: &[u8]) -> bool {
    body.iter().all(u8::is_ascii_whitespace) || serde_json::from_slice::<IgnoredAny>(body).is_ok()
}
