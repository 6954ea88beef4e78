//! Secrets: random tokens for sessions, login links, API tokens and CSRF, kept in the store
//! only as SHA-256 digests; and passwords, kept only as argon2id hashes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::{AppError, Result};

/// A new random secret: 32 bytes from the operating system, as 64 hex digits.
pub fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(format!("no randomness from the system: {e}")))?;
    Ok(hex(&bytes))
}

/// The digest under which a secret is stored and looked up. Secrets are long and random, so
/// a fast hash is enough: nobody can guess their way back from it.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// A keyed digest (HMAC-SHA-256) of `parts`, each length-prefixed so that no two lists of
/// parts give the same message: for values that are few or guessable (names, addresses),
/// which a plain digest would give away to anyone who hashes the candidates.
pub fn keyed_digest(key: &str, parts: &[&str]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of every length");
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The CSRF token of a session: derived from the session's secret, so a form's token is
/// worth nothing outside the session that rendered it, and a token planted before a login is
/// worth nothing after it. Neither the session's secret nor its stored digest can be read
/// back from it.
pub fn csrf_token_of_session(session: &str) -> String {
    digest(&format!("csrf\u{0}{session}"))
}

/// Whether `text` has the form of a secret made by [`new_secret`]: 64 lowercase hex digits.
pub fn is_secret(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (digest(a), digest(b));
    a.bytes()
        .zip(b.bytes())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// A new API token: `tp_` and a secret, so that scanners of leaked credentials recognise it.
/// Tokens are stored as the digest of the whole value, prefix included.
pub fn new_api_token() -> Result<String> {
    Ok(format!("tp_{}", new_secret()?))
}

/// Hashes a password with argon2id and a random salt, off the async threads: it takes tens of
/// milliseconds on purpose.
pub async fn hash_password(password: String) -> Result<String> {
    let cannot =
        |e: &dyn std::fmt::Display| AppError::Internal(format!("cannot hash the password: {e}"));
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| cannot(&e))
    })
    .await
    .map_err(|e| cannot(&e))?
}

/// Checks a password against a stored hash. An empty or unreadable hash matches nothing (an
/// account that logs in by link only).
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        !hash.is_empty()
            && Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A hash of no real password, checked when a login names an unknown user, so that the
/// answer takes as long as for a known one and does not reveal which names exist.
pub async fn burn_time(password: String) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = match DUMMY.get() {
        Some(hash) => hash.clone(),
        None => match hash_password("not a password of anyone".into()).await {
            Ok(hash) => DUMMY.get_or_init(|| hash).clone(),
            Err(_) => return,
        },
    };
    verify_password(password, dummy).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_distinct() {
        let a = new_secret().expect("random");
        let b = new_secret().expect("random");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
    }

    #[test]
    fn keyed_digests_are_hmacs_of_length_prefixed_parts() {
        // Python: hmac.new(b"k", pack(">Q", 5) + b"login" + pack(">Q", 4) + b"anna", sha256)
        assert_eq!(
            keyed_digest("k", &["login", "anna"]),
            "cf43a1ec8bf8cdf2836725a645bed8939d6dfff8f73fa4d7401ce8e1708d132f"
        );
        assert_ne!(
            keyed_digest("k", &["ab", "c"]),
            keyed_digest("k", &["a", "bc"])
        );
        assert_ne!(keyed_digest("k", &["a"]), keyed_digest("l", &["a"]));
    }

    #[test]
    fn csrf_tokens_belong_to_one_session() {
        let a = new_secret().expect("random");
        let b = new_secret().expect("random");
        let token = csrf_token_of_session(&a);
        assert!(is_secret(&token));
        assert_eq!(token, csrf_token_of_session(&a));
        assert_ne!(token, csrf_token_of_session(&b));
        assert_ne!(token, digest(&a), "not the session's stored digest");
        assert!(!is_secret(""));
        assert!(!is_secret(&"G".repeat(64)));
    }

    #[tokio::test]
    async fn passwords_verify_only_against_their_hash() {
        let hash = hash_password("pferd batterie heftklammer".into())
            .await
            .expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("pferd batterie heftklammer".into(), hash.clone()).await);
        assert!(!verify_password("Pferd batterie heftklammer".into(), hash).await);
        assert!(!verify_password("".into(), String::new()).await);
        assert!(!verify_password("x".into(), "kein hash".into()).await);
    }
}
