//! `aws_internet_gateway`. Id = the `igw-` id (also the import id). `vpc_id` attaches and
//! detaches in place; delete detaches first, waiting out DependencyViolation (public IPs still
//! mapped in the VPC) as the AWS provider does.

use super::Net;
use crate::config::value::Value;
use crate::providers::attrs::*;
use crate::providers::error::ProviderError;
use crate::providers::planning::{diff, tag_ops, AttrSpec};
use crate::providers::{ApiOp, Ctx, PlannedChange, ResourceProvider};
use async_trait::async_trait;
use aws_sdk_ec2::types as t;

const SPECS: &[AttrSpec] = &[
    AttrSpec::computed("arn"),
    AttrSpec::computed("id"),
    AttrSpec::computed("owner_id"),
    AttrSpec::config("tags"),
    AttrSpec::tags_all(),
    AttrSpec::config("timeouts"),
    AttrSpec::optional_computed("vpc_id"),
];

/// The VPC an internet gateway is attached to (an attachment that is not detaching).
pub fn attached_vpc(g: &t::InternetGateway) -> Option<&str> {
    g.attachments()
        .iter()
        .find(|a| {
            !matches!(
                a.state(),
                Some(t::AttachmentStatus::Detaching) | Some(t::AttachmentStatus::Detached)
            )
        })
        .and_then(|a| a.vpc_id())
}

/// The internet gateway resource.
pub struct InternetGatewayResource(pub Net);

impl InternetGatewayResource {
    async fn describe(
        &self,
        ctx: &Ctx,
        id: &str,
    ) -> Result<Option<t::InternetGateway>, ProviderError> {
        Ok(self
            .0
            .api
            .describe_internet_gateways(&[id.to_string()], &vec![])
            .await
            .map_err(|e| ctx.api("DescribeInternetGateways", e))?
            .into_iter()
            .next())
    }

    fn value(&self, g: &t::InternetGateway, prior: Option<&Value>) -> Value {
        let n = &self.0;
        let id = g.internet_gateway_id().unwrap_or_default();
        let owner = g.owner_id().unwrap_or_default();
        let (tags, tags_all) = n.tag_values(g.tags(), prior);
        Value::Map(obj([
            ("arn", Value::from(n.arn(owner, "internet-gateway", id))),
            ("id", Value::from(id)),
            ("owner_id", Value::from(owner)),
            ("tags", tags),
            ("tags_all", tags_all),
            (
                "timeouts",
                prior
                    .and_then(|p| p.get("timeouts"))
                    .cloned()
                    .map(known)
                    .unwrap_or(Value::Null),
            ),
            ("vpc_id", opt_str(attached_vpc(g))),
        ]))
    }

    async fn fetch(
        &self,
        ctx: &Ctx,
        id: &str,
        prior: Option<&Value>,
    ) -> Result<Option<Value>, ProviderError> {
        Ok(self.describe(ctx, id).await?.map(|g| self.value(&g, prior)))
    }

    async fn attach(&self, ctx: &Ctx, id: &str, vpc: &str) -> Result<(), ProviderError> {
        match self.0.api.attach_internet_gateway(id, vpc).await {
            Ok(()) => Ok(()),
            // A retried attach that went through the first time.
            Err(e) if e.has_code("Resource.AlreadyAssociated") => {
                let now = self.describe(ctx, id).await?;
                if now.as_ref().and_then(attached_vpc) == Some(vpc) {
                    Ok(())
                } else {
                    Err(ctx.api("AttachInternetGateway", e))
                }
            }
            Err(e) => Err(ctx.api("AttachInternetGateway", e)),
        }
    }

    async fn detach(&self, ctx: &Ctx, id: &str, vpc: &str) -> Result<(), ProviderError> {
        super::delete_with_dependency_retry(ctx, "DetachInternetGateway", || {
            self.0.api.detach_internet_gateway(id, vpc)
        })
        .await
    }
}

#[async_trait]
impl ResourceProvider for InternetGatewayResource {
    fn type_name(&self) -> &'static str {
        "aws_internet_gateway"
    }

    fn normalize(&self, v: &Value) -> Value {
        v.clone()
    }

    fn plan(&self, prior: Option<&Value>, desired: &Value) -> PlannedChange {
        let d = diff(SPECS, prior, desired, &self.0.default_tags, &|v: &Value| {
            v.clone()
        });
        let ops = match prior {
            None => {
                let mut ops = vec![ApiOp::call("CreateInternetGateway")];
                if str_of(desired, "vpc_id").is_some()
                    || desired.get("vpc_id") == Some(&Value::Unknown)
                {
                    ops.push(ApiOp::with_fields(
                        "AttachInternetGateway",
                        ["vpc_id".to_string()],
                    ));
                }
                ops
            }
            Some(p) => {
                let mut ops = Vec::new();
                if d.has("vpc_id") {
                    if str_of(p, "vpc_id").is_some() {
                        ops.push(ApiOp::with_fields(
                            "DetachInternetGateway",
                            ["vpc_id".to_string()],
                        ));
                    }
                    if !is_empty(d.planned.get("vpc_id"))
                        || d.planned.get("vpc_id") == Some(&Value::Unknown)
                    {
                        ops.push(ApiOp::with_fields(
                            "AttachInternetGateway",
                            ["vpc_id".to_string()],
                        ));
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
        let id = super::create_with_token(
            ctx,
            "CreateInternetGateway",
            &n.tags_all(planned),
            |tags| async move { n.api.create_internet_gateway(&tags).await },
            |f| async move {
                Ok(n.api
                    .describe_internet_gateways(&[], &f)
                    .await?
                    .first()
                    .and_then(|g| g.internet_gateway_id())
                    .map(str::to_string))
            },
        )
        .await?;
        let partial = Value::map([("id", Value::from(id.as_str()))]);
        n.api
            .delete_tags(&id, &[super::CREATE_TOKEN_TAG.to_string()])
            .await
            .map_err(|e| ctx.api("DeleteTags", e).with_partial(partial.clone()))?;
        if let Some(vpc) = str_of(planned, "vpc_id") {
            self.attach(ctx, &id, vpc)
                .await
                .map_err(|e| e.with_partial(partial.clone()))?;
        }
        self.fetch(ctx, &id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("internet gateway {id} vanished after create")))
    }

    async fn update(
        &self,
        ctx: &Ctx,
        prior: &Value,
        planned: &Value,
    ) -> Result<Value, ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let old = str_of(prior, "vpc_id");
        let new = str_of(planned, "vpc_id");
        let vpc_unknown = planned.get("vpc_id") == Some(&Value::Unknown);
        if old != new && !vpc_unknown {
            if let Some(old) = old {
                self.detach(ctx, id, old).await?;
            }
            if let Some(new) = new {
                self.attach(ctx, id, new).await?;
            }
        }
        if let Some(g) = self.describe(ctx, id).await? {
            self.0.sync_tags(ctx, id, g.tags(), planned).await?;
        }
        self.fetch(ctx, id, Some(planned))
            .await?
            .ok_or_else(|| ctx.invalid(format!("internet gateway {id} no longer exists")))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = str_of(prior, "id").ok_or_else(|| ctx.invalid("no id in prior state"))?;
        let Some(g) = self.describe(ctx, id).await? else {
            return Ok(());
        };
        for a in g.attachments() {
            if let Some(vpc) = a.vpc_id() {
                self.detach(ctx, id, vpc).await?;
            }
        }
        super::delete_with_dependency_retry(ctx, "DeleteInternetGateway", || {
            self.0.api.delete_internet_gateway(id)
        })
        .await
    }

    async fn find_created(
        &self,
        ctx: &Ctx,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, ProviderError> {
        let mut filters = super::tag_filters(planned);
        match str_of(planned, "vpc_id") {
            Some(vpc) => filters.push(("attachment.vpc-id".into(), vec![vpc.to_string()])),
            // Without tags or a VPC nothing tells our gateway from any other.
            None if filters.is_empty() => return Ok(None),
            None => {}
        }
        let found = self
            .0
            .api
            .describe_internet_gateways(&[], &filters)
            .await
            .map_err(|e| ctx.api("DescribeInternetGateways", e))?;
        Ok(Some(found.iter().map(|g| self.value(g, None)).collect()))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Option<Value>, ProviderError> {
        if !id.starts_with("igw-") {
            return Err(ctx.invalid(format!("import id {id:?} is not an internet gateway id")));
        }
        self.fetch(ctx, id, None).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res() -> InternetGatewayResource {
        InternetGatewayResource(crate::providers::ec2::tests::net())
    }

    #[test]
    fn moving_the_vpc_detaches_then_attaches_in_place() {
        let prior = Value::map([
            (
                "arn",
                Value::from("arn:aws:ec2:us-east-1:1:internet-gateway/igw-1"),
            ),
            ("id", Value::from("igw-1")),
            ("owner_id", Value::from("1")),
            ("tags", Value::Null),
            ("tags_all", Value::map::<&str>([])),
            ("timeouts", Value::Null),
            ("vpc_id", Value::from("vpc-a")),
        ]);
        let p = res().plan(
            Some(&prior),
            &Value::map([("vpc_id", Value::from("vpc-b"))]),
        );
        assert!(p.requires_replace.is_empty());
        assert_eq!(
            p.api_ops,
            vec![
                ApiOp::with_fields("DetachInternetGateway", ["vpc_id".to_string()]),
                ApiOp::with_fields("AttachInternetGateway", ["vpc_id".to_string()]),
            ]
        );
        // Leaving vpc_id out keeps the attachment (Optional + Computed).
        let p = res().plan(Some(&prior), &Value::map::<&str>([]));
        assert!(p.changed_paths.is_empty(), "{:?}", p.changed_paths);
    }
}
