#include "decrypt_pool.hpp"

#include <algorithm>

namespace otc::client {

std::size_t DecryptPool::default_size() {
  const unsigned hw = std::thread::hardware_concurrency();
  return std::clamp<std::size_t>(hw == 0 ? 1 : hw, 1, 4);
}

DecryptPool& DecryptPool::instance() {
  // Deliberately leaked: a worker may still be finishing a job of a session the application
  // deleted just before exit, so the pool must not be destroyed by static destructors.
  static DecryptPool* pool = new DecryptPool(default_size());
  return *pool;
}

DecryptPool::DecryptPool(std::size_t threads) {
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

DecryptPool::~DecryptPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void DecryptPool::submit(std::shared_ptr<DecryptJob> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void DecryptPool::work() {
  for (;;) {
    std::shared_ptr<DecryptJob> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, nothing left
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    // Jobs catch their own failures (they run C callbacks of no one); this keeps a worker alive
    // whatever a job throws.
    try {
      job->run_decrypt();
    } catch (...) {
    }
  }
}

}  // namespace otc::client
