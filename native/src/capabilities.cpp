#include "otc/capabilities.h"

#include <openssl/crypto.h>


extern "C" const char* otc_version(void) { return "0.1.0"; }

extern "C" const char* otc_crypto_library_version(void) {
  // Read from the linked library, not the headers, so a mismatched build would show.
  return OpenSSL_version(OPENSSL_VERSION);
}

extern "C" int otc_e2ee_format_version(void) { return OTC_E2EE_FORMAT_VERSION; }

extern "C" const char* otc_aes_implementation_name(otc_aes_implementation impl) {
  switch (impl) {
    case OTC_AES_IMPL_PORTABLE:
      return "portable";
    case OTC_AES_IMPL_AESNI:
      return "aes-ni";
    case OTC_AES_IMPL_VAES:
      return "vaes";
    case OTC_AES_IMPL_ARMV8_CE:
      return "armv8-ce";
  }
  return "unknown";
}
