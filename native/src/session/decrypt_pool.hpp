// The process-wide pool of threads that decrypt received media (docs/ARCHITECTURE.md, "Receive
// path"): min(hardware threads, 4) workers shared by every session of the process, so a client
// receiving many streams uses several cores and N sessions do not start N x 4 threads.
//
// A job (one subscriber) is queued at most once at a time and runs on one worker at a time: the
// job itself keeps a `scheduled` flag and re-submits itself when it leaves work behind, so the
// frames of one stream are decrypted in order, on whichever worker is free, while other streams'
// jobs run beside it. Workers never call the application: they hand their results to the
// session's callback thread.
#ifndef OTC_SRC_SESSION_DECRYPT_POOL_HPP
#define OTC_SRC_SESSION_DECRYPT_POOL_HPP

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace otc::client {

class DecryptJob {
 public:
  virtual ~DecryptJob() = default;
  // Runs on a worker. Does a bounded amount of work (a few frames), then returns; a job with more
  // left re-submits itself, so long queues of one stream do not starve the others.
  virtual void run_decrypt() = 0;
};

class DecryptPool {
 public:
  // The process's pool, started on first use and never torn down (its threads sleep when idle;
  // a job holds what it needs through its shared_ptr, so no session has to wait for it).
  static DecryptPool& instance();
  explicit DecryptPool(std::size_t threads);
  ~DecryptPool();
  DecryptPool(const DecryptPool&) = delete;
  DecryptPool& operator=(const DecryptPool&) = delete;

  void submit(std::shared_ptr<DecryptJob> job);
  std::size_t threads() const { return workers_.size(); }
  // min(hardware threads, 4), at least 1.
  static std::size_t default_size();

 private:
  void work();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<DecryptJob>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace otc::client

#endif
