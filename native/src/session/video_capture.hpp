// The publisher's raw-video path (otc/video_capturer.h): the application's capturer callbacks,
// frames handed over by otc_video_capturer_provide_frame (copied to I420 on the caller's thread),
// a bounded queue that drops the oldest frame when the encoder lags, and the encoder itself,
// which runs on a MediaWorker and hands each encoded frame to PublisherCore::send_frame (the
// same encrypt-and-send path as frames the application encodes itself).
//
// Lifetime: owned by its PublisherCore; the otc_video_capturer handle the application holds is a
// member, valid until shutdown() (called by otc_publisher_delete) has called destroy.
#ifndef OTC_SRC_SESSION_VIDEO_CAPTURE_HPP
#define OTC_SRC_SESSION_VIDEO_CAPTURE_HPP

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "handle_gate.hpp"
#include "codec.hpp"
#include "media_worker.hpp"
#include "otc/video_capturer.h"

namespace otc::client {

class PublisherCore;
class CapturePipeline;

}  // namespace otc::client

struct otc_video_capturer {
  otc::client::CapturePipeline* pipeline;
};

namespace otc::client {

class CapturePipeline : public std::enable_shared_from_this<CapturePipeline> {
 public:
  // Frames waiting for the encoder; one more arriving drops the oldest.
  static constexpr std::size_t kMaxQueuedFrames = 2;

  CapturePipeline(const otc_video_capturer_callbacks& callbacks, int codec, int bitrate_bps);

  // On the creating thread: init, then get_capture_settings. False (after calling destroy) when
  // either fails.
  bool init(std::weak_ptr<PublisherCore> publisher);
  // The stream went live (callback thread): start, and the next frame is a keyframe.
  void start();
  // The stream ended: stop, once per start.
  void stop();
  // otc_publisher_delete: no more frames, stop if needed, destroy.
  void shutdown();

  // Any thread.
  otc_status provide_frame(int rotation, const otc_video_frame* frame);
  void request_keyframe() { force_keyframe_.store(true, std::memory_order_relaxed); }
  void set_enabled(bool enabled);

 private:
  void encode(otc::media::VideoFramePtr frame);

  otc_video_capturer_callbacks callbacks_;
  otc_video_capturer handle_{this};
  otc_video_capturer_settings settings_{};
  const int codec_;
  const int bitrate_bps_;
  std::weak_ptr<PublisherCore> publisher_;
  std::shared_ptr<MediaWorker> worker_;

  std::mutex control_mu_;  // start/stop/shutdown: the application's callbacks in order
  bool started_ = false;
  bool destroyed_ = false;

  std::atomic<bool> closed_{false};   // after shutdown began: frames refused
  std::atomic<bool> live_{false};     // between start and stop: frames taken
  std::atomic<bool> enabled_{true};   // otc_publisher_set_publish_video
  std::atomic<bool> force_keyframe_{true};

  // Worker only.
  std::unique_ptr<otc::media::VideoEncoder> encoder_;
  bool encoder_failed_ = false;
};

}  // namespace otc::client

#endif
