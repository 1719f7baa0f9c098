// An application written the way the OpenTok Linux SDK's Publisher-Only and Basic-Video-Chat
// samples are written (C++, <opentok.h> only, router URL from OTC_ROUTER_URL), run against the
// real router by java-api's OpenTokCompatIT:
//
//   pubsub_compat API_KEY SESSION_ID TOKEN_A TOKEN_B TOKEN_C [SECRET]
//
// A publishes (otc_publisher_new_with_settings with a name set through
// otc_publisher_settings_set_name, no capturer: encoded frames through otc_publisher_send_frame);
// B subscribes from on_stream_received, checks the stream's otc_connection is A's and receives
// A's frames byte for byte; A unpublishes and B gets on_stream_dropped. With SECRET (an E2EE
// session) A and B hold it, and C, which holds none, gets the E2EE error enums from publisher and
// subscriber on_error. Also: a video capturer without get_capture_settings makes otc_publisher_new
// return NULL (raw video itself is covered by the media tests).
// Prints "PASS" and exits 0, or "FAIL: why" and exits 1.
#include <opentok.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr auto kWait = std::chrono::seconds(60);

[[noreturn]] void fail(const std::string& why) {
  std::cout << "FAIL: " << why << std::endl;
  std::exit(1);
}

bool wait_for(const std::function<bool()>& cond) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

struct Client {
  std::mutex mu;
  otc_session* session = nullptr;
  std::string own_id;
  std::atomic<bool> connected{false};
  std::atomic<int> session_errors{0};
  // Subscriber side.
  otc_stream* stream = nullptr;  // copy of the stream received
  std::string stream_connection_id;
  std::string stream_connection_data;
  otc_subscriber* subscriber = nullptr;
  std::atomic<bool> subscribed{false};
  std::vector<std::string> frames;
  std::atomic<int> dropped_reason{0};
  std::atomic<int> subscriber_error{0};
  // Publisher side.
  std::atomic<bool> stream_created{false};
  std::atomic<bool> stream_destroyed{false};
  std::atomic<int> publisher_error{0};
};

void on_session_connected(otc_session* session, void* user_data) {
  auto* c = static_cast<Client*>(user_data);
  char id[256];
  if (otc_session_get_connection_id(session, id, sizeof id) == OTC_SUCCESS) {
    std::lock_guard<std::mutex> lock(c->mu);
    c->own_id = id;
  }
  c->connected = true;
}

void on_subscriber_connected(otc_subscriber*, void* user_data, const otc_stream*) {
  static_cast<Client*>(user_data)->subscribed = true;
}

void on_subscriber_frame(otc_subscriber*, void* user_data, const otc_media_frame* frame) {
  auto* c = static_cast<Client*>(user_data);
  std::lock_guard<std::mutex> lock(c->mu);
  c->frames.emplace_back(reinterpret_cast<const char*>(frame->data), frame->size);
}

void on_subscriber_error(otc_subscriber*, void* user_data, const char*, enum otc_subscriber_error_code error) {
  static_cast<Client*>(user_data)->subscriber_error = error;
}

void on_session_stream_received(otc_session* session, void* user_data, const otc_stream* stream) {
  auto* c = static_cast<Client*>(user_data);
  struct otc_subscriber_callbacks subscriber_callbacks = {};
  subscriber_callbacks.user_data = user_data;
  subscriber_callbacks.on_connected = on_subscriber_connected;
  subscriber_callbacks.on_frame = on_subscriber_frame;
  subscriber_callbacks.on_error = on_subscriber_error;
  otc_subscriber* subscriber = otc_subscriber_new(stream, &subscriber_callbacks);
  if (subscriber == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(c->mu);
    otc_connection* conn = otc_stream_get_connection(stream);
    c->stream_connection_id = conn ? otc_connection_get_id(conn) : "";
    c->stream_connection_data = conn ? otc_connection_get_data(conn) : "";
    c->stream = otc_stream_copy(stream);
    c->subscriber = subscriber;
  }
  otc_session_subscribe(session, subscriber);
}

void on_session_stream_dropped(otc_session*, void* user_data, const otc_stream* stream) {
  static_cast<Client*>(user_data)->dropped_reason = otc_stream_get_drop_reason(stream);
}

void on_session_error(otc_session*, void* user_data, const char*, enum otc_session_error_code) {
  ++static_cast<Client*>(user_data)->session_errors;
}

void on_publisher_stream_created(otc_publisher*, void* user_data, const otc_stream*) {
  static_cast<Client*>(user_data)->stream_created = true;
}

void on_publisher_stream_destroyed(otc_publisher*, void* user_data, const otc_stream*) {
  static_cast<Client*>(user_data)->stream_destroyed = true;
}

void on_publisher_error(otc_publisher*, void* user_data, const char*, enum otc_publisher_error_code error) {
  static_cast<Client*>(user_data)->publisher_error = error;
}

void connect_client(Client& c, const char* api_key, const char* session_id, const char* token, const char* secret) {
  struct otc_session_callbacks session_callbacks = {};
  session_callbacks.user_data = &c;
  session_callbacks.on_connected = on_session_connected;
  session_callbacks.on_stream_received = on_session_stream_received;
  session_callbacks.on_stream_dropped = on_session_stream_dropped;
  session_callbacks.on_error = on_session_error;
  c.session = otc_session_new(api_key, session_id, &session_callbacks);
  if (c.session == nullptr) fail("otc_session_new returned NULL");
  if (secret != nullptr && otc_session_set_encryption_secret(c.session, secret) != OTC_SUCCESS) {
    fail("otc_session_set_encryption_secret");
  }
  if (otc_session_connect(c.session, token) != OTC_SUCCESS) fail("otc_session_connect");
  if (!wait_for([&] { return c.connected.load(); })) fail("never connected");
}

otc_publisher* new_publisher(Client& c, const char* name) {
  struct otc_publisher_callbacks publisher_callbacks = {};
  publisher_callbacks.user_data = &c;
  publisher_callbacks.on_stream_created = on_publisher_stream_created;
  publisher_callbacks.on_stream_destroyed = on_publisher_stream_destroyed;
  publisher_callbacks.on_error = on_publisher_error;
  otc_publisher_settings* settings = otc_publisher_settings_new();
  otc_publisher_settings_set_audio_track(settings, OTC_FALSE);
  otc_publisher_settings_set_name(settings, name);
  otc_publisher* publisher = otc_publisher_new_with_settings("overridden by the settings", nullptr,
                                                             &publisher_callbacks, settings);
  otc_publisher_settings_delete(settings);
  return publisher;
}

std::string frame_payload(int i) { return "compat-frame-" + std::to_string(i); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr << "usage: " << argv[0] << " API_KEY SESSION_ID TOKEN_A TOKEN_B TOKEN_C [SECRET]" << std::endl;
    return 2;
  }
  const char* secret = argc > 6 ? argv[6] : nullptr;
  if (otc_init(nullptr) != OTC_SUCCESS) fail("otc_init");

  // A capturer that cannot say what it captures is refused, not misread.
  {
    struct otc_publisher_callbacks cb = {};
    struct otc_video_capturer_callbacks incomplete = {};
    if (otc_publisher_new("cam", &incomplete, &cb) != nullptr) {
      fail("otc_publisher_new accepted a capturer without get_capture_settings");
    }
  }

  Client a, b;
  connect_client(a, argv[1], argv[2], argv[3], secret);
  connect_client(b, argv[1], argv[2], argv[4], secret);

  otc_publisher* publisher = new_publisher(a, "compat-pub");
  if (publisher == nullptr) fail("otc_publisher_new_with_settings");
  if (otc_session_publish(a.session, publisher) != OTC_SUCCESS) fail("otc_session_publish");
  if (!wait_for([&] { return a.stream_created.load() || a.publisher_error.load() != 0; }) || !a.stream_created) {
    fail("publisher: no stream (error " + std::to_string(a.publisher_error.load()) + ")");
  }
  if (!wait_for([&] { return b.subscribed.load() || b.subscriber_error.load() != 0; }) || !b.subscribed) {
    fail("subscriber: not subscribed (error " + std::to_string(b.subscriber_error.load()) + ")");
  }
  {
    std::lock_guard<std::mutex> lock(b.mu);
    std::lock_guard<std::mutex> lock_a(a.mu);
    if (b.stream_connection_id != a.own_id) fail("stream connection " + b.stream_connection_id + ", A is " + a.own_id);
    if (std::string(otc_stream_get_name(b.stream)) != "compat-pub") fail("stream name " + std::string(otc_stream_get_name(b.stream)));
    if (otc_stream_get_drop_reason(b.stream) != 0) fail("a live stream has a drop reason");
    if (otc_stream_is_e2ee(b.stream) != (secret != nullptr ? OTC_TRUE : OTC_FALSE)) fail("otc_stream_is_e2ee");
  }

  // Encoded frames until B has received five of them (B may subscribe after the first ones).
  int sent = 0;
  const bool got = wait_for([&] {
    otc_media_frame f = {};
    const std::string payload = frame_payload(sent);
    f.media_type = OTC_MEDIA_TYPE_VIDEO;
    f.codec = OTC_CODEC_VP8;
    f.keyframe = OTC_TRUE;
    f.timestamp_us = static_cast<uint64_t>(sent) * 33000u;
    f.data = reinterpret_cast<const uint8_t*>(payload.data());
    f.size = payload.size();
    if (otc_publisher_send_frame(publisher, &f) == OTC_SUCCESS) ++sent;
    std::lock_guard<std::mutex> lock(b.mu);
    return b.frames.size() >= 5;
  });
  if (!got) fail("B received too few frames after " + std::to_string(sent) + " sent");
  {
    std::lock_guard<std::mutex> lock(b.mu);
    for (const std::string& f : b.frames) {
      if (f.rfind("compat-frame-", 0) != 0) fail("B received a frame that A did not send: " + f);
    }
  }

  if (secret != nullptr) {
    // C joins without the secret: publishing and subscribing report the E2EE codes.
    Client c;
    connect_client(c, argv[1], argv[2], argv[5], nullptr);
    if (!wait_for([&] { return c.subscriber_error.load() != 0; }) ||
        c.subscriber_error != OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISSING) {
      fail("C subscriber error " + std::to_string(c.subscriber_error.load()));
    }
    otc_publisher* p = new_publisher(c, "no-secret");
    if (p == nullptr || otc_session_publish(c.session, p) != OTC_SUCCESS) fail("C publish");
    if (!wait_for([&] { return c.publisher_error.load() != 0; }) ||
        c.publisher_error != OTC_SESSION_ENCRYPTION_SECRET_MISSING) {
      fail("C publisher error " + std::to_string(c.publisher_error.load()));
    }
    otc_publisher_delete(p);
    otc_subscriber_delete(c.subscriber);
    otc_stream_delete(c.stream);
    otc_session_delete(c.session);
  }

  if (otc_session_unpublish(a.session, publisher) != OTC_SUCCESS) fail("otc_session_unpublish");
  if (!wait_for([&] { return b.dropped_reason.load() != 0; })) fail("B: no on_stream_dropped");
  if (b.dropped_reason != OTC_STREAM_DROP_UNPUBLISHED) fail("drop reason " + std::to_string(b.dropped_reason.load()));
  if (!wait_for([&] { return a.stream_destroyed.load(); })) fail("A: no on_stream_destroyed");
  if (a.session_errors != 0 || b.session_errors != 0) fail("unexpected session errors");

  otc_publisher_delete(publisher);
  otc_subscriber_delete(b.subscriber);
  otc_stream_delete(b.stream);
  otc_session_delete(a.session);
  otc_session_delete(b.session);
  otc_destroy();
  std::cout << "PASS" << std::endl;
  return 0;
}
