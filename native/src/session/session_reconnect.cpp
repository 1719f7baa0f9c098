// SessionCore, how a connection ends (I/O thread): router errors, REDIRECT and NODES, losing an
// established connection and reconnecting with backoff (docs/PROTOCOL.md "Client: redirect and
// reconnection"), and the end of the session.
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
namespace {

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

}  // namespace

std::string SessionCore::router_says(const std::string& what, const std::string& message) {
  return message.empty() ? what : what + ": " + message;
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
    take_registries_locked(publishers, subscribers);
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
