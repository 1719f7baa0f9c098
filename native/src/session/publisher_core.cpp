#include "publisher_core.hpp"

#include "otc/media.h"
#include "protocol.hpp"
#include "session_core.hpp"
#include "stream_impl.hpp"
#include "audio_hub.hpp"
#include "video_capture.hpp"

namespace otc::client {

PublisherCore::PublisherCore(std::string name, const otc_publisher_callbacks* callbacks,
                             const PublisherSettings& settings)
    : name_(std::move(name)), callbacks_(*callbacks), settings_(settings) {}

PublisherCore::~PublisherCore() = default;

bool PublisherCore::attach(const std::shared_ptr<SessionCore>& session, std::shared_ptr<CallbackQueue> queue,
                           bool e2ee, const otc_frame_cryptor* session_cryptor, otc_status* status) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ != State::kDetached) {
    *status = OTC_ERR_INVALID_STATE;
    return false;
  }
  auto outgoing = std::make_shared<Outgoing>();
  if (e2ee) {
    // Own sender id and counters per published stream, keys shared with the session.
    outgoing->cryptor.reset(otc_frame_cryptor_new_sharing_keys(session_cryptor), otc_frame_cryptor_delete);
    if (!outgoing->cryptor) {
      *status = OTC_ERR_NO_MEMORY;
      return false;
    }
  }
  outgoing_ = std::move(outgoing);
  video_needs_keyframe_.store(false);
  state_ = State::kPublishing;
  session_ = session;
  queue_ = std::move(queue);
  e2ee_ = e2ee;
  stream_id_.clear();
  stream_.reset();
  return true;
}

void PublisherCore::set_stream_id(const std::string& stream_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  stream_id_ = stream_id;
}

PublisherCore::GoLive PublisherCore::go_live(std::shared_ptr<const otc_stream> stream,
                                             std::shared_ptr<const otc_stream>* previous) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kSuspended) {
    if (stream_ && stream_->id != stream->id) *previous = stream_;
    stream_ = std::move(stream);
    state_ = State::kLive;
    return GoLive::kResumed;
  }
  if (state_ != State::kPublishing) return GoLive::kNotLive;
  stream_ = std::move(stream);
  state_ = State::kLive;
  return GoLive::kFirst;
}

void PublisherCore::suspend() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kLive) state_ = State::kSuspended;
}

bool PublisherCore::suspended() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kSuspended;
}

bool PublisherCore::stopped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kStopped;
}

void PublisherCore::stop_sending() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ != State::kDetached) state_ = State::kStopped;
}

bool PublisherCore::is_attached_to(const SessionCore* session) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ != State::kDetached && session_.lock().get() == session;
}

std::string PublisherCore::stream_id() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stream_id_;
}

std::shared_ptr<const otc_stream> PublisherCore::stream() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stream_;
}

std::shared_ptr<SessionCore> PublisherCore::session() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_ == State::kDetached ? nullptr : session_.lock();
}

void PublisherCore::detach() {
  std::lock_guard<std::mutex> lock(mutex_);
  state_ = State::kDetached;
  session_.reset();
  queue_.reset();
  stream_.reset();
  stream_id_.clear();
}

void PublisherCore::post_error(const std::shared_ptr<CallbackQueue>& queue, int code, std::string message) {
  if (!queue) return;
  queue->post([self = shared_from_this(), queue, code, message = std::move(message)] {
    if (queue->closing()) return;
    self->gate_.invoke([&](otc_publisher* h) {
      if (self->callbacks_.on_error) self->callbacks_.on_error(h, self->callbacks_.user_data, message.c_str(), static_cast<otc_publisher_error_code>(code));
    });
  });
}

void PublisherCore::post_stream_created(std::shared_ptr<const otc_stream> stream) {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  if (!queue) return;
  queue->post([self = shared_from_this(), queue, stream] {
    if (queue->closing()) return;
    self->gate_.invoke([&](otc_publisher* h) {
      // The capturer starts on this thread, before the application hears of the stream.
      if (!self->stopped()) {
        if (self->capture_) self->capture_->start();
        // Audio from the audio device (if one is set) from now on.
        if (self->settings_.has_audio && !self->audio_device_user_.exchange(true)) {
          AudioHub::instance().add_capture_user(self);
        }
      }
      if (self->callbacks_.on_stream_created) self->callbacks_.on_stream_created(h, self->callbacks_.user_data, stream.get());
    });
  });
}

void PublisherCore::post_stream_destroyed(const std::shared_ptr<CallbackQueue>& queue,
                                          std::shared_ptr<const otc_stream> stream) {
  if (!queue || !stream) return;
  queue->post([self = shared_from_this(), queue, stream] {
    // The capturer stops even while the session closes (it is the application's thread to end).
    if (self->capture_) self->gate_.invoke([&](otc_publisher*) { self->capture_->stop(); });
    self->end_audio_capture();
    if (queue->closing()) return;
    self->gate_.invoke([&](otc_publisher* h) {
      if (self->callbacks_.on_stream_destroyed) {
        self->callbacks_.on_stream_destroyed(h, self->callbacks_.user_data, stream.get());
      }
    });
  });
}

void PublisherCore::post_keyframe_requested(bool from_router) {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  if (from_router) {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.keyframe_requests;
  }
  if (capture_) capture_->request_keyframe();
  if (!queue) return;
  queue->post([self = shared_from_this(), queue] {
    if (queue->closing()) return;
    self->gate_.invoke([&](otc_publisher* h) {
      if (self->callbacks_.on_keyframe_requested) self->callbacks_.on_keyframe_requested(h, self->callbacks_.user_data);
    });
  });
}

otc_status PublisherCore::send_frame(const otc_media_frame* f) {
  // The SDK's encoders (video worker, audio worker) and the application may send at once: one at
  // a time, so frames leave in sequence-number order.
  std::lock_guard<std::mutex> send_lock(send_mu_);
  if (!f || (!f->data && f->size) || f->size > OTC_MEDIA_FRAME_MAX_SIZE || f->spatial_layer < 0 ||
      f->spatial_layer > 255 || f->temporal_layer < 0 || f->temporal_layer > 255 ||
      (f->media_type != OTC_MEDIA_TYPE_AUDIO && f->media_type != OTC_MEDIA_TYPE_VIDEO)) {
    return OTC_ERR_INVALID_PARAM;
  }
  const bool video = f->media_type == OTC_MEDIA_TYPE_VIDEO;
  if (video ? (!settings_.has_video || f->codec != settings_.video_codec)
            : (!settings_.has_audio || f->codec != settings_.audio_codec)) {
    return OTC_PUBLISHER_UNSUPPORTED_CODEC;
  }
  std::shared_ptr<SessionCore> session;
  std::shared_ptr<CallbackQueue> queue;
  std::shared_ptr<Outgoing> out;
  wire::MediaFrame h;
  bool e2ee;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ == State::kSuspended) {
      // Reconnecting: dropped before encryption (nothing leaves, in clear or otherwise), like a
      // congestion drop; video then waits for a keyframe, asked for when the stream is live again.
      if (video) video_needs_keyframe_.store(true, std::memory_order_relaxed);
      return OTC_SUCCESS;
    }
    if (state_ != State::kLive) return OTC_ERR_INVALID_STATE;
    session = session_.lock();
    if (!session) return OTC_ERR_INVALID_STATE;
    queue = queue_;
    out = outgoing_;
    h.stream_id = stream_id_;
    e2ee = e2ee_;
  }
  if (!e2ee && session->must_encrypt()) {
    // A secret is held (or E2EE required) but this stream was published in a session the router
    // called plain: never send in clear (the session is being disconnected with
    // OTC_SESSION_E2EE_DOWNGRADE).
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.encryption_failed;
    return OTC_SESSION_E2EE_DOWNGRADE;
  }
  otc_frame_cryptor* cryptor = out->cryptor.get();
  h.media = static_cast<std::uint8_t>(f->media_type);
  h.codec = static_cast<std::uint8_t>(f->codec);
  h.flags = static_cast<std::uint8_t>((video && f->keyframe ? wire::kFlagKeyframe : 0) | (e2ee ? wire::kFlagEncrypted : 0));
  h.timestamp_us = f->timestamp_us;
  h.sequence = out->sequence.fetch_add(1, std::memory_order_relaxed);
  h.spatial_layer = static_cast<std::uint8_t>(f->spatial_layer);
  h.temporal_layer = static_cast<std::uint8_t>(f->temporal_layer);

  if (video && !f->keyframe && video_needs_keyframe_.load(std::memory_order_relaxed)) {
    return OTC_SUCCESS;  // dropped: undecodable without the keyframe requested at the drop
  }

  std::vector<std::uint8_t> buf;
  wire::begin_media_frame(buf, h);
  const std::size_t payload_at = wire::kLengthPrefix + h.payload_offset;
  if (e2ee) {
    const std::size_t capacity = f->size + otc_frame_cryptor_max_overhead(cryptor);
    buf.resize(payload_at + capacity);
    std::size_t out_len = 0;
    // The metadata (stream_id .. temporal_layer, encrypted bit set) is authenticated as it stands
    // in the message, so a router that changes any of it breaks the tag (PROTOCOL.md sec. 4).
    const otc_status st = otc_frame_cryptor_encrypt(cryptor, buf.data() + wire::kLengthPrefix + h.metadata_offset,
                                                    h.payload_offset - h.metadata_offset, f->data, f->size,
                                                    buf.data() + payload_at, capacity, &out_len);
    if (st != OTC_SUCCESS) {
      {
        std::lock_guard<std::mutex> lock(stats_mutex_);
        ++stats_.encryption_failed;
      }
      if (st == OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR || st == OTC_FRAME_COUNTER_EXHAUSTED) {
        post_error(queue, st == OTC_FRAME_COUNTER_EXHAUSTED ? st : static_cast<otc_status>(OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR),
                   st == OTC_FRAME_COUNTER_EXHAUSTED
                       ? "frame counter exhausted for stream " + h.stream_id + ": set a new encryption secret"
                       : "encrypting a frame of stream " + h.stream_id + " failed in the crypto engine");
      }
      return st == OTC_FRAME_COUNTER_EXHAUSTED ? st
             : st == OTC_SESSION_ENCRYPTION_SECRET_MISSING ? st
                                                           : OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR;
    }
    buf.resize(payload_at + out_len);
  } else if (f->size) {
    buf.insert(buf.end(), f->data, f->data + f->size);
  }
  wire::finish_message(buf);
  const std::size_t payload_bytes = buf.size() - payload_at;
  if (!session->send_media(std::move(buf))) {
    // Congested (or the connection just ended): the frame is dropped and not counted as sent.
    if (video && !video_needs_keyframe_.exchange(true)) post_keyframe_requested(false);
    return OTC_SUCCESS;
  }
  if (video && f->keyframe) video_needs_keyframe_.store(false, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(stats_mutex_);
  ++stats_.frames_sent;
  stats_.bytes_sent += payload_bytes;
  if (e2ee) ++stats_.frames_encrypted;
  return OTC_SUCCESS;
}

void PublisherCore::shutdown_media() {
  if (capture_) capture_->shutdown();
  end_audio_capture();
}

void PublisherCore::end_audio_capture() {
  if (audio_device_user_.exchange(false)) AudioHub::instance().remove_capture_user(this);
}

void PublisherCore::report_error(int code, std::string message) {
  std::shared_ptr<CallbackQueue> queue;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue = queue_;
  }
  post_error(queue, code, std::move(message));
}

otc_status PublisherCore::set_publish_video(bool enabled) {
  if (!settings_.has_video) return OTC_ERR_INVALID_STATE;
  if (capture_) capture_->set_enabled(enabled);
  return OTC_SUCCESS;
}

otc_status PublisherCore::set_publish_audio(bool enabled) {
  if (!settings_.has_audio) return OTC_ERR_INVALID_STATE;
  publish_audio_.store(enabled);
  return OTC_SUCCESS;
}

void PublisherCore::get_stats(otc_publisher_stats* out) const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  *out = stats_;
}

}  // namespace otc::client
