// SessionCore, the router's messages on the I/O thread: the handshake (HELLO_ACK, CONNECTED), the
// registries of connections, publishers, streams and subscribers, signals and media frames.
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
#include "wire_buffer.hpp"

namespace otc::client {

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

}  // namespace otc::client
