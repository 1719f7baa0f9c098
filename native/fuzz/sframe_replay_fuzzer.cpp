// SFrame header parse, unprotect and replay window, checked against a reference model.
//
// The input's first byte picks the cipher suite; the rest is a program of operations
// (fuzz_support.hpp, SframeOp): protect a frame under one of
// a few KIDs with a chosen counter and deliver it, deliver it tampered, truncated, with the wrong
// metadata or an output buffer too small, deliver an earlier frame again, or deliver arbitrary
// bytes. Every delivery goes to
//   - a fresh receiving otc_frame_cryptor per input, whose status must equal exactly what
//     ReplayModel (replay_model.hpp) predicts, and whose output must be the plaintext on success
//     and untouched otherwise;
//   - the test-only raw C API of otc/testing/sframe.h (otc_sframe_header_decode, otc_sframe_unprotect
//     on a context that holds the KIDs' keys), whose statuses follow that header (no replay check
//     at that layer).
// Any mismatch aborts, which libFuzzer reports as a crash with the input that caused it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "e2ee_kdf.hpp"
#include "fuzz_support.hpp"
#include "otc/frame_cryptor.h"
#include "otc/testing/sframe.h"
#include "replay_model.hpp"

namespace {

using namespace otc::fuzz;

// The input's first byte picks one (modulo 4). Tags of 8 bytes or more, so that no tampered frame
// authenticates by luck (AES_128_CTR_HMAC_SHA256_32, 4-byte tag, would at 2^-32 per try).
constexpr int kSuites[] = {OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128, OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128,
                           OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_80, OTC_CIPHER_SUITE_AES_128_CTR_HMAC_SHA256_64};
constexpr std::size_t kSuiteCount = sizeof kSuites / sizeof kSuites[0];
constexpr std::size_t kMaxOps = 128;
const std::uint8_t kMetadata[] = {'m', 'e', 't', 'a', 0x07, 0x01};
const std::uint8_t kOtherMetadata[] = {'m', 'e', 't', 'a', 0x07, 0x02};
constexpr std::uint8_t kCanary = 0xA5;

[[noreturn]] void fail(const char* what, long long got, long long want) {
  std::fprintf(stderr, "sframe_replay: %s: got %lld, expected %lld\n", what, got, want);
  std::abort();
}

void expect(const char* what, long long got, long long want) {
  if (got != want) fail(what, got, want);
}

const char* name_of(otc_status st) {
  const char* n = otc_error_name(st);
  return n != nullptr ? n : "(unknown status)";
}

// A status mismatch, with the names and the frame's header, so the log alone explains it.
void expect_status(const char* what, otc_status got, otc_status want, const std::vector<std::uint8_t>& frame) {
  if (got == want) return;
  ModelHeader h;
  const bool parsed = model_parse_header(frame.data(), frame.size(), &h);
  std::fprintf(stderr, "sframe_replay: %s: got %s, expected %s; frame of %zu bytes, kid 0x%016llx ctr %llu%s\n", what,
               name_of(got), name_of(want), frame.size(), static_cast<unsigned long long>(h.kid),
               static_cast<unsigned long long>(h.ctr), parsed ? "" : " (header does not parse)");
  std::abort();
}

// Built once per process and suite: the receiver's keyring (one scrypt), the raw context holding
// the keys of the KIDs frames are protected under.
struct World {
  int suite = 0;
  otc_frame_cryptor* base = nullptr;  // holds the secret; each input receives on a cryptor sharing it
  otc_sframe_context* raw = nullptr;
  std::uint16_t fingerprint = 0;
  std::vector<std::uint64_t> kids;     // under the secret (fingerprint F)
  std::vector<std::uint64_t> foreign;  // fingerprints other than F, keys unrelated to the secret

  explicit World(int cipher_suite) : suite(cipher_suite) {
    const char* secret = kSecrets[0];
    const auto* s = reinterpret_cast<const std::uint8_t*>(secret);
    base = otc_frame_cryptor_new(kSessionId, suite);
    if (base == nullptr || otc_frame_cryptor_set_encryption_secret(base, s, std::strlen(secret)) != OTC_SUCCESS) {
      std::abort();
    }
    std::uint8_t master[otc::kMasterKeyLen];
    if (!otc::derive_master_key(kSessionId, std::strlen(kSessionId), s, std::strlen(secret), master) ||
        !otc::master_key_fingerprint(master, &fingerprint)) {
      std::abort();
    }
    const std::uint64_t f = std::uint64_t{fingerprint} << 48;
    kids = {f | 0, f | 1, f | 0x00000000BEEFull, f | otc::kSenderIdMask};
    foreign = {std::uint64_t{static_cast<std::uint16_t>(fingerprint ^ 0x8000)} << 48 | 7, 5,
               std::uint64_t{static_cast<std::uint16_t>(fingerprint + 1)} << 48 | 0x123456};
    raw = otc_sframe_context_new(suite);
    if (raw == nullptr) std::abort();
    for (std::uint64_t kid : kids) {
      std::uint8_t base_key[otc::kBaseKeyLen];
      if (!otc::derive_base_key(master, kid, static_cast<std::uint16_t>(suite), base_key) ||
          otc_sframe_context_add_key(raw, kid, base_key, sizeof base_key) != OTC_SUCCESS) {
        std::abort();
      }
    }
    const std::uint8_t unrelated[32] = {42};
    for (std::uint64_t kid : foreign) {
      if (otc_sframe_context_add_key(raw, kid, unrelated, sizeof unrelated) != OTC_SUCCESS) std::abort();
    }
    std::memset(master, 0, sizeof master);
  }
};

World& world(std::size_t index) {
  static World* worlds[kSuiteCount] = {};
  if (worlds[index] == nullptr) worlds[index] = new World(kSuites[index]);  // lives for the process
  return *worlds[index];
}

struct Frame {
  std::vector<std::uint8_t> bytes;
  bool genuine_metadata;  // decrypt with kMetadata (else kOtherMetadata)
  bool authentic;         // exactly what protect produced, for that metadata
  std::vector<std::uint8_t> plaintext;
};

class Run {
 public:
  explicit Run(std::size_t suite_index)
      : w_(world(suite_index)), model_(w_.fingerprint, otc_cipher_suite_tag_size(w_.suite)) {
    rx_ = otc_frame_cryptor_new_sharing_keys(w_.base);
    if (rx_ == nullptr) std::abort();
  }
  ~Run() { otc_frame_cryptor_delete(rx_); }

  void op(Input& in) {
    const std::uint8_t code = in.u8() % kSframeOpCount;
    switch (code) {
      case kDeliver:
      case kWrongMetadata:
      case kForeign: {
        Frame f = protect(in, code == kForeign);
        if (code == kWrongMetadata) {
          f.genuine_metadata = false;
          f.authentic = false;
        }
        deliver(f, SIZE_MAX);
        return;
      }
      case kTamper: {
        Frame f = protect(in, false);
        const std::size_t pos = in.u16() % f.bytes.size();
        std::uint8_t mask = in.u8();
        f.bytes[pos] ^= mask == 0 ? 1 : mask;
        f.authentic = false;
        deliver(f, SIZE_MAX);
        return;
      }
      case kTruncate: {
        Frame f = protect(in, false);
        const std::size_t cut = 1 + in.u8() % f.bytes.size();
        f.bytes.resize(f.bytes.size() - cut);
        f.authentic = false;
        deliver(f, SIZE_MAX);
        return;
      }
      case kRedeliver: {
        if (history_.empty()) return;
        const Frame f = history_[in.u8() % history_.size()];
        deliver(f, SIZE_MAX);
        return;
      }
      case kRaw: {
        Frame f{in.bytes(in.u8()), false, false, {}};
        deliver(f, SIZE_MAX);
        return;
      }
      case kSmallOutput: {
        Frame f = protect(in, false);
        deliver(f, in.u8());
        return;
      }
    }
  }

  void finish() {
    otc_frame_cryptor_stats st = OTC_FRAME_CRYPTOR_STATS_INIT;
    expect("get_stats", otc_frame_cryptor_get_stats(rx_, &st), OTC_SUCCESS);
    expect("stats.frames_decrypted", st.frames_decrypted, tally(OTC_SUCCESS));
    expect("stats.replayed", st.replayed, tally(OTC_FRAME_REPLAYED));
    expect("stats.authentication_failed", st.authentication_failed, tally(OTC_FRAME_AUTHENTICATION_FAILED));
    expect("stats.malformed", st.malformed, tally(OTC_FRAME_MALFORMED));
    expect("stats.secret_mismatch", st.secret_mismatch, tally(OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH));
    expect("stats.buffer_too_small", st.buffer_too_small, tally(OTC_ERR_BUFFER_TOO_SMALL));
    expect("stats.internal_error", st.internal_error, 0);
  }

 private:
  std::uint64_t counter(Input& in, std::uint64_t kid) {
    const std::uint64_t top = model_.highest(kid);
    switch (in.u8() % kCtrModeCount) {
      case kCtrSmall:
        return in.u8();
      case kCtrRelative: {
        const auto delta = static_cast<std::int16_t>(in.u16());
        if (delta < 0) return top >= std::uint64_t(-delta) ? top + delta : 0;
        return top <= UINT64_MAX - delta ? top + delta : UINT64_MAX;
      }
      case kCtrAbsolute:
        return in.u64();
      default: {
        const std::uint64_t back = 1016 + in.u8() % 16;
        return top >= back ? top - back : 0;
      }
    }
  }

  Frame protect(Input& in, bool foreign) {
    const std::vector<std::uint64_t>& set = foreign ? w_.foreign : w_.kids;
    const std::uint64_t kid = set[in.u8() % set.size()];
    const std::uint64_t ctr = counter(in, kid);
    Frame f{{}, true, true, std::vector<std::uint8_t>(in.u8())};
    for (std::size_t i = 0; i < f.plaintext.size(); ++i) f.plaintext[i] = static_cast<std::uint8_t>(kid ^ ctr ^ i);
    f.bytes.resize(f.plaintext.size() + otc_sframe_max_overhead(w_.suite));
    std::size_t n = 0;
    expect("otc_sframe_protect", otc_sframe_protect(w_.raw, kid, ctr, kMetadata, sizeof kMetadata,
                                                    f.plaintext.data(), f.plaintext.size(), f.bytes.data(),
                                                    f.bytes.size(), &n), OTC_SUCCESS);
    f.bytes.resize(n);
    // The header protect wrote is the shortest encoding of (kid, ctr), as otc_sframe_header_encode gives.
    std::uint8_t header[OTC_SFRAME_MAX_HEADER_SIZE];
    std::size_t header_len = 0;
    expect("header_encode", otc_sframe_header_encode(kid, ctr, header, sizeof header, &header_len), OTC_SUCCESS);
    if (header_len > n || std::memcmp(header, f.bytes.data(), header_len) != 0) fail("protect header", 0, 1);
    ModelHeader h;
    if (!model_parse_header(header, header_len, &h) || h.kid != kid || h.ctr != ctr || h.len != header_len) {
      fail("encoded header does not parse back", 0, 1);
    }
    return f;
  }

  void deliver(const Frame& f, std::size_t out_capacity) {
    if (history_.size() < 256) history_.push_back(f);
    const std::uint8_t* md = f.genuine_metadata ? kMetadata : kOtherMetadata;
    const std::size_t md_len = f.genuine_metadata ? sizeof kMetadata : sizeof kOtherMetadata;
    const std::uint8_t* bytes = f.bytes.empty() ? nullptr : f.bytes.data();
    const std::size_t cap = out_capacity < f.bytes.size() ? out_capacity : f.bytes.size();

    check_header_api(f);
    check_raw_unprotect(f, md, md_len, cap);

    const otc_status want = model_.predict(bytes, f.bytes.size(), f.authentic, cap);
    std::vector<std::uint8_t> out(cap + 1, kCanary);
    std::size_t out_len = 0;
    const otc_status got = otc_frame_cryptor_decrypt(rx_, md, md_len, bytes, f.bytes.size(), out.data(), cap, &out_len);
    expect_status("decrypt status (see replay_model.hpp)", got, want, f.bytes);
    ++tally_[got];
    check_output(f, got, out, out_len);
    if (got == OTC_SUCCESS) model_.accept(bytes, f.bytes.size());
  }

  // otc_sframe_header_decode agrees with the model's parser on any bytes.
  static void check_header_api(const Frame& f) {
    ModelHeader h;
    const bool parses = model_parse_header(f.bytes.data(), f.bytes.size(), &h);
    std::uint64_t kid = 0, ctr = 0;
    std::size_t len = 0;
    static const std::uint8_t kNone = 0;
    const std::uint8_t* p = f.bytes.empty() ? &kNone : f.bytes.data();
    const otc_status st = otc_sframe_header_decode(p, f.bytes.size(), &kid, &ctr, &len);
    expect("header_decode status", st, parses ? OTC_SUCCESS : OTC_FRAME_MALFORMED);
    if (parses) {
      expect("header_decode kid", static_cast<long long>(kid), static_cast<long long>(h.kid));
      expect("header_decode ctr", static_cast<long long>(ctr), static_cast<long long>(h.ctr));
      expect("header_decode len", len, h.len);
    }
  }

  // The raw context: no replay check, unknown KID is its own status.
  void check_raw_unprotect(const Frame& f, const std::uint8_t* md, std::size_t md_len, std::size_t cap) {
    ModelHeader h;
    const std::size_t tag = otc_cipher_suite_tag_size(w_.suite);
    otc_status want;
    if (!model_parse_header(f.bytes.data(), f.bytes.size(), &h) || f.bytes.size() - h.len < tag) {
      want = OTC_FRAME_MALFORMED;
    } else if (cap < f.bytes.size() - h.len - tag) {
      want = OTC_ERR_BUFFER_TOO_SMALL;
    } else if (!has_raw_key(h.kid)) {
      want = OTC_FRAME_UNKNOWN_KEY;
    } else {
      want = f.authentic ? OTC_SUCCESS : OTC_FRAME_AUTHENTICATION_FAILED;
    }
    std::vector<std::uint8_t> out(cap + 1, kCanary);
    std::size_t out_len = 0;
    std::uint64_t kid = ~0ull, ctr = ~0ull;
    const otc_status got = otc_sframe_unprotect(w_.raw, md, md_len, f.bytes.empty() ? nullptr : f.bytes.data(),
                                                f.bytes.size(), out.data(), cap, &out_len, &kid, &ctr);
    expect_status("otc_sframe_unprotect status", got, want, f.bytes);
    if (model_parse_header(f.bytes.data(), f.bytes.size(), &h)) {
      expect("unprotect kid", static_cast<long long>(kid), static_cast<long long>(h.kid));
      expect("unprotect ctr", static_cast<long long>(ctr), static_cast<long long>(h.ctr));
    }
    check_output(f, got, out, out_len);
  }

  bool has_raw_key(std::uint64_t kid) const {
    for (std::uint64_t k : w_.kids) if (k == kid) return true;
    for (std::uint64_t k : w_.foreign) if (k == kid) return true;
    return false;
  }

  // Success: exactly the plaintext. Anything else: not one byte of `out` written.
  static void check_output(const Frame& f, otc_status st, const std::vector<std::uint8_t>& out, std::size_t out_len) {
    std::size_t untouched_from = 0;
    if (st == OTC_SUCCESS) {
      expect("out_len", out_len, f.plaintext.size());
      if (!f.plaintext.empty() && std::memcmp(out.data(), f.plaintext.data(), out_len) != 0) fail("plaintext", 0, 1);
      untouched_from = out_len;
    }
    for (std::size_t i = untouched_from; i < out.size(); ++i) {
      if (out[i] != kCanary) fail("output written beyond the plaintext or on failure, at byte", i, -1);
    }
  }

  std::uint64_t tally(otc_status st) const {
    auto it = tally_.find(st);
    return it == tally_.end() ? 0 : it->second;
  }

  World& w_;
  ReplayModel model_;
  otc_frame_cryptor* rx_ = nullptr;
  std::vector<Frame> history_;
  std::map<int, std::uint64_t> tally_;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (std::size_t i = 0; i < kSuiteCount; ++i) world(i);  // the scrypts run here, not in an input's time
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  Run run(in.u8() % kSuiteCount);
  for (std::size_t i = 0; i < kMaxOps && !in.empty(); ++i) run.op(in);
  run.finish();
  return 0;
}
