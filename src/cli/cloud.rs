//! The cloud the commands plan against: the AWS providers (`providers::Registry`, one per
//! `provider "aws"` configuration) behind the engine's [`Cloud`] trait. Everything
//! service-specific stays in `providers`; this file only adapts the two interfaces.

use crate::addrs::ResourceInstanceAddr;
use crate::config::value::Value;
use crate::plan::diff::Normalizer;
use crate::plan::planner::{ApplyError, Cloud, CloudError, InstancePlan};
use crate::plan::{Action, ApiOp, PathStep};
use crate::providers::{config::AssumeRole, Clients, Ctx, ProviderConfig, ProviderError, Registry};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Builds the cloud for the root module's provider configurations (`aws`, `aws.alias`).
///
/// # Errors
/// When an AWS configuration cannot be loaded (for example, no region anywhere).
pub async fn build(
    providers: &indexmap::IndexMap<String, Value>,
) -> anyhow::Result<Arc<dyn Cloud>> {
    let mut registries = HashMap::new();
    let mut keys: Vec<(String, Value)> = providers
        .iter()
        .filter(|(k, _)| k.split('.').next() == Some("aws"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !keys.iter().any(|(k, _)| k == "aws") {
        keys.push(("aws".into(), Value::Map(Default::default())));
    }
    let mut errors = HashMap::new();
    let mut clients_by_key = HashMap::new();
    for (key, cfg) in keys {
        let pc = provider_config(&cfg);
        match Clients::new(&pc).await {
            Ok(clients) => {
                registries.insert(key.clone(), Registry::aws(&clients));
                clients_by_key.insert(key, clients);
            }
            Err(e) => {
                errors.insert(key, e.to_string());
            }
        }
    }
    let mut builtin = Registry::new();
    crate::providers::builtin::register(&mut builtin);
    Ok(Arc::new(AwsCloud {
        builtin,
        registries,
        errors,
        clients: clients_by_key,
    }))
}

fn str_of(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

fn first_block<'v>(v: &'v Value, k: &str) -> Option<&'v Value> {
    match v.get(k)? {
        Value::List(l) => l.first(),
        m @ Value::Map(_) => Some(m),
        _ => None,
    }
}

/// A provider configuration from an evaluated `provider "aws"` block.
pub fn provider_config(v: &Value) -> ProviderConfig {
    let mut endpoints = BTreeMap::new();
    if let Some(e) = first_block(v, "endpoints").and_then(Value::as_map) {
        for (k, x) in e {
            if let Some(u) = x.as_str() {
                endpoints.insert(k.clone(), u.to_string());
            }
        }
    }
    let mut default_tags = BTreeMap::new();
    if let Some(t) = first_block(v, "default_tags")
        .and_then(|d| d.get("tags"))
        .and_then(Value::as_map)
    {
        for (k, x) in t {
            if let Some(s) = x.as_str() {
                default_tags.insert(k.clone(), s.to_string());
            }
        }
    }
    let assume_role = first_block(v, "assume_role").and_then(|a| {
        Some(AssumeRole {
            role_arn: str_of(a, "role_arn")?,
            session_name: str_of(a, "session_name"),
            external_id: str_of(a, "external_id"),
        })
    });
    let static_credentials = match (str_of(v, "access_key"), str_of(v, "secret_key")) {
        (Some(a), Some(s)) => Some((a, s)),
        _ => None,
    };
    ProviderConfig {
        region: str_of(v, "region"),
        profile: str_of(v, "profile"),
        assume_role,
        endpoints,
        default_tags,
        max_retries: v
            .get("max_retries")
            .and_then(Value::as_i64)
            .map(|n| n.max(0) as u32),
        static_credentials,
        ..ProviderConfig::default()
    }
}

/// The AWS providers as a [`Cloud`].
pub struct AwsCloud {
    registries: HashMap<String, Registry>,
    /// The built-in types, for provider keys other than `aws`.
    builtin: Registry,
    errors: HashMap<String, String>,
    /// The clients behind each registry, for the live facts of the checks.
    clients: HashMap<String, Clients>,
}

struct ProviderNormalizer(Arc<dyn crate::providers::ResourceProvider>);

impl Normalizer for ProviderNormalizer {
    fn normalize(&self, path: &[PathStep], value: &Value) -> Value {
        match path {
            [PathStep::Key(k)] => self
                .0
                .normalize(&Value::map([(k.clone(), value.clone())]))
                .get(k)
                .cloned()
                .unwrap_or(Value::Null),
            _ => value.clone(),
        }
    }
}

fn convert_path(p: &[crate::providers::PathStep]) -> Vec<PathStep> {
    p.iter()
        .map(|s| match s {
            crate::providers::PathStep::Attr(a) => PathStep::Key(a.clone()),
            crate::providers::PathStep::Index(i) => PathStep::Index(*i),
        })
        .collect()
}

fn op(o: &crate::providers::ApiOp, service: &str) -> ApiOp {
    ApiOp {
        service: service.to_string(),
        operation: o.operation.clone(),
        fields: o.fields.clone(),
        note: o
            .disruptive
            .then(|| "interrupts the running application".to_string()),
    }
}

fn service_of(type_name: &str) -> &'static str {
    match type_name {
        t if t.starts_with("aws_emrserverless") => "emr-serverless",
        t if t.starts_with("aws_iam") => "iam",
        t if t.starts_with("aws_ecr") => "ecr",
        t if t.starts_with("aws_s3") => "s3",
        t if t.starts_with("aws_kms") => "kms",
        t if t.starts_with("aws_cloudwatch_log") => "logs",
        _ => "ec2",
    }
}

impl AwsCloud {
    fn registry(&self, key: &str, addr: &str) -> Result<&Registry, (String, String)> {
        let base = if key.is_empty() { "aws" } else { key };
        // The built-in types (terraform, null, time, random) need no AWS configuration.
        if base.split('.').next() != Some("aws") {
            return Ok(&self.builtin);
        }
        self.registries.get(base).ok_or_else(|| {
            (
                addr.to_string(),
                self.errors
                    .get(base)
                    .cloned()
                    .unwrap_or_else(|| format!("no provider configuration \"{base}\"")),
            )
        })
    }

    fn ctx(addr: &ResourceInstanceAddr) -> Ctx {
        let mut c = Ctx::new(addr.to_string());
        if let Ok(ms) = std::env::var("EMRFORM_POLL_INTERVAL_MS") {
            if let Ok(ms) = ms.parse() {
                c.poll_interval = std::time::Duration::from_millis(ms);
            }
        }
        c
    }
}

fn cloud_err(addr: &ResourceInstanceAddr, op: &str, e: ProviderError) -> CloudError {
    CloudError {
        address: addr.to_string(),
        operation: op.to_string(),
        message: e.to_string(),
    }
}

fn apply_err(addr: &ResourceInstanceAddr, op: &str, e: ProviderError) -> ApplyError {
    let partial = e.partial().cloned();
    ApplyError {
        address: addr.to_string(),
        operation: op.to_string(),
        message: e.to_string(),
        partial,
    }
}

#[async_trait::async_trait]
impl Cloud for AwsCloud {
    fn supports(&self, mode: crate::addrs::ResourceMode, type_name: &str) -> bool {
        // Without clients (their error is reported by the first call) every type counts.
        let Some(r) = self.registries.get("aws") else {
            return true;
        };
        match mode {
            crate::addrs::ResourceMode::Managed => r.resource(type_name).is_ok(),
            crate::addrs::ResourceMode::Data => r.data_source(type_name).is_ok(),
        }
    }

    fn normalizer(&self, type_name: &str) -> Option<Arc<dyn Normalizer + Send + Sync>> {
        let p = self.registries.get("aws")?.resource(type_name).ok()?;
        Some(Arc::new(ProviderNormalizer(p)))
    }

    fn plan_instance(
        &self,
        provider_key: &str,
        type_name: &str,
        prior: Option<&Value>,
        config: &Value,
    ) -> Option<InstancePlan> {
        let p = self
            .registries
            .get(provider_key)
            .or_else(|| self.registries.get("aws"))?
            .resource(type_name)
            .ok()?;
        let pc = p.plan(prior, config);
        let service = service_of(type_name);
        Some(InstancePlan {
            planned: pc.planned,
            changed: pc
                .changed_paths
                .iter()
                .filter_map(|p| match p.first() {
                    Some(crate::providers::PathStep::Attr(a)) => Some(a.clone()),
                    _ => None,
                })
                .collect(),
            replace_paths: pc
                .requires_replace
                .iter()
                .map(|p| convert_path(p))
                .collect(),
            api_ops: pc.api_ops.iter().map(|o| op(o, service)).collect(),
        })
    }

    fn plan_ops(
        &self,
        type_name: &str,
        action: Action,
        prior: Option<&Value>,
        _planned: &Value,
        _changed: &[String],
    ) -> Vec<ApiOp> {
        if action != Action::Delete {
            return Vec::new();
        }
        let service = service_of(type_name);
        match (type_name, prior.and_then(|p| p.get("id"))) {
            ("aws_emrserverless_application", Some(_)) => vec![
                ApiOp {
                    service: service.into(),
                    operation: "StopApplication".into(),
                    fields: vec![],
                    note: Some("if the application is running".into()),
                },
                ApiOp {
                    service: service.into(),
                    operation: "DeleteApplication".into(),
                    fields: vec![],
                    note: None,
                },
            ],
            _ => Vec::new(),
        }
    }

    async fn read(
        &self,
        key: &str,
        addr: &ResourceInstanceAddr,
        prior: &Value,
    ) -> Result<Option<Value>, CloudError> {
        let reg = self
            .registry(key, &addr.to_string())
            .map_err(|(a, m)| CloudError {
                address: a,
                operation: "read".into(),
                message: m,
            })?;
        let p = reg
            .resource(&addr.resource.type_name)
            .map_err(|e| cloud_err(addr, "read", e))?;
        p.read(&Self::ctx(addr), prior)
            .await
            .map_err(|e| cloud_err(addr, "read", e))
    }

    async fn read_data(
        &self,
        key: &str,
        addr: &ResourceInstanceAddr,
        config: &Value,
    ) -> Result<Value, CloudError> {
        let reg = self
            .registry(key, &addr.to_string())
            .map_err(|(a, m)| CloudError {
                address: a,
                operation: "read data source".into(),
                message: m,
            })?;
        let p = reg
            .data_source(&addr.resource.type_name)
            .map_err(|e| cloud_err(addr, "read data source", e))?;
        p.read(&Self::ctx(addr), config)
            .await
            .map_err(|e| cloud_err(addr, "read data source", e))
    }

    async fn create(
        &self,
        key: &str,
        addr: &ResourceInstanceAddr,
        planned: &Value,
    ) -> Result<Value, ApplyError> {
        let reg = self
            .registry(key, &addr.to_string())
            .map_err(|(a, m)| ApplyError {
                address: a,
                operation: "create".into(),
                message: m,
                partial: None,
            })?;
        let p = reg
            .resource(&addr.resource.type_name)
            .map_err(|e| apply_err(addr, "create", e))?;
        p.create(&Self::ctx(addr), planned)
            .await
            .map_err(|e| apply_err(addr, "create", e))
    }

    async fn update(
        &self,
        key: &str,
        addr: &ResourceInstanceAddr,
        prior: &Value,
        planned: &Value,
        _ops: &[ApiOp],
    ) -> Result<Value, ApplyError> {
        let reg = self
            .registry(key, &addr.to_string())
            .map_err(|(a, m)| ApplyError {
                address: a,
                operation: "update".into(),
                message: m,
                partial: None,
            })?;
        let p = reg
            .resource(&addr.resource.type_name)
            .map_err(|e| apply_err(addr, "update", e))?;
        p.update(&Self::ctx(addr), prior, planned)
            .await
            .map_err(|e| apply_err(addr, "update", e))
    }

    async fn delete(
        &self,
        key: &str,
        addr: &ResourceInstanceAddr,
        prior: &Value,
    ) -> Result<(), ApplyError> {
        let reg = self
            .registry(key, &addr.to_string())
            .map_err(|(a, m)| ApplyError {
                address: a,
                operation: "delete".into(),
                message: m,
                partial: None,
            })?;
        let p = reg
            .resource(&addr.resource.type_name)
            .map_err(|e| apply_err(addr, "delete", e))?;
        p.delete(&Self::ctx(addr), prior)
            .await
            .map_err(|e| apply_err(addr, "delete", e))
    }

    async fn facts(
        &self,
        provider_key: &str,
        subnet_ids: &[String],
    ) -> Result<crate::checks::Facts, CloudError> {
        let base = if provider_key.is_empty() {
            "aws"
        } else {
            provider_key
        };
        let Some(c) = self.clients.get(base) else {
            return Ok(crate::checks::Facts::default());
        };
        let err = |operation: &str, e: crate::providers::ApiError| CloudError {
            address: String::new(),
            operation: operation.to_string(),
            message: e.to_string(),
        };
        let mut facts = crate::checks::gather::facts(c, subnet_ids)
            .await
            .map_err(|(op, e)| err(op, e))?;
        facts.region = Some(c.region.clone());
        Ok(facts)
    }

    async fn find_created(
        &self,
        key: &str,
        addr: &ResourceInstanceAddr,
        planned: &Value,
    ) -> Result<Option<Vec<Value>>, CloudError> {
        let reg = self
            .registry(key, &addr.to_string())
            .map_err(|(a, m)| CloudError {
                address: a,
                operation: "find interrupted create".into(),
                message: m,
            })?;
        let p = reg
            .resource(&addr.resource.type_name)
            .map_err(|e| cloud_err(addr, "find interrupted create", e))?;
        p.find_created(&Self::ctx(addr), planned)
            .await
            .map_err(|e| cloud_err(addr, "find interrupted create", e))
    }

    async fn import(
        &self,
        key: &str,
        addr: &ResourceInstanceAddr,
        id: &str,
    ) -> Result<Option<Value>, CloudError> {
        let reg = self
            .registry(key, &addr.to_string())
            .map_err(|(a, m)| CloudError {
                address: a,
                operation: "import".into(),
                message: m,
            })?;
        let p = reg
            .resource(&addr.resource.type_name)
            .map_err(|e| cloud_err(addr, "import", e))?;
        p.import(&Self::ctx(addr), id)
            .await
            .map_err(|e| cloud_err(addr, "import", e))
    }
}
