// Version, error codes and capability queries.
#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif
#include <gtest/gtest.h>
#include <otc/otc.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

TEST(Capabilities, VersionsAreConsistent) {
  EXPECT_STREQ(otc_version(), "0.1.0");
  EXPECT_EQ(otc_e2ee_format_version(), OTC_E2EE_FORMAT_VERSION);
  // The statically linked engine is OpenSSL 3.
  EXPECT_EQ(std::string(otc_crypto_library_version()).rfind("OpenSSL 3.", 0), 0u) << otc_crypto_library_version();
}

TEST(Capabilities, SelfTestPasses) {
  EXPECT_EQ(otc_e2ee_is_supported(), OTC_TRUE);
  EXPECT_EQ(otc_e2ee_is_supported(), OTC_TRUE);  // cached answer
}

// Run twice by CTest: as discovered (no mask), and with OPENSSL_ia32cap masking AES-NI (the
// capabilities.aesni_masked test sets OTC_EXPECT_AES_MASKED).
TEST(Capabilities, ReportsPortableWhenMaskedAndAesNiOtherwise) {
  const otc_aes_implementation impl = otc_aes_implementation_in_use();
  if (std::getenv("OTC_EXPECT_AES_MASKED") != nullptr) {
    EXPECT_EQ(impl, OTC_AES_IMPL_PORTABLE);
    EXPECT_STREQ(otc_aes_implementation_name(impl), "portable");
  } else {
#if defined(__x86_64__)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    ASSERT_TRUE(__get_cpuid(1, &eax, &ebx, &ecx, &edx));
    const bool cpu_has_aesni = (ecx & bit_AES) != 0;
    // Linked OpenSSL 3.0 has no VAES GCM path, so VAES-capable CPUs still report AES-NI.
    EXPECT_EQ(impl, cpu_has_aesni ? OTC_AES_IMPL_AESNI : OTC_AES_IMPL_PORTABLE);
#elif defined(__aarch64__) && defined(__linux__)
    // The kernel's (or qemu-user's) view of the CPU, independent of OpenSSL's.
    const unsigned long hwcap = getauxval(AT_HWCAP);
    const bool cpu_has_armv8_ce = (hwcap & HWCAP_AES) != 0 && (hwcap & HWCAP_PMULL) != 0;
    EXPECT_EQ(impl, cpu_has_armv8_ce ? OTC_AES_IMPL_ARMV8_CE : OTC_AES_IMPL_PORTABLE);
#elif defined(__aarch64__) && defined(__APPLE__)
    EXPECT_EQ(impl, OTC_AES_IMPL_ARMV8_CE);  // every Apple arm64 CPU has AES and PMULL
#else
    EXPECT_EQ(impl, OTC_AES_IMPL_PORTABLE);
#endif
  }
  // Whatever path is in use, it computes correct AES-GCM.
  EXPECT_EQ(otc_e2ee_is_supported(), OTC_TRUE);
}

TEST(Capabilities, ImplementationNames) {
  EXPECT_STREQ(otc_aes_implementation_name(OTC_AES_IMPL_PORTABLE), "portable");
  EXPECT_STREQ(otc_aes_implementation_name(OTC_AES_IMPL_AESNI), "aes-ni");
  EXPECT_STREQ(otc_aes_implementation_name(OTC_AES_IMPL_VAES), "vaes");
  EXPECT_STREQ(otc_aes_implementation_name(OTC_AES_IMPL_ARMV8_CE), "armv8-ce");
}

TEST(Errors, EveryCodeHasNameAndText) {
  const int codes[] = {0, 1, 2, 3, 4, 5, 6, 1004, 1005, 1006, 1010, 1014, 1021, 1022, 1030, 1031, 1040, 1601,
                       100, 101, 102, 103, 104, 6000, 6001, 6002, 6003, 6004, 6005, 6006, 6007, 6008, 6009, 6010};
  for (int code : codes) {
    SCOPED_TRACE(code);
    ASSERT_NE(otc_error_name(code), nullptr);
    EXPECT_EQ(std::string(otc_error_name(code)).rfind("OTC_", 0), 0u);
    EXPECT_STRNE(otc_error_string(code), "unknown error code");
  }
  EXPECT_STREQ(otc_error_name(OTC_SESSION_INVALID_ENCRYPTION_SECRET), "OTC_SESSION_INVALID_ENCRYPTION_SECRET");
  EXPECT_STREQ(otc_error_name(OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH),
               "OTC_SUBSCRIBER_ENCRYPTION_SECRET_MISMATCH");
  EXPECT_EQ(otc_error_name(-1), nullptr);
  EXPECT_EQ(otc_error_name(7777), nullptr);
  EXPECT_STREQ(otc_error_string(7777), "unknown error code");
}

TEST(CipherSuites, TableMatchesRfc9605) {
  EXPECT_EQ(otc_cipher_suite_tag_size(1), 10u);
  EXPECT_EQ(otc_cipher_suite_tag_size(2), 8u);
  EXPECT_EQ(otc_cipher_suite_tag_size(3), 4u);
  EXPECT_EQ(otc_cipher_suite_tag_size(4), 16u);
  EXPECT_EQ(otc_cipher_suite_tag_size(5), 16u);
  EXPECT_EQ(otc_cipher_suite_tag_size(0), 0u);
  EXPECT_EQ(otc_cipher_suite_tag_size(6), 0u);
  EXPECT_EQ(otc_sframe_max_overhead(5), 33u);
  EXPECT_EQ(otc_sframe_max_overhead(3), 21u);
  EXPECT_EQ(otc_sframe_max_overhead(42), 0u);
  EXPECT_STREQ(otc_cipher_suite_name(OTC_CIPHER_SUITE_DEFAULT), "AES_256_GCM_SHA512_128");
  EXPECT_STREQ(otc_cipher_suite_name(1), "AES_128_CTR_HMAC_SHA256_80");
  EXPECT_EQ(otc_cipher_suite_name(0), nullptr);
}

}  // namespace
