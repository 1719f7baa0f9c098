#include "receive_table.hpp"

namespace otc {

ReceiveTable::ReceiveTable() {
  // Buckets up front, so admitting senders up to the limit does not rehash under the lock.
  entries_.reserve(kMaxEntries + 1);
}

bool ReceiveTable::contains(std::uint64_t kid) const {
  std::shared_lock lock(mu_);
  return entries_.count(kid) != 0;
}

void ReceiveTable::insert(std::uint64_t kid, std::shared_ptr<ReceiveEntry> entry) {
  entry->last_used.store(tick_.fetch_add(1, std::memory_order_relaxed), std::memory_order_relaxed);
  std::unique_lock lock(mu_);
  if (entries_.size() >= kMaxEntries && entries_.count(kid) == 0) {
    // A linear scan is fine: it runs only when a new sender arrives at a full table.
    auto victim = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second->last_used.load(std::memory_order_relaxed) <
          victim->second->last_used.load(std::memory_order_relaxed)) {
        victim = it;
      }
    }
    entries_.erase(victim);
  }
  entries_[kid] = std::move(entry);
}

void ReceiveTable::retain_only(const std::array<std::uint64_t, kMaxCandidates>& held,
                               std::size_t held_count) {
  std::unique_lock lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    bool keep = false;
    for (std::size_t i = 0; i < held_count; ++i) keep = keep || held[i] == it->second->secret_serial;
    it = keep ? std::next(it) : entries_.erase(it);
  }
}

std::size_t ReceiveTable::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace otc
