#include "new_sender_gate.hpp"

#include <algorithm>

namespace otc {

NewSenderGate::NewSenderGate() : tokens_(kBurst), refilled_at_(Clock::now()) {}

std::shared_ptr<PendingKeys> NewSenderGate::find(std::uint64_t kid, std::uint64_t generation) {
  std::lock_guard lock(mu_);
  for (const auto& p : cached_) {
    if (p->kid == kid && p->generation == generation) return p;
  }
  return nullptr;
}

bool NewSenderGate::take_token(Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (now > refilled_at_) {
    const double elapsed = std::chrono::duration<double>(now - refilled_at_).count();
    tokens_ = std::min(kBurst, tokens_ + elapsed * kPerSecond);
    refilled_at_ = now;
  }
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

void NewSenderGate::remember(std::shared_ptr<PendingKeys> keys) {
  std::lock_guard lock(mu_);
  for (const auto& p : cached_) {
    if (p == keys) return;
  }
  if (cached_.size() >= kMaxCached) cached_.pop_front();  // its keys wipe themselves
  cached_.push_back(std::move(keys));
}

void NewSenderGate::forget(std::uint64_t kid) {
  std::lock_guard lock(mu_);
  cached_.erase(std::remove_if(cached_.begin(), cached_.end(),
                               [kid](const std::shared_ptr<PendingKeys>& p) { return p->kid == kid; }),
                cached_.end());
}

void NewSenderGate::clear() {
  std::lock_guard lock(mu_);
  cached_.clear();
}

}  // namespace otc
