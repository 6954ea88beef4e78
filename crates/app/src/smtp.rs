//! A session with the mail server, kept for a round of the outbox: one connection for many
//! mails.
//!
//! For a plain or STARTTLS connection the session opens the TCP connection itself, with
//! `TCP_NODELAY`: lettre 0.11.23 writes a mail's end (`.`) after its body in a write of its
//! own, which Nagle's algorithm holds until the server acknowledges the body, and a server's
//! delayed acknowledgement then costs 40 ms a mail (25 mails a second at most). lettre's own
//! transport opens its sockets with Nagle on and offers no way to change that; a TLS
//! connection from the first byte (port 465) still goes through it.

use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use touchpoints_core::mail::{MailSettings, Security};

/// Why a mail did not go, and whether trying again could help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub reason: String,
    /// The server refused the mail for good (a 5xx answer).
    pub permanent: bool,
}

impl Failure {
    fn passing(reason: String) -> Failure {
        Failure {
            reason,
            permanent: false,
        }
    }

    fn of(error: &lettre::transport::smtp::Error) -> Failure {
        Failure {
            reason: describe(error),
            permanent: error.is_permanent(),
        }
    }
}

enum Connection {
    /// Plain or STARTTLS, opened here with `TCP_NODELAY`.
    Direct(Box<AsyncSmtpConnection>),
    /// TLS from the first byte, through lettre's transport.
    Transport(AsyncSmtpTransport<Tokio1Executor>),
}

/// An open session with the mail server the settings name.
pub(crate) struct Session {
    connection: Connection,
    timeout: Duration,
}

impl Session {
    /// Connects (and for STARTTLS, secures) and logs in. A login needs the password from the
    /// environment; without one the session fails with a reason that says so.
    pub(crate) async fn open(
        settings: &MailSettings,
        password: Option<&str>,
        timeout: Duration,
    ) -> Result<Session, Failure> {
        let credentials = credentials(settings, password)?;
        let hello = ClientId::Domain(settings.domain().to_owned());
        let connection = match settings.security {
            Security::Tls => {
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)
                    .map_err(|e| Failure::of(&e))?
                    .port(settings.port)
                    .hello_name(hello)
                    .timeout(Some(timeout));
                if let Some(credentials) = credentials {
                    builder = builder.credentials(credentials);
                }
                Connection::Transport(builder.build())
            }
            Security::Starttls | Security::None => {
                let connect = async {
                    let tcp =
                        tokio::net::TcpStream::connect((settings.host.as_str(), settings.port))
                            .await
                            .map_err(|e| {
                                Failure::passing(format!(
                                    "cannot connect to {}:{}: {e}",
                                    settings.host, settings.port
                                ))
                            })?;
                    tcp.set_nodelay(true)
                        .map_err(|e| Failure::passing(e.to_string()))?;
                    let mut conn =
                        AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
                            .await
                            .map_err(|e| Failure::of(&e))?;
                    if settings.security == Security::Starttls {
                        let tls = TlsParameters::new(settings.host.clone())
                            .map_err(|e| Failure::of(&e))?;
                        conn.starttls(tls, &hello)
                            .await
                            .map_err(|e| Failure::of(&e))?;
                    }
                    if let Some(credentials) = &credentials {
                        conn.auth(DEFAULT_MECHANISMS, credentials)
                            .await
                            .map_err(|e| Failure::of(&e))?;
                    }
                    Ok(Connection::Direct(Box::new(conn)))
                };
                tokio::time::timeout(timeout, connect)
                    .await
                    .map_err(|_| timed_out(settings, timeout))??
            }
        };
        Ok(Session {
            connection,
            timeout,
        })
    }

    /// Sends one mail. After a failure the session is spent: open another for the next mail.
    pub(crate) async fn send(&mut self, message: Message) -> Result<(), Failure> {
        match &mut self.connection {
            Connection::Transport(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| Failure::of(&e)),
            Connection::Direct(conn) => {
                let bytes = message.formatted();
                let sent = conn.send(message.envelope(), &bytes);
                match tokio::time::timeout(self.timeout, sent).await {
                    Ok(Ok(_)) => Ok(()),
                    Ok(Err(e)) => Err(Failure::of(&e)),
                    Err(_) => Err(Failure::passing(format!(
                        "the mail server did not answer within {} s",
                        self.timeout.as_secs()
                    ))),
                }
            }
        }
    }

    /// Ends the session politely (`QUIT`), as far as the server still listens.
    pub(crate) async fn close(self) {
        if let Connection::Direct(mut conn) = self.connection {
            let _ = tokio::time::timeout(self.timeout, conn.quit()).await;
        }
    }
}

fn timed_out(settings: &MailSettings, timeout: Duration) -> Failure {
    Failure::passing(format!(
        "the mail server {}:{} did not answer within {} s",
        settings.host,
        settings.port,
        timeout.as_secs()
    ))
}

fn credentials(
    settings: &MailSettings,
    password: Option<&str>,
) -> Result<Option<Credentials>, Failure> {
    if settings.username.is_empty() {
        return Ok(None);
    }
    let Some(password) = password.filter(|p| !p.is_empty()) else {
        return Err(Failure::passing(format!(
            "the mail server wants a login as \"{}\", but the server was started without \
             TOUCHPOINTS_SMTP_PASSWORD",
            settings.username
        )));
    };
    Ok(Some(Credentials::new(
        settings.username.clone(),
        password.to_owned(),
    )))
}

/// The error in words, with its causes: lettre's own message alone ("Connection error")
/// rarely says what to fix.
pub(crate) fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = e.source();
    }
    text
}
