//! Table tests for `error.rs`: every error body shape of both APIs, read as a user sees it.

use super::error::*;
use reqwest::header::HeaderMap;
use reqwest::header::HeaderValue;

const GL: Context<'static> = Context {
    api: Api::GitLab,
    what: "runner controller 7",
    unlicensed_on_404: false,
};
const GL_LIST: Context<'static> = Context {
    api: Api::GitLab,
    what: "runner controllers",
    unlicensed_on_404: true,
};
const VH: Context<'static> = Context {
    api: Api::Vehaas,
    what: "session s-1",
    unlicensed_on_404: false,
};

fn err(
    status: u16,
    headers: &[(&'static str, &'static str)],
    body: &str,
    cx: &Context<'_>,
) -> ApiError {
    let mut h = HeaderMap::new();
    for (k, v) in headers {
        h.insert(*k, HeaderValue::from_static(v));
    }
    from_response(status, &h, body.as_bytes(), cx)
}

/// status, headers, body, context, what the user reads
type Case<'a> = (u16, Headers, &'a str, &'a Context<'a>, &'a str);
type Headers = Vec<(&'static str, &'static str)>;

const JSON: (&str, &str) = ("content-type", "application/json");

#[test]
fn every_error_body_shape_reads_plainly() {
    let cases: Vec<Case<'_>> = vec![
        (
            401,
            vec![JSON],
            r#"{"message":"401 Unauthorized"}"#,
            &GL,
            "401 Unauthorized: the token was refused. Check the token: it may be wrong, expired or revoked",
        ),
        (
            401,
            vec![JSON],
            r#"{"error":"invalid_token","error_description":"Token is expired."}"#,
            &GL,
            "401 Unauthorized: the token was refused (invalid_token: Token is expired.). Check the token: it may be wrong, expired or revoked",
        ),
        (
            403,
            vec![JSON],
            r#"{"message":"403 Forbidden"}"#,
            &GL,
            "403 Forbidden: this needs an administrator's token, and with Admin Mode on the token also needs the admin_mode scope",
        ),
        (
            403,
            vec![JSON],
            r#"{"error":"insufficient_scope","error_description":"The request requires higher privileges."}"#,
            &GL,
            "403 Forbidden: the token lacks the api scope needed for changes (The request requires higher privileges.)",
        ),
        (
            403,
            vec![JSON],
            r#"{"detail":"Not allowed"}"#,
            &VH,
            "403 Forbidden: Not allowed",
        ),
        (
            404,
            vec![JSON],
            r#"{"message":"404 Not found"}"#,
            &GL_LIST,
            "runner controllers need GitLab Ultimate 18.9+ and an administrator token (the server answered 404)",
        ),
        (
            404,
            vec![JSON],
            r#"{"message":"404 Not Found"}"#,
            &GL,
            "404 Not Found: runner controller 7 was not found",
        ),
        (
            404,
            vec![JSON],
            r#"{"message":"404 Runner Controller Not Found"}"#,
            &GL,
            "404 Not Found: runner controller 7 was not found (404 Runner Controller Not Found)",
        ),
        (
            404,
            vec![JSON],
            r#"{"detail":"Session not found"}"#,
            &VH,
            "404 Not Found: session s-1 was not found (Session not found)",
        ),
        (
            400,
            vec![JSON],
            r#"{"error":"state does not have a valid value"}"#,
            &GL,
            "400 Bad Request: state does not have a valid value",
        ),
        (
            400,
            vec![JSON],
            r#"{"message":"Description is too long (maximum is 1024 characters)"}"#,
            &GL,
            "400 Bad Request: Description is too long (maximum is 1024 characters)",
        ),
        (
            400,
            vec![JSON],
            r#"{"message":{"description":["is too long (maximum is 1024 characters)"]}}"#,
            &GL,
            "400 Bad Request: description is too long (maximum is 1024 characters)",
        ),
        (
            409,
            vec![JSON],
            r#"{"message":"Instance-level scope already exists for this runner controller"}"#,
            &GL,
            "409 Conflict: Instance-level scope already exists for this runner controller",
        ),
        (
            409,
            vec![JSON],
            r#"{"detail":"A later booking clashes"}"#,
            &VH,
            "409 Conflict: A later booking clashes",
        ),
        (
            412,
            vec![JSON],
            r#"{"message":"412 Precondition Failed"}"#,
            &GL,
            "412 Precondition Failed: it changed on the server since you loaded it; reload and try again",
        ),
        (
            422,
            vec![JSON],
            r#"{"message":"Only instance-type runners can be scoped"}"#,
            &GL,
            "422 Unprocessable Entity: Only instance-type runners can be scoped",
        ),
        (
            422,
            vec![JSON],
            r#"{"detail":[{"loc":["body","end"],"msg":"field required","type":"value_error.missing"},{"loc":["body","duration",0],"msg":"invalid","type":"x"}]}"#,
            &VH,
            "422 Unprocessable Entity: body.end: field required; body.duration.0: invalid",
        ),
        (
            429,
            vec![
                ("content-type", "text/plain"),
                ("retry-after", "60"),
                ("ratelimit-reset", "1767225600"),
            ],
            "Retry later\n",
            &GL,
            "429 Too Many Requests: Retry later; the server asks to retry in 60 s",
        ),
        (
            429,
            vec![JSON],
            r#"{"message":{"error":"This endpoint has been requested too many times. Try again later."}}"#,
            &GL,
            "429 Too Many Requests: This endpoint has been requested too many times. Try again later.; try again later",
        ),
        (
            500,
            vec![JSON],
            r#"{"message":"500 Internal Server Error"}"#,
            &GL,
            "500 Internal Server Error: the server failed; try again later",
        ),
        (
            502,
            vec![("content-type", "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
            &GL,
            "502 Bad Gateway from a proxy in front of the server (\"502 Bad Gateway\")",
        ),
        (
            503,
            vec![],
            "<!DOCTYPE html>\n<html><body>\n<h1>Service   Unavailable</h1></body></html>",
            &VH,
            "503 Service Unavailable from a proxy in front of the server (\"Service Unavailable\")",
        ),
        (
            504,
            vec![],
            "",
            &GL,
            "504 Gateway Timeout: the server failed; try again later",
        ),
        (
            403,
            vec![("content-type", "text/html")],
            "<html><title>Access denied</title></html>",
            &GL,
            "403 Forbidden (an HTML page (\"Access denied\"), likely from a proxy in front of the server): this needs an administrator's token, and with Admin Mode on the token also needs the admin_mode scope",
        ),
        (
            418,
            vec![("content-type", "text/plain")],
            "short and stout",
            &GL,
            "418 I'm a teapot: short and stout",
        ),
        (
            400,
            vec![JSON],
            r#""just a string""#,
            &GL,
            "400 Bad Request: just a string",
        ),
        (
            400,
            vec![JSON],
            r#"{"unexpected":true}"#,
            &GL,
            r#"400 Bad Request: {"unexpected":true}"#,
        ),
    ];
    for (status, headers, body, cx, want) in cases {
        let e = err(status, &headers, body, cx);
        assert_eq!(e.to_string(), want, "{status} {body}");
        assert_eq!(e.status(), Some(status), "{status} {body}");
    }
}

#[test]
fn variants_carry_the_details() {
    let e = err(429, &[("retry-after", "12")], "Retry later", &GL);
    assert_eq!(
        e,
        ApiError::RateLimited {
            retry_after: Some(12),
            message: "Retry later".into()
        }
    );
    let e = err(
        429,
        &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
        "",
        &GL,
    );
    assert!(matches!(
        e,
        ApiError::RateLimited {
            retry_after: None,
            ..
        }
    ));
    assert_eq!(err(404, &[], "{}", &GL_LIST), ApiError::NotLicensed);
    assert!(matches!(
        err(403, &[], "{}", &VH),
        ApiError::Http { status: 403, .. }
    ));
    assert!(matches!(
        err(502, &[], "<html/>", &GL),
        ApiError::Server { status: 502, .. }
    ));
}

#[test]
fn garbage_success_bodies() {
    let bad = serde_json::from_slice::<Vec<u8>>(b"x").expect_err("not json");
    let mut h = HeaderMap::new();
    h.insert(
        "content-type",
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    let e = undecodable(
        200,
        &h,
        b"<html><title>Sign in \xE2\x80\x94 proxy</title></html>",
        &bad,
    );
    assert_eq!(
        e.to_string(),
        "the server answered 200 with something that is not JSON (text/html): Sign in \u{2014} proxy"
    );
    let e = undecodable(
        200,
        &HeaderMap::new(),
        b"\x00\x01garbage\x1b[31m\n\nmore",
        &bad,
    );
    let ApiError::NotJson {
        content_type,
        snippet,
        ..
    } = &e
    else {
        panic!("expected NotJson, got {e:?}");
    };
    assert_eq!(content_type, "no content type");
    assert!(!snippet.chars().any(char::is_control), "{snippet:?}");
    let long = "x".repeat(5000);
    let e = undecodable(200, &HeaderMap::new(), long.as_bytes(), &bad);
    assert!(e.to_string().chars().count() < 250);
    let wrong_shape = serde_json::from_str::<Vec<u8>>(r#"{"a":1}"#).expect_err("shape");
    let e = undecodable(200, &HeaderMap::new(), br#"{"a":1}"#, &wrong_shape);
    assert!(matches!(e, ApiError::Decode { .. }), "{e:?}");
    assert_eq!(e.status(), None);
}

#[test]
fn unclear_outcomes_and_transient_failures() {
    let interrupted = ApiError::Interrupted {
        host: "v".into(),
        message: "reset".into(),
    };
    let refused = ApiError::Connect {
        host: "v".into(),
        message: "refused".into(),
    };
    let bad_gateway = ApiError::Server {
        status: 502,
        message: "x".into(),
    };
    let conflict = ApiError::Conflict {
        message: "x".into(),
    };
    assert!(interrupted.outcome_unknown());
    assert!(bad_gateway.outcome_unknown());
    assert!(
        ApiError::Timeout {
            url_path: "/".into()
        }
        .outcome_unknown()
    );
    assert!(!refused.outcome_unknown(), "never reached the server");
    assert!(!conflict.outcome_unknown());
    assert!(refused.is_transient() && interrupted.is_transient() && bad_gateway.is_transient());
    assert!(!conflict.is_transient());
}
