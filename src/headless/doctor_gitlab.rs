//! Doctor's GitLab checks, each one line: who the token belongs to (an administrator?), the
//! version and edition (`GET /version`), the token's scopes and expiry
//! (`GET /personal_access_tokens/self`), the runner controllers API (18.9+ Ultimate), and
//! Admin Mode (does the token have, or need, `admin_mode`).

use super::doctor::{Checklist, Status};
use super::exit::{EXIT_AUTH, Kind};
use crate::api::gitlab_instance::{InstanceVersion, TokenInfo};
use crate::api::{ApiError, GitLab};
use crate::domain::CurrentUser;

/// A token expiring within this many days is a warning.
const EXPIRY_WARN_DAYS: i64 = 14;

/// What the controllers list said, for the Admin Mode line.
enum Listing {
    Ok,
    /// 403 Forbidden (not a missing scope): not an admin, or Admin Mode without `admin_mode`.
    Forbidden,
    Other,
}

fn fail_api(list: &mut Checklist, check: &str, detail: String, e: &ApiError) {
    list.fail(check, detail, Kind::of_api(e).exit_code());
}

/// Every GitLab check, in order; after a failed `GET /user` the rest are only named.
pub(super) async fn checks(gl: &GitLab, list: &mut Checklist) {
    let Some(user) = user(gl, list).await else {
        for check in [
            "gitlab version",
            "gitlab token scopes",
            "runner controllers",
            "admin mode",
        ] {
            list.push(
                Status::Info,
                check,
                "not checked: GitLab did not answer GET /user",
            );
        }
        return;
    };
    let version = version(gl, list).await;
    let token = token(gl, list).await;
    let listing = controllers(gl, version.as_ref(), list).await;
    admin_mode(&user, token.as_ref(), &listing, list);
}

/// `GET /user`: reachable, who, and whether an administrator.
async fn user(gl: &GitLab, list: &mut Checklist) -> Option<CurrentUser> {
    const CHECK: &str = "gitlab user";
    let url = gl.base_url();
    let u = match gl.current_user().await {
        Ok(u) => u,
        Err(e) => {
            fail_api(list, CHECK, format!("{url}: {e}"), &e);
            return None;
        }
    };
    let who = if u.username.is_empty() {
        format!("user {}", u.id)
    } else {
        u.username.clone()
    };
    match u.is_admin {
        Some(true) => list.push(
            Status::Ok,
            CHECK,
            format!("{url}: signed in as {who} (administrator)"),
        ),
        Some(false) => list.fail(
            CHECK,
            format!(
                "{url}: signed in as {who}, not an administrator: runner controllers need an administrator"
            ),
            EXIT_AUTH,
        ),
        // GitLab shows `is_admin` to administrators only.
        None => list.push(
            Status::Warn,
            CHECK,
            format!(
                "{url}: signed in as {who}, GitLab did not say is_admin (it only tells administrators): runner controllers need an administrator"
            ),
        ),
    }
    Some(u)
}

/// `GET /version`: the version and edition.
async fn version(gl: &GitLab, list: &mut Checklist) -> Option<InstanceVersion> {
    const CHECK: &str = "gitlab version";
    match gl.version().await {
        Ok(v) => {
            let edition = match v.is_enterprise() {
                Some(true) => "Enterprise Edition",
                Some(false) => "Community Edition",
                None => "edition not said",
            };
            list.push(Status::Ok, CHECK, format!("{} ({edition})", v.version));
            Some(v)
        }
        Err(e) => {
            fail_api(list, CHECK, e.to_string(), &e);
            None
        }
    }
}

/// `GET /personal_access_tokens/self`: scopes and expiry; "unknown" when the token may not
/// read itself.
async fn token(gl: &GitLab, list: &mut Checklist) -> Option<TokenInfo> {
    const CHECK: &str = "gitlab token scopes";
    let t = match gl.token_self().await {
        Ok(t) => t,
        Err(e @ (ApiError::Forbidden { .. } | ApiError::NotFound { .. })) => {
            let status = e.status().unwrap_or_default();
            list.push(
                Status::Info,
                CHECK,
                format!("unknown: GitLab does not let this token read its own scopes and expiry ({status})"),
            );
            return None;
        }
        Err(e) => {
            fail_api(list, CHECK, e.to_string(), &e);
            return None;
        }
    };
    let name = t
        .name
        .as_deref()
        .map(|n| format!("{n:?}: "))
        .unwrap_or_default();
    let scopes = if t.scopes.is_empty() {
        "none said".to_string()
    } else {
        t.scopes.join(", ")
    };
    let expiry = expiry(&t);
    let status = match expiry.0 {
        Some(days) if days < 0 => Status::Fail,
        Some(days) if days <= EXPIRY_WARN_DAYS => Status::Warn,
        _ => Status::Ok,
    };
    let detail = format!("{name}scopes {scopes}; {}", expiry.1);
    match status {
        Status::Fail => list.fail(CHECK, detail, EXIT_AUTH),
        other => list.push(other, CHECK, detail),
    }
    Some(t)
}

/// Days left and how to say them.
fn expiry(t: &TokenInfo) -> (Option<i64>, String) {
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date();
    match (t.expires_at, t.days_left(today)) {
        (Some(date), Some(days)) if days < 0 => (Some(days), format!("expired on {date}")),
        (Some(date), Some(days)) if days <= EXPIRY_WARN_DAYS => (
            Some(days),
            format!("expires on {date}, in {days} days: renew it before it stops working"),
        ),
        (Some(date), Some(days)) => (Some(days), format!("expires on {date} (in {days} days)")),
        _ => (None, "never expires".to_string()),
    }
}

/// The runner controllers API: the version and edition it needs, then the list itself.
async fn controllers(
    gl: &GitLab,
    version: Option<&InstanceVersion>,
    list: &mut Checklist,
) -> Listing {
    const CHECK: &str = "runner controllers";
    const NEEDS: &str = "runner controllers need GitLab 18.9 or later, Ultimate";
    if let Some(v) = version {
        if v.at_least(18, 9) == Some(false) {
            list.fail(CHECK, format!("{NEEDS}; this is {}", v.version), EXIT_AUTH);
            return Listing::Other;
        }
        if v.is_enterprise() == Some(false) {
            list.fail(
                CHECK,
                format!("{NEEDS}; this is Community Edition"),
                EXIT_AUTH,
            );
            return Listing::Other;
        }
    }
    let scopes_too = match version.and_then(|v| v.at_least(18, 10)) {
        Some(true) => "; runner scopes and `connected` are there (18.10+)",
        Some(false) => "; runner scopes and `connected` need 18.10+",
        None => "",
    };
    match gl.list_controllers().await {
        Ok(cs) => {
            let n = cs.len();
            let s = if n == 1 { "" } else { "s" };
            let detail = format!("API available (18.9+ Ultimate), {n} controller{s}{scopes_too}");
            list.push(Status::Ok, CHECK, detail);
            Listing::Ok
        }
        Err(ApiError::NotLicensed) => {
            let detail = "404: the licence does not include them; runner controllers need GitLab Ultimate 18.9+ and an administrator";
            list.fail(CHECK, detail, EXIT_AUTH);
            Listing::Other
        }
        Err(ApiError::Forbidden { message }) if !message.starts_with("insufficient_scope") => {
            list.fail(
                CHECK,
                "403 Forbidden: needs an administrator's token; with Admin Mode on, the token also needs the admin_mode scope",
                EXIT_AUTH,
            );
            Listing::Forbidden
        }
        Err(e) => {
            fail_api(list, CHECK, e.to_string(), &e);
            Listing::Other
        }
    }
}

/// Admin Mode: whether the token has `admin_mode`, and whether the instance wants it (an
/// administrator's token refused with 403 says so).
fn admin_mode(
    user: &CurrentUser,
    token: Option<&TokenInfo>,
    listing: &Listing,
    list: &mut Checklist,
) {
    const CHECK: &str = "admin mode";
    let Some(t) = token else {
        list.push(
            Status::Info,
            CHECK,
            "unknown: the token's scopes could not be read (with Admin Mode on it needs admin_mode)",
        );
        return;
    };
    if t.has_scope("admin_mode") {
        list.push(
            Status::Ok,
            CHECK,
            "the token has the admin_mode scope: it works with Admin Mode on or off",
        );
    } else if user.is_admin == Some(true) && matches!(listing, Listing::Forbidden) {
        list.fail(
            CHECK,
            "Admin Mode is on and the token has no admin_mode scope: create a token with the api and admin_mode scopes",
            EXIT_AUTH,
        );
    } else {
        list.push(
            Status::Info,
            CHECK,
            "the token has no admin_mode scope: fine while Admin Mode is off; if it is turned on, every call gets 403",
        );
    }
}
