//! Which address a request comes from, for the per-address limits (failed logins, public
//! checkouts). One function decides it: [`TrustedProxies::client_ip`], reached through the
//! [`ClientIp`] extractor.
//!
//! Behind a reverse proxy every request arrives from the proxy's address, and the client's is
//! in `X-Forwarded-For`, which each proxy appends to. Anyone can send that header, so it is
//! read only when the connection comes from a proxy the operator listed
//! (`KASSA_TRUSTED_PROXIES`), and then from the right: the right-most address that is not
//! itself a trusted proxy is the client. Whatever a client writes further left is ignored, so
//! it cannot choose its own address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::connect_info::{ConnectInfo, MockConnectInfo};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;

use crate::error::AppError;
use crate::AppState;

/// The reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From `KASSA_TRUSTED_PROXIES`: IP addresses and CIDR blocks (`10.0.0.0/8`, `::1`).
    pub fn parse(items: &[String]) -> Result<Self, AppError> {
        items
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| {
                        AppError::Internal(format!(
                            "KASSA_TRUSTED_PROXIES: {} is not an IP address or a CIDR block \
                             like 10.0.0.0/8",
                            kassa_model::quoted(s)
                        ))
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a connection from `peer` carrying `headers`.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        // Several header lines count as one list, in order.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .flat_map(|v| v.to_str().unwrap_or("").split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            // An entry that is not an address: the proxy that passed it on is as far back as
            // anything can be known.
            let Some(ip) = parse_hop(hop) else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`203.0.113.7:5000`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

/// The key a client address is limited under: an IPv4 address, or the /64 an IPv6 address is
/// in (one household or server gets a whole /64, so single IPv6 addresses cost nothing to
/// change).
pub fn limit_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let net = ipnet::Ipv6Net::new(v6, 64).map(|n| n.trunc());
            net.map(|n| n.to_string())
                .unwrap_or_else(|_| v6.to_string())
        }
    }
}

/// The client's address, as [`TrustedProxies::client_ip`] decides it; `None` when the server
/// was started without connection info (some tests).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .or_else(|| {
                parts
                    .extensions
                    .get::<MockConnectInfo<SocketAddr>>()
                    .map(|m| m.0.ip())
            });
        Ok(Self(peer.map(|peer| {
            state.trusted_proxies.client_ip(peer, &parts.headers)
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        let h = forwarded(&["198.51.100.1"]);
        assert_eq!(none.client_ip(ip("203.0.113.7"), &h), ip("203.0.113.7"));
    }

    #[test]
    fn an_untrusted_peer_cannot_choose_its_address() {
        let t = trusted(&["10.0.0.0/8"]);
        let h = forwarded(&["198.51.100.1"]);
        assert_eq!(t.client_ip(ip("203.0.113.7"), &h), ip("203.0.113.7"));
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let t = trusted(&["10.0.0.0/8", "192.0.2.1"]);
        // The client wrote 6.6.6.6 itself; the trusted proxies appended the rest.
        let h = forwarded(&["6.6.6.6, 203.0.113.7", "10.1.1.1"]);
        assert_eq!(t.client_ip(ip("192.0.2.1"), &h), ip("203.0.113.7"));
        // Only trusted hops: the left-most is where the request came from.
        let h = forwarded(&["10.2.2.2, 10.1.1.1"]);
        assert_eq!(t.client_ip(ip("192.0.2.1"), &h), ip("10.2.2.2"));
        // No header: the proxy itself.
        assert_eq!(
            t.client_ip(ip("192.0.2.1"), &HeaderMap::new()),
            ip("192.0.2.1")
        );
        // Garbage stops the walk at the proxy that passed it on.
        let h = forwarded(&["203.0.113.7, garbage"]);
        assert_eq!(t.client_ip(ip("192.0.2.1"), &h), ip("192.0.2.1"));
        // Ports and IPv4-mapped IPv6 are read as the plain address.
        let h = forwarded(&["203.0.113.7:5000"]);
        assert_eq!(t.client_ip(ip("::ffff:192.0.2.1"), &h), ip("203.0.113.7"));
    }

    #[test]
    fn proxies_are_addresses_or_cidr_blocks() {
        assert!(trusted(&["10.0.0.0/8", " ::1 ", "192.0.2.7", ""]).trusts(ip("10.9.9.9")));
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0"] {
            let e = TrustedProxies::parse(&[bad.to_string()]).unwrap_err();
            assert!(
                e.to_string().contains("KASSA_TRUSTED_PROXIES"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn ipv6_clients_are_limited_per_64() {
        assert_eq!(limit_key(ip("2001:db8:1:2:3:4:5:6")), "2001:db8:1:2::/64");
        assert_eq!(limit_key(ip("::ffff:203.0.113.7")), "203.0.113.7");
    }
}
