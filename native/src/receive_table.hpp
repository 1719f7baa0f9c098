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
#include <optional>
#include <shared_mutex>
#include <unordered_map>

#include "evicted_marks.hpp"
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
  // Set (under mu) when the entry leaves the table; its mark is then in the evicted marks, and a
  // thread that still holds the entry must not accept a frame through it.
  bool retired = false;
};

class ReceiveTable {
 public:
  static constexpr std::size_t kMaxEntries = OTC_FRAME_CRYPTOR_MAX_SENDERS;

  ReceiveTable();

  // Runs fn(entry) with the entry locked; false when no entry has this KID, or when it left the
  // table before fn could run (then its mark is in the evicted marks).
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
    if (entry->retired) return false;
    entry->last_used.store(tick_.fetch_add(1, std::memory_order_relaxed), std::memory_order_relaxed);
    fn(*entry);
    return true;
  }

  bool contains(std::uint64_t kid) const;

  // Adds an entry for a KID that has none, evicting the least recently used one when full (its
  // high-water mark is remembered). A KID with a remembered mark gets it as its window's floor.
  void insert(std::uint64_t kid, std::shared_ptr<ReceiveEntry> entry);

  // Drops (and so wipes) every entry whose secret is not among `held`, remembering their marks.
  void retain_only(const std::array<std::uint64_t, kMaxCandidates>& held, std::size_t held_count);

  // The remembered mark of a KID that has no entry (evicted or purged), if any.
  std::optional<std::uint64_t> evicted_mark(std::uint64_t kid) const;

  std::size_t size() const;
  std::size_t evicted_size() const;

 private:
  mutable std::shared_mutex mu_;
  // Under mu_ (unique): takes the entry out of service and remembers its mark.
  void retire_locked(std::uint64_t kid, ReceiveEntry& entry);

  std::unordered_map<std::uint64_t, std::shared_ptr<ReceiveEntry>> entries_;
  EvictedMarks marks_;
  std::atomic<std::uint64_t> tick_{1};
};

}  // namespace otc

#endif
