//! Module source addresses and version constraints, as Terraform reads them: local paths,
//! registry addresses (`[HOST/]NAMESPACE/NAME/PROVIDER[//SUBDIR]`, with a `version`
//! constraint such as `~> 5.0`) and git URLs (`git::URL[//SUBDIR][?ref=REF]`, `github.com/o/r`,
//! `git@host:o/r.git`). Pure parsing: fetching is `emrform init`'s job.

/// The default module registry host.
pub const DEFAULT_REGISTRY: &str = "registry.terraform.io";

/// A parsed module source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleSource {
    /// `./x` or `../x`.
    Local(String),
    /// A registry module.
    Registry {
        /// Registry host.
        host: String,
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
        /// Target system (`aws`).
        provider: String,
        /// A subdirectory of the package (`//modules/x`).
        subdir: Option<String>,
    },
    /// A git repository.
    Git {
        /// What `git clone` takes.
        url: String,
        /// `?ref=`: a tag, branch or commit.
        reference: Option<String>,
        /// A subdirectory of the repository.
        subdir: Option<String>,
    },
    /// A gzipped tarball over HTTP(S) (`https://…/m.tar.gz`, `…?archive=tar.gz`), as private
    /// registries serve modules.
    Archive {
        /// The URL to download.
        url: String,
        /// A subdirectory of the archive.
        subdir: Option<String>,
    },
    /// Anything else (S3, GCS, zip archives, Mercurial): not fetched.
    Unsupported(String),
}

/// Splits `//subdir` off a source whose scheme (`https://`) is already removed from `rest`.
fn split_subdir(s: &str) -> (String, Option<String>) {
    let scheme_end = s.find("://").map_or(0, |i| i + 3);
    match s[scheme_end..].find("//") {
        Some(i) => {
            let at = scheme_end + i;
            let (base, sub) = (&s[..at], &s[at + 2..]);
            // A query belongs to the base address.
            let (sub, query) = match sub.split_once('?') {
                Some((d, q)) => (d, format!("?{q}")),
                None => (sub, String::new()),
            };
            (
                format!("{base}{query}"),
                (!sub.is_empty()).then(|| sub.trim_end_matches('/').to_string()),
            )
        }
        None => (s.to_string(), None),
    }
}

fn git_source(url: &str) -> ModuleSource {
    let (base, subdir) = split_subdir(url);
    let (url, query) = match base.split_once('?') {
        Some((u, q)) => (u.to_string(), Some(q.to_string())),
        None => (base, None),
    };
    let reference = query.and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("ref=").map(str::to_string))
    });
    ModuleSource::Git {
        url,
        reference,
        subdir,
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Parses a module `source`.
pub fn parse(source: &str) -> ModuleSource {
    let s = source.trim();
    if s.starts_with("./") || s.starts_with("../") || s == "." || s == ".." {
        return ModuleSource::Local(s.to_string());
    }
    if let Some(rest) = s.strip_prefix("git::") {
        return git_source(rest);
    }
    if s.starts_with("git@") {
        return git_source(s);
    }
    if let Some(rest) = s.strip_prefix("github.com/") {
        let (base, subdir) = split_subdir(rest);
        let (path, query) = match base.split_once('?') {
            Some((p, q)) => (p.to_string(), format!("?{q}")),
            None => (base, String::new()),
        };
        let path = path.trim_end_matches(".git");
        let sub = subdir.map(|d| format!("//{d}")).unwrap_or_default();
        return git_source(&format!("https://github.com/{path}.git{sub}{query}"));
    }
    let http = s.strip_prefix("http::").unwrap_or(s);
    if http.starts_with("https://") || http.starts_with("http://") {
        let (base, subdir) = split_subdir(http);
        let path = base.split('?').next().unwrap_or("");
        let query = base.split_once('?').map(|(_, q)| q).unwrap_or("");
        let tarball = path.ends_with(".tar.gz")
            || path.ends_with(".tgz")
            || query
                .split('&')
                .any(|kv| kv == "archive=tar.gz" || kv == "archive=tgz");
        if tarball {
            let url = query
                .split('&')
                .filter(|kv| !kv.starts_with("archive="))
                .collect::<Vec<_>>()
                .join("&");
            let url = if url.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{url}")
            };
            return ModuleSource::Archive { url, subdir };
        }
        return ModuleSource::Unsupported(s.to_string());
    }
    if s.contains("::") || s.contains("://") {
        return ModuleSource::Unsupported(s.to_string());
    }
    let (base, subdir) = split_subdir(s);
    let parts: Vec<&str> = base.split('/').collect();
    let (host, rest) = match parts.len() {
        3 => (DEFAULT_REGISTRY.to_string(), &parts[..]),
        4 if parts[0].contains('.') => (parts[0].to_ascii_lowercase(), &parts[1..]),
        _ => return ModuleSource::Unsupported(s.to_string()),
    };
    if !rest.iter().all(|p| is_name(p)) {
        return ModuleSource::Unsupported(s.to_string());
    }
    ModuleSource::Registry {
        host,
        namespace: rest[0].to_string(),
        name: rest[1].to_string(),
        provider: rest[2].to_string(),
        subdir,
    }
}

/// A version `MAJOR.MINOR.PATCH[-PRE]`, compared as semantic versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Numeric parts (missing ones are 0).
    pub parts: [u64; 3],
    /// Pre-release: `None` sorts after any pre-release.
    pub pre: Option<PreRelease>,
}

/// A pre-release suffix, sorting before the release.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PreRelease(pub String);

impl Version {
    /// Parses `1.2.3`, `v1.2`, `1.2.3-beta1`.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches('v');
        let (nums, pre) = match s.split_once('-') {
            Some((n, p)) => (n, Some(p.to_string())),
            None => (s, None),
        };
        let nums = nums.split('+').next()?;
        let mut parts = [0u64; 3];
        let mut n = 0;
        for (i, p) in nums.split('.').enumerate() {
            if i >= 3 {
                return None;
            }
            parts[i] = p.parse().ok()?;
            n += 1;
        }
        (n > 0).then_some(Version {
            parts,
            pre: pre.map(PreRelease),
        })
    }

    fn key(&self) -> ([u64; 3], bool, String) {
        (
            self.parts,
            self.pre.is_none(),
            self.pre.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
        )
    }
}

/// True when `version` meets every comma-separated constraint (`=`, `!=`, `>`, `>=`, `<`,
/// `<=`, `~>`; no operator means `=`). Pre-releases match only an exact `=`, as in Terraform.
///
/// # Errors
/// A constraint or version that does not parse.
pub fn matches(constraint: &str, version: &str) -> Result<bool, String> {
    let v = Version::parse(version).ok_or_else(|| format!("{version:?} is not a version"))?;
    let mut all = true;
    let mut exact = false;
    for c in constraint
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let (op, rest) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| c.strip_prefix(op).map(|r| (*op, r.trim())))
            .unwrap_or(("=", c));
        let want =
            Version::parse(rest).ok_or_else(|| format!("{c:?} is not a version constraint"))?;
        let count = rest
            .trim_start_matches('v')
            .split('-')
            .next()
            .unwrap_or("")
            .split('.')
            .count();
        let ok = match op {
            "=" => {
                exact = true;
                v.key() == want.key()
            }
            "!=" => v.key() != want.key(),
            ">" => v.key() > want.key(),
            ">=" => v.key() >= want.key(),
            "<" => v.key() < want.key(),
            "<=" => v.key() <= want.key(),
            _ => {
                // `~> 1.2` allows 1.x from 1.2; `~> 1.2.3` allows 1.2.x from 1.2.3.
                let mut upper = want.parts;
                match count {
                    1 => upper = [upper[0] + 1, 0, 0],
                    2 => {
                        upper[0] += 1;
                        upper[1] = 0;
                        upper[2] = 0;
                    }
                    _ => {
                        upper[1] += 1;
                        upper[2] = 0;
                    }
                }
                v.key() >= want.key() && v.parts < upper
            }
        };
        all &= ok;
    }
    Ok(all && (v.pre.is_none() || exact))
}

/// The newest of `versions` that meets `constraint` (any release when `None`).
///
/// # Errors
/// A constraint that does not parse.
pub fn newest_matching(
    versions: &[String],
    constraint: Option<&str>,
) -> Result<Option<String>, String> {
    let mut best: Option<(Version, &String)> = None;
    for v in versions {
        let Some(parsed) = Version::parse(v) else {
            continue;
        };
        let ok = match constraint {
            Some(c) => matches(c, v)?,
            None => parsed.pre.is_none(),
        };
        if ok && best.as_ref().is_none_or(|(b, _)| parsed.key() > b.key()) {
            best = Some((parsed, v));
        }
    }
    Ok(best.map(|(_, s)| s.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        assert_eq!(parse("./net"), ModuleSource::Local("./net".into()));
        assert_eq!(
            parse("terraform-aws-modules/vpc/aws"),
            ModuleSource::Registry {
                host: DEFAULT_REGISTRY.into(),
                namespace: "terraform-aws-modules".into(),
                name: "vpc".into(),
                provider: "aws".into(),
                subdir: None
            }
        );
        assert_eq!(
            parse("app.terraform.io/acme/emr/aws//modules/app"),
            ModuleSource::Registry {
                host: "app.terraform.io".into(),
                namespace: "acme".into(),
                name: "emr".into(),
                provider: "aws".into(),
                subdir: Some("modules/app".into())
            }
        );
        assert_eq!(
            parse("git::https://example.com/net.git//modules/vpc?ref=v1.2.0"),
            ModuleSource::Git {
                url: "https://example.com/net.git".into(),
                reference: Some("v1.2.0".into()),
                subdir: Some("modules/vpc".into())
            }
        );
        assert_eq!(
            parse("github.com/acme/net?ref=main"),
            ModuleSource::Git {
                url: "https://github.com/acme/net.git".into(),
                reference: Some("main".into()),
                subdir: None
            }
        );
        assert_eq!(
            parse("git@github.com:acme/net.git"),
            ModuleSource::Git {
                url: "git@github.com:acme/net.git".into(),
                reference: None,
                subdir: None
            }
        );
        assert!(matches!(
            parse("s3::https://b.s3.amazonaws.com/m.zip"),
            ModuleSource::Unsupported(_)
        ));
        assert!(matches!(parse("a/b"), ModuleSource::Unsupported(_)));
    }

    #[test]
    fn constraints() {
        let ok = |c: &str, v: &str| matches(c, v).expect("parses");
        assert!(ok("~> 5.0", "5.8.1"));
        assert!(!ok("~> 5.0", "6.0.0"));
        assert!(ok("~> 5.8.0", "5.8.9"));
        assert!(!ok("~> 5.8.0", "5.9.0"));
        assert!(ok(">= 1.2, < 2.0", "1.9.9"));
        assert!(!ok(">= 1.2, < 2.0", "2.0.0"));
        assert!(ok("1.0.0", "1.0.0"));
        assert!(!ok("!= 1.0.0", "1.0.0"));
        assert!(!ok(">= 1.0", "2.0.0-beta1"));
        assert!(ok("= 2.0.0-beta1", "2.0.0-beta1"));
        assert!(matches("~> x", "1.0.0").is_err());
        let vs: Vec<String> = ["4.0.0", "5.1.0", "5.8.1", "6.0.0-rc1", "6.0.0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            newest_matching(&vs, Some("~> 5.0"))
                .ok()
                .flatten()
                .as_deref(),
            Some("5.8.1")
        );
        assert_eq!(
            newest_matching(&vs, None).ok().flatten().as_deref(),
            Some("6.0.0")
        );
        assert_eq!(newest_matching(&vs, Some("> 7")).ok().flatten(), None);
    }
}
