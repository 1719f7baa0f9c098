// What a frame of a KID that has not authenticated yet may cost (docs/FORMAT.md sec. 5): its key
// derivation (~20 us, ten times a valid frame's decryption) is paid from a token bucket
// (OTC_FRAME_CRYPTOR_NEW_SENDER_BURST, refilled at OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND), and
// keys derived for KIDs whose frame failed are cached (a few, newest kept), so a forged KID sent
// again costs one AEAD open and no derivation, while a genuine sender whose first frame was
// tampered with in transit still gets in with its next one. One per cryptor (so per stream in a
// session): a flood of forged sender ids on one stream does not slow down the others.
// Thread-safe.
#ifndef OTC_SRC_NEW_SENDER_GATE_HPP
#define OTC_SRC_NEW_SENDER_GATE_HPP

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

#include "keyring.hpp"
#include "otc/frame_cryptor.h"
#include "sframe_key.hpp"

namespace otc {

// The keys of one KID under each candidate secret, derived but not yet authenticated.
struct PendingKeys {
  std::uint64_t kid = 0;
  std::uint64_t generation = 0;  // the keyring state they were derived under (see NewSenderGate)
  std::mutex mu;                 // guards use of the keys
  std::size_t count = 0;
  std::array<std::unique_ptr<SframeKey>, kMaxCandidates> keys;
  std::array<std::uint64_t, kMaxCandidates> serials{};
};

class NewSenderGate {
 public:
  static constexpr std::size_t kMaxCached = 64;
  static constexpr double kBurst = OTC_FRAME_CRYPTOR_NEW_SENDER_BURST;
  static constexpr double kPerSecond = OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND;

  NewSenderGate();

  // Cached keys of `kid` derived under `generation`, or null.
  std::shared_ptr<PendingKeys> find(std::uint64_t kid, std::uint64_t generation);
  // Takes one derivation from the budget; false when it is exhausted.
  bool take_token(Clock::time_point now);
  // Keeps keys whose frame failed to authenticate (evicting the oldest beyond kMaxCached).
  void remember(std::shared_ptr<PendingKeys> keys);
  // The KID authenticated: its keys moved into the receive table.
  void forget(std::uint64_t kid);
  // Wipes every cached key (a secret was dropped: keys derived from it must not outlive it).
  void clear();

 private:
  std::mutex mu_;
  double tokens_;
  Clock::time_point refilled_at_;
  std::deque<std::shared_ptr<PendingKeys>> cached_;  // oldest first
};

}  // namespace otc

#endif
