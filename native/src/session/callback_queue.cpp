#include "callback_queue.hpp"

#include <asio/post.hpp>

namespace otc::client {

CallbackQueue::CallbackQueue() : guard_(asio::make_work_guard(io_)) {}

std::shared_ptr<CallbackQueue> CallbackQueue::start() {
  std::shared_ptr<CallbackQueue> q(new CallbackQueue());
  // The thread keeps the queue alive: after a detach (close from inside a callback) nobody else
  // may hold it.
  q->thread_ = std::thread([self = q] {
    // An exception escaping an application callback must not take the process down from a
    // thread the application does not own; callbacks are C functions, so this only catches
    // C++ callers' mistakes.
    for (;;) {
      try {
        self->io_.run();
        break;
      } catch (...) {
      }
    }
  });
  q->thread_id_ = q->thread_.get_id();
  return q;
}

CallbackQueue::~CallbackQueue() {
  if (thread_.joinable()) thread_.detach();
}

void CallbackQueue::post(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(accepting_mutex_);
  if (!accepting_) return;
  pending_.fetch_add(1, std::memory_order_relaxed);
  // `this` outlives the task: the queue's thread holds the queue until its context ran dry.
  asio::post(io_, [this, fn = std::move(fn)] {
    pending_.fetch_sub(1, std::memory_order_relaxed);
    fn();
  });
}

void CallbackQueue::close() {
  closing_.store(true, std::memory_order_release);
  // Posted so that the guard is reset on the queue's own thread, after all work posted so far.
  post([self = shared_from_this()] {
    {
      std::lock_guard<std::mutex> lock(self->accepting_mutex_);
      self->accepting_ = false;
    }
    self->guard_.reset();
  });
  if (on_this_thread()) {
    if (thread_.joinable()) thread_.detach();
  } else if (thread_.joinable()) {
    thread_.join();
  }
}

}  // namespace otc::client
