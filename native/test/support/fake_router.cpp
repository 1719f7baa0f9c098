#include "fake_router.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

#include "session/protocol.hpp"

namespace otc_test {

namespace wire = otc::client::wire;

FakeRouter::FakeRouter() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 4) != 0) {
    throw std::runtime_error("bind/listen failed");
  }
}

FakeRouter::~FakeRouter() {
  close_client();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string FakeRouter::url() const {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  return "tcp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
}

bool FakeRouter::accept(std::chrono::milliseconds timeout) {
  pollfd p{listen_fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return false;
  close_client();  // a reconnecting client: the previous connection is over
  buffer_.clear();
  client_fd_ = ::accept(listen_fd_, nullptr, nullptr);
  return client_fd_ >= 0;
}

std::optional<std::vector<std::uint8_t>> FakeRouter::read(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (buffer_.size() >= 4) {
      const std::uint32_t len = (std::uint32_t{buffer_[0]} << 24) | (std::uint32_t{buffer_[1]} << 16) |
                                (std::uint32_t{buffer_[2]} << 8) | buffer_[3];
      if (buffer_.size() >= 4 + std::size_t{len}) {
        std::vector<std::uint8_t> msg(buffer_.begin() + 4, buffer_.begin() + 4 + len);
        buffer_.erase(buffer_.begin(), buffer_.begin() + 4 + len);
        return msg;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (client_fd_ < 0 || left.count() <= 0) return std::nullopt;
    pollfd p{client_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) != 1) return std::nullopt;
    std::uint8_t chunk[65536];
    const ssize_t n = ::recv(client_fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    buffer_.insert(buffer_.end(), chunk, chunk + n);
  }
}

std::optional<std::vector<std::uint8_t>> FakeRouter::read_until(std::uint8_t type, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto m = read(left);
    if (!m) return std::nullopt;
    if (!m->empty() && (*m)[0] == type) return m;
  }
}

bool FakeRouter::send(const std::vector<std::uint8_t>& framed) {
  std::size_t done = 0;
  while (done < framed.size()) {
    if (client_fd_ < 0) return false;
    const ssize_t n = ::send(client_fd_, framed.data() + done, framed.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool FakeRouter::send_within(const std::vector<std::uint8_t>& framed, std::chrono::milliseconds stall,
                             std::size_t* written) {
  std::size_t done = 0;
  struct Report {
    std::size_t& done;
    std::size_t* out;
    ~Report() {
      if (out) *out = done;
    }
  } report{done, written};
  while (done < framed.size()) {
    if (client_fd_ < 0) return false;
    pollfd p{client_fd_, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(stall.count())) != 1) return false;
    const ssize_t n = ::send(client_fd_, framed.data() + done, framed.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool FakeRouter::handshake(const std::string& session_id, bool e2ee, const std::string& connection_id) {
  if (client_fd_ < 0 && !accept()) return false;
  if (!read_until(static_cast<std::uint8_t>(wire::MsgType::kHello))) return false;
  wire::HelloAck ack;
  ack.protocol_version = wire::kProtocolVersion;
  ack.e2ee_format_version = 1;
  ack.router_name = "fake";
  if (!send(wire::encode(ack))) return false;
  if (!read_until(static_cast<std::uint8_t>(wire::MsgType::kConnect))) return false;
  wire::Connected c;
  c.connection_id = connection_id;
  c.session_id = session_id;
  c.e2ee = e2ee ? 1 : 0;
  c.role = 1;
  return send(wire::encode(c));
}

void FakeRouter::close_client() {
  if (client_fd_ >= 0) {
    ::close(client_fd_);
    client_fd_ = -1;
  }
}

}  // namespace otc_test
