//! Config parsing as a user meets it: the example parses clean, typos are warnings with their
//! full path, mistakes name their line or table, and an inline token needs a private file.

use super::*;

fn p() -> &'static Path {
    Path::new("config.toml")
}

const MINIMAL: &str = r#"
[gitlab]
url = "https://gitlab.example.com"
token_env = "GITLAB_TOKEN"        # the name of the environment variable holding the token
[vehaas]
url = "https://vehaas.example.com"
token_env = "VEHAAS_TOKEN"
"#;

#[test]
fn minimal_config_from_the_issue_parses() {
    let (c, warnings) = parse(MINIMAL, p()).expect("parses");
    assert!(warnings.is_empty());
    assert_eq!(c.gitlab.url, "https://gitlab.example.com");
    assert!(matches!(&c.gitlab.token, TokenSource::Env(v) if v == "GITLAB_TOKEN"));
    assert_eq!(c.gitlab.tls, tls("gitlab"));
    assert_eq!(c.gitlab.display_name(), "gitlab.example.com");
    let v = c.vehaas.expect("vehaas");
    assert_eq!(v.paths, VehaasPaths::default());
    assert_eq!(c.ui, UiConfig::default());
}

#[test]
fn example_config_parses_without_warnings() {
    let text = include_str!("../../config.example.toml");
    let (_, warnings) = parse(text, p()).expect("example parses");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn syntax_error_names_line_and_column() {
    let text = "[gitlab]\nurl = \"https://x\"\ntoken_env = GITLAB_TOKEN\n";
    let e = parse(text, p()).expect_err("bad");
    let msg = e.to_string();
    assert!(matches!(e, ConfigError::Syntax { line: 3, .. }), "{msg}");
    assert!(msg.starts_with("config.toml:3:"), "{msg}");
}

#[test]
fn unknown_key_is_a_warning_not_an_error() {
    let text = format!("{MINIMAL}\n[ui]\nrefresh_secs = 3\n");
    let (c, warnings) = parse(&text, p()).expect("parses");
    assert_eq!(c.ui.refresh_seconds, 15);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("ui.refresh_secs"), "{warnings:?}");
}

#[test]
fn missing_token_source_says_what_to_do() {
    let text = "[gitlab]\nurl = \"https://gitlab.example.com\"\n";
    let msg = parse(text, p()).expect_err("no token").to_string();
    assert!(msg.contains("token_env"), "{msg}");
}

#[test]
fn missing_gitlab_table_is_reported() {
    let msg = parse("[ui]\nrefresh_seconds = 5\n", p())
        .expect_err("no gitlab")
        .to_string();
    assert!(msg.contains("gitlab"), "{msg}");
}

#[test]
fn bad_url_is_reported() {
    let text = "[gitlab]\nurl = \"gitlab.example.com\"\ntoken_env = \"X\"\n";
    let msg = parse(text, p()).expect_err("bad url").to_string();
    assert!(msg.contains("https://"), "{msg}");
}

#[test]
fn contexts_name_other_instances_and_are_checked_like_the_default() {
    let text = format!(
        "{MINIMAL}\n[contexts.staging.gitlab]\nurl = \"https://gitlab-staging.example.com\"\ntoken_env = \"STAGING_TOKEN\"\ncolour = \"green\"\n"
    );
    let (c, warnings) = parse(&text, p()).expect("parses");
    assert_eq!(c.context_names(), vec!["default", "staging"]);
    let staging = c.context(Some("staging")).expect("staging");
    assert_eq!(staging.gitlab.url, "https://gitlab-staging.example.com");
    assert!(staging.vehaas.is_none());
    assert_eq!(
        c.context(None).expect("default").gitlab.url,
        "https://gitlab.example.com"
    );
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("contexts.staging.gitlab.colour"),
        "{warnings:?}"
    );
    assert!(
        c.context(Some("prod"))
            .expect_err("unknown")
            .contains("default, staging")
    );

    let bad = format!("{MINIMAL}\n[contexts.qa.gitlab]\nurl = \"https://qa\"\n");
    let msg = parse(&bad, p()).expect_err("no token source").to_string();
    assert!(msg.contains("[contexts.qa.gitlab]"), "{msg}");
    let taken =
        format!("{MINIMAL}\n[contexts.default.gitlab]\nurl = \"https://x\"\ntoken_env = \"X\"\n");
    assert!(
        parse(&taken, p())
            .expect_err("reserved")
            .to_string()
            .contains("taken")
    );
}

#[test]
fn missing_file_suggests_demo() {
    let msg = load(Path::new("/nonexistent/runnerdeck.toml"))
        .expect_err("missing")
        .to_string();
    assert!(msg.contains("--demo"), "{msg}");
}

fn tls(table: &str) -> TlsOptions {
    TlsOptions {
        table: Some(table.into()),
        ..TlsOptions::default()
    }
}

#[test]
fn unknown_keys_anywhere_are_warnings_with_their_full_path() {
    let text = format!(
        "verbose = true\n{MINIMAL}ca_certs = \"/x.pem\"\n[vehaas.paths]\njobz = \"/j\"\n[http]\nmax_body = 3\n[contexts.qa.vehaas]\nurl = \"https://v\"\ntoken_env = \"V\"\ncolor = \"red\"\n[contexts.qa.gitlab]\nurl = \"https://qa\"\ntoken_env = \"Q\"\npaths = {{}}\n"
    );
    let (_, warnings) = parse(&text, p()).expect("parses");
    let keys: Vec<&str> = warnings
        .iter()
        .map(|w| w.split('`').nth(1).expect("a key in backquotes"))
        .collect();
    assert_eq!(
        keys,
        [
            "contexts.qa.gitlab.paths",
            "contexts.qa.vehaas.color",
            "http.max_body",
            "vehaas.ca_certs",
            "vehaas.paths.jobz",
            "verbose",
        ],
        "{warnings:?}"
    );
}

#[test]
fn a_value_of_the_wrong_type_names_its_line() {
    let text = "[gitlab]\nurl = \"https://x\"\ntoken_env = \"X\"\nread_only = \"yes\"\n";
    let e = parse(text, p()).expect_err("bad type");
    assert!(matches!(e, ConfigError::Syntax { line: 4, .. }), "{e}");
    let missing = parse("[gitlab]\ntoken_env = \"X\"\n", p()).expect_err("no url");
    assert!(missing.to_string().contains("url"), "{missing}");
}

#[test]
fn tls_keys_are_read_per_table() {
    let text = "[gitlab]\nurl = \"https://g\"\ntoken_env = \"G\"\nca_cert = \"/etc/corp-ca.pem\"\nclient_cert = \"/me.crt\"\nclient_key = \"/me.key\"\n[vehaas]\nurl = \"http://v.corp\"\ntoken_env = \"V\"\nallow_insecure_http = true\n[contexts.lab.gitlab]\nurl = \"https://lab\"\ntoken_env = \"L\"\ninsecure_skip_verify = true\n[http]\nmax_body_mib = 4\n";
    let (c, warnings) = parse(text, p()).expect("parses");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        c.gitlab.tls,
        TlsOptions {
            ca_cert: Some("/etc/corp-ca.pem".into()),
            client_cert: Some("/me.crt".into()),
            client_key: Some("/me.key".into()),
            ..tls("gitlab")
        }
    );
    let v = c.vehaas.as_ref().expect("vehaas");
    assert!(v.tls.allow_insecure_http && !v.tls.insecure_skip_verify);
    let lab = &c.contexts["lab"].gitlab.tls;
    assert_eq!(lab.table.as_deref(), Some("contexts.lab.gitlab"));
    assert!(lab.insecure_skip_verify);
    let opts = c.http.options_for(lab);
    assert_eq!(opts.max_body_bytes, 4 * 1024 * 1024);
    assert_eq!(opts.retry, crate::api::RetryPolicy::standard());
    assert_eq!(&opts.tls, lab);

    let half = "[gitlab]\nurl = \"https://g\"\ntoken_env = \"G\"\nclient_cert = \"/me.crt\"\n";
    let msg = parse(half, p()).expect_err("no key").to_string();
    assert!(
        msg.contains("[gitlab] has client_cert but no client_key"),
        "{msg}"
    );
}

#[test]
fn exactly_one_token_source_inline_included() {
    let inline = "[gitlab]\nurl = \"https://g\"\ntoken = \"glpat-INLINE\"\n";
    let (c, _) = parse(inline, p()).expect("parses");
    assert!(matches!(c.gitlab.token, TokenSource::Inline(_)));
    assert_eq!(c.gitlab.token.label(), "config file");
    assert!(!format!("{c:?}").contains("glpat-INLINE"), "Debug hides it");
    let two = "[gitlab]\nurl = \"https://g\"\ntoken = \"glpat-INLINE\"\ntoken_env = \"X\"\n";
    let msg = parse(two, p()).expect_err("two").to_string();
    assert!(msg.contains("more than one of"), "{msg}");
    assert!(!msg.contains("glpat-INLINE"), "{msg}");
}

#[test]
fn a_malformed_line_never_echoes_a_token() {
    let text = "[gitlab]\nurl = \"https://g\"\ntoken = glpat-UNQUOTED\n";
    let e = parse(text, p()).expect_err("syntax");
    assert!(matches!(e, ConfigError::Syntax { line: 3, .. }), "{e}");
    assert!(!e.to_string().contains("UNQUOTED"), "{e}");
}

#[cfg(unix)]
#[test]
fn an_inline_token_needs_a_config_file_only_its_owner_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    let text = "[gitlab]\nurl = \"https://g\"\ntoken = \"glpat-INLINE\"\n";
    std::fs::write(&path, text).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let msg = load(&path).expect_err("shared file").to_string();
    assert!(
        msg.contains(&format!("chmod 600 {}", path.display())),
        "{msg}"
    );
    assert!(msg.contains("[gitlab]") && msg.contains("0640"), "{msg}");
    assert!(!msg.contains("glpat-INLINE"), "{msg}");

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (c, _) = load(&path).expect("private file");
    let secret = c.gitlab.token.resolve("GitLab").expect("inline").secret;
    assert_eq!(
        secrecy::ExposeSecret::expose_secret(&secret),
        "glpat-INLINE"
    );

    // Without an inline token the file's mode does not matter.
    std::fs::write(&path, MINIMAL).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert!(load(&path).is_ok());
}

#[test]
fn keys_theme_and_mouse_are_read() {
    let text = format!(
        "{MINIMAL}\n[ui]\ntheme = \"light\"\nmouse = true\n[theme]\naccent = \"magenta\"\n[keys]\ntoggle_dry_run = \"x\"\ndelete = [\"ctrl-d\", \"D\"]\n"
    );
    let (c, warnings) = parse(&text, p()).expect("parses");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(c.ui.theme, ThemeName::Light);
    assert!(c.ui.mouse);
    assert_eq!(c.theme.get("accent").map(String::as_str), Some("magenta"));
    assert_eq!(c.keys["toggle_dry_run"], ["x"]);
    assert_eq!(c.keys["delete"], ["ctrl-d", "D"]);
}

#[test]
fn an_unknown_theme_names_its_line() {
    let text = format!("{MINIMAL}\n[ui]\ntheme = \"solarized\"\n");
    let e = parse(&text, p()).expect_err("refused").to_string();
    assert!(e.contains("line 10") && e.contains("solarized"), "{e}");
}
