//! What GitLab says about itself and about the token in use, for `doctor`: `GET /version`
//! (version and edition) and `GET /personal_access_tokens/self` (15.5+: the token's name,
//! scopes and expiry; the secret is never part of it), and one page of the controllers list
//! for `rc list --page`. Reads only, decoded leniently: any field may be missing.

use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

use super::error::{Api, ApiError, Context};
use super::gitlab::GitLab;
use super::gitlab_dto::ControllerDto;
use super::pagination;
use crate::domain::RunnerController;

/// `GET /version`: `{"version": "18.10.1-ee", "enterprise": true, ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceVersion {
    pub version: String,
    /// Newer servers say it; older ones only end the version with `-ee`.
    pub enterprise: Option<bool>,
}

impl InstanceVersion {
    /// `(18, 10)` from `18.10.1-ee`.
    pub fn major_minor(&self) -> Option<(u32, u32)> {
        let mut parts = self.version.trim().split(['.', '-']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some((major, minor))
    }

    /// Whether it is this version or newer (`None`: the version cannot be read).
    pub fn at_least(&self, major: u32, minor: u32) -> Option<bool> {
        self.major_minor().map(|v| v >= (major, minor))
    }

    /// Enterprise Edition (which Ultimate needs), when the server tells.
    pub fn is_enterprise(&self) -> Option<bool> {
        self.enterprise.or_else(|| {
            let v = self.version.trim();
            if v.ends_with("-ee") {
                Some(true)
            } else if v.ends_with("-ce") {
                Some(false)
            } else {
                None
            }
        })
    }
}

/// The token that made the request, as `GET /personal_access_tokens/self` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenInfo {
    pub name: Option<String>,
    pub scopes: Vec<String>,
    pub active: Option<bool>,
    pub revoked: Option<bool>,
    /// A date (GitLab's tokens expire at the start of a day, UTC); `None`: it never expires.
    pub expires_at: Option<jiff::civil::Date>,
}

impl TokenInfo {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Whole days from `today` until it expires (0: today; negative: past).
    pub fn days_left(&self, today: jiff::civil::Date) -> Option<i64> {
        let until = self.expires_at?;
        Some(i64::from(today.until(until).ok()?.get_days()))
    }
}

#[derive(Deserialize)]
struct VersionDto {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    enterprise: Option<bool>,
}

#[derive(Deserialize)]
struct TokenDto {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    scopes: Option<Vec<Value>>,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    revoked: Option<bool>,
    #[serde(default)]
    expires_at: Option<String>,
}

/// `2026-06-20`, or a full time whose date part is that.
fn date(text: &str) -> Option<jiff::civil::Date> {
    text.trim().get(..10)?.parse().ok()
}

/// One page of a list and where the next one is.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The next page's number; `None` on the last page.
    pub next: Option<u64>,
    /// `X-Total-Pages`, when the server counts (GitLab stops past 10,000 rows).
    pub total_pages: Option<u64>,
}

impl GitLab {
    /// `GET /version` (any valid token).
    pub async fn version(&self) -> Result<InstanceVersion, ApiError> {
        let reply = self
            .read(&["version"], "GET /api/v4/version", "the version")
            .await?;
        let dto: VersionDto = reply.decode()?;
        Ok(InstanceVersion {
            version: dto.version.unwrap_or_default(),
            enterprise: dto.enterprise,
        })
    }

    /// `GET /personal_access_tokens/self` (GitLab 15.5+; a token that may not read itself
    /// gets 403 or 404).
    pub async fn token_self(&self) -> Result<TokenInfo, ApiError> {
        let reply = self
            .read(
                &["personal_access_tokens", "self"],
                "GET /api/v4/personal_access_tokens/self",
                "the token's own description",
            )
            .await?;
        let dto: TokenDto = reply.decode()?;
        let scopes = dto.scopes.unwrap_or_default();
        Ok(TokenInfo {
            name: dto.name,
            scopes: scopes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            active: dto.active,
            revoked: dto.revoked,
            expires_at: dto.expires_at.as_deref().and_then(date),
        })
    }

    /// One page of `GET /runner_controllers` (`rc list --page N --per-page M`).
    pub async fn list_controllers_page(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<Page<RunnerController>, ApiError> {
        let cx = Context {
            api: Api::GitLab,
            what: "runner controllers",
            unlicensed_on_404: true,
        };
        let mut url = self.url(&["runner_controllers"])?;
        url.query_pairs_mut()
            .append_pair("page", &page.to_string())
            .append_pair("per_page", &per_page.to_string());
        let endpoint = "GET /api/v4/runner_controllers";
        let reply = self
            .http
            .call(Method::GET, url.clone(), endpoint, None, &[], &cx)
            .await?;
        let dtos: Vec<ControllerDto> = reply.decode()?;
        let total_pages = super::error::header_str(&reply.headers, "x-total-pages")
            .and_then(|v| v.trim().parse().ok());
        Ok(Page {
            items: dtos.into_iter().map(Into::into).collect(),
            next: pagination::next_page(&reply.headers, &url),
            total_pages,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_editions_read_from_either_field() {
        let v = |s: &str, e| InstanceVersion {
            version: s.into(),
            enterprise: e,
        };
        assert_eq!(v("18.10.1-ee", None).major_minor(), Some((18, 10)));
        assert_eq!(v("18.9.0-ee", None).at_least(18, 9), Some(true));
        assert_eq!(v("18.8.3-ee", None).at_least(18, 9), Some(false));
        assert_eq!(v("19.0.0", None).at_least(18, 9), Some(true));
        assert_eq!(v("weird", None).at_least(18, 9), None);
        assert_eq!(v("18.10.1-ce", None).is_enterprise(), Some(false));
        assert_eq!(v("18.10.1", Some(true)).is_enterprise(), Some(true));
        assert_eq!(v("18.10.1", None).is_enterprise(), None);
    }

    #[test]
    fn expiry_counts_whole_days() {
        let t = TokenInfo {
            expires_at: date("2026-06-20"),
            scopes: vec!["api".into()],
            ..TokenInfo::default()
        };
        let today: jiff::civil::Date = "2026-06-06".parse().expect("date");
        assert_eq!(t.days_left(today), Some(14));
        assert!(t.has_scope("api") && !t.has_scope("admin_mode"));
        assert_eq!(date("2026-06-20T00:00:00Z"), t.expires_at);
        assert_eq!(TokenInfo::default().days_left(today), None);
    }
}
