#include "connection.hpp"

#if defined(__linux__)
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

#include <openssl/crypto.h>

#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "otc/capabilities.h"
#include "protocol.hpp"
#include "wire_buffer.hpp"

namespace otc::client {

Connection::Connection(asio::io_context& io, RouterUrl url, TlsOptions tls, Handlers handlers)
    : io_(io),
      url_(std::move(url)),
      tls_options_(std::move(tls)),
      handlers_(std::move(handlers)),
      resolver_(io),
      socket_(io),
      linger_timer_(io) {}

Connection::~Connection() = default;

asio::ip::tcp::socket& Connection::tcp() { return tls_ ? tls_->next_layer() : socket_; }

void Connection::start() {
  auto self = shared_from_this();
  if (url_.tls) {
    try {
      // OpenSSL loads its configuration once, on the first initialisation: the crypto core's must
      // come first (without openssl.cnf, otc/capabilities.h) or SSL_CTX_new would load the host's
      // file into our private libcrypto.
      (void)otc_e2ee_is_supported();
      ssl_ctx_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
      ssl_ctx_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1);
      if (!tls_options_.ca_pem.empty()) {
        ssl_ctx_->add_certificate_authority(asio::buffer(tls_options_.ca_pem));
      } else if (!tls_options_.ca_file.empty()) {
        ssl_ctx_->load_verify_file(tls_options_.ca_file);
      } else {
        ssl_ctx_->set_default_verify_paths();
      }
      ssl_ctx_->set_verify_mode(asio::ssl::verify_peer);
      tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(io_, *ssl_ctx_);
      if (tls_options_.verify_hostname) {
        tls_->set_verify_callback(asio::ssl::host_name_verification(url_.host));
      }
      // SNI, so that a router behind a name-based TLS terminator gets the right certificate.
      SSL_set_tlsext_host_name(tls_->native_handle(), url_.host.c_str());
    } catch (const std::exception& e) {
      asio::post(io_, [self, what = std::string(e.what())] {
        self->fail(CloseKind::kConnectFailed, "TLS setup failed: " + what);
      });
      return;
    }
  }
  resolver_.async_resolve(url_.host, std::to_string(url_.port),
                          [self](const asio::error_code& ec, asio::ip::tcp::resolver::results_type r) {
                            self->on_resolved(ec, std::move(r));
                          });
}

void Connection::on_resolved(const asio::error_code& ec, asio::ip::tcp::resolver::results_type results) {
  if (closed_) return;
  if (ec) {
    fail(CloseKind::kConnectFailed, "cannot resolve " + url_.host + ": " + ec.message());
    return;
  }
  auto self = shared_from_this();
  asio::async_connect(tcp(), results, [self](const asio::error_code& e, const asio::ip::tcp::endpoint&) {
    self->on_connected(e);
  });
}

void Connection::on_connected(const asio::error_code& ec) {
  if (closed_) return;
  if (ec) {
    fail(CloseKind::kConnectFailed,
         "cannot connect to " + url_.host + ":" + std::to_string(url_.port) + ": " + ec.message());
    return;
  }
  asio::error_code ignored;
  tcp().set_option(asio::ip::tcp::no_delay(true), ignored);
  enable_dead_peer_detection();
  auto self = shared_from_this();
  auto opened = [self] {
    {
      std::lock_guard<std::mutex> lock(self->write_mutex_);
      self->open_ = true;
      if (!self->write_queue_.empty() && !self->writing_) {
        self->writing_ = true;
        asio::post(self->io_, [self] { self->write_next(); });
      }
    }
    if (self->handlers_.on_open) self->handlers_.on_open();
    if (self->closed_) return;
    self->read_header();
  };
  if (tls_) {
    tls_->async_handshake(asio::ssl::stream_base::client, [self, opened](const asio::error_code& e) {
      if (self->closed_) return;
      if (e) {
        self->fail(CloseKind::kConnectFailed, "TLS handshake with " + self->url_.host + " failed: " + e.message());
        return;
      }
      opened();
    });
  } else {
    opened();
  }
}

void Connection::enable_dead_peer_detection() {
  // The protocol has no heartbeat: a router that vanishes without a FIN or RST (power loss, a
  // partition) would otherwise leave the session "connected" forever. Keepalive probes find an
  // idle dead peer, TCP_USER_TIMEOUT one that stops acknowledging what we send.
  asio::error_code ignored;
  tcp().set_option(asio::socket_base::keep_alive(true), ignored);
#if defined(__linux__)
  const int fd = tcp().native_handle();
  const int idle_s = 10, interval_s = 2, probes = 3;
  const unsigned user_timeout_ms = 20000;
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval_s, sizeof interval_s);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
  ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
#endif
}

void Connection::read_header() {
  auto self = shared_from_this();
  with_stream([&](auto& s) {
    asio::async_read(s, asio::buffer(header_), [self](const asio::error_code& ec, std::size_t) {
      if (self->closed_) return;
      if (ec) {
        self->fail(CloseKind::kPeerClosed, ec.message());
        return;
      }
      const std::uint32_t len = get_u32(self->header_.data());
      if (!wire::valid_length(len)) {
        self->fail(CloseKind::kProtocolError, "message length " + std::to_string(len) + " outside 1..4194304");
        return;
      }
      self->read_body(len);
    });
  });
}

void Connection::read_body(std::uint32_t len) {
  // A fresh buffer per message: it moves to the session (and on to the callback thread) without a copy.
  body_.resize(len);
  auto self = shared_from_this();
  with_stream([&](auto& s) {
    asio::async_read(s, asio::buffer(body_), [self](const asio::error_code& ec, std::size_t) {
      if (self->closed_) return;
      if (ec) {
        self->fail(CloseKind::kPeerClosed, ec.message());
        return;
      }
      std::vector<std::uint8_t> msg;
      msg.swap(self->body_);
      if (self->handlers_.on_message) self->handlers_.on_message(std::move(msg));
      if (self->closed_) return;
      if (self->paused_) {
        self->read_pending_ = true;
        return;
      }
      self->read_header();
    });
  });
}

void Connection::send(std::vector<std::uint8_t> message) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  if (write_closed_) return;
  queued_bytes_ += message.size();
  write_queue_.push_back(std::move(message));
  // Before the connection is open the queue only fills; opening starts the writer.
  if (!writing_ && open_) {
    writing_ = true;
    asio::post(io_, [self = shared_from_this()] { self->write_next(); });
  }
}

std::size_t Connection::queued_bytes() const {
  std::lock_guard<std::mutex> lock(write_mutex_);
  return queued_bytes_;
}

void Connection::write_next() {
  if (closed_) return;
  std::vector<asio::const_buffer> buffers;
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    // A CONNECT carries the token (a credential): wipe it once written, not just free it.
    for (auto& m : in_flight_) {
      if (m.size() > wire::kLengthPrefix && m[wire::kLengthPrefix] == static_cast<std::uint8_t>(wire::MsgType::kConnect)) {
        OPENSSL_cleanse(m.data(), m.size());
      }
    }
    in_flight_.clear();
    // Gather everything queued into one write: one syscall for a burst of small messages.
    while (!write_queue_.empty() && in_flight_.size() < 64) {
      queued_bytes_ -= write_queue_.front().size();
      in_flight_.push_back(std::move(write_queue_.front()));
      write_queue_.pop_front();
    }
    if (in_flight_.empty()) {
      writing_ = false;
    }
  }
  if (in_flight_.empty()) {
    if (close_when_flushed_) close();
    return;
  }
  buffers.reserve(in_flight_.size());
  for (const auto& m : in_flight_) buffers.emplace_back(asio::buffer(m));
  auto self = shared_from_this();
  with_stream([&](auto& s) {
    asio::async_write(s, buffers, [self](const asio::error_code& ec, std::size_t) {
      if (self->closed_) return;
      if (ec) {
        self->fail(CloseKind::kPeerClosed, ec.message());
        return;
      }
      self->write_next();
    });
  });
}

void Connection::fail(CloseKind kind, std::string detail) {
  if (closed_) return;
  auto on_closed = std::move(handlers_.on_closed);
  close();
  if (on_closed) on_closed(kind, std::move(detail));
}

void Connection::pause_reading() { paused_ = true; }

void Connection::resume_reading() {
  paused_ = false;
  if (read_pending_ && !closed_) {
    read_pending_ = false;
    read_header();
  }
}

void Connection::close_after_flush(std::chrono::milliseconds linger) {
  if (closed_) return;
  bool idle;
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    idle = !open_ || (!writing_ && write_queue_.empty());
    write_closed_ = true;  // nothing new after the goodbye
  }
  if (idle) {
    close();
    return;
  }
  close_when_flushed_ = true;
  linger_timer_.expires_after(linger);
  linger_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (!ec) self->close();
  });
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  linger_timer_.cancel();
  {
    std::lock_guard<std::mutex> lock(write_mutex_);
    write_closed_ = true;
    write_queue_.clear();
    queued_bytes_ = 0;
  }
  asio::error_code ignored;
  resolver_.cancel();
  tcp().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  tcp().close(ignored);
  // The handlers hold the session; dropping them breaks the session <-> connection cycle. Posted,
  // because close() may run inside one of them.
  asio::post(io_, [self = shared_from_this()] { self->handlers_ = Handlers{}; });
}

}  // namespace otc::client
