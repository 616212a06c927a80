//! The floor for the load benchmark: the cheapest possible axum handler on the
//! same runtime and HTTP stack as `testscope serve`. It answers every request
//! with one fixed body, rendered once at start-up from the same question the
//! benchmark asks, so both servers put the same bytes on the wire; the floor
//! just skips verifying, parsing and advising. `deploy/bench/load.sh` runs it
//! next to the real service so each is measured against the other in one run.
//!
//! Run with `cargo run --release --example floor -- 127.0.0.1:3101 "question"`.

use axum::Router;
use axum::body::Bytes;
use axum::routing::post;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3101".to_owned());
    let question = args.next().unwrap_or_default();
    let kb = testscope::KnowledgeBase::embedded().map_err(std::io::Error::other)?;
    let advice = testscope::advise(&kb, &question);
    let reply = testscope::render::advice_reply(&kb, &advice, &question);
    let body = Bytes::from(serde_json::to_vec(&reply).map_err(std::io::Error::other)?);
    let app = Router::new().route(
        "/slack/commands",
        post(move || {
            let body = body.clone();
            async move { ([("content-type", "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
