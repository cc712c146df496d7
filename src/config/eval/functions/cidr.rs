//! IP network functions: cidrhost, cidrnetmask, cidrsubnet, cidrsubnets, for IPv4 and IPv6.
//! Addresses are handled as 128-bit integers; a prefix with host bits set is accepted and
//! truncated, as Terraform's parser does, and IPv4 octets may carry leading zeros.

use super::{arg_err, int_arg, str_arg, FuncCtx, FuncError};
use crate::config::value::Value;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A parsed network: its first address, its prefix length and the address width (32/128).
#[derive(Clone, Copy)]
struct Net {
    addr: u128,
    prefix: u32,
    bits: u32,
}

impl Net {
    fn host_bits(&self) -> u32 {
        self.bits - self.prefix
    }

    fn mask(prefix: u32, bits: u32) -> u128 {
        let all = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        if prefix == 0 {
            0
        } else {
            all & !(all >> prefix)
        }
    }

    fn last(&self) -> u128 {
        let hb = self.host_bits();
        let span = if hb >= 128 {
            u128::MAX
        } else {
            (1u128 << hb) - 1
        };
        self.addr | span
    }

    fn addr_text(&self, addr: u128) -> String {
        if self.bits == 32 {
            Ipv4Addr::from(addr as u32).to_string()
        } else {
            Ipv6Addr::from(addr).to_string()
        }
    }

    fn text(&self) -> String {
        let net = if self.bits == 32 {
            Ipv4Net::new(Ipv4Addr::from(self.addr as u32), self.prefix as u8).map(IpNet::V4)
        } else {
            Ipv6Net::new(Ipv6Addr::from(self.addr), self.prefix as u8).map(IpNet::V6)
        };
        net.map_or_else(
            |_| format!("{}/{}", self.addr_text(self.addr), self.prefix),
            |n| n.to_string(),
        )
    }
}

fn parse_v4(s: &str) -> Option<u32> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut v = 0u32;
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let o: u32 = p.parse().ok()?;
        if o > 255 {
            return None;
        }
        v = (v << 8) | o;
    }
    Some(v)
}

fn parse_net(a: &[Value], i: usize) -> Result<Net, FuncError> {
    let s = str_arg(a, i, "prefix")?;
    let bad = || arg_err(i, "prefix", format!("invalid CIDR address: {s}"));
    let (ip, len) = s.split_once('/').ok_or_else(bad)?;
    let prefix: u32 = if !len.is_empty() && len.bytes().all(|b| b.is_ascii_digit()) {
        len.parse().map_err(|_| bad())?
    } else {
        return Err(bad());
    };
    if let Some(v4) = parse_v4(ip) {
        if prefix > 32 {
            return Err(bad());
        }
        let addr = u128::from(v4) & Net::mask(prefix, 32);
        return Ok(Net {
            addr,
            prefix,
            bits: 32,
        });
    }
    let net = Ipv6Net::from_str(&s).map_err(|_| bad())?.trunc();
    Ok(Net {
        addr: u128::from(net.network()),
        prefix,
        bits: 128,
    })
}

pub(super) fn cidrhost(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let net = parse_net(&a, 0)?;
    let hostnum = int_arg(&a, 1, "hostnum")?;
    let hb = net.host_bits();
    let size: Option<u128> = if hb >= 127 { None } else { Some(1u128 << hb) };
    let fail = || {
        arg_err(
            1,
            "hostnum",
            format!(
                "prefix of {} does not accommodate a host numbered {hostnum}",
                net.prefix
            ),
        )
    };
    let mag = u128::from(hostnum.unsigned_abs());
    let addr = if hostnum >= 0 {
        if size.is_some_and(|sz| mag >= sz) {
            return Err(fail());
        }
        net.addr + mag
    } else {
        if let Some(sz) = size.filter(|sz| mag > *sz) {
            // Terraform reports the host number after counting back from the end.
            let shown = sz as i128 - mag as i128;
            return Err(arg_err(
                1,
                "hostnum",
                format!(
                    "prefix of {} does not accommodate a host numbered {shown}",
                    net.prefix
                ),
            ));
        }
        net.last() - (mag - 1)
    };
    Ok(Value::String(net.addr_text(addr)))
}

pub(super) fn cidrnetmask(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let net = parse_net(&a, 0)?;
    if net.bits != 32 {
        let s = str_arg(&a, 0, "prefix")?;
        return Err(arg_err(
            0,
            "prefix",
            format!("IPv6 addresses cannot have a netmask: {s}"),
        ));
    }
    Ok(Value::String(net.addr_text(Net::mask(net.prefix, 32))))
}

fn subnet(net: Net, newbits: i64, netnum: i64) -> Result<Net, String> {
    if newbits < 0 && net.prefix as i64 + newbits >= 0 {
        // A negative extension shortens the prefix, as Terraform allows.
        let prefix = (net.prefix as i64 + newbits) as u32;
        return Ok(Net {
            addr: net.addr & Net::mask(prefix, net.bits),
            prefix,
            bits: net.bits,
        });
    }
    if newbits < 0 || net.prefix as i64 + newbits > net.bits as i64 {
        return Err(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            net.prefix
        ));
    }
    let newbits = newbits as u32;
    let fits = newbits >= 64 || (netnum >= 0 && (netnum as u128) < (1u128 << newbits));
    if netnum < 0 || !fits {
        return Err(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        ));
    }
    let prefix = net.prefix + newbits;
    let shift = net.bits - prefix;
    let offset = if shift >= 128 {
        0
    } else {
        (netnum as u128) << shift
    };
    Ok(Net {
        addr: net.addr | offset,
        prefix,
        bits: net.bits,
    })
}

pub(super) fn cidrsubnet(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let net = parse_net(&a, 0)?;
    let newbits = int_arg(&a, 1, "newbits")?;
    let netnum = int_arg(&a, 2, "netnum")?;
    subnet(net, newbits, netnum)
        .map(|n| Value::String(n.text()))
        .map_err(FuncError::new)
}

pub(super) fn cidrsubnets(_: &FuncCtx<'_>, a: Vec<Value>) -> Result<Value, FuncError> {
    let net = parse_net(&a, 0)?;
    let mut out = Vec::new();
    let mut current: Option<Net> = None;
    for i in 1..a.len() {
        let len = int_arg(&a, i, "newbits")?;
        if len < 1 {
            return Err(arg_err(
                i,
                "newbits",
                "must extend prefix by at least one bit",
            ));
        }
        if net.prefix as i64 + len > net.bits as i64 {
            return Err(arg_err(
                i,
                "newbits",
                format!(
                    "would extend prefix to {} bits, which is too long for an IPv{} address",
                    net.prefix as i64 + len,
                    if net.bits == 32 { 4 } else { 6 }
                ),
            ));
        }
        let prefix = net.prefix + len as u32;
        let next = match current {
            None => Net {
                addr: net.addr,
                prefix,
                bits: net.bits,
            },
            Some(cur) => {
                let mask = Net::mask(prefix, net.bits);
                let aligned = Net {
                    addr: cur.last() & mask,
                    prefix,
                    bits: net.bits,
                };
                let (start, overflow) = aligned.last().overflowing_add(1);
                let wrapped = overflow || (net.bits == 32 && start > u128::from(u32::MAX));
                let candidate = Net {
                    addr: start & mask,
                    prefix,
                    bits: net.bits,
                };
                if wrapped || candidate.addr & Net::mask(net.prefix, net.bits) != net.addr {
                    return Err(arg_err(
                        i,
                        "newbits",
                        format!(
                            "not enough remaining address space for a subnet with a prefix of {prefix} bits after {}",
                            cur.text()
                        ),
                    ));
                }
                candidate
            }
        };
        out.push(Value::String(next.text()));
        current = Some(next);
    }
    Ok(Value::List(out))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::config::value::Value;

    #[test]
    fn host() {
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(268.0)]),
            s("10.12.113.12")
        );
        assert_eq!(
            ok("cidrhost", vec![s("10.12.112.0/20"), n(-1.0)]),
            s("10.12.127.255")
        );
        assert_eq!(
            ok(
                "cidrhost",
                vec![s("fd00:fd12:3456:7890:00a2::/72"), n(34.0)]
            ),
            s("fd00:fd12:3456:7890::22")
        );
        assert_eq!(
            ok("cidrhost", vec![s("fd00:fd12:3456:7890::/56"), n(-1.0)]),
            s("fd00:fd12:3456:78ff:ffff:ffff:ffff:ffff")
        );
        let e = err("cidrhost", vec![s("10.0.0.0/30"), n(4.0)]);
        assert_eq!(e.message, "Invalid value for \"hostnum\" parameter: prefix of 30 does not accommodate a host numbered 4.");
        assert!(run("cidrhost", vec![s("10.0.0.0/30"), n(-4.0)]).is_ok());
        assert!(err("cidrhost", vec![s("10.0.0.0/8"), n(-16777217.0)])
            .message
            .contains("does not accommodate a host numbered -1"));
        assert_eq!(
            ok("cidrhost", vec![s("10.0.0.0/8"), n(-1.0)]),
            s("10.255.255.255")
        );
        assert_eq!(err("cidrhost", vec![s("nope"), n(1.0)]).arg, Some(0));
    }

    #[test]
    fn netmask() {
        assert_eq!(
            ok("cidrnetmask", vec![s("172.16.0.0/12")]),
            s("255.240.0.0")
        );
        assert_eq!(ok("cidrnetmask", vec![s("10.0.0.0/0")]), s("0.0.0.0"));
        assert_eq!(
            ok("cidrnetmask", vec![s("10.0.0.0/32")]),
            s("255.255.255.255")
        );
        assert!(err("cidrnetmask", vec![s("fd00::/8")])
            .message
            .contains("IPv6 addresses cannot have a netmask"));
    }

    #[test]
    fn subnet() {
        assert_eq!(
            ok("cidrsubnet", vec![s("172.16.0.0/12"), n(4.0), n(2.0)]),
            s("172.18.0.0/16")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
            s("10.1.2.240/28")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.1.2.3/16"), n(8.0), n(1.0)]),
            s("10.1.1.0/24")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("010.001.0.0/16"), n(8.0), n(1.0)]),
            s("10.1.1.0/24")
        );
        assert_eq!(
            ok(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.0.0.0/8"), n(0.0), n(0.0)]),
            s("10.0.0.0/8")
        );
        assert_eq!(
            ok("cidrsubnet", vec![s("10.0.0.0/8"), n(-1.0), n(1.0)]),
            s("10.0.0.0/7")
        );
        assert_eq!(
            err("cidrsubnet", vec![s("10.0.0.0/30"), n(3.0), n(0.0)]).message,
            "insufficient address space to extend prefix of 30 by 3"
        );
        assert_eq!(
            err("cidrsubnet", vec![s("10.0.0.0/16"), n(2.0), n(4.0)]).message,
            "prefix extension of 2 does not accommodate a subnet numbered 4"
        );
    }

    #[test]
    fn subnets() {
        assert_eq!(
            ok(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            sl(&[
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ])
        );
        assert_eq!(
            ok(
                "cidrsubnets",
                vec![
                    s("fd00:fd12:3456:7890::/56"),
                    n(16.0),
                    n(16.0),
                    n(16.0),
                    n(32.0)
                ]
            ),
            sl(&[
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88"
            ])
        );
        assert_eq!(ok("cidrsubnets", vec![s("10.0.0.0/8")]), sl(&[]));
        let e = err(
            "cidrsubnets",
            vec![s("10.0.0.0/30"), n(1.0), n(1.0), n(1.0)],
        );
        assert_eq!(e.arg, Some(3));
        assert!(e.message.contains("not enough remaining address space for a subnet with a prefix of 31 bits after 10.0.0.2/31"), "{}", e.message);
        assert!(err("cidrsubnets", vec![s("10.0.0.0/30"), n(0.0)])
            .message
            .contains("at least one bit"));
        assert!(err("cidrsubnets", vec![s("10.0.0.0/30"), n(3.0)])
            .message
            .contains("too long for an IPv4 address"));
        assert_eq!(
            ok("cidrsubnets", vec![s("10.0.0.0/8"), Value::Unknown]),
            Value::Unknown
        );
    }
}
