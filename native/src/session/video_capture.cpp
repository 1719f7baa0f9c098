#include "video_capture.hpp"

#include <algorithm>
#include <chrono>

#include "c_api_guard.hpp"
#include "publisher_core.hpp"

namespace otc::client {

namespace {
// Bits per pixel per frame when the application sets no bitrate: enough for a clean picture of
// camera-like content with VP8/VP9/H.264 at the usual sizes (640x360 at 30 fps: ~690 kbit/s).
constexpr double kDefaultBitsPerPixel = 0.1;

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

CapturePipeline::CapturePipeline(const otc_video_capturer_callbacks& callbacks, int codec, int bitrate_bps)
    : callbacks_(callbacks), codec_(codec), bitrate_bps_(bitrate_bps),
      worker_(std::make_shared<MediaWorker>(kMaxQueuedFrames)) {}

bool CapturePipeline::init(std::weak_ptr<PublisherCore> publisher) {
  publisher_ = std::move(publisher);
  settings_.format = OTC_VIDEO_FRAME_FORMAT_YUV420P;
  settings_.width = 640;
  settings_.height = 360;
  settings_.fps = 30;
  bool ok = !callbacks_.init || callbacks_.init(&handle_, callbacks_.user_data);
  if (ok) ok = callbacks_.get_capture_settings(&handle_, callbacks_.user_data, &settings_);
  if (ok) ok = settings_.fps >= 1 && settings_.fps <= 60 && settings_.width >= 0 && settings_.height >= 0;
  if (!ok) {
    closed_.store(true);
    destroyed_ = true;
    worker_->close();
    if (callbacks_.destroy) callbacks_.destroy(&handle_, callbacks_.user_data);
  }
  return ok;
}

void CapturePipeline::start() {
  std::lock_guard<std::mutex> lock(control_mu_);
  if (destroyed_ || started_) return;
  started_ = true;
  force_keyframe_.store(true);
  live_.store(true);
  if (callbacks_.start) callbacks_.start(&handle_, callbacks_.user_data);
}

void CapturePipeline::stop() {
  std::lock_guard<std::mutex> lock(control_mu_);
  if (!started_) return;
  started_ = false;
  live_.store(false);
  if (callbacks_.stop) callbacks_.stop(&handle_, callbacks_.user_data);
}

void CapturePipeline::shutdown() {
  closed_.store(true);
  worker_->close();
  stop();
  std::lock_guard<std::mutex> lock(control_mu_);
  if (destroyed_) return;
  destroyed_ = true;
  if (callbacks_.destroy) callbacks_.destroy(&handle_, callbacks_.user_data);
}

void CapturePipeline::set_enabled(bool enabled) {
  if (enabled && !enabled_.exchange(true)) force_keyframe_.store(true);
  if (!enabled) enabled_.store(false);
}

otc_status CapturePipeline::provide_frame(int rotation, const otc_video_frame* frame) {
  if (!frame) return OTC_ERR_INVALID_PARAM;
  if (rotation != 0) return OTC_ERR_NOT_SUPPORTED;
  if (closed_.load()) return OTC_ERR_INVALID_STATE;
  if (!live_.load() || !enabled_.load()) return OTC_SUCCESS;  // documented: dropped silently
  otc::media::VideoFramePtr copy;
  const otc_status st = frame->format == OTC_VIDEO_FRAME_FORMAT_YUV420P
                            ? otc::media::copy_frame(*frame, copy)
                            : otc::media::convert_frame(*frame, OTC_VIDEO_FRAME_FORMAT_YUV420P, copy);
  if (st != OTC_SUCCESS) return st == OTC_ERR_NO_MEMORY ? st : OTC_ERR_INVALID_PARAM;
  if (copy->timestamp_us == 0) copy->timestamp_us = now_us();
  auto publisher = publisher_.lock();
  if (!publisher) return OTC_ERR_INVALID_STATE;
  publisher->update_stats([](otc_publisher_stats& s) { ++s.video_frames_captured; });
  // std::function needs a copyable callable: the frame travels in a shared_ptr.
  auto shared = std::make_shared<otc::media::VideoFramePtr>(std::move(copy));
  const std::size_t dropped = worker_->post([self = shared_from_this(), shared] { self->encode(std::move(*shared)); });
  if (dropped) publisher->update_stats([&](otc_publisher_stats& s) { s.video_frames_dropped_capture += dropped; });
  return OTC_SUCCESS;
}

void CapturePipeline::encode(otc::media::VideoFramePtr frame) {
  auto publisher = publisher_.lock();
  if (!publisher || closed_.load() || !live_.load() || encoder_failed_) return;
  if (!encoder_) {
    otc::media::VideoEncoderConfig config;
    config.fps = settings_.fps;
    const double bps = bitrate_bps_ > 0 ? bitrate_bps_
                                        : kDefaultBitsPerPixel * frame->width * frame->height * settings_.fps;
    config.bitrate_kbps = std::clamp(static_cast<int>(bps / 1000), 50, 20000);
    otc_status st = OTC_ERR_FATAL;
    encoder_ = otc::media::make_video_encoder(codec_, config, &st);
    if (!encoder_) {
      encoder_failed_ = true;
      publisher->report_error(OTC_PUBLISHER_UNSUPPORTED_CODEC,
                              std::string("cannot encode video: no ") + otc_codec_name(codec_) +
                                  " encoder in this build (" + otc_error_name(st) + ")");
      return;
    }
  }
  const bool key = force_keyframe_.exchange(false);
  otc::media::EncodedVideo out;
  const auto started = std::chrono::steady_clock::now();
  const otc_status st = encoder_->encode(*frame, key, out);
  const auto spent_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  const bool encoded = st == OTC_SUCCESS && !out.bytes.empty();
  publisher->update_stats([&](otc_publisher_stats& s) {  // one update per frame, failed or not
    s.video_encode_time_us += spent_us;
    if (!encoded) return;
    ++s.video_frames_encoded;
    if (out.keyframe) ++s.video_keyframes_encoded;
    s.video_bytes_encoded += out.bytes.size();
  });
  if (st != OTC_SUCCESS) {
    force_keyframe_.store(true);  // whatever the encoder lost, start clean
    return;
  }
  if (!encoded) return;
  otc_media_frame f{};
  f.media_type = OTC_MEDIA_TYPE_VIDEO;
  f.codec = codec_;
  f.keyframe = out.keyframe ? OTC_TRUE : OTC_FALSE;
  f.timestamp_us = static_cast<std::uint64_t>(frame->timestamp_us);
  f.data = out.bytes.data();
  f.size = out.bytes.size();
  publisher->send_frame(&f);
}

}  // namespace otc::client

extern "C" otc_status otc_video_capturer_provide_frame(const otc_video_capturer* capturer, int rotation,
                                                       const otc_video_frame* frame) {
  if (!capturer || !capturer->pipeline) return OTC_ERR_INVALID_PARAM;
  return otc::guarded([&] { return capturer->pipeline->provide_frame(rotation, frame); });
}
