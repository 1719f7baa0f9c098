// Several threads decrypting frames of several senders through one cryptor at once (run under
// the sanitizer build too, where ASan/UBSan check the locking paths for memory errors).
#include <gtest/gtest.h>
#include <otc/otc.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cryptor_fixture.hpp"

using namespace otc_test;

namespace {

TEST(Concurrency, ThreadsDecryptFramesOfManySendersExactlyOnce) {
  constexpr int kSenders = 6;
  constexpr int kFramesPerSender = 300;
  constexpr int kThreads = 4;
  const Cryptor receiver = cached(OTC_CIPHER_SUITE_DEFAULT, 1);
  std::vector<Bytes> frames;
  std::vector<Bytes> plains;
  for (int s = 0; s < kSenders; ++s) {
    const Cryptor sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
    for (int i = 0; i < kFramesPerSender; ++i) {
      plains.push_back(pattern(64 + static_cast<std::size_t>(i % 7) * 100, static_cast<std::uint8_t>(s)));
      frames.push_back(encrypt(sender, plains.back()).data);
    }
  }
  // Every thread walks all frames, each from a different starting point, so every frame is
  // offered kThreads times, concurrently: exactly one offer may succeed.
  std::vector<std::atomic<int>> successes(frames.size());
  std::atomic<int> replays{0}, other{0}, wrong_plaintext{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::size_t n = frames.size();
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (k * 7 + static_cast<std::size_t>(t) * (n / kThreads)) % n;
        const Outcome out = decrypt(receiver, frames[i]);
        if (out.status == OTC_SUCCESS) {
          successes[i].fetch_add(1);
          if (out.data != plains[i]) wrong_plaintext.fetch_add(1);
        } else if (out.status == OTC_FRAME_REPLAYED) {
          replays.fetch_add(1);
        } else {
          other.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t i = 0; i < frames.size(); ++i) ASSERT_EQ(successes[i].load(), 1) << "frame " << i;
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(wrong_plaintext.load(), 0);
  EXPECT_EQ(replays.load(), static_cast<int>(frames.size()) * (kThreads - 1));
  const otc_frame_cryptor_stats s = stats(receiver);
  EXPECT_EQ(s.frames_decrypted, frames.size());
  EXPECT_EQ(s.replayed, frames.size() * (kThreads - 1));
}

TEST(Concurrency, EncryptFromSeveralThreadsNeverRepeatsACounter) {
  const Cryptor sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
  const Cryptor receiver = cached(OTC_CIPHER_SUITE_DEFAULT, 1);
  constexpr int kThreads = 3;
  constexpr int kFrames = 200;
  std::vector<std::vector<Bytes>> produced(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kFrames; ++i) produced[t].push_back(encrypt(sender, pattern(100)).data);
    });
  }
  for (auto& th : threads) th.join();
  std::vector<bool> seen(kThreads * kFrames, false);
  for (const auto& list : produced) {
    for (const Bytes& f : list) {
      const std::uint64_t ctr = frame_ctr(f);
      ASSERT_LT(ctr, seen.size());
      EXPECT_FALSE(seen[ctr]) << "counter " << ctr << " used twice";
      seen[ctr] = true;
      EXPECT_EQ(decrypt(receiver, f).status, OTC_SUCCESS);
    }
  }
}

TEST(Concurrency, DecryptWhileTheSecretChanges) {
  const Cryptor receiver = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  const Cryptor sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA);
  std::vector<Bytes> frames;
  for (int i = 0; i < 400; ++i) frames.push_back(encrypt(sender, pattern(200)).data);
  std::atomic<int> failures{0};
  std::thread decryptor([&] {
    for (const Bytes& f : frames) {
      if (decrypt(receiver, f).status != OTC_SUCCESS) failures.fetch_add(1);
    }
  });
  // Rotating away and back within the default 5 s grace period never loses a frame under A.
  ASSERT_EQ(set_secret(receiver, kSecretB), OTC_SUCCESS);
  ASSERT_EQ(set_secret(receiver, kSecretA), OTC_SUCCESS);
  decryptor.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
