// High-water marks of senders whose replay window was dropped (LRU eviction, secret expiry):
// KID -> highest counter accepted under it. A KID is a random 48-bit sender id drawn per sender
// and secret, so it never legitimately restarts: a frame of a remembered KID at or below its
// mark is a replay (docs/FORMAT.md sec. 5). Bounded: beyond kMaxMarks the oldest mark is
// forgotten (the documented limit). Not thread-safe; the receive table guards it.
#ifndef OTC_SRC_EVICTED_MARKS_HPP
#define OTC_SRC_EVICTED_MARKS_HPP

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_map>

#include "otc/frame_cryptor.h"

namespace otc {

class EvictedMarks {
 public:
  static constexpr std::size_t kMaxMarks = OTC_FRAME_CRYPTOR_MAX_EVICTED_SENDERS;

  // Records (or raises) the mark of `kid`.
  void remember(std::uint64_t kid, std::uint64_t mark);
  std::optional<std::uint64_t> find(std::uint64_t kid) const;
  // Removes and returns the mark (the KID got a window again, which carries it as its floor).
  std::optional<std::uint64_t> take(std::uint64_t kid);

  std::size_t size() const { return marks_.size(); }
  // Marks forgotten because the table was full.
  std::uint64_t forgotten() const { return forgotten_; }

 private:
  struct Mark {
    std::uint64_t mark;
    std::uint64_t seq;  // which order_ record is this mark's
  };
  struct Record {
    std::uint64_t kid;
    std::uint64_t seq;
  };
  std::unordered_map<std::uint64_t, Mark> marks_;
  // Insertion order, for forgetting the oldest; records of KIDs taken since are stale (their seq
  // no longer matches) and skipped.
  std::deque<Record> order_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t forgotten_ = 0;
};

}  // namespace otc

#endif
