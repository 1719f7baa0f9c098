// Frame cryptor behaviour for every cipher suite: round trips, tampering, truncation, replay,
// buffers, secrets, stats.
#include <gtest/gtest.h>
#include <otc/otc.h>

#include <algorithm>
#include <random>

#include "cryptor_fixture.hpp"

using namespace otc_test;

namespace {

class FrameCryptor : public ::testing::TestWithParam<int> {
 protected:
  int suite() const { return GetParam(); }
  std::size_t tag() const { return otc_cipher_suite_tag_size(suite()); }
  Cryptor sender_ = cached(GetParam(), 0);
  Cryptor receiver_ = cached(GetParam(), 1);
  const Bytes metadata_ = from_string("stream=3;codec=VP8;ts=90000;key=1");
};

std::string suite_name(const ::testing::TestParamInfo<int>& info) { return otc_cipher_suite_name(info.param); }

INSTANTIATE_TEST_SUITE_P(AllSuites, FrameCryptor, ::testing::ValuesIn(kAllSuites), suite_name);

TEST_P(FrameCryptor, RoundTripAtEverySize) {
  std::uint64_t expected_ctr = 0;
  for (std::size_t size : {0u, 1u, 100u, 1200u, 10240u, 102400u}) {
    SCOPED_TRACE(size);
    const Bytes plain = pattern(size, static_cast<std::uint8_t>(size));
    const Outcome enc = encrypt(sender_, plain, metadata_);
    ASSERT_EQ(enc.status, OTC_SUCCESS);
    EXPECT_EQ(enc.data.size(), frame_header_len(enc.data) + size + tag());
    EXPECT_LE(enc.data.size(), size + otc_frame_cryptor_max_overhead(sender_.get()));
    EXPECT_EQ(frame_ctr(enc.data), expected_ctr++);
    if (size >= 16) {
      // The payload is not carried in clear.
      EXPECT_EQ(std::search(enc.data.begin(), enc.data.end(), plain.begin(), plain.begin() + 16), enc.data.end());
    }
    const Outcome dec = decrypt(receiver_, enc.data, metadata_);
    ASSERT_EQ(dec.status, OTC_SUCCESS);
    EXPECT_EQ(dec.data, plain);
  }
  EXPECT_EQ(stats(sender_).frames_encrypted, 6u);
  EXPECT_EQ(stats(receiver_).frames_decrypted, 6u);
}

TEST_P(FrameCryptor, KidCarriesTheSecretFingerprintAndARandomSenderId) {
  const Outcome a = encrypt(sender_, pattern(10));
  const Cryptor other_sender = cached(suite(), 0);
  const Outcome b = encrypt(other_sender, pattern(10));
  ASSERT_EQ(a.status, OTC_SUCCESS);
  ASSERT_EQ(b.status, OTC_SUCCESS);
  EXPECT_EQ(frame_kid(a.data) >> 48, frame_kid(b.data) >> 48);
  EXPECT_NE(frame_kid(a.data), frame_kid(b.data));
  // Both decrypt at one receiver, each under its own key.
  EXPECT_EQ(decrypt(receiver_, a.data).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, b.data).status, OTC_SUCCESS);
}

void expect_every_bit_flip_fails(const Cryptor& receiver, const Bytes& frame, const Bytes& metadata,
                                 std::size_t step) {
  const std::size_t header_len = frame_header_len(frame);
  Bytes out(frame.size(), 0x5A);
  for (std::size_t bit = 0; bit < frame.size() * 8; bit += (bit / 8 < header_len ? 1 : step)) {
    Bytes tampered = frame;
    tampered[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    size_t out_len = 0;
    const otc_status st = otc_frame_cryptor_decrypt(receiver.get(), metadata.data(), metadata.size(),
                                                    tampered.data(), tampered.size(), out.data(), out.size(),
                                                    &out_len);
    if (bit / 8 >= header_len) {
      ASSERT_EQ(st, OTC_FRAME_AUTHENTICATION_FAILED) << "bit " << bit;
    } else {
      ASSERT_TRUE(st == OTC_FRAME_MALFORMED || st == OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH ||
                  st == OTC_FRAME_AUTHENTICATION_FAILED || st == OTC_FRAME_REPLAYED)
          << "bit " << bit << ": " << otc_error_name(st);
    }
  }
  // No failed frame wrote to the output buffer.
  EXPECT_EQ(out, Bytes(frame.size(), 0x5A));
}

TEST_P(FrameCryptor, EveryBitFlipOfASmallFrameFailsForANewSender) {
  const Outcome enc = encrypt(sender_, pattern(24), metadata_);
  ASSERT_EQ(enc.status, OTC_SUCCESS);
  expect_every_bit_flip_fails(receiver_, enc.data, metadata_, 1);
  // Failures left no state behind: the genuine frame is still accepted.
  EXPECT_EQ(decrypt(receiver_, enc.data, metadata_).status, OTC_SUCCESS);
}

TEST_P(FrameCryptor, EveryBitFlipFailsForAKnownSender) {
  ASSERT_EQ(decrypt(receiver_, encrypt(sender_, pattern(5), metadata_).data, metadata_).status, OTC_SUCCESS);
  const Outcome enc = encrypt(sender_, pattern(24), metadata_);
  expect_every_bit_flip_fails(receiver_, enc.data, metadata_, 1);
  EXPECT_EQ(decrypt(receiver_, enc.data, metadata_).status, OTC_SUCCESS);
}

TEST_P(FrameCryptor, SampledBitFlipsOfLargeFramesFail) {
  for (std::size_t size : {10240u, 102400u}) {
    const Outcome enc = encrypt(sender_, pattern(size), metadata_);
    // A prime step visits every byte position class and every bit index.
    expect_every_bit_flip_fails(receiver_, enc.data, metadata_, size == 10240u ? 331 : 3307);
    EXPECT_EQ(decrypt(receiver_, enc.data, metadata_).status, OTC_SUCCESS);
  }
}

TEST_P(FrameCryptor, ChangedMetadataFailsAuthentication) {
  const Outcome enc = encrypt(sender_, pattern(50), metadata_);
  Bytes other = metadata_;
  other[0] ^= 1;
  EXPECT_EQ(decrypt(receiver_, enc.data, other).status, OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(decrypt(receiver_, enc.data, {}).status, OTC_FRAME_AUTHENTICATION_FAILED);
  Bytes longer = metadata_;
  longer.push_back(0);
  EXPECT_EQ(decrypt(receiver_, enc.data, longer).status, OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(decrypt(receiver_, enc.data, metadata_).status, OTC_SUCCESS);
}

TEST_P(FrameCryptor, WrongSecretIsAMismatch) {
  const Cryptor stranger = cached(suite(), 0, kSecretB);
  const Outcome enc = encrypt(stranger, pattern(50));
  ASSERT_EQ(enc.status, OTC_SUCCESS);
  // The two fixed secrets have different fingerprints (checked here, so the test means what it says).
  ASSERT_NE(frame_kid(enc.data) >> 48, frame_kid(encrypt(sender_, pattern(1)).data) >> 48);
  EXPECT_EQ(decrypt(receiver_, enc.data).status, OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  EXPECT_EQ(stats(receiver_).secret_mismatch, 1u);
}

TEST_P(FrameCryptor, TruncationAtEveryLength) {
  const Outcome enc = encrypt(sender_, pattern(40), metadata_);
  const std::size_t header_len = frame_header_len(enc.data);
  for (std::size_t len = 0; len < enc.data.size(); ++len) {
    const Bytes cut(enc.data.begin(), enc.data.begin() + static_cast<long>(len));
    const otc_status st = decrypt(receiver_, cut, metadata_).status;
    if (len < header_len + tag()) {
      EXPECT_EQ(st, OTC_FRAME_MALFORMED) << len;
    } else {
      EXPECT_EQ(st, OTC_FRAME_AUTHENTICATION_FAILED) << len;
    }
  }
  EXPECT_EQ(decrypt(receiver_, enc.data, metadata_).status, OTC_SUCCESS);
}

TEST_P(FrameCryptor, HeaderLengthFieldsClaimingMissingBytesAreMalformed) {
  const Bytes claims[] = {
      {0xF7},                               // 8 KID bytes + 8 CTR bytes announced, none present
      {0xF7, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2}, // CTR bytes missing
      {0x8F, 0x10},                          // 1 KID byte, 8 CTR bytes announced
      {0x08},                               // 1 CTR byte announced
      {},
  };
  for (const Bytes& frame : claims) {
    EXPECT_EQ(decrypt(receiver_, frame).status, OTC_FRAME_MALFORMED) << to_hex(frame);
  }
  EXPECT_EQ(stats(receiver_).malformed, 5u);
}

// FORMAT.md sec. 5.1: a longer-than-needed CTR encoding parses (it is not malformed), but the AAD
// is the header as received, so the re-encoded frame fails authentication.
TEST_P(FrameCryptor, NonMinimalHeaderEncodingParsesButFailsAuthentication) {
  const Outcome f0 = encrypt(sender_, pattern(20));
  const Outcome f1 = encrypt(sender_, pattern(20));
  auto widen_ctr = [](const Bytes& frame) {
    // Small counters sit in the config byte's low 3 bits; move them into one explicit CTR byte.
    const std::size_t header_len = frame_header_len(frame);
    Bytes wide(frame.begin(), frame.begin() + static_cast<long>(header_len));
    const std::uint8_t ctr = wide[0] & 0x07;
    wide[0] = static_cast<std::uint8_t>((wide[0] & 0xF0) | 0x08);
    wide.push_back(ctr);
    wide.insert(wide.end(), frame.begin() + static_cast<long>(header_len), frame.end());
    return wide;
  };
  const Bytes wide0 = widen_ctr(f0.data);
  EXPECT_EQ(frame_kid(wide0), frame_kid(f0.data));
  EXPECT_EQ(frame_ctr(wide0), 0u);
  EXPECT_EQ(decrypt(receiver_, wide0).status, OTC_FRAME_AUTHENTICATION_FAILED);  // new sender
  ASSERT_EQ(decrypt(receiver_, f0.data).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, widen_ctr(f1.data)).status, OTC_FRAME_AUTHENTICATION_FAILED);  // known sender
  EXPECT_EQ(decrypt(receiver_, wide0).status, OTC_FRAME_REPLAYED);  // replay check comes first
  EXPECT_EQ(decrypt(receiver_, f1.data).status, OTC_SUCCESS);
}

TEST_P(FrameCryptor, ReplayAndWindow) {
  std::vector<Bytes> frames;
  for (int i = 0; i < 1100; ++i) frames.push_back(encrypt(sender_, pattern(8, static_cast<std::uint8_t>(i))).data);
  // Reordered within the window: fine.
  for (int i : {5, 3, 4, 0, 2, 1}) ASSERT_EQ(decrypt(receiver_, frames[i]).status, OTC_SUCCESS) << i;
  EXPECT_EQ(decrypt(receiver_, frames[4]).status, OTC_FRAME_REPLAYED);
  ASSERT_EQ(decrypt(receiver_, frames[1030]).status, OTC_SUCCESS);
  // 1030 - 1023 = 7 is the oldest counter still inside the window.
  EXPECT_EQ(decrypt(receiver_, frames[6]).status, OTC_FRAME_REPLAYED);
  EXPECT_EQ(decrypt(receiver_, frames[7]).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, frames[7]).status, OTC_FRAME_REPLAYED);
  EXPECT_EQ(decrypt(receiver_, frames[1029]).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, frames[1099]).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, frames[1030]).status, OTC_FRAME_REPLAYED);
  const otc_frame_cryptor_stats s = stats(receiver_);
  EXPECT_EQ(s.frames_decrypted, 10u);
  EXPECT_EQ(s.replayed, 4u);
}

TEST_P(FrameCryptor, TooSmallBuffersAreRefusedAndLeftUntouched) {
  const Bytes plain = pattern(100);
  const std::size_t needed = plain.size() + otc_frame_cryptor_max_overhead(sender_.get());
  Bytes out(needed - 1, 0xAB);
  size_t out_len = 12345;
  EXPECT_EQ(otc_frame_cryptor_encrypt(sender_.get(), nullptr, 0, plain.data(), plain.size(), out.data(),
                                      out.size(), &out_len),
            OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(out, Bytes(needed - 1, 0xAB));
  EXPECT_EQ(out_len, 12345u);

  const Outcome enc = encrypt(sender_, plain);
  Bytes small(plain.size() - 1, 0xCD);
  EXPECT_EQ(otc_frame_cryptor_decrypt(receiver_.get(), nullptr, 0, enc.data.data(), enc.data.size(),
                                      small.data(), small.size(), &out_len),
            OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(small, Bytes(plain.size() - 1, 0xCD));
  EXPECT_EQ(out_len, 12345u);
  // Exactly the plaintext size is enough; the refused attempt did not consume the counter.
  Bytes exact(plain.size());
  ASSERT_EQ(otc_frame_cryptor_decrypt(receiver_.get(), nullptr, 0, enc.data.data(), enc.data.size(),
                                      exact.data(), exact.size(), &out_len),
            OTC_SUCCESS);
  EXPECT_EQ(exact, plain);
  EXPECT_EQ(stats(sender_).buffer_too_small, 1u);
  EXPECT_EQ(stats(receiver_).buffer_too_small, 1u);
}

TEST_P(FrameCryptor, SharingCryptorsUseDistinctKidsAndCounters) {
  const Cryptor twin = share(sender_);
  const Outcome a = encrypt(sender_, pattern(10));
  const Outcome b = encrypt(twin, pattern(10));
  EXPECT_NE(frame_kid(a.data), frame_kid(b.data));
  EXPECT_EQ(frame_ctr(b.data), 0u);
  // A cryptor sharing keys decrypts its twin's frames.
  EXPECT_EQ(decrypt(twin, a.data).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, b.data).status, OTC_SUCCESS);
  // Stats are per cryptor.
  EXPECT_EQ(stats(twin).frames_encrypted, 1u);
  EXPECT_EQ(stats(twin).frames_decrypted, 1u);
}

TEST_P(FrameCryptor, StatsCountEveryOutcome) {
  const Outcome good = encrypt(sender_, pattern(30));
  Bytes forged = good.data;
  forged.back() ^= 1;
  EXPECT_EQ(decrypt(receiver_, forged).status, OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(decrypt(receiver_, good.data).status, OTC_SUCCESS);
  EXPECT_EQ(decrypt(receiver_, good.data).status, OTC_FRAME_REPLAYED);
  EXPECT_EQ(decrypt(receiver_, Bytes{0xFF}).status, OTC_FRAME_MALFORMED);
  EXPECT_EQ(decrypt(receiver_, encrypt(cached(suite(), 0, kSecretB), pattern(3)).data).status,
            OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH);
  const otc_frame_cryptor_stats s = stats(receiver_);
  EXPECT_EQ(s.frames_decrypted, 1u);
  EXPECT_EQ(s.authentication_failed, 1u);
  EXPECT_EQ(s.replayed, 1u);
  EXPECT_EQ(s.malformed, 1u);
  EXPECT_EQ(s.secret_mismatch, 1u);
  EXPECT_EQ(s.frames_encrypted, 0u);
  EXPECT_EQ(s.buffer_too_small, 0u);
  EXPECT_EQ(s.secret_missing, 0u);
  EXPECT_EQ(s.internal_error, 0u);
  EXPECT_EQ(s.secrets_expired, 0u);
}

TEST_P(FrameCryptor, RandomGarbageNeverDecrypts) {
  const Outcome genuine = encrypt(sender_, pattern(64));
  ASSERT_EQ(decrypt(receiver_, genuine.data).status, OTC_SUCCESS);
  const std::size_t header_len = frame_header_len(genuine.data);
  std::mt19937 rng(GetParam());  // fixed seed: failures reproduce
  for (int i = 0; i < 3000; ++i) {
    Bytes frame(rng() % 200);
    for (auto& b : frame) b = static_cast<std::uint8_t>(rng());
    // A third keep the genuine header (known sender, later counters), a third its fingerprint.
    if (i % 3 == 0 && frame.size() >= header_len) {
      std::copy(genuine.data.begin(), genuine.data.begin() + static_cast<long>(header_len), frame.begin());
    } else if (i % 3 == 1 && frame.size() >= 3) {
      frame[0] = genuine.data[0];
      frame[1] = genuine.data[1];
      frame[2] = genuine.data[2];
    }
    const otc_status st = decrypt(receiver_, frame).status;
    ASSERT_TRUE(st == OTC_FRAME_MALFORMED || st == OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH ||
                st == OTC_FRAME_AUTHENTICATION_FAILED || st == OTC_FRAME_REPLAYED)
        << i << ": " << otc_error_name(st) << " " << to_hex(frame);
  }
  const otc_frame_cryptor_stats s = stats(receiver_);
  EXPECT_EQ(s.malformed + s.secret_mismatch + s.authentication_failed + s.replayed, 3000u);
  EXPECT_EQ(s.frames_decrypted, 1u);
}

TEST_P(FrameCryptor, CipherSuiteAndOverheadAreReported) {
  EXPECT_EQ(otc_frame_cryptor_cipher_suite(sender_.get()), suite());
  EXPECT_EQ(otc_frame_cryptor_max_overhead(sender_.get()), 17 + tag());
}

// --- suite-independent behaviour -----------------------------------------------------------------

TEST(FrameCryptorSecrets, MissingSecret) {
  const Cryptor c(otc_frame_cryptor_new(kSession, 0));
  ASSERT_TRUE(c);
  EXPECT_EQ(otc_frame_cryptor_has_encryption_secret(c.get()), OTC_FALSE);
  EXPECT_EQ(otc_frame_cryptor_cipher_suite(c.get()), OTC_CIPHER_SUITE_DEFAULT);
  EXPECT_EQ(encrypt(c, pattern(10)).status, OTC_SESSION_ENCRYPTION_SECRET_MISSING);
  const Outcome frame = encrypt(cached(OTC_CIPHER_SUITE_DEFAULT, 0), pattern(10));
  EXPECT_EQ(decrypt(c, frame.data).status, OTC_SESSION_ENCRYPTION_SECRET_MISSING);
  EXPECT_EQ(stats(c).secret_missing, 2u);
  // A cryptor sharing the keyring sees the secret once it is set on the other.
  const Cryptor twin = share(c);
  ASSERT_EQ(set_secret(c, kSecretA), OTC_SUCCESS);
  EXPECT_EQ(otc_frame_cryptor_has_encryption_secret(twin.get()), OTC_TRUE);
  EXPECT_EQ(decrypt(twin, frame.data).status, OTC_SUCCESS);
}

TEST(FrameCryptorSecrets, InvalidSecretLeavesTheKeyringUnchanged) {
  const Cryptor c = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
  const Outcome before = encrypt(c, pattern(4));
  EXPECT_EQ(set_secret(c, "short"), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  EXPECT_EQ(otc_frame_cryptor_set_encryption_secret(c.get(), nullptr, 10), OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  const std::uint8_t overlong[] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 0xC0, 0xAF};
  EXPECT_EQ(otc_frame_cryptor_set_encryption_secret(c.get(), overlong, sizeof overlong),
            OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  const Outcome after = encrypt(c, pattern(4));
  EXPECT_EQ(frame_kid(after.data), frame_kid(before.data));
  EXPECT_EQ(frame_ctr(after.data), frame_ctr(before.data) + 1);
}

TEST(FrameCryptorSecrets, SettingTheCurrentSecretAgainChangesNothing) {
  const Cryptor c = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  const Outcome before = encrypt(c, pattern(4));
  ASSERT_EQ(set_secret(c, kSecretA), OTC_SUCCESS);
  const Outcome after = encrypt(c, pattern(4));
  EXPECT_EQ(frame_kid(after.data), frame_kid(before.data));
  EXPECT_EQ(frame_ctr(after.data), 1u);
  EXPECT_EQ(stats(c).secrets_set, 1u);
}

TEST(FrameCryptorSecrets, NewSecretMeansNewKidAndCounterFromZero) {
  const Cryptor c = make_cryptor(OTC_CIPHER_SUITE_DEFAULT, kSecretA);
  const Outcome a0 = encrypt(c, pattern(4));
  encrypt(c, pattern(4));
  ASSERT_EQ(set_secret(c, kSecretB), OTC_SUCCESS);
  const Outcome b0 = encrypt(c, pattern(4));
  EXPECT_NE(frame_kid(b0.data) >> 48, frame_kid(a0.data) >> 48);
  EXPECT_EQ(frame_ctr(b0.data), 0u);
  // Back to A: the fingerprint returns, with a fresh sender id, so (key, nonce) never repeats.
  ASSERT_EQ(set_secret(c, kSecretA), OTC_SUCCESS);
  const Outcome a_again = encrypt(c, pattern(4));
  EXPECT_EQ(frame_kid(a_again.data) >> 48, frame_kid(a0.data) >> 48);
  EXPECT_NE(frame_kid(a_again.data), frame_kid(a0.data));
  EXPECT_EQ(frame_ctr(a_again.data), 0u);
  EXPECT_EQ(stats(c).secrets_set, 3u);
}

TEST(FrameCryptorApi, RejectsInvalidArguments) {
  EXPECT_EQ(otc_frame_cryptor_new(nullptr, 0), nullptr);
  EXPECT_EQ(otc_frame_cryptor_new("", 0), nullptr);
  EXPECT_EQ(otc_frame_cryptor_new("bad\xFF", 0), nullptr);
  EXPECT_EQ(otc_frame_cryptor_new(std::string(1025, 'x').c_str(), 0), nullptr);
  EXPECT_EQ(otc_frame_cryptor_new(kSession, 6), nullptr);
  EXPECT_EQ(otc_frame_cryptor_new(kSession, -1), nullptr);
  const Cryptor max_id(otc_frame_cryptor_new(std::string(1024, 'x').c_str(), 0));
  EXPECT_TRUE(max_id);
  EXPECT_EQ(otc_frame_cryptor_new_sharing_keys(nullptr), nullptr);
  EXPECT_EQ(otc_frame_cryptor_delete(nullptr), OTC_SUCCESS);

  const Cryptor c = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
  std::uint8_t buf[64];
  size_t len = 0;
  EXPECT_EQ(otc_frame_cryptor_encrypt(nullptr, nullptr, 0, buf, 1, buf, sizeof buf, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_encrypt(c.get(), nullptr, 3, buf, 1, buf + 1, 60, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_encrypt(c.get(), nullptr, 0, nullptr, 1, buf, sizeof buf, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_encrypt(c.get(), nullptr, 0, buf, 1, nullptr, 64, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_encrypt(c.get(), nullptr, 0, buf, 1, buf + 1, 60, nullptr), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_encrypt(c.get(), nullptr, 0, buf, SIZE_MAX, buf + 1, 60, &len), OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(otc_frame_cryptor_decrypt(nullptr, nullptr, 0, buf, 20, buf, 20, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_decrypt(c.get(), nullptr, 0, nullptr, 20, buf, 20, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_decrypt(c.get(), nullptr, 0, buf, 20, nullptr, 20, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_decrypt(c.get(), nullptr, 0, buf, 20, buf, 20, nullptr), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_set_encryption_secret(nullptr, buf, 10), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_set_grace_period_ms(nullptr, 10), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_set_grace_period_ms(c.get(), 600001), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_set_grace_period_ms(c.get(), 600000), OTC_SUCCESS);
  EXPECT_EQ(otc_frame_cryptor_has_encryption_secret(nullptr), OTC_FALSE);
  EXPECT_EQ(otc_frame_cryptor_cipher_suite(nullptr), 0);
  EXPECT_EQ(otc_frame_cryptor_max_overhead(nullptr), 0u);
  otc_frame_cryptor_stats s = OTC_FRAME_CRYPTOR_STATS_INIT;
  EXPECT_EQ(otc_frame_cryptor_get_stats(nullptr, &s), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_frame_cryptor_get_stats(c.get(), nullptr), OTC_ERR_INVALID_PARAM);
}

TEST(FrameCryptorApi, EmptyFrameWithNullOutputBuffer) {
  const Cryptor sender = cached(OTC_CIPHER_SUITE_DEFAULT, 0);
  const Cryptor receiver = cached(OTC_CIPHER_SUITE_DEFAULT, 1);
  const Outcome enc = encrypt(sender, {});
  ASSERT_EQ(enc.status, OTC_SUCCESS);
  size_t len = 99;
  EXPECT_EQ(otc_frame_cryptor_decrypt(receiver.get(), nullptr, 0, enc.data.data(), enc.data.size(), nullptr, 0, &len),
            OTC_SUCCESS);
  EXPECT_EQ(len, 0u);
}

}  // namespace
