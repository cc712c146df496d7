//! Date and time functions: formatdate, plantimestamp, timeadd, timecmp, timestamp.
//! Timestamps are RFC 3339 strings; results are printed without fractional seconds, as Go's
//! `time.RFC3339` layout prints them.

use super::{arg_err, str_arg, FuncCtx, FuncError};
use crate::config::value::Value;
use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, TimeDelta, Timelike, Utc};
use std::sync::OnceLock;

fn parse_ts(a: &[Value], i: usize, param: &str) -> Result<DateTime<FixedOffset>, FuncError> {
    let s = str_arg(a, i, param)?;
    parse_rfc3339(&s).map_err(|e| arg_err(i, param, format!("not a valid RFC3339 timestamp: {e}")))
}

/// Takes exactly `n` ASCII digits (or 1 to `n` when `flexible`) from the front of `s`.
fn digits(s: &str, n: usize, flexible: bool) -> Option<(u32, &str)> {
    let len = s.bytes().take(n).take_while(u8::is_ascii_digit).count();
    if len == 0 || (!flexible && len != n) {
        return None;
    }
    Some((s[..len].parse().ok()?, &s[len..]))
}

/// Parses a strict RFC 3339 timestamp, with error wording like Terraform's.
fn parse_rfc3339(s: &str) -> Result<DateTime<FixedOffset>, String> {
    use chrono::{NaiveDate, TimeZone};
    let field = |rest: &str, what: &str| {
        if rest.is_empty() {
            format!("end of string before {what}")
        } else {
            format!("cannot use {rest:?} as {what}")
        }
    };
    let sep = |rest: &'_ str, c: char| -> Result<(), String> {
        match rest.chars().next() {
            Some(x) if x == c => Ok(()),
            Some(_) => Err(format!(
                "found {rest:?} where {:?} is expected",
                c.to_string()
            )),
            None => Err(format!(
                "end of string where {:?} is expected",
                c.to_string()
            )),
        }
    };
    let (year, rest) = digits(s, 4, false).ok_or_else(|| field(s, "year"))?;
    sep(rest, '-')?;
    let r = &rest[1..];
    let (month, rest) = digits(r, 2, false).ok_or_else(|| field(r, "month"))?;
    if !(1..=12).contains(&month) {
        return Err(field(rest, "month"));
    }
    sep(rest, '-')?;
    let r = &rest[1..];
    let (day, rest) = digits(r, 2, false).ok_or_else(|| field(r, "day of month"))?;
    if !(1..=31).contains(&day) {
        return Err(field(rest, "day of month"));
    }
    if !rest.starts_with('T') {
        return Err("missing required time introducer 'T'".into());
    }
    let r = &rest[1..];
    let (hour, rest) = digits(r, 2, true).ok_or_else(|| field(r, "hour"))?;
    if hour > 23 {
        return Err("hour must be between 0 and 23 inclusive".into());
    }
    sep(rest, ':')?;
    let r = &rest[1..];
    let (minute, rest) = digits(r, 2, false).ok_or_else(|| field(r, "minute"))?;
    if minute > 59 {
        return Err(field(rest, "minute"));
    }
    sep(rest, ':')?;
    let r = &rest[1..];
    let (second, mut rest) = digits(r, 2, false).ok_or_else(|| field(r, "second"))?;
    if second > 59 {
        return Err(field(rest, "second"));
    }
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let len = frac.bytes().take_while(u8::is_ascii_digit).count();
        if len > 0 {
            let text: String = frac[..len]
                .chars()
                .chain("000000000".chars())
                .take(9)
                .collect();
            nanos = text.parse().unwrap_or(0);
            rest = &frac[len..];
        }
    }
    let (offset, rest) = if let Some(r) = rest.strip_prefix('Z') {
        (0i32, r)
    } else {
        let sign = match rest.chars().next() {
            Some('+') => 1,
            Some('-') => -1,
            _ => return Err(field(rest, "UTC offset")),
        };
        let bad = || field(rest, "UTC offset");
        let (h, r) = digits(&rest[1..], 2, false).ok_or_else(bad)?;
        let r = r.strip_prefix(':').ok_or_else(bad)?;
        let (m, r) = digits(r, 2, false).ok_or_else(bad)?;
        (sign * (h as i32 * 3600 + m as i32 * 60), r)
    };
    if !rest.is_empty() {
        return Err(format!("extra text: {rest:?}"));
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or("day out of range")?;
    let time = date
        .and_hms_nano_opt(hour, minute, second, nanos)
        .ok_or("time out of range")?;
    let tz = FixedOffset::east_opt(offset).ok_or("UTC offset out of range")?;
    tz.from_local_datetime(&time)
        .single()
        .ok_or_else(|| "time out of range".to_string())
}

fn rfc3339(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn timestamp(_: &FuncCtx<'_>, _a: Vec<Value>) -> Result<Value, FuncError> {
    Ok(Value::String(
        Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
    ))
}

/// The plan's timestamp: fixed at the first call in this process, so every call during one
/// plan agrees.
pub(super) fn plantimestamp(_: &FuncCtx<'_>, _a: Vec<Value>) -> Result<Value, FuncError> {
    static PLAN_TIME: OnceLock<String> = OnceLock::new();
    Ok(Value::String(
        PLAN_TIME
            .get_or_init(|| Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true))
            .clone(),
    ))
}

/// Parses a Go duration string (`"1h30m"`, `"-2.5s"`, `"300ms"`).
fn parse_duration(s: &str) -> Option<TimeDelta> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(TimeDelta::zero());
    }
    if rest.is_empty() {
        return None;
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total_ns += value * scale;
    }
    let ns = total_ns.round() as i64;
    Some(TimeDelta::nanoseconds(if neg { -ns } else { ns }))
}

pub(super) fn timeadd(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let t = parse_ts(&a, 0, "timestamp")?;
    let d = str_arg(&a, 1, "duration")?;
    let delta = parse_duration(&d)
        .ok_or_else(|| arg_err(1, "duration", format!("time: invalid duration {d:?}")))?;
    let r = t
        .checked_add_signed(delta)
        .ok_or_else(|| arg_err(1, "duration", "the resulting time is out of range"))?;
    Ok(Value::String(rfc3339(&r)))
}

pub(super) fn timecmp(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let x = parse_ts(&a, 0, "timestamp_a")?;
    let y = parse_ts(&a, 1, "timestamp_b")?;
    Ok(Value::Number(match x.cmp(&y) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn offset_text(secs: i32, colon: bool) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let m = secs.abs() / 60;
    if colon {
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    } else {
        format!("{sign}{:02}{:02}", m / 60, m % 60)
    }
}

pub(super) fn formatdate(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let spec = str_arg(&a, 0, "format")?;
    let t = parse_ts(&a, 1, "time")?;
    let chars: Vec<char> = spec.chars().collect();
    let off = t.offset().local_minus_utc();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            if chars.get(i) == Some(&'\'') {
                out.push('\'');
                i += 1;
                continue;
            }
            loop {
                match chars.get(i) {
                    None => {
                        return Err(arg_err(0, "format", "unterminated literal '"));
                    }
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        out.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        out.push(*ch);
                        i += 1;
                    }
                }
            }
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut j = i;
        while chars.get(j) == Some(&c) {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        i = j;
        let hour12 = match t.hour() % 12 {
            0 => 12,
            h => h,
        };
        let piece = match run.as_str() {
            "YYYY" => format!("{:04}", t.year()),
            "YY" => format!("{:02}", t.year().rem_euclid(100)),
            "MMMM" => MONTHS[t.month0() as usize].to_string(),
            "MMM" => MONTHS[t.month0() as usize][..3].to_string(),
            "MM" => format!("{:02}", t.month()),
            "M" => t.month().to_string(),
            "DD" => format!("{:02}", t.day()),
            "D" => t.day().to_string(),
            "EEEE" => DAYS[t.weekday().num_days_from_monday() as usize].to_string(),
            "EEE" => DAYS[t.weekday().num_days_from_monday() as usize][..3].to_string(),
            "hh" => format!("{:02}", t.hour()),
            "h" => t.hour().to_string(),
            "HH" => format!("{hour12:02}"),
            "H" => hour12.to_string(),
            "AA" => (if t.hour() < 12 { "AM" } else { "PM" }).to_string(),
            "aa" => (if t.hour() < 12 { "am" } else { "pm" }).to_string(),
            "mm" => format!("{:02}", t.minute()),
            "m" => t.minute().to_string(),
            "ss" => format!("{:02}", t.second()),
            "s" => t.second().to_string(),
            "ZZZZZ" => offset_text(off, true),
            "ZZZZ" => offset_text(off, false),
            "ZZZ" if off == 0 => "UTC".to_string(),
            "ZZZ" => offset_text(off, false),
            "Z" if off == 0 => "Z".to_string(),
            "Z" => offset_text(off, true),
            r if r.starts_with('Y') => {
                return Err(arg_err(
                    0,
                    "format",
                    format!(
                        "invalid date format verb {run:?}: year must either be \"YY\" or \"YYYY\""
                    ),
                ))
            }
            other => {
                return Err(arg_err(
                    0,
                    "format",
                    format!("invalid date format verb {other:?}"),
                ))
            }
        };
        out.push_str(&piece);
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn formatdate_tokens() {
        assert_eq!(
            ok(
                "formatdate",
                vec![
                    s("EEEE, DD-MMM-YY hh:mm:ss ZZZ aa AA Z ZZZZ ZZZZZ 'quoted''x' H h"),
                    s("2018-01-02T23:12:01-08:00")
                ]
            ),
            s("Tuesday, 02-Jan-18 23:12:01 -0800 pm PM -08:00 -0800 -08:00 quoted'x 11 23")
        );
        assert_eq!(
            ok(
                "formatdate",
                vec![s("DD MMM YYYY hh:mm ZZZ"), s("2018-01-02T23:12:01Z")]
            ),
            s("02 Jan 2018 23:12 UTC")
        );
        assert_eq!(
            ok(
                "formatdate",
                vec![s("MMMM D, YYYY h:m:s Z"), s("2018-03-04T05:06:07Z")]
            ),
            s("March 4, 2018 5:6:7 Z")
        );
        assert_eq!(
            ok("formatdate", vec![s("''"), s("2018-03-04T05:06:07Z")]),
            s("'")
        );
        assert_eq!(
            err("formatdate", vec![s("YYY"), s("2018-03-04T05:06:07Z")]).arg,
            Some(0)
        );
        let e = err("formatdate", vec![s("YYYY"), s("2018-03-04")]);
        assert_eq!(e.arg, Some(1));
        assert!(e.message.contains("not a valid RFC3339 timestamp"));
    }

    #[test]
    fn timeadd_and_timecmp() {
        assert_eq!(
            ok("timeadd", vec![s("2017-11-22T00:00:00Z"), s("10m")]),
            s("2017-11-22T00:10:00Z")
        );
        assert_eq!(
            ok("timeadd", vec![s("2017-11-22T00:00:00Z"), s("-1h30m0.5s")]),
            s("2017-11-21T22:29:59Z")
        );
        assert_eq!(
            ok("timeadd", vec![s("2017-11-22T00:00:00+02:00"), s("24h")]),
            s("2017-11-23T00:00:00+02:00")
        );
        assert!(err("timeadd", vec![s("2017-11-22T00:00:00Z"), s("10x")])
            .message
            .contains("time: invalid duration \"10x\""));
        assert_eq!(
            ok(
                "timecmp",
                vec![s("2017-11-22T00:00:00Z"), s("2017-11-22T01:00:00+01:00")]
            ),
            n(0.0)
        );
        assert_eq!(
            ok(
                "timecmp",
                vec![s("2017-11-22T00:00:00Z"), s("2017-11-22T00:00:01Z")]
            ),
            n(-1.0)
        );
        assert_eq!(
            ok(
                "timecmp",
                vec![s("2017-11-22T00:00:02Z"), s("2017-11-22T00:00:01Z")]
            ),
            n(1.0)
        );
        assert_eq!(
            err("timecmp", vec![s("2017-11-22T00:00:02Z"), s("x")]).arg,
            Some(1)
        );
        assert_eq!(
            ok(
                "timecmp",
                vec![s("2017-11-22T0:00:00Z"), s("2017-11-22T00:00:00Z")]
            ),
            n(0.0)
        );
        assert_eq!(
            ok("timeadd", vec![s("2017-11-22T00:00:00.5Z"), s("1s")]),
            s("2017-11-22T00:00:01Z")
        );
    }

    #[test]
    fn timestamp_errors_match_terraform() {
        let msg = |ts: &str| err("timecmp", vec![s(ts), s("2017-11-22T00:00:00Z")]).message;
        let p = "Invalid value for \"timestamp_a\" parameter: not a valid RFC3339 timestamp: ";
        assert_eq!(msg("bad"), format!("{p}cannot use \"bad\" as year."));
        assert_eq!(
            msg("2017-13-22T00:00:00Z"),
            format!("{p}cannot use \"-22T00:00:00Z\" as month.")
        );
        assert_eq!(
            msg("2017-1-22T00:00:00Z"),
            format!("{p}cannot use \"1-22T00:00:00Z\" as month.")
        );
        assert_eq!(
            msg("2017-11-22"),
            format!("{p}missing required time introducer 'T'.")
        );
        assert_eq!(
            msg("2017-11-22t00:00:00z"),
            format!("{p}missing required time introducer 'T'.")
        );
        assert_eq!(
            msg("2017-11-22T00:00:00"),
            format!("{p}end of string before UTC offset.")
        );
        assert_eq!(
            msg("2017-11-22T00:00:00+0100"),
            format!("{p}cannot use \"+0100\" as UTC offset.")
        );
        assert_eq!(msg("2017-02-30T00:00:00Z"), format!("{p}day out of range."));
    }

    #[test]
    fn clocks() {
        let Value::String(t) = ok("timestamp", vec![]) else {
            panic!()
        };
        assert!(t.ends_with('Z') && t.len() == 20, "{t}");
        let a = ok("plantimestamp", vec![]);
        assert_eq!(a, ok("plantimestamp", vec![]));
    }
}
