// Parsing of the router media URL ("tcp://HOST:PORT" / "tls://HOST:PORT", docs/PROTOCOL.md sec. 1).
#ifndef OTC_SRC_SESSION_ROUTER_URL_HPP
#define OTC_SRC_SESSION_ROUTER_URL_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otc::client {

struct RouterUrl {
  bool tls = false;
  std::string host;  // without IPv6 brackets
  std::uint16_t port = 0;

  bool operator==(const RouterUrl& o) const { return tls == o.tls && host == o.host && port == o.port; }
  std::string to_string() const;
};

// nullopt for any other scheme, a missing/empty host, a port outside 1..65535, or trailing text.
std::optional<RouterUrl> parse_router_url(std::string_view url);

// A URL the router handed out (REDIRECT, NODES): as parse_router_url, and additionally refused
// when the session's own URL is tls:// and this one is not (a router may not move a client, and
// its token, from TLS to clear TCP). The TLS host name is then verified against this URL's host,
// with the session's trust settings, exactly as for the session's own URL.
std::optional<RouterUrl> parse_router_supplied_url(std::string_view url, bool require_tls);

}  // namespace otc::client

#endif
