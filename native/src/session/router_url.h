// Parsing of the router media URL ("tcp://HOST:PORT" / "tls://HOST:PORT", docs/PROTOCOL.md sec. 1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace otc::client {

struct RouterUrl {
  bool tls = false;
  std::string host;  // without IPv6 brackets
  uint16_t port = 0;
};

// nullopt for any other scheme, a missing/empty host, a port outside 1..65535, or trailing text.
std::optional<RouterUrl> parse_router_url(std::string_view url);

}  // namespace otc::client
