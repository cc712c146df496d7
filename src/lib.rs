//! emrform: plan and apply Amazon EMR Serverless stacks written in the Terraform language.
//!
//! The pipeline (DESIGN §2): [`config`] loads and evaluates HCL into resource instances,
//! [`graph`] orders them, [`providers`] read and change live AWS, [`plan`] diffs and decides,
//! [`render`] prints plans and findings, [`apply`] carries a plan out, [`state`] remembers what
//! exists, and [`lint`] checks IAM policies. [`cli`] wires the commands together.

pub mod addrs;
pub mod apply;
pub mod checks;
pub mod cli;
pub mod config;
pub mod diag;
pub mod graph;
pub mod lint;
pub mod plan;
pub mod providers;
pub mod render;
pub mod state;

/// Tests that keep a generated section of README.md equal to what the code says.
#[cfg(test)]
pub(crate) mod readme_section {
    /// Asserts that README.md holds `want` between `<!-- NAME:start -->` and `<!-- NAME:end -->`;
    /// with `EMRFORM_UPDATE_README=1` it rewrites the section instead.
    pub fn check(name: &str, want: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let (start, end) = (
            format!("<!-- {name}:start -->\n"),
            format!("<!-- {name}:end -->"),
        );
        let (Some(a), Some(b)) = (text.find(&start), text.find(&end)) else {
            panic!("README.md has no {name} markers");
        };
        let have = &text[a + start.len()..b];
        if have != want && std::env::var_os("EMRFORM_UPDATE_README").is_some() {
            let new = format!("{}{}{}", &text[..a + start.len()], want, &text[b..]);
            if let Err(e) = std::fs::write(&path, new) {
                panic!("writing README.md: {e}");
            }
            return;
        }
        assert_eq!(
            have, want,
            "run with EMRFORM_UPDATE_README=1 to refresh README.md"
        );
    }
}
