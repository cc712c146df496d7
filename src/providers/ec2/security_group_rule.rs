//! `aws_security_group_rule`: the legacy one-rule resource (an IpPermission of a security
//! group, possibly with several sources). Id = `sgrule-<hash>` computed from the permission as
//! the AWS provider does; import id = `SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE]*`. Only
//! `description` updates in place (UpdateSecurityGroupRuleDescriptions*); every other argument
//! forces replacement. State keeps the configured sources: a read only checks that the
//! permission still holds all of them and picks up the description.

use super::security_group::normalize_protocol;
use super::Net;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::planning::{diff, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeMap;
use std::time::Instant;

fn no() -> Value {
    Value::Bool(false)
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::config("cidr_blocks").force_new(),
    AttrSpec::config("description"),
    AttrSpec::config("from_port").force_new(),
    AttrSpec::computed("id"),
    AttrSpec::config("ipv6_cidr_blocks").force_new(),
    AttrSpec::config("prefix_list_ids").force_new(),
    AttrSpec::config("protocol").force_new(),
    AttrSpec::config("security_group_id").force_new(),
    AttrSpec::computed("security_group_rule_id"),
    AttrSpec::config("self").default(no).force_new(),
    AttrSpec::optional_computed("source_security_group_id").force_new(),
    AttrSpec::config("timeouts"),
    AttrSpec::config("to_port").force_new(),
    AttrSpec::config("type").force_new(),
];

fn egress(v: &Value) -> bool {
    str_of(v, "type") == Some("egress")
}

/// Protocols compare by name (`6` = `tcp`, `all` = `-1`).
fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    if let Some(p) = str_of(v, "protocol") {
        out.insert("protocol".into(), Value::from(normalize_protocol(p)));
    }
    Value::Map(out)
}

/// The source groups of a rule: `source_security_group_id` (maybe `account/sg-…`) and, with
/// `self`, the rule's own group. Pairs of (account, group id).
fn groups(v: &Value) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    if let Some(src) = str_of(v, "source_security_group_id") {
        match src.split_once('/') {
            Some((acct, g)) => out.push((Some(acct.to_string()), g.to_string())),
            None => out.push((None, src.to_string())),
        }
    }
    if bool_of(v, "self") == Some(true) {
        if let Some(own) = str_of(v, "security_group_id") {
            if !out.iter().any(|(_, g)| g == own) {
                out.push((None, own.to_string()));
            }
        }
    }
    out
}

/// The IpPermission the rule stands for (with its description on every source).
pub fn permission(v: &Value) -> t::IpPermission {
    let proto = normalize_protocol(str_of(v, "protocol").unwrap_or("-1"));
    let desc = str_of(v, "description").map(str::to_string);
    let mut b = t::IpPermission::builder().ip_protocol(&proto);
    if proto != "-1" {
        b = b
            .set_from_port(int_of(v, "from_port").map(|n| n as i32))
            .set_to_port(int_of(v, "to_port").map(|n| n as i32));
    }
    for c in strings(v, "cidr_blocks") {
        b = b.ip_ranges(
            t::IpRange::builder()
                .cidr_ip(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    for c in strings(v, "ipv6_cidr_blocks") {
        b = b.ipv6_ranges(
            t::Ipv6Range::builder()
                .cidr_ipv6(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    for p in strings(v, "prefix_list_ids") {
        b = b.prefix_list_ids(
            t::PrefixListId::builder()
                .prefix_list_id(p)
                .set_description(desc.clone())
                .build(),
        );
    }
    for (acct, g) in groups(v) {
        b = b.user_id_group_pairs(
            t::UserIdGroupPair::builder()
                .group_id(g)
                .set_user_id(acct)
                .set_description(desc.clone())
                .build(),
        );
    }
    b.build()
}

/// The AWS provider's rule id: `sgrule-` + the hash code of group, ports, protocol, type and
/// the sorted sources of the permission.
pub fn rule_id(group: &str, rule_type: &str, p: &t::IpPermission) -> String {
    let mut buf = format!("{group}-");
    for port in [p.from_port(), p.to_port()] {
        if let Some(n) = port.filter(|n| *n > 0) {
            buf.push_str(&format!("{n}-"));
        }
    }
    buf.push_str(&format!("{}-", p.ip_protocol().unwrap_or_default()));
    buf.push_str(&format!("{rule_type}-"));
    let mut push_sorted = |mut items: Vec<String>| {
        items.sort();
        for i in items {
            buf.push_str(&format!("{i}-"));
        }
    };
    push_sorted(
        p.ip_ranges()
            .iter()
            .map(|r| r.cidr_ip().unwrap_or_default().to_string())
            .collect(),
    );
    push_sorted(
        p.ipv6_ranges()
            .iter()
            .map(|r| r.cidr_ipv6().unwrap_or_default().to_string())
            .collect(),
    );
    push_sorted(
        p.prefix_list_ids()
            .iter()
            .map(|r| r.prefix_list_id().unwrap_or_default().to_string())
            .collect(),
    );
    let mut pairs: Vec<(String, String)> = p
        .user_id_group_pairs()
        .iter()
        .map(|g| {
            (
                g.group_id().unwrap_or_default().to_string(),
                g.group_name().unwrap_or_default().to_string(),
            )
        })
        .collect();
    pairs.sort();
    for (id, name) in pairs {
        buf.push_str(&format!("{id}-{name}-"));
    }
    format!("sgrule-{}", super::hashcode(&buf))
}

/// The id for a rule object, when its group is known.
fn id_for(v: &Value) -> Option<String> {
    let group = str_of(v, "security_group_id")?;
    let kind = str_of(v, "type")?;
    Some(rule_id(group, kind, &permission(v)))
}

/// The live permission that holds every source of `want`, and the description found on them.
fn find_match<'a>(
    perms: &'a [t::IpPermission],
    want: &t::IpPermission,
) -> Option<(&'a t::IpPermission, Option<String>)> {
    let proto = want.ip_protocol().map(normalize_protocol);
    let p = perms.iter().find(|p| {
        p.ip_protocol().map(normalize_protocol) == proto
            && (proto.as_deref() == Some("-1")
                || (p.from_port() == want.from_port() && p.to_port() == want.to_port()))
            && want
                .ip_ranges()
                .iter()
                .all(|w| p.ip_ranges().iter().any(|r| r.cidr_ip() == w.cidr_ip()))
            && want.ipv6_ranges().iter().all(|w| {
                p.ipv6_ranges()
                    .iter()
                    .any(|r| r.cidr_ipv6() == w.cidr_ipv6())
            })
            && want.prefix_list_ids().iter().all(|w| {
                p.prefix_list_ids()
                    .iter()
                    .any(|r| r.prefix_list_id() == w.prefix_list_id())
            })
            && want.user_id_group_pairs().iter().all(|w| {
                p.user_id_group_pairs()
                    .iter()
                    .any(|r| r.group_id() == w.group_id())
            })
    })?;
    let descs = want
        .ip_ranges()
        .iter()
        .filter_map(|w| {
            p.ip_ranges()
                .iter()
                .find(|r| r.cidr_ip() == w.cidr_ip())
                .and_then(|r| r.description())
        })
        .chain(want.ipv6_ranges().iter().filter_map(|w| {
            p.ipv6_ranges()
                .iter()
                .find(|r| r.cidr_ipv6() == w.cidr_ipv6())
                .and_then(|r| r.description())
        }))
        .chain(want.prefix_list_ids().iter().filter_map(|w| {
            p.prefix_list_ids()
                .iter()
                .find(|r| r.prefix_list_id() == w.prefix_list_id())
                .and_then(|r| r.description())
        }))
        .chain(want.user_id_group_pairs().iter().filter_map(|w| {
            p.user_id_group_pairs()
                .iter()
                .find(|r| r.group_id() == w.group_id())
                .and_then(|r| r.description())
        }))
        .find(|d| !d.is_empty())
        .map(str::to_string);
    Some((p, descs))
}

/// The `sgr-` id of the first live rule matching the first source of `p`.
fn rule_match(p: &t::IpPermission, rules: &[t::SecurityGroupRule], egress: bool) -> Option<String> {
    let proto = p.ip_protocol().map(normalize_protocol);
    rules
        .iter()
        .filter(|r| r.is_egress() == Some(egress))
        .filter(|r| r.ip_protocol().map(normalize_protocol) == proto)
        .filter(|r| {
            proto.as_deref() == Some("-1")
                || (r.from_port() == p.from_port() && r.to_port() == p.to_port())
        })
        .find(|r| {
            if let Some(c) = p.ip_ranges().first() {
                r.cidr_ipv4() == c.cidr_ip()
            } else if let Some(c) = p.ipv6_ranges().first() {
                r.cidr_ipv6() == c.cidr_ipv6()
            } else if let Some(c) = p.prefix_list_ids().first() {
                r.prefix_list_id() == c.prefix_list_id()
            } else if let Some(g) = p.user_id_group_pairs().first() {
                r.referenced_group_info().and_then(|i| i.group_id()) == g.group_id()
            } else {
                false
            }
        })
        .and_then(|r| r.security_group_rule_id().map(str::to_string))
}

/// Parses an import id into the rule's arguments.
pub fn parse_import_id(id: &str) -> Result<Value, String> {
    let lower = id.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('_').collect();
    let bad = |why: &str| {
        format!(
            "import id {id:?} is not SECURITYGROUPID_TYPE_PROTOCOL_FROMPORT_TOPORT_SOURCE[_SOURCE]*: {why}"
        )
    };
    if parts.len() < 6 {
        return Err(bad("too few parts"));
    }
    if !parts[0].starts_with("sg-") {
        return Err(bad("invalid security group id"));
    }
    if parts[1] != "ingress" && parts[1] != "egress" {
        return Err(bad("type must be ingress or egress"));
    }
    let protocol = normalize_protocol(parts[2]);
    if !matches!(protocol.as_str(), "-1" | "tcp" | "udp" | "icmp" | "icmpv6")
        && protocol.parse::<i64>().is_err()
    {
        return Err(bad("protocol must be tcp/udp/icmp/icmpv6/all or a number"));
    }
    let from: i64 = parts[3].parse().map_err(|_| bad("invalid from_port"))?;
    let to: i64 = parts[4].parse().map_err(|_| bad("invalid to_port"))?;
    let mut cidrs = Vec::new();
    let mut v6 = Vec::new();
    let mut pls = Vec::new();
    let mut source = Value::Null;
    let mut own = false;
    for s in &parts[5..] {
        if *s == "self" {
            own = true;
        } else if s.contains("sg-") {
            source = Value::from(*s);
        } else if s.contains("pl-") {
            pls.push(s.to_string());
        } else if s.contains(':') {
            v6.push(s.to_string());
        } else if s.contains('.') {
            cidrs.push(s.to_string());
        } else {
            return Err(bad(
                "source must be a CIDR, an IPv6 CIDR, a prefix list, self or a group id",
            ));
        }
    }
    let list = |v: Vec<String>| {
        if v.is_empty() {
            Value::Null
        } else {
            string_list(v)
        }
    };
    Ok(Value::map([
        ("cidr_blocks", list(cidrs)),
        ("from_port", Value::from(from)),
        ("ipv6_cidr_blocks", list(v6)),
        ("prefix_list_ids", list(pls)),
        ("protocol", Value::from(protocol)),
        ("security_group_id", Value::from(parts[0])),
        ("self", Value::Bool(own)),
        ("source_security_group_id", source),
        ("to_port", Value::from(to)),
        ("type", Value::from(parts[1])),
    ]))
}

/// The security group rule resource.
pub struct SecurityGroupRuleResource(pub Net);

impl SecurityGroupRuleResource {
    /// The rule described by `v` (its arguments) as live now, or `None` when the group no
    /// longer holds all of its sources.
    async fn fetch(&self, ctx: &Ctx, v: &Value) -> Result<Option<Value>, ProviderError> {
        let group = str_of(v, "security_group_id")
            .ok_or_else(|| ctx.invalid("no security_group_id in prior state"))?;
        let egress = egress(v);
        let groups = self
            .0
            .api
            .describe_security_groups(&[group.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroups", e))?;
        let Some(g) = groups.first() else {
            return Ok(None);
        };
        let want = permission(v);
        let perms = if egress {
            g.ip_permissions_egress()
        } else {
            g.ip_permissions()
        };
        let Some((_, description)) = find_match(perms, &want) else {
            return Ok(None);
        };
        let rules = self
            .0
            .api
            .describe_security_group_rules(
                &[],
                &vec![("group-id".to_string(), vec![group.to_string()])],
            )
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroupRules", e))?;
        let mut m: Map = SPECS
            .iter()
            .map(|s| {
                (
                    s.name.to_string(),
                    v.get(s.name).cloned().map(known).unwrap_or(Value::Null),
                )
            })
            .collect();
        m.insert("description".into(), opt_str(description));
        m.insert(
            "id".into(),
            Value::from(rule_id(
                group,
                if egress { "egress" } else { "ingress" },
                &want,
            )),
        );
        m.insert(
            "security_group_rule_id".into(),
            opt_str(rule_match(&want, &rules, egress)),
        );
        m.insert(
            "protocol".into(),
            Value::from(
                str_of(v, "protocol")
                    .map(normalize_protocol)
                    .unwrap_or_else(|| "-1".into()),
            ),
        );
        if m.get("self").is_none_or(|s| s.as_bool().is_none()) {
            m.insert("self".into(), Value::Bool(false));
        }
        Ok(Some(Value::Map(m)))
    }

    fn op(egress: bool, ingress_op: &'static str, egress_op: &'static str) -> &'static str {
        if egress {
            egress_op
        } else {
            ingress_op
        }
    }
}

#[async_trait]
impl ResourceProvider for SecurityGroupRuleResource {
    fn type_name(&self) -> &'static str {
        "aws_security_group_rule"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &BTreeMap::new(), &normalize);
        if (prior.is_none() || !d.replace.is_empty()) && desired.is_wholly_known() {
            // The id follows from the arguments once they are all known.
            if let (Value::Map(m), Some(id)) = (&mut d.planned, id_for(desired)) {
                m.insert("id".into(), Value::from(id));
            }
        }
        let e = egress(&d.planned);
        let ops = match prior {
            None => vec![ApiOp::call(Self::op(
                e,
                "AuthorizeSecurityGroupIngress",
                "AuthorizeSecurityGroupEgress",
            ))],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call(Self::op(
                    e,
                    "RevokeSecurityGroupIngress",
                    "RevokeSecurityGroupEgress",
                )),
                ApiOp::call(Self::op(
                    e,
                    "AuthorizeSecurityGroupIngress",
                    "AuthorizeSecurityGroupEgress",
                )),
            ],
            Some(_) if d.has("description") => vec![ApiOp::with_fields(
                Self::op(
                    e,
                    "UpdateSecurityGroupRuleDescriptionsIngress",
                    "UpdateSecurityGroupRuleDescriptionsEgress",
                ),
                ["description".to_string()],
            )],
            Some(_) => vec![],
        };
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        self.fetch(ctx, prior).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let group = str_of(planned, "security_group_id")
            .ok_or_else(|| ctx.invalid("security_group_id is required"))?;
        let e = egress(planned);
        let op = Self::op(
            e,
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
        );
        let perm = permission(planned);
        if perm.ip_ranges().is_empty()
            && perm.ipv6_ranges().is_empty()
            && perm.prefix_list_ids().is_empty()
            && perm.user_id_group_pairs().is_empty()
        {
            return Err(ctx.invalid(
                "one of cidr_blocks, ipv6_cidr_blocks, self, source_security_group_id or prefix_list_ids must be set",
            ));
        }
        let ambiguous = std::sync::atomic::AtomicBool::new(false);
        let create = || {
            let perm = perm.clone();
            async move {
                match self
                    .0
                    .api
                    .authorize(group, e, vec![perm], &BTreeMap::new())
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(err) => Err(err),
                }
            }
        };
        let probe = || async {
            ambiguous.store(true, std::sync::atomic::Ordering::SeqCst);
            let groups = self
                .0
                .api
                .describe_security_groups(&[group.to_string()], &vec![])
                .await?;
            let perms = groups
                .first()
                .map(|g| {
                    if e {
                        g.ip_permissions_egress().to_vec()
                    } else {
                        g.ip_permissions().to_vec()
                    }
                })
                .unwrap_or_default();
            Ok(find_match(&perms, &permission(planned)).map(|_| ()))
        };
        match crate::providers::iam::create_or_adopt(ctx, op, create, probe).await {
            Ok(()) => {}
            Err(ProviderError::Api { source, .. })
                if source.has_code("InvalidPermission.Duplicate")
                    && !ambiguous.load(std::sync::atomic::Ordering::SeqCst) =>
            {
                return Err(ctx.api(
                    op,
                    ApiError::new(
                        ApiErrorKind::Conflict,
                        "InvalidPermission.Duplicate",
                        format!(
                            "a duplicate security group rule was found on {group}: {}; import it or remove the other definition",
                            source.message
                        ),
                    ),
                ));
            }
            Err(err) => return Err(err),
        }
        let start = Instant::now();
        loop {
            if let Some(v) = self.fetch(ctx, planned).await? {
                return Ok(v);
            }
            if start.elapsed() > ctx.timeouts.create {
                return Err(ProviderError::Timeout {
                    address: ctx.address.clone(),
                    waiting_for: format!("the rule to appear in security group {group}"),
                    seconds: ctx.timeouts.create.as_secs(),
                    partial: None,
                });
            }
            tokio::time::sleep(ctx.poll_interval).await;
        }
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let group = str_of(prior, "security_group_id")
            .ok_or_else(|| ctx.invalid("no security_group_id in prior state"))?;
        let e = egress(prior);
        if str_of(prior, "description") != str_of(planned, "description") {
            self.0
                .api
                .update_rule_descriptions(group, e, vec![permission(planned)])
                .await
                .map_err(|err| {
                    ctx.api(
                        Self::op(
                            e,
                            "UpdateSecurityGroupRuleDescriptionsIngress",
                            "UpdateSecurityGroupRuleDescriptionsEgress",
                        ),
                        err,
                    )
                })?;
        }
        self.fetch(ctx, planned)
            .await?
            .ok_or_else(|| ctx.invalid("the rule no longer exists"))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let group = str_of(prior, "security_group_id")
            .ok_or_else(|| ctx.invalid("no security_group_id in prior state"))?;
        let e = egress(prior);
        match self.0.api.revoke(group, e, vec![permission(prior)]).await {
            Ok(()) => Ok(()),
            Err(err) if err.has_code("InvalidPermission.NotFound") => Ok(()),
            Err(err) => Err(ctx.api(
                Self::op(e, "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"),
                err,
            )),
        }
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        if str_of(planned, "security_group_id").is_none() || str_of(planned, "type").is_none() {
            return Ok(None);
        }
        Ok(Some(self.fetch(ctx, planned).await?.into_iter().collect()))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        let v = parse_import_id(id).map_err(|m| ctx.invalid(m))?;
        self.fetch(ctx, &v).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn https() -> Value {
        Value::map([
            ("type", Value::from("ingress")),
            ("security_group_id", Value::from("sg-123")),
            ("protocol", Value::from("tcp")),
            ("from_port", Value::from(443i64)),
            ("to_port", Value::from(443i64)),
            ("cidr_blocks", string_list(["10.1.0.0/16", "10.0.0.0/16"])),
        ])
    }

    #[test]
    fn id_hashes_the_sorted_permission_like_the_provider() {
        let want = format!(
            "sgrule-{}",
            super::super::hashcode("sg-123-443-443-tcp-ingress-10.0.0.0/16-10.1.0.0/16-")
        );
        assert_eq!(id_for(&https()), Some(want));
        let all = Value::map([
            ("type", Value::from("egress")),
            ("security_group_id", Value::from("sg-123")),
            ("protocol", Value::from("all")),
            ("from_port", Value::from(0i64)),
            ("to_port", Value::from(0i64)),
            ("self", Value::Bool(true)),
        ]);
        assert_eq!(
            id_for(&all),
            Some(format!(
                "sgrule-{}",
                super::super::hashcode("sg-123--1-egress-sg-123--")
            ))
        );
    }

    #[test]
    fn import_ids_parse_into_arguments() {
        let v =
            parse_import_id("sg-123_ingress_tcp_443_443_10.0.0.0/16_10.1.0.0/16").expect("parses");
        assert_eq!(v.get("type"), Some(&Value::from("ingress")));
        assert_eq!(
            strings(&v, "cidr_blocks"),
            vec!["10.0.0.0/16", "10.1.0.0/16"]
        );
        let v = parse_import_id("sg-123_egress_all_0_0_self").expect("parses");
        assert_eq!(v.get("protocol"), Some(&Value::from("-1")));
        assert_eq!(v.get("self"), Some(&Value::Bool(true)));
        let v = parse_import_id("sg-1_ingress_6_22_22_sg-2").expect("parses");
        assert_eq!(
            v.get("source_security_group_id"),
            Some(&Value::from("sg-2"))
        );
        assert!(parse_import_id("sg-1_sideways_tcp_1_2_10.0.0.0/8").is_err());
        assert!(parse_import_id("sg-1_ingress_tcp_1_2").is_err());
    }

    #[test]
    fn only_description_updates_in_place() {
        let r = SecurityGroupRuleResource(crate::providers::ec2::tests::net());
        let prior = {
            let mut p = https();
            if let Value::Map(m) = &mut p {
                m.insert("id".into(), Value::from("sgrule-1"));
                m.insert("self".into(), Value::Bool(false));
                m.insert("protocol".into(), Value::from("tcp"));
            }
            p
        };
        let mut want = https();
        if let Value::Map(m) = &mut want {
            m.insert("protocol".into(), Value::from("6"));
        }
        assert!(r.plan(Some(&prior), &want).changed_paths.is_empty());
        if let Value::Map(m) = &mut want {
            m.insert("description".into(), Value::from("web"));
        }
        let p = r.plan(Some(&prior), &want);
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![ApiOp::with_fields(
                "UpdateSecurityGroupRuleDescriptionsIngress",
                ["description".to_string()]
            )]
        );
        if let Value::Map(m) = &mut want {
            m.insert("to_port".into(), Value::from(444i64));
        }
        assert_eq!(r.plan(Some(&prior), &want).requires_replace.len(), 1);
    }
}
