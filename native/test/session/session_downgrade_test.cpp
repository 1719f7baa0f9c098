// No downgrade, whatever the router claims (issue 7 item 1): a client holding a secret, or
// requiring E2EE, never sends or delivers an unencrypted media frame. Driven through the C API
// against a scripted router that lies about the session's or a stream's E2EE flag.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "fake_router.hpp"
#include "session/protocol.hpp"
#include "session_events.hpp"

namespace {

using namespace otc_test;
namespace wire = otc::client::wire;

constexpr char kSessionId[] = "downgrade-session";
constexpr char kSecret[] = "a shared secret for e2ee";

struct SessionDeleter {
  void operator()(otc_session* s) const { otc_session_delete(s); }
};
using SessionPtr = std::unique_ptr<otc_session, SessionDeleter>;

SessionPtr make_session(FakeRouter& router, SessionEvents& events, bool require_e2ee) {
  otc_session_settings* settings = otc_session_settings_new();
  EXPECT_EQ(otc_session_settings_set_router_url(settings, router.url().c_str()), OTC_SUCCESS);
  if (require_e2ee) {
    EXPECT_EQ(otc_session_settings_set_e2ee_required(settings, OTC_TRUE), OTC_SUCCESS);
  }
  const otc_session_callbacks cb = events.session_callbacks();
  SessionPtr s(otc_session_new_with_settings(nullptr, kSessionId, &cb, settings));
  otc_session_settings_delete(settings);
  return s;
}

wire::StreamCreated stream_created(const std::string& id, bool e2ee) {
  wire::StreamCreated m;
  m.stream_id = id;
  m.connection_id = "someone-else";
  m.name = "cam";
  m.has_video = 1;
  m.video_codec = OTC_CODEC_VP8;
  m.e2ee = e2ee ? 1 : 0;
  return m;
}

std::vector<std::uint8_t> plain_frame(const std::string& stream_id, const std::string& payload) {
  wire::MediaFrame h;
  h.stream_id = stream_id;
  h.media = OTC_MEDIA_TYPE_VIDEO;
  h.codec = OTC_CODEC_VP8;
  h.flags = wire::kFlagKeyframe;
  return wire::encode_media_frame(h, reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size());
}

bool has_error(SessionEvents& e, int code) {
  return std::find(e.session_errors.begin(), e.session_errors.end(), code) != e.session_errors.end();
}

TEST(SessionDowngrade, RequiredE2eeRefusesAPlainSessionAtConnect) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router, events, true);
  ASSERT_EQ(otc_session_connect(session.get(), "token"), OTC_SUCCESS);
  ASSERT_TRUE(router.handshake(kSessionId, false));
  ASSERT_TRUE(events.wait([&] { return !events.session_errors.empty(); }));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.session_errors, std::vector<int>{OTC_SESSION_E2EE_DOWNGRADE});
  EXPECT_EQ(events.connected, 0);
  EXPECT_STREQ(otc_error_name(OTC_SESSION_E2EE_DOWNGRADE), "OTC_SESSION_E2EE_DOWNGRADE");
}

TEST(SessionDowngrade, AHeldSecretRefusesAPlainSessionAtConnect) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router, events, false);
  ASSERT_EQ(otc_session_set_encryption_secret(session.get(), kSecret), OTC_SUCCESS);
  ASSERT_EQ(otc_session_connect(session.get(), "token"), OTC_SUCCESS);
  ASSERT_TRUE(router.handshake(kSessionId, false));
  ASSERT_TRUE(events.wait([&] { return !events.session_errors.empty(); }));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.session_errors, std::vector<int>{OTC_SESSION_E2EE_DOWNGRADE});
  EXPECT_EQ(events.connected, 0);
  EXPECT_EQ(otc_session_is_e2ee(session.get()), OTC_FALSE);
}

TEST(SessionDowngrade, APlainStreamInAnE2eeSessionEndsTheConnection) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router, events, false);
  ASSERT_EQ(otc_session_set_encryption_secret(session.get(), kSecret), OTC_SUCCESS);
  ASSERT_EQ(otc_session_connect(session.get(), "token"), OTC_SUCCESS);
  ASSERT_TRUE(router.handshake(kSessionId, true));
  ASSERT_TRUE(events.wait([&] { return events.connected == 1; }));
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-plain", false))));
  ASSERT_TRUE(events.wait([&] { return has_error(events, OTC_SESSION_E2EE_DOWNGRADE) && events.disconnected == 1; }));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_TRUE(events.streams_received.empty());
}

TEST(SessionDowngrade, ASecretSetInAPlainSessionStopsClearMediaBothWays) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router, events, false);
  ASSERT_EQ(otc_session_connect(session.get(), "token"), OTC_SUCCESS);
  ASSERT_TRUE(router.handshake(kSessionId, false));
  ASSERT_TRUE(events.wait([&] { return events.connected == 1; }));

  // A plain stream to subscribe to, and a publisher of our own.
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-1", false))));
  ASSERT_TRUE(events.wait([&] { return events.streams_received.size() == 1; }));
  const otc_subscriber_callbacks scb = events.subscriber_callbacks();
  otc_subscriber* sub = otc_subscriber_new(events.stream_copies[0], &scb);
  ASSERT_EQ(otc_session_subscribe(session.get(), sub), OTC_SUCCESS);
  ASSERT_TRUE(router.read_until(static_cast<std::uint8_t>(wire::MsgType::kSubscribe)));
  ASSERT_TRUE(router.send(wire::encode(wire::Subscribed{"s-1"})));
  ASSERT_TRUE(events.wait([&] { return events.subscribed == 1; }));
  const otc_publisher_callbacks pcb = events.publisher_callbacks();
  otc_publisher* pub = otc_publisher_new("me", nullptr, &pcb);
  ASSERT_EQ(otc_session_publish(session.get(), pub), OTC_SUCCESS);
  auto publish = router.read_until(static_cast<std::uint8_t>(wire::MsgType::kPublish));
  ASSERT_TRUE(publish);
  wire::ClientMessage pm;
  ASSERT_EQ(wire::decode_client_message(publish->data(), publish->size(), pm), wire::DecodeStatus::kOk);
  ASSERT_TRUE(router.send(wire::encode(wire::Published{std::get<wire::Publish>(pm).publish_id, "own-1"})));
  wire::StreamCreated own = stream_created("own-1", false);
  own.connection_id = "router-side-1";
  ASSERT_TRUE(router.send(wire::encode(own)));
  ASSERT_TRUE(events.wait([&] { return events.stream_created == 1; }));

  // Before any secret, clear media is the session's documented behaviour.
  ASSERT_TRUE(router.send(plain_frame("s-1", "before the secret")));
  ASSERT_TRUE(events.wait([&] { return events.delivered.size() == 1; }));

  ASSERT_EQ(otc_session_set_encryption_secret(session.get(), kSecret), OTC_SUCCESS);
  // From here on nothing may go out in clear: the publisher refuses, the session ends.
  const char marker[] = "PLAINTEXT-AFTER-SECRET";
  otc_media_frame f{};
  f.media_type = OTC_MEDIA_TYPE_VIDEO;
  f.codec = OTC_CODEC_VP8;
  f.keyframe = OTC_TRUE;
  f.data = reinterpret_cast<const std::uint8_t*>(marker);
  f.size = sizeof marker;
  EXPECT_NE(otc_publisher_send_frame(pub, &f), OTC_SUCCESS);
  // The router injects a clear frame; the subscriber must not deliver it (if it is still read).
  router.send(plain_frame("s-1", "after the secret"));
  ASSERT_TRUE(events.wait([&] { return has_error(events, OTC_SESSION_E2EE_DOWNGRADE) && events.disconnected == 1; }));
  // Everything the client wrote after the secret: no MEDIA_FRAME with the marker.
  while (auto m = router.read(std::chrono::milliseconds(300))) {
    const std::string bytes(m->begin(), m->end());
    EXPECT_EQ(bytes.find("PLAINTEXT-AFTER-SECRET"), std::string::npos);
  }
  {
    std::lock_guard<std::mutex> lock(events.mu);
    EXPECT_EQ(events.delivered.size(), 1u);
  }
  otc_subscriber_delete(sub);
  otc_publisher_delete(pub);
}

TEST(SessionDowngrade, UnencryptedFramesInAnE2eeSessionAreDroppedAndCounted) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router, events, false);
  ASSERT_EQ(otc_session_set_encryption_secret(session.get(), kSecret), OTC_SUCCESS);
  ASSERT_EQ(otc_session_connect(session.get(), "token"), OTC_SUCCESS);
  ASSERT_TRUE(router.handshake(kSessionId, true));
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-1", true))));
  ASSERT_TRUE(events.wait([&] { return events.streams_received.size() == 1; }));
  const otc_subscriber_callbacks scb = events.subscriber_callbacks();
  otc_subscriber* sub = otc_subscriber_new(events.stream_copies[0], &scb);
  ASSERT_EQ(otc_session_subscribe(session.get(), sub), OTC_SUCCESS);
  ASSERT_TRUE(router.read_until(static_cast<std::uint8_t>(wire::MsgType::kSubscribe)));
  ASSERT_TRUE(router.send(wire::encode(wire::Subscribed{"s-1"})));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(router.send(plain_frame("s-1", "injected in clear")));
  otc_subscriber_stats st = OTC_SUBSCRIBER_STATS_INIT;
  ASSERT_TRUE(events.wait([&] {
    otc_subscriber_get_stats(sub, &st);
    return st.failed_unencrypted == 5;
  }));
  EXPECT_EQ(st.frames_delivered, 0u);
  EXPECT_EQ(events.frames.load(), 0u);
  otc_subscriber_delete(sub);
}

}  // namespace
