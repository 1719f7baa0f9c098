// Wycheproof AES-GCM and HKDF vectors against the primitives the frame path is built from.
#include <gtest/gtest.h>
#include <otc/otc.h>
#include <otc/testing/primitives.h>

#include "test_support.hpp"

using otc_test::Bytes;
using otc_test::from_hex;
using otc_test::to_hex;

namespace {

std::string hex_field(const nlohmann::json& t, const char* name) { return t.at(name).get<std::string>(); }

TEST(Wycheproof, AesGcm96BitIvAllCases) {
  const nlohmann::json v = otc_test::load_vectors("wycheproof/aes_gcm_test.json");
  int valid = 0, invalid = 0;
  for (const auto& group : v.at("testGroups")) {
    const int iv_bits = group.at("ivSize").get<int>();
    const int key_bits = group.at("keySize").get<int>();
    const int tag_bits = group.at("tagSize").get<int>();
    // The SFrame GCM suites fix a 96-bit nonce and 128-bit tag; AES-192 is not a suite.
    if (iv_bits != 96 || tag_bits != 128 || (key_bits != 128 && key_bits != 256)) continue;
    const int suite = key_bits == 128 ? OTC_CIPHER_SUITE_AES_128_GCM_SHA256_128
                                      : OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128;
    for (const auto& t : group.at("tests")) {
      SCOPED_TRACE("tcId " + std::to_string(t.at("tcId").get<int>()));
      const Bytes key = from_hex(hex_field(t, "key"));
      const Bytes iv = from_hex(hex_field(t, "iv"));
      const Bytes aad = from_hex(hex_field(t, "aad"));
      const Bytes msg = from_hex(hex_field(t, "msg"));
      const Bytes ct = from_hex(hex_field(t, "ct"));
      const Bytes tag = from_hex(hex_field(t, "tag"));
      Bytes sealed_expected = ct;
      sealed_expected.insert(sealed_expected.end(), tag.begin(), tag.end());
      const std::string result = t.at("result").get<std::string>();
      ASSERT_NE(result, "acceptable") << "no acceptable cases expected with 96-bit IVs";

      Bytes out(msg.size() + 1);  // +1: out_len must come from the call, not the buffer
      size_t out_len = 0;
      const otc_status open = otc_aead_open(suite, key.data(), key.size(), iv.data(), iv.size(),
                                            aad.data(), aad.size(), sealed_expected.data(),
                                            sealed_expected.size(), out.data(), out.size(), &out_len);
      if (result == "valid") {
        ++valid;
        Bytes sealed(msg.size() + 16);
        ASSERT_EQ(otc_aead_seal(suite, key.data(), key.size(), iv.data(), iv.size(), aad.data(),
                                aad.size(), msg.data(), msg.size(), sealed.data(), sealed.size(), &out_len),
                  OTC_SUCCESS);
        EXPECT_EQ(to_hex(sealed), to_hex(sealed_expected));
        ASSERT_EQ(open, OTC_SUCCESS);
        EXPECT_EQ(to_hex(Bytes(out.begin(), out.begin() + static_cast<long>(msg.size()))), to_hex(msg));
      } else {
        ++invalid;
        EXPECT_EQ(open, OTC_FRAME_AUTHENTICATION_FAILED);
      }
    }
  }
  // Counted from the file: 96-bit IV groups with 128- and 256-bit keys.
  EXPECT_EQ(valid, 79);
  EXPECT_EQ(invalid, 54);
}

void run_hkdf_file(const char* file, int hash, int expected_valid, int expected_invalid) {
  const nlohmann::json v = otc_test::load_vectors(file);
  int valid = 0, invalid = 0;
  for (const auto& group : v.at("testGroups")) {
    for (const auto& t : group.at("tests")) {
      SCOPED_TRACE(std::string(file) + " tcId " + std::to_string(t.at("tcId").get<int>()));
      const Bytes ikm = from_hex(hex_field(t, "ikm"));
      const Bytes salt = from_hex(hex_field(t, "salt"));
      const Bytes info = from_hex(hex_field(t, "info"));
      const auto size = t.at("size").get<std::size_t>();
      Bytes okm(size);
      const otc_status st = otc_hkdf(hash, salt.data(), salt.size(), ikm.data(), ikm.size(), info.data(),
                                     info.size(), okm.data(), size);
      if (t.at("result").get<std::string>() == "valid") {
        ++valid;
        ASSERT_EQ(st, OTC_SUCCESS);
        EXPECT_EQ(to_hex(okm), hex_field(t, "okm"));
        // The two steps compose to the same output.
        std::uint8_t prk[64];
        size_t prk_len = 0;
        ASSERT_EQ(otc_hkdf_extract(hash, salt.data(), salt.size(), ikm.data(), ikm.size(), prk,
                                   sizeof prk, &prk_len),
                  OTC_SUCCESS);
        Bytes okm2(size);
        ASSERT_EQ(otc_hkdf_expand(hash, prk, prk_len, info.data(), info.size(), okm2.data(), size),
                  OTC_SUCCESS);
        EXPECT_EQ(okm2, okm);
      } else {
        ++invalid;
        EXPECT_EQ(st, OTC_ERR_INVALID_PARAM);
      }
    }
  }
  EXPECT_EQ(valid, expected_valid);
  EXPECT_EQ(invalid, expected_invalid);
}

TEST(Wycheproof, HkdfSha256) { run_hkdf_file("wycheproof/hkdf_sha256_test.json", OTC_HASH_SHA256, 83, 3); }

TEST(Wycheproof, HkdfSha512) { run_hkdf_file("wycheproof/hkdf_sha512_test.json", OTC_HASH_SHA512, 80, 3); }

TEST(Hkdf, RejectsUnknownHashAndBadArguments) {
  std::uint8_t okm[32];
  const std::uint8_t ikm[4] = {1, 2, 3, 4};
  EXPECT_EQ(otc_hkdf(3, nullptr, 0, ikm, 4, nullptr, 0, okm, 32), OTC_ERR_NOT_SUPPORTED);
  EXPECT_EQ(otc_hkdf(OTC_HASH_SHA256, nullptr, 5, ikm, 4, nullptr, 0, okm, 32), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_hkdf(OTC_HASH_SHA256, nullptr, 0, ikm, 4, nullptr, 0, nullptr, 32), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_hkdf(OTC_HASH_SHA256, nullptr, 0, ikm, 4, nullptr, 0, okm, 0), OTC_ERR_INVALID_PARAM);
  std::uint8_t prk[64];
  size_t prk_len = 0;
  EXPECT_EQ(otc_hkdf_extract(OTC_HASH_SHA512, nullptr, 0, ikm, 4, prk, 63, &prk_len), OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(otc_hkdf_expand(OTC_HASH_SHA256, prk, 32, nullptr, 0, okm, 255 * 32 + 1), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_hkdf_expand(OTC_HASH_SHA256, nullptr, 32, nullptr, 0, okm, 32), OTC_ERR_INVALID_PARAM);
}

TEST(Aead, RejectsBadArgumentsAndSmallBuffers) {
  const Bytes key(32, 7), nonce(12, 1), pt = otc_test::pattern(40);
  Bytes out(pt.size() + 16);
  size_t out_len = 0;
  const int s = OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128;
  EXPECT_EQ(otc_aead_seal(99, key.data(), 32, nonce.data(), 12, nullptr, 0, pt.data(), pt.size(), out.data(),
                          out.size(), &out_len),
            OTC_ERR_NOT_SUPPORTED);
  EXPECT_EQ(otc_aead_seal(s, key.data(), 16, nonce.data(), 12, nullptr, 0, pt.data(), pt.size(), out.data(),
                          out.size(), &out_len),
            OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_aead_seal(s, key.data(), 32, nonce.data(), 16, nullptr, 0, pt.data(), pt.size(), out.data(),
                          out.size(), &out_len),
            OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_aead_seal(s, key.data(), 32, nonce.data(), 12, nullptr, 0, pt.data(), pt.size(), out.data(),
                          out.size() - 1, &out_len),
            OTC_ERR_BUFFER_TOO_SMALL);
  ASSERT_EQ(otc_aead_seal(s, key.data(), 32, nonce.data(), 12, nullptr, 0, pt.data(), pt.size(), out.data(),
                          out.size(), &out_len),
            OTC_SUCCESS);
  Bytes plain(pt.size() - 1, 0xCC);
  EXPECT_EQ(otc_aead_open(s, key.data(), 32, nonce.data(), 12, nullptr, 0, out.data(), out.size(), plain.data(),
                          plain.size(), &out_len),
            OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(plain, Bytes(pt.size() - 1, 0xCC));
  EXPECT_EQ(otc_aead_open(s, key.data(), 32, nonce.data(), 12, nullptr, 0, out.data(), 15, plain.data(),
                          plain.size(), &out_len),
            OTC_FRAME_AUTHENTICATION_FAILED);
}

}  // namespace
