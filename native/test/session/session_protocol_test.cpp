// The router protocol codec (docs/PROTOCOL.md): every message round-trips in both directions,
// the byte layout matches the spec, and truncated, oversized, trailing or garbage input is
// refused without crashing.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "session/protocol.hpp"

namespace w = otc::client::wire;

namespace {

// The message after its length prefix, checking the prefix on the way.
std::vector<uint8_t> body_of(const std::vector<uint8_t>& framed) {
  EXPECT_GE(framed.size(), w::kLengthPrefix + 1);
  const uint32_t len = (uint32_t(framed[0]) << 24) | (uint32_t(framed[1]) << 16) | (uint32_t(framed[2]) << 8) | framed[3];
  EXPECT_EQ(len, framed.size() - w::kLengthPrefix);
  return std::vector<uint8_t>(framed.begin() + w::kLengthPrefix, framed.end());
}

template <typename T>
T router_roundtrip(const T& m) {
  const auto body = body_of(w::encode(m));
  w::RouterMessage out;
  EXPECT_EQ(w::decode_router_message(body.data(), body.size(), out), w::DecodeStatus::kOk);
  EXPECT_TRUE(std::holds_alternative<T>(out));
  return std::get<T>(out);
}

template <typename T>
T client_roundtrip(const T& m) {
  const auto body = body_of(w::encode(m));
  w::ClientMessage out;
  EXPECT_EQ(w::decode_client_message(body.data(), body.size(), out), w::DecodeStatus::kOk);
  EXPECT_TRUE(std::holds_alternative<T>(out));
  return std::get<T>(out);
}

// Every strict prefix of a valid message is refused, and so is one extra byte.
void expect_truncations_refused(const std::vector<uint8_t>& framed, bool router_direction, bool ends_in_rest) {
  const auto body = body_of(framed);
  for (size_t n = 0; n < body.size(); ++n) {
    w::RouterMessage r;
    w::ClientMessage c;
    const auto st = router_direction ? w::decode_router_message(body.data(), n, r) : w::decode_client_message(body.data(), n, c);
    if (ends_in_rest && n >= body.size()) continue;
    EXPECT_NE(st, w::DecodeStatus::kOk) << "prefix of " << n << " bytes of type " << int(body[0]) << " accepted";
  }
  if (!ends_in_rest) {
    auto longer = body;
    longer.push_back(0);
    w::RouterMessage r;
    w::ClientMessage c;
    const auto st = router_direction ? w::decode_router_message(longer.data(), longer.size(), r)
                                     : w::decode_client_message(longer.data(), longer.size(), c);
    EXPECT_EQ(st, w::DecodeStatus::kMalformed) << "trailing byte accepted for type " << int(body[0]);
  }
}

}  // namespace

TEST(SessionProtocol, HelloHasTheSpecifiedLayout) {
  w::Hello h;
  h.client_name = "c";
  const std::vector<uint8_t> expected = {0, 0, 0, 12, 0x01, 0x4F, 0x54, 0x43, 0x50, 0, 1, 0, 1, 0, 1, 'c'};
  EXPECT_EQ(w::encode(h), expected);
}

TEST(SessionProtocol, MediaFrameLayoutAndMetadataRange) {
  w::MediaFrame h;
  h.stream_id = "st";
  h.media = 1;
  h.codec = 3;
  h.flags = w::kFlagKeyframe | w::kFlagEncrypted;
  h.timestamp_us = 0x0102030405060708ull;
  h.sequence = 0x0A0B0C0D;
  h.spatial_layer = 2;
  h.temporal_layer = 5;
  const uint8_t payload[] = {0xEE, 0xFF};
  const auto framed = w::encode_media_frame(h, payload, sizeof payload);
  const std::vector<uint8_t> expected = {0, 0, 0, 24, 0x07, 0, 2, 's', 't', 1, 3, 3, 1, 2, 3, 4, 5, 6, 7, 8,
                                         0x0A, 0x0B, 0x0C, 0x0D, 2, 5, 0xEE, 0xFF};
  EXPECT_EQ(framed, expected);

  const auto body = body_of(framed);
  w::RouterMessage out;
  ASSERT_EQ(w::decode_router_message(body.data(), body.size(), out), w::DecodeStatus::kOk);
  const auto& m = std::get<w::MediaFrame>(out);
  EXPECT_EQ(m.stream_id, "st");
  EXPECT_EQ(m.timestamp_us, h.timestamp_us);
  EXPECT_EQ(m.sequence, h.sequence);
  EXPECT_EQ(m.flags, h.flags);
  EXPECT_EQ(m.spatial_layer, 2);
  EXPECT_EQ(m.temporal_layer, 5);
  // PROTOCOL.md sec. 4: the metadata is stream_id (with its length) up to and including temporal_layer.
  EXPECT_EQ(m.metadata_offset, 1u);
  EXPECT_EQ(m.payload_offset, 1u + 4 + 3 + 8 + 4 + 2);
  EXPECT_EQ(m.payload_len, 2u);
  EXPECT_EQ(body[m.payload_offset], 0xEE);
}

TEST(SessionProtocol, MediaFrameMayHaveAnEmptyPayloadButNotAShortHeader) {
  w::MediaFrame h;
  h.stream_id = "s";
  const auto framed = w::encode_media_frame(h, nullptr, 0);
  const auto body = body_of(framed);
  w::RouterMessage out;
  ASSERT_EQ(w::decode_router_message(body.data(), body.size(), out), w::DecodeStatus::kOk);
  EXPECT_EQ(std::get<w::MediaFrame>(out).payload_len, 0u);
  expect_truncations_refused(framed, true, true);
}

TEST(SessionProtocol, ClientMessagesRoundTrip) {
  w::Hello h;
  h.client_name = "otc-e2ee-c/0.1.0";
  EXPECT_EQ(client_roundtrip(h).client_name, h.client_name);
  EXPECT_EQ(client_roundtrip(h).magic, w::kMagic);
  EXPECT_EQ(client_roundtrip(w::Connect{"tok.en.sig"}).token, "tok.en.sig");
  w::Publish p;
  p.publish_id = 0xDEADBEEF;
  p.name = "cam \xC3\xA9";
  p.has_audio = 1;
  p.has_video = 1;
  p.video_codec = 2;
  p.audio_codec = 16;
  p.encrypted = 1;
  const auto p2 = client_roundtrip(p);
  EXPECT_EQ(p2.publish_id, p.publish_id);
  EXPECT_EQ(p2.name, p.name);
  EXPECT_EQ(p2.video_codec, 2);
  EXPECT_EQ(p2.audio_codec, 16);
  EXPECT_EQ(p2.encrypted, 1);
  EXPECT_EQ(client_roundtrip(w::Unpublish{"a"}).stream_id, "a");
  EXPECT_EQ(client_roundtrip(w::Subscribe{"b"}).stream_id, "b");
  EXPECT_EQ(client_roundtrip(w::Unsubscribe{"c"}).stream_id, "c");
  EXPECT_EQ(client_roundtrip(w::KeyframeRequest{"d"}).stream_id, "d");
  const auto s = client_roundtrip(w::SignalOut{"", "chat", "hi"});
  EXPECT_EQ(s.to_connection_id, "");
  EXPECT_EQ(s.type, "chat");
  EXPECT_EQ(s.data, "hi");
  client_roundtrip(w::Disconnect{});
}

TEST(SessionProtocol, RouterMessagesRoundTrip) {
  const auto ack = router_roundtrip(w::HelloAck{1, 1, "router"});
  EXPECT_EQ(ack.router_name, "router");
  w::Connected c{"conn", "sess", 1, 3, "data=1", 1234567890123ull};
  const auto c2 = router_roundtrip(c);
  EXPECT_EQ(c2.connection_id, "conn");
  EXPECT_EQ(c2.session_id, "sess");
  EXPECT_EQ(c2.e2ee, 1);
  EXPECT_EQ(c2.role, 3);
  EXPECT_EQ(c2.connection_data, "data=1");
  EXPECT_EQ(c2.creation_time_ms, 1234567890123ull);
  EXPECT_EQ(router_roundtrip(w::ConnectionCreated{"x", "d", 5}).creation_time_ms, 5u);
  EXPECT_EQ(router_roundtrip(w::ConnectionDropped{"x", 2}).reason, 2);
  EXPECT_EQ(router_roundtrip(w::Published{7, "s"}).publish_id, 7u);
  w::StreamCreated sc{"s", "c", "n", 1, 0, 0, 16, 1, 99};
  const auto sc2 = router_roundtrip(sc);
  EXPECT_EQ(sc2.audio_codec, 16);
  EXPECT_EQ(sc2.has_video, 0);
  EXPECT_EQ(sc2.e2ee, 1);
  EXPECT_EQ(sc2.creation_time_ms, 99u);
  EXPECT_EQ(router_roundtrip(w::StreamDestroyed{"s", 2}).reason, 2);
  EXPECT_EQ(router_roundtrip(w::Subscribed{"s"}).stream_id, "s");
  EXPECT_EQ(router_roundtrip(w::KeyframeRequest{"s"}).stream_id, "s");
  const auto sig = router_roundtrip(w::SignalIn{"from", "t", "d"});
  EXPECT_EQ(sig.from_connection_id, "from");
  const auto e = router_roundtrip(w::Error{6010, "refused", "st-1"});
  EXPECT_EQ(e.code, 6010u);
  EXPECT_EQ(e.context, "st-1");
  EXPECT_EQ(router_roundtrip(w::Disconnecting{1040, "bye"}).code, 1040u);
}

TEST(SessionProtocol, EveryTruncationAndTrailingByteIsRefused) {
  expect_truncations_refused(w::encode(w::HelloAck{1, 1, "r"}), true, false);
  expect_truncations_refused(w::encode(w::Connected{"c", "s", 1, 1, "d", 1}), true, false);
  expect_truncations_refused(w::encode(w::ConnectionCreated{"c", "d", 1}), true, false);
  expect_truncations_refused(w::encode(w::ConnectionDropped{"c", 1}), true, false);
  expect_truncations_refused(w::encode(w::Published{1, "s"}), true, false);
  expect_truncations_refused(w::encode(w::StreamCreated{"s", "c", "n", 1, 1, 1, 16, 1, 1}), true, false);
  expect_truncations_refused(w::encode(w::StreamDestroyed{"s", 1}), true, false);
  expect_truncations_refused(w::encode(w::Subscribed{"s"}), true, false);
  expect_truncations_refused(w::encode(w::SignalIn{"f", "t", "d"}), true, false);
  expect_truncations_refused(w::encode(w::Error{1, "m", "c"}), true, false);
  expect_truncations_refused(w::encode(w::Disconnecting{1, "m"}), true, false);
  w::Publish p;
  p.name = "n";
  expect_truncations_refused(w::encode(p), false, false);
  expect_truncations_refused(w::encode(w::Hello{}), false, false);
  expect_truncations_refused(w::encode(w::Connect{"t"}), false, false);
  expect_truncations_refused(w::encode(w::SignalOut{"a", "b", "c"}), false, false);
  expect_truncations_refused(w::encode(w::Disconnect{}), false, false);
}

TEST(SessionProtocol, UnknownTypesAndEmptyInputAreRefused) {
  w::RouterMessage r;
  w::ClientMessage c;
  EXPECT_EQ(w::decode_router_message(nullptr, 0, r), w::DecodeStatus::kEmpty);
  const uint8_t client_only[] = {0x01};  // HELLO is not a router message
  EXPECT_EQ(w::decode_router_message(client_only, 1, r), w::DecodeStatus::kUnknownType);
  const uint8_t router_only[] = {0x81, 0, 1, 0, 1, 0, 0};
  EXPECT_EQ(w::decode_client_message(router_only, sizeof router_only, c), w::DecodeStatus::kUnknownType);
  const uint8_t unknown[] = {0x42, 0, 0};
  EXPECT_EQ(w::decode_router_message(unknown, sizeof unknown, r), w::DecodeStatus::kUnknownType);
}

TEST(SessionProtocol, InvalidUtf8AndOversizedStringsAreRefused) {
  w::RouterMessage r;
  // SUBSCRIBED with an overlong encoding of '/'.
  const uint8_t overlong[] = {0x88, 0, 2, 0xC0, 0xAF};
  EXPECT_EQ(w::decode_router_message(overlong, sizeof overlong, r), w::DecodeStatus::kMalformed);
  // A lone surrogate.
  const uint8_t surrogate[] = {0x88, 0, 3, 0xED, 0xA0, 0x80};
  EXPECT_EQ(w::decode_router_message(surrogate, sizeof surrogate, r), w::DecodeStatus::kMalformed);
  // Ids are limited to 1024 bytes, signal data to 8192.
  EXPECT_EQ(router_roundtrip(w::Subscribed{std::string(1024, 'a')}).stream_id.size(), 1024u);
  const auto too_long = body_of(w::encode(w::Subscribed{std::string(1025, 'a')}));
  EXPECT_EQ(w::decode_router_message(too_long.data(), too_long.size(), r), w::DecodeStatus::kMalformed);
  EXPECT_EQ(router_roundtrip(w::SignalIn{"f", "t", std::string(8192, 'd')}).data.size(), 8192u);
  const auto big_signal = body_of(w::encode(w::SignalIn{"f", "t", std::string(8193, 'd')}));
  EXPECT_EQ(w::decode_router_message(big_signal.data(), big_signal.size(), r), w::DecodeStatus::kMalformed);
  // A string length pointing past the end.
  const uint8_t past_end[] = {0x88, 0xFF, 0xFF, 'a'};
  EXPECT_EQ(w::decode_router_message(past_end, sizeof past_end, r), w::DecodeStatus::kMalformed);
}

TEST(SessionProtocol, LengthPrefixBounds) {
  EXPECT_FALSE(w::valid_length(0));
  EXPECT_TRUE(w::valid_length(1));
  EXPECT_TRUE(w::valid_length(4u * 1024 * 1024));
  EXPECT_FALSE(w::valid_length(4u * 1024 * 1024 + 1));
  EXPECT_FALSE(w::valid_length(0xFFFFFFFFu));
}

TEST(SessionProtocol, MutatedAndRandomInputNeverCrashesAndWhatDecodesReEncodesIdentically) {
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> byte(0, 255);
  // Seeds of every router message; mutations of them reach both valid and subtly broken input.
  std::vector<std::vector<uint8_t>> seeds = {
      body_of(w::encode(w::HelloAck{1, 1, "r"})),
      body_of(w::encode(w::Connected{"c", "s", 1, 1, "d", 1})),
      body_of(w::encode(w::ConnectionCreated{"c", "d", 1})),
      body_of(w::encode(w::ConnectionDropped{"c", 1})),
      body_of(w::encode(w::Published{1, "s"})),
      body_of(w::encode(w::StreamCreated{"s", "c", "n", 1, 1, 1, 16, 1, 1})),
      body_of(w::encode(w::StreamDestroyed{"s", 1})),
      body_of(w::encode(w::Subscribed{"s"})),
      body_of(w::encode(w::KeyframeRequest{"s"})),
      body_of(w::encode(w::SignalIn{"f", "t", "d"})),
      body_of(w::encode(w::Error{1, "m", "c"})),
      body_of(w::encode(w::Disconnecting{1, "m"})),
      body_of(w::encode_media_frame(w::MediaFrame{}, reinterpret_cast<const uint8_t*>("pay"), 3)),
  };
  int decoded = 0;
  int refused = 0;
  for (int i = 0; i < 100000; ++i) {
    std::vector<uint8_t> buf = seeds[static_cast<size_t>(i) % seeds.size()];
    const int mutations = 1 + i % 3;
    for (int k = 0; k < mutations; ++k) {
      const int what = byte(rng) % 4;
      const size_t at = static_cast<size_t>(byte(rng)) % buf.size();
      if (what == 0 && at > 0) {
        buf[at] = static_cast<uint8_t>(byte(rng));  // never the type byte: stay on known types
      } else if (what == 1 && buf.size() > 1) {
        buf.resize(1 + at % (buf.size() - 1));
      } else if (what == 2) {
        buf.push_back(static_cast<uint8_t>(byte(rng)));
      } else if (at > 0) {
        buf[at] ^= static_cast<uint8_t>(1u << (byte(rng) % 8));
      }
    }
    w::RouterMessage r;
    if (w::decode_router_message(buf.data(), buf.size(), r) != w::DecodeStatus::kOk) {
      ++refused;
      continue;
    }
    ++decoded;
    // What decodes must be exactly what the encoder writes for the decoded value: no field is
    // skipped, no byte ignored.
    std::vector<uint8_t> again = std::visit(
        [&](auto&& m) -> std::vector<uint8_t> {
          using T = std::decay_t<decltype(m)>;
          if constexpr (std::is_same_v<T, w::MediaFrame>) {
            return w::encode_media_frame(m, buf.data() + m.payload_offset, m.payload_len);
          } else {
            return w::encode(m);
          }
        },
        r);
    ASSERT_EQ(body_of(again), buf) << "type " << int(buf[0]);
  }
  EXPECT_GT(decoded, 1000);
  EXPECT_GT(refused, 1000);
}

TEST(SessionProtocol, PublishResumeIdIsAnOptionalTrailingField) {
  w::Publish p;
  p.publish_id = 9;
  p.name = "cam";
  p.encrypted = 1;
  const auto plain = body_of(w::encode(p));
  EXPECT_FALSE(client_roundtrip(p).resume_stream_id);
  p.resume_stream_id = "stream-1";
  const auto resumed = body_of(w::encode(p));
  ASSERT_EQ(resumed.size(), plain.size() + 2 + 8);  // the 7 fields, then str resume_stream_id
  EXPECT_TRUE(std::equal(plain.begin(), plain.end(), resumed.begin()));
  EXPECT_EQ(client_roundtrip(p).resume_stream_id, std::optional<std::string>("stream-1"));
  p.resume_stream_id = "";  // explicit empty: a new stream, and it round-trips as written
  EXPECT_EQ(client_roundtrip(p).resume_stream_id, std::optional<std::string>(""));
}

TEST(SessionProtocol, RedirectAndNodesLayoutAndBounds) {
  const auto r = body_of(w::encode(w::Redirect{"tcp://h:1", 2}));
  const std::vector<uint8_t> expected = {0x90, 0, 9, 't', 'c', 'p', ':', '/', '/', 'h', ':', '1', 2};
  EXPECT_EQ(r, expected);
  EXPECT_EQ(router_roundtrip(w::Redirect{"tls://n:2", 1}).url, "tls://n:2");
  w::Nodes n{{"tcp://a:1", "tls://b:2"}};
  EXPECT_EQ(router_roundtrip(n).urls, n.urls);
  expect_truncations_refused(w::encode(n), true, false);
  expect_truncations_refused(w::encode(w::Redirect{"tcp://h:1", 2}), true, false);
  // 65 URLs, or one URL of 257 bytes: malformed.
  w::Nodes many;
  many.urls.assign(65, "tcp://a:1");
  auto body = body_of(w::encode(many));
  w::RouterMessage out;
  EXPECT_EQ(w::decode_router_message(body.data(), body.size(), out), w::DecodeStatus::kMalformed);
  many.urls.assign(64, "tcp://a:1");
  body = body_of(w::encode(many));
  EXPECT_EQ(w::decode_router_message(body.data(), body.size(), out), w::DecodeStatus::kOk);
  w::Nodes long_url{{std::string(257, 'x')}};
  body = body_of(w::encode(long_url));
  EXPECT_EQ(w::decode_router_message(body.data(), body.size(), out), w::DecodeStatus::kMalformed);
}
