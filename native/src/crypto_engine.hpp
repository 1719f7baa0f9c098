// The statically linked OpenSSL: initialised once without reading any openssl.cnf (the host
// process may carry a system configuration meant for its own, different libcrypto), and the
// algorithms fetched once so that no per-key or per-frame call pays for a provider lookup.
#ifndef OTC_SRC_CRYPTO_ENGINE_HPP
#define OTC_SRC_CRYPTO_ENGINE_HPP

#include <openssl/evp.h>
#include <openssl/kdf.h>

namespace otc {

struct CryptoEngine {
  EVP_CIPHER* aes_128_gcm = nullptr;
  EVP_CIPHER* aes_256_gcm = nullptr;
  EVP_CIPHER* aes_128_ctr = nullptr;
  EVP_MAC* hmac = nullptr;
  EVP_KDF* hkdf = nullptr;
  EVP_KDF* scrypt = nullptr;

  bool complete() const {
    return aes_128_gcm != nullptr && aes_256_gcm != nullptr && aes_128_ctr != nullptr &&
           hmac != nullptr && hkdf != nullptr && scrypt != nullptr;
  }
};

// Never NULL; members are NULL when OpenSSL could not provide them (callers then fail cleanly).
const CryptoEngine& crypto_engine();

}  // namespace otc

#endif
