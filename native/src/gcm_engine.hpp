// Which code seals and opens AES-GCM frames. On x86_64 builds that link Intel's ipsec-mb, its
// VAES/AVX-512, AVX2 or SSE AES-NI code, whichever this CPU runs best; elsewhere (and when forced,
// or without AES-NI) the statically linked OpenSSL. Everything else stays on OpenSSL.
#ifndef OTC_SRC_GCM_ENGINE_HPP
#define OTC_SRC_GCM_ENGINE_HPP

namespace otc {

enum class GcmEngine { kOpenSsl, kIpsecMbSse, kIpsecMbAvx2, kIpsecMbVaesAvx512 };

// Whether this build contains the engine and this CPU can run it. CPU features are read from
// OpenSSL's capability vector, so an OPENSSL_ia32cap mask (e.g. AES-NI off) applies to ipsec-mb
// too: one switch for every AES path in the process. OpenSSL is always available.
bool gcm_engine_available(GcmEngine engine);

// Chosen once per process, at the first use: the engine named by the environment variable
// OTC_AES_ENGINE (openssl, sse, avx2 or avx512) when it is available here, else the fastest
// available one. A request this machine cannot honour is ignored: otc_aes_engine_name() tells
// what is actually in use.
GcmEngine gcm_engine_in_use();

}  // namespace otc

#endif
