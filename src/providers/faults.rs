//! Fault injection at the API-trait level, for unit tests of provider logic that must cope
//! with AWS failing: a [`FaultPlan`] lists, per operation, errors to return (optionally after
//! letting the real call happen, as when an answer is lost), and [`FaultyEmrServerless`] wraps
//! any [`EmrServerlessApi`] with it. HTTP-level faults (throttling, 5xx, slow answers, dropped
//! connections) against moto live in the test proxy `tests/support/fault_proxy.rs`.

use super::emr_serverless::api::*;
use super::error::ApiError;
use async_trait::async_trait;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

/// One injected failure.
#[derive(Debug, Clone)]
pub struct Injected {
    /// The error returned.
    pub error: ApiError,
    /// When true the wrapped call is made first and its result discarded (a lost answer).
    pub after_call: bool,
}

/// Failures to inject, consumed in order per operation name (e.g. `DeleteApplication`).
#[derive(Debug, Default)]
pub struct FaultPlan {
    queue: Mutex<BTreeMap<String, VecDeque<Injected>>>,
}

impl FaultPlan {
    /// An empty plan.
    pub fn new() -> FaultPlan {
        FaultPlan::default()
    }

    /// Makes the next call of `operation` fail with `error`.
    pub fn fail(&self, operation: &str, error: ApiError, after_call: bool) {
        if let Ok(mut q) = self.queue.lock() {
            q.entry(operation.to_string())
                .or_default()
                .push_back(Injected { error, after_call });
        }
    }

    fn next(&self, operation: &str) -> Option<Injected> {
        self.queue
            .lock()
            .ok()
            .and_then(|mut q| q.get_mut(operation).and_then(VecDeque::pop_front))
    }
}

/// An [`EmrServerlessApi`] that fails as its plan says.
pub struct FaultyEmrServerless {
    inner: Arc<dyn EmrServerlessApi>,
    /// The failures to inject.
    pub plan: Arc<FaultPlan>,
}

impl FaultyEmrServerless {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn EmrServerlessApi>, plan: Arc<FaultPlan>) -> FaultyEmrServerless {
        FaultyEmrServerless { inner, plan }
    }
}

macro_rules! faulty {
    ($self:ident, $op:literal, $call:expr) => {{
        match $self.plan.next($op) {
            Some(f) => {
                if f.after_call {
                    let _ = $call.await;
                }
                Err(f.error)
            }
            None => $call.await,
        }
    }};
}

#[async_trait]
impl EmrServerlessApi for FaultyEmrServerless {
    async fn create_application(&self, req: &CreateRequest) -> Result<(String, String), ApiError> {
        faulty!(
            self,
            "CreateApplication",
            self.inner.create_application(req)
        )
    }
    async fn get_application(&self, id: &str) -> Result<Option<Application>, ApiError> {
        faulty!(self, "GetApplication", self.inner.get_application(id))
    }
    async fn application_ids_named(&self, name: &str) -> Result<Vec<String>, ApiError> {
        faulty!(
            self,
            "ListApplications",
            self.inner.application_ids_named(name)
        )
    }
    async fn update_application(
        &self,
        id: &str,
        changes: &AppConfig,
        token: &str,
    ) -> Result<(), ApiError> {
        faulty!(
            self,
            "UpdateApplication",
            self.inner.update_application(id, changes, token)
        )
    }
    async fn start_application(&self, id: &str) -> Result<(), ApiError> {
        faulty!(self, "StartApplication", self.inner.start_application(id))
    }
    async fn stop_application(&self, id: &str) -> Result<(), ApiError> {
        faulty!(self, "StopApplication", self.inner.stop_application(id))
    }
    async fn delete_application(&self, id: &str) -> Result<(), ApiError> {
        faulty!(self, "DeleteApplication", self.inner.delete_application(id))
    }
    async fn count_active_job_runs(&self, id: &str) -> Result<usize, ApiError> {
        faulty!(self, "ListJobRuns", self.inner.count_active_job_runs(id))
    }
    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        faulty!(self, "TagResource", self.inner.tag_resource(arn, tags))
    }
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        faulty!(self, "UntagResource", self.inner.untag_resource(arn, keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::value::Value;
    use crate::providers::emr_serverless::fake::FakeEmrServerless;
    use crate::providers::emr_serverless::ApplicationResource;
    use crate::providers::error::ApiErrorKind;
    use crate::providers::{Ctx, ProviderError, ResourceProvider};
    use std::time::Duration;

    fn setup() -> (
        Arc<FakeEmrServerless>,
        Arc<FaultPlan>,
        ApplicationResource,
        Ctx,
    ) {
        let fake = Arc::new(FakeEmrServerless::new(0));
        let plan = Arc::new(FaultPlan::new());
        let api = Arc::new(FaultyEmrServerless::new(fake.clone(), plan.clone()));
        let mut ctx = Ctx::new("aws_emrserverless_application.x");
        ctx.poll_interval = Duration::from_millis(1);
        (
            fake,
            plan,
            ApplicationResource::new(api, BTreeMap::new()),
            ctx,
        )
    }

    fn want() -> Value {
        Value::map([
            ("name", Value::from("x")),
            ("type", Value::from("spark")),
            ("release_label", Value::from("emr-7.1.0")),
        ])
    }

    #[tokio::test]
    async fn a_delete_whose_answer_was_lost_still_succeeds() {
        let (fake, plan, r, ctx) = setup();
        let state = r
            .create(&ctx, &r.plan(None, &want()).planned)
            .await
            .expect("create");
        let id = state
            .get("id")
            .and_then(Value::as_str)
            .expect("id")
            .to_string();
        plan.fail(
            "DeleteApplication",
            ApiError::new(ApiErrorKind::Unavailable, "InternalServerException", "lost"),
            true,
        );
        r.delete(&ctx, &state).await.expect("delete");
        assert_eq!(fake.state(&id), Some(AppState::Terminated));
    }

    #[tokio::test]
    async fn a_create_that_never_reaches_created_reports_the_id_it_made() {
        let (_fake, plan, r, ctx) = setup();
        for _ in 0..3 {
            plan.fail(
                "GetApplication",
                ApiError::new(ApiErrorKind::AccessDenied, "AccessDeniedException", "no"),
                false,
            );
        }
        let err = r
            .create(&ctx, &r.plan(None, &want()).planned)
            .await
            .expect_err("fails");
        assert!(
            matches!(
                err,
                ProviderError::Api {
                    operation: "GetApplication",
                    ..
                }
            ),
            "{err}"
        );
        let partial = err.partial().expect("partial object");
        assert!(partial
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|i| !i.is_empty()));
    }

    #[tokio::test]
    async fn a_failed_stop_leaves_the_update_unsent() {
        let (fake, plan, r, ctx) = setup();
        let state = r
            .create(&ctx, &r.plan(None, &want()).planned)
            .await
            .expect("create");
        let id = state
            .get("id")
            .and_then(Value::as_str)
            .expect("id")
            .to_string();
        fake.set_state(&id, AppState::Started);
        plan.fail(
            "StopApplication",
            ApiError::new(ApiErrorKind::Conflict, "ConflictException", "busy"),
            false,
        );
        let mut w = want();
        if let Value::Map(m) = &mut w {
            m.insert("release_label".into(), Value::from("emr-7.2.0"));
        }
        let err = r
            .update(&ctx, &state, &r.plan(Some(&state), &w).planned)
            .await
            .expect_err("fails");
        assert!(
            err.to_string()
                .contains("StopApplication failed: ConflictException: busy"),
            "{err}"
        );
        assert!(!fake.calls().contains(&"UpdateApplication".to_string()));
    }
}
