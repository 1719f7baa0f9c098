// The raw SFrame context: caller-chosen KIDs and counters, key management, error outcomes.
#include <gtest/gtest.h>
#include <otc/otc.h>
#include <otc/testing/sframe.h>

#include <memory>

#include "test_support.hpp"

using otc_test::Bytes;
using otc_test::pattern;

namespace {

struct ContextDeleter {
  void operator()(otc_sframe_context* c) const { otc_sframe_context_delete(c); }
};
using Context = std::unique_ptr<otc_sframe_context, ContextDeleter>;

class SframeContext : public ::testing::TestWithParam<int> {
 protected:
  Context ctx_{otc_sframe_context_new(GetParam())};
  const Bytes key_ = pattern(32, 9);
};

INSTANTIATE_TEST_SUITE_P(AllSuites, SframeContext, ::testing::Values(1, 2, 3, 4, 5),
                         [](const ::testing::TestParamInfo<int>& i) { return otc_cipher_suite_name(i.param); });

TEST_P(SframeContext, ProtectUnprotectAndKeyManagement) {
  ASSERT_TRUE(ctx_);
  const Bytes plain = pattern(300), md = pattern(7, 3);
  Bytes frame(plain.size() + otc_sframe_max_overhead(GetParam()));
  size_t len = 0;
  EXPECT_EQ(otc_sframe_protect(ctx_.get(), 42, 7, md.data(), md.size(), plain.data(), plain.size(), frame.data(),
                               frame.size(), &len),
            OTC_FRAME_UNKNOWN_KEY);
  ASSERT_EQ(otc_sframe_context_add_key(ctx_.get(), 42, key_.data(), key_.size()), OTC_SUCCESS);
  ASSERT_EQ(otc_sframe_protect(ctx_.get(), 42, 7, md.data(), md.size(), plain.data(), plain.size(), frame.data(),
                               frame.size(), &len),
            OTC_SUCCESS);
  frame.resize(len);

  Bytes out(plain.size());
  std::uint64_t kid = 0, ctr = 0;
  ASSERT_EQ(otc_sframe_unprotect(ctx_.get(), md.data(), md.size(), frame.data(), frame.size(), out.data(),
                                 out.size(), &len, &kid, &ctr),
            OTC_SUCCESS);
  EXPECT_EQ(out, plain);
  EXPECT_EQ(kid, 42u);
  EXPECT_EQ(ctr, 7u);
  // No replay check at this layer.
  EXPECT_EQ(otc_sframe_unprotect(ctx_.get(), md.data(), md.size(), frame.data(), frame.size(), out.data(),
                                 out.size(), &len, nullptr, nullptr),
            OTC_SUCCESS);

  Bytes tampered = frame;
  tampered[tampered.size() / 2] ^= 0x10;
  Bytes untouched(plain.size(), 0x77);
  EXPECT_EQ(otc_sframe_unprotect(ctx_.get(), md.data(), md.size(), tampered.data(), tampered.size(),
                                 untouched.data(), untouched.size(), &len, nullptr, nullptr),
            OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(untouched, Bytes(plain.size(), 0x77));
  EXPECT_EQ(otc_sframe_unprotect(ctx_.get(), md.data(), md.size(), frame.data(), frame.size(), untouched.data(),
                                 plain.size() - 1, &len, nullptr, nullptr),
            OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(untouched, Bytes(plain.size(), 0x77));
  EXPECT_EQ(otc_sframe_unprotect(ctx_.get(), md.data(), md.size(), frame.data(), 3, out.data(), out.size(), &len,
                                 &kid, &ctr),
            OTC_FRAME_MALFORMED);

  // Replacing the key under the same KID makes old frames fail; removing it makes them unknown.
  const Bytes other_key = pattern(32, 10);
  ASSERT_EQ(otc_sframe_context_add_key(ctx_.get(), 42, other_key.data(), other_key.size()), OTC_SUCCESS);
  EXPECT_EQ(otc_sframe_unprotect(ctx_.get(), md.data(), md.size(), frame.data(), frame.size(), out.data(),
                                 out.size(), &len, nullptr, nullptr),
            OTC_FRAME_AUTHENTICATION_FAILED);
  EXPECT_EQ(otc_sframe_context_remove_key(ctx_.get(), 42), OTC_SUCCESS);
  EXPECT_EQ(otc_sframe_context_remove_key(ctx_.get(), 42), OTC_FRAME_UNKNOWN_KEY);
  kid = 0;
  EXPECT_EQ(otc_sframe_unprotect(ctx_.get(), md.data(), md.size(), frame.data(), frame.size(), out.data(),
                                 out.size(), &len, &kid, nullptr),
            OTC_FRAME_UNKNOWN_KEY);
  EXPECT_EQ(kid, 42u);
}

TEST_P(SframeContext, ProtectNeedsTheMaximumOverhead) {
  ASSERT_EQ(otc_sframe_context_add_key(ctx_.get(), 1, key_.data(), key_.size()), OTC_SUCCESS);
  const Bytes plain = pattern(10);
  Bytes frame(plain.size() + otc_sframe_max_overhead(GetParam()) - 1, 0x11);
  size_t len = 0;
  EXPECT_EQ(otc_sframe_protect(ctx_.get(), 1, 0, nullptr, 0, plain.data(), plain.size(), frame.data(), frame.size(),
                               &len),
            OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(frame, Bytes(frame.size(), 0x11));
  EXPECT_EQ(otc_sframe_protect(ctx_.get(), 1, 0, nullptr, 0, plain.data(), SIZE_MAX, frame.data(), frame.size(),
                               &len),
            OTC_ERR_BUFFER_TOO_SMALL);
}

TEST(SframeContextApi, RejectsBadArguments) {
  EXPECT_EQ(otc_sframe_context_new(0), nullptr);
  EXPECT_EQ(otc_sframe_context_new(6), nullptr);
  EXPECT_EQ(otc_sframe_context_delete(nullptr), OTC_SUCCESS);
  Context ctx(otc_sframe_context_new(5));
  const std::uint8_t key[32] = {0};
  std::uint8_t buf[64];
  size_t len = 0;
  EXPECT_EQ(otc_sframe_context_add_key(nullptr, 1, key, 32), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_context_add_key(ctx.get(), 1, nullptr, 32), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_context_add_key(ctx.get(), 1, key, 0), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_context_remove_key(nullptr, 1), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_protect(nullptr, 1, 0, nullptr, 0, buf, 1, buf, 64, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_protect(ctx.get(), 1, 0, nullptr, 2, buf, 1, buf + 1, 60, &len), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_unprotect(ctx.get(), nullptr, 0, nullptr, 10, buf, 64, &len, nullptr, nullptr),
            OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_unprotect(ctx.get(), nullptr, 0, buf, 10, nullptr, 64, &len, nullptr, nullptr),
            OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_header_encode(1, 1, nullptr, 17, &len), OTC_ERR_INVALID_PARAM);
  std::uint64_t kid, ctr;
  EXPECT_EQ(otc_sframe_header_decode(nullptr, 1, &kid, &ctr, &len), OTC_ERR_INVALID_PARAM);
}

}  // namespace
