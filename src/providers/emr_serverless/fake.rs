//! An in-memory [`EmrServerlessApi`] that models the application states as AWS documents them:
//! CREATING → CREATED after create, STARTING → STARTED after start, STOPPING → STOPPED after
//! stop, TERMINATED after delete; each transition completes after a set number of reads.
//! Updates and deletes are refused unless CREATED or STOPPED, stops while jobs run are
//! possible (the provider must refuse them itself). Every call is logged for assertions.
//! For fast unit tests of the lifecycle logic only; moto tests cover the real protocol.

use super::api::*;
use crate::providers::error::{ApiError, ApiErrorKind};
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Mutex;

#[derive(Debug, Default)]
struct Inner {
    apps: BTreeMap<String, (Application, u32)>,
    next: u32,
    calls: Vec<String>,
    active_jobs: BTreeMap<String, usize>,
    tokens: BTreeMap<String, String>,
    last_update: Option<AppConfig>,
}

/// The fake.
#[derive(Debug, Default)]
pub struct FakeEmrServerless {
    inner: Mutex<Inner>,
    /// Reads before a transitional state (CREATING, STARTING, STOPPING) completes.
    pub transition_reads: u32,
}

impl FakeEmrServerless {
    /// A fake whose transitions complete after `transition_reads` reads.
    pub fn new(transition_reads: u32) -> FakeEmrServerless {
        FakeEmrServerless {
            inner: Mutex::new(Inner::default()),
            transition_reads,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The calls made so far, e.g. `["CreateApplication", "GetApplication", ...]`.
    pub fn calls(&self) -> Vec<String> {
        self.lock().calls.clone()
    }

    /// The fields sent by the last UpdateApplication.
    pub fn last_update(&self) -> Option<AppConfig> {
        self.lock().last_update.clone()
    }

    /// Forgets the call log.
    pub fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    /// Puts an application directly into a state (seeding a scenario).
    pub fn set_state(&self, id: &str, state: AppState) {
        if let Some((a, n)) = self.lock().apps.get_mut(id) {
            a.state = Some(state);
            *n = 0;
        }
    }

    /// The current state.
    pub fn state(&self, id: &str) -> Option<AppState> {
        self.lock().apps.get(id).and_then(|(a, _)| a.state)
    }

    /// Sets the number of active job runs.
    pub fn set_active_jobs(&self, id: &str, n: usize) {
        self.lock().active_jobs.insert(id.to_string(), n);
    }

    /// Changes a stored application behind the provider's back (drift).
    pub fn edit(&self, id: &str, f: impl FnOnce(&mut Application)) {
        if let Some((a, _)) = self.lock().apps.get_mut(id) {
            f(a);
        }
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        ApiErrorKind::NotFound,
        "ResourceNotFoundException",
        format!("Application {id} does not exist"),
    )
}

fn wrong_state(id: &str, s: AppState) -> ApiError {
    ApiError::new(
        ApiErrorKind::Validation,
        "ValidationException",
        format!(
            "Application {id} must be in one of the following statuses [CREATED, STOPPED]. Current status: {}",
            s.as_str()
        ),
    )
}

fn merge(into: &mut AppConfig, c: &AppConfig) {
    macro_rules! take {
        ($($f:ident),*) => { $( if c.$f.is_some() { into.$f = c.$f.clone(); } )* };
    }
    take!(
        release_label,
        architecture,
        initial_capacity,
        maximum_capacity,
        auto_start,
        auto_stop,
        network,
        image_uri,
        runtime_configuration,
        monitoring,
        interactive,
        scheduler,
        job_level_cost_allocation
    );
}

#[async_trait]
impl EmrServerlessApi for FakeEmrServerless {
    async fn create_application(&self, req: &CreateRequest) -> Result<(String, String), ApiError> {
        let mut g = self.lock();
        g.calls.push("CreateApplication".into());
        if let Some(id) = g.tokens.get(&req.client_token).cloned() {
            let arn = g
                .apps
                .get(&id)
                .map(|(a, _)| a.arn.clone())
                .unwrap_or_default();
            return Ok((id, arn));
        }
        g.next += 1;
        let id = format!("00fake{:010}", g.next);
        let arn = format!("arn:aws:emr-serverless:us-east-1:123456789012:/applications/{id}");
        let mut config = req.config.clone();
        config.architecture.get_or_insert_with(|| "X86_64".into());
        config.auto_start.get_or_insert(true);
        config.auto_stop.get_or_insert((true, Some(15)));
        let app = Application {
            id: id.clone(),
            arn: arn.clone(),
            name: req.name.clone(),
            engine_type: req.engine_type.to_ascii_uppercase(),
            state: Some(AppState::Creating),
            state_details: None,
            config,
            tags: req.tags.clone(),
        };
        g.apps.insert(id.clone(), (app, 0));
        g.tokens.insert(req.client_token.clone(), id.clone());
        Ok((id, arn))
    }

    async fn application_ids_named(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut g = self.lock();
        g.calls.push("ListApplications".into());
        Ok(g.apps
            .values()
            .filter(|(a, _)| a.name == name && a.state != Some(AppState::Terminated))
            .map(|(a, _)| a.id.clone())
            .collect())
    }

    async fn get_application(&self, id: &str) -> Result<Option<Application>, ApiError> {
        let reads = self.transition_reads;
        let mut g = self.lock();
        g.calls.push("GetApplication".into());
        let Some((app, n)) = g.apps.get_mut(id) else {
            return Ok(None);
        };
        let next = match app.state {
            Some(AppState::Creating) => Some(AppState::Created),
            Some(AppState::Starting) => Some(AppState::Started),
            Some(AppState::Stopping) => Some(AppState::Stopped),
            _ => None,
        };
        if let Some(next) = next {
            if *n >= reads {
                app.state = Some(next);
                *n = 0;
            } else {
                *n += 1;
            }
        }
        Ok(Some(app.clone()))
    }

    async fn update_application(
        &self,
        id: &str,
        changes: &AppConfig,
        _client_token: &str,
    ) -> Result<(), ApiError> {
        let mut g = self.lock();
        g.calls.push("UpdateApplication".into());
        g.last_update = Some(changes.clone());
        let (app, _) = g.apps.get_mut(id).ok_or_else(|| not_found(id))?;
        match app.state {
            Some(AppState::Created) | Some(AppState::Stopped) => {}
            Some(s) => return Err(wrong_state(id, s)),
            None => {}
        }
        merge(&mut app.config, changes);
        Ok(())
    }

    async fn start_application(&self, id: &str) -> Result<(), ApiError> {
        let mut g = self.lock();
        g.calls.push("StartApplication".into());
        let (app, n) = g.apps.get_mut(id).ok_or_else(|| not_found(id))?;
        if matches!(app.state, Some(AppState::Created) | Some(AppState::Stopped)) {
            app.state = Some(AppState::Starting);
            *n = 0;
        }
        Ok(())
    }

    async fn stop_application(&self, id: &str) -> Result<(), ApiError> {
        let mut g = self.lock();
        g.calls.push("StopApplication".into());
        let (app, n) = g.apps.get_mut(id).ok_or_else(|| not_found(id))?;
        if matches!(
            app.state,
            Some(AppState::Started) | Some(AppState::Starting)
        ) {
            app.state = Some(AppState::Stopping);
            *n = 0;
        }
        Ok(())
    }

    async fn delete_application(&self, id: &str) -> Result<(), ApiError> {
        let mut g = self.lock();
        g.calls.push("DeleteApplication".into());
        let Some((app, _)) = g.apps.get_mut(id) else {
            return Ok(());
        };
        match app.state {
            Some(AppState::Created) | Some(AppState::Stopped) | Some(AppState::Terminated) => {
                app.state = Some(AppState::Terminated);
                Ok(())
            }
            Some(s) => Err(wrong_state(id, s)),
            None => Ok(()),
        }
    }

    async fn count_active_job_runs(&self, id: &str) -> Result<usize, ApiError> {
        let mut g = self.lock();
        g.calls.push("ListJobRuns".into());
        Ok(g.active_jobs.get(id).copied().unwrap_or(0))
    }

    async fn tag_resource(
        &self,
        arn: &str,
        tags: &BTreeMap<String, String>,
    ) -> Result<(), ApiError> {
        let mut g = self.lock();
        g.calls.push("TagResource".into());
        let app = g
            .apps
            .values_mut()
            .find(|(a, _)| a.arn == arn)
            .ok_or_else(|| not_found(arn))?;
        app.0.tags.extend(tags.clone());
        Ok(())
    }

    async fn untag_resource(&self, arn: &str, keys: &[String]) -> Result<(), ApiError> {
        let mut g = self.lock();
        g.calls.push("UntagResource".into());
        let app = g
            .apps
            .values_mut()
            .find(|(a, _)| a.arn == arn)
            .ok_or_else(|| not_found(arn))?;
        for k in keys {
            app.0.tags.remove(k);
        }
        Ok(())
    }
}
