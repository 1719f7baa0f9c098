// The secrets of one session as the frame cryptors sharing them see it (docs/FORMAT.md sec. 6):
// the current master key and, for a grace period after each change, up to four previous ones
// (OTC_FRAME_CRYPTOR_MAX_RETAINED_SECRETS counts the previous ones, not the current).
// Only derived master keys are held, never the secret.
#ifndef OTC_SRC_KEYRING_HPP
#define OTC_SRC_KEYRING_HPP

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "cipher_suite.hpp"
#include "otc/frame_cryptor.h"
#include "e2ee_kdf.hpp"
#include "secure_bytes.hpp"

namespace otc {

using Clock = std::chrono::steady_clock;

struct MasterSecret {
  std::uint64_t serial;  // unique per keyring; 0 is never used
  std::uint16_t fingerprint;
  SecureBytes<kMasterKeyLen> key;
};

using MasterRef = std::shared_ptr<const MasterSecret>;

constexpr std::size_t kMaxRetained = OTC_FRAME_CRYPTOR_MAX_RETAINED_SECRETS;
// The current secret plus every retained one.
constexpr std::size_t kMaxCandidates = kMaxRetained + 1;

class Keyring {
 public:
  Keyring(std::string session_id, const CipherSuite& suite, std::uint32_t grace_ms);

  const std::string& session_id() const { return session_id_; }
  const CipherSuite& suite() const { return suite_; }

  // Makes `master` current. Returns false when it already is (nothing changes). A master equal to
  // a retained one is promoted back, keeping its serial, so receivers keep their state for it.
  bool install(const std::uint8_t* master, std::uint16_t fingerprint, Clock::time_point now);

  void set_grace(std::chrono::milliseconds grace);

  // Wipes retained secrets whose grace period has ended. Cheap when none is due: one atomic load.
  void expire(Clock::time_point now);

  // expire(Clock::now()), but the clock is only read while some previous secret is retained: in
  // steady state (one secret) the per-frame check is one atomic load instead of a clock_gettime.
  void expire_due() {
    if (next_expiry_.load(std::memory_order_acquire) == kNoExpiry) return;
    expire(Clock::now());
  }

  bool has_secret() const { return current_serial_.load(std::memory_order_acquire) != 0; }
  std::uint64_t current_serial() const { return current_serial_.load(std::memory_order_acquire); }
  MasterRef current() const;

  // The current and retained secrets with this fingerprint; returns how many were written.
  std::size_t candidates(std::uint16_t fingerprint, std::array<MasterRef, kMaxCandidates>* out) const;

  // Whether the current or a retained secret has this fingerprint (no key is copied).
  bool has_fingerprint(std::uint16_t fingerprint) const;

  // Serials still held (current and retained); returns how many were written.
  std::size_t held_serials(std::array<std::uint64_t, kMaxCandidates>* out) const;

  // Increases whenever a secret is dropped, so cryptors know to drop receive state derived from it.
  std::uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }
  std::uint64_t secrets_set() const { return secrets_set_.load(std::memory_order_relaxed); }
  // Counts secrets wiped at the end of their grace period and those pushed out early because a
  // fifth previous secret arrived: either way they no longer decrypt.
  std::uint64_t secrets_expired() const { return secrets_expired_.load(std::memory_order_relaxed); }

 private:
  struct Retained {
    MasterRef secret;
    Clock::time_point replaced_at;
  };

  void recompute_next_expiry_locked();
  void drop_locked(std::size_t index);

  const std::string session_id_;
  const CipherSuite& suite_;

  mutable std::shared_mutex mu_;
  MasterRef current_;
  std::vector<Retained> retained_;  // oldest first, at most kMaxRetained
  std::chrono::milliseconds grace_;
  std::uint64_t next_serial_ = 1;

  std::atomic<std::uint64_t> current_serial_{0};
  static constexpr Clock::rep kNoExpiry = Clock::duration::max().count();
  std::atomic<Clock::rep> next_expiry_{kNoExpiry};
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<std::uint64_t> secrets_set_{0};
  std::atomic<std::uint64_t> secrets_expired_{0};
};

}  // namespace otc

#endif
