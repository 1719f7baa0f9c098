// RFC 9605 appendix C vectors: header encoding, the CTR-HMAC AEAD, and full SFrame protection with
// every intermediate value of the key schedule.
#include <gtest/gtest.h>
#include <otc/otc.h>
#include <otc/testing/primitives.h>
#include <otc/testing/sframe.h>

#include "test_support.hpp"

using otc_test::Bytes;
using otc_test::from_hex;
using otc_test::to_hex;

namespace {

const nlohmann::json& vectors() {
  static const nlohmann::json v = otc_test::load_vectors("sframe/rfc9605-test-vectors.json");
  return v;
}

TEST(SframeVectors, AllHeadersEncodeAndDecode) {
  const auto& headers = vectors().at("header");
  ASSERT_EQ(headers.size(), 289u);
  for (const auto& v : headers) {
    const auto kid = v.at("kid").get<std::uint64_t>();
    const auto ctr = v.at("ctr").get<std::uint64_t>();
    const Bytes expected = from_hex(v.at("encoded").get<std::string>());
    std::uint8_t out[OTC_SFRAME_MAX_HEADER_SIZE];
    size_t out_len = 0;
    ASSERT_EQ(otc_sframe_header_encode(kid, ctr, out, sizeof out, &out_len), OTC_SUCCESS);
    EXPECT_EQ(to_hex(Bytes(out, out + out_len)), to_hex(expected)) << "kid=" << kid << " ctr=" << ctr;

    std::uint64_t got_kid = 0, got_ctr = 0;
    size_t header_len = 0;
    ASSERT_EQ(otc_sframe_header_decode(expected.data(), expected.size(), &got_kid, &got_ctr, &header_len),
              OTC_SUCCESS);
    EXPECT_EQ(got_kid, kid);
    EXPECT_EQ(got_ctr, ctr);
    EXPECT_EQ(header_len, expected.size());

    // Every proper prefix is a truncated header.
    for (size_t len = 0; len < expected.size(); ++len) {
      EXPECT_EQ(otc_sframe_header_decode(expected.data(), len, &got_kid, &got_ctr, &header_len),
                OTC_FRAME_MALFORMED);
    }
    // A buffer one byte short of the encoding is refused, not overrun.
    if (expected.size() > 1) {
      EXPECT_EQ(otc_sframe_header_encode(kid, ctr, out, expected.size() - 1, &out_len),
                OTC_ERR_BUFFER_TOO_SMALL);
    }
  }
}

TEST(SframeVectors, AesCtrHmacSealAndOpen) {
  const auto& cases = vectors().at("aes_ctr_hmac");
  ASSERT_EQ(cases.size(), 3u);
  for (const auto& v : cases) {
    const int suite = v.at("cipher_suite").get<int>();
    const Bytes key = from_hex(v.at("key").get<std::string>());
    const Bytes nonce = from_hex(v.at("nonce").get<std::string>());
    const Bytes aad = from_hex(v.at("aad").get<std::string>());
    const Bytes pt = from_hex(v.at("pt").get<std::string>());
    const Bytes ct = from_hex(v.at("ct").get<std::string>());
    Bytes out(pt.size() + otc_cipher_suite_tag_size(suite));
    size_t out_len = 0;
    ASSERT_EQ(otc_aead_seal(suite, key.data(), key.size(), nonce.data(), nonce.size(), aad.data(),
                            aad.size(), pt.data(), pt.size(), out.data(), out.size(), &out_len),
              OTC_SUCCESS);
    EXPECT_EQ(to_hex(Bytes(out.begin(), out.begin() + static_cast<long>(out_len))), to_hex(ct)) << suite;

    Bytes opened(pt.size());
    ASSERT_EQ(otc_aead_open(suite, key.data(), key.size(), nonce.data(), nonce.size(), aad.data(),
                            aad.size(), ct.data(), ct.size(), opened.data(), opened.size(), &out_len),
              OTC_SUCCESS);
    EXPECT_EQ(opened, pt);

    Bytes forged = ct;
    forged.back() ^= 0x80;
    Bytes untouched(pt.size(), 0xEE);
    EXPECT_EQ(otc_aead_open(suite, key.data(), key.size(), nonce.data(), nonce.size(), aad.data(),
                            aad.size(), forged.data(), forged.size(), untouched.data(), untouched.size(),
                            &out_len),
              OTC_FRAME_AUTHENTICATION_FAILED);
    EXPECT_EQ(untouched, Bytes(pt.size(), 0xEE));
  }
}

TEST(SframeVectors, FullSframeForEverySuite) {
  const auto& cases = vectors().at("sframe");
  ASSERT_EQ(cases.size(), 5u);
  for (const auto& v : cases) {
    const int suite = v.at("cipher_suite").get<int>();
    SCOPED_TRACE(otc_cipher_suite_name(suite));
    const auto kid = v.at("kid").get<std::uint64_t>();
    const auto ctr = v.at("ctr").get<std::uint64_t>();
    const Bytes base_key = from_hex(v.at("base_key").get<std::string>());
    const Bytes metadata = from_hex(v.at("metadata").get<std::string>());
    const Bytes pt = from_hex(v.at("pt").get<std::string>());
    const Bytes ct = from_hex(v.at("ct").get<std::string>());

    std::uint8_t key[64];
    std::uint8_t salt[12];
    size_t key_len = 0;
    ASSERT_EQ(otc_sframe_derive_key_and_salt(suite, kid, base_key.data(), base_key.size(), key,
                                             sizeof key, &key_len, salt, sizeof salt),
              OTC_SUCCESS);
    EXPECT_EQ(to_hex(Bytes(key, key + key_len)), v.at("sframe_key").get<std::string>());
    EXPECT_EQ(to_hex(Bytes(salt, salt + sizeof salt)), v.at("sframe_salt").get<std::string>());

    // sframe_secret is the HKDF-Extract step on its own.
    const int hash = suite == OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128 ? OTC_HASH_SHA512 : OTC_HASH_SHA256;
    std::uint8_t prk[64];
    size_t prk_len = 0;
    ASSERT_EQ(otc_hkdf_extract(hash, nullptr, 0, base_key.data(), base_key.size(), prk, sizeof prk, &prk_len),
              OTC_SUCCESS);
    EXPECT_EQ(to_hex(Bytes(prk, prk + prk_len)), v.at("sframe_secret").get<std::string>());

    otc_sframe_context* ctx = otc_sframe_context_new(suite);
    ASSERT_NE(ctx, nullptr);
    ASSERT_EQ(otc_sframe_context_add_key(ctx, kid, base_key.data(), base_key.size()), OTC_SUCCESS);
    Bytes out(pt.size() + otc_sframe_max_overhead(suite));
    size_t out_len = 0;
    ASSERT_EQ(otc_sframe_protect(ctx, kid, ctr, metadata.data(), metadata.size(), pt.data(), pt.size(),
                                 out.data(), out.size(), &out_len),
              OTC_SUCCESS);
    EXPECT_EQ(to_hex(Bytes(out.begin(), out.begin() + static_cast<long>(out_len))), to_hex(ct));

    Bytes plain(pt.size());
    std::uint64_t got_kid = 0, got_ctr = 0;
    ASSERT_EQ(otc_sframe_unprotect(ctx, metadata.data(), metadata.size(), ct.data(), ct.size(),
                                   plain.data(), plain.size(), &out_len, &got_kid, &got_ctr),
              OTC_SUCCESS);
    EXPECT_EQ(plain, pt);
    EXPECT_EQ(out_len, pt.size());
    EXPECT_EQ(got_kid, kid);
    EXPECT_EQ(got_ctr, ctr);

    // The nonce and AAD of the vector reproduce the frame through the one-shot AEAD as well.
    const Bytes nonce = from_hex(v.at("nonce").get<std::string>());
    const Bytes aad = from_hex(v.at("aad").get<std::string>());
    Bytes sealed(pt.size() + otc_cipher_suite_tag_size(suite));
    ASSERT_EQ(otc_aead_seal(suite, key, key_len, nonce.data(), nonce.size(), aad.data(), aad.size(),
                            pt.data(), pt.size(), sealed.data(), sealed.size(), &out_len),
              OTC_SUCCESS);
    const size_t header_len = aad.size() - metadata.size();
    EXPECT_EQ(to_hex(sealed), to_hex(Bytes(ct.begin() + static_cast<long>(header_len), ct.end())));
    otc_sframe_context_delete(ctx);
  }
}

}  // namespace
