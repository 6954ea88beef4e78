//! The real server for one test: its own SQLite database in a temporary directory, listening
//! on a free port of 127.0.0.1, stopped when the test drops it.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use serde_json::{Value, json};
use tokio::sync::oneshot;

pub struct Server {
    base: String,
    pub client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    // Kept for the life of the server: the database file lives in it.
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts a server on a fresh database holding the default catalog and no touchpoints.
    pub async fn start() -> Server {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let url = format!("sqlite://{}/t.db", dir.path().display());
        let store = touchpoints_store::open(&url)
            .await
            .expect("open the SQLite store");
        let state = touchpoints_server::AppState::new(store).expect("prepare the app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let address = listener
            .local_addr()
            .expect("local address of the listener");
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            touchpoints_server::serve(listener, state, async {
                rx.await.ok();
            })
            .await
            .expect("server runs");
        });
        // Redirects are not followed, so that tests can assert the 303 of a form post.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build the HTTP client");
        Server {
            base: format!("http://{address}"),
            client,
            shutdown: Some(tx),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path))
    }

    pub fn put(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.put(self.url(path))
    }

    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.delete(self.url(path))
    }

    /// Creates a touchpoint through the API and returns it; fails the test unless it is 201.
    pub async fn create(&self, input: &Value) -> Value {
        let response = self
            .post("/api/v1/touchpoints")
            .json(input)
            .send()
            .await
            .expect("send create request");
        let status = response.status();
        let body = response.text().await.expect("read create response");
        assert_eq!(status, 201, "creating {input} answered {body}");
        serde_json::from_str(&body).expect("create response is JSON")
    }

    /// Every stored touchpoint, through the API.
    pub async fn list(&self) -> Vec<Value> {
        self.get_json("/api/v1/touchpoints")
            .await
            .as_array()
            .expect("the list is an array")
            .clone()
    }

    pub async fn count(&self) -> usize {
        self.list().await.len()
    }

    /// GETs `path`, asserting 200 and returning the JSON body.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).send().await.expect("send GET");
        let status = response.status();
        let body = response.text().await.expect("read GET response");
        assert_eq!(status, 200, "GET {path} answered {body}");
        serde_json::from_str(&body).expect("GET response is JSON")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            tx.send(()).ok();
        }
    }
}

/// The smallest valid input: a name on the store channel, during the purchase.
pub fn input(name: &str) -> Value {
    json!({ "name": name, "channel": "store", "phase": "during-purchase" })
}

/// The names of a list of touchpoints, in order.
pub fn names(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|t| t["name"].as_str().expect("a name").to_owned())
        .collect()
}

/// `path?k=v&…` with keys and values percent-encoded as UTF-8.
pub fn with_query(path: &str, query: &[(&str, &str)]) -> String {
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    if query.is_empty() {
        return path.to_owned();
    }
    let pairs: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", pairs.join("&"))
}
