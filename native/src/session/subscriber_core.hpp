// The subscriber behind otc_subscriber: decryption with its own cryptor sharing the session's
// keys, the hold buffer for frames under a secret not (yet) held, mismatch/match events, stats.
//
// Receive path (docs/ARCHITECTURE.md, "Receive path"): the I/O thread queues a frame (`queued_`,
// bounded) and submits this subscriber to the process's DecryptPool; one worker at a time
// decrypts its frames in arrival order and moves what the application must see to `ready_`;
// the session's callback thread delivers `ready_` one frame per task. Frames refused by
// decryption (authentication, replay, malformed, new-sender budget) leave on the worker and
// never wait for the callback thread.
//
// Media state (hold buffer, failure flags, timer) is touched on the session's callback thread
// only; the queues under queue_mu_; attachment state and stats under their mutexes.
#ifndef OTC_SRC_SESSION_SUBSCRIBER_CORE_HPP
#define OTC_SRC_SESSION_SUBSCRIBER_CORE_HPP

#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <deque>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "callback_queue.hpp"
#include "decrypt_pool.hpp"
#include "handle_gate.hpp"
#include "hold_buffer.hpp"
#include "media_budget.hpp"
#include "otc/frame_cryptor.h"
#include "otc/subscriber.h"
#include "protocol.hpp"
#include "stream_impl.hpp"
#include "audio_hub.hpp"
#include "video_receive.hpp"

namespace otc::client {

class SessionCore;

class SubscriberCore : public DecryptJob, public std::enable_shared_from_this<SubscriberCore> {
 public:
  SubscriberCore(const otc_stream& stream, const otc_subscriber_callbacks* callbacks);
  ~SubscriberCore() override;

  HandleGate<otc_subscriber>& gate() { return gate_; }
  const otc_stream& stream() const { return stream_; }

  // Session side. False if this subscriber was attached before (a subscriber subscribes once).
  bool attach(const std::shared_ptr<SessionCore>& session, std::shared_ptr<CallbackQueue> queue, bool e2ee,
              const otc_frame_cryptor* session_cryptor, std::uint32_t hold_ms, std::shared_ptr<MediaBudget> budget,
              otc_status* status);
  bool is_attached_to(const SessionCore* session) const;
  // Ends the subscription: posts the media-state cleanup and, if `notify`, on_disconnected.
  void detach(bool notify);

  void post_error(const std::shared_ptr<CallbackQueue>& queue, int code, std::string message);
  void post_subscribed();
  void post_media(std::vector<std::uint8_t> message, wire::MediaFrame header);
  void post_secret_changed();

  // Application side.
  otc_status set_video_codecs(std::vector<int> codecs);
  void set_subscribe_to_video(bool on) { subscribe_video_.store(on); }
  void set_subscribe_to_audio(bool on) { subscribe_audio_.store(on); }
  std::shared_ptr<SessionCore> session() const;
  otc_status request_keyframe();
  void get_stats(otc_subscriber_stats* out) const;

  // Decryption worker (DecryptPool): decrypts up to a few queued frames in order.
  void run_decrypt() override;

 private:
  // Hands this subscriber to the pool (decrypt_scheduled_ already set).
  void submit_decrypt();

 private:
  struct Queued {
    std::vector<std::uint8_t> message;
    wire::MediaFrame header;
    std::chrono::steady_clock::time_point arrival;
    // Not from an admitted sender: counted in unknown_kids_ (by KID) or malformed_queued_.
    enum class Sender { kAdmitted, kUnknown, kMalformed } sender = Sender::kAdmitted;
    std::uint64_t kid = 0;
  };
  // What a worker hands to the callback thread.
  struct Ready {
    enum class Kind { kNone, kPlain, kDecrypted, kHeld, kInternalError } kind = Kind::kNone;
    std::vector<std::uint8_t> message;  // the received message (kPlain: the payload is in it)
    wire::MediaFrame header;
    std::chrono::steady_clock::time_point arrival;
    std::vector<std::uint8_t> plain;  // kDecrypted
    std::size_t plain_len = 0;
  };
  // Worker: the checks and the decryption of one frame; kNone when it is dropped here.
  Ready process(Queued q, std::vector<std::uint8_t> plain);
  // Callback thread: delivers the ready frames in order, up to kFramesPerDrain per task,
  // re-posting itself while more wait (so other subscribers' callbacks interleave).
  void drain_ready();
  void handle_ready(Ready r);
  void report_internal_error();
  // Counts a frame the cryptor refused (authentication, replay, malformed, anything else) in the
  // stats; true when the refusal is an internal failure rather than the frame's fault.
  bool count_refused(otc_status st);
  // A spare buffer for plaintext (queue_mu_ held) and giving buffers back after delivery.
  std::vector<std::uint8_t> take_spare_locked();
  void recycle(std::vector<std::uint8_t> a, std::vector<std::uint8_t> b);
  // Callback thread.
  void drain();
  void arm_timer();
  // False when the subscriber went away during an application callback.
  bool deliver(const wire::MediaFrame& h, const std::uint8_t* data, std::size_t size);
  void report_mismatch();
  bool report_match();
  template <typename Fn>
  void update_stats(Fn fn);
  void cleanup_media_state();
  bool must_encrypt() const;
  // Whether `size` more bytes fit in this subscriber's and the session's bounds (queue_mu_ held).
  bool fits_locked(std::size_t size) const;
  void pop_locked(std::size_t index);
  void unaccount_locked(std::size_t size);
  void release_queued();

  // Frames received on the I/O thread, waiting for a worker (`queued_`) or, decrypted, for the
  // callback thread (`ready_`). Both count against the bounds of subscriber.h from arrival until
  // delivered or dropped.
  std::mutex queue_mu_;
  std::deque<Queued> queued_;
  std::deque<Ready> ready_;
  std::size_t queued_frames_ = 0;  // queued_ + ready_
  // Frames in queued_ whose sender the session has not admitted yet (unknown KID: a new
  // publisher, a new secret, or forged), counted per KID, and frames without a valid SFrame
  // header: at most kMaxUnknownSlots distinct KIDs (plus malformed frames) wait at once, so a
  // flood of forged sender ids can never fill the queue ahead of genuine frames, while a new
  // genuine sender's burst (one KID) is not cut (see post_media).
  std::vector<std::pair<std::uint64_t, std::size_t>> unknown_kids_;
  std::size_t malformed_queued_ = 0;
  bool unknown_fits_locked(const Queued& q) const;
  void count_unknown_locked(const Queued& q, bool add);
  std::size_t queued_bytes_ = 0;
  bool decrypt_scheduled_ = false;  // submitted to the pool, or running on a worker
  bool drain_posted_ = false;
  std::vector<std::vector<std::uint8_t>> spare_;  // buffers kept for plaintext (bounded)
  bool video_until_keyframe_ = false;
  std::shared_ptr<MediaBudget> budget_;

  otc_stream stream_;
  otc_subscriber_callbacks callbacks_{};
  HandleGate<otc_subscriber> gate_;

  mutable std::mutex mutex_;  // attachment
  bool ever_attached_ = false;
  bool attached_ = false;
  // Cleared at detach on whatever thread detaches, so the callback thread stops delivering at
  // once (also when the application unsubscribes from inside on_frame).
  std::atomic<bool> live_{false};
  std::weak_ptr<SessionCore> session_;
  std::shared_ptr<CallbackQueue> queue_;

  // Set at attach, before any frame is routed here; read by workers and the callback thread.
  bool e2ee_ = false;
  otc_frame_cryptor* cryptor_ = nullptr;

  // Callback thread only (set up before the first media task is posted).
  bool active_ = false;
  std::unique_ptr<HoldBuffer> hold_;
  std::unique_ptr<asio::steady_timer> timer_;
  std::vector<std::uint8_t> scratch_;  // held frames retried on the callback thread
  bool in_mismatch_ = false;
  bool in_internal_error_ = false;

  mutable std::mutex stats_mutex_;
  otc_subscriber_stats stats_{};

  // Decoding (video_receive.hpp): made at attach when on_render_frame is set; fed on the callback
  // thread from deliver().
  std::shared_ptr<VideoReceiver> video_;
  std::shared_ptr<AudioReceiver> audio_;  // callback thread: made by the attach task if the stream has audio
  std::vector<int> video_codecs_;  // set_video_codecs, under mutex_ (before attach)
  bool video_codecs_set_ = false;
  std::atomic<bool> subscribe_video_{true};
  std::atomic<bool> subscribe_audio_{true};
  void make_video_receiver(const std::shared_ptr<CallbackQueue>& queue);
};

}  // namespace otc::client

struct otc_subscriber {
  std::shared_ptr<otc::client::SubscriberCore> core;
};

#endif
