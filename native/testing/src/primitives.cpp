// Test-only C API of otc/testing/primitives.h: thin argument checking around the internal building
// blocks, so that the vectors exercise exactly the code the frame path runs. Built into the test
// build of the library only (native/CMakeLists.txt, OTC_TESTING_API_SOURCES).
#include "otc/testing/primitives.h"

#include <cstring>
#include <memory>

#include "aead.hpp"
#include "c_api_guard.hpp"
#include "cipher_suite.hpp"
#include "e2ee_kdf.hpp"
#include "hkdf.hpp"
#include "open_status.hpp"
#include "otc/secret.h"
#include "sframe_key_schedule.hpp"
#include "utf8.hpp"

namespace {

bool valid_span(const void* p, std::size_t len) { return p != nullptr || len == 0; }

bool to_hash(int hash, otc::HashAlg* out) {
  if (hash == OTC_HASH_SHA256) {
    *out = otc::HashAlg::kSha256;
    return true;
  }
  if (hash == OTC_HASH_SHA512) {
    *out = otc::HashAlg::kSha512;
    return true;
  }
  return false;
}

}  // namespace

extern "C" otc_status otc_hkdf_extract(int hash, const uint8_t* salt, size_t salt_len,
                                       const uint8_t* ikm, size_t ikm_len, uint8_t* prk,
                                       size_t prk_capacity, size_t* prk_len) {
  return otc::guarded([&] {
    otc::HashAlg h;
    if (!to_hash(hash, &h)) return OTC_ERR_NOT_SUPPORTED;
    if (!valid_span(salt, salt_len) || !valid_span(ikm, ikm_len) || prk == nullptr ||
        prk_len == nullptr) {
      return OTC_ERR_INVALID_PARAM;
    }
    if (prk_capacity < otc::hash_len(h)) return OTC_ERR_BUFFER_TOO_SMALL;
    if (!otc::hkdf_extract(h, salt, salt_len, ikm, ikm_len, prk)) return OTC_ERR_FATAL;
    *prk_len = otc::hash_len(h);
    return OTC_SUCCESS;
  });
}

extern "C" otc_status otc_hkdf_expand(int hash, const uint8_t* prk, size_t prk_len,
                                      const uint8_t* info, size_t info_len, uint8_t* okm,
                                      size_t okm_len) {
  return otc::guarded([&]() -> otc_status {
    otc::HashAlg h;
    if (!to_hash(hash, &h)) return OTC_ERR_NOT_SUPPORTED;
    if (prk == nullptr || prk_len == 0 || !valid_span(info, info_len) || okm == nullptr ||
        okm_len == 0 || okm_len > 255 * otc::hash_len(h)) {
      return OTC_ERR_INVALID_PARAM;
    }
    return otc::hkdf_expand(h, prk, prk_len, info, info_len, okm, okm_len) ? OTC_SUCCESS
                                                                          : OTC_ERR_FATAL;
  });
}

extern "C" otc_status otc_hkdf(int hash, const uint8_t* salt, size_t salt_len, const uint8_t* ikm,
                               size_t ikm_len, const uint8_t* info, size_t info_len, uint8_t* okm,
                               size_t okm_len) {
  return otc::guarded([&]() -> otc_status {
    otc::HashAlg h;
    if (!to_hash(hash, &h)) return OTC_ERR_NOT_SUPPORTED;
    if (!valid_span(salt, salt_len) || !valid_span(ikm, ikm_len) || !valid_span(info, info_len) ||
        okm == nullptr || okm_len == 0 || okm_len > 255 * otc::hash_len(h)) {
      return OTC_ERR_INVALID_PARAM;
    }
    return otc::hkdf(h, salt, salt_len, ikm, ikm_len, info, info_len, okm, okm_len)
               ? OTC_SUCCESS
               : OTC_ERR_FATAL;
  });
}

namespace {

// Shared checks of seal and open; on success *key holds a freshly prepared key.
otc_status prepare_aead(const otc::CipherSuite& suite, const uint8_t* key, size_t key_len,
                        const uint8_t* nonce, size_t nonce_len, const uint8_t* aad, size_t aad_len,
                        std::unique_ptr<otc::AeadKey>* prepared) {
  if (key == nullptr || key_len != suite.key_len || nonce == nullptr ||
      nonce_len != suite.nonce_len || !valid_span(aad, aad_len)) {
    return OTC_ERR_INVALID_PARAM;
  }
  *prepared = otc::AeadKey::create(suite, key, key_len);
  return *prepared ? OTC_SUCCESS : OTC_ERR_FATAL;
}

}  // namespace

extern "C" otc_status otc_aead_seal(int cipher_suite, const uint8_t* key, size_t key_len,
                                    const uint8_t* nonce, size_t nonce_len, const uint8_t* aad,
                                    size_t aad_len, const uint8_t* plaintext, size_t plaintext_len,
                                    uint8_t* out, size_t out_capacity, size_t* out_len) {
  return otc::guarded([&]() -> otc_status {
    const otc::CipherSuite* suite = otc::find_cipher_suite(cipher_suite);
    if (suite == nullptr) return OTC_ERR_NOT_SUPPORTED;
    if (!valid_span(plaintext, plaintext_len) || out == nullptr || out_len == nullptr) {
      return OTC_ERR_INVALID_PARAM;
    }
    std::unique_ptr<otc::AeadKey> prepared;
    const otc_status st =
        prepare_aead(*suite, key, key_len, nonce, nonce_len, aad, aad_len, &prepared);
    if (st != OTC_SUCCESS) return st;
    const std::size_t tag_len = prepared->suite().tag_len;
    if (plaintext_len > SIZE_MAX - tag_len || out_capacity < plaintext_len + tag_len) {
      return OTC_ERR_BUFFER_TOO_SMALL;
    }
    if (!prepared->seal(nonce, otc::Bytes{aad, aad_len}, otc::Bytes{nullptr, 0}, plaintext,
                        plaintext_len, out, out + plaintext_len)) {
      return OTC_ERR_FATAL;
    }
    *out_len = plaintext_len + tag_len;
    return OTC_SUCCESS;
  });
}

extern "C" otc_status otc_aead_open(int cipher_suite, const uint8_t* key, size_t key_len,
                                    const uint8_t* nonce, size_t nonce_len, const uint8_t* aad,
                                    size_t aad_len, const uint8_t* ciphertext,
                                    size_t ciphertext_len, uint8_t* out, size_t out_capacity,
                                    size_t* out_len) {
  return otc::guarded([&]() -> otc_status {
    const otc::CipherSuite* suite = otc::find_cipher_suite(cipher_suite);
    if (suite == nullptr) return OTC_ERR_NOT_SUPPORTED;
    if (ciphertext == nullptr || !valid_span(out, out_capacity) || out_len == nullptr) {
      return OTC_ERR_INVALID_PARAM;
    }
    std::unique_ptr<otc::AeadKey> prepared;
    const otc_status st =
        prepare_aead(*suite, key, key_len, nonce, nonce_len, aad, aad_len, &prepared);
    if (st != OTC_SUCCESS) return st;
    const std::size_t tag_len = prepared->suite().tag_len;
    // Too short to carry a tag: it cannot be authentic.
    if (ciphertext_len < tag_len) return OTC_FRAME_AUTHENTICATION_FAILED;
    const std::size_t pt_len = ciphertext_len - tag_len;
    if (out_capacity < pt_len) return OTC_ERR_BUFFER_TOO_SMALL;
    return open_status(prepared->open(nonce, otc::Bytes{aad, aad_len}, otc::Bytes{nullptr, 0}, ciphertext,
                                      pt_len, ciphertext + pt_len, out),
                       pt_len, out_len);
  });
}

extern "C" otc_status otc_e2ee_derive_master_key(const char* session_id, const uint8_t* secret_utf8,
                                                 size_t secret_len, uint8_t* master_out,
                                                 size_t master_len) {
  return otc::guarded([&]() -> otc_status {
    if (master_out == nullptr || master_len != otc::kMasterKeyLen) return OTC_ERR_INVALID_PARAM;
    if (!otc::is_valid_session_id(session_id)) return OTC_SESSION_INVALID_SESSION_ID;
    if (otc_encryption_secret_validate(secret_utf8, secret_len) != OTC_SUCCESS) {
      return OTC_SESSION_INVALID_ENCRYPTION_SECRET;
    }
    return otc::derive_master_key(session_id, std::strlen(session_id), secret_utf8, secret_len,
                                  master_out)
               ? OTC_SUCCESS
               : OTC_ERR_FATAL;
  });
}

extern "C" otc_status otc_e2ee_master_key_fingerprint(const uint8_t* master, size_t master_len,
                                                      uint16_t* fingerprint_out) {
  return otc::guarded([&] {
    if (master == nullptr || master_len != otc::kMasterKeyLen || fingerprint_out == nullptr) {
      return OTC_ERR_INVALID_PARAM;
    }
    return otc::master_key_fingerprint(master, fingerprint_out) ? OTC_SUCCESS : OTC_ERR_FATAL;
  });
}

extern "C" otc_status otc_e2ee_derive_base_key(const uint8_t* master, size_t master_len,
                                               uint64_t kid, int cipher_suite,
                                               uint8_t* base_key_out, size_t base_key_len) {
  return otc::guarded([&] {
    if (otc::find_cipher_suite(cipher_suite) == nullptr) return OTC_ERR_NOT_SUPPORTED;
    if (master == nullptr || master_len != otc::kMasterKeyLen || base_key_out == nullptr ||
        base_key_len != otc::kBaseKeyLen) {
      return OTC_ERR_INVALID_PARAM;
    }
    return otc::derive_base_key(master, kid, static_cast<std::uint16_t>(cipher_suite), base_key_out)
               ? OTC_SUCCESS
               : OTC_ERR_FATAL;
  });
}

extern "C" otc_status otc_sframe_derive_key_and_salt(int cipher_suite, uint64_t kid,
                                                     const uint8_t* base_key, size_t base_key_len,
                                                     uint8_t* key_out, size_t key_capacity,
                                                     size_t* key_len, uint8_t* salt_out,
                                                     size_t salt_len) {
  return otc::guarded([&] {
    const otc::CipherSuite* suite = otc::find_cipher_suite(cipher_suite);
    if (suite == nullptr) return OTC_ERR_NOT_SUPPORTED;
    if (base_key == nullptr || base_key_len == 0 || key_out == nullptr || key_len == nullptr ||
        salt_out == nullptr || salt_len != suite->nonce_len) {
      return OTC_ERR_INVALID_PARAM;
    }
    if (key_capacity < suite->key_len) return OTC_ERR_BUFFER_TOO_SMALL;
    if (!otc::derive_sframe_key_and_salt(*suite, kid, base_key, base_key_len, key_out, salt_out)) {
      return OTC_ERR_FATAL;
    }
    *key_len = suite->key_len;
    return OTC_SUCCESS;
  });
}
