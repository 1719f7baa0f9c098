// Parsing of the router media URL.
#include <gtest/gtest.h>

#include "session/router_url.hpp"

using otc::client::parse_router_url;

TEST(SessionRouterUrl, ParsesTcpAndTls) {
  auto u = parse_router_url("tcp://127.0.0.1:3001");
  ASSERT_TRUE(u);
  EXPECT_FALSE(u->tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 3001);
  u = parse_router_url("tls://router.example.com:443/");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "router.example.com");
  EXPECT_EQ(u->port, 443);
}

TEST(SessionRouterUrl, ParsesBracketedIpv6) {
  auto u = parse_router_url("tcp://[::1]:65535");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 65535);
}

TEST(SessionRouterUrl, RefusesAnythingElse) {
  for (const char* bad : {"", "tcp://", "http://h:1", "tcp://h", "tcp://h:", "tcp://:80", "tcp://h:0",
                          "tcp://h:65536", "tcp://h:99999999", "tcp://h:12a", "tcp://h:1/path", "tcp://u@h:1",
                          "tcp://::1:80", "tcp://[::1]80", "tcp://[::1", "TCP://h:1", "tcp://h h:1"}) {
    EXPECT_FALSE(parse_router_url(bad)) << bad;
  }
}

TEST(SessionRouterUrl, ARouterCannotMoveATlsSessionToClearTcp) {
  using otc::client::parse_router_supplied_url;
  EXPECT_FALSE(parse_router_supplied_url("tcp://node2.example.com:4000", true));
  auto u = parse_router_supplied_url("tls://node2.example.com:4000", true);
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "node2.example.com");  // the name the certificate is verified against
  // A clear-TCP session may be moved to either.
  EXPECT_TRUE(parse_router_supplied_url("tcp://10.0.0.2:4000", false));
  EXPECT_TRUE(parse_router_supplied_url("tls://node2.example.com:4000", false));
  for (const char* bad : {"http://h:1", "tls://h", "tls://u@h:1", "tls://h:1/x", "tls://h:1?x"}) {
    EXPECT_FALSE(parse_router_supplied_url(bad, false)) << bad;
  }
}
