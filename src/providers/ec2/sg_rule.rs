//! `aws_vpc_security_group_ingress_rule` and `aws_vpc_security_group_egress_rule`: one rule
//! each, id = the `sgr-` rule id (also the import id). Content changes go through
//! ModifySecurityGroupRules in place; only the security group forces replacement.

use super::security_group::normalize_protocol;
use super::Net;
use crate::config::value::{Map, Value};
use crate::providers::attrs::*;
use crate::providers::error::{ApiError, ProviderError};
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::computed("security_group_rule_id"),
    AttrSpec::config("cidr_ipv4"),
    AttrSpec::config("cidr_ipv6"),
    AttrSpec::config("description"),
    AttrSpec::config("from_port"),
    AttrSpec::config("ip_protocol"),
    AttrSpec::config("prefix_list_id"),
    AttrSpec::config("referenced_security_group_id"),
    AttrSpec::config("security_group_id").force_new(),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("to_port"),
];

const CONTENT: &[&str] = &[
    "cidr_ipv4",
    "cidr_ipv6",
    "description",
    "from_port",
    "ip_protocol",
    "prefix_list_id",
    "referenced_security_group_id",
    "to_port",
];

/// Either rule type.
pub struct SgRuleResource {
    /// Shared EC2 context.
    pub net: Net,
    /// Egress (true) or ingress.
    pub egress: bool,
}

fn normalize(v: &Value) -> Value {
    let Value::Map(m) = v else {
        return v.clone();
    };
    let mut out: Map = m.clone();
    if let Some(p) = str_of(v, "ip_protocol") {
        let p = normalize_protocol(p);
        if p == "-1" {
            out.insert("from_port".into(), Value::Null);
            out.insert("to_port".into(), Value::Null);
        }
        out.insert("ip_protocol".into(), Value::from(p));
    }
    Value::Map(out)
}

fn request(v: &Value) -> t::SecurityGroupRuleRequest {
    let proto = normalize_protocol(str_of(v, "ip_protocol").unwrap_or("-1"));
    let ports = proto != "-1";
    t::SecurityGroupRuleRequest::builder()
        .ip_protocol(&proto)
        .set_from_port(int_of(v, "from_port").filter(|_| ports).map(|n| n as i32))
        .set_to_port(int_of(v, "to_port").filter(|_| ports).map(|n| n as i32))
        .set_cidr_ipv4(str_of(v, "cidr_ipv4").map(str::to_string))
        .set_cidr_ipv6(str_of(v, "cidr_ipv6").map(str::to_string))
        .set_prefix_list_id(str_of(v, "prefix_list_id").map(str::to_string))
        .set_referenced_group_id(str_of(v, "referenced_security_group_id").map(str::to_string))
        .set_description(str_of(v, "description").map(str::to_string))
        .build()
}

fn permission(v: &Value) -> t::IpPermission {
    let r = request(v);
    let desc = r.description().map(str::to_string);
    let mut b = t::IpPermission::builder()
        .set_ip_protocol(r.ip_protocol().map(str::to_string))
        .set_from_port(r.from_port())
        .set_to_port(r.to_port());
    if let Some(c) = r.cidr_ipv4() {
        b = b.ip_ranges(
            t::IpRange::builder()
                .cidr_ip(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    if let Some(c) = r.cidr_ipv6() {
        b = b.ipv6_ranges(
            t::Ipv6Range::builder()
                .cidr_ipv6(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    if let Some(p) = r.prefix_list_id() {
        b = b.prefix_list_ids(
            t::PrefixListId::builder()
                .prefix_list_id(p)
                .set_description(desc.clone())
                .build(),
        );
    }
    if let Some(g) = r.referenced_group_id() {
        b = b.user_id_group_pairs(
            t::UserIdGroupPair::builder()
                .group_id(g)
                .set_description(desc.clone())
                .build(),
        );
    }
    b.build()
}

fn matches(rule: &t::SecurityGroupRule, v: &Value, egress: bool) -> bool {
    let r = request(v);
    rule.is_egress() == Some(egress)
        && rule.ip_protocol().map(normalize_protocol) == r.ip_protocol().map(normalize_protocol)
        && (r.ip_protocol() == Some("-1")
            || (rule.from_port() == r.from_port() && rule.to_port() == r.to_port()))
        && rule.cidr_ipv4() == r.cidr_ipv4()
        && rule.cidr_ipv6() == r.cidr_ipv6()
        && rule.prefix_list_id() == r.prefix_list_id()
        && rule.referenced_group_info().and_then(|g| g.group_id()) == r.referenced_group_id()
}

impl SgRuleResource {
    fn value(&self, r: &t::SecurityGroupRule, prior: Option<&Value>) -> Value {
        let id = r.security_group_rule_id().unwrap_or_default();
        let owner = r.group_owner_id().unwrap_or_default();
        let proto = normalize_protocol(r.ip_protocol().unwrap_or("-1"));
        let ports = proto != "-1";
        let (tags, tags_all) = self.net.tag_values(r.tags(), prior);
        Value::Map(obj([
            (
                "arn",
                Value::from(
                    r.security_group_rule_arn()
                        .map(str::to_string)
                        .unwrap_or_else(|| self.net.arn(owner, "security-group-rule", id)),
                ),
            ),
            ("cidr_ipv4", opt_str(r.cidr_ipv4())),
            ("cidr_ipv6", opt_str(r.cidr_ipv6())),
            (
                "description",
                opt_str(r.description().filter(|d| !d.is_empty())),
            ),
            (
                "from_port",
                opt_int(r.from_port().filter(|_| ports).map(i64::from)),
            ),
            ("id", Value::from(id)),
            (
                "ip_protocol",
                Value::from(
                    prior
                        .and_then(|p| str_of(p, "ip_protocol"))
                        .filter(|p| normalize_protocol(p) == proto)
                        .map(str::to_string)
                        .unwrap_or(proto.clone()),
                ),
            ),
            ("prefix_list_id", opt_str(r.prefix_list_id())),
            (
                "referenced_security_group_id",
                opt_str(r.referenced_group_info().and_then(|g| g.group_id())),
            ),
            ("security_group_id", opt_str(r.group_id())),
            ("security_group_rule_id", Value::from(id)),
            ("tags", tags),
            ("tags_all", tags_all),
            (
                "to_port",
                opt_int(r.to_port().filter(|_| ports).map(i64::from)),
            ),
        ]))
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        let r = self
            .net
            .api
            .describe_security_group_rules(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroupRules", e))?;
        Ok(r.iter()
            .find(|r| r.is_egress() == Some(self.egress))
            .map(|r| self.value(r, prior)))
    }

    fn op(&self) -> &'static str {
        if self.egress {
            "AuthorizeSecurityGroupEgress"
        } else {
            "AuthorizeSecurityGroupIngress"
        }
    }
}

#[async_trait]
impl ResourceProvider for SgRuleResource {
    fn type_name(&self) -> &'static str {
        if self.egress {
            "aws_vpc_security_group_egress_rule"
        } else {
            "aws_vpc_security_group_ingress_rule"
        }
    }

    fn normalize(&self, v: &Value) -> Value {
        normalize(v)
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.net.default_tags, &normalize);
        let ops = match prior {
            None => vec![ApiOp::call(self.op())],
            Some(_) if !d.replace.is_empty() => vec![
                ApiOp::call(if self.egress {
                    "RevokeSecurityGroupEgress"
                } else {
                    "RevokeSecurityGroupIngress"
                }),
                ApiOp::call(self.op()),
            ],
            Some(p) => {
                let f: Vec<String> = CONTENT
                    .iter()
                    .filter(|k| d.has(k))
                    .map(|k| k.to_string())
                    .collect();
                let mut ops = Vec::new();
                if !f.is_empty() {
                    ops.push(ApiOp::with_fields("ModifySecurityGroupRules", f));
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
        let group = str_of(planned, "security_group_id")
            .ok_or_else(|| ctx.invalid("security_group_id is required"))?;
        let tags = self.net.tags_all(planned);
        let egress = self.egress;
        let create = || async {
            let rules = self
                .net
                .api
                .authorize(group, egress, vec![permission(planned)], &tags)
                .await?;
            rules
                .first()
                .and_then(|r| r.security_group_rule_id())
                .map(str::to_string)
                .ok_or_else(|| {
                    ApiError::new(
                        crate::providers::ApiErrorKind::Other,
                        "EmptyResponse",
                        "no rule id returned",
                    )
                })
        };
        let probe = || async {
            let rules = self
                .net
                .api
                .describe_security_group_rules(
                    &[],
                    &vec![("group-id".to_string(), vec![group.to_string()])],
                )
                .await?;
            Ok(rules
                .iter()
                .find(|r| matches(r, planned, egress))
                .and_then(|r| r.security_group_rule_id())
                .map(str::to_string))
        };
        let id = crate::providers::iam::create_or_adopt(ctx, self.op(), create, probe).await?;
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("rule {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let group = str_of(prior, "security_group_id")
            .ok_or_else(|| ctx.invalid("no security_group_id in prior state"))?;
        let (np, nd) = (normalize(prior), normalize(planned));
        if CONTENT.iter().any(|k| {
            !crate::providers::planning::same(
                np.get(k).unwrap_or(&Value::Null),
                nd.get(k).unwrap_or(&Value::Null),
            )
        }) {
            self.net
                .api
                .modify_security_group_rule(group, id, request(planned))
                .await
                .map_err(|e| ctx.api("ModifySecurityGroupRules", e))?;
        }
        let live = self
            .net
            .api
            .describe_security_group_rules(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroupRules", e))?;
        if let Some(r) = live.first() {
            self.net.sync_tags(ctx, id, r.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("rule {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let group = str_of(prior, "security_group_id")
            .ok_or_else(|| ctx.invalid("no security_group_id in prior state"))?;
        self.net
            .api
            .revoke_rule(group, self.egress, id)
            .await
            .map_err(|e| {
                ctx.api(
                    if self.egress {
                        "RevokeSecurityGroupEgress"
                    } else {
                        "RevokeSecurityGroupIngress"
                    },
                    e,
                )
            })
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let Some(group) = str_of(planned, "security_group_id") else {
            return Ok(None);
        };
        let filters = vec![("group-id".to_string(), vec![group.to_string()])];
        let rules = self
            .net
            .api
            .describe_security_group_rules(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeSecurityGroupRules", e))?;
        let mut candidates = Vec::new();
        for r in rules.iter().filter(|r| r.is_egress() == Some(self.egress)) {
            if let Some(x) = self
                .fetch(ctx, r.security_group_rule_id().unwrap_or_default(), None)
                .await?
            {
                candidates.push(x);
            }
        }
        let protocol = str_of(planned, "ip_protocol").map(normalize_protocol);
        candidates.retain(|c| {
            protocol.is_none() || str_of(c, "ip_protocol").map(normalize_protocol) == protocol
        });
        Ok(Some(matching_known(
            candidates,
            planned,
            &[
                "from_port",
                "to_port",
                "cidr_ipv4",
                "cidr_ipv6",
                "prefix_list_id",
                "referenced_security_group_id",
            ],
        )))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        self.fetch(ctx, id, None).await
    }
}
