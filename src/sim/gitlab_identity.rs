//! Who is who on the simulated GitLab: its users and the personal access tokens it accepts, with
//! their scopes and expiry. Only the table lives here; the checks are in `gitlab_auth.rs`.

/// A GitLab user. `root` and `alice` are administrators; `dev` is not.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct User {
    pub(crate) id: i64,
    pub(crate) username: &'static str,
    pub(crate) name: &'static str,
    pub(crate) email: &'static str,
    pub(crate) admin: bool,
}

pub(crate) const ROOT: User = User {
    id: 1,
    username: "root",
    name: "Administrator",
    email: "admin@example.com",
    admin: true,
};

pub(crate) const DEV: User = User {
    id: 2,
    username: "dev",
    name: "Dana Developer",
    email: "dana@example.com",
    admin: false,
};

/// The other administrator: the seeded history is hers. She has no token here.
pub(crate) const ALICE: User = User {
    id: 3,
    username: "alice",
    name: "Alice Admin",
    email: "alice@example.com",
    admin: true,
};

/// A personal access token. `expires_in_days` is counted from the simulator's start; a negative
/// value means it has expired (GitLab answers 401 `invalid_token`).
#[derive(Debug)]
pub(crate) struct Pat {
    pub(crate) secret: &'static str,
    pub(crate) id: i64,
    pub(crate) name: &'static str,
    pub(crate) user: &'static User,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) expires_in_days: i64,
    /// Created this many days before the simulator's start.
    pub(crate) age_days: i64,
}

impl Pat {
    pub(crate) fn has_scope(&self, scope: &str) -> bool {
        self.scopes.contains(&scope)
    }

    pub(crate) fn expired(&self) -> bool {
        self.expires_in_days < 0
    }
}

/// Every token the simulator accepts (and the expired one it refuses).
pub(crate) const PATS: &[Pat] = &[
    Pat {
        secret: super::gitlab::ADMIN_TOKEN,
        id: 101,
        name: "runnerdeck",
        user: &ROOT,
        scopes: &["api", "admin_mode"],
        expires_in_days: 200,
        age_days: 165,
    },
    Pat {
        secret: super::gitlab::READ_TOKEN,
        id: 102,
        name: "runnerdeck read-only",
        user: &ROOT,
        scopes: &["read_api"],
        expires_in_days: 120,
        age_days: 60,
    },
    Pat {
        secret: super::gitlab::NO_ADMIN_MODE_TOKEN,
        id: 103,
        name: "ci automation",
        user: &ROOT,
        scopes: &["api"],
        expires_in_days: 300,
        age_days: 30,
    },
    Pat {
        secret: super::gitlab::EXPIRING_TOKEN,
        id: 104,
        name: "runnerdeck (renew me)",
        user: &ROOT,
        scopes: &["api", "admin_mode"],
        expires_in_days: 5,
        age_days: 360,
    },
    Pat {
        secret: super::gitlab::USER_TOKEN,
        id: 105,
        name: "dana laptop",
        user: &DEV,
        scopes: &["api"],
        expires_in_days: 90,
        age_days: 10,
    },
    Pat {
        secret: super::gitlab::EXPIRED_TOKEN,
        id: 106,
        name: "old runnerdeck",
        user: &ROOT,
        scopes: &["api", "admin_mode"],
        expires_in_days: -3,
        age_days: 368,
    },
];

/// The token with this secret, expired or not.
pub(crate) fn find(secret: &str) -> Option<&'static Pat> {
    PATS.iter().find(|p| p.secret == secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_ids_are_unique() {
        for (i, a) in PATS.iter().enumerate() {
            for b in &PATS[i + 1..] {
                assert_ne!(a.secret, b.secret);
                assert_ne!(a.id, b.id);
            }
        }
        assert!(find(super::super::gitlab::EXPIRED_TOKEN).is_some_and(Pat::expired));
        assert!(find("nope").is_none());
    }
}
