// The publisher behind otc_publisher: frame encoding into MEDIA_FRAME messages (docs/PROTOCOL.md
// sec. 4), encryption with its own cryptor sharing the session's keys, and its callbacks.
#ifndef OTC_SRC_SESSION_PUBLISHER_CORE_HPP
#define OTC_SRC_SESSION_PUBLISHER_CORE_HPP

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "callback_queue.hpp"
#include "handle_gate.hpp"
#include "otc/frame_cryptor.h"
#include "otc/publisher.h"
#include "settings.hpp"

namespace otc::client {

class SessionCore;
class CapturePipeline;

class PublisherCore : public std::enable_shared_from_this<PublisherCore> {
 public:
  PublisherCore(std::string name, const otc_publisher_callbacks* callbacks, const PublisherSettings& settings);
  ~PublisherCore();

  HandleGate<otc_publisher>& gate() { return gate_; }
  const std::string& name() const { return name_; }
  const PublisherSettings& settings() const { return settings_; }

  // Session side (called under the session's mutex, never blocking on callbacks).
  // False if already attached to a session.
  bool attach(const std::shared_ptr<SessionCore>& session, std::shared_ptr<CallbackQueue> queue,
              bool e2ee, const otc_frame_cryptor* session_cryptor, otc_status* status);
  void set_stream_id(const std::string& stream_id);
  // STREAM_CREATED for this publisher: frames may flow. kNotLive if unpublished meanwhile;
  // kResumed after a reconnection (same stream id: nothing for the application to hear; `previous`
  // set when the router gave the stream a new id, the old stream to report as destroyed).
  enum class GoLive { kNotLive, kFirst, kResumed };
  GoLive go_live(std::shared_ptr<const otc_stream> stream, std::shared_ptr<const otc_stream>* previous);
  // The session lost its connection and reconnects: a live stream stops sending (frames are
  // dropped with OTC_SUCCESS, no plaintext, no error) until go_live after the re-PUBLISH. The
  // cryptor, its sender id and its counter are kept: receivers' replay windows stay valid.
  void suspend();
  bool suspended() const;
  bool stopped() const;
  // Unpublish requested: no more frames.
  void stop_sending();
  bool is_attached_to(const SessionCore* session) const;
  std::string stream_id() const;
  std::shared_ptr<const otc_stream> stream() const;
  void detach();

  void post_error(const std::shared_ptr<CallbackQueue>& queue, int code, std::string message);
  void post_stream_created(std::shared_ptr<const otc_stream> stream);
  void post_stream_destroyed(const std::shared_ptr<CallbackQueue>& queue, std::shared_ptr<const otc_stream> stream);
  // `from_router`: a KEYFRAME_REQUEST message (counted in the stats), else the SDK's own request
  // after a congestion drop.
  void post_keyframe_requested(bool from_router = true);

  // The SDK's encoders (set once, before the publisher is handed to the application).
  void set_capture(std::shared_ptr<CapturePipeline> capture) { capture_ = std::move(capture); }
  const std::shared_ptr<CapturePipeline>& capture() const { return capture_; }
  // otc_publisher_delete: the capturer's stop and destroy, leaving the audio device.
  void shutdown_media();
  // An error from a media worker, through on_error on the callback thread (if published).
  void report_error(int code, std::string message);
  template <typename Fn>
  void update_stats(Fn fn) {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    fn(stats_);
  }
  otc_status set_publish_video(bool enabled);
  otc_status set_publish_audio(bool enabled);
  bool audio_enabled() const { return settings_.has_audio && publish_audio_.load(std::memory_order_relaxed); }

  // Application side.
  otc_status send_frame(const otc_media_frame* frame);
  std::shared_ptr<SessionCore> session() const;
  void get_stats(otc_publisher_stats* out) const;

 private:
  // kSuspended: was live, the session is reconnecting (stream_ still the old stream).
  enum class State { kDetached, kPublishing, kLive, kSuspended, kStopped };

  std::string name_;
  otc_publisher_callbacks callbacks_{};
  PublisherSettings settings_;
  HandleGate<otc_publisher> gate_;

  mutable std::mutex mutex_;  // state below
  State state_ = State::kDetached;
  std::weak_ptr<SessionCore> session_;
  std::shared_ptr<CallbackQueue> queue_;
  bool e2ee_ = false;
  std::string stream_id_;
  std::shared_ptr<const otc_stream> stream_;

  // What one publication sends with: replaced as a whole at attach, so a send_frame racing a
  // re-publish finishes with the cryptor it started with.
  struct Outgoing {
    std::shared_ptr<otc_frame_cryptor> cryptor;  // null in a non-E2EE session
    std::atomic<std::uint32_t> sequence{0};
  };
  std::shared_ptr<Outgoing> outgoing_;

  // Set when a video frame had to be dropped for congestion: later delta frames would not decode
  // at the subscribers, so video is dropped until the application sends the keyframe the SDK
  // asked for (what the router does for a slow subscriber, PROTOCOL.md sec. 5).
  std::atomic<bool> video_needs_keyframe_{false};

  std::shared_ptr<CapturePipeline> capture_;  // null: the application sends encoded video
  std::atomic<bool> publish_audio_{true};
  std::atomic<bool> audio_device_user_{false};  // registered with the AudioHub while live
  void end_audio_capture();

  mutable std::mutex stats_mutex_;
  otc_publisher_stats stats_{};
  std::mutex send_mu_;
};

}  // namespace otc::client

struct otc_publisher {
  std::shared_ptr<otc::client::PublisherCore> core;
};

#endif
