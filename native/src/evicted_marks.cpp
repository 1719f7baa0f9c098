#include "evicted_marks.hpp"

#include <algorithm>

namespace otc {

void EvictedMarks::remember(std::uint64_t kid, std::uint64_t mark) {
  auto it = marks_.find(kid);
  if (it != marks_.end()) {
    it->second.mark = std::max(it->second.mark, mark);
    return;
  }
  while (marks_.size() >= kMaxMarks && !order_.empty()) {
    const Record oldest = order_.front();
    order_.pop_front();
    auto victim = marks_.find(oldest.kid);
    if (victim != marks_.end() && victim->second.seq == oldest.seq) {
      marks_.erase(victim);
      ++forgotten_;
    }
  }
  const std::uint64_t seq = next_seq_++;
  marks_.emplace(kid, Mark{mark, seq});
  order_.push_back(Record{kid, seq});
  // Taken KIDs leave stale records behind; drop them once they dominate, so order_ stays bounded.
  if (order_.size() > 2 * kMaxMarks) {
    std::deque<Record> live;
    for (const Record& r : order_) {
      auto m = marks_.find(r.kid);
      if (m != marks_.end() && m->second.seq == r.seq) live.push_back(r);
    }
    order_.swap(live);
  }
}

std::optional<std::uint64_t> EvictedMarks::find(std::uint64_t kid) const {
  auto it = marks_.find(kid);
  if (it == marks_.end()) return std::nullopt;
  return it->second.mark;
}

std::optional<std::uint64_t> EvictedMarks::take(std::uint64_t kid) {
  auto it = marks_.find(kid);
  if (it == marks_.end()) return std::nullopt;
  const std::uint64_t mark = it->second.mark;
  marks_.erase(it);
  return mark;
}

}  // namespace otc
