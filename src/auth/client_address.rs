//! Which client a request comes from, for throttling and the audit log.
//!
//! Behind a reverse proxy every request arrives from the proxy's address, so all users
//! would share one throttle; the proxy says who the client was in `X-Forwarded-For`. That
//! header is whatever the sender wrote, so it is believed only from proxies the operator
//! listed (`--trusted-proxies`), and only up to the first hop that is not one of them.
//!
//! An IPv6 client usually holds a whole /64 and can pick a new address in it for every
//! request, so throttles key IPv6 clients by their /64.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

/// The client's address as this server settled it, put on each request by the router.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The key a throttle counts an address under: an IPv4 address as it is (also when it
/// arrives IPv4-mapped), an IPv6 address as its /64 network.
pub fn throttle_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(network))
            }
        },
    }
}

/// The reverse proxies whose `X-Forwarded-For` is believed. Empty by default: then the
/// header is ignored whoever sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma- or space-separated list of addresses and networks: `10.0.0.5, 10.1.0.0/16, fd00::/8`.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        list.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                IpNet::from_str(entry)
                    .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
                    .map_err(|_| format!("不是有效的地址或网段：{entry}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = unmapped(address);
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind `peer` (the address the connection came from). `forwarded_for`
    /// are the request's `X-Forwarded-For` values in order; each proxy appends the
    /// address it received from, so the list is read from its end, skipping trusted
    /// proxies, and the first other address is the client. A malformed entry ends the
    /// walk: whoever wrote it is the last address we can vouch for.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = unmapped(peer);
        if !self.trusts(client) {
            return client;
        }
        let hops = forwarded_for
            .iter()
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .rev();
        for hop in hops {
            let Ok(address) = IpAddr::from_str(hop) else {
                break;
            };
            client = unmapped(address);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ipv6_addresses_in_one_slash_64_share_a_key_and_other_networks_do_not() {
        let first = throttle_key(ip("2001:db8:1:2:aaaa::1"));
        assert_eq!(first, throttle_key(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assert_eq!(first, ip("2001:db8:1:2::"));
        assert_ne!(first, throttle_key(ip("2001:db8:1:3::1")));
    }

    #[test]
    fn ipv4_keys_are_the_address_itself_also_when_mapped() {
        assert_eq!(throttle_key(ip("192.0.2.7")), ip("192.0.2.7"));
        assert_eq!(throttle_key(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
        assert_ne!(throttle_key(ip("192.0.2.7")), throttle_key(ip("192.0.2.8")));
    }

    #[test]
    fn forwarded_for_is_ignored_without_trusted_proxies() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn forwarded_for_is_ignored_from_a_peer_that_is_not_trusted() {
        let proxies: TrustedProxies = "10.0.0.5".parse().unwrap();
        assert_eq!(
            proxies.client(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_end_is_the_client() {
        let proxies: TrustedProxies = "10.0.0.0/8, fd00::/8".parse().unwrap();
        // The client forged a first entry; the proxies appended what they saw.
        let chain = ["1.2.3.4, 198.51.100.7", "10.0.0.9"];
        assert_eq!(proxies.client(ip("10.0.0.5"), &chain), ip("198.51.100.7"));
        assert_eq!(
            proxies.client(ip("fd00::1"), &["2001:db8::5"]),
            ip("2001:db8::5")
        );
        // Nothing forwarded: the proxy itself is all we know.
        assert_eq!(proxies.client(ip("10.0.0.5"), &[]), ip("10.0.0.5"));
        // Garbage stops the walk at the last address vouched for.
        assert_eq!(
            proxies.client(ip("10.0.0.5"), &["198.51.100.7, not-an-address"]),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn a_bad_entry_in_the_list_is_named() {
        assert_eq!(
            "10.0.0.1, 10.0.0.0/33".parse::<TrustedProxies>(),
            Err("不是有效的地址或网段：10.0.0.0/33".to_string())
        );
        assert!("".parse::<TrustedProxies>().unwrap().is_empty());
    }
}
