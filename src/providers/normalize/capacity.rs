//! Worker and capacity strings: EMR Serverless accepts `"4 vCPU"`, `"4vCPU"` and `"4vcpu"`,
//! `"16 GB"` and `"16gb"`, and answers in its own spelling; these give one form to compare.

fn split_amount(s: &str) -> (String, String) {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let idx = compact
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(compact.len());
    let (num, unit) = compact.split_at(idx);
    (num.to_string(), unit.to_string())
}

fn canonical_number(num: &str) -> String {
    match num.parse::<f64>() {
        Ok(n) if n.fract() == 0.0 => format!("{}", n as i64),
        Ok(n) => format!("{n}"),
        Err(_) => num.to_string(),
    }
}

/// `"4 vCPU"`, `"4vcpu"`, `"4"` → `"4vCPU"`. Unrecognised text is returned without spaces.
pub fn normalize_cpu(s: &str) -> String {
    let (num, unit) = split_amount(s);
    if num.is_empty() {
        return s.trim().to_string();
    }
    match unit.to_ascii_lowercase().as_str() {
        "" | "vcpu" | "vcpus" => format!("{}vCPU", canonical_number(&num)),
        _ => format!("{}{}", canonical_number(&num), unit),
    }
}

/// `"16 GB"`, `"16gb"`, `"16"` → `"16GB"`. Unrecognised text is returned without spaces.
pub fn normalize_memory(s: &str) -> String {
    let (num, unit) = split_amount(s);
    if num.is_empty() {
        return s.trim().to_string();
    }
    match unit.to_ascii_lowercase().as_str() {
        "" | "gb" => format!("{}GB", canonical_number(&num)),
        _ => format!("{}{}", canonical_number(&num), unit),
    }
}

/// Disk sizes use the memory spelling (`"20 GB"` → `"20GB"`).
pub fn normalize_disk(s: &str) -> String {
    normalize_memory(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_forms_aws_accepts_compare_equal() {
        for s in ["4 vCPU", "4vCPU", "4vcpu", "4 VCPU", "4", " 4  vCPU "] {
            assert_eq!(normalize_cpu(s), "4vCPU", "{s}");
        }
        assert_eq!(normalize_cpu("0.25 vCPU"), "0.25vCPU");
        assert_eq!(normalize_cpu("400vCPU"), "400vCPU");
        assert_eq!(normalize_cpu("abc"), "abc");
    }

    #[test]
    fn memory_and_disk_forms_compare_equal() {
        for s in ["16 GB", "16GB", "16gb", "16 Gb", "16"] {
            assert_eq!(normalize_memory(s), "16GB", "{s}");
        }
        assert_eq!(normalize_disk("20 GB"), "20GB");
        assert_eq!(normalize_memory("1024 GB"), "1024GB");
    }
}
