//! Lint configuration: the config file (`.emrform-lint.json`) and inline suppressions
//! (`# emrform:ignore IAM001 reason` in `.tf` files).

use super::registry;
use super::rule::{RuleMeta, Severity};
use super::LintOptions;
use crate::diag::FileId;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The config file name looked up in the current directory and its parents.
pub const CONFIG_FILE: &str = ".emrform-lint.json";

/// The config file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Rule selectors to run.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule selectors to skip.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Minimum severity to report.
    #[serde(default)]
    pub min_severity: Option<String>,
    /// Severity overrides per rule selector.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Rule selectors ignored in files matching a glob.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable.
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    /// Not the expected JSON.
    #[error("{0} is not a valid lint config: {1}")]
    Parse(PathBuf, serde_json::Error),
    /// Names a rule that does not exist or a bad severity.
    #[error("{0}: {1}")]
    Invalid(PathBuf, String),
}

impl ConfigFile {
    /// Finds `.emrform-lint.json` in `start` or its parents.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            let p = d.join(CONFIG_FILE);
            if p.is_file() {
                return Some(p);
            }
            dir = d.parent();
        }
        None
    }

    /// Reads and validates a config file.
    ///
    /// # Errors
    /// [`ConfigError`] when the file is unreadable, not JSON of the expected shape, or names
    /// unknown rules or severities.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.into(), e))?;
        let c: ConfigFile =
            serde_json::from_str(&text).map_err(|e| ConfigError::Parse(path.into(), e))?;
        let sels = c
            .select
            .iter()
            .chain(&c.ignore)
            .chain(c.severity.keys())
            .chain(c.per_file_ignores.values().flatten());
        for s in sels {
            check_selector(s).map_err(|m| ConfigError::Invalid(path.into(), m))?;
        }
        for s in c.severity.values().chain(c.min_severity.as_ref()) {
            if Severity::parse(s).is_none() {
                return Err(ConfigError::Invalid(
                    path.into(),
                    format!("`{s}` is not a severity (info, warning, error)"),
                ));
            }
        }
        Ok(c)
    }

    /// Applies the file to options (command-line options given later override it).
    pub fn apply(&self, opts: &mut LintOptions) {
        opts.select.extend(self.select.iter().cloned());
        opts.ignore.extend(self.ignore.iter().cloned());
        if let Some(s) = self.min_severity.as_deref().and_then(Severity::parse) {
            opts.min_severity = s;
        }
        for (k, v) in &self.severity {
            if let Some(s) = Severity::parse(v) {
                opts.severity_overrides.push((k.clone(), s));
            }
        }
        for (g, sels) in &self.per_file_ignores {
            opts.per_file_ignores.push((g.clone(), sels.clone()));
        }
    }
}

/// Checks that a selector names at least one rule.
///
/// # Errors
/// A message naming the selector (and a retired code's replacement) when it selects nothing.
pub fn check_selector(s: &str) -> Result<(), String> {
    if registry::matching(s).is_empty() {
        if let Some(w) = super::retired::lookup(s) {
            return Err(format!("rule `{s}` was retired: {w}"));
        }
        return Err(format!("`{s}` matches no rule; see `emrform rule --all`"));
    }
    Ok(())
}

/// True when `path` matches a glob (`modules/**`, `*.json`), also trying the file name alone.
pub fn path_matches(glob: &str, path: &Path) -> bool {
    let Ok(g) = globset::Glob::new(glob) else {
        return false;
    };
    let m = g.compile_matcher();
    m.is_match(path) || path.file_name().is_some_and(|n| m.is_match(n))
}

/// Inline suppressions of one file: `# emrform:ignore RULE[,RULE] reason` (or `//`) silences
/// the named rules on its own line and on the next line.
#[derive(Debug, Default, Clone)]
pub struct Suppressions {
    file: Option<FileId>,
    /// `(line, selectors)` of each comment (1-based).
    pub entries: Vec<(usize, Vec<String>)>,
}

impl Suppressions {
    /// Finds suppression comments in HCL text.
    pub fn from_hcl(file: FileId, text: &str) -> Suppressions {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let Some(pos) = line.find("emrform:ignore") else {
                continue;
            };
            let before = &line[..pos];
            if !(before.contains('#') || before.contains("//") || before.contains("/*")) {
                continue;
            }
            let rest = &line[pos + "emrform:ignore".len()..];
            let sels: Vec<String> = rest
                .split_whitespace()
                .next()
                .map(|s| {
                    s.split(',')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            if !sels.is_empty() {
                entries.push((i + 1, sels));
            }
        }
        Suppressions {
            file: Some(file),
            entries,
        }
    }

    /// True when a finding of `rule` at `line` of `file` is suppressed.
    pub fn suppresses(&self, file: FileId, line: usize, rule: &RuleMeta) -> bool {
        if self.file != Some(file) {
            return false;
        }
        self.entries.iter().any(|(l, sels)| {
            (*l == line || *l + 1 == line)
                && sels.iter().any(|s| {
                    s.eq_ignore_ascii_case("all")
                        || registry::matching(s).iter().any(|r| r.code == rule.code)
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suppression_comments() {
        let s = Suppressions::from_hcl(
            FileId(3),
            "a = 1\n  # emrform:ignore IAM001,IAM003 legacy job\nAction = \"*\"\n",
        );
        let r = registry::find("IAM001").unwrap();
        assert!(s.suppresses(FileId(3), 3, r));
        assert!(s.suppresses(FileId(3), 2, r));
        assert!(!s.suppresses(FileId(3), 4, r));
        assert!(!s.suppresses(FileId(2), 3, r));
        assert!(!s.suppresses(FileId(3), 3, registry::find("IAM002").unwrap()));
    }

    #[test]
    fn rejects_unknown_rules() {
        assert!(check_selector("IAM999").is_err());
        assert!(check_selector("wildcard-action").is_ok());
    }
}
