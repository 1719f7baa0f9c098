// Reference model of what otc_frame_cryptor_decrypt returns for a frame (docs/FORMAT.md sec. 5),
// written from the spec and independently of the library: its own header parser, and per KID the
// set of accepted counters instead of the library's bitmap. The sframe_replay target asserts that
// the library returns exactly what this predicts.
//
// Scope: one receiving cryptor with one secret (fingerprint F), a handful of KIDs (so the
// 1024-sender LRU never evicts), no secret change. If the receive-state rules change (per-session
// windows, evicted-KID high-water marks), this file is the one to adjust.
#ifndef OTC_FUZZ_REPLAY_MODEL_HPP
#define OTC_FUZZ_REPLAY_MODEL_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>

#include "otc/errors.h"

namespace otc::fuzz {

struct ModelHeader {
  std::uint64_t kid = 0, ctr = 0;
  std::size_t len = 0;
};

// RFC 9605 sec. 4.3: config byte X|KKK|Y|CCC; X (Y) set: KKK (CCC) + 1 big-endian bytes follow.
inline bool model_parse_header(const std::uint8_t* f, std::size_t n, ModelHeader* h) {
  if (n == 0) return false;
  const std::size_t kid_bytes = (f[0] & 0x80) ? ((f[0] >> 4) & 7) + 1 : 0;
  const std::size_t ctr_bytes = (f[0] & 0x08) ? (f[0] & 7) + 1 : 0;
  if (n < 1 + kid_bytes + ctr_bytes) return false;
  std::uint64_t kid = kid_bytes ? 0 : (f[0] >> 4) & 7;
  std::uint64_t ctr = ctr_bytes ? 0 : f[0] & 7;
  for (std::size_t i = 0; i < kid_bytes; ++i) kid = kid << 8 | f[1 + i];
  for (std::size_t i = 0; i < ctr_bytes; ++i) ctr = ctr << 8 | f[1 + kid_bytes + i];
  *h = ModelHeader{kid, ctr, 1 + kid_bytes + ctr_bytes};
  return true;
}

class ReplayModel {
 public:
  static constexpr std::uint64_t kWindow = 1024;

  ReplayModel(std::uint16_t fingerprint, std::size_t tag_len) : fingerprint_(fingerprint), tag_len_(tag_len) {}

  bool known(std::uint64_t kid) const { return windows_.count(kid) != 0; }
  std::uint64_t highest(std::uint64_t kid) const {
    auto it = windows_.find(kid);
    return it == windows_.end() ? 0 : it->second.highest;
  }

  // The status decrypt must return. `authentic`: the bytes are exactly a frame protected under
  // this KID's key with the metadata given to decrypt (the harness knows; the model cannot).
  otc_status predict(const std::uint8_t* frame, std::size_t n, bool authentic, std::size_t out_capacity) const {
    ModelHeader h;
    if (!model_parse_header(frame, n, &h) || n - h.len < tag_len_) return OTC_FRAME_MALFORMED;
    if (out_capacity < n - h.len - tag_len_) return OTC_ERR_BUFFER_TOO_SMALL;
    auto it = windows_.find(h.kid);
    if (it != windows_.end()) {
      // Known sender: replay check first, so a replayed frame is REPLAYED even if tampered.
      if (it->second.replayed(h.ctr)) return OTC_FRAME_REPLAYED;
      return authentic ? OTC_SUCCESS : OTC_FRAME_AUTHENTICATION_FAILED;
    }
    if ((h.kid >> 48) != fingerprint_) return OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH;
    // A new sender has no window: its first frame is never a replay.
    return authentic ? OTC_SUCCESS : OTC_FRAME_AUTHENTICATION_FAILED;
  }

  // Records what a successful decrypt does: the frame's counter is accepted for its KID.
  void accept(const std::uint8_t* frame, std::size_t n) {
    ModelHeader h;
    if (model_parse_header(frame, n, &h)) windows_[h.kid].accept(h.ctr);
  }

 private:
  struct Window {
    bool empty = true;
    std::uint64_t highest = 0;
    std::set<std::uint64_t> accepted;  // within the window only

    bool replayed(std::uint64_t ctr) const {
      if (empty || ctr > highest) return false;
      return highest - ctr >= kWindow || accepted.count(ctr) != 0;
    }
    void accept(std::uint64_t ctr) {
      if (empty || ctr > highest) highest = ctr;
      empty = false;
      accepted.insert(ctr);
      // Forget what fell out of the window (replayed() refuses it by age anyway).
      while (!accepted.empty() && highest - *accepted.begin() >= kWindow) accepted.erase(accepted.begin());
    }
  };

  std::uint16_t fingerprint_;
  std::size_t tag_len_;
  std::map<std::uint64_t, Window> windows_;
};

}  // namespace otc::fuzz

#endif
