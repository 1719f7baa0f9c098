// otc_frame_cryptor (frame_cryptor.h) driven by arbitrary sequences of operations.
//
// Per input: three cryptors (0 and 1 share a keyring, 2 has its own) of a suite the first byte
// picks, then a program of CryptorOp (fuzz_support.hpp): set one of three fixed secrets, try an
// invalid secret, encrypt, decrypt a frame produced earlier (genuine), mutated (bit flips,
// truncation, extension, other metadata) or arbitrary bytes, change the grace period, read stats,
// encrypt/decrypt into a buffer one byte short. Checks, besides ASan/UBSan/LeakSanitizer:
//   - decrypt succeeds only for the exact bytes and metadata of a frame encrypt produced, and then
//     returns its plaintext; on any other outcome `out` is untouched;
//   - every status is one frame_cryptor.h documents for that call;
//   - a genuine frame decrypts on a cryptor whose current secret is the frame's, unless that
//     cryptor already accepted it; it never decrypts twice on one cryptor while no secret has
//     been dropped from that cryptor's keyring (see kReplaySurvivesSecretDrop);
//   - an invalid secret is refused and changes nothing; a too-small buffer is refused;
//   - the stats count exactly the outcomes returned.
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include "fuzz_support.hpp"
#include "otc/frame_cryptor.h"
#include "otc/secret.h"
#include "otc/testing/sframe.h"

namespace {

using namespace otc::fuzz;

// The receive state survives a secret being dropped and set again (docs/FORMAT.md 5.1): when a
// secret expires, each of its senders leaves a high-water mark, and frames at or below it are
// refused as replays even if they were never delivered. So the at-most-once check holds across
// secret changes, and a genuine frame under a marked KID may be refused (as *replayed* only).
constexpr bool kReplaySurvivesSecretDrop = true;

constexpr std::size_t kMaxOps = 96;
constexpr std::size_t kMaxFrames = 64;
constexpr std::uint8_t kCanary = 0x5A;

[[noreturn]] void fail(const char* what, long long a, long long b) {
  std::fprintf(stderr, "frame_cryptor: %s (%lld, %lld)\n", what, a, b);
  std::abort();
}

void expect(const char* what, long long got, long long want) {
  if (got != want) fail(what, got, want);
}

struct Genuine {
  std::vector<std::uint8_t> frame, metadata, plaintext;
  int secret;  // index into kSecrets it was encrypted under
};

struct Tally {
  std::map<int, std::uint64_t> decrypt, encrypt;
};

class Run {
 public:
  explicit Run(int suite) {
    c_[0] = otc_frame_cryptor_new(kSessionId, suite);
    c_[1] = otc_frame_cryptor_new_sharing_keys(c_[0]);
    c_[2] = otc_frame_cryptor_new(kSessionId, suite);
    for (auto* c : c_) if (c == nullptr) std::abort();
  }
  ~Run() {
    for (auto* c : c_) otc_frame_cryptor_delete(c);
  }

  void op(Input& in) {
    const std::uint8_t code = in.u8() % kCryptorOpCount;
    const std::size_t ci = in.u8() % kCryptors;
    otc_frame_cryptor* c = c_[ci];
    switch (code) {
      case kSetSecret: {
        const int s = in.u8() % kSecretCount;
        const auto* p = reinterpret_cast<const std::uint8_t*>(kSecrets[s]);
        expect("set_encryption_secret", otc_frame_cryptor_set_encryption_secret(c, p, std::strlen(kSecrets[s])), OTC_SUCCESS);
        current_[ring(ci)] = s;
        break;
      }
      case kSetInvalidSecret: {
        const std::vector<std::uint8_t> b = in.bytes(in.u8());
        // A valid one would cost a real scrypt (0.1 s); those are the fixed secrets' business.
        if (otc_encryption_secret_validate(b.data(), b.size()) == OTC_SUCCESS) break;
        const otc_bool had = otc_frame_cryptor_has_encryption_secret(c);
        expect("invalid secret refused", otc_frame_cryptor_set_encryption_secret(c, b.data(), b.size()),
               OTC_SESSION_INVALID_ENCRYPTION_SECRET);
        expect("invalid secret changed has_secret", otc_frame_cryptor_has_encryption_secret(c), had);
        break;
      }
      case kEncrypt:
        encrypt(ci, in.bytes(in.u8() % 64), in.u16() % 2048);
        break;
      case kDecryptGenuine:
        if (!frames_.empty()) {
          const Genuine& g = frames_[in.u8() % frames_.size()];
          decrypt(ci, g.frame, g.metadata);
        }
        break;
      case kDecryptMutated:
        if (!frames_.empty()) decrypt_mutated(ci, frames_[in.u8() % frames_.size()], in);
        break;
      case kDecryptRaw: {
        const std::vector<std::uint8_t> frame = in.bytes(in.u8());
        const std::vector<std::uint8_t> md = in.bytes(in.u8() % 8);
        decrypt(ci, frame, md);
        break;
      }
      case kSetGrace:
        // Only 0 and the maximum keep an input's outcome independent of how fast it runs.
        expect("set_grace_period_ms", otc_frame_cryptor_set_grace_period_ms(c, (in.u8() & 1) ? 600000 : 0), OTC_SUCCESS);
        expect("grace above the maximum", otc_frame_cryptor_set_grace_period_ms(c, 600001), OTC_ERR_INVALID_PARAM);
        break;
      case kCheckStats:
        check_stats(ci);
        break;
      case kSmallBuffers:
        small_buffers(ci, in);
        break;
    }
    note_secret_drops();
  }

  void finish() {
    for (std::size_t i = 0; i < kCryptors; ++i) check_stats(i);
  }

 private:
  static std::size_t ring(std::size_t ci) { return ci == 2 ? 1 : 0; }

  void encrypt(std::size_t ci, const std::vector<std::uint8_t>& md, std::size_t pt_len) {
    otc_frame_cryptor* c = c_[ci];
    Genuine g{{}, md, std::vector<std::uint8_t>(pt_len), current_[ring(ci)]};
    for (std::size_t i = 0; i < pt_len; ++i) g.plaintext[i] = static_cast<std::uint8_t>(i * 31 + frames_.size());
    const std::size_t overhead = otc_frame_cryptor_max_overhead(c);
    g.frame.assign(pt_len + overhead, 0);
    std::size_t n = 0;
    const otc_status st = otc_frame_cryptor_encrypt(c, md.empty() ? nullptr : md.data(), md.size(),
                                                    g.plaintext.empty() ? nullptr : g.plaintext.data(), pt_len,
                                                    g.frame.data(), g.frame.size(), &n);
    ++tally_[ci].encrypt[st];
    if (current_[ring(ci)] < 0) {
      expect("encrypt without a secret", st, OTC_SESSION_ENCRYPTION_SECRET_MISSING);
      return;
    }
    expect("encrypt", st, OTC_SUCCESS);
    if (n <= pt_len || n > pt_len + overhead) fail("encrypted length", n, pt_len);
    g.frame.resize(n);
    if (frames_.size() < kMaxFrames) frames_.push_back(std::move(g));
  }

  void decrypt_mutated(std::size_t ci, const Genuine& g, Input& in) {
    std::vector<std::uint8_t> frame = g.frame;
    std::vector<std::uint8_t> md = g.metadata;
    const std::uint8_t kind = in.u8() % 4;
    const std::size_t pos = in.u16();
    const std::uint8_t value = in.u8();
    switch (kind) {
      case 0:
        frame[pos % frame.size()] ^= value == 0 ? 0x80 : value;
        break;
      case 1:
        frame.resize(pos % frame.size());
        break;
      case 2:
        frame.insert(frame.begin() + pos % (frame.size() + 1), value);
        break;
      default:
        if (md.empty()) md.push_back(value);
        else md[pos % md.size()] ^= value == 0 ? 1 : value;
        break;
    }
    decrypt(ci, frame, md);
  }

  // A genuine frame's index when (frame, md) is byte for byte one that encrypt produced.
  int genuine_index(const std::vector<std::uint8_t>& frame, const std::vector<std::uint8_t>& md) const {
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      if (frames_[i].frame == frame && frames_[i].metadata == md) return static_cast<int>(i);
    }
    return -1;
  }

  void decrypt(std::size_t ci, const std::vector<std::uint8_t>& frame, const std::vector<std::uint8_t>& md) {
    otc_frame_cryptor* c = c_[ci];
    std::vector<std::uint8_t> out(frame.size() + 1, kCanary);
    std::size_t out_len = 0;
    const otc_status st = otc_frame_cryptor_decrypt(c, md.empty() ? nullptr : md.data(), md.size(),
                                                    frame.empty() ? nullptr : frame.data(), frame.size(),
                                                    out.data(), out.size() - 1, &out_len);
    ++tally_[ci].decrypt[st];
    switch (st) {
      case OTC_SUCCESS:
      case OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH:
      case OTC_FRAME_AUTHENTICATION_FAILED:
      case OTC_FRAME_REPLAYED:
      case OTC_FRAME_MALFORMED:
      case OTC_SESSION_ENCRYPTION_SECRET_MISSING:
        break;
      default:
        fail("undocumented decrypt status", st, 0);
    }
    if (current_[ring(ci)] < 0) expect("decrypt without a secret", st, OTC_SESSION_ENCRYPTION_SECRET_MISSING);

    const int gi = genuine_index(frame, md);
    if (st == OTC_SUCCESS) {
      if (gi < 0) fail("decrypt accepted bytes encrypt never produced", static_cast<long long>(frame.size()), 0);
      const Genuine& g = frames_[gi];
      expect("out_len", out_len, g.plaintext.size());
      if (!g.plaintext.empty() && std::memcmp(out.data(), g.plaintext.data(), out_len) != 0) fail("plaintext differs", gi, 0);
      if (accepted_[ci].count(gi) != 0) fail("frame delivered twice to one cryptor", gi, static_cast<long long>(ci));
      accepted_[ci].insert(gi);
      ever_accepted_[ci].insert(gi);
      for (std::size_t i = out_len; i < out.size(); ++i) if (out[i] != kCanary) fail("wrote past the plaintext", i, 0);
      return;
    }
    for (std::size_t i = 0; i < out.size(); ++i) if (out[i] != kCanary) fail("failed decrypt wrote to out", i, st);
    note_secret_drops();  // this very call may have expired a secret and left marks
    if (gi >= 0 && st == OTC_FRAME_REPLAYED && below_mark(ci, frames_[gi].frame)) return;
    if (gi >= 0 && frames_[gi].secret == current_[ring(ci)] && ever_accepted_[ci].count(gi) == 0) {
      fail("genuine frame under the current secret refused", st, gi);
    }
  }

  void small_buffers(std::size_t ci, Input& in) {
    otc_frame_cryptor* c = c_[ci];
    const std::uint8_t pt[3] = {1, 2, 3};
    std::vector<std::uint8_t> out(3 + otc_frame_cryptor_max_overhead(c) - 1);
    std::size_t n = 0;
    const otc_status st = otc_frame_cryptor_encrypt(c, nullptr, 0, pt, sizeof pt, out.data(), out.size(), &n);
    ++tally_[ci].encrypt[st];
    expect("encrypt into a short buffer", st,
           current_[ring(ci)] < 0 ? OTC_SESSION_ENCRYPTION_SECRET_MISSING : OTC_ERR_BUFFER_TOO_SMALL);
    if (frames_.empty() || current_[ring(ci)] < 0) return;
    const Genuine& g = frames_[in.u8() % frames_.size()];
    if (g.plaintext.empty()) return;
    std::vector<std::uint8_t> small(g.plaintext.size() - 1 + 1, kCanary);
    const otc_status ds = otc_frame_cryptor_decrypt(c, g.metadata.empty() ? nullptr : g.metadata.data(), g.metadata.size(),
                                                    g.frame.data(), g.frame.size(), small.data(), small.size() - 1, &n);
    ++tally_[ci].decrypt[ds];
    expect("decrypt into a short buffer", ds, OTC_ERR_BUFFER_TOO_SMALL);
    for (std::uint8_t b : small) if (b != kCanary) fail("short-buffer decrypt wrote to out", b, 0);
  }

  // A secret dropped from a keyring leaves high-water marks of its senders behind: record them (see
  // kReplaySurvivesSecretDrop), and keep what each cryptor accepted, which must never decrypt again.
  void note_secret_drops() {
    for (std::size_t i = 0; i < kCryptors; ++i) {
      otc_frame_cryptor_stats st = OTC_FRAME_CRYPTOR_STATS_INIT;
      expect("get_stats", otc_frame_cryptor_get_stats(c_[i], &st), OTC_SUCCESS);
      if (st.secrets_expired != expired_[i]) {
        expired_[i] = st.secrets_expired;
        if (!kReplaySurvivesSecretDrop) {
          accepted_[i].clear();
        } else {
          // Over-approximates the library's marks (it leaves them only for the expired secret's
          // senders): the model then tolerates a *replayed* refusal it could have ruled out.
          for (int gi : accepted_[i]) {
            std::uint64_t kid = 0, ctr = 0;
            if (header_of(frames_[gi].frame, &kid, &ctr)) {
              auto [it, fresh] = marks_[i].emplace(kid, ctr);
              if (!fresh && it->second < ctr) it->second = ctr;
            }
          }
        }
      }
    }
  }

  static bool header_of(const std::vector<std::uint8_t>& frame, std::uint64_t* kid, std::uint64_t* ctr) {
    std::size_t len = 0;
    return otc_sframe_header_decode(frame.data(), frame.size(), kid, ctr, &len) == OTC_SUCCESS;
  }

  bool below_mark(std::size_t ci, const std::vector<std::uint8_t>& frame) const {
    std::uint64_t kid = 0, ctr = 0;
    if (!header_of(frame, &kid, &ctr)) return false;
    auto it = marks_[ci].find(kid);
    return it != marks_[ci].end() && ctr <= it->second;
  }

  std::uint64_t count(const std::map<int, std::uint64_t>& m, int st) const {
    auto it = m.find(st);
    return it == m.end() ? 0 : it->second;
  }

  void check_stats(std::size_t ci) {
    otc_frame_cryptor_stats st = OTC_FRAME_CRYPTOR_STATS_INIT;
    expect("get_stats", otc_frame_cryptor_get_stats(c_[ci], &st), OTC_SUCCESS);
    const Tally& t = tally_[ci];
    expect("frames_encrypted", st.frames_encrypted, count(t.encrypt, OTC_SUCCESS));
    expect("frames_decrypted", st.frames_decrypted, count(t.decrypt, OTC_SUCCESS));
    expect("secret_mismatch", st.secret_mismatch, count(t.decrypt, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH));
    expect("authentication_failed", st.authentication_failed, count(t.decrypt, OTC_FRAME_AUTHENTICATION_FAILED));
    expect("replayed", st.replayed, count(t.decrypt, OTC_FRAME_REPLAYED));
    expect("malformed", st.malformed, count(t.decrypt, OTC_FRAME_MALFORMED));
    expect("buffer_too_small", st.buffer_too_small,
           count(t.decrypt, OTC_ERR_BUFFER_TOO_SMALL) + count(t.encrypt, OTC_ERR_BUFFER_TOO_SMALL));
    expect("secret_missing", st.secret_missing,
           count(t.decrypt, OTC_SESSION_ENCRYPTION_SECRET_MISSING) + count(t.encrypt, OTC_SESSION_ENCRYPTION_SECRET_MISSING));
    expect("internal_error", st.internal_error, 0);
  }

  std::array<otc_frame_cryptor*, kCryptors> c_{};
  std::array<int, 2> current_{-1, -1};  // per keyring: index of the current secret, -1 none
  std::vector<Genuine> frames_;
  std::array<std::set<int>, kCryptors> accepted_, ever_accepted_;
  std::array<std::uint64_t, kCryptors> expired_{};
  std::array<std::map<std::uint64_t, std::uint64_t>, kCryptors> marks_;  // KID -> highest counter accepted before a drop
  std::array<Tally, kCryptors> tally_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  Run run(1 + in.u8() % 5);
  for (std::size_t i = 0; i < kMaxOps && !in.empty(); ++i) run.op(in);
  run.finish();
  return 0;
}
