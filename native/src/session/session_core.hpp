// The session behind otc_session: connection state machine (docs/PROTOCOL.md sec. 2), routing of
// router messages to publishers and subscribers, and the session's frame cryptor. Its code is in
// three files, one concern each: session_core.cpp (creation, threads, timers and the
// application's calls), session_dispatch.cpp (the router's messages: handshake, connections,
// streams, signals, media) and session_reconnect.cpp (how a connection ends: router errors,
// redirects, reconnection with backoff, teardown).
//
// Threads: network events run on the session's I/O thread; application calls on any thread;
// every application callback is posted to the CallbackQueue. `mutex_` guards the state below
// and is never held while a callback runs or while waiting for another thread.
#ifndef OTC_SRC_SESSION_SESSION_CORE_HPP
#define OTC_SRC_SESSION_SESSION_CORE_HPP

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "callback_queue.hpp"
#include "connection.hpp"
#include "connection_impl.hpp"
#include "handle_gate.hpp"
#include "media_budget.hpp"
#include "otc/frame_cryptor.h"
#include "otc/session.h"
#include "protocol.hpp"
#include "settings.hpp"

namespace otc::client {

class PublisherCore;
class SubscriberCore;

class SessionCore : public std::enable_shared_from_this<SessionCore> {
 public:
  static std::shared_ptr<SessionCore> create(const char* application_id, const char* session_id,
                                             const otc_session_callbacks* callbacks,
                                             const SessionSettings& settings, otc_status* status);
  ~SessionCore();

  HandleGate<otc_session>& gate() { return gate_; }
  const std::string& session_id() const { return session_id_; }

  otc_status set_encryption_secret(const std::uint8_t* secret, std::size_t len);
  bool has_encryption_secret() const;
  otc_status connect(const char* token);
  otc_status disconnect();
  // otc_session_delete: ends the connection, stops both threads (see CallbackQueue::close).
  void shutdown();

  otc_status send_signal(const char* type, const char* data, const char* to_connection_id);
  otc_status publish(const std::shared_ptr<PublisherCore>& publisher);
  otc_status unpublish(const std::shared_ptr<PublisherCore>& publisher);
  otc_status subscribe(const std::shared_ptr<SubscriberCore>& subscriber);
  otc_status unsubscribe(const std::shared_ptr<SubscriberCore>& subscriber);

  otc_status connection_id(char* out, std::size_t capacity) const;
  bool is_e2ee() const;
  // Whether frames must be end-to-end encrypted whatever the router says: a secret is held or
  // E2EE is required (sticky: a secret is never unset). Cheap (an atomic load); any thread.
  bool must_encrypt() const { return settings_.e2ee_required || has_encryption_secret(); }

  // For publishers and subscribers: queue a message on the current connection (dropped when
  // there is none).
  void send_message(std::vector<std::uint8_t> message);
  // A MEDIA_FRAME: dropped (false) when no connection is up or when more than
  // kMaxQueuedMediaBytes already wait for the socket, so a router that stops reading cannot make
  // the client's memory grow without bound.
  bool send_media(std::vector<std::uint8_t> message);
  static constexpr std::size_t kMaxQueuedMediaBytes = 8u * 1024u * 1024u;
  void request_keyframe(const std::string& stream_id);

 private:
  // kReconnecting: an established connection was lost (not by the application); publishers,
  // subscribers and streams are kept while the session reconnects (connection_ is the current
  // attempt, or null between attempts).
  enum class State { kIdle, kConnecting, kConnected, kReconnecting, kDisconnecting, kShutDown };
  enum class Phase { kAwaitHelloAck, kAwaitConnected, kConnected };

  SessionCore() = default;
  static constexpr std::chrono::milliseconds kExpiryPeriod{1000};

  // I/O thread.
  void on_open(std::uint64_t generation);
  void on_message(std::uint64_t generation, std::vector<std::uint8_t> message);
  void on_closed(std::uint64_t generation, CloseKind kind, const std::string& detail);
  void handle(std::uint64_t generation, const wire::HelloAck& m);
  void handle(std::uint64_t generation, const wire::Connected& m);
  void handle(const wire::ConnectionCreated& m);
  void handle(const wire::ConnectionDropped& m);
  void handle(const wire::Published& m);
  void handle(const wire::StreamCreated& m);
  void handle(const wire::StreamDestroyed& m);
  void handle(const wire::Subscribed& m);
  void handle(std::vector<std::uint8_t>&& message, wire::MediaFrame&& m);
  void handle(const wire::KeyframeRequest& m);
  void handle(const wire::SignalIn& m);
  void handle(std::uint64_t generation, const wire::Error& m);
  void handle(std::uint64_t generation, const wire::Redirect& m, Phase phase, State state);
  void handle(std::uint64_t generation, const wire::Nodes& m);
  // Ends the connection of `generation`. error_code 0: no error to report (user disconnect).
  // During a reconnection an attempt that fails for a reason another attempt may not have
  // (network, timeout, a stopping or confused node) schedules the next attempt instead.
  void end_connection(std::uint64_t generation, int error_code, const std::string& message);
  // The session is over: everything detached, on_error (if error_code) and on_disconnected.
  void teardown(std::uint64_t generation, int error_code, const std::string& message);

  // ---- Redirect and reconnection (docs/PROTOCOL.md "Client: redirect and reconnection") ----
  // A new connection to `url` as the next generation (mutex_ held); the connect timer bounds it.
  void open_connection_locked(const RouterUrl& url, std::chrono::milliseconds timeout);
  // An established connection was lost without DISCONNECT from the application: reconnect when
  // enabled, else end the session with `error_code`.
  void lose_connection(std::uint64_t generation, int error_code, const std::string& message);
  void retry_later(std::uint64_t generation);
  void schedule_attempt(std::chrono::milliseconds delay);
  void start_attempt();
  // CONNECTED again: re-PUBLISH (with the previous stream ids), open the window in which known
  // streams must reappear.
  void resume_after_reconnect(std::uint64_t generation);
  // Streams known before the loss that did not reappear within the window: dropped as usual.
  void expire_awaiting_streams();
  std::chrono::milliseconds backoff(std::uint32_t attempt);
  wire::Publish publish_message(const PublisherCore& pub, std::uint32_t publish_id) const;

  void post_error(int code, std::string message);
  // "what: message", or `what` when the router gave no text.
  static std::string router_says(const std::string& what, const std::string& message);
  template <typename Fn>
  void post_callback(Fn fn);

  std::string application_id_;
  std::string session_id_;
  otc_session_callbacks callbacks_{};
  SessionSettings settings_;
  RouterUrl url_;
  HandleGate<otc_session> gate_;
  otc_frame_cryptor* cryptor_ = nullptr;
  // What all subscribers of this session have queued for the application (otc/subscriber.h).
  std::shared_ptr<MediaBudget> media_budget_ = std::make_shared<MediaBudget>();

  asio::io_context io_{1};
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> io_guard_;
  std::thread io_thread_;
  std::shared_ptr<CallbackQueue> queue_;
  std::unique_ptr<asio::steady_timer> connect_timer_;     // I/O thread
  std::unique_ptr<asio::steady_timer> disconnect_timer_;  // I/O thread
  std::unique_ptr<asio::steady_timer> reconnect_timer_;   // I/O thread: the next attempt
  std::unique_ptr<asio::steady_timer> resume_timer_;      // I/O thread: the reappearance window
  std::minstd_rand jitter_{std::random_device{}()};       // I/O thread
  // Wipes keys of secrets whose grace period ended even while no frame flows (I/O thread).
  std::unique_ptr<asio::steady_timer> expiry_timer_;
  void schedule_expiry();
  // Back-pressure (I/O thread): while more than kMaxPendingCallbacks application callbacks wait,
  // the socket reader stops; it resumes once fewer than kResumeBelowCallbacks wait.
  static constexpr std::size_t kMaxPendingCallbacks = 4096;
  static constexpr std::size_t kResumeBelowCallbacks = 1024;
  std::unique_ptr<asio::steady_timer> backpressure_timer_;
  void apply_backpressure(std::uint64_t generation);
  void schedule_resume(const std::shared_ptr<Connection>& conn);

  mutable std::mutex mutex_;
  State state_ = State::kIdle;
  Phase phase_ = Phase::kAwaitHelloAck;
  std::uint64_t generation_ = 0;
  std::shared_ptr<Connection> connection_;
  // Kept while connected when reconnection is enabled (every attempt presents it again), wiped
  // at the end of the session; without reconnection wiped once CONNECTED arrives.
  std::string token_;
  RouterUrl attempt_url_;                 // the URL of connection_
  RouterUrl last_url_;                    // the URL of the last connection that reached CONNECTED
  std::optional<RouterUrl> move_target_;  // REDIRECT reason 2: tried first
  std::vector<RouterUrl> nodes_;          // the last NODES list (bounded, validated)
  int redirects_ = 0;                     // REDIRECTs followed in the current attempt (max 1)
  std::chrono::steady_clock::time_point reconnect_deadline_;
  // Connections lost soon after CONNECTED, in a row: each waits longer before the first attempt,
  // so a router (or two) that drops or moves the client right after every CONNECTED cannot make
  // it reconnect in a tight loop.
  std::chrono::steady_clock::time_point connected_at_;
  std::uint32_t quick_losses_ = 0;
  static constexpr std::chrono::seconds kStableConnection{5};
  std::uint32_t reconnect_attempt_ = 0;
  // Streams of others known before the loss, not yet announced again (no on_stream_received
  // when they come back; on_stream_dropped if the window ends first).
  std::set<std::string> awaiting_streams_;
  // Re-SUBSCRIBEs in flight: their SUBSCRIBED is not reported to the application again.
  std::set<std::string> resubscribing_;
  std::string connection_id_;
  bool e2ee_ = false;
  bool was_connected_ = false;
  std::uint32_t next_publish_id_ = 0;
  std::map<std::uint32_t, std::shared_ptr<PublisherCore>> pending_publishers_;
  std::map<std::string, std::shared_ptr<PublisherCore>> publishers_;  // by stream id
  std::map<std::string, std::shared_ptr<SubscriberCore>> subscribers_;  // by stream id
  std::map<std::string, std::shared_ptr<const otc_stream>> streams_;
  // Clients in the session as the router announced them (own one included), by connection id;
  // at most kMaxKnownConnections (a router announcing more is not believed to be honest: later
  // ones reach the callbacks but are not remembered, so their streams and signals carry an
  // otc_connection with the id only).
  std::map<std::string, std::shared_ptr<const otc_connection>> connections_;
  static constexpr std::size_t kMaxKnownConnections = 65536;
  // Empties the registries (mutex_ held): every publisher (pending ones included) and subscriber
  // is handed out, to be detached once the lock is released; streams are forgotten.
  void take_registries_locked(std::vector<std::shared_ptr<PublisherCore>>& publishers,
                              std::vector<std::shared_ptr<SubscriberCore>>& subscribers);
  // The known connection of `id`, or a new one carrying only the id (mutex_ held).
  std::shared_ptr<const otc_connection> connection_for(const std::string& id);
};

// Defined here as the three source files of the session use it.
template <typename Fn>
void SessionCore::post_callback(Fn fn) {
  auto self = shared_from_this();
  queue_->post([self, fn = std::move(fn)]() mutable {
    if (self->queue_->closing()) return;
    self->gate_.invoke([&](otc_session* h) { fn(h, self->callbacks_); });
  });
}

}  // namespace otc::client

struct otc_session {
  std::shared_ptr<otc::client::SessionCore> core;
};

#endif
