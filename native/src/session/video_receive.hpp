// A subscriber's video decoding (otc/subscriber.h, "Decoding"): decrypted frames arrive in order on
// the session's callback thread (push), are decoded on this subscriber's own MediaWorker, and each
// picture goes back to the callback thread for on_render_frame. No corrupt picture is ever
// rendered: after a lost video frame (a number missing from the stream's sequence, SequenceGaps),
// a frame dropped here, a decoder error, at the start and after video is re-enabled, frames are
// skipped until a keyframe, and one keyframe request is sent per such episode, repeated every
// kKeyframeRetry while frames keep arriving without one (the request or its keyframe may be lost:
// a router may drop requests).
#ifndef OTC_SRC_SESSION_VIDEO_RECEIVE_HPP
#define OTC_SRC_SESSION_VIDEO_RECEIVE_HPP

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "callback_queue.hpp"
#include "codec.hpp"
#include "media_worker.hpp"
#include "otc/subscriber.h"
#include "protocol.hpp"
#include "sequence_gaps.hpp"

namespace otc::client {

class VideoReceiver : public std::enable_shared_from_this<VideoReceiver> {
 public:
  // Encoded frames waiting for the decoder, and decoded pictures waiting for the callback thread.
  static constexpr std::size_t kMaxQueuedFrames = OTC_SUBSCRIBER_DECODE_MAX_FRAMES;
  static constexpr std::size_t kMaxPendingPictures = OTC_SUBSCRIBER_MAX_PENDING_PICTURES;
  // While waiting for a keyframe, a new request at most this often (the router forwards one per
  // subscriber about every 0.5 s, a burst of 3 allowed).
  static constexpr std::chrono::milliseconds kKeyframeRetry{1000};

  struct Hooks {
    // Callback thread: hands a picture to on_render_frame (false: the subscriber is gone).
    std::function<void(const otc_video_frame&)> render;
    // Callback thread: OTC_SUBSCRIBER_UNSUPPORTED_CODEC, once.
    std::function<void(int codec)> unsupported;
    // Any thread: ask the publisher for a keyframe.
    std::function<void()> request_keyframe;
    // Any thread: stats (decoded, skipped, errors, microseconds spent in the decoder).
    std::function<void(int decoded, int skipped, int errors, std::uint64_t decode_us)> count;
    // Media worker: the oldest waiting picture dropped, kMaxPendingPictures already waiting.
    std::function<void()> picture_dropped;
  };

  VideoReceiver(std::shared_ptr<CallbackQueue> queue, Hooks hooks);

  // Configuration, before the first frame.
  void set_codecs(std::vector<int> codecs) { codecs_ = std::move(codecs); }

  // Callback thread: every delivered frame of the stream (audio too: its sequence numbers are the
  // stream's, and tell a lost video frame from audio that overtook video, SequenceGaps).
  void push(const wire::MediaFrame& h, const std::uint8_t* data, std::size_t size, bool video_wanted);
  void close();

 private:
  void decode(int codec, bool keyframe, const std::vector<std::uint8_t>& bytes, std::int64_t timestamp_us);
  void need_keyframe();
  void send_keyframe_request();

  std::shared_ptr<CallbackQueue> queue_;
  Hooks hooks_;
  std::shared_ptr<MediaWorker> worker_;
  std::vector<int> codecs_;

  // Callback thread only.
  SequenceGaps sequence_;
  bool reported_unsupported_ = false;
  bool restart_ = true;  // at the start, and after video was disabled: ask for a keyframe

  std::atomic<bool> waiting_keyframe_{false};  // push: deltas skipped until a keyframe
  std::atomic<std::int64_t> last_request_ticks_{0};  // steady_clock ticks of the last keyframe request
  std::atomic<bool> skip_to_keyframe_{false};  // worker: a queued frame was dropped / did not decode
  std::atomic<bool> closed_{false};

  // Decoded pictures waiting for on_render_frame, oldest first (worker pushes, callback thread pops).
  std::mutex pictures_mu_;
  std::deque<otc::media::VideoFramePtr> pictures_;

  // Worker only.
  std::unique_ptr<otc::media::VideoDecoder> decoder_;
};

}  // namespace otc::client

#endif
