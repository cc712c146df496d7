//! [`EmrServerlessApi`] over `aws-sdk-emrserverless`: one function per API call, every call
//! through the shared rate limiter and retry loop, every error classified by
//! [`ApiError::from_sdk`].

use super::api::*;
use crate::providers::error::{ApiError, ApiErrorKind};
use crate::providers::retry::{Caller, Safety};
use async_trait::async_trait;
use aws_sdk_emrserverless as emr;
use aws_sdk_emrserverless::types as t;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const SERVICE: &str = "emr-serverless";

/// The SDK-backed implementation.
#[derive(Debug, Clone)]
pub struct SdkEmrServerless {
    client: emr::Client,
    caller: Arc<Caller>,
}

impl SdkEmrServerless {
    /// Wraps a client.
    pub fn new(client: emr::Client, caller: Arc<Caller>) -> SdkEmrServerless {
        SdkEmrServerless { client, caller }
    }
}

fn build_err(e: aws_smithy_types::error::operation::BuildError) -> ApiError {
    ApiError::new(ApiErrorKind::Validation, "BuildError", e.to_string())
}

fn resources_to_worker(r: &Resources) -> Result<t::WorkerResourceConfig, ApiError> {
    t::WorkerResourceConfig::builder()
        .cpu(&r.cpu)
        .memory(&r.memory)
        .set_disk(r.disk.clone())
        .build()
        .map_err(build_err)
}

fn resources_to_max(r: &Resources) -> Result<t::MaximumAllowedResources, ApiError> {
    t::MaximumAllowedResources::builder()
        .cpu(&r.cpu)
        .memory(&r.memory)
        .set_disk(r.disk.clone())
        .build()
        .map_err(build_err)
}

fn initial_capacity_to_sdk(
    m: &BTreeMap<String, InitialCapacity>,
) -> Result<HashMap<String, t::InitialCapacityConfig>, ApiError> {
    let mut out = HashMap::new();
    for (k, ic) in m {
        let worker = ic.worker.as_ref().map(resources_to_worker).transpose()?;
        out.insert(
            k.clone(),
            t::InitialCapacityConfig::builder()
                .worker_count(ic.worker_count)
                .set_worker_configuration(worker)
                .build()
                .map_err(build_err)?,
        );
    }
    Ok(out)
}

fn runtime_to_sdk(v: &[Classification]) -> Result<Vec<t::Configuration>, ApiError> {
    v.iter()
        .map(|c| {
            t::Configuration::builder()
                .classification(&c.classification)
                .set_properties(if c.properties.is_empty() {
                    None
                } else {
                    Some(c.properties.clone().into_iter().collect())
                })
                .build()
                .map_err(build_err)
        })
        .collect()
}

fn monitoring_to_sdk(m: &Monitoring) -> Result<t::MonitoringConfiguration, ApiError> {
    let mut b = t::MonitoringConfiguration::builder();
    if let Some((uri, key)) = &m.s3 {
        b = b.s3_monitoring_configuration(
            t::S3MonitoringConfiguration::builder()
                .set_log_uri(uri.clone())
                .set_encryption_key_arn(key.clone())
                .build(),
        );
    }
    if let Some((enabled, key)) = &m.managed_persistence {
        b = b.managed_persistence_monitoring_configuration(
            t::ManagedPersistenceMonitoringConfiguration::builder()
                .set_enabled(*enabled)
                .set_encryption_key_arn(key.clone())
                .build(),
        );
    }
    if let Some(cw) = &m.cloudwatch {
        b = b.cloud_watch_logging_configuration(
            t::CloudWatchLoggingConfiguration::builder()
                .enabled(cw.enabled)
                .set_log_group_name(cw.log_group_name.clone())
                .set_log_stream_name_prefix(cw.log_stream_name_prefix.clone())
                .set_encryption_key_arn(cw.encryption_key_arn.clone())
                .set_log_types(if cw.log_types.is_empty() {
                    None
                } else {
                    Some(cw.log_types.clone().into_iter().collect())
                })
                .build()
                .map_err(build_err)?,
        );
    }
    if let Some(url) = &m.prometheus {
        b = b.prometheus_monitoring_configuration(
            t::PrometheusMonitoringConfiguration::builder()
                .set_remote_write_url(url.clone())
                .build(),
        );
    }
    Ok(b.build())
}

fn network_to_sdk(n: &Network) -> t::NetworkConfiguration {
    t::NetworkConfiguration::builder()
        .set_subnet_ids(Some(n.subnet_ids.clone()))
        .set_security_group_ids(Some(n.security_group_ids.clone()))
        .build()
}

fn resources_from(cpu: &str, memory: &str, disk: Option<&str>) -> Resources {
    Resources {
        cpu: cpu.to_string(),
        memory: memory.to_string(),
        disk: disk.map(str::to_string),
    }
}

/// Converts the SDK's application to ours.
pub fn application_from_sdk(a: &t::Application) -> Application {
    let c = AppConfig {
        release_label: Some(a.release_label().to_string()),
        architecture: a.architecture().map(|x| x.as_str().to_string()),
        initial_capacity: a.initial_capacity().map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        InitialCapacity {
                            worker_count: v.worker_count(),
                            worker: v
                                .worker_configuration()
                                .map(|w| resources_from(w.cpu(), w.memory(), w.disk())),
                        },
                    )
                })
                .collect()
        }),
        maximum_capacity: a
            .maximum_capacity()
            .map(|m| resources_from(m.cpu(), m.memory(), m.disk())),
        auto_start: a.auto_start_configuration().and_then(|s| s.enabled()),
        auto_stop: a
            .auto_stop_configuration()
            .map(|s| (s.enabled().unwrap_or(true), s.idle_timeout_minutes())),
        network: a.network_configuration().map(|n| Network {
            subnet_ids: n.subnet_ids().to_vec(),
            security_group_ids: n.security_group_ids().to_vec(),
        }),
        image_uri: a.image_configuration().map(|i| i.image_uri().to_string()),
        runtime_configuration: if a.runtime_configuration().is_empty() {
            None
        } else {
            Some(
                a.runtime_configuration()
                    .iter()
                    .map(|c| Classification {
                        classification: c.classification().to_string(),
                        properties: c
                            .properties()
                            .map(|p| p.clone().into_iter().collect())
                            .unwrap_or_default(),
                    })
                    .collect(),
            )
        },
        monitoring: a.monitoring_configuration().map(|m| Monitoring {
            s3: m.s3_monitoring_configuration().map(|s| {
                (
                    s.log_uri().map(str::to_string),
                    s.encryption_key_arn().map(str::to_string),
                )
            }),
            managed_persistence: m
                .managed_persistence_monitoring_configuration()
                .map(|s| (s.enabled(), s.encryption_key_arn().map(str::to_string))),
            cloudwatch: m
                .cloud_watch_logging_configuration()
                .map(|c| CloudWatchLogging {
                    enabled: c.enabled(),
                    log_group_name: c.log_group_name().map(str::to_string),
                    log_stream_name_prefix: c.log_stream_name_prefix().map(str::to_string),
                    encryption_key_arn: c.encryption_key_arn().map(str::to_string),
                    log_types: c
                        .log_types()
                        .map(|l| l.clone().into_iter().collect())
                        .unwrap_or_default(),
                }),
            prometheus: m
                .prometheus_monitoring_configuration()
                .map(|p| p.remote_write_url().map(str::to_string)),
        }),
        interactive: a
            .interactive_configuration()
            .map(|i| (i.livy_endpoint_enabled(), i.studio_enabled())),
        scheduler: a
            .scheduler_configuration()
            .map(|s| (s.max_concurrent_runs(), s.queue_timeout_minutes())),
        job_level_cost_allocation: a
            .job_level_cost_allocation_configuration()
            .and_then(|j| j.enabled()),
    };
    Application {
        id: a.application_id().to_string(),
        arn: a.arn().to_string(),
        name: a.name().unwrap_or_default().to_string(),
        engine_type: a.r#type().to_string(),
        state: Some(AppState::parse(a.state().as_str())),
        state_details: a.state_details().map(str::to_string),
        config: c,
        tags: a
            .tags()
            .map(|t| t.clone().into_iter().collect())
            .unwrap_or_default(),
    }
}

#[async_trait]
impl EmrServerlessApi for SdkEmrServerless {
    async fn create_application(&self, req: &CreateRequest) -> Result<(String, String), ApiError> {
        let c = &req.config;
        let initial = c
            .initial_capacity
            .as_ref()
            .map(initial_capacity_to_sdk)
            .transpose()?;
        let max = c
            .maximum_capacity
            .as_ref()
            .map(resources_to_max)
            .transpose()?;
        let runtime = c
            .runtime_configuration
            .as_deref()
            .map(runtime_to_sdk)
            .transpose()?;
        let monitoring = c.monitoring.as_ref().map(monitoring_to_sdk).transpose()?;
        let call = || {
            let mut b = self
                .client
                .create_application()
                .name(&req.name)
                .r#type(&req.engine_type)
                .client_token(&req.client_token)
                .set_release_label(c.release_label.clone())
                .set_architecture(c.architecture.as_deref().map(t::Architecture::from))
                .set_initial_capacity(initial.clone())
                .set_maximum_capacity(max.clone())
                .set_runtime_configuration(runtime.clone())
                .set_monitoring_configuration(monitoring.clone());
            if !req.tags.is_empty() {
                b = b.set_tags(Some(req.tags.clone().into_iter().collect()));
            }
            b = apply_common(b, c);
            async move { b.send().await.map_err(ApiError::from_sdk) }
        };
        // The client token makes a repeated create return the first application.
        let out = self
            .caller
            .call(SERVICE, "CreateApplication", Safety::Idempotent, call)
            .await?;
        Ok((out.application_id().to_string(), out.arn().to_string()))
    }

    async fn get_application(&self, id: &str) -> Result<Option<Application>, ApiError> {
        let r = self
            .caller
            .call(SERVICE, "GetApplication", Safety::Idempotent, || async {
                self.client
                    .get_application()
                    .application_id(id)
                    .send()
                    .await
                    .map_err(ApiError::from_sdk)
            })
            .await;
        match r {
            Ok(out) => Ok(out.application().map(application_from_sdk)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn application_ids_named(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut ids = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = self
                .caller
                .call(SERVICE, "ListApplications", Safety::Idempotent, || async {
                    self.client
                        .list_applications()
                        .set_next_token(token.clone())
                        .send()
                        .await
                        .map_err(ApiError::from_sdk)
                })
                .await?;
            for a in out.applications() {
                if a.name() == Some(name) && a.state() != &t::ApplicationState::Terminated {
                    ids.push(a.id().to_string());
                }
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(ids)
    }

    async fn update_application(
        &self,
        id: &str,
        c: &AppConfig,
        client_token: &str,
    ) -> Result<(), ApiError> {
        let initial = c
            .initial_capacity
            .as_ref()
            .map(initial_capacity_to_sdk)
            .transpose()?;
        let max = c
            .maximum_capacity
            .as_ref()
            .map(resources_to_max)
            .transpose()?;
        let runtime = c
            .runtime_configuration
            .as_deref()
            .map(runtime_to_sdk)
            .transpose()?;
        let monitoring = c.monitoring.as_ref().map(monitoring_to_sdk).transpose()?;
        let call = || {
            let b = self
                .client
                .update_application()
                .application_id(id)
                .client_token(client_token)
                .set_release_label(c.release_label.clone())
                .set_architecture(c.architecture.as_deref().map(t::Architecture::from))
                .set_initial_capacity(initial.clone())
                .set_maximum_capacity(max.clone())
                .set_runtime_configuration(runtime.clone())
                .set_monitoring_configuration(monitoring.clone());
            let b = apply_common_update(b, c);
            async move { b.send().await.map_err(ApiError::from_sdk) }
        };
        // Sends the full value of each changed field: repeating it is harmless.
        self.caller
            .call(SERVICE, "UpdateApplication", Safety::Idempotent, call)
            .await
            .map(|_| ())
    }

    async fn start_application(&self, id: &str) -> Result<(), ApiError> {
        self.caller
            .call(SERVICE, "StartApplication", Safety::Idempotent, || async {
                self.client
                    .start_application()
                    .application_id(id)
                    .send()
                    .await
                    .map_err(ApiError::from_sdk)
            })
            .await
            .map(|_| ())
    }

    async fn stop_application(&self, id: &str) -> Result<(), ApiError> {
        self.caller
            .call(SERVICE, "StopApplication", Safety::Idempotent, || async {
                self.client
                    .stop_application()
                    .application_id(id)
                    .send()
                    .await
                    .map_err(ApiError::from_sdk)
            })
            .await
            .map(|_| ())
    }

    async fn delete_application(&self, id: &str) -> Result<(), ApiError> {
        let r = self
            .caller
            .call(SERVICE, "DeleteApplication", Safety::Idempotent, || async {
                self.client
                    .delete_application()
                    .application_id(id)
                    .send()
                    .await
                    .map_err(ApiError::from_sdk)
            })
            .await;
        match r {
            Ok(_) => Ok(()),
            Err(e) if e.is_not_found() => Ok(()),
            Err(e) => Err(e),
        }
    }

    async fn count_active_job_runs(&self, id: &str) -> Result<usize, ApiError> {
        let states = [
            t::JobRunState::Submitted,
            t::JobRunState::Pending,
            t::JobRunState::Scheduled,
            t::JobRunState::Running,
            t::JobRunState::Cancelling,
            t::JobRunState::Queued,
        ];
        let mut count = 0;
        let mut token: Option<String> = None;
        loop {
            let out = self
                .caller
                .call(SERVICE, "ListJobRuns", Safety::Idempotent, || async {
                    self.client
                        .list_job_runs()
                        .application_id(id)
                        .set_states(Some(states.to_vec()))
                        .set_next_token(token.clone())
                        .send()
                        .await
                        .map_err(ApiError::from_sdk)
                })
                .await?;
            count += out
                .job_runs()
                .iter()
                .filter(|j| states.contains(j.state()))
                .count();
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(count),
            }
        }
    }

    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        self.caller
            .call(SERVICE, "TagResource", Safety::Idempotent, || async {
                self.client
                    .tag_resource()
                    .resource_arn(arn)
                    .set_tags(Some(tags.clone().into_iter().collect()))
                    .send()
                    .await
                    .map_err(ApiError::from_sdk)
            })
            .await
            .map(|_| ())
    }

    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        self.caller
            .call(SERVICE, "UntagResource", Safety::Idempotent, || async {
                self.client
                    .untag_resource()
                    .resource_arn(arn)
                    .set_tag_keys(Some(keys.to_vec()))
                    .send()
                    .await
                    .map_err(ApiError::from_sdk)
            })
            .await
            .map(|_| ())
    }
}

macro_rules! common_fields {
    ($name:ident, $builder:ty) => {
        fn $name(mut b: $builder, c: &AppConfig) -> $builder {
            if let Some(enabled) = c.auto_start {
                b = b.auto_start_configuration(
                    t::AutoStartConfig::builder().enabled(enabled).build(),
                );
            }
            if let Some((enabled, idle)) = c.auto_stop {
                b = b.auto_stop_configuration(
                    t::AutoStopConfig::builder()
                        .enabled(enabled)
                        .set_idle_timeout_minutes(idle)
                        .build(),
                );
            }
            if let Some(n) = &c.network {
                b = b.network_configuration(network_to_sdk(n));
            }
            if let Some(uri) = &c.image_uri {
                b = b.image_configuration(
                    t::ImageConfigurationInput::builder().image_uri(uri).build(),
                );
            }
            if let Some((livy, studio)) = c.interactive {
                b = b.interactive_configuration(
                    t::InteractiveConfiguration::builder()
                        .set_livy_endpoint_enabled(livy)
                        .set_studio_enabled(studio)
                        .build(),
                );
            }
            if let Some((runs, queue)) = c.scheduler {
                b = b.scheduler_configuration(
                    t::SchedulerConfiguration::builder()
                        .set_max_concurrent_runs(runs)
                        .set_queue_timeout_minutes(queue)
                        .build(),
                );
            }
            if let Some(enabled) = c.job_level_cost_allocation {
                b = b.job_level_cost_allocation_configuration(
                    t::JobLevelCostAllocationConfiguration::builder()
                        .enabled(enabled)
                        .build(),
                );
            }
            b
        }
    };
}

common_fields!(
    apply_common,
    emr::operation::create_application::builders::CreateApplicationFluentBuilder
);
common_fields!(
    apply_common_update,
    emr::operation::update_application::builders::UpdateApplicationFluentBuilder
);
