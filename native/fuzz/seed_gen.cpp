// Writes the seed corpora of the fuzz targets: `fuzz_seed_gen <native/fuzz/corpus dir>`.
// Seeds are small programs in each target's input format (fuzz_support.hpp) that reach the
// interesting states at once (window edges, rotations, every message type), plus the RFC 9605
// test vectors' headers and frames as raw input. Rerun after changing an input format, and commit
// the result.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"
#include "session/protocol.hpp"

using namespace otc::fuzz;
namespace w = otc::client::wire;

namespace {

std::string g_dir;
int g_written = 0;

void save(const std::string& target, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  const std::string path = g_dir + "/" + target + "/" + name;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    std::fprintf(stderr, "cannot write %s (does the directory exist?)\n", path.c_str());
    std::exit(1);
  }
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ++g_written;
}

std::vector<std::uint8_t> hex(const std::string& s) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  return out;
}

// ---- sframe_replay ----
Writer& small(Writer& w, std::uint8_t op, std::uint8_t kid, std::uint8_t ctr, std::uint8_t pt = 16) {
  return w.u8(op).u8(kid).u8(kCtrSmall).u8(ctr).u8(pt);
}
Writer& relative(Writer& w, std::uint8_t op, std::uint8_t kid, std::int16_t delta, std::uint8_t pt = 8) {
  return w.u8(op).u8(kid).u8(kCtrRelative).u16(static_cast<std::uint16_t>(delta)).u8(pt);
}

// sframe_replay inputs start with the suite's index (0: AES_256_GCM_SHA512_128); the other suites
// get the programs that depend most on the tag length.
void save_sframe(const std::string& name, const Writer& program) {
  std::vector<std::uint8_t> in{0};
  in.insert(in.end(), program.data().begin(), program.data().end());
  save("sframe_replay", name, in);
  if (name != "tamper" && name != "truncate" && name != "mixed") return;
  for (std::uint8_t suite = 1; suite < 4; ++suite) {
    in[0] = suite;
    save("sframe_replay", name + "-suite" + std::to_string(suite), in);
  }
}

void sframe_seeds(const nlohmann::json& vectors) {
  {
    Writer w;  // in order, then every one again
    for (int c = 0; c < 8; ++c) small(w, kDeliver, 0, static_cast<std::uint8_t>(c));
    for (int i = 0; i < 8; ++i) w.u8(kRedeliver).u8(static_cast<std::uint8_t>(i));
    save_sframe("in-order-then-replay", w);
  }
  {
    Writer w;  // out of order inside the window, duplicates
    for (int c : {5, 3, 9, 3, 0, 9, 7, 1}) small(w, kDeliver, 1, static_cast<std::uint8_t>(c));
    save_sframe("out-of-order", w);
  }
  {
    Writer w;  // the window edge: jump ahead, then probe 1016..1031 below the highest
    w.u8(kDeliver).u8(2).u8(kCtrAbsolute).u64(5000).u8(4);
    for (int i = 0; i < 16; ++i) w.u8(kDeliver).u8(2).u8(kCtrWindowEdge).u8(static_cast<std::uint8_t>(i)).u8(4);
    relative(w, kDeliver, 2, 1023);
    relative(w, kDeliver, 2, -1023);
    relative(w, kDeliver, 2, -1024);
    relative(w, kDeliver, 2, 1024);
    relative(w, kDeliver, 2, -1);
    save_sframe("window-edge", w);
  }
  {
    Writer w;  // counters at the top of the range and the KID with the largest sender id
    w.u8(kDeliver).u8(3).u8(kCtrAbsolute).u64(UINT64_MAX).u8(1);
    w.u8(kDeliver).u8(3).u8(kCtrAbsolute).u64(UINT64_MAX - 1023).u8(1);
    w.u8(kDeliver).u8(3).u8(kCtrAbsolute).u64(UINT64_MAX - 1024).u8(1);
    w.u8(kRedeliver).u8(0);
    save_sframe("counter-max", w);
  }
  {
    Writer w;  // tampering: config byte, KID, counter, ciphertext, tag; a tampered replay
    small(w, kDeliver, 0, 1);
    for (std::uint16_t pos : {0, 1, 8, 9, 12, 20, 40}) small(w, kTamper, 0, 2).u16(pos).u8(0x01);
    small(w, kTamper, 0, 1).u16(30).u8(0xFF);
    small(w, kDeliver, 0, 2);
    save_sframe("tamper", w);
  }
  {
    Writer w;  // truncations: into the tag, the ciphertext, the header
    for (std::uint8_t cut : {1, 16, 17, 30, 40, 60}) small(w, kTruncate, 1, 4).u8(cut);
    small(w, kDeliver, 1, 4);
    save_sframe("truncate", w);
  }
  {
    Writer w;  // other metadata, short output, other secrets' KIDs, interleaved senders
    small(w, kWrongMetadata, 0, 0);
    small(w, kDeliver, 0, 0);
    small(w, kSmallOutput, 1, 0, 32).u8(31);
    small(w, kSmallOutput, 1, 1, 32).u8(32);
    for (std::uint8_t k = 0; k < 3; ++k) small(w, kForeign, k, 0);
    for (int c = 0; c < 6; ++c) small(w, kDeliver, static_cast<std::uint8_t>(c % 4), static_cast<std::uint8_t>(c));
    save_sframe("mixed", w);
  }
  {
    Writer w;  // RFC 9605 headers and frames as raw bytes (other keys: mismatch / unknown KID)
    int n = 0;
    for (const auto& h : vectors["header"]) {
      if (n++ % 24 != 0) continue;
      const auto b = hex(h["encoded"].get<std::string>());
      w.u8(kRaw).u8(static_cast<std::uint8_t>(b.size())).bytes(b);
    }
    for (const auto& v : vectors["sframe"]) {
      auto b = hex(v["ct"].get<std::string>());
      if (b.size() > 255) b.resize(255);
      w.u8(kRaw).u8(static_cast<std::uint8_t>(b.size())).bytes(b);
    }
    save_sframe("rfc9605-raw", w);
  }
}

// ---- protocol ----
std::vector<std::uint8_t> body(const std::vector<std::uint8_t>& framed) {
  return std::vector<std::uint8_t>(framed.begin() + w::kLengthPrefix, framed.end());
}

void protocol_seeds() {
  const std::string t = "protocol";
  const std::vector<std::pair<std::string, std::vector<std::uint8_t>>> messages = {
      {"hello", w::encode(w::Hello{w::kMagic, 1, 1, "otc-native/0.1"})},
      {"connect", w::encode(w::Connect{"eyJhbGciOi.token.sig"})},
      {"publish", w::encode(w::Publish{7, "camera", 1, 1, 2, 1, 1, std::nullopt})},
      {"unpublish", w::encode(w::Unpublish{"s-1"})},
      {"subscribe", w::encode(w::Subscribe{"s-1"})},
      {"unsubscribe", w::encode(w::Unsubscribe{"s-1"})},
      {"keyframe-request", w::encode(w::KeyframeRequest{"s-1"})},
      {"signal-out", w::encode(w::SignalOut{"c-2", "chat", "h\xC3\xA9llo"})},
      {"disconnect", w::encode(w::Disconnect{})},
      {"hello-ack", w::encode(w::HelloAck{1, 1, "otc-router"})},
      {"connected", w::encode(w::Connected{"c-1", "session-\xE2\x9C\x93", 1, 2, "{\"n\":1}", 1700000000000ull})},
      {"connection-created", w::encode(w::ConnectionCreated{"c-2", "data", 1700000000001ull})},
      {"connection-dropped", w::encode(w::ConnectionDropped{"c-2", 2})},
      {"published", w::encode(w::Published{7, "s-1"})},
      {"stream-created", w::encode(w::StreamCreated{"s-1", "c-1", "camera", 1, 1, 2, 1, 1, 1700000000002ull})},
      {"stream-destroyed", w::encode(w::StreamDestroyed{"s-1", 1})},
      {"subscribed", w::encode(w::Subscribed{"s-1"})},
      {"signal-in", w::encode(w::SignalIn{"c-1", "chat", ""})},
      {"error", w::encode(w::Error{1030, "message length 0 outside 1..4194304", "s-1"})},
      {"disconnecting", w::encode(w::Disconnecting{1040, "router stopping"})},
  };
  std::vector<std::uint8_t> stream;
  for (const auto& [name, framed] : messages) {
    save(t, name, body(framed));
    stream.insert(stream.end(), framed.begin(), framed.end());
  }
  w::MediaFrame m;
  m.stream_id = "s-1";
  m.media = 1;
  m.codec = 2;
  m.flags = w::kFlagKeyframe | w::kFlagEncrypted;
  m.timestamp_us = 123456789;
  m.sequence = 42;
  const std::uint8_t payload[] = {0x91, 0x01, 0x00, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x10, 0x20, 0x30,
                                  0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xA0, 0xB0};
  const auto media = w::encode_media_frame(m, payload, sizeof payload);
  save(t, "media-frame", body(media));
  stream.insert(stream.end(), media.begin(), media.end());
  save(t, "stream-of-all", stream);
  // A stream whose second prefix is 4 GiB - 1: the reader must stop, not allocate.
  std::vector<std::uint8_t> hostile = messages[0].second;
  for (std::uint8_t b : {0xFF, 0xFF, 0xFF, 0xFF, 0x82}) hostile.push_back(b);
  save(t, "stream-huge-length", hostile);
}

// ---- frame_cryptor ----
void cryptor_seeds() {
  const std::string t = "frame_cryptor";
  auto enc = [](Writer& w, std::uint8_t c, std::uint8_t md, std::uint16_t pt) -> Writer& {
    w.u8(kEncrypt).u8(c).u8(md);
    for (std::uint8_t i = 0; i < md; ++i) w.u8(static_cast<std::uint8_t>('a' + i));
    return w.u16(pt);
  };
  for (std::uint8_t suite = 0; suite < 5; ++suite) {
    Writer w;  // per suite: both rings on one secret, frames both ways, replays, stats
    w.u8(suite);
    w.u8(kSetSecret).u8(0).u8(0).u8(kSetSecret).u8(2).u8(0);
    enc(w, 0, 3, 100);
    enc(w, 2, 0, 0);
    enc(w, 1, 5, 1200);
    w.u8(kDecryptGenuine).u8(2).u8(0).u8(kDecryptGenuine).u8(2).u8(0);
    w.u8(kDecryptGenuine).u8(0).u8(1).u8(kDecryptGenuine).u8(2).u8(2);
    w.u8(kCheckStats).u8(2);
    save(t, "basic-suite" + std::to_string(suite + 1), w.data());
  }
  {
    Writer w;  // rotation: grace 0, a new secret, the old one set again (receive state purged)
    w.u8(4).u8(kSetSecret).u8(0).u8(0).u8(kSetSecret).u8(2).u8(0);
    enc(w, 0, 0, 10);
    w.u8(kDecryptGenuine).u8(2).u8(0);
    w.u8(kSetGrace).u8(2).u8(0).u8(kSetSecret).u8(2).u8(1).u8(kDecryptGenuine).u8(2).u8(0);
    w.u8(kSetSecret).u8(2).u8(0).u8(kDecryptGenuine).u8(2).u8(0);
    w.u8(kSetGrace).u8(0).u8(1).u8(kSetSecret).u8(0).u8(1);
    enc(w, 1, 0, 10);
    w.u8(kDecryptGenuine).u8(2).u8(1).u8(kCheckStats).u8(0).u8(kCheckStats).u8(1);
    save(t, "rotation", w.data());
  }
  {
    Writer w;  // mutations of each kind, raw bytes, short buffers, invalid secrets, no secret
    w.u8(4);
    enc(w, 0, 0, 4);
    w.u8(kDecryptRaw).u8(2).u8(3).u8(0x00).u8(0x01).u8(0x02).u8(0);
    w.u8(kSetInvalidSecret).u8(0).u8(4).u8('s').u8('h').u8('o').u8('r');
    w.u8(kSetInvalidSecret).u8(1).u8(9).u8('n').u8('u').u8('l').u8(0).u8('i').u8('n').u8('s').u8('i').u8('d');
    w.u8(kSetInvalidSecret).u8(2).u8(9).u8(0xC0).u8(0x80).u8('o').u8('v').u8('e').u8('r').u8('l').u8('o').u8('n');
    w.u8(kSetSecret).u8(0).u8(1).u8(kSetSecret).u8(2).u8(1);
    enc(w, 0, 2, 40);
    for (std::uint8_t kind = 0; kind < 4; ++kind) w.u8(kDecryptMutated).u8(2).u8(0).u8(kind).u16(5).u8(0x10);
    w.u8(kSmallBuffers).u8(2).u8(0).u8(kDecryptGenuine).u8(2).u8(0).u8(kCheckStats).u8(2);
    save(t, "mutations", w.data());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <corpus dir> <testvectors/sframe/rfc9605-test-vectors.json>\n", argv[0]);
    return 2;
  }
  g_dir = argv[1];
  std::ifstream vf(argv[2]);
  const nlohmann::json vectors = nlohmann::json::parse(vf);
  sframe_seeds(vectors);
  protocol_seeds();
  cryptor_seeds();
  std::printf("wrote %d seeds under %s\n", g_written, g_dir.c_str());
  return 0;
}
