//! Who may do what: staff roles, API token scopes, and the rules for user names and
//! passwords.

use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems, check_text};

/// A staff member's role. Each role may do everything the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Reads everything, changes nothing: management, auditors.
    Viewer,
    /// Works customer requests; reads the inventory.
    Agent,
    /// Owns the inventory, catalog, analysis and plan: the CX manager.
    Manager,
    /// Manages staff accounts, API tokens, the audit log and data-protection requests.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Agent, Role::Manager, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Agent => "agent",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// What an API token may do. A token acts with the least role its scope needs, never with
/// the role of the admin who created it, so a leaked read token cannot change anything; a
/// metrics token acts with no role at all and reads only `/metrics`, so that a monitoring
/// system can scrape from another host without seeing any data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scope {
    Read,
    Write,
    Metrics,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Read, Scope::Write, Scope::Metrics];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
            Scope::Metrics => "metrics",
        }
    }

    pub fn parse(value: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// The role a token of this scope acts with; none for a metrics token.
    pub fn role(self) -> Option<Role> {
        match self {
            Scope::Read => Some(Role::Viewer),
            Scope::Write => Some(Role::Manager),
            Scope::Metrics => None,
        }
    }
}

pub const USERNAME_MAX: usize = 64;
pub const PASSWORD_MIN: usize = 12;
/// Argon2 takes any length; the cap keeps one login from costing much.
pub const PASSWORD_MAX: usize = 256;

/// Checks a user name: 2 to 64 characters of lower-case letters, digits, `.`, `_`, `-` and
/// `@`, so that an e-mail address works as one. Returns it trimmed and lower-cased, as names
/// are compared without case.
pub fn check_username(problems: &mut Problems, field: &str, name: &str) -> String {
    let name = name.trim().to_lowercase();
    if name.is_empty() {
        problems.push(field, Problem::Required);
    } else if name.chars().count() > USERNAME_MAX {
        problems.push(field, Problem::TooLong { max: USERNAME_MAX });
    } else if name.chars().count() < 2
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        problems.push(
            field,
            Problem::rule(
                "username-characters",
                "use 2 or more letters, digits, '.', '_', '-' or '@'",
            ),
        );
    }
    name
}

/// Checks a new password: long enough to resist guessing (NIST SP 800-63B asks for at least
/// 8; we ask for 12 and impose no composition rules), not absurdly long, and not the user
/// name.
pub fn check_password(problems: &mut Problems, field: &str, password: &str, username: &str) {
    let length = password.chars().count();
    if length == 0 {
        problems.push(field, Problem::Required);
    } else if length < PASSWORD_MIN {
        problems.push(field, Problem::TooShort { min: PASSWORD_MIN });
    } else if length > PASSWORD_MAX {
        problems.push(field, Problem::TooLong { max: PASSWORD_MAX });
    } else if password.trim().to_lowercase() == username.trim().to_lowercase() {
        problems.push(
            field,
            Problem::rule("password-is-username", "must differ from the user name"),
        );
    }
}

/// A staff account as stored, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// A disabled account cannot log in; its sessions end.
    pub disabled: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: jiff::Timestamp,
}

/// An API token as stored; the secret itself is shown once at creation and kept only hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub created_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: jiff::Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_used_at: Option<jiff::Timestamp>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub revoked_at: Option<jiff::Timestamp>,
}

/// Whose personal data a data-protection request (DSGVO Art. 15 export, Art. 17 erasure)
/// is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A staff member, by user name.
    Staff(String),
    /// A customer, by any identifier their profile holds: customer number, e-mail address,
    /// phone number or device id.
    Customer(String),
}

/// A staff account as submitted for creation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NewUserInput {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

/// A staff account, validated; the password still in the clear for the caller to hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: String,
}

impl NewUserInput {
    pub fn validate(&self) -> Result<NewUser, Problems> {
        let mut p = Problems::default();
        let username = check_username(&mut p, "username", &self.username);
        let display_name = check_text(&mut p, "display_name", &self.display_name, 120, false);
        check_password(&mut p, "password", &self.password, &username);
        p.into_result(NewUser {
            display_name: if display_name.is_empty() {
                username.clone()
            } else {
                display_name
            },
            username,
            role: self.role,
            password: self.password.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Viewer < Role::Agent);
        assert!(Role::Agent < Role::Manager);
        assert!(Role::Manager < Role::Admin);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn token_scopes_never_administer() {
        assert_eq!(Scope::Read.role(), Some(Role::Viewer));
        assert_eq!(Scope::Write.role(), Some(Role::Manager));
        assert_eq!(Scope::Metrics.role(), None, "a metrics token reads no data");
        for scope in Scope::ALL {
            assert!(scope.role() < Some(Role::Admin));
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
        }
    }

    #[test]
    fn usernames_are_folded_and_checked() {
        let mut p = Problems::default();
        assert_eq!(
            check_username(&mut p, "username", " Anna.Müller@nordlicht.de "),
            "anna.müller@nordlicht.de"
        );
        assert!(p.is_empty());
        check_username(&mut p, "username", "anna müller");
        check_username(&mut p, "username", "a");
        check_username(&mut p, "username", "");
        assert_eq!(p.0.len(), 3);
    }

    #[test]
    fn passwords_need_length_not_composition() {
        let check = |pw: &str| {
            let mut p = Problems::default();
            check_password(&mut p, "password", pw, "anna");
            p.0.first().map(|x| x.problem.clone())
        };
        assert_eq!(check("pferd batterie heftklammer"), None);
        assert_eq!(check(""), Some(Problem::Required));
        assert_eq!(check("kurz"), Some(Problem::TooShort { min: 12 }));
        assert!(matches!(
            check(&"x".repeat(257)),
            Some(Problem::TooLong { .. })
        ));
        let mut p = Problems::default();
        check_password(&mut p, "password", "anna.mueller1", "Anna.Mueller1");
        assert!(!p.is_empty(), "the user name is no password");
    }
}
