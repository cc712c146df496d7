//! IP network functions: cidrhost cidrnetmask cidrsubnet cidrsubnets (IPv4 and IPv6).

use super::util::{int_arg, str_arg};
use super::{FuncCtx, FuncDef, FuncError};
use crate::config::value::Value;
use std::net::IpAddr;

struct Net {
    addr: u128,
    prefix: u32,
    bits: u32,
}

impl Net {
    fn parse(s: &str, arg: usize) -> Result<Net, FuncError> {
        let net: ipnet::IpNet = s
            .parse()
            .map_err(|_| FuncError::arg(arg, format!("invalid CIDR expression: {s:?}")))?;
        let (addr, bits) = match net.network() {
            IpAddr::V4(a) => (u32::from(a) as u128, 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        };
        Ok(Net {
            addr,
            prefix: net.prefix_len() as u32,
            bits,
        })
    }

    fn show(&self, addr: u128, prefix: Option<u32>) -> String {
        let ip = if self.bits == 32 {
            IpAddr::V4(std::net::Ipv4Addr::from(addr as u32))
        } else {
            IpAddr::V6(std::net::Ipv6Addr::from(addr))
        };
        match prefix {
            Some(p) => format!("{ip}/{p}"),
            None => ip.to_string(),
        }
    }

    fn subnet(&self, newbits: i64, num: i64) -> Result<String, FuncError> {
        if newbits < 0 {
            return Err(FuncError::arg(1, "newbits must not be negative"));
        }
        let np = self.prefix + newbits as u32;
        if np > self.bits {
            return Err(FuncError::arg(
                1,
                format!(
                    "insufficient address space to extend prefix of {} by {newbits}",
                    self.prefix
                ),
            ));
        }
        if num < 0 || (newbits < 64 && num as u128 >= (1u128 << newbits)) {
            return Err(FuncError::arg(
                2,
                format!(
                    "prefix extension of {newbits} does not accommodate a subnet numbered {num}"
                ),
            ));
        }
        let shift = self.bits - np;
        let addr = self.addr | ((num as u128) << shift);
        Ok(self.show(addr, Some(np)))
    }
}

fn cidrsubnet(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = Net::parse(&str_arg(&a, 0)?, 0)?;
    Ok(Value::String(n.subnet(int_arg(&a, 1)?, int_arg(&a, 2)?)?))
}
fn cidrsubnets(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = Net::parse(&str_arg(&a, 0)?, 0)?;
    let mut next: u128 = n.addr;
    let mut out = Vec::new();
    for i in 1..a.len() {
        let nb = int_arg(&a, i)?;
        let np = n.prefix + nb as u32;
        if nb < 1 || np > n.bits {
            return Err(FuncError::arg(i, format!("invalid new prefix length {np}")));
        }
        let size = 1u128 << (n.bits - np);
        let start = next.div_ceil(size) * size;
        let end_of_base = n.addr + (1u128 << (n.bits - n.prefix));
        if start + size > end_of_base {
            return Err(FuncError::arg(
                i,
                "not enough remaining address space for a subnet with this prefix",
            ));
        }
        out.push(Value::String(n.show(start, Some(np))));
        next = start + size;
    }
    Ok(Value::List(out))
}
fn cidrhost(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = Net::parse(&str_arg(&a, 0)?, 0)?;
    let h = int_arg(&a, 1)?;
    let size = 1u128 << (n.bits - n.prefix);
    let off = if h < 0 {
        size as i128 + h as i128
    } else {
        h as i128
    };
    if off < 0 || off as u128 >= size {
        return Err(FuncError::arg(
            1,
            format!(
                "prefix of {} does not accommodate a host numbered {h}",
                n.prefix
            ),
        ));
    }
    Ok(Value::String(n.show(n.addr + off as u128, None)))
}
fn cidrnetmask(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let n = Net::parse(&str_arg(&a, 0)?, 0)?;
    if n.bits != 32 {
        return Err(FuncError::arg(0, "only IPv4 networks have a netmask"));
    }
    let mask = if n.prefix == 0 {
        0
    } else {
        u32::MAX << (32 - n.prefix)
    };
    Ok(Value::String(std::net::Ipv4Addr::from(mask).to_string()))
}

/// The IP network functions.
pub const DEFS: &[FuncDef] = &[
    FuncDef {
        name: "cidrhost",
        min_args: 2,
        max_args: Some(2),
        handles_unknown: false,
        call: cidrhost,
    },
    FuncDef {
        name: "cidrnetmask",
        min_args: 1,
        max_args: Some(1),
        handles_unknown: false,
        call: cidrnetmask,
    },
    FuncDef {
        name: "cidrsubnet",
        min_args: 3,
        max_args: Some(3),
        handles_unknown: false,
        call: cidrsubnet,
    },
    FuncDef {
        name: "cidrsubnets",
        min_args: 1,
        max_args: None,
        handles_unknown: false,
        call: cidrsubnets,
    },
];
