// The router protocol codec (src/session/protocol.hpp) on arbitrary bytes.
//
// The input is treated as one message body (type byte first, what follows a u32 length prefix on
// the wire), decoded in both directions; then, as the client's socket reader sees it, as a byte
// stream cut at u32 length prefixes. Checks:
//   - decoders never read out of bounds (ASan) and return one of their documented statuses;
//   - whatever decodes re-encodes to exactly the same bytes (the decoders are strict: every byte
//     is a field, so a message has one encoding), through the encoder of the decoded type;
//   - a MEDIA_FRAME's offsets lie inside the message and its payload runs to the end;
//   - the protocol's UTF-8 check and the core's strict one (secrets, session ids) agree.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <variant>
#include <vector>

#include "session/protocol.hpp"
#include "session/wire_buffer.hpp"
#include "utf8.hpp"

namespace w = otc::client::wire;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "protocol: %s\n", what);
  std::abort();
}

// Every encoder returns the framed message; the decoders take it without the length prefix.
void expect_reencodes(const std::vector<std::uint8_t>& framed, const std::uint8_t* msg, std::size_t len) {
  if (framed.size() != len + w::kLengthPrefix) fail("re-encoded length differs");
  if (otc::client::get_u32(framed.data()) != len) fail("re-encoded length prefix differs");
  if (std::memcmp(framed.data() + w::kLengthPrefix, msg, len) != 0) fail("re-encoded bytes differ");
}

void check_media_frame(const w::MediaFrame& m, const std::uint8_t* msg, std::size_t len) {
  if (!(m.metadata_offset == 1 && m.metadata_offset <= m.payload_offset && m.payload_offset <= len &&
        m.payload_offset + m.payload_len == len)) {
    fail("MEDIA_FRAME offsets outside the message");
  }
  expect_reencodes(w::encode_media_frame(m, msg + m.payload_offset, m.payload_len), msg, len);
}

void check_status(w::DecodeStatus st, const std::uint8_t* msg, std::size_t len) {
  switch (st) {
    case w::DecodeStatus::kOk:
    case w::DecodeStatus::kUnknownType:
    case w::DecodeStatus::kMalformed:
      if (len == 0) fail("empty message not reported as kEmpty");
      return;
    case w::DecodeStatus::kEmpty:
      if (len != 0) fail("kEmpty for a non-empty message");
      return;
  }
  (void)msg;
  fail("status outside DecodeStatus");
}

// Decodes `msg` as one direction's message (Variant); whatever decodes must re-encode to the same
// bytes (a MEDIA_FRAME: its header and offsets must match the input).
template <typename Variant, typename Decode>
void decode_as(Decode decode, const std::uint8_t* msg, std::size_t len) {
  Variant v;
  const w::DecodeStatus status = decode(msg, len, v);
  check_status(status, msg, len);
  if (status != w::DecodeStatus::kOk) return;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, w::MediaFrame>) {
          check_media_frame(m, msg, len);
        } else {
          expect_reencodes(w::encode(m), msg, len);
        }
      },
      v);
}

void decode_both(const std::uint8_t* msg, std::size_t len) {
  decode_as<w::RouterMessage>(w::decode_router_message, msg, len);
  decode_as<w::ClientMessage>(w::decode_client_message, msg, len);
}

// As Connection::read_header/read_body: a length outside 1..4 MiB ends the stream (protocol error).
void decode_stream(const std::uint8_t* data, std::size_t size) {
  std::size_t pos = 0;
  while (size - pos >= w::kLengthPrefix) {
    const std::uint32_t len = otc::client::get_u32(data + pos);
    if (!w::valid_length(len)) return;
    pos += w::kLengthPrefix;
    if (size - pos < len) return;  // the reader would wait for more bytes
    // A copy of exactly the message, so ASan sees any read past its end.
    std::vector<std::uint8_t> msg(data + pos, data + pos + len);
    decode_both(msg.data(), msg.size());
    pos += len;
  }
}

void check_utf8(const std::uint8_t* data, std::size_t size) {
  const bool wire_ok = otc::is_valid_utf8(data, size);
  const bool strict_ok = otc::count_code_points_strict(data, size).has_value();
  const bool has_nul = size != 0 && std::memchr(data, 0, size) != nullptr;
  // One validator, two rules: the protocol's str allows NUL, the strict rule (secrets) refuses it.
  // Otherwise they must agree.
  if (strict_ok != (wire_ok && !has_nul)) fail("the wire and strict UTF-8 rules disagree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> msg(data, data + size);
  decode_both(msg.data(), msg.size());
  decode_stream(data, size);
  check_utf8(data, size);
  return 0;
}
