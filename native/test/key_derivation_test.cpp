// The key schedule of docs/FORMAT.md sec. 2-4 against values computed independently from the
// document's text (Python hashlib.scrypt, an hmac-module HKDF and the `cryptography` package's
// AES-GCM), so the C core and any reimplementation can be compared byte for byte.
#include <gtest/gtest.h>
#include <otc/otc.h>
#include <otc/testing/primitives.h>
#include <otc/testing/sframe.h>

#include "test_support.hpp"

using otc_test::Bytes;
using otc_test::from_hex;
using otc_test::to_hex;

namespace {

const char kSessionId[] = "session-1";
// "pässwörd-🔑-1234": 16 code points, 20 bytes.
const Bytes kSecret = from_hex("70c3a4737377c3b672642df09f94912d31323334");
const char kMaster[] = "5e796720d13b642a5965ee9a8f4a4908bc1cff4e725fa8a139bd06a9f125e864";
const std::uint16_t kFingerprint = 0xd254;
const std::uint64_t kKid = 0xd2540123456789abull;
const char kBaseKey[] = "4e52e1dd34f581ef379de1a31c6267ab2a610806b7438493747e819a2f2248aa";
const char kSframeKey[] = "327f2599501ddf9ef73ba6fcf40d09302f6f6983d2c2e60d8b9c7ed9ac807dc6";
const char kSframeSalt[] = "89258dd424d0ea03518709de";
const char kMetadata[] = "73747265616d2d377c7670387c6b6579";  // "stream-7|vp8|key"
// Frames with CTR 0 and 1 of "hello, frame" under kKid, suite 0x0005.
const char kFrame0[] = "f0d2540123456789ab0260bc9ad8e3f552dd403732314b306471c8d1d1197c30774984c069";
const char kFrame1[] = "f1d2540123456789ab3fd531f07c3f81782ccfdc35a20b6b77eab8d4f2afe2d9315f567ebd";

TEST(KeyDerivation, WorkedExampleStepByStep) {
  std::uint8_t master[32];
  ASSERT_EQ(otc_e2ee_derive_master_key(kSessionId, kSecret.data(), kSecret.size(), master, sizeof master),
            OTC_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(master, master + 32)), kMaster);

  std::uint16_t fingerprint = 0;
  ASSERT_EQ(otc_e2ee_master_key_fingerprint(master, sizeof master, &fingerprint), OTC_SUCCESS);
  EXPECT_EQ(fingerprint, kFingerprint);

  std::uint8_t base_key[32];
  ASSERT_EQ(otc_e2ee_derive_base_key(master, sizeof master, kKid, OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128,
                                     base_key, sizeof base_key),
            OTC_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(base_key, base_key + 32)), kBaseKey);

  std::uint8_t key[32], salt[12];
  size_t key_len = 0;
  ASSERT_EQ(otc_sframe_derive_key_and_salt(OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128, kKid, base_key,
                                           sizeof base_key, key, sizeof key, &key_len, salt, sizeof salt),
            OTC_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(key, key + key_len)), kSframeKey);
  EXPECT_EQ(to_hex(Bytes(salt, salt + 12)), kSframeSalt);
}

TEST(KeyDerivation, CryptorDecryptsIndependentlyProducedFrames) {
  otc_frame_cryptor* c = otc_frame_cryptor_new(kSessionId, OTC_CIPHER_SUITE_AES_256_GCM_SHA512_128);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(otc_frame_cryptor_set_encryption_secret(c, kSecret.data(), kSecret.size()), OTC_SUCCESS);
  const Bytes md = from_hex(kMetadata);
  for (const char* hex : {kFrame0, kFrame1}) {
    const Bytes frame = from_hex(hex);
    Bytes out(frame.size());
    size_t out_len = 0;
    ASSERT_EQ(otc_frame_cryptor_decrypt(c, md.data(), md.size(), frame.data(), frame.size(), out.data(),
                                        out.size(), &out_len),
              OTC_SUCCESS);
    EXPECT_EQ(std::string(out.begin(), out.begin() + static_cast<long>(out_len)), "hello, frame");
  }
  otc_frame_cryptor_delete(c);
}

TEST(KeyDerivation, CryptorFramesFollowTheDocumentedScheduleForEverySuite) {
  std::uint8_t master[32];
  ASSERT_EQ(otc_e2ee_derive_master_key(kSessionId, kSecret.data(), kSecret.size(), master, sizeof master),
            OTC_SUCCESS);
  for (int suite = 1; suite <= 5; ++suite) {
    SCOPED_TRACE(otc_cipher_suite_name(suite));
    otc_frame_cryptor* c = otc_frame_cryptor_new(kSessionId, suite);
    ASSERT_NE(c, nullptr);
    ASSERT_EQ(otc_frame_cryptor_set_encryption_secret(c, kSecret.data(), kSecret.size()), OTC_SUCCESS);
    const Bytes md = from_hex(kMetadata);
    const Bytes plain = otc_test::pattern(500);
    Bytes frame(plain.size() + otc_frame_cryptor_max_overhead(c));
    size_t frame_len = 0;
    ASSERT_EQ(otc_frame_cryptor_encrypt(c, md.data(), md.size(), plain.data(), plain.size(), frame.data(),
                                        frame.size(), &frame_len),
              OTC_SUCCESS);
    std::uint64_t kid = 0, ctr = 0;
    size_t header_len = 0;
    ASSERT_EQ(otc_sframe_header_decode(frame.data(), frame_len, &kid, &ctr, &header_len), OTC_SUCCESS);
    EXPECT_EQ(kid >> 48, kFingerprint);
    EXPECT_EQ(ctr, 0u);

    // Rebuild the sender's key from the documented steps and open the frame with the raw context.
    std::uint8_t base_key[32];
    ASSERT_EQ(otc_e2ee_derive_base_key(master, sizeof master, kid, suite, base_key, sizeof base_key), OTC_SUCCESS);
    otc_sframe_context* ctx = otc_sframe_context_new(suite);
    ASSERT_EQ(otc_sframe_context_add_key(ctx, kid, base_key, sizeof base_key), OTC_SUCCESS);
    Bytes out(plain.size());
    size_t out_len = 0;
    ASSERT_EQ(otc_sframe_unprotect(ctx, md.data(), md.size(), frame.data(), frame_len, out.data(), out.size(),
                                   &out_len, nullptr, nullptr),
              OTC_SUCCESS);
    EXPECT_EQ(out, plain);
    otc_sframe_context_delete(ctx);
    otc_frame_cryptor_delete(c);
  }
}

TEST(KeyDerivation, SessionIdSaltsTheMasterKey) {
  std::uint8_t a[32], b[32];
  ASSERT_EQ(otc_e2ee_derive_master_key("session-1", kSecret.data(), kSecret.size(), a, 32), OTC_SUCCESS);
  ASSERT_EQ(otc_e2ee_derive_master_key("session-2", kSecret.data(), kSecret.size(), b, 32), OTC_SUCCESS);
  EXPECT_NE(to_hex(Bytes(a, a + 32)), to_hex(Bytes(b, b + 32)));
}

TEST(KeyDerivation, RejectsBadInputs) {
  std::uint8_t master[32] = {0};
  EXPECT_EQ(otc_e2ee_derive_master_key("", kSecret.data(), kSecret.size(), master, 32),
            OTC_SESSION_INVALID_SESSION_ID);
  EXPECT_EQ(otc_e2ee_derive_master_key(nullptr, kSecret.data(), kSecret.size(), master, 32),
            OTC_SESSION_INVALID_SESSION_ID);
  EXPECT_EQ(otc_e2ee_derive_master_key("bad\xC3", kSecret.data(), kSecret.size(), master, 32),
            OTC_SESSION_INVALID_SESSION_ID);
  const std::string too_long(1025, 's');
  EXPECT_EQ(otc_e2ee_derive_master_key(too_long.c_str(), kSecret.data(), kSecret.size(), master, 32),
            OTC_SESSION_INVALID_SESSION_ID);
  const std::uint8_t short_secret[] = {'a', 'b', 'c'};
  EXPECT_EQ(otc_e2ee_derive_master_key(kSessionId, short_secret, 3, master, 32),
            OTC_SESSION_INVALID_ENCRYPTION_SECRET);
  EXPECT_EQ(otc_e2ee_derive_master_key(kSessionId, kSecret.data(), kSecret.size(), master, 16),
            OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_e2ee_derive_master_key(kSessionId, kSecret.data(), kSecret.size(), nullptr, 32),
            OTC_ERR_INVALID_PARAM);
  std::uint16_t fp = 0;
  EXPECT_EQ(otc_e2ee_master_key_fingerprint(master, 31, &fp), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_e2ee_master_key_fingerprint(master, 32, nullptr), OTC_ERR_INVALID_PARAM);
  std::uint8_t base[32];
  EXPECT_EQ(otc_e2ee_derive_base_key(master, 32, 1, 9, base, 32), OTC_ERR_NOT_SUPPORTED);
  EXPECT_EQ(otc_e2ee_derive_base_key(master, 32, 1, 5, base, 31), OTC_ERR_INVALID_PARAM);
  std::uint8_t key[48], salt[12];
  size_t key_len = 0;
  EXPECT_EQ(otc_sframe_derive_key_and_salt(1, 1, base, 32, key, 47, &key_len, salt, 12), OTC_ERR_BUFFER_TOO_SMALL);
  EXPECT_EQ(otc_sframe_derive_key_and_salt(1, 1, base, 32, key, 48, &key_len, salt, 11), OTC_ERR_INVALID_PARAM);
  EXPECT_EQ(otc_sframe_derive_key_and_salt(7, 1, base, 32, key, 48, &key_len, salt, 12), OTC_ERR_NOT_SUPPORTED);
}

}  // namespace
