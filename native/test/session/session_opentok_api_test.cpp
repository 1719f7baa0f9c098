// The OpenTok-compatible surface of the C API (docs/OPENTOK-COMPAT.md) against a scripted router:
// otc_connection objects carry what the router announced and reach every callback that OpenTok
// passes one to; drop reasons through the accessors; the router URL from OTC_ROUTER_URL; the
// publisher constructors and settings name; otc_init and the logger.
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "fake_router.hpp"
#include "opentok.h"
#include "session/protocol.hpp"

namespace {

using namespace otc_test;
namespace wire = otc::client::wire;

constexpr char kSessionId[] = "opentok-api-session";

// What the session callbacks saw, copied out during the calls.
struct Seen {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> created;  // "id|data|time|session"
  std::vector<std::string> dropped;  // "id|data|reason"
  std::vector<std::string> streams;  // "stream|connection id|connection data|reason"
  std::vector<std::string> dropped_streams;
  std::vector<std::string> signals;  // "type|data|from id|from data"
  otc_connection* kept = nullptr;
  std::vector<std::string> connected;

  ~Seen() { otc_connection_delete(kept); }

  template <typename Fn>
  void record(Fn fn) {
    {
      std::lock_guard<std::mutex> lock(mu);
      fn();
    }
    cv.notify_all();
  }
  bool wait_for(const std::vector<std::string>& v, size_t n) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return v.size() >= n; });
  }
};

std::string describe(const otc_stream* s) {
  const otc_connection* c = otc_stream_get_connection(s);
  return std::string(otc_stream_get_id(s)) + "|" + otc_connection_get_id(c) + "|" + otc_connection_get_data(c) + "|" +
         std::to_string(otc_stream_get_drop_reason(s));
}

otc_session_callbacks callbacks(Seen* seen) {
  otc_session_callbacks cb{};
  cb.user_data = seen;
  cb.on_connected = [](otc_session*, void* u) {
    auto* s = static_cast<Seen*>(u);
    s->record([&] { s->connected.push_back("connected"); });
  };
  cb.on_connection_created = [](otc_session*, void* u, const otc_connection* c) {
    auto* s = static_cast<Seen*>(u);
    s->record([&] {
      s->created.push_back(std::string(otc_connection_get_id(c)) + "|" + otc_connection_get_data(c) + "|" +
                           std::to_string(otc_connection_get_creation_time(c)) + "|" +
                           otc_connection_get_session_id(c) + "|" + std::to_string(otc_connection_get_drop_reason(c)));
      if (!s->kept) s->kept = otc_connection_copy(c);
    });
  };
  cb.on_connection_dropped = [](otc_session*, void* u, const otc_connection* c) {
    auto* s = static_cast<Seen*>(u);
    s->record([&] {
      s->dropped.push_back(std::string(otc_connection_get_id(c)) + "|" + otc_connection_get_data(c) + "|" +
                           std::to_string(otc_connection_get_drop_reason(c)));
    });
  };
  cb.on_stream_received = [](otc_session*, void* u, const otc_stream* st) {
    auto* s = static_cast<Seen*>(u);
    s->record([&] { s->streams.push_back(describe(st)); });
  };
  cb.on_stream_dropped = [](otc_session*, void* u, const otc_stream* st) {
    auto* s = static_cast<Seen*>(u);
    s->record([&] { s->dropped_streams.push_back(describe(st)); });
  };
  cb.on_signal_received = [](otc_session*, void* u, const char* type, const char* data, const otc_connection* c) {
    auto* s = static_cast<Seen*>(u);
    s->record([&] {
      s->signals.push_back(std::string(type) + "|" + data + "|" + otc_connection_get_id(c) + "|" +
                           otc_connection_get_data(c));
    });
  };
  return cb;
}

struct SessionDeleter {
  void operator()(otc_session* s) const { otc_session_delete(s); }
};
using SessionPtr = std::unique_ptr<otc_session, SessionDeleter>;

SessionPtr connected_session(FakeRouter& router, Seen& seen) {
  otc_session_settings* settings = otc_session_settings_new();
  EXPECT_EQ(otc_session_settings_set_router_url(settings, router.url().c_str()), OTC_SUCCESS);
  const otc_session_callbacks cb = callbacks(&seen);
  SessionPtr s(otc_session_new_with_settings("api-key", kSessionId, &cb, settings));
  otc_session_settings_delete(settings);
  EXPECT_NE(s, nullptr);
  EXPECT_EQ(otc_session_connect(s.get(), "token"), OTC_SUCCESS);
  EXPECT_TRUE(router.handshake(kSessionId, false, "me-1"));
  EXPECT_TRUE(seen.wait_for(seen.connected, 1));
  return s;
}

bool contains(const std::vector<std::uint8_t>& m, const std::string& text) {
  return std::search(m.begin(), m.end(), text.begin(), text.end()) != m.end();
}

TEST(OpenTokApi, ConnectionsCarryWhatTheRouterAnnouncedIntoEveryCallback) {
  FakeRouter router;
  Seen seen;
  SessionPtr s = connected_session(router, seen);

  ASSERT_TRUE(router.send(wire::encode(wire::ConnectionCreated{"peer-1", "data-1", 1234})));
  ASSERT_TRUE(seen.wait_for(seen.created, 1));
  EXPECT_EQ(seen.created[0], std::string("peer-1|data-1|1234|") + kSessionId + "|0");

  wire::StreamCreated sc;
  sc.stream_id = "stream-1";
  sc.connection_id = "peer-1";
  sc.name = "cam";
  sc.has_video = 1;
  sc.video_codec = OTC_CODEC_VP8;
  ASSERT_TRUE(router.send(wire::encode(sc)));
  ASSERT_TRUE(seen.wait_for(seen.streams, 1));
  EXPECT_EQ(seen.streams[0], "stream-1|peer-1|data-1|0");

  // Signals name their sender's connection; one the router never announced still has its id.
  ASSERT_TRUE(router.send(wire::encode(wire::SignalIn{"peer-1", "chat", "hello"})));
  ASSERT_TRUE(router.send(wire::encode(wire::SignalIn{"ghost", "chat", "boo"})));
  ASSERT_TRUE(seen.wait_for(seen.signals, 2));
  EXPECT_EQ(seen.signals[0], "chat|hello|peer-1|data-1");
  EXPECT_EQ(seen.signals[1], "chat|boo|ghost|");

  // Signal back through the kept copy: the SIGNAL names peer-1.
  {
    std::lock_guard<std::mutex> lock(seen.mu);
    ASSERT_NE(seen.kept, nullptr);
    EXPECT_EQ(otc_session_send_signal_to_connection(s.get(), "reply", "hi", seen.kept), OTC_SUCCESS);
  }
  EXPECT_EQ(otc_session_send_signal_to_connection(s.get(), "reply", "hi", nullptr), OTC_ERR_INVALID_PARAM);
  auto signal = router.read_until(static_cast<std::uint8_t>(wire::MsgType::kSignal));
  ASSERT_TRUE(signal.has_value());
  wire::ClientMessage decoded;
  ASSERT_EQ(wire::decode_client_message(signal->data(), signal->size(), decoded), wire::DecodeStatus::kOk);
  const auto& out = std::get<wire::SignalOut>(decoded);
  EXPECT_EQ(out.to_connection_id, "peer-1");
  EXPECT_EQ(out.type, "reply");
  EXPECT_EQ(out.data, "hi");

  // Reasons travel through the accessors, not extra callback arguments.
  ASSERT_TRUE(router.send(wire::encode(wire::StreamDestroyed{"stream-1", OTC_STREAM_DROP_PUBLISHER_LEFT})));
  ASSERT_TRUE(seen.wait_for(seen.dropped_streams, 1));
  EXPECT_EQ(seen.dropped_streams[0], "stream-1|peer-1|data-1|2");
  ASSERT_TRUE(router.send(wire::encode(wire::ConnectionDropped{"peer-1", OTC_CONNECTION_DROP_NETWORK_LOST})));
  ASSERT_TRUE(seen.wait_for(seen.dropped, 1));
  EXPECT_EQ(seen.dropped[0], "peer-1|data-1|2");

  // The kept copy outlives the callbacks and the connection's departure.
  std::lock_guard<std::mutex> lock(seen.mu);
  EXPECT_STREQ(otc_connection_get_data(seen.kept), "data-1");
  EXPECT_EQ(otc_connection_get_drop_reason(seen.kept), 0);
}

TEST(OpenTokApi, NullConnectionsAndStreamsAreSafe) {
  EXPECT_EQ(otc_connection_get_id(nullptr), nullptr);
  EXPECT_EQ(otc_connection_get_data(nullptr), nullptr);
  EXPECT_EQ(otc_connection_get_creation_time(nullptr), 0);
  EXPECT_EQ(otc_connection_get_drop_reason(nullptr), 0);
  EXPECT_EQ(otc_connection_copy(nullptr), nullptr);
  EXPECT_EQ(otc_connection_delete(nullptr), OTC_SUCCESS);
  EXPECT_EQ(otc_stream_get_connection(nullptr), nullptr);
  EXPECT_EQ(otc_stream_get_drop_reason(nullptr), 0);
}

TEST(OpenTokApi, TheThreeArgumentConstructorTakesTheRouterUrlFromTheEnvironment) {
  FakeRouter router;
  Seen seen;
  const otc_session_callbacks cb = callbacks(&seen);
  otc_status st = OTC_SUCCESS;

  ASSERT_EQ(unsetenv(OTC_ROUTER_URL_ENV), 0);
  EXPECT_EQ(otc_session_new("k", kSessionId, &cb), nullptr);
  EXPECT_EQ(otc_session_new_checked("k", kSessionId, &cb, nullptr, &st), nullptr);
  EXPECT_EQ(st, OTC_ERR_INVALID_PARAM);

  ASSERT_EQ(setenv(OTC_ROUTER_URL_ENV, "http://not-a-router", 1), 0);
  EXPECT_EQ(otc_session_new("k", kSessionId, &cb), nullptr);

  ASSERT_EQ(setenv(OTC_ROUTER_URL_ENV, router.url().c_str(), 1), 0);
  SessionPtr s(otc_session_new("k", kSessionId, &cb));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(otc_session_connect(s.get(), "token"), OTC_SUCCESS);
  EXPECT_TRUE(router.handshake(kSessionId, false));

  // Settings without a URL fall back to the variable too; settings with one win over it.
  otc_session_settings* settings = otc_session_settings_new();
  SessionPtr from_env(otc_session_new_with_settings("k", kSessionId, &cb, settings));
  EXPECT_NE(from_env, nullptr);
  ASSERT_EQ(setenv(OTC_ROUTER_URL_ENV, "garbage", 1), 0);
  EXPECT_EQ(otc_session_settings_set_router_url(settings, router.url().c_str()), OTC_SUCCESS);
  SessionPtr from_settings(otc_session_new_with_settings("k", kSessionId, &cb, settings));
  EXPECT_NE(from_settings, nullptr);
  otc_session_settings_delete(settings);
  ASSERT_EQ(unsetenv(OTC_ROUTER_URL_ENV), 0);
}

TEST(OpenTokApi, PublisherConstructorsRefuseIncompleteCapturersAndTakeTheSettingsName) {
  FakeRouter router;
  Seen seen;
  SessionPtr s = connected_session(router, seen);
  otc_publisher_callbacks cb{};
  otc_video_capturer_callbacks incomplete{};  // no get_capture_settings
  const auto* capturer = &incomplete;
  EXPECT_EQ(otc_publisher_new("x", capturer, &cb), nullptr);
  EXPECT_EQ(otc_publisher_new_with_settings("x", capturer, &cb, nullptr), nullptr);
  EXPECT_EQ(otc_publisher_new("x", nullptr, nullptr), nullptr);

  otc_publisher_settings* settings = otc_publisher_settings_new();
  EXPECT_EQ(otc_publisher_settings_set_name(settings, "\xC3"), OTC_ERR_INVALID_PARAM);  // truncated UTF-8
  EXPECT_EQ(otc_publisher_settings_set_name(settings, nullptr), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_publisher_settings_set_name(nullptr, "x"), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_publisher_settings_set_name(settings, "from-settings"), OTC_SUCCESS);
  otc_publisher* pub = otc_publisher_new_with_settings("from-argument", nullptr, &cb, settings);
  otc_publisher_settings_delete(settings);
  ASSERT_NE(pub, nullptr);
  ASSERT_EQ(otc_session_publish(s.get(), pub), OTC_SUCCESS);
  auto publish = router.read_until(static_cast<std::uint8_t>(wire::MsgType::kPublish));
  ASSERT_TRUE(publish.has_value());
  EXPECT_TRUE(contains(*publish, "from-settings"));
  EXPECT_FALSE(contains(*publish, "from-argument"));
  otc_publisher_delete(pub);
}

std::mutex g_log_mu;
std::vector<std::string> g_log;

TEST(OpenTokApi, InitAndLoggingFollowTheLevelAndTheCallback) {
  int reserved = 0;
  EXPECT_EQ(otc_init(&reserved), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_init(nullptr), OTC_SUCCESS);
  EXPECT_EQ(otc_init(nullptr), OTC_SUCCESS);  // again: harmless

  otc_log_set_logger_callback([](const char* m) {
    std::lock_guard<std::mutex> lock(g_log_mu);
    g_log.emplace_back(m);
  });
  otc_session_callbacks cb{};
  ASSERT_EQ(unsetenv(OTC_ROUTER_URL_ENV), 0);

  otc_log_enable(OTC_LOG_LEVEL_DISABLED);
  EXPECT_EQ(otc_session_new("k", kSessionId, &cb), nullptr);
  {
    std::lock_guard<std::mutex> lock(g_log_mu);
    EXPECT_TRUE(g_log.empty());
  }

  otc_log_enable(OTC_LOG_LEVEL_ERROR);
  EXPECT_EQ(otc_get_log_level(), OTC_LOG_LEVEL_ERROR);
  EXPECT_EQ(otc_init(nullptr), OTC_SUCCESS);  // its INFO line stays below the level
  EXPECT_EQ(otc_session_new("k", kSessionId, &cb), nullptr);
  {
    std::lock_guard<std::mutex> lock(g_log_mu);
    ASSERT_EQ(g_log.size(), 1u);
    EXPECT_NE(g_log[0].find("ERROR"), std::string::npos);
    EXPECT_NE(g_log[0].find(OTC_ROUTER_URL_ENV), std::string::npos);
  }

  otc_log_enable(static_cast<otc_log_level>(1000));
  EXPECT_EQ(otc_get_log_level(), OTC_LOG_LEVEL_ALL);
  otc_log_enable(OTC_LOG_LEVEL_DISABLED);
  otc_log_set_logger_callback(nullptr);
  EXPECT_EQ(otc_destroy(), OTC_SUCCESS);
}

}  // namespace
