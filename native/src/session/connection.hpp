// One transport connection to the router: TCP, or TLS over TCP (asio::ssl), carrying
// length-prefixed protocol messages. Everything but send() runs on the session's I/O thread;
// send() may be called from any thread and keeps messages in order.
#ifndef OTC_SRC_SESSION_CONNECTION_HPP
#define OTC_SRC_SESSION_CONNECTION_HPP

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "router_url.hpp"

namespace otc::client {

struct TlsOptions {
  std::string ca_file;   // empty: system trust store (unless ca_pem is set)
  std::string ca_pem;
  bool verify_hostname = true;
};

enum class CloseKind {
  kConnectFailed,  // resolve, TCP connect or TLS handshake failed
  kProtocolError,  // the router sent a length outside 1 .. 4 MiB
  kPeerClosed,     // EOF or reset after the connection was open
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  struct Handlers {
    std::function<void()> on_open;
    std::function<void(std::vector<std::uint8_t> message)> on_message;  // type byte first, no length prefix
    std::function<void(CloseKind kind, std::string detail)> on_closed;
  };

  Connection(asio::io_context& io, RouterUrl url, TlsOptions tls, Handlers handlers);
  ~Connection();

  // I/O thread: resolve, connect, TLS handshake, then the read loop.
  void start();
  // Any thread. Messages are written in call order; after close they are discarded.
  void send(std::vector<std::uint8_t> message);
  // Bytes queued but not yet handed to the socket.
  std::size_t queued_bytes() const;
  // I/O thread: stop reading after the message being handled (back-pressure: the router's
  // writes then block in TCP), and start again.
  void pause_reading();
  void resume_reading();
  bool reading_paused() const { return paused_; }
  // I/O thread: closes the socket at once; no handler is called afterwards.
  void close();
  // I/O thread: closes once everything queued is written, or after `linger` at the latest (a
  // router that stopped reading must not hold up a delete).
  void close_after_flush(std::chrono::milliseconds linger);

 private:
  void on_resolved(const asio::error_code& ec, asio::ip::tcp::resolver::results_type results);
  void on_connected(const asio::error_code& ec);
  void enable_dead_peer_detection();
  void read_header();
  void read_body(std::uint32_t len);
  void write_next();
  void fail(CloseKind kind, std::string detail);
  asio::ip::tcp::socket& tcp();

  template <typename Fn>
  void with_stream(Fn&& fn) {
    if (tls_) {
      fn(*tls_);
    } else {
      fn(socket_);
    }
  }

  asio::io_context& io_;
  RouterUrl url_;
  TlsOptions tls_options_;
  Handlers handlers_;
  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;
  std::unique_ptr<asio::ssl::context> ssl_ctx_;
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket>> tls_;
  std::array<std::uint8_t, 4> header_{};
  std::vector<std::uint8_t> body_;
  bool open_ = false;
  bool paused_ = false;        // I/O thread
  bool read_pending_ = false;  // I/O thread: paused between two messages, the next header read not started
  bool closed_ = false;  // I/O thread view
  bool close_when_flushed_ = false;
  asio::steady_timer linger_timer_;

  mutable std::mutex write_mutex_;
  std::deque<std::vector<std::uint8_t>> write_queue_;
  std::vector<std::vector<std::uint8_t>> in_flight_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool write_closed_ = false;
};

}  // namespace otc::client

#endif
