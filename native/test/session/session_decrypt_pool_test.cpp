// Decryption on all cores (docs/ARCHITECTURE.md, "Receive path"): the frames of a session's
// subscribers are decrypted on the process's DecryptPool while callbacks stay serialised on the
// session's callback thread. Asserts: per-stream order, never two callbacks at once, a blocked
// on_frame of one subscriber does not stop another's frames from being decrypted, and deleting a
// session with frames in flight is clean (run under the sanitize preset too).
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fake_router.hpp"
#include "media_frames.hpp"
#include "session/decrypt_pool.hpp"
#include "session/protocol.hpp"
#include "session_events.hpp"

namespace {

using namespace otc_test;
namespace wire = otc::client::wire;

constexpr char kSessionId[] = "pool-session";
constexpr char kSecret[] = "a shared secret for e2ee";

std::vector<std::uint8_t> encrypted_frame(otc_frame_cryptor* sender, const std::string& stream_id, std::uint32_t seq,
                                          const std::string& payload) {
  std::vector<std::uint8_t> message = encrypted_media_frame(
      sender, stream_id, seq, seq == 0, reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size());
  EXPECT_FALSE(message.empty()) << "encrypting frame " << seq << " failed";
  return message;
}

std::string payload_of(int stream, std::uint32_t seq) {
  return "stream " + std::to_string(stream) + " frame " + std::to_string(seq) + std::string(200, 'x');
}

// What the callbacks of all subscribers of the test saw.
struct Shared {
  std::atomic<bool> in_callback{false};
  std::atomic<int> overlaps{0};
  std::atomic<int> wrong{0};  // out of order or wrong plaintext
  // Blocking the on_frame of one stream (a stuck application).
  std::mutex mu;
  std::condition_variable cv;
  int block_stream = -1;
  bool release = false;
  std::atomic<bool> blocked_now{false};
};

struct Stream {
  Shared* shared = nullptr;
  int index = 0;
  std::atomic<std::uint32_t> delivered{0};
  otc_subscriber* sub = nullptr;
};

void on_frame(otc_subscriber*, void* u, const otc_media_frame* f) {
  Stream* s = static_cast<Stream*>(u);
  Shared* sh = s->shared;
  if (sh->in_callback.exchange(true)) sh->overlaps.fetch_add(1);
  const std::uint32_t expected = s->delivered.load();
  if (f->sequence != expected ||
      std::string(reinterpret_cast<const char*>(f->data), f->size) != payload_of(s->index, expected)) {
    sh->wrong.fetch_add(1);
  }
  {
    std::unique_lock<std::mutex> lock(sh->mu);
    if (sh->block_stream == s->index && !sh->release) {
      sh->blocked_now = true;
      sh->cv.wait(lock, [&] { return sh->release; });
      sh->blocked_now = false;
    }
  }
  s->delivered.store(expected + 1);
  sh->in_callback.store(false);
}

class DecryptPoolSession : public ::testing::Test {
 protected:
  void start(int streams) {
    sender_ = otc_frame_cryptor_new(kSessionId, 0);
    ASSERT_EQ(otc_frame_cryptor_set_encryption_secret(sender_, reinterpret_cast<const std::uint8_t*>(kSecret),
                                                      std::strlen(kSecret)),
              OTC_SUCCESS);
    otc_session_settings* settings = otc_session_settings_new();
    ASSERT_EQ(otc_session_settings_set_router_url(settings, router_.url().c_str()), OTC_SUCCESS);
    const otc_session_callbacks cb = events_.session_callbacks();
    session_ = otc_session_new_with_settings(nullptr, kSessionId, &cb, settings);
    otc_session_settings_delete(settings);
    ASSERT_EQ(otc_session_set_encryption_secret(session_, kSecret), OTC_SUCCESS);
    ASSERT_EQ(otc_session_connect(session_, "token"), OTC_SUCCESS);
    ASSERT_TRUE(router_.handshake(kSessionId, true));
    for (int i = 0; i < streams; ++i) {
      wire::StreamCreated sc;
      sc.stream_id = "s-" + std::to_string(i);
      sc.connection_id = "publisher-" + std::to_string(i);
      sc.has_video = 1;
      sc.video_codec = OTC_CODEC_VP8;
      sc.e2ee = 1;
      ASSERT_TRUE(router_.send(wire::encode(sc)));
    }
    ASSERT_TRUE(events_.wait([&] { return events_.streams_received.size() == static_cast<size_t>(streams); }));
    for (int i = 0; i < streams; ++i) {
      auto s = std::make_unique<Stream>();
      s->shared = &shared_;
      s->index = i;
      otc_subscriber_callbacks scb{};
      scb.on_frame = on_frame;
      scb.user_data = s.get();
      // stream_copies are in arrival order: s-0, s-1, ...
      s->sub = otc_subscriber_new(events_.stream_copies[static_cast<size_t>(i)], &scb);
      ASSERT_EQ(otc_session_subscribe(session_, s->sub), OTC_SUCCESS);
      ASSERT_TRUE(router_.read_until(static_cast<std::uint8_t>(wire::MsgType::kSubscribe)));
      ASSERT_TRUE(router_.send(wire::encode(wire::Subscribed{"s-" + std::to_string(i)})));
      streams_.push_back(std::move(s));
    }
  }

  otc_subscriber_stats stats(int i) {
    otc_subscriber_stats st = OTC_SUBSCRIBER_STATS_INIT;
    otc_subscriber_get_stats(streams_[static_cast<size_t>(i)]->sub, &st);
    return st;
  }

  void TearDown() override {
    {
      std::lock_guard<std::mutex> lock(shared_.mu);
      shared_.release = true;
    }
    shared_.cv.notify_all();
    if (session_) otc_session_delete(session_);
    for (auto& s : streams_) otc_subscriber_delete(s->sub);
    otc_frame_cryptor_delete(sender_);
  }

  FakeRouter router_;
  SessionEvents events_;
  Shared shared_;
  otc_frame_cryptor* sender_ = nullptr;
  otc_session* session_ = nullptr;
  std::vector<std::unique_ptr<Stream>> streams_;
};

TEST_F(DecryptPoolSession, ManyStreamsAreDeliveredInOrderPerStreamAndNeverConcurrently) {
  EXPECT_GE(otc::client::DecryptPool::instance().threads(), 1u);
  EXPECT_LE(otc::client::DecryptPool::instance().threads(), 4u);
  constexpr int kStreams = 8;
  // 960 frames in all: within the session's queue bound (1,024), so none may be dropped however
  // far the client falls behind the router.
  constexpr std::uint32_t kFrames = 120;
  start(kStreams);
  // One publisher (own sender id, own KID) per stream, as in a real session.
  std::vector<otc_frame_cryptor*> publishers;
  for (int i = 0; i < kStreams; ++i) publishers.push_back(otc_frame_cryptor_new_sharing_session(sender_));
  for (std::uint32_t seq = 0; seq < kFrames; ++seq) {
    for (int i = 0; i < kStreams; ++i) {
      ASSERT_TRUE(router_.send(encrypted_frame(publishers[static_cast<size_t>(i)], "s-" + std::to_string(i), seq,
                                               payload_of(i, seq))));
    }
  }
  for (otc_frame_cryptor* p : publishers) otc_frame_cryptor_delete(p);
  ASSERT_TRUE(events_.wait(
      [&] {
        for (auto& s : streams_) {
          if (s->delivered.load() != kFrames) return false;
        }
        return true;
      },
      std::chrono::seconds(60)))
      << [&] {
           std::string out;
           for (int i = 0; i < kStreams; ++i) {
             const otc_subscriber_stats st = stats(i);
             out += "stream " + std::to_string(i) + ": delivered " + std::to_string(streams_[static_cast<size_t>(i)]->delivered.load()) +
                    " received " + std::to_string(st.frames_received) + " decrypted " + std::to_string(st.frames_decrypted) +
                    " held " + std::to_string(st.frames_held) + " auth " + std::to_string(st.failed_authentication) +
                    " replayed " + std::to_string(st.failed_replayed) + " dropped " + std::to_string(st.frames_dropped_queue) +
                    " mismatch " + std::to_string(st.failed_secret_mismatch) + "\n";
           }
           return out;
         }();
  EXPECT_EQ(shared_.overlaps.load(), 0) << "two callbacks ran at once";
  EXPECT_EQ(shared_.wrong.load(), 0) << "a stream's frames out of order or wrong";
  for (int i = 0; i < kStreams; ++i) {
    const otc_subscriber_stats st = stats(i);
    EXPECT_EQ(st.frames_decrypted, kFrames);
    EXPECT_EQ(st.frames_delivered, kFrames);
    EXPECT_EQ(st.frames_dropped_queue, 0u);
    // Its publisher's key, derived once, on the session path's own new-sender budget.
    EXPECT_EQ(st.new_sender_derivations, 1u);
    EXPECT_EQ(st.new_sender_refused, 0u);
  }
}

TEST_F(DecryptPoolSession, ABlockedOnFrameDoesNotStopAnotherSubscribersDecryption) {
  start(2);
  {
    std::lock_guard<std::mutex> lock(shared_.mu);
    shared_.block_stream = 0;
  }
  ASSERT_TRUE(router_.send(encrypted_frame(sender_, "s-0", 0, payload_of(0, 0))));
  ASSERT_TRUE(events_.wait([&] { return shared_.blocked_now.load(); }));
  // The callback thread is stuck in stream 0's on_frame. Stream 1's frames still get decrypted
  // (on the pool); they wait, decrypted, for the callback thread, which is serialised.
  constexpr std::uint32_t kFrames = 40;
  for (std::uint32_t seq = 0; seq < kFrames; ++seq) {
    ASSERT_TRUE(router_.send(encrypted_frame(sender_, "s-1", seq, payload_of(1, seq))));
  }
  ASSERT_TRUE(events_.wait([&] { return stats(1).frames_decrypted == kFrames; }, std::chrono::seconds(30)))
      << "stream 1 decrypted " << stats(1).frames_decrypted << " while stream 0's on_frame blocked";
  EXPECT_TRUE(shared_.blocked_now.load());
  EXPECT_EQ(streams_[1]->delivered.load(), 0u) << "a callback ran while another was running";
  {
    std::lock_guard<std::mutex> lock(shared_.mu);
    shared_.release = true;
  }
  shared_.cv.notify_all();
  ASSERT_TRUE(events_.wait([&] { return streams_[1]->delivered.load() == kFrames; }, std::chrono::seconds(30)));
  EXPECT_EQ(streams_[0]->delivered.load(), 1u);
  EXPECT_EQ(shared_.overlaps.load(), 0);
  EXPECT_EQ(shared_.wrong.load(), 0);
}

TEST_F(DecryptPoolSession, ForgedSenderIdsNeverPushGenuineFramesOutOfTheQueue) {
  start(1);
  // The forged frames: each from a fresh sender id under the session's secret (so it carries the
  // session's fingerprint and costs a key derivation or a budget refusal), tag corrupted.
  constexpr int kForged = 2000;
  std::vector<std::vector<std::uint8_t>> forged;
  for (int i = 0; i < kForged; ++i) {
    otc_frame_cryptor* other = otc_frame_cryptor_new_sharing_session(sender_);
    forged.push_back(encrypted_frame(other, "s-0", 9999, "forged"));
    forged.back().back() ^= 0x01;
    otc_frame_cryptor_delete(other);
  }
  // The callback thread is stuck in the first genuine frame's on_frame, so genuine frames pile up
  // (decrypted) in the subscriber's queue while the forged ones arrive between them.
  {
    std::lock_guard<std::mutex> lock(shared_.mu);
    shared_.block_stream = 0;
  }
  ASSERT_TRUE(router_.send(encrypted_frame(sender_, "s-0", 0, payload_of(0, 0))));
  ASSERT_TRUE(events_.wait([&] { return shared_.blocked_now.load(); }));
  constexpr std::uint32_t kGenuine = 200;  // + the blocked one: within the 256-frame bound
  int f = 0;
  for (std::uint32_t seq = 1; seq <= kGenuine; ++seq) {
    for (int k = 0; k < kForged / static_cast<int>(kGenuine); ++k) ASSERT_TRUE(router_.send(forged[static_cast<size_t>(f++)]));
    ASSERT_TRUE(router_.send(encrypted_frame(sender_, "s-0", seq, payload_of(0, seq))));
  }
  ASSERT_TRUE(events_.wait(
      [&] {
        const otc_subscriber_stats st = stats(0);
        return st.frames_received == kGenuine + 1 + kForged;
      },
      std::chrono::seconds(60)));
  {
    std::lock_guard<std::mutex> lock(shared_.mu);
    shared_.release = true;
  }
  shared_.cv.notify_all();
  ASSERT_TRUE(events_.wait([&] { return streams_[0]->delivered.load() == kGenuine + 1; }, std::chrono::seconds(30)))
      << "genuine frames lost: delivered " << streams_[0]->delivered.load();
  const otc_subscriber_stats st = stats(0);
  EXPECT_EQ(st.keyframe_requests_sent, 0u) << "no video drop episode";
  EXPECT_EQ(st.frames_delivered, kGenuine + 1);
  // Every forged frame: refused by decryption (derivation then tag failure, or budget refusal),
  // or dropped at its own bound while 32 others waited.
  EXPECT_EQ(st.failed_authentication + st.frames_dropped_queue, static_cast<std::uint64_t>(kForged));
  EXPECT_EQ(st.failed_authentication, st.new_sender_derivations - 1 + st.new_sender_refused);
  EXPECT_LE(st.new_sender_derivations, 1u + OTC_FRAME_CRYPTOR_NEW_SENDER_BURST + 32u * 60u);
  EXPECT_EQ(shared_.wrong.load(), 0);
}

TEST_F(DecryptPoolSession, DeletingTheSessionWithFramesInFlightIsClean) {
  constexpr int kStreams = 4;
  start(kStreams);
  for (std::uint32_t seq = 0; seq < 100; ++seq) {
    for (int i = 0; i < kStreams; ++i) {
      ASSERT_TRUE(router_.send(encrypted_frame(sender_, "s-" + std::to_string(i), seq, payload_of(i, seq))));
    }
  }
  // Some frames are being decrypted or wait for the callback thread now.
  ASSERT_TRUE(events_.wait([&] { return streams_[0]->delivered.load() > 0; }, std::chrono::seconds(30)));
  otc_subscriber_delete(streams_[1]->sub);  // deleted with frames in flight
  streams_[1]->sub = nullptr;
  otc_session_delete(session_);
  session_ = nullptr;
  const std::uint32_t after_delete = streams_[0]->delivered.load();
  // Nothing is delivered after otc_session_delete returned, even though workers may still run.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(streams_[0]->delivered.load(), after_delete);
  EXPECT_EQ(shared_.overlaps.load(), 0);
  EXPECT_EQ(shared_.wrong.load(), 0);
}

}  // namespace
