#include "keyring.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <mutex>

namespace otc {

Keyring::Keyring(std::string session_id, const CipherSuite& suite, std::uint32_t grace_ms)
    : session_id_(std::move(session_id)), suite_(suite), grace_(grace_ms) {
  retained_.reserve(kMaxRetained + 1);
}

bool Keyring::install(const std::uint8_t* master, std::uint16_t fingerprint, Clock::time_point now) {
  std::unique_lock lock(mu_);
  if (current_ && CRYPTO_memcmp(current_->key.data(), master, kMasterKeyLen) == 0) return false;

  MasterRef promoted;
  for (std::size_t i = 0; i < retained_.size(); ++i) {
    if (CRYPTO_memcmp(retained_[i].secret->key.data(), master, kMasterKeyLen) == 0) {
      promoted = retained_[i].secret;
      retained_.erase(retained_.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  if (!promoted) {
    auto fresh = std::make_shared<MasterSecret>();
    fresh->serial = next_serial_++;
    fresh->fingerprint = fingerprint;
    std::copy(master, master + kMasterKeyLen, fresh->key.data());
    promoted = std::move(fresh);
  }
  if (current_) {
    retained_.push_back(Retained{std::move(current_), now});
    if (retained_.size() > kMaxRetained) drop_locked(0);
  }
  current_ = std::move(promoted);
  current_serial_.store(current_->serial, std::memory_order_release);
  secrets_set_.fetch_add(1, std::memory_order_relaxed);
  recompute_next_expiry_locked();
  return true;
}

void Keyring::set_grace(std::chrono::milliseconds grace) {
  std::unique_lock lock(mu_);
  grace_ = grace;
  recompute_next_expiry_locked();
}

void Keyring::expire(Clock::time_point now) {
  if (now.time_since_epoch().count() < next_expiry_.load(std::memory_order_acquire)) return;
  std::unique_lock lock(mu_);
  std::size_t i = 0;
  while (i < retained_.size()) {
    if (retained_[i].replaced_at + grace_ <= now) {
      drop_locked(i);
    } else {
      ++i;
    }
  }
  recompute_next_expiry_locked();
}

MasterRef Keyring::current() const {
  std::shared_lock lock(mu_);
  return current_;
}

std::size_t Keyring::candidates(std::uint16_t fingerprint,
                                std::array<MasterRef, kMaxCandidates>* out) const {
  std::shared_lock lock(mu_);
  std::size_t n = 0;
  if (current_ && current_->fingerprint == fingerprint) (*out)[n++] = current_;
  // Newest retained first: after a change, late frames are most likely under the latest one.
  for (auto it = retained_.rbegin(); it != retained_.rend(); ++it) {
    if (it->secret->fingerprint == fingerprint) (*out)[n++] = it->secret;
  }
  return n;
}

bool Keyring::has_fingerprint(std::uint16_t fingerprint) const {
  std::shared_lock lock(mu_);
  if (current_ && current_->fingerprint == fingerprint) return true;
  for (const Retained& r : retained_) {
    if (r.secret->fingerprint == fingerprint) return true;
  }
  return false;
}

std::size_t Keyring::held_serials(std::array<std::uint64_t, kMaxCandidates>* out) const {
  std::shared_lock lock(mu_);
  std::size_t n = 0;
  if (current_) (*out)[n++] = current_->serial;
  for (const Retained& r : retained_) (*out)[n++] = r.secret->serial;
  return n;
}

void Keyring::drop_locked(std::size_t index) {
  // The MasterSecret wipes its key when the last reference (possibly an in-flight decrypt's
  // snapshot) goes.
  retained_.erase(retained_.begin() + static_cast<std::ptrdiff_t>(index));
  secrets_expired_.fetch_add(1, std::memory_order_relaxed);
  epoch_.fetch_add(1, std::memory_order_acq_rel);
}

void Keyring::recompute_next_expiry_locked() {
  Clock::rep next = kNoExpiry;
  for (const Retained& r : retained_) {
    const Clock::rep at = (r.replaced_at + grace_).time_since_epoch().count();
    if (at < next) next = at;
  }
  next_expiry_.store(next, std::memory_order_release);
}

}  // namespace otc
