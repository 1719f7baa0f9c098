// Frames with the session's public 16-bit fingerprint and fresh random sender ids (forged by
// anyone who saw one frame, such as the router) must not each cost a key derivation: a cryptor
// derives keys for at most its new-sender budget, refuses the rest unopened and counts them,
// while senders already admitted, and genuine new senders, keep decrypting.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "cryptor_fixture.hpp"
#include "sframe_header.hpp"

namespace {

using namespace otc_test;

constexpr int kSuite = OTC_CIPHER_SUITE_DEFAULT;

Cryptor subscription(const Cryptor& session) {
  Cryptor c(otc_frame_cryptor_new_sharing_session(session.get()));
  if (!c) throw std::runtime_error("otc_frame_cryptor_new_sharing_session failed");
  return c;
}

// A 1 KB frame under the fingerprint of `genuine`'s KID with a random sender id: header, then
// random "ciphertext" and tag.
Bytes forged_frame(std::uint64_t fingerprint_kid, std::mt19937_64& rng) {
  const std::uint64_t kid = (fingerprint_kid & 0xFFFF000000000000ull) | (rng() & 0x0000FFFFFFFFFFFFull);
  Bytes frame(1024 + OTC_SFRAME_MAX_HEADER_SIZE);
  const std::size_t header_len = otc::encode_sframe_header(kid, 0, frame.data());
  for (std::size_t i = header_len; i < frame.size(); ++i) frame[i] = static_cast<std::uint8_t>(rng());
  frame.resize(1024 + header_len);
  return frame;
}

double us_per_frame(const Cryptor& receiver, const std::vector<Bytes>& frames, otc_status expected) {
  const auto start = std::chrono::steady_clock::now();
  for (const Bytes& f : frames) {
    if (decrypt(receiver, f).status != expected) ADD_FAILURE() << "unexpected status";
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return std::chrono::duration<double, std::micro>(elapsed).count() / static_cast<double>(frames.size());
}

TEST(NewSenderBudget, ForgedSenderIdsCostAtMostTheBudgetInDerivations) {
  std::mt19937_64 rng(7);
  const Cryptor session = make_cryptor(kSuite, kSecretA);
  const Cryptor flooded = subscription(session);
  const Cryptor sender = cached(kSuite, 0, kSecretA);
  const Cryptor other_stream_sender = cached(kSuite, 0, kSecretA);
  const Cryptor late_sender = cached(kSuite, 0, kSecretA);

  // A sender admitted before the flood.
  const Bytes first = encrypt(sender, pattern(1024)).data;
  ASSERT_EQ(decrypt(flooded, first).status, OTC_SUCCESS);

  constexpr int kForged = 20000;
  std::vector<Bytes> forged;
  for (int i = 0; i < kForged; ++i) forged.push_back(forged_frame(frame_kid(first), rng));
  const auto start = std::chrono::steady_clock::now();
  // The first frames are paid from the burst, each with a derivation: what every forged frame
  // cost before the budget.
  const std::vector<Bytes> head(forged.begin(), forged.begin() + OTC_FRAME_CRYPTOR_NEW_SENDER_BURST);
  const std::vector<Bytes> tail(forged.begin() + OTC_FRAME_CRYPTOR_NEW_SENDER_BURST, forged.end());
  const double derived_us = us_per_frame(flooded, head, OTC_FRAME_AUTHENTICATION_FAILED);
  const double forged_us = us_per_frame(flooded, tail, OTC_FRAME_AUTHENTICATION_FAILED);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const otc_frame_cryptor_stats s = stats(flooded);
  // The initial burst, plus what refilled while the flood ran, plus the admitted sender's one.
  const double budget = OTC_FRAME_CRYPTOR_NEW_SENDER_BURST + OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND * seconds + 1;
  EXPECT_LE(static_cast<double>(s.new_sender_derivations), budget);
  EXPECT_GE(s.new_sender_derivations, OTC_FRAME_CRYPTOR_NEW_SENDER_BURST);
  EXPECT_EQ(s.new_sender_refused + s.new_sender_derivations - 1, static_cast<std::uint64_t>(kForged));
  EXPECT_EQ(s.authentication_failed, static_cast<std::uint64_t>(kForged));

  // A forged KID sent again (its keys cached) costs no derivation either.
  const std::uint64_t derivations = s.new_sender_derivations;
  for (int i = 0; i < 8; ++i) EXPECT_EQ(decrypt(flooded, forged[0]).status, OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(stats(flooded).new_sender_derivations, derivations);

  // The admitted sender decrypts at once; so does a genuine new sender of another stream of the
  // session (its own cryptor, its own budget).
  EXPECT_EQ(decrypt(flooded, encrypt(sender, pattern(1024)).data).status, OTC_SUCCESS);
  const Cryptor other_stream = subscription(session);
  EXPECT_EQ(decrypt(other_stream, encrypt(other_stream_sender, pattern(1024)).data).status, OTC_SUCCESS);

  // A genuine new sender on the flooded stream itself joins as soon as the budget has a token
  // again: at most 1 / OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND after the flood stops.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000 / OTC_FRAME_CRYPTOR_NEW_SENDERS_PER_SECOND + 5));
  EXPECT_EQ(decrypt(flooded, encrypt(late_sender, pattern(1024)).data).status, OTC_SUCCESS);

  // Cost, for the report: a valid frame of an admitted sender versus a forged one.
  std::vector<Bytes> valid;
  for (int i = 0; i < 2000; ++i) valid.push_back(encrypt(sender, pattern(1024)).data);
  const double valid_us = us_per_frame(flooded, valid, OTC_SUCCESS);
  std::printf("forged 1 KB frame: %.2f us with a derivation (every forged frame before the budget), %.2f us "
              "refused by the budget (%.0f derivations for %d frames in %.2f s); valid frame: %.2f us\n",
              derived_us, forged_us, static_cast<double>(derivations), kForged, seconds, valid_us);
}

TEST(NewSenderBudget, AGenuineFrameAfterATamperedCopyOfTheSameKidStillDecrypts) {
  // The router flips a bit in a new sender's first frame: the keys derived for it are kept, so
  // the genuine frames that follow decrypt without a second derivation.
  const Cryptor session = make_cryptor(kSuite, kSecretA);
  const Cryptor sub = subscription(session);
  const Cryptor sender = cached(kSuite, 0, kSecretA);
  Bytes frame = encrypt(sender, pattern(100)).data;
  Bytes tampered = frame;
  tampered.back() ^= 1;
  EXPECT_EQ(decrypt(sub, tampered).status, OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(decrypt(sub, frame).status, OTC_SUCCESS);
  EXPECT_EQ(stats(sub).new_sender_derivations, 1u);
}

}  // namespace
