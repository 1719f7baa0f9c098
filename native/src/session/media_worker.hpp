// A serial task runner for the raw-media pipeline (docs/ARCHITECTURE.md, "Media pipeline"): the
// encoder of one publisher, the video decoder of one subscriber, each own one. Tasks of one
// worker run in posting order, one at a time, on the process's media pool: a second instance of
// the decryption pool's class (min(hardware threads, 4) threads), so that encoding and decoding
// never run on the I/O thread or a session's callback thread and never delay decryption.
//
// The queue is bounded: a post beyond `capacity` drops the oldest waiting task first (a raw frame
// the encoder could not keep up with, a decoded picture nobody has consumed) and says so.
#ifndef OTC_SRC_SESSION_MEDIA_WORKER_HPP
#define OTC_SRC_SESSION_MEDIA_WORKER_HPP

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "decrypt_pool.hpp"

namespace otc::client {

// The process's media worker threads, started on first use and never torn down (as the decryption
// pool: a job may still run for an object the application deleted just before exit).
DecryptPool& media_pool();

class MediaWorker : public DecryptJob, public std::enable_shared_from_this<MediaWorker> {
 public:
  explicit MediaWorker(std::size_t capacity) : capacity_(capacity) {}

  // Queues `task`; returns how many older waiting tasks were dropped to make room (0 or 1).
  // After close(), the task is dropped (returns 0).
  std::size_t post(std::function<void()> task);
  // Drops everything waiting; later posts are ignored. A task running now finishes.
  void close();
  // Tasks waiting (not counting one running now).
  std::size_t pending() const;

  void run_decrypt() override;  // runs on the pool: a few tasks, then yields

 private:
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::deque<std::function<void()>> tasks_;
  bool scheduled_ = false;
  bool closed_ = false;
};

}  // namespace otc::client

#endif
