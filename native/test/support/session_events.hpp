// Records the callbacks of one session, its publisher and its subscriber, for session tests that
// drive the C API against a FakeRouter; waits poll with generous timeouts.
#ifndef OTC_TEST_SESSION_EVENTS_HPP
#define OTC_TEST_SESSION_EVENTS_HPP

#include <otc/otc.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace otc_test {

struct SessionEvents {
  std::mutex mu;
  std::condition_variable cv;
  int connected = 0, disconnected = 0;
  std::vector<int> session_errors, publisher_errors, subscriber_errors;
  std::vector<std::string> streams_received;  // stream ids
  std::vector<otc_stream*> stream_copies;     // owned (otc_stream_copy)
  int stream_created = 0, subscribed = 0;
  int reconnection_started = 0, reconnected = 0;
  int stream_destroyed = 0, subscriber_disconnected = 0, keyframes_requested = 0;
  std::vector<std::string> streams_dropped;   // stream ids (session on_stream_dropped)
  std::atomic<std::uint64_t> frames{0}, frame_bytes{0};
  // While set, on_frame blocks until it is cleared (a stuck application).
  std::atomic<bool> block_frames{false};
  std::atomic<std::uint64_t> signals{0};
  // While set, on_signal_received blocks until it is cleared (a stuck application).
  std::atomic<bool> block_signals{false};
  std::vector<std::vector<std::uint8_t>> delivered;  // payloads, when keep_payloads
  bool keep_payloads = true;

  ~SessionEvents();
  otc_session_callbacks session_callbacks();
  otc_publisher_callbacks publisher_callbacks();
  otc_subscriber_callbacks subscriber_callbacks();
  // Waits until pred() (checked under mu) or the timeout.
  bool wait(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::seconds(10));
};

}  // namespace otc_test

#endif
