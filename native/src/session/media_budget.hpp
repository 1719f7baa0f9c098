// What a session's subscribers have queued for the application (received, not yet handed to the
// callback thread's media processing): shared by the subscribers of one session so that the
// session as a whole stays within OTC_SESSION_QUEUE_MAX_BYTES / _FRAMES (otc/subscriber.h).
#ifndef OTC_SRC_SESSION_MEDIA_BUDGET_HPP
#define OTC_SRC_SESSION_MEDIA_BUDGET_HPP

#include <atomic>
#include <cstddef>

namespace otc::client {

struct MediaBudget {
  std::atomic<std::size_t> bytes{0};
  std::atomic<std::size_t> frames{0};
};

}  // namespace otc::client

#endif
