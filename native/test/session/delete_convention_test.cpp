// The destructor convention of the C API (include/otc/otc.h, "C API convention"): every public
// otc_*_delete returns otc_status, NULL is a no-op returning OTC_SUCCESS, and deleting a live
// object returns OTC_SUCCESS. One test per destructor of the public headers, plus a compile-time
// check of every signature, so a new destructor that returns void or a status for NULL fails here.
#include <gtest/gtest.h>

#include <memory>
#include <type_traits>
#include <vector>

#include "connection_impl.hpp"
#include "opentok.h"
#include "stream_impl.hpp"

namespace {

// The signatures, checked by the compiler: a destructor changed back to void fails to build.
static_assert(std::is_same_v<decltype(otc_frame_cryptor_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_session_settings_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_session_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_publisher_settings_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_publisher_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_subscriber_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_stream_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_connection_delete(nullptr)), otc_status>);
static_assert(std::is_same_v<decltype(otc_video_frame_delete(nullptr)), otc_status>);

// A stream as a session hands it to on_stream_received (the subscriber copies it).
otc_stream* new_stream() {
  auto* s = new otc_stream();
  s->id = "stream-1";
  s->connection_id = "conn-1";
  s->has_video = true;
  s->connection = otc::client::make_connection("conn-1", "data", "delete-session", 1);
  return s;
}

TEST(DeleteConvention, FrameCryptor) {
  EXPECT_EQ(otc_frame_cryptor_delete(nullptr), OTC_SUCCESS);
  otc_frame_cryptor* c = otc_frame_cryptor_new("delete-session", 0);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(otc_frame_cryptor_delete(c), OTC_SUCCESS);
}

TEST(DeleteConvention, SessionSettings) {
  EXPECT_EQ(otc_session_settings_delete(nullptr), OTC_SUCCESS);
  otc_session_settings* s = otc_session_settings_new();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(otc_session_settings_set_router_url(s, "tcp://127.0.0.1:1"), OTC_SUCCESS);
  EXPECT_EQ(otc_session_settings_delete(s), OTC_SUCCESS);
}

TEST(DeleteConvention, Session) {
  EXPECT_EQ(otc_session_delete(nullptr), OTC_SUCCESS);
  otc_session_settings* settings = otc_session_settings_new();
  ASSERT_NE(settings, nullptr);
  ASSERT_EQ(otc_session_settings_set_router_url(settings, "tcp://127.0.0.1:1"), OTC_SUCCESS);
  const otc_session_callbacks callbacks{};
  otc_session* session = otc_session_new_with_settings(nullptr, "delete-session", &callbacks, settings);
  EXPECT_EQ(otc_session_settings_delete(settings), OTC_SUCCESS);
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(otc_session_delete(session), OTC_SUCCESS);
}

TEST(DeleteConvention, PublisherSettings) {
  EXPECT_EQ(otc_publisher_settings_delete(nullptr), OTC_SUCCESS);
  otc_publisher_settings* s = otc_publisher_settings_new();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(otc_publisher_settings_set_name(s, "camera"), OTC_SUCCESS);
  EXPECT_EQ(otc_publisher_settings_delete(s), OTC_SUCCESS);
}

TEST(DeleteConvention, Publisher) {
  EXPECT_EQ(otc_publisher_delete(nullptr), OTC_SUCCESS);
  const otc_publisher_callbacks callbacks{};
  otc_publisher* p = otc_publisher_new("camera", nullptr, &callbacks);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(otc_publisher_delete(p), OTC_SUCCESS);
}

TEST(DeleteConvention, Subscriber) {
  EXPECT_EQ(otc_subscriber_delete(nullptr), OTC_SUCCESS);
  std::unique_ptr<otc_stream> stream(new_stream());
  const otc_subscriber_callbacks callbacks{};
  otc_subscriber* s = otc_subscriber_new(stream.get(), &callbacks);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(otc_subscriber_delete(s), OTC_SUCCESS);
}

TEST(DeleteConvention, StreamCopy) {
  EXPECT_EQ(otc_stream_delete(nullptr), OTC_SUCCESS);
  std::unique_ptr<otc_stream> stream(new_stream());
  otc_stream* copy = otc_stream_copy(stream.get());
  ASSERT_NE(copy, nullptr);
  EXPECT_STREQ(otc_stream_get_id(copy), "stream-1");
  EXPECT_EQ(otc_stream_delete(copy), OTC_SUCCESS);
}

TEST(DeleteConvention, ConnectionCopy) {
  EXPECT_EQ(otc_connection_delete(nullptr), OTC_SUCCESS);
  std::unique_ptr<otc_stream> stream(new_stream());
  otc_connection* copy = otc_connection_copy(otc_stream_get_connection(stream.get()));
  ASSERT_NE(copy, nullptr);
  EXPECT_STREQ(otc_connection_get_id(copy), "conn-1");
  EXPECT_EQ(otc_connection_delete(copy), OTC_SUCCESS);
}

TEST(DeleteConvention, VideoFrame) {
  EXPECT_EQ(otc_video_frame_delete(nullptr), OTC_SUCCESS);
  const std::vector<uint8_t> pixels(4 * 4 * 3 / 2, 0x80);  // YUV420P, 4x4
  otc_video_frame* f = otc_video_frame_new(OTC_VIDEO_FRAME_FORMAT_YUV420P, 4, 4, pixels.data());
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(otc_video_frame_delete(f), OTC_SUCCESS);
}

}  // namespace
