//! The floor for the load benchmark: the cheapest possible axum handler on the
//! same runtime and HTTP stack as `testscope serve`, returning a fixed body
//! without verifying or advising. `deploy/bench/load.sh` runs it next to the
//! real service so each is measured against the other in one run.
//!
//! Run with `cargo run --release --example floor -- 127.0.0.1:3101`.

use axum::Router;
use axum::routing::post;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3101".to_owned());
    let app = Router::new().route(
        "/slack/commands",
        post(|| async { ([("content-type", "application/json")], "{\"text\":\"ok\"}") }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
