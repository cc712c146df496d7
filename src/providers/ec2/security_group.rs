//! `aws_security_group` with inline `ingress` and `egress` rule sets. Create removes the
//! allow-all egress rule AWS adds to every new VPC security group (as the AWS provider does),
//! then authorises the configured rules; an update revokes removed rules and authorises new
//! ones. Protocols compare by name (`6` = `tcp`, `-1` = `all`).

use super::Net;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ApiErrorKind, ProviderError};
use crate::providers::planning::{diff, tag_ops, unique_name, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;
use std::collections::BTreeMap;

fn managed() -> Value {
    Value::from("Managed by Terraform")
}
fn no() -> Value {
    Value::Bool(false)
}

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::computed("owner_id"),
    AttrSpec::config("description").default(managed).force_new(),
    AttrSpec::optional_computed("egress"),
    AttrSpec::optional_computed("ingress"),
    AttrSpec::optional_computed("name").force_new(),
    AttrSpec::optional_computed("name_prefix").force_new(),
    AttrSpec::config("revoke_rules_on_delete").default(no),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::optional_computed("vpc_id").force_new(),
];

/// A protocol as the AWS provider keeps it: names for the common numbers, `-1` for all.
pub fn normalize_protocol(p: &str) -> String {
    match p.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => "-1".into(),
        "6" | "tcp" => "tcp".into(),
        "17" | "udp" => "udp".into(),
        "1" | "icmp" => "icmp".into(),
        "58" | "icmpv6" => "icmpv6".into(),
        other => other.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn rule_obj(
    protocol: &str,
    from: i64,
    to: i64,
    desc: &str,
    cidrs: Vec<String>,
    v6: Vec<String>,
    pls: Vec<String>,
    sgs: Vec<String>,
    own: bool,
) -> Value {
    Value::Map(obj([
        ("cidr_blocks", string_list(cidrs)),
        ("description", Value::from(desc)),
        ("from_port", Value::from(from)),
        ("ipv6_cidr_blocks", string_list(v6)),
        ("prefix_list_ids", string_list(pls)),
        ("protocol", Value::from(normalize_protocol(protocol))),
        ("security_groups", string_set(sgs)),
        ("self", Value::Bool(own)),
        ("to_port", Value::from(to)),
    ]))
}

/// One rule in canonical form (sorted lists, defaults filled).
pub fn normalize_rule(r: &Value) -> Value {
    let sorted = |k: &str| {
        let mut v = strings(r, k);
        v.sort();
        v.dedup();
        v
    };
    let protocol = str_of(r, "protocol").unwrap_or("-1").to_string();
    let (from, to) = if normalize_protocol(&protocol) == "-1" {
        (0, 0)
    } else {
        (
            int_of(r, "from_port").unwrap_or(0),
            int_of(r, "to_port").unwrap_or(0),
        )
    };
    rule_obj(
        &protocol,
        from,
        to,
        str_of(r, "description").unwrap_or_default(),
        sorted("cidr_blocks"),
        sorted("ipv6_cidr_blocks"),
        sorted("prefix_list_ids"),
        sorted("security_groups"),
        bool_of(r, "self").unwrap_or(false),
    )
}

fn rule_set(v: &Value, key: &str) -> Option<Value> {
    match v.get(key) {
        Some(Value::Unknown) => Some(Value::Unknown),
        Some(Value::List(items)) | Some(Value::Set(items)) => {
            Some(Value::set(items.iter().map(normalize_rule).collect()))
        }
        _ => None,
    }
}

/// Canonical form of a security group.
pub fn normalize_sg(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    for k in ["ingress", "egress"] {
        if let Some(s) = rule_set(v, k) {
            out.insert(k.into(), s);
        }
    }
    Value::Map(out)
}

/// The IpPermission for one Terraform rule of group `own`.
pub fn permission(r: &Value, own: &str) -> t::IpPermission {
    let proto = normalize_protocol(str_of(r, "protocol").unwrap_or("-1"));
    let desc = str_of(r, "description").map(str::to_string);
    let mut b = t::IpPermission::builder().ip_protocol(&proto);
    if proto != "-1" {
        b = b
            .set_from_port(int_of(r, "from_port").map(|n| n as i32))
            .set_to_port(int_of(r, "to_port").map(|n| n as i32));
    }
    for c in strings(r, "cidr_blocks") {
        b = b.ip_ranges(
            t::IpRange::builder()
                .cidr_ip(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    for c in strings(r, "ipv6_cidr_blocks") {
        b = b.ipv6_ranges(
            t::Ipv6Range::builder()
                .cidr_ipv6(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    for p in strings(r, "prefix_list_ids") {
        b = b.prefix_list_ids(
            t::PrefixListId::builder()
                .prefix_list_id(p)
                .set_description(desc.clone())
                .build(),
        );
    }
    let mut groups = strings(r, "security_groups");
    if bool_of(r, "self").unwrap_or(false) {
        groups.push(own.to_string());
    }
    for g in groups {
        b = b.user_id_group_pairs(
            t::UserIdGroupPair::builder()
                .group_id(g)
                .set_description(desc.clone())
                .build(),
        );
    }
    b.build()
}

/// Terraform rules for the live permissions of group `own`: one rule per description.
pub fn rules_of(perms: &[t::IpPermission], own: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for p in perms {
        let proto = p.ip_protocol().unwrap_or("-1");
        let (from, to) = if normalize_protocol(proto) == "-1" {
            (0, 0)
        } else {
            (
                p.from_port().unwrap_or(0) as i64,
                p.to_port().unwrap_or(0) as i64,
            )
        };
        #[derive(Default)]
        struct G {
            c: Vec<String>,
            v6: Vec<String>,
            pl: Vec<String>,
            sg: Vec<String>,
            own: bool,
        }
        let mut groups: BTreeMap<String, G> = BTreeMap::new();
        for r in p.ip_ranges() {
            groups
                .entry(r.description().unwrap_or_default().into())
                .or_default()
                .c
                .push(r.cidr_ip().unwrap_or_default().into());
        }
        for r in p.ipv6_ranges() {
            groups
                .entry(r.description().unwrap_or_default().into())
                .or_default()
                .v6
                .push(r.cidr_ipv6().unwrap_or_default().into());
        }
        for r in p.prefix_list_ids() {
            groups
                .entry(r.description().unwrap_or_default().into())
                .or_default()
                .pl
                .push(r.prefix_list_id().unwrap_or_default().into());
        }
        for r in p.user_id_group_pairs() {
            let g = groups
                .entry(r.description().unwrap_or_default().into())
                .or_default();
            match r.group_id() {
                Some(id) if id == own => g.own = true,
                Some(id) => g.sg.push(id.into()),
                None => {}
            }
        }
        for (desc, g) in groups {
            out.push(rule_obj(
                proto, from, to, &desc, g.c, g.v6, g.pl, g.sg, g.own,
            ));
        }
    }
    out
}

fn allow_all_egress() -> t::IpPermission {
    t::IpPermission::builder()
        .ip_protocol("-1")
        .ip_ranges(t::IpRange::builder().cidr_ip("0.0.0.0/0").build())
        .build()
}

/// The security group resource.
pub struct SecurityGroupResource(pub Net);

impl SecurityGroupResource {
    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let n = &self.0;
        let g = n
            .api
            .describe_security_groups(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroups", e))?;
        let Some(g) = g.first() else {
            return Ok(None);
        };
        let owner = g.owner_id().unwrap_or_default();
        let (tags, tags_all) = n.tag_values(g.tags(), prior);
        let keep = |k: &str| prior.and_then(|p| p.get(k)).cloned().map(known);
        Ok(Some(Value::Map(obj([
            (
                "arn",
                Value::from(
                    g.security_group_arn()
                        .map(str::to_string)
                        .unwrap_or_else(|| n.arn(owner, "security-group", id)),
                ),
            ),
            ("description", opt_str(g.description())),
            (
                "egress",
                Value::set(rules_of(g.ip_permissions_egress(), id)),
            ),
            ("id", Value::from(id)),
            ("ingress", Value::set(rules_of(g.ip_permissions(), id))),
            ("name", opt_str(g.group_name())),
            ("name_prefix", keep("name_prefix").unwrap_or(Value::Null)),
            ("owner_id", Value::from(owner)),
            (
                "revoke_rules_on_delete",
                keep("revoke_rules_on_delete")
                    .filter(|v| !v.is_null())
                    .unwrap_or(Value::Bool(false)),
            ),
            ("tags", tags),
            ("tags_all", tags_all),
            ("timeouts", keep("timeouts").unwrap_or(Value::Null)),
            ("vpc_id", opt_str(g.vpc_id())),
        ]))))
    }

    async fn sync_rules(
        &self,
        ctx: &Ctx,
        id: &str,
        egress: bool,
        have: &[Value],
        want: &[Value],
    ) -> Result<(), ProviderError> {
        let have: Vec<Value> = have.iter().map(normalize_rule).collect();
        let want: Vec<Value> = want.iter().map(normalize_rule).collect();
        let (op_revoke, op_auth) = if egress {
            ("RevokeSecurityGroupEgress", "AuthorizeSecurityGroupEgress")
        } else {
            (
                "RevokeSecurityGroupIngress",
                "AuthorizeSecurityGroupIngress",
            )
        };
        let remove: Vec<t::IpPermission> = have
            .iter()
            .filter(|r| !want.contains(r))
            .map(|r| permission(r, id))
            .collect();
        if !remove.is_empty() {
            self.0
                .api
                .revoke(id, egress, remove)
                .await
                .map_err(|e| ctx.api(op_revoke, e))?;
        }
        for r in want.iter().filter(|r| !have.contains(r)) {
            let mut ambiguous = 0;
            loop {
                match self
                    .0
                    .api
                    .authorize(id, egress, vec![permission(r, id)], &BTreeMap::new())
                    .await
                {
                    Ok(_) => break,
                    // An earlier ambiguous attempt added it already.
                    Err(e) if e.has_code("InvalidPermission.Duplicate") => break,
                    // Authorising the same permission twice cannot add it twice: EC2 answers
                    // Duplicate, so sending it again after an ambiguous failure is safe.
                    Err(e)
                        if matches!(e.kind, ApiErrorKind::Unavailable | ApiErrorKind::Network)
                            && ambiguous < 8 =>
                    {
                        ambiguous += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(100 * ambiguous)).await;
                    }
                    Err(e) => return Err(ctx.api(op_auth, e)),
                }
            }
        }
        Ok(())
    }
}

fn rules(v: &Value, key: &str) -> Vec<Value> {
    items(v, key).to_vec()
}

#[async_trait]
impl ResourceProvider for SecurityGroupResource {
    fn type_name(&self) -> &'static str {
        "aws_security_group"
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize_sg(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let mut d = diff(SPECS, prior, desired, &self.0.default_tags, &normalize_sg);
        if prior.is_none() {
            // Rules not configured: AWS's default egress is removed on create, so none remain.
            if let Value::Map(m) = &mut d.planned {
                for k in ["ingress", "egress"] {
                    if m.get(k).map(Value::is_unknown).unwrap_or(false)
                        && desired.get(k).map(Value::is_null).unwrap_or(true)
                    {
                        m.insert(k.into(), Value::Set(vec![]));
                    }
                }
            }
        }
        let ops = match prior {
            None => {
                let mut ops = vec![
                    ApiOp::call("CreateSecurityGroup"),
                    ApiOp::with_fields("RevokeSecurityGroupEgress", ["egress".to_string()]),
                ];
                if !items(desired, "ingress").is_empty() {
                    ops.push(ApiOp::with_fields(
                        "AuthorizeSecurityGroupIngress",
                        ["ingress".to_string()],
                    ));
                }
                if !items(desired, "egress").is_empty() {
                    ops.push(ApiOp::with_fields(
                        "AuthorizeSecurityGroupEgress",
                        ["egress".to_string()],
                    ));
                }
                ops
            }
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call("DeleteSecurityGroup"),
                ApiOp::call("CreateSecurityGroup"),
            ],
            Some(p) => {
                let mut ops = Vec::new();
                for (k, rev, auth) in [
                    (
                        "ingress",
                        "RevokeSecurityGroupIngress",
                        "AuthorizeSecurityGroupIngress",
                    ),
                    (
                        "egress",
                        "RevokeSecurityGroupEgress",
                        "AuthorizeSecurityGroupEgress",
                    ),
                ] {
                    if d.has(k) {
                        let have: Vec<Value> = rules(p, k).iter().map(normalize_rule).collect();
                        let want: Vec<Value> =
                            rules(&d.planned, k).iter().map(normalize_rule).collect();
                        if have.iter().any(|r| !want.contains(r)) {
                            ops.push(ApiOp::with_fields(rev, [k.to_string()]));
                        }
                        if want.iter().any(|r| !have.contains(r)) {
                            ops.push(ApiOp::with_fields(auth, [k.to_string()]));
                        }
                    }
                }
                ops.extend(tag_ops(p, &d.planned, "CreateTags", "DeleteTags"));
                ops
            }
        };
        PlannedChange {
            changed_paths: d.changed_paths(),
            requires_replace: d.replace_paths(),
            planned: d.planned,
            api_ops: ops,
        }
    }

    async fn read(&self, ctx: &Ctx, prior: &Value) -> Result<Option<Value>, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        self.fetch(ctx, id, Some(prior)).await
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        let n = &self.0;
        let name = str_of(planned, "name")
            .map(str::to_string)
            .unwrap_or_else(|| unique_name(str_of(planned, "name_prefix")));
        let desc = str_of(planned, "description")
            .unwrap_or("Managed by Terraform")
            .to_string();
        let vpc = str_of(planned, "vpc_id").map(str::to_string);
        let tags = n.tags_all(planned);
        let probe = || async {
            let mut f = vec![("group-name".to_string(), vec![name.clone()])];
            if let Some(v) = &vpc {
                f.push(("vpc-id".into(), vec![v.clone()]));
            }
            let found = n.api.describe_security_groups(&[], &f).await?;
            Ok::<_, ApiError>(found.first().and_then(|g| g.group_id()).map(str::to_string))
        };
        let id = crate::providers::iam::create_or_adopt(
            ctx,
            "CreateSecurityGroup",
            || {
                n.api
                    .create_security_group(&name, &desc, vpc.as_deref(), &tags)
            },
            probe,
        )
        .await?;
        let partial = Value::map([
            ("id", Value::from(id.as_str())),
            ("name", Value::from(name.as_str())),
        ]);
        if vpc.is_some() {
            match n.api.revoke(&id, true, vec![allow_all_egress()]).await {
                Ok(()) => {}
                Err(e)
                    if e.kind == ApiErrorKind::NotFound
                        || e.has_code("InvalidPermission.NotFound") => {}
                Err(e) => {
                    return Err(ctx
                        .api("RevokeSecurityGroupEgress", e)
                        .with_partial(partial))
                }
            }
        }
        self.sync_rules(ctx, &id, false, &[], &rules(planned, "ingress"))
            .await
            .map_err(|e| e.with_partial(partial.clone()))?;
        self.sync_rules(ctx, &id, true, &[], &rules(planned, "egress"))
            .await
            .map_err(|e| e.with_partial(partial.clone()))?;
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("security group {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        for (k, egress) in [("ingress", false), ("egress", true)] {
            if !planned.get(k).map(Value::is_unknown).unwrap_or(true) {
                self.sync_rules(ctx, id, egress, &rules(prior, k), &rules(planned, k))
                    .await?;
            }
        }
        let g = self
            .0
            .api
            .describe_security_groups(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroups", e))?;
        if let Some(g) = g.first() {
            self.0.sync_tags(ctx, id, g.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("security group {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        if bool_of(prior, "revoke_rules_on_delete").unwrap_or(false) {
            if let Some(g) = self
                .0
                .api
                .describe_security_groups(&[id.to_string()], &vec![])
                .await
                .map_err(|e| ctx.api("DescribeSecurityGroups", e))?
                .first()
            {
                if !g.ip_permissions().is_empty() {
                    self.0
                        .api
                        .revoke(id, false, g.ip_permissions().to_vec())
                        .await
                        .map_err(|e| ctx.api("RevokeSecurityGroupIngress", e))?;
                }
                if !g.ip_permissions_egress().is_empty() {
                    self.0
                        .api
                        .revoke(id, true, g.ip_permissions_egress().to_vec())
                        .await
                        .map_err(|e| ctx.api("RevokeSecurityGroupEgress", e))?;
                }
            }
        }
        super::delete_with_dependency_retry(ctx, "DeleteSecurityGroup", || {
            self.0.api.delete_security_group(id)
        })
        .await
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let (Some(vpc), Some(name)) = (str_of(planned, "vpc_id"), str_of(planned, "name")) else {
            return Ok(None);
        };
        let filters = vec![
            ("vpc-id".to_string(), vec![vpc.to_string()]),
            ("group-name".to_string(), vec![name.to_string()]),
        ];
        let groups = self
            .0
            .api
            .describe_security_groups(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroups", e))?;
        let mut found = Vec::new();
        for g in groups {
            if let Some(x) = self
                .fetch(ctx, g.group_id().unwrap_or_default(), None)
                .await?
            {
                found.push(x);
            }
        }
        Ok(Some(found))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        self.fetch(ctx, id, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_numbers_and_names_compare_equal() {
        assert_eq!(normalize_protocol("6"), "tcp");
        assert_eq!(normalize_protocol("TCP"), "tcp");
        assert_eq!(normalize_protocol("all"), "-1");
        assert_eq!(normalize_protocol("-1"), "-1");
        let a = Value::map([
            ("protocol", Value::from("-1")),
            ("from_port", Value::from(0i64)),
            ("to_port", Value::from(0i64)),
            ("cidr_blocks", string_list(["0.0.0.0/0"])),
        ]);
        let b = Value::map([
            ("protocol", Value::from("all")),
            ("cidr_blocks", string_list(["0.0.0.0/0"])),
            ("description", Value::Null),
        ]);
        assert_eq!(normalize_rule(&a), normalize_rule(&b));
    }

    #[test]
    fn live_permissions_split_by_description_and_self() {
        let p = t::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(443)
            .to_port(443)
            .ip_ranges(
                t::IpRange::builder()
                    .cidr_ip("10.0.0.0/16")
                    .description("vpc")
                    .build(),
            )
            .ip_ranges(t::IpRange::builder().cidr_ip("10.1.0.0/16").build())
            .user_id_group_pairs(t::UserIdGroupPair::builder().group_id("sg-own").build())
            .build();
        let rules = rules_of(&[p], "sg-own");
        assert_eq!(rules.len(), 2);
        let plain = rules
            .iter()
            .find(|r| str_of(r, "description").is_none())
            .expect("no description");
        assert_eq!(bool_of(plain, "self"), Some(true));
        assert_eq!(strings(plain, "cidr_blocks"), vec!["10.1.0.0/16"]);
    }
}
