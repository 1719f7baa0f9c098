// No frame is delivered twice to one session (issue 7 item 2), through the session client: the
// router records a stream, the application resubscribes, the router replays the recording to
// the new subscription. Only the fresh frame is delivered; the replays are counted.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

#include "fake_router.hpp"
#include "media_frames.hpp"
#include "session/protocol.hpp"
#include "session_events.hpp"

namespace {

using namespace otc_test;
namespace wire = otc::client::wire;

constexpr char kSessionId[] = "replay-session";
constexpr char kSecret[] = "a shared secret for e2ee";

// A MEDIA_FRAME as a publisher of this session sends it: metadata authenticated, payload sealed.
std::vector<std::uint8_t> encrypted_frame(otc_frame_cryptor* sender, const std::string& stream_id, std::uint32_t seq,
                                          const std::string& payload) {
  std::vector<std::uint8_t> message = encrypted_media_frame(
      sender, stream_id, seq, seq == 0, reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size());
  EXPECT_FALSE(message.empty()) << "encrypting frame " << seq << " failed";
  return message;
}

otc_subscriber* subscribe(otc_session* session, FakeRouter& router, SessionEvents& events, const otc_stream* stream,
                          int expected_subscribed) {
  const otc_subscriber_callbacks cb = events.subscriber_callbacks();
  otc_subscriber* sub = otc_subscriber_new(stream, &cb);
  EXPECT_EQ(otc_session_subscribe(session, sub), OTC_SUCCESS);
  EXPECT_TRUE(router.read_until(static_cast<std::uint8_t>(wire::MsgType::kSubscribe)));
  EXPECT_TRUE(router.send(wire::encode(wire::Subscribed{"s-1"})));
  EXPECT_TRUE(events.wait([&] { return events.subscribed == expected_subscribed; }));
  return sub;
}

TEST(SessionReplay, ARecordingReplayedAfterAResubscribeIsNotDeliveredAgain) {
  otc_frame_cryptor* sender = otc_frame_cryptor_new(kSessionId, 0);
  ASSERT_EQ(otc_frame_cryptor_set_encryption_secret(sender, reinterpret_cast<const std::uint8_t*>(kSecret),
                                                    std::strlen(kSecret)),
            OTC_SUCCESS);
  FakeRouter router;
  SessionEvents events;
  otc_session_settings* settings = otc_session_settings_new();
  ASSERT_EQ(otc_session_settings_set_router_url(settings, router.url().c_str()), OTC_SUCCESS);
  const otc_session_callbacks cb = events.session_callbacks();
  otc_session* session = otc_session_new_with_settings(nullptr, kSessionId, &cb, settings);
  otc_session_settings_delete(settings);
  ASSERT_EQ(otc_session_set_encryption_secret(session, kSecret), OTC_SUCCESS);
  ASSERT_EQ(otc_session_connect(session, "token"), OTC_SUCCESS);
  ASSERT_TRUE(router.handshake(kSessionId, true));
  wire::StreamCreated sc;
  sc.stream_id = "s-1";
  sc.connection_id = "publisher";
  sc.has_video = 1;
  sc.video_codec = OTC_CODEC_VP8;
  sc.e2ee = 1;
  ASSERT_TRUE(router.send(wire::encode(sc)));
  ASSERT_TRUE(events.wait([&] { return events.streams_received.size() == 1; }));

  std::vector<std::vector<std::uint8_t>> recording;
  for (std::uint32_t i = 0; i < 5; ++i) recording.push_back(encrypted_frame(sender, "s-1", i, "frame " + std::to_string(i)));
  otc_subscriber* first = subscribe(session, router, events, events.stream_copies[0], 1);
  for (const auto& m : recording) ASSERT_TRUE(router.send(m));
  ASSERT_TRUE(events.wait([&] { return events.delivered.size() == 5; }));

  ASSERT_EQ(otc_session_unsubscribe(session, first), OTC_SUCCESS);
  ASSERT_TRUE(router.read_until(static_cast<std::uint8_t>(wire::MsgType::kUnsubscribe)));
  otc_subscriber* second = subscribe(session, router, events, events.stream_copies[0], 2);
  for (const auto& m : recording) ASSERT_TRUE(router.send(m));
  ASSERT_TRUE(router.send(encrypted_frame(sender, "s-1", 5, "fresh")));
  otc_subscriber_stats st = OTC_SUBSCRIBER_STATS_INIT;
  ASSERT_TRUE(events.wait([&] {
    otc_subscriber_get_stats(second, &st);
    // Received is counted when a decryption worker takes the frame, before it is delivered.
    return st.frames_received == 6 && st.failed_replayed + st.frames_delivered == 6;
  }));
  EXPECT_EQ(st.failed_replayed, 5u);
  EXPECT_EQ(st.frames_delivered, 1u);
  {
    std::lock_guard<std::mutex> lock(events.mu);
    ASSERT_EQ(events.delivered.size(), 6u);
    EXPECT_EQ(std::string(events.delivered.back().begin(), events.delivered.back().end()), "fresh");
  }
  otc_subscriber_delete(first);
  otc_subscriber_delete(second);
  otc_session_delete(session);
  otc_frame_cryptor_delete(sender);
}

}  // namespace
