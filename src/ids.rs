//! Typed ids: a controller id can never be passed where a token or runner id is meant, and a
//! veHaaS session id is never confused with a job id. Plain values, no behaviour beyond parsing
//! and printing.

use std::fmt;

macro_rules! int_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        /// Tests and literals compare with the bare number.
        impl PartialEq<i64> for $name {
            fn eq(&self, other: &i64) -> bool {
                self.0 == *other
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map(Self)
            }
        }
    };
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self(s.to_string()))
            }
        }
    };
}

int_id!(
    /// A GitLab runner controller.
    ControllerId
);
int_id!(
    /// A token of a runner controller (a rotation gives a new one).
    TokenId
);
int_id!(
    /// A GitLab runner (the target of a runner scope).
    RunnerId
);
text_id!(
    /// A veHaaS assembly session (a booking).
    SessionId
);
text_id!(
    /// A veHaaS job: a runner request being followed.
    JobId
);

/// A runner request of this run, before veHaaS gave it a job id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RequestKey(pub u64);

impl fmt::Display for RequestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_and_parse_as_their_values() {
        assert_eq!(ControllerId(12).to_string(), "12");
        assert_eq!(" 7 ".parse::<TokenId>(), Ok(TokenId(7)));
        assert!("x".parse::<RunnerId>().is_err());
        assert_eq!(SessionId::from("1042").as_str(), "1042");
        let json = serde_json::to_string(&(ControllerId(3), JobId::from("j-1"))).expect("json");
        assert_eq!(json, r#"[3,"j-1"]"#);
    }
}
