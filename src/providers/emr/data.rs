//! `aws_emr_release_labels`.

use super::api::{EmrApi, ReleaseLabelFilter};
use crate::config::value::Value;
use crate::providers::attrs::{block, obj, str_of, string_list};
use crate::providers::error::ProviderError;
use crate::providers::{Ctx, DataSourceProvider};
use async_trait::async_trait;
use std::sync::Arc;

/// `aws_emr_release_labels`: `release_labels` (newest first, as AWS lists them) filtered by
/// `filters { prefix, application }`; `id` is the region, as the AWS provider sets it.
pub struct ReleaseLabels {
    api: Arc<dyn EmrApi>,
    region: String,
}

impl ReleaseLabels {
    /// Over an EMR API, for the provider's region.
    pub fn new(api: Arc<dyn EmrApi>, region: String) -> ReleaseLabels {
        ReleaseLabels { api, region }
    }
}

/// The `filters` block of a data source configuration.
fn filter_of(config: &Value) -> ReleaseLabelFilter {
    let f = block(config, "filters");
    let get = |k: &str| {
        f.and_then(|f| str_of(f, k))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    ReleaseLabelFilter {
        prefix: get("prefix"),
        application: get("application"),
    }
}

#[async_trait]
impl DataSourceProvider for ReleaseLabels {
    fn type_name(&self) -> &'static str {
        "aws_emr_release_labels"
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let filter = filter_of(config);
        let mut labels = self
            .api
            .list_release_labels(&filter)
            .await
            .map_err(|e| ctx.api("ListReleaseLabels", e))?;
        // AWS applies the prefix itself; applying it again costs nothing and keeps the result
        // right on endpoints that ignore filters (moto does).
        if let Some(p) = &filter.prefix {
            labels.retain(|l| l.starts_with(p.as_str()));
        }
        let region = str_of(config, "region").unwrap_or(&self.region).to_string();
        let mut out = obj([
            ("id", Value::from(region.as_str())),
            ("region", Value::from(region.as_str())),
            ("release_labels", string_list(labels)),
        ]);
        if let Some(f) = block(config, "filters") {
            out.insert("filters".into(), f.clone());
        } else {
            out.insert("filters".into(), Value::List(vec![]));
        }
        Ok(Value::Map(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::error::ApiError;
    use std::sync::Mutex;

    struct Recorded {
        labels: Vec<String>,
        seen: Mutex<Vec<ReleaseLabelFilter>>,
    }

    #[async_trait]
    impl EmrApi for Recorded {
        async fn list_release_labels(
            &self,
            filter: &ReleaseLabelFilter,
        ) -> Result<Vec<String>, ApiError> {
            if let Ok(mut s) = self.seen.lock() {
                s.push(filter.clone());
            }
            Ok(self.labels.clone())
        }
    }

    fn config(prefix: &str) -> Value {
        Value::Map(obj([(
            "filters",
            Value::List(vec![Value::Map(obj([
                ("prefix", Value::from(prefix)),
                ("application", Value::Null),
            ]))]),
        )]))
    }

    #[tokio::test]
    async fn prefix_is_sent_and_enforced() {
        let api = Arc::new(Recorded {
            labels: vec!["emr-7.2.0".into(), "emr-6.15.0".into(), "emr-7.1.0".into()],
            seen: Mutex::new(vec![]),
        });
        let ds = ReleaseLabels::new(api.clone(), "eu-west-1".into());
        let v = ds
            .read(&Ctx::new("data.aws_emr_release_labels.x"), &config("emr-7"))
            .await
            .map_err(|e| e.to_string());
        let v = match v {
            Ok(v) => v,
            Err(e) => panic!("read failed: {e}"),
        };
        assert_eq!(
            crate::providers::attrs::strings(&v, "release_labels"),
            vec!["emr-7.2.0".to_string(), "emr-7.1.0".to_string()]
        );
        assert_eq!(str_of(&v, "id"), Some("eu-west-1"));
        let seen = api.seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen[0].prefix.as_deref(), Some("emr-7"));
        assert_eq!(seen[0].application, None);
    }
}
