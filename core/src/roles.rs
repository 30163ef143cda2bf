//! Roles and the role → action table: the proxy enforces it, the console offers only what it allows.

use std::fmt;
use std::str::FromStr;

use crate::Endpoint;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Clerk,
    Admin,
}

/// What a request does, for the role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The five GETs of the API.
    Read,
    /// The four creates.
    Create,
    Resend,
    Cancel,
    Refund,
    DelayedCharge,
    /// `GET /console/*`.
    ConsoleRead,
    /// `POST /console/sync`: re-read statuses from upstream into the order index.
    ConsoleSync,
    /// `PUT /console/orders/{uuid}/note`: the order's internal note (kept by the proxy only).
    ConsoleNote,
    /// `/_sandbox/*` (only when the sandbox controls are on).
    SandboxControl,
    /// `/console/users…`, `/console/keys/…`: add users, change roles, disable, reset
    /// passwords, see and revoke anyone's sessions and API keys.
    ManageUsers,
    /// What any signed-in user does to their own account: change the password, sign out
    /// everywhere, end one of their own sessions.
    OwnAccount,
    /// The customer book and the product catalogue: create, change, archive, import, and a
    /// customer's data export (issue 18). Reading them is [`Action::ConsoleRead`].
    BookEdit,
    /// Erase a customer's personal data (GDPR): irreversible, so admins only.
    BookErase,
    /// `POST /console/batches…`: preview, confirm, pause, resume or cancel a send to many
    /// (creates, so a clerk's; reading batches is `ConsoleRead`).
    SendBatch,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::Read,
        Action::Create,
        Action::Resend,
        Action::Cancel,
        Action::Refund,
        Action::DelayedCharge,
        Action::ConsoleRead,
        Action::ConsoleSync,
        Action::ConsoleNote,
        Action::SandboxControl,
        Action::ManageUsers,
        Action::OwnAccount,
        Action::BookEdit,
        Action::BookErase,
        Action::SendBatch,
    ];

    pub const fn for_endpoint(endpoint: Endpoint) -> Action {
        match endpoint {
            Endpoint::CreatePaymentLink
            | Endpoint::CreateInvoice
            | Endpoint::CreateEFaktura
            | Endpoint::CreateEhf => Action::Create,
            Endpoint::Resend => Action::Resend,
            Endpoint::Cancel => Action::Cancel,
            Endpoint::Refund => Action::Refund,
            Endpoint::DelayedCharge => Action::DelayedCharge,
            Endpoint::StatusAll
            | Endpoint::Status
            | Endpoint::Details
            | Endpoint::InvoiceNumber => Action::Read,
        }
    }

    /// The least role allowed to do it.
    pub const fn min_role(self) -> Role {
        match self {
            Action::Read | Action::ConsoleRead | Action::OwnAccount => Role::Viewer,
            Action::Create
            | Action::Resend
            | Action::ConsoleSync
            | Action::ConsoleNote
            | Action::BookEdit => Role::Clerk,
            Action::SendBatch => Role::Clerk,
            Action::Cancel
            | Action::Refund
            | Action::DelayedCharge
            | Action::SandboxControl
            | Action::ManageUsers
            | Action::BookErase => Role::Admin,
        }
    }
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Clerk, Role::Admin];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Clerk => "clerk",
            Role::Admin => "admin",
        }
    }

    pub fn allows(self, action: Action) -> bool {
        self >= action.min_role()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (viewer, clerk or admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownRole(s.chars().take(20).collect()))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Role, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table() {
        use Action::*;
        let viewer = [Read, ConsoleRead, OwnAccount];
        let clerk = [
            Read,
            ConsoleRead,
            OwnAccount,
            Create,
            Resend,
            ConsoleSync,
            ConsoleNote,
            BookEdit,
            SendBatch,
        ];
        for a in Action::ALL {
            assert_eq!(Role::Viewer.allows(a), viewer.contains(&a), "viewer {a:?}");
            assert_eq!(Role::Clerk.allows(a), clerk.contains(&a), "clerk {a:?}");
            assert!(Role::Admin.allows(a), "admin {a:?}");
        }
    }

    #[test]
    fn endpoints_map_to_actions() {
        let reads = Endpoint::ALL
            .iter()
            .filter(|e| Action::for_endpoint(**e) == Action::Read)
            .count();
        assert_eq!(reads, 4);
        // Every GET is a read, every POST is not.
        for e in Endpoint::ALL {
            assert_eq!(
                Action::for_endpoint(e) == Action::Read,
                !e.is_write(),
                "{e}"
            );
        }
        assert_eq!(
            Action::for_endpoint(Endpoint::DelayedCharge).min_role(),
            Role::Admin
        );
        assert_eq!(
            Action::for_endpoint(Endpoint::CreateEhf).min_role(),
            Role::Clerk
        );
    }

    #[test]
    fn parse_roles() {
        assert_eq!("Admin".parse::<Role>(), Ok(Role::Admin));
        assert!("root".parse::<Role>().is_err());
        assert_eq!(
            serde_json::to_string(&Role::Clerk).unwrap_or_default(),
            "\"clerk\""
        );
    }
}
