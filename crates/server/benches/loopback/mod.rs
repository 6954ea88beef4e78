//! The real server, started in this process on a free loopback port, as the benchmarks
//! call it over HTTP.

use std::sync::Arc;

use touchpoints_server::{AppState, Settings};
use touchpoints_store::Store;

/// A server serving until [`Loopback::stop`], or until dropped.
pub struct Loopback {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Loopback {
    pub async fn start(store: Arc<dyn Store>, settings: Settings) -> Loopback {
        let state = AppState::new(store, settings).expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(touchpoints_server::serve(listener, state, async {
            stopped.await.ok();
        }));
        Loopback { base, stop, task }
    }

    /// Stops the server and waits until it finished the requests in flight.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
