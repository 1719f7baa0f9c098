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

void ReceiveTable::retire_locked(std::uint64_t kid, ReceiveEntry& entry) {
  // Lock order: table mu_, then an entry's mu (with_entry never holds an entry's mu while
  // waiting for mu_).
  std::lock_guard entry_lock(entry.mu);
  entry.retired = true;
  if (entry.window.has_mark()) marks_.remember(kid, entry.window.mark());
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
    retire_locked(victim->first, *victim->second);
    entries_.erase(victim);
  }
  // The entry is not shared yet: its window needs no lock.
  if (std::optional<std::uint64_t> mark = marks_.take(kid)) entry->window.set_floor(*mark);
  auto& slot = entries_[kid];
  if (slot) retire_locked(kid, *slot);
  slot = std::move(entry);
}

void ReceiveTable::retain_only(const std::array<std::uint64_t, kMaxCandidates>& held,
                               std::size_t held_count) {
  std::unique_lock lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    bool keep = false;
    for (std::size_t i = 0; i < held_count; ++i) keep = keep || held[i] == it->second->secret_serial;
    if (keep) {
      ++it;
    } else {
      retire_locked(it->first, *it->second);
      it = entries_.erase(it);
    }
  }
}

std::optional<std::uint64_t> ReceiveTable::evicted_mark(std::uint64_t kid) const {
  std::shared_lock lock(mu_);
  return marks_.find(kid);
}

std::size_t ReceiveTable::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

std::size_t ReceiveTable::evicted_size() const {
  std::shared_lock lock(mu_);
  return marks_.size();
}

}  // namespace otc
