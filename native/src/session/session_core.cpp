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

bool valid_text(const char* s, std::size_t max_bytes, bool allow_empty) {
  if (!s) return false;
  const std::size_t n = std::strlen(s);
  if (n > max_bytes || (!allow_empty && n == 0)) return false;
  return is_valid_utf8(reinterpret_cast<const std::uint8_t*>(s), n);
}

bool is_fatal(std::uint32_t code) {
  switch (code) {
    case OTC_SESSION_AUTHORIZATION_FAILURE:
    case OTC_SESSION_INVALID_SESSION_ID:
    case OTC_SESSION_PROTOCOL_ERROR:
    case OTC_SESSION_INCOMPATIBLE_PROTOCOL:
    case OTC_E2EE_INCOMPATIBLE_VERSION:
      return true;
    default:
      return false;
  }
}

// Failures that another reconnection attempt cannot fix: the token is refused, the versions
// differ, or a router called the E2EE session plain (hostile: stop, do not shop around). An unknown
// session is not among them: with several nodes, a node answers 1005 while the directory is
// unavailable or before the dead owner's entry expires (docs/PROTOCOL.md sec. 7).
bool ends_reconnection(int code) {
  switch (code) {
    case OTC_SESSION_AUTHORIZATION_FAILURE:
    case OTC_SESSION_INCOMPATIBLE_PROTOCOL:
    case OTC_E2EE_INCOMPATIBLE_VERSION:
    case OTC_SESSION_E2EE_DOWNGRADE:
      return true;
    default:
      return false;
  }
}

std::string router_says(const std::string& what, const std::string& message) {
  return message.empty() ? what : what + ": " + message;
}

}  // namespace

std::shared_ptr<SessionCore> SessionCore::create(const char* application_id, const char* session_id,
                                                 const otc_session_callbacks* callbacks,
                                                 const SessionSettings& settings, otc_status* status) {
  *status = OTC_ERR_INVALID_PARAM;
  if (!callbacks) return nullptr;
  if (application_id && !valid_text(application_id, wire::kMaxIdBytes, true)) return nullptr;
  if (!valid_text(session_id, OTC_SESSION_ID_MAX_BYTES, false)) {
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

template <typename Fn>
void SessionCore::post_callback(Fn fn) {
  auto self = shared_from_this();
  queue_->post([self, fn = std::move(fn)]() mutable {
    if (self->queue_->closing()) return;
    self->gate_.invoke([&](otc_session* h) { fn(h, self->callbacks_); });
  });
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
  if (!valid_text(token, wire::kMaxStrBytes, false)) return OTC_ERR_INVALID_PARAM;
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
    for (auto& [id, p] : pending_publishers_) publishers.push_back(p);
    for (auto& [id, p] : publishers_) publishers.push_back(p);
    for (auto& [id, s] : subscribers_) subscribers.push_back(s);
    pending_publishers_.clear();
    publishers_.clear();
    subscribers_.clear();
    streams_.clear();
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
  if (!valid_text(type, wire::kMaxIdBytes, true) || !valid_text(data, wire::kMaxSignalDataBytes, true) ||
      (to && !valid_text(to, wire::kMaxIdBytes, true))) {
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

// ---- I/O thread ----

void SessionCore::on_open(std::uint64_t gen) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (gen != generation_ || !connection_) return;
  wire::Hello hello;
  hello.e2ee_format_version = static_cast<std::uint16_t>(otc_e2ee_format_version());
  hello.client_name = settings_.client_name.empty() ? std::string("otc-e2ee-c/") + otc_version() : settings_.client_name;
  connection_->send(wire::encode(hello));
}

void SessionCore::on_closed(std::uint64_t gen, CloseKind kind, const std::string& detail) {
  State state;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_) return;
    state = state_;
  }
  switch (kind) {
    case CloseKind::kConnectFailed:
      end_connection(gen, OTC_SESSION_CONNECTION_FAILED, "cannot reach the router: " + detail);
      break;
    case CloseKind::kProtocolError:
      end_connection(gen, OTC_SESSION_PROTOCOL_ERROR, "protocol error from the router: " + detail);
      break;
    case CloseKind::kPeerClosed:
      if (state == State::kDisconnecting) {
        end_connection(gen, 0, {});
      } else if (state == State::kConnecting || state == State::kReconnecting) {
        end_connection(gen, OTC_SESSION_CONNECTION_FAILED, "the router closed the connection during the handshake");
      } else {
        lose_connection(gen, OTC_SESSION_CONNECTION_DROPPED, "the connection to the router was lost: " + detail);
      }
      break;
  }
}

void SessionCore::on_message(std::uint64_t gen, std::vector<std::uint8_t> message) {
  apply_backpressure(gen);
  wire::RouterMessage msg;
  const wire::DecodeStatus st = wire::decode_router_message(message.data(), message.size(), msg);
  if (st != wire::DecodeStatus::kOk) {
    const std::string what = st == wire::DecodeStatus::kUnknownType
                                 ? "unknown message type " + std::to_string(message.empty() ? 0 : message[0])
                                 : "malformed message of type " + std::to_string(message.empty() ? 0 : message[0]);
    end_connection(gen, OTC_SESSION_PROTOCOL_ERROR, "protocol error from the router: " + what);
    return;
  }
  Phase phase;
  State state;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_) return;
    phase = phase_;
    state = state_;
  }
  if (std::holds_alternative<wire::Error>(msg)) {
    handle(gen, std::get<wire::Error>(msg));
    return;
  }
  if (auto* d = std::get_if<wire::Disconnecting>(&msg)) {
    lose_connection(gen, d->code ? static_cast<int>(d->code) : OTC_SESSION_ROUTER_SHUTDOWN,
                    router_says("the router is shutting down", d->message));
    return;
  }
  if (auto* r = std::get_if<wire::Redirect>(&msg)) {
    handle(gen, *r, phase, state);
    return;
  }
  if (phase == Phase::kAwaitHelloAck) {
    if (auto* m = std::get_if<wire::HelloAck>(&msg)) return handle(gen, *m);
    end_connection(gen, OTC_SESSION_PROTOCOL_ERROR, "protocol error: expected HELLO_ACK from the router");
    return;
  }
  if (phase == Phase::kAwaitConnected) {
    if (auto* m = std::get_if<wire::Connected>(&msg)) return handle(gen, *m);
    end_connection(gen, OTC_SESSION_PROTOCOL_ERROR, "protocol error: expected CONNECTED from the router");
    return;
  }
  if (state != State::kConnected && state != State::kDisconnecting) return;
  std::visit(
      [&](auto&& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, wire::HelloAck> || std::is_same_v<T, wire::Connected>) {
          end_connection(gen, OTC_SESSION_PROTOCOL_ERROR, "protocol error: handshake message after the handshake");
        } else if constexpr (std::is_same_v<T, wire::MediaFrame>) {
          handle(std::move(message), std::move(m));
        } else if constexpr (std::is_same_v<T, wire::Nodes>) {
          handle(gen, m);
        } else if constexpr (std::is_same_v<T, wire::Error> || std::is_same_v<T, wire::Disconnecting> ||
                             std::is_same_v<T, wire::Redirect>) {
          // handled above
        } else {
          handle(m);
        }
      },
      msg);
}

void SessionCore::handle(std::uint64_t gen, const wire::HelloAck& m) {
  if (m.protocol_version != wire::kProtocolVersion) {
    end_connection(gen, OTC_SESSION_INCOMPATIBLE_PROTOCOL,
                   "the router speaks protocol version " + std::to_string(m.protocol_version) + ", this client " +
                       std::to_string(wire::kProtocolVersion));
    return;
  }
  if (m.e2ee_format_version != static_cast<std::uint16_t>(otc_e2ee_format_version())) {
    end_connection(gen, OTC_E2EE_INCOMPATIBLE_VERSION,
                   "the router speaks E2EE format version " + std::to_string(m.e2ee_format_version) +
                       ", this client " + std::to_string(otc_e2ee_format_version()));
    return;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (gen != generation_ || !connection_) return;
  phase_ = Phase::kAwaitConnected;
  wire::Connect connect{token_};
  connection_->send(wire::encode(connect));
  // The token is a credential: no extra copy once it is queued (the connection wipes the encoded
  // CONNECT once written). token_ itself stays until CONNECTED: a REDIRECT presents it again.
  OPENSSL_cleanse(connect.token.data(), connect.token.size());
}

void SessionCore::handle(std::uint64_t gen, const wire::Connected& m) {
  if (m.session_id != session_id_) {
    end_connection(gen, OTC_SESSION_INVALID_SESSION_ID,
                   "the router connected this client to another session than " + session_id_);
    return;
  }
  bool downgrade = false;
  bool reconnected = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_) return;
    // Checked under the lock that also marks the session connected: a secret set concurrently is
    // either seen here, or its set_encryption_secret sees the plain session afterwards and ends it.
    // After a reconnection the session must stay what it was: E2EE before means E2EE now.
    downgrade = m.e2ee == 0 && (must_encrypt() || (state_ == State::kReconnecting && e2ee_));
    if (!downgrade) {
      phase_ = Phase::kConnected;
      connection_id_ = m.connection_id;
      connections_[m.connection_id] = make_connection(m.connection_id, m.connection_data, session_id_,
                                                      static_cast<std::int64_t>(m.creation_time_ms));
      e2ee_ = m.e2ee != 0;
      was_connected_ = true;
      if (state_ == State::kConnecting) state_ = State::kConnected;
      if (state_ == State::kReconnecting) {
        state_ = State::kConnected;
        reconnected = true;
      }
      last_url_ = attempt_url_;
      connected_at_ = std::chrono::steady_clock::now();
      move_target_.reset();
      if (settings_.reconnect_timeout_ms == 0) {
        OPENSSL_cleanse(token_.data(), token_.size());
        token_.clear();
      }
    }
  }
  if (downgrade) {
    end_connection(gen, OTC_SESSION_E2EE_DOWNGRADE,
                   settings_.e2ee_required
                       ? "the router reports the session as not end-to-end encrypted, and this client requires E2EE"
                       : "the router reports the session as not end-to-end encrypted while this client holds an "
                         "encryption secret: refusing to send or receive media in clear");
    return;
  }
  connect_timer_->cancel();
  if (log_enabled(OTC_LOG_LEVEL_INFO)) {
    log_line(OTC_LOG_LEVEL_INFO, "session " + session_id_ + ": connected as " + m.connection_id +
                                     (m.e2ee ? " (end-to-end encrypted)" : " (not end-to-end encrypted)"));
  }
  if (reconnected) {
    resume_after_reconnect(gen);
    post_callback([](otc_session* h, const otc_session_callbacks& cb) {
      if (cb.on_reconnected) cb.on_reconnected(h, cb.user_data);
    });
    return;
  }
  post_callback([](otc_session* h, const otc_session_callbacks& cb) {
    if (cb.on_connected) cb.on_connected(h, cb.user_data);
  });
  if (m.e2ee && !otc_e2ee_is_supported()) {
    post_error(OTC_E2EE_NOT_SUPPORTED, "end-to-end encryption is not available in this process");
  }
}

std::shared_ptr<const otc_connection> SessionCore::connection_for(const std::string& id) {
  auto it = connections_.find(id);
  if (it != connections_.end()) return it->second;
  return make_connection(id, "", session_id_, 0);
}

void SessionCore::handle(const wire::ConnectionCreated& m) {
  auto conn = make_connection(m.connection_id, m.connection_data, session_id_,
                              static_cast<std::int64_t>(m.creation_time_ms));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connections_.size() < kMaxKnownConnections || connections_.count(m.connection_id)) {
      connections_[m.connection_id] = conn;
    }
  }
  post_callback([conn](otc_session* h, const otc_session_callbacks& cb) {
    if (cb.on_connection_created) cb.on_connection_created(h, cb.user_data, conn.get());
  });
}

void SessionCore::handle(const wire::ConnectionDropped& m) {
  auto dropped = std::make_shared<otc_connection>();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    *dropped = *connection_for(m.connection_id);
    connections_.erase(m.connection_id);
  }
  dropped->drop_reason = m.reason;
  post_callback([dropped](otc_session* h, const otc_session_callbacks& cb) {
    if (cb.on_connection_dropped) cb.on_connection_dropped(h, cb.user_data, dropped.get());
  });
}

void SessionCore::handle(const wire::Published& m) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pending_publishers_.find(m.publish_id);
  if (it == pending_publishers_.end()) return;
  auto pub = it->second;
  pending_publishers_.erase(it);
  // A republished stream under a new id (the router could not keep the old one): the old id is
  // gone (its STREAM_CREATED will not come, the publisher hears of the change at go_live).
  const std::string previous = pub->stream_id();
  if (!previous.empty() && previous != m.stream_id) streams_.erase(previous);
  pub->set_stream_id(m.stream_id);
  publishers_[m.stream_id] = pub;
  // Unpublished while the PUBLISH was in flight: end the stream as soon as it has an id.
  if (pub->stopped() && connection_) connection_->send(wire::encode(wire::Unpublish{m.stream_id}));
}

void SessionCore::handle(const wire::StreamCreated& m) {
  if (m.e2ee == 0) {
    std::uint64_t gen;
    bool downgrade;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      gen = generation_;
      downgrade = e2ee_ || must_encrypt();
    }
    if (downgrade) {
      end_connection(gen, OTC_SESSION_E2EE_DOWNGRADE,
                     "the router announced stream " + m.stream_id +
                         " as not end-to-end encrypted in a session that must be: disconnected");
      return;
    }
  }
  auto stream = std::make_shared<otc_stream>();
  stream->id = m.stream_id;
  stream->name = m.name;
  stream->connection_id = m.connection_id;
  stream->video_codec = m.video_codec;
  stream->audio_codec = m.audio_codec;
  stream->has_audio = m.has_audio != 0;
  stream->has_video = m.has_video != 0;
  stream->e2ee = m.e2ee != 0;
  stream->creation_time_ms = static_cast<std::int64_t>(m.creation_time_ms);
  std::shared_ptr<const otc_stream> cstream = stream;
  std::shared_ptr<PublisherCore> own;
  bool known = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stream->connection = connection_for(m.connection_id);
    streams_[m.stream_id] = cstream;
    if (m.connection_id == connection_id_) {
      auto it = publishers_.find(m.stream_id);
      if (it != publishers_.end()) own = it->second;
    }
    // Back after a reconnection: the application already knows it; a subscription to it resumes.
    known = awaiting_streams_.erase(m.stream_id) > 0;
    if (known && connection_ && subscribers_.count(m.stream_id)) {
      resubscribing_.insert(m.stream_id);
      connection_->send(wire::encode(wire::Subscribe{m.stream_id}));
    }
  }
  if (own) {
    std::shared_ptr<const otc_stream> previous;
    switch (own->go_live(cstream, &previous)) {
      case PublisherCore::GoLive::kFirst:
        own->post_stream_created(cstream);
        break;
      case PublisherCore::GoLive::kResumed:
        if (previous) {
          own->post_stream_destroyed(queue_, previous);
          own->post_stream_created(cstream);
        }
        // Subscribers (re)joining on this node need a keyframe to start decoding.
        if (own->settings().has_video) own->post_keyframe_requested(false);
        break;
      case PublisherCore::GoLive::kNotLive:
        break;
    }
    return;
  }
  if (m.connection_id == connection_id_ || known) return;
  post_callback([cstream](otc_session* h, const otc_session_callbacks& cb) {
    if (cb.on_stream_received) cb.on_stream_received(h, cb.user_data, cstream.get());
  });
}

void SessionCore::handle(const wire::StreamDestroyed& m) {
  std::shared_ptr<const otc_stream> stream;
  std::shared_ptr<PublisherCore> pub;
  std::shared_ptr<SubscriberCore> sub;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    awaiting_streams_.erase(m.stream_id);
    resubscribing_.erase(m.stream_id);
    auto s = streams_.find(m.stream_id);
    if (s != streams_.end()) {
      stream = s->second;
      streams_.erase(s);
    }
    auto p = publishers_.find(m.stream_id);
    if (p != publishers_.end()) {
      pub = p->second;
      publishers_.erase(p);
    }
    auto b = subscribers_.find(m.stream_id);
    if (b != subscribers_.end()) {
      sub = b->second;
      subscribers_.erase(b);
    }
  }
  if (pub) {
    pub->post_stream_destroyed(queue_, stream ? stream : pub->stream());
    pub->detach();
  }
  if (sub) sub->detach(true);
  if (stream && !pub) {
    auto dropped = std::make_shared<otc_stream>(*stream);
    dropped->drop_reason = m.reason;
    post_callback([dropped](otc_session* h, const otc_session_callbacks& cb) {
      if (cb.on_stream_dropped) cb.on_stream_dropped(h, cb.user_data, dropped.get());
    });
  }
}

void SessionCore::handle(const wire::Subscribed& m) {
  std::shared_ptr<SubscriberCore> sub;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = subscribers_.find(m.stream_id);
    if (it == subscribers_.end()) return;
    // A resubscription after a reconnection: the application saw on_connected already.
    if (resubscribing_.erase(m.stream_id) > 0) return;
    sub = it->second;
  }
  sub->post_subscribed();
}

void SessionCore::handle(std::vector<std::uint8_t>&& message, wire::MediaFrame&& m) {
  std::shared_ptr<SubscriberCore> sub;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = subscribers_.find(m.stream_id);
    if (it == subscribers_.end()) return;
    sub = it->second;
  }
  sub->post_media(std::move(message), std::move(m));
}

void SessionCore::handle(const wire::KeyframeRequest& m) {
  std::shared_ptr<PublisherCore> pub;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = publishers_.find(m.stream_id);
    if (it == publishers_.end()) return;
    pub = it->second;
  }
  pub->post_keyframe_requested();
}

void SessionCore::handle(const wire::SignalIn& m) {
  std::shared_ptr<const otc_connection> from;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    from = connection_for(m.from_connection_id);
  }
  post_callback([m, from](otc_session* h, const otc_session_callbacks& cb) {
    if (cb.on_signal_received) cb.on_signal_received(h, cb.user_data, m.type.c_str(), m.data.c_str(), from.get());
  });
}

void SessionCore::handle(std::uint64_t gen, const wire::Error& m) {
  const int code = static_cast<int>(m.code);
  if (is_fatal(m.code)) {
    end_connection(gen, code, router_says("the router refused the connection", m.message));
    return;
  }
  std::shared_ptr<PublisherCore> pub;
  std::shared_ptr<SubscriberCore> sub;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_) return;
    // The context names what the error is about: a publish id (decimal) or a stream id.
    if (!m.context.empty() && m.context.find_first_not_of("0123456789") == std::string::npos &&
        m.context.size() <= 10) {
      const std::uint64_t id = std::stoull(m.context);
      auto it = pending_publishers_.find(static_cast<std::uint32_t>(id));
      if (id <= UINT32_MAX && it != pending_publishers_.end()) {
        pub = it->second;
        pending_publishers_.erase(it);
      }
    }
    if (!pub) {
      auto s = subscribers_.find(m.context);
      if (s != subscribers_.end()) {
        sub = s->second;
        // A refused subscription (unknown stream, role) ends it.
        if (code == OTC_STREAM_NOT_FOUND || code == OTC_SESSION_PERMISSION_DENIED) subscribers_.erase(s);
      }
    }
    if (!pub && !sub) {
      auto p = publishers_.find(m.context);
      if (p != publishers_.end()) pub = p->second;
    }
  }
  const std::string text = router_says("the router refused the request", m.message);
  if (pub) {
    pub->post_error(queue_, code, text);
    if (pub->suspended()) {
      // A refused re-PUBLISH after a reconnection: the stream the application knew is over.
      pub->post_stream_destroyed(queue_, pub->stream());
      pub->detach();
    } else if (!pub->stream()) {
      pub->detach();  // a refused PUBLISH: no stream will come
    }
    return;
  }
  if (sub) {
    sub->post_error(queue_, code, text);
    if (code == OTC_STREAM_NOT_FOUND || code == OTC_SESSION_PERMISSION_DENIED) sub->detach(false);
    return;
  }
  // STREAM_NOT_FOUND about a stream no object here knows any more answers a request that crossed
  // the stream's end (e.g. UNSUBSCRIBE racing STREAM_DESTROYED): nothing the application can act on.
  if (code == OTC_STREAM_NOT_FOUND && !m.context.empty()) return;
  post_error(code, text);
}

void SessionCore::end_connection(std::uint64_t gen, int error_code, const std::string& message) {
  bool retry;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_) return;
    retry = state_ == State::kReconnecting && error_code != 0 && !ends_reconnection(error_code);
  }
  if (retry) {
    retry_later(gen);
    return;
  }
  teardown(gen, error_code, message);
}

// ---- Redirect and reconnection ----

void SessionCore::handle(std::uint64_t gen, const wire::Redirect& m, Phase phase, State state) {
  if (state == State::kDisconnecting) {
    end_connection(gen, 0, {});
    return;
  }
  // reason 1 answers CONNECT (instead of CONNECTED), reason 2 comes after CONNECTED: anything
  // else is a router that does not follow the protocol.
  const std::uint8_t expected = phase == Phase::kAwaitConnected ? wire::kRedirectNotOwner
                           : phase == Phase::kConnected     ? wire::kRedirectDraining
                                                            : 0;
  if (m.reason != expected) {
    end_connection(gen, OTC_SESSION_PROTOCOL_ERROR,
                   "protocol error: REDIRECT with reason " + std::to_string(m.reason) +
                       (phase == Phase::kConnected ? " after CONNECTED" : " before CONNECTED"));
    return;
  }
  const auto url = parse_router_supplied_url(m.url, url_.tls);
  if (!url) {
    end_connection(gen, OTC_SESSION_PROTOCOL_ERROR,
                   url_.tls ? "protocol error: the router redirected to something else than a tls://HOST:PORT URL"
                            : "protocol error: the router redirected to something else than a tcp:// or tls:// "
                              "HOST:PORT URL");
    return;
  }
  if (m.reason == wire::kRedirectDraining) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (gen != generation_) return;
      move_target_ = *url;
    }
    lose_connection(gen, OTC_SESSION_CONNECTION_DROPPED, "the router node is draining and asked this client to move");
    return;
  }
  std::shared_ptr<Connection> old;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_) return;
    if (redirects_ < 1) {
      ++redirects_;
      old = std::move(connection_);
      open_connection_locked(*url, std::chrono::milliseconds(settings_.connect_timeout_ms));
    }
  }
  if (!old) {
    // Two routers pointing at each other (or a hostile one) must not keep the client going round.
    end_connection(gen, OTC_SESSION_CONNECTION_FAILED,
                   "the router redirected this client a second time in one connect attempt (at most one "
                   "redirect is followed)");
    return;
  }
  old->close();
}

void SessionCore::handle(std::uint64_t gen, const wire::Nodes& m) {
  std::vector<RouterUrl> urls;
  urls.reserve(m.urls.size());  // at most wire::kMaxNodes, checked by the decoder
  for (const auto& u : m.urls) {
    auto url = parse_router_supplied_url(u, url_.tls);
    if (!url) {
      end_connection(gen, OTC_SESSION_PROTOCOL_ERROR,
                     url_.tls ? "protocol error: NODES names something else than a tls://HOST:PORT URL"
                              : "protocol error: NODES names something else than a tcp:// or tls:// HOST:PORT URL");
      return;
    }
    urls.push_back(std::move(*url));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (gen != generation_) return;
  nodes_ = std::move(urls);
}

std::chrono::milliseconds SessionCore::backoff(std::uint32_t attempt) {
  // 100 ms doubling up to 2 s, each drawn in [3/4, 1] of that so clients of one failed node do
  // not all come back in step.
  const std::uint32_t full = std::min<std::uint32_t>(2000u, 100u << std::min<std::uint32_t>(attempt, 5u));
  std::uniform_int_distribution<std::uint32_t> pick(full * 3 / 4, full);
  return std::chrono::milliseconds(pick(jitter_));
}

void SessionCore::lose_connection(std::uint64_t gen, int error_code, const std::string& message) {
  std::shared_ptr<Connection> conn;
  std::chrono::milliseconds first_delay{0};
  bool reconnect;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_) return;
    reconnect = state_ == State::kConnected && connection_ && settings_.reconnect_timeout_ms > 0 && !token_.empty();
    if (reconnect) {
      state_ = State::kReconnecting;
      ++generation_;
      conn = std::move(connection_);
      phase_ = Phase::kAwaitHelloAck;
      reconnect_deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.reconnect_timeout_ms);
      reconnect_attempt_ = 0;
      for (auto& [id, p] : publishers_) p->suspend();
      for (auto& [id, st] : streams_) {
        if (!publishers_.count(id)) awaiting_streams_.insert(id);
      }
      resubscribing_.clear();
      // A node that asked to move named where to go: no reason to wait, unless the previous
      // connection(s) also ended right after CONNECTED. Otherwise back off.
      const auto now = std::chrono::steady_clock::now();
      quick_losses_ = now - connected_at_ < kStableConnection ? quick_losses_ + 1 : 0;
      if (!move_target_ || quick_losses_ > 0) first_delay = backoff(quick_losses_);
    }
  }
  if (!reconnect) {
    end_connection(gen, error_code, message);
    return;
  }
  connect_timer_->cancel();
  resume_timer_->cancel();
  conn->close();
  post_callback([](otc_session* h, const otc_session_callbacks& cb) {
    if (cb.on_reconnection_started) cb.on_reconnection_started(h, cb.user_data);
  });
  schedule_attempt(first_delay);
}

void SessionCore::retry_later(std::uint64_t gen) {
  std::shared_ptr<Connection> conn;
  bool give_up = false;
  std::uint64_t now_gen;
  std::chrono::milliseconds delay{0};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_ || state_ != State::kReconnecting) return;
    now_gen = ++generation_;
    conn = std::move(connection_);
    phase_ = Phase::kAwaitHelloAck;
    const auto now = std::chrono::steady_clock::now();
    if (now >= reconnect_deadline_) {
      give_up = true;
    } else {
      delay = std::min(backoff(reconnect_attempt_),
                       std::chrono::duration_cast<std::chrono::milliseconds>(reconnect_deadline_ - now));
    }
  }
  connect_timer_->cancel();
  if (conn) conn->close();
  if (give_up) {
    teardown(now_gen, OTC_SESSION_CONNECTION_DROPPED,
             "the connection to the router was lost and could not be re-established within " +
                 std::to_string(settings_.reconnect_timeout_ms) + " ms");
    return;
  }
  schedule_attempt(delay);
}

void SessionCore::schedule_attempt(std::chrono::milliseconds delay) {
  std::weak_ptr<SessionCore> weak = shared_from_this();
  reconnect_timer_->expires_after(delay);
  reconnect_timer_->async_wait([weak](const asio::error_code& ec) {
    if (ec) return;
    if (auto s = weak.lock()) s->start_attempt();
  });
}

void SessionCore::start_attempt() {
  std::uint64_t gen;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kReconnecting || connection_) return;
    gen = generation_;
    const auto now = std::chrono::steady_clock::now();
    if (now < reconnect_deadline_) {
      // Where to try, in turn: the node named by a draining REDIRECT, the last node, the URL the
      // session was created with, then the other live nodes the router listed.
      std::vector<RouterUrl> candidates;
      auto add = [&](const RouterUrl& u) {
        if (std::find(candidates.begin(), candidates.end(), u) == candidates.end()) candidates.push_back(u);
      };
      if (move_target_) add(*move_target_);
      if (!last_url_.host.empty()) add(last_url_);
      add(url_);
      for (const auto& n : nodes_) add(n);
      const RouterUrl target = candidates[reconnect_attempt_++ % candidates.size()];
      redirects_ = 0;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(reconnect_deadline_ - now);
      open_connection_locked(target, std::max(std::chrono::milliseconds(1),
                                              std::min(std::chrono::milliseconds(settings_.connect_timeout_ms), left)));
      return;
    }
  }
  teardown(gen, OTC_SESSION_CONNECTION_DROPPED,
           "the connection to the router was lost and could not be re-established within " +
               std::to_string(settings_.reconnect_timeout_ms) + " ms");
}

void SessionCore::resume_after_reconnect(std::uint64_t gen) {
  std::vector<std::shared_ptr<PublisherCore>> ended;
  bool awaiting;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_ || !connection_) return;
    // A PUBLISH that was never answered goes again under its publish id, as a new stream.
    for (auto& [id, p] : pending_publishers_) connection_->send(wire::encode(publish_message(*p, id)));
    // Live streams are published again asking for their stream id: subscribers elsewhere keep
    // their subscription and the frames keep their stream id (and the cryptor its counter).
    for (auto& [sid, p] : publishers_) {
      if (p->stopped()) {  // unpublished while reconnecting
        ended.push_back(p);
        streams_.erase(sid);
        continue;
      }
      const std::uint32_t id = ++next_publish_id_;
      pending_publishers_[id] = p;
      wire::Publish m = publish_message(*p, id);
      m.resume_stream_id = sid;
      connection_->send(wire::encode(m));
    }
    publishers_.clear();
    awaiting = !awaiting_streams_.empty();
  }
  for (auto& p : ended) {
    p->post_stream_destroyed(queue_, p->stream());
    p->detach();
  }
  if (!awaiting) return;
  // Other participants may be reconnecting too: their streams get as long as this client had.
  std::weak_ptr<SessionCore> weak = shared_from_this();
  resume_timer_->expires_after(std::chrono::milliseconds(settings_.reconnect_timeout_ms));
  resume_timer_->async_wait([weak](const asio::error_code& ec) {
    if (ec) return;
    if (auto s = weak.lock()) s->expire_awaiting_streams();
  });
}

void SessionCore::expire_awaiting_streams() {
  std::vector<std::string> gone;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected) return;
    gone.assign(awaiting_streams_.begin(), awaiting_streams_.end());
  }
  for (const auto& id : gone) handle(wire::StreamDestroyed{id, OTC_STREAM_DROP_PUBLISHER_LEFT});
}

void SessionCore::teardown(std::uint64_t gen, int error_code, const std::string& message) {
  std::shared_ptr<Connection> conn;
  std::vector<std::shared_ptr<PublisherCore>> publishers;
  std::vector<std::shared_ptr<SubscriberCore>> subscribers;
  bool notify_disconnected;
  bool report;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (gen != generation_ || state_ == State::kShutDown || state_ == State::kIdle) return;
    const bool user_initiated = state_ == State::kDisconnecting;
    notify_disconnected = was_connected_ || user_initiated;
    report = error_code != 0 && !user_initiated;
    ++generation_;
    state_ = State::kIdle;
    conn = std::move(connection_);
    for (auto& [id, p] : pending_publishers_) publishers.push_back(p);
    for (auto& [id, p] : publishers_) publishers.push_back(p);
    for (auto& [id, s] : subscribers_) subscribers.push_back(s);
    pending_publishers_.clear();
    publishers_.clear();
    subscribers_.clear();
    streams_.clear();
    awaiting_streams_.clear();
    resubscribing_.clear();
    nodes_.clear();
    move_target_.reset();
    connections_.clear();
    connection_id_.clear();
    was_connected_ = false;
    OPENSSL_cleanse(token_.data(), token_.size());
    token_.clear();
  }
  connect_timer_->cancel();
  disconnect_timer_->cancel();
  reconnect_timer_->cancel();
  resume_timer_->cancel();
  if (conn) conn->close();
  if (report) post_error(error_code, message);
  for (auto& p : publishers) {
    if (auto s = p->stream()) p->post_stream_destroyed(queue_, s);
    p->detach();
  }
  for (auto& s : subscribers) s->detach(true);
  if (notify_disconnected) {
    post_callback([](otc_session* h, const otc_session_callbacks& cb) {
      if (cb.on_disconnected) cb.on_disconnected(h, cb.user_data);
    });
  }
}

}  // namespace otc::client
