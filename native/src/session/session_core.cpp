// SessionCore: creation, the I/O and callback threads, timers, and the application's calls.
#include "session_core.hpp"

#include <openssl/crypto.h>

#include <asio/post.hpp>
#include <algorithm>
#include <cstring>
#include <utility>

#include "log.hpp"
#include "otc/capabilities.h"
#include "otc/secret.h"
#include "publisher_core.hpp"
#include "stream_impl.hpp"
#include "subscriber_core.hpp"
#include "utf8.hpp"
#include "wire_buffer.hpp"

namespace otc::client {
namespace {

// How long a disconnect or delete waits for the router to close before closing itself.
constexpr std::chrono::milliseconds kDisconnectLinger{2000};

}  // namespace

std::shared_ptr<SessionCore> SessionCore::create(const char* application_id, const char* session_id,
                                                 const otc_session_callbacks* callbacks,
                                                 const SessionSettings& settings, otc_status* status) {
  *status = OTC_ERR_INVALID_PARAM;
  if (!callbacks) return nullptr;
  if (application_id && !is_valid_c_text(application_id, wire::kMaxIdBytes, true)) return nullptr;
  if (!is_valid_c_text(session_id, OTC_SESSION_ID_MAX_BYTES, false)) {
    *status = OTC_SESSION_INVALID_SESSION_ID;
    return nullptr;
  }
  auto url = parse_router_url(settings.router_url);
  if (!url) return nullptr;

  std::shared_ptr<SessionCore> core(new SessionCore());
  core->application_id_ = application_id ? application_id : "";
  core->session_id_ = session_id;
  core->callbacks_ = *callbacks;
  core->settings_ = settings;
  core->url_ = *url;
  core->cryptor_ = otc_frame_cryptor_new(session_id, 0);
  if (!core->cryptor_) {
    *status = OTC_ERR_NO_MEMORY;
    return nullptr;
  }
  if (otc_frame_cryptor_set_grace_period_ms(core->cryptor_, settings.grace_period_ms) != OTC_SUCCESS) {
    return nullptr;
  }
  core->connect_timer_ = std::make_unique<asio::steady_timer>(core->io_);
  core->disconnect_timer_ = std::make_unique<asio::steady_timer>(core->io_);
  core->reconnect_timer_ = std::make_unique<asio::steady_timer>(core->io_);
  core->resume_timer_ = std::make_unique<asio::steady_timer>(core->io_);
  core->expiry_timer_ = std::make_unique<asio::steady_timer>(core->io_);
  core->backpressure_timer_ = std::make_unique<asio::steady_timer>(core->io_);
  core->io_guard_ = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
      asio::make_work_guard(core->io_));
  core->queue_ = CallbackQueue::start();
  // The I/O thread holds no reference to the core: shutdown() always joins it first.
  SessionCore* raw = core.get();
  try {
    core->io_thread_ = std::thread([raw] {
      for (;;) {
        try {
          raw->io_.run();
          break;
        } catch (...) {
        }
      }
    });
  } catch (...) {
    core->queue_->close();  // its thread would otherwise wait for work forever
    throw;
  }
  asio::post(core->io_, [raw] { raw->schedule_expiry(); });
  *status = OTC_SUCCESS;
  return core;
}

void SessionCore::apply_backpressure(std::uint64_t gen) {
  if (queue_->pending() <= kMaxPendingCallbacks) return;
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_ || !connection_) return;
    conn = connection_;
  }
  if (conn->reading_paused()) return;
  // The application is behind: stop reading, so the router's writes block in TCP instead of this
  // process buffering every message it sends (media is bounded by dropping, see subscriber.h;
  // everything else is delivered, later).
  conn->pause_reading();
  schedule_resume(conn);
}

void SessionCore::schedule_resume(const std::shared_ptr<Connection>& conn) {
  backpressure_timer_->expires_after(std::chrono::milliseconds(10));
  std::weak_ptr<SessionCore> weak = shared_from_this();
  backpressure_timer_->async_wait([weak, conn](const asio::error_code& ec) {
    if (ec) return;
    auto s = weak.lock();
    if (!s) return;
    if (s->queue_->pending() >= kResumeBelowCallbacks) {
      s->schedule_resume(conn);
      return;
    }
    conn->resume_reading();
  });
}

void SessionCore::schedule_expiry() {
  // The timer is cancelled in shutdown() before the I/O thread is joined, so `this` outlives it.
  expiry_timer_->expires_after(kExpiryPeriod);
  expiry_timer_->async_wait([this](const asio::error_code& ec) {
    if (ec) return;
    {
      // A wait that completed just before shutdown() cancelled it is not "aborted": without this
      // check it would re-arm the timer, and the I/O thread that shutdown() joins would never end.
      std::lock_guard<std::mutex> lock(mutex_);
      if (state_ == State::kShutDown) return;
    }
    otc_frame_cryptor_expire_secrets(cryptor_);
    schedule_expiry();
  });
}

SessionCore::~SessionCore() {
  if (io_thread_.joinable()) {
    // Only reached if shutdown() never ran (create() failed half way is not possible past the
    // thread start), kept as a guard against a stuck process at exit.
    io_guard_.reset();
    io_.stop();
    if (std::this_thread::get_id() != io_thread_.get_id()) io_thread_.join(); else io_thread_.detach();
  }
  otc_frame_cryptor_delete(cryptor_);
}

void SessionCore::post_error(int code, std::string message) {
  // Router and SDK error texts never carry tokens or key material (the token is never echoed).
  if (log_enabled(OTC_LOG_LEVEL_WARN)) {
    const char* name = otc_error_name(code);
    log_line(OTC_LOG_LEVEL_WARN, "session " + session_id_ + ": error " + std::to_string(code) + " (" +
                                     (name ? name : "unknown") + "): " + message);
  }
  post_callback([code, message = std::move(message)](otc_session* h, const otc_session_callbacks& cb) {
    if (cb.on_error) cb.on_error(h, cb.user_data, message.c_str(), static_cast<otc_session_error_code>(code));
  });
}

otc_status SessionCore::set_encryption_secret(const std::uint8_t* secret, std::size_t len) {
  if (!secret) return OTC_SESSION_INVALID_ENCRYPTION_SECRET;
  const otc_status st = otc_frame_cryptor_set_encryption_secret(cryptor_, secret, len);
  if (st != OTC_SUCCESS) return st;
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kConnected && !e2ee_) {
    // The router called this session plain: with a secret held now, nothing may flow in clear.
    const std::uint64_t gen = generation_;
    asio::post(io_, [self = shared_from_this(), gen] {
      self->end_connection(gen, OTC_SESSION_E2EE_DOWNGRADE,
                           "an encryption secret was set in a session the router reports as not end-to-end "
                           "encrypted: disconnected, no media is sent or delivered in clear");
    });
    return OTC_SUCCESS;
  }
  // Subscribers holding frames under a secret they did not have retry them now.
  for (auto& [id, sub] : subscribers_) sub->post_secret_changed();
  return OTC_SUCCESS;
}

bool SessionCore::has_encryption_secret() const { return otc_frame_cryptor_has_encryption_secret(cryptor_) != 0; }

otc_status SessionCore::connect(const char* token) {
  if (!is_valid_c_text(token, wire::kMaxStrBytes, false)) return OTC_ERR_INVALID_PARAM;
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ != State::kIdle) return OTC_ERR_INVALID_STATE;
  state_ = State::kConnecting;
  was_connected_ = false;
  token_ = token;
  redirects_ = 0;
  quick_losses_ = 0;
  move_target_.reset();
  nodes_.clear();
  open_connection_locked(url_, std::chrono::milliseconds(settings_.connect_timeout_ms));
  return OTC_SUCCESS;
}

void SessionCore::open_connection_locked(const RouterUrl& url, std::chrono::milliseconds timeout) {
  phase_ = Phase::kAwaitHelloAck;
  attempt_url_ = url;
  const std::uint64_t gen = ++generation_;
  std::weak_ptr<SessionCore> weak = shared_from_this();
  Connection::Handlers handlers;
  handlers.on_open = [weak, gen] {
    if (auto s = weak.lock()) s->on_open(gen);
  };
  handlers.on_message = [weak, gen](std::vector<std::uint8_t> m) {
    if (auto s = weak.lock()) s->on_message(gen, std::move(m));
  };
  handlers.on_closed = [weak, gen](CloseKind kind, std::string detail) {
    if (auto s = weak.lock()) s->on_closed(gen, kind, detail);
  };
  connection_ = std::make_shared<Connection>(io_, url, settings_.tls, std::move(handlers));
  auto conn = connection_;
  if (log_enabled(OTC_LOG_LEVEL_INFO)) {
    log_line(OTC_LOG_LEVEL_INFO, "session " + session_id_ + ": connecting to the router at " + url.to_string());
  }
  asio::post(io_, [weak, conn, gen, timeout] {
    auto s = weak.lock();
    if (!s) return;
    s->connect_timer_->expires_after(timeout);
    s->connect_timer_->async_wait([weak, gen](const asio::error_code& ec) {
      if (ec) return;
      if (auto s2 = weak.lock()) {
        s2->end_connection(gen, OTC_SESSION_CONNECTION_TIMED_OUT, "no answer from the router within the connect timeout");
      }
    });
    conn->start();
  });
}

otc_status SessionCore::disconnect() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ == State::kConnecting || state_ == State::kReconnecting) {
    state_ = State::kDisconnecting;
    const std::uint64_t gen = generation_;
    asio::post(io_, [self = shared_from_this(), gen] { self->end_connection(gen, 0, {}); });
    return OTC_SUCCESS;
  }
  if (state_ != State::kConnected) return OTC_ERR_INVALID_STATE;
  state_ = State::kDisconnecting;
  connection_->send(wire::encode(wire::Disconnect{}));
  const std::uint64_t gen = generation_;
  std::weak_ptr<SessionCore> weak = shared_from_this();
  asio::post(io_, [weak, gen] {
    auto s = weak.lock();
    if (!s) return;
    s->disconnect_timer_->expires_after(kDisconnectLinger);
    s->disconnect_timer_->async_wait([weak, gen](const asio::error_code& ec) {
      if (ec) return;
      if (auto s2 = weak.lock()) s2->end_connection(gen, 0, {});
    });
  });
  return OTC_SUCCESS;
}

void SessionCore::shutdown() {
  gate_.clear();
  std::shared_ptr<Connection> conn;
  std::vector<std::shared_ptr<PublisherCore>> publishers;
  std::vector<std::shared_ptr<SubscriberCore>> subscribers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ == State::kShutDown) return;
    const bool connected = state_ == State::kConnected;
    state_ = State::kShutDown;
    ++generation_;
    conn = std::move(connection_);
    if (conn && connected) conn->send(wire::encode(wire::Disconnect{}));
    take_registries_locked(publishers, subscribers);
    OPENSSL_cleanse(token_.data(), token_.size());
    token_.clear();
    connections_.clear();
  }
  for (auto& p : publishers) p->detach();
  for (auto& s : subscribers) s->detach(false);
  // The DISCONNECT is flushed (bounded wait), then the socket closes without waiting for the
  // router to answer; the I/O thread ends when nothing is left to do.
  asio::post(io_, [this, conn] {
    connect_timer_->cancel();
    disconnect_timer_->cancel();
    reconnect_timer_->cancel();
    resume_timer_->cancel();
    expiry_timer_->cancel();
    backpressure_timer_->cancel();
    if (conn) conn->close_after_flush(std::chrono::milliseconds(500));
  });
  io_guard_.reset();
  io_thread_.join();
  queue_->close();
}

otc_status SessionCore::send_signal(const char* type, const char* data, const char* to) {
  if (!is_valid_c_text(type, wire::kMaxIdBytes, true) || !is_valid_c_text(data, wire::kMaxSignalDataBytes, true) ||
      (to && !is_valid_c_text(to, wire::kMaxIdBytes, true))) {
    return OTC_ERR_INVALID_PARAM;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ != State::kConnected) return OTC_SESSION_NOT_CONNECTED;
  connection_->send(wire::encode(wire::SignalOut{to ? to : "", type, data}));
  return OTC_SUCCESS;
}

otc_status SessionCore::publish(const std::shared_ptr<PublisherCore>& pub) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (state_ != State::kConnected) return OTC_SESSION_NOT_CONNECTED;
  if (e2ee_ && !has_encryption_secret()) {
    lock.unlock();
    pub->post_error(queue_, OTC_SESSION_ENCRYPTION_SECRET_MISSING,
                    "cannot publish in an end-to-end encrypted session without an encryption secret");
    return OTC_SUCCESS;
  }
  otc_status st = OTC_SUCCESS;
  if (!pub->attach(shared_from_this(), queue_, e2ee_, cryptor_, &st)) return st;
  const std::uint32_t id = ++next_publish_id_;
  pending_publishers_[id] = pub;
  connection_->send(wire::encode(publish_message(*pub, id)));
  return OTC_SUCCESS;
}

wire::Publish SessionCore::publish_message(const PublisherCore& pub, std::uint32_t publish_id) const {
  const auto& ps = pub.settings();
  wire::Publish m;
  m.publish_id = publish_id;
  m.name = pub.name();
  m.has_audio = ps.has_audio;
  m.has_video = ps.has_video;
  m.video_codec = static_cast<std::uint8_t>(ps.has_video ? ps.video_codec : 0);
  m.audio_codec = static_cast<std::uint8_t>(ps.has_audio ? ps.audio_codec : 0);
  m.encrypted = e2ee_ ? 1 : 0;
  return m;
}

otc_status SessionCore::unpublish(const std::shared_ptr<PublisherCore>& pub) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!pub->is_attached_to(this)) return OTC_ERR_INVALID_STATE;
  pub->stop_sending();
  const std::string sid = pub->stream_id();
  if (state_ != State::kConnected) return OTC_SUCCESS;
  // A publish still waiting for PUBLISHED is unpublished when the stream id arrives.
  if (!sid.empty()) connection_->send(wire::encode(wire::Unpublish{sid}));
  return OTC_SUCCESS;
}

otc_status SessionCore::subscribe(const std::shared_ptr<SubscriberCore>& sub) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (state_ != State::kConnected) return OTC_SESSION_NOT_CONNECTED;
  const std::string sid = sub->stream().id;
  if (subscribers_.count(sid)) return OTC_ERR_INVALID_STATE;
  if (e2ee_ && !has_encryption_secret()) {
    lock.unlock();
    sub->post_error(queue_, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING,
                    "cannot subscribe to stream " + sid +
                        " in an end-to-end encrypted session without an encryption secret");
    return OTC_SUCCESS;
  }
  const std::uint32_t hold_ms = std::min<std::uint32_t>(settings_.grace_period_ms, OTC_SUBSCRIBER_HOLD_MAX_MS);
  otc_status st = OTC_SUCCESS;
  if (!sub->attach(shared_from_this(), queue_, e2ee_, cryptor_, hold_ms, media_budget_, &st)) return st;
  subscribers_[sid] = sub;
  connection_->send(wire::encode(wire::Subscribe{sid}));
  return OTC_SUCCESS;
}

otc_status SessionCore::unsubscribe(const std::shared_ptr<SubscriberCore>& sub) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!sub->is_attached_to(this)) return OTC_ERR_INVALID_STATE;
    const std::string& sid = sub->stream().id;
    auto it = subscribers_.find(sid);
    if (it != subscribers_.end() && it->second == sub) subscribers_.erase(it);
    resubscribing_.erase(sid);
    if (state_ == State::kConnected) connection_->send(wire::encode(wire::Unsubscribe{sid}));
  }
  sub->detach(true);
  return OTC_SUCCESS;
}

otc_status SessionCore::connection_id(char* out, std::size_t capacity) const {
  if (!out) return OTC_ERR_INVALID_PARAM;
  std::lock_guard<std::mutex> lock(mutex_);
  if (state_ != State::kConnected && state_ != State::kDisconnecting) return OTC_SESSION_NOT_CONNECTED;
  if (connection_id_.size() + 1 > capacity) return OTC_ERR_BUFFER_TOO_SMALL;
  std::memcpy(out, connection_id_.c_str(), connection_id_.size() + 1);
  return OTC_SUCCESS;
}

bool SessionCore::is_e2ee() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return e2ee_;
}

void SessionCore::send_message(std::vector<std::uint8_t> message) {
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected) return;
    conn = connection_;
  }
  conn->send(std::move(message));
}

bool SessionCore::send_media(std::vector<std::uint8_t> message) {
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected) return false;
    conn = connection_;
  }
  if (conn->queued_bytes() > kMaxQueuedMediaBytes) return false;
  conn->send(std::move(message));
  return true;
}

void SessionCore::request_keyframe(const std::string& stream_id) {
  send_message(wire::encode(wire::KeyframeRequest{stream_id}));
}

void SessionCore::take_registries_locked(std::vector<std::shared_ptr<PublisherCore>>& publishers,
                                         std::vector<std::shared_ptr<SubscriberCore>>& subscribers) {
  for (auto& [id, p] : pending_publishers_) publishers.push_back(p);
  for (auto& [id, p] : publishers_) publishers.push_back(p);
  for (auto& [id, s] : subscribers_) subscribers.push_back(s);
  pending_publishers_.clear();
  publishers_.clear();
  subscribers_.clear();
  streams_.clear();
}

}  // namespace otc::client
