#include "session_events.hpp"

#include <thread>

namespace otc_test {
namespace {

SessionEvents* ev(void* user_data) { return static_cast<SessionEvents*>(user_data); }

template <typename Fn>
void record(void* user_data, Fn fn) {
  SessionEvents* e = ev(user_data);
  {
    std::lock_guard<std::mutex> lock(e->mu);
    fn(*e);
  }
  e->cv.notify_all();
}

}  // namespace

SessionEvents::~SessionEvents() {
  for (otc_stream* s : stream_copies) otc_stream_delete(s);
}

otc_session_callbacks SessionEvents::session_callbacks() {
  otc_session_callbacks cb{};
  cb.user_data = this;
  cb.on_connected = [](otc_session*, void* u) { record(u, [](SessionEvents& e) { ++e.connected; }); };
  cb.on_disconnected = [](otc_session*, void* u) { record(u, [](SessionEvents& e) { ++e.disconnected; }); };
  cb.on_error = [](otc_session*, void* u, const char*, otc_session_error_code code) {
    record(u, [code](SessionEvents& e) { e.session_errors.push_back(code); });
  };
  cb.on_signal_received = [](otc_session*, void* u, const char*, const char*, const otc_connection*) {
    SessionEvents* e = ev(u);
    while (e->block_signals.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ++e->signals;
  };
  cb.on_reconnection_started = [](otc_session*, void* u) {
    record(u, [](SessionEvents& e) { ++e.reconnection_started; });
  };
  cb.on_reconnected = [](otc_session*, void* u) { record(u, [](SessionEvents& e) { ++e.reconnected; }); };
  cb.on_stream_dropped = [](otc_session*, void* u, const otc_stream* s) {
    record(u, [s](SessionEvents& e) { e.streams_dropped.push_back(otc_stream_get_id(s)); });
  };
  cb.on_stream_received = [](otc_session*, void* u, const otc_stream* s) {
    record(u, [s](SessionEvents& e) {
      e.streams_received.push_back(otc_stream_get_id(s));
      e.stream_copies.push_back(otc_stream_copy(s));
    });
  };
  return cb;
}

otc_publisher_callbacks SessionEvents::publisher_callbacks() {
  otc_publisher_callbacks cb{};
  cb.user_data = this;
  cb.on_stream_created = [](otc_publisher*, void* u, const otc_stream*) {
    record(u, [](SessionEvents& e) { ++e.stream_created; });
  };
  cb.on_stream_destroyed = [](otc_publisher*, void* u, const otc_stream*) {
    record(u, [](SessionEvents& e) { ++e.stream_destroyed; });
  };
  cb.on_keyframe_requested = [](otc_publisher*, void* u) {
    record(u, [](SessionEvents& e) { ++e.keyframes_requested; });
  };
  cb.on_error = [](otc_publisher*, void* u, const char*, otc_publisher_error_code code) {
    record(u, [code](SessionEvents& e) { e.publisher_errors.push_back(code); });
  };
  return cb;
}

otc_subscriber_callbacks SessionEvents::subscriber_callbacks() {
  otc_subscriber_callbacks cb{};
  cb.user_data = this;
  cb.on_connected = [](otc_subscriber*, void* u, const otc_stream*) {
    record(u, [](SessionEvents& e) { ++e.subscribed; });
  };
  cb.on_error = [](otc_subscriber*, void* u, const char*, otc_subscriber_error_code code) {
    record(u, [code](SessionEvents& e) { e.subscriber_errors.push_back(code); });
  };
  cb.on_disconnected = [](otc_subscriber*, void* u) {
    record(u, [](SessionEvents& e) { ++e.subscriber_disconnected; });
  };
  cb.on_frame = [](otc_subscriber*, void* u, const otc_media_frame* f) {
    SessionEvents* e = ev(u);
    while (e->block_frames.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    record(u, [f](SessionEvents& s) {
      if (s.keep_payloads) s.delivered.emplace_back(f->data, f->data + f->size);
    });
    e->frame_bytes += f->size;
    ++e->frames;
  };
  return cb;
}

bool SessionEvents::wait(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  // Re-checked every 20 ms as well: predicates may read state no callback signals (stats).
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> lock(mu);
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    cv.wait_for(lock, std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace otc_test
