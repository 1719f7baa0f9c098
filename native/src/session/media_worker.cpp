#include "media_worker.hpp"

namespace otc::client {

namespace {
// Tasks one turn runs before the worker yields the pool thread to other streams' workers.
constexpr int kTasksPerTurn = 4;
}  // namespace

DecryptPool& media_pool() {
  static DecryptPool* pool = new DecryptPool(DecryptPool::default_size());
  return *pool;
}

std::size_t MediaWorker::post(std::function<void()> task) {
  std::size_t dropped = 0;
  bool submit = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return 0;
    while (tasks_.size() >= capacity_ && !tasks_.empty()) {
      tasks_.pop_front();
      ++dropped;
    }
    tasks_.push_back(std::move(task));
    if (!scheduled_) submit = scheduled_ = true;
  }
  if (submit) media_pool().submit(shared_from_this());
  return dropped;
}

void MediaWorker::close() {
  std::deque<std::function<void()>> dropped;
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  dropped.swap(tasks_);
}

std::size_t MediaWorker::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tasks_.size();
}

void MediaWorker::run_decrypt() {
  for (int i = 0; i < kTasksPerTurn; ++i) {
    std::function<void()> task;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (tasks_.empty()) {
        scheduled_ = false;
        return;
      }
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    try {
      task();
    } catch (...) {
      // A task reports its own failures; nothing may escape onto a pool thread.
    }
  }
  // Work left: back to the end of the pool's queue, so other workers get their turn.
  bool more;
  {
    std::lock_guard<std::mutex> lock(mu_);
    more = !tasks_.empty();
    if (!more) scheduled_ = false;
  }
  if (more) media_pool().submit(shared_from_this());
}

}  // namespace otc::client
