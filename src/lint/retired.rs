//! Rule codes that were renamed or removed. Codes are never reused; `--select`/`--ignore` and
//! suppression comments that name a retired code get a note pointing at its replacement.

/// `(old code, what happened)`: a new code, or "removed in x.y.z".
pub const RETIRED: &[(&str, &str)] = &[];

/// What happened to a retired code, if it is one.
pub fn lookup(code: &str) -> Option<&'static str> {
    RETIRED
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, w)| *w)
}
