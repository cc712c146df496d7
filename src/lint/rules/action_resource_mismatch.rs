//! ## What it does
//! Reports a `Resource` ARN that none of the statement's actions can act on: for example an S3
//! object ARN (`arn:aws:s3:::b/*`) given only to `s3:ListBucket`, which acts on buckets.
//!
//! ## Why is this bad?
//! IAM matches actions and resources pairwise; a resource no action applies to grants nothing, so
//! the workload is denied (`ListBucket` on `b/*` never matches; it needs `arn:aws:s3:::b`).
//!
//! ## Example
//! ```json
//! {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data/*"}
//! ```
//!
//! Use instead:
//! ```json
//! {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::data"}
//! ```

use crate::lint::catalog::catalog;
use crate::lint::policy::Policy;
use crate::lint::rule::{Findings, RuleMeta, Severity};

/// The rule.
pub static RULE: RuleMeta = RuleMeta {
    code: "IAM019",
    name: "action-resource-mismatch",
    since: "0.1.0",
    severity: Severity::Warning,
    title: "No action in the statement applies to this resource",
    aws_code: None,
    source: include_str!("action_resource_mismatch.rs"),
    check,
};

fn check(p: &Policy, out: &mut Findings) {
    let c = catalog();
    for st in &p.statements {
        let (Some(actions), Some(resources)) = (st.actions(), st.resources()) else {
            continue;
        };
        if actions.opaque || actions.items.iter().any(|t| t.value.is_none()) {
            continue;
        }
        // `*` (or `svc:*` for the resource's service) fits every resource of the service.
        let mut any_action_services: Vec<String> = Vec::new();
        // Resource types by name only: actions list other services' types (`ssm:SendCommand`
        // acts on EC2 `instance`).
        let mut fits_types: std::collections::HashSet<&'static str> =
            std::collections::HashSet::new();
        let mut action_services: std::collections::HashSet<&'static str> =
            std::collections::HashSet::new();
        let mut unknown = false;
        for (a, _) in actions.known() {
            if a == "*" {
                unknown = true;
                break;
            }
            if let Some(svc) = a.strip_suffix(":*") {
                any_action_services.push(svc.to_ascii_lowercase());
                continue;
            }
            let e = c.expand(a);
            if e.is_empty() {
                // Unknown actions are another rule's business; don't guess.
                unknown = true;
                break;
            }
            for r in e {
                if r.action.resource_types.is_empty() {
                    // An action that only takes `*`: the statement's ARNs may be meant for it;
                    // don't second-guess mixed statements.
                    unknown = true;
                }
                action_services.insert(r.service.prefix);
                for (rt, _) in &r.action.resource_types {
                    fits_types.insert(rt);
                }
            }
        }
        if unknown {
            continue;
        }
        for (arn, span) in resources.known() {
            let Some((svc, types)) = crate::lint::arn::lookup(arn) else {
                continue;
            };
            // API Gateway v1 and v2 share the `apigateway` prefix and action names, and the
            // published data merges them, so its action/resource pairs cannot be trusted.
            if svc.prefix == "apigateway"
                || types.is_empty()
                || !types.iter().any(|t| svc.is_referenced(t.name))
            {
                continue;
            }
            if !action_services.contains(svc.prefix) {
                continue; // another service's ARN: not enough to judge
            }
            let fits = any_action_services.iter().any(|s| s == svc.prefix)
                || types.iter().any(|t| fits_types.contains(t.name));
            if !fits {
                let names: Vec<_> = types.iter().map(|t| t.name).collect();
                out.push(
                    span,
                    format!(
                        "no action in this statement acts on `{arn}` ({} {}); use the ARN of the resource the actions need, or move it to a statement with matching actions",
                        svc.prefix,
                        names.join("/")
                    ),
                );
            }
        }
    }
}
