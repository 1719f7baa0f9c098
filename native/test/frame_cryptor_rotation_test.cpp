// Secret rotation: previous secrets decrypt during the grace period, then are wiped.
#include <gtest/gtest.h>
#include <otc/otc.h>

#include <chrono>
#include <thread>

#include "cryptor_fixture.hpp"

using namespace otc_test;

namespace {

constexpr char kSecretC[] = "third secret, gamma";
constexpr char kSecretD[] = "fourth secret, delta";
constexpr char kSecretE[] = "fifth secret, epsilon";
constexpr char kSecretF[] = "sixth secret, zeta";

TEST(Rotation, PreviousSecretDecryptsWithinGraceAndMismatchesAfter) {
  const Cryptor receiver = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  ASSERT_EQ(otc_frame_cryptor_set_grace_period_ms(receiver.get(), 2000), OTC_SUCCESS);
  const Cryptor old_sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA);
  const Cryptor new_sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretB);

  // One sender admitted before the change, one first seen during the grace period.
  const Cryptor late_sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA);
  ASSERT_EQ(decrypt(receiver, encrypt(old_sender, pattern(10)).data).status, OTC_SUCCESS);

  ASSERT_EQ(set_secret(receiver, kSecretB), OTC_SUCCESS);
  // The keyring records the change as the last step of set_secret (after the slow scrypt), so
  // the grace period starts within microseconds of this point.
  const auto changed_at = std::chrono::steady_clock::now();
  EXPECT_EQ(decrypt(receiver, encrypt(new_sender, pattern(10)).data).status, OTC_SUCCESS);
  const Outcome old_frame = encrypt(old_sender, pattern(10));
  const Outcome late_frame = encrypt(late_sender, pattern(10));
  const Outcome old_frame_after = encrypt(old_sender, pattern(10));
  const Outcome late_frame_after = encrypt(late_sender, pattern(10));
  // The assertions below are only meaningful if we are still inside the period; 2 s is far
  // more than the few HKDF derivations above need, even on a loaded machine.
  ASSERT_LT(std::chrono::steady_clock::now() - changed_at, std::chrono::milliseconds(1500));
  EXPECT_EQ(decrypt(receiver, old_frame.data).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver, late_frame.data).status, OTC_SUCCESS);
  EXPECT_EQ(stats(receiver).secrets_expired, 0u);

  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(decrypt(receiver, old_frame_after.data).status, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  EXPECT_EQ(decrypt(receiver, late_frame_after.data).status, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  EXPECT_EQ(decrypt(receiver, encrypt(new_sender, pattern(10)).data).status, OTC_SUCCESS);
  const otc_frame_cryptor_stats s = stats(receiver);
  EXPECT_EQ(s.secrets_set, 2u);
  EXPECT_EQ(s.secrets_expired, 1u);
  EXPECT_EQ(s.secret_mismatch, 2u);
  EXPECT_EQ(s.frames_decrypted, 5u);
}

TEST(Rotation, ExpiryIsNoticedByEveryCryptorSharingTheKeyring) {
  const Cryptor a = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  const Cryptor b = share(a);
  ASSERT_EQ(otc_frame_cryptor_set_grace_period_ms(a.get(), 0), OTC_SUCCESS);
  const Outcome frame = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA), pattern(10));
  ASSERT_EQ(decrypt(b, frame.data).status, OTC_SUCCESS);
  ASSERT_EQ(set_secret(a, kSecretB), OTC_SUCCESS);
  // Grace 0: the previous secret is gone at once, for the sharing cryptor too (its admitted
  // sender under the old secret is dropped as well, so even a fresh counter mismatches).
  const Outcome next = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA), pattern(10));
  EXPECT_EQ(decrypt(b, next.data).status, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  EXPECT_EQ(stats(b).secrets_expired, 1u);
  EXPECT_EQ(stats(a).secrets_expired, 1u);
  EXPECT_EQ(stats(b).secrets_set, 1u);  // the change happened after b was created
}

TEST(Rotation, AtMostFourPreviousSecretsAreRetained) {
  const Cryptor receiver = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  ASSERT_EQ(otc_frame_cryptor_set_grace_period_ms(receiver.get(), 600000), OTC_SUCCESS);
  const Outcome under_a = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA), pattern(10));
  const Outcome under_b = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretB), pattern(10));
  for (const char* s : {kSecretB, kSecretC, kSecretD, kSecretE}) ASSERT_EQ(set_secret(receiver, s), OTC_SUCCESS);
  // Current E, retained A B C D: A still decrypts.
  EXPECT_EQ(decrypt(receiver, under_a.data).status, OTC_SUCCESS);
  ASSERT_EQ(set_secret(receiver, kSecretF), OTC_SUCCESS);
  // A fifth previous secret pushes out the oldest (A); B stays.
  const Outcome under_a_again = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA), pattern(10));
  EXPECT_EQ(decrypt(receiver, under_a_again.data).status, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  EXPECT_EQ(decrypt(receiver, under_b.data).status, OTC_SUCCESS);
  EXPECT_EQ(stats(receiver).secrets_expired, 1u);
}

TEST(Rotation, SwitchingBackToARetainedSecretKeepsItsReceivers) {
  const Cryptor receiver = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  const Cryptor sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretA);
  const Outcome f0 = encrypt(sender, pattern(10));
  ASSERT_EQ(decrypt(receiver, f0.data).status, OTC_SUCCESS);
  ASSERT_EQ(set_secret(receiver, kSecretB), OTC_SUCCESS);
  ASSERT_EQ(set_secret(receiver, kSecretA), OTC_SUCCESS);
  // Same secret, same sender state: the replay window survived the round trip.
  EXPECT_EQ(decrypt(receiver, f0.data).status, OTC_FRAME_REPLAYED);
  EXPECT_EQ(decrypt(receiver, encrypt(sender, pattern(10)).data).status, OTC_SUCCESS);
}

}  // namespace

namespace {

TEST(Rotation, GettersHaveNoSideEffectsAndExpireSecretsWipesOnDemand) {
  const Cryptor c = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  ASSERT_EQ(otc_frame_cryptor_set_grace_period_ms(c.get(), 20), OTC_SUCCESS);
  ASSERT_EQ(set_secret(c, kSecretB), OTC_SUCCESS);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  // Due, but neither getter performs the expiry.
  EXPECT_EQ(otc_frame_cryptor_has_encryption_secret(c.get()), OTC_TRUE);
  EXPECT_EQ(stats(c).secrets_expired, 0u);
  EXPECT_EQ(otc_frame_cryptor_expire_secrets(c.get()), OTC_SUCCESS);
  EXPECT_EQ(stats(c).secrets_expired, 1u);
  EXPECT_EQ(otc_frame_cryptor_expire_secrets(nullptr), OTC_ERR_INVALID_PARAM);
}

}  // namespace
