#include "crypto_engine.hpp"

#include <openssl/crypto.h>

#include <mutex>

namespace otc {

namespace {

CryptoEngine load() {
  CryptoEngine e;
  if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) != 1) return e;
  e.aes_128_gcm = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  e.aes_256_gcm = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  e.aes_128_ctr = EVP_CIPHER_fetch(nullptr, "AES-128-CTR", nullptr);
  e.hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  e.hkdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  e.scrypt = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  return e;
}

}  // namespace

const CryptoEngine& crypto_engine() {
  // Fetched objects live for the whole process: freeing them at exit would race with threads
  // that are still encrypting while the process shuts down.
  static const CryptoEngine engine = load();
  return engine;
}

}  // namespace otc
