// Version, error codes and capability queries.
#if defined(__x86_64__)
#include <cpuid.h>
#elif defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif
#include <gtest/gtest.h>
#include <otc/otc.h>
#include <otc/testing/sframe.h>

#include <cstdlib>
#include <cstring>
#include <initializer_list>
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

// The ipsec-mb engine this CPU should get when nothing is forced, from CPUID and XCR0 read here
// (the library reads OpenSSL's copy of them): "avx512", "avx2", "sse" or "" (none).
std::string best_ipsec_mb_variant() {
#if defined(__x86_64__) && defined(OTC_WITH_IPSEC_MB)
  unsigned a = 0, b = 0, c1 = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c1, &d)) return "";
  const auto has = [](unsigned reg, std::initializer_list<int> bits) {
    for (int bit : bits) {
      if ((reg & (1u << bit)) == 0) return false;
    }
    return true;
  };
  // PCLMULQDQ SSSE3 SSE4.1 SSE4.2 AES-NI
  if (!has(c1, {1, 9, 19, 20, 25})) return "";
  unsigned b7 = 0, c7 = 0;
  if (!__get_cpuid_count(7, 0, &a, &b7, &c7, &d)) return "sse";
  unsigned xcr0 = 0;
  if (has(c1, {27})) {  // OSXSAVE: XGETBV tells which register state the OS saves
    unsigned hi = 0;
    __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(hi) : "c"(0));
  }
  // AVX, OS saves XMM|YMM; AVX2 BMI2
  if (!has(c1, {28}) || (xcr0 & 0x6) != 0x6 || !has(b7, {5, 8})) return "sse";
  // AVX512F/DQ/BW/VL, VAES, VPCLMULQDQ, OS saves opmask|ZMM
  if (has(b7, {16, 17, 30, 31}) && has(c7, {9, 10}) && (xcr0 & 0xe0) == 0xe0) return "avx512";
  return "avx2";
#else
  return "";
#endif
}

std::string engine_name_of(const std::string& variant) {
  if (variant == "avx512") return "ipsec-mb VAES AVX-512";
  if (variant == "avx2") return "ipsec-mb AES-NI AVX2";
  if (variant == "sse") return "ipsec-mb AES-NI SSE";
  return "";
}

#if defined(__x86_64__)
bool cpu_has_aesni() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_AES) != 0;
}
#endif

// The engine the library must have chosen: the one OTC_AES_ENGINE forces (CTest forces only
// engines the CPU runs), else the fastest ipsec-mb variant, else ("" or "openssl") OpenSSL.
std::string expected_engine() {
  const char* forced = std::getenv("OTC_AES_ENGINE");
  return forced != nullptr ? forced : best_ipsec_mb_variant();
}

// Run by CTest as discovered (no mask); with OPENSSL_ia32cap masking AES-NI (capabilities.aesni_masked
// sets OTC_EXPECT_AES_MASKED: the mask applies to every engine); and as capabilities.engine_<e>
// with OTC_AES_ENGINE=<e> for every engine the build machine's CPU runs, which proves the
// variable selects that engine, so the sframe_vectors, wycheproof and no_allocation runs
// registered with the same variable test it.
TEST(Capabilities, ReportsPortableWhenMaskedAndTheEngineInUseOtherwise) {
  const otc_aes_implementation impl = otc_aes_implementation_in_use();
  const std::string engine = expected_engine();
  if (std::getenv("OTC_EXPECT_AES_MASKED") != nullptr) {
    EXPECT_EQ(impl, OTC_AES_IMPL_PORTABLE);
    EXPECT_STREQ(otc_aes_implementation_name(impl), "portable");
    EXPECT_STREQ(otc_aes_engine_name(), "OpenSSL portable");
  } else if (!engine_name_of(engine).empty()) {
    // An ipsec-mb variant; only its VAES code is reported as "vaes".
    EXPECT_EQ(otc_aes_engine_name(), engine_name_of(engine));
    EXPECT_EQ(impl, engine == "avx512" ? OTC_AES_IMPL_VAES : OTC_AES_IMPL_AESNI);
  } else {
    ASSERT_TRUE(engine.empty() || engine == "openssl") << "unknown engine " << engine;
#if defined(__x86_64__)
    // Linked OpenSSL 3.0 has no VAES GCM path, so VAES-capable CPUs still report AES-NI.
    EXPECT_EQ(impl, cpu_has_aesni() ? OTC_AES_IMPL_AESNI : OTC_AES_IMPL_PORTABLE);
    EXPECT_EQ(std::string(otc_aes_engine_name()), cpu_has_aesni() ? "OpenSSL AES-NI" : "OpenSSL portable");
#elif defined(__aarch64__) && defined(__linux__)
    // The kernel's (or qemu-user's) view of the CPU, independent of OpenSSL's.
    const unsigned long hwcap = getauxval(AT_HWCAP);
    const bool cpu_has_armv8_ce = (hwcap & HWCAP_AES) != 0 && (hwcap & HWCAP_PMULL) != 0;
    EXPECT_EQ(impl, cpu_has_armv8_ce ? OTC_AES_IMPL_ARMV8_CE : OTC_AES_IMPL_PORTABLE);
    EXPECT_EQ(std::string(otc_aes_engine_name()), cpu_has_armv8_ce ? "OpenSSL ARMv8 CE" : "OpenSSL portable");
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
