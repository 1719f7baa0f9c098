// The keyframe requests of a subscriber's video receiver (src/session/video_receive.hpp): one per
// episode of waiting for a keyframe, and again every kKeyframeRetry while frames keep arriving
// without one, so that a request the router dropped (or a keyframe lost on the way) cannot freeze
// the video for good.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "session/callback_queue.hpp"
#include "session/protocol.hpp"
#include "session/video_receive.hpp"

namespace {

using otc::client::CallbackQueue;
using otc::client::VideoReceiver;
namespace wire = otc::client::wire;

struct Receiver {
  std::shared_ptr<CallbackQueue> queue = CallbackQueue::start();
  std::atomic<int> requests{0};
  std::atomic<int> skipped{0};
  std::shared_ptr<VideoReceiver> rx;
  wire::MediaFrame header;
  std::uint8_t payload[8] = {};

  Receiver() {
    VideoReceiver::Hooks hooks;
    hooks.render = [](const otc_video_frame&) {};
    hooks.unsupported = [](int) {};
    hooks.request_keyframe = [this] { ++requests; };
    hooks.count = [this](int, int s, int, std::uint64_t) { skipped += s; };
    hooks.picture_dropped = [] {};
    rx = std::make_shared<VideoReceiver>(queue, std::move(hooks));
    rx->set_codecs({OTC_CODEC_VP8});
    header.media = OTC_MEDIA_TYPE_VIDEO;
    header.codec = OTC_CODEC_VP8;
  }
  ~Receiver() {
    rx->close();
    queue->close();
  }

  // A delta frame (never a keyframe): the receiver skips it while it waits for a keyframe.
  void push_delta(std::uint32_t sequence) {
    header.sequence = sequence;
    header.flags = 0;
    rx->push(header, payload, sizeof payload, true);
  }
};

TEST(SessionVideoReceive, AWaitedKeyframeIsAskedForOnceThenAgainAfterTheRetryInterval) {
  Receiver r;
  r.push_delta(0);  // the stream starts with a delta: ask for a keyframe
  EXPECT_EQ(r.requests.load(), 1);
  for (std::uint32_t s = 1; s <= 20; ++s) r.push_delta(s);
  EXPECT_EQ(r.requests.load(), 1) << "one request per episode, not one per skipped frame";
  EXPECT_EQ(r.skipped.load(), 21);

  std::this_thread::sleep_for(VideoReceiver::kKeyframeRetry + std::chrono::milliseconds(200));
  r.push_delta(21);
  EXPECT_EQ(r.requests.load(), 2) << "still no keyframe after the retry interval: asked again";
  r.push_delta(22);
  EXPECT_EQ(r.requests.load(), 2);

  std::this_thread::sleep_for(VideoReceiver::kKeyframeRetry + std::chrono::milliseconds(200));
  r.push_delta(23);
  EXPECT_EQ(r.requests.load(), 3);
}

TEST(SessionVideoReceive, NoFramesNoRetry) {
  // The retry rides on arriving frames: a stream that went quiet (publisher stopped) is not polled.
  Receiver r;
  r.push_delta(0);
  std::this_thread::sleep_for(VideoReceiver::kKeyframeRetry + std::chrono::milliseconds(200));
  EXPECT_EQ(r.requests.load(), 1);
}

}  // namespace
