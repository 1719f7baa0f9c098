#include "router_url.hpp"

namespace otc::client {

std::optional<RouterUrl> parse_router_url(std::string_view url) {
  RouterUrl out;
  if (url.rfind("tcp://", 0) == 0) {
    out.tls = false;
  } else if (url.rfind("tls://", 0) == 0) {
    out.tls = true;
  } else {
    return std::nullopt;
  }
  std::string_view rest = url.substr(6);
  // A trailing slash is what people paste from browsers; accept exactly one.
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  std::string_view host;
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') return std::nullopt;
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const std::size_t colon = rest.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (host.empty() || port.empty() || port.size() > 5) return std::nullopt;
  for (char c : host) {
    if (c == '/' || c == '@' || c == ' ' || c == '?' || c == '#' || static_cast<unsigned char>(c) < 0x21) {
      return std::nullopt;
    }
  }
  std::uint32_t p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    p = p * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (p == 0 || p > 65535) return std::nullopt;
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(p);
  return out;
}

std::optional<RouterUrl> parse_router_supplied_url(std::string_view url, bool require_tls) {
  auto out = parse_router_url(url);
  if (!out || (require_tls && !out->tls)) return std::nullopt;
  return out;
}

std::string RouterUrl::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "tls://" : "tcp://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace otc::client
