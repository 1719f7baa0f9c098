#include "gcm_engine.hpp"

#include <cstdlib>
#include <cstring>

#include "crypto_engine.hpp"

#if defined(__x86_64__) || defined(_M_X64)
extern "C" unsigned int OPENSSL_ia32cap_P[];
#endif

namespace otc {

namespace {

#if defined(OTC_WITH_IPSEC_MB) && (defined(__x86_64__) || defined(_M_X64))
// OpenSSL's vector: word 1 is CPUID.1:ECX, words 2/3 are CPUID.7.0:EBX/ECX. OpenSSL has already
// cleared the AVX/AVX2/AVX-512 bits when the OS does not save the YMM/ZMM state, and applied the
// OPENSSL_ia32cap environment mask.
bool cpu_has(unsigned word, unsigned bits) {
  (void)crypto_engine();  // OPENSSL_cpuid_setup has run once OpenSSL is initialised
  return (OPENSSL_ia32cap_P[word] & bits) == bits;
}

constexpr unsigned kBit(unsigned n) { return 1u << n; }

// What ipsec-mb's own dispatcher requires of each generation (its SSE, AVX2 and AVX-512 managers),
// restricted to what its GCM code executes.
bool cpu_runs(GcmEngine engine) {
  // PCLMULQDQ(1) SSSE3(9) SSE4.1(19) SSE4.2(20) AES-NI(25)
  const bool sse = cpu_has(1, kBit(1) | kBit(9) | kBit(19) | kBit(20) | kBit(25));
  // + AVX(28); AVX2(5) BMI2(8)
  const bool avx2 = sse && cpu_has(1, kBit(28)) && cpu_has(2, kBit(5) | kBit(8));
  // + AVX512F(16) DQ(17) BW(30) VL(31); VAES(9) VPCLMULQDQ(10)
  const bool vaes = avx2 && cpu_has(2, kBit(16) | kBit(17) | kBit(30) | kBit(31)) &&
                    cpu_has(3, kBit(9) | kBit(10));
  switch (engine) {
    case GcmEngine::kIpsecMbSse:
      return sse;
    case GcmEngine::kIpsecMbAvx2:
      return avx2;
    case GcmEngine::kIpsecMbVaesAvx512:
      return vaes;
    case GcmEngine::kOpenSsl:
      return true;
  }
  return false;
}
#else
bool cpu_runs(GcmEngine engine) { return engine == GcmEngine::kOpenSsl; }
#endif

GcmEngine choose() {
  struct Named {
    const char* name;
    GcmEngine engine;
  };
  // Fastest first: without a (usable) request, the first available one wins.
  static constexpr Named kEngines[] = {{"avx512", GcmEngine::kIpsecMbVaesAvx512},
                                       {"avx2", GcmEngine::kIpsecMbAvx2},
                                       {"sse", GcmEngine::kIpsecMbSse},
                                       {"openssl", GcmEngine::kOpenSsl}};
  // Read once, at library initialisation: a process never switches engines under live keys.
  if (const char* request = std::getenv("OTC_AES_ENGINE")) {
    for (const Named& n : kEngines) {
      if (std::strcmp(request, n.name) == 0 && gcm_engine_available(n.engine)) return n.engine;
    }
  }
  for (const Named& n : kEngines) {
    if (gcm_engine_available(n.engine)) return n.engine;
  }
  return GcmEngine::kOpenSsl;
}

}  // namespace

bool gcm_engine_available(GcmEngine engine) { return cpu_runs(engine); }

GcmEngine gcm_engine_in_use() {
  static const GcmEngine engine = choose();
  return engine;
}

}  // namespace otc
