//! `touchpoints user` and `touchpoints gdpr`: staff accounts and data-protection requests
//! from the command line, for the first admin and for scripts.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use touchpoints_app::secrets;
use touchpoints_core::access::{NewUserInput, check_password};
use touchpoints_core::audit::Said;
use touchpoints_core::{Problems, Role, Scope, Subject};
use touchpoints_store::{NewAccount, Store, StoreError};

/// The actor the audit log records for changes made here.
const ACTOR: &str = "cli";

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a staff account. Without --password-stdin a random password is generated and
    /// printed once.
    Add {
        username: String,
        /// viewer, agent, manager or admin.
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the staff accounts.
    List,
    /// Change the role of an account.
    SetRole { username: String, role: String },
    /// Set a new password; ends the account's sessions.
    ResetPassword {
        username: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for scripts and other systems and print it once; only its digest
    /// is stored. The token is issued by an admin account and revoked when that account is
    /// disabled.
    Create {
        /// The admin account issuing the token.
        #[arg(long)]
        user: String,
        /// What the token is for, as the token list shows it.
        #[arg(long)]
        name: String,
        /// read (view everything), write (also change, like a manager) or metrics (only
        /// scrape /metrics from another host).
        #[arg(long, value_parser = ["read", "write", "metrics"])]
        scope: String,
    },
}

#[derive(Subcommand)]
pub enum GdprCommand {
    /// Print, as JSON, everything held about one person (DSGVO Art. 15).
    Export {
        #[command(flatten)]
        subject: SubjectArgs,
    },
    /// Delete or anonymise everything held about one person (DSGVO Art. 17).
    Erase {
        #[command(flatten)]
        subject: SubjectArgs,
        /// Confirm the erasure; without it nothing is changed.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct SubjectArgs {
    /// A customer, by any identifier their profile holds (e-mail address, phone number,
    /// customer number, device id, social handle): every record under any of them is
    /// reached. Also a customer reference or name that no profile holds.
    customer: Option<String>,
    /// A staff member, by user name.
    #[arg(long)]
    staff: Option<String>,
}

impl SubjectArgs {
    fn subject(&self) -> Subject {
        match (&self.staff, &self.customer) {
            (Some(staff), _) => Subject::Staff(staff.trim().to_lowercase()),
            (None, Some(customer)) => Subject::Customer(customer.trim().to_owned()),
            (None, None) => Subject::Customer(String::new()),
        }
    }
}

fn role(value: &str) -> anyhow::Result<Role> {
    Role::parse(&value.trim().to_lowercase())
        .with_context(|| format!("unknown role \"{value}\"; use viewer, agent, manager or admin"))
}

/// A password from standard input, or a new random one that is printed once.
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok((line.trim_end_matches(['\n', '\r']).to_owned(), false));
    }
    // 24 hex digits: 96 bits of randomness, well past what guessing can reach.
    let generated = secrets::new_secret()?[..24].to_owned();
    Ok((generated, true))
}

fn report(problems: &Problems) -> ExitCode {
    for p in &problems.0 {
        eprintln!("error: {p}");
    }
    ExitCode::FAILURE
}

pub async fn user(store: &dyn Store, command: UserCommand) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add {
            username,
            role: role_name,
            display_name,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            let input = NewUserInput {
                username,
                display_name,
                role: role(&role_name)?,
                password,
            };
            let user = match input.validate() {
                Ok(user) => user,
                Err(problems) => return Ok(report(&problems)),
            };
            let hash = secrets::hash_password(user.password.clone())
                .await
                .map_err(anyhow::Error::msg)?;
            let account = NewAccount {
                username: user.username.clone(),
                display_name: user.display_name,
                role: user.role,
                password_hash: hash,
            };
            match store.create_user(&account, ACTOR).await {
                Ok(created) => {
                    println!("created {} ({})", created.username, created.role.as_str());
                    if generated {
                        println!("password: {}", user.password);
                        println!("It is shown only now; the user should change it.");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(StoreError::Conflict(problems) | StoreError::Invalid(problems)) => {
                    Ok(report(&problems))
                }
                Err(e) => Err(e.into()),
            }
        }
        UserCommand::List => {
            let users = store.users().await?;
            if users.is_empty() {
                println!(
                    "no accounts yet; create one with: touchpoints user add NAME --role admin"
                );
            }
            for u in users {
                let state = if u.disabled { " (disabled)" } else { "" };
                println!(
                    "{:<32} {:<8} {}{state}",
                    u.username,
                    u.role.as_str(),
                    u.display_name
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::SetRole { username, role: r } => {
            match store.set_role(&username, role(&r)?, ACTOR).await {
                Ok(user) => {
                    println!("{} is now {}", user.username, user.role.as_str());
                    Ok(ExitCode::SUCCESS)
                }
                Err(StoreError::Conflict(problems)) => Ok(report(&problems)),
                Err(StoreError::NotFound { .. }) => bail!("no account named \"{username}\""),
                Err(e) => Err(e.into()),
            }
        }
        UserCommand::ResetPassword {
            username,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            let mut problems = Problems::default();
            check_password(&mut problems, "password", &password, &username);
            if !problems.is_empty() {
                return Ok(report(&problems));
            }
            let hash = secrets::hash_password(password.clone())
                .await
                .map_err(anyhow::Error::msg)?;
            match store.set_password(&username, &hash, ACTOR).await {
                Ok(()) => {
                    println!("password of {username} changed; its sessions have ended");
                    if generated {
                        println!("password: {password}");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(StoreError::NotFound { .. }) => bail!("no account named \"{username}\""),
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// The longest token name the admin page accepts.
const TOKEN_NAME_MAX: usize = 80;

pub async fn token(store: &dyn Store, command: TokenCommand) -> anyhow::Result<ExitCode> {
    let TokenCommand::Create { user, name, scope } = command;
    let scope = Scope::parse(&scope).with_context(|| format!("unknown scope \"{scope}\""))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > TOKEN_NAME_MAX {
        eprintln!("error: the token name needs 1 to {TOKEN_NAME_MAX} characters");
        return Ok(ExitCode::from(2));
    }
    let username = user.trim().to_lowercase();
    let Some((account, _)) = store.credentials(&username).await? else {
        bail!("there is no account named \"{username}\"");
    };
    if account.disabled || account.role != Role::Admin {
        bail!("only an active admin account can issue API tokens; \"{username}\" is none");
    }
    let token = secrets::new_api_token()?;
    let created = store
        .create_api_token(name, &secrets::digest(&token), scope, &account.username)
        .await
        .context("cannot create the API token")?;
    eprintln!(
        "API token \"{}\" ({}) issued by {}; it is shown only now:",
        created.name,
        created.scope.as_str(),
        account.username
    );
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

pub async fn gdpr(store: &dyn Store, command: GdprCommand) -> anyhow::Result<ExitCode> {
    match command {
        GdprCommand::Export { subject } => {
            let data = store.export_personal_data(&subject.subject()).await?;
            store
                .record(
                    ACTOR,
                    "gdpr.export",
                    "subject",
                    "",
                    "personal data exported",
                    Some(&Said::new("audit-personal-data-exported")),
                )
                .await?;
            println!("{}", serde_json::to_string_pretty(&data)?);
            // "Nothing" is a complete answer to a request for access, hence success.
            let nothing = data["places"]
                .as_object()
                .is_none_or(serde_json::Map::is_empty);
            if nothing {
                eprintln!("no personal data found");
            }
            Ok(ExitCode::SUCCESS)
        }
        GdprCommand::Erase { subject, yes } => {
            if !yes {
                let hint = if std::io::stdin().is_terminal() {
                    " (nothing changed)"
                } else {
                    ""
                };
                eprintln!("add --yes to erase everything held about this person{hint}");
                return Ok(ExitCode::FAILURE);
            }
            match store.erase_personal_data(&subject.subject(), ACTOR).await {
                Ok(erasure) => {
                    for (place, n) in &erasure.places {
                        println!("{place}: {n} record(s) deleted or anonymised");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(StoreError::Conflict(problems)) => Ok(report(&problems)),
                Err(StoreError::NotFound { .. }) => {
                    eprintln!("no personal data found for this person; nothing was erased");
                    Ok(ExitCode::FAILURE)
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// The name of the demo company's admin account.
const DEMO_ADMIN: &str = "demo";

/// A one-time login link for the demo admin, created with the account if needed. The
/// account has no password: the link printed on the console is the only way in.
pub async fn demo_login_link(store: &dyn Store) -> anyhow::Result<String> {
    let user = match store.credentials(DEMO_ADMIN).await? {
        Some((user, _)) => user,
        None => {
            let account = NewAccount {
                username: DEMO_ADMIN.into(),
                display_name: "Demo-Admin".into(),
                role: Role::Admin,
                password_hash: String::new(),
            };
            store.create_user(&account, "demo").await?
        }
    };
    let token = secrets::new_secret()?;
    let expires = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24))
        .unwrap_or(jiff::Timestamp::MAX);
    store
        .create_login_link(&secrets::digest(&token), user.id, expires)
        .await?;
    store
        .record(
            "demo",
            "login_link.create",
            "user",
            DEMO_ADMIN,
            "one-time, 24 hours",
            Some(&Said::new("audit-login-link-created")),
        )
        .await?;
    Ok(format!("/login/link/{token}"))
}
