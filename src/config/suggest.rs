//! "Did you mean ...?" suggestions by edit distance.

/// The candidate closest to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        if score >= 0.85 && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_names() {
        assert_eq!(
            super::did_you_mean("relase_label", ["release_label", "name", "type"]),
            Some("release_label")
        );
        assert_eq!(super::did_you_mean("zzz", ["release_label"]), None);
    }
}
