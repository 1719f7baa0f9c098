// Shared by the fuzz targets and the seed generator (seed_gen.cpp): how an input's bytes become
// operations (a reader, and the writer the generator uses to build seeds in the same format), the
// operation codes of each target, and the fixed session and secrets.
#ifndef OTC_FUZZ_FUZZ_SUPPORT_HPP
#define OTC_FUZZ_FUZZ_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace otc::fuzz {

// Reads an input front to back; past the end every read yields zeros, so any input is a program.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t len) : data_(data), len_(len) {}
  bool empty() const { return pos_ >= len_; }
  std::uint8_t u8();
  std::uint16_t u16();
  std::uint64_t u64();
  // Up to n bytes (fewer at the end of the input).
  std::vector<std::uint8_t> bytes(std::size_t n);

 private:
  const std::uint8_t* data_;
  std::size_t len_;
  std::size_t pos_ = 0;
};

class Writer {
 public:
  Writer& u8(std::uint8_t v);
  Writer& u16(std::uint16_t v);
  Writer& u64(std::uint64_t v);
  Writer& bytes(const std::vector<std::uint8_t>& v);
  const std::vector<std::uint8_t>& data() const { return out_; }

 private:
  std::vector<std::uint8_t> out_;
};

constexpr char kSessionId[] = "fuzz-session";
// Valid secrets (8..256 code points); the targets never derive any others, so scrypt runs at most
// once per secret and process.
constexpr const char* kSecrets[] = {"correct horse battery staple", "second secret, rotated in",
                                    "\xC3\xA9t\xC3\xA9 2026 \xE2\x80\x94 third"};
constexpr std::size_t kSecretCount = sizeof kSecrets / sizeof kSecrets[0];

// ---- sframe_replay: a suite byte, then operations (first byte of each, modulo the count) ----
// A counter is given as a mode byte and its argument (see CtrMode).
enum SframeOp : std::uint8_t {
  kDeliver = 0,        // kid index, counter, plaintext length: a genuine frame
  kTamper = 1,         // kid, counter, plaintext length, u16 position, u8 xor mask
  kTruncate = 2,       // kid, counter, plaintext length, u8 bytes to cut (at least 1)
  kRedeliver = 3,      // u8 index into the frames delivered so far: the same bytes again
  kWrongMetadata = 4,  // kid, counter, plaintext length: genuine frame, other metadata
  kRaw = 5,            // u8 length, bytes: arbitrary frame bytes
  kSmallOutput = 6,    // kid, counter, plaintext length, u8 output capacity
  kForeign = 7,        // kid index, counter, plaintext length: a KID of another secret
  kSframeOpCount = 8
};
enum CtrMode : std::uint8_t {
  kCtrSmall = 0,       // u8: that counter
  kCtrRelative = 1,    // u16 as int16: highest accepted counter of the KID + delta
  kCtrAbsolute = 2,    // u64: that counter
  kCtrWindowEdge = 3,  // u8: highest - (1016 + arg % 16), around the 1024-counter window's edge
  kCtrModeCount = 4
};

// ---- frame_cryptor: operations ----
enum CryptorOp : std::uint8_t {
  kSetSecret = 0,        // cryptor, u8 secret index
  kSetInvalidSecret = 1, // cryptor, u8 length, bytes (used only when they are not a valid secret)
  kEncrypt = 2,          // cryptor, u8 metadata length, u16 plaintext length
  kDecryptGenuine = 3,   // cryptor, u8 index of an encrypted frame
  kDecryptMutated = 4,   // cryptor, u8 frame index, u8 kind, u16 position, u8 value
  kDecryptRaw = 5,       // cryptor, u8 length, bytes
  kSetGrace = 6,         // cryptor, u8 (even: 0 ms, odd: 600000 ms)
  kCheckStats = 7,       // cryptor
  kSmallBuffers = 8,     // cryptor, u8 frame index: encrypt and decrypt one byte short
  kCryptorOpCount = 9
};
constexpr std::size_t kCryptors = 3;  // 0 and 1 share a keyring, 2 has its own

}  // namespace otc::fuzz

#endif
