// otc_testing_inject_fault: injected engine failures take the internal-error path of the frame
// cryptor (status, stats), are used up exactly, and leave the cryptor working afterwards.
#include <gtest/gtest.h>
#include <otc/otc.h>
#include <otc/testing.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cryptor_fixture.hpp"

using namespace otc_test;

namespace {

class FaultInjection : public ::testing::TestWithParam<int> {
 protected:
  // The faults are process-wide: no test may leave one pending for the next.
  void SetUp() override { clear(); }
  void TearDown() override { clear(); }
  static void clear() {
    ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 0), OTC_SUCCESS);
    ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_DECRYPT, 0), OTC_SUCCESS);
  }
  Cryptor sender_ = cached(GetParam(), 0);
  Cryptor receiver_ = cached(GetParam(), 1);
  const Bytes metadata_ = from_string("stream=7;codec=VP8");
};

std::string suite_name(const ::testing::TestParamInfo<int>& info) { return otc_cipher_suite_name(info.param); }

INSTANTIATE_TEST_SUITE_P(AllSuites, FaultInjection, ::testing::ValuesIn(kAllSuites), suite_name);

TEST(FaultInjectionApi, CodesAreTheErrorTableRows) {
  EXPECT_EQ(OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR, 6001);
  EXPECT_EQ(OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR, 6002);
}

TEST(FaultInjectionApi, RejectsUnknownFaults) {
  EXPECT_EQ(otc_testing_inject_fault(0, 1), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_testing_inject_fault(3, 1), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_testing_inject_fault(-1, 1), OTC_ERR_INVALID_PARAM);
}

TEST_P(FaultInjection, EncryptFailsExactlyCountTimesThenWorks) {
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 2), OTC_SUCCESS);
  const Bytes plain = pattern(500, 3);
  EXPECT_EQ(encrypt(sender_, plain, metadata_).status, OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR);
  EXPECT_EQ(encrypt(sender_, plain, metadata_).status, OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR);
  const Outcome ok = encrypt(sender_, plain, metadata_);
  ASSERT_EQ(ok.status, OTC_SUCCESS);
  const Outcome dec = decrypt(receiver_, ok.data, metadata_);
  ASSERT_EQ(dec.status, OTC_SUCCESS);
  EXPECT_EQ(dec.data, plain);
  const otc_frame_cryptor_stats s = stats(sender_);
  EXPECT_EQ(s.internal_error, 2u);
  EXPECT_EQ(s.frames_encrypted, 1u);
  EXPECT_EQ(stats(receiver_).internal_error, 0u);
}

TEST_P(FaultInjection, DecryptOfANewSenderFailsWithoutAdmittingIt) {
  const Outcome f0 = encrypt(sender_, pattern(300, 1), metadata_);
  const Outcome f1 = encrypt(sender_, pattern(300, 2), metadata_);
  ASSERT_EQ(f0.status, OTC_SUCCESS);
  ASSERT_EQ(f1.status, OTC_SUCCESS);
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_DECRYPT, 1), OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, f0.data, metadata_).status, OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);
  // The failed attempt did not mark the counter as seen: the same frame decrypts now.
  const Outcome again = decrypt(receiver_, f0.data, metadata_);
  ASSERT_EQ(again.status, OTC_SUCCESS);
  EXPECT_EQ(again.data, pattern(300, 1));
  EXPECT_EQ(decrypt(receiver_, f1.data, metadata_).status, OTC_SUCCESS);
  const otc_frame_cryptor_stats s = stats(receiver_);
  EXPECT_EQ(s.internal_error, 1u);
  EXPECT_EQ(s.frames_decrypted, 2u);
  EXPECT_EQ(s.authentication_failed, 0u);
}

TEST_P(FaultInjection, DecryptOfAKnownSenderFailsAndTheStreamContinues) {
  std::vector<Outcome> frames;
  for (std::uint8_t i = 0; i < 5; ++i) {
    frames.push_back(encrypt(sender_, pattern(200, i), metadata_));
    ASSERT_EQ(frames.back().status, OTC_SUCCESS);
  }
  ASSERT_EQ(decrypt(receiver_, frames[0].data, metadata_).status, OTC_SUCCESS);
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_DECRYPT, 2), OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, frames[1].data, metadata_).status, OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);
  EXPECT_EQ(decrypt(receiver_, frames[2].data, metadata_).status, OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);
  for (std::uint8_t i = 3; i < 5; ++i) {
    const Outcome dec = decrypt(receiver_, frames[i].data, metadata_);
    ASSERT_EQ(dec.status, OTC_SUCCESS);
    EXPECT_EQ(dec.data, pattern(200, i));
  }
  const otc_frame_cryptor_stats s = stats(receiver_);
  EXPECT_EQ(s.internal_error, 2u);
  EXPECT_EQ(s.frames_decrypted, 3u);
  EXPECT_EQ(s.replayed, 0u);
}

TEST_P(FaultInjection, FramesRejectedBeforeTheEngineDoNotUseUpAFault) {
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_DECRYPT, 1), OTC_SUCCESS);
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 1), OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, from_string("x"), metadata_).status, OTC_FRAME_MALFORMED);
  Outcome small{};
  small.data.resize(4);
  std::size_t len = 0;
  EXPECT_EQ(otc_frame_cryptor_encrypt(sender_.get(), nullptr, 0, small.data.data(), small.data.size(),
                                      small.data.data(), 1, &len),
            OTC_ERR_BUFFER_TOO_SMALL);
  // Both faults are still pending for the first frames that reach the engine.
  EXPECT_EQ(encrypt(sender_, pattern(10), metadata_).status, OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR);
  const Outcome f = encrypt(sender_, pattern(10), metadata_);
  ASSERT_EQ(f.status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, f.data, metadata_).status, OTC_SUBSCRIBER_DECRYPTION_INTERNAL_ERROR);
  EXPECT_EQ(decrypt(receiver_, f.data, metadata_).status, OTC_SUCCESS);
}

TEST_P(FaultInjection, CountZeroClearsAndANewCountReplacesThePendingOne) {
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 5), OTC_SUCCESS);
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 0), OTC_SUCCESS);
  EXPECT_EQ(encrypt(sender_, pattern(10)).status, OTC_SUCCESS);
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 5), OTC_SUCCESS);
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, 1), OTC_SUCCESS);
  EXPECT_EQ(encrypt(sender_, pattern(10)).status, OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR);
  EXPECT_EQ(encrypt(sender_, pattern(10)).status, OTC_SUCCESS);
  // A decrypt fault does not affect encryption, nor the other way round.
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_DECRYPT, 1), OTC_SUCCESS);
  const Outcome f = encrypt(sender_, pattern(10));
  ASSERT_EQ(f.status, OTC_SUCCESS);
  EXPECT_EQ(stats(sender_).internal_error, 1u);
}

// Threads racing for the pending faults use up exactly the injected number, never more.
TEST_P(FaultInjection, ConcurrentCallersUseUpExactlyTheCount) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  constexpr std::uint32_t kFaults = 37;
  std::vector<Cryptor> senders;
  for (int t = 0; t < kThreads; ++t) senders.push_back(share(sender_));
  ASSERT_EQ(otc_testing_inject_fault(OTC_TESTING_FAULT_ENCRYPT, kFaults), OTC_SUCCESS);
  std::atomic<int> failures{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const otc_status st = encrypt(senders[t], pattern(64)).status;
        if (st == OTC_PUBLISHER_ENCRYPTION_INTERNAL_ERROR) {
          failures.fetch_add(1);
        } else if (st != OTC_SUCCESS) {
          other.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), static_cast<int>(kFaults));
  EXPECT_EQ(other.load(), 0);
  std::uint64_t counted = 0;
  for (const Cryptor& c : senders) counted += stats(c).internal_error;
  EXPECT_EQ(counted, kFaults);
}

}  // namespace
