// The SDK callback thread of one session: an Asio io_context run by one thread, so every
// application callback of a session and its publishers/subscribers runs in posting order and
// never concurrently. Also hosts the subscribers' hold-buffer timers, so all subscriber media
// state is touched by this thread only.
#ifndef OTC_SRC_SESSION_CALLBACK_QUEUE_HPP
#define OTC_SRC_SESSION_CALLBACK_QUEUE_HPP

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace otc::client {

class CallbackQueue : public std::enable_shared_from_this<CallbackQueue> {
 public:
  static std::shared_ptr<CallbackQueue> start();
  ~CallbackQueue();

  CallbackQueue(const CallbackQueue&) = delete;
  CallbackQueue& operator=(const CallbackQueue&) = delete;

  // Runs `fn` on the callback thread, after everything posted before. After the queue has
  // drained at close, `fn` is dropped instead: a late post must not park a closure (and what it
  // owns) in a context nobody runs any more.
  void post(std::function<void()> fn);

  // True once close() began: application callbacks are no longer delivered (internal
  // maintenance work still runs so that everything queued is released).
  bool closing() const { return closing_.load(std::memory_order_acquire); }

  // Tasks posted and not yet started: what the application has not consumed yet. The session's
  // socket reader stops reading while this is high (back-pressure on the router).
  std::size_t pending() const { return pending_.load(std::memory_order_relaxed); }

  bool on_this_thread() const { return std::this_thread::get_id() == thread_id_; }

  asio::io_context& context() { return io_; }

  // Stops delivering callbacks and lets the thread finish what is queued. From a foreign thread
  // this waits for the thread to end (so a callback running now completes first); from the
  // callback thread itself (delete inside a callback) it detaches, and the thread ends by itself
  // once the current callback returns and the queue drains.
  void close();

 private:
  CallbackQueue();

  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
  std::thread::id thread_id_;
  std::atomic<bool> closing_{false};
  std::atomic<std::size_t> pending_{0};
  std::mutex accepting_mutex_;
  bool accepting_ = true;
};

}  // namespace otc::client

#endif
