// A scripted router for session tests (docs/PROTOCOL.md framing, plain TCP on loopback): the test
// plays the router's part message by message, including what a hostile router would do. One
// client connection; blocking sockets with timeouts, so a test can also stop reading to apply
// back-pressure to the client.
#ifndef OTC_TEST_FAKE_ROUTER_HPP
#define OTC_TEST_FAKE_ROUTER_HPP

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace otc_test {

class FakeRouter {
 public:
  FakeRouter();
  ~FakeRouter();
  FakeRouter(const FakeRouter&) = delete;
  FakeRouter& operator=(const FakeRouter&) = delete;

  std::string url() const;
  // Waits for the client's (next) TCP connection; a previous one is closed.
  bool accept(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next message (type byte first, no length prefix); nullopt on timeout or close.
  std::optional<std::vector<std::uint8_t>> read(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The next message of `type`, skipping others; nullopt on timeout or close.
  std::optional<std::vector<std::uint8_t>> read_until(std::uint8_t type,
                                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Writes a framed message (as the wire encoders return it); false once the client is gone.
  bool send(const std::vector<std::uint8_t>& framed);
  // Like send, but gives up (false) when the client has not made room for the rest within
  // `stall` (it stopped reading: back-pressure); *written (if given) tells how much of it went out.
  bool send_within(const std::vector<std::uint8_t>& framed, std::chrono::milliseconds stall,
                   std::size_t* written = nullptr);
  // HELLO -> HELLO_ACK, CONNECT -> CONNECTED(e2ee), as the real router does.
  bool handshake(const std::string& session_id, bool e2ee, const std::string& connection_id = "router-side-1");
  void close_client();

 private:
  int listen_fd_ = -1;
  int client_fd_ = -1;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace otc_test

#endif
