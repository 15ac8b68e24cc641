//! Property tests: every decoder at the boundary (GitLab and veHaaS bodies, error bodies,
//! pagination and deprecation headers, times) takes arbitrary bytes without panicking.
//! Bounded case counts keep `cargo test` fast.

use proptest::prelude::*;
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::error::{self, Api, Context};
use super::gitlab_dto::{ControllerDto, ScopesDto, TokenDto, UserDto};
use super::vehaas_dto::{self, JobDto};
use super::{http, pagination, time};
use crate::domain::ControllerId;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// JSON-ish bytes: arbitrary ones, and objects with the fields decoders look at.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    let field = prop_oneof![
        Just("id"),
        Just("state"),
        Just("description"),
        Just("updated_at"),
        Just("token"),
        Just("runner_level_scopings"),
        Just("items"),
        Just("end"),
        Just("duration"),
        Just("message"),
        Just("detail"),
    ];
    let value = prop_oneof![
        Just("null".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| format!("{f}")),
        ".{0,20}".prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
        Just("[{}]".to_string()),
        Just("{\"x\":[1,2]}".to_string()),
    ];
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        proptest::collection::vec((field, value), 0..6).prop_map(|kv| {
            let inner: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{{}}}", inner.join(",")).into_bytes()
        }),
    ]
}

fn headers(pairs: &[(String, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_str(v)) {
            h.append(k, v);
        }
    }
    h
}

fn header_pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("x-next-page"),
        Just("x-total-pages"),
        Just("x-page"),
        Just("link"),
        Just("deprecation"),
        Just("sunset"),
        Just("warning"),
        Just("retry-after"),
        Just("content-type"),
    ];
    proptest::collection::vec((name.prop_map(str::to_string), "[ -~]{0,40}"), 0..6)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn gitlab_bodies_never_panic(body in bodies()) {
        let _ = serde_json::from_slice::<ControllerDto>(&body);
        let _ = serde_json::from_slice::<Vec<ControllerDto>>(&body);
        if let Ok(t) = serde_json::from_slice::<TokenDto>(&body) {
            let _ = t.into_parts(ControllerId(1));
        }
        let _ = serde_json::from_slice::<ScopesDto>(&body);
        let _ = serde_json::from_slice::<UserDto>(&body);
    }

    #[test]
    fn vehaas_bodies_never_panic(body in bodies()) {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) {
            let _ = vehaas_dto::sessions(v.clone());
            if let Ok(j) = serde_json::from_value::<JobDto>(vehaas_dto::unwrap_object(v)) {
                let _ = j.into_job(None);
            }
        }
    }

    #[test]
    fn error_bodies_and_headers_never_panic(
        status in 100u16..600,
        body in bodies(),
        pairs in header_pairs(),
    ) {
        let h = headers(&pairs);
        let cx = Context { api: Api::GitLab, what: "runner controller 1", unlicensed_on_404: true };
        let e = error::from_response(status, &h, &body, &cx);
        let _ = e.to_string();
        let base = Url::parse("https://gitlab.example.com/api/v4/runner_controllers")
            .expect("url");
        let _ = pagination::next_page(&h, &base);
        let _ = http::deprecation(Api::Vehaas, "POST /api/v2.0/jobs", &h);
    }

    #[test]
    fn times_never_panic(text in ".{0,40}", secs in any::<f64>()) {
        let _ = time::parse_lenient(&text);
        let _ = time::from_epoch_seconds(secs);
        let _ = time::deprecation_date(&text);
    }
}
