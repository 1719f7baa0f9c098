// otc_frame_cryptor_encrypt_raw / _decrypt_raw: the one-result form the Java API calls. Each
// outcome of the status-and-length functions must come back as a length or a negated status, with
// the same bytes, the same refusals and the same stats.
#include <gtest/gtest.h>
#include <otc/otc.h>

#include "cryptor_fixture.hpp"

using namespace otc_test;

namespace {

class FrameCryptorRaw : public ::testing::TestWithParam<int> {
 protected:
  Cryptor sender_ = cached(GetParam(), 0);
  Cryptor receiver_ = cached(GetParam(), 1);
  const Bytes metadata_ = from_string("stream=7;ts=1234");

  Bytes seal_raw(const Bytes& plain) {
    Bytes out(plain.size() + otc_frame_cryptor_max_overhead(sender_.get()));
    const int64_t n = otc_frame_cryptor_encrypt_raw(sender_.get(), metadata_.data(), metadata_.size(),
                                                    plain.data(), plain.size(), out.data(), out.size());
    EXPECT_GT(n, 0);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
  }
};

std::string suite_name(const ::testing::TestParamInfo<int>& info) { return otc_cipher_suite_name(info.param); }

INSTANTIATE_TEST_SUITE_P(AllSuites, FrameCryptorRaw, ::testing::ValuesIn(kAllSuites), suite_name);

TEST_P(FrameCryptorRaw, RoundTripsWithTheStatusFunctionsBothWays) {
  for (std::size_t size : {0u, 1u, 100u, 1200u, 102400u}) {
    SCOPED_TRACE(size);
    const Bytes plain = pattern(size, static_cast<std::uint8_t>(size + 1));
    // raw encrypt -> status decrypt
    const Bytes frame = seal_raw(plain);
    const Outcome dec = decrypt(receiver_, frame, metadata_);
    ASSERT_EQ(dec.status, OTC_SUCCESS);
    EXPECT_EQ(dec.data, plain);
    // status encrypt -> raw decrypt, into a buffer of exactly the plaintext size
    const Outcome enc = encrypt(sender_, plain, metadata_);
    ASSERT_EQ(enc.status, OTC_SUCCESS);
    Bytes out(size);
    const int64_t n = otc_frame_cryptor_decrypt_raw(receiver_.get(), metadata_.data(), metadata_.size(),
                                                    enc.data.data(), enc.data.size(), out.data(), out.size());
    ASSERT_EQ(n, static_cast<int64_t>(size));
    EXPECT_EQ(out, plain);
  }
  EXPECT_EQ(stats(sender_).frames_encrypted, 10u);
  EXPECT_EQ(stats(receiver_).frames_decrypted, 10u);
}

TEST_P(FrameCryptorRaw, RefusalsComeBackAsNegatedStatusAndWriteNothing) {
  const Bytes plain = pattern(100, 9);
  const Bytes frame = seal_raw(plain);
  Bytes out(100, 0xAA);
  auto open = [&](const Bytes& f, const Bytes& md, std::size_t cap) {
    return otc_frame_cryptor_decrypt_raw(receiver_.get(), md.data(), md.size(), f.data(), f.size(), out.data(), cap);
  };
  Bytes tampered = frame;
  tampered.back() ^= 1;
  EXPECT_EQ(open(tampered, metadata_, out.size()), -int64_t{OTC_FRAME_AUTHENTICATION_FAILED});
  EXPECT_EQ(open(frame, from_string("other metadata"), out.size()), -int64_t{OTC_FRAME_AUTHENTICATION_FAILED});
  EXPECT_EQ(open(frame, metadata_, 99), -int64_t{OTC_ERR_BUFFER_TOO_SMALL});
  EXPECT_EQ(open(Bytes{frame.begin(), frame.begin() + 3}, metadata_, out.size()), -int64_t{OTC_FRAME_MALFORMED});
  EXPECT_EQ(out, Bytes(100, 0xAA));
  EXPECT_EQ(open(frame, metadata_, out.size()), 100);
  EXPECT_EQ(out, plain);
  EXPECT_EQ(open(frame, metadata_, out.size()), -int64_t{OTC_FRAME_REPLAYED});

  const otc_frame_cryptor_stats s = stats(receiver_);
  EXPECT_EQ(s.authentication_failed, 2u);
  EXPECT_EQ(s.buffer_too_small, 1u);
  EXPECT_EQ(s.malformed, 1u);
  EXPECT_EQ(s.replayed, 1u);
  EXPECT_EQ(s.frames_decrypted, 1u);

  // Encrypting into too small a buffer.
  Bytes small(plain.size());
  EXPECT_EQ(otc_frame_cryptor_encrypt_raw(sender_.get(), nullptr, 0, plain.data(), plain.size(), small.data(),
                                          small.size()),
            -int64_t{OTC_ERR_BUFFER_TOO_SMALL});
}

TEST(FrameCryptorRawApi, InvalidArgumentsAndMissingSecret) {
  const Bytes plain = pattern(16);
  Bytes out(64);
  EXPECT_EQ(otc_frame_cryptor_encrypt_raw(nullptr, nullptr, 0, plain.data(), plain.size(), out.data(), out.size()),
            -int64_t{OTC_ERR_INVALID_PARAM});
  EXPECT_EQ(otc_frame_cryptor_decrypt_raw(nullptr, nullptr, 0, plain.data(), plain.size(), out.data(), out.size()),
            -int64_t{OTC_ERR_INVALID_PARAM});
  const Cryptor c{otc_frame_cryptor_new(kSession, 0)};
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(otc_frame_cryptor_encrypt_raw(c.get(), nullptr, 5, plain.data(), plain.size(), out.data(), out.size()),
            -int64_t{OTC_ERR_INVALID_PARAM});
  EXPECT_EQ(otc_frame_cryptor_encrypt_raw(c.get(), nullptr, 0, plain.data(), plain.size(), out.data(), out.size()),
            -int64_t{OTC_SESSION_ENCRYPTION_SECRET_MISSING});
  EXPECT_EQ(otc_frame_cryptor_decrypt_raw(c.get(), nullptr, 0, nullptr, 4, out.data(), out.size()),
            -int64_t{OTC_ERR_INVALID_PARAM});
}

}  // namespace
