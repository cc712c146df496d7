//! Tags and `default_tags`: `tags_all` is the provider's `default_tags` overlaid by the
//! resource's `tags`; AWS only knows `tags_all`, so reading back splits it again.

use std::collections::BTreeMap;

/// `tags_all`: `default_tags` overlaid by the resource's `tags` (resource tags win).
pub fn merge_tags(
    default_tags: &BTreeMap<String, String>,
    tags: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut all = default_tags.clone();
    all.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// The resource's own `tags` from the tags AWS holds: every live tag except those that come
/// from `default_tags` with the same value, unless the prior `tags` set that key itself.
pub fn tags_from_live(
    live: &BTreeMap<String, String>,
    default_tags: &BTreeMap<String, String>,
    prior_tags: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    live.iter()
        .filter(|(k, v)| {
            prior_tags.contains_key(*k) || default_tags.get(*k).map(|d| d != *v).unwrap_or(true)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Keys to set (added or changed) and keys to remove, going from `old` to `new`.
pub fn tag_changes(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let set = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let remove = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    (set, remove)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn resource_tags_override_default_tags() {
        let all = merge_tags(
            &m(&[("env", "prod"), ("team", "data")]),
            &m(&[("env", "dev")]),
        );
        assert_eq!(all, m(&[("env", "dev"), ("team", "data")]));
    }

    #[test]
    fn live_tags_split_back_without_default_tags() {
        let live = m(&[("env", "prod"), ("team", "data"), ("app", "x")]);
        let defaults = m(&[("env", "prod"), ("team", "other")]);
        // env comes from default_tags; team differs from the default so it is the resource's.
        assert_eq!(
            tags_from_live(&live, &defaults, &BTreeMap::new()),
            m(&[("app", "x"), ("team", "data")])
        );
        // A key the configuration sets itself stays even when equal to the default.
        assert_eq!(
            tags_from_live(&live, &defaults, &m(&[("env", "prod")])),
            m(&[("app", "x"), ("env", "prod"), ("team", "data")])
        );
    }

    #[test]
    fn tag_changes_list_sets_and_removals() {
        let (set, rm) = tag_changes(
            &m(&[("a", "1"), ("b", "2")]),
            &m(&[("a", "1"), ("c", "3"), ("b", "9")]),
        );
        assert_eq!(set, m(&[("b", "9"), ("c", "3")]));
        assert!(rm.is_empty());
        let (set, rm) = tag_changes(&m(&[("a", "1")]), &BTreeMap::new());
        assert!(set.is_empty());
        assert_eq!(rm, vec!["a".to_string()]);
    }
}
