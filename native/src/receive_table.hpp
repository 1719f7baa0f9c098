// Per-cryptor state of the senders it has received from (docs/FORMAT.md sec. 5): KID -> prepared
// key + replay window. Many threads may decrypt at once: a lookup holds the table's shared lock
// only to take a reference to the entry, and each entry has its own mutex, so only frames of the
// same sender serialise and inserting a new sender never waits for frames being decrypted.
#ifndef OTC_SRC_RECEIVE_TABLE_HPP
#define OTC_SRC_RECEIVE_TABLE_HPP

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "keyring.hpp"
#include "otc/frame_cryptor.h"
#include "replay_window.hpp"
#include "sframe_key.hpp"

namespace otc {

struct ReceiveEntry {
  ReceiveEntry(std::unique_ptr<SframeKey> k, std::uint64_t serial) : key(std::move(k)), secret_serial(serial) {}

  std::mutex mu;  // guards key use and window
  std::unique_ptr<SframeKey> key;
  const std::uint64_t secret_serial;
  ReplayWindow window;
  std::atomic<std::uint64_t> last_used{0};
};

class ReceiveTable {
 public:
  static constexpr std::size_t kMaxEntries = OTC_FRAME_CRYPTOR_MAX_SENDERS;

  ReceiveTable();

  // Runs fn(entry) with the entry locked; false when no entry has this KID. An entry evicted or
  // purged meanwhile stays alive (and is wiped) until fn returns.
  template <typename Fn>
  bool with_entry(std::uint64_t kid, Fn&& fn) {
    std::shared_ptr<ReceiveEntry> entry;
    {
      std::shared_lock lock(mu_);
      auto it = entries_.find(kid);
      if (it == entries_.end()) return false;
      entry = it->second;
    }
    std::lock_guard entry_lock(entry->mu);
    entry->last_used.store(tick_.fetch_add(1, std::memory_order_relaxed), std::memory_order_relaxed);
    fn(*entry);
    return true;
  }

  bool contains(std::uint64_t kid) const;

  // Adds an entry for a KID that has none, evicting the least recently used one when full.
  void insert(std::uint64_t kid, std::shared_ptr<ReceiveEntry> entry);

  // Drops (and so wipes) every entry whose secret is not among `held`.
  void retain_only(const std::array<std::uint64_t, kMaxCandidates>& held, std::size_t held_count);

  std::size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::uint64_t, std::shared_ptr<ReceiveEntry>> entries_;
  std::atomic<std::uint64_t> tick_{1};
};

}  // namespace otc

#endif
