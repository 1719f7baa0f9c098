// The callback thread of a session (CallbackQueue) and the handle gate: order, one thread, close
// from outside and from inside a callback, nothing delivered after a handle is cleared.
#define ASIO_STANDALONE 1  // as the library itself is built (its compile definition is private)

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "session/callback_queue.hpp"
#include "session/handle_gate.hpp"

using otc::client::CallbackQueue;
using otc::client::HandleGate;
using namespace std::chrono_literals;

TEST(SessionCallbackQueue, RunsPostsInOrderOnOneThreadThatIsNotTheCaller) {
  auto q = CallbackQueue::start();
  std::vector<int> seen;
  std::thread::id runner;
  bool same_thread = true;
  std::promise<void> done;
  for (int i = 0; i < 1000; ++i) {
    q->post([&, i] {
      if (i == 0) runner = std::this_thread::get_id();
      same_thread = same_thread && std::this_thread::get_id() == runner && q->on_this_thread();
      seen.push_back(i);
      if (i == 999) done.set_value();
    });
  }
  ASSERT_EQ(done.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_NE(runner, std::this_thread::get_id());
  EXPECT_TRUE(same_thread);
  ASSERT_EQ(seen.size(), 1000u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(seen[static_cast<size_t>(i)], i);
  q->close();
}

TEST(SessionCallbackQueue, CloseFromOutsideWaitsForTheRunningCallbackAndDrainsTheRest) {
  auto q = CallbackQueue::start();
  std::atomic<bool> started{false}, finished{false};
  std::atomic<int> after{0};
  q->post([&] {
    started = true;
    std::this_thread::sleep_for(200ms);
    finished = true;
  });
  q->post([&] { after.fetch_add(1); });  // queued work still runs: it may own resources to release
  while (!started) std::this_thread::sleep_for(1ms);
  q->close();
  EXPECT_TRUE(finished);
  EXPECT_EQ(after.load(), 1);
  EXPECT_TRUE(q->closing());
}

TEST(SessionCallbackQueue, CloseFromInsideACallbackNeitherDeadlocksNorRunsLaterPosts) {
  auto q = CallbackQueue::start();
  std::promise<void> closed;
  q->post([&] {
    q->close();  // e.g. otc_session_delete inside a callback
    closed.set_value();
  });
  ASSERT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(q->closing());
  // The detached thread drains, then stops accepting work: wait until a harmless probe is
  // dropped at once (a post accepted before that point still runs, which is allowed).
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    auto probe = std::make_shared<int>(0);
    std::weak_ptr<int> probe_weak = probe;
    q->post([probe] {});
    probe.reset();
    if (probe_weak.expired()) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the queue still accepts posts 10 s after close";
    std::this_thread::sleep_for(5ms);
  }
  auto token = std::make_shared<int>(1);
  std::weak_ptr<int> weak = token;
  q->post([token] { FAIL() << "ran after close"; });
  token.reset();
  // A dropped post releases what it captured at once instead of parking it.
  EXPECT_TRUE(weak.expired());
}

TEST(SessionHandleGate, NoCallbackAfterClearAndClearWaitsForARunningOne) {
  HandleGate<int> gate;
  int handle = 7;
  gate.set(&handle);
  std::atomic<bool> in_callback{false};
  std::atomic<bool> callback_done{false};
  std::thread t([&] {
    gate.invoke([&](int* h) {
      EXPECT_EQ(*h, 7);
      in_callback = true;
      std::this_thread::sleep_for(200ms);
      callback_done = true;
    });
  });
  while (!in_callback) std::this_thread::sleep_for(1ms);
  gate.clear();  // must wait: the handle is about to be freed
  EXPECT_TRUE(callback_done);
  t.join();
  bool called = false;
  gate.invoke([&](int*) { called = true; });
  EXPECT_FALSE(called);
}

TEST(SessionHandleGate, ACallbackMayClearItsOwnGate) {
  HandleGate<int> gate;
  int handle = 1;
  gate.set(&handle);
  int calls = 0;
  gate.invoke([&](int*) {
    ++calls;
    gate.clear();  // delete from inside the object's own callback
  });
  gate.invoke([&](int*) { ++calls; });
  EXPECT_EQ(calls, 1);
}
