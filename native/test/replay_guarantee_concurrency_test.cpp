// The replay guarantee of docs/FORMAT.md sec. 5 with decryption on several threads, as the
// session client's decryption pool does it: subscriptions of one session (sharing its receive
// state) decrypt on concurrent threads, every frame is offered by every thread and older frames
// again, while senders come and go and the secret changes. A (KID, CTR) must still be accepted at
// most once in the whole session: the per-sender window is checked and advanced under the
// sender's own lock (src/receive_table.hpp), and admission of a new sender under admit_mu.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "cryptor_fixture.hpp"

namespace {

using namespace otc_test;

constexpr int kSuite = OTC_CIPHER_SUITE_DEFAULT;
constexpr int kThreads = 4;

TEST(ReplayGuaranteeConcurrent, PropertyNoKidCounterIsDeliveredTwiceAcrossThreads) {
  std::mt19937_64 rng(20261201);
  const Cryptor session = make_cryptor(kSuite, kSecretA);
  ASSERT_EQ(otc_frame_cryptor_set_grace_period_ms(session.get(), 0), OTC_SUCCESS);
  const char* secrets[] = {kSecretA, kSecretB};
  int current = 0;

  std::vector<Cryptor> senders;
  for (int i = 0; i < 16; ++i) senders.push_back(cached(kSuite, 0, secrets[i % 2]));
  std::vector<Bytes> sent;  // everything ever sent (replays are drawn from here)

  std::mutex model_mu;
  std::set<std::pair<std::uint64_t, std::uint64_t>> delivered;  // the reference model
  std::atomic<std::uint64_t> duplicates{0}, replays_refused{0}, wrong_plaintext{0};

  constexpr int kRounds = 40;
  constexpr int kFramesPerRound = 400;
  for (int round = 0; round < kRounds; ++round) {
    // Between rounds (single-threaded): new senders, and now and then a secret change.
    for (int i = 0; i < 3; ++i) {
      senders[rng() % senders.size()] = cached(kSuite, 0, secrets[(rng() % 4 == 0) ? 1 - current : current]);
    }
    std::vector<Bytes> batch;
    for (int i = 0; i < kFramesPerRound; ++i) {
      Outcome o = encrypt(senders[rng() % senders.size()], pattern(24, static_cast<std::uint8_t>(i)));
      ASSERT_EQ(o.status, OTC_SUCCESS);
      batch.push_back(std::move(o.data));
    }
    const size_t old = sent.size();
    sent.insert(sent.end(), batch.begin(), batch.end());
    std::atomic<bool> flip{round % 10 == 9};

    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t, seed = rng()] {
        std::mt19937_64 r(seed);
        // Each thread is one subscription (own budget), resubscribing now and then.
        Cryptor sub(otc_frame_cryptor_new_sharing_session(session.get()));
        std::vector<size_t> order(batch.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        // Mostly in order with local shuffles (as the pool runs them), some far replays.
        for (size_t i = 0; i + 8 < order.size(); i += 8) std::shuffle(order.begin() + i, order.begin() + i + 8, r);
        for (size_t n = 0; n < order.size(); ++n) {
          const bool replay_old = old > 0 && r() % 8 == 0;
          const Bytes& frame = replay_old ? sent[r() % old] : batch[order[n]];
          if (t == 0 && n == order.size() / 2 && flip.exchange(false)) {
            // A secret change while the others decrypt (grace 0: windows of the old one dropped).
            EXPECT_EQ(set_secret(session, secrets[1 - current]), OTC_SUCCESS);
          }
          if (r() % 200 == 0) sub = Cryptor(otc_frame_cryptor_new_sharing_session(session.get()));
          const Outcome o = decrypt(sub, frame);
          if (o.status == OTC_SUCCESS) {
            if (o.data.size() != 24) wrong_plaintext.fetch_add(1);
            std::lock_guard<std::mutex> lock(model_mu);
            if (!delivered.insert({frame_kid(frame), frame_ctr(frame)}).second) duplicates.fetch_add(1);
          } else if (o.status == OTC_FRAME_REPLAYED) {
            replays_refused.fetch_add(1);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    if (round % 10 == 9) current = 1 - current;
  }
  EXPECT_EQ(duplicates.load(), 0u) << "a (KID, CTR) was accepted twice";
  EXPECT_EQ(wrong_plaintext.load(), 0u);
  // The run must have exercised what it claims: most frames delivered once, many replays refused.
  EXPECT_GT(delivered.size(), static_cast<size_t>(kRounds * kFramesPerRound) / 2);
  EXPECT_GT(replays_refused.load(), static_cast<std::uint64_t>(kRounds * kFramesPerRound));
  std::printf("concurrent property run: %zu delivered once, %llu replays refused by %d threads\n",
              delivered.size(), static_cast<unsigned long long>(replays_refused.load()), kThreads);
}

}  // namespace
