// Which AES-GCM code the library runs on this CPU: the engine chosen in gcm_engine.cpp and, for
// OpenSSL, the path OpenSSL itself dispatches to.
//
// Decision (documented because the enum promises honesty): we read OpenSSL's own capability
// vector OPENSSL_ia32cap_P after initialisation instead of running CPUID ourselves, because
// OpenSSL applies the OPENSSL_ia32cap environment mask to exactly that vector and then dispatches
// on it; CPUID alone would claim AES-NI for a process that masked it off. The ipsec-mb engine is
// chosen from the same vector, so the mask switches it off too.
//
// OpenSSL 3.0.x dispatches AES-GCM to aesni_gcm_* (AES-NI + PCLMULQDQ GHASH, with the AVX
// "stitched" variant when AVX and MOVBE are present) or to software code (vpaes/bsaes or tables,
// GHASH by 4-bit tables). It has no VAES/VPCLMULQDQ (AVX-512) GCM: that path
// (ossl_aes_gcm_*_avx512) first appeared in OpenSSL 3.1, and `nm libcrypto.a` of the 3.0.19 we
// link has no such symbol. So with 3.0 the OpenSSL engine reports "aes-ni" even on CPUs that have
// VAES; "vaes" comes from ipsec-mb's VAES/AVX-512 engine, or from OpenSSL >= 3.1 on a CPU with
// what its path requires.
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "crypto_engine.hpp"
#include "gcm_engine.hpp"
#include "otc/capabilities.h"

#if defined(__x86_64__) || defined(_M_X64)
extern "C" unsigned int OPENSSL_ia32cap_P[];
#elif defined(__aarch64__) || defined(_M_ARM64)
// On arm64 the same idea: OpenSSL's capability word, after the OPENSSL_armcap environment mask.
extern "C" unsigned int OPENSSL_armcap_P;
#endif

namespace {

otc_aes_implementation openssl_path() {
  // Initialisation runs OPENSSL_cpuid_setup, which fills the vector and applies the env mask.
  (void)otc::crypto_engine();
#if defined(__x86_64__) || defined(_M_X64)
  // Word 1 is CPUID.1:ECX: bit 25 AES-NI, bit 1 PCLMULQDQ.
  const unsigned int ecx1 = OPENSSL_ia32cap_P[1];
  const bool aesni = (ecx1 & (1u << 25)) != 0;
  const bool pclmul = (ecx1 & (1u << 1)) != 0;
  if (!aesni) return OTC_AES_IMPL_PORTABLE;
#if OPENSSL_VERSION_NUMBER >= 0x30100000L
  // Words 2/3 are CPUID.7:EBX/ECX. The 3.1+ AVX-512 GCM needs AVX512F/DQ/BW/VL and VAES +
  // VPCLMULQDQ.
  const unsigned int ebx7 = OPENSSL_ia32cap_P[2];
  const unsigned int ecx7 = OPENSSL_ia32cap_P[3];
  const unsigned int avx512 = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
  const unsigned int vaes = (1u << 9) | (1u << 10);
  if (pclmul && (ebx7 & avx512) == avx512 && (ecx7 & vaes) == vaes) return OTC_AES_IMPL_VAES;
#endif
  // AES-NI without PCLMULQDQ still encrypts in hardware (GHASH falls back to tables); the AES
  // rounds, the part that matters for timing side channels, are in hardware.
  (void)pclmul;
  return OTC_AES_IMPL_AESNI;
#elif defined(__aarch64__) || defined(_M_ARM64)
  // OpenSSL's arm_arch.h: ARMV8_AES is bit 2, ARMV8_PMULL bit 5. With both, OpenSSL 3.0's AES-GCM
  // runs the aesv8 rounds and the ghashv8 (PMULL) GHASH; without AES it falls back to vpaes/bsaes.
  const unsigned int armv8_aes = 1u << 2;
  const unsigned int armv8_pmull = 1u << 5;
  if ((OPENSSL_armcap_P & armv8_aes) != 0 && (OPENSSL_armcap_P & armv8_pmull) != 0) return OTC_AES_IMPL_ARMV8_CE;
  return OTC_AES_IMPL_PORTABLE;
#else
  return OTC_AES_IMPL_PORTABLE;
#endif
}

}  // namespace

extern "C" otc_aes_implementation otc_aes_implementation_in_use(void) {
  switch (otc::gcm_engine_in_use()) {
    case otc::GcmEngine::kIpsecMbVaesAvx512:
      return OTC_AES_IMPL_VAES;
    case otc::GcmEngine::kIpsecMbAvx2:
    case otc::GcmEngine::kIpsecMbSse:
      return OTC_AES_IMPL_AESNI;
    case otc::GcmEngine::kOpenSsl:
      break;
  }
  return openssl_path();
}

extern "C" const char* otc_aes_engine_name(void) {
  switch (otc::gcm_engine_in_use()) {
    case otc::GcmEngine::kIpsecMbVaesAvx512:
      return "ipsec-mb VAES AVX-512";
    case otc::GcmEngine::kIpsecMbAvx2:
      return "ipsec-mb AES-NI AVX2";
    case otc::GcmEngine::kIpsecMbSse:
      return "ipsec-mb AES-NI SSE";
    case otc::GcmEngine::kOpenSsl:
      break;
  }
  switch (openssl_path()) {
    case OTC_AES_IMPL_VAES:
      return "OpenSSL VAES AVX-512";
    case OTC_AES_IMPL_AESNI:
      return "OpenSSL AES-NI";
    case OTC_AES_IMPL_ARMV8_CE:
      return "OpenSSL ARMv8 CE";
    case OTC_AES_IMPL_PORTABLE:
      break;
  }
  return "OpenSSL portable";
}
