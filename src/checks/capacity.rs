//! Worker sizes and capacity strings: `"4 vCPU"`, `"4vCPU"`, `"16 GB"`, `"200GB"`.

/// Parses `"4 vCPU"` / `"4vcpu"` / `"4"` into vCPU.
pub fn parse_vcpu(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_suffix("vcpu").unwrap_or(&t).trim();
    t.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)
}

/// Parses `"16 GB"` / `"16gb"` / `"16"` into GB.
pub fn parse_gb(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_suffix("gb").unwrap_or(&t).trim();
    t.parse().ok().filter(|n: &f64| n.is_finite() && *n >= 0.0)
}

/// The memory range and step (GB) allowed for a worker vCPU size, per the user guide.
pub fn memory_grid(vcpu: f64) -> Option<(f64, f64, f64)> {
    match vcpu as u32 {
        1 if vcpu == 1.0 => Some((2.0, 8.0, 1.0)),
        2 if vcpu == 2.0 => Some((4.0, 16.0, 1.0)),
        4 if vcpu == 4.0 => Some((8.0, 30.0, 1.0)),
        8 if vcpu == 8.0 => Some((16.0, 60.0, 4.0)),
        16 if vcpu == 16.0 => Some((32.0, 120.0, 8.0)),
        _ => None,
    }
}

/// Default worker vCPU of an engine when nothing declares it (Spark 4, Hive 2).
pub fn default_worker_vcpu(engine: &str) -> f64 {
    if engine.eq_ignore_ascii_case("hive") {
        2.0
    } else {
        4.0
    }
}

/// Usable addresses of an IPv4 prefix length in AWS (5 reserved per subnet).
pub fn usable_ips(prefix: u8) -> u64 {
    if prefix > 32 {
        return 0;
    }
    (1u64 << (32 - prefix as u64)).saturating_sub(5)
}

/// Formats a count with thousands separators: 4000 → "4,000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_capacity_strings() {
        assert_eq!(parse_vcpu("4 vCPU"), Some(4.0));
        assert_eq!(parse_vcpu("4vCPU"), Some(4.0));
        assert_eq!(parse_gb("16 GB"), Some(16.0));
        assert_eq!(parse_vcpu("x"), None);
    }

    #[test]
    fn usable_ips_match_the_guide() {
        assert_eq!(usable_ips(22), 1019);
        assert_eq!(usable_ips(23), 507);
        assert_eq!(usable_ips(24), 251);
        assert_eq!(thousands(4000), "4,000");
        assert_eq!(thousands(507), "507");
    }
}
