// otc_frame_cryptor_peek_sender (frame_cryptor.h): the sender of a frame from its header alone,
// as the session client's receive queue uses it, with no side effect on the cryptor.
#include <gtest/gtest.h>
#include <otc/otc.h>

#include <cstring>

#include "cryptor_fixture.hpp"

namespace {

using namespace otc_test;

constexpr std::uint64_t kUntouched = 0x5A5A5A5A5A5A5A5Aull;

otc_frame_sender peek(const Cryptor& c, const Bytes& frame, std::uint64_t* kid) {
  return otc_frame_cryptor_peek_sender(c.get(), frame.data(), frame.size(), kid);
}

void expect_same_stats(const otc_frame_cryptor_stats& a, const otc_frame_cryptor_stats& b) {
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "peek changed the stats";
}

TEST(FrameCryptorPeek, MalformedFramesAndNullArgumentsWriteNoKid) {
  const Cryptor receiver = cached(OTC_CIPHER_SUITE_DEFAULT, 1);
  const Outcome frame = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0), pattern(10));
  ASSERT_EQ(frame.status, OTC_SUCCESS);
  std::uint64_t kid = kUntouched;
  EXPECT_EQ(otc_frame_cryptor_peek_sender(nullptr, frame.data.data(), frame.data.size(), &kid),
            OTC_FRAME_SENDER_MALFORMED);
  EXPECT_EQ(otc_frame_cryptor_peek_sender(receiver.get(), nullptr, 0, &kid), OTC_FRAME_SENDER_MALFORMED);
  // An extended KID field cut short, and a whole header with less than a tag after it.
  const Bytes truncated_header{0x8F};
  EXPECT_EQ(peek(receiver, truncated_header, &kid), OTC_FRAME_SENDER_MALFORMED);
  const Bytes no_room_for_tag(frame.data.begin(), frame.data.begin() + static_cast<long>(frame_header_len(frame.data)) + 3);
  EXPECT_EQ(peek(receiver, no_room_for_tag, &kid), OTC_FRAME_SENDER_MALFORMED);
  EXPECT_EQ(kid, kUntouched);
}

TEST(FrameCryptorPeek, UnknownUntilAFrameAuthenticatesThenAdmittedWithoutSideEffects) {
  const Cryptor sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
  const Cryptor receiver = cached(OTC_CIPHER_SUITE_DEFAULT, 1);
  const Outcome first = encrypt(sender, pattern(100));
  const Outcome second = encrypt(sender, pattern(100));
  ASSERT_EQ(first.status, OTC_SUCCESS);
  ASSERT_EQ(second.status, OTC_SUCCESS);

  const otc_frame_cryptor_stats before = stats(receiver);
  std::uint64_t kid = kUntouched;
  EXPECT_EQ(peek(receiver, first.data, &kid), OTC_FRAME_SENDER_UNKNOWN);
  EXPECT_EQ(kid, frame_kid(first.data));
  EXPECT_EQ(peek(receiver, first.data, nullptr), OTC_FRAME_SENDER_UNKNOWN);  // kid may be NULL
  // No derivation, no counting: the new-sender budget and the stats are as before.
  expect_same_stats(before, stats(receiver));

  // A tampered frame under that KID fails and admits nothing.
  Bytes forged = first.data;
  forged.back() ^= 0x01;
  EXPECT_EQ(decrypt(receiver, forged).status, OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(peek(receiver, first.data, &kid), OTC_FRAME_SENDER_UNKNOWN);

  ASSERT_EQ(decrypt(receiver, first.data).status, OTC_SUCCESS);
  const otc_frame_cryptor_stats admitted = stats(receiver);
  kid = kUntouched;
  EXPECT_EQ(peek(receiver, second.data, &kid), OTC_FRAME_SENDER_ADMITTED);
  EXPECT_EQ(kid, frame_kid(first.data));
  // Peeking at a frame already accepted neither refuses it as a replay nor counts anything; the
  // next frame still decrypts.
  EXPECT_EQ(peek(receiver, first.data, &kid), OTC_FRAME_SENDER_ADMITTED);
  expect_same_stats(admitted, stats(receiver));
  EXPECT_EQ(decrypt(receiver, second.data).status, OTC_SUCCESS);
}

TEST(FrameCryptorPeek, AdmissionIsSharedWithTheSessionNotWithKeysAlone) {
  const Cryptor sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
  const Cryptor receiver = cached(OTC_CIPHER_SUITE_DEFAULT, 1);
  const Cryptor same_session(otc_frame_cryptor_new_sharing_session(receiver.get()));
  const Cryptor same_keys(otc_frame_cryptor_new_sharing_keys(receiver.get()));
  ASSERT_NE(same_session, nullptr);
  ASSERT_NE(same_keys, nullptr);
  const Outcome frame = encrypt(sender, pattern(20));
  ASSERT_EQ(decrypt(receiver, frame.data).status, OTC_SUCCESS);
  std::uint64_t kid = 0;
  EXPECT_EQ(peek(same_session, frame.data, &kid), OTC_FRAME_SENDER_ADMITTED);
  EXPECT_EQ(peek(same_keys, frame.data, &kid), OTC_FRAME_SENDER_UNKNOWN);
}

TEST(FrameCryptorPeek, AFrameOfAnotherSecretIsAnUnknownSender) {
  const Cryptor receiver = cached(OTC_CIPHER_SUITE_DEFAULT, 1, kSecretA);
  const Outcome other = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0, kSecretB), pattern(20));
  ASSERT_EQ(other.status, OTC_SUCCESS);
  std::uint64_t kid = 0;
  EXPECT_EQ(peek(receiver, other.data, &kid), OTC_FRAME_SENDER_UNKNOWN);
  EXPECT_EQ(kid, frame_kid(other.data));
}

}  // namespace
