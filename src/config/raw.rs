//! The config file as written (flat keys, everything optional that may be left out), and its
//! checked form: one token source per service, certificates in pairs, every message naming its
//! table. Knows no key list: serde and `serde_ignored` tell which keys are unknown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

use super::{
    Config, ContextConfig, DEFAULT_CONTEXT, GitlabConfig, HttpConfig, Origin, TokenSource,
    UiConfig, VehaasConfig,
};
use crate::api::VehaasPaths;
use crate::api::tls::TlsOptions;

#[derive(Deserialize)]
pub(super) struct RawConfig {
    gitlab: RawGitlab,
    #[serde(default)]
    vehaas: Option<RawVehaas>,
    #[serde(default)]
    ui: UiConfig,
    #[serde(default)]
    http: HttpConfig,
    #[serde(default)]
    contexts: BTreeMap<String, RawContext>,
    #[serde(default)]
    keys: BTreeMap<String, KeyList>,
    #[serde(default)]
    theme: BTreeMap<String, String>,
}

/// One key or several.
#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(k) => vec![k],
            Self::Many(ks) => ks,
        }
    }
}

#[derive(Deserialize)]
struct RawContext {
    gitlab: RawGitlab,
    #[serde(default)]
    vehaas: Option<RawVehaas>,
}

/// A service table: the keys every service has (address, token source, TLS), then its own.
/// No `#[serde(flatten)]`: it would hide unknown keys from `serde_ignored`.
macro_rules! service_table {
    ($name:ident { $($(#[$attr:meta])* $field:ident: $ty:ty,)* }) => {
        #[derive(Deserialize)]
        struct $name {
            url: String,
            token_env: Option<String>,
            token_command: Option<String>,
            token_file: Option<PathBuf>,
            #[serde(default, deserialize_with = "secret")]
            token: Option<SecretString>,
            ca_cert: Option<PathBuf>,
            client_cert: Option<PathBuf>,
            client_key: Option<PathBuf>,
            #[serde(default)]
            insecure_skip_verify: bool,
            #[serde(default)]
            allow_insecure_http: bool,
            $($(#[$attr])* $field: $ty,)*
        }

        impl $name {
            /// The shared keys, checked, for the table called `table`.
            fn common(&mut self, table: &str) -> Result<Common, String> {
                check_url(table, &self.url)?;
                let token = token_source(
                    table,
                    self.token_env.take(),
                    self.token_command.take(),
                    self.token_file.take(),
                    self.token.take(),
                )?;
                let tls = TlsOptions {
                    table: Some(table.to_string()),
                    ca_cert: self.ca_cert.take(),
                    client_cert: self.client_cert.take(),
                    client_key: self.client_key.take(),
                    insecure_skip_verify: self.insecure_skip_verify,
                    allow_insecure_http: self.allow_insecure_http,
                };
                check_client_cert(table, &tls)?;
                Ok(Common {
                    url: std::mem::take(&mut self.url),
                    token,
                    tls,
                })
            }
        }
    };
}

service_table!(RawGitlab {
    name: Option<String>,
    color: Option<String>,
    #[serde(default)]
    read_only: bool,
});

service_table!(RawVehaas {
    #[serde(default)]
    paths: VehaasPaths,
    max_duration: Option<String>,
});

struct Common {
    url: String,
    token: TokenSource,
    tls: TlsOptions,
}

/// `max_duration = "7d"`: a duration of at least the shortest booking.
fn max_duration(table: &str, text: Option<&str>) -> Result<Option<Duration>, String> {
    let Some(text) = text else {
        return Ok(None);
    };
    let min = crate::duration::Limits::default().min;
    match crate::duration::parse_human(text) {
        Ok(d) if d >= min => Ok(Some(d)),
        Ok(_) => Err(format!(
            "`{table}.max_duration` = {text:?} is shorter than the shortest booking (1m)"
        )),
        Err(e) => Err(format!("`{table}.max_duration`: {e}")),
    }
}

/// A secret string, wiped when dropped.
pub(super) fn secret<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SecretString>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(SecretString::from))
}

impl RawConfig {
    pub(super) fn into_config(self, path: &Path) -> Result<Config, String> {
        let mut contexts = BTreeMap::new();
        for (name, ctx) in self.contexts {
            if name == DEFAULT_CONTEXT {
                return Err(format!(
                    "[contexts.{DEFAULT_CONTEXT}] is taken by the top-level [gitlab]: pick another name"
                ));
            }
            let prefix = format!("contexts.{name}.");
            let (gitlab, vehaas) = services(&prefix, ctx.gitlab, ctx.vehaas)?;
            contexts.insert(name, ContextConfig { gitlab, vehaas });
        }
        let (gitlab, vehaas) = services("", self.gitlab, self.vehaas)?;
        Ok(Config {
            gitlab,
            vehaas,
            ui: self.ui,
            http: self.http,
            contexts,
            keys: self
                .keys
                .into_iter()
                .map(|(k, v)| (k, v.into_vec()))
                .collect(),
            theme: self.theme,
            origin: Origin::File(path.to_path_buf()),
        })
    }
}

fn services(
    prefix: &str,
    mut gitlab: RawGitlab,
    vehaas: Option<RawVehaas>,
) -> Result<(GitlabConfig, Option<VehaasConfig>), String> {
    let c = gitlab.common(&format!("{prefix}gitlab"))?;
    let gitlab = GitlabConfig {
        url: c.url,
        token: c.token,
        tls: c.tls,
        name: gitlab.name,
        color: gitlab.color,
        read_only: gitlab.read_only,
    };
    let vehaas = match vehaas {
        Some(mut v) => {
            let table = format!("{prefix}vehaas");
            let c = v.common(&table)?;
            Some(VehaasConfig {
                url: c.url,
                token: c.token,
                tls: c.tls,
                paths: v.paths,
                max_duration: max_duration(&table, v.max_duration.as_deref())?,
            })
        }
        None => None,
    };
    Ok((gitlab, vehaas))
}

fn check_url(table: &str, url: &str) -> Result<(), String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(format!(
            "`{table}.url` must start with https:// (or http://), got {url:?}"
        ))
    }
}

fn token_source(
    table: &str,
    env: Option<String>,
    command: Option<String>,
    file: Option<PathBuf>,
    inline: Option<SecretString>,
) -> Result<TokenSource, String> {
    let mut set = [
        env.map(TokenSource::Env),
        command.map(TokenSource::Command),
        file.map(TokenSource::File),
        inline.map(TokenSource::Inline),
    ]
    .into_iter()
    .flatten();
    match (set.next(), set.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(format!(
            "[{table}] needs token_env = \"NAME_OF_ENV_VAR\" (or token_command / token_file, or token = \"...\" in a config file only you can read)"
        )),
        (Some(_), Some(_)) => Err(format!(
            "[{table}] sets more than one of token_env, token_command, token_file, token: keep one"
        )),
    }
}

fn check_client_cert(table: &str, tls: &TlsOptions) -> Result<(), String> {
    match (&tls.client_cert, &tls.client_key) {
        (Some(_), None) => Err(format!(
            "[{table}] has client_cert but no client_key: set both (the key is the certificate's private key, PEM)"
        )),
        (None, Some(_)) => Err(format!(
            "[{table}] has client_key but no client_cert: set both (the certificate, PEM)"
        )),
        _ => Ok(()),
    }
}

/// `contexts.staging.gitlab.colour`: the full dotted path of an unknown key (serde_ignored's
/// own `Display` marks each `Option` with a `?`).
pub(super) fn dotted(path: &serde_ignored::Path<'_>) -> String {
    fn walk(p: &serde_ignored::Path<'_>, out: &mut Vec<String>) {
        use serde_ignored::Path as P;
        match p {
            P::Root => {}
            P::Seq { parent, index } => {
                walk(parent, out);
                out.push(index.to_string());
            }
            P::Map { parent, key } => {
                walk(parent, out);
                out.push(key.clone());
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                walk(parent, out)
            }
        }
    }
    let mut parts = Vec::new();
    walk(path, &mut parts);
    parts.join(".")
}
