//! ## What it does
//! Checks resource ARNs: `arn:partition:service:region:account:resource` with six parts, and
//! no region or account for services that have none (S3 buckets and objects, IAM).
//!
//! ## Why is this bad?
//! IAM rejects malformed ARNs; an S3 ARN with a region or account matches nothing, so the
//! permission silently does not work.
//!
//! ## Example
//! `arn:aws:s3:us-east-1:123456789012:my-bucket/*`
//!
//! Use instead: `arn:aws:s3:::my-bucket/*`.

use crate::lint::rule::{push, statements, LintFinding, PolicyDoc, Rule, RuleMeta, Severity};

/// IAM008.
pub struct InvalidArn;

impl Rule for InvalidArn {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: "IAM008",
            name: "invalid-arn",
            severity: Severity::Error,
            title: "malformed resource ARN",
            aws_code: Some("INVALID_ARN_RESOURCE"),
            since: "0.1.0",
        }
    }
    fn doc(&self) -> &'static str {
        include_str!("invalid_arn.rs")
    }
    fn check(&self, doc: &PolicyDoc, out: &mut Vec<LintFinding>) {
        for s in statements(&doc.node) {
            for key in ["Resource", "NotResource"] {
                for (r, sp) in s.values(key) {
                    if r == "*" || r.contains("${") {
                        continue;
                    }
                    let parts: Vec<&str> = r.splitn(6, ':').collect();
                    if parts.len() < 6
                        || parts[0] != "arn"
                        || parts[1].is_empty()
                        || parts[2].is_empty()
                    {
                        push(self, doc, sp, format!("\"{r}\" is not an ARN (arn:partition:service:region:account:resource)"), out);
                        continue;
                    }
                    let (svc, region, account) = (parts[2], parts[3], parts[4]);
                    if (svc == "s3" && !parts[5].contains(":"))
                        && (!region.is_empty() || !account.is_empty())
                        && !r.starts_with("arn:aws:s3:::")
                    {
                        push(self, doc, sp, format!("S3 bucket and object ARNs have no region or account: write \"arn:{}:s3:::{}\"", parts[1], parts[5]), out);
                    } else if svc == "iam" && !region.is_empty() {
                        push(
                            self,
                            doc,
                            sp,
                            format!("IAM ARNs have no region: \"{r}\""),
                            out,
                        );
                    }
                }
            }
        }
    }
}
