#include "video_receive.hpp"

#include <algorithm>
#include <chrono>

#include "otc/media.h"

namespace otc::client {

VideoReceiver::VideoReceiver(std::shared_ptr<CallbackQueue> queue, Hooks hooks)
    : queue_(std::move(queue)), hooks_(std::move(hooks)),
      worker_(std::make_shared<MediaWorker>(kMaxQueuedFrames)) {
  for (int c : {OTC_CODEC_VP8, OTC_CODEC_VP9, OTC_CODEC_H264}) {
    if (otc::media::codec_available(c)) codecs_.push_back(c);
  }
}

void VideoReceiver::need_keyframe() {
  // One request per episode: the flag goes from false to true once (push repeats it if need be).
  if (!waiting_keyframe_.exchange(true)) send_keyframe_request();
}

void VideoReceiver::send_keyframe_request() {
  last_request_ticks_.store(std::chrono::steady_clock::now().time_since_epoch().count());
  hooks_.request_keyframe();
}

void VideoReceiver::push(const wire::MediaFrame& h, const std::uint8_t* data, std::size_t size, bool video_wanted) {
  if (closed_.load()) return;
  sequence_.seen(h.sequence);
  if (h.media != OTC_MEDIA_TYPE_VIDEO) return;
  const bool keyframe = (h.flags & wire::kFlagKeyframe) != 0;
  const bool gap = sequence_.video_after_gap(h.sequence);
  if (!video_wanted) {
    restart_ = true;  // enabled again later: start over at a keyframe, asked for then
    return;
  }
  if (restart_ && !keyframe) {
    restart_ = false;
    waiting_keyframe_.store(false);
    need_keyframe();
  }
  if (gap && !keyframe) need_keyframe();  // (a keyframe decodes whatever was lost before it)
  if (std::find(codecs_.begin(), codecs_.end(), h.codec) == codecs_.end()) {
    if (!reported_unsupported_) {
      reported_unsupported_ = true;
      hooks_.unsupported(h.codec);
    }
    hooks_.count(0, 1, 0, 0);
    return;
  }
  if (!keyframe && waiting_keyframe_.load()) {
    const std::chrono::steady_clock::duration since_request(
        std::chrono::steady_clock::now().time_since_epoch().count() - last_request_ticks_.load());
    if (since_request >= kKeyframeRetry) send_keyframe_request();
    hooks_.count(0, 1, 0, 0);
    return;
  }
  if (keyframe) {
    waiting_keyframe_.store(false);
    restart_ = false;
  }
  // The decoder fell behind: the post below drops the oldest waiting frame, so the worker must
  // skip to a keyframe. Set before the post (only this thread posts, so the queue cannot grow in
  // between; any keyframe still queued comes after the dropped frame and ends the skip).
  if (worker_->pending() >= kMaxQueuedFrames) {
    skip_to_keyframe_.store(true);
    need_keyframe();
  }
  auto shared = std::make_shared<std::vector<std::uint8_t>>(data, data + size);
  const int codec = h.codec;
  const std::int64_t ts = static_cast<std::int64_t>(h.timestamp_us);
  const std::size_t dropped = worker_->post([self = shared_from_this(), codec, keyframe, shared, ts] {
    self->decode(codec, keyframe, *shared, ts);
  });
  if (dropped) hooks_.count(0, static_cast<int>(dropped), 0, 0);
}

void VideoReceiver::decode(int codec, bool keyframe, const std::vector<std::uint8_t>& bytes, std::int64_t timestamp_us) {
  if (closed_.load()) return;
  if (skip_to_keyframe_.load()) {
    if (!keyframe) {
      hooks_.count(0, 1, 0, 0);
      return;
    }
    skip_to_keyframe_.store(false);
  }
  if (decoder_ && decoder_->codec() != codec) decoder_.reset();
  if (!decoder_) {
    otc_status st = OTC_ERR_FATAL;
    decoder_ = otc::media::make_video_decoder(codec, &st);
    if (!decoder_) {
      hooks_.count(0, 1, 1, 0);
      return;
    }
  }
  otc::media::VideoFramePtr picture;
  const auto started = std::chrono::steady_clock::now();
  const otc_status st = decoder_->decode(bytes.data(), bytes.size(), picture);
  const auto decode_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
  if (st != OTC_SUCCESS) {
    hooks_.count(0, 0, 1, decode_us);
    skip_to_keyframe_.store(true);
    need_keyframe();
    return;
  }
  hooks_.count(1, 0, 0, decode_us);
  if (!picture) return;
  picture->timestamp_us = timestamp_us;
  // Live video shows the newest picture: when the application's callbacks are behind, the oldest
  // waiting picture makes room (the stream's decoding is not affected). One render task per
  // picture, each taking the oldest waiting one, so a task whose picture was dropped finds none.
  bool dropped = false;
  {
    std::lock_guard<std::mutex> lock(pictures_mu_);
    if (pictures_.size() >= kMaxPendingPictures) {
      pictures_.pop_front();
      dropped = true;
    }
    pictures_.push_back(std::move(picture));
  }
  if (dropped) hooks_.picture_dropped();
  queue_->post([self = shared_from_this()] {
    otc::media::VideoFramePtr next;
    {
      std::lock_guard<std::mutex> lock(self->pictures_mu_);
      if (self->pictures_.empty()) return;
      next = std::move(self->pictures_.front());
      self->pictures_.pop_front();
    }
    if (self->closed_.load() || self->queue_->closing()) return;
    self->hooks_.render(*next);
  });
}

void VideoReceiver::close() {
  closed_.store(true);
  worker_->close();
  std::lock_guard<std::mutex> lock(pictures_mu_);
  pictures_.clear();
}

}  // namespace otc::client
