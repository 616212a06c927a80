//! One WebSocket to Slack: the URL check, TLS, the handshake, Slack's
//! `hello`, and the task that writes acknowledgements and pings.
//!
//! Reading and writing are split: the supervisor reads frames, and
//! everything written (acks from envelope handlers, pings, the closing
//! frame) goes through one channel to the writer task, so a handler never
//! waits on the socket and a cancelled read never cuts a write in half.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::SinkExt as _;
use futures_util::stream::{SplitStream, StreamExt as _};
use reqwest::Url;
use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_util::either::Either;

use super::frame::{self, DisconnectReason, Frame};

type Stream = Either<TcpStream, tokio_rustls::client::TlsStream<TcpStream>>;
pub(super) type Reader = SplitStream<WebSocketStream<Stream>>;

/// Slack's frames are small; a megabyte is far beyond any real one.
const MAX_FRAME: usize = 1024 * 1024;

/// How long a closing connection waits for its envelopes' acks: past
/// Slack's three seconds an ack is too late to matter.
const ACK_DRAIN: Duration = Duration::from_secs(3);

/// Something to write on the socket.
pub(super) enum Out {
    Ack {
        text: String,
        kind: &'static str,
        received: Instant,
    },
    Close,
}

/// A connection that has said hello.
pub(super) struct Link {
    /// For logs: which connection of this process.
    pub(super) id: u64,
    pub(super) reader: Reader,
    pub(super) out: mpsc::UnboundedSender<Out>,
    writer: tokio::task::JoinHandle<()>,
    pub(super) opened: Instant,
    /// Handlers of envelopes read here whose ack is not queued yet.
    pub(super) inflight: tokio_util::task::TaskTracker,
}

impl Link {
    /// Stops reading, lets the envelopes already read queue their acks,
    /// sends a close frame after them, and waits briefly for the writer.
    /// Envelopes Slack sends meanwhile go unacknowledged and are delivered
    /// again on another connection.
    pub(super) async fn close(self) {
        self.inflight.close();
        if tokio::time::timeout(ACK_DRAIN, self.inflight.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                connection = self.id,
                "closing with envelopes still unanswered"
            );
        }
        let _ = self.out.send(Out::Close);
        drop(self.reader);
        let mut writer = self.writer;
        if tokio::time::timeout(Duration::from_secs(2), &mut writer)
            .await
            .is_err()
        {
            writer.abort();
        }
    }
}

/// Why a connection could not be made.
#[derive(Debug, thiserror::Error)]
pub(super) enum ConnectError {
    /// Slack answered the new connection with `link_disabled`.
    #[error("Slack disabled the link")]
    Disabled,
    #[error("{0}")]
    Failed(String),
}

/// Which connection URLs may be used.
#[derive(Debug, Clone)]
pub(super) struct UrlPolicy {
    /// The host of `SLACK_API_URL` when it is plain `http://` (a local fake
    /// Slack): the only host a `ws://` URL may name.
    plain_host: Option<String>,
}

impl UrlPolicy {
    pub(super) fn for_api(api_base: &str) -> Self {
        let plain_host = Url::parse(api_base)
            .ok()
            .filter(|u| u.scheme() == "http")
            .and_then(|u| u.host_str().map(str::to_owned));
        Self { plain_host }
    }

    /// The URL, if it may be used: `wss://`, or `ws://` on the host of a
    /// plain-HTTP `SLACK_API_URL`. The connection URL is what authenticates
    /// Slack in Socket Mode, so it must not travel in the clear to anyone else.
    pub(super) fn check(&self, raw: &str) -> Result<Url, String> {
        let url = Url::parse(raw).map_err(|_| "the connection URL is not a URL".to_owned())?;
        if url.host_str().is_none() {
            return Err("the connection URL has no host".to_owned());
        }
        match url.scheme() {
            "wss" => Ok(url),
            "ws" if self.plain_host.as_deref() == url.host_str() => Ok(url),
            "ws" => Err(format!(
                "refused an unencrypted ws:// connection URL to {}: only wss:// is accepted, \
                 except from a local fake Slack named by an http:// SLACK_API_URL",
                url.host_str().unwrap_or("?")
            )),
            other => Err(format!("refused a connection URL with scheme {other}")),
        }
    }
}

/// The TLS client for `wss://`: rustls with ring and the Mozilla roots, the
/// stack reqwest and the PostgreSQL store use.
pub(super) fn tls() -> Result<TlsConnector, rustls::Error> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    // Named, not the process default, which a second provider elsewhere in
    // the tree would make ambiguous.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

/// Opens the WebSocket and waits for Slack's `hello`, all within `timeout`.
pub(super) async fn connect(
    id: u64,
    url: &Url,
    tls: &TlsConnector,
    timeout: Duration,
    ping_every: Duration,
) -> Result<Link, ConnectError> {
    let opened = Instant::now();
    let (ws, hello_at) = tokio::time::timeout(timeout, handshake(url, tls))
        .await
        .map_err(|_| ConnectError::Failed(format!("no hello within {timeout:?}")))??;
    let (sink, reader) = ws.split();
    let (out, rx) = mpsc::unbounded_channel();
    let writer = tokio::spawn(write_loop(id, sink, rx, ping_every));
    tracing::debug!(
        connection = id,
        took_ms = u64::try_from(hello_at.duration_since(opened).as_millis()).unwrap_or(u64::MAX),
        "Socket Mode connection open"
    );
    Ok(Link {
        id,
        reader,
        out,
        writer,
        opened,
        inflight: tokio_util::task::TaskTracker::new(),
    })
}

async fn handshake(
    url: &Url,
    tls: &TlsConnector,
) -> Result<(WebSocketStream<Stream>, Instant), ConnectError> {
    let failed =
        |what: &str, e: &dyn std::fmt::Display| ConnectError::Failed(format!("{what}: {e}"));
    // An IPv6 literal comes bracketed; connecting wants it bare.
    let host = url
        .host_str()
        .ok_or_else(|| ConnectError::Failed("no host".to_owned()))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| failed("cannot connect", &e))?;
    let _ = tcp.set_nodelay(true);
    let stream: Stream = if url.scheme() == "wss" {
        let name = ServerName::try_from(host.clone()).map_err(|e| failed("bad host name", &e))?;
        Either::Right(
            tls.connect(name, tcp)
                .await
                .map_err(|e| failed("TLS handshake failed", &e))?,
        )
    } else {
        Either::Left(tcp)
    };
    let mut config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default();
    config.max_message_size = Some(MAX_FRAME);
    config.max_frame_size = Some(MAX_FRAME);
    let (mut ws, _) =
        tokio_tungstenite::client_async_with_config(url.as_str(), stream, Some(config))
            .await
            .map_err(|e| failed("WebSocket handshake failed", &e))?;
    loop {
        let Some(msg) = ws.next().await else {
            return Err(ConnectError::Failed("closed before hello".to_owned()));
        };
        match msg.map_err(|e| failed("read failed before hello", &e))? {
            Message::Text(text) => {
                return match frame::parse(text.as_str()) {
                    Ok(Frame::Hello { .. }) => Ok((ws, Instant::now())),
                    Ok(Frame::Disconnect(DisconnectReason::LinkDisabled)) => {
                        Err(ConnectError::Disabled)
                    }
                    Ok(other) => Err(ConnectError::Failed(format!(
                        "expected hello first, got {other:?}"
                    ))),
                    Err(e) => Err(failed("unreadable first frame", &e)),
                };
            }
            Message::Close(_) => {
                return Err(ConnectError::Failed("closed before hello".to_owned()));
            }
            _ => {}
        }
    }
}

async fn write_loop(
    id: u64,
    mut sink: futures_util::stream::SplitSink<WebSocketStream<Stream>, Message>,
    mut rx: mpsc::UnboundedReceiver<Out>,
    ping_every: Duration,
) {
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + ping_every, ping_every);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            out = rx.recv() => match out {
                Some(Out::Ack { text, kind, received }) => {
                    if let Err(e) = sink.send(Message::text(text)).await {
                        tracing::warn!(connection = id, error = %e, "could not send an acknowledgement");
                        metrics::counter!("testscope_socket_ack_failures_total").increment(1);
                        return;
                    }
                    metrics::histogram!("testscope_socket_ack_seconds", "type" => kind)
                        .record(received.elapsed().as_secs_f64());
                }
                Some(Out::Close) | None => {
                    let bye = CloseFrame { code: CloseCode::Normal, reason: "".into() };
                    let _ = sink.send(Message::Close(Some(bye))).await;
                    let _ = sink.close().await;
                    return;
                }
            },
            _ = ping.tick() => {
                // A write that fails here shows up on the read side as a
                // closed or silent socket, which is where reconnects start.
                if sink.send(Message::Ping(Vec::new().into())).await.is_err() {
                    return;
                }
            }
        }
    }
}
