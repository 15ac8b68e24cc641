//! GitLab JSON shapes (DTOs) and their conversion into domain types. Lenient: unknown fields
//! ignored, missing optional fields (`connected`, `last_used_at`, `runner_level_scopings`) fine,
//! an unknown state kept. Token secrets go straight into `SecretString`; never logged.

use secrecy::SecretString;
use serde::Deserialize;

use super::lenient;
use crate::domain::{
    ControllerId, ControllerState, ControllerToken, CurrentUser, RunnerController, RunnerId,
    RunnerScope, ScopeInfo, Scopes, Stamp, TokenId,
};

#[derive(Deserialize, Clone)]
pub(crate) struct ControllerDto {
    #[serde(deserialize_with = "lenient::i64_id")]
    id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    state: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    created_at: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    updated_at: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    connected: Option<bool>,
}

impl From<ControllerDto> for RunnerController {
    fn from(d: ControllerDto) -> Self {
        RunnerController {
            id: ControllerId(d.id),
            description: d.description,
            // A missing state is shown as such rather than guessed.
            state: ControllerState::parse(d.state.as_deref().unwrap_or("unknown")),
            created_at: d.created_at,
            updated_at: d.updated_at,
            connected: d.connected,
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct TokenDto {
    #[serde(deserialize_with = "lenient::i64_id")]
    id: i64,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    runner_controller_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    last_used_at: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    created_at: Option<Stamp>,
    #[serde(default, deserialize_with = "lenient::opt_stamp")]
    updated_at: Option<Stamp>,
    /// Only in the answers of create and rotate.
    #[serde(default)]
    token: Option<String>,
}

impl TokenDto {
    /// `controller_id` fills in a missing `runner_controller_id`.
    pub(crate) fn into_parts(
        self,
        controller_id: ControllerId,
    ) -> (ControllerToken, Option<SecretString>) {
        let token = ControllerToken {
            id: TokenId(self.id),
            runner_controller_id: self
                .runner_controller_id
                .map_or(controller_id, ControllerId),
            description: self.description,
            last_used_at: self.last_used_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
        };
        (token, self.token.map(SecretString::from))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct ScopesDto {
    instance_level_scopings: Option<Vec<ScopingDto>>,
    runner_level_scopings: Option<Vec<ScopingDto>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ScopingDto {
    #[serde(deserialize_with = "lenient::opt_i64")]
    runner_id: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_stamp")]
    created_at: Option<Stamp>,
}

impl From<ScopesDto> for Scopes {
    fn from(d: ScopesDto) -> Self {
        Scopes {
            instance: d
                .instance_level_scopings
                .unwrap_or_default()
                .into_iter()
                .next()
                .map(|s| ScopeInfo {
                    created_at: s.created_at,
                }),
            runners: d
                .runner_level_scopings
                .unwrap_or_default()
                .into_iter()
                .filter_map(|s| {
                    Some(RunnerScope {
                        runner_id: RunnerId(s.runner_id?),
                        created_at: s.created_at,
                    })
                })
                .collect(),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct UserDto {
    #[serde(deserialize_with = "lenient::i64_id")]
    id: i64,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    username: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    is_admin: Option<bool>,
}

impl From<UserDto> for CurrentUser {
    fn from(d: UserDto) -> Self {
        CurrentUser {
            id: d.id,
            username: d.username.unwrap_or_default(),
            is_admin: d.is_admin,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use serde_json::json;

    fn ts(s: &str) -> Option<crate::domain::Stamp> {
        s.parse::<jiff::Timestamp>().ok().map(Into::into)
    }

    fn controller(v: serde_json::Value) -> RunnerController {
        serde_json::from_value::<ControllerDto>(v)
            .expect("decodes")
            .into()
    }

    #[test]
    fn controllers_decode_leniently() {
        let full = controller(json!({
            "id": 7, "description": "admission", "state": "dry_run",
            "created_at": "2026-01-05T10:20:30.123Z", "updated_at": "2026-01-05T11:20:30.123+01:00",
            "connected": true, "something_new": {"x": 1}
        }));
        assert_eq!(full.id, 7);
        assert_eq!(full.state, ControllerState::DryRun);
        assert_eq!(full.created_at, ts("2026-01-05T10:20:30.123Z"));
        assert_eq!(full.updated_at, ts("2026-01-05T10:20:30.123Z"));
        assert_eq!(full.connected, Some(true));

        let minimal = controller(json!({"id": "8", "state": "paused", "description": null}));
        assert_eq!(minimal.id, 8);
        assert_eq!(minimal.state, ControllerState::Other("paused".into()));
        assert_eq!(minimal.description, None);
        assert_eq!(minimal.connected, None);
        assert_eq!(minimal.created_at, None);

        assert_eq!(
            controller(json!({"id": 9})).state,
            ControllerState::Other("unknown".into())
        );
        assert_eq!(
            controller(json!({"id": 9, "description": ""}))
                .description
                .as_deref(),
            Some("")
        );
        assert!(serde_json::from_value::<ControllerDto>(json!({"state": "enabled"})).is_err());
        assert!(serde_json::from_value::<ControllerDto>(json!({"id": "abc"})).is_err());
    }

    #[test]
    fn tokens_decode_with_and_without_secret() {
        let (t, secret) = serde_json::from_value::<TokenDto>(json!({
            "id": 3, "runner_controller_id": 7, "description": "ci", "last_used_at": null,
            "created_at": "2026-01-05T10:20:30.123Z", "token": "glrct-abc"
        }))
        .expect("decodes")
        .into_parts(ControllerId(7));
        assert_eq!(
            (t.id, t.runner_controller_id, t.last_used_at),
            (TokenId(3), ControllerId(7), None)
        );
        assert_eq!(
            secret
                .as_ref()
                .map(|s| s.expose_secret().to_string())
                .as_deref(),
            Some("glrct-abc")
        );

        // 18.9: no last_used_at; no runner_controller_id at all is filled in from the request.
        let (t, secret) = serde_json::from_value::<TokenDto>(json!({"id": 4}))
            .expect("decodes")
            .into_parts(ControllerId(9));
        assert_eq!(
            (t.id, t.runner_controller_id),
            (TokenId(4), ControllerId(9))
        );
        assert!(secret.is_none());
    }

    #[test]
    fn scopes_decode_both_versions() {
        let s: Scopes = serde_json::from_value::<ScopesDto>(json!({
            "instance_level_scopings": [{"created_at": "2026-01-05T10:20:30.123Z", "updated_at": "x"}]
        }))
        .expect("18.9 shape")
        .into();
        assert_eq!(
            s.instance,
            Some(ScopeInfo {
                created_at: ts("2026-01-05T10:20:30.123Z")
            })
        );
        assert!(s.runners.is_empty());

        let s: Scopes = serde_json::from_value::<ScopesDto>(json!({
            "instance_level_scopings": [],
            "runner_level_scopings": [{"runner_id": 5, "created_at": null}, {"runner_id": "6"}]
        }))
        .expect("18.10 shape")
        .into();
        assert_eq!(s.instance, None);
        assert_eq!(
            s.runners.iter().map(|r| r.runner_id).collect::<Vec<_>>(),
            vec![RunnerId(5), RunnerId(6)]
        );

        let empty: Scopes = serde_json::from_value::<ScopesDto>(json!({}))
            .expect("empty")
            .into();
        assert_eq!(empty, Scopes::default());
    }

    #[test]
    fn user_decodes() {
        let u: CurrentUser = serde_json::from_value::<UserDto>(json!({
            "id": 1, "username": "root", "is_admin": true, "name": "Administrator"
        }))
        .expect("decodes")
        .into();
        assert_eq!(
            u,
            CurrentUser {
                id: 1,
                username: "root".into(),
                is_admin: Some(true)
            }
        );
        let u: CurrentUser = serde_json::from_value::<UserDto>(json!({"id": 2, "username": "ann"}))
            .expect("decodes")
            .into();
        assert_eq!(u.is_admin, None);
    }
}
