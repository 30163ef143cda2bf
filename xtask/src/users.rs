//! `cargo xtask user add NAME --role ROLE`: a `USERS` entry (password from stdin, or generated
//! and printed to stderr); `cargo xtask user key NAME --role ROLE`: a new API key and its
//! `API_KEYS` entry. The hash format and hasher live in `frontdesk_worker::auth::password`.

use std::io::{IsTerminal, Read};

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use frontdesk_worker::auth::Role;
use frontdesk_worker::auth::keys::key_hash;
use frontdesk_worker::auth::password::{DEFAULT_ITERATIONS, SALT_LEN, hash_password};
use frontdesk_worker::auth::users::entry_json;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Print a USERS entry for NAME (reads the password from stdin, or generates one).
    Add {
        name: String,
        #[arg(long, default_value = "viewer")]
        role: String,
    },
    /// Generate an API key for a machine client and print its API_KEYS entry.
    Key {
        name: String,
        #[arg(long, default_value = "viewer")]
        role: String,
    },
}

fn random(bytes: usize) -> Result<Vec<u8>> {
    let mut buffer = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buffer))
        .context("reading /dev/urandom")?;
    Ok(buffer)
}

/// A USERS entry for `name` with `password`, hashed at the Worker's default iteration count.
pub fn user_entry(name: &str, role: Role, password: &str) -> Result<String> {
    let hash = hash_password(password, &random(SALT_LEN)?, DEFAULT_ITERATIONS);
    Ok(entry_json(name, role, &hash))
}

/// An API_KEYS entry for `name` holding `key`.
pub fn key_entry(name: &str, role: Role, key: &str) -> String {
    serde_json::json!({"name": name, "role": role, "sha256": key_hash(key)}).to_string()
}

pub fn run(command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add { name, role } => {
            let role: Role = role.parse()?;
            let password = if std::io::stdin().is_terminal() {
                let p = hex::encode(random(12)?);
                eprintln!("generated password for {name}: {p}");
                p
            } else {
                let mut p = String::new();
                std::io::stdin().read_to_string(&mut p)?;
                p.trim_end_matches(['\n', '\r']).to_owned()
            };
            if password.len() < 8 {
                bail!("the password must have at least 8 characters");
            }
            println!("{}", user_entry(&name, role, &password)?);
            eprintln!("add it to the JSON list in the USERS secret: npx wrangler secret put USERS");
        }
        UserCommand::Key { name, role } => {
            let role: Role = role.parse()?;
            let key = format!("fdk_{}", hex::encode(random(24)?));
            eprintln!("API key for {name} (shown once): {key}");
            println!("{}", key_entry(&name, role, &key));
            eprintln!(
                "add it to the JSON list in the API_KEYS secret: npx wrangler secret put API_KEYS"
            );
        }
    }
    Ok(())
}
