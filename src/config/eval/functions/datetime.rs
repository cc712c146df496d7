//! Date and time functions: formatdate, plantimestamp, timeadd, timecmp, timestamp.
//! Timestamps are RFC 3339 strings; results are printed without fractional seconds, as Go's
//! `time.RFC3339` layout prints them.

use super::{arg_err, str_arg, FuncCtx, FuncError};
use crate::config::value::Value;
use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, TimeDelta, Timelike, Utc};
use std::sync::OnceLock;

fn parse_ts(a: &[Value], i: usize, param: &str) -> Result<DateTime<FixedOffset>, FuncError> {
    let s = str_arg(a, i, param)?;
    let ok_shape = s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T');
    match DateTime::parse_from_rfc3339(&s) {
        Ok(t) if ok_shape => Ok(t),
        Ok(_) => Err(arg_err(
            i,
            param,
            format!("not a valid RFC3339 timestamp: {s:?}"),
        )),
        Err(e) => Err(arg_err(
            i,
            param,
            format!("not a valid RFC3339 timestamp: {e}"),
        )),
    }
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
