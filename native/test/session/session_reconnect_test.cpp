// Redirect and automatic reconnection of the session client (docs/PROTOCOL.md "Client: redirect
// and reconnection"), driven through the C API against scripted routers: a REDIRECT is followed
// once and only to a valid URL, NODES is bounded, and a connection lost after CONNECTED is
// re-established with back-off, republishing under the old stream id and resubscribing, with the
// E2EE state kept (same keys, counters still increasing, no frame delivered twice).
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fake_router.hpp"
#include "media_frames.hpp"
#include "session/protocol.hpp"
#include "session_events.hpp"

namespace {

using namespace otc_test;
namespace wire = otc::client::wire;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kSessionId[] = "reconnect-session";
constexpr char kSecret[] = "a shared secret for e2ee";
constexpr char kToken[] = "the-token";

std::uint8_t type_of(wire::MsgType t) { return static_cast<std::uint8_t>(t); }

struct SessionDeleter {
  void operator()(otc_session* s) const { otc_session_delete(s); }
};
using SessionPtr = std::unique_ptr<otc_session, SessionDeleter>;

SessionPtr make_session(const std::string& url, SessionEvents& events, std::uint32_t reconnect_ms) {
  otc_session_settings* settings = otc_session_settings_new();
  EXPECT_EQ(otc_session_settings_set_router_url(settings, url.c_str()), OTC_SUCCESS);
  EXPECT_EQ(otc_session_settings_set_reconnect_timeout_ms(settings, reconnect_ms), OTC_SUCCESS);
  EXPECT_EQ(otc_session_settings_set_connect_timeout_ms(settings, 5000), OTC_SUCCESS);
  const otc_session_callbacks cb = events.session_callbacks();
  SessionPtr s(otc_session_new_with_settings(nullptr, kSessionId, &cb, settings));
  otc_session_settings_delete(settings);
  return s;
}

// Accepts the next connection, answers HELLO and returns the token of the CONNECT that follows
// (nullopt if any step does not happen).
std::optional<std::string> accept_until_connect(FakeRouter& router) {
  if (!router.accept()) return std::nullopt;
  if (!router.read_until(type_of(wire::MsgType::kHello))) return std::nullopt;
  wire::HelloAck ack;
  ack.protocol_version = wire::kProtocolVersion;
  ack.e2ee_format_version = 1;
  ack.router_name = "fake";
  if (!router.send(wire::encode(ack))) return std::nullopt;
  auto m = router.read_until(type_of(wire::MsgType::kConnect));
  if (!m) return std::nullopt;
  wire::ClientMessage cm;
  if (wire::decode_client_message(m->data(), m->size(), cm) != wire::DecodeStatus::kOk) return std::nullopt;
  return std::get<wire::Connect>(cm).token;
}

bool send_connected(FakeRouter& router, const std::string& connection_id, bool e2ee = true) {
  wire::Connected c;
  c.connection_id = connection_id;
  c.session_id = kSessionId;
  c.e2ee = e2ee ? 1 : 0;
  c.role = 1;
  return router.send(wire::encode(c));
}

// The first connection of most tests: CONNECT through `router`, answered with CONNECTED, and
// on_connected seen.
bool connect_through(FakeRouter& router, otc_session* session, SessionEvents& events, const std::string& connection_id,
                     bool e2ee = true) {
  return otc_session_connect(session, kToken) == OTC_SUCCESS && accept_until_connect(router) &&
         send_connected(router, connection_id, e2ee) && events.wait([&] { return events.connected == 1; });
}

wire::StreamCreated stream_created(const std::string& id, const std::string& connection_id) {
  wire::StreamCreated m;
  m.stream_id = id;
  m.connection_id = connection_id;
  m.name = "cam";
  m.has_video = 1;
  m.video_codec = OTC_CODEC_VP8;
  m.e2ee = 1;
  return m;
}

std::optional<wire::Publish> read_publish(FakeRouter& router) {
  auto m = router.read_until(type_of(wire::MsgType::kPublish));
  if (!m) return std::nullopt;
  wire::ClientMessage cm;
  if (wire::decode_client_message(m->data(), m->size(), cm) != wire::DecodeStatus::kOk) return std::nullopt;
  return std::get<wire::Publish>(cm);
}

std::vector<int> errors(SessionEvents& e) {
  std::lock_guard<std::mutex> lock(e.mu);
  return e.session_errors;
}

// ---- redirect ----

TEST(SessionRedirect, ARedirectAtConnectIsFollowedOnceWithTheSameToken) {
  FakeRouter a, b;
  SessionEvents events;
  SessionPtr session = make_session(a.url(), events, 0);
  ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
  ASSERT_EQ(accept_until_connect(a), std::optional<std::string>(kToken));
  ASSERT_TRUE(a.send(wire::encode(wire::Redirect{b.url(), wire::kRedirectNotOwner})));
  ASSERT_EQ(accept_until_connect(b), std::optional<std::string>(kToken));
  ASSERT_TRUE(send_connected(b, "on-b"));
  ASSERT_TRUE(events.wait([&] { return events.connected == 1; }));
  char id[64];
  ASSERT_EQ(otc_session_get_connection_id(session.get(), id, sizeof id), OTC_SUCCESS);
  EXPECT_STREQ(id, "on-b");
  EXPECT_TRUE(errors(events).empty());
  // The redirecting node's connection is closed by the client, which never comes back to it.
  EXPECT_FALSE(a.read(milliseconds(2000)));
  EXPECT_FALSE(a.accept(milliseconds(300)));
}

TEST(SessionRedirect, ASecondRedirectInOneAttemptIsAConnectionFailure) {
  FakeRouter a, b;
  SessionEvents events;
  SessionPtr session = make_session(a.url(), events, 30000);
  ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
  ASSERT_TRUE(accept_until_connect(a));
  ASSERT_TRUE(a.send(wire::encode(wire::Redirect{b.url(), wire::kRedirectNotOwner})));
  ASSERT_TRUE(accept_until_connect(b));
  // b sends the client back to a: a loop the client must not follow.
  ASSERT_TRUE(b.send(wire::encode(wire::Redirect{a.url(), wire::kRedirectNotOwner})));
  ASSERT_TRUE(events.wait([&] { return !events.session_errors.empty(); }));
  EXPECT_EQ(errors(events), std::vector<int>{OTC_SESSION_CONNECTION_FAILED});
  EXPECT_FALSE(a.accept(milliseconds(500)));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.connected, 0);
  EXPECT_EQ(events.reconnection_started, 0);  // a failed connect is not a lost connection
}

TEST(SessionRedirect, AnInvalidRedirectIsAProtocolErrorAndGoesNowhere) {
  FakeRouter a, elsewhere;
  const std::string port = elsewhere.url().substr(elsewhere.url().rfind(':') + 1);
  const std::vector<std::string> bad = {
      "http://127.0.0.1:" + port,          // another scheme
      "file:///etc/passwd",
      "tcp://127.0.0.1",                   // no port
      "tcp://user@127.0.0.1:" + port,      // credentials
      "tcp://127.0.0.1:" + port + "/path",
      "tcp://127.0.0.1:0",
      "",
  };
  for (const auto& url : bad) {
    SCOPED_TRACE(url);
    SessionEvents events;
    SessionPtr session = make_session(a.url(), events, 30000);
    ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
    ASSERT_TRUE(accept_until_connect(a));
    ASSERT_TRUE(a.send(wire::encode(wire::Redirect{url, wire::kRedirectNotOwner})));
    ASSERT_TRUE(events.wait([&] { return !events.session_errors.empty(); }));
    EXPECT_EQ(errors(events), std::vector<int>{OTC_SESSION_PROTOCOL_ERROR});
  }
  // A URL above 256 bytes fails the message itself; an unknown reason and a draining redirect
  // before CONNECTED are protocol errors too.
  std::vector<std::vector<std::uint8_t>> messages = {
      wire::encode(wire::Redirect{"tcp://" + std::string(300, 'h') + ":" + port, wire::kRedirectNotOwner}),
      wire::encode(wire::Redirect{elsewhere.url(), 7}),
      wire::encode(wire::Redirect{elsewhere.url(), wire::kRedirectDraining}),
  };
  for (const auto& m : messages) {
    SessionEvents events;
    SessionPtr session = make_session(a.url(), events, 30000);
    ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
    ASSERT_TRUE(accept_until_connect(a));
    ASSERT_TRUE(a.send(m));
    ASSERT_TRUE(events.wait([&] { return !events.session_errors.empty(); }));
    EXPECT_EQ(errors(events), std::vector<int>{OTC_SESSION_PROTOCOL_ERROR});
  }
  EXPECT_FALSE(elsewhere.accept(milliseconds(300)));
}

TEST(SessionRedirect, OversizeOrInvalidNodesListsAreProtocolErrors) {
  FakeRouter router;
  wire::Nodes too_many;
  for (int i = 0; i < 65; ++i) too_many.urls.push_back("tcp://10.0.0." + std::to_string(i) + ":4000");
  wire::Nodes too_long{{"tcp://" + std::string(251, 'n') + ":4000"}};  // 261 bytes
  wire::Nodes bad_scheme{{"tcp://10.0.0.1:4000", "ws://10.0.0.2:4000"}};
  // A count of 65535 with nothing behind it: refused from the count, nothing reserved.
  std::vector<std::uint8_t> huge_count = {0, 0, 0, 3, 0x91, 0xFF, 0xFF};
  for (const auto& m : {wire::encode(too_many), wire::encode(too_long), wire::encode(bad_scheme), huge_count}) {
    SessionEvents events;
    SessionPtr session = make_session(router.url(), events, 30000);
    ASSERT_TRUE(connect_through(router, session.get(), events, "c-1"));
    ASSERT_TRUE(router.send(m));
    ASSERT_TRUE(events.wait([&] { return events.disconnected == 1; }));
    std::lock_guard<std::mutex> lock(events.mu);
    EXPECT_EQ(events.session_errors, std::vector<int>{OTC_SESSION_PROTOCOL_ERROR});
    EXPECT_EQ(events.reconnection_started, 0);  // a hostile message ends the session, no reconnection
  }
  // At the bound (64 URLs of 256 bytes) the list is accepted.
  wire::Nodes at_bound;
  for (int i = 0; i < 64; ++i) {
    std::string u = "tcp://" + std::to_string(i) + "-";
    u += std::string(256 - u.size() - 5, 'n') + ":4000";
    ASSERT_EQ(u.size(), 256u);
    at_bound.urls.push_back(u);
  }
  SessionEvents events;
  SessionPtr session = make_session(router.url(), events, 30000);
  ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
  ASSERT_TRUE(accept_until_connect(router));
  ASSERT_TRUE(send_connected(router, "c-1"));
  ASSERT_TRUE(router.send(wire::encode(at_bound)));
  ASSERT_TRUE(router.send(wire::encode(wire::SignalIn{"x", "t", "after nodes"})));
  ASSERT_TRUE(events.wait([&] { return events.signals.load() == 1; }));
  EXPECT_TRUE(errors(events).empty());
}

// ---- reconnection ----

// The main path: E2EE session with a subscriber and a publisher; the connection drops, the first
// attempts are refused (back-off measured), then the client is back: same token, PUBLISH with the
// old stream id, SUBSCRIBE when the stream reappears, on_reconnected, and no frame twice.
TEST(SessionReconnect, ADroppedConnectionIsReEstablishedWithBackOffAndTheMediaStateKept) {
  otc_frame_cryptor* remote = otc_frame_cryptor_new(kSessionId, 0);  // the other participant
  ASSERT_EQ(otc_frame_cryptor_set_encryption_secret(remote, reinterpret_cast<const std::uint8_t*>(kSecret),
                                                    std::strlen(kSecret)),
            OTC_SUCCESS);
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router.url(), events, 20000);
  ASSERT_EQ(otc_session_set_encryption_secret(session.get(), kSecret), OTC_SUCCESS);
  ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
  ASSERT_EQ(accept_until_connect(router), std::optional<std::string>(kToken));
  ASSERT_TRUE(send_connected(router, "c-1"));
  ASSERT_TRUE(router.send(wire::encode(wire::Nodes{{router.url()}})));
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-1", "other-1"))));
  ASSERT_TRUE(events.wait([&] { return events.connected == 1 && events.streams_received.size() == 1; }));

  // Subscribe to s-1 and receive 5 frames.
  const otc_subscriber_callbacks scb = events.subscriber_callbacks();
  otc_subscriber* sub = otc_subscriber_new(events.stream_copies[0], &scb);
  ASSERT_EQ(otc_session_subscribe(session.get(), sub), OTC_SUCCESS);
  ASSERT_TRUE(router.read_until(type_of(wire::MsgType::kSubscribe)));
  ASSERT_TRUE(router.send(wire::encode(wire::Subscribed{"s-1"})));
  std::vector<std::vector<std::uint8_t>> recording;
  for (std::uint32_t i = 0; i < 5; ++i) {
    const std::string payload = "frame " + std::to_string(i);
    recording.push_back(encrypted_media_frame(remote, "s-1", i, i == 0,
                                              reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()));
    ASSERT_FALSE(recording.back().empty());
    ASSERT_TRUE(router.send(recording.back()));
  }
  ASSERT_TRUE(events.wait([&] { return events.delivered.size() == 5; }));

  // Publish own-1 and send one frame; the router side decrypts it as a subscriber would.
  const otc_publisher_callbacks pcb = events.publisher_callbacks();
  otc_publisher* pub = otc_publisher_new("me", nullptr, &pcb);
  ASSERT_EQ(otc_session_publish(session.get(), pub), OTC_SUCCESS);
  auto publish = read_publish(router);
  ASSERT_TRUE(publish);
  EXPECT_FALSE(publish->resume_stream_id);  // a first PUBLISH has no resume field
  ASSERT_TRUE(router.send(wire::encode(wire::Published{publish->publish_id, "own-1"})));
  ASSERT_TRUE(router.send(wire::encode(stream_created("own-1", "c-1"))));
  ASSERT_TRUE(events.wait([&] { return events.stream_created == 1; }));
  otc_frame_cryptor* receiver = otc_frame_cryptor_new(kSessionId, 0);
  ASSERT_EQ(otc_frame_cryptor_set_encryption_secret(receiver, reinterpret_cast<const std::uint8_t*>(kSecret),
                                                    std::strlen(kSecret)),
            OTC_SUCCESS);
  const char own_payload[] = "own video";
  otc_media_frame f{};
  f.media_type = OTC_MEDIA_TYPE_VIDEO;
  f.codec = OTC_CODEC_VP8;
  f.keyframe = OTC_TRUE;
  f.data = reinterpret_cast<const std::uint8_t*>(own_payload);
  f.size = sizeof own_payload;
  auto decrypt_next_own_frame = [&]() -> std::string {
    auto m = router.read_until(type_of(wire::MsgType::kMediaFrame));
    if (!m) return "<no frame>";
    wire::ClientMessage cm;
    if (wire::decode_client_message(m->data(), m->size(), cm) != wire::DecodeStatus::kOk) return "<malformed>";
    const auto& h = std::get<wire::MediaFrame>(cm);
    if (!(h.flags & wire::kFlagEncrypted)) return "<plaintext>";
    std::vector<std::uint8_t> out(h.payload_len);
    size_t out_len = 0;
    const otc_status st = otc_frame_cryptor_decrypt(receiver, m->data() + h.metadata_offset,
                                                    h.payload_offset - h.metadata_offset, m->data() + h.payload_offset,
                                                    h.payload_len, out.data(), out.size(), &out_len);
    if (st != OTC_SUCCESS) return std::string("<refused ") + otc_error_name(st) + ">";
    return h.stream_id + ":" + std::string(out.begin(), out.begin() + static_cast<long>(out_len));
  };
  ASSERT_EQ(otc_publisher_send_frame(pub, &f), OTC_SUCCESS);
  EXPECT_EQ(decrypt_next_own_frame(), std::string("own-1:") + std::string(own_payload, sizeof own_payload));

  // The connection drops (no DISCONNECTING: a dead node).
  router.close_client();
  ASSERT_TRUE(events.wait([&] { return events.reconnection_started == 1; }));
  // While reconnecting, frames are dropped without failing the application.
  ASSERT_EQ(otc_publisher_send_frame(pub, &f), OTC_SUCCESS);
  otc_publisher_stats pst = OTC_PUBLISHER_STATS_INIT;
  ASSERT_EQ(otc_publisher_get_stats(pub, &pst), OTC_SUCCESS);
  EXPECT_EQ(pst.frames_sent, 1u);
  EXPECT_EQ(otc_session_publish(session.get(), pub), OTC_SESSION_NOT_CONNECTED);

  // Three attempts refused: each comes later than the back-off before it allows.
  std::vector<Clock::time_point> attempts;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(router.accept());
    attempts.push_back(Clock::now());
    router.close_client();
  }
  ASSERT_EQ(accept_until_connect(router), std::optional<std::string>(kToken));  // the same token
  attempts.push_back(Clock::now());
  for (size_t i = 1; i < attempts.size(); ++i) {
    const auto gap = std::chrono::duration_cast<milliseconds>(attempts[i] - attempts[i - 1]).count();
    const long min_gap = (100L << i) * 3 / 4;  // back-off before attempt i: 100 ms * 2^i, jitter to 3/4
    EXPECT_GE(gap, min_gap - 2) << "attempt " << i;
  }
  ASSERT_TRUE(send_connected(router, "c-2"));
  auto republish = read_publish(router);
  ASSERT_TRUE(republish);
  EXPECT_EQ(republish->resume_stream_id, std::optional<std::string>("own-1"));
  EXPECT_EQ(republish->name, "me");
  EXPECT_EQ(republish->encrypted, 1);
  ASSERT_TRUE(router.send(wire::encode(wire::Published{republish->publish_id, "own-1"})));
  ASSERT_TRUE(router.send(wire::encode(stream_created("own-1", "c-2"))));
  // s-1's publisher came back too (new connection id, same stream id): resubscribed, not re-announced.
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-1", "other-2"))));
  auto resub = router.read_until(type_of(wire::MsgType::kSubscribe));
  ASSERT_TRUE(resub);
  ASSERT_TRUE(router.send(wire::encode(wire::Subscribed{"s-1"})));
  ASSERT_TRUE(events.wait([&] { return events.reconnected == 1 && events.keyframes_requested >= 1; }));

  // The publisher sends under its old stream id; its counter kept increasing (the receiver's
  // replay window accepts it: a reused counter would be refused as a replay).
  ASSERT_EQ(otc_publisher_send_frame(pub, &f), OTC_SUCCESS);
  EXPECT_EQ(decrypt_next_own_frame(), std::string("own-1:") + std::string(own_payload, sizeof own_payload));

  // The new node replays what the old one delivered, then a fresh frame: only the fresh one is
  // delivered (the session's receive state survived the move).
  for (const auto& m : recording) ASSERT_TRUE(router.send(m));
  const std::string fresh = "fresh after the move";
  ASSERT_TRUE(router.send(encrypted_media_frame(remote, "s-1", 5, false,
                                                reinterpret_cast<const std::uint8_t*>(fresh.data()), fresh.size())));
  otc_subscriber_stats st = OTC_SUBSCRIBER_STATS_INIT;
  ASSERT_TRUE(events.wait([&] {
    otc_subscriber_get_stats(sub, &st);
    return st.failed_replayed == 5 && st.frames_delivered == 6;
  }));
  {
    std::lock_guard<std::mutex> lock(events.mu);
    ASSERT_EQ(events.delivered.size(), 6u);
    EXPECT_EQ(std::string(events.delivered.back().begin(), events.delivered.back().end()), fresh);
    EXPECT_TRUE(events.session_errors.empty());
    EXPECT_TRUE(events.publisher_errors.empty());
    EXPECT_TRUE(events.subscriber_errors.empty());
    EXPECT_EQ(events.streams_received.size(), 1u);  // s-1 not announced twice
    EXPECT_EQ(events.stream_created, 1);           // own-1 resumed under its id: nothing to tell
    EXPECT_EQ(events.stream_destroyed, 0);
    EXPECT_EQ(events.subscribed, 1);
    EXPECT_EQ(events.subscriber_disconnected, 0);
    EXPECT_EQ(events.disconnected, 0);
    EXPECT_TRUE(events.streams_dropped.empty());
  }
  char id[64];
  ASSERT_EQ(otc_session_get_connection_id(session.get(), id, sizeof id), OTC_SUCCESS);
  EXPECT_STREQ(id, "c-2");
  otc_subscriber_delete(sub);
  otc_publisher_delete(pub);
  session.reset();
  otc_frame_cryptor_delete(receiver);
  otc_frame_cryptor_delete(remote);
}

TEST(SessionReconnect, StreamsThatDoNotComeBackWithinTheWindowAreDropped) {
  FakeRouter router;
  SessionEvents events;
  // A window long enough for the reconnection itself on a loaded machine (the connect attempt
  // gets at most what is left of it).
  SessionPtr session = make_session(router.url(), events, 5000);
  ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
  ASSERT_TRUE(accept_until_connect(router));
  ASSERT_TRUE(send_connected(router, "c-1", false));
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-gone", "other-1"))));
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-back", "other-1"))));
  ASSERT_TRUE(events.wait([&] { return events.streams_received.size() == 2; }));
  const otc_subscriber_callbacks scb = events.subscriber_callbacks();
  otc_subscriber* sub = otc_subscriber_new(events.stream_copies[0], &scb);  // s-gone
  ASSERT_EQ(otc_session_subscribe(session.get(), sub), OTC_SUCCESS);
  ASSERT_TRUE(router.read_until(type_of(wire::MsgType::kSubscribe)));
  ASSERT_TRUE(router.send(wire::encode(wire::Subscribed{"s-gone"})));
  ASSERT_TRUE(events.wait([&] { return events.subscribed == 1; }));

  // A stopping router says so before closing: that too is a reason to reconnect.
  ASSERT_TRUE(router.send(wire::encode(wire::Disconnecting{OTC_SESSION_ROUTER_SHUTDOWN, "stopping"})));
  router.close_client();
  ASSERT_TRUE(accept_until_connect(router));
  ASSERT_TRUE(send_connected(router, "c-2", false));
  ASSERT_TRUE(router.send(wire::encode(stream_created("s-back", "other-2"))));
  ASSERT_TRUE(events.wait([&] { return events.reconnected == 1; }));
  // s-gone never reappears: dropped as usual once the window (the reconnect timeout) ends.
  ASSERT_TRUE(events.wait([&] { return events.streams_dropped.size() == 1 && events.subscriber_disconnected == 1; },
                          std::chrono::seconds(30)));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.streams_dropped, std::vector<std::string>{"s-gone"});
  EXPECT_EQ(events.streams_received.size(), 2u);
  EXPECT_TRUE(events.session_errors.empty());
  EXPECT_EQ(events.disconnected, 0);
  otc_subscriber_delete(sub);
}

TEST(SessionReconnect, ADrainingRedirectMovesTheClientToTheNamedNodeAtOnce) {
  FakeRouter a, b;
  SessionEvents events;
  SessionPtr session = make_session(a.url(), events, 20000);
  ASSERT_TRUE(connect_through(a, session.get(), events, "on-a"));
  ASSERT_TRUE(a.send(wire::encode(wire::Redirect{b.url(), wire::kRedirectDraining})));
  ASSERT_EQ(accept_until_connect(b), std::optional<std::string>(kToken));
  ASSERT_TRUE(send_connected(b, "on-b"));
  ASSERT_TRUE(events.wait([&] { return events.reconnected == 1; }));
  EXPECT_FALSE(a.accept(milliseconds(300)));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.reconnection_started, 1);
  EXPECT_TRUE(events.session_errors.empty());
}

// A hostile (or confused) node that moves the client to itself right after every CONNECTED: each
// move comes later than the one before, so the client cannot be driven into a tight loop.
TEST(SessionReconnect, MovesRightAfterEveryConnectedAreSlowedDownByBackOff) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router.url(), events, 20000);
  ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
  std::vector<Clock::time_point> connects;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(accept_until_connect(router)) << "connection " << i;
    connects.push_back(Clock::now());
    ASSERT_TRUE(send_connected(router, "c-" + std::to_string(i)));
    ASSERT_TRUE(router.send(wire::encode(wire::Redirect{router.url(), wire::kRedirectDraining})));
  }
  for (size_t i = 2; i < connects.size(); ++i) {
    const auto gap = std::chrono::duration_cast<milliseconds>(connects[i] - connects[i - 1]).count();
    const long min_gap = std::min(2000L, 100L << (i - 1)) * 3 / 4;  // back-off step i-1 after i-1 quick losses
    EXPECT_GE(gap, min_gap - 2) << "move " << i;
  }
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_TRUE(events.session_errors.empty());
}

TEST(SessionReconnect, GivesUpAfterTheReconnectTimeoutWithConnectionDropped) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router.url(), events, 3000);  // room for 2+ back-off steps on a slow machine
  ASSERT_TRUE(connect_through(router, session.get(), events, "c-1", false));
  const otc_publisher_callbacks pcb = events.publisher_callbacks();
  otc_publisher* pub = otc_publisher_new("me", nullptr, &pcb);
  ASSERT_EQ(otc_session_publish(session.get(), pub), OTC_SUCCESS);
  auto publish = read_publish(router);
  ASSERT_TRUE(publish);
  ASSERT_TRUE(router.send(wire::encode(wire::Published{publish->publish_id, "own-1"})));
  ASSERT_TRUE(router.send(wire::encode(stream_created("own-1", "c-1"))));
  ASSERT_TRUE(events.wait([&] { return events.stream_created == 1; }));

  router.close_client();
  const auto dropped = Clock::now();
  // Every attempt is refused until the client reports the end.
  int refused = 0;
  while (!events.wait([&] { return events.disconnected == 1; }, milliseconds(1))) {
    if (router.accept(milliseconds(50))) {
      ++refused;
      router.close_client();
    }
    ASSERT_LT(Clock::now() - dropped, std::chrono::seconds(20));
  }
  const auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - dropped).count();
  EXPECT_GE(elapsed, 2950);
  EXPECT_GE(refused, 2);
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.session_errors, std::vector<int>{OTC_SESSION_CONNECTION_DROPPED});
  EXPECT_EQ(events.reconnection_started, 1);
  EXPECT_EQ(events.reconnected, 0);
  EXPECT_EQ(events.stream_destroyed, 1);  // the publisher's stream ended with the session
  otc_publisher_delete(pub);
}

TEST(SessionReconnect, WithReconnectionDisabledALostConnectionEndsTheSession) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router.url(), events, 0);
  ASSERT_TRUE(connect_through(router, session.get(), events, "c-1"));
  router.close_client();
  ASSERT_TRUE(events.wait([&] { return events.disconnected == 1; }));
  EXPECT_FALSE(router.accept(milliseconds(300)));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.session_errors, std::vector<int>{OTC_SESSION_CONNECTION_DROPPED});
  EXPECT_EQ(events.reconnection_started, 0);
}

TEST(SessionReconnect, DisconnectWhileReconnectingEndsQuietly) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router.url(), events, 20000);
  ASSERT_TRUE(connect_through(router, session.get(), events, "c-1"));
  router.close_client();
  ASSERT_TRUE(events.wait([&] { return events.reconnection_started == 1; }));
  ASSERT_EQ(otc_session_disconnect(session.get()), OTC_SUCCESS);
  ASSERT_TRUE(events.wait([&] { return events.disconnected == 1; }));
  // No further attempt once the application disconnected (a pending one may have been accepted).
  router.accept(milliseconds(200));
  router.close_client();
  EXPECT_FALSE(router.accept(milliseconds(700)));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_TRUE(events.session_errors.empty());
  EXPECT_EQ(events.reconnected, 0);
}

TEST(SessionReconnect, ARouterCallingTheSessionPlainAfterTheMoveIsADowngrade) {
  FakeRouter router;
  SessionEvents events;
  SessionPtr session = make_session(router.url(), events, 20000);
  ASSERT_EQ(otc_session_connect(session.get(), kToken), OTC_SUCCESS);
  ASSERT_TRUE(accept_until_connect(router));
  ASSERT_TRUE(send_connected(router, "c-1", true));  // E2EE session, no secret held
  ASSERT_TRUE(events.wait([&] { return events.connected == 1; }));
  router.close_client();
  ASSERT_TRUE(accept_until_connect(router));
  ASSERT_TRUE(send_connected(router, "c-2", false));
  ASSERT_TRUE(events.wait([&] { return events.disconnected == 1; }));
  std::lock_guard<std::mutex> lock(events.mu);
  EXPECT_EQ(events.session_errors, std::vector<int>{OTC_SESSION_E2EE_DOWNGRADE});
  EXPECT_EQ(events.reconnected, 0);
}

}  // namespace
