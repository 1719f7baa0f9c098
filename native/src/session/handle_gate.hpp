// Links an internal object to its C handle for callback delivery. A callback runs with the gate
// held, so a delete on another thread waits for a callback in progress, and once the handle is
// cleared no callback starts. Recursive, because a callback may delete its own object (or
// another object of the same session) on the callback thread.
#ifndef OTC_SRC_SESSION_HANDLE_GATE_HPP
#define OTC_SRC_SESSION_HANDLE_GATE_HPP

#include <mutex>

namespace otc::client {

template <typename Handle>
class HandleGate {
 public:
  void set(Handle* h) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    handle_ = h;
  }
  void clear() { set(nullptr); }

  template <typename Fn>
  void invoke(Fn&& fn) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (handle_) fn(handle_);
  }

 private:
  std::recursive_mutex mutex_;
  Handle* handle_ = nullptr;
};

}  // namespace otc::client

#endif
